"""Rate limits on what costs (searches, answers to a position, htmx fragments, packs): shared by
every host through Redis when configured, per host in memory otherwise or while Redis is down."""
from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from . import limit_storage  # noqa: F401 (registers presdici-memory://)

# Query arguments that make a page compute an answer (see tasks/origin.py, sorting/answer.py).
COSTLY_ARGS = ("q", "objet", "lat", "lieu", "choix")
COSTLY_ENDPOINTS = {"offline.pack"}


def costly() -> bool:
    """Whether this request computes something: a search, an answer, a fragment or a pack,
    asked in the query string or in a POST body (the place picker posts: tasks/origin.py)."""
    return (request.endpoint in COSTLY_ENDPOINTS or "HX-Request" in request.headers
            or any(request.values.get(name) for name in COSTLY_ARGS))


def client_key() -> str:
    """Who is counted: a hash of the client address, never the address itself in Redis."""
    salt = current_app.config.get("SECRET_KEY") or "presdici"
    address = request.remote_addr or "?"
    return hashlib.sha256(f"{salt}:{address}".encode()).hexdigest()[:20]


def retry_after_seconds(default: int = 60) -> int:
    """Seconds until the exceeded window resets (the Retry-After of the 429 page)."""
    try:
        limit = current_app.extensions["presdici.limiter"].current_limit
        return max(1, math.ceil(limit.reset_at - time.time())) if limit else default
    except Exception:  # noqa: BLE001 - no window known: a minute is a fair guess
        return default


def init_app(app) -> None:
    """Generous limits for people (a phone typing a search sends a fragment per pause; many
    people share one address behind a carrier's NAT or a town hall's box); none on pages that
    only read, static files or the health check."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Behind the reverse proxy of docs/deploy.md: the client is the proxy's X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    redis_url = app.config.get("REDIS_URL")
    # A test session sends thousands of answers from one address within a minute: the limiter
    # still counts them, at a limit only the tests about limits lower.
    limits = app.config.get("RATELIMIT_COSTLY") or (
        "1000000 per minute" if app.testing else "300 per minute;3000 per hour")
    # Without Redis, limits' memory storage swept inline (webapp/limit_storage.py: no thread per request).
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "presdici-memory://")
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
        "socket_connect_timeout": 0.5, "socket_timeout": 0.5} if redis_url else {})
    app.config.setdefault("RATELIMIT_DEFAULT", limits)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK", limits)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter = Limiter(key_func=client_key, key_prefix="presdici", app=app)
    limiter.request_filter(lambda: not costly())
    app.extensions["presdici.limiter"] = limiter
