"""« Se déplacer » in Debian's Chromium on a phone, against a real gunicorn (Grenoble, TAG feed)."""
from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import pytest

from conftest import Gunicorn, phone_context, run_axe
from test_mobility_privacy import leaks

pytestmark = pytest.mark.browser
WORK = (45.1873, 5.7311)          # the device's position (four decimals: the page keeps them so)
PLACES = [("Chez moi", "Victor Hugo"), ("Médecin", "Chavant"), ("Mission locale", "La Poya")]
BLANK_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                             "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
SHOTS = os.environ.get("PRESDICI_SHOTS")      # a folder to keep the screenshots in, to look at


@pytest.fixture(scope="module")
def plan_server(tmp_path_factory):
    """Our own gunicorn: its log and instance folder are read at the end."""
    folder = tmp_path_factory.mktemp("mobility-browser")
    server = Gunicorn(folder / "instance", folder / "server.log")
    server.folder = folder
    yield server
    server.stop()


def watch(page):
    """Console errors (CSP violations included), page errors and every off-site request."""
    seen = {"problems": [], "outside": []}
    page.on("console", lambda m: m.type == "error" and seen["problems"].append(m.text))
    page.on("pageerror", lambda e: seen["problems"].append(str(e)))
    page.on("request", lambda r: "127.0.0.1" not in r.url and seen["outside"].append(r.url))
    page.route("https://tile.openstreetmap.org/**",
               lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    return seen


def shot(page, tmp_path, name, **options):
    """A 360 px screenshot, kept where PRESDICI_SHOTS says (to be looked at), else in tmp_path."""
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"mobility-{name}.png"), **options)
    return folder / f"mobility-{name}.png"


def add_by_name(page, label, where):
    page.fill("#ajout-nom", label)
    page.fill("#ajout-endroit", where)
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter ce lieu").click()


def no_violations(page):
    assert run_axe(page) == []


def test_journey_print_and_shared_link(browser, plan_server, tmp_path):
    context = phone_context(browser, geolocation=WORK, bypass_csp=True)    # axe needs injecting
    page = context.new_page()
    seen = watch(page)
    url = f"{plan_server.url}/grenoble/deplacements"
    page.goto(url)
    shot(page, tmp_path, "1-empty", full_page=True)
    no_violations(page)
    for label, where in PLACES:
        add_by_name(page, label, where)
    page.fill("#ajout-nom", "Travail")
    with page.expect_navigation():
        page.get_by_role("button", name="Ma position").click()
    names = page.locator("article.known h3").all_inner_texts()
    names = [" ".join(n.split()) for n in names]
    assert names == ["Chez moi Victor Hugo", "Médecin Chavant",
                                                 "Mission locale La Poya", "Travail Ma position"]
    page.fill("#jour", "2023-04-18")
    page.fill("#heure", "08:00")
    page.select_option("#duree", "30")
    with page.expect_navigation():
        page.get_by_role("button", name="Voir le plan").click()
    assert page.url == url + "#plan"                       # nothing of the plan in the URL
    home = page.locator("article.known").first
    assert home.locator("li.stop").count() >= 1
    badges = home.locator(".lines .line").evaluate_all(
        "els => els.map(e => e.firstChild.textContent.trim())")
    assert {"A", "B", "C1"} <= set(badges)
    assert home.locator(".departures li").count() >= 1
    assert page.locator("li.opportunity").count() > 0
    assert "depuis Chez moi" in page.locator("li.opportunity").first.inner_text()
    assert page.locator(".trips .trip").count() == 3
    shot(page, tmp_path, "2-plan", full_page=False)
    page.locator("article.known").first.screenshot(path=str(shot_path(tmp_path, "3-home")))
    no_violations(page)
    # A map on request: one mark per listed place; tiles fitted to the places.
    page.get_by_role("button", name="Afficher la carte").click()
    page.wait_for_selector("#reach-map .leaflet-interactive")
    assert page.locator("#reach-map path.leaflet-interactive").count() == \
        page.locator("li.opportunity").count()
    no_violations(page)
    # The printed sheet: no form, the QR code, large print.
    page.emulate_media(media="print")
    assert not page.locator("form.mobility-form").is_visible()
    assert not page.locator("header.top").is_visible()
    assert page.locator(".qr-box svg").is_visible()
    size = page.eval_on_selector("body", "b => getComputedStyle(b).fontSize")
    assert float(size[:-2]) >= 18                          # 14 pt
    page.set_viewport_size({"width": 794, "height": 1123})    # A4 at 96 dpi
    shot(page, tmp_path, "4-print", full_page=False)
    no_violations(page)
    qr_png = page.locator(".qr-box svg").screenshot()
    page.emulate_media(media="screen")
    link = page.locator("a.share-link").get_attribute("href")
    assert read_qr(qr_png) == link
    assert seen["problems"] == [] or all("Content Security Policy" not in p for p in seen["problems"])
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in seen["outside"])
    context.close()

    # The link on the person's phone: another browser, strict CSP, the fragment rebuilds the plan.
    phone = phone_context(browser)
    other = phone.new_page()
    seen = watch(other)
    other.goto(link)
    other.wait_for_selector("article.known")
    assert [" ".join(n.split()) for n in other.locator("article.known h3").all_inner_texts()] \
        == names
    assert other.url == url + "#plan" and seen["problems"] == []
    shot(other, tmp_path, "5-shared", full_page=False)
    # Kept on this phone only when asked, and removable.
    other.check(".js-keep-box")
    assert other.evaluate("localStorage.getItem('presdici-plan-grenoble')")
    other.goto(url)
    restore = other.get_by_role("button", name="Reprendre le plan gardé sur cet appareil")
    with other.expect_navigation():
        restore.click()
    assert other.locator("article.known").count() == 4
    other.get_by_role("button", name="Effacer le plan gardé sur cet appareil").click()
    assert other.evaluate("localStorage.length") == 0
    assert seen["problems"] == []
    phone.close()

    plan_server.stop()
    secrets = [f"{WORK[0]:.4f}", f"{WORK[1]:.4f}", "Mission locale", "Chez moi"]
    assert not leaks(plan_server.folder / "instance", plan_server.log, secrets)
    assert link.split("#")[1] not in plan_server.log.read_text(encoding="utf-8")


def shot_path(tmp_path, name):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"mobility-{name}.png"


def read_qr(png: bytes) -> str:
    """The text of the QR code in a screenshot (zxing-cpp)."""
    import zxingcpp
    from PIL import Image
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert found, "no QR code read"
    return found[0].text


def test_without_javascript(browser, server, tmp_path):
    context = phone_context(browser, javascript=False)
    page = context.new_page()
    no_js_journey(page, f"{server.url}/grenoble/deplacements")
    shot(page, tmp_path, "6-nojs", full_page=False)
    context.close()
    # axe needs a script: the same journey with every script of ours refused by the network.
    context = phone_context(browser, bypass_csp=True)
    page = context.new_page()
    page.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    no_js_journey(page, f"{server.url}/grenoble/deplacements", check=no_violations)
    context.close()


def no_js_journey(page, url, check=lambda page: None):
    """Homonyms to choose from, then a second place: plain forms only."""
    page.goto(url)
    assert not page.get_by_role("button", name="Ma position").is_visible()
    add_by_name(page, "Mairie", "Hôtel de Ville")
    check(page)
    page.locator("fieldset.choices label", has_text=re.compile("Grenoble")).first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter ce lieu").click()
    add_by_name(page, "Médecin", "Chavant")
    assert page.locator("article.known").count() == 2
    assert page.locator("li.opportunity").count() > 0
    check(page)


def test_a_place_picked_on_the_map(browser, server, tmp_path):
    context = phone_context(browser, bypass_csp=True)
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{server.url}/grenoble/deplacements")
    assert seen["outside"] == []                               # no tile before the map opens
    page.get_by_role("button", name="Choisir sur la carte").click()
    page.wait_for_selector("#pick-map .leaflet-tile-loaded")
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator(".js-add-status").inner_text().startswith("Point choisi")
    no_violations(page)
    page.fill("#ajout-nom", "Chez moi")
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter ce lieu").click()
    assert " ".join(page.locator("article.known h3").inner_text().split()) == \
        "Chez moi Point choisi sur la carte"
    assert page.locator("article.known li.stop").count() >= 1    # the city centre has stops
    shot(page, tmp_path, "7-picked", full_page=False)
    context.close()
