"""GTFS zip -> compact numpy arrays, built once per feed snapshot (see docs/transit.md)."""
from __future__ import annotations

import time
from datetime import timedelta

import numpy as np

from ..sources.formats import PayloadError
from . import colors
from .gtfs import GtfsZip, parse_date, parse_time
from .walk import footpaths

MAX_DAYS = 400            # calendars running to 2099 are cut: a timetable is never planned that far
NO_PICKUP, NO_DROPOFF = 1, 2


def _stations(feed: GtfsZip, names):
    """Stations (parent_station grouping) and the station index of every stop id."""
    cols = ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station",
            "stop_desc"]
    rows = list(feed.rows("stops", cols, required=("stop_id",)))
    parent_of, stations, index, skipped = {}, [], {}, 0
    by_id = {r[0]: r for r in rows}
    for sid, name, lat, lon, ltype, parent, desc in rows:
        if ltype in ("", "0", "2", "3", "4") and parent and parent in by_id:
            parent_of[sid] = parent
            continue
        if ltype not in ("", "0", "1"):
            continue                  # an entrance or node without parent: nowhere to board
        try:
            la, lo = float(lat), float(lon)
        except ValueError:
            skipped += 1
            continue
        if not (-90 <= la <= 90 and -180 <= lo <= 180) or (la == 0 and lo == 0):
            skipped += 1
            continue
        label, commune = names({"stop_name": name, "stop_desc": desc, "stop_id": sid})
        index[sid] = len(stations)
        stations.append((sid, label or name or sid, commune, la, lo))
    for sid, parent in parent_of.items():
        while parent in parent_of:            # a boarding area under a quay under a station
            parent = parent_of[parent]
        if parent in index:
            index[sid] = index[parent]
    if not stations:
        raise PayloadError("GTFS: no usable stop")
    return stations, index, skipped


def _routes(feed: GtfsZip):
    """Route records with readable colours, and the index of every route id."""
    cols = ["route_id", "route_short_name", "route_long_name", "route_type", "route_color",
            "route_text_color"]
    routes, index = [], {}
    for rid, short, long_, rtype, color, text in feed.rows("routes", cols, ("route_id",)):
        color, text = colors.readable_pair(color, text)
        index[rid] = len(routes)
        routes.append({"id": rid, "short_name": short or long_ or rid, "long_name": long_,
                       "color": color, "text_color": text, "kind": colors.kind(rtype, long_)})
    if not routes:
        raise PayloadError("GTFS: no route")
    return routes, index


def _calendar(feed: GtfsZip, service_ids: list[str]):
    """Service x day matrix from calendar.txt and/or calendar_dates.txt (additions, removals)."""
    weekly, changes = [], []
    if feed.has("calendar"):
        cols = ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                "sunday", "start_date", "end_date"]
        for row in feed.rows("calendar", cols, ("service_id", "start_date", "end_date")):
            weekly.append((row[0], [d == "1" for d in row[1:8]], parse_date(row[8]),
                           parse_date(row[9])))
    if feed.has("calendar_dates"):
        for sid, day, kind in feed.rows("calendar_dates", ["service_id", "date", "exception_type"],
                                        ("service_id", "date", "exception_type")):
            changes.append((sid, parse_date(day), kind))
    days = [d for _, _, a, b in weekly for d in (a, b)] + [d for _, d, _ in changes]
    if not days:
        raise PayloadError("GTFS: no calendar")
    first = min(days)
    last = min(max(days), first + timedelta(days=MAX_DAYS - 1))
    n_days = (last - first).days + 1
    sindex = {s: i for i, s in enumerate(service_ids)}
    matrix = np.zeros((len(service_ids), n_days), dtype=np.uint8)
    for sid, weekdays, start, end in weekly:
        if sid not in sindex:
            continue
        for offset in range(max((start - first).days, 0), min((end - first).days, n_days - 1) + 1):
            if weekdays[(first + timedelta(days=offset)).weekday()]:
                matrix[sindex[sid], offset] = 1
    for sid, day, kind in changes:
        offset = (day - first).days
        if sid in sindex and 0 <= offset < n_days:
            matrix[sindex[sid], offset] = 1 if kind == "1" else 0
    return first, matrix


def _stop_times(feed: GtfsZip, trip_index: dict, stop_index: dict):
    """Events sorted by trip then stop_sequence: station, arrival, departure, flags, trip."""
    cols = ["trip_id", "stop_id", "arrival_time", "departure_time", "stop_sequence",
            "pickup_type", "drop_off_type"]
    trips, stops, seqs, arrs, deps, flags = [], [], [], [], [], []
    seconds: dict[str, int] = {}              # a feed repeats few distinct times: parse each once
    for tid, sid, arr, dep, seq, pick, drop in feed.rows(
            "stop_times", cols, ("trip_id", "stop_id", "stop_sequence")):
        t, s = trip_index.get(tid), stop_index.get(sid)
        if t is None or s is None:
            continue
        a = seconds.get(arr)
        if a is None:
            a = seconds[arr] = parse_time(arr)
        d = seconds.get(dep)
        if d is None:
            d = seconds[dep] = parse_time(dep)
        trips.append(t), stops.append(s), arrs.append(a if a >= 0 else d)
        deps.append(d if d >= 0 else a)
        try:
            seqs.append(int(seq))
        except ValueError as exc:
            raise PayloadError("GTFS: bad stop_sequence") from exc
        flags.append((NO_PICKUP if pick == "1" else 0) | (NO_DROPOFF if drop == "1" else 0))
    trip = np.asarray(trips, dtype=np.int32)
    order = np.lexsort((np.asarray(seqs, dtype=np.int64), trip))
    ev = {"ev_trip": trip[order], "ev_stop": np.asarray(stops, dtype=np.int32)[order],
          "ev_arr": np.asarray(arrs, dtype=np.int32)[order],
          "ev_dep": np.asarray(deps, dtype=np.int32)[order],
          "ev_flags": np.asarray(flags, dtype=np.uint8)[order]}
    _interpolate(ev)
    return ev


def _interpolate(ev: dict) -> None:
    """Untimed intermediate stops (-1) get times interpolated between their timed neighbours."""
    arr, dep = ev["ev_arr"], ev["ev_dep"]
    missing = arr < 0
    if not missing.any():
        return
    idx = np.arange(len(arr))
    timed = ~missing
    arr[missing] = np.interp(idx[missing], idx[timed], arr[timed]).astype(np.int32)
    dep[missing] = arr[missing]


def build(payload: bytes, names=lambda r: (r["stop_name"], None)) -> tuple[dict, dict]:
    """(arrays, meta) for one GTFS zip; PayloadError when it is not a usable feed."""
    started = time.perf_counter()
    feed = GtfsZip(payload)
    stations, stop_index, skipped_stops = _stations(feed, names)
    routes, route_index = _routes(feed)
    trip_rows = [r for r in feed.rows("trips", ["trip_id", "route_id", "service_id",
                                                "trip_headsign"], ("trip_id", "route_id"))
                 if r[1] in route_index]
    service_ids = sorted({r[2] for r in trip_rows})
    first_day, matrix = _calendar(feed, service_ids)
    sindex = {s: i for i, s in enumerate(service_ids)}
    has_times = feed.has("stop_times")
    trip_index = {r[0]: i for i, r in enumerate(trip_rows)}
    n_trips, n_stations = len(trip_rows), len(stations)
    if has_times:
        ev = _stop_times(feed, trip_index, stop_index)
        if not len(ev["ev_trip"]):
            raise PayloadError("GTFS: stop_times.txt matches no trip")
    else:
        ev = {k: np.zeros(0, dtype=t) for k, t in (("ev_trip", np.int32), ("ev_stop", np.int32),
              ("ev_arr", np.int32), ("ev_dep", np.int32), ("ev_flags", np.uint8))}
    arrays = {**ev, **_derived(ev, n_trips, n_stations)}
    trip_route = np.array([route_index[r[1]] for r in trip_rows], dtype=np.int32)
    trip_service = np.array([sindex[r[2]] for r in trip_rows], dtype=np.int32)
    if has_times:      # trips without stop_times never run: they must not count as service
        timed = arrays["trip_ptr"][1:] > arrays["trip_ptr"][:-1]
    else:
        timed = np.ones(n_trips, dtype=bool)
    day_trips = np.bincount(trip_service[timed], minlength=len(service_ids)) @ matrix \
        if n_trips else np.zeros(matrix.shape[1], dtype=np.int64)
    lat = np.array([s[3] for s in stations], dtype=np.float64)
    lon = np.array([s[4] for s in stations], dtype=np.float64)
    fp_ptr, fp_to, fp_m = footpaths(lat, lon)
    rs_ptr, rs_route = _routes_at(arrays, trip_route, n_stations, stations, trip_rows, route_index,
                                  has_times)
    arrays.update(trip_route=trip_route, trip_service=trip_service, service_days=matrix,
                  day_trips=day_trips.astype(np.int32), stop_lat=lat, stop_lon=lon,
                  fp_ptr=fp_ptr, fp_to=fp_to, fp_m=fp_m, rs_ptr=rs_ptr, rs_route=rs_route)
    served = np.flatnonzero(day_trips > 0)
    if not len(served):
        raise PayloadError("GTFS: no trip runs on any day of the calendar")
    meta = {"first_day": first_day.isoformat(), "has_times": has_times,
            "valid_from": (first_day + timedelta(days=int(served[0]))).isoformat(),
            "valid_to": (first_day + timedelta(days=int(served[-1]))).isoformat(),
            "stops": [[s[0], s[1], s[2]] for s in stations], "routes": routes,
            "trips": [[r[0], r[3]] for r in trip_rows], "services": service_ids,
            "skipped_stops": skipped_stops, "stop_times": int(len(ev["ev_trip"])),
            "build_seconds": round(time.perf_counter() - started, 3)}
    return arrays, meta


def _derived(ev: dict, n_trips: int, n_stations: int) -> dict:
    """Trip ranges, first/last times, end-of-trip flags and events per station sorted by time."""
    trip = ev["ev_trip"]
    trip_ptr = np.zeros(n_trips + 1, dtype=np.int32)
    np.cumsum(np.bincount(trip, minlength=n_trips), out=trip_ptr[1:])
    n = len(trip)
    if n:
        first, last = trip_ptr[:-1], trip_ptr[1:] - 1
        has = trip_ptr[1:] > trip_ptr[:-1]
        # Nobody boards at a trip's last stop nor alights at its first.
        ev["ev_flags"][last[has]] |= NO_PICKUP
        ev["ev_flags"][first[has]] |= NO_DROPOFF
        trip_first = np.where(has, ev["ev_dep"][np.minimum(first, n - 1)], -1).astype(np.int32)
        trip_last = np.where(has, ev["ev_arr"][np.maximum(last, 0)], -1).astype(np.int32)
    else:
        trip_first = trip_last = np.full(n_trips, -1, dtype=np.int32)
    by_stop = np.lexsort((ev["ev_dep"], ev["ev_stop"])).astype(np.int32)
    stop_ptr = np.zeros(n_stations + 1, dtype=np.int32)
    np.cumsum(np.bincount(ev["ev_stop"], minlength=n_stations), out=stop_ptr[1:])
    return {"trip_ptr": trip_ptr, "trip_first": trip_first, "trip_last": trip_last,
            "by_stop_ev": by_stop, "by_stop_ptr": stop_ptr}


def _routes_at(arrays, trip_route, n_stations, stations, trip_rows, route_index, has_times):
    """Station -> routes serving it (CSR); without stop_times, only termini named by headsigns."""
    if has_times:
        pairs = np.unique(np.stack([arrays["ev_stop"].astype(np.int64),
                                    trip_route[arrays["ev_trip"]].astype(np.int64)]), axis=1)
        stop, route = pairs[0], pairs[1]
    else:
        by_name: dict[str, list[int]] = {}
        for i, s in enumerate(stations):
            by_name.setdefault(s[1].casefold(), []).append(i)
        found = {(i, route_index[r[1]]) for r in trip_rows
                 for i in by_name.get(r[3].casefold(), [])}
        stop = np.array(sorted(p[0] for p in found), dtype=np.int64)
        route = np.array([p[1] for p in sorted(found)], dtype=np.int64)
    ptr = np.zeros(n_stations + 1, dtype=np.int32)
    np.cumsum(np.bincount(stop, minlength=n_stations), out=ptr[1:])
    return ptr, route.astype(np.int32)
