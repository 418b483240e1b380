"""Words for opening hours: "ferme à 18:00", "ouvre mardi à 10:00", a week of hours."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.dates import format_date, format_time
from flask_babel import get_locale

from ..translation import gettext as _


def clock(value: time) -> str:
    """A time of day in the visitor's language, never shifted to another time zone."""
    return format_time(value, "short", locale=get_locale())


def weekday(value: date) -> str:
    """"mardi", "Tuesday"."""
    return format_date(value, "EEEE", locale=get_locale())


def change_text(state: str, change: datetime | None, at: datetime) -> str | None:
    """When an open or closed place changes state, said the way people say it."""
    if change is None or state not in ("open", "closed"):
        return None
    tomorrow = at.date() + timedelta(days=1)
    if change.time() == time(0) and change.date() == tomorrow:
        return _("ferme à minuit") if state == "open" else _("ouvre à minuit")
    hour = clock(change.time())
    if change.date() == at.date():
        return _("ferme à %(time)s", time=hour) if state == "open" else \
            _("ouvre à %(time)s", time=hour)
    if change.date() == tomorrow:
        return _("ferme demain à %(time)s", time=hour) if state == "open" else \
            _("ouvre demain à %(time)s", time=hour)
    day = weekday(change.date())
    return _("ferme %(day)s à %(time)s", day=day, time=hour) if state == "open" else \
        _("ouvre %(day)s à %(time)s", day=day, time=hour)


def day_text(spans) -> str:
    """One day's spans: "10:00–18:00", "fermé", "horaires inconnus"."""
    if spans is None:
        return _("horaires inconnus")
    if not spans:
        return _("fermé")
    if spans == [(time(0), time(0), "open")]:
        return _("24 h/24")
    parts = []
    for start, end, state in spans:
        # Outside the f-string: pybabel does not look inside one, so "minuit" went untranslated.
        until = clock(end) if end != time(0) else _("minuit")
        text = f"{clock(start)}–{until}"
        parts.append(text if state == "open" else _("%(span)s (inconnu)", span=text))
    return ", ".join(parts)


def week(hours, at: datetime) -> list[tuple[str, str]]:
    """Seven days from today: (day name, hours), or [] when nothing at all is known."""
    days = [at.date() + timedelta(days=i) for i in range(7)]
    rows = [(d, hours.spans(d)) for d in days]
    if all(spans is None for _d, spans in rows):
        return []
    return [(_("aujourd'hui") if d == at.date() else weekday(d), day_text(spans))
            for d, spans in rows]
