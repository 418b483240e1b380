"""One place listed once: a dataset's places near one of a preferred dataset's are dropped."""
from __future__ import annotations

import math

from .geo import haversine_m
from .places import Place


def without_duplicates(places: list[Place], preferred: list[Place], metres: float) -> list[Place]:
    """places minus those within `metres` of a preferred place of the same category.

    A grid of cells about `metres` wide: each place is compared with the preferred places of
    its cell and the eight around it, never with all of them."""
    if not preferred or metres <= 0:
        return places
    step = metres / 111_000                       # degrees of latitude per cell
    grid: dict[tuple[int, int], list[Place]] = {}
    for p in preferred:
        grid.setdefault((math.floor(p.lat / step), math.floor(p.lon / step)), []).append(p)

    def duplicate(place: Place) -> bool:
        row, col = math.floor(place.lat / step), math.floor(place.lon / step)
        # A degree of longitude is shorter than one of latitude: look as many cells as needed.
        reach = math.ceil(1 / max(math.cos(math.radians(place.lat)), 0.1))
        return any(q.category == place.category and
                   haversine_m(place.lat, place.lon, q.lat, q.lon) <= metres
                   for dr in (-1, 0, 1) for dc in range(-reach, reach + 1)
                   for q in grid.get((row + dr, col + dc), ()))
    return [p for p in places if not duplicate(p)]


def inside(places: list[Place], bbox) -> list[Place]:
    """Places inside a territory's box (west, south, east, north): a regional export clipped."""
    west, south, east, north = bbox
    return [p for p in places if south <= p.lat <= north and west <= p.lon <= east]
