"""Template filters: distances, dates and labels in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from flask_babel import format_date, format_decimal
from jinja2 import pass_context
from markupsafe import Markup, escape

from . import labels
from .hours import TZ
from .text import shouting, title_name
from .i18n import text_direction
from .translation import gettext as _, language, number, translations


def distance(metres: float) -> str:
    """"80 m", "1,2 km" (rounded the way people speak about walking distances)."""
    if metres < 1000:
        return _spoken(language(), "m", max(0, round(metres / 5) * 5) if metres >= 50
                       else round(metres))
    return _spoken(language(), "km", round(metres / 1000, 1))


@lru_cache(maxsize=4096)
def _spoken(_language: str, unit: str, value) -> str:
    """A rounded distance in one language: Babel's number formatting is ~80 µs, every card
    shows one, and a few hundred values cover every walk (issue 12)."""
    if unit == "m":
        return _("%(m)s m", m=format_decimal(value))
    return _("%(km)s km", km=format_decimal(value))


def distance_line(r, slow: bool = False) -> Markup:
    """"<p class="distance"><strong>350 m</strong> au nord · 5 min à pied</p>" for a Result.

    A function rather than a macro of components/place.html: one per card, and a macro call
    costs as much as the rest of the line (issue 12). Same output as the macro it replaced:
    translations are trusted markup, values are escaped (Jinja's newstyle gettext). Plain
    string joins: Markup's % escapes through a helper object per argument, 4× slower here."""
    t = translations()
    if r.here:
        return Markup('<p class="distance"><strong>' + t.ugettext("Ici même, à quelques pas")
                      % {} + "</strong></p>")
    # The msgid goes through a variable: a conditional inside ugettext() would reach pybabel's
    # extraction as one joined string (tests/test_filters.py caught it).
    walk = "%(n)d min à pas lents" if slow else "%(n)d min à pied"
    walk = t.ugettext(walk) % {"n": r.minutes}
    direction = r.direction
    return Markup(f'<p class="distance"><strong>{escape(distance(r.metres))}</strong>'
                  + (f" {escape(direction)}" if direction else "") + f" · {walk}</p>")


def day(value) -> str:
    """A published date as "15 sept. 2025"; unknown stays unknown."""
    if not value:
        return _("date inconnue")
    try:
        parsed = value if isinstance(value, date) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if isinstance(parsed, datetime):
        # Snapshots are stamped in UTC; a refresh at 00:30 in Paris belongs to that French day.
        parsed = (parsed.astimezone(TZ) if parsed.tzinfo else parsed).date()
    return format_date(parsed, "medium")


def web_url(value) -> str | None:
    """A published link only if it is http(s): a portal could hold "javascript:" or junk."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def place_name(text):
    """A published name as people write it: "BELLEDONNE" -> "Belledonne" (others unchanged)."""
    return title_name(text) if isinstance(text, str) and shouting(text) else text


@pass_context   # the context is unused, but it stops Jinja folding `"…"|fr` at compile time
def french(_context, text):
    """Mark published French text as French when the page is in another language (RGAA 8.7)."""
    if text is None or text == "" or language() == "fr":
        return text
    return Markup('<span lang="fr"{}>{}</span>').format(_ltr(), text)


def _ltr():
    # In an Arabic page, French runs left to right on its own: "(bière, vin…)" keeps its
    # brackets and full stop where a French reader expects them.
    return Markup(' dir="ltr"') if text_direction() == "rtl" else Markup("")


def fr_attr():
    """` lang="fr"` for a block of published French text when the page is in another language."""
    return Markup("") if language() == "fr" else Markup(' lang="fr"') + _ltr()


def init_app(app) -> None:
    """Register the filters and the label tables."""
    app.jinja_env.filters.update(distance=distance, day=day, category=labels.category, web_url=web_url,
                               fr=french, name=place_name, number=number)
    app.jinja_env.globals.update(labels=labels, fr_attr=fr_attr, distance_line=distance_line)
