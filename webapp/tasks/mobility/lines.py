"""Line badges in the feed's colours, through a stylesheet of classes (no inline style: CSP)."""
from __future__ import annotations

import hashlib
import re

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def css_class(route) -> str:
    """A class name stable across feeds and workers for one route id."""
    return "ln-" + hashlib.sha1(route.id.encode()).hexdigest()[:10]


def stylesheet(tt) -> str:
    """`.ln-… { background, colour }` for every route; colours are checked before use."""
    if tt is None:
        return "/* no timetable for this territory */\n"
    rules = []
    for route in tt.routes:
        if _COLOUR.fullmatch(route.color or "") and _COLOUR.fullmatch(route.text_color or ""):
            rules.append(f".{css_class(route)}{{background:{route.color};"
                         f"color:{route.text_color};border-color:{route.text_color}}}")
    return "\n".join(rules) + "\n"
