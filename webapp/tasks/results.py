"""Result rows shared by task pages: a place, its distance, its walking time."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..geo import walking_minutes
from ..places import Place


@dataclass(frozen=True)
class Result:
    """One place in a result list."""

    place: Place
    metres: float

    @property
    def minutes(self) -> int:
        """Walking time at an ordinary pace."""
        return walking_minutes(self.metres)

    @property
    def geo_uri(self) -> str:
        """RFC 5870 geo: URI for the phone's own maps app (destination only, never the origin)."""
        label = quote(self.place.name or "", safe="")
        point = f"{self.place.lat:.6f},{self.place.lon:.6f}"
        return f"geo:{point}?q={point}" + (f"({label})" if label else "")

    @property
    def osm_url(self) -> str:
        """The place on openstreetmap.org."""
        p = self.place
        return f"https://www.openstreetmap.org/?mlat={p.lat:.6f}&mlon={p.lon:.6f}#map=19/{p.lat:.6f}/{p.lon:.6f}"


def nearest(index, origin, k: int, categories: set[str] | None = None) -> list[Result]:
    """The k nearest places of some categories from origin."""
    if index is None or origin is None:
        return []
    return [Result(p, d) for p, d in index.nearest(origin.lat, origin.lon, k,
                                                   categories=categories)]


def has_category(states, category: str) -> bool:
    """Whether any loaded dataset publishes places of this category."""
    return any(s.dataset.mapping.category == category and s.places for s in states)
