"""Packs cut by area: a fixed grid of half-degree cells (about 55 × 38 km in France).

A national territory's pack (250,000 places) cannot go to a phone; the cell someone keeps can.
A cell's pack also holds the places within MARGIN_DEG around it, so the nearest places of a
point near its edge are the server's; its bbox is the cell itself, beyond which the offline
answer says "outside"."""
from __future__ import annotations

import math
import re

CELL_DEG = 0.5
MARGIN_DEG = 0.1          # ≈ 11 km of latitude, 7–8 km of longitude
_ZONE = re.compile(r"z(-?\d{1,3})_(-?\d{1,3})")


def zone_of(lat: float, lon: float) -> str:
    """The id of the cell holding a point, e.g. "z97_4" for Paris."""
    return f"z{math.floor(lat / CELL_DEG)}_{math.floor(lon / CELL_DEG)}"


def zone_bbox(zone: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a cell id; None when it is not one."""
    match = _ZONE.fullmatch(zone or "")
    if not match:
        return None
    row, col = int(match.group(1)), int(match.group(2))
    if not (-180 <= row < 180 and -360 <= col < 360):
        return None
    return (col * CELL_DEG, row * CELL_DEG, (col + 1) * CELL_DEG, (row + 1) * CELL_DEG)


def widened(bbox, margin: float = MARGIN_DEG):
    """The bbox grown by margin on every side."""
    west, south, east, north = bbox
    return (west - margin, south - margin, east + margin, north + margin)


def inside(bbox, lat: float, lon: float) -> bool:
    """Whether a point lies in a bbox."""
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north


def zone_counts(places) -> dict[str, int]:
    """Places per cell: which cells a territory's packs are cut into."""
    counts: dict[str, int] = {}
    for place in places:
        key = zone_of(place.lat, place.lon)
        counts[key] = counts.get(key, 0) + 1
    return counts
