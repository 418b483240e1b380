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
# ADEME writes for its own page: a map of repairers and drop-off points below the advice, a video,
# an "En savoir plus" tab, a repair-bonus pictogram (an image the sanitiser removes, leaving
# « le symbole . »). None of them is on our page: point to ADEME's map, drop the rest.
REWRITES = [
    (re.compile(r"\s*Ceux proposant le Bonus Réparation sont signalés avec le symbole\s*[^.<]*\.?"), ""),
    (re.compile(r"\s*Pour en savoir plus, consultez la rubrique \"En savoir plus\" ou regardez "
                r"la vidéo ci-dessous\."), ""),
    (re.compile(r"(?:la )?rubrique \"En savoir plus\"(?: ci-dessous)?"), "la fiche de l'ADEME"),
    (re.compile(r"\(voir \"(?:<b>)?En savoir plus(?:</b>)?\" ci-dessous\)"), "(voir la fiche de l'ADEME)"),
    (re.compile(r"\((?:voir )?(?:la )?carte ci-dessous\)"), "(voir la carte de l'ADEME)"),
    (re.compile(r"(de|sur) la carte ci-dessous"), r"\1 la carte de l'ADEME"),
]
MAP_MENTION = "carte de l'ADEME"


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
    html = nh3.clean(_NEWLINES.sub("<br>", _rewrite(raw)), tags=TAGS, attributes=ATTRIBUTES,
                     url_schemes={"https"}, link_rel="noopener noreferrer",
                     attribute_filter=_keep_https, strip_comments=True)
    html = _BREAKS.sub("<br><br>", html)
    return Markup(_EDGE_BREAKS.sub("", html).strip())


def _rewrite(raw: str) -> str:
    """ADEME's references to parts of its own page, made true on ours (see REWRITES)."""
    for pattern, replacement in REWRITES:
        raw = pattern.sub(replacement, raw)
    return raw


@lru_cache(maxsize=4096)
def plain(raw: str | None) -> str:
    """The advice as plain text (for search snippets and classification)."""
    text = htmllib.unescape(nh3.clean(raw or "", tags=set()))
    return re.sub(r"\s+", " ", text).strip()
