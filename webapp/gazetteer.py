"""A small offline gazetteer (stops, stations, named places) to pick a place without geolocation."""
from __future__ import annotations

from dataclasses import dataclass

from .geo import haversine_m
from .places import Place
from .text import fold

MAX_QUERY = 80


@dataclass(frozen=True)
class Entry:
    """A named place someone can choose as a starting point."""

    id: str
    name: str
    context: str | None      # commune or kind, to tell homonyms apart
    lat: float
    lon: float
    folded: str


class Gazetteer:
    """Name search over the places of gazetteer datasets."""

    def __init__(self, places: list[Place]):
        entries: dict[str, Entry] = {}
        kept: list[Entry] = []
        same_name: dict[str, list[Entry]] = {}    # a bucket per name: thousands of GTFS stops
        # Datasets in the territory file's order, then ids: of two twins, the entry of the
        # dataset declared first is kept (GTFS stops, added later, do not displace older ids).
        rank: dict[str, int] = {}
        for place in places:
            rank.setdefault(place.dataset, len(rank))
        for place in sorted(places, key=lambda p: (rank[p.dataset], p.id)):
            if not place.name:
                continue
            entry = Entry(place.id, place.name, place.attrs.get("commune"), place.lat, place.lon,
                          fold(place.name))
            # Several quays or records for one stop: keep one entry per name within 300 m.
            bucket = same_name.setdefault(entry.folded, [])
            twin = next((e for e in bucket
                         if haversine_m(e.lat, e.lon, entry.lat, entry.lon) < 300), None)
            if twin is not None:
                entries[entry.id] = twin    # its id still resolves (links made before a new dataset)
                continue
            bucket.append(entry)
            kept.append(entry)
            entries[entry.id] = entry
        self.entries = entries
        self._sorted = sorted(kept, key=lambda e: (e.folded, e.id))

    def get(self, entry_id: str) -> Entry | None:
        """An entry by id, None if unknown."""
        return self.entries.get(entry_id)

    def search(self, query: str, limit: int = 12) -> list[Entry]:
        """Entries whose words start with every word of the query, best matches first."""
        words = fold(query[:MAX_QUERY]).split()
        if not words:
            return []
        scored = []
        for entry in self._sorted:
            tokens = entry.folded.split()
            if all(any(t.startswith(w) for t in tokens) for w in words):
                rank = 0 if entry.folded == " ".join(words) else (
                    1 if entry.folded.startswith(words[0]) else 2)
                scored.append((rank, len(entry.folded), entry.folded, entry.id, entry))
        scored.sort(key=lambda s: s[:4])
        return [s[-1] for s in scored[:limit]]
