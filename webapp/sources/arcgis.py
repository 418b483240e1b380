"""ArcGIS FeatureServer layers: `/query?where=1=1&outFields=*&f=geojson`, read page by page.

A layer answers at most its `maxRecordCount` features per request and says
`exceededTransferLimit: true` while more remain; the next page starts at `resultOffset`. Errors
come back as HTTP 200 with `{"error": {"code": …, "message": …}}`. Every page must be good: a
refresh that fails on any page keeps the last good data (never half a layer)."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from .formats import PayloadError, _json, parse_geojson

MAX_PAGES = 500          # 500 pages of 2,000 = a million features: a loop, not a layer


class PageError(requests.RequestException):
    """One page could not be had (HTTP error, stale cache, error object, garbled body)."""


def _check(body) -> dict:
    """A page as a dict, or PayloadError for an ArcGIS `error` object or a non-GeoJSON body."""
    if isinstance(body, dict) and "error" in body:
        error = body["error"] if isinstance(body["error"], dict) else {}
        raise PayloadError(f"ArcGIS error {error.get('code', '?')}: "
                           f"{str(error.get('message', ''))[:120]}")
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        raise PayloadError("ArcGIS: not a GeoJSON FeatureCollection")
    return body


def parse_arcgis(payload: bytes) -> list[dict]:
    """One page, or the whole layer as stored after paging: GeoJSON, refused if it is an error."""
    _check(_json(payload))
    return parse_geojson(payload)


def exceeded(body: dict) -> bool:
    """Whether more features remain (top level in `f=json`, under `properties` in `f=geojson`)."""
    props = body.get("properties") if isinstance(body.get("properties"), dict) else {}
    return bool(body.get("exceededTransferLimit") or props.get("exceededTransferLimit"))


def page_url(url: str, offset: int) -> str:
    """The layer's query URL at one offset (other parameters as the territory file wrote them)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "resultOffset"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("resultOffset", str(offset))])))


def page_ok(body: bytes) -> bool:
    """Cache validator of one page."""
    try:
        _check(_json(body))
    except PayloadError:
        return False
    return True


def fetch_layer(session, dataset, force: bool = False) -> tuple[bytes, bool]:
    """Every page of a layer as one FeatureCollection; (payload, from_cache_only).

    Raises PageError on any page that is not fresh and good: a stale page from the cache (the
    portal failing) is not mixed with fresh ones."""
    features, offset, cached = [], 0, True
    for _ in range(MAX_PAGES):
        url = page_url(dataset.url, offset)
        session.validators[url] = page_ok
        response = session.get(url, expire_after=dataset.refresh_seconds, force_refresh=force)
        if response.status_code != 200:
            raise PageError(f"HTTP {response.status_code} at offset {offset}")
        if getattr(response, "is_expired", False):
            raise PageError(f"portal failing at offset {offset} (stale cache)")
        cached = cached and getattr(response, "from_cache", False)
        try:
            body = _check(_json(response.content))
        except PayloadError as exc:
            raise PageError(f"invalid page at offset {offset}: {exc}") from exc
        page = body.get("features") if isinstance(body.get("features"), list) else []
        features += page
        if not exceeded(body):
            return json.dumps({"type": "FeatureCollection", "features": features},
                              ensure_ascii=False, separators=(",", ":")).encode(), cached
        if not page:
            raise PageError(f"more features announced but none given at offset {offset}")
        offset += len(page)
    raise PageError(f"more than {MAX_PAGES} pages")
