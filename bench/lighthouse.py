"""Lighthouse (mobile) on the home page, a city page and every task page, empty and with an answer.

Starts the app under gunicorn on 127.0.0.1, runs the pinned npm `lighthouse` (package.json) with
Debian's Chromium `--runs` times per page, and prints per page the median and the minimum of the
four category scores, then CLS, LCP and TBT (median). « Se déplacer » with a plan is reached only
by a POST: bench/lighthouse-flow.mjs measures that navigation as a Lighthouse user-flow step.

    make lighthouse                              # or: .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --runs 1 --only bike --audits
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM, Gunicorn  # noqa: E402  (one way to start gunicorn, as the tests)
from webapp.tasks.mobility.profile import Known, Profile, encode  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
FLOW = ROOT / "bench" / "lighthouse-flow.mjs"
ATTEMPTS = 3
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --no-first-run --disable-sync")
# A four-place Grenoble plan, as a social worker would build it (bench/mobility.py's places).
PLAN = Profile(places=[Known("Chez moi", "Victor Hugo", 45.1885, 5.7245),
                       Known("Médecin", "Chavant", 45.1865, 5.7335),
                       Known("Mission locale", "La Poya", 45.2035, 5.6935)])
PAGES = [
    ("home", "/"),
    ("city", "/grenoble/"),
    ("bike", "/grenoble/velo"),
    ("bike answer", "/grenoble/velo?lat=45.1885&lon=5.7245"),
    ("recycle", "/toulouse/jeter"),
    ("recycle answer", "/toulouse/jeter?objet=bouteille+de+vin"),
    ("cool", "/paris/frais"),
    ("cool answer", "/paris/frais?lat=48.8566&lon=2.3522"),
    ("mobility", "/grenoble/deplacements"),
    ("mobility answer", "/grenoble/deplacements#plan"),     # POST: see bench/lighthouse-flow.mjs
]
METRICS = [("CLS", "cumulative-layout-shift", 1, "{:.3f}"),
           ("LCP ms", "largest-contentful-paint", 1, "{:.0f}"),
           ("TBT ms", "total-blocking-time", 1, "{:.0f}")]


def run_once(base: str, name: str, path: str, out: Path) -> dict:
    """One Lighthouse report (parsed JSON) for one page."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    if name == "mobility answer":
        command = ["node", str(FLOW), base + path.split("#")[0], encode(PLAN), str(out)]
    else:
        command = [str(LIGHTHOUSE), base + path, "--quiet", "--output=json",
                   f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
                   f"--chrome-flags={FLAGS}"]
    for attempt in range(ATTEMPTS):
        # Lighthouse sometimes loses the trace on a loaded machine (NO_NAVSTART: "run again").
        done = subprocess.run(command, env=env, cwd=ROOT, timeout=300)
        if done.returncode == 0:
            report = json.loads(out.read_text(encoding="utf-8"))
            if not report.get("runtimeError"):
                return report
        print(f"{name}: Lighthouse failed (attempt {attempt + 1}), again", file=sys.stderr)
    raise SystemExit(f"{name}: Lighthouse failed {ATTEMPTS} times")


def failing_audits(report: dict) -> list[str]:
    """The audits that cost points: id, score and title."""
    weighted = {ref["id"] for cat in report["categories"].values()
                for ref in cat["auditRefs"] if ref["weight"]}
    return [f"{aid} ({audit['score']}): {audit['title']}"
            for aid, audit in sorted(report["audits"].items())
            if aid in weighted and audit["score"] is not None and audit["score"] < 1]


def row(name: str, reports: list[dict]) -> list[str]:
    """The table row: each category's median (min), then the metrics' medians."""
    cells = [name]
    for category in CATEGORIES:
        scores = [round(100 * (r["categories"][category]["score"] or 0)) for r in reports]
        cells.append(f"{statistics.median(scores):g} ({min(scores)})")
    for _label, audit, scale, fmt in METRICS:
        values = [r["audits"][audit]["numericValue"] * scale for r in reports]
        cells.append(fmt.format(statistics.median(values)))
    return cells


def main() -> None:
    """Run every page, print the table (Markdown) and, with --audits, what cost points."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="run only the pages whose name contains this")
    parser.add_argument("--audits", action="store_true", help="list the audits that cost points")
    parser.add_argument("--keep", type=Path, help="a folder to keep the JSON reports in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse is missing: run `make lighthouse` (npm ci)")
    pages = [(n, p) for n, p in PAGES if not args.only or args.only in n]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        server = Gunicorn(Path(tmp) / "instance", Path(tmp) / "server.log")
        rows, problems = [], {}
        try:
            for name, path in pages:
                reports = [run_once(server.url, name, path,
                                    folder / f"{name.replace(' ', '-')}-{i}.json")
                           for i in range(args.runs)]
                rows.append(row(name, reports))
                problems[name] = sorted({a for r in reports for a in failing_audits(r)})
                print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
        finally:
            server.stop()
    header = ["page"] + [f"{c} med (min)" for c in CATEGORIES] + [m[0] + " med" for m in METRICS]
    print(f"Lighthouse {lighthouse_version()} mobile, {args.runs} runs per page, Chromium "
          f"{chromium_version()}\n")
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    if args.audits:
        for name, audits in problems.items():
            print(f"\n{name}: " + ("; ".join(audits) if audits else "nothing lost"))


def lighthouse_version() -> str:
    """The installed Lighthouse's version."""
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def chromium_version() -> str:
    """Debian's Chromium's version."""
    done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return done.stdout.split()[1] if done.stdout.split()[1:] else "?"


if __name__ == "__main__":
    main()
