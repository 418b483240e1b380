"""A real HTTP server on 127.0.0.1 playing a portal from recorded payloads, and misbehaving on demand."""
from __future__ import annotations

import io
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


class FakePortal:
    """Serves data/<path> as it was recorded; `mode` (or `modes[path]`) turns it into a bad portal."""

    def __init__(self, slow_seconds: float = 3.0):
        self.mode = "ok"
        self.modes: dict[str, str] = {}     # per path, e.g. one dataset broken, the others fine
        self.slow_seconds = slow_seconds
        self.requests: list[str] = []
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
