"""Earliest arrivals by RAPTOR (Delling, Pajor, Werneck 2012), its route scan vectorised per trip.

Round k holds the best arrival at every station using at most k vehicles. RAPTOR scans each route
from the stops marked in round k-1 and hops on the earliest catchable trip; here every trip of the
time window is scanned at once with numpy: a trip is "boarded" at event i when its station was
marked in round k-1 with an arrival no later than the departure there, and every later event of
that trip becomes an alighting candidate (np.maximum.accumulate finds, for each event, the latest
boarding event before it in the same trip). Taking the minimum over all trips gives the same
labels as scanning only the earliest catchable trip of each route. Footpaths (≤ 400 m) are then
relaxed once from the stations a ride improved, as in the paper. See docs/transit.md."""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from .build import NO_DROPOFF, NO_PICKUP
from .model import Arrival, Leg
from .walk import distances_m

DAY = 86400
INF = np.int64(1) << 40
CHANGE_S = 60      # a change of vehicle at one station takes a minute (a walk already takes time)


def _window(tt, day: date, t0: int, t1: int):
    """Events of every trip running in [t0, t1] on day's clock, grouped by trip (order kept).

    Yesterday's trips that run past midnight are taken with their times minus 24 h."""
    a = tt.a
    trips, shifts = [], []
    for shift, service_day in ((0, day), (DAY, day - timedelta(days=1))):
        run = tt.active_trips(service_day) & (a["trip_first"] >= 0) \
            & (a["trip_first"] - shift <= t1) & (a["trip_last"] - shift >= t0)
        found = np.flatnonzero(run)
        trips.append(found), shifts.append(np.full(len(found), shift, dtype=np.int64))
    trips, shifts = np.concatenate(trips), np.concatenate(shifts)
    ptr = a["trip_ptr"]
    starts = ptr[trips].astype(np.int64)
    lens = ptr[trips + 1].astype(np.int64) - starts
    seg = np.repeat(np.arange(len(trips)), lens)
    events = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens) \
        + np.arange(int(lens.sum()))
    shift = np.repeat(shifts, lens)
    dep, arr = a["ev_dep"][events] - shift, a["ev_arr"][events] - shift
    # Before t0 nobody can board yet; after t1 nothing counts: a trip keeps its middle part.
    keep = (dep >= t0) & (arr <= t1)
    events, seg, dep, arr = events[keep], seg[keep], dep[keep], arr[keep]
    first = np.flatnonzero(np.concatenate(([True], seg[1:] != seg[:-1]))) if len(seg) else seg
    start = np.repeat(first, np.diff(np.concatenate((first, [len(seg)]))))
    return {"ev": events, "trip": trips[seg], "start": start,
            "stop": a["ev_stop"][events].astype(np.int64), "dep": dep, "arr": arr,
            "flags": a["ev_flags"][events]}


def _winners(stops: np.ndarray, values: np.ndarray, best: np.ndarray, improved: np.ndarray):
    """Per improved station, the position of one candidate reaching its best value."""
    hit = np.flatnonzero(improved[stops] & (values == best[stops]))
    chosen = np.full(len(best), -1, dtype=np.int64)
    chosen[stops[hit][::-1]] = hit[::-1]       # the first candidate wins (stable)
    return chosen


def _take(values: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """values[chosen] where chosen ≥ 0, else -1 (values may be empty)."""
    if not len(values):
        return np.full(len(chosen), -1, dtype=np.int64)
    return np.where(chosen >= 0, values[np.maximum(chosen, 0)], -1)


def reach(tt, lat, lon, day, depart_s, horizon_s, walk_mps, max_walk_m, max_transfers,
          change_s=CHANGE_S):
    """Run the rounds; the result keeps only this request's labels (never cached).

    Two labels per station: `tau`, the earliest arrival (what the pages show), and `ready`, the
    earliest time one can board there: a ride's arrival plus change_s, or a walk's arrival."""
    t0, t1 = int(depart_s), int(depart_s) + int(horizon_s)
    n = len(tt.stops)
    access_m = distances_m(lat, lon, tt.lat, tt.lon)
    access = access_m <= max_walk_m
    tau = np.full(n, INF, dtype=np.int64)
    tau[access] = t0 + np.ceil(access_m[access] / walk_mps).astype(np.int64)
    tau[tau > t1] = INF
    ready, marked = tau.copy(), tau < INF
    rounds = [{"time": tau.copy(), "ready": ready.copy(), "ride": np.full(n, INF),
               "walk": np.full(n, INF)}]
    w = _window(tt, day, t0, t1) if tt.feed.has_times else None
    if w is not None and len(w["ev"]):
        idx = np.arange(len(w["ev"]))
        can_board = (w["flags"] & NO_PICKUP) == 0
        can_alight = ((w["flags"] & NO_DROPOFF) == 0) & (w["arr"] <= t1)
        fp_ptr, fp_to, fp_s = tt.a["fp_ptr"], tt.a["fp_to"], np.ceil(tt.a["fp_m"] / walk_mps)
        ride_best = np.full(n, INF, dtype=np.int64)   # best arrival BY A RIDE: footpaths start
        for _ in range(max_transfers + 1):
            board = can_board & marked[w["stop"]] & (ready[w["stop"]] <= w["dep"])
            if not board.any():
                break
            last = np.maximum.accumulate(np.where(board, idx, -1))
            before = np.concatenate(([-1], last[:-1]))
            ride = can_alight & (before >= w["start"])
            cs, ca = w["stop"][ride], w["arr"][ride].astype(np.int64)
            rt = ride_best.copy()
            np.minimum.at(rt, cs, ca)
            r_imp = rt < ride_best
            ride_best = rt
            win = _winners(cs, ca, rt, r_imp)
            alight, boarded = _take(idx[ride], win), _take(before[ride], win)
            ride_val = np.where(r_imp, rt, INF)
            # Footpaths from the stations a ride reached earlier than any ride before, even when
            # a walk had reached them sooner: ride + walk is a journey, walk + walk is not.
            src = np.flatnonzero(r_imp)
            lens = (fp_ptr[src + 1] - fp_ptr[src]).astype(np.int64)
            pos = np.repeat(fp_ptr[src].astype(np.int64) - np.concatenate(
                ([0], np.cumsum(lens)[:-1])), lens) + np.arange(int(lens.sum()))
            wf, wt = np.repeat(src, lens), fp_to[pos].astype(np.int64)
            wv = rt[wf] + fp_s[pos].astype(np.int64)
            wk = np.full(n, INF, dtype=np.int64)
            np.minimum.at(wk, wt, wv)
            wk[wk > t1] = INF
            walk_from = _take(wf, _winners(wt, wv, wk, wk < INF))
            tau = np.minimum(tau, np.minimum(ride_val, wk))
            new_ready = np.minimum(ready, np.minimum(np.where(r_imp, rt + change_s, INF), wk))
            new_ready[new_ready > t1] = INF
            marked, ready = new_ready < ready, new_ready
            rounds.append({"time": tau.copy(), "ready": ready.copy(), "ride": ride_val,
                           "alight": alight, "board": boarded, "walk": wk, "from": walk_from})
            if not marked.any():
                break
    return Reach(tt, lat, lon, t0, t1, walk_mps, max_walk_m, tau, access_m, rounds, w, change_s)


class Reach:
    """Earliest arrivals from one origin; answers per stop or per point, with the legs."""

    def __init__(self, tt, lat, lon, t0, t1, walk_mps, max_walk_m, tau, access_m, rounds, w,
                 change_s):
        self.tt, self.lat, self.lon, self.t0, self.t1 = tt, lat, lon, t0, t1
        self.change_s = change_s
        self._rides = np.zeros(len(tau), dtype=np.int64)   # round of each arrival = rides taken
        for k in range(1, len(rounds)):
            self._rides[rounds[k]["time"] < rounds[k - 1]["time"]] = k
        self.walk_mps, self.max_walk_m = walk_mps, max_walk_m
        self.tau, self.access_m, self.rounds, self.w = tau, access_m, rounds, w

    def _round_of(self, stop: int, upto: int, label: str) -> int:
        """The last round ≤ upto that improved this label of the station (0: the first walk)."""
        for k in range(upto, 0, -1):
            if self.rounds[k][label][stop] < self.rounds[k - 1][label][stop]:
                return k
        return 0

    def _legs(self, stop: int) -> list[Leg]:
        """Walk back through the rounds: rides, footpaths, and the first walk."""
        tt, legs = self.tt, []
        k, change = self._round_of(stop, len(self.rounds) - 1, "time"), 0
        while k > 0:
            r = self.rounds[k]
            if r["walk"][stop] < r["ride"][stop] + change:
                origin = int(r["from"][stop])
                legs.append(Leg("walk", tt.stops[origin].name, tt.stops[stop].name,
                                int(r["ride"][origin]), int(r["walk"][stop])))
                stop = origin
            b, a = int(r["board"][stop]), int(r["alight"][stop])
            trip = int(self.w["trip"][b])
            legs.append(Leg("ride", tt.stops[int(self.w["stop"][b])].name, tt.stops[stop].name,
                            int(self.w["dep"][b]), int(self.w["arr"][a]),
                            tt.routes[tt.a["trip_route"][trip]], tt.headsigns[trip],
                            a - b, tt.trip_ids[trip]))
            stop = int(self.w["stop"][b])
            k, change = self._round_of(stop, k - 1, "ready"), self.change_s
        legs.append(Leg("walk", "", tt.stops[stop].name, self.t0,
                        int(self.rounds[0]["time"][stop])))
        return legs[::-1]

    def _arrival(self, time_s: int, stop: int | None, tail: list[Leg]) -> Arrival:
        """An Arrival whose legs are rebuilt only when read (lists of 500 stations stay cheap).

        A station improved in round k was reached with exactly k rides: its boarding station was
        marked in round k-1, and so on back to round 0."""
        rides = 0 if stop is None else int(self._rides[stop])
        legs = _Legs(lambda: (self._legs(stop) if stop is not None else []) + tail)
        return Arrival(int(time_s), int(time_s) - self.t0, max(rides - 1, 0), rides == 0, legs)

    def at_stop(self, stop_index: int) -> Arrival | None:
        """Earliest arrival at a station within the horizon, None when out of reach."""
        if not 0 <= stop_index < len(self.tau) or self.tau[stop_index] >= INF:
            return None
        return self._arrival(self.tau[stop_index], stop_index, [])

    def to_point(self, lat: float, lon: float) -> Arrival | None:
        """Best of walking straight there and (station arrival + walk), within the horizon."""
        direct_m = float(distances_m(self.lat, self.lon, np.array([lat]), np.array([lon]))[0])
        best = self.t0 + math.ceil(direct_m / self.walk_mps)
        stop, tail = None, [Leg("walk", "", "", self.t0, best)]
        egress = distances_m(lat, lon, self.tt.lat, self.tt.lon)
        ok = (egress <= self.max_walk_m) & (self.tau < INF)
        if ok.any():
            times = np.where(ok, self.tau + np.ceil(egress / self.walk_mps).astype(np.int64), INF)
            s = int(np.argmin(times))
            if times[s] < best:
                best, stop = int(times[s]), s
                tail = [Leg("walk", self.tt.stops[s].name, "", int(self.tau[s]), best)]
        return self._arrival(best, stop, tail) if best <= self.t1 else None

    def stops_within(self, seconds: int):
        """[(Stop, Arrival)] reached within seconds of the departure, earliest first."""
        hit = np.flatnonzero(self.tau <= self.t0 + seconds)
        hit = hit[np.argsort(self.tau[hit], kind="stable")]
        return [(self.tt.stops[i], self.at_stop(int(i))) for i in hit]


class _Legs(Sequence):
    """The legs of an Arrival, rebuilt from the rounds on first use."""

    def __init__(self, build):
        self._build, self._legs = build, None

    def _list(self) -> list[Leg]:
        if self._legs is None:
            self._legs = self._build()
        return self._legs

    def __getitem__(self, index):
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._list())
