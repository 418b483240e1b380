"""Portal connectors: payload formats, field mapping, the cached HTTP session, the snapshot store."""

from .addresses import parse_ban, parse_bano
from .arcgis import parse_arcgis
from .formats import PARSERS
from .mapping import ParseResult, map_records
from .osm import parse_overpass

# Connectors with a module of their own (they build on formats.py, so they register here).
PARSERS.update({"overpass": parse_overpass, "arcgis": parse_arcgis, "ban_csv": parse_ban,
                "bano_csv": parse_bano})


def parse(dataset, payload: bytes) -> ParseResult:
    """Parse a raw payload of dataset into Places: one code path for live and embedded data."""
    return map_records(PARSERS[dataset.connector](payload), dataset.mapping)
