"""« Garer mon vélo » pages rendered by the app: no empty blocks where nothing is published, and
published French text marked as French on English pages (RGAA 8.7)."""
import pytest
from bs4 import BeautifulSoup
from conftest import in_french

ENGLISH = {"Accept-Language": "en"}


def results(client, url, fragment=False, headers=None):
    """The #results block of a page, or the htmx fragment that replaces it (an old `?q=` link to
    one public place is a 303 to its `?lieu=` address: followed)."""
    headers = {**(headers or {}), **({"HX-Request": "true"} if fragment else {})}
    response = client.get(url, headers=headers, follow_redirects=True)
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    return soup if fragment else soup.select_one("#results")


def assert_no_empty_block(block):
    """No heading without anything after it, no empty .sources, no empty list."""
    for element in block.select(".sources, ul, ol"):
        assert element.get_text(strip=True), f"empty block: {element}"
    for heading in block.select("h2, h3, h4, h5"):
        after = heading.find_next_sibling()
        assert heading.get_text(strip=True) and after is not None and after.get_text(strip=True), \
            f"heading with nothing under it: {heading}"


@pytest.mark.parametrize("fragment", [False, True])
def test_nothing_published_shows_the_notice_only(client, fragment):
    block = results(client, "/clermont/velo?q=jaude", fragment)     # Clermont: no bike parking
    assert "Près d'ici n'a pas encore ces données pour Clermont-Ferrand" in block.select_one(".missing").text
    assert not block.select(".near"), "a « Près de … » heading over nothing"
    assert not block.select(".sources"), "a sources block without a source"
    assert_no_empty_block(block)


@pytest.mark.parametrize("url", ["/toulouse/velo?q=esquirol", "/grenoble/velo?lieu=zones-arrets%3A930",
                                 "/paris/velo?q=place+de+la+bastille",   # OpenStreetMap
                                 "/grenoble/velo?lat=45.1909&lon=5.7269"])
def test_published_data_keeps_heading_list_and_sources(client, url):
    block = results(client, url)
    assert block.select_one("h2.near")
    assert block.select("li.place")
    assert block.select_one(".sources .source a[href]")
    assert_no_empty_block(block)


def test_published_french_is_marked_french_on_english_bike_pages(client):
    block = results(client, "/grenoble/velo?lieu=zones-arrets%3A930", headers=ENGLISH)
    near = block.select_one("h2.near")
    assert near.find("span", lang="fr").get_text() == "Gare de Grenoble"
    assert not in_french(near)                       # "Near “…”" itself is English
    addresses = block.select("li.place p.address")
    assert addresses and all(in_french(p) for p in addresses)
    services = block.select("section.side li.place > p:not([class])")     # "Pompe, plan orienté…"
    assert services and all(in_french(p) for p in services)
    attributions = block.select(".sources p.source a") + block.select("li.place p.source")
    assert attributions and all(a.find("span", lang="fr") for a in attributions)
    places = BeautifulSoup(client.get("/grenoble/velo?q=gare", headers=ENGLISH).data, "html.parser")
    contexts = places.select("#results ul.choices li span.muted")    # the commune of each place
    assert contexts and all(in_french(span) for span in contexts)


@pytest.mark.parametrize("url", ["/grenoble/velo?lieu=zones-arrets%3A930", "/grenoble/velo?q=gare"])
def test_no_redundant_lang_on_french_pages(client, url):
    assert not results(client, url).select("[lang]")
