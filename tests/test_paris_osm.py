"""Paris toilets (portal + OpenStreetMap, each listed once), parks and OSM bike parking, compared
with a brute force over the raw files in data/ (copies of ../shared/data, see data/PROVENANCE.md)."""
from __future__ import annotations

import csv
import json
import re
import tomllib

import pytest
from bs4 import BeautifulSoup
from test_cool import (CITY_HALL, NIGHT, ROOT, TUESDAY, _by_distance, _declared,  # noqa: F401
                       cool_app, get, rows, same_places)

from webapp.geo import haversine_m

BOX = tomllib.loads((ROOT / "territories/paris.toml").read_text(encoding="utf-8"))["bbox"]


def _inside(lat, lon):
    west, south, east, north = BOX
    return south <= lat <= north and west <= lon <= east


def _sanisettes():
    """The portal's 615 toilets, numbered in file order as the loader numbers them."""
    with open(ROOT / "data/paris/sanisettes-paris_ods-csv-export_2024-04.csv",
              encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle, delimiter=";"))
    out = []
    for i, r in enumerate(records):
        lat, lon = (float(v) for v in r["geo_point_2d"].split(","))
        out.append({**r, "_pid": f"sanisettes:{i}", "geo_point_2d": {"lat": lat, "lon": lon}})
    return out


def _osm(name, dataset):
    """An Overpass-turbo export: every node not marked private, inside Paris's box."""
    excluded = set(_declared(dataset)["exclude"]["access"])
    body = json.loads((ROOT / f"data/paris/{name}").read_text(encoding="utf-8"))
    out = []
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        props = feature["properties"]
        if props.get("access") in excluded or not _inside(lat, lon):
            continue
        out.append({**props, "_pid": f"{dataset}:{props['@id']}",
                    "geo_point_2d": {"lat": lat, "lon": lon}})
    return out


SANISETTES = _sanisettes()
OSM_TOILETS_ALL = _osm("osm-toilets-ile-de-france_overpass_2021-01.geojson", "osm-toilettes")
SAME_M = _declared("osm-toilettes")["duplicate_m"]
# A toilet of OSM within SAME_M of a sanisette is that sanisette: brute force over every pair.
OSM_TOILETS = [o for o in OSM_TOILETS_ALL if not any(
    haversine_m(o["geo_point_2d"]["lat"], o["geo_point_2d"]["lon"],
                s["geo_point_2d"]["lat"], s["geo_point_2d"]["lon"]) <= SAME_M for s in SANISETTES)]
BIKE = _osm("osm-bicycle-parking_overpass_2021-01.geojson", "osm-stationnement-velo")


def raw_toilets(lat, lon, k):
    """The k nearest toilets, the portal's and OSM's without the ones the portal already lists."""
    return _by_distance(SANISETTES + OSM_TOILETS, lat, lon)[:k]


@pytest.mark.parametrize("position", [CITY_HALL, "lat=48.8738&lon=2.2950",   # Étoile
                                      "lat=48.8867&lon=2.3431"])           # Montmartre
def test_toilets_are_the_brute_force_nearest_each_listed_once(get, cool_app, position):
    lat, lon = (float(v) for v in re.findall(r"[\d.]+", position))
    k = cool_app.config["RESULTS"]
    _, soup = get(f"/paris/frais?{position}")
    same_places(rows(soup, "toilets"), raw_toilets(lat, lon, k))


def test_a_toilet_in_both_the_portal_and_osm_is_listed_once(get, cool_app):
    """Find, in the raw files, an OSM toilet a few metres from a sanisette: from there, the page
    lists the sanisette and not the OSM node, and says whose data each row is."""
    pairs = sorted([((haversine_m(o["geo_point_2d"]["lat"], o["geo_point_2d"]["lon"],
                                  s["geo_point_2d"]["lat"], s["geo_point_2d"]["lon"]), o["_pid"]),
                     o, s) for o in OSM_TOILETS_ALL for s in SANISETTES
                    if abs(o["geo_point_2d"]["lat"] - s["geo_point_2d"]["lat"]) < 0.001],
                   key=lambda t: t[0])
    (metres, _), osm, sanisette = pairs[0]
    assert metres < 5 and osm["operator"].replace(" ", "") == "JCDecaux"    # the same sanisette
    point = osm["geo_point_2d"]
    _, soup = get(f"/paris/frais?lat={point['lat']:.6f}&lon={point['lon']:.6f}&type=toilets")
    ids = [r["data-place-id"] for r in rows(soup, "toilets")]
    assert sanisette["_pid"] == ids[0] and osm["_pid"] not in ids
    assert len(ids) == len(set(ids))
    for row in soup.select_one("#s-toilets").parent.select("li.cool-place"):
        source = row.select_one("p.source")
        assert bool(source) is row["data-place-id"].startswith("osm-")
        if source:
            assert "© OpenStreetMap contributors" in source.get_text()


def test_unreadable_hours_are_unknown_readable_ones_are_used(get, cool_app):
    """"Voir fiche équipement" cannot be read: that toilet's hours are unknown, never open;
    "6 h - 22 h" is closed at 23:30; "24 h / 24" open at 23:30."""
    by_text = {}
    for record in SANISETTES:
        by_text.setdefault(record["horaire"], record)
    for text, at, state in (("Voir fiche équipement", TUESDAY, "unknown"),
                            ("6 h - 22 h", NIGHT, "closed"), ("24 h / 24", NIGHT, "open"),
                            ("6 h - 22 h", TUESDAY, "open")):
        record = by_text[text]
        point = record["geo_point_2d"]
        _, soup = get(f"/paris/frais?lat={point['lat']:.6f}&lon={point['lon']:.6f}&type=toilets",
                      at=at)
        row = next(r for r in rows(soup, "toilets") if r["data-place-id"] == record["_pid"])
        assert row["data-state"] == state, (text, at, row["text"])
        if state == "unknown":
            assert "Horaires inconnus" in row["text"] and "Ouvert" not in row["text"]


def test_parks_listed_by_type_and_said_to_be_a_reduced_copy(get, cool_app):
    from test_cool import PARKS_RAW
    lat, lon = 48.8462, 2.3371                       # Jardin du Luxembourg, rue de Vaugirard
    _, soup = get(f"/paris/frais?lat={lat}&lon={lon}&type=park")
    expected = _by_distance(PARKS_RAW, lat, lon)[:cool_app.config["RESULTS"]]
    same_places(rows(soup, "cool"), expected)
    assert "Copie réduite" in soup.select_one(".sources").get_text()
    donnees = BeautifulSoup(cool_app.test_client().get("/donnees").data, "html.parser")
    paris = donnees.select_one("#paris-espaces-verts-frais").get_text(" ", strip=True)
    assert "Copie réduite" in paris


@pytest.mark.parametrize("lat, lon", [(48.8566, 2.3522), (48.8530, 2.3690), (48.8275, 2.3360)])
def test_osm_bike_parking_is_the_brute_force_nearest_with_its_source(cool_app, lat, lon):
    k = cool_app.config["RESULTS"]
    response = cool_app.test_client().get(f"/paris/velo?lat={lat}&lon={lon}")
    soup = BeautifulSoup(response.data, "html.parser")
    found = soup.select("ol.places > li.place")
    expected = _by_distance(BIKE, lat, lon)[:k]
    assert [li["data-place-id"] for li in found] == [pid for _, pid, _ in expected]
    for li, (_, _, record) in zip(found, expected):
        # The source is said per card when the list mixes sources, else once for the list.
        line = li.select_one("p.source") or soup.select_one(".sources")
        assert "© OpenStreetMap contributors" in line.get_text()
        if record.get("capacity", "").isdigit():
            assert f"{int(record['capacity'])} place" in li.get_text(" ")
    assert soup.select_one(".notice.missing") is None
    assert "© OpenStreetMap contributors" in soup.select_one(".sources").get_text()
