"""Every language in Debian's Chromium: Arabic right to left at 360 px, axe-core on every task
page in every language (the screenshots land in the test's folder to be looked at)."""
import pytest

from tests.conftest import axe_violations, phone_context, run_axe
from webapp.languages import LANGUAGES

pytestmark = pytest.mark.browser

TASK_PAGES = [
    "/", "/grenoble/", "/grenoble/velo?lat=45.1909&lon=5.7269",
    "/toulouse/jeter?objet=bouteille+de+vin&lat=43.6045&lon=1.4440", "/toulouse/jeter?flux=glass",
    "/paris/frais?lat=48.8566&lon=2.3522", "/grenoble/deplacements", "/donnees",
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", TASK_PAGES)
def test_axe_core_in_every_language(browser, server, lang, path):
    assert axe_violations(browser, server.url + path, locale=lang,
                          extra_http_headers={"Accept-Language": lang}) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_core_on_a_mobility_plan_in_every_language(browser, server, lang):
    """The plan is answered to a POST (nothing of it in a URL): fill the form as a person does."""
    context = phone_context(browser, locale=lang, bypass_csp=True,
                            extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(server.url + "/grenoble/deplacements")
    for label, where in (("Chez moi", "Victor Hugo"), ("Médecin", "Chavant")):
        page.fill("#ajout-nom", label)
        page.fill("#ajout-endroit", where)
        with page.expect_navigation():
            page.click("button[name=action][value=ajouter]")
    assert page.locator("article.known").count() == 2
    assert page.locator("li.stop time").count() > 0          # departures are shown
    assert run_axe(page) == []
    context.close()


@pytest.mark.parametrize("path", TASK_PAGES)
def test_arabic_pages_run_right_to_left_at_360px(browser, server, path, tmp_path):
    context = phone_context(browser, locale="ar", extra_http_headers={"Accept-Language": "ar"})
    page = context.new_page()
    page.goto(server.url + path)
    assert page.evaluate("[document.documentElement.dir, getComputedStyle(document.body).direction]") \
        == ["rtl", "rtl"]
    # Text starts on the right: the main heading's right edge sits at the right padding.
    heading = page.locator("main h1").bounding_box()
    assert heading["x"] + heading["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    name = path.split("?")[0].strip("/").replace("/", "_") or "home"
    page.screenshot(path=str(tmp_path / f"{name}-ar.png"), full_page=True)
    context.close()
