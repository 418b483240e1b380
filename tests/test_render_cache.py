"""Rendering caches (issue 12) never change an answer: cards per language and data snapshot,
translations per request language."""
import dataclasses

import pytest

from webapp.lru import LRU as CardCache
from webapp.catalog import catalog
from webapp.spatial import SpatialIndex

HX = {"HX-Request": "true"}
URLS = [
    ("/grenoble/velo?lat=45.1909&lon=5.7269", HX),
    ("/grenoble/velo?lat=45.1870&lon=5.7350", {}),
    ("/paris/velo?lat=48.8566&lon=2.3522", HX),
    ("/toulouse/jeter?objet=bouteille+de+vin&lat=43.6045&lon=1.4440", HX),
    ("/paris/frais?lat=48.8566&lon=2.3522", HX),
    ("/paris/frais?lat=48.8606&lon=2.3376&ouvert=1", {}),
]


def body(client, url, headers, lang):
    """The answer's HTML in one language."""
    response = client.get(url, headers={**headers, "Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url, headers", URLS)
def test_cached_cards_give_the_same_page_in_every_language(app, client, url, headers):
    languages = ("fr", "en", "ar", "uk")
    for lang in languages + languages:          # the second round is served from the cache
        cached = body(client, url, headers, lang)
    kept = app.extensions["presdici.cards"]
    app.extensions["presdici.cards"] = CardCache(0)          # nothing cached: drawn every time
    try:
        for lang in languages:
            assert body(client, url, headers, lang) == body_cached(app, kept, client, url,
                                                                  headers, lang)
    finally:
        app.extensions["presdici.cards"] = kept
    assert cached


def body_cached(app, cache, client, url, headers, lang):
    """The same answer with the warm cache put back for one request."""
    bare = app.extensions["presdici.cards"]
    app.extensions["presdici.cards"] = cache
    try:
        return body(client, url, headers, lang)
    finally:
        app.extensions["presdici.cards"] = bare


def test_a_new_snapshot_never_shows_a_card_drawn_from_the_old_one(app, client):
    url, headers = URLS[0]
    with app.app_context():
        data = catalog().get("grenoble")
    before = body(client, url, headers, "fr")
    index = data.index("bike")
    renamed = [dataclasses.replace(p, name="Arceaux du test de fraîcheur")
               if p.category == "bike_parking" else p for p in index.places]
    fresh = dataclasses.replace(data, indexes={**data.indexes, "bike": SpatialIndex(
        renamed, index.proj.lat0, index.proj.lon0)}, version=object())
    store = app.extensions["presdici.catalog"]
    store._data["grenoble"] = fresh
    try:
        after = body(client, url, headers, "fr")
    finally:
        store._data["grenoble"] = data
    assert "Arceaux du test de fraîcheur" not in before
    assert "Arceaux du test de fraîcheur" in after
    assert body(client, url, headers, "fr") == before


def test_cache_is_bounded():
    cache = CardCache(3)
    for i in range(10):
        cache.put(i, str(i))
    assert len(cache) == 3 and cache.get(0) is None and cache.get(9) == "9"


def test_caches_hold_no_trace_of_the_position(app, client):
    """Cards and remembered addresses are keyed by public data only: never by the visitor's
    position or what they typed (docs/privacy.md)."""
    for url in ("/grenoble/velo?lat=45.18777&lon=5.73111", "/paris/frais?lat=48.85111&lon=2.34777",
                "/grenoble/velo?q=Chavant+Tricotine"):
        for headers in ({}, HX):
            assert client.get(url, headers=headers).status_code == 200
    cards = app.extensions["presdici.cards"]
    held = repr(list(cards._items.items()))
    for trace in ("45.1878", "5.7311", "48.8511", "2.3478", "Tricotine"):
        assert trace not in held
    assert len(cards) > 0
    from webapp.rendering import REMEMBERED      # what url_for may remember an address by
    assert not REMEMBERED & {"lat", "lon", "q", "lieu", "objet", "choix", "flux"}
