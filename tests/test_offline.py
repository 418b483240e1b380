"""Installable and offline, server side: worker script, manifest, icons, offline page, footer."""
import json
import re
import struct

from bs4 import BeautifulSoup

from webapp import create_app


def worker_config(body: bytes) -> dict:
    """The CONFIG object the server wrote into the worker."""
    return json.loads(re.search(rb"const CONFIG = (\{.*?\});", body).group(1))


def test_worker_is_served_at_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "worker-src 'self'" in response.headers["Content-Security-Policy"]
    config = worker_config(response.data)
    assert config["offline"] == "/hors-ligne" and re.fullmatch(r"[0-9a-f]{12}", config["version"])
    for url in config["shell"]:
        with client.get(url) as shell:
            assert shell.status_code == 200, url
    assert not [u for u in config["shell"] if "tile" in u or "pack.json" in u]   # never data


def test_worker_version_changes_with_what_it_caches(client):
    version = worker_config(client.get("/sw.js").data)["version"]
    assert worker_config(client.get("/sw.js").data)["version"] == version      # stable
    other = create_app({"TESTING": True, "OFFLINE_VERSION_SALT": "next"})
    assert worker_config(other.test_client().get("/sw.js").data)["version"] != version


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_manifest_meets_the_install_criteria(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] and manifest["short_name"] and manifest["lang"] == "fr"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["theme_color"].startswith("#")
    purposes = {}
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == "image/png"
            width, height = png_size(image.data)
        assert f"{width}x{height}" == icon["sizes"]
        purposes.setdefault(icon["purpose"], set()).add(width)
    assert purposes == {"any": {192, 512}, "maskable": {192, 512}}


def test_manifest_and_offline_texts_in_english(client):
    client.set_cookie("lang", "en")
    manifest = json.loads(client.get("/manifest.webmanifest").data)
    assert manifest["lang"] == "en" and "open data" in manifest["description"]
    page = BeautifulSoup(client.get("/grenoble/velo").data, "html.parser")
    assert page.select_one(".js-keep").get_text() == "Keep Grenoble for offline use"
    text = json.loads(page.select_one(".offline-state")["data-text"])
    assert text["walk"] == "%(n)d min walk" and text["offline"] == "Offline."
    assert text["categories"]["bike_parking"] == "Bike parking"


def test_every_page_links_the_manifest_and_offline_layer(client):
    for url in ["/", "/grenoble/", "/grenoble/velo", "/donnees", "/hors-ligne"]:
        page = BeautifulSoup(client.get(url).data, "html.parser")
        assert page.select_one('link[rel=manifest]')["href"] == "/manifest.webmanifest"
        assert page.select_one('meta[name=theme-color]')["content"] == "#0b5d3b"
        assert re.fullmatch(r"/static/js/offline\.[0-9a-f]{12}\.js",      # hashed (issue 12)
                            page.select_one('script[type=module]')["src"])
        area = page.select_one("footer .offline-state")
        assert area.has_attr("hidden") and area["data-sw"] == "/sw.js"    # shown by JS only


def test_territory_pages_carry_the_current_pack_version(client):
    etag = client.get("/grenoble/pack.json").headers["ETag"].strip('"')
    page = BeautifulSoup(client.get("/grenoble/velo").data, "html.parser")
    area = page.select_one(".offline-state")
    assert area["data-version"] == etag and area["data-task"] == "bike"
    assert area["data-pack"] == "/grenoble/pack.json"
    home = BeautifulSoup(client.get("/grenoble/").data, "html.parser").select_one(".offline-state")
    assert home["data-territory"] == "grenoble" and not home.has_attr("data-task")


def test_offline_page_lists_the_cities(client):
    page = BeautifulSoup(client.get("/hors-ligne").data, "html.parser")
    assert page.select_one("h1").get_text() == "Pas de réseau pour cette page"
    assert "/grenoble/" in [a["href"] for a in page.select("main a.tile")]


def test_recycle_locate_form_names_the_kinds_of_its_stream(client):
    """offline.js answers a stream page from the pack with the kinds the server would search."""
    for url in ["/toulouse/jeter?flux=glass", "/toulouse/jeter?choix=pot-de-yaourt-en-verre"]:
        page = BeautifulSoup(client.get(url).data, "html.parser")
        assert page.select_one(".dropoff form.locate")["data-offline-categories"] == "glass"
        assert not page.select_one(".dropoff form.pick").has_attr("data-offline-categories")
    for url in ["/grenoble/velo", "/paris/frais"]:          # the other tasks show every list
        page = BeautifulSoup(client.get(url).data, "html.parser")
        assert not page.select_one("form.locate").has_attr("data-offline-categories")


def test_locate_form_lists_several_kinds_in_a_stable_order(app):
    """An item also taken to recycling centres: every kind, sorted, whatever the set's order."""
    from types import SimpleNamespace

    from flask import render_template

    from webapp.catalog import catalog
    from webapp.sorting.taxonomy import STREAMS
    from webapp.tasks.origin import Lookup
    with app.test_request_context("/toulouse/jeter"):
        drop = SimpleNamespace(stream=STREAMS["electrical"], published=True, results=[],
                               states=[], kinds={"recycling_centre", "electrical", "batteries"})
        html = render_template("recycle/_dropoff.html", drop=drop, lookup=Lookup(),
                               answer=SimpleNamespace(keep=lambda: {"choix": "allume-cigare"}),
                               data=catalog().get("toulouse"), opening=lambda place: None,
                               action="/toulouse/jeter")
    form = BeautifulSoup(html, "html.parser").select_one("form.locate")
    assert form["data-offline-categories"] == "batteries electrical recycling_centre"


def test_offline_texts_follow_the_page_task(client):
    """A cool page carries its kinds and out-of-service words; other pages do not carry them."""
    def text(url):
        page = BeautifulSoup(client.get(url).data, "html.parser")
        return json.loads(page.select_one(".offline-state")["data-text"])
    cool = text("/paris/frais")
    assert cool["kinds"]["wallace"] == "Fontaine Wallace" and cool["kindOther"] == "Lieu frais"
    assert cool["outOfService"] == "Hors service" and cool["outReasons"]["works"] == "travaux en cours"
    assert cool["since"] == "depuis le %(date)s"
    assert text("/grenoble/velo")["kinds"]["hoops"] and "outOfService" not in text("/grenoble/velo")
    assert "kinds" not in text("/grenoble/") and "kinds" not in text("/toulouse/jeter")
    client.set_cookie("lang", "en")
    assert text("/paris/frais")["outReasons"]["works"] == "works in progress"
