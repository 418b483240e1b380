"""Pages that are not tasks: home, a territory's tasks, the data sources, the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from . import coverage
from .catalog import catalog
from .languages import LANG_COOKIE
from .kiosk import current as current_kiosk, offered_languages

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """Choose a city (a kiosk goes straight to its own)."""
    pinned = current_app.config.get("DEFAULT_TERRITORY")
    if pinned and catalog().get(pinned):
        return redirect(url_for("pages.territory", territory=pinned))
    return render_template("home/index.html", territories=catalog().all())


@bp.get("/<territory>/")
def territory(territory: str):
    """The everyday questions we can answer in one city."""
    data = catalog().get(territory) or abort(404)
    return render_template("home/territory.html", data=data)


@bp.get("/donnees")
def sources():
    """Every dataset used, per territory and national, with count, freshness, licence and link."""
    territories = catalog().all()
    return render_template("data/index.html", territories=territories, coverage=coverage,
                           matrix=coverage.matrix(territories),
                           guide=current_app.extensions.get("presdici.sorting"))


@bp.get("/sante")
def health():
    """Liveness for monitoring, and the empty baseline of the HTTP benchmark."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/langue/<code>")
def language(code: str):
    """Remember a language choice, then go back where the visitor was (same site only)."""
    if code not in offered_languages():
        abort(404)
    target = request.args.get("suite", "/")
    # Same-site paths only: no scheme or host, no "//" or "/\\" (browsers read both as a host),
    # no control characters (a CR/LF cannot go into a Location header), nothing absurdly long.
    unsafe = (len(target) > 2000 or not target.startswith("/") or target[1:2] in ("/", "\\")
              or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target))
    if unsafe or urlsplit(target).netloc:
        target = "/"
    response = redirect(target)
    # On a kiosk the choice lasts until « Terminer » or the idle reset (which clear it, from
    # script too, hence not httponly there); elsewhere a year.
    kiosk = current_kiosk() is not None
    response.set_cookie(LANG_COOKIE, code, max_age=None if kiosk else 365 * 86400, samesite="Lax",
                        httponly=not kiosk, secure=request.is_secure)
    return response
