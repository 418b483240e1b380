"""Nearest-N benchmark: the STRtree index against brute force on the same real data, same run.

Usage: .venv/bin/python bench/nearest.py [--queries 2000] [--k 5]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from webapp import create_app  # noqa: E402
from webapp.catalog import catalog  # noqa: E402
from webapp.geo import EARTH_RADIUS_M, haversine_m  # noqa: E402
from webapp.spatial import SpatialIndex  # noqa: E402


def numpy_brute(lats, lons, lat, lon, k):
    """Vectorised haversine over every place, then a partial sort: the honest fast baseline."""
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    d = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
    idx = np.argpartition(d, k)[:k]
    return idx[np.argsort(d[idx])]


def timed(fn, points) -> list[float]:
    """Microseconds per call of fn(lat, lon) over points."""
    out = []
    for lat, lon in points:
        t = time.perf_counter_ns()
        fn(lat, lon)
        out.append((time.perf_counter_ns() - t) / 1000)
    return out


def pct(values, q):
    """q-th percentile."""
    if len(values) < 2:                  # quantiles needs two points (tiny smoke-test runs)
        return values[0]
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    """Run the benchmark on every territory index with at least 200 places."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp()})
    rng = random.Random(42)
    print(f"{'index':22} {'places':>6} {'build ms':>8} | {'p50 µs':>7} {'p99 µs':>7} | "
          f"{'numpy p50':>9} {'p99':>7} | {'python p50':>10}")
    with app.app_context():
        for data in catalog().all():
            for task, index in data.indexes.items():
                if len(index) < 200:
                    continue
                # Where people ask from: within about 1 km of a published place.
                anchors = [rng.choice(index.places) for _ in range(args.queries)]
                points = [(p.lat + rng.uniform(-0.009, 0.009), p.lon + rng.uniform(-0.012, 0.012))
                          for p in anchors]
                t = time.perf_counter()
                SpatialIndex(index.places, *data.territory.center)
                build = (time.perf_counter() - t) * 1000
                lats = np.array([p.lat for p in index.places])
                lons = np.array([p.lon for p in index.places])
                ours = timed(lambda la, lo: index.nearest(la, lo, args.k), points)
                brute = timed(lambda la, lo: numpy_brute(lats, lons, la, lo, args.k), points)
                slow = timed(lambda la, lo: sorted((haversine_m(la, lo, p.lat, p.lon), p.id)
                                                   for p in index.places)[:args.k], points[:200])
                print(f"{data.territory.id + '/' + task:22} {len(index):>6} {build:>8.1f} | "
                      f"{pct(ours, 50):>7.0f} {pct(ours, 99):>7.0f} | {pct(brute, 50):>9.0f} "
                      f"{pct(brute, 99):>7.0f} | {pct(slow, 50):>10.0f}")
    print(f"{args.queries} random points within ~1 km of a random place per index, k={args.k}, "
          f"{os.cpu_count()} cores; python brute force on the first 200 points")


if __name__ == "__main__":
    main()
