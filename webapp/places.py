"""The one normalised shape every task works with: a Place."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Place:
    """A published place, normalised from any portal format."""

    id: str                     # "<dataset>:<raw id>", stable across refreshes
    name: str
    category: str               # e.g. "bike_parking", "glass", "fountain"
    lat: float
    lon: float
    dataset: str                # dataset id in the territory config
    address: str | None = None
    shape: Any = None           # shapely geometry in lon/lat when the record has one (parks)
    capacity: int | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    hours: str | None = None    # raw opening hours as published, None when unknown
    updated: str | None = None  # ISO date of the record when the source gives one
