"""Street and address search benchmark: p50/p99 over Paris's 158k BAN addresses, and memory.

Usage: .venv/bin/python bench/addresses.py [--queries 300] [--seed 13]

Queries are drawn (seeded) from the real BAN file in data/: "41 Rue de Rivoli" as published, the
street alone, the address with one letter of its longest word changed (a typo), and the first
letters of the street. Each row gives p50/p99 of Gazetteer.search and how often its first answer
is the right place (within 30 m of the published point; the street's own entry for street
queries). Baseline in the same run: rapidfuzz's extractOne over all 158k address strings (what a
naive fuzzy search over the file would cost). Memory: resident size of a process that has loaded
every territory, with and without the address datasets (two fresh subprocesses), as a gunicorn
worker holds it after the fork.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)
ROOT = Path(__file__).resolve().parent.parent
BAN = ROOT / "data/paris/ban-adresses-75_2024.csv.gz"

MEMORY_PROBE = """
import gc, json, os, sys
sys.path.insert(0, {root!r})
os.environ["PRESDICI_INSTANCE"] = {instance!r}
from webapp import create_app
app = create_app({{"TERRITORIES_DIR": {territories!r}}})
gc.collect()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
print(json.dumps({{"rss_kb": rss}}))
"""


def addresses() -> list[dict]:
    """Every BAN row as a dict."""
    with gzip.open(BAN, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def typo(text: str, rng: random.Random) -> str:
    """Change one letter in the middle of the longest word (never the first two)."""
    words = text.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    word = words[i]
    if len(word) < 5:
        return text
    k = rng.randrange(2, len(word) - 1)
    words[i] = word[:k] + ("e" if word[k] != "e" else "a") + word[k + 1:]
    return " ".join(words)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p99) in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def memory(without_addresses: bool) -> int:
    """Resident KB of a fresh process that loaded every territory."""
    with tempfile.TemporaryDirectory() as tmp:
        territories = Path(tmp) / "territories"
        territories.mkdir()
        for path in (ROOT / "territories").glob("*.toml"):
            text = path.read_text(encoding="utf-8")
            if without_addresses:
                head, *blocks = text.split("\n[[datasets]]\n")
                blocks = [b for b in blocks if 'category = "street"' not in b]
                text = "\n[[datasets]]\n".join([head, *blocks])
            (territories / path.name).write_text(text, encoding="utf-8")
        probe = MEMORY_PROBE.format(root=str(ROOT), instance=str(Path(tmp) / "instance"),
                                    territories=str(territories))
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True).stdout
        return json.loads(out.strip().splitlines()[-1])["rss_kb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    from rapidfuzz import process

    from webapp import create_app
    from webapp.catalog import catalog
    from webapp.geo import haversine_m
    with tempfile.TemporaryDirectory() as tmp:
        import os
        os.environ["PRESDICI_INSTANCE"] = tmp
        started = time.perf_counter()
        app = create_app({})
        load_s = time.perf_counter() - started
        with app.app_context():
            gazetteer = catalog().get("paris").gazetteer
    rows = addresses()
    rng = random.Random(args.seed)
    sample = rng.sample(rows, args.queries)
    suffix = {"b": " bis", "t": " ter", "q": " quater", "c": " quinquies"}   # as people type it
    kinds = {
        "address": [(f"{r['numero']}{suffix.get(r['rep'], r['rep'].upper())} {r['nom_voie']}", r)
                    for r in sample],
        "street": [(r["nom_voie"], r) for r in sample],
        "address, one typo": [(typo(f"{r['numero']} {r['nom_voie']}", rng), r)
                              for r in sample if not r["rep"]],
        "street prefix": [(r["nom_voie"][:max(6, len(r["nom_voie"]) // 2)], r) for r in sample],
    }
    print(f"Paris: {len(rows):,} addresses, {len(gazetteer.streets):,} streets; "
          f"app load {load_s:.1f} s (every territory)")
    print(f"{'query kind':<20}{'p50 ms':>9}{'p99 ms':>9}{'right first':>13}")
    p50s = {}
    for kind, queries in kinds.items():
        times, right = [], 0
        for query, row in queries:
            t = time.perf_counter()
            found = gazetteer.search(query)
            times.append((time.perf_counter() - t) * 1000)
            if found and kind != "street prefix":
                first = found[0]
                lat, lon = float(row["lat"]), float(row["lon"])
                street_only = kind == "street"
                right += (first.name.endswith(row["nom_voie"]) if street_only
                          else haversine_m(first.lat, first.lon, lat, lon) < 30)
            elif found:
                right += any(e.name == row["nom_voie"] for e in found)
        p50, p99 = percentiles(times)
        p50s[kind] = p50
        share = f"{right / len(queries):.0%}" if kind != "street prefix" else f"{right / len(queries):.0%}*"
        print(f"{kind:<20}{p50:>9.2f}{p99:>9.2f}{share:>13}")
    print("* street prefix: the street is among the choices offered")
    labels = [f"{r['numero']} {r['nom_voie']}" for r in rows]
    base = []
    for query, _ in kinds["address, one typo"][:30]:
        t = time.perf_counter()
        process.extractOne(query, labels)
        base.append((time.perf_counter() - t) * 1000)
    b50, b99 = percentiles(base)
    print(f"{'baseline: extractOne over 158k strings':<38} p50 {b50:.1f} ms, p99 {b99:.1f} ms "
          f"(gazetteer typo p50 is {p50s['address, one typo'] / b50:.3f}× of it)")
    full, bare = memory(False), memory(True)
    print(f"memory (VmRSS after loading every territory): {full / 1024:.0f} MB with addresses, "
          f"{bare / 1024:.0f} MB without: addresses cost {(full - bare) / 1024:.0f} MB per worker")


if __name__ == "__main__":
    main()
