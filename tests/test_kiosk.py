"""Kiosk profiles, their refusal at start, signed URLs, the kiosk's place kept out of URLs, the
language choice that does not outlive the visitor, and the phone's QR address."""
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from webapp import create_app
from webapp.kiosk.signing import signed_url_token
from webapp.kiosk.profiles import KioskError

GOOD = """
[capitole]
territory = "toulouse"
place = "Capitole de Toulouse, hall d'accueil"
lat = 43.6045
lon = 1.4440
languages = ["fr", "ar", "uk"]
idle_seconds = 60
"""


def make(tmp_path, profiles=GOOD, **config):
    """An app whose instance folder holds these profiles."""
    (tmp_path / "kiosks.toml").write_text(profiles, encoding="utf-8")
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), **config})


@pytest.mark.parametrize("change, reason", [
    ('territory = "toulouse"', "unknown territory 'lyon'", ),
    ("lat = 43.6045", "outside Toulouse"),
    ('languages = ["fr", "ar", "uk"]', "'languages' must be a non-empty list"),
    ("idle_seconds = 60", "'idle_seconds' must be between 2 and 3600"),
    ("idle_seconds = 60", "unknown setting(s): idle"),
])
def test_an_unusable_profile_is_refused_at_start_with_its_reason(tmp_path, change, reason):
    broken = {"unknown territory 'lyon'": 'territory = "lyon"', "outside Toulouse": "lat = 48.85",
              "'languages' must be a non-empty list": 'languages = ["fr", "klingon"]',
              "'idle_seconds' must be between 2 and 3600": "idle_seconds = 0",
              "unknown setting(s): idle": "idle = 60"}[reason]
    with pytest.raises(KioskError, match=re.escape(reason)):
        make(tmp_path, GOOD.replace(change, broken), KIOSK="capitole")


def test_a_missing_profile_and_an_unreadable_file_are_refused(tmp_path):
    with pytest.raises(KioskError, match="no kiosk profile 'mairie'"):
        make(tmp_path, KIOSK="mairie")
    with pytest.raises(KioskError, match="cannot be read"):
        make(tmp_path, "[capitole\n", KIOSK="capitole")


def test_refused_at_start_by_the_real_command(tmp_path):
    (tmp_path / "kiosks.toml").write_text(GOOD.replace("lat = 43.6045", "lat = 48.85"))
    run = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "kiosk", "check"],
                         cwd=ROOT, capture_output=True, text=True,
                         env={"PRESDICI_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1 and "refused  capitole: lat/lon 48.85" in run.stdout


def test_the_kiosk_answers_from_its_place_without_any_url_carrying_it(tmp_path):
    client = make(tmp_path, KIOSK="capitole").test_client()
    assert client.get("/").headers["Location"].endswith("/kiosque")
    assert client.get("/paris/frais").headers["Location"].endswith("/kiosque")
    page = client.get("/toulouse/jeter?flux=glass")
    html = page.data.decode()
    assert "Près de « Capitole de Toulouse, hall d&#39;accueil »" in html
    assert "43.6045" not in html and "1.444" not in html and "1.4440" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["class"] == ["kiosk"] and not soup.select('script[src*="htmx"]')
    assert soup.select_one(".kiosk-qr svg") is not None and soup.select_one("h4.near")


def test_the_phone_address_holds_the_task_and_destination_never_what_was_typed(tmp_path):
    app = make(tmp_path, KIOSK="capitole", KIOSK_PUBLIC_URL="https://presdici.example.fr")
    from webapp.kiosk.phone import phone_url
    with app.test_request_context("/toulouse/jeter?objet=bouteille+de+vin&q=rue+secrete"):
        from webapp.catalog import catalog
        from webapp.tasks.origin import resolve_origin
        from webapp.tasks.recycle import drop_off
        from webapp import sorting
        from webapp.sorting.answer import read_answer
        from flask import request
        data = catalog().get("toulouse")
        answer = read_answer(sorting.guide(), request.args)
        lookup = resolve_origin(data, {})
        drop = drop_off(data, answer.stream, answer.item, lookup.origin, 5)
        url = phone_url({"answer": answer, "drop": drop})
    first = drop.results[0].place
    assert url == (f"https://presdici.example.fr/toulouse/jeter?choix={answer.item.id}"
                   f"&lat={first.lat:.4f}&lon={first.lon:.4f}")
    assert "bouteille" not in url.split("choix=")[0] and "secrete" not in url


def test_signed_url_makes_a_kiosk_that_the_screen_cannot_change(tmp_path):
    app = make(tmp_path, SECRET_KEY="test-secret")
    client = app.test_client()
    assert client.get("/kiosque").headers["Location"] == "/"       # not a kiosk yet
    with app.app_context():
        token = signed_url_token("capitole")
    assert client.get(f"/kiosque/s/{token[:-2]}xx").status_code == 404
    assert client.get("/kiosque/s/" + token).status_code == 302
    assert client.get("/kiosque").status_code == 200
    assert client.get("/langue/es?suite=/kiosque").status_code == 404    # not offered here
    chosen = client.get("/langue/ar?suite=/kiosque")
    cookie = chosen.headers["Set-Cookie"]
    assert "lang=ar" in cookie and "Max-Age" not in cookie and "Expires" not in cookie
    ended = client.get("/kiosque/terminer")
    deleted = ended.headers.getlist("Set-Cookie")
    assert any(c.startswith("lang=;") for c in deleted)
    assert not any(c.startswith("kiosque=") for c in deleted)
    assert BeautifulSoup(client.get("/kiosque").data, "html.parser").html["lang"] == "fr"


def test_a_signed_url_needs_the_secret(tmp_path):
    app = make(tmp_path)
    with app.app_context(), pytest.raises(KioskError, match="PRESDICI_SECRET_KEY"):
        signed_url_token("capitole")


def test_no_kiosk_no_change(client):
    page = BeautifulSoup(client.get("/toulouse/jeter?flux=glass").data, "html.parser")
    assert not page.html.get("class") and page.select('script[src*="htmx"]')
    assert not page.select(".kiosk-qr") and client.get("/kiosque").headers["Location"] == "/"
    assert not page.select("h4.near")     # no origin until the visitor gives one
