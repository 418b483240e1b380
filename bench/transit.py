"""Transit benchmark: RAPTOR reach() on the Grenoble TAG feed beside a pure-Python Dijkstra.

Also: time to build the arrays from the GTFS zip, their size on disk, time to load a timetable
(memory-mapped), and the RSS of a fresh app process with and without transit loaded.

Usage: .venv/bin/python bench/transit.py [--runs 300] [--baseline-runs 10]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from webapp import create_app  # noqa: E402
from webapp.transit import arrays, timetable_for  # noqa: E402
from webapp.transit.build import build  # noqa: E402
from webapp.transit.reference import RawFeed  # noqa: E402
from webapp.transit.registry import _names, gtfs_dataset  # noqa: E402

ORIGIN = (45.1885, 5.7245)        # Grenoble, place Victor Hugo (the territory's centre)
DEPART = 8 * 3600

# A fresh interpreter creating the app, as a gunicorn worker would; transit optionally switched off.
RSS_PROBE = """
import json, sys, time
sys.path.insert(0, {root!r})
import webapp.transit
if {off}:
    webapp.transit.init_app = lambda app: None
    import webapp.transit.registry
started = time.perf_counter()
from webapp import create_app
app = create_app({{"INSTANCE_PATH": {instance!r}}})
elapsed = time.perf_counter() - started
if not {off}:
    from datetime import time as _t
    with app.app_context():
        tt = webapp.transit.timetable_for("grenoble")
        tt.reach({lat}, {lon}, tt.typical_day(), {depart})
status = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
print(json.dumps({{"rss": status["VmRSS"].strip(), "anon": status["RssAnon"].strip(),
                   "file": status["RssFile"].strip(), "start_s": round(elapsed, 2)}}))
"""


def pct(values, q):
    """q-th percentile (the value itself for a single run)."""
    return values[0] if len(values) < 2 else statistics.quantiles(values, n=100)[q - 1]


def timed_ms(fn, runs, clock=time.perf_counter):
    """Milliseconds per call, by wall clock (or CPU time of this thread: time.thread_time)."""
    out = []
    for _ in range(runs):
        t = clock()
        fn()
        out.append((clock() - t) * 1000)
    return out


def probe(instance: str, off: bool) -> dict:
    """RSS of a new process that built the app (and ran one reach when transit is on)."""
    code = RSS_PROBE.format(root=str(ROOT), off=off, instance=instance, lat=ORIGIN[0],
                            lon=ORIGIN[1], depart=DEPART)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def gunicorn_workers(enabled: bool) -> list[dict]:
    """Rss and Pss (shared pages divided among the processes using them) of each worker of a real
    gunicorn (gunicorn.conf.py: preload, 2 workers) after start and one mobility page."""
    sys.path.insert(0, str(ROOT / "tests"))
    import urllib.request
    from conftest import Gunicorn
    folder = Path(tempfile.mkdtemp())
    server = Gunicorn(folder / "instance", folder / "log",
                      {"PRESDICI_TRANSIT_ENABLED": "true" if enabled else "false"})
    try:
        for _ in range(4):      # both workers answer at least once, most likely
            urllib.request.urlopen(f"{server.url}/grenoble/deplacements", timeout=30).read()
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text()
        out = []
        for pid in children.split():
            rollup = dict(line.split(":", 1) for line in
                          Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
            out.append({k: int(rollup[k].split()[0]) // 1024 for k in ("Rss", "Pss")})
        return out
    finally:
        server.stop()


def main() -> None:
    """Run every measure and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--baseline-runs", type=int, default=10)
    parser.add_argument("--no-gunicorn", dest="gunicorn", action="store_false",
                        help="skip the real gunicorn workers' memory")
    args = parser.parse_args()
    instance = tempfile.mkdtemp()
    app = create_app({"INSTANCE_PATH": instance})
    with app.app_context():
        territory = app.extensions["presdici.catalog"].territories["grenoble"]
        dataset = gtfs_dataset(territory)
        payload = (Path(app.config["EMBEDDED_DIR"]) / dataset.embedded).read_bytes()
        started = time.perf_counter()
        built, meta = build(payload, _names(dataset))
        build_s = time.perf_counter() - started
        folder = arrays.write(Path(tempfile.mkdtemp()), "bench", built, meta)
        size_mb = arrays.size_on_disk(folder) / 1e6
        registry = app.extensions["presdici.transit"]
        load_ms = timed_ms(lambda: registry._load("grenoble"), 5)
        tt = timetable_for("grenoble")
        day = tt.typical_day()
        print(f"Grenoble TAG: {meta['stop_times']} stop_times, {len(tt.stops)} stations; "
              f"origin {ORIGIN}, {day} (typical Tuesday) 08:00, 60-min horizon")
        print(f"arrays: build {build_s:.2f} s, {size_mb:.1f} MB on disk, "
              f"timetable load (mmap) p50 {pct(load_ms, 50):.1f} ms")
        query = lambda: tt.reach(*ORIGIN, day, DEPART, horizon_s=3600)  # noqa: E731
        query()                                               # warm the mapped pages
        fast = timed_ms(query, args.runs)
        cpu = timed_ms(query, args.runs, time.thread_time)
        reached = len(tt.reach(*ORIGIN, day, DEPART).stops_within(3600))
        raw = RawFeed(payload, tt)
        slow = timed_ms(lambda: raw.earliest(*ORIGIN, day, DEPART, 3600), args.baseline_runs)
        same = raw.earliest(*ORIGIN, day, DEPART, 3600) == {
            s.index: a.time_s for s, a in tt.reach(*ORIGIN, day, DEPART).stops_within(3600)}
        print(f"{'reach()':28} p50 {pct(fast, 50):8.2f} ms  p99 {pct(fast, 99):8.2f} ms  "
              f"({args.runs} runs, {reached} stations reached)")
        print(f"{'reach(), CPU time only':28} p50 {pct(cpu, 50):8.2f} ms  p99 {pct(cpu, 99):8.2f} ms  "
              f"(excludes waiting for a core; load average {os.getloadavg()[0]:.1f})")
        print(f"{'baseline: Dijkstra, Python':28} p50 {pct(slow, 50):8.2f} ms  "
              f"p99 {pct(slow, 99):8.2f} ms  ({args.baseline_runs} runs; same arrivals: {same})")
        print(f"ratio baseline/reach at p50: {pct(slow, 50) / pct(fast, 50):.0f}x")
    without, with_ = probe(instance, off=True), probe(instance, off=False)
    print(f"process RSS without transit: {without['rss']} (anon {without['anon']}), "
          f"app start {without['start_s']} s")
    print(f"process RSS with transit, after one reach: {with_['rss']} (anon {with_['anon']}, "
          f"file-backed {with_['file']}: mapped arrays shared between workers), "
          f"app start {with_['start_s']} s")
    if args.gunicorn:
        for enabled in (False, True):
            workers = gunicorn_workers(enabled)
            print(f"gunicorn workers, transit {'on' if enabled else 'off'}: " + ", ".join(
                f"RSS {w['Rss']} MB (PSS {w['Pss']} MB)" for w in workers))


if __name__ == "__main__":
    main()
