"""Connectors on the recorded real payloads, with the quirks they really contain."""
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from webapp import sources
from webapp.sources.formats import (PARSERS, PayloadError, parse_csv, parse_geojson,
                                    parse_gtfs_stops, parse_ods_records)
from webapp.sources.geometry import read_point
from webapp.sources.mapping import Mapping, map_records
from webapp.sources.transforms import SkipRecord, clean
from webapp.territories import load_territories

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
TERRITORIES = load_territories(ROOT / "territories")


def dataset(territory: str, dataset_id: str):
    """A dataset declared in a territory file."""
    return next(d for d in TERRITORIES[territory].datasets if d.id == dataset_id)


def parsed(territory: str, dataset_id: str):
    """Parse the embedded payload of a dataset with its declared connector and mapping."""
    ds = dataset(territory, dataset_id)
    return sources.parse(ds, (ROOT / "data" / ds.embedded).read_bytes())


def test_grenoble_hoops_csv_latlon_strings():
    result = parsed("grenoble", "arceaux-velo")
    assert len(result.places) == 1142 and result.filtered == 2 and result.skipped == 0
    first = next(p for p in result.places if p.id == "arceaux-velo:46")
    assert (round(first.lat, 6), round(first.lon, 6)) == (45.186589, 5.726168)  # "lat,lon" string
    assert first.attrs["hoops"] == 1 and first.attrs["kind"] == "hoops"
    assert first.updated == "2001-01-01"


def test_smmag_literal_null_strings_become_none():
    result = parsed("grenoble", "stationnement-cyclable-smmag")
    assert len(result.places) == 108 and result.skipped == 0
    gare = next(p for p in result.places if p.name == "GARE ECHIROLLES")
    assert gare.address is None                       # published as the string "null"
    assert gare.capacity == 70 and gare.attrs["paid"] is True
    assert gare.attrs["kind"] == "locked_shelter" and gare.attrs["covered"] is True
    box = next(p for p in result.places if p.attrs["kind"] == "box")
    assert box.capacity >= 1


def test_bnsc_lonlat_array_with_newline_inside_quoted_cell():
    raw = (ROOT / "data" / dataset("grenoble", "parking-velo-gare-bnsc").embedded).read_bytes()
    assert b"45.191463]\n\"" in raw                    # the official example really has it
    example = dataset("grenoble", "parking-velo-gare-bnsc")
    kept = parsed("grenoble", "parking-velo-gare-bnsc")
    assert kept.places == [] and kept.filtered == 1     # the schema's example: never an answer
    readable = replace(example, mapping=replace(example.mapping, exclude={}))
    (place,) = sources.parse(readable, raw).places
    assert (place.lat, place.lon) == (45.191463, 5.7145295)   # [lon, lat] swapped correctly
    assert place.capacity == 8 and place.attrs["cargo"] == 3
    assert place.attrs["paid"] is False and place.attrs["kind"] == "hoops"


def test_ods_v1_export_latlon_arrays():
    result = parsed("toulouse", "recup-verre")
    assert len(result.places) == 1516 and result.skipped == 0
    place = next(p for p in result.places if p.id == "recup-verre:AUCVE5006")
    assert (round(place.lat, 5), round(place.lon, 5)) == (43.66748, 1.42783)
    assert place.updated == "2018-03-11"


def test_ods_v21_export_point_objects_and_double_spaces():
    fountains = parsed("paris", "fontaines-a-boire")
    assert len(fountains.places) == 1322
    bayard = next(p for p in fountains.places if p.id == "fontaines-a-boire:450024946")
    assert (round(bayard.lat, 5), round(bayard.lon, 5)) == (48.84275, 2.31289)
    assert bayard.address == "37f boulevard pasteur".capitalize()
    raw = (ROOT / "data" / dataset("paris", "ilots-fraicheur-equipements").embedded).read_text()
    assert "2  RUE MORLOT" in raw
    ilots = parsed("paris", "ilots-fraicheur-equipements")
    trinite = next(p for p in ilots.places if p.id.endswith(":LC26"))
    assert trinite.address == "2 rue morlot".capitalize()     # double space collapsed


def test_ods_v21_records_envelope_official_example():
    records = parse_ods_records((FIXTURES / "ods-v2.1-records_doc-example.json").read_bytes())
    assert records and records[0]["name"] == "Saint-Leu"
    assert read_point(records[0], {"kind": "latlon_object", "field": "coordinates"}) == (46.7306, 4.50083)


def test_ods_v21_records_without_geometry_are_skipped_not_fatal():
    body = (FIXTURES / "ods-v2.1-records_respire-a-la-recre-et-les-enfants-d-abord-vcf.json").read_bytes()
    records = parse_ods_records(body)
    assert len(records) == 6
    mapping = Mapping("respire", "school_yard", {"kind": "latlon_object", "field": "geo_point_2d"},
                      {"id": "uai", "name": "denomination_ecole"})
    result = map_records(records, mapping)
    assert result.places == [] and result.skipped == 6 and result.reasons == {"no point": 6}


def test_geojson_feature_collection():
    records = parse_geojson((FIXTURES / "amenagements-cyclables_exemple-valide.geojson").read_bytes())
    assert records and records[0]["_geometry"]["type"] == "LineString"
    lat, lon = read_point(records[0], {"kind": "geojson"})
    assert 48.8 < lat < 48.9 and 2.3 < lon < 2.31


def test_csv_bom_is_dropped():
    rows = parse_csv((FIXTURES / "t2c_calendar_dates_bom.txt").read_bytes())
    assert "service_id" in rows[0]                     # not "\ufeffservice_id"


def test_gtfs_stops_keep_stations_only():
    result = parsed("clermont", "arrets-t2c")
    assert len(result.places) == 664 and result.filtered == 2014 - 664


@pytest.mark.parametrize("payload", [
    b"<!doctype html><html><body>Maintenance</body></html>",
    b'[{"gid": "1", "geo_point_2d": {"lat": 48.8',      # truncated JSON
    b'{"error": "quota"}',
    b"\xff\xfe\x00garbage",
])
def test_bad_payloads_raise_payload_error(payload):
    ds = dataset("paris", "fontaines-a-boire")
    with pytest.raises(PayloadError):
        sources.parse(ds, payload)


def zipped(files: dict[str, bytes]) -> bytes:
    """A GTFS-like zip holding files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as feed:
        for name, data in files.items():
            feed.writestr(name, data)
    return buffer.getvalue()


T2C_STOPS = (ROOT / "data" / "clermont" / "t2c-gtfs-2026-01_stops.txt").read_bytes()


def test_gtfs_zip_as_published():
    rows = parse_gtfs_stops(zipped({"agency.txt": b"agency_id\n1\n", "stops.txt": T2C_STOPS}))
    assert len(rows) == 2014 and rows[0]["stop_name"] == "Abbé Prévost"


def corrupted_deflate(payload: bytes) -> bytes:
    """The real feed with bytes flipped inside stops.txt's compressed data (zlib.error)."""
    start = payload.index(b"stops.txt") + len(b"stops.txt") + 200
    return payload[:start] + bytes(b ^ 0xFF for b in payload[start:start + 64]) \
        + payload[start + 64:]


# Malformed inputs a portal can really send, made by hand where no recorded copy exists: each
# used to escape as csv.Error, zlib.error, TypeError, RecursionError... and abort the refresh.
MALFORMED = {
    "csv NUL byte (binary or UTF-16 body)": ("csv", b"a,b\n1,\x002\n"),
    "csv field over the csv module limit": ("csv", b'a,b\n"' + b"x" * 200_000 + b'",2\n'),
    "csv unquoted field over the limit": ("bnsc_csv", b"a;b\n" + b"x" * 200_000 + b";2\n"),
    "gtfs not a zip": ("gtfs_stops", b"PK\x03\x04 not really a zip"),
    "gtfs zip without stops.txt": ("gtfs_stops", zipped({"routes.txt": b"route_id\n1\n"})),
    "gtfs stops.txt in Windows-1252": ("gtfs_stops", zipped({"stops.txt": T2C_STOPS.decode()
                                                             .encode("cp1252")})),
    "gtfs corrupted deflate stream": ("gtfs_stops", corrupted_deflate(zipped({"stops.txt": T2C_STOPS}))),
    "gtfs truncated zip": ("gtfs_stops", zipped({"stops.txt": T2C_STOPS})[:-100]),
    "gtfs stops.txt too long a field": ("gtfs_stops", zipped({"stops.txt": b"stop_id,x\n"
                                                              + b"y" * 200_000})),
    "json nested too deep": ("json", b"[" * 100_000 + b"]" * 100_000),
    "json integer over 4300 digits": ("json", b'[{"gid": ' + b"9" * 5000 + b"}]"),
    "ods records nested too deep": ("ods_v21_records", b'{"results": ' + b"[" * 100_000),
    "geojson properties a string": ("geojson", b'{"type": "FeatureCollection", "features": '
                                    b'[{"type": "Feature", "properties": "x", "geometry": null}]}'),
    "geojson properties a list": ("geojson", b'{"type": "FeatureCollection", "features": '
                                  b'[{"type": "Feature", "properties": [1, 2], "geometry": null}]}'),
    "geojson geometry a number": ("geojson", b'{"type": "FeatureCollection", "features": '
                                  b'[{"type": "Feature", "properties": {}, "geometry": 3}]}'),
    "ods v1 fields a list": ("ods_v1_export", b'[{"recordid": "1", "fields": [1]}]'),
}


@pytest.mark.parametrize("connector, payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_payloads_raise_only_payload_error(connector, payload):
    with pytest.raises(PayloadError):
        PARSERS[connector](payload)


def test_gtfs_zip_bomb_is_refused_without_inflating_it(monkeypatch):
    """Hand-made: a stops.txt that inflates past the cap (lowered here, the real one is 64 MiB)."""
    from webapp.sources import formats
    monkeypatch.setattr(formats, "MAX_STOPS_BYTES", len(T2C_STOPS) - 1)
    with pytest.raises(PayloadError, match="larger"):
        parse_gtfs_stops(zipped({"stops.txt": T2C_STOPS}))
    monkeypatch.setattr(formats, "MAX_STOPS_BYTES", len(T2C_STOPS))
    assert len(parse_gtfs_stops(zipped({"stops.txt": T2C_STOPS}))) == 2014


def test_geojson_null_properties_and_geometry_are_allowed():
    """RFC 7946 allows null for both: the record is kept and the mapping judges it."""
    body = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": null, ' \
           b'"geometry": null}]}'
    assert parse_geojson(body) == [{"_geometry": None}]


@pytest.mark.parametrize("value", [None, "null", " NULL ", "", "  "])
def test_clean_nulls(value):
    assert clean(value) is None


@pytest.mark.parametrize("record", [
    {"p": "45.1"}, {"p": "nan,5.7"}, {"p": "95,5.7"}, {"p": "0,0"}, {"p": "abc,def"},
])
def test_bad_points_are_skip_records(record):
    with pytest.raises(SkipRecord):
        read_point(record, {"kind": "latlon_string", "field": "p"})


def test_one_published_id_for_two_places_keeps_both():
    """Real Paris data: MA22 is both a Maison de la vie associative (7e) and the Mairie du 20e."""
    result = parsed("paris", "ilots-fraicheur-equipements")
    by_id = {p.id: p for p in result.places}
    first, second = by_id["ilots-fraicheur-equipements:MA22"], by_id["ilots-fraicheur-equipements:MA22~2"]
    assert "7e" in first.name and second.name == "MAIRIE DU 20E"
    assert len(by_id) == len(result.places) == 548


def test_the_same_record_twice_is_skipped_as_a_repeat():
    """Hand-made: a record published twice (same id, name and point) is one place."""
    ds = dataset("paris", "ilots-fraicheur-equipements")
    record = json.loads((ROOT / "data" / ds.embedded).read_text(encoding="utf-8"))[0]
    result = sources.parse(ds, json.dumps([record, record]).encode())
    assert len(result.places) == 1 and result.reasons == {"duplicate id": 1}


def test_renamed_ids_never_collide_with_published_ones():
    """Hand-made: places "A", "A" (another place) and a published "A~2" get three ids."""
    ds = dataset("paris", "ilots-fraicheur-equipements")
    records = json.loads((ROOT / "data" / ds.embedded).read_text(encoding="utf-8"))[:3]
    for record, raw_id in zip(records, ("A", "A", "A~2")):
        record["identifiant"] = raw_id
    ids = [p.id for p in sources.parse(ds, json.dumps(records).encode()).places]
    assert len(ids) == len(set(ids)) == 3
