"""Portal connectors: payload formats, field mapping, the cached HTTP session, the snapshot store."""

from .formats import PARSERS
from .mapping import ParseResult, map_records


def parse(dataset, payload: bytes) -> ParseResult:
    """Parse a raw payload of dataset into Places: one code path for live and embedded data."""
    return map_records(PARSERS[dataset.connector](payload), dataset.mapping)
