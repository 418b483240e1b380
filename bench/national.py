"""National size, on SYNTHETIC data (tools/national.py): load, index, nearest, gazetteer, pack,
worker memory and cold start; the real embedded territories measured in the same run as baseline.

Usage: .venv/bin/python bench/national.py [--bikes 60000] [--drop-off 250000] [--queries 400]
       [--no-server]
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
import national  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.catalog import catalog, load_territory_data  # noqa: E402
from webapp.gazetteer import Gazetteer  # noqa: E402
from webapp.pack import build_pack  # noqa: E402
from webapp.spatial import SpatialIndex, haversine_many  # noqa: E402
from webapp.zones import zone_counts  # noqa: E402


def pct(values: list[float], q: float) -> float:
    """The q-th percentile."""
    return float(np.percentile(values, q))


def timed_ms(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def nearest_figures(index: SpatialIndex, points, k: int = 5) -> dict:
    """p50/p99 µs of the index and of a numpy brute force; how often both agree."""
    lats = np.array([p.lat for p in index.places])
    lons = np.array([p.lon for p in index.places])
    tree, brute, agree = [], [], 0
    for lat, lon in points:
        t = time.perf_counter_ns()
        got = index.nearest(lat, lon, k)
        tree.append((time.perf_counter_ns() - t) / 1000)
        t = time.perf_counter_ns()
        dist = haversine_many(lat, lon, lats, lons)
        best = np.argpartition(dist, k)[:k]
        brute.append((time.perf_counter_ns() - t) / 1000)
        agree += np.allclose(sorted(d for _p, d in got), np.sort(dist[best]), atol=0.01)
    return {"p50_us": pct(tree, 50), "p99_us": pct(tree, 99), "brute_p50_us": pct(brute, 50),
            "agree": agree / len(points)}


def in_process(territories: Path, embedded: Path, queries: int, rng: random.Random) -> dict:
    """Load, build and query one set of territories in this process."""
    ms, app = timed_ms(lambda: create_app({
        "TESTING": True, "INSTANCE_PATH": tempfile.mkdtemp(), "TERRITORIES_DIR": str(territories),
        "EMBEDDED_DIR": str(embedded)}))
    out = {"app_load_s": ms / 1000, "territories": {}}
    with app.app_context(), app.test_request_context():
        for data in catalog().all():
            places = sum(len(s.places) for s in data.states.values())
            figures = {"places": places}
            store = app.extensions["presdici.store"]
            figures["reload_s"] = timed_ms(lambda: load_territory_data(store, data.territory))[0] / 1000
            for task, index in data.indexes.items():
                lat0, lon0 = data.territory.center
                build = timed_ms(lambda: SpatialIndex(index.places, lat0, lon0))[0]
                picks = [(p.lat + rng.gauss(0, 0.01), p.lon + rng.gauss(0, 0.01))
                         for p in rng.choices(index.places, k=queries)]
                figures[task] = {"n": len(index), "build_ms": build,
                                 **nearest_figures(index, picks)}
            gaz = [p for s in data.states.values() if s.dataset.gazetteer for p in s.places]
            if gaz:
                build, gazetteer = timed_ms(lambda: Gazetteer(gaz))
                names = [e.name for e in gazetteer.entries.values()]
                asked = [" ".join(w[:4] for w in n.split()[rng.randrange(3):][:2])
                         for n in rng.choices(names, k=queries)]
                times = [timed_ms(lambda q=q: gazetteer.search(q))[0] for q in asked]
                figures["gazetteer"] = {"n": len(gazetteer.entries), "build_ms": build,
                                        "p50_ms": pct(times, 50), "p99_ms": pct(times, 99)}
            from webapp.offline import territory_pages
            ms, pack = timed_ms(lambda: build_pack(data, 5, territory_pages(data)))
            figures["pack"] = {"raw_kb": len(pack.body) / 1024, "gzip_kb": len(pack.gzipped) / 1024,
                               "build_ms": ms}
            counts = zone_counts(p for index in data.indexes.values() for p in index.places)
            if counts:
                ranked = sorted(counts, key=counts.get)
                for label, zone in (("median", ranked[len(ranked) // 2]), ("largest", ranked[-1])):
                    ms, zpack = timed_ms(lambda z=zone: build_pack(data, 5, territory_pages(data), zone=z))
                    figures[f"zone_{label}"] = {"zone": zone, "places": counts[zone],
                                                "gzip_kb": len(zpack.gzipped) / 1024, "build_ms": ms}
                figures["zones"] = len(counts)
            out["territories"][data.territory.id] = figures
    client = app.test_client()
    for tid in out["territories"]:
        first = timed_ms(lambda t=tid: client.get(f"/{t}/velo"))[0]
        again = timed_ms(lambda t=tid: client.get(f"/{t}/velo"))[0]
        out["territories"][tid]["page_ms"] = (first, again)
    return out


def rss_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KB of one process; PSS shares copy-on-write pages fairly."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
    except (OSError, StopIteration):
        pss = 0
    return rss, pss


def gunicorn(env: dict, page: str) -> dict:
    """Cold start (process start to first answer) and memory of a real gunicorn."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import free_port
    port = free_port()
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind",
                             f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=2):
                    break
            except OSError:
                if time.monotonic() - start > 900 or proc.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start (exit {proc.poll()})") from None
                time.sleep(0.2)
        cold = time.monotonic() - start
        first = timed_ms(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}{page}",
                                                        timeout=600).read())[0]
        time.sleep(1)
        children = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
                    .read_text().split()]
        workers = [rss_kb(pid) for pid in children]
        return {"cold_start_s": cold, "first_page_s": first / 1000,
                "master_rss_mb": rss_kb(proc.pid)[0] / 1024,
                "worker_rss_mb": max(w[0] for w in workers) / 1024,
                "worker_pss_mb": max(w[1] for w in workers) / 1024, "workers": len(workers)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=120)           # a master still loading national data is slow to stop
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def show(label: str, figures: dict) -> None:
    print(f"\n## {label}: app load {figures['app_load_s']:.1f} s")
    for tid, t in figures["territories"].items():
        print(f"- {tid}: {t['places']} places, territory reload {t['reload_s']:.2f} s, pack "
              f"{t['pack']['raw_kb']:.0f} KB raw / {t['pack']['gzip_kb']:.0f} KB gzip "
              f"(built in {t['pack']['build_ms']:.0f} ms)")
        for task in ("bike", "recycle", "cool"):
            if task in t:
                x = t[task]
                print(f"    {task}: {x['n']} places, index build {x['build_ms']:.0f} ms, nearest-5 "
                      f"p50 {x['p50_us']:.0f} µs p99 {x['p99_us']:.0f} µs (numpy brute force p50 "
                      f"{x['brute_p50_us']:.0f} µs), same distances as brute force {x['agree']:.1%}")
        if "zones" in t:
            print(f"    packs by area: {t['zones']} cells; " + "; ".join(
                f"{k[5:]} cell {t[k]['zone']} ({t[k]['places']} places) {t[k]['gzip_kb']:.0f} KB "
                f"gzip, built in {t[k]['build_ms']:.0f} ms" for k in ("zone_median", "zone_largest")))
        print(f"    /{tid}/velo: first render {t['page_ms'][0]:.0f} ms (builds the footer's pack "
              f"version), next {t['page_ms'][1]:.0f} ms")
        if "gazetteer" in t:
            g = t["gazetteer"]
            print(f"    gazetteer: {g['n']} names, build {g['build_ms']:.0f} ms, search p50 "
                  f"{g['p50_ms']:.2f} ms p99 {g['p99_ms']:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bikes", type=int, default=60_000)
    parser.add_argument("--drop-off", type=int, default=250_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--no-server", action="store_true", help="skip gunicorn cold start/RSS")
    args = parser.parse_args()
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ms = timed_ms(lambda: national.generate(out, args.bikes, args.drop_off))[0]
        print(f"SYNTHETIC national territory: {args.bikes} bike parkings, {args.drop_off} drop-off "
              f"points, generated in {ms / 1000:.1f} s (tools/national.py; no record is real)")
        base = in_process(ROOT / "territories", ROOT / "data", args.queries, rng)
        show("baseline, the real embedded territories", base)
        big = in_process(out / "territories", out / "data", args.queries, rng)
        show("national (synthetic)", big)
        if args.no_server:
            return
        for label, env, page in (("baseline", {}, "/paris/frais"), ("national", {
                "PRESDICI_TERRITORIES_DIR": str(out / "territories"),
                "PRESDICI_EMBEDDED_DIR": str(out / "data")}, "/france/velo")):
            env["PRESDICI_INSTANCE"] = tempfile.mkdtemp()
            g = gunicorn(env, page)
            print(f"\n## gunicorn ({label}): cold start {g['cold_start_s']:.1f} s, first {page} "
                  f"{g['first_page_s']:.1f} s, master RSS "
                  f"{g['master_rss_mb']:.0f} MB, worker RSS {g['worker_rss_mb']:.0f} MB "
                  f"(PSS {g['worker_pss_mb']:.0f} MB, {g['workers']} workers)")


if __name__ == "__main__":
    main()
