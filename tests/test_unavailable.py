"""A dataset the city publishes but we cannot read now is "unavailable", never "not published"."""
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

BROKEN = {  # territory: the datasets whose embedded copy goes missing (hand-made damage)
    "grenoble": ["arceaux-velo", "stationnement-cyclable-smmag", "parking-velo-gare-bnsc"],
    "toulouse": ["recup-verre"],
    "paris": ["fontaines-a-boire"],
}


@pytest.fixture(scope="module")
def broken_app(tmp_path_factory):
    """The app with some embedded files pointed at a file that does not exist."""
    from webapp import create_app
    root = tmp_path_factory.mktemp("unavailable")
    territories = root / "territories"
    territories.mkdir()
    for path in (ROOT / "territories").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        for dataset in BROKEN.get(path.stem, []):
            # The `embedded = "…"` line of this dataset's block points nowhere.
            block = re.search(rf'id = "{dataset}"(.*?)(?=\n\[\[|\Z)', text, re.S)
            fixed = re.sub(r'embedded = "[^"]+"', 'embedded = "gone/missing.csv"', block.group(0),
                           count=1)
            text = text.replace(block.group(0), fixed)
        (territories / path.name).write_text(text, encoding="utf-8")
    return create_app({"TESTING": True, "INSTANCE_PATH": str(root / "instance"),
                       "TERRITORIES_DIR": str(territories)})


@pytest.mark.parametrize("url", [
    "/grenoble/velo?lieu=zones-arrets:0",
    "/toulouse/jeter?flux=glass&lat=43.6045&lon=1.4440",
    "/paris/frais?lat=48.8566&lon=2.3522",
])
def test_unreadable_is_not_unpublished(broken_app, url):
    for headers in ({}, {"HX-Request": "true"}):
        response = broken_app.test_client().get(url, headers=headers)
        assert response.status_code == 200
        soup = BeautifulSoup(response.data, "html.parser")
        notice = soup.select_one(".notice.error")
        assert notice and "momentanément illisible" in notice.get_text(" "), url
        assert "ne publie pas encore" not in soup.get_text(" ")
        assert notice.select_one("a[href^='/donnees#']")


def test_the_rest_still_answers(broken_app):
    """Paris's cool places still come, next to a notice naming the fountains dataset."""
    from webapp.catalog import catalog
    with broken_app.app_context():
        title = catalog().get("paris").states["fontaines-a-boire"].dataset.title
    soup = BeautifulSoup(broken_app.test_client().get("/paris/frais?lat=48.8566&lon=2.3522").data,
                         "html.parser")
    categories = {li["data-category"] for li in soup.select("li.place")}
    assert categories and "fountain" not in categories
    assert title in soup.select_one(".notice.error").get_text(" ")
