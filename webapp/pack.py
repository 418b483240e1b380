"""The territory pack: every task's places as compact JSON, kept by the browser for offline use."""
from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass

import shapely

from .catalog import TerritoryData
from .filters import place_name
from .places import Place
from .sorting.common import COMMON
from .sorting.taxonomy import STREAMS
from .tasks.bike import SIDE_CATEGORIES as BIKE_SIDE
from .tasks.cool_rows import INDOOR, OUTDOOR, TOILETS, WATER
from .zones import inside, widened, zone_bbox

FORMAT = 1
# Every kind a stream is dropped off at, and the recycling centres some items add (recycle.py).
DROP_OFF = tuple(sorted({k for s in STREAMS.values() for k in s.kinds} | {"recycling_centre"}))

# The result lists a task page shows, as its view builds them: (categories, k[, options]);
# None as categories = every place of the task, None as k = config RESULTS. A task missing
# here gets one list of all its places.
LISTS = {
    "bike": [(("bike_parking",), None), *(((c,), 3) for c in BIKE_SIDE)],
    # The stream page names its kinds on its form (data-offline-categories): they replace these.
    "recycle": [(DROP_OFF, None)],
    # Au frais without a heat wave (the heat plan stays on the server): spots, then water where
    # an out-of-service fountain shows only if nearer than the k-th working one (water_rows).
    "cool": [(INDOOR + OUTDOOR, None), (WATER, None, {"broken": "nearer", "title": "water"}),
             (TOILETS, None, {"title": "toilets"})],
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


def out_of_service(place: Place) -> list | None:
    """[reason, since] of a place its publisher marks unavailable (trailing nulls dropped)."""
    if place.attrs.get("available") is not False:
        return None
    out = [place.attrs.get("out_reason"), place.attrs.get("out_since")]
    while out and out[-1] is None:
        out.pop()
    return out


def place_row(place: Place, prefix: str, categories: dict[str, int]) -> list:
    """[raw id, name, category, lat, lon, address, kind, shape, out], trailing nulls dropped.

    Coordinates keep full precision: a rounded point could swap two near-equal distances and
    the offline order must be the server's."""
    raw_id = place.id[len(prefix):] if place.id.startswith(prefix) else place.id
    cat = categories.setdefault(place.category, len(categories))
    shape = shape_parts(place.shape) if place.shape is not None else None
    # Names and addresses as the pages show them ("BELLEDONNE" -> "Belledonne").
    row = [raw_id, place_name(place.name), cat, place.lat, place.lon, place_name(place.address),
           place.attrs.get("kind"), shape, out_of_service(place)]
    while row and row[-1] is None:
        row.pop()
    return row


def task_lists(task: str, results: int) -> list[dict]:
    """The lists of a task page, with k resolved."""
    lists = LISTS.get(task, [(None, None)])
    return [{"categories": list(cats) if cats else None, "k": k or results, "main": i == 0,
             **(options[0] if options else {})}
            for i, (cats, k, *options) in enumerate(lists)]


def sorting_content(guide) -> dict:
    """Every item name of the sorting guide and its stream, common items first: enough to type
    an item offline and reach its stream page (kept with the city). No advice: it is the
    stream page that answers."""
    streams = list(STREAMS)
    items = sorted(guide.items.values(), key=lambda i: (i.id not in COMMON, i.name.lower()))
    return {"updated": guide.updated, "streams": streams, "common": len(COMMON),
            "items": [[i.name, streams.index(i.stream)] for i in items]}


def pack_content(data: TerritoryData, results: int, pages: dict[str, str],
                 guide=None, zone: str | None = None) -> dict:
    """The pack as plain data: territory, datasets with their places, task lists, page URLs,
    and the sorting guide's item names when a guide is given.

    With a zone (zones.py), only the places of that cell and its margin, and the cell as bbox."""
    categories: dict[str, int] = {}
    datasets = []
    bbox = zone_bbox(zone) if zone else data.territory.bbox
    reach = widened(bbox) if zone else None
    for state in data.states.values():
        if state.dataset.task not in data.indexes or not state.places:
            continue
        ds = state.dataset
        prefix = f"{ds.id}:"
        places = [p for p in state.places if reach is None or inside(reach, p.lat, p.lon)]
        if zone and not places:
            continue
        datasets.append({
            "id": ds.id, "task": ds.task, "attribution": ds.attribution, "licence": ds.licence,
            "page": ds.page, "date": state.fetched_at,
            "places": [place_row(p, prefix, categories) for p in places]})
    territory = data.territory
    return {
        "format": FORMAT,
        "territory": {"id": territory.id, "name": territory.name, "bbox": list(bbox),
                      **({"zone": zone} if zone else {})},
        "categories": list(categories),
        "tasks": {task: {"lists": task_lists(task, results), "page": pages.get(task)}
                  for task in data.indexes},
        "pages": sorted(set(pages.values())),
        "datasets": datasets,
        **({"sorting": sorting_content(guide)} if guide is not None else {}),
    }


def build_pack(data: TerritoryData, results: int, pages: dict[str, str], guide=None,
               zone: str | None = None) -> Pack:
    """Serialise the pack; the version is a hash of the content, so equal data = equal version."""
    content = pack_content(data, results, pages, guide, zone)
    compact = json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    version = hashlib.sha256(compact.encode()).hexdigest()[:16]
    body = compact.replace('{"format":', f'{{"version":"{version}","format":', 1).encode()
    # mtime=0: the same pack always gzips to the same bytes.
    return Pack(body, gzip.compress(body, compresslevel=9, mtime=0), version)
