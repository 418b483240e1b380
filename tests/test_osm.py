"""The Overpass connector: the API's own JSON (`[out:json]`) and the Overpass-turbo GeoJSON
export give the same places; a query that failed half-way (HTTP 200, `remark`) is refused.

The Overpass JSON is built here from the real embedded export (data/paris/osm-bicycle-parking_
overpass_2021-01.geojson): same ids, tags and points, in the API's documented element shape."""
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp import sources
from webapp.sources.formats import PayloadError
from webapp.sources.osm import parse_overpass, query_url
from webapp.territories import load_territories

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "data/paris/osm-bicycle-parking_overpass_2021-01.geojson"
DATASET = next(d for d in load_territories(ROOT / "territories")["paris"].datasets
               if d.id == "osm-stationnement-velo")


def as_overpass(features) -> dict:
    """The export's nodes as Overpass answers `out tags;` (nodes: lat/lon; tags apart)."""
    elements = []
    for f in features:
        kind, osm_id = f["properties"]["@id"].split("/")
        lon, lat = f["geometry"]["coordinates"]
        tags = {k: v for k, v in f["properties"].items() if k != "@id"}
        elements.append({"type": kind, "id": int(osm_id), "lat": lat, "lon": lon, "tags": tags})
    return {"version": 0.6, "generator": "Overpass API", "osm3s": {
        "timestamp_osm_base": "2021-01-29T15:56:03Z"}, "elements": elements}


def test_api_json_and_turbo_export_give_the_same_places():
    body = json.loads(EXPORT.read_text(encoding="utf-8"))
    from_export = sources.map_records(parse_overpass(EXPORT.read_bytes()), DATASET.mapping)
    from_api = sources.map_records(parse_overpass(json.dumps(as_overpass(body["features"]))
                                                  .encode()), DATASET.mapping)
    assert len(from_export.places) == len(from_api.places) == 6678       # 91 private ones out
    assert from_export.places == from_api.places


def test_a_way_gives_its_center():
    answer = {"elements": [{"type": "way", "id": 42, "center": {"lat": 48.85, "lon": 2.35},
                            "tags": {"amenity": "bicycle_parking", "capacity": "12"}}]}
    record = parse_overpass(json.dumps(answer).encode())[0]
    assert record["@id"] == "way/42" and record["_geometry"]["coordinates"] == [2.35, 48.85]


@pytest.mark.parametrize("body", [
    {"elements": [], "remark": "runtime error: Query timed out in \"query\" at line 3 after 91 "
                               "seconds."},
    {"remark": "runtime error: Query ran out of memory"},
    [1, 2], {"elements": "x"}])
def test_a_failed_or_foreign_answer_is_refused(body):
    with pytest.raises(PayloadError):
        parse_overpass(json.dumps(body).encode())


def test_the_query_travels_in_the_url_and_names_the_tags():
    params = parse_qs(urlsplit(DATASET.url).query)
    assert DATASET.url.startswith("https://overpass-api.de/api/interpreter?data=")
    query = params["data"][0]
    assert '"amenity"="bicycle_parking"' in query and '"ref:INSEE"="75056"' in query
    assert "out center" in query
    assert query_url("a\n  b") == "https://overpass-api.de/api/interpreter?data=a+b"
