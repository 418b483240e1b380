"""Rate limits on what costs, on one host (in memory): polite 429, nothing else limited."""
import pytest

NEAR = "/grenoble/velo?lat=45.1885&lon=5.7245"


@pytest.fixture()
def limited(tmp_path):
    from webapp import create_app
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path),
                      "RATELIMIT_COSTLY": "3 per minute"})
    return app.test_client()


@pytest.mark.parametrize("url,headers", [
    (NEAR, {}), ("/grenoble/velo?q=gare", {}), ("/grenoble/velo", {"HX-Request": "true"}),
    ("/grenoble/pack.json", {}), ("/toulouse/jeter?objet=bouteille", {})])
def test_costly_requests_are_limited_with_a_polite_translated_429(limited, url, headers):
    assert [limited.get(url, headers=headers).status_code for _ in range(3)] == [200] * 3
    refused = limited.get(url, headers={**headers, "Accept-Language": "en"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.headers["Cache-Control"] == "no-store"
    assert "Please wait a little while" in refused.get_data(as_text=True)


def test_pages_that_only_read_and_static_files_are_never_limited(limited):
    for _ in range(8):
        for url in ("/grenoble/velo", "/", "/donnees", "/sante", "/static/css/app.css",
                    "/sw.js", "/manifest.webmanifest"):
            with limited.get(url) as response:        # closes the static file it streams
                assert response.status_code == 200, url


def test_the_memory_storage_counts_and_expires_without_a_thread_per_request():
    """webapp/limit_storage.py: same counts as limits' MemoryStorage; its clean-up runs inline
    (no timer thread started per count) and still frees expired counters."""
    import threading
    import time

    from limits import RateLimitItemPerSecond
    from limits.storage import MemoryStorage, storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    from webapp.limit_storage import SweptMemoryStorage
    swept = storage_from_string("presdici-memory://")
    assert isinstance(swept, SweptMemoryStorage)
    timers = lambda: {t for t in threading.enumerate() if isinstance(t, threading.Timer)}  # noqa: E731
    before = timers()
    limit = RateLimitItemPerSecond(3, 1)
    # Ours counts first and alone, and limits' own storage is only built afterwards: its
    # constructor and its counts start 10 ms Timers that a slow machine still shows alive (CI
    # saw 2 == 1 twice). Timers already running may end meanwhile (our constructor cancels
    # limits' first one): what matters is that none is new.
    ours, first = FixedWindowRateLimiter(swept), swept.timer
    counted = {key: [ours.hit(limit, key) for _ in range(5)] for key in ("a", "b")}
    assert not timers() - before                        # no Timer started by our storage
    assert swept.timer is first                         # (limits would have made a new one)
    theirs = FixedWindowRateLimiter(MemoryStorage())
    assert counted == {key: [theirs.hit(limit, key) for _ in range(5)] for key in ("a", "b")}
    swept.SWEEP_EVERY_S = 0                             # sweep at the next count
    swept.incr("short", expiry=0.05)
    deadline = time.monotonic() + 5
    while swept.expirations.get("short", 0) > time.time() and time.monotonic() < deadline:
        time.sleep(0.02)                                # wait for the counter's expiry
    swept.incr("other", expiry=60)                      # a count sweeps inline
    assert "short" not in swept.storage and swept.get("other") == 1
