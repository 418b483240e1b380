"""Focus after an htmx swap (WCAG 2.4.3): never lost to <body>, never stolen from the search box."""
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import phone_context, watch_console

pytestmark = pytest.mark.browser
DESCRIBE = """() => { const e = document.activeElement;
  return e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "")
             + " " + (e.textContent || "").trim().slice(0, 40) : null; }"""
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def focus_on(page, selector, timeout=5000):
    """Whether focus lands on selector (waiting for the swap to settle); else where it is."""
    try:
        page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)",
                               arg=selector, timeout=timeout)
        return True
    except PlaywrightTimeout:
        return page.evaluate(DESCRIBE)


def settle(page, selector):
    """Wait until selector is in the page and htmx has finished swapping and settling."""
    page.wait_for_selector(selector)
    page.wait_for_function(SETTLED)


def test_choosing_a_place_by_click_moves_focus_to_the_results_heading(browser, server):
    context = phone_context(browser)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/grenoble/velo?q=gare")
    page.click("#results ul.choices a >> nth=0")
    page.wait_for_selector("#results h2.near")
    assert focus_on(page, "#results h2.near") is True
    # The heading takes focus from script only: it is not added to the tab order.
    assert page.get_attribute("#results h2.near", "tabindex") == "-1"
    page.keyboard.press("Tab")               # the next Tab reaches the first result, not the footer
    assert page.evaluate("() => !!document.activeElement.closest('#results li.place')"), \
        page.evaluate(DESCRIBE)
    assert problems == []
    context.close()


def test_choosing_a_place_by_keyboard_moves_focus_to_the_results_heading(browser, server):
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/grenoble/velo?q=gare")
    page.focus("#results ul.choices a >> nth=1")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results h2.near")
    assert focus_on(page, "#results h2.near") is True
    context.close()


def test_choosing_an_item_moves_focus_to_its_card_title(browser, server):
    context = phone_context(browser)
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{server.url}/toulouse/jeter")
    page.click("#results ul.items a >> nth=0")
    page.wait_for_selector("#results article.answer")
    assert focus_on(page, "#results h2#answer-title") is True
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#results')"), \
        page.evaluate(DESCRIBE)
    assert problems == []
    context.close()


def test_place_chosen_inside_the_answer_card_focuses_where_to_drop_it(browser, server):
    """The drop-off picker lives inside #results: after its swap focus goes to the drop-off
    section it was in, not to the top of the card nor to the re-rendered search box below."""
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/toulouse/jeter?objet=bouteille+de+vin")
    page.fill("#lieu-q", "saint")
    page.press("#lieu-q", "Enter")
    page.wait_for_selector("#results #dropoff ul.choices a")
    assert focus_on(page, "#results #dropoff h3#dropoff-title") is True
    page.keyboard.press("Tab")                          # next: the first place offered
    assert page.evaluate("() => !!document.activeElement.closest('#dropoff ul.choices')"), \
        page.evaluate(DESCRIBE)
    page.keyboard.press("Enter")
    page.wait_for_selector("#results #dropoff h4.near")
    assert focus_on(page, "#results #dropoff h3#dropoff-title") is True
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#dropoff li.place')"), \
        page.evaluate(DESCRIBE)
    context.close()


@pytest.mark.parametrize("path, box, words, answer", [
    ("/toulouse/jeter", "#objet", "bouteille de vin", "#results article.answer[data-stream=glass]"),
    ("/grenoble/velo", "#q", "gare", "#results ul.choices a"),
])
def test_search_as_you_type_keeps_focus_in_its_box(browser, server, path, box, words, answer):
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{server.url}{path}")
    page.click(box)
    page.keyboard.type(words, delay=40)
    settle(page, answer)
    assert focus_on(page, box, timeout=1000) is True
    page.keyboard.type(" x", delay=40)                 # still typing where the visitor was
    assert page.input_value(box) == words + " x"
    context.close()
