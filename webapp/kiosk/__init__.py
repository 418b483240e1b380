"""Kiosk mode: a shared touch screen pinned to a profile, where nothing of a visitor is kept."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from . import phone, profiles
from .profiles import KioskError, Profile
from .signing import COOKIE, profile_from_token

bp = Blueprint("kiosk", __name__)


def current() -> Profile | None:
    """This screen's kiosk profile: the server's PRESDICI_KIOSK, else a signed cookie, else None."""
    if "kiosk" not in g:
        chosen = current_app.config.get("KIOSK")
        g.kiosk = (current_app.extensions["presdici.kiosks"].get(chosen) if chosen
                   else profile_from_token(request.cookies.get(COOKIE)))
    return g.kiosk


def origin_for(territory_id: str) -> tuple[float, float, str] | None:
    """Where a kiosk's answers start from (its own place), used on the server only."""
    kiosk = current()
    if kiosk is None or kiosk.territory != territory_id:
        return None
    return kiosk.lat, kiosk.lon, kiosk.place


def offered_languages() -> list[str]:
    """The languages of the switcher: the kiosk's, or every language of the app."""
    kiosk = current()
    return list(kiosk.languages) if kiosk else list(current_app.config["LANGUAGES"])


@bp.get("/kiosque")
def attract():
    """The attract screen: the city's tasks, in the languages the kiosk offers."""
    kiosk = current()
    if kiosk is None:                 # an ordinary screen: the ordinary home page
        return redirect(url_for("pages.home"))
    data = current_app.extensions["presdici.catalog"].get(kiosk.territory) or abort(404)
    response = current_app.make_response(render_template("kiosk/attract.html", data=data))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/kiosque/s/<token>")
def enter(token: str):
    """A signed URL turns this screen into a kiosk (the profile cannot be changed from it)."""
    profile_from_token(token) or abort(404)
    response = redirect(url_for("kiosk.attract"))
    response.set_cookie(COOKIE, token, max_age=10 * 365 * 86400, httponly=True,
                        samesite="Strict", secure=request.is_secure)
    return response


@bp.get("/kiosque/terminer")
def finish():
    """« Terminer » and the idle reset end here: every cookie but the kiosk's own goes."""
    response = redirect(url_for("kiosk.attract" if current() else "pages.home"))
    for name in request.cookies if current() else ():
        if name != COOKIE:
            response.delete_cookie(name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _stay_in_the_kiosk_city():
    """A kiosk shows its own city only: "/" and other cities go back to the attract screen."""
    kiosk = current()
    if kiosk is None:
        return None
    territory = (request.view_args or {}).get("territory")
    if request.path == "/" or (territory and territory != kiosk.territory):
        return redirect(url_for("kiosk.attract"))
    return None


def init_app(app) -> None:
    """Load the profiles; refuse to start on an unusable PRESDICI_KIOSK, saying why."""
    path = Path(app.config.get("KIOSK_FILE") or Path(app.instance_path) / "kiosks.toml")
    usable, refused = profiles.load(path, app.extensions["presdici.catalog"])
    for profile_id, reason in refused.items():
        app.logger.warning("kiosk profile %r in %s is refused: %s", profile_id, path, reason)
    chosen = app.config.get("KIOSK")
    if chosen and chosen in refused:
        raise KioskError(f"kiosk profile {chosen!r} in {path} cannot be used: {refused[chosen]}")
    if chosen and chosen not in usable:
        raise KioskError(f"no kiosk profile {chosen!r} in {path}")
    app.extensions["presdici.kiosks"] = usable
    app.extensions["presdici.kiosks_refused"] = refused
    app.register_blueprint(bp)
    app.before_request(_stay_in_the_kiosk_city)
    app.context_processor(lambda: {"kiosk": current()})
    app.jinja_env.globals.update(offered_languages=offered_languages, kiosk_qr=phone.phone_qr)
    from .cli import kiosk_cli
    app.cli.add_command(kiosk_cli)
