"""Languages: complete catalogues with each language's plural forms, no untranslated template
text, right to left in Arabic, per-locale numbers, the language choice and the fill tool."""
import importlib.util
import json
import re
import shutil
import subprocess

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask_babel import force_locale, ngettext

from template_text import problems
from tests.conftest import ROOT
from webapp import filters
from webapp.languages import LANGUAGES

TARGETS = [code for code in LANGUAGES if code != "fr"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every msgid extracted afresh from the code and the templates."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = ROOT / ".venv/bin/pybabel"
    subprocess.run([str(pybabel) if pybabel.exists() else "pybabel", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", TARGETS)
def test_every_catalogue_is_complete_and_not_fuzzy(extracted, lang):
    with (ROOT / f"translations/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    forms = get_plural(lang).num_plurals
    assert catalog.num_plurals == forms
    messages = {m.id: m for m in catalog if m.id}
    bad = []
    for msgid in extracted:
        message = messages.get(msgid)
        strings = () if message is None else (
            message.string if isinstance(message.string, tuple) else (message.string,))
        if (not strings or not all(strings) or message.fuzzy
                or (isinstance(msgid, tuple) and len(strings) != forms)):
            bad.append(msgid)
    assert not bad, sorted(map(str, bad))


def test_no_template_holds_text_outside_the_translation_functions():
    found = {str(p.relative_to(ROOT)): problems(p) for p in (ROOT / "templates").rglob("*.html")}
    assert {path: texts for path, texts in found.items() if texts} == {}


def test_the_template_check_finds_untranslated_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<p title="Bonjour">{{ _("ok") }} Salut {{ x or "Rien" }} '
                    '{{ "%.6f"|format(1) }} <img alt="{{ _(\'x\') }}"> Près d\'ici '
                    '<input placeholder="Nom"><script>var a = "zz";</script></p>')
    assert sorted(problems(page)) == ["Bonjour", "Nom", "Rien", "Salut"]


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("fr", "ltr"), ("uk", "ltr")])
def test_pages_declare_their_language_and_direction(client, lang, direction):
    page = BeautifulSoup(client.get("/grenoble/velo", headers={"Accept-Language": lang}).data,
                         "html.parser")
    assert page.html["lang"] == lang and page.html["dir"] == direction


def test_arabic_has_six_plural_forms_in_use(app):
    counts = [0, 1, 2, 3, 11, 100]
    with app.test_request_context("/"), force_locale("ar"):
        texts = [ngettext("%(num)s lieu", "%(num)s lieux", n) for n in counts]
    assert len(set(texts)) == 6, texts
    assert texts[2] == "مكانان" and texts[3] == "3 أماكن" and texts[4] == "11 مكانًا"


@pytest.mark.parametrize("lang, one, few, many", [("uk", "21 місце", "3 місця", "11 місць"),
                                                  ("es", "1 lugar", "3 lugares", "11 lugares")])
def test_slavic_and_spanish_plurals(app, lang, one, few, many):
    with app.test_request_context("/"), force_locale(lang):
        found = [ngettext("%(num)s lieu", "%(num)s lieux", n) for n in
                 (21 if lang == "uk" else 1, 3, 11)]
    assert found == [one, few, many]


@pytest.mark.parametrize("lang, near, far", [("fr", "85 m", "1,2 km"), ("en", "85 m", "1.2 km"),
                                             ("es", "85 m", "1,2 km"), ("uk", "85 м", "1,2 км"),
                                             ("ar", "85 م", "1.2 كم")])
def test_distances_follow_the_locale(app, lang, near, far):
    with app.test_request_context("/"), force_locale(lang):
        assert (filters.distance(84), filters.distance(1234)) == (near, far)


def test_dates_follow_the_locale(app):
    with app.test_request_context("/"):
        days = {}
        for lang in LANGUAGES:
            with force_locale(lang):
                days[lang] = filters.day("2025-09-15")
    assert days["fr"] == "15 sept. 2025" and days["es"] == "15 sept 2025"
    assert "вер" in days["uk"] and days["en"] == "Sep 15, 2025" and "2025" in days["ar"]


def test_first_visit_follows_accept_language_then_the_cookie(client):
    spanish = client.get("/grenoble/", headers={"Accept-Language": "es-ES,es;q=0.9,fr;q=0.5"})
    assert BeautifulSoup(spanish.data, "html.parser").html["lang"] == "es"
    chosen = client.get("/langue/uk?suite=/grenoble/")
    assert chosen.status_code == 302 and "lang=uk" in chosen.headers["Set-Cookie"]
    again = client.get("/grenoble/", headers={"Accept-Language": "es"})
    assert BeautifulSoup(again.data, "html.parser").html["lang"] == "uk"
    client.delete_cookie("lang")


@pytest.mark.parametrize("path", ["/", "/grenoble/", "/grenoble/velo", "/toulouse/jeter",
                                  "/paris/frais", "/donnees", "/hors-ligne", "/grenoble/nulle-part"])
def test_language_switcher_on_every_page(client, path):
    page = BeautifulSoup(client.get(path, headers={"Accept-Language": "ar"}).data, "html.parser")
    switcher = page.select_one(".langs")
    links = {a["hreflang"]: a for a in switcher.select("a")}
    assert set(links) == set(LANGUAGES) - {"ar"}
    assert all(a["lang"] == code for code, a in links.items())
    assert links["uk"].get_text(strip=True) == "Українська"
    assert switcher.select_one("strong[lang=ar]").get_text(strip=True) == "العربية"


def test_stylesheet_uses_logical_sides_only():
    """Right to left needs start/end, not left/right (an `inset: 0` shorthand is symmetric)."""
    css = (ROOT / "static/css/app.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:"
                          r"|text-align:\s*(?:left|right)|float:\s*(?:left|right)", css)
    assert physical == []


def _i18n_tool(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools/i18n.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy, ignore=shutil.ignore_patterns("*.mo", ".lock"))
    monkeypatch.setattr(tool, "TRANSLATIONS", copy)
    return tool, copy


def test_fill_takes_each_language_forms_and_refuses_broken_ones(tmp_path, monkeypatch):
    tool, copy = _i18n_tool(tmp_path, monkeypatch)
    wanted = tmp_path / "uk.json"
    wanted.write_text(json.dumps({
        "Carte": "Мапа",                                       # accepted
        "%(m)s m": "%(metres)s м",                             # wrong placeholder
        "%(num)s lieu": ["%(num)s місце", "%(num)s місця"],    # 2 forms where uk has 3
        "Pas un msgid": "…",
    }), encoding="utf-8")
    assert tool.fill("uk", wanted) == 3
    with (copy / "uk/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="uk")
    assert catalog.get("Carte").string == "Мапа" and catalog.get("%(m)s m").string == "%(m)s м"
    assert tool.todo("uk") == {}


def test_published_french_runs_left_to_right_in_arabic(client):
    url = "/toulouse/jeter?objet=bouteille+de+vin"
    arabic = BeautifulSoup(client.get(url, headers={"Accept-Language": "ar"}).data, "html.parser")
    french = arabic.select("main [lang=fr]")
    assert french and all(element.get("dir") == "ltr" for element in french)
    spanish = BeautifulSoup(client.get(url, headers={"Accept-Language": "es"}).data, "html.parser")
    assert spanish.select("main [lang=fr]") and not spanish.select("main [dir]")


@pytest.mark.parametrize("lang, expected", [("fr", "1\u202f428 lieux"), ("en", "1,428 places"),
                                            ("es", "1.428 lugares"), ("uk", "1\xa0428 місць")])
def test_counts_in_templates_follow_the_locale(app, lang, expected):
    """Plural messages write their number as the language does (Babel), not as Python's 1428."""
    template = app.jinja_env.from_string('{{ ngettext("%(num)s lieu", "%(num)s lieux", n) }}')
    with app.test_request_context("/"), force_locale(lang):
        assert template.render(n=1428) == expected


def test_the_cool_page_counts_its_places_as_french_does(client):
    page = BeautifulSoup(client.get("/paris/frais").data, "html.parser")
    lead = page.select_one("p.lead").get_text()
    spots = re.search(r"lieux sur ([\d\u202f]+) :", lead).group(1)
    assert int(spots.replace("\u202f", "")) > 999 and "\u202f" in spots, lead
