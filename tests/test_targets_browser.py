"""Touch targets: every control standing on its own is at least 44 px high on a phone (links
inside a sentence are not targets of their own)."""
import pytest

from tests.conftest import phone_context

pytestmark = pytest.mark.browser

# Controls whose text is all their parent says (not a link inside a sentence), visible.
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')]
  .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden'))
  .filter(e => !['A'].includes(e.tagName)
               || e.parentElement.textContent.trim() === e.textContent.trim())
  // A checkbox's target is its whole label.
  .map(e => [e.tagName + ' ' + (e.textContent.trim() || e.name || e.type).slice(0, 40),
             Math.round((e.closest('label') || e).getBoundingClientRect().height)])
  .filter(([, h]) => h < 44)"""


@pytest.mark.parametrize("path", [
    "/", "/grenoble/", "/grenoble/velo", "/grenoble/velo?q=gare",
    "/grenoble/velo?lieu=zones-arrets:0", "/donnees", "/toulouse/jeter",
    "/toulouse/jeter?flux=glass", "/toulouse/jeter?objet=bouteille+de+vin&lat=43.6045&lon=1.4440",
    "/paris/frais", "/paris/frais?lat=48.8566&lon=2.3522", "/hors-ligne", "/clermont/velo?q=jaude",
])
def test_standalone_controls_are_44px_high(browser, server, path):
    context = phone_context(browser)
    page = context.new_page()
    page.goto(server.url + path)
    small = page.evaluate(SMALL_TARGETS)
    context.close()
    assert small == [], small
