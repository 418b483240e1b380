"""Compression of pages and fragments: sizes, and what it costs beside the empty route.

Usage: .venv/bin/python bench/compress.py [--runs 200]
In process (Flask test client): each page once without Accept-Encoding, then its body compressed
the way webapp/compression.py does (brotli at BROTLI_QUALITY, gzip at GZIP_LEVEL) and, for
comparison, at the neighbouring levels. Time is the median CPU time of the compression alone;
the baseline is the median time of a whole request to the empty route /sante, same run.
"""
from __future__ import annotations

import argparse
import gzip
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = [("bike page near a position", "/grenoble/velo?lat=45.1909&lon=5.7269", {}),
         ("bike fragment (htmx)", "/grenoble/velo?lat=45.1909&lon=5.7269", {"HX-Request": "true"}),
         ("cool page near a position", "/paris/frais?lat=48.8566&lon=2.3522", {}),
         ("recycle card", "/toulouse/jeter?objet=bouteille+de+vin", {}),
         ("data sources", "/donnees", {})]


def median_seconds(function, runs: int) -> float:
    """Median CPU time of function() over runs calls."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    """Print, per page: raw bytes, then bytes and cost (x the empty route) per encoder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("PRESDICI_INSTANCE", tempfile.mkdtemp())
    logging.disable(logging.WARNING)
    from webapp import compression, create_app
    client = create_app({"TESTING": True}).test_client()
    empty = median_seconds(lambda: client.get("/sante").get_data(), args.runs)
    ours_br, ours_gz = compression.BROTLI_QUALITY, compression.GZIP_LEVEL
    encoders = [(f"br q{q}", lambda b, q=q: brotli.compress(b, quality=q))
                for q in sorted({1, ours_br, 4})]
    encoders += [(f"gzip {n}", lambda b, n=n: gzip.compress(b, compresslevel=n, mtime=0))
                 for n in sorted({1, ours_gz})]
    print(f"empty route /sante, whole request: p50 {empty * 1000:.3f} ms (baseline); "
          f"ours: br q{ours_br}, gzip {ours_gz}")
    print(f"{'page':28} {'raw':>7}  " + "  ".join(f"{n:>17}" for n, _f in encoders))
    for label, url, headers in PAGES:
        body = client.get(url, headers=headers).get_data()
        cells = []
        for _name, encode in encoders:
            cost = median_seconds(lambda: encode(body), args.runs)
            cells.append(f"{len(encode(body)):>6} B {cost / empty:>5.2f}x")
        print(f"{label:28} {len(body):>5} B  " + "  ".join(f"{c:>17}" for c in cells))
    print("cost = median CPU time of the compression / median time of a whole /sante request")


if __name__ == "__main__":
    main()
