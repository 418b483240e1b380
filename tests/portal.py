"""A real HTTP server on 127.0.0.1 playing a portal from recorded payloads, and misbehaving on demand."""
from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MODES = ("ok", "500", "html", "truncated", "renamed", "slow", "empty", "zip", "zip-corrupt",
         "endless", "503", "429", "redirect")
RETRY_AFTER_S = 120          # what "503" and "429" ask the client to wait


def gtfs_zip(stops: bytes) -> bytes:
    """A GTFS feed as the portal publishes it: stops.txt inside a zip (same bytes every time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as feed:
        feed.writestr(zipfile.ZipInfo("stops.txt", date_time=(2026, 1, 30, 0, 0, 0)), stops,
                      compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def damaged(feed: bytes) -> bytes:
    """The feed with bytes flipped inside its compressed data, as a broken transfer leaves it."""
    start = feed.index(b"stops.txt") + len(b"stops.txt") + 200
    return feed[:start] + bytes(b ^ 0xFF for b in feed[start:start + 64]) + feed[start + 64:]


def arcgis_layer(records: list[dict], lat: str, lon: str) -> list[dict]:
    """Features as an ArcGIS layer answers `f=geojson`: an OBJECTID, the attributes as
    properties, a Point geometry [lon, lat]; built from a real dataset's records."""
    return [{"type": "Feature", "id": i + 1,
             "geometry": {"type": "Point", "coordinates": [r[lon], r[lat]]},
             "properties": {"OBJECTID": i + 1, **{k: v for k, v in r.items() if k not in (lat, lon)}}}
            for i, r in enumerate(records)]


class FakePortal:
    """Serves data/<path> as it was recorded; `mode` (or `modes[path]`) turns it into a bad portal."""

    def __init__(self, slow_seconds: float = 3.0):
        self.mode = "ok"
        self.modes: dict[str, str] = {}     # per path, e.g. one dataset broken, the others fine
        self.slow_seconds = slow_seconds
        self.requests: list[str] = []
        self.arcgis_mode = "ok"
        self.arcgis_features: list[dict] = []
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                portal.requests.append(self.path)
                portal.answer(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, handler) -> None:
        """Send the recorded file, or what the current mode says."""
        name = handler.path.lstrip("/").split("?")[0]
        if name.startswith("arcgis/"):
            return self.arcgis(handler)
        body, status, ctype = (ROOT / "data" / name).read_bytes(), 200, \
            "application/json; charset=utf-8"
        extra = {}
        mode = self.modes.get(name, self.mode)
        if mode in ("zip", "zip-corrupt"):
            body, ctype = gtfs_zip(body), "application/zip"
            body = damaged(body) if mode == "zip-corrupt" else body
        elif mode == "500":
            body, status, ctype = b'{"error": "internal"}', 500, "application/json"
        elif mode == "html":
            body, ctype = b"<!doctype html><title>Maintenance</title><p>Portail en maintenance", \
                "text/html"
        elif mode == "truncated":
            body = body[: len(body) // 2]
        elif mode == "renamed":
            body = body.replace(b'"geo_point_2d"', b'"geopoint"')
        elif mode == "empty":
            body = b"[]"
        elif mode == "slow":
            time.sleep(self.slow_seconds)
        elif mode == "endless":
            return self.endless(handler, body)
        elif mode in ("503", "429"):
            body, status, ctype = b'{"error": "busy"}', int(mode), "application/json"
            extra = {"Retry-After": str(RETRY_AFTER_S)}
        elif mode == "redirect":
            # The same path on another host name (which would answer, too): never followed.
            port = self.httpd.server_address[1]
            body, status, ctype = b"", 302, "text/plain"
            extra = {"Location": f"http://localhost:{port}/{name}"}
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        for header, value in extra.items():
            handler.send_header(header, value)
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): that is the point of "slow"

    # An ArcGIS FeatureServer layer built from a real dataset of ours (see arcgis_layer): served
    # in pages of ARCGIS_PAGE, with ArcGIS's own shapes for `f=geojson` answers and errors.
    ARCGIS_PAGE = 100
    ARCGIS_MODES = ("ok", "500", "error", "truncated-page", "error-page")

    def arcgis(self, handler) -> None:
        """/arcgis/<layer>/FeatureServer/0/query?…&resultOffset=N: one page, or a failure.

        `arcgis_mode`: "500" (every page), "error" (an `error` object with HTTP 200 on every
        page), "truncated-page" / "error-page" (the second page only: a failure mid-paging)."""
        query = dict(parse_qsl(urlsplit(handler.path).query))
        offset = int(query.get("resultOffset", 0))
        mode = self.arcgis_mode
        features = self.arcgis_features[offset:offset + self.ARCGIS_PAGE]
        more = offset + self.ARCGIS_PAGE < len(self.arcgis_features)
        body = json.dumps({"type": "FeatureCollection", "features": features,
                           **({"properties": {"exceededTransferLimit": True}} if more else {})})
        status = 200
        if mode == "500":
            body, status = "<html><body>Internal Server Error</body></html>", 500
        elif mode == "error" or (mode == "error-page" and offset > 0):
            # Documented ArcGIS REST error, returned with HTTP 200.
            body = json.dumps({"error": {"code": 400, "message": "Unable to complete operation.",
                                         "details": ["Unable to perform query operation."]}})
        elif mode == "truncated-page" and offset > 0:
            body = body[: len(body) // 2]
        data = body.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/geo+json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def endless(self, handler, body: bytes) -> None:
        """A body with no Content-Length that never ends (a misbehaving proxy or export)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.end_headers()
        try:
            handler.wfile.write(body[:-1])
            for _ in range(10_000):                      # ~640 MB at most, then give up
                handler.wfile.write(b" " * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass                                         # the client stopped reading: good

    def stop(self) -> None:
        """Shut the server down (the portal is now 'down')."""
        self.httpd.shutdown()
        self.httpd.server_close()
