"""Rendering cost of every task page and fragment in process, as a ratio to the empty route.

    .venv/bin/python bench/render.py [--runs 200] [--lang fr] [--only bike] [--profile LABEL]
    .venv/bin/python bench/render.py --phases        # where each route's time goes

Flask test client, real embedded data, frozen clock (2025-09-16 15:00, so « Au frais » has
hours to evaluate). Routes are measured in interleaved rounds (one request of each per round),
so a burst of load from other processes on the machine hits every route alike; the ratio to
`/sante` in the same run is the figure to compare between runs. CPU time of the thread that
serves the request (time.thread_time), median and p90, after warm-up requests.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HX = {"HX-Request": "true"}
GRENOBLE = "lat=45.1909&lon=5.7269"
PARIS = "lat=48.8566&lon=2.3522"
TOULOUSE = "lat=43.6045&lon=1.4440"
ROUTES = [
    ("empty route /sante (baseline)", "/sante", {}),
    ("bike page, no position", "/grenoble/velo", {}),
    ("bike page near a position", f"/grenoble/velo?{GRENOBLE}", {}),
    ("bike fragment near a position", f"/grenoble/velo?{GRENOBLE}", HX),
    ("bike fragment, Paris (OSM)", f"/paris/velo?{PARIS}", HX),
    ("recycle page", "/toulouse/jeter", {}),
    ("recycle answer near a position", f"/toulouse/jeter?objet=bouteille+de+vin&{TOULOUSE}", {}),
    ("recycle fragment near a position", f"/toulouse/jeter?objet=bouteille+de+vin&{TOULOUSE}",
     HX),
    ("cool page, no position", "/paris/frais", {}),
    ("cool page near a position", f"/paris/frais?{PARIS}", {}),
    ("cool fragment near a position", f"/paris/frais?{PARIS}", HX),
    ("cool fragment, open now", f"/paris/frais?{PARIS}&ouvert=1", HX),
    ("mobility page", "/grenoble/deplacements", {}),
    ("city page", "/grenoble/", {}),
]


def measure(client, routes, runs: int, headers: dict) -> dict[str, list[float]]:
    """CPU ms of each route, runs times, in interleaved rounds."""
    samples: dict[str, list[float]] = {label: [] for label, _u, _h in routes}
    for label, url, extra in routes:            # warm-up: compile templates, fill caches
        for _ in range(5):
            assert client.get(url, headers={**headers, **extra}).status_code == 200, url
    for _ in range(runs):
        for label, url, extra in routes:
            start = time.thread_time()
            response = client.get(url, headers={**headers, **extra})
            samples[label].append((time.thread_time() - start) * 1000)
            assert response.status_code == 200, url
    return samples


PHASES = ("before the view", "view: data", "view: drawing", "after the view", "outside Flask")


def phases(app, client, routes, runs: int, headers: dict) -> dict[str, dict[str, list[float]]]:
    """CPU ms of each phase of each route (interleaved rounds as measure()): routing and
    before-request hooks (the rate limiter), the view up to rendering (nearest, rows), drawing
    (rendering.render: Jinja), after-request hooks (headers), and what the test client and the
    WSGI layer cost around the request. Marks are Flask's request signals, a wrapper around
    every view and around each task's `render`."""
    import importlib

    from flask import request_finished, request_started
    marks: dict[str, float] = {}
    request_started.connect(lambda sender, **kw: marks.__setitem__("start", time.thread_time()), app,
                            weak=False)
    request_finished.connect(lambda sender, **kw: marks.__setitem__("end", time.thread_time()), app,
                             weak=False)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            marks[name + "+"] = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                marks[name + "-"] = time.thread_time()
        return wrapper
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = timed("view", view)
    for module in ("bike", "recycle", "cool", "mobility", "pages"):
        try:
            mod = importlib.import_module(f"webapp.tasks.{module}")
        except ImportError:
            continue
        if hasattr(mod, "render"):
            mod.render = timed("render", mod.render)
    samples = {label: {p: [] for p in PHASES} for label, _u, _h in routes}
    for label, url, extra in routes:
        for _ in range(5):
            client.get(url, headers={**headers, **extra})
    for _ in range(runs):
        for label, url, extra in routes:
            marks.clear()
            start = time.thread_time()
            assert client.get(url, headers={**headers, **extra}).status_code == 200, url
            total = time.thread_time() - start
            drawn = marks.get("render-", 0) - marks.get("render+", 0)
            view = marks["view-"] - marks["view+"]
            row = (marks["view+"] - marks["start"], view - drawn, drawn,
                   marks["end"] - marks["view-"], total - (marks["end"] - marks["start"]))
            for name, value in zip(PHASES, row):
                samples[label][name].append(value * 1000)
    return samples


def print_phases(samples, routes) -> None:
    """Median CPU ms of each phase, and each as a multiple of /sante's whole median."""
    base = sum(statistics.median(v) for v in samples[routes[0][0]].values())
    print(f"{'route':36} " + " ".join(f"{p:>15}" for p in PHASES) + f" {'sum × /sante':>13}")
    for label, _url, _h in routes:
        meds = [statistics.median(samples[label][p]) for p in PHASES]
        print(f"{label:36} " + " ".join(f"{m:8.3f} ({m / base:4.1f}×)" for m in meds)
              + f" {sum(meds) / base:13.1f}")
    print("median CPU ms per phase (thread time); (n×) = that phase as a multiple of the "
          "empty route's whole time")


def profile(client, route, headers: dict, runs: int) -> None:
    """cProfile one route and print the top functions by own and cumulative time."""
    import cProfile
    import pstats
    label, url, extra = route
    for _ in range(5):
        client.get(url, headers={**headers, **extra})
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(runs):
        client.get(url, headers={**headers, **extra})
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    """Measure every route (or those matching --only) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--lang", default="fr", help="Accept-Language of every request")
    parser.add_argument("--only", default="", help="only routes whose label contains this")
    parser.add_argument("--profile", default="", help="cProfile the first route matching this")
    parser.add_argument("--phases", action="store_true",
                        help="split each route's time: before the view, data, drawing, after")
    args = parser.parse_args()
    os.environ["PRESDICI_INSTANCE"] = tempfile.mkdtemp()
    from webapp import create_app
    app = create_app({"CLOCK_AT": "2025-09-16T15:00",
                      "RATELIMIT_COSTLY": "100000000 per minute"})
    client = app.test_client()
    headers = {"Accept-Language": args.lang}
    if args.profile:
        route = next(r for r in ROUTES if args.profile in r[0])
        profile(client, route, headers, args.runs)
        return
    routes = [ROUTES[0]] + [r for r in ROUTES[1:] if args.only in r[0]]
    if args.phases:
        print_phases(phases(app, client, routes, max(10, args.runs), headers), routes)
        return
    samples = measure(client, routes, max(10, args.runs), headers)
    base = statistics.median(samples[routes[0][0]])
    print(f"{'route':36} {'p50 ms':>9} {'p90 ms':>8} {'× /sante':>9}")
    for label, _url, _h in routes:
        cpu = samples[label]
        p90 = statistics.quantiles(cpu, n=10)[8]
        med = statistics.median(cpu)
        print(f"{label:36} {med:9.3f} {p90:8.3f} {med / base:9.1f}")
    print(f"CPU time per request (thread), {len(samples[routes[0][0]])} interleaved rounds, "
          f"Accept-Language: {args.lang}, Flask test client, frozen clock")


if __name__ == "__main__":
    main()
