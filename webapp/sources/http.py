"""The one HTTP session: requests-cache on SQLite, explicit timeouts, stale data on errors."""
from __future__ import annotations

import logging
from pathlib import Path

from requests_cache import CachedSession, SQLiteCache

log = logging.getLogger(__name__)


class GuardedCache(SQLiteCache):
    """An SQLite cache that refuses to store a response its validator rejects.

    requests-cache's own filter_fn is not enough: when it rejects a new response it also
    deletes the previous, good entry for that URL (requests_cache/session.py, "delete
    filtered response"). Refusing at write time keeps the last good body for stale_if_error."""

    def __init__(self, path: Path, accept):
        super().__init__(str(path))
        self.accept = accept

    def save_response(self, response, cache_key=None, expires=None):
        """Store only what the validator accepts."""
        if self.accept(response):
            super().save_response(response, cache_key, expires)


class PortalSession(CachedSession):
    """A cached session for portal datasets; only validated bodies are ever cached."""

    def __init__(self, cache_path: Path, timeout: tuple[float, float]):
        self.validators: dict[str, callable] = {}
        self.default_timeout = timeout
        # Only URLs from territory files are ever requested: no position and no user input
        # ever reaches this cache or the portals.
        super().__init__(backend=GuardedCache(cache_path, self._cacheable),
                         allowable_codes=(200,), stale_if_error=True)

    def _cacheable(self, response) -> bool:
        """A 200 with a garbled body must never be cached (nor delete the good entry it replaces)."""
        check = self.validators.get(response.request.url) or self.validators.get(response.url)
        try:
            return bool(check and check(response.content))
        except Exception:  # noqa: BLE001 - a validator bug means "not proven good": don't cache
            log.exception("validator failed on %s; response not cached", response.url)
            return False

    def request(self, method, url, *args, **kwargs):
        """Every request has connect and read timeouts (requests has none by default)."""
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, *args, **kwargs)


def session_for(app) -> PortalSession:
    """The app's portal session (created once, in the master before workers fork)."""
    return app.extensions["presdici.http"]


def init_app(app) -> None:
    """Create the SQLite cache file now, not concurrently in several workers."""
    timeout = (float(app.config["HTTP_CONNECT_TIMEOUT"]), float(app.config["HTTP_READ_TIMEOUT"]))
    app.extensions["presdici.http"] = PortalSession(
        Path(app.instance_path) / "http_cache.sqlite", timeout)
