"""Rendered result cards kept in an LRU per app, keyed by data snapshot, language and place."""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup, escape

from .filters import distance_line
from .lru import LRU
from .translation import language

# A results list draws the same few hundred places again and again (the nearest ones of busy
# spots): each card's Jinja (facts, address, pictograms, hand-off links, ~30 gettext calls) is
# most of a fragment's time (issue 12). Only what depends on the place, the data snapshot and
# the language goes in; the distance, the "nearest" badge and opening state stay outside.
SIZE = 4096
_KEY = "presdici.cards"


def cached(kind: str, data, place, extra: tuple, draw) -> Markup:
    """HTML drawn by draw() once per snapshot, language, place and extra (see card)."""
    cache = current_app.extensions[_KEY]
    key = (kind, getattr(data, "version", None), language(), id(place), extra)
    html = cache.get(key)
    if html is None:
        html = Markup(draw())
        cache.put(key, html)
    return html


def card(kind: str, data, place, *extra, caller) -> Markup:
    """`{% call card("bike", data, r.place, mixed) %}…{% endcall %}`: the block's HTML, from
    the cache when this card was drawn before for the same snapshot, language and place.

    `data.version` changes with every snapshot load (so a refresh never shows an old card); the
    place is keyed by identity, which is unique while its snapshot (and so the key's version
    token) is alive; extra holds whatever else the block shows that varies (kind of list…).
    A block about no city (data None) or no place (place None) is keyed by the rest."""
    return cached(kind, data, place, extra, caller)


def place_list(kind: str, data, results, name, body, *extra, name_extra=(), badge=None,
               slow: bool = False, per=None, heading: str = "h3") -> Markup:
    """Every result of a list as `<li>`: its name (macro called with the result and name_extra)
    and its body (called with the result, data and extra) from the card cache; the distance
    line drawn for this visitor.

    Assembled here rather than in a Jinja loop: per card, a loop with two `{% call card %}`
    blocks cost more than the cached HTML it returned (macro and caller objects, issue 12).
    badge is the first card's « Le plus proche » label (None: no badge, no `first` class); per,
    a function of the place whose answer the body also shows (opening hours), keys and is
    given to the body after extra; heading is the name's element."""
    items = []
    for i, r in enumerate(results):
        title = cached(kind + ".name", data, r.place, name_extra, lambda: name(r, *name_extra))
        more = extra if per is None else (*extra, per(r.place))
        html = cached(kind, data, r.place, more, lambda: body(r, data, *more))
        first = i == 0 and badge is not None
        items.append(f'<li class="place{" first" if first else ""}" data-place-id="'
                     f'{escape(r.place.id)}">\n<{heading}>'
                     + (f'<span class="badge">{escape(badge)}</span> ' if first else "")
                     + f"{title}</{heading}>\n{distance_line(r, slow)}\n{html}\n</li>\n")
    return Markup("".join(items))     # plain joins: Markup's % escapes through a helper per value


def init_app(app) -> None:
    """One cache per app (tests build many apps with different data); `card` for templates."""
    app.extensions[_KEY] = LRU(int(app.config.get("CARD_CACHE_SIZE", SIZE)))
    app.jinja_env.globals.update(card=card, place_list=place_list)
