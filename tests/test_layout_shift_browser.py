"""No layout shift: what JavaScript reveals (position button, map toggle, offline footer) takes
its place without moving the page. CLS measured in Chromium with PerformanceObserver."""
import pytest

from conftest import phone_context, watch_console
from webapp.tasks.mobility.profile import Known, Profile, encode

pytestmark = pytest.mark.browser


def plan(*places: tuple[str, float, float]) -> str:
    """A shared plan's fragment: mobility.js POSTs it, and the plan page loads."""
    return "#plan=" + encode(Profile(places=[Known(label, label, lat, lon)
                                             for label, lat, lon in places]))


# Every task page, empty and with an answer (the answer brings the map toggle and longer lists).
PAGES = ["/", "/grenoble/", "/grenoble/velo", "/grenoble/velo?lat=45.1885&lon=5.7245",
         "/toulouse/jeter", "/toulouse/jeter?objet=bouteille+de+vin",
         "/paris/frais", "/paris/frais?lat=48.8566&lon=2.3522", "/clermont/frais",
         "/perigueux/velo", "/donnees", "/grenoble/deplacements", "/perigueux/deplacements",
         "/grenoble/deplacements" + plan(("Chez moi", 45.1885, 5.7245), ("Médecin", 45.1865, 5.7335)),
         "/perigueux/deplacements" + plan(("Chez moi", 45.1845, 0.7212))]

# Layout-shift entries since navigation (buffered), after everything the scripts do at load.
MEASURE_CLS = """() => new Promise(resolve => {
  const shifts = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      shifts.push({value: e.value, sources: (e.sources || []).map(s => s.node ?
        (s.node.nodeName + '.' + (s.node.className || '')) : '?')});
    }
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(shifts), 1500);
})"""


@pytest.mark.parametrize("url", PAGES, ids=lambda url: url.split("#")[0] + (
    "#plan" if "#plan" in url else ""))
def test_no_layout_shift_on_load(browser, server, url):
    # Geolocation granted: "Utiliser ma position" appears, as on most phones.
    context = phone_context(browser, geolocation=(45.1885, 5.7245))
    try:
        page = context.new_page()
        problems = watch_console(page)
        # A cheap phone on a mobile network, as Lighthouse's mobile run: the page paints before
        # the deferred scripts run, which is when a revealed control would push the page.
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                 "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(server.url + url, wait_until="load")
        if "#plan=" in url:                 # the plan page is the POST answer that follows
            page.wait_for_selector("article.known")
        page.wait_for_load_state("networkidle")
        shifts = page.evaluate(MEASURE_CLS)
        assert not problems, problems
        # The controls were revealed (else a CLS of 0 would prove nothing).
        locate = page.locator(".js-locate")
        if "/velo" in url or "/frais" in url:
            assert locate.first.is_visible(), url
        assert all(locate.nth(i).is_visible() for i in range(locate.count())), url
        if "/deplacements" in url:
            assert page.locator(".js-add-here").is_visible(), url
        if "#plan=" in url:                 # "keep this plan on this device" needs a plan
            assert page.locator(".mobility-form .js-keep").is_visible(), url
        assert sum(s["value"] for s in shifts) == pytest.approx(0, abs=1e-3), shifts
    finally:
        context.close()


# Where each element of the page starts, from the top of the document (hidden ones left out).
TOPS = """() => [...document.querySelectorAll('main *, footer')]
  .filter(e => e.getClientRects().length)
  .map(e => [e.tagName + '.' + (e.getAttribute('class') || '') + '#' + e.id,
             Math.round(e.getBoundingClientRect().top + scrollY)])"""


def layout(browser, base: str, url: str, scripts: bool) -> dict:
    """{(element, nth of its kind): top} once the page has settled, with or without our scripts."""
    context = phone_context(browser, geolocation=(45.1885, 5.7245))
    try:
        page = context.new_page()
        if not scripts:
            page.route("**/*.js", lambda route: route.abort())
        path, _, fragment = url.partition("#")
        page.goto(base + path)
        if fragment:        # a shared plan: POST it as mobility.js does (here without it, too)
            page.evaluate("value => { document.querySelector('.js-shared').value = value; }",
                          fragment.removeprefix("plan="))
            # A fixed departure time: "now" moves between the two loads, and with it the next
            # departures listed (the first CI run of this test compared 10:41 with 10:42)
            page.fill("#heure", "08:00")
            with page.expect_navigation():
                page.click("button[name=action][value=plan]")
        page.wait_for_load_state("networkidle")
        seen: dict[str, int] = {}
        tops = {}
        for name, top in page.evaluate(TOPS):
            seen[name] = seen.get(name, 0) + 1
            tops[(name, seen[name])] = top
        return tops
    finally:
        context.close()


@pytest.mark.parametrize("url", PAGES, ids=lambda url: url.split("#")[0] + (
    "#plan" if "#plan" in url else ""))
def test_scripts_move_nothing(browser, server, url):
    # Deterministic where CLS depends on timing: on a fast machine the scripts run before the
    # first paint and no shift is recorded, yet a slow phone paints first. The page laid out
    # before any script runs must be the page after they revealed their controls.
    before = layout(browser, server.url, url, scripts=False)
    after = layout(browser, server.url, url, scripts=True)
    moved = [f"{name}[{n}]: {top} → {after[(name, n)]}" for (name, n), top in before.items()
             if (name, n) in after and after[(name, n)] != top]
    assert not moved, moved[:8]
