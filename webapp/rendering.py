"""One URL, two renderings: the full page, or for htmx only its `results` block."""
from __future__ import annotations

from flask import current_app, has_request_context, make_response, render_template, request
from flask import url_for as flask_url_for
from flask_htmx import HTMX

from .lru import LRU

URLS = 1024        # addresses remembered per app
REMEMBERED = {"filename", "territory", "code", "suite"}
# flask-htmx reads htmx's request headers (HX-Request, HX-Boosted, HX-History-Restore-Request).
htmx = HTMX()


def init_app(app) -> None:
    """Register flask-htmx (it also offers `htmx` to templates), and a remembering url_for."""
    htmx.init_app(app)
    built = LRU(URLS)

    def url_for(endpoint: str, **values) -> str:
        """Flask's url_for, each address built once: a page asks for ~15 (static files,
        languages, city), ~25 µs each in Werkzeug's router, a whole empty route's worth.
        Relative addresses depend only on the script root and the arguments. Only arguments
        that name no one's whereabouts are remembered (a file, a city, a language, the page to
        come back to): a place chosen or an item searched is built afresh and forgotten."""
        if endpoint[:1] == "." or not has_request_context() or not values.keys() <= REMEMBERED:
            return flask_url_for(endpoint, **values)
        try:
            key = (request.script_root, endpoint, tuple(sorted(values.items())))
            url = built.get(key)
        except TypeError:
            return flask_url_for(endpoint, **values)
        if url is None:
            url = flask_url_for(endpoint, **values)
            built.put(key, url)
        return url
    app.jinja_env.globals["url_for"] = url_for


def values():
    """Where the picker's fields are: the POST body (forms), else the query string (links).

    These POSTs change no state (they only read a starting point, like a search), so they need
    no CSRF token; they are POSTs so that a typed address or a position stays out of URLs."""
    return request.form if request.method == "POST" else request.args


def wants_fragment() -> bool:
    """An htmx request that is neither boosted nor a history restore (those need the full page)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_blocks(name: str, blocks: tuple, context: dict) -> list[str]:
    """Some blocks of a template, as jinja2-fragments' render_block draws each, but from one
    template context: Flask's context processors run once, not once per block (issue 12)."""
    app = current_app._get_current_object()
    app.update_template_context(context)
    template = app.jinja_env.get_template(name)
    ctx = template.new_context(context)
    try:
        return [app.jinja_env.concat(template.blocks[b](ctx)) for b in blocks]
    except Exception:  # noqa: BLE001 - Jinja rewrites the traceback to point at the template
        app.jinja_env.handle_exception()


def render(template: str, status: int = 200, block: str = "results", push: str | None = None,
           **context):
    """Render the page or its fragment, and say that the answer varies on HX-Request.

    A fragment starts with the page's <title> (htmx sets it) and, when push is given, puts
    that address in the bar (pushed, or replaced while the visitor is typing: see app.js), so
    Back, reload, bookmarks and sharing follow the answer."""
    if wants_fragment():
        title, part = render_blocks(template, ("title", block), context)
        body = f"<title>{title.strip()} · Près d'ici</title>\n" + part
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if wants_fragment() and push and status < 400:
        live = request.headers.get("X-Live-Search") == "1"
        response.headers["HX-Replace-Url" if live else "HX-Push-Url"] = push
    return response
