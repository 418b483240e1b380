"""Kiosk mode in Debian's Chromium against real gunicorn, at both kiosk screens, with touch:
a journey without keyboard, the idle countdown and reset, « Terminer », the QR code decoded."""
import io

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import CHROMIUM, kiosk_gunicorn, watch_console  # noqa: F401

pytestmark = pytest.mark.browser

KIOSK = {"lat": 43.6045, "lon": 1.4440}      # Capitole de Toulouse (the test profile's place)
PROFILE = f"""
[toulouse-capitole]
territory = "toulouse"
place = "Capitole de Toulouse, hall d'accueil"
lat = {KIOSK["lat"]}
lon = {KIOSK["lon"]}
languages = ["fr", "ar", "es", "uk", "en"]
idle_seconds = 3
countdown_seconds = 2
"""
SCREENS = {"portrait": {"width": 1080, "height": 1920}, "landscape": {"width": 1920, "height": 1080}}
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), summary')]
  .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden, p.source'))
  .filter(e => e.tagName !== 'A' || e.parentElement.textContent.trim() === e.textContent.trim())
  .map(e => [e.tagName + ' ' + e.textContent.trim().slice(0, 30), Math.round(e.getBoundingClientRect().height)])
  .filter(([, h]) => h < 60)"""
LEAVING = """() => [...document.querySelectorAll('a[href]')]
  .map(a => new URL(a.getAttribute('href'), location.href))
  .filter(u => u.origin !== location.origin).map(u => u.href)"""


@pytest.fixture(scope="module")
def kiosk_server(tmp_path_factory):
    """gunicorn pinned to the test kiosk profile by server configuration."""
    server = kiosk_gunicorn(tmp_path_factory.mktemp("kiosk"), PROFILE)
    yield server
    server.stop()


def kiosk_context(browser, screen):
    """A touch screen of the given orientation, no geolocation permission at all."""
    return browser.new_context(viewport=SCREENS[screen], has_touch=True, is_mobile=False,
                               locale="fr-FR")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_journey_by_touch_ends_with_a_qr_code_of_the_answer(browser, kiosk_server, screen, app):
    context = kiosk_context(browser, screen)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(kiosk_server.url + "/")
    assert page.url.endswith("/kiosque")
    # about:blank, then the attract screen: a kiosk's browser starts at its URL instead.
    start = page.evaluate("history.length")
    assert page.evaluate("document.documentElement.className") == "kiosk"
    assert page.evaluate(SMALL_TARGETS) == [] and page.evaluate(LEAVING) == []
    page.get_by_role("link", name="Où jeter ?").tap()
    page.wait_for_url("**/toulouse/jeter")
    # The letter picker: a name typed with on-screen keys only.
    for letter in "PILE":
        page.locator(".keypad button", has_text=letter).first.tap()
    assert page.input_value("#objet") == "pile"
    assert page.evaluate(SMALL_TARGETS) == []
    page.get_by_role("link", name="Verre", exact=True).tap()
    page.wait_for_url("**/toulouse/jeter?flux=glass")
    page.wait_for_selector("li.place[data-place-id]")
    # No position was asked: the answer starts from the kiosk's place, which no URL carries.
    assert "Capitole de Toulouse" in page.locator("main").inner_text()
    assert page.locator(".js-locate").is_hidden()
    assert page.evaluate(LEAVING) == [] and page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("history.length") == start
    first = page.locator("li.place[data-place-id]").first.get_attribute("data-place-id")
    png = page.locator(".kiosk-qr svg").screenshot()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]
    assert len(decoded) == 1
    place = next(p for p in app.extensions["presdici.catalog"].get("toulouse")
                 .index("recycle").places if p.id == first)
    assert decoded[0] == (f"{kiosk_server.url}/toulouse/jeter?flux=glass"
                          f"&lat={place.lat:.4f}&lon={place.lon:.4f}")
    assert str(KIOSK["lat"]) not in decoded[0]
    assert problems == []
    context.close()


def traces(page) -> dict:
    """What a visitor could leave behind in this browser."""
    return page.evaluate("""async () => {
      const keys = await caches.keys();
      const cached = [];
      for (const key of keys.filter(k => !k.startsWith('presdici-city-'))) {
        const cache = await caches.open(key);
        for (const request of await cache.keys()) cached.push(key + ' ' + request.url);
      }
      return {local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
              history: history.length, answers: cached.filter(u => u.includes('?') || u.includes('presdici-pages-'))};
    }""")


def leave_traces(page, kiosk_server):
    """A visitor picks Arabic, looks at an answer, and things land in storage and caches."""
    page.get_by_role("link", name="العربية").first.tap()
    page.wait_for_url("**/kiosque")
    page.locator(".kiosk-tasks a").nth(1).tap()
    page.wait_for_url("**/toulouse/jeter")
    page.locator(".streams a").first.tap()
    page.wait_for_url("**/toulouse/jeter?flux=*")
    page.evaluate("""async () => {
      localStorage.setItem('typed', 'pile'); sessionStorage.setItem('step', '2');
      document.cookie = 'seen=1; path=/';
      const cache = await caches.open('presdici-pages-visit');
      await cache.put(location.href, new Response('answer'));
    }""")
    left = traces(page)
    assert left["local"] and left["session"] and "lang=ar" in left["cookie"] and left["answers"]
    assert page.evaluate("document.documentElement.dir") == "rtl"


@pytest.mark.parametrize("screen", SCREENS)
def test_idle_countdown_then_every_trace_is_gone(browser, kiosk_server, screen):
    context = kiosk_context(browser, screen)
    page = context.new_page()
    page.goto(kiosk_server.url + "/kiosque")
    start = page.evaluate("history.length")
    leave_traces(page, kiosk_server)
    # No touch for 3 s: the question, in the visitor's language, then the reset after 2 s.
    page.wait_for_selector("#kiosk-idle[open]", timeout=8000)
    assert "هل ما زلت هنا؟" in page.locator("#kiosk-idle").inner_text()
    page.wait_for_url("**/kiosque", timeout=8000)
    page.wait_for_load_state()
    assert traces(page) == {"local": 0, "session": 0, "cookie": "", "history": start, "answers": []}
    assert context.cookies() == []
    assert page.evaluate("document.documentElement.lang") == "fr"
    # Back at a clean attract screen, no question comes again until someone touches it.
    page.wait_for_timeout(4000)
    assert page.locator("#kiosk-idle").is_hidden()
    page.go_back()                                    # only the blank page the test began on
    assert page.url == "about:blank"
    context.close()


def test_i_am_here_keeps_the_session(browser, kiosk_server):
    context = kiosk_context(browser, "portrait")
    page = context.new_page()
    page.goto(kiosk_server.url + "/toulouse/jeter?flux=glass")
    page.wait_for_selector("#kiosk-idle[open]", timeout=8000)
    page.get_by_role("button", name="Je suis là").tap()
    assert page.locator("#kiosk-idle").is_hidden()
    assert page.url.endswith("/toulouse/jeter?flux=glass")
    context.close()


def test_finish_wipes_at_once(browser, kiosk_server):
    context = kiosk_context(browser, "landscape")
    page = context.new_page()
    page.goto(kiosk_server.url + "/kiosque")
    start = page.evaluate("history.length")
    leave_traces(page, kiosk_server)
    page.locator(".kiosk-end").tap()
    page.wait_for_url("**/kiosque")
    page.wait_for_load_state()
    assert traces(page) == {"local": 0, "session": 0, "cookie": "", "history": start, "answers": []}
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", ["/kiosque", "/toulouse/jeter", "/toulouse/jeter?flux=glass",
                                  "/toulouse/velo", "/toulouse/frais"])
def test_kiosk_pages_pass_axe(browser, kiosk_server, lang, path):
    from tests.conftest import run_axe
    context = browser.new_context(viewport=SCREENS["portrait"], has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{kiosk_server.url}/langue/{lang}?suite={path.replace('?', '%3F')}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert run_axe(page) == []
    context.close()


def test_without_network_the_kiosk_shows_the_app_not_a_browser_error(browser, kiosk_server):
    context = kiosk_context(browser, "portrait")
    page = context.new_page()
    page.goto(kiosk_server.url + "/kiosque")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)
    context.set_offline(True)
    page.get_by_role("link", name="Au frais").tap()
    page.wait_for_url("**/toulouse/frais")
    # The worker's offline page (the app's own words), with the kiosk's « Terminer » still there.
    assert page.locator("h1").count() == 1 and "Près d'ici" in page.title()
    assert page.evaluate("document.documentElement.lang") == "fr"
    context.set_offline(False)
    context.close()
