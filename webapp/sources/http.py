"""The one HTTP session: requests-cache (SQLite, or Redis across hosts), timeouts, stale on errors."""
from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from requests_cache import CachedSession, RedisCache, SQLiteCache

log = logging.getLogger(__name__)


class TooLarge(requests.RequestException):
    """A portal answer bigger than we accept: read no further, keep the data we have."""


def capped(limit: int):
    """A response hook reading at most `limit` bytes (an endless or huge body never fills memory).

    requests reads the whole body after its hooks run; reading it here first, in chunks, lets us
    stop at the limit whatever Content-Length says (or when there is none)."""
    def hook(response, *args, **kwargs):
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise TooLarge(f"declared {declared} bytes, limit {limit}", response=response)
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > limit:
                response.close()
                raise TooLarge(f"more than {limit} bytes", response=response)
        response._content = bytes(body)          # what requests itself sets once it has read
        return response
    return hook


class OffHostRedirect(requests.RequestException):
    """A portal redirecting to another host (or from https to http): never followed."""


MAX_RETRY_AFTER_S = 24 * 3600      # a portal cannot silence a dataset for longer than a day


def retry_after_seconds(response) -> float | None:
    """What a 429 or 503 asks us to wait (seconds or an HTTP date), bounded to a day."""
    value = response.headers.get("Retry-After", "").strip()
    if response.status_code not in (429, 503) or not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            seconds = (parsedate_to_datetime(value) - parsedate_to_datetime(
                response.headers.get("Date") or value)).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


class Guarded:
    """A cache that refuses to store a response its validator rejects.

    requests-cache's own filter_fn is not enough: when it rejects a new response it also
    deletes the previous, good entry for that URL (requests_cache/session.py, "delete
    filtered response"). Refusing at write time keeps the last good body for stale_if_error."""

    accept = None

    def save_response(self, response, cache_key=None, expires=None):
        """Store only what the validator accepts."""
        if self.accept(response):
            super().save_response(response, cache_key, expires)


class GuardedCache(Guarded, SQLiteCache):
    """One host: the cache is an SQLite file in instance/."""

    def __init__(self, path: Path, accept):
        super().__init__(str(path))
        self.accept = accept


class GuardedRedisCache(Guarded, RedisCache):
    """Several hosts: one cache in Redis, so a portal is asked once, whichever host refreshes.

    ttl=False: Redis must keep an expired answer, or stale_if_error would have nothing to serve
    when the portal is down; the keys are bounded by the datasets of the territory files."""

    def __init__(self, url: str, accept):
        import redis
        super().__init__("presdici:http", connection=redis.Redis.from_url(
            url, socket_connect_timeout=3, socket_timeout=10), ttl=False)
        self.accept = accept


class PortalSession(CachedSession):
    """A cached session for portal datasets; only validated bodies are ever cached."""

    def __init__(self, cache_path: Path, timeout: tuple[float, float], max_bytes: int,
                 redis_url: str | None = None):
        self.validators: dict[str, callable] = {}
        self.retry_after: dict[str, float] = {}     # url -> seconds the portal asked us to wait
        self.default_timeout = timeout
        # Only URLs from territory files are ever requested: no position and no user input
        # ever reaches this cache or the portals.
        backend = GuardedRedisCache(redis_url, self._cacheable) if redis_url else \
            GuardedCache(cache_path, self._cacheable)
        super().__init__(backend=backend,
                         allowable_codes=(200,), stale_if_error=True)
        self.hooks["response"].append(capped(max_bytes))
        self.hooks["response"].append(self._note_retry_after)

    def _note_retry_after(self, response, *args, **kwargs):
        """Remember a Retry-After before a stale cached copy hides the 429/503 that said it."""
        seconds = retry_after_seconds(response)
        if seconds is not None:
            self.retry_after[response.url] = seconds
        return response

    def get_redirect_target(self, resp):
        """Follow a redirect only on the same host and never down from https to http."""
        target = super().get_redirect_target(resp)
        if target:
            old, new = urlsplit(resp.url), urlsplit(urljoin(resp.url, target))
            if new.hostname != old.hostname or (old.scheme == "https" and new.scheme != "https"):
                raise OffHostRedirect(f"redirect to {new.scheme}://{new.hostname} refused",
                                      response=resp)
        return target

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
    """Create the SQLite cache file now, not concurrently in several workers (with Redis, no
    connection is opened until a refresh asks a portal)."""
    timeout = (float(app.config["HTTP_CONNECT_TIMEOUT"]), float(app.config["HTTP_READ_TIMEOUT"]))
    app.extensions["presdici.http"] = PortalSession(
        Path(app.instance_path) / "http_cache.sqlite", timeout, int(app.config["HTTP_MAX_BYTES"]),
        app.config.get("REDIS_URL"))
