"""« Où jeter ? » pages on the real data: card, nearest glass banks, fragments, no-JS, bad input."""
import json
import math
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import in_french
from test_routes import check_headers, check_html

RAW_GLASS = (Path(__file__).resolve().parent.parent / "data" / "toulouse"
             / "recup-verre_ods-v1-export_2018-03.json")
CAPITOLE = (43.6045, 1.4440)


def haversine(lat1, lon1, lat2, lon2):
    """Great-circle metres, written again here so the test does not trust the app's own."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


def brute_force_glass(lat, lon, k=5):
    """The k nearest Récup'Verre ids straight from the published file."""
    rows = json.loads(RAW_GLASS.read_text(encoding="utf-8"))
    dist = sorted((haversine(lat, lon, *r["fields"]["geo_point_2d"]), r["fields"]["id"])
                  for r in rows)
    return [f"recup-verre:{i}" for _, i in dist[:k]]


def get(client, territory="toulouse", fragment=False, headers=None, **params):
    """GET the recycle page (or its htmx fragment) and parse it."""
    headers = {**(headers or {}), **({"HX-Request": "true"} if fragment else {})}
    response = client.get(f"/{territory}/jeter?{urlencode(params)}", headers=headers)
    return response, BeautifulSoup(response.data, "html.parser")


def test_page_has_a_real_get_form_and_stream_grid(client):
    response, soup = get(client)
    assert response.status_code == 200
    check_headers(response)
    check_html(response.data)
    form = soup.select_one("form.item-search")
    assert form["method"] == "get" and form["action"] == "/toulouse/jeter"
    assert form.select_one("input#objet[name=objet]") and form.select_one("button[type=submit]")
    assert soup.select_one("label[for=objet]")
    assert len(soup.select("ul.streams a.tile[href*='flux=']")) == 12
    assert soup.select("ul.items a[href*='choix=']")


@pytest.mark.parametrize("query, stream", [("bouteille de vin", "glass"), ("vieux jean", "textiles"),
                                           ("canapé", "bulky"), ("médicaments", "medicines"),
                                           ("piles", "batteries")])
def test_typed_item_gives_the_card_page_and_fragment(client, query, stream):
    page, soup = get(client, objet=query)
    fragment, part = get(client, fragment=True, objet=query)
    assert page.status_code == fragment.status_code == 200
    assert page.headers["Vary"] == fragment.headers["Vary"] == \
        "HX-Request, Accept-Language, Cookie, Accept-Encoding"
    assert b"<html" in page.data and b"<html" not in fragment.data
    for doc in (soup, part):
        card = doc.select_one("article.answer")
        assert card["data-stream"] == stream
        assert card.select_one(".stream strong").get_text(strip=True)
        assert card.select_one(".advice .advice-text").get_text(strip=True)
        assert card.select_one(".source")
    check_html(page.data)


def test_no_js_journey_item_then_named_place_gives_nearest_glass(client):
    _, soup = get(client, objet="bouteille de vin")
    pick = soup.select_one("article.answer form.pick")
    assert pick["method"] == "post" and pick["action"] == "/toulouse/jeter"
    params = {i["name"]: i.get("value", "") for i in pick.select("input[type=hidden]")}
    assert params == {"choix": soup.select_one("article.answer")["data-item"]}
    # A public place: the POST answers with a 303 to its shareable address, item kept.
    moved = client.post(pick["action"], data={**params, "q": "Jeanne d'Arc"})
    assert moved.status_code == 303
    location = moved.headers["Location"]
    assert f"choix={params['choix']}" in location and "lieu=" in location
    assert "Jeanne" not in location and "q=" not in location
    response = client.get(location)
    soup = BeautifulSoup(response.data, "html.parser")
    assert response.status_code == 200
    ids = [li["data-place-id"] for li in soup.select("ol.places li.place")]
    assert ids and all(i.startswith("recup-verre:") for i in ids)
    assert "Jeanne" in soup.select_one("h4.near").get_text()


@pytest.mark.parametrize("lat, lon", [CAPITOLE, (43.5614, 1.4683), (43.6586, 1.4196)])
def test_nearest_glass_banks_match_a_brute_force_on_the_raw_file(client, lat, lon):
    response, soup = get(client, choix="bouteille-en-verre-biere-cidre-eau-lait-jus-vin",
                         lat=lat, lon=lon)
    assert response.status_code == 200
    ids = [li["data-place-id"] for li in soup.select("ol.places li.place")]
    assert ids == brute_force_glass(lat, lon, len(ids)) and len(ids) == 5
    first = soup.select_one("li.place.first")
    assert first.select_one(".badge") and first.select_one(".distance")
    assert "Horaires non publiés" in first.select_one(".hours").get_text()
    assert first.select_one("a[href^='geo:']") and first.select_one("a[href*='openstreetmap']")
    assert "Toulouse Métropole" in soup.select_one(".sources").get_text()


def test_position_is_neither_echoed_nor_cacheable(client):
    response, soup = get(client, flux="glass", lat="43.6045", lon="1.4440")
    assert response.headers["Cache-Control"] == "no-store"
    assert b"43.6045" not in response.data and b"1.4440" not in response.data
    assert all(not i.get("value") for i in soup.select("input[name=lat], input[name=lon]"))
    assert "Près de votre position" in soup.select_one("h4.near").get_text()


def test_browse_by_stream_lists_items_and_points(client):
    _, soup = get(client, flux="glass", lat=CAPITOLE[0], lon=CAPITOLE[1])
    assert soup.select_one("article.answer")["data-stream"] == "glass"
    assert soup.select("article.answer ul.items a[href*='choix=']")
    assert len(soup.select("ol.places li.place")) == 5


@pytest.mark.parametrize("territory, flux", [("toulouse", "textiles"), ("grenoble", "glass"),
                                             ("paris", "medicines")])
def test_missing_drop_off_data_is_said_and_named(client, territory, flux):
    response, soup = get(client, territory=territory, flux=flux)
    notice = soup.select_one("#dropoff .missing")
    assert response.status_code == 200 and notice
    assert "Près d'ici n'a pas encore ces données pour" in notice.get_text()
    assert notice.select_one(f"a[href='/donnees#t-{territory}']")   # what could open: /donnees
    assert not soup.select("ol.places")


def test_household_and_special_items_need_no_drop_off_point(client):
    for query, words in (("mégots", "poubelle habituelle"), ("fusil", "Pas de point")):
        _, soup = get(client, objet=query)
        assert words in soup.select_one(".dropoff").get_text()
        assert not soup.select(".dropoff form")


@pytest.mark.parametrize("params, status", [
    ({"objet": "a" * 5000}, 400), ({"objet": "zzqxwv"}, 200), ({"choix": "nope"}, 404),
    ({"choix": "../../etc/passwd"}, 404), ({"flux": "lava"}, 404), ({"objet": "%00<script>"}, 200),
    ({"choix": "jean", "lat": "nan", "lon": "1.44"}, 400),
    ({"choix": "jean", "lat": "48.85", "lon": "2.35"}, 400),
    ({"choix": "bouteille-en-verre-biere-cidre-eau-lait-jus-vin", "lieu": "nope:1"}, 404),
    ({"choix": "bouteille-en-verre-biere-cidre-eau-lait-jus-vin", "q": "q" * 500}, 400),
])
def test_bad_input_gets_a_clear_message_never_a_500(client, params, status):
    for fragment in (False, True):
        response, soup = get(client, fragment=fragment, **params)
        assert response.status_code == status, params
        assert soup.select_one("[role=alert]").get_text(strip=True)
        if not fragment:
            check_html(response.data)
    assert b"<script>" not in get(client, objet="<script>alert(1)</script>")[0].data


def test_empty_query_shows_common_items_and_streams(client):
    _, soup = get(client, fragment=True, objet="   ")
    assert soup.select("ul.items a") and soup.select("ul.streams a")
    assert not soup.select("[role=alert]")


def test_every_stream_and_a_sample_of_items_render(app, client):
    from webapp.sorting import guide
    from webapp.sorting.taxonomy import STREAMS
    with app.app_context():
        items = list(guide().items)[::97]
    for flux in STREAMS:
        response, _ = get(client, flux=flux)
        assert response.status_code == 200
        check_html(response.data)
    for item_id in items:
        response, soup = get(client, choix=item_id)
        assert response.status_code == 200 and soup.select_one("article.answer")


def test_english_page_and_item_names(client):
    response = client.get("/toulouse/jeter?objet=sofa", headers={"Accept-Language": "en"})
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(strip=True).endswith("Where does it go?")
    assert "Sofa" in soup.select_one("#answer-title").get_text()
    assert "Stream:" in soup.select_one(".stream").get_text()


def test_territory_home_links_the_task(client):
    soup = BeautifulSoup(client.get("/toulouse/").data, "html.parser")
    assert soup.select_one("a.tile[href='/toulouse/jeter']")


def test_opening_hours_hook(app):
    # Hand-made places (not records): Toulouse's glass banks publish no hours at all.
    from datetime import datetime
    from webapp.hours import TZ
    from webapp.places import Place
    from webapp.tasks import recycle
    bare = Place("t:1", None, "glass", 43.6, 1.44, "t")
    assert recycle.opening(bare) is None
    odd = recycle.opening(Place("t:2", None, "recycling_centre", 43.6, 1.44, "t",
                                hours="le mardi, parfois"))
    assert odd.raw == "le mardi, parfois" and odd.open_now is None     # unreadable: unknown
    with app.app_context():                           # "now" comes from the app's clock
        always = recycle.opening(Place("t:3", None, "recycling_centre", 43.6, 1.44, "t",
                                       hours="24/7"))
        assert always.open_now is True
    tuesday = Place("t:4", None, "recycling_centre", 43.6, 1.44, "t", hours="Tu 09:00-12:00")
    at = datetime(2025, 9, 16, 10, 30, tzinfo=TZ)     # a Tuesday, 10:30 in Toulouse
    assert recycle.opening(tuesday, at).open_now is True
    assert recycle.opening(tuesday, at.replace(hour=13)).open_now is False


GLASS_ITEM = "bouteille-en-verre-biere-cidre-eau-lait-jus-vin"
ENGLISH = {"Accept-Language": "en"}


def test_published_french_is_marked_french_in_the_english_drop_off(client):
    _, soup = get(client, flux="glass", lat=CAPITOLE[0], lon=CAPITOLE[1], headers=ENGLISH)
    addresses = soup.select("#dropoff li.place p.address")     # "Face rue …, Toulouse"
    assert len(addresses) == 5 and all(in_french(p) for p in addresses)
    assert soup.select_one("#dropoff .sources p.source a span[lang=fr]")   # "Toulouse Métropole"
    _, soup = get(client, choix=GLASS_ITEM, q="saint", headers=ENGLISH)   # gazetteer choices
    names = soup.select("#dropoff ul.choices li a")
    assert names and all(in_french(a) for a in names)
    contexts = soup.select("#dropoff ul.choices li span.muted")
    assert all(in_french(span) for span in contexts)
    _, soup = get(client, choix=GLASS_ITEM, lieu=parse_qs(urlsplit(names[0]["href"]).query)["lieu"][0],
                  headers=ENGLISH)
    near = soup.select_one("#dropoff h4.near")
    assert near.find("span", lang="fr").get_text() == names[0].get_text(strip=True)


def test_named_place_with_hours_is_marked_french_in_english(client, monkeypatch):
    """Toulouse's glass banks have no name nor hours: give the nearest ones some, as a portal
    publishing them would, and check how an English page shows them."""
    from dataclasses import replace
    from webapp.tasks import recycle
    real = recycle.nearest

    def named(*args, **kwargs):
        hours = "Mo-Su 07:00-22:00 ; fermé les jours fériés"
        return [replace(r, place=replace(r.place, name="Conteneur du square", hours=hours))
                for r in real(*args, **kwargs)]
    monkeypatch.setattr(recycle, "nearest", named)
    for headers, marked in ((ENGLISH, True), ({}, False)):
        _, soup = get(client, flux="glass", lat=CAPITOLE[0], lon=CAPITOLE[1], headers=headers)
        first = soup.select_one("#dropoff li.place.first")
        name = first.find("h5").find("span", lang="fr")
        hours = first.select_one("p.hours").find("span", lang="fr")
        if marked:
            assert name.get_text() == "Conteneur du square"
            assert hours.get_text().startswith("Mo-Su 07:00-22:00")
        else:
            assert name is None and hours is None
            assert not soup.select("#dropoff [lang]")
