"""Coordinates: strict parsing, haversine distances, local metric projection."""
from __future__ import annotations

import math
import re

EARTH_RADIUS_M = 6_371_008.8
# ASCII digits only: float() also accepts "nan", "inf", "1_0" and Arabic-Indic digits.
_COORD_RE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,12})?", re.ASCII)
ROUND_DIGITS = 4  # ~11 m: enough to find a bike rack, less precise than the device


class BadCoordinates(ValueError):
    """Raised for any coordinate we refuse; the message is a msgid key, not user text."""


def parse_coordinate(text: str | None, low: float, high: float) -> float:
    """Parse one decimal degree strictly and check its range."""
    if text is None or len(text) > 20 or not _COORD_RE.fullmatch(text.strip()):
        raise BadCoordinates("malformed")
    value = float(text.strip())
    if not low <= value <= high:
        raise BadCoordinates("out_of_range")
    return round(value, ROUND_DIGITS)


def parse_position(lat: str | None, lon: str | None, bbox: tuple[float, float, float, float],
                   margin: float = 0.05) -> tuple[float, float]:
    """Parse a lat/lon pair and require it inside bbox (west, south, east, north) plus a margin."""
    la = parse_coordinate(lat, -90, 90)
    lo = parse_coordinate(lon, -180, 180)
    west, south, east, north = bbox
    if not (south - margin <= la <= north + margin and west - margin <= lo <= east + margin):
        raise BadCoordinates("outside_territory")
    return la, lo


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class LocalProjection:
    """Equirectangular projection to metres around a reference latitude.

    Good to well under 1 % across a metropolitan area, which is what the index
    needs to choose candidates; final distances are exact (haversine or a
    projection centred on the user)."""

    def __init__(self, lat0: float, lon0: float):
        self.lat0, self.lon0 = lat0, lon0
        self.kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
        self.ky = math.radians(1) * EARTH_RADIUS_M

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        """Lon/lat to metres east/north of the reference point."""
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky


def walking_minutes(metres: float, speed_kmh: float = 4.5) -> int:
    """Whole minutes on foot, at least 1."""
    return max(1, math.ceil(metres / (speed_kmh * 1000 / 60)))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial compass bearing from point 1 to point 2, 0-360 (0 = north, 90 = east)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360
