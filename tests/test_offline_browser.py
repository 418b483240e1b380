"""The offline layer in Debian's Chromium against real gunicorn: worker, offline pages, packs."""
import random
import re
import time
import urllib.request
from pathlib import Path

import pytest

import conftest
from conftest import Gunicorn, phone_context, watch_console

pytestmark = pytest.mark.browser
GRENETTE = (45.1909, 5.7269)          # Place Grenette, Grenoble; four decimals as the device sends
CACHE_DUMP = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = [];
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out[name].push({url: request.url, type: response.headers.get("Content-Type") || "",
                      body: (response.headers.get("Content-Type") || "").startsWith("text/html")
                            ? await response.text() : ""});
    }
  }
  return out;
}"""


def controlled(page, url):
    """Open url and wait until the service worker controls the page."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)


def keep_city(page):
    """Press "keep this city" and wait until the pack is stored."""
    page.locator(".js-keep").click()
    page.wait_for_function(
        "() => document.querySelector('.js-pack-status').textContent.includes('enregistrées')")


def result_rows(page):
    """(place id, distance text) of every result shown."""
    return page.eval_on_selector_all(
        "#results li.place[data-place-id]",
        "els => els.map(e => [e.dataset.placeId, e.querySelector('.distance').innerText])")


def test_worker_controls_the_page_and_is_installable(browser, server, tmp_path):
    # A persistent profile: Chromium never offers to install from an incognito context.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=conftest.CHROMIUM, args=conftest.CHROMIUM_ARGS,
        **conftest.PHONE, locale="fr-FR")
    page = context.new_page()
    problems = watch_console(page)
    controlled(page, f"{server.url}/grenoble/velo")
    assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL") == f"{server.url}/sw.js"
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and '"display": "standalone"' in manifest["data"]
    for src in page.evaluate("async () => (await (await fetch('/manifest.webmanifest')).json())"
                             ".icons.map(i => i.src)"):
        response = page.request.get(f"{server.url}{src}")
        assert response.ok and response.headers["content-type"] == "image/png"
    assert page.locator(".offline-state .js-net").inner_text() == "En ligne."
    assert problems == []
    context.close()


def test_offline_reload_shows_the_shell_and_the_task_page(browser, server):
    context = phone_context(browser)
    page = context.new_page()
    controlled(page, f"{server.url}/grenoble/velo")
    page.reload()                     # now through the worker: the page lands in its cache
    # An htmx-style fetch of the same URL must not replace the page by its fragment.
    page.evaluate("() => fetch(location.href, {headers: {'HX-Request': 'true'}})")
    context.set_offline(True)
    page.reload()
    assert page.locator("header.top .brand").is_visible()
    assert page.locator("h1").inner_text().endswith("Garer mon vélo")
    assert page.locator("form.locate").count() == 1
    assert page.locator(".offline-state .js-net").inner_text() == "Hors ligne."
    assert page.evaluate("() => document.styleSheets[0].cssRules.length") > 10   # CSS from cache
    page.goto(f"{server.url}/donnees")            # never visited: the offline page
    assert page.locator("h1").inner_text() == "Pas de réseau pour cette page"
    caches = page.evaluate(CACHE_DUMP)
    pages = [e for entries in caches.values() for e in entries if e["type"].startswith("text/html")]
    assert {e["url"] for e in pages} >= {f"{server.url}/grenoble/velo", f"{server.url}/hors-ligne"}
    assert all("<html" in e["body"] and "</html>" in e["body"] for e in pages)   # no fragment
    context.close()


def test_offline_answer_equals_the_online_answer(browser, server):
    context = phone_context(browser, geolocation=GRENETTE)
    page = context.new_page()
    problems = watch_console(page)
    controlled(page, f"{server.url}/grenoble/velo")
    keep_city(page)
    assert "Grenoble" in page.locator(".js-pack-info").inner_text()
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results ol.places li.place")
    online = result_rows(page)
    assert len(online) >= 5 and page.locator(".offline-note").count() == 0

    context.set_offline(True)
    sent = []
    page.on("request", lambda r: sent.append(r.url))
    page.reload()
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results .offline-note")
    offline = result_rows(page)
    assert offline == online          # same places, same order, same distance and walking time
    assert not [u for u in sent if "lat=" in u or "45.19" in u]   # the position never left
    assert page.eval_on_selector("input[name=lat]", "e => e.value") == ""
    dump = page.evaluate(CACHE_DUMP)
    assert not [e["url"] for v in dump.values() for e in v if "lat" in e["url"] or "45.19" in e["url"]]
    assert problems == [] or all("ERR_INTERNET_DISCONNECTED" in p for p in problems)
    context.close()


def answer_rows(page):
    """(place id, distance text, out of service?, metres or None) of every result shown."""
    return page.eval_on_selector_all(
        "#results li.place[data-place-id]",
        """els => els.map(e => [e.dataset.placeId, e.querySelector('.distance').innerText,
                               e.querySelector('.state-closed') !== null,
                               e.dataset.metres === undefined ? null : +e.dataset.metres])""")


def online_then_offline(context, page, button, point):
    """(online rows, categories the form names for offline.js, offline rows) for point."""
    page.get_by_role("button", name=button).click()
    page.wait_for_selector("#results li.place[data-place-id]")
    online = answer_rows(page)
    assert page.locator(".offline-note").count() == 0
    # The form the offline click goes through (recycle's came back in the htmx fragment).
    named = page.eval_on_selector("form.locate", "f => f.dataset.offlineCategories || null")
    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    sent = []
    page.on("request", lambda r: sent.append(r.url))
    page.get_by_role("button", name=button).click()
    page.wait_for_selector("#results .offline-note")
    assert not [u for u in sent if "lat=" in u or f"{point[0]}" in u]    # the position stayed
    return online, named, answer_rows(page)


def server_nearest(app, city, point):
    """What the task's view computes for point: (place, metres) in page order."""
    from webapp.catalog import catalog
    from webapp.clock import now
    from webapp.heat import HeatPlan
    from webapp.tasks.cool import sections
    from webapp.tasks.cool_rows import Context, Filters
    from webapp.tasks.origin import Origin
    k = app.config["RESULTS"]
    with app.test_request_context():
        data = catalog().get(city)
        if city == "toulouse":
            return data.index("recycle").nearest(*point, k, categories={"glass"})
        lists = sections(data.index("cool"), Origin(*point, None),
                         Context(Filters(), now(), HeatPlan()), False, k)
        return [(r.place, r.metres) for section in lists for r in section.rows]


@pytest.mark.parametrize("city, url, button, point, marked", [
    # Toulouse glass banks: the stream page's form names its kinds for the offline answer.
    ("toulouse", "/toulouse/jeter?flux=glass", "Utiliser ma position",
     (43.6045, 1.4440), 0),
    ("toulouse", "/toulouse/jeter?flux=glass", "Utiliser ma position",
     (43.5800, 1.4000), 0),
    # Paris, Au frais: 3 broken fountains nearer than the 5th working one; then a
    # switched-off misting as the nearest spot. One context per point: the device's last
    # position is reused for a minute (app.js maximumAge).
    ("paris", "/paris/frais", "Utiliser ma position", (48.8404, 2.3952), 3),
    ("paris", "/paris/frais", "Utiliser ma position", (48.8957, 2.3766), 1),
])
def test_recycle_and_cool_answer_offline_as_online(browser, server, app, city, url, button,
                                                   point, marked):
    """Same places, order, distance text and out-of-service marks as the server's page; metres
    within 1 m of the server's index."""
    context = phone_context(browser, geolocation=point)
    page = context.new_page()
    problems = watch_console(page)
    controlled(page, server.url + url)
    keep_city(page)
    online, named, offline = online_then_offline(context, page, button, point)
    headings = page.locator("#results h2").all_inner_texts()
    notices = " ".join(page.locator("#results .notice").all_inner_texts())
    context.close()
    # What the pack cannot know (hours; for Au frais also heat plan and filters) is said.
    assert "Hors ligne, les horaires" in notices
    if city == "paris":
        assert "Eau potable" in headings
    assert named == ("glass" if city == "toulouse" else None)
    assert [r[:3] for r in offline] == [r[:3] for r in online]
    expected = server_nearest(app, city, point)
    assert [r[0] for r in offline] == [p.id for p, _ in expected]
    assert all(abs(r[3] - d) < 1 for r, (_, d) in zip(offline, expected))
    assert sum(r[2] for r in offline) == marked           # out of service, said as online
    assert problems == [] or all("ERR_INTERNET_DISCONNECTED" in p for p in problems)


def test_a_kept_city_answers_its_stream_pages_offline(browser, server, app):
    """Keep Toulouse from its home page, lose the network, open the glass page never visited
    online: the kept copy has the form, and the offline answer is the server's nearest."""
    point = (43.6045, 1.4440)
    context = phone_context(browser, geolocation=point)
    page = context.new_page()
    controlled(page, f"{server.url}/toulouse/")
    keep_city(page)
    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.goto(f"{server.url}/toulouse/jeter?flux=glass")
    assert page.locator("form.locate").get_attribute("data-offline-categories") == "glass"
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results .offline-note")
    offline = answer_rows(page)
    # Every stream page is kept (an item typed offline leads there, issue 10), even where the
    # city publishes no drop-off point: it then says so in one line.
    page.goto(f"{server.url}/toulouse/jeter?flux=packaging")
    assert page.locator("article.answer[data-stream=packaging]").count() == 1
    assert "pas encore ces données pour Toulouse" in page.inner_text(".dropoff .missing")
    context.close()
    expected = server_nearest(app, "toulouse", point)
    assert [r[0] for r in offline] == [p.id for p, _ in expected]
    assert all(abs(r[3] - d) < 1 for r, (_, d) in zip(offline, expected))


def test_offline_nearest_matches_the_server_index(browser, server, app):
    """The browser's nearest over each pack equals SpatialIndex.nearest: order and metres."""
    from webapp.catalog import catalog
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/hors-ligne")
    rng = random.Random(5)
    with app.app_context():
        for data in catalog().all():
            west, south, east, north = data.territory.bbox
            pack = page.evaluate(f"async () => (await fetch('/{data.territory.id}/pack.json')).json()")
            for task, index in data.indexes.items():
                points = [(round(rng.uniform(south, north), 4), round(rng.uniform(west, east), 4))
                          for _ in range(25)]
                got = page.evaluate(
                    """async ([pack, task, points]) => {
                      const m = await import('/static/js/pack-nearest.js');
                      return points.map(([la, lo]) =>
                        m.nearest(pack, task, la, lo, null, 8).map(h => [h.id, h.metres]));
                    }""", [pack, task, points])
                for (lat, lon), hits in zip(points, got):
                    expected = index.nearest(lat, lon, 8)
                    assert [h[0] for h in hits] == [p.id for p, _ in expected]
                    assert all(abs(h[1] - d) < 1 for h, (_, d) in zip(hits, expected))
    context.close()


def cached_urls(page):
    """Every URL in every cache of this origin."""
    return {url for entries in page.evaluate(CACHE_DUMP).values() for url in
            (e["url"] for e in entries)}


def test_worker_keeps_plain_pages_only(browser, server):
    """A page is kept without its query; a page with a query or a position, a fragment, a
    no-store answer never; offline, a page asked with a query falls back to its bare copy."""
    context = phone_context(browser)
    page = context.new_page()
    controlled(page, f"{server.url}/toulouse/")
    base = server.url
    page.goto(f"{base}/toulouse/jeter")                                   # kept
    page.goto(f"{base}/toulouse/jeter?flux=glass")      # cacheable by HTTP, yet has a query
    page.goto(f"{base}/toulouse/jeter?flux=glass&lat=43.6045&lon=1.4440")     # a position
    page.goto(f"{base}/toulouse/velo?q=capitole")                         # no-store answer
    page.evaluate("() => fetch('/donnees', {headers: {'HX-Request': 'true'}})")   # a fragment
    page.wait_for_function("""async (url) => (await caches.keys()).length > 1
        && Boolean(await caches.match(url))""", arg=f"{base}/toulouse/jeter")
    urls = cached_urls(page)
    assert f"{base}/toulouse/jeter" in urls
    assert not [u for u in urls if "?" in u or "43.60" in u or u.endswith("/donnees")]
    context.set_offline(True)
    page.goto(f"{base}/toulouse/jeter?flux=glass")
    assert page.locator("#objet").count() == 1 and page.locator(".dropoff").count() == 0
    page.goto(f"{base}/donnees")                        # only ever fetched as a fragment
    assert page.locator("h1").inner_text() == "Pas de réseau pour cette page"
    context.close()


def test_update_of_the_worker_replaces_old_caches(browser, tmp_path, monkeypatch):
    port = conftest.free_port()
    monkeypatch.setattr(conftest, "free_port", lambda: port)
    first = Gunicorn(tmp_path / "instance", tmp_path / "a.log",
                     {"PRESDICI_OFFLINE_VERSION_SALT": "a"})
    context = phone_context(browser)
    try:
        page = context.new_page()
        controlled(page, f"{first.url}/grenoble/")
        keep_city(page)
        page.reload()                                       # a page into this version's cache
        page.evaluate("() => caches.open('another-app')")   # not ours: never touched
        before = set(page.evaluate("() => caches.keys()"))
        first.stop()
        second = Gunicorn(tmp_path / "instance", tmp_path / "b.log",
                          {"PRESDICI_OFFLINE_VERSION_SALT": "b"})
        try:
            page.reload()
            update = page.locator(".js-sw-update")
            update.wait_for(state="visible", timeout=15000)
            with page.expect_navigation():
                update.click()
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            after = set(page.evaluate("() => caches.keys()"))
            # (offline.js opens the city's cache on every page: its name alone proves nothing.)
            kept = page.evaluate("""async () => Boolean(await (await caches.open(
                'presdici-city-grenoble')).match('/grenoble/pack.json'))""")
            served = page.evaluate("async () => (await fetch('/sw.js')).text()")
        finally:
            second.stop()
    finally:
        context.close()
    version = re.search(r'"version": ?"([0-9a-f]{12})"', served).group(1)
    ours = lambda keys: {k for k in keys if k.startswith(("presdici-shell-", "presdici-pages-"))}
    assert len(ours(before)) == 2 and not any(version in k for k in before)
    # Only the served version's caches are left (the pages one appears with the first page).
    assert ours(after) <= {f"presdici-shell-{version}", f"presdici-pages-{version}"}
    assert f"presdici-shell-{version}" in after
    assert {"presdici-city-grenoble", "another-app"} <= before & after and kept   # data kept
    assert not Path(tmp_path / "b.log").read_text().count("lat=")


def test_a_kiosk_home_works_offline(browser, tmp_path):
    """A kiosk pinned to a city: "/" redirects there; offline, "/" still shows the city page
    (the precached copy came through a redirect, which browsers refuse for a navigation)."""
    kiosk = Gunicorn(tmp_path / "instance", tmp_path / "k.log",
                     {"PRESDICI_DEFAULT_TERRITORY": "grenoble"})
    context = phone_context(browser)
    try:
        page = context.new_page()
        controlled(page, f"{kiosk.url}/")
        assert page.url.endswith("/grenoble/")
        context.set_offline(True)
        page.goto(f"{kiosk.url}/")
        heading = page.locator("h1").inner_text()
    finally:
        context.close()
        kiosk.stop()
    assert "Grenoble" in heading


def test_distance_to_shapes_matches_shapely(browser, server):
    """Parks as polygons (with a hole, or several parts): edge distance, 0 inside, as the server."""
    from shapely.geometry import LineString, MultiPolygon, Polygon

    from webapp.pack import shape_parts
    from webapp.places import Place
    from webapp.spatial import exact_distance_m
    outer = [(5.720, 45.185), (5.730, 45.185), (5.730, 45.192), (5.720, 45.192)]
    hole = [(5.724, 45.187), (5.726, 45.187), (5.726, 45.189), (5.724, 45.189)]
    shapes = [Polygon(outer, [hole]),
              MultiPolygon([Polygon(outer), Polygon([(5.74, 45.18), (5.75, 45.18), (5.745, 45.19)])]),
              LineString([(5.70, 45.17), (5.71, 45.18), (5.72, 45.175)])]
    rng = random.Random(7)
    points = [(45.188, 5.725), (45.186, 5.721)] + [
        (round(rng.uniform(45.16, 45.20), 4), round(rng.uniform(5.69, 5.76), 4)) for _ in range(60)]
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/hors-ligne")
    seen = []
    for geom in shapes:
        place = Place("t:1", None, "park", 0.0, 0.0, "t", shape=geom)
        got = page.evaluate("""async ([shape, points]) => {
            const m = await import('/static/js/pack-nearest.js');
            return points.map(([la, lo]) => m.shapeDistance(shape, la, lo));
          }""", [shape_parts(geom), points])
        expected = [exact_distance_m(place, lat, lon) for lat, lon in points]
        assert all(abs(g - e) < 0.01 for g, e in zip(got, expected)), geom.geom_type
        seen.append(got)
    assert seen[0][0] > 50 and seen[0][1] == 0    # in the hole: outside the park; in it: 0
    assert seen[1][0] == 0 and seen[1][1] == 0
    context.close()


def test_a_page_may_narrow_the_offline_list_to_its_categories(browser, server, app):
    """The data-offline-categories hook (a sorting stream): only those categories, nearest first."""
    from webapp.catalog import catalog
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/toulouse/")
    point = (43.6045, 1.4440)
    ids = page.evaluate("""async (point) => {
        const m = await import('/static/js/pack-nearest.js');
        const pack = await (await fetch('/toulouse/pack.json')).json();
        const text = JSON.parse(document.querySelector('.offline-state').dataset.text);
        const box = document.createElement('div');
        box.append(m.answer(pack, 'bike', {lat: point[0], lon: point[1], categories: ['bike_share']},
                            text, 'fr'));
        return [...box.querySelectorAll('li.place')].map(li => li.dataset.placeId);
      }""", list(point))
    with app.app_context():
        index = catalog().get("toulouse").index("bike")
        expected = [p.id for p, _ in index.nearest(*point, app.config["RESULTS"],
                                                    keep=lambda p: p.category == "bike_share")]
    assert ids == expected
    context.close()


def test_offline_area_is_accessible(browser, server):
    from conftest import run_axe
    context = phone_context(browser, bypass_csp=True)
    page = context.new_page()
    controlled(page, f"{server.url}/grenoble/velo")
    keep_city(page)
    assert page.locator(".offline-state").is_visible()
    for button in page.locator(".offline-state button:visible").all():
        assert button.bounding_box()["height"] >= 44
    assert run_axe(page) == []
    context.close()


STORED_PACK = """async () => {
  const root = document.querySelector('.offline-state');
  const hit = await (await caches.open('presdici-city-' + root.dataset.territory))
    .match(root.dataset.pack);
  return hit ? await hit.json() : null;
}"""


def pack_etag(url: str) -> str:
    """The version the server gives its pack now, on a fresh connection (any worker may answer)."""
    with urllib.request.urlopen(f"{url}/pack.json") as response:
        return response.headers["ETag"].strip('"')


def wait_for_new_pack(url: str, old: str, written_at: float) -> str:
    """Poll the pack's ETag until the workers serve a version other than old; then go on polling
    until CHECK_EVERY_S after the write, by when every worker reloads on its next request (one
    that checked just before the write serves the old data until then)."""
    from webapp.catalog import Catalog
    deadline = written_at + Catalog.CHECK_EVERY_S + 20
    new = None
    while time.monotonic() < deadline:
        etag = pack_etag(url)
        new = new or (etag if etag != old else None)
        if new and time.monotonic() > written_at + Catalog.CHECK_EVERY_S + 0.5:
            assert etag == new, "the workers serve two versions after a reload"
            return new
        time.sleep(0.2)
    raise AssertionError(f"the server still serves pack {old} after the new snapshot")


def test_a_kept_city_is_updated_when_the_server_has_newer_data(browser, tmp_path):
    """Keep Grenoble; a refresh swaps the hoops snapshot for a shorter one; the page says newer
    data exist; "update" stores the server's new pack, and the offline answer is the new data's."""
    from webapp.sources.store import SnapshotStore
    srv = Gunicorn(tmp_path / "instance", tmp_path / "g.log")
    context = phone_context(browser, geolocation=GRENETTE)
    try:
        page = context.new_page()
        problems = watch_console(page)
        controlled(page, f"{srv.url}/grenoble/velo")
        keep_city(page)
        old = pack_etag(f"{srv.url}/grenoble")
        assert page.evaluate(STORED_PACK)["version"] == old
        assert page.locator(".js-refresh").is_hidden()
        page.get_by_role("button", name="Utiliser ma position").click()
        page.wait_for_selector("#results li.place[data-place-id]")
        before = [row[0] for row in result_rows(page)]
        gone = [pid.split(":", 1)[1] for pid in before if pid.startswith("arceaux-velo:")][:2]
        assert len(gone) == 2

        # The real file of the Ville de Grenoble, shortened: its last 20 rows and the two hoops
        # nearest to Place Grenette removed, as a refresh would store it.
        lines = (conftest.ROOT / "data/grenoble/arceaux-velo_ville-de-grenoble.csv"
                 ).read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:-20] if line.split(",", 1)[0] not in gone]
        assert len(kept) == len(lines) - 22
        store = SnapshotStore(tmp_path / "instance" / "snapshots", conftest.ROOT / "data")
        generation = store.generation()
        store.write("grenoble", "arceaux-velo", ("\n".join(kept) + "\n").encode(),
                    {"fetched_at": "2026-11-01T00:00:00+00:00", "source": "test", "count": 0})
        written_at = time.monotonic()
        assert store.generation() != generation           # write touched the generation
        new = wait_for_new_pack(f"{srv.url}/grenoble", old, written_at)

        page.reload()
        assert page.locator(".offline-state").get_attribute("data-version") == new
        status = page.locator(".js-pack-status")
        page.wait_for_function("() => document.querySelector('.js-pack-status').textContent"
                               ".includes('Des données plus récentes sont disponibles.')")
        refresh = page.get_by_role("button", name="Mettre à jour les données hors ligne")
        assert refresh.is_visible()
        assert page.evaluate(STORED_PACK)["version"] == old      # not taken without a word
        refresh.click()
        page.wait_for_function("() => document.querySelector('.js-pack-status').textContent"
                               ".includes('enregistrées')")
        assert refresh.is_hidden() and "plus récentes" not in status.inner_text()
        stored = page.evaluate(STORED_PACK)
        assert stored["version"] == new == pack_etag(f"{srv.url}/grenoble")
        hoops = next(ds for ds in stored["datasets"] if ds["id"] == "arceaux-velo")
        assert hoops["date"] == "2026-11-01T00:00:00+00:00"
        assert not {str(row[0]) for row in hoops["places"]} & set(gone)
        assert "1 nov. 2026" in page.locator(".js-pack-info").inner_text()

        page.get_by_role("button", name="Utiliser ma position").click()
        page.wait_for_function("(gone) => document.querySelector('#results li.place') && "
                               "![...document.querySelectorAll('#results li.place')]"
                               ".some(li => gone.includes(li.dataset.placeId))",
                               arg=[f"arceaux-velo:{g}" for g in gone])
        online = result_rows(page)
        context.set_offline(True)
        page.wait_for_function("() => !navigator.onLine")
        page.get_by_role("button", name="Utiliser ma position").click()
        page.wait_for_selector("#results .offline-note")
        offline = result_rows(page)
    finally:
        context.close()
        srv.stop()
    assert offline == online                   # the new data's answer, as the server gives it
    assert not {f"arceaux-velo:{g}" for g in gone} & {row[0] for row in offline}
    assert problems == [] or all("ERR_INTERNET_DISCONNECTED" in p for p in problems)


def test_removing_offline_data_forgets_the_city(browser, server):
    """"Remove" deletes the kept pack; offline, "near me" then says the city is not kept rather
    than answering from stale data."""
    context = phone_context(browser, geolocation=GRENETTE)
    page = context.new_page()
    problems = watch_console(page)
    controlled(page, f"{server.url}/grenoble/velo")
    keep_city(page)
    pack_url = page.locator(".offline-state").get_attribute("data-pack")
    has_pack = "async (url) => Boolean(await caches.match(url))"
    assert page.evaluate(has_pack, pack_url)
    remove = page.get_by_role("button", name="Supprimer les données hors ligne")
    remove.click()
    page.wait_for_function("() => document.querySelector('.js-pack-status').textContent"
                           " === 'Données hors ligne supprimées.'")
    assert not page.evaluate(has_pack, pack_url)
    assert page.evaluate(STORED_PACK) is None
    assert remove.is_hidden() and page.locator(".js-keep").is_visible()
    assert page.locator(".js-pack-info").inner_text() == ""
    page.reload()                                      # and it stays forgotten
    assert not page.evaluate(has_pack, pack_url)
    assert page.locator(".js-keep").is_visible() and remove.is_hidden()
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results li.place[data-place-id]")        # an answer on screen

    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results [role=alert]")
    said = page.locator("#results").inner_text()
    shown = page.locator("#results li.place").count()
    context.close()
    assert said.strip() == ("Hors ligne, et cette ville n'est pas gardée sur l'appareil. "
                            "Réessayez avec du réseau.")
    assert shown == 0
    assert problems == [] or all("ERR_INTERNET_DISCONNECTED" in p for p in problems)
