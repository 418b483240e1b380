"""limits' in-memory storage, its expired counters swept inline once a second, not by a thread."""
from __future__ import annotations

import time

from limits.storage import MemoryStorage


class SweptMemoryStorage(MemoryStorage):
    """`presdici-memory://`: MemoryStorage whose clean-up runs in the request, at most once a second.

    limits (5.x) starts a new threading.Timer whenever its previous one has ended, 10 ms after
    each count: on a server that answers one request at a time, a thread start and a sweep over
    every key per request (issue 12 measured it in the task pages' time). Counts do not depend on
    the sweep (get() drops an expired counter itself); the sweep only frees memory, so once a
    second is enough. If a later limits renames the private hook, its own timer runs as before.
    """

    STORAGE_SCHEME = ["presdici-memory"]
    SWEEP_EVERY_S = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        timer = getattr(self, "timer", None)
        if timer is not None:
            timer.cancel()
        self._last_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:   # noqa: N802 (limits' private hook)
        moment = time.monotonic()
        if moment - self._last_sweep >= self.SWEEP_EVERY_S:
            self._last_sweep = moment
            self._MemoryStorage__expire_events()
