"""OpenStreetMap through Overpass: the API's JSON answer, or an Overpass-turbo GeoJSON export."""
from __future__ import annotations

from urllib.parse import urlencode

from .formats import PayloadError, _dicts, _json, parse_geojson

# The public Overpass instance; a territory may name another with `overpass = "https://…"`.
OVERPASS_URL = "https://overpass-api.de/api/interpreter"
ATTRIBUTION = "© OpenStreetMap contributors"


def query_url(query: str, endpoint: str = OVERPASS_URL) -> str:
    """The GET URL running an Overpass QL query (only territory files write queries)."""
    return f"{endpoint}?{urlencode({'data': ' '.join(query.split())})}"


def _element(item: dict) -> dict:
    """One Overpass element as a flat record: its tags, '@id' and a Point under '_geometry'."""
    tags = item.get("tags") if isinstance(item.get("tags"), dict) else {}
    # Nodes carry lat/lon; ways and relations carry a "center" when the query says `out center`.
    where = item if "lat" in item else item.get("center") or {}
    geometry = {"type": "Point", "coordinates": [where.get("lon"), where.get("lat")]} \
        if "lat" in where and "lon" in where else None
    return {**tags, "@id": f"{item.get('type')}/{item.get('id')}", "_geometry": geometry}


def parse_overpass(payload: bytes) -> list[dict]:
    """Overpass JSON (`[out:json]`, elements with tags) or GeoJSON as Overpass-turbo exports it.

    Overpass answers a query that timed out or ran out of memory with HTTP 200, the elements
    found so far and a `remark` saying "runtime error": a partial answer, refused."""
    body = _json(payload)
    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        return parse_geojson(payload)
    if not isinstance(body, dict) or "elements" not in body:
        raise PayloadError("Overpass: neither elements nor a FeatureCollection")
    remark = str(body.get("remark") or "")
    if "error" in remark.lower():
        raise PayloadError(f"Overpass runtime error: {remark[:120]}")
    return [_element(item) for item in _dicts(body["elements"], "Overpass elements")]
