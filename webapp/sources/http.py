"""The one HTTP session: requests-cache on SQLite, explicit timeouts, stale data on errors."""
from __future__ import annotations

from pathlib import Path

from requests_cache import CachedSession


class PortalSession(CachedSession):
    """A cached session whose responses are only cached when a validator accepts the body."""

    def __init__(self, cache_path: Path, timeout: tuple[float, float]):
        self.validators: dict[str, callable] = {}
        self.default_timeout = timeout
        super().__init__(
            cache_name=str(cache_path), backend="sqlite", allowable_codes=(200,),
            stale_if_error=True,          # a portal down, slow or failing: last good response
            filter_fn=self._cacheable,
            # Only portal URLs from territory files are ever requested: no position, no user
            # input ever reaches this cache or the portals.
        )

    def _cacheable(self, response) -> bool:
        """A 200 with a garbled body must never replace a good cached one (FIELD-NOTES)."""
        check = self.validators.get(response.request.url) or self.validators.get(response.url)
        return bool(check and check(response.content))

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
    app.extensions["presdici.http"] = PortalSession(Path(app.instance_path) / "http_cache", timeout)
