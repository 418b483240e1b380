"""Redis as the state every host shares, when PRESDICI_REDIS_URL is set; None means one host.

Pages never depend on it: every call here fails soft (None/False), and a failure is logged once
per process until Redis answers again, never once per request."""
from __future__ import annotations

import fcntl
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

GENERATION_KEY = "presdici:generation"
REFRESH_LOCK_KEY = "presdici:refresh-lock"
# Short timeouts: a page asking Redis for the data generation must not hang on a dead host.
SOCKET_TIMEOUT_S = 0.5


class Shared:
    """A Redis client with soft failures and one log line per outage."""

    def __init__(self, url: str):
        import redis          # imported only when configured: `make run` needs no Redis at all
        self.url = url
        self.client = redis.Redis.from_url(url, socket_connect_timeout=SOCKET_TIMEOUT_S,
                                           socket_timeout=SOCKET_TIMEOUT_S)
        self.errors = (redis.RedisError, OSError)
        self._down = False
        self._lock = threading.Lock()

    def _failed(self, exc: Exception) -> None:
        """Log the first failure of an outage only."""
        with self._lock:
            if not self._down:
                self._down = True
                log.warning("Redis unreachable (%s): serving the loaded data, limits per host",
                            type(exc).__name__)

    def _ok(self) -> None:
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.warning("Redis reachable again")

    @property
    def down(self) -> bool:
        """Whether the last call failed."""
        return self._down

    def get(self, key: str) -> str | None:
        """A string value, or None when missing or Redis is unreachable."""
        try:
            value = self.client.get(key)
        except self.errors as exc:
            self._failed(exc)
            return None
        self._ok()
        return value.decode() if value is not None else None

    def set(self, key: str, value: str) -> bool:
        """Store a value; False when Redis is unreachable."""
        try:
            self.client.set(key, value)
        except self.errors as exc:
            self._failed(exc)
            return False
        self._ok()
        return True

    def ping(self) -> bool:
        """Whether Redis answers now."""
        try:
            self.client.ping()
        except self.errors as exc:
            self._failed(exc)
            return False
        self._ok()
        return True

    def lock(self, name: str = REFRESH_LOCK_KEY, timeout_s: float = 900):
        """A lock across hosts (SET NX with an expiry, released only by its owner): a host that
        dies while holding it frees it after timeout_s; the holder extends it as it goes."""
        return self.client.lock(name, timeout=timeout_s, blocking=False, thread_local=False)


def shared_for(app) -> Shared | None:
    """The app's shared state, None on a single host."""
    return app.extensions.get("presdici.shared")


def init_app(app) -> None:
    """Connect lazily (no connection is opened before gunicorn forks)."""
    url = app.config.get("REDIS_URL")
    app.extensions["presdici.shared"] = Shared(url) if url else None



class Busy(Exception):
    """Another refresh holds the lock."""


class Unreachable(Exception):
    """Redis is configured but does not answer: hosts could not share a refresh's result."""


@contextmanager
def refresh_lock(shared: Shared | None, folder: Path):
    """One refresh at a time: across hosts with Redis, on this host with a file lock otherwise.

    Yields a function the refresh calls between datasets to keep a Redis lock alive."""
    if shared is None:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "refresh.lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy("local") from None
            yield lambda: None
        return
    lock = shared.lock()
    try:
        acquired = lock.acquire()
    except shared.errors as exc:
        shared._failed(exc)                    # noqa: SLF001 - same once-per-outage log line
        raise Unreachable(type(exc).__name__) from None
    if not acquired:
        raise Busy("redis")
    try:
        yield lock.reacquire
    finally:
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - expired or Redis gone: it frees itself at its expiry
            log.warning("refresh lock not released (it expires by itself)")
