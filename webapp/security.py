"""Strict security headers on every response (pages, fragments, static files, errors), graded
by the Mozilla HTTP Observatory's rules in tests/test_headers.py."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

# Added to every answer. Static files are served by WhiteNoise before Flask sees the request,
# so the headers go on at the WSGI level, around everything.
FIXED = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",                      # older browsers; CSP frame-ancestors for the rest
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",  # no other site may embed our answers or files
}


def content_security_policy(tile_url: str) -> str:
    """Nothing is allowed unless named: no inline code, map tiles the only third-party origin."""
    tiles = urlsplit(tile_url)
    tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.netloc else ""
    return "; ".join([
        "default-src 'none'", "script-src 'self'", "style-src 'self'",
        f"img-src 'self' data: {tile_origin}".strip(),      # icons, Leaflet's images, tiles
        "connect-src 'self'",                              # htmx, packs, the worker's fetches
        "manifest-src 'self'", "worker-src 'self'", "form-action 'self'",
        "frame-ancestors 'none'", "base-uri 'none'",       # neither falls back to default-src
    ])


class SecureHeaders:
    """WSGI middleware setting the security headers on every answer; HSTS only over HTTPS."""

    def __init__(self, wsgi_app, headers: dict[str, str], hsts: str):
        self.wsgi_app = wsgi_app
        self.headers = list(headers.items())
        self.names = {name.lower() for name in headers} | {"strict-transport-security"}
        self.hsts = hsts

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() not in self.names] + self.headers
            # Over plain HTTP the header means nothing (and would be a lie to a test client).
            if self.hsts and environ.get("wsgi.url_scheme") == "https":
                headers.append(("Strict-Transport-Security", self.hsts))
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, start)


def hsts_value(setting) -> str:
    """PRESDICI_HSTS: a header value, or a false value (0, false, "", "off") to send none."""
    if setting in (None, False, 0, "", "0", "off", "false"):
        return ""
    return str(setting)


def init_app(app) -> None:
    """Wrap the WSGI app (call after anything else that wraps it, e.g. static files)."""
    headers = {"Content-Security-Policy": content_security_policy(app.config["TILE_URL"]),
               **FIXED}
    app.wsgi_app = SecureHeaders(app.wsgi_app, headers, hsts_value(app.config["HSTS"]))
    proxies = int(app.config["TRUST_PROXY"])
    if proxies:
        # Behind our own TLS proxy only: X-Forwarded-Proto says whether the visitor used HTTPS.
        # Never X-Forwarded-For: we keep no client address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=proxies, x_host=0, x_port=0,
                                x_prefix=0)

    @app.after_request
    def no_store_answers(response):
        if request.method == "POST" or request.args.get("lat") or request.args.get("lieu") \
                or request.args.get("q"):
            # A position, an address or a chosen place (a POST answers the place picker, see
            # tasks/origin.py): no cache anywhere may keep this answer.
            response.headers["Cache-Control"] = "no-store"
        return response
