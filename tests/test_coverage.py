"""/donnees: the coverage matrix (city × task) and a page that speaks to the public."""
import re
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def cells(client, headers=None):
    """{(city, column header): cell text} of the matrix."""
    soup = BeautifulSoup(client.get("/donnees", headers=headers or {}).data, "html.parser")
    table = soup.select_one("table.coverage-table")
    heads = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    out = {}
    for row in table.select("tbody tr"):
        city = row.select_one("th").get_text(strip=True)
        for head, td in zip(heads, row.select("td")):
            out[city, head] = (td["class"][1], td.get_text(" ", strip=True))
    return soup, out


def test_each_city_and_task_in_one_of_the_states(app, client):
    from webapp.catalog import catalog
    soup, matrix = cells(client)
    with app.app_context():
        paris = catalog().get("paris")
        bike = len(paris.states["osm-stationnement-velo"].places)
        streets = len(paris.states["adresses-ban"].places)
    state, text = matrix["Paris", "Garer mon vélo"]
    # Counts as French writes them: 6 678 (a narrow no-break space), never 6678.
    assert state == "cov-loaded" and f"{format_decimal(bike, locale='fr')} lieux" in text
    assert "données du 29 janv. 2021" in text                       # the OSM export's date
    assert matrix["Paris", "Rues et adresses (point de départ)"][0] == "cov-loaded"
    assert f"{format_decimal(streets, locale='fr')} rues" in matrix["Paris", "Rues et adresses (point de départ)"][1]
    assert matrix["Périgueux", "Rues et adresses (point de départ)"][0] == "cov-loaded"
    # Clermont's only cool dataset is a third party's reduced copy.
    assert matrix["Clermont-Ferrand", "Au frais"][0] == "cov-reduced"
    assert "Copie réduite" in matrix["Clermont-Ferrand", "Au frais"][1]
    # Not published: with the national schema to follow (and what to open, under the city).
    state, text = matrix["Grenoble", "Rues et adresses (point de départ)"]
    assert state == "cov-missing" and "Pas publié" in text
    grenoble = soup.select_one("#t-grenoble").find_parent("section")
    assert grenoble.select_one("a[href='https://schema.data.gouv.fr/etalab/schema-bal/']")
    assert "Base Adresse Locale" in grenoble.get_text()
    assert matrix["Clermont-Ferrand", "Garer mon vélo"][0] == "cov-missing"
    # Mobility: the GTFS feeds (Clermont's has no stop_times: stops and lines, no timetable).
    assert matrix["Grenoble", "Se déplacer"][0] == "cov-loaded"
    assert matrix["Périgueux", "Se déplacer"][0] == "cov-loaded"
    assert matrix["Clermont-Ferrand", "Se déplacer"][0] == "cov-reduced"
    assert "sans horaires" in matrix["Clermont-Ferrand", "Se déplacer"][1]
    assert matrix["Toulouse", "Se déplacer"][0] == "cov-published"     # Tisséo's GTFS, named
    assert len(matrix) == 5 * 5


def test_published_but_not_loaded_and_unreadable(tmp_path, monkeypatch):
    """Toulouse's current all-streams dataset (named in its territory file) declared published,
    the old glass-bank copy left out: "published, not loaded yet", linked. A dataset we hold but
    cannot read is "published, unreadable", never "not published"."""
    from webapp import create_app
    territories = tmp_path / "territories"
    territories.mkdir()
    toml = (ROOT / "territories/toulouse.toml").read_text(encoding="utf-8")
    head, *blocks = toml.split("\n[[datasets]]\n")
    blocks = [b for b in blocks if 'task = "recycle"' not in b]
    page = ("https://data.toulouse-metropole.fr/explore/dataset/"
            "points-dapport-volontaire-dechets-et-moyens-techniques/")
    text = "\n[[datasets]]\n".join([head, *blocks]) + (
        '\n[[extra.published.recycle]]\n'
        'dataset = "points-dapport-volontaire-dechets-et-moyens-techniques"\n'
        f'page = "{page}"\n')
    (territories / "toulouse.toml").write_text(text, encoding="utf-8")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "TERRITORIES_DIR": str(territories)})
    _, matrix = cells(app.test_client())
    state, text = matrix["Toulouse", "Où jeter ?"]
    assert state == "cov-published" and "Publié, pas encore chargé" in text
    assert "points-dapport-volontaire-dechets-et-moyens-techniques" in text
    from webapp.catalog import catalog
    with app.app_context():
        bike = catalog().get("toulouse").states_for("bike")[0]
        monkeypatch.setattr(bike, "places", [])
        monkeypatch.setattr(bike, "error", "unreadable (test)")
        _, matrix = cells(app.test_client())
    assert matrix["Toulouse", "Garer mon vélo"][0] == "cov-unreadable"


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "en"}])
def test_the_page_speaks_to_the_public(client, headers):
    """No repository names, file paths or our own notes (those are in `flask data status`);
    "to be confirmed" said once, not after every licence."""
    soup, _ = cells(client, headers)
    text = soup.get_text(" ", strip=True)
    for ours in ("PROVENANCE", "data/", ".csv", ".json", "dépôt", "YassineOUAHMANE", "connecteur",
                 "(à vérifier)", "(to be checked)", "à vérifier sur le portail"):
        assert ours not in text, ours
    assert len(re.findall(r"(?i)à confirmer par le producteur|to be confirmed by the publisher",
                          text)) == 1
    assert "© OpenStreetMap contributors" in text and "ODbL" in text


def test_our_notes_go_to_data_status(app):
    result = app.test_cli_runner().invoke(args=["data", "status", "-t", "grenoble"])
    assert "note  grenoble/" in result.output and "YassineOUAHMANE" in result.output
    assert "licence to check" in result.output or "Licence à vérifier" in result.output
    paris = app.test_cli_runner().invoke(args=["data", "status", "-t", "paris"]).output
    assert re.search(r"paris/osm-toilettes: \d+ already listed by sanisettes", paris)
