"""The sorting knowledge on the real ADEME snapshot: loading, streams, search, sanitising."""
import json
from pathlib import Path

import pytest

from webapp.sorting import load_guide
from webapp.sorting.advice import clean, plain
from webapp.sorting.answer import read_answer, search_answer
from webapp.sorting.english import ENGLISH
from webapp.sorting.search import SearchIndex, normalise
from webapp.sorting.taxonomy import STREAMS, advice_stream, classify

NATIONAL = Path(__file__).resolve().parent.parent / "data" / "national"


@pytest.fixture(scope="module")
def guide():
    """The guide built from the embedded snapshot, as the app builds it."""
    return load_guide(NATIONAL)


# What residents type, with the stream ADEME's advice leads to. Misspellings, plurals, missing
# accents, capitals, synonyms and English names included on purpose.
EXPECTED = [
    ("bouteille de vin", "glass"), ("BOUTEILLES DE VIN", "glass"), ("bouteil de vain", "glass"),
    ("glass bottle", "glass"), ("bocal en verre", "glass"),
    ("pile", "batteries"), ("piles", "batteries"), ("pille", "batteries"), ("battery", "batteries"),
    ("batterie automobile", "batteries"),
    ("vieux jean", "textiles"), ("jeans", "textiles"), ("chausure", "textiles"),
    ("t-shirt", "textiles"), ("clothes", "textiles"),
    ("canapé", "bulky"), ("canape", "bulky"), ("canapés", "bulky"), ("sofa", "bulky"),
    ("matlas", "bulky"), ("gravats", "bulky"),
    ("médicaments", "medicines"), ("medicaments", "medicines"), ("medicamant", "medicines"),
    ("médocs", "medicines"), ("seringues", "medicines"),
    ("journaux", "packaging"), ("carton à pizza", "packaging"), ("canettes", "packaging"),
    ("brique de lait", "packaging"), ("capsules de cafe", "packaging"),
    ("televison", "electrical"), ("frigo", "electrical"), ("fridge", "electrical"),
    ("smartphone", "electrical"), ("lave linge", "electrical"), ("néons", "electrical"),
    ("pot de peinture", "hazardous"), ("huile de vidange", "hazardous"),
    ("epluchures", "organic"), ("coquilles d'œufs", "organic"), ("marc de café", "organic"),
    ("mégots", "household"), ("couches pour bébé", "household"),
    ("ampoule halogène", "household"), ("fusil", "special"), ("voiture", "special"),
]


@pytest.mark.parametrize("query, stream", EXPECTED)
def test_query_finds_the_expected_stream(guide, query, stream):
    found = guide.search(query)
    assert found, query
    item, _ = found[0]
    assert item.stream == stream, (query, item.name)


@pytest.mark.parametrize("query", ["bouteille de vin", "vieux jean", "canapé", "médicaments",
                                   "piles", "bouteil de vain"])
def test_clear_queries_get_an_answer_card(guide, query):
    answer = search_answer(guide, query)
    assert answer.item is not None and answer.stream.id == answer.item.stream


@pytest.mark.parametrize("query", ["verre", "bout", "téléphone"])
def test_ambiguous_queries_offer_choices_not_a_guess(guide, query):
    answer = search_answer(guide, query)
    assert answer.item is None and len(answer.candidates) >= 2


def test_words_we_do_not_know_leave_choices_not_a_wrong_answer(guide):
    answer = search_answer(guide, "vieux jean troué de mon grand frère")
    assert answer.item is None and answer.candidates[0].name == "Jean"


def test_no_match_suggests_something_or_says_so(guide):
    answer = search_answer(guide, "zzqxw")
    assert answer.error == "no_match" and answer.item is None
    near = search_answer(guide, "bouteilleeee de vinnn")
    assert near.item or near.candidates


def test_snapshot_counts_match_the_published_files(guide):
    products = json.loads((NATIONAL / "qfdmd_produits_fixture_2026-02.json").read_text())
    synonyms = [r for r in json.loads((NATIONAL / "qfdmd_synonymes_fixture_2026-02.json")
                                      .read_text()) if r["model"] == "qfdmd.synonyme"]
    assert len(products) == 424 and len(synonyms) == 2182
    # Every record is an item, a name merged into another item, or skipped and counted.
    assert 2000 < len(guide.items) < len(products) + len(synonyms)
    assert guide.skipped > 0 and guide.updated.startswith("20")
    assert set(guide.by_stream) == set(STREAMS)
    assert sum(len(v) for v in guide.by_stream.values()) == len(guide.items)


def test_every_stream_has_items_and_every_item_a_known_stream(guide):
    assert all(guide.by_stream[s] for s in STREAMS)
    assert {i.stream for i in guide.items.values()} <= set(STREAMS)


def test_internal_groupings_are_never_item_names(guide):
    names = {i.name for i in guide.items.values()}
    assert "Ameublement - Bonus réparation" not in names
    assert not any(n.startswith(("ABJ - ", "EEE - ")) for n in names)


def test_synonym_lends_its_product_advice_and_keeps_its_own(guide):
    chair = guide.items["chaise"]                       # a synonym with advice of its own
    assert chair.pinned and chair.ademe_slug == "chaise" and chair.worn
    wine = next(i for i in guide.items.values() if i.name.startswith("Bouteille en verre"))
    assert "verre" in plain(wine.advice)


def test_english_names_all_exist_and_are_searchable(guide):
    names = {i.name for i in guide.items.values()}
    assert not [fr for fr in ENGLISH if fr not in names]
    for french, english in list(ENGLISH.items())[:20]:
        found = [i.name for i, _ in guide.search(english, limit=5)]
        assert french in found, english


def test_every_home_page_item_has_an_english_name(guide):
    """ADEME's home-page items are the common ones: an English reader must find them in English."""
    pinned = [i for i in guide.items.values() if i.pinned]
    assert len(pinned) >= 20
    assert [i.name for i in pinned if not i.name_en] == []
    for item in pinned:
        assert item.name in [i.name for i, _ in guide.search(item.name_en, limit=5)], item.name_en


def test_reuse_first_follows_the_advice(guide):
    assert guide.items["jean"].reuse           # "revendez-le ou déposez-le…"
    assert not guide.items["medicament"].reuse
    wine = next(i for i in guide.items.values() if i.name.startswith("Bouteille en verre"))
    assert not wine.reuse                      # "Rapportez-moi pour réemploi" is a deposit, not a gift


def test_classify_order_bin_first_then_data_then_advice():
    # Hand-made inputs for the rule order (not records): ADEME saying "bin" wins over the code.
    assert classify("LAMPES", ["ampoule"], "Jetez-la dans la poubelle des ordures ménagères.") \
        == "household"
    assert classify("DEEE", [], "Apportez-le en déchèterie.") == "electrical"
    assert classify("", [], "Déposez-la dans une pharmacie.") == "medicines"
    assert classify("", [], "Remettez-le à une structure de réemploi.") == "reuse"
    assert classify("", [], "Contactez l'Andra.") == "special"
    assert advice_stream("Sinon apportez-le en déchèterie, ou jetez-le aux ordures ménagères") \
        == "bulky"


def test_sanitiser_keeps_the_allow_list_only():
    raw = ('<b>Oui</b> <a href="https://ademe.fr/x" target="_blank" onclick="x()">lien</a>'
           '<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://e"></iframe>'
           '<a href="javascript:alert(1)">js</a>\n\n<br><br></br><br>fin<br>')
    html = str(clean(raw))
    assert "<b>Oui</b>" in html and 'href="https://ademe.fr/x"' in html
    assert 'rel="noopener noreferrer"' in html
    for bad in ("<script", "<img", "<iframe", "onclick", "onerror", "javascript:", "target="):
        assert bad not in html
    assert "<br><br><br>" not in html and not html.endswith("<br>")


def test_every_advice_in_the_snapshot_is_clean(guide):
    from bs4 import BeautifulSoup
    from webapp.sorting.advice import TAGS
    links = 0
    for item in guide.items.values():
        for html in (item.advice, item.good, item.worn):
            for tag in BeautifulSoup(str(html), "html.parser").find_all(True):
                assert tag.name in TAGS, (item.id, tag.name)
                assert set(tag.attrs) <= {"href", "rel"}, (item.id, tag.attrs)
                if "href" in tag.attrs:
                    links += 1
                    assert tag["href"].startswith("https://"), (item.id, tag["href"])
    assert links > 100          # ADEME's links survive, only safe ones


def test_normalise_folds_plurals_stopwords_accents():
    assert normalise("Les Bouteilles de VIN") == ["bouteille", "vin"]
    assert normalise("journaux") == ["journal"] and normalise("gâteaux") == ["gateau"]
    assert normalise("de la") == ["de", "la"]          # only stopwords: keep them, never empty


def test_index_on_hand_made_entries():
    # A tiny hand-made index for edge cases (not real records).
    index = SearchIndex([("a", "Pile jetable", 0), ("b", "Pile rechargeable", 0),
                         ("c", "Pelle", 0)])
    assert index.search("")[0:] == [] and index.search("   ") == []
    assert [m.item_id for m in index.search("pile re")] == ["b"]
    assert index.search("pile jetable")[0].score == 100
    assert index.search("xxxxxxx") == []


@pytest.mark.parametrize("args, error, status", [
    ({"objet": "a" * 81}, "too_long", 400), ({"choix": "nope"}, "unknown_item", 404),
    ({"choix": "x" * 10_000}, "unknown_item", 404), ({"flux": "lava"}, "unknown_stream", 404),
    ({"objet": "\x00\x01"}, "no_match", 200), ({"objet": "   "}, None, 200),
])
def test_bad_arguments_are_read_into_messages(guide, args, error, status):
    answer = read_answer(guide, args)
    assert (answer.error, answer.status) == (error, status)
