"""HTTP benchmark: wrk against real gunicorn on 127.0.0.1, task pages vs an empty route, same run.

Usage: .venv/bin/python bench/http_load.py [--seconds 10] [--connections 16] [--keep-alive]
Needs wrk (`make bench` installs Debian's wrk).

Each request on its own connection by default, as deploy/nginx.conf sends them: with persistent
connections a gthread worker accepts all it can, so wrk's burst of 16 often lands on one of the
two workers and the other core idles (about 420 against 1,000 req/s for the bike page on this
machine, from one run to the next). `--keep-alive` measures that way anyway; the `workers`
column (each worker's share of the CPU the workers used) shows when it happened.
"""
from __future__ import annotations

import argparse
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import Gunicorn  # noqa: E402  (the same real-server harness as the tests)

HX = {"HX-Request": "true"}
WINE = "objet=bouteille+de+vin&lat=43.6045&lon=1.444"
# Every task page, and its htmx fragment near a position (issue 12: each at least half the
# empty route's requests per second).
ROUTES = [
    ("empty route /sante (baseline)", "/sante", {}),
    ("bike page, no position", "/grenoble/velo", {}),
    ("bike page near a position", "/grenoble/velo?lat=45.1909&lon=5.7269", {}),
    ("bike fragment (htmx)", "/grenoble/velo?lat=45.1909&lon=5.7269", HX),
    ("place search fragment", "/grenoble/velo?q=gare", HX),
    ("recycle page", "/toulouse/jeter", {}),
    ("recycle answer near a position", f"/toulouse/jeter?{WINE}", {}),
    ("recycle fragment (htmx)", f"/toulouse/jeter?{WINE}", HX),
    ("cool page, no position", "/paris/frais", {}),
    ("cool page near a position", "/paris/frais?lat=48.8566&lon=2.3522", {}),
    ("cool fragment (htmx)", "/paris/frais?lat=48.8566&lon=2.3522", HX),
    ("mobility page", "/grenoble/deplacements", {}),
]


def cpu_ticks(pid: int) -> int:
    """User + system CPU ticks a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def workers_of(master: int) -> list[int]:
    """The gunicorn master's worker processes."""
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def wait_for_workers(master: int, timeout: float = 30) -> list[int]:
    """The workers of gunicorn.conf.py once all are forked (the port opens before they are)."""
    count = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
    deadline = time.monotonic() + timeout
    while len(found := workers_of(master)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def wrk(url: str, headers: dict, seconds: int, connections: int) -> tuple[float, str, str]:
    """Requests/s and p50/p99 latency reported by wrk."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers on {url}:\n{out}")
    return rps, p50, p99


def main() -> None:
    """Start gunicorn with the project's config and measure each route."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="", help="only routes whose label contains this")
    parser.add_argument("--keep-alive", action="store_true",
                        help="persistent connections (see above: one worker may get them all)")
    parser.add_argument("--warmup", type=int, default=2,
                        help="seconds of load on each route first, not counted (every worker "
                             "compiles its templates and fills its caches: without it, one "
                             "route's p99 read 541 ms)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run `make bench-deps`")
    folder = Path(tempfile.mkdtemp())
    # One client sends thousands of requests a second: the rate limiter still counts each one
    # (its cost is measured) but at a limit this load never reaches.
    server = Gunicorn(folder / "instance", folder / "server.log",
                      {"PRESDICI_RATELIMIT_COSTLY": "100000000 per minute"})
    routes = [ROUTES[0]] + [r for r in ROUTES[1:] if args.only in r[0]]
    close = {} if args.keep_alive else {"Connection": "close"}
    rows = []
    try:
        workers = wait_for_workers(server.proc.pid)
        for _label, path, headers in routes if args.warmup else ():
            wrk(server.url + path, {**headers, **close}, args.warmup, args.connections)
        for label, path, headers in routes:
            before = [cpu_ticks(pid) for pid in workers]
            measured = wrk(server.url + path, {**headers, **close}, args.seconds, args.connections)
            used = [cpu_ticks(pid) - tick for pid, tick in zip(workers, before)]
            share = "/".join(f"{100 * u / max(1, sum(used)):.0f}" for u in used)
            rows.append((label, *measured, share))
    finally:
        server.stop()
    base = rows[0][1]
    print(f"{'route':34} {'req/s':>8} {'vs empty':>8} {'p50':>9} {'p99':>9} {'workers %':>10}")
    for label, rps, p50, p99, share in rows:
        print(f"{label:34} {rps:>8.0f} {rps / base:>8.2f} {p50:>9} {p99:>9} {share:>10}")
    print(f"gunicorn.conf.py (2 workers x 4 threads), wrk -t2 -c{args.connections} "
          f"-d{args.seconds}s on the same machine, after {args.warmup} s of warm-up per route, "
          + ("persistent connections" if args.keep_alive else "a connection per request"))


if __name__ == "__main__":
    main()
