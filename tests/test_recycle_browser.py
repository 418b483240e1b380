"""« Où jeter ? » in Debian's Chromium on a phone viewport against real gunicorn."""
import re
from pathlib import Path

import pytest

from conftest import axe_violations, phone_context, run_axe, watch_console
from test_recycle import brute_force_glass

pytestmark = pytest.mark.browser
# Place du Capitole, Toulouse. Four decimals: the device-side rounding leaves it unchanged.
CAPITOLE = (43.6045, 1.4440)
# The visitor's position as it could be written back: "lat=" (not OSM's "mlat=" of a place), or
# the coordinates themselves (places are written with six decimals: 43.604512 is not a match).
POSITION = re.compile(r"(?<![a-z])lat=|43\.6045(?:0*)(?!\d)|(?<![\d.])1\.444(?:0*)(?!\d)")


def test_type_an_item_then_nearest_glass_bank_from_my_position(browser, server):
    context = phone_context(browser, geolocation=CAPITOLE, bypass_csp=False)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/toulouse/jeter")
    page.type("#objet", "bouteille de vin", delay=40)       # as you type: no submit pressed
    card = page.wait_for_selector("#results article.answer[data-stream=glass]")
    assert "Verre" in card.inner_text()
    button = page.get_by_role("button", name="Utiliser ma position")
    assert button.bounding_box()["height"] >= 44
    sent = []
    page.on("request", lambda r: "/toulouse/jeter" in r.url and r.method == "POST"
            and sent.append(r))
    button.click()
    page.wait_for_selector("#results ol.places li.place")
    shown = page.eval_on_selector_all("#results li.place[data-place-id]",
                                      "els => els.map(e => e.dataset.placeId)")
    assert shown == brute_force_glass(*CAPITOLE, len(shown)) and len(shown) == 5
    assert page.is_visible("#results article.answer .advice")          # the card stays
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    # The address follows the answer (the item), never the position (issue 10).
    assert page.url == f"{server.url}/toulouse/jeter?choix=bouteille-en-verre-biere-cidre-eau-lait-jus-vin"
    # The position left once, in the request; the answer must not bring it back into the page
    # (hidden fields, links to keep the choice, storage), where the next visitor could find it.
    # (in the POST body, never in a URL)
    assert len(sent) == 1 and "lat=43.6045" in sent[0].post_data and "lon=1.4440" in sent[0].post_data
    assert sent[0].url == f"{server.url}/toulouse/jeter"
    assert not POSITION.search(page.content()), POSITION.search(page.content())
    values = page.eval_on_selector_all("input", "els => els.map(e => e.value)")
    assert not [v for v in values if POSITION.search(v)]
    storage = page.evaluate("() => JSON.stringify([localStorage, sessionStorage])")
    assert not POSITION.search(storage)
    assert problems == [], problems
    context.close()
    log = Path(server.log).read_text()
    assert "/toulouse/jeter" in log and "43.60" not in log and "lat=" not in log


def test_answer_card_with_places_passes_axe(browser, server):
    context = phone_context(browser, geolocation=CAPITOLE, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}/toulouse/jeter")
    page.type("#objet", "bouteille de vin", delay=20)
    page.wait_for_selector("#results article.answer[data-stream=glass]")
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results ol.places li.place")
    assert run_axe(page) == []
    context.close()


def test_without_javascript_the_forms_still_answer(browser, server):
    context = phone_context(browser, javascript=False)
    page = context.new_page()
    page.goto(f"{server.url}/toulouse/jeter")
    assert not page.get_by_role("button", name="Utiliser ma position").is_visible()
    page.fill("#objet", "vieux jean")
    page.click("form.item-search button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("article.answer", "data-stream") == "textiles"
    page.goto(f"{server.url}/toulouse/jeter?objet=bouteille+de+vin")
    page.fill("#lieu-q", "Place Esquirol")
    page.click("form.pick button[type=submit]")
    page.wait_for_load_state()
    assert "Esquirol" in page.inner_text("#results h4.near")
    assert page.query_selector_all("#results ol.places li.place")
    context.close()


@pytest.mark.parametrize("path", [
    "/toulouse/jeter", "/toulouse/jeter?objet=bouteille+de+vin",
    "/toulouse/jeter?flux=glass&lat=43.6045&lon=1.444", "/toulouse/jeter?objet=verre",
    "/toulouse/jeter?objet=zzqxw", "/toulouse/jeter?choix=jean", "/grenoble/jeter?flux=bulky",
    "/toulouse/jeter?choix=nope", "/toulouse/jeter?objet=m%C3%A9gots",
])
def test_axe_core_reports_no_violation(browser, server, path):
    assert axe_violations(browser, server.url + path) == []


def test_english_page_passes_axe(browser, server):
    assert axe_violations(browser, f"{server.url}/toulouse/jeter?objet=sofa",
                          extra_http_headers={"Accept-Language": "en"}) == []
