"""Rendered result cards kept in an LRU per app, keyed by data snapshot, language and place."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app
from markupsafe import Markup

from .translation import language

# A results list draws the same few hundred places again and again (the nearest ones of busy
# spots): each card's Jinja (facts, address, pictograms, hand-off links, ~30 gettext calls) is
# most of a fragment's time (issue 12). Only what depends on the place, the data snapshot and
# the language goes in; the distance, the "nearest" badge and opening state stay outside.
SIZE = 4096
_KEY = "presdici.cards"


class CardCache:
    """A bounded LRU of rendered HTML, safe to share between a worker's threads."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        """The HTML stored under key, or None (and the entry becomes the most recent)."""
        with self._lock:
            html = self._items.get(key)
            if html is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return html

    def put(self, key, html) -> None:
        """Store html; the least recently used entry goes when the cache is full."""
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def card(kind: str, data, place, *extra, caller) -> Markup:
    """`{% call card("bike", data, r.place, mixed) %}…{% endcall %}`: the block's HTML, from
    the cache when this card was drawn before for the same snapshot, language and place.

    `data.version` changes with every snapshot load (so a refresh never shows an old card); the
    place is keyed by identity, which is unique while its snapshot (and so the key's version
    token) is alive; extra holds whatever else the block shows that varies (kind of list…).
    A block about no city (data None) or no place (place None) is keyed by the rest."""
    cache = current_app.extensions[_KEY]
    key = (kind, getattr(data, "version", None), language(), id(place), extra)
    html = cache.get(key)
    if html is None:
        html = Markup(caller())
        cache.put(key, html)
    return html


def init_app(app) -> None:
    """One cache per app (tests build many apps with different data); `card` for templates."""
    app.extensions[_KEY] = CardCache(int(app.config.get("CARD_CACHE_SIZE", SIZE)))
    app.jinja_env.globals["card"] = card
