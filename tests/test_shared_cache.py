"""What a CDN may keep (position-free pages, packs, packs cut by area) and what it never may."""
import gzip
import json
from pathlib import Path

import pytest

from webapp.zones import MARGIN_DEG, inside, zone_bbox, zone_of

GRENOBLE_ZONE = zone_of(45.1885, 5.7245)


def test_position_free_pages_carry_an_etag_and_a_shared_cache_time(client):
    page = client.get("/grenoble/velo")
    assert page.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert {"Accept-Language", "Cookie"} <= set(page.headers["Vary"].replace(" ", "").split(","))
    again = client.get("/grenoble/velo", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    english = client.get("/grenoble/velo", headers={"Accept-Language": "en"})
    assert english.headers["ETag"] != page.headers["ETag"]


@pytest.mark.parametrize("url", ["/grenoble/velo?lat=45.1885&lon=5.7245",
                                 "/grenoble/velo?lieu=zones-arrets:1", "/grenoble/velo?q=gare"])
def test_answers_to_a_position_or_a_place_are_never_stored(client, url):
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_fragments_and_errors_are_not_shared(client):
    fragment = client.get("/grenoble/velo", headers={"HX-Request": "true"})
    assert "public" not in fragment.headers.get("Cache-Control", "")
    missing = client.get("/nulle-part/velo")
    assert missing.status_code == 404 and "public" not in missing.headers.get("Cache-Control", "")


@pytest.mark.parametrize("zone_id", [GRENOBLE_ZONE, "z90_12"])    # the city, the cell east of it
def test_a_zone_pack_holds_its_cell_and_margin_only(client, zone_id):
    whole = json.loads(client.get("/grenoble/pack.json").data)
    zone = json.loads(client.get(f"/grenoble/pack.json?zone={zone_id}").data)
    cell = zone_bbox(zone_id)
    assert zone["territory"]["bbox"] == list(cell) and zone["territory"]["zone"] == zone_id
    reach = (cell[0] - MARGIN_DEG, cell[1] - MARGIN_DEG, cell[2] + MARGIN_DEG, cell[3] + MARGIN_DEG)

    def rows(pack, keep):
        return {(ds["id"], row[0]) for ds in pack["datasets"] for row in ds["places"]
                if keep(row[3], row[4])}
    kept = rows(zone, lambda lat, lon: True)
    assert kept == rows(whole, lambda lat, lon: inside(reach, lat, lon))
    assert 0 < len(kept) <= len(rows(whole, lambda lat, lon: True))
    if zone_id != GRENOBLE_ZONE:                 # the margin holds the east of the metropolis
        assert len(kept) < len(rows(whole, lambda lat, lon: True)) / 2


@pytest.mark.parametrize("zone", ["z1_1", "paris", "z97_4", "z9999_1", "../x", "z90_11" * 5])
def test_a_zone_outside_the_territory_or_malformed_is_a_clear_404(client, zone):
    response = client.get(f"/grenoble/pack.json?zone={zone}")
    assert response.status_code == 404 and "existe pas" in response.get_data(as_text=True)


def test_a_pack_version_is_an_immutable_file_and_url(client, app):
    current = client.get("/grenoble/pack.json")
    version = current.headers["ETag"].strip('"')
    fixed = client.get(f"/grenoble/pack-{version}.json", headers={"Accept-Encoding": "gzip"})
    assert fixed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(fixed.data) == current.data
    folder = Path(app.extensions["presdici.store"].root) / "packs"
    assert gzip.decompress((folder / f"grenoble-{version}.json.gz").read_bytes()) == current.data
    assert client.get("/grenoble/pack-0123456789abcdef.json").status_code == 404
    assert client.get("/grenoble/pack-..%2F..%2Fx.json").status_code == 404
