"""A plan's places never reach gunicorn's log, the instance folder (caches, snapshots) or a URL."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from conftest import Gunicorn

# A point and words only this test uses: nothing else in the data or the code holds them.
LAT, LON = "45.1873", "5.7311"
LABEL = "Chez Quokkadelle"
TYPED = "Impasse Zanzibarette"


def leaks(folder: Path, log: Path, secrets: list[str]) -> list[str]:
    """Every (file, secret) where a secret appears, log included, bytes read as they are."""
    found = []
    for path in [log, *(p for p in folder.rglob("*") if p.is_file())]:
        raw = path.read_bytes()
        found += [f"{path}: {s}" for s in secrets if s.encode() in raw]
    return found


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """A gunicorn of our own, so its log and instance folder hold only this test's requests."""
    folder = tmp_path_factory.mktemp("mobility-privacy")
    server = Gunicorn(folder / "instance", folder / "server.log")
    server.folder = folder
    yield server
    server.stop()


def test_a_posted_plan_leaves_no_trace(private_server):
    url = f"{private_server.url}/grenoble/deplacements"
    with requests.Session() as http:
        home = http.post(url, data={"ajout-nom": LABEL, "ajout-lat": LAT, "ajout-lon": LON,
                                    "ajout-source": "position", "action": "ajouter"}, timeout=30)
        assert home.status_code == 200 and LABEL in home.text
        assert home.headers["Cache-Control"] == "no-store" and not http.cookies
        fields = {"lieu-0-nom": LABEL, "lieu-0-endroit": "Ma position", "lieu-0-lat": LAT,
                  "lieu-0-lon": LON}
        unknown = http.post(url, data={**fields, "ajout-nom": "Travail", "ajout-endroit": TYPED,
                                       "action": "ajouter"}, timeout=30)
        assert "Aucun lieu ne porte ce nom" in unknown.text
        plan = http.post(url, data={**fields, "ajout-endroit": "Chavant", "action": "ajouter",
                                    "jour": "2023-04-18", "heure": "08:00"}, timeout=30)
        assert plan.status_code == 200 and "section" in plan.text
        assert "#plan=" in plan.text
        bad = http.post(url, data={**fields, "lieu-1-lat": "nan", "lieu-1-lon": LON,
                                   "lieu-1-nom": LABEL}, timeout=30)
        assert bad.status_code == 200
        css = http.get(f"{url}/lignes.css", timeout=30)
        assert css.status_code == 200
    private_server.stop()               # flush and close the log before reading it
    log = private_server.log.read_text(encoding="utf-8")
    assert log.count("POST /grenoble/deplacements") == 4
    assert not leaks(private_server.folder / "instance", private_server.log,
                     [LAT, LON, LABEL, TYPED, "Quokka", "Zanzibar"])
