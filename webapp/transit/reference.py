"""A slow, independent earliest-arrival search for tests and the benchmark baseline.

It reads the raw GTFS rows (not the arrays), evaluates the calendar itself, and runs a plain
Dijkstra over the time-expanded graph of one day's window in pure Python, under the same model
as raptor.py: walk from the origin to stations within max_walk_m, ride trips, footpaths (the
timetable's ≤ 400 m list) only after a ride, horizon cut. Never used by the pages."""
from __future__ import annotations

import heapq
import math
from datetime import date, timedelta

import numpy as np

from .gtfs import GtfsZip, parse_date, parse_time
from .walk import distances_m

DAY = 86400


class RawFeed:
    """The raw rows of a feed, grouped by trip, with station indexes from a Timetable."""

    def __init__(self, payload: bytes, tt):
        feed = GtfsZip(payload)
        parent = {r[0]: r[1] for r in feed.rows("stops", ["stop_id", "parent_station"])}
        index = {s.id: s.index for s in tt.stops}
        self.station = {sid: index.get(parent[sid] if parent[sid] in index else sid)
                        for sid in parent}
        self.trip_service = {t: s for t, s in feed.rows("trips", ["trip_id", "service_id"])}
        self.weekly = {}
        if feed.has("calendar"):
            for row in feed.rows("calendar", ["service_id", "monday", "tuesday", "wednesday",
                                              "thursday", "friday", "saturday", "sunday",
                                              "start_date", "end_date"]):
                self.weekly[row[0]] = (row[1:8], parse_date(row[8]), parse_date(row[9]))
        self.changes = {}
        if feed.has("calendar_dates"):
            for sid, day, kind in feed.rows("calendar_dates", ["service_id", "date",
                                                               "exception_type"]):
                self.changes[(sid, parse_date(day))] = kind
        self.trips: dict[str, list] = {}
        for tid, sid, arr, dep, seq, pick, drop in feed.rows("stop_times", [
                "trip_id", "stop_id", "arrival_time", "departure_time", "stop_sequence",
                "pickup_type", "drop_off_type"]):
            self.trips.setdefault(tid, []).append(
                (int(seq), self.station.get(sid), parse_time(arr), parse_time(dep), pick, drop))
        for rows in self.trips.values():
            rows.sort()
        self.tt = tt

    def runs(self, service: str, day: date) -> bool:
        """calendar.txt then calendar_dates.txt, as the GTFS reference says."""
        kind = self.changes.get((service, day))
        if kind is not None:
            return kind == "1"
        weekly = self.weekly.get(service)
        return bool(weekly) and weekly[1] <= day <= weekly[2] and weekly[0][day.weekday()] == "1"

    def earliest(self, lat, lon, day: date, depart_s: int, horizon_s: int = 3600,
                 walk_mps: float = 1.25, max_walk_m: float = 1000,
                 change_s: int = 60) -> dict[int, int]:
        """{station index: earliest arrival} within the horizon."""
        t1 = depart_s + horizon_s
        boardings: dict[int, list] = {}            # station -> [(dep, rows, position)]
        for tid, rows in self.trips.items():
            for shift, service_day in ((0, day), (DAY, day - timedelta(days=1))):
                if not self.runs(self.trip_service[tid], service_day):
                    continue
                for pos, (_, station, _arr, dep, pick, _drop) in enumerate(rows[:-1]):
                    if station is not None and pick != "1" and depart_s <= dep - shift <= t1:
                        boardings.setdefault(station, []).append((dep - shift, rows, pos, shift))
        tt = self.tt
        d = distances_m(lat, lon, tt.lat, tt.lon)
        heap = [(depart_s + math.ceil(d[i] / walk_mps), int(i), "foot")
                for i in np.flatnonzero(d <= max_walk_m)]
        heapq.heapify(heap)
        best: dict[int, int] = {}
        done = set()
        fp_ptr, fp_to, fp_m = tt.a["fp_ptr"], tt.a["fp_to"], tt.a["fp_m"]
        while heap:
            time_s, station, mode = heapq.heappop(heap)
            if time_s > t1 or (station, mode) in done:
                continue
            done.add((station, mode))
            best[station] = min(best.get(station, time_s), time_s)
            ready = time_s + change_s if mode == "ride" else time_s
            for dep, rows, pos, shift in boardings.get(station, ()):
                if dep < ready:
                    continue
                for _, nxt, arr, _, _, drop in rows[pos + 1:]:
                    if nxt is not None and drop != "1" and arr - shift <= t1:
                        heapq.heappush(heap, (arr - shift, nxt, "ride"))
            if mode == "ride":
                for j in range(fp_ptr[station], fp_ptr[station + 1]):
                    heapq.heappush(heap, (time_s + int(math.ceil(fp_m[j] / walk_mps)),
                                          int(fp_to[j]), "foot"))
        return best
