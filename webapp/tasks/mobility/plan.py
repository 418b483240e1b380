"""For each known place: the nearest stops, their lines, next and first/last departures, warnings."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import format_date, format_time, gettext as _, lazy_gettext as _l

from .profile import DETOUR, Known, Profile

STOPS_PER_PLACE = 3
STOP_RADIUS_M = 800
DEPARTURES = 4
EARLY_S = 6 * 3600 + 30 * 60       # a first departure after 06:30 is worth a warning
LATE_S = 21 * 3600                 # a last departure before 21:00 too

DAY_MESSAGES = {
    "outside": _l("Ce jour est hors de la période des horaires que nous avons. Les horaires "
                  "montrés sont ceux d'un jour type du réseau."),
    "no_service": _l("Aucun bus ni tram ne circule ce jour-là dans les horaires que nous avons. "
                     "Les horaires montrés sont ceux d'un jour type du réseau."),
    "bad_day": _l("Cette date n'est pas lisible (format attendu : 2023-04-18). Les horaires "
                  "montrés sont ceux d'un jour type du réseau."),
    "bad_time": _l("Cette heure n'est pas lisible (format attendu : 08:30). L'heure montrée est "
                   "08:00."),
}


def hhmm(seconds: int) -> str:
    """"08:05" in French, "8:05 AM" in English (Babel's short time of the page's language); a
    time past midnight of the service day keeps its clock reading ("00:40")."""
    minutes = seconds // 60
    return format_time(time(minutes // 60 % 24, minutes % 60), "short")


def late_clock(seconds: int) -> str:
    """hhmm(), saying "after midnight" for a time of the next morning (a night trip's 25:10)."""
    text = hhmm(seconds)
    return _("%(time)s (après minuit)", time=text) if seconds >= 86400 else text


def long_day(day: date) -> str:
    """"mardi 18 avril 2023", in the page's language: a timetable's day needs its weekday."""
    return format_date(day, "full")


def walk_minutes(metres: float, mps: float) -> int:
    """Whole minutes on foot for a distance already counted as walked (detour included)."""
    return max(1, math.ceil(metres / mps / 60))


def direct_minutes(metres: float, mps: float) -> int:
    """Whole minutes for a straight-line distance, with the usual 1.3 detour."""
    return walk_minutes(metres * DETOUR, mps)


@dataclass
class When:
    """The day and time the plan is computed for, and why it may differ from the one asked."""

    day: date
    time_s: int
    asked: str                 # the day as typed, echoed in the form
    clock: str                 # "08:00"
    notes: list[str] = field(default_factory=list)
    typical: bool = False


def choose_when(tt, form, today: datetime) -> When:
    """The asked day and time (default: now), moved to the feed's typical day when needed."""
    notes: list[str] = []
    clock = (form.get("heure") or today.strftime("%H:%M"))[:5]
    try:
        hours, minutes = (int(x) for x in clock.split(":"))
        if not (0 <= hours < 24 and 0 <= minutes < 60):
            raise ValueError(clock)
    except ValueError:
        notes.append("bad_time")
        hours, minutes, clock = 8, 0, "08:00"
    asked = (form.get("jour") or "")[:10]
    try:
        day = date.fromisoformat(asked) if asked else today.date()
    except ValueError:
        notes.append("bad_day")
        day = today.date()
    when = When(day, hours * 3600 + minutes * 60, asked or day.isoformat(), clock, notes)
    if tt is None or not tt.feed.has_times:
        return when
    feed = tt.feed
    if not feed.valid_from <= day <= feed.valid_to:
        reason = "outside"
    elif not tt.service_on(day):
        reason = "no_service"
    else:
        return when
    if "bad_day" not in notes:
        notes.append(reason)
    when.day, when.typical = tt.typical_day(day.weekday()), True
    return when


@dataclass
class StopRow:
    """A stop near a known place: how far on foot, its lines, its departures."""

    stop: object
    minutes: int
    routes: list
    departures: list
    first_last: dict


@dataclass
class PlaceRow:
    """A known place with its stops and warnings."""

    index: int
    known: Known
    stops: list[StopRow]
    first_s: int | None = None
    last_s: int | None = None

    @property
    def early(self) -> bool:
        """No departure near this place before 06:30."""
        return self.first_s is not None and self.first_s > EARLY_S

    @property
    def late(self) -> bool:
        """Nothing leaves near this place after 21:00."""
        return self.last_s is not None and self.last_s < LATE_S


def place_rows(tt, profile: Profile, when: When) -> list[PlaceRow]:
    """Stops, lines and departures near every known place (empty stops without a timetable)."""
    rows = []
    for i, known in enumerate(profile.places):
        stops = []
        if tt is not None:
            for stop, metres in tt.nearest_stops(known.lat, known.lon, k=STOPS_PER_PLACE,
                                                 max_m=STOP_RADIUS_M):
                times = tt.feed.has_times
                stops.append(StopRow(
                    stop, walk_minutes(metres, profile.walk_mps), tt.routes_at(stop.index),
                    tt.departures(stop.index, when.day, when.time_s, DEPARTURES) if times else [],
                    tt.first_last(stop.index, when.day) if times else {}))
        firsts = [f for s in stops for f, _ in s.first_last.values()]
        lasts = [last for s in stops for _, last in s.first_last.values()]
        rows.append(PlaceRow(i, known, stops, min(firsts, default=None), max(lasts, default=None)))
    return rows
