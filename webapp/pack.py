"""The territory pack: every task's places as compact JSON, kept by the browser for offline use."""
from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass

import shapely

from .catalog import TerritoryData
from .places import Place
from .tasks.bike import SIDE_CATEGORIES as BIKE_SIDE

FORMAT = 1

# The result lists a task page shows, as its view builds them: (categories, k); None as
# categories = every place of the task, None as k = config RESULTS. A task whose page filters
# categories adds a line here; any other task gets one list of all its places.
LISTS = {
    "bike": [(("bike_parking",), None), *(((c,), 3) for c in BIKE_SIDE)],
}


@dataclass(frozen=True)
class Pack:
    """A built pack: its JSON body, the same gzipped, and a version that changes with content."""

    body: bytes
    gzipped: bytes
    version: str


def shape_parts(geom) -> dict:
    """A shapely geometry as lon/lat rings: {"polys": [[ring, …], …]} or {"lines": [line, …]}."""
    parts = getattr(geom, "geoms", [geom])
    if all(p.geom_type == "Polygon" for p in parts):
        return {"polys": [[list(map(list, r.coords)) for r in (p.exterior, *p.interiors)]
                          for p in parts]}
    lines = shapely.get_parts(shapely.boundary(geom) if geom.area else geom)
    return {"lines": [list(map(list, line.coords)) for line in lines]}


def place_row(place: Place, prefix: str, categories: dict[str, int]) -> list:
    """[raw id, name, category index, lat, lon, address, kind, shape], trailing nulls dropped.

    Coordinates keep full precision: a rounded point could swap two near-equal distances and
    the offline order must be the server's."""
    raw_id = place.id[len(prefix):] if place.id.startswith(prefix) else place.id
    cat = categories.setdefault(place.category, len(categories))
    shape = shape_parts(place.shape) if place.shape is not None else None
    row = [raw_id, place.name, cat, place.lat, place.lon, place.address,
           place.attrs.get("kind"), shape]
    while row and row[-1] is None:
        row.pop()
    return row


def task_lists(task: str, results: int) -> list[dict]:
    """The lists of a task page, with k resolved."""
    lists = LISTS.get(task, [(None, None)])
    return [{"categories": list(cats) if cats else None, "k": k or results, "main": i == 0}
            for i, (cats, k) in enumerate(lists)]


def pack_content(data: TerritoryData, results: int, pages: dict[str, str]) -> dict:
    """The pack as plain data: territory, datasets with their places, task lists, page URLs."""
    categories: dict[str, int] = {}
    datasets = []
    for state in data.states.values():
        if state.dataset.task not in data.indexes or not state.places:
            continue
        ds = state.dataset
        prefix = f"{ds.id}:"
        datasets.append({
            "id": ds.id, "task": ds.task, "attribution": ds.attribution, "licence": ds.licence,
            "page": ds.page, "date": state.fetched_at,
            "places": [place_row(p, prefix, categories) for p in state.places]})
    territory = data.territory
    return {
        "format": FORMAT,
        "territory": {"id": territory.id, "name": territory.name, "bbox": list(territory.bbox)},
        "categories": list(categories),
        "tasks": {task: {"lists": task_lists(task, results), "page": pages.get(task)}
                  for task in data.indexes},
        "pages": sorted(set(pages.values())),
        "datasets": datasets,
    }


def build_pack(data: TerritoryData, results: int, pages: dict[str, str]) -> Pack:
    """Serialise the pack; the version is a hash of the content, so equal data = equal version."""
    content = pack_content(data, results, pages)
    compact = json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    version = hashlib.sha256(compact.encode()).hexdigest()[:16]
    body = compact.replace('{"format":', f'{{"version":"{version}","format":', 1).encode()
    # mtime=0: the same pack always gzips to the same bytes.
    return Pack(body, gzip.compress(body, compresslevel=9, mtime=0), version)
