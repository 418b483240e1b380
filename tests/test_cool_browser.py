"""« Au frais » in Debian's Chromium on a phone viewport, against a real gunicorn in Paris."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from conftest import Gunicorn, phone_context, run_axe
from test_cool import raw_cool, raw_water      # brute force over the raw files in data/paris/
from webapp.geo import haversine_m

pytestmark = pytest.mark.browser
CITY_HALL = (48.8566, 2.3522)        # four decimals: the device-side rounding leaves it as is
SUNDAY = "2025-09-14T15:00:00"
HEAT = '[paris.alert]\nstart = 2025-09-13\nend = 2025-09-15\nlevel = "orange"\n'
BLANK_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                             "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def cool_server(tmp_path_factory):
    """gunicorn frozen on Sunday 14 Sept. 2025, 15:00, with a heat file the test rewrites."""
    folder = tmp_path_factory.mktemp("cool-gunicorn")
    heat_file = folder / "heat.toml"
    heat_file.write_text("", encoding="utf-8")
    server = Gunicorn(folder / "instance", folder / "server.log",
                      {"PRESDICI_CLOCK_AT": SUNDAY, "PRESDICI_HEAT_FILE": str(heat_file)})
    server.heat_file = heat_file
    yield server
    server.stop()


def watch(page):
    """Console errors (CSP violations included), page errors, every off-site request, and the
    zoom of every tile asked for."""
    seen = {"problems": [], "outside": [], "tiles": 0, "zooms": [], "referers": set()}
    page.on("console", lambda m: m.type == "error" and seen["problems"].append(m.text))
    page.on("pageerror", lambda e: seen["problems"].append(str(e)))
    page.on("request", lambda r: "127.0.0.1" not in r.url and seen["outside"].append(r.url))

    def tile(route):
        seen["tiles"] += 1
        seen["zooms"].append(int(re.search(r"/(\d+)/\d+/\d+\.png", route.request.url).group(1)))
        seen["referers"].add(route.request.all_headers().get("referer"))
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
    page.route("https://tile.openstreetmap.org/**", tile)
    return seen


def places(page, section):
    """(id, state, metres from the device) of a section's rows, in page order."""
    rows = page.eval_on_selector_all(
        f"#results section[aria-labelledby=s-{section}] li.cool-place",
        "els => els.map(e => [e.dataset.placeId, e.dataset.state, +e.dataset.lat, +e.dataset.lon])")
    return [(pid, state, haversine_m(*CITY_HALL, lat, lon)) for pid, state, lat, lon in rows]


def same_as_raw(shown, expected):
    """The rows on screen are the brute force's places, in its order, at its distances."""
    assert [pid for pid, *_ in shown] == [pid for _, pid, _ in expected]
    assert [m for *_, m in shown] == pytest.approx([m for m, *_ in expected], abs=0.5)


def update_list(page):
    """Press "update the list" and wait for the new rows."""
    # Mark the rows on screen, so the wait below sees the new list and not the old one.
    page.eval_on_selector_all("#results li.cool-place", "els => els.forEach(e => e.dataset.old = 1)")
    page.get_by_role("button", name="Mettre à jour la liste").click()
    page.wait_for_selector("#results li.cool-place:not([data-old])")


def open_now(page):
    """Tick "open now" and update the list."""
    page.click("details.filters summary")
    page.check("input[name=ouvert]")
    update_list(page)


def locate_open_now(page, url):
    """Open the page, use the device position, then tick "open now" and update the list."""
    page.goto(url)
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results li.cool-place")
    open_now(page)


def test_open_now_near_me_then_the_map(browser, cool_server):
    cool_server.heat_file.write_text("", encoding="utf-8")
    context = phone_context(browser, geolocation=CITY_HALL)
    page = context.new_page()
    seen = watch(page)
    locate_open_now(page, f"{cool_server.url}/paris/frais")
    # The filters were sent with the position kept in memory, which the page never holds.
    assert page.inner_text("#results .near") == "Près de votre position"
    assert "48.8566" not in page.content() and "2.3522" not in page.content()
    fields = page.eval_on_selector_all("[name=lat], [name=lon]", "els => els.map(e => e.value)")
    assert fields == ["", ""]                                    # the locate form's, emptied
    assert page.locator(".heat-banner").count() == 0
    cool, water = places(page, "cool"), places(page, "water")
    # Open, or a park of Paris's reduced copy (no hours published: listed as unknown, never open).
    assert len(cool) == 5 and all(state == "open" or (state == "unknown" and pid.startswith(
        "espaces-verts-frais:")) for pid, state, _ in cool)
    # The true nearest: every record of the raw files, open at the frozen clock by its own
    # published hours (a working fountain: every one not marked out of service).
    same_as_raw(cool, raw_cool(*CITY_HALL, SUNDAY, 5, open_now=True))
    assert [pid for pid, *_ in cool] != [pid for _, pid, _ in raw_cool(*CITY_HALL, SUNDAY, 5)]
    assert len(water) >= 5
    same_as_raw(water, raw_water(*CITY_HALL, 5))
    assert page.url == f"{cool_server.url}/paris/frais"                # no position in the URL
    assert seen["tiles"] == 0 and seen["outside"] == []                 # nothing before the map
    toggle = page.get_by_role("button", name="Afficher la carte")
    assert toggle.bounding_box()["height"] >= 44
    toggle.click()
    page.wait_for_selector("#cool-map .leaflet-marker-icon")
    page.wait_for_function("() => document.querySelectorAll('#cool-map .leaflet-tile-loaded').length > 0")
    markers = page.locator("#cool-map .leaflet-marker-icon").count()
    assert markers == page.locator("#results li.cool-place").count()
    assert seen["tiles"] > 0 and all("tile.openstreetmap.org" in u for u in seen["outside"])
    assert not any("lat=" in u for u in seen["outside"])
    # Fitted to the places at a neighbourhood's zoom, never to the visitor at a street's.
    assert max(seen["zooms"]) <= 15, seen["zooms"]
    # The starting point is drawn from memory, on the device (the page does not hold it).
    assert page.locator("#cool-map path.leaflet-interactive").count() == 1
    assert "48.8566" not in page.content() and "2.3522" not in page.content()
    page.get_by_role("button", name="Masquer la carte").click()
    assert page.is_hidden("#cool-map")
    assert page.get_attribute(".js-map-toggle", "aria-expanded") == "false"
    assert places(page, "cool") == cool and page.is_visible("#results li.cool-place >> nth=0")
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    assert seen["problems"] == []
    context.close()
    log = Path(cool_server.log).read_text()
    assert "/paris/frais" in log and "48.85" not in log and "lat=" not in log


def test_heat_wave_banner_and_cool_rooms_first(browser, cool_server):
    cool_server.heat_file.write_text(HEAT, encoding="utf-8")
    context = phone_context(browser, geolocation=CITY_HALL)
    page = context.new_page()
    seen = watch(page)
    locate_open_now(page, f"{cool_server.url}/paris/frais")
    assert "vigilance orange" in page.inner_text(".heat-banner")
    order = page.eval_on_selector_all("#results section.cool-section h2", "els => els.map(e => e.id)")
    assert order == ["s-indoor", "s-water", "s-outdoor", "s-toilets"]
    indoor = places(page, "indoor")
    assert indoor and all(state == "open" for _, state, _ in indoor)
    same_as_raw(indoor, raw_cool(*CITY_HALL, SUNDAY, 5, open_now=True, indoor=True))
    assert page.is_visible("input[name=lent]")
    assert seen["problems"] == [] and seen["tiles"] == 0
    context.close()
    cool_server.heat_file.write_text("", encoding="utf-8")


def test_results_with_open_map_pass_axe(browser, cool_server):
    cool_server.heat_file.write_text(HEAT, encoding="utf-8")
    context = phone_context(browser, geolocation=CITY_HALL, bypass_csp=True)
    page = context.new_page()
    watch(page)
    locate_open_now(page, f"{cool_server.url}/paris/frais")
    page.get_by_role("button", name="Afficher la carte").click()
    page.wait_for_selector("#cool-map .leaflet-marker-icon")
    assert run_axe(page) == []
    context.close()
    cool_server.heat_file.write_text("", encoding="utf-8")


def test_without_javascript_a_place_name_and_filters_still_work(browser, cool_server):
    context = phone_context(browser, javascript=False)
    page = context.new_page()
    page.goto(f"{cool_server.url}/paris/frais")
    assert not page.is_visible(".js-locate")
    page.fill("#q", "Musée du Luxembourg")
    page.click("form.pick button[type=submit]")
    page.wait_for_selector("li.cool-place")
    assert not page.is_visible(".js-map-toggle")                       # the list is the answer
    page.click("details.filters summary")
    page.check("input[name=ouvert]")
    page.click("form.cool-filters button[type=submit]")
    page.wait_for_url("**/paris/frais?*ouvert=1*")        # the place's id and the filter
    page.wait_for_load_state()
    assert "lieu=" in page.url and "lat=" not in page.url and "Mus" not in page.url
    states = page.eval_on_selector_all(
        "section[aria-labelledby=s-cool] li.cool-place",
        "els => els.map(e => e.dataset.category === 'park' ? 'park' : e.dataset.state)")
    assert "open" in states and set(states) <= {"open", "park"}    # parks: no hours published
    context.close()


def test_the_map_never_asks_street_level_tiles(browser, cool_server):
    """Only the fountains, all within about 250 m of the visitor: fitting the map to them (or to
    the visitor) would ask zoom-17 tiles that draw the visitor's street. The tiles stop at 15."""
    cool_server.heat_file.write_text("", encoding="utf-8")
    context = phone_context(browser, geolocation=CITY_HALL)
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{cool_server.url}/paris/frais")
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results li.cool-place")
    page.click("details.filters summary")
    for box in page.locator("input[name=type]").all():
        box.set_checked(box.get_attribute("value") == "fountain")
    update_list(page)
    water = places(page, "water")
    assert water and max(m for *_, m in water) < 300 and not places(page, "cool")
    page.get_by_role("button", name="Afficher la carte").click()
    page.wait_for_selector("#cool-map .leaflet-tile-loaded")
    assert seen["zooms"] and max(seen["zooms"]) <= 15, seen["zooms"]
    assert seen["referers"] == {None}                             # no page address either
    assert seen["problems"] == []
    context.close()


def test_a_name_chosen_after_the_position_replaces_it(browser, cool_server):
    """Locate, then pick a place by name, then filter: the filters start from the place and the
    device position, forgotten, is not sent again."""
    cool_server.heat_file.write_text("", encoding="utf-8")
    context = phone_context(browser, geolocation=CITY_HALL)
    page = context.new_page()
    sent = []
    page.on("request", lambda r: "127.0.0.1" in r.url and sent.append(r.url))
    page.goto(f"{cool_server.url}/paris/frais")
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results li.cool-place")
    page.fill("#q", "Musée du Luxembourg")
    page.click("form.pick button[type=submit]")
    page.wait_for_function("() => /Luxembourg/.test(document.querySelector('#results .near')"
                           " && document.querySelector('#results .near').textContent)")
    sent.clear()
    open_now(page)
    assert "Luxembourg" in page.inner_text("#results .near")
    # The place is carried by its public id (the picker posted its name; htmx pushed ?lieu=).
    asked = [u for u in sent if "/paris/frais?" in u]
    assert asked and all("lieu=" in u and "lat=" not in u and "48.85" not in u for u in asked)
    context.close()


def test_no_map_where_no_list_has_rows(browser, cool_server):
    """Grenoble publishes no cool place: its page says so, with no map control and no tile."""
    context = phone_context(browser, geolocation=(45.19, 5.72))
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{cool_server.url}/grenoble/frais")
    page.get_by_role("button", name="Utiliser ma position").click()
    # One short line (issue 10), announced after the position answer.
    page.wait_for_function("() => document.querySelector('#announce').textContent !== ''")
    assert page.locator("#results li.cool-place").count() == 0
    assert page.locator(".js-map-toggle").count() == 0 and page.locator("#cool-map").count() == 0
    assert page.locator("form.cool-filters").count() == 0 and page.locator("fieldset").count() == 0
    assert "Près d'ici n'a pas encore ces données pour Grenoble" in page.inner_text("#results .missing")
    assert seen["tiles"] == 0 and seen["problems"] == []
    context.close()
