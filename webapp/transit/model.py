"""The engine's answers as frozen dataclasses (contract and details: docs/transit.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Feed:
    """Where a timetable comes from and the dates it covers."""

    title: str
    publisher: str
    licence: str
    attribution: str
    url: str
    page: str
    valid_from: date
    valid_to: date
    has_times: bool          # False: stops, lines and trips only (Clermont's copy)
    fetched_at: str | None
    origin: str              # "refreshed" or "embedded"


@dataclass(frozen=True)
class Missing:
    """A territory without a timetable: the feed its network could publish or link."""

    territory: str
    feed_name: str
    publisher: str
    url: str
    page: str
    note: str


@dataclass(frozen=True)
class Stop:
    """A station: quays grouped under their parent_station; a quay without parent stands alone."""

    index: int
    id: str
    name: str
    commune: str | None
    lat: float
    lon: float


@dataclass(frozen=True)
class Route:
    """A line, with a text colour the engine made readable on its colour (AA, ≥ 4.5:1)."""

    id: str
    short_name: str
    long_name: str
    color: str
    text_color: str
    kind: str                # tram, bus, school, on_demand, rail, other


@dataclass(frozen=True)
class Departure:
    """A vehicle leaving a stop (time in seconds after midnight of the chosen day)."""

    route: Route
    headsign: str
    time_s: int
    trip_id: str


@dataclass(frozen=True)
class Leg:
    """One part of a journey: a walk, or a ride on one trip."""

    kind: str                # "walk" or "ride"
    from_name: str
    to_name: str
    depart_s: int
    arrive_s: int
    route: Route | None = None
    headsign: str = ""
    stops: int = 0           # for a ride: number of stops travelled (hops)
    trip_id: str = ""


@dataclass(frozen=True)
class Arrival:
    """The earliest arrival somewhere, with the journey that gives it."""

    time_s: int
    duration_s: int
    transfers: int
    walk_only: bool
    legs: list[Leg] = field(default_factory=list, hash=False, compare=False)
