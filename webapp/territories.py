"""Territories are data: one TOML file each under territories/, read into plain objects."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .sources.mapping import Mapping
from .sources.osm import query_url

_DURATION = re.compile(r"(\d+)\s*([smhd])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    """"7d" -> seconds; refresh cadences are written this way in the territory files."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise ValueError(f"bad duration {text!r}")
    return int(match.group(1)) * _SECONDS[match.group(2)]


@dataclass
class Dataset:
    """One published dataset we use, and how to read it."""

    id: str
    title: str
    publisher: str
    task: str
    connector: str
    url: str
    page: str
    licence: str
    licence_url: str
    attribution: str
    refresh_seconds: int
    mapping: Mapping
    embedded: str | None = None
    embedded_date: str | None = None   # publication date of the embedded copy
    gazetteer: bool = False
    live: bool = True             # False: our only copy is not in the portal's shape
    note: str | None = None       # provenance caveats shown on /donnees
    licence_checked: bool = True  # False: our reading of the licence awaits the portal's word
    duplicates_of: tuple = ()     # datasets that win when a place of this one is within
    duplicate_m: float = 0.0      # duplicate_m of one of theirs (OSM beside the portal)
    reduced: bool = False         # a third party's reduced copy, said so on the pages


@dataclass
class Territory:
    """A city or metropolitan area and the datasets that describe it."""

    id: str
    name: str
    bbox: tuple[float, float, float, float]    # west, south, east, north
    center: tuple[float, float]                # lat, lon
    portals: list[dict]
    datasets: list[Dataset]
    extra: dict = field(default_factory=dict)  # task-specific settings (heat alerts...)

    def datasets_for(self, task: str) -> list[Dataset]:
        """Datasets feeding one task."""
        return [d for d in self.datasets if d.task == task]

    def portal_url(self) -> str:
        """The main portal's home page."""
        return self.portals[0]["url"] if self.portals else ""


def _dataset(raw: dict) -> Dataset:
    """Build a Dataset from its TOML table."""
    mapping = Mapping(
        dataset=raw["id"], category=raw["category"], geometry=raw["geometry"],
        fields=raw.get("fields", {}), shape=raw.get("shape"), constants=raw.get("constants", {}),
        maps=raw.get("maps", {}), exclude=raw.get("exclude", {}))
    return Dataset(
        id=raw["id"], title=raw["title"], publisher=raw["publisher"], task=raw["task"],
        connector=raw["connector"], url=_url(raw), page=raw.get("page", raw["url"]),
        licence=raw["licence"], licence_url=raw.get("licence_url", ""),
        attribution=raw["attribution"], refresh_seconds=parse_duration(raw.get("refresh", "1d")),
        mapping=mapping, embedded=raw.get("embedded"), embedded_date=raw.get("embedded_date"),
        gazetteer=raw.get("gazetteer", False), live=raw.get("live", True),
        note=raw.get("note"), licence_checked=raw.get("licence_checked", True),
        duplicates_of=tuple(raw.get("duplicates_of", ())),
        duplicate_m=float(raw.get("duplicate_m", 0)), reduced=raw.get("reduced", False))


def _url(raw: dict) -> str:
    """The URL a refresh fetches; an Overpass dataset writes its query apart, readable."""
    return query_url(raw["query"], raw["url"]) if "query" in raw else raw["url"]


def load_territory(path: Path) -> Territory:
    """Read one territory file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return Territory(
        id=raw["id"], name=raw["name"], bbox=tuple(raw["bbox"]), center=tuple(raw["center"]),
        portals=raw.get("portals", []), datasets=[_dataset(d) for d in raw.get("datasets", [])],
        extra=raw.get("extra", {}))


def load_territories(directory: Path) -> dict[str, Territory]:
    """Every *.toml in directory, keyed by id, in file-name order."""
    territories = {}
    for path in sorted(Path(directory).glob("*.toml")):
        territory = load_territory(path)
        territories[territory.id] = territory
    return territories
