"""Declared field mappings: raw record -> Place (see docs/territories.md)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..places import Place
from .geometry import read_point, read_shape
from .transforms import TRANSFORMS, SkipRecord, clean

PLACE_FIELDS = {"id", "name", "address", "capacity", "hours", "updated"}

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

    @property
    def categories(self) -> set[str]:
        """Every category this dataset can give its places: its own and those records map to."""
        return {self.category, *self.maps.get("category", {}).values()} - {None}

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
    """Map every record; malformed ones are counted, repeats of the same place too."""
    places, seen, reasons, filtered = [], {}, {}, 0
    for index, record in enumerate(records):
        if mapping.excluded(record):
            filtered += 1
            continue
        try:
            place = mapping.place(record, index)
            published_id = place.id
            place = _unique(place, seen)
        except SkipRecord as exc:
            reasons[str(exc)] = reasons.get(str(exc), 0) + 1
            continue
        seen.setdefault(published_id, []).append(place)
        seen.setdefault(place.id, [])      # a renamed id is taken too ("A~2" published later)
        places.append(place)
    return ParseResult(places, sum(reasons.values()), filtered, reasons)


def _unique(place: Place, seen: dict[str, list[Place]]) -> Place:
    """The place, or a repeat to skip; a different place under an id already used keeps its own.

    Paris gives one `identifiant` to pairs of unrelated places (MA22 is a Maison de la vie
    associative in the 7th and the Mairie du 20e): dropping either would hide a real place, so
    the second becomes "<id>~2" (stable while the publisher keeps its order)."""
    if place.id not in seen:
        return place
    same_id = seen[place.id]
    if any(p.name == place.name and (p.lat, p.lon) == (place.lat, place.lon) for p in same_id):
        raise SkipRecord("duplicate id")
    n = len(same_id) + 1
    while f"{place.id}~{n}" in seen:
        n += 1
    return replace(place, id=f"{place.id}~{n}")
