"""SVG pictograms (Lucide, vendored) instead of emoji, which Debian's Chromium shows as boxes."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

ICONS = Path(__file__).resolve().parent.parent / "static" / "vendor" / "lucide"
# Label tables (sorting streams, cool kinds) still name their pictogram by the emoji they used;
# each maps to an icon here, so one table is the truth for both.
EMOJI = {
    "🚲": "bike", "♻️": "recycle", "🌳": "trees", "⛪": "church", "🏢": "building-2",
    "📍": "map-pin", "📚": "library", "🏛️": "landmark", "🚰": "glass-water", "🌲": "tree-pine",
    "🌿": "leaf", "🧭": "compass", "🚿": "shower-head", "🏊": "waves", "💨": "wind",
    "⛱️": "umbrella", "☂️": "umbrella", "⚠️": "triangle-alert", "🗑️": "trash-2",
    "🤝": "handshake", "🛋️": "sofa", "☣️": "biohazard", "💊": "pill", "🔌": "plug",
    "🔋": "battery", "👕": "shirt", "🍂": "leaf", "📦": "package", "🍾": "wine", "🕒": "clock",
    "⛔": "ban", "🧴": "milk", "♿": "accessibility", "💶": "euro", "🆓": "badge-check",
    "❔": "circle-help", "🌡️": "thermometer-sun", "✅": "circle-check", "🗺️": "map",
    "🔒": "lock", "🚌": "bus", "🚻": "toilet", "🚼": "baby", "ℹ️": "info", "⚙️": "sliders-horizontal", "⏳": "hourglass",
    "🔐": "lock-keyhole", "🅿️": "square-parking", "👁️": "eye",
}
# Icons that point somewhere: mirrored in right-to-left pages (none of today's do).
DIRECTIONAL = {"arrow-right", "arrow-left", "chevron-right", "chevron-left", "log-out", "undo-2"}
_BODY = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)


@lru_cache(maxsize=None)
def svg(name: str) -> Markup:
    """The inline SVG of an icon (by Lucide name or by the emoji it replaces); decorative, since
    its text is always written beside it. An unknown name gives nothing rather than an error."""
    name = EMOJI.get(name, name)
    path = ICONS / f"{name}.svg"
    if "/" in name or not path.is_file():
        return Markup("")
    body = _BODY.search(path.read_text(encoding="utf-8")).group(1)
    body = re.sub(r">\s+<", "><", body.strip())
    mirror = " mirror" if name in DIRECTIONAL else ""
    return Markup(f'<svg class="icon{mirror}" aria-hidden="true" focusable="false" '
                  'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
                  f'stroke-linecap="round" stroke-linejoin="round">{body}</svg>')


def init_app(app) -> None:
    """`picto(name)` for every template: a plain function, not a macro (a Jinja macro call costs
    ~10 µs, and a results list draws dozens of pictograms; issue 12)."""
    app.jinja_env.globals["picto_svg"] = svg
    app.jinja_env.globals["picto"] = svg
