"""A feed's timetable over memory-mapped arrays: stops, lines, calendar, departures, first/last."""
from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np

from . import raptor
from .build import NO_PICKUP
from .model import Departure, Feed, Route, Stop
from .walk import distances_m

DAY = 86400
KIND_ORDER = {"tram": 0, "rail": 1, "bus": 2, "on_demand": 3, "school": 4, "other": 5}


def _name_key(route: Route):
    """Trams first, then buses...; within a kind, natural order of short names ("2" < "12")."""
    parts = re.findall(r"\d+|\D+", route.short_name)
    return (KIND_ORDER.get(route.kind, 9),
            [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


class Timetable:
    """One territory's timetable; cheap to query, never parsed from text after the build."""

    def __init__(self, arrays: dict, meta: dict, feed: Feed):
        # Plain ndarray views of the mapped files: same shared pages, no np.memmap overhead.
        self.a, self.meta = {k: np.asarray(v) for k, v in arrays.items()}, meta
        self.first_day = date.fromisoformat(meta["first_day"])
        self.n_days = int(arrays["service_days"].shape[1])
        self.feed = feed
        lat, lon = arrays["stop_lat"], arrays["stop_lon"]
        self.stops = [Stop(i, sid, name, commune, float(lat[i]), float(lon[i]))
                      for i, (sid, name, commune) in enumerate(meta["stops"])]
        self.routes = [Route(**r) for r in meta["routes"]]
        self.trip_ids = [t[0] for t in meta["trips"]]
        self.headsigns = [t[1] for t in meta["trips"]]
        self.lat, self.lon = np.asarray(lat), np.asarray(lon)
        self.folder = None                    # where the arrays live (set by the registry)

    # Stops and lines ---------------------------------------------------------------------------
    def stop(self, index: int) -> Stop:
        """The station at this index (IndexError when unknown)."""
        if not 0 <= index < len(self.stops):
            raise IndexError(index)
        return self.stops[index]

    def nearest_stops(self, lat: float, lon: float, k: int = 4, max_m: float = 800):
        """[(Stop, walking metres)] nearest first, within max_m of estimated walk."""
        d = distances_m(lat, lon, self.lat, self.lon)
        near = np.flatnonzero(d <= max_m)
        near = near[np.argsort(d[near], kind="stable")][:k]
        return [(self.stops[i], int(round(d[i]))) for i in near]

    def routes_at(self, stop_index: int) -> list[Route]:
        """Lines serving a station, trams first then by short name."""
        ptr = self.a["rs_ptr"]
        found = [self.routes[r] for r in self.a["rs_route"][ptr[stop_index]:ptr[stop_index + 1]]]
        return sorted(found, key=_name_key)

    @property
    def routes_known(self) -> str:
        """"all" from stop_times; "termini" when only headsigns name the stops (no stop_times)."""
        return "all" if self.feed.has_times else "termini"

    # Calendar ----------------------------------------------------------------------------------
    def _day(self, day: date) -> int | None:
        offset = (day - self.first_day).days
        return offset if 0 <= offset < self.n_days else None

    def service_on(self, day: date) -> bool:
        """True when at least one trip runs that service day."""
        i = self._day(day)
        return i is not None and bool(self.a["day_trips"][i] > 0)

    def trips_on(self, day: date) -> int:
        """Number of trips running that service day."""
        i = self._day(day)
        return 0 if i is None else int(self.a["day_trips"][i])

    def typical_day(self, weekday: int | None = None) -> date:
        """The feed's busiest Tuesday (or given weekday, 0 = Monday); earliest on a tie."""
        counts = np.asarray(self.a["day_trips"])
        wd = 1 if weekday is None else weekday
        offsets = [i for i in range(self.n_days)
                   if (self.first_day + timedelta(days=i)).weekday() == wd]
        if not offsets or counts[offsets].max() == 0:
            offsets = list(range(self.n_days))
        best = max(offsets, key=lambda i: (counts[i], -i))
        return self.first_day + timedelta(days=best)

    def active_trips(self, day: date) -> np.ndarray:
        """Boolean per trip: runs on that service day."""
        i = self._day(day)
        if i is None:
            return np.zeros(len(self.trip_ids), dtype=bool)
        return self.a["service_days"][:, i][self.a["trip_service"]].astype(bool)

    # Departures --------------------------------------------------------------------------------
    def _boardings(self, stop_index: int, day: date):
        """(times on day's clock, trip indexes) of boardings at a station, both service days that
        reach into this day (yesterday's trips past 24:00 run this morning)."""
        ptr = self.a["by_stop_ptr"]
        evs = np.asarray(self.a["by_stop_ev"][ptr[stop_index]:ptr[stop_index + 1]])
        if not len(evs):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        ok = (self.a["ev_flags"][evs] & NO_PICKUP) == 0
        evs = evs[ok]
        trips = self.a["ev_trip"][evs].astype(np.int64)
        dep = self.a["ev_dep"][evs].astype(np.int64)
        today, yesterday = self.active_trips(day), self.active_trips(day - timedelta(days=1))
        a, b = today[trips], yesterday[trips] & (dep >= DAY)
        times = np.concatenate([dep[a], dep[b] - DAY])
        which = np.concatenate([trips[a], trips[b]])
        order = np.argsort(times, kind="stable")
        return times[order], which[order]

    def departures(self, stop_index: int, day: date, after_s: int, limit: int = 6):
        """The next departures from a station at or after after_s (empty when none)."""
        times, trips = self._boardings(stop_index, day)
        start = int(np.searchsorted(times, after_s))
        route = self.a["trip_route"]
        return [Departure(self.routes[route[t]], self.headsigns[t], int(s), self.trip_ids[t])
                for s, t in zip(times[start:start + limit], trips[start:start + limit])]

    def first_last(self, stop_index: int, day: date) -> dict[str, tuple[int, int]]:
        """Per route id: first and last boarding time of that service day (may be ≥ 86400)."""
        ptr = self.a["by_stop_ptr"]
        evs = np.asarray(self.a["by_stop_ev"][ptr[stop_index]:ptr[stop_index + 1]])
        evs = evs[(self.a["ev_flags"][evs] & NO_PICKUP) == 0]
        trips = self.a["ev_trip"][evs]
        run = self.active_trips(day)[trips]
        out: dict[str, tuple[int, int]] = {}
        for r, t in zip(self.a["trip_route"][trips[run]], self.a["ev_dep"][evs[run]]):
            rid = self.routes[r].id
            first, last = out.get(rid, (t, t))
            out[rid] = (int(min(first, t)), int(max(last, t)))
        return out

    # Reachability ------------------------------------------------------------------------------
    def reach(self, lat: float, lon: float, day: date, depart_s: int, horizon_s: int = 3600,
              walk_mps: float = 1.25, max_walk_m: float = 1000, max_transfers: int = 4,
              change_s: int = raptor.CHANGE_S):
        """Earliest arrivals from a point (RAPTOR rounds over the arrays, see raptor.py)."""
        return raptor.reach(self, lat, lon, day, depart_s, horizon_s, walk_mps, max_walk_m,
                            max_transfers, change_s)
