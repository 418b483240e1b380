"""ETag and Cache-Control for what a CDN or the reverse proxy may keep: position-free pages.

Answers to a position, a chosen place or a search stay `no-store` (security.py); fragments,
errors and responses that set a cookie are never marked shareable."""
from __future__ import annotations

from flask import request

# Browsers revalidate every time (max-age=0: a new data date shows at once, and a 304 costs a
# few bytes); shared caches may answer for a minute without asking the hosts.
PAGE_CACHE = "public, max-age=0, s-maxage={seconds}"


def shareable(response) -> bool:
    """A page that says the same to everyone reading it in the same language."""
    return (request.method in ("GET", "HEAD") and response.status_code == 200
            and response.mimetype == "text/html" and not request.query_string
            and "HX-Request" not in request.headers and "Cache-Control" not in response.headers
            and "Set-Cookie" not in response.headers)


def init_app(app) -> None:
    """Register the after-request hook (before security.py's, which runs after it)."""
    seconds = int(app.config.get("SHARED_CACHE_SECONDS", 60))

    @app.after_request
    def cache_headers(response):
        if shareable(response):
            response.headers["Cache-Control"] = PAGE_CACHE.format(seconds=seconds)
            response.add_etag()
            response.make_conditional(request)
        return response
