"""The place picker in Debian's Chromium against real gunicorn, JavaScript off and on: a typed
street stays out of the address bar; a public place becomes ?lieu=…, and Back works; a kiosk
answers the POST in the same history entry."""
from pathlib import Path

import pytest

from conftest import axe_violations, kiosk_gunicorn, phone_context, watch_console

pytestmark = pytest.mark.browser
SECRETS = ("rivoli", "lat=", "lon=", "q=", "adresses")
KIOSK_PROFILE = """
[toulouse-capitole]
territory = "toulouse"
place = "Capitole de Toulouse, hall d'accueil"
lat = 43.6045
lon = 1.444
languages = ["fr", "en"]
idle_seconds = 600
countdown_seconds = 30
"""


def clean(url: str) -> bool:
    """Whether an address holds nothing typed and no position."""
    return not any(s in url.lower() for s in SECRETS)


def near_is(page, text: str) -> None:
    """Wait until the answer is the one from `text`."""
    page.wait_for_function("t => (document.querySelector('#results .near') || {}).textContent"
                           "?.includes(t)", arg=text)


@pytest.mark.parametrize("javascript", [False, True])
def test_a_typed_address_stays_out_of_the_address_bar(browser, server, javascript):
    context = phone_context(browser, javascript=javascript)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/paris/frais")
    page.fill("#q", "41 rue de rivoli")
    page.press("#q", "Enter")
    near_is(page, "41 Rue de Rivoli")
    assert page.url == f"{server.url}/paris/frais" and clean(page.url)
    assert "pas de lien à partager" in page.inner_text("#results .private-note")
    hrefs = page.eval_on_selector_all("[href], [hx-get], [action]", "els => els.map(e => "
                                      "e.getAttribute('href') || e.getAttribute('hx-get') || "
                                      "e.getAttribute('action'))")
    assert [h for h in hrefs if not h.startswith(("geo:", "http")) and not clean(h)] == []
    # A street among choices is a button that posts: picking one keeps the bar clean too.
    page.fill("#q", "rue de rivolli")
    page.press("#q", "Enter")
    page.locator("#results ul.choices button", has_text="Rue de Rivoli").first.click()
    page.wait_for_selector("#results ul.choices", state="detached")
    assert page.inner_text("#results h2.near") == "Près de « Rue de Rivoli »"
    assert clean(page.url)
    assert problems == []
    context.close()
    log = Path(server.log).read_text().lower()
    assert "rivol" not in log


@pytest.mark.parametrize("javascript", [False, True])
def test_a_stop_becomes_its_shareable_address_and_back_works(browser, server, javascript):
    context = phone_context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(f"{server.url}/grenoble/velo")
    page.fill("#q", "Chavant")
    page.press("#q", "Enter")
    page.wait_for_url("**/grenoble/velo?lieu=*")
    near_is(page, "Chavant")
    assert "Chavant" not in page.url and "q=" not in page.url
    shared = page.url
    page.reload()                                  # the address alone brings the answer back
    near_is(page, "Chavant")
    page.go_back()
    page.wait_for_url(f"{server.url}/grenoble/velo")
    page.go_forward()
    page.wait_for_url(shared)
    near_is(page, "Chavant")
    context.close()


def test_the_position_button_posts_and_pushes_nothing(browser, server):
    context = phone_context(browser, geolocation=(45.1909, 5.7269))
    page = context.new_page()
    posted = []
    page.on("request", lambda r: r.method == "POST" and posted.append(r))
    page.goto(f"{server.url}/grenoble/velo")
    page.get_by_role("button", name="Utiliser ma position").click()
    near_is(page, "votre position")
    assert page.url == f"{server.url}/grenoble/velo"
    assert len(posted) == 1 and "lat=45.1909" in posted[0].post_data
    assert posted[0].url == f"{server.url}/grenoble/velo"
    assert page.eval_on_selector("input[name=lat]", "e => e.value") == ""
    context.close()


@pytest.mark.parametrize("path", ["/paris/frais?q=bastille", "/paris/velo?q=41+rue+de+rivoli",
                                  "/perigueux/jeter?flux=glass&q=abadie"])
def test_street_choices_and_the_no_link_line_pass_axe(browser, server, path):
    """(Old ?q= links to streets answer like the POST: buttons among the choices, the line.)"""
    assert axe_violations(browser, server.url + path) == []


@pytest.fixture(scope="module")
def kiosk_server(tmp_path_factory):
    """gunicorn pinned to a Toulouse kiosk profile."""
    server = kiosk_gunicorn(tmp_path_factory.mktemp("picker-kiosk"), KIOSK_PROFILE)
    yield server
    server.stop()


def test_a_kiosk_answers_the_post_in_one_history_entry(browser, kiosk_server):
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True,
                                  locale="fr-FR")
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{kiosk_server.url}/toulouse/velo")
    start = page.evaluate("history.length")
    page.fill("#q", "zzzzqqq")                     # no such place: answered where it stands
    page.press("#q", "Enter")
    page.wait_for_selector("#results [role=alert]")
    assert page.url == f"{kiosk_server.url}/toulouse/velo"
    assert page.locator("main .keypad").count() == 1          # set up again on the new answer
    page.fill("#q", "Esquirol")                    # a public place: its address, replaced
    page.press("#q", "Enter")
    page.wait_for_url("**/toulouse/velo?lieu=*")
    assert page.evaluate("history.length") == start
    assert problems == []
    context.close()
