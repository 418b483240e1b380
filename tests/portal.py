"""A real HTTP server on 127.0.0.1 playing a portal from recorded payloads, and misbehaving on demand."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("ok", "500", "html", "truncated", "renamed", "slow", "empty")


class FakePortal:
    """Serves data/<path> as it was recorded; `mode` turns it into a bad portal."""

    def __init__(self, slow_seconds: float = 3.0):
        self.mode = "ok"
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
        path = ROOT / "data" / handler.path.lstrip("/").split("?")[0]
        body, status, ctype = path.read_bytes(), 200, "application/json; charset=utf-8"
        if self.mode == "500":
            body, status, ctype = b'{"error": "internal"}', 500, "application/json"
        elif self.mode == "html":
            body, ctype = b"<!doctype html><title>Maintenance</title><p>Portail en maintenance", \
                "text/html"
        elif self.mode == "truncated":
            body = body[: len(body) // 2]
        elif self.mode == "renamed":
            body = body.replace(b'"geo_point_2d"', b'"geopoint"')
        elif self.mode == "empty":
            body = b"[]"
        elif self.mode == "slow":
            time.sleep(self.slow_seconds)
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): that is the point of "slow"

    def stop(self) -> None:
        """Shut the server down (the portal is now 'down')."""
        self.httpd.shutdown()
        self.httpd.server_close()
