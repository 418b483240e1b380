"""ADEME advice text as safe HTML: a small allow-list, links opened without referrer."""
from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

import nh3
from markupsafe import Markup

# Bold, line breaks, lists and links are all the advice needs; no attribute but href survives.
TAGS = {"b", "strong", "em", "i", "br", "p", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}}
_NEWLINES = re.compile(r"\r?\n")
_BREAKS = re.compile(r"<br>(?:\s*<br>){2,}")
_EDGE_BREAKS = re.compile(r"^(?:\s*<br>)+|(?:<br>\s*)+$")


def _keep_https(element: str, attribute: str, value: str) -> str | None:
    """Only absolute https links survive (ADEME has empty hrefs that would point at our page)."""
    if attribute == "href" and not value.startswith("https://"):
        return None
    return value


# Many synonyms share their product's advice: sanitise each distinct text once.
@lru_cache(maxsize=4096)
def clean(raw: str | None) -> Markup:
    """Sanitised advice HTML: portal text is never trusted, whatever it contains."""
    if not raw or not raw.strip():
        return Markup("")
    html = nh3.clean(_NEWLINES.sub("<br>", raw), tags=TAGS, attributes=ATTRIBUTES,
                     url_schemes={"https"}, link_rel="noopener noreferrer",
                     attribute_filter=_keep_https, strip_comments=True)
    html = _BREAKS.sub("<br><br>", html)
    return Markup(_EDGE_BREAKS.sub("", html).strip())


@lru_cache(maxsize=4096)
def plain(raw: str | None) -> str:
    """The advice as plain text (for search snippets and classification)."""
    text = htmllib.unescape(nh3.clean(raw or "", tags=set()))
    return re.sub(r"\s+", " ", text).strip()
