"""Typing a street or an address in the place picker (Debian's Chromium, real gunicorn): Paris
(Base Adresse Nationale) and Périgueux (BANO), spelt right and misspelt."""
import csv
import gzip
from pathlib import Path

import pytest

from conftest import phone_context, watch_console
from webapp.geo import haversine_m

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


def _ban(street: str) -> dict[str, tuple[float, float]]:
    """number -> (lat, lon) of one Paris street, read from the raw BAN file."""
    with gzip.open(ROOT / "data/paris/ban-adresses-75_2024.csv.gz", "rt", encoding="utf-8") as f:
        return {r["numero"] + r["rep"]: (float(r["lat"]), float(r["lon"]))
                for r in csv.DictReader(f, delimiter=";") if r["nom_voie"] == street}


def _bano(street: str, commune: str) -> dict[str, tuple[float, float]]:
    """number -> (lat, lon) of one street in the raw BANO file (no header, lat before lon)."""
    with open(ROOT / "data/perigueux/bano-24_2015-02.csv", encoding="utf-8", newline="") as f:
        return {r[1]: (float(r[6]), float(r[7])) for r in csv.reader(f)
                if r[2] == street and r[4] == commune}


RIVOLI = _ban("Rue de Rivoli")
ABADIE = _bano("Rue Abadie", "Périgueux")


def pick(page, text: str) -> None:
    """Type into the picker as a person does (htmx searches as they type)."""
    page.fill("#q", "")
    page.type("#q", text, delay=30)


def near(page) -> str:
    """The « Près de … » heading once the answer is in."""
    return page.wait_for_selector("#results h2.near").inner_text()


def rows(page) -> list[tuple[float, float]]:
    """The listed places' coordinates."""
    return page.eval_on_selector_all(
        "#results li.cool-place", "els => els.map(e => [+e.dataset.lat, +e.dataset.lon])")


def closest(points, lat, lon) -> float:
    return min(haversine_m(lat, lon, *p) for p in points)


def test_paris_street_address_and_misspellings(browser, server):
    context = phone_context(browser)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/paris/frais")
    pick(page, "rue de rivoli")
    assert "Rue de Rivoli" in near(page)
    found = rows(page)
    assert found and closest(RIVOLI.values(), *found[0]) < 400       # near the street itself

    pick(page, "41 rue de rivoli")
    page.wait_for_function("() => document.querySelector('#results h2.near')?.innerText"
                           ".includes('41 Rue de Rivoli')")
    found = rows(page)
    assert haversine_m(*found[0], *RIVOLI["41"]) < 300                # near number 41

    for misspelt, wanted in (("rue de rivolli", "Rue de Rivoli"),
                             ("41 rue de rivolli", "41 Rue de Rivoli")):
        pick(page, misspelt)
        # A street offered as a choice is a button that posts (its id never enters a URL).
        choice = page.wait_for_selector(f"#results ul.choices button:text-is('{wanted}')")
        choice.click()
        page.wait_for_function(f"() => document.querySelector('#results h2.near')?.innerText"
                               f".includes('{wanted}')")
        assert closest(RIVOLI.values(), *rows(page)[0]) < 400
        assert page.url == f"{server.url}/paris/frais"               # no street in the bar
    assert problems == []
    context.close()
    log = Path(server.log).read_text()
    assert "/paris/frais" in log and "rivoli" not in log.lower()      # never logged


def test_perigueux_street_and_address_even_misspelt(browser, server):
    """Périgueux publishes no cool place yet: a found place opens the answer (what the city could
    open, near that place); a name not found would be an alert instead."""
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/perigueux/frais")
    for typed, wanted in (("rue abadie", "Rue Abadie"), ("26 rue abadie", "26 Rue Abadie"),
                          ("26 rue abadiee", "26 Rue Abadie"), ("rue abbadie", "Rue Abadie")):
        pick(page, typed)
        page.wait_for_function("() => document.querySelector('#results p.missing, "
                               "#results ul.choices, #results [role=alert]')")
        choice = page.query_selector(f"#results ul.choices button:text-is('{wanted}')")
        if choice:                        # misspelt: offered among the choices, then picked
            choice.click()
        page.wait_for_selector("#results p.missing")
        assert page.query_selector("#results [role=alert]") is None, typed
        assert page.input_value("#q") in (typed, wanted)
    assert "26" in ABADIE                 # the number exists in the raw file
    context.close()


def test_a_city_without_addresses_says_streets_are_not_searchable(browser, server):
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/grenoble/frais")
    pick(page, "rue félix viallet")
    alert = page.wait_for_selector("#results [role=alert]").inner_text()
    assert "Les rues ne sont pas encore cherchables à Grenoble" in alert
    context.close()
