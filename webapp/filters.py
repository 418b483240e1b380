"""Template filters: distances, dates and labels in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_decimal, gettext as _

from . import labels


def distance(metres: float) -> str:
    """"80 m", "1,2 km" (rounded the way people speak about walking distances)."""
    if metres < 1000:
        return _("%(m)s m", m=format_decimal(max(0, round(metres / 5) * 5) if metres >= 50
                                            else round(metres)))
    return _("%(km)s km", km=format_decimal(round(metres / 1000, 1)))


def day(value) -> str:
    """A published date as "15 sept. 2025"; unknown stays unknown."""
    if not value:
        return _("date inconnue")
    try:
        parsed = value if isinstance(value, date) else datetime.fromisoformat(str(value)).date()
    except ValueError:
        return str(value)
    return format_date(parsed, "medium")


def init_app(app) -> None:
    """Register the filters and the label tables."""
    app.jinja_env.filters.update(distance=distance, day=day, category=labels.category)
    app.jinja_env.globals.update(labels=labels)
