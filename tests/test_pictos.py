"""Pictograms are vendored SVG (Lucide, ISC), never emoji: Debian's Chromium has no emoji font."""
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from webapp import pictos
from webapp.sorting.taxonomy import STREAMS
from webapp.tasks import cool_labels
from webapp.tasks import TASK_PAGES

EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")


def test_no_template_prints_an_emoji():
    found = {str(p.relative_to(ROOT)): EMOJI.findall(p.read_text(encoding="utf-8"))
             for p in (ROOT / "templates").rglob("*.html")}
    assert {path: chars for path, chars in found.items() if chars} == {}


def test_every_pictogram_of_the_label_tables_is_a_vendored_icon():
    names = [picto for _t, _e, picto in TASK_PAGES] + [s.picto for s in STREAMS.values()]
    names += [picto for picto, _label in cool_labels.KIND.values()] + [cool_labels.kind(None)[0]]
    missing = [n for n in names if not pictos.svg(n)]
    assert missing == []
    assert (ROOT / "static/vendor/lucide/LICENSE").read_text().startswith("ISC License")


def test_an_icon_is_decorative_svg_and_rtl_mirrors_directional_ones():
    bike = pictos.svg("bike")
    assert bike.startswith('<svg class="icon" aria-hidden="true" focusable="false"')
    assert "<circle" in bike and "style" not in bike          # strict CSP: no style attribute
    assert pictos.svg("🚲") == bike and pictos.svg("nope") == "" and pictos.svg("../x") == ""
    css = (ROOT / "static/css/app.css").read_text(encoding="utf-8")
    assert '[dir="rtl"] .icon.mirror { transform: scaleX(-1); }' in css


@pytest.mark.parametrize("path", ["/grenoble/", "/grenoble/velo?lat=45.1909&lon=5.7269",
                                  "/toulouse/jeter", "/toulouse/jeter?objet=bouteille+de+vin",
                                  "/paris/frais?lat=48.8566&lon=2.3522"])
def test_pages_show_svg_pictograms_with_text_beside(client, path):
    page = BeautifulSoup(client.get(path).data, "html.parser")
    icons = page.select("svg.icon")
    assert icons and not EMOJI.search(page.get_text())
    for icon in icons:
        holder = icon.parent.parent if "picto" in (icon.parent.get("class") or []) else icon.parent
        assert holder.get_text(strip=True), holder      # never a pictogram alone
