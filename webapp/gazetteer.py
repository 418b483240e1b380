"""An offline gazetteer (stops, stations, named places, streets and their numbers) for the picker.

Search is by words: every word of the query must begin a word of the name ("rue riv" finds "Rue
de Rivoli"), and a word found nowhere is matched to the nearest spelling among the names' words
(rapidfuzz), so "rue de rivolli" still finds it. A leading number ("12 bis rue …") goes to that
address when the street publishes it. Nothing here logs: a typed address stays in memory."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .geo import haversine_m
from .places import Place
from .sources.addresses import number_key, number_label
from .text import fold

MAX_QUERY = 80
# Words people leave out or abbreviate in street names.
OPTIONAL = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux"}
ABBREVIATIONS = {"bd": "boulevard", "bld": "boulevard", "av": "avenue", "ave": "avenue",
                 "r": "rue", "pl": "place", "st": "saint", "ste": "sainte", "fg": "faubourg",
                 "imp": "impasse", "che": "chemin", "ch": "chemin", "sq": "square",
                 "crs": "cours", "rte": "route", "all": "allee", "pte": "porte", "qu": "quai"}
# "12", "12 bis", "12bis", "12b" (a lone letter only when attached: "12 r de Rivoli" is a rue).
_NUMBER = re.compile(r"^(\d{1,5})(?:\s*(bis|ter|quater|quinquies)\b|([a-z])\b)?\s*(.*)$")
FUZZY_MIN = 80          # rapidfuzz ratio (0-100) for a misspelt word: "rivolli" ~ "rivoli" is 92


@dataclass(frozen=True)
class Entry:
    """A named place someone can choose as a starting point."""

    id: str
    name: str
    context: str | None      # commune or kind, to tell homonyms apart
    lat: float
    lon: float
    folded: str
    # A street or a numbered address says where someone lives or goes: it is answered to a POST
    # and never written into an address (rule 5); stops, stations and named places are public.
    private: bool = False


def is_street(place: Place) -> bool:
    """Whether a gazetteer place is a street (address files: category "street", or numbers)."""
    return place.category == "street" or "numbers" in place.attrs


def split_number(folded: str) -> tuple[str | None, str]:
    """"12 bis rue de rivoli" -> ("12b", "rue de rivoli"); no number -> (None, text)."""
    match = _NUMBER.match(folded)
    if not match or not match.group(4):
        return None, folded
    return number_key(match.group(1), match.group(2) or match.group(3) or ""), match.group(4)


class Gazetteer:
    """Word search over the places of gazetteer datasets; streets answer with their numbers."""

    def __init__(self, places: list[Place]):
        entries: dict[str, Entry] = {}
        kept: list[Entry] = []
        self.streets: dict[str, Place] = {}          # entry id -> street Place (its numbers)
        seen: dict[str, list[Entry]] = {}
        # Datasets in the territory file's order, then ids: of two twins, the entry of the
        # dataset declared first is kept (GTFS stops, added later, do not displace older ids).
        rank: dict[str, int] = {}
        for place in places:
            rank.setdefault(place.dataset, len(rank))
        for place in sorted(places, key=lambda p: (rank[p.dataset], p.id)):
            if not place.name:
                continue
            entry = Entry(place.id, place.name, place.attrs.get("commune"), place.lat, place.lon,
                          fold(place.name), is_street(place))
            if "numbers" in place.attrs:
                self.streets[entry.id] = place       # homonym streets stay apart: own numbers
            else:
                # Several quays or records for one stop: keep one entry per name within 300 m;
                # the twin's id still resolves (links made before a new dataset came).
                twin = next((e for e in seen.get(entry.folded, ())
                             if haversine_m(e.lat, e.lon, entry.lat, entry.lon) < 300), None)
                if twin is not None:
                    entries[entry.id] = twin
                    continue
            seen.setdefault(entry.folded, []).append(entry)
            kept.append(entry)
            entries[entry.id] = entry
        self.entries = entries
        self._sorted = sorted(kept, key=lambda e: (e.folded, e.id))
        self._folded = [e.folded for e in self._sorted]      # sorted: a prefix is a range
        self._lengths = np.fromiter((len(f) for f in self._folded), np.int64, len(self._folded))
        words: dict[str, list[int]] = {}
        for i, entry in enumerate(self._sorted):
            for word in set(entry.folded.split()):
                words.setdefault(word, []).append(i)
        # folded word -> positions in _sorted, as arrays: at national size a common word ("rue")
        # names 200,000 entries, and Python sets of that size made a search take 0.5 s.
        self._words = {w: np.array(ids, np.int32) for w, ids in words.items()}
        self._vocabulary = sorted(self._words)

    @property
    def has_streets(self) -> bool:
        """Whether streets and addresses can be searched here."""
        return bool(self.streets)

    def get(self, entry_id: str) -> Entry | None:
        """An entry by id ("<street>#<number>" for an address), None if unknown."""
        street_id, _, number = entry_id.partition("#")
        entry = self.entries.get(street_id)
        if entry is None or not number:
            return entry if not number else None
        return self._address(entry, number)

    def _address(self, street: Entry, number: str) -> Entry | None:
        """The entry of one number of a street, None when the street does not publish it."""
        place = self.streets.get(street.id)
        if place is None:
            return None
        numbers = place.attrs["numbers"].split("|")
        try:
            i = numbers.index(number)
        except ValueError:
            return None
        lat, lon = place.attrs["coords"][2 * i], place.attrs["coords"][2 * i + 1]
        name = f"{number_label(number)} {street.name}"
        return Entry(f"{street.id}#{number}", name, street.context, lat, lon, fold(name), True)

    def _matches(self, word: str) -> np.ndarray | None:
        """A mask of the entries with a word starting with `word`, else with a word spelt nearly
        like it; None when there is none."""
        start = bisect_left(self._vocabulary, word)
        mask = None
        for token in self._vocabulary[start:]:
            if not token.startswith(word):
                break
            if mask is None:
                mask = np.zeros(len(self._sorted), bool)
            mask[self._words[token]] = True
        if mask is not None or len(word) < 4:
            return mask
        for token, _, _ in process.extract(word, self._vocabulary, scorer=fuzz.ratio,
                                           score_cutoff=FUZZY_MIN, limit=20):
            if mask is None:
                mask = np.zeros(len(self._sorted), bool)
            mask[self._words[token]] = True
        return mask

    def _best(self, candidates: np.ndarray, wanted: str, first: str, limit: int) -> list[int]:
        """The `limit` best positions: the exact name, then names starting with the first word,
        then the others; shorter names first, then name order (positions follow it)."""
        folded, n = self._folded, len(self._folded)
        exact = (bisect_left(folded, wanted), bisect_right(folded, wanted))
        starts = (bisect_left(folded, first), bisect_left(folded, first + "\uffff"))
        rank = np.full(len(candidates), 2, np.int64)
        rank[(candidates >= starts[0]) & (candidates < starts[1])] = 1
        rank[(candidates >= exact[0]) & (candidates < exact[1])] = 0
        keys = (rank * (int(self._lengths.max(initial=0)) + 1) + self._lengths[candidates]) * n \
            + candidates
        if len(keys) > limit:
            keys = keys[np.argpartition(keys, limit)[:limit]]
        return [int(k % n) for k in np.sort(keys)]

    def search(self, query: str, limit: int = 12) -> list[Entry]:
        """Entries whose words start with every word of the query (or nearly), best first."""
        number, text = split_number(fold(query[:MAX_QUERY]))
        words = [ABBREVIATIONS.get(w, w) for w in text.split()]
        required = [w for w in words if w not in OPTIONAL] or words
        if not required:
            return []
        candidates = None
        for word in required:
            found = self._matches(word)
            if found is None:
                return []
            candidates = found if candidates is None else candidates & found
        positions = np.flatnonzero(candidates)
        if not len(positions):
            return []
        # "rue" alone matches thousands of Paris streets: keep the best few, never sort them all.
        # With a number, look for it in the best 50 streets (homonyms in several arrondissements).
        best = self._best(positions, " ".join(words), words[0], limit if number is None else 50)
        found = [self._sorted[i] for i in best]
        if number is not None:
            # Streets that publish the number come first, as that address; the others follow.
            addresses = [a for a in (self._address(e, number) for e in found) if a]
            found = addresses + [e for e in found if e.id not in
                                 {a.id.partition("#")[0] for a in addresses}]
        return found[:limit]
