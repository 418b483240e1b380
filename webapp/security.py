"""Strict security headers on every response, static files and errors included."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def content_security_policy(tile_url: str) -> str:
    """A CSP with no inline code at all; map tiles are the only third-party origin."""
    tiles = urlsplit(tile_url)
    tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.netloc else ""
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'",
        f"img-src 'self' data: {tile_origin}".strip(), "connect-src 'self'",
        "font-src 'self'", "manifest-src 'self'", "worker-src 'self'", "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ])


def init_app(app) -> None:
    """Register the after-request hook."""
    csp = content_security_policy(app.config["TILE_URL"])

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = csp
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=(), payment=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.args.get("lat") or request.args.get("lieu") or request.args.get("q"):
            # A position or a chosen place: no cache anywhere may keep this answer.
            headers["Cache-Control"] = "no-store"
        return response
