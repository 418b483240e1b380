"""Measure every task page's document height at 360 px in Chromium, and keep full-page screenshots.

Each task page of each city is loaded twice against a real gunicorn: as it opens, and with an
answer (the city's centre as origin, and for « Où jeter ? » the item « bouteille de vin »).
Usage: .venv/bin/python tools/page_heights.py [--shots DIR] [--json FILE]
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from conftest import CHROMIUM, CHROMIUM_ARGS, Gunicorn, phone_context  # noqa: E402

TASKS = {"velo": "", "jeter": "objet=bouteille+de+vin&", "frais": ""}


def territories() -> list[tuple[str, float, float]]:
    """(id, centre lat, centre lon) of every territory file."""
    import tomllib
    found = []
    for path in sorted((ROOT / "territories").glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        found.append((spec["id"], *spec["center"]))
    return found


def pages() -> list[tuple[str, str]]:
    """(name, path) of each page measured."""
    found = []
    for city, lat, lon in territories():
        for task, extra in TASKS.items():
            found.append((f"{city}-{task}", f"/{city}/{task}"))
            found.append((f"{city}-{task}-answer", f"/{city}/{task}?{extra}lat={lat}&lon={lon}"))
    return found


def measure(shots: Path | None) -> dict[str, int]:
    """Document height (CSS px) of each page; a full-page PNG per page when shots is given."""
    from playwright.sync_api import sync_playwright
    folder = Path(tempfile.mkdtemp())
    server = Gunicorn(folder / "instance", folder / "server.log")
    heights = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = phone_context(browser)
            page = context.new_page()
            for name, path in pages():
                page.goto(server.url + path)
                page.wait_for_load_state("networkidle")
                heights[name] = page.evaluate("document.documentElement.scrollHeight")
                if shots:
                    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            browser.close()
    finally:
        server.stop()
    return heights


def main() -> None:
    """Print a table of heights (and write them as JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="folder for full-page screenshots")
    parser.add_argument("--json", type=Path, help="write the heights to this file")
    args = parser.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    heights = measure(args.shots)
    for name, height in heights.items():
        print(f"{name:32} {height:6d} px")
    if args.json:
        args.json.write_text(json.dumps(heights, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
