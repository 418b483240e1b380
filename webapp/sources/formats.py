"""Payload formats as published by the portals, each turned into a list of flat dicts."""
from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib


class PayloadError(ValueError):
    """The payload is not what the connector expects (HTML error page, truncated JSON...)."""


# What zipfile raises on a damaged or unusual archive besides BadZipFile: a corrupted deflate
# stream (zlib.error), a cut-off member (EOFError), encryption (RuntimeError), an unsupported
# compression method (NotImplementedError), a ZIP64 it refuses (LargeZipFile).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
               NotImplementedError, OSError)


def _text(payload: bytes) -> str:
    """Decode UTF-8, dropping a BOM if present."""
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError("not UTF-8") from exc


def _json(payload: bytes):
    """Parse JSON or raise PayloadError."""
    try:
        return json.loads(_text(payload))
    except json.JSONDecodeError as exc:
        raise PayloadError(f"invalid JSON: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:   # an integer over 4300 digits; absurd nesting
        raise PayloadError(f"invalid JSON: {type(exc).__name__}") from exc


def _dicts(items, what: str) -> list[dict]:
    """Check that items is a list of objects."""
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise PayloadError(f"{what}: expected a list of objects")
    return items


def parse_csv(payload: bytes) -> list[dict]:
    """CSV export (comma or semicolon), quoted cells may hold newlines."""
    text = _text(payload)
    if text.lstrip().startswith("<"):
        raise PayloadError("HTML instead of CSV")
    if "\0" in text:   # csv accepts NUL since 3.11, but no text export has one: binary or UTF-16
        raise PayloadError("NUL byte in CSV")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:          # e.g. a field over csv.field_size_limit(): not a CSV export
        raise PayloadError(f"CSV: {exc}") from exc
    if not rows or len(rows[0]) < 2:
        raise PayloadError("CSV without columns")
    return rows


def parse_json_array(payload: bytes) -> list[dict]:
    """A top-level JSON array of flat records (Opendatasoft v2.1 /exports/json, JCDecaux...)."""
    return _dicts(_json(payload), "JSON array")


def parse_ods_records(payload: bytes) -> list[dict]:
    """Opendatasoft Explore v2.1 /records: {"total_count": n, "results": [...]}."""
    body = _json(payload)
    if not isinstance(body, dict) or "results" not in body:
        raise PayloadError("ODS v2.1 records: no 'results'")
    return _dicts(body["results"], "ODS v2.1 results")


def parse_ods_v1_export(payload: bytes) -> list[dict]:
    """Opendatasoft legacy v1 export: [{"recordid", "fields": {...}, "geometry": {...}}]."""
    out = []
    for item in _dicts(_json(payload), "ODS v1 export"):
        fields = item.get("fields")
        if not isinstance(fields, dict):
            raise PayloadError("ODS v1 export: record without 'fields'")
        out.append({**fields, "recordid": item.get("recordid"), "_geometry": item.get("geometry"),
                    "record_timestamp": item.get("record_timestamp")})
    return out


def parse_geojson(payload: bytes) -> list[dict]:
    """GeoJSON FeatureCollection: properties plus the geometry under '_geometry'."""
    body = _json(payload)
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        raise PayloadError("GeoJSON: not a FeatureCollection")
    records = []
    for feature in _dicts(body.get("features"), "GeoJSON features"):
        properties, geometry = feature.get("properties"), feature.get("geometry")
        # RFC 7946: both are an object or null; anything else is not GeoJSON.
        if not isinstance(properties, (dict, type(None))) \
                or not isinstance(geometry, (dict, type(None))):
            raise PayloadError("GeoJSON: feature properties or geometry not an object")
        records.append({**(properties or {}), "_geometry": geometry})
    return records


# France's largest feed (Île-de-France) has a stops.txt near 10 MB; 64 MiB leaves room, not a bomb.
MAX_STOPS_BYTES = 64 * 1024 * 1024


def parse_gtfs_stops(payload: bytes) -> list[dict]:
    """GTFS stops: the feed's zip as published, or its stops.txt alone (the embedded copy)."""
    if payload[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as feed, feed.open("stops.txt") as stops:
                # Read at most the cap whatever the header declares: a zip bomb stays small.
                payload = stops.read(MAX_STOPS_BYTES + 1)
            if len(payload) > MAX_STOPS_BYTES:
                raise PayloadError("GTFS stops.txt larger than we accept")
        except KeyError as exc:
            raise PayloadError("GTFS zip without stops.txt") from exc
        except _ZIP_ERRORS as exc:
            raise PayloadError(f"GTFS zip unreadable: {type(exc).__name__}") from exc
    rows = parse_csv(payload)
    if "stop_id" not in rows[0]:
        raise PayloadError("GTFS stops without stop_id")
    return rows


PARSERS = {
    "csv": parse_csv,
    "json": parse_json_array,
    "ods_v21_export": parse_json_array,
    "ods_v21_records": parse_ods_records,
    "ods_v1_export": parse_ods_v1_export,
    "geojson": parse_geojson,
    "bnsc_csv": parse_csv,
    "gtfs_stops": parse_gtfs_stops,
    "gtfs": parse_gtfs_stops,      # the whole feed: stops here, timetable arrays in webapp.transit
}
