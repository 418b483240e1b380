"""Territory packs: complete, exact, versioned by content, served with an ETag and gzip."""
import dataclasses
import gzip
import json

import pytest
from shapely.geometry import MultiPolygon, Polygon

from webapp.catalog import catalog
from webapp.filters import place_name
from webapp.pack import LISTS, build_pack, place_row, shape_parts, task_lists


def territories(app):
    """Every loaded territory."""
    with app.app_context():
        return catalog().all()


def fetch_pack(client, territory):
    """The pack as the browser gets it."""
    response = client.get(f"/{territory}/pack.json")
    assert response.status_code == 200
    return response, json.loads(response.data)


def test_pack_holds_every_indexed_place_exactly(app, client):
    for data in territories(app):
        _, pack = fetch_pack(client, data.territory.id)
        for task, index in data.indexes.items():
            rows = {f"{ds['id']}:{row[0]}": (pack["categories"][row[2]], row[3], row[4], row[1])
                    for ds in pack["datasets"] if ds["task"] == task for row in ds["places"]}
            # Names as the pages show them: capitals title-cased (issue 10).
            expected = {p.id: (p.category, p.lat, p.lon, place_name(p.name)) for p in index.places}
            assert rows == expected             # same ids, categories, full-precision coordinates
        assert pack["territory"]["bbox"] == list(data.territory.bbox)
        assert set(pack["tasks"]) == set(data.indexes)
        assert all(ds["date"] == data.states[ds["id"]].fetched_at for ds in pack["datasets"])


def test_task_pages_and_lists_are_declared(app, client):
    _, pack = fetch_pack(client, "grenoble")
    assert pack["tasks"]["bike"]["page"] == "/grenoble/velo"
    assert {"/grenoble/", "/grenoble/velo"} <= set(pack["pages"])
    lists = pack["tasks"]["bike"]["lists"]
    assert lists[0] == {"categories": ["bike_parking"], "k": app.config["RESULTS"], "main": True}
    assert [lst["categories"] for lst in lists[1:]] == [["bike_share"], ["bike_rental"],
                                                       ["bike_service"]]
    assert task_lists("some_new_task", 5) == [{"categories": None, "k": 5, "main": True}]


def test_every_task_page_declares_its_lists(app, client):
    """Each task's lists are the page's: recycle's drop-off points, cool's spots, water, toilets."""
    from webapp.tasks.cool_rows import INDOOR, OUTDOOR
    from webapp.tasks import TASK_PAGES
    # « Se déplacer » needs the server (timetables, a profile sent by POST): no offline list.
    assert set(LISTS) == {task for task, _e, _p in TASK_PAGES} - {"mobility"}
    k = app.config["RESULTS"]
    _, paris = fetch_pack(client, "paris")
    assert paris["tasks"]["cool"]["lists"] == [
        {"categories": list(INDOOR + OUTDOOR), "k": k, "main": True},
        {"categories": ["fountain"], "k": k, "main": False, "broken": "nearer", "title": "water"},
        {"categories": ["toilets"], "k": k, "main": False, "title": "toilets"}]
    _, toulouse = fetch_pack(client, "toulouse")
    drop = toulouse["tasks"]["recycle"]["lists"]
    assert len(drop) == 1 and drop[0]["main"] and "glass" in drop[0]["categories"]
    for data in territories(app):             # no place a task's page could show is left out
        _, pack = fetch_pack(client, data.territory.id)
        for task, spec in pack["tasks"].items():
            listed = {c for lst in spec["lists"] for c in lst["categories"]}
            published = {pack["categories"][row[2]] for ds in pack["datasets"]
                         if ds["task"] == task for row in ds["places"]}
            assert published <= listed, (data.territory.id, task)


def test_out_of_service_places_carry_their_reason(app, client):
    """Row[8]: [reason, since] for a place its publisher marks unavailable, nothing otherwise."""
    _, pack = fetch_pack(client, "paris")
    with app.app_context():
        places = {p.id: p for p in catalog().get("paris").index("cool").places}
    out = {}
    for ds in pack["datasets"]:
        if ds["task"] != "cool":
            continue                      # Paris's bike parking (OpenStreetMap): no status
        for row in ds["places"]:
            place = places[f"{ds['id']}:{row[0]}"]
            if place.attrs.get("available") is False:
                out[place.id] = row[8]
                expected = [place.attrs.get("out_reason"), place.attrs.get("out_since")]
                while expected and expected[-1] is None:
                    expected.pop()
                assert row[8] == expected
            else:
                assert len(row) <= 8
    assert len(out) == 63 and sum(1 for v in out.values() if v) == 60   # 60 fountains, 3 mists


def test_etag_304_and_gzip(client):
    plain = client.get("/grenoble/pack.json")
    # Browsers revalidate every time; a CDN may keep it 5 minutes (docs/deploy.md).
    assert plain.headers["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert "Accept-Encoding" in plain.headers["Vary"]
    etag = plain.headers["ETag"].strip('"')
    assert json.loads(plain.data)["version"] == etag
    zipped = client.get("/grenoble/pack.json", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 2
    again = client.get("/grenoble/pack.json", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/atlantis/pack.json").status_code == 404


@pytest.mark.parametrize("accept, gzipped", [
    ("gzip;q=0", False), ("br, gzip;q=0", False), ("identity", False), ("", False),
    ("gzip;q=0.5, br", True), ("GZIP", True), ("*", True), ("identity;q=1, *;q=0.1", True)])
def test_gzip_only_when_the_browser_accepts_it(client, accept, gzipped):
    """Werkzeug's quality values decide: gzip;q=0 means "never gzip", not "gzip"."""
    plain = client.get("/grenoble/pack.json", headers={"Accept-Encoding": "identity"})
    response = client.get("/grenoble/pack.json", headers={"Accept-Encoding": accept})
    assert ("Content-Encoding" in response.headers) is gzipped
    body = gzip.decompress(response.data) if gzipped else response.data
    assert body == plain.data and json.loads(body)["version"] == response.headers["ETag"].strip('"')


def test_version_follows_content(app):
    with app.test_request_context():
        data = catalog().get("grenoble")
        pages = {"bike": "/grenoble/velo"}
        first, second = build_pack(data, 5, pages), build_pack(data, 5, pages)
        assert first == second                               # deterministic, gzip included
        state = data.states["arceaux-velo"]
        moved = dataclasses.replace(state.places[0], lat=state.places[0].lat + 1e-6)
        changed_state = dataclasses.replace(state, places=[moved, *state.places[1:]])
        changed = dataclasses.replace(data, states={**data.states, "arceaux-velo": changed_state})
        assert build_pack(changed, 5, pages).version != first.version


def test_rows_drop_trailing_nulls_and_keep_shapes():
    from webapp.places import Place
    categories = {}
    bare = Place("ds:7", None, "park", 45.1, 5.7, "ds")
    assert place_row(bare, "ds:", categories) == ["7", None, 0, 45.1, 5.7]
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], [[(.2, .2), (.4, .2), (.4, .4)]])
    shaped = Place("ds:8", "Parc", "park", 0.5, 0.5, "ds", shape=square)
    row = place_row(shaped, "ds:", categories)
    assert row[7] == {"polys": [[[list(c) for c in square.exterior.coords],
                                 [list(c) for c in square.interiors[0].coords]]]}
    multi = shape_parts(MultiPolygon([square, Polygon([(2, 2), (3, 2), (3, 3)])]))
    assert len(multi["polys"]) == 2


@pytest.mark.parametrize("territory", ["grenoble", "paris", "toulouse", "clermont"])
def test_a_pack_is_the_same_for_everyone(client, territory):
    """Nothing of the visitor shapes a pack: a position in the query changes no byte."""
    plain = client.get(f"/{territory}/pack.json")
    with_position = client.get(f"/{territory}/pack.json?lat=45.1909&lon=5.7269")
    assert with_position.data == plain.data
    assert with_position.headers["Cache-Control"] == "no-store"     # security.py still applies
