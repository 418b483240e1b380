"""« Où jeter ? » knowledge: ADEME's sorting guide, our stream taxonomy, item search."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from .common import COMMON
from .knowledge import Item, load_items
from .search import Match, SearchIndex
from .taxonomy import STREAMS

# Common items get a small lead in search ties: ours (common.py) most, ADEME's home-page items
# a little (they illustrate its site rather than what people hold).
COMMON_BONUS = 2.0
PINNED_BONUS = 1.0
ENGLISH_BONUS = 0.5
OWN_NAME_BONUS = 3.0     # "T-shirt" the item before "Vêtements", which lists t-shirt as a synonym


@dataclass
class Guide:
    """Every item, by id and by stream, and the search index over their names."""

    items: dict[str, Item]
    skipped: int
    updated: str
    index: SearchIndex = field(init=False)
    by_stream: dict[str, list[Item]] = field(init=False)

    def __post_init__(self):
        entries = [(i.id, term, COMMON_BONUS * (i.id in COMMON) + PINNED_BONUS * i.pinned
                     + ENGLISH_BONUS * bool(i.name_en)
                     + OWN_NAME_BONUS * (term == i.name))
                   for i in self.items.values() for term in i.terms]
        self.index = SearchIndex(entries)
        self.by_stream = {s: [] for s in STREAMS}
        for item in sorted(self.items.values(), key=lambda i: (not i.pinned, i.name.lower())):
            self.by_stream[item.stream].append(item)

    def search(self, query: str, limit: int = 8, cutoff: float = 70) -> list[tuple[Item, Match]]:
        """Items matching a query, best first."""
        return [(self.items[m.item_id], m) for m in self.index.search(query, limit, cutoff)]

    def common(self, limit: int = 12) -> list[Item]:
        """The « Objets courants » (common.py), in their reasoned order."""
        return [self.items[i] for i in COMMON if i in self.items][:limit]


def load_guide(folder: Path) -> Guide:
    """Read the embedded snapshot of ADEME's guide."""
    items, skipped, updated = load_items(folder)
    return Guide(items, skipped, updated)


def guide() -> Guide:
    """The app's guide."""
    return current_app.extensions["presdici.sorting"]


def init_app(app) -> None:
    """Load the guide once, before gunicorn forks its workers."""
    if "presdici.sorting" not in app.extensions:
        folder = Path(app.config["EMBEDDED_DIR"]) / "national"
        app.extensions["presdici.sorting"] = load_guide(folder)
