"""One URL, two renderings: the full page, or for htmx only its `results` block."""
from __future__ import annotations

from flask import make_response, render_template, request
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


def render(template: str, status: int = 200, block: str = "results", push: str | None = None,
           **context):
    """Render the page or its fragment, and say that the answer varies on HX-Request.

    A fragment starts with the page's <title> (htmx sets it) and, when push is given, puts
    that address in the bar (pushed, or replaced while the visitor is typing: see app.js), so
    Back, reload, bookmarks and sharing follow the answer."""
    if wants_fragment():
        title = render_block(template, "title", **context).strip()
        body = f"<title>{title} · Près d'ici</title>\n" + render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if wants_fragment() and push and status < 400:
        live = request.headers.get("X-Live-Search") == "1"
        response.headers["HX-Replace-Url" if live else "HX-Push-Url"] = push
    return response
