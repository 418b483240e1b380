"""Nearest-N places in metres: an STRtree on projected coordinates, exact distances to finish."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import shapely
from shapely import STRtree

from .geo import LocalProjection, haversine_m
from .places import Place

# The territory-wide projection is off by well under 1 % inside a metro area; the candidate
# radius is widened by this much so no true neighbour is missed before exact distances.
_SLACK = 0.02
_START_RADIUS_M = 250.0


def _project(geom, proj: LocalProjection):
    """Project a lon/lat shapely geometry with proj."""
    def fn(coords: np.ndarray) -> np.ndarray:
        x = (coords[:, 0] - proj.lon0) * proj.kx
        y = (coords[:, 1] - proj.lat0) * proj.ky
        return np.column_stack([x, y])
    return shapely.transform(geom, fn)


def exact_distance_m(place: Place, lat: float, lon: float) -> float:
    """Distance from a point to a place: haversine to a point, to the edge of a shape (0 inside)."""
    if place.shape is None:
        return haversine_m(lat, lon, place.lat, place.lon)
    local = _project(place.shape, LocalProjection(lat, lon))
    return float(shapely.distance(local, shapely.Point(0.0, 0.0)))


class SpatialIndex:
    """Nearest queries over a fixed list of places."""

    def __init__(self, places: Sequence[Place], lat0: float, lon0: float):
        self.places = list(places)
        self.proj = LocalProjection(lat0, lon0)
        geoms = [
            _project(p.shape, self.proj) if p.shape is not None
            else shapely.Point(*self.proj.forward(p.lon, p.lat))
            for p in self.places
        ]
        self.tree = STRtree(geoms)
        bounds = shapely.total_bounds(geoms) if geoms else np.zeros(4)
        self._bounds = bounds

    def __len__(self) -> int:
        return len(self.places)

    def _max_reach(self, x: float, y: float) -> float:
        """Distance from (x, y) to the farthest corner of all geometries: no place lies beyond."""
        minx, miny, maxx, maxy = self._bounds
        return math.hypot(max(abs(x - minx), abs(x - maxx)), max(abs(y - miny), abs(y - maxy)))

    def nearest(self, lat: float, lon: float, k: int = 5,
                keep: Callable[[Place], bool] | None = None,
                max_m: float | None = None) -> list[tuple[Place, float]]:
        """The k nearest places (optionally filtered by keep), sorted by exact distance then id."""
        if not self.places or k <= 0:
            return []
        x, y = self.proj.forward(lon, lat)
        origin = shapely.Point(x, y)
        reach = self._max_reach(x, y) * (1 + _SLACK) + 1
        radius = _START_RADIUS_M if max_m is None else min(_START_RADIUS_M, max_m)
        while True:
            hits = self.tree.query(origin, predicate="dwithin", distance=radius * (1 + _SLACK) + 1)
            found = []
            for i in hits:
                place = self.places[i]
                if keep is not None and not keep(place):
                    continue
                d = exact_distance_m(place, lat, lon)
                if d <= radius:
                    found.append((place, d))
            done_by_limit = max_m is not None and radius >= max_m
            if len(found) >= k or radius >= reach or done_by_limit:
                found.sort(key=lambda pd: (pd[1], pd[0].id))
                return found[:k]
            radius = radius * 2 if max_m is None else min(radius * 2, max_m)
