"""A small offline gazetteer (stops, stations, named places) to pick a place without geolocation."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .geo import haversine_m
from .places import Place
from .text import fold

MAX_QUERY = 80
PREFIX = 3
SMALL_SLICE = 2000


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
        by_name: dict[str, list[Entry]] = {}
        for place in sorted(places, key=lambda p: p.id):
            if not place.name:
                continue
            entry = Entry(place.id, place.name, place.attrs.get("commune"), place.lat, place.lon,
                          fold(place.name))
            # Several quays or records for one stop: keep one entry per name within 300 m
            # (compared with the same name only: linear, not quadratic, at national size).
            same = by_name.setdefault(entry.folded, [])
            if any(haversine_m(e.lat, e.lon, entry.lat, entry.lon) < 300 for e in same):
                continue
            same.append(entry)
            kept.append(entry)
            entries[entry.id] = entry
        self.entries = entries
        self._sorted = sorted(kept, key=lambda e: (e.folded, e.id))
        self._keys = [e.folded for e in self._sorted]
        # The order of results among equal ranks: shorter names first, then name, then id.
        self._by_length = sorted(kept, key=lambda e: (len(e.folded), e.folded, e.id))
        # Word prefix (3 letters) -> positions in _by_length: a search reads the entries sharing
        # a prefix with its rarest word, in result order, instead of scanning every entry.
        self._prefixes: dict[str, list[int]] = {}
        for i, entry in enumerate(self._by_length):
            for key in {t[:PREFIX] for t in entry.folded.split()}:
                self._prefixes.setdefault(key, []).append(i)

    def get(self, entry_id: str) -> Entry | None:
        """An entry by id, None if unknown."""
        return self.entries.get(entry_id)

    def _candidates(self, words: list[str]) -> list[int]:
        """Positions in _by_length of entries having a word that starts like the rarest query
        word (a superset of the matches, in result order)."""
        long_words = [w for w in words if len(w) >= PREFIX]
        if long_words:      # a short word ("à", "st") is only checked on these candidates
            return min((self._prefixes.get(w[:PREFIX], []) for w in long_words), key=len)
        best = None
        for word in words:                         # every prefix starting so, merged
            found = sorted({i for k, ids in self._prefixes.items() if k.startswith(word)
                            for i in ids})
            if best is None or len(found) < len(best):
                best = found
        return best or []

    def search(self, query: str, limit: int = 12) -> list[Entry]:
        """Entries whose words start with every word of the query, best matches first: the
        whole query, then names starting with its first word, then the others, shortest first."""
        words = fold(query[:MAX_QUERY]).split()
        if not words:
            return []

        def matches(entry: Entry) -> bool:
            tokens = entry.folded.split()
            return all(any(t.startswith(w) for t in tokens) for w in words)
        phrase, head = " ".join(words), words[0]
        # Names starting with the first word (ranks 0 and 1) are one slice of the name-sorted
        # entries; a small slice is read whole, then the others come in result order.
        start, end = bisect_left(self._keys, head), bisect_left(self._keys, head + "\uffff")
        if end - start <= SMALL_SLICE:
            first = sorted(((0 if e.folded == phrase else 1, len(e.folded), e.folded, e.id, e)
                            for e in self._sorted[start:end] if matches(e)), key=lambda s: s[:4])
            found = [s[-1] for s in first[:limit]]
            for i in self._candidates(words):
                if len(found) >= limit:
                    break
                entry = self._by_length[i]
                if not entry.folded.startswith(head) and matches(entry):
                    found.append(entry)
            return found
        # A common first word: walk every candidate in result order, until `limit` names start
        # with it (the others then cannot enter the answer).
        low = bisect_left(self._keys, phrase)
        exact = [e for e in self._sorted[low:bisect_left(self._keys, phrase + "\x00")]
                 if e.folded == phrase]
        starting, others = [], []
        for i in self._candidates(words):
            if len(exact) + len(starting) >= limit:
                break
            entry = self._by_length[i]
            if entry.folded == phrase or not matches(entry):
                continue
            if entry.folded.startswith(head):
                starting.append(entry)
            elif len(others) < limit:
                others.append(entry)
        found = exact + starting + others
        return found[:limit]
