"""« Se déplacer »: a mobility plan for social workers, built from a profile sent only by POST."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_babel import force_locale, gettext as _

from ...catalog import catalog
from ...clock import now
from ...rendering import render
from ...transit import missing_feed, timetable_for
from . import lines, plan, profile as profiles, reach, text
from .adding import add_place
from .share import qr_svg, share_url

bp = Blueprint("mobility", __name__)
bp.add_app_template_global(plan.hhmm, "hhmm")
bp.add_app_template_global(plan.late_clock, "late_clock")
bp.add_app_template_filter(plan.long_day, "long_day")


@bp.after_request
def no_store(response):
    """A plan holds where someone lives: no cache, shared or private, may keep any answer."""
    if request.endpoint != "mobility.lines_css":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<territory>/deplacements")
def index(territory: str):
    """The empty plan: add a home and known places (the form POSTs back here)."""
    data = catalog().get(territory) or abort(404)
    return page(data, profiles.Profile(), [], request.form)


@bp.post("/<territory>/deplacements")
def submit(territory: str):
    """Read the profile from the body, apply the action, answer with the plan."""
    data = catalog().get(territory) or abort(404)
    form, bbox = request.form, data.territory.bbox
    if form.get("partage"):
        try:
            person, errors = profiles.decode(form["partage"], bbox), []
        except profiles.ProfileError as exc:
            person, errors = profiles.Profile(), [str(exc)]
    else:
        person, errors = profiles.read_profile(form, bbox)
    action = form.get("action", "plan")
    adding = None
    if action.startswith("retirer-") and action[8:].isdigit():
        gone = int(action[8:])
        person.places = [k for i, k in enumerate(person.places) if i != gone]
    elif action == "ajouter":
        adding = add_place(data, person, form)      # its errors are shown beside its fields
    language = form.get("langue")
    if language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            return page(data, person, errors, form, adding)
    return page(data, person, errors, form, adding)


def page(data, person, errors, form, adding=None):
    """Render the page for a profile (the plan itself once there is a place)."""
    tt = timetable_for(data.territory.id)
    when = plan.choose_when(tt, form, now())
    origin_index = form.get("depuis", "0")
    origin_index = int(origin_index) if origin_index.isdigit() else 0
    origin = person.places[origin_index] if origin_index < len(person.places) else (
        person.places[0] if person.places else None)
    horizon = int(form.get("duree", "45")) if form.get("duree") in ("30", "45", "60") else 45
    known_trips, services, named = (reach.reachable(data, tt, origin, when, person, horizon)
                                    if origin else ([], [], []))
    link = share_url(data.territory.id, person) if person.places else None
    adding_errors = [profiles.message(e) for e in adding.errors] if adding else []
    status = 400 if (errors or adding_errors) and not person.places else 200
    return render(
        "mobility/index.html", status=status, data=data, tt=tt,
        missing=missing_feed(data.territory.id) if tt is None else None, person=person,
        errors=[profiles.message(e) for e in dict.fromkeys(errors)], adding=adding,
        adding_errors=adding_errors, when=when,
        day_notes=[str(plan.DAY_MESSAGES[n]) for n in when.notes],
        rows=plan.place_rows(tt, person, when), origin=origin, horizon=horizon,
        known_trips=known_trips, services=reach.bands(services, horizon), named=reach.bands(named, horizon),
        totals=(len(services), len(named)),
        link=link, qr=qr_svg(link, _("Code QR du lien vers ce plan")) if link else None, encoded=profiles.encode(person),
        line_class=lines.css_class, form=form, modes=profiles.MODES, paces=profiles.PACES, text=text)


@bp.get("/<territory>/deplacements/lignes.css")
def lines_css(territory: str):
    """Each line's colours as classes (the CSP forbids inline styles); public, cacheable."""
    data = catalog().get(territory) or abort(404)
    body = lines.stylesheet(timetable_for(data.territory.id))
    return body, 200, {"Content-Type": "text/css; charset=utf-8",
                       "Cache-Control": "public, max-age=3600"}
