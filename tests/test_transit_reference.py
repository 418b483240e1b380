"""RAPTOR's earliest arrivals equal an independent slow search, on random origins and times.

The reference (webapp/transit/reference.py) reads the raw GTFS rows again, evaluates the calendar
itself and runs a plain Dijkstra over the time-expanded graph in pure Python."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
FEEDS = {"grenoble": "data/grenoble/tag-gtfs_2023-04.zip",
         "perigueux": "data/perigueux/peribus-gtfs-2025-12.zip"}
DAYS = {"grenoble": [date(2023, 5, 2), date(2023, 4, 15), date(2023, 5, 18), date(2023, 4, 17)],
        "perigueux": [date(2026, 1, 6), date(2025, 12, 22), date(2026, 1, 10), date(2026, 1, 11)]}


@pytest.fixture(scope="module")
def feeds(app):
    from webapp.transit import timetable_for
    from webapp.transit.reference import RawFeed
    with app.app_context():
        out = {}
        for territory, path in FEEDS.items():
            tt = timetable_for(territory)
            out[territory] = (tt, RawFeed((ROOT / path).read_bytes(), tt))
        return out


def arrivals(reach, n):
    return {i: reach.at_stop(i).time_s for i in range(n) if reach.at_stop(i) is not None}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(territory=st.sampled_from(sorted(FEEDS)), pick=st.floats(0, 1, exclude_max=True),
       dlat=st.floats(-0.004, 0.004), dlon=st.floats(-0.004, 0.004),
       depart=st.integers(4 * 3600, 25 * 3600), day=st.integers(0, 3),
       slow=st.booleans())
def test_same_earliest_arrivals_as_a_slow_dijkstra(feeds, territory, pick, dlat, dlon, depart,
                                                   day, slow):
    tt, ref = feeds[territory]
    stop = tt.stops[int(pick * len(tt.stops))]
    lat, lon, when = stop.lat + dlat, stop.lon + dlon, DAYS[territory][day]
    mps = 0.83 if slow else 1.25
    # Unbounded rounds: the reference does not count transfers.
    reach = tt.reach(lat, lon, when, depart, horizon_s=2700, walk_mps=mps, max_transfers=40)
    expected = ref.earliest(lat, lon, when, depart, 2700, walk_mps=mps)
    assert arrivals(reach, len(tt.stops)) == expected
    for i, time_s in expected.items():       # the legs add up to the arrival, in order
        legs = reach.at_stop(i).legs
        assert legs[0].depart_s == depart and legs[-1].arrive_s == time_s
        assert all(a.arrive_s <= b.depart_s for a, b in zip(legs, legs[1:]))


def test_fewer_rounds_never_arrive_earlier(feeds):
    """With at most one change, arrivals are never earlier than the unbounded earliest ones."""
    tt, ref = feeds["grenoble"]
    origin = next(s for s in tt.stops if s.id == "VICTHUGO")
    expected = ref.earliest(origin.lat, origin.lon, date(2023, 5, 2), 8 * 3600)
    bounded = tt.reach(origin.lat, origin.lon, date(2023, 5, 2), 8 * 3600, max_transfers=1)
    got = arrivals(bounded, len(tt.stops))
    assert set(got) <= set(expected) and all(got[i] >= expected[i] for i in got)
    assert any(got.get(i, 10 ** 9) > expected[i] for i in expected)   # a second change helps
    assert all(bounded.at_stop(i).transfers <= 1 for i in got)
