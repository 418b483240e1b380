"""No layout shift: what JavaScript reveals (position button, map toggle, offline footer) takes
its place without moving the page. CLS measured in Chromium with PerformanceObserver."""
import pytest

from conftest import phone_context, watch_console

pytestmark = pytest.mark.browser

# Every task page, empty and with an answer (the answer brings the map toggle and longer lists).
PAGES = ["/", "/grenoble/", "/grenoble/velo", "/grenoble/velo?lat=45.1885&lon=5.7245",
         "/toulouse/jeter", "/toulouse/jeter?objet=bouteille+de+vin",
         "/paris/frais", "/paris/frais?lat=48.8566&lon=2.3522", "/clermont/frais",
         "/perigueux/velo", "/donnees"]

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


@pytest.mark.parametrize("url", PAGES)
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
        page.wait_for_load_state("networkidle")
        shifts = page.evaluate(MEASURE_CLS)
        assert not problems, problems
        # The controls were revealed (else a CLS of 0 would prove nothing).
        locate = page.locator(".js-locate")
        if "/velo" in url or "/frais" in url:
            assert locate.first.is_visible(), url
        assert all(locate.nth(i).is_visible() for i in range(locate.count())), url
        assert sum(s["value"] for s in shifts) == 0, shifts
    finally:
        context.close()
