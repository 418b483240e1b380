"""Static files as the ecosystem serves them: hashed names cached `immutable`, gzip and brotli
variants, HTML compressed on request, the worker following the new names; and a repeat visit in
a real Chromium that fetches no static file."""
import gzip
import json
import re
import time
from pathlib import Path

import brotli
import pytest

from conftest import Gunicorn, phone_context

ROOT = Path(__file__).resolve().parent.parent
IMMUTABLE = "max-age=315360000, public, immutable"


def linked_static(body: str) -> list[str]:
    """Every /static/ URL a page names."""
    return sorted(set(re.findall(r'"(/static/[^"]+)"', body)))


def test_pages_link_hashed_names_served_immutable_and_precompressed(client):
    body = client.get("/paris/frais?lat=48.8566&lon=2.3522", buffered=True).get_data(as_text=True)
    urls = linked_static(body)
    assert len(urls) >= 7 and any("leaflet" in u for u in urls)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        plain = client.get(url, headers={"Accept-Encoding": "identity"}, buffered=True)
        original = plain.data
        plain.close()
        assert plain.status_code == 200 and plain.headers["Cache-Control"] == IMMUTABLE, url
        if url.endswith((".js", ".css", ".svg")):      # images are compressed already
            assert "Accept-Encoding" in plain.headers["Vary"]
            for name, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
                packed = client.get(url, headers={"Accept-Encoding": name}, buffered=True)
                assert packed.headers["Content-Encoding"] == name, url
                size, body = int(packed.headers["Content-Length"]), packed.data
                packed.close()
                assert size < len(original) / (2 if len(original) > 1000 else 1), url
                assert decode(body) == original, url


def test_references_inside_files_follow_the_hashed_names(app, client):
    names = app.extensions["presdici.static"]
    offline = client.get(f"/static/{names['js/offline.js']}", buffered=True).get_data(as_text=True)
    assert f'from "./{Path(names["js/pack-nearest.js"]).name}"' in offline
    css = client.get(f"/static/{names['vendor/leaflet/leaflet.css']}", buffered=True).get_data(as_text=True)
    images = re.findall(r"url\((images/[^)]+)\)", css)
    assert len(images) >= 3
    for image in images:
        assert re.search(r"\.[0-9a-f]{12}\.png$", image)
        response = client.get(f"/static/vendor/leaflet/{image}", buffered=True)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE
        response.close()
    # The plain names still answer (a bookmarked or hard-coded URL), without `immutable`.
    plain = client.get("/static/css/app.css", buffered=True)
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "max-age=3600, public"
    plain.close()


def test_a_changed_source_is_rebuilt_with_new_names(tmp_path):
    from webapp.assets import build_static, built
    source, target = tmp_path / "static", tmp_path / "build" / "static"
    (source / "js").mkdir(parents=True)
    (source / "js" / "a.js").write_text('import { b } from "./b.js";\nexport const a = b;\n'
                                        + "// a comment long enough to be worth compressing\n" * 40)
    (source / "js" / "b.js").write_text("export const b = 1;\n")
    first = build_static(source, target)
    assert built(target, source) == first                      # unchanged: no rebuild
    (source / "js" / "b.js").write_text("export const b = 2;\n")
    second = built(target, source)
    assert second["js/b.js"] != first["js/b.js"]
    assert second["js/a.js"] != first["js/a.js"]               # a.js names b.js: it changes too
    assert f'"./{Path(second["js/b.js"]).name}"' in (target / second["js/a.js"]).read_text()
    assert not (target / first["js/b.js"]).exists()
    assert (target / (second["js/a.js"] + ".br")).exists()


@pytest.mark.parametrize("url", ["/grenoble/velo", "/donnees", "/manifest.webmanifest", "/sw.js",
                                 "/grenoble/velo?lat=45.1885&lon=5.7245"])
def test_answers_are_compressed_when_the_client_accepts_it(client, url):
    plain = client.get(url, buffered=True)
    assert "Content-Encoding" not in plain.headers
    for accept, name, decode in (("br, gzip", "br", brotli.decompress),
                                 ("gzip, deflate", "gzip", gzip.decompress)):
        packed = client.get(url, headers={"Accept-Encoding": accept}, buffered=True)
        assert packed.headers["Content-Encoding"] == name
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert decode(packed.data) == plain.data
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, br;q=0"}, buffered=True)
    assert "Content-Encoding" not in refused.headers


def test_the_worker_precaches_the_hashed_names(client):
    body = client.get("/sw.js", buffered=True).get_data(as_text=True)
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", body).group(1))
    statics = [u for u in config["shell"] if u.startswith("/static/")]
    assert len(statics) >= 8
    for url in statics:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        response = client.get(url, buffered=True)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE
        response.close()
    manifest = client.get("/manifest.webmanifest", buffered=True).get_json()
    for icon in manifest["icons"]:
        assert re.search(r"\.[0-9a-f]{12}\.png$", icon["src"])


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory):
    """A gunicorn of its own, whose access log tells which files the browser fetched."""
    folder = tmp_path_factory.mktemp("static-log")
    server = Gunicorn(folder / "instance", folder / "server.log")
    yield server
    server.stop()


def static_fetches(server, since: int) -> list[str]:
    """/static/ paths in the access log after its first `since` lines."""
    time.sleep(0.3)                   # the log line is written after the answer
    lines = server.log.read_text().splitlines()[since:]
    return [line for line in lines if '"GET /static/' in line]


@pytest.mark.browser
@pytest.mark.parametrize("workers", ["block", "allow"])
def test_a_repeat_visit_fetches_no_static_file(browser, logged_server, workers):
    """First visit: the files come; the next pages (another task, the same page later) fetch none
    of them again, from the HTTP cache alone (worker blocked) or through the worker."""
    context = phone_context(browser, service_workers=workers)
    try:
        page = context.new_page()
        start = len(logged_server.log.read_text().splitlines())
        page.goto(f"{logged_server.url}/paris/frais", wait_until="load")
        if workers == "allow":
            page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        first = static_fetches(logged_server, start)
        assert len(first) >= 5, first
        mark = len(logged_server.log.read_text().splitlines())
        for url in ("/paris/velo", "/paris/jeter", "/paris/frais"):
            page.goto(f"{logged_server.url}{url}", wait_until="load")
        assert static_fetches(logged_server, mark) == []
    finally:
        context.close()
