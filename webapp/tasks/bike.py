"""« Garer mon vélo »: the nearest bike parkings, then bike services nearby."""
from __future__ import annotations

from flask import Blueprint, abort, current_app

from ..catalog import catalog
from ..rendering import render
from .origin import locate
from .results import has_category, nearest

bp = Blueprint("bike", __name__)
SIDE_CATEGORIES = ("bike_share", "bike_rental", "bike_service")


@bp.route("/<territory>/velo", methods=["GET", "POST"])
def index(territory: str):
    """The page, or its results block for htmx; the picker POSTs here (see rendering.values)."""
    data = catalog().get(territory) or abort(404)
    _args, lookup, push, moved = locate(data, "bike.index", territory)
    if moved is not None:
        return moved
    index_ = data.index("bike")
    states = data.states_for("bike")
    parkings = nearest(index_, lookup.origin, current_app.config["RESULTS"], {"bike_parking"})
    side = {c: nearest(index_, lookup.origin, 3, {c}) for c in SIDE_CATEGORIES
            if has_category(states, c)}
    broken = data.unreadable("bike")
    return render("bike/index.html", status=lookup.status, push=push, data=data, lookup=lookup,
                  results=parkings, side=side, states=states, broken=broken,
                  has_parking=has_category(states, "bike_parking"),
                  parking_unreadable=bool(data.unreadable("bike", {"bike_parking"})))
