"""Template filters: dates in French time, only web links, published French text marked as such."""
import subprocess

from bs4 import BeautifulSoup

from webapp import filters
from tests.conftest import ROOT


def test_snapshot_dates_are_french_days(app):
    with app.test_request_context("/"):
        # 23:30 UTC on 14 March is already the 15th in Paris (UTC+1 in winter).
        assert filters.day("2025-03-14T23:30:00+00:00") == filters.day("2025-03-15")
        assert filters.day("2025-03-14T22:30:00+00:00") == filters.day("2025-03-14")
        assert filters.day("2025-07-14") != filters.day("2025-07-15")
        assert filters.day(None) == "date inconnue"


def test_only_http_links_survive():
    assert filters.web_url("https://www.example.org/velo") == "https://www.example.org/velo"
    assert filters.web_url(" http://a.fr/x ") == "http://a.fr/x"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example",
                "/relative", "https:///nohost", "", None, 42, "http://[::1"):
        assert filters.web_url(bad) is None, bad


def test_french_data_is_marked_french_in_an_english_page(client):
    english = {"Accept-Language": "en"}
    page = BeautifulSoup(client.get("/donnees", headers=english).data, "html.parser")
    titles = page.select("li.dataset:not(#national-sorting-guide) h3 a")
    assert titles and all(a.find("span", lang="fr") for a in titles)
    picked = BeautifulSoup(client.get("/grenoble/velo?q=gare", headers=english).data, "html.parser")
    assert picked.select("ul.choices a span[lang=fr]")
    # In French, no redundant markup.
    page_fr = BeautifulSoup(client.get("/donnees").data, "html.parser")
    assert not page_fr.select("li.dataset h3 a span[lang]")


def test_french_marking_follows_each_request_language(tmp_path):
    """A fresh app renders English first, then French: a literal `"…"|fr` must not have been
    frozen into the compiled template by the first request (Jinja folds constant filters)."""
    from webapp import create_app
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)})
    client = app.test_client()
    url = "/toulouse/jeter?objet=bouteille+de+vin"
    english = BeautifulSoup(client.get(url, headers={"Accept-Language": "en"}).data, "html.parser")
    french = BeautifulSoup(client.get(url, headers={"Accept-Language": "fr"}).data, "html.parser")
    assert english.select_one("article.answer .source span[lang=fr]")
    assert not french.select("article.answer .source [lang]")


def test_unconfirmed_licences_are_said_in_the_reader_language(client):
    """"To be confirmed" is ours, not the publisher's: it is translated, not stored in the data,
    and said once in a footnote that each unconfirmed licence points to (not repeated)."""
    page = BeautifulSoup(client.get("/donnees", headers={"Accept-Language": "en"}).data,
                         "html.parser")
    clermont = page.select_one("#t-clermont").find_parent("section")
    marks = clermont.select("a.footnote-ref[href='#licence-note']")
    assert marks and all(m["aria-label"] == "licence to be confirmed" for m in marks)
    assert page.get_text(" ").count("to be confirmed by the publisher") == 1
    for element in page.select("[lang=fr]"):
        element.decompose()            # published French, marked as such
    assert "vérifier" not in page.get_text(" ")


def test_english_catalogue_is_complete(tmp_path):
    """Every msgid extracted afresh from the code and templates has an English translation in
    the committed catalogue (so a new string can't land untranslated)."""
    from babel.messages.pofile import read_po
    pot = tmp_path / "messages.pot"
    subprocess.run([str(ROOT / ".venv/bin/pybabel") if (ROOT / ".venv/bin/pybabel").exists()
                    else "pybabel", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        english = {m.id: m for m in read_po(handle, locale="en") if m.id}
    untranslated = []
    for msgid in wanted:
        message = english.get(msgid)
        strings = () if message is None else (
            message.string if isinstance(message.string, tuple) else (message.string,))
        if not strings or not all(strings) or (message and message.fuzzy):
            untranslated.append(msgid)
    assert not untranslated, sorted(map(str, untranslated))
