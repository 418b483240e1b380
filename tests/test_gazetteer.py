"""The place picker over real address files: streets by name, addresses to their number, typos,
and the BAN/BANO readers checked against the raw files."""
import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest

from webapp.geo import haversine_m
from webapp.gazetteer import split_number
from webapp.sources.addresses import number_label, parse_ban, parse_bano
from webapp.sources.formats import PayloadError

ROOT = Path(__file__).resolve().parent.parent
BAN = ROOT / "data/paris/ban-adresses-75_2024.csv.gz"
BANO = ROOT / "data/perigueux/bano-24_2015-02.csv"


@pytest.fixture(scope="module")
def paris(app):
    from webapp.catalog import catalog
    with app.app_context():
        return catalog().get("paris").gazetteer


@pytest.fixture(scope="module")
def perigueux(app):
    from webapp.catalog import catalog
    with app.app_context():
        return catalog().get("perigueux").gazetteer


def test_ban_reader_keeps_every_address_of_the_raw_file():
    """Every raw row is one number of one street, at its published point."""
    with gzip.open(BAN, "rt", encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle, delimiter=";"))
    streets = parse_ban(BAN.read_bytes())
    assert len(raw) == 158_048 and sum(len(s["numbers"].split("|")) for s in streets) == len(raw)
    assert len({s["name"] for s in streets}) == len({r["nom_voie"] for r in raw}) == 7_360
    by_id = {s["id"]: s for s in streets}
    for row in raw[::5000]:
        street = by_id["_".join(row["id"].split("_")[:2])]
        numbers = street["numbers"].split("|")
        key = f"{int(row['numero'])}{row['rep'][:1]}"
        i = numbers.index(key)
        assert (street["coords"][2 * i], street["coords"][2 * i + 1]) == \
            (float(row["lat"]), float(row["lon"]))
        assert street["name"] == row["nom_voie"]


def test_bano_reader_reads_lat_before_lon():
    streets = parse_bano(BANO.read_bytes())
    raw = defaultdict(list)
    with open(BANO, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if row[0].startswith("24322"):
                raw[row[2]].append((float(row[6]), float(row[7])))
    perigueux = [s for s in streets if s["id"].startswith("24322")]
    assert sum(len(s["numbers"].split("|")) for s in perigueux) == 10_060
    # 452 spellings for 450 streets: "rue Michel Roulland" (OSM) beside "Rue Michel Roulland"
    # (cadastre) under one id; the spelling most addresses use is kept.
    assert len(raw) == 452 and len(perigueux) == 450
    assert {s["name"] for s in perigueux} < set(raw)
    assert "Rue Michel Roulland" in {s["name"] for s in perigueux}
    abadie = next(s for s in perigueux if s["name"] == "Rue Abadie")
    assert (abadie["lat"], abadie["lon"]) in raw["Rue Abadie"]            # a published point
    assert 45.1 < abadie["lat"] < 45.3 and 0.6 < abadie["lon"] < 0.8


@pytest.mark.parametrize("payload", [b"<html>maintenance</html>", b"\x1f\x8b\x08garbage",
                                     b"id;nom\n1;2\n"])
def test_broken_address_files_are_refused(payload):
    with pytest.raises(PayloadError):
        parse_ban(payload)


def test_numbers_as_people_type_them():
    assert split_number("12 bis rue de rivoli") == ("12b", "rue de rivoli")
    assert split_number("12bis rue de rivoli") == ("12b", "rue de rivoli")
    assert split_number("12b rue de rivoli") == ("12b", "rue de rivoli")
    assert split_number("12 r de rivoli") == ("12", "r de rivoli")      # "r" is the rue
    assert split_number("14 juillet") == ("14", "juillet")
    assert split_number("1789") == (None, "1789")
    assert number_label("12b") == "12 bis" and number_label("3a") == "3 A"


@pytest.mark.parametrize("query, name", [
    ("rue de rivoli", "Rue de Rivoli"), ("Rue de Rivoli", "Rue de Rivoli"),
    ("rue de rivolli", "Rue de Rivoli"), ("r de rivoli", "Rue de Rivoli"),
    ("bd voltaire", "Boulevard Voltaire"), ("boulevard voltair", "Boulevard Voltaire"),
    ("place de l'hotel de ville", "Place de l' Hotel de Ville - Esplanade de la Libération"),
    ("quai hotel de ville", "Quai de l'Hôtel de Ville"),
])
def test_a_street_by_its_name(paris, query, name):
    assert paris.search(query)[0].name == name


def test_a_numbered_address_goes_to_its_number(paris):
    with gzip.open(BAN, "rt", encoding="utf-8", newline="") as handle:
        rows = {(r["numero"], r["rep"], r["nom_voie"]): (float(r["lat"]), float(r["lon"]))
                for r in csv.DictReader(handle, delimiter=";")
                if r["nom_voie"] in ("Rue de Rivoli", "Boulevard Voltaire")}
    for query, key in (("41 rue de rivoli", ("41", "", "Rue de Rivoli")),
                       ("41 rue de rivolli", ("41", "", "Rue de Rivoli")),
                       ("12 bd voltaire", ("12", "", "Boulevard Voltaire"))):
        first = paris.search(query)[0]
        assert first.name.startswith(key[0] + " ") and haversine_m(first.lat, first.lon,
                                                                    *rows[key]) < 1, query
        assert paris.get(first.id) == first             # the choice link leads to it
    bis = next(k for k in rows if k[1] == "b" and k[2] == "Boulevard Voltaire")
    first = paris.search(f"{bis[0]} bis boulevard voltaire")[0]
    assert first.name == f"{bis[0]} bis Boulevard Voltaire"
    assert (first.lat, first.lon) == rows[bis]


def test_a_number_the_street_lacks_gives_the_street(paris):
    found = paris.search("9999 rue de rivoli")
    assert found and found[0].name == "Rue de Rivoli"
    assert paris.get(found[0].id + "#9999") is None


def test_perigueux_by_bano(perigueux):
    assert perigueux.search("place bugeaud")[0].name == "Place Bugeaud"
    first = perigueux.search("26 rue abadie")[0]
    assert first.name == "26 Rue Abadie" and first.context == "24000 Périgueux"
    assert perigueux.search("rue abbadie")[0].name == "Rue Abadie"
    # Only the territory's box: Sarlat (44.89 N) is a Dordogne commune outside it.
    assert all(e.lat >= 44.94 for e in perigueux.entries.values())


def test_pages_answer_an_address_and_a_city_without_addresses(client):
    page = client.get("/paris/frais?q=41+rue+de+rivoli").get_data(as_text=True)
    assert "Près de « 41 Rue de Rivoli »" in page
    response = client.get("/paris/frais?lieu=adresses-ban:75101_8249%2399999")
    assert response.status_code == 404
    grenoble = client.get("/grenoble/velo?q=rue+felix+viallet").get_data(as_text=True)
    assert "Les rues ne sont pas encore cherchables à Grenoble" in grenoble
    english = client.get("/grenoble/velo?q=rue+felix+viallet",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Streets are not searchable yet in Grenoble" in english
    paris = client.get("/paris/velo?q=zzzzqqq").get_data(as_text=True)
    assert "Aucun lieu ne porte ce nom ici. Essayez" in paris
