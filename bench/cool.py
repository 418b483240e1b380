"""« Au frais »: time of the hours model and of the page, with baselines from the same run.

    .venv/bin/python bench/cool.py [--runs 200]

Prints p50/p99 in ms (in-process Flask test client, real embedded data, frozen clock):
the page without a starting point (baseline), the results with and without "open now",
heat-wave on, the htmx fragment; and µs per parse / per status of the opening-hours model.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 200
NEAR = "lat=48.8566&lon=2.3522"


def percentiles(samples: list[float]) -> str:
    """"p50 … ms, p99 … ms"."""
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {statistics.median(samples):7.2f} ms  p99 {cuts[98]:7.2f} ms"


def page_times(client, url: str, **headers) -> list[float]:
    """Wall time of RUNS requests (after 5 warm-ups)."""
    for _ in range(5):
        client.get(url, headers=headers)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return samples


def hours_model() -> None:
    """µs per parse (cache bypassed) and per status, on the real Paris per-day fields."""
    from webapp import hours
    records = json.loads((ROOT / "data/paris/ilots-de-fraicheur-equipements-activites"
                                 "_ods-v2.1-json-export_2025-09.json").read_text())
    fields = [f"horaires_{d}" for d in ("lundi", "mardi", "mercredi", "jeudi", "vendredi",
                                         "samedi", "dimanche")]
    inputs = [(tuple(r[f] for f in fields), r["horaires_periode"]) for r in records]
    start = time.perf_counter()
    parsed = [hours.from_days.__wrapped__(*i) for i in inputs]
    parse_us = (time.perf_counter() - start) * 1e6 / len(inputs)
    parsed = [p for p in parsed if p]
    at = datetime(2025, 9, 16, 15, 0)
    start = time.perf_counter()
    for p in parsed:
        p.status(at)
    status_us = (time.perf_counter() - start) * 1e6 / len(parsed)
    print(f"hours: {len(inputs)} records, {len(parsed)} with hours; "
          f"parse {parse_us:.1f} µs/record (uncached), status {status_us:.1f} µs/place")


def main() -> None:
    """Run every measurement."""
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    RUNS = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp())
    os.environ["PRESDICI_INSTANCE"] = str(folder)
    heat = folder / "heat.toml"
    from webapp import create_app
    app = create_app({"HEAT_FILE": str(heat), "CLOCK_AT": "2025-09-16T15:00"})
    client = app.test_client()
    hours_model()
    cases = [("page, no starting point (baseline)", "/paris/frais", {}),
             ("results", f"/paris/frais?{NEAR}", {}),
             ("results, open now", f"/paris/frais?{NEAR}&ouvert=1", {}),
             ("results, htmx fragment", f"/paris/frais?{NEAR}", {"HX-Request": "true"})]
    for label, url, headers in cases:
        print(f"{label:40s} {percentiles(page_times(client, url, **headers))}")
    heat.write_text('[paris.alert]\nstart = 2025-09-15\nend = 2025-09-17\n', encoding="utf-8")
    print(f"{'results, heat-wave on (3 sections)':40s} "
          f"{percentiles(page_times(client, f'/paris/frais?{NEAR}&ouvert=1'))}")


if __name__ == "__main__":
    main()
