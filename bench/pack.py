"""Offline benchmark: territory pack sizes, offline JS size, sorting-guide size, offline answer time.

Usage: .venv/bin/python bench/pack.py [--runs 30] [--no-browser]
Sizes are bytes of what the server sends (raw JSON, gzip -9 as served). Times: Debian's Chromium
against real gunicorn, offline, after "keep this city": the median of --runs queries, both the
computation alone (answer() over the pack) and the whole click → results path.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.pop(0)                       # bench/ itself: a script there named like a stdlib module shadows it
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, Gunicorn  # noqa: E402

JS = ["static/js/offline.js", "static/js/pack-nearest.js", "static/js/app.js", "static/js/map.js",
      "static/vendor/htmx-2.0.11.min.js", "static/vendor/leaflet/leaflet.js"]
POINT = (45.1909, 5.7269)             # Place Grenette, Grenoble


def gz(data: bytes) -> int:
    """Gzipped size at level 9, as a server would send it."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def pack_sizes(app) -> None:
    """Raw and gzip size of every territory's pack."""
    from webapp.catalog import catalog
    from webapp.offline import pack_for
    print("| territory | places | pack raw | pack gzip |\n|---|---:|---:|---:|")
    with app.test_request_context():
        for data in catalog().all():
            pack = pack_for(data)
            places = sum(len(i) for i in data.indexes.values())
            print(f"| {data.territory.id} | {places} | {len(pack.body):,} B | {len(pack.gzipped):,} B |")


def text_sizes(app) -> None:
    """Bytes of the translated words a page carries for offline.js (its footer's data-text)."""
    from bs4 import BeautifulSoup
    print("\n| page | offline texts |\n|---|---:|")
    client = app.test_client()
    for url in ["/grenoble/", "/grenoble/velo", "/toulouse/jeter", "/paris/frais"]:
        area = BeautifulSoup(client.get(url).data, "html.parser").select_one(".offline-state")
        print(f"| {url} | {len(area['data-text'].encode()):,} B |")


def js_sizes(app) -> None:
    """Raw and gzip size of our JS, the vendored libraries (for scale) and the rendered worker."""
    print("\n| script | raw | gzip |\n|---|---:|---:|")
    for name in JS:
        data = (ROOT / name).read_bytes()
        print(f"| {name} | {len(data):,} B | {gz(data):,} B |")
    worker = app.test_client().get("/sw.js").data
    print(f"| /sw.js (rendered) | {len(worker):,} B | {gz(worker):,} B |")


def sorting_sizes(app) -> None:
    """What an offline sorting guide would weigh: its source files and a compact item list."""
    folder = ROOT / "data" / "national"
    files = sorted(folder.glob("*.json"))
    if not (ROOT / "webapp" / "sorting").exists() or not files:
        print("\nsorting guide: not in this tree")
        return
    raw = sum(f.stat().st_size for f in files)
    print(f"\nsorting guide source files ({len(files)}): {raw:,} B raw, "
          f"{sum(gz(f.read_bytes()) for f in files):,} B gzip")
    from webapp.sorting import load_guide
    guide = load_guide(folder)
    items = [[i.id, i.name, i.stream, str(i.advice), str(i.good), str(i.worn), i.reuse,
              i.dechetterie, list(i.terms)] for i in guide.items.values()]
    body = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    terms = sum(len(i[-1]) for i in items)
    print(f"sorting guide as a pack ({len(items)} items, {terms} search terms, advice HTML "
          f"included): {len(body):,} B raw, {gz(body):,} B gzip")
    slim = json.dumps([[i[0], i[1], i[2], i[-1]] for i in items], ensure_ascii=False,
                      separators=(",", ":")).encode()
    print(f"  without advice (names, stream, terms only): {len(slim):,} B raw, {gz(slim):,} B gzip")


TIMING = """async ([runs, point]) => {
  const m = await import('/static/js/pack-nearest.js');
  const root = document.querySelector('.offline-state');
  const text = JSON.parse(root.dataset.text);
  const hit = await (await caches.open('presdici-city-grenoble')).match(root.dataset.pack);
  const t0 = performance.now();
  const pack = JSON.parse(await hit.text());
  const parse = performance.now() - t0;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const lat = point[0] + (i % 7) * 0.001, lon = point[1] + (i % 5) * 0.001;
    const start = performance.now();
    document.querySelector('#results').replaceChildren(m.answer(pack, 'bike', {lat, lon}, text, 'fr'));
    times.push(performance.now() - start);
  }
  return {parse, times};
}"""


def browser_times(runs: int) -> None:
    """Median offline answer time in Chromium, computation only and click to results."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        server = Gunicorn(Path(tmp) / "instance", Path(tmp) / "server.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(**PHONE, locale="fr-FR", permissions=["geolocation"],
                                              geolocation={"latitude": POINT[0],
                                                           "longitude": POINT[1]})
                page = context.new_page()
                page.goto(f"{server.url}/grenoble/velo")
                page.wait_for_function("() => navigator.serviceWorker.controller !== null")
                page.locator(".js-keep").click()
                page.wait_for_function("() => document.querySelector('.js-remove').hidden === false")
                context.set_offline(True)
                page.reload()
                result = page.evaluate(TIMING, [runs, list(POINT)])
                clicks = []
                for _ in range(runs):
                    page.evaluate("() => document.querySelector('#results').replaceChildren()")
                    clicks.append(page.evaluate("""() => new Promise((done) => {
                      const start = performance.now();
                      new MutationObserver((_, obs) => {
                        if (document.querySelector('#results .offline-note')) {
                          obs.disconnect(); done(performance.now() - start); }
                      }).observe(document.querySelector('#results'), {childList: true});
                      document.querySelector('.js-locate').click();
                    })"""))
                browser.close()
        finally:
            server.stop()
    print(f"\nChromium, offline, Grenoble pack ({runs} runs):")
    print(f"  JSON.parse of the stored pack: {result['parse']:.1f} ms (once per query, from cache)")
    print(f"  answer() (nearest over every list + DOM): median "
          f"{statistics.median(result['times']):.2f} ms, max {max(result['times']):.2f} ms")
    print(f"  click 'Utiliser ma position' → results shown: median {statistics.median(clicks):.1f} ms,"
          f" max {max(clicks):.1f} ms")


def main() -> None:
    """Print every measurement as Markdown-ready lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    import os
    os.environ.setdefault("PRESDICI_INSTANCE", tempfile.mkdtemp())
    from webapp import create_app
    app = create_app({"TESTING": True})
    pack_sizes(app)
    text_sizes(app)
    js_sizes(app)
    sorting_sizes(app)
    if not args.no_browser:
        browser_times(args.runs)


if __name__ == "__main__":
    main()
