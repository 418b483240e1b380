"""The fault matrix as tests: for every way a portal fails, the data is kept, nothing bad is
cached, the refresh gives up in bounded time, a portal asking to wait is not asked again, and
the pages still answer with the data's date. `bench/faults.py` prints the same matrix."""
import pytest

from faults import FAULTS, REFRESHES, run

SLOW = {"slow (read timeout)": 2.5}       # the read timeout is 1 s; the portal sleeps 2.5 s


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault, tmp_path):
    row = run(fault, tmp_path)
    assert row.data_kept, row
    assert row.nothing_cached, row
    assert row.page_dated, row
    # Bounded: connect and read timeouts are 1 s here; nothing waits on a portal longer.
    assert row.seconds < 1.0 + SLOW.get(fault.name, 1.0) + 2.0, row
    for outcome in row.outcomes:
        assert outcome.startswith(("kept", "unchanged")), row
    if fault.waits:
        assert row.requests == 1, row                       # asked once, then it waited
        assert "Retry-After" in row.outcomes[1] and "Retry-After" in row.outcomes[2], row
    elif fault.url in ("refused", "unresolvable", "tls"):
        assert row.requests == 0, row                       # no HTTP request reached the portal
    else:
        assert row.requests == REFRESHES, row
    said = {"redirect to another host": "redirect to http://localhost refused",
            "portal down (refused)": "connection refused", "name does not resolve":
            "name does not resolve", "TLS failure (plain HTTP on https)": "TLS failure"}
    if fault.name in said:
        assert all(said[fault.name] in outcome for outcome in row.outcomes), row


def test_a_redirect_on_the_same_host_is_followed(tmp_path):
    """The guard refuses other hosts only: a portal moving a path on its own host still works."""
    from faults import DATASET, paris_app, refresh
    from portal import FakePortal
    portal = FakePortal()
    try:
        app = paris_app(tmp_path, f"{portal.url}/moved/../{DATASET}")
        assert refresh(app).startswith("updated")
    finally:
        portal.stop()
