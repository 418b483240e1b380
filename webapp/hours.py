"""Opening hours, one model for every source: OSM `opening_hours` strings and per-day fields.

Per-day fields ("9H30 - 17H", "Fermé") are translated into an OSM expression, so one parser
(the maintained `opening-hours-py`) answers every question. Anything not stated is *unknown*,
never open: the expression always starts with "24/7 unknown" before the published rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

TZ = ZoneInfo("Europe/Paris")
OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_TIME = r"(\d{1,2})\s*[hH:]\s*(\d{2})?"
_RANGE = re.compile(rf"{_TIME}\s*[-–—]\s*{_TIME}")
_CLOSED_WORDS = {"fermé", "ferme", "fermée", "closed", "off"}
_ALWAYS_WORDS = {"accès libre", "acces libre", "24/7", "24h/24"}
_NUM_DATE = r"(\d{1,2})/(\d{1,2})/(\d{2,4})"
_TXT_DATE = rf"(\d{{1,2}})(?:er)?\s+({'|'.join(_FR_MONTHS)})\s+(\d{{4}})"
EVENING = time(20, 0)   # "open tonight" means open at some point between 20:00 and midnight


@dataclass(frozen=True)
class Status:
    """Where a place stands at one moment, and when that changes (None: not within a year)."""

    state: str
    next_change: datetime | None = None
    comment: str = ""

    @property
    def is_open(self) -> bool:
        """True only for a published opening; unknown is never open."""
        return self.state == OPEN


@dataclass(frozen=True)
class Hours:
    """Parsed opening hours of one place (a normalised OSM expression) and the raw text."""

    expression: str
    raw: str

    def status(self, at: datetime) -> Status:
        """Open, closed or unknown at `at` (naive times are French local time)."""
        parsed, at = _compiled(self.expression), _aware(at)
        state, comment = parsed.state(at)
        return Status(_STATES[state], _local(parsed.next_change(at)), comment)

    def spans(self, day: date) -> list[tuple[time, time, str]] | None:
        """(start, end, state) of every non-closed span of a day; None when all of it is unknown."""
        start = datetime.combine(day, time(0), TZ)
        end = start + timedelta(days=1)
        rows = [(max(s, start), min(e, end), _STATES[st]) for s, e, st, _ in
                _compiled(self.expression).intervals(start, end) if _STATES[st] != CLOSED]
        if len(rows) == 1 and rows[0][2] == UNKNOWN and rows[0][0] == start and rows[0][1] == end:
            return None
        return [(_local(s).time(), _local(e).time(), st) for s, e, st in rows]

    def open_tonight(self, at: datetime) -> bool:
        """Open at some point between max(at, 20:00) and midnight of the same day."""
        at = _aware(at)
        start = max(at, datetime.combine(at.date(), EVENING, TZ))
        end = datetime.combine(at.date() + timedelta(days=1), time(0), TZ)
        return start < end and any(_STATES[st] == OPEN for _, _, st, _ in
                                   _compiled(self.expression).intervals(start, end))


_STATES = {opening_hours.State.OPEN: OPEN, opening_hours.State.CLOSED: CLOSED,
           opening_hours.State.UNKNOWN: UNKNOWN}


@lru_cache(maxsize=8192)
def _compiled(expression: str) -> opening_hours.OpeningHours:
    """Parse once per distinct expression (French public holidays known to the library).

    Changes more than 8 days away count as "none": without that bound, a period that ended
    long ago makes the library scan to year 9999 for the next change."""
    return opening_hours.OpeningHours(expression, timezone=TZ, country="FR", max_interval_days=8)


def _aware(at: datetime) -> datetime:
    """Attach French local time to a naive datetime."""
    return at.replace(tzinfo=TZ) if at.tzinfo is None else at


def _local(at: datetime | None) -> datetime | None:
    """A library datetime in French local time."""
    return at.astimezone(TZ) if at is not None else None


def parse_osm(text: str | None, raw: str | None = None) -> Hours | None:
    """An OSM opening_hours string; None when absent or not valid OSM syntax (never raises)."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return Hours(str(_compiled(text.strip()).normalize()), text if raw is None else raw)
    except Exception:  # noqa: BLE001 - the Rust parser's errors are not all documented; bad
        return None    # published hours must read as unknown, never break a page


def parse_day(text: str | None) -> str | None:
    """One day's published hours as OSM times ("09:30-17:00,18:00-20:00" or "off"); None if unclear."""
    text = (text or "").strip()
    if text.lower() in _CLOSED_WORDS:
        return "off"
    ranges = []
    for part in text.split("/"):
        match = _RANGE.fullmatch(part.strip())
        if not match:
            return None
        h1, m1, h2, m2 = (int(g or 0) for g in match.groups())
        # A span cannot start at 24:00 in OSM syntax ("24h - 2h"): unclear, so unknown.
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
            return None
        ranges.append(f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}")
    return ",".join(ranges) or None


_ALWAYS_TEXT = re.compile(r"24\s*h?\s*/\s*24(\s*h)?|24\s*h\s*sur\s*24|24/7")
_SEPARATOR = re.compile(rf"^\s*{_TIME}\s*(?:/|à|a)\s*{_TIME}\s*$")


def from_text(text: str | None) -> str | None:
    """One free-text daily span ("6 h - 22 h", "24 h / 24", "10h/18h", "10h à 22h") as an OSM
    expression every day; None when it cannot be read ("Voir fiche équipement"): unknown."""
    text = " ".join((text or "").lower().split())
    if not text:
        return None
    if _ALWAYS_TEXT.fullmatch(text):
        return "24/7"
    match = _SEPARATOR.match(text)     # "10h/18h", "10h à 22h": one span, not two times
    if match:
        text = "{}h{} - {}h{}".format(*(g or "" for g in match.groups()))
    spec = parse_day(text)
    return f"Mo-Su {spec}" if spec and spec != "off" else None


def _osm_date(day: date) -> str:
    """2025-09-08 -> "2025 Sep 08"."""
    return f"{day.year} {_MONTHS[day.month - 1]} {day.day:02d}"


def _date(d: str, m: str, y: str) -> date | None:
    """A date from day, month (number or French name) and a 2- or 4-digit year."""
    month = _FR_MONTHS.index(m) + 1 if m in _FR_MONTHS else int(m)
    year = int(y) + 2000 if len(y) == 2 else int(y)
    if not 1900 <= year <= 9999:     # the parser knows no year before 1900 ("01/01/999")
        return None
    try:
        return date(year, month, int(d))
    except ValueError:
        return None


def parse_period(text: str | None) -> tuple[date | None, date | None] | None:
    """(first, last) day of a published validity period; (None, None) when the text sets none.

    Returns None for a period we cannot place in time ("Du 28 juillet au 22 août", closures):
    hours under such a period are unknown rather than guessed."""
    text = " ".join((text or "").lower().split())
    if not re.search(r"\d", text):
        return None, None            # "Horaires d'ouverture du parc", "Accès libre": no dates
    for pattern in (_NUM_DATE, _TXT_DATE):
        both = re.fullmatch(rf"du {pattern} au {pattern}", text)
        if both:
            first, last = _date(*both.groups()[:3]), _date(*both.groups()[3:])
            return (first, last) if first and last and first <= last else None
        since = re.fullmatch(rf"(?:à|a) partir du {pattern}", text)
        if since:
            first = _date(*since.groups())
            return (first, None) if first else None
    return None


@lru_cache(maxsize=4096)
def from_days(days: tuple[str | None, ...], period: str | None = None) -> Hours | None:
    """Hours from seven per-day fields (Monday first) and an optional validity period.

    None when nothing usable is published. Days left blank, "-" or unreadable stay unknown."""
    raw = " | ".join(f"{d}: {v}" for d, v in zip(DAYS, days) if v) + (f" ({period})" if period else "")
    if not any(days):
        always = (period or "").strip().lower() in _ALWAYS_WORDS
        return Hours("24/7", raw) if always else None
    window = parse_period(period)
    if window is None:
        return Hours("24/7 unknown", raw)
    prefix = ""
    if window != (None, None):
        first, last = window
        prefix = f"{_osm_date(first)}-{_osm_date(last) if last else '2099 Dec 31'} "
    rules = ["24/7 unknown"] + [f"{prefix}{osm} {spec}" for osm, spec in
                                zip(_OSM_DAYS, map(parse_day, days)) if spec]
    return parse_osm("; ".join(rules), raw) or Hours("24/7 unknown", raw)


def of_place(place) -> Hours | None:
    """A Place's hours: an OSM string in `hours`, else per-day attrs hours_mo…hours_su (+ period)."""
    if place.hours:
        return parse_osm(place.hours) or Hours("24/7 unknown", place.hours)
    attrs = place.attrs
    days = tuple(attrs.get(f"hours_{d}") for d in DAYS)
    return from_days(days, attrs.get("hours_period"))
