"""Nearest-N places in metres: an STRtree on projected coordinates, exact distances to finish."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import shapely
from shapely import STRtree

from .geo import EARTH_RADIUS_M, LocalProjection
from .places import Place

# The territory-wide projection is off by well under 1 % inside a metro area; the candidate
# radius is widened by this much so no true neighbour is missed before exact distances.
_SLACK = 0.02


def _project(geom, proj: LocalProjection):
    """Project a lon/lat shapely geometry with proj."""
    def fn(coords: np.ndarray) -> np.ndarray:
        x = (coords[:, 0] - proj.lon0) * proj.kx
        y = (coords[:, 1] - proj.lat0) * proj.ky
        return np.column_stack([x, y])
    return shapely.transform(geom, fn)


def _slack(lats: np.ndarray, lat0: float) -> float:
    """How much wider to query the tree so no true neighbour is missed.

    East-west metres are scaled by cos(lat0): at a latitude nearer the pole the projection
    stretches distances by cos(lat0) / cos(lat) (9 % in Lille for a national index centred in
    France). Half a degree beyond the farthest place covers a query at the territory's edge."""
    if not len(lats):
        return _SLACK
    far = min(89.0, float(np.max(np.abs(lats))) + 0.5)
    stretch = math.cos(math.radians(lat0)) / math.cos(math.radians(far)) - 1
    return max(_SLACK, stretch + _SLACK)


def haversine_many(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle metres from one point to many (same formula as geo.haversine_m)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + \
        math.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def exact_distance_m(place: Place, lat: float, lon: float) -> float:
    """Distance from a point to a place: haversine to a point, to the edge of a shape (0 inside)."""
    if place.shape is None:
        return float(haversine_many(lat, lon, np.array([place.lat]), np.array([place.lon]))[0])
    local = _project(place.shape, LocalProjection(lat, lon))
    return float(shapely.distance(local, shapely.Point(0.0, 0.0)))


# Up to this many places (points only) one numpy pass over every distance answers sooner than
# the tree's two queries (bench/nearest.py; issue 12), with the same exact distances and order.
SCAN_MAX = 2048


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
        self._bounds = shapely.total_bounds(geoms) if geoms else np.zeros(4)
        self._lats = np.array([p.lat for p in self.places])
        self._lons = np.array([p.lon for p in self.places])
        self._shapes = np.array([p.shape is not None for p in self.places], dtype=bool)
        self.slack = _slack(self._lats, lat0)
        self._scan = len(self.places) <= SCAN_MAX and not self._shapes.any()
        # Rank of each id in sorted order: ties in distance break by id without Python sorting.
        self._id_rank = np.empty(len(self.places), dtype=np.intp)
        self._id_rank[sorted(range(len(self.places)), key=lambda i: self.places[i].id)] = \
            np.arange(len(self.places))
        self._subsets: dict[frozenset, SpatialIndex] = {}
        # What pages derive from these places once (« Au frais »: which datasets publish hours):
        # an index lives exactly as long as its snapshot, so this is emptied when data changes.
        self.memo: dict = {}

    def __len__(self) -> int:
        return len(self.places)

    def subset(self, categories: Iterable[str]) -> SpatialIndex:
        """An index of some categories only, built once: a rare category is then as fast as any."""
        key = frozenset(categories)
        if key not in self._subsets:
            picked = [p for p in self.places if p.category in key]
            self._subsets[key] = SpatialIndex(picked, self.proj.lat0, self.proj.lon0)
        return self._subsets[key]

    def _reach(self, x: float, y: float) -> float:
        """Distance to the farthest corner of all geometries: no place lies beyond it."""
        minx, miny, maxx, maxy = self._bounds
        return math.hypot(max(abs(x - minx), abs(x - maxx)), max(abs(y - miny), abs(y - maxy)))

    def _distances(self, hits: np.ndarray, lat: float, lon: float) -> np.ndarray:
        """Exact distances to the hit places (vectorised for points)."""
        dist = haversine_many(lat, lon, self._lats[hits], self._lons[hits])
        for j in np.flatnonzero(self._shapes[hits]):
            dist[j] = exact_distance_m(self.places[hits[j]], lat, lon)
        return dist

    def nearest(self, lat: float, lon: float, k: int = 5,
                keep: Callable[[Place], bool] | None = None,
                categories: Iterable[str] | None = None) -> list[tuple[Place, float]]:
        """The k nearest places (of some categories, kept by keep), by exact distance then id."""
        if categories is not None:
            return self.subset(categories).nearest(lat, lon, k, keep)
        if not self.places or k <= 0:
            return []
        if self._scan:
            return self._scanned(lat, lon, k, keep)
        x, y = self.proj.forward(lon, lat)
        origin = shapely.Point(x, y)
        reach = self._reach(x, y) * (1 + self.slack) + 1
        _, first = self.tree.query_nearest(origin, return_distance=True)
        radius = max(float(first[0]) * 2, 50.0)
        while True:
            hits = self.tree.query(origin, predicate="dwithin",
                                   distance=radius * (1 + self.slack) + 1)
            if keep is not None:
                hits = np.array([i for i in hits if keep(self.places[i])], dtype=np.intp)
            dist = self._distances(hits, lat, lon)
            inside = dist <= radius
            if inside.sum() >= k or radius >= reach:
                return self._top(dist[inside], hits[inside], k)
            radius *= 2

    def _scanned(self, lat: float, lon: float, k: int,
                 keep: Callable[[Place], bool] | None) -> list[tuple[Place, float]]:
        """nearest() by distance to every place at once; keep is asked of the closest first."""
        dist = haversine_many(lat, lon, self._lats, self._lons)
        every = np.arange(len(dist))
        if keep is None:
            return self._top(dist, every, k)
        m = min(len(dist), 8 * k)
        while True:
            # The m closest and every place tied with the m-th: all others are farther.
            bound = np.partition(dist, m - 1)[m - 1]
            near = every[dist <= bound]
            order = near[np.lexsort((self._id_rank[near], dist[near]))]
            picked = []
            for i in order:                   # closest first: stop at the k-th kept place
                if keep(self.places[i]):
                    picked.append(i)
                    if len(picked) == k:
                        break
            if len(picked) == k or m == len(dist):
                return [(self.places[i], float(dist[i])) for i in picked]
            m = min(len(dist), m * 4)

    def _top(self, dist: np.ndarray, hits: np.ndarray, k: int) -> list[tuple[Place, float]]:
        """The k smallest distances, ties (all of them at the k-th distance) broken by id."""
        if len(dist) > k:
            kth = np.partition(dist, k - 1)[k - 1]
            close = dist <= kth
            dist, hits = dist[close], hits[close]
        order = np.lexsort((self._id_rank[hits], dist))[:k]
        return [(self.places[hits[j]], float(dist[j])) for j in order]
