"""One URL, two renderings: the full page, or for htmx only its `results` block."""
from __future__ import annotations

from flask import make_response, render_template
from flask_htmx import HTMX
from jinja2_fragments.flask import render_block

# flask-htmx reads htmx's request headers (HX-Request, HX-Boosted, HX-History-Restore-Request).
htmx = HTMX()


def init_app(app) -> None:
    """Register flask-htmx (it also offers `htmx` to templates)."""
    htmx.init_app(app)


def wants_fragment() -> bool:
    """An htmx request that is neither boosted nor a history restore (those need the full page)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, status: int = 200, block: str = "results", **context):
    """Render the page or its fragment, and say that the answer varies on HX-Request."""
    if wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
