"""« Au frais » results: filters read from the query string, rows with their hours, sections."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from ..geo import bearing_deg, walking_minutes
from ..heat import HeatPlan, Override
from ..hours import Hours, Status, of_place
from .results import Result

INDOOR = ("cool_room",)
WATER = ("fountain",)
TOILETS = ("toilets",)
OUTDOOR = ("shade", "misting", "swim", "shower", "activity", "park", "cool_place")
CATEGORIES = INDOOR + OUTDOOR + WATER + TOILETS
FLAGS = {"ouvert": "open_now", "gratuit": "free", "pmr": "pmr", "gourde": "refill", "lent": "slow"}
NORMAL_KMH, SLOW_KMH = 4.5, 3.0


class BadFilter(ValueError):
    """A filter value we do not understand."""


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for; an empty category set means every category."""

    categories: frozenset = frozenset()
    open_now: bool = False
    free: bool = False
    pmr: bool = False
    refill: bool = False
    slow: bool = False

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return self != Filters()

    def wants(self, category: str) -> bool:
        """Whether this category is shown."""
        return not self.categories or category in self.categories


def read_filters(args) -> Filters:
    """Parse `type` (repeatable) and the on/off flags strictly; raise BadFilter otherwise."""
    # A repeated valid value is one choice: only distinct values count, each must be known.
    types = set(args.getlist("type"))
    if not types <= set(CATEGORIES):
        raise BadFilter("type")
    flags = {}
    for param, name in FLAGS.items():
        value = args.get(param)
        if value not in (None, "", "1", "on"):
            raise BadFilter(param)
        flags[name] = value in ("1", "on")
    return Filters(frozenset(types), **flags)


@dataclass(frozen=True)
class Row(Result):
    """A result with its walking pace, its hours now and any heat-wave override."""

    speed_kmh: float = NORMAL_KMH
    hours: Hours | None = None
    status: Status | None = None
    override: Override | None = None
    tonight: bool = False

    @property
    def minutes(self) -> int:
        """Walking time at the chosen pace."""
        return walking_minutes(self.metres, self.speed_kmh)

    @property
    def state(self) -> str:
        """open / closed / unknown; a place switched off or out of service is closed."""
        if self.place.attrs.get("available") is False:
            return "closed"
        return self.status.state if self.status else "unknown"


@dataclass
class Context:
    """Everything a search needs: filters, moment, heat plan, what the data publishes."""

    filters: Filters
    at: datetime
    plan: HeatPlan
    known: set = field(default_factory=set)     # attrs published by some place: pmr, refill
    timed: set = field(default_factory=set)     # datasets that publish hours
    published: set = field(default_factory=set)  # (dataset, attr) pairs: who publishes pmr…
    hours_of: dict = field(default_factory=dict)  # id(place) -> of_place(place), per snapshot

    def hours(self, place) -> tuple[Hours | None, Override | None]:
        """Hours of place today: a heat-wave override first, else what the data says."""
        override = self.plan.override_for(place, self.at.date())
        if override:
            return override.hours, override
        found = self.hours_of.get(id(place), _MISSING)
        return (of_place(place) if found is _MISSING else found), None

    def keep(self, place) -> bool:
        """Whether place passes the visitor's filters (unknown never passes a filter it needs)."""
        f, attrs = self.filters, place.attrs
        if not f.wants(place.category) or (f.free and attrs.get("paid") is not False):
            return False
        # A dataset that publishes accessibility drops its unknowns; one that never does (the
        # cool spots beside the toilets) is not filtered to nothing for want of the field.
        if (f.pmr and (place.dataset, "pmr") in self.published and attrs.get("pmr") is not True) \
                or (f.refill and (place.dataset, "refill") in self.published
                    and attrs.get("refill") is not True):
            return False
        if f.open_now and (place.dataset in self.timed or
                           self.plan.override_for(place, self.at.date())):
            hours = self.hours(place)[0]
            return attrs.get("available") is not False and hours is not None \
                and hours.status(self.at).is_open
        return True

    def row(self, place, metres: float, bearing: float | None = None) -> Row:
        """A result row for place."""
        hours, override = self.hours(place)
        return Row(place, metres, bearing,
                   speed_kmh=SLOW_KMH if self.filters.slow else NORMAL_KMH, hours=hours, status=hours.status(self.at) if hours else None,
                   override=override, tonight=bool(hours and hours.open_tonight(self.at)))


@dataclass(frozen=True)
class Survey:
    """What a snapshot's cool places publish, worked out once per snapshot (Paris: ~3,600
    places, 14 ms, which every request paid before issue 12)."""

    known: set
    timed: set
    published: set
    hours_of: dict
    categories: frozenset = frozenset()


_MISSING = object()


def survey_of(index) -> Survey:
    """The Survey of an index's places, kept in the index's memo (dropped with its snapshot).

    "Open now" filters every place of a dataset that publishes hours (its unknowns drop out),
    and leaves the others listed as unknown: a fountain list never turns empty for want of hours."""
    if index is None:
        return Survey(set(), set(), set(), {})
    found = index.memo.get("cool.survey")
    if found is None:
        places = index.places
        # Keyed by object identity: the index keeps every place alive, so no id is reused.
        hours_of = {id(p): of_place(p) for p in places}
        known = {a for p in places for a in ("pmr", "refill") if p.attrs.get(a) is not None}
        timed = {p.dataset for p in places if hours_of[id(p)] is not None}
        found = index.memo["cool.survey"] = Survey(known, timed, publishers(places), hours_of,
                                                   frozenset(p.category for p in places))
    return found


def publishers(places) -> set:
    """(dataset, attribute) pairs: which datasets publish accessibility or bottle refill."""
    return {(p.dataset, a) for p in places for a in ("pmr", "refill") if p.attrs.get(a) is not None}


def nearest_rows(index, origin, ctx: Context, k: int, categories, where=None) -> list[Row]:
    """The k nearest places of some categories that pass the filters (and where, if given)."""
    if index is None or origin is None:
        return []
    keep = lambda p: ctx.keep(p) and (where is None or where(p))  # noqa: E731
    found = index.nearest(origin.lat, origin.lon, k, keep=keep, categories=categories)
    return [ctx.row(p, d, bearing_deg(origin.lat, origin.lon, p.lat, p.lon)) for p, d in found]


def water_rows(index, origin, ctx: Context, k: int) -> list[Row]:
    """The k nearest working fountains, plus broken ones that are nearer, marked, not hidden."""
    if index is None or origin is None or not ctx.filters.wants("fountain"):
        return []

    def fountain(broken: bool):
        return lambda p: ctx.keep(p) and (p.attrs.get("available") is False) == broken
    working = index.nearest(origin.lat, origin.lon, k, keep=fountain(False), categories=WATER)
    reach = working[-1][1] if len(working) == k else math.inf
    broken = [(p, d) for p, d in index.nearest(origin.lat, origin.lon, k, keep=fountain(True),
                                               categories=WATER) if d <= reach]
    return [ctx.row(p, d, bearing_deg(origin.lat, origin.lon, p.lat, p.lon))
            for p, d in sorted(working + broken, key=lambda pd: (pd[1], pd[0].id))]
