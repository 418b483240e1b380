"""Find user-facing text in templates that does not go through _(), gettext or ngettext.

A template is read twice: its HTML with every Jinja construct blanked (text nodes and the
alt/title/aria-label/placeholder attributes must then hold no letters), and its Jinja syntax tree
(a string literal printed as is, `{{ "Bonjour" }}` or `{{ x or "Bonjour" }}`, is text too).
ALLOWED lists what may stay as written, with the reason: names, not words to translate.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, nodes

# Names are the same in every language; each entry says why it may stay.
ALLOWED = {
    "Près d'ici",        # the brand
    "ADEME",             # the publisher's name (French state agency)
    "OpenStreetMap",     # a project's name
}
ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
LETTER = re.compile(r"[^\W\d_]")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
PRINTF = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[sdfe]")
TRANSLATING = {"_", "gettext", "ngettext", "_l", "lazy_gettext", "pgettext", "npgettext"}


class _Text(HTMLParser):
    """Collect text nodes and translatable attributes outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.found.append(data)


def _untranslated(text: str) -> bool:
    text = PRINTF.sub(" ", " ".join(text.split()))      # "%.6f"|format(lat) is not words
    for name in ALLOWED:
        text = text.replace(name, " ")
    return bool(LETTER.search(text))


def _printed_literals(tree) -> list[str]:
    """String literals that an {{ … }} prints as they are (not inside a translating call)."""
    out = []

    def walk(node, translated):
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) \
                and node.node.name in TRANSLATING:
            translated = True
        if isinstance(node, nodes.Call) and not translated:
            return     # url_for("static", …), macros: their arguments are not printed as such
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and not translated:
            out.append(node.value)
        for child in node.iter_child_nodes():
            if isinstance(node, nodes.CondExpr) and child is node.test:
                continue
            if isinstance(node, nodes.Filter) and child is not node.node:
                continue    # filter arguments ("%d"…) are not printed
            walk(child, translated)

    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData):
                walk(child, False)
    return out


def problems(path: Path) -> list[str]:
    """The untranslated texts of one template."""
    source = path.read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(JINJA.sub(" ", source))
    found = [t for t in parser.found if _untranslated(t)]
    env = Environment(extensions=["jinja2.ext.i18n"])
    found += [t for t in _printed_literals(env.parse(source)) if _untranslated(t)]
    return [" ".join(t.split()) for t in found]
