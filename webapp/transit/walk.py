"""Walking estimates: straight line × 1.3 (streets are not straight), and footpaths."""
from __future__ import annotations

import numpy as np

DETOUR = 1.3               # walking distance ≈ straight line × 1.3 (docs/transit.md)
FOOTPATH_M = 400           # transfers on foot between stations up to 400 m of estimated walk
EARTH_M = 6_371_000.0


def distances_m(lat, lon, lats, lons) -> np.ndarray:
    """Estimated walking metres from one point to many (equirectangular: fine below 5 km)."""
    k = np.pi / 180
    x = (lons - lon) * k * np.cos((lats + lat) * (k / 2))
    y = (lats - lat) * k
    return np.sqrt(x * x + y * y) * (EARTH_M * DETOUR)


def footpaths(lat: np.ndarray, lon: np.ndarray, limit_m: float = FOOTPATH_M):
    """CSR of walks between distinct stations within limit_m: (ptr, to, metres)."""
    n = len(lat)
    ptr = np.zeros(n + 1, dtype=np.int32)
    tos, metres = [], []
    order = np.argsort(lat)                   # a band of latitude bounds each station's search
    sorted_lat = lat[order]
    band = limit_m / (EARTH_M * DETOUR) * 180 / np.pi
    for i in range(n):
        lo = np.searchsorted(sorted_lat, lat[i] - band)
        hi = np.searchsorted(sorted_lat, lat[i] + band, side="right")
        cand = order[lo:hi]
        d = distances_m(lat[i], lon[i], lat[cand], lon[cand])
        keep = (d <= limit_m) & (cand != i)
        tos.append(cand[keep]), metres.append(d[keep])
        ptr[i + 1] = ptr[i] + int(keep.sum())
    to = np.concatenate(tos).astype(np.int32) if tos else np.zeros(0, np.int32)
    m = np.concatenate(metres).astype(np.float32) if metres else np.zeros(0, np.float32)
    return ptr, to, m
