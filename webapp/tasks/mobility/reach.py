"""What can be reached from one known place: known places and every opportunity our data has."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ...geo import haversine_m
from .profile import BIKE_MPS, Known, Profile
from .plan import When, direct_minutes

HORIZONS = (30, 45, 60)
PER_BAND = 25                 # rows shown per band; the rest are counted
# Places people go to (services, cool rooms, drop-off centres), not street furniture: bike racks,
# fountains and glass bins would bury them by the thousand.
OPPORTUNITIES = frozenset({
    "bike_service", "bike_rental", "bike_share", "cool_room", "cool_place", "park", "swim",
    "shower", "activity", "recycling_centre", "reuse", "pharmacy", "hazardous", "electrical",
    "stop_area", "public_building", "town_hall", "library", "social_service",
})


@dataclass(frozen=True)
class Target:
    """Somewhere to go: a name, a category, a point."""

    id: str
    name: str
    category: str
    context: str | None
    lat: float
    lon: float
    named: bool = False       # a gazetteer place (a stop, a named spot) rather than a service


@dataclass(frozen=True)
class Trip:
    """How long to reach a target from the origin, by each mode the person uses."""

    target: Target
    minutes: int                      # the best of the modes
    transit: object | None = None     # the engine's Arrival, when it rides
    transit_minutes: int | None = None
    bike_minutes: int | None = None
    walk_minutes: int | None = None

    @property
    def geo_uri(self) -> str:
        """The destination only, for the phone's maps app (never the origin)."""
        point = f"{self.target.lat:.6f},{self.target.lon:.6f}"
        return f"geo:{point}?q={point}({quote(self.target.name, safe='')})"

    @property
    def osm_url(self) -> str:
        """The destination on openstreetmap.org (no route, no origin)."""
        t = self.target
        return (f"https://www.openstreetmap.org/?mlat={t.lat:.6f}&mlon={t.lon:.6f}"
                f"#map=18/{t.lat:.6f}/{t.lon:.6f}")


def targets(data) -> list[Target]:
    """Every place of the territory's task indexes in OPPORTUNITIES, and the gazetteer's (one per
    name within a kilometre: a station's quays and its stop area are one place to go)."""
    found: dict[str, Target] = {}
    for state in data.states.values():
        if state.dataset.gazetteer or state.dataset.task == "gazetteer":
            continue          # named places come once each from the gazetteer below
        for p in state.places:
            if p.category in OPPORTUNITIES and p.name and p.id not in found:
                found[p.id] = Target(p.id, p.name, p.category, p.attrs.get("commune"), p.lat,
                                     p.lon)
    categories = {p.id: p.category for s in data.states.values() if s.dataset.gazetteer
                  for p in s.places}
    named: dict[str, list] = {}
    for entry in sorted(data.gazetteer.entries.values(), key=lambda e: e.id):
        same = named.setdefault(entry.folded, [])
        if any(haversine_m(e.lat, e.lon, entry.lat, entry.lon) < 1000 for e in same):
            continue
        same.append(entry)
        found.setdefault(entry.id, Target(entry.id, entry.name,
                                          categories.get(entry.id, "stop_area"), entry.context,
                                          entry.lat, entry.lon, named=True))
    return list(found.values())


def trip_to(lat: float, lon: float, origin: Known, target: Target, reach, profile: Profile
            ) -> Trip | None:
    """The best way there by the person's modes; None when no mode gets there."""
    metres = haversine_m(origin.lat, origin.lon, lat, lon)
    options = {}
    arrival = reach.to_point(lat, lon) if reach is not None else None
    if arrival is not None:
        options["transit"] = max(1, round(arrival.duration_s / 60))
    if "walk" in profile.modes:
        options["walk"] = direct_minutes(metres, profile.walk_mps)
    if "bike" in profile.modes:
        options["bike"] = direct_minutes(metres, BIKE_MPS)
    if not options:
        return None
    return Trip(target, min(options.values()), arrival if "transit" in options else None,
                options.get("transit"), options.get("bike"), options.get("walk"))


def compute_reach(tt, origin: Known, when: When, profile: Profile, horizon_min: int):
    """The engine's earliest arrivals from origin, or None when transit is not an option."""
    if tt is None or not tt.feed.has_times or "transit" not in profile.modes:
        return None
    return tt.reach(origin.lat, origin.lon, when.day, when.time_s, horizon_s=horizon_min * 60,
                    walk_mps=profile.walk_mps)


def reachable(data, tt, origin: Known, when: When, profile: Profile, horizon_min: int):
    """(trips to known places, to services, to named places) within the horizon, quickest first."""
    reach = compute_reach(tt, origin, when, profile, horizon_min)
    known = []
    for i, other in enumerate(profile.places):
        if other is origin:
            continue
        target = Target(f"known-{i}", other.label or other.name, "known", other.name,
                        other.lat, other.lon)
        known.append(trip_to(other.lat, other.lon, origin, target, reach, profile))
    trips = []
    for target in targets(data):
        trip = trip_to(target.lat, target.lon, origin, target, reach, profile)
        if trip is not None and trip.minutes <= horizon_min:
            trips.append(trip)
    trips.sort(key=lambda t: (t.minutes, t.target.name, t.target.id))
    services = [t for t in trips if not t.target.named]
    named = [t for t in trips if t.target.named]
    return [k for k in known if k is not None], services, named


def bands(trips: list[Trip], horizon_min: int) -> list[tuple[int, list[Trip], int]]:
    """(limit, first rows, how many more) for 30/45/60 minutes up to the horizon."""
    out, low = [], -1
    for limit in (h for h in HORIZONS if h <= horizon_min):
        rows = [t for t in trips if low < t.minutes <= limit]
        out.append((limit, rows[:PER_BAND], max(0, len(rows) - PER_BAND)))
        low = limit
    return out
