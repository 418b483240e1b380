"""Issue 10, no dead ends: generic words ask, honest text, answers first, addresses that follow the
answer. Flask client on the embedded real data; the browser journeys are in
test_nodeadends_browser.py."""
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from babel.numbers import format_decimal
from bs4 import BeautifulSoup

from webapp.geo import haversine_m
from webapp.sorting import load_guide
from webapp.sorting.common import COMMON
from webapp.text import shouting, title_name

NATIONAL = Path(__file__).resolve().parent.parent / "data" / "national"
STATION = (45.1915, 5.7145)          # Gare de Grenoble, where the BNSC example record sits
BAD_TEXT = re.compile(r"symbole\s*[.<]|ci-dessous|ci-dessus")


@pytest.fixture(scope="module")
def guide():
    """The guide as the app builds it."""
    return load_guide(NATIONAL)


def page(client, path, fragment=False, **headers):
    """GET a page (or its htmx fragment): the response and its parsed body (an old `?q=` link
    that names one public place is a 303 to its `?lieu=` address: followed)."""
    if fragment:
        headers["HX-Request"] = "true"
    response = client.get(path, headers=headers, follow_redirects=True)
    return response, BeautifulSoup(response.data, "html.parser")


# ── Generic words ask « Quel objet ? »; a specific enough query answers ──

@pytest.mark.parametrize("query, likely", [
    ("pot", "Pot de yaourt en plastique"), ("bouteille", "Bouteille en verre"),
    ("huile", "Huile de friture"), ("bouteille de", "Bouteille en verre")])
def test_generic_words_ask_which_object_with_the_likely_few(client, query, likely):
    _, soup = page(client, "/grenoble/jeter?" + urlencode({"objet": query}))
    assert soup.select_one("article.answer") is None, "a confident answer to a generic word"
    assert [h.get_text(strip=True) for h in soup.select("#results h2")][0] == "Quel objet ?"
    offered = [a.get_text(" ", strip=True) for a in soup.select("#results ul.items a")]
    assert 2 <= len(offered) <= 6
    assert any(likely in name for name in offered), offered
    # Several streams among them: a guess would have sent people to the wrong bin.
    streams = {a["href"] for a in soup.select("#results ul.items a")}
    assert len(streams) == len(offered)


@pytest.mark.parametrize("typed", ["bouteille de v", "bouteille de vin", "bouteilles de vin"])
def test_typing_bouteille_de_vin_never_shows_the_plastic_bottle(client, typed):
    _, soup = page(client, "/grenoble/jeter?" + urlencode({"objet": typed}), fragment=True)
    card = soup.select_one("article.answer")
    assert card is not None and card["data-stream"] == "glass", typed


def test_typing_shows_no_plastic_answer_on_any_prefix(client):
    """Every prefix of « bouteille de vin » either asks or answers glass, never packaging."""
    text = "bouteille de vin"
    for end in range(3, len(text) + 1):
        _, soup = page(client, "/grenoble/jeter?" + urlencode({"objet": text[:end]}),
                       fragment=True)
        card = soup.select_one("article.answer")
        assert card is None or card["data-stream"] == "glass", (text[:end], card["data-stream"])


def test_common_items_are_everyday_and_cover_the_streams(client, guide):
    assert all(item_id in guide.items for item_id in COMMON)
    _, soup = page(client, "/toulouse/jeter")
    heading = next(h for h in soup.select("#results h2") if h.get_text(strip=True) == "Objets courants")
    shown = [a["href"].split("choix=")[1] for a in heading.find_next_sibling("ul").select("a")]
    assert shown == list(COMMON)
    streams = {guide.items[i].stream for i in shown}
    assert {"glass", "batteries", "medicines", "packaging", "textiles", "electrical"} <= streams
    names = " ".join(guide.items[i].name for i in shown)
    for odd in ("fusée de détresse", "Gravats", "Bidon de combustible"):
        assert odd.lower() not in names.lower()


# ── Honest text ──

def test_no_advice_points_to_a_map_video_or_symbol_we_do_not_show(guide):
    for item in guide.items.values():
        for text in (item.advice, item.good, item.worn):
            assert not BAD_TEXT.search(str(text)), (item.id, BAD_TEXT.search(str(text)))


def test_advice_citing_ademe_links_its_page(client, guide):
    item = next(i for i in guide.items.values()
                if "carte de l'ADEME" in str(i.advice) + str(i.worn) and i.ademe_slug)
    _, soup = page(client, f"/grenoble/jeter?choix={item.id}")
    assert soup.select_one(f"article.answer a[href$='/dechet/{item.ademe_slug}/']")
    assert not BAD_TEXT.search(soup.select_one("article.answer").get_text(" "))


def test_special_stream_never_cites_advice_that_is_not_there(client):
    _, soup = page(client, "/grenoble/jeter?flux=special")
    assert "ci-dessus" not in soup.select_one("#dropoff").get_text()
    _, soup = page(client, "/grenoble/jeter?objet=fusil")      # with an item, the advice is above
    assert soup.select_one("article.answer .advice") and "ci-dessus" in soup.select_one("#dropoff").text


def test_product_names_start_with_a_capital(guide):
    assert not [i.name for i in guide.items.values() if i.name[:1].islower()]


def test_shouting_names_are_title_cased_carefully():
    assert title_name("POIDS DE L'HUILE") == "Poids de l'Huile"
    assert title_name("BELLEDONNE") == "Belledonne"
    assert title_name("RUE D'ALSACE-LORRAINE") == "Rue d'Alsace-Lorraine"
    assert title_name("ECOLE JULES FERRY II") == "Ecole Jules Ferry II"
    assert title_name("PARKING A1") == "Parking A1"
    assert not shouting("Gare de Grenoble") and shouting("GARE ECHIROLLES")


def test_published_capitals_are_not_shown_as_published(client, app):
    """A SMMAG parking published in capitals is shown title-cased on the bike page."""
    from webapp.catalog import catalog
    with app.app_context():
        place = next(p for p in catalog().get("grenoble").states["stationnement-cyclable-smmag"].places
                     if p.name and shouting(p.name))
    _, soup = page(client, f"/grenoble/velo?lat={place.lat:.4f}&lon={place.lon:.4f}")
    names = [h.get_text(" ", strip=True) for h in soup.select("#results li.place h3")]
    assert any(title_name(place.name) in n for n in names), (place.name, names)
    assert not any(place.name in n for n in names)


def test_no_zero_metres_on_a_place_you_stand_on(client, app):
    """At a hoop's own point (as the device sends it, 4 decimals), no « 0 m · 1 min à pied »."""
    from webapp.catalog import catalog
    with app.app_context():
        hoop = catalog().get("grenoble").states["arceaux-velo"].places[0]
    lat, lon = round(hoop.lat, 4), round(hoop.lon, 4)
    assert haversine_m(lat, lon, hoop.lat, hoop.lon) < 15
    _, soup = page(client, f"/grenoble/velo?lat={lat}&lon={lon}")
    lines = [p.get_text(" ", strip=True) for p in soup.select("#results .distance")]
    assert lines[0] == "Ici même, à quelques pas"
    assert not [line for line in lines if re.match(r"0 m\b", line)]
    # Identical « Arceaux » cards are told apart by direction.
    assert all(re.search(r" (au|à l')\s?\S+ · \d+ min à pied$", line) for line in lines[1:])


# ── Bike: the parking answer first, bike share after it, and never an example record ──

def test_toulouse_bike_answer_is_parking_first_then_bike_share(client):
    _, soup = page(client, "/toulouse/velo?q=esquirol")
    results = soup.select_one("#results")
    blocks = [el for el in results.find_all(["h2", "p", "section"], recursive=False)]
    first = results.select_one("h2")
    assert first.get_text(" ", strip=True).startswith("Stationnement vélo près de")
    missing = results.select_one("p.missing")
    share = results.select_one("section.side-bike_share")
    assert blocks.index(missing) < blocks.index(share)
    assert share.select_one("h2").get_text(strip=True) == "Vélos en libre-service"
    assert "on ne peut pas y attacher le sien" in share.get_text()
    assert share.select("li.place") and not results.select("ol.places")
    assert not results.select(".badge"), "a bike-share station called « Le plus proche »"


def test_grenoble_station_answer_leaves_the_bnsc_example_out(client, app):
    from webapp.catalog import catalog
    with app.app_context():
        state = catalog().get("grenoble").states["parking-velo-gare-bnsc"]
        assert state.places == [] and state.filtered == 1
    _, soup = page(client, f"/grenoble/velo?lat={STATION[0]}&lon={STATION[1]}")
    ids = [li["data-place-id"] for li in soup.select("#results li.place")]
    assert ids and not [i for i in ids if i.startswith("parking-velo-gare-bnsc:")]


# ── Missing data: one short line after the answers; the city page marks empty tasks ──

@pytest.mark.parametrize("city, empty, full", [
    ("paris", ["Se déplacer"], ["Au frais", "Garer mon vélo"]),
    ("grenoble", ["Au frais"], ["Garer mon vélo", "Se déplacer"]),
    ("toulouse", ["Au frais", "Se déplacer"], ["Où jeter ?"]),
    ("perigueux", ["Garer mon vélo", "Au frais"], ["Se déplacer"])])
def test_city_page_marks_tasks_without_data(client, city, empty, full):
    _, soup = page(client, f"/{city}/")
    tiles = {a.get_text(" ", strip=True): a for a in soup.select("a.tile")}
    for label in empty:
        tile = next(a for text, a in tiles.items() if text.startswith(label) or label in text)
        assert "tile-empty" in tile["class"] and tile.select_one(".tile-note")
    for label in full:
        tile = next(a for text, a in tiles.items() if label in text)
        assert "tile-empty" not in tile["class"]


def test_recycle_answer_before_the_missing_line(client):
    _, soup = page(client, "/grenoble/jeter?objet=piles&q=gare")
    card = soup.select_one("article.answer")
    order = [el for el in card.descendants if getattr(el, "name", None)]
    advice, missing = card.select_one(".advice"), card.select_one("p.missing")
    assert order.index(advice) < order.index(missing)
    assert "Près d'ici n'a pas encore ces données pour Grenoble" in missing.get_text()
    assert not card.select(".notice.missing")        # no orange box


# ── The address bar and the title follow the answer, never a position ──

@pytest.mark.parametrize("path, pushed", [
    ("/grenoble/jeter?objet=bouteille+de+vin",
     "/grenoble/jeter?choix=bouteille-en-verre-biere-cidre-eau-lait-jus-vin"),
    ("/grenoble/jeter?objet=pot", "/grenoble/jeter?objet=pot"),
    ("/grenoble/jeter?flux=glass", "/grenoble/jeter?flux=glass"),
    ("/grenoble/velo?lieu=zones-arrets%3A930", "/grenoble/velo?lieu=zones-arrets:930"),
    ("/paris/frais?q=gare", None),                         # places to choose: nothing to share
    ("/grenoble/velo?lat=45.1909&lon=5.7269", None),       # a position is never an address
    ("/grenoble/jeter?choix=pile-jetable&lat=45.1909&lon=5.7269", None),
])
def test_fragments_push_the_answers_own_address(client, path, pushed):
    response, _ = page(client, path, fragment=True)
    assert response.headers.get("HX-Push-Url") == pushed
    assert "HX-Replace-Url" not in response.headers


def test_a_typed_place_becomes_its_id(client):
    response, _ = page(client, "/grenoble/velo?q=Gare+de+Grenoble", fragment=True)
    url = response.headers["HX-Push-Url"]
    assert url.startswith("/grenoble/velo?lieu=") and "Gare" not in url and "q=" not in url


def test_typing_replaces_the_address_instead_of_stacking_history(client):
    response, _ = page(client, "/grenoble/jeter?objet=piles", fragment=True,
                       **{"X-Live-Search": "1"})
    assert response.headers["HX-Replace-Url"] == "/grenoble/jeter?choix=pile-jetable"
    assert "HX-Push-Url" not in response.headers


@pytest.mark.parametrize("path, title", [
    ("/grenoble/jeter?objet=piles", "Pile jetable – Où jeter ? – Grenoble · Près d'ici"),
    ("/grenoble/jeter?objet=pot", "« pot » – Où jeter ? – Grenoble · Près d'ici"),
    ("/grenoble/velo?lieu=zones-arrets%3A930",
     "Garer mon vélo près de « Gare de Grenoble » – Grenoble · Près d'ici"),
    ("/grenoble/velo?lat=45.1909&lon=5.7269",
     "Garer mon vélo près de votre position – Grenoble · Près d'ici"),
])
def test_title_follows_the_answer_in_page_and_fragment(client, path, title):
    _, full = page(client, path)
    _, fragment = page(client, path, fragment=True)
    assert full.title.get_text(strip=True) == title
    assert fragment.select_one("title").get_text(strip=True) == title
    assert str(fragment).lstrip().startswith("<title>")    # htmx reads a top-level <title>


# ── Screen readers hear a short status, not the whole list ──

def test_results_are_not_a_live_region_and_carry_a_short_status(client):
    _, soup = page(client, "/grenoble/velo?lat=45.1909&lon=5.7269")
    assert soup.select_one("#results").get("aria-live") is None
    assert soup.select_one("#announce[role=status]")
    _, fragment = page(client, "/grenoble/velo?lat=45.1909&lon=5.7269", fragment=True)
    said = fragment.select_one("[data-announce]")
    assert said.has_attr("hidden")
    assert said.get_text(strip=True) == "5 stationnements vélo près de votre position"


# ── « Au frais » promises "open" only as far as the data goes ──

def test_cool_promise_and_open_filter_follow_published_hours(client, app):
    from webapp.catalog import catalog
    from webapp.clock import now
    from webapp.tasks.cool import hours_today
    _, clermont = page(client, "/clermont/frais?lat=45.7724&lon=3.0884")
    assert "ouvert le plus proche" not in clermont.select_one(".lead").get_text()
    assert "Les horaires ne sont pas publiés ici" in clermont.select_one(".lead").get_text()
    assert clermont.select_one("input[name=ouvert]") is None
    assert clermont.select("li.cool-place") and not clermont.select("li.cool-place .state-unknown")
    with app.test_request_context():
        known, spots = hours_today(catalog().get("paris"), now().date())
    _, paris = page(client, "/paris/frais?lat=48.8566&lon=2.3522")
    lead = paris.select_one(".lead").get_text(" ", strip=True)
    if known * 2 >= spots:
        assert "ouvert le plus proche" in lead
    else:
        fr = lambda n: format_decimal(n, locale="fr")                  # 1 428, as French writes it
        assert f"Horaires connus aujourd'hui pour {fr(known)} lieux sur {fr(spots)}" in lead
    assert bool(paris.select_one("input[name=ouvert]")) is bool(known)
    summary = paris.select_one(".cool-filters summary")
    assert summary.select_one(".chevron") and "Filtrer les lieux" in summary.get_text()
