"""The ArcGIS FeatureServer connector against a local fake layer, paging and failing.

The layer's answers are in ArcGIS's documented shapes (`f=geojson` FeatureCollection, OBJECTID,
`properties.exceededTransferLimit` while more remain, errors as HTTP 200 with an `error` object)
and are built from one of our real datasets: the 756 Clermont-Ferrand parks of
data/clermont/parcs-et-jardins_transformed_prixm2.json (Clermont published on ArcGIS before
Opendatasoft). Nothing here is invented but the envelope."""
import json
from pathlib import Path

import pytest
from portal import FakePortal, arcgis_layer

from webapp.sources import parse
from webapp.sources.arcgis import exceeded, page_url
from webapp.sources.formats import PayloadError

ROOT = Path(__file__).resolve().parent.parent
PARKS = json.loads((ROOT / "data/clermont/parcs-et-jardins_transformed_prixm2.json")
                   .read_text(encoding="utf-8"))
TERRITORY = '''id = "clermont"
name = "Clermont-Ferrand"
bbox = [2.96, 45.69, 3.27, 45.90]
center = [45.7772, 3.0870]

[[portals]]
name = "ArcGIS Hub (test)"
url = "https://opendata.clermont-ferrand.fr"

[[datasets]]
id = "parcs-arcgis"
title = "Parcs et jardins"
publisher = "Ville de Clermont-Ferrand"
task = "cool"
category = "park"
connector = "arcgis"
url = "{portal}/arcgis/parcs/FeatureServer/0/query?where=1%3D1&outFields=*&f=geojson"
page = "https://opendata.clermont-ferrand.fr/"
licence = "Licence Ouverte 2.0"
attribution = "Ville de Clermont-Ferrand"
refresh = "1d"
geometry = {{ kind = "geojson", field = "_geometry" }}
[datasets.fields]
id = "OBJECTID"
name = "nom"
kind = "type"
area = "extra"
'''


@pytest.fixture()
def portal():
    server = FakePortal()
    server.arcgis_features = arcgis_layer(PARKS, "lat", "lng")
    yield server
    if server.thread.is_alive():
        server.stop()


@pytest.fixture()
def app(tmp_path, portal):
    from webapp import create_app
    territories = tmp_path / "territories"
    territories.mkdir()
    (territories / "clermont.toml").write_text(TERRITORY.format(portal=portal.url))
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "TERRITORIES_DIR": str(territories), "HTTP_READ_TIMEOUT": 2.0,
                      "HTTP_CONNECT_TIMEOUT": 1.0})
    app.extensions["presdici.catalog"].CHECK_EVERY_S = 0
    return app


def refresh(app):
    """`flask data refresh --force` on the layer; its one output line."""
    result = app.test_cli_runner().invoke(args=["data", "refresh", "-t", "clermont", "--force"])
    return result.output


def loaded(app):
    """The layer's places as the app serves them."""
    from webapp.catalog import catalog
    app.test_client().get("/donnees")             # any request: the catalog reloads if swapped
    with app.app_context():
        return catalog().get("clermont").states["parcs-arcgis"]


def test_every_page_is_read_and_the_layer_is_one_dataset(app, portal):
    out = refresh(app)
    assert "clermont/parcs-arcgis: updated (756 places)" in out, out
    offsets = [int(p.split("resultOffset=")[1]) for p in portal.requests if "arcgis" in p]
    assert offsets == list(range(0, 756, FakePortal.ARCGIS_PAGE))      # 8 pages, in order
    assert all("where=1%3D1" in p and "f=geojson" in p for p in portal.requests)
    state = loaded(app)
    assert state.origin == "refreshed" and len(state.places) == 756
    first = next(p for p in state.places if p.id == "parcs-arcgis:1")
    assert (first.name, first.lat, first.lon) == (PARKS[0]["nom"], PARKS[0]["lat"], PARKS[0]["lng"])
    page = client_page(app)
    assert "Esplanade Rue Niel" in page or "Jardin Lecoq" in page


def client_page(app) -> str:
    return app.test_client().get("/clermont/frais?lat=45.7724&lon=3.0884").get_data(as_text=True)


@pytest.mark.parametrize("mode, said", [
    ("500", "HTTP 500"), ("error", "ArcGIS error 400"),
    ("truncated-page", "invalid page at offset 100"), ("error-page", "offset 100"),
    ("down", "portal unreachable")])
def test_every_failure_keeps_the_last_good_layer(app, portal, mode, said):
    assert "updated (756 places)" in refresh(app)
    folder = Path(app.instance_path) / "snapshots/clermont"
    before = (folder / "parcs-arcgis.json").read_text()
    if mode == "down":
        portal.stop()
    else:
        portal.arcgis_mode = mode
    out = refresh(app)
    assert "clermont/parcs-arcgis: kept" in out and said in out, out
    assert (folder / "parcs-arcgis.json").read_text() == before        # the good snapshot stays
    state = loaded(app)
    assert len(state.places) == 756 and state.origin == "refreshed"
    attempt = json.loads((folder / "parcs-arcgis.attempt.json").read_text())
    assert attempt["status"] == "kept"
    if mode != "down":
        assert "Jardin Lecoq" in client_page(app)


def test_error_object_and_paging_flags_as_documented():
    error = json.dumps({"error": {"code": 498, "message": "Invalid token.", "details": []}})
    with pytest.raises(PayloadError, match="ArcGIS error 498"):
        parse(type("D", (), {"connector": "arcgis", "mapping": None, "id": "x", "url": "u"}),
              error.encode())
    assert exceeded({"properties": {"exceededTransferLimit": True}})       # f=geojson
    assert exceeded({"exceededTransferLimit": True})                       # f=json
    assert not exceeded({"type": "FeatureCollection", "features": []})
    url = page_url("https://x/FeatureServer/0/query?where=1%3D1&f=geojson&resultOffset=5", 200)
    assert url.endswith("f=geojson&resultOffset=200") and url.count("resultOffset") == 1
