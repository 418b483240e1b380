"""Portal connectors: payload formats, field mapping, the cached HTTP session, the snapshot store."""

import hashlib
import threading

from .addresses import parse_ban, parse_bano
from .arcgis import parse_arcgis
from .formats import PARSERS
from .mapping import ParseResult, map_records
from .osm import parse_overpass

# Connectors with a module of their own (they build on formats.py, so they register here).
PARSERS.update({"overpass": parse_overpass, "arcgis": parse_arcgis, "ban_csv": parse_ban,
                "bano_csv": parse_bano})

# The last result per dataset: a payload already parsed (validated by a refresh, then loaded by
# the catalog; or loaded again on a reload) is not parsed twice. Paris's addresses take seconds.
_LAST: dict[tuple, tuple] = {}
_LOCK = threading.Lock()


def parse(dataset, payload: bytes) -> ParseResult:
    """Parse a raw payload of dataset into Places: one code path for live and embedded data."""
    parser = PARSERS[dataset.connector]
    key = (hashlib.sha256(payload).digest(), parser, repr(dataset.mapping))
    with _LOCK:
        last = _LAST.get((dataset.id, dataset.url))
    if last is not None and last[0] == key:
        return last[1]
    result = map_records(parser(payload), dataset.mapping)
    with _LOCK:
        _LAST[(dataset.id, dataset.url)] = (key, result)
    return result
