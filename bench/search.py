"""Item search benchmark: p50/p99 per query in process, against the plain nearest query, same run.

Usage: .venv/bin/python bench/search.py [--repeat 300]

Rows: the search function alone, then the whole htmx fragment through Flask's test client
(search + rendering), then the 5-nearest glass banks query that a card also runs, then the
fuzzy word matcher (rapidfuzz) against a pure-Python edit distance over the same vocabulary.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

# Replace (not prepend) the script folder: bench/http.py would shadow the standard library.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
from rapidfuzz import fuzz, process  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.catalog import catalog  # noqa: E402
from webapp.sorting import guide  # noqa: E402

QUERIES = [
    ("exact", "canapé"), ("plural", "bouteilles de vin"), ("no accents", "medicaments"),
    ("typo", "bouteil de vain"), ("typo word", "medicamant"), ("prefix", "bout"),
    ("english", "glass bottle"), ("glued", "chewinggum"), ("junk", "zzqxwv"),
    ("long", "vieux jean troué de mon grand frère"),
]


def timed(fn, repeat: int) -> list[float]:
    """Microseconds per call of fn()."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t) / 1000)
    return out


def pct(values, q):
    """q-th percentile."""
    if len(values) < 2:                  # quantiles needs two points (tiny smoke-test runs)
        return values[0]
    return statistics.quantiles(values, n=100)[q - 1]


def levenshtein(a: str, b: str) -> int:
    """Plain dynamic-programming edit distance: the hand-written alternative to rapidfuzz."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def row(label: str, values: list[float]) -> None:
    """One printed line."""
    print(f"{label:44} {pct(values, 50):>8.0f} {pct(values, 99):>8.0f}")


def main() -> None:
    """Run every measure in one process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    n = parser.parse_args().repeat
    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp()})
    client = app.test_client()
    print(f"{'measure':44} {'p50 µs':>8} {'p99 µs':>8}")
    with app.app_context():
        g = guide()
        for kind, query in QUERIES:
            row(f"search  {kind:10} {query[:24]!r}", timed(lambda q=query: g.search(q), n))
        for kind, query in QUERIES[:4]:
            url = "/toulouse/jeter?" + urlencode({"objet": query})
            row(f"fragment {kind:9} {query[:24]!r}", timed(
                lambda u=url: client.get(u, headers={"HX-Request": "true"}).close(), max(2, n // 3)))
        index = catalog().get("toulouse").index("recycle")
        rng = random.Random(42)
        points = [(p.lat + rng.uniform(-0.009, 0.009), p.lon + rng.uniform(-0.012, 0.012))
                  for p in (rng.choice(index.places) for _ in range(n))]
        it = iter(points * 2)
        row("nearest 5 glass banks (Toulouse, 1,516)", timed(
            lambda: index.nearest(*next(it), 5, categories={"glass"}), n))
        vocab = g.index.vocab
        row(f"fuzzy word, rapidfuzz ({len(vocab)} words)", timed(
            lambda: process.extract("medicamant", vocab, scorer=fuzz.ratio, limit=12), n))
        row(f"fuzzy word, pure Python ({len(vocab)} words)", timed(
            lambda: sorted(vocab, key=lambda w: levenshtein("medicamant", w))[:12], 5))
    print(f"{len(g.items)} items, {len(g.index.terms)} names; {n} runs per search row, "
          f"{max(2, n // 3)} per fragment row (Flask test client, no network)")


if __name__ == "__main__":
    main()
