"""Take the README screenshots in Debian's Chromium against a real gunicorn (phone viewport).

Usage: .venv/bin/python tools/screenshot.py
"""
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, Gunicorn, phone_context  # noqa: E402


def main() -> None:
    """Grenoble bike page after "Use my position" at Place Grenette."""
    from playwright.sync_api import sync_playwright
    folder = Path(tempfile.mkdtemp())
    server = Gunicorn(folder / "instance", folder / "server.log")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = phone_context(browser, geolocation=(45.1909, 5.7269))
            page = context.new_page()
            page.goto(f"{server.url}/grenoble/velo")
            page.get_by_role("button", name="Utiliser ma position").click()
            page.wait_for_selector("#results ol.places li.place")
            page.screenshot(path=str(ROOT / "docs/screenshot-bike.png"), full_page=False)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
