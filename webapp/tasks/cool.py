"""« Au frais »: the nearest cool spot open now, drinking water and toilets; heat-wave mode."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask import Blueprint, abort, current_app

from .. import heat_cli
from ..catalog import catalog
from ..heat import plan_for
from ..hours import of_place
from ..clock import now
from ..rendering import render
from ..translation import lazy_gettext as _l
from . import cool_cards, cool_labels, cool_text
from .cool_rows import (CATEGORIES, INDOOR, OUTDOOR, TOILETS, WATER, BadFilter, Context, Filters,
                        nearest_rows, read_filters, survey_of, water_rows)
from .origin import locate

bp = Blueprint("cool", __name__)
bp.record_once(lambda state: heat_cli.init_app(state.app))
bp.record_once(lambda state: cool_cards.init_app(state.app))
BAD_FILTER = _l("Ce filtre n'est pas reconnu : les résultats sont affichés sans filtre.")


@dataclass
class Section:
    """One list on the page: a title and its rows."""

    key: str
    categories: tuple
    rows: list = field(default_factory=list)

    @property
    def title(self) -> str:
        """The section's heading."""
        return str(cool_labels.SECTION[self.key])


def sections(index, origin, ctx: Context, heat_on: bool, k: int) -> list[Section]:
    """Cool spots, water, toilets; in a heat wave, indoor cool rooms first, then water."""
    day = ctx.at.date()

    def indoor(p):
        override = ctx.plan.override_for(p, day)
        return p.category in INDOOR or bool(override and override.kind == "cooled_room")
    water = Section("water", WATER, water_rows(index, origin, ctx, k))
    spots = INDOOR + OUTDOOR
    if not heat_on:
        lists = [Section("cool", spots, nearest_rows(index, origin, ctx, k, spots)), water]
    else:
        inside = nearest_rows(index, origin, ctx, k, spots, indoor)
        outside = nearest_rows(index, origin, ctx, k, spots, lambda p: not indoor(p))
        lists = [Section("indoor", INDOOR, inside), water, Section("outdoor", OUTDOOR, outside)]
    lists.append(Section("toilets", TOILETS, nearest_rows(index, origin, ctx, k, TOILETS)))
    return [s for s in lists if any(ctx.filters.wants(c) for c in s.categories)]


# Kinds of cool spot named when missing. Only where the territory publishes something for the
# page (or has a dataset we cannot read now): where it publishes nothing, the page's top notice
# already asks for "les lieux où se rafraîchir (îlots de fraîcheur, parcs)" and is not repeated.
SPOTS_WANTED = ("cool_room", "park")


def missing(data, present: set, broken: list) -> list[dict]:
    """Cool rooms, parks, water and toilets a territory does not publish, with the dataset it
    could open (`[extra.cool.wanted.<category>]` in its file, else a description)."""
    wanted = data.territory.extra.get("cool", {}).get("wanted", {})
    unreadable = set().union(*(s.dataset.mapping.categories for s in broken))   # said apart
    spots = SPOTS_WANTED if present or broken else ()
    rows = []
    for category in spots + WATER + TOILETS:
        if category not in present and category not in unreadable:
            what, schema = cool_labels.WANTED[category]
            rows.append({"category": category, "what": what, "schema": schema,
                         "dataset": wanted.get(category)})
    return rows


@lru_cache(maxsize=32)
def _hours_today(territory_id: str, stamps: tuple, day: date) -> tuple[int, int]:
    """(cool spots whose hours are known on day, cool spots): the page's promise of "open now"
    holds only as far as this goes. Cached per snapshot (stamps) and day: ~20 ms for Paris."""
    index_ = catalog().get(territory_id).index("cool")
    spots = [p for p in (index_.places if index_ is not None else []) if p.category in
             INDOOR + OUTDOOR]
    known = sum(1 for p in spots if (h := of_place(p)) is not None and h.spans(day) is not None)
    return known, len(spots)


def hours_today(data, day: date) -> tuple[int, int]:
    """See _hours_today; the key changes when a dataset is refreshed."""
    stamps = tuple((s.dataset.id, s.fetched_at, len(s.places)) for s in data.states_for("cool"))
    return _hours_today(data.territory.id, stamps, day)


@bp.route("/<territory>/frais", methods=["GET", "POST"])
def index(territory: str):
    """The page, or its results block for htmx; the picker POSTs here (see rendering.values)."""
    data = catalog().get(territory) or abort(404)
    args, lookup, push, moved = locate(data, "cool.index", territory)
    if moved is not None:
        return moved
    try:
        filters, error = read_filters(args), None
    except BadFilter:
        filters, error = Filters(), str(BAD_FILTER)
    at, plan = now(), plan_for(data.territory.id)
    alert = plan.alert_on(at.date())
    index_ = data.index("cool")
    found = survey_of(index_)
    ctx = Context(filters, at, plan, found.known, found.timed, found.published, found.hours_of)
    lists = sections(index_, lookup.origin, ctx, alert is not None, current_app.config["RESULTS"])
    present = found.categories
    broken = data.unreadable("cool")          # published, unreadable now: said apart
    status = 400 if error and lookup.status == 200 else lookup.status
    return render("cool/index.html", status=status, push=push, data=data, lookup=lookup, ctx=ctx,
                  filters=filters, filter_error=error, alert=alert, sections=lists,
                  present=present, broken=broken, missing=missing(data, present, broken),
                  states=data.states_for("cool"), tile_url=current_app.config["TILE_URL"],
                  text=cool_text, categories=CATEGORIES,
                  hours_today=hours_today(data, at.date()))
