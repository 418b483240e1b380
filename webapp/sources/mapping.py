"""Declared field mappings: raw record -> Place, with small named transforms."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import shapely
from shapely.geometry import shape as geojson_shape

from ..places import Place

_NULLS = {"", "null", "none", "nan", "n/a"}
_SPACES = re.compile(r"\s+")
PLACE_FIELDS = {"id", "name", "address", "capacity", "hours", "updated"}


class SkipRecord(ValueError):
    """A malformed record: skipped and counted, never fatal."""


def clean(value):
    """Strip, collapse runs of spaces and newlines, and turn literal "null" strings into None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    text = _SPACES.sub(" ", value).strip()
    return None if text.lower() in _NULLS else text


def to_int(value):
    """Integer or None ("12", "12.0", 12)."""
    value = clean(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number >= 0 else None


def to_bool(value):
    """True/False/None from the many spellings portals use."""
    value = clean(value)
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).lower()
    if text in {"true", "1", "oui", "yes", "o", "vrai"}:
        return True
    if text in {"false", "0", "non", "no", "n", "faux"}:
        return False
    return None


def compact_date(value):
    """"20060101000000" or "2021-05-18..." -> "2006-01-01" / "2021-05-18"."""
    value = clean(value)
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"\d{8}(\d{6})?", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return None


def capitalize(value):
    """"RUE DES LILAS" -> "Rue des lilas": shouting addresses are hard to read."""
    value = clean(value)
    return value[:1].upper() + value[1:].lower() if isinstance(value, str) else value


def strip_code(value):
    """"00055 - ST SERNIN G. ARNOULT" -> "ST SERNIN G. ARNOULT" (JCDecaux station names)."""
    value = clean(value)
    return re.sub(r"^\d+\s*-\s*", "", value) if isinstance(value, str) else value


def title_case(value):
    """"ST SERNIN G. ARNOULT" -> "St Sernin G. Arnoult"."""
    value = clean(value)
    if not isinstance(value, str):
        return value
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), value.lower())


TRANSFORMS = {"clean": clean, "int": to_int, "bool": to_bool, "date": compact_date,
              "capitalize": capitalize, "strip_code": strip_code, "title": title_case, "str": lambda v: None if clean(v) is None else str(clean(v))}


# --- geometry ---------------------------------------------------------------------------

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


# --- mapping ----------------------------------------------------------------------------

@dataclass
class Mapping:
    """How one dataset's raw records become Places (declared in the territory file)."""

    dataset: str
    category: str
    geometry: dict
    fields: dict[str, str]
    shape: dict | None = None
    constants: dict = field(default_factory=dict)
    maps: dict[str, dict] = field(default_factory=dict)
    exclude: dict[str, list] = field(default_factory=dict)
    category_field: str | None = None     # per-record category, through maps["category"]

    def value(self, record: dict, expr: str):
        """Evaluate "raw_a + raw_b | transform | map:name" against a record."""
        source, *steps = [s.strip() for s in expr.split("|")]
        parts = [clean(record.get(name.strip())) for name in source.split("+")]
        parts = [p for p in parts if p is not None]
        value = " ".join(str(p) for p in parts) if len(parts) > 1 else (parts[0] if parts else None)
        for step in steps:
            if step.startswith("map:"):
                value = self.maps[step[4:]].get(str(value), self.maps[step[4:]].get("*")) \
                    if value is not None else None
            else:
                value = TRANSFORMS[step](value)
        return value

    def excluded(self, record: dict) -> bool:
        """True when the record is filtered out on purpose (not malformed)."""
        return any(clean(record.get(name)) in values for name, values in self.exclude.items())

    def place(self, record: dict, index: int) -> Place:
        """Build a Place or raise SkipRecord."""
        values = {**self.constants}
        for target, expr in self.fields.items():
            values[target] = self.value(record, expr)
        raw_id = values.pop("id", None)
        raw_id = index if raw_id is None and "id" not in self.fields else raw_id
        if raw_id is None:
            raise SkipRecord("no id")
        lat, lon = read_point(record, self.geometry)
        geom = None
        if self.shape:
            try:
                candidate = read_shape(record, self.shape)
                geom = candidate if candidate.geom_type in ("Polygon", "MultiPolygon") else None
            except SkipRecord:
                geom = None  # the point is enough; the shape only sharpens distances
        category = values.pop("category", None) or self.category
        core = {k: values.pop(k, None) for k in PLACE_FIELDS - {"id"}}
        attrs = {k: v for k, v in values.items() if v is not None}
        return Place(id=f"{self.dataset}:{raw_id}", name=core["name"], category=category,
                     lat=lat, lon=lon, dataset=self.dataset, address=core["address"], shape=geom,
                     capacity=core["capacity"], attrs=attrs, hours=core["hours"],
                     updated=core["updated"])


@dataclass
class ParseResult:
    """Places from one payload, with what was skipped and why."""

    places: list[Place]
    skipped: int
    filtered: int
    reasons: dict[str, int]


def map_records(records: list[dict], mapping: Mapping) -> ParseResult:
    """Map every record; malformed ones are counted, duplicates of an id too."""
    places, seen, reasons, filtered = [], set(), {}, 0
    for index, record in enumerate(records):
        if mapping.excluded(record):
            filtered += 1
            continue
        try:
            place = mapping.place(record, index)
            if place.id in seen:
                raise SkipRecord("duplicate id")
        except SkipRecord as exc:
            reasons[str(exc)] = reasons.get(str(exc), 0) + 1
            continue
        seen.add(place.id)
        places.append(place)
    return ParseResult(places, sum(reasons.values()), filtered, reasons)
