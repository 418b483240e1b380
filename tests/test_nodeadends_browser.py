"""Issue 10 journeys in Debian's Chromium against real gunicorn: generic words ask while typing,
the address and title follow the answer, Back returns to it, offline item search, the city page's
empty tasks, the short status screen readers hear."""
import pytest

from conftest import phone_context, run_axe, watch_console
from test_offline_browser import controlled, keep_city

pytestmark = pytest.mark.browser
GRENETTE = (45.1909, 5.7269)
# Every answer card shown while typing, in order (#results is replaced at each keystroke).
WATCH_CARDS = """() => {
  window.cardsSeen = [];
  new MutationObserver(() => {
    const card = document.querySelector('#results article.answer');
    if (card) window.cardsSeen.push(card.dataset.item);
  }).observe(document.querySelector('#results'), {childList: true, subtree: true});
}"""


def settle(page):
    """Wait until htmx has no request in flight (as you type, requests follow each other)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


@pytest.mark.parametrize("word", ["pot", "bouteille", "huile"])
def test_generic_words_ask_which_object_as_you_type(browser, server, word):
    page = phone_context(browser).new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/grenoble/jeter")
    page.evaluate(WATCH_CARDS)
    page.type("#objet", word, delay=60)
    page.wait_for_function("() => document.querySelector('#results h2')?.textContent === 'Quel objet ?'")
    settle(page)
    offered = page.locator("#results ul.items a")
    assert 2 <= offered.count() <= 6
    assert page.evaluate("window.cardsSeen") == [], "a confident answer while typing a generic word"
    # The status line is written after htmx settles the swap (static/js/app.js), a moment later.
    page.wait_for_function("() => document.querySelector('#announce').textContent.startsWith('Quel objet ?')")
    assert problems == [], problems
    page.context.close()


def test_typing_bouteille_de_vin_never_shows_the_plastic_bottle(browser, server):
    page = phone_context(browser).new_page()
    page.goto(f"{server.url}/grenoble/jeter")
    page.evaluate(WATCH_CARDS)
    # As people type: a pause after each word, long enough for the search-as-you-type to answer.
    for chunk in ("bouteille", " de", " v", "in"):
        page.type("#objet", chunk, delay=40)
        page.wait_for_timeout(400)
        settle(page)
    page.wait_for_selector("#results article.answer[data-stream=glass]")
    settle(page)
    seen = set(page.evaluate("window.cardsSeen"))
    assert seen == {"bouteille-en-verre-biere-cidre-eau-lait-jus-vin"}, seen
    page.context.close()


def test_address_and_title_follow_the_answer_and_back_returns_to_it(browser, server):
    page = phone_context(browser).new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/grenoble/jeter")
    page.fill("#objet", "piles")
    page.press("#objet", "Enter")
    page.wait_for_selector("#results article.answer[data-item=pile-jetable]")
    settle(page)
    assert page.url == f"{server.url}/grenoble/jeter?choix=pile-jetable"
    assert page.title().startswith("Pile jetable – Où jeter ?")
    page.click("#results .others a:has-text('Pile rechargeable')")
    page.wait_for_selector("#results article.answer[data-item=pile-rechargeable]")
    assert page.url == f"{server.url}/grenoble/jeter?choix=pile-rechargeable"
    assert page.title().startswith("Pile rechargeable")
    page.go_back()
    page.wait_for_selector("#results article.answer[data-item=pile-jetable]")
    assert page.url.endswith("?choix=pile-jetable") and page.title().startswith("Pile jetable")
    page.reload()                                             # a shared or bookmarked link
    assert page.get_attribute("article.answer", "data-item") == "pile-jetable"
    assert problems == [], problems
    page.context.close()


def test_a_named_place_is_in_the_address_a_position_never(browser, server):
    page = phone_context(browser, geolocation=GRENETTE).new_page()
    page.goto(f"{server.url}/grenoble/velo")
    page.fill("#q", "Gare de Grenoble")
    page.press("#q", "Enter")
    page.wait_for_selector("#results li.place")
    settle(page)
    assert "/grenoble/velo?lieu=" in page.url and "Gare" not in page.url
    assert page.title().startswith("Garer mon vélo près de « Gare de Grenoble »")
    named = page.url
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_function("() => document.title.includes('votre position')")
    settle(page)
    assert page.url == named and "lat" not in page.url        # the position stays out
    page.go_back()
    assert "lat" not in page.url
    page.context.close()


def test_status_is_announced_not_the_whole_list(browser, server):
    page = phone_context(browser, geolocation=GRENETTE).new_page()
    page.goto(f"{server.url}/grenoble/velo")
    assert page.get_attribute("#results", "aria-live") is None
    assert page.get_attribute("#announce", "role") == "status"
    page.get_by_role("button", name="Utiliser ma position").click()
    page.wait_for_selector("#results li.place")
    page.wait_for_function("() => document.querySelector('#announce').textContent !== ''")
    assert page.inner_text("#announce") == "5 stationnements vélo près de votre position"
    page.context.close()


def test_city_page_marks_tasks_without_data(browser, server):
    context = phone_context(browser, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}/paris/")
    # Paris publishes no timetable we hold; its cool places and (OSM) bike parking are there.
    moving = page.locator("a.tile", has_text="Se déplacer")
    assert "pas encore de données ici" in moving.inner_text()
    assert "pas encore" not in page.locator("a.tile", has_text="Au frais").inner_text()
    assert "pas encore" not in page.locator("a.tile", has_text="Garer mon vélo").inner_text()
    assert moving.bounding_box()["height"] >= 44
    assert run_axe(page) == []
    context.close()


def test_offline_typing_an_item_leads_to_its_stream_page(browser, server):
    """Toulouse kept, network off: typing an item lists it with its stream, and its link opens
    the stream page kept with the city; a shared ?objet= link opened offline is looked up too."""
    context = phone_context(browser)
    page = context.new_page()
    problems = watch_console(page)
    controlled(page, f"{server.url}/toulouse/")
    keep_city(page)
    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.goto(f"{server.url}/toulouse/jeter")
    page.type("#objet", "bouteille de vin", delay=30)
    link = page.locator("#results .offline-items a").first
    link.wait_for()
    assert link.inner_text().startswith("Bouteille en verre")
    assert "Verre" in page.locator("#results .offline-items li").first.inner_text()
    link.click()
    page.wait_for_selector("article.answer[data-stream=glass]")
    assert page.url.endswith("/toulouse/jeter?flux=glass")
    assert page.locator("form.locate[data-offline-categories]").count() == 1   # "near me" works here
    page.goto(f"{server.url}/toulouse/jeter?objet=piles")
    page.wait_for_selector("#results .offline-items a")
    assert page.input_value("#objet") == "piles"
    assert "Pile" in page.locator("#results .offline-items a").first.inner_text()
    assert problems == [] or all("net::" in p or "Failed to load" in p for p in problems), problems
    context.close()


def test_changed_pages_pass_axe(browser, server):
    context = phone_context(browser, geolocation=GRENETTE, bypass_csp=True)
    page = context.new_page()
    for path in ("/grenoble/jeter?objet=pot", "/toulouse/velo?q=esquirol",
                 "/paris/frais?lat=48.8566&lon=2.3522", "/grenoble/velo?lat=45.1909&lon=5.7269"):
        page.goto(server.url + path)
        assert run_axe(page) == [], path
    context.close()
