"""Reading points and shapes from records, whatever way each portal writes coordinates."""
from __future__ import annotations

import json
import math

import shapely
from shapely.geometry import shape as geojson_shape

from .transforms import SkipRecord, clean

def _valid(lat, lon) -> tuple[float, float]:
    """Check a lat/lon pair is finite and on Earth."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise SkipRecord("coordinates not numbers") from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise SkipRecord("coordinates out of range")
    if lat == 0 and lon == 0:
        raise SkipRecord("null island")
    return lat, lon


def _maybe_json(value):
    """Some exports store arrays and GeoJSON as strings."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise SkipRecord("geometry string is not JSON") from exc
    return value


def read_point(record: dict, spec: dict) -> tuple[float, float]:
    """Read (lat, lon) from a record as the dataset's geometry spec says."""
    kind, name = spec["kind"], spec.get("field")
    value = record.get(name) if name else None
    if kind == "latlon_object":           # ODS v2.1: {"lon": .., "lat": ..}
        if not isinstance(value, dict):
            raise SkipRecord("no point")
        return _valid(value.get("lat"), value.get("lon"))
    if kind in ("latlon_array", "lonlat_array"):   # ODS v1 [lat, lon]; BNSC coordonneesxy [lon, lat]
        value = _maybe_json(clean(value))
        if not isinstance(value, list) or len(value) != 2:
            raise SkipRecord("no point")
        return _valid(*value) if kind == "latlon_array" else _valid(value[1], value[0])
    if kind == "latlon_string":           # CSV exports: "45.18,5.72"
        value = clean(value)
        parts = str(value).split(",") if value else []
        if len(parts) != 2:
            raise SkipRecord("no point")
        return _valid(parts[0], parts[1])
    if kind == "lat_lon_fields":
        return _valid(clean(record.get(spec["lat"])), clean(record.get(spec["lon"])))
    if kind == "geojson":
        value = record.get(spec.get("field", "_geometry"))
        if isinstance(value, dict) and value.get("type") == "Point" \
                and isinstance(value.get("coordinates"), list) and len(value["coordinates"]) == 2:
            return _valid(value["coordinates"][1], value["coordinates"][0])   # no shapely needed
        geom = read_shape(record, spec)
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        return _valid(point.y, point.x)
    raise ValueError(f"unknown geometry kind {kind!r}")


def read_shape(record: dict, spec: dict):
    """A shapely geometry from a GeoJSON geometry or Feature (ODS v2.1 wraps it in a Feature)."""
    value = _maybe_json(record.get(spec.get("field", "_geometry")))
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict):
        raise SkipRecord("no shape")
    try:
        geom = geojson_shape(value)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise SkipRecord("invalid shape") from exc
    if geom.is_empty:
        raise SkipRecord("empty shape")
    return geom if geom.is_valid else shapely.make_valid(geom)
