"""Result rows shared by task pages: a place, its distance, its walking time."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..translation import lazy_gettext as _l

from ..filters import place_name
from ..geo import bearing_deg, walking_minutes
from ..places import Place

# Eight points of the compass, from north clockwise: "40 m au nord" tells identical cards apart.
DIRECTIONS = (_l("au nord"), _l("au nord-est"), _l("à l'est"), _l("au sud-est"), _l("au sud"),
              _l("au sud-ouest"), _l("à l'ouest"), _l("au nord-ouest"))
# Closer than this, a direction or a walking time means nothing (positions are rounded to ~11 m).
HERE_M = 15


@dataclass(frozen=True)
class Result:
    """One place in a result list."""

    place: Place
    metres: float
    bearing: float | None = None     # degrees from the origin; None when not measured

    @property
    def minutes(self) -> int:
        """Walking time at an ordinary pace."""
        return walking_minutes(self.metres)

    @property
    def here(self) -> bool:
        """Whether the place is where the visitor stands (no "0 m · 1 min à pied")."""
        return self.metres < HERE_M

    @property
    def direction(self) -> str | None:
        """"au nord", "au sud-ouest"...: where to look, from the origin."""
        if self.bearing is None or self.here:
            return None
        return str(DIRECTIONS[int((self.bearing + 22.5) // 45) % 8])   # as pack-nearest.js

    @property
    def geo_uri(self) -> str:
        """RFC 5870 geo: URI for the phone's own maps app (destination only, never the origin)."""
        label = quote(place_name(self.place.name) or "", safe="")
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
    return [Result(p, d, bearing_deg(origin.lat, origin.lon, p.lat, p.lon))
            for p, d in index.nearest(origin.lat, origin.lon, k, categories=categories)]


def has_category(states, category: str) -> bool:
    """Whether any loaded dataset publishes places of this category."""
    return any(s.dataset.mapping.category == category and s.places for s in states)
