"""« Où jeter ? »: from an item's name to the right stream and the nearest drop-off points."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import Blueprint, abort, current_app, url_for

from .. import sorting
from ..catalog import catalog
from ..rendering import render, values
from ..sorting.answer import read_answer
from ..sorting.taxonomy import STREAMS, Stream
from .origin import Lookup, resolve_origin, share_redirect, shareable_args
from .results import Result, nearest

from ..clock import now as clock_now
from ..hours import parse_osm

bp = Blueprint("recycle", __name__)
bp.record_once(lambda state: sorting.init_app(state.app))


@dataclass
class DropOff:
    """Where a stream can be dropped off in a territory, and the nearest points if we know."""

    stream: Stream
    kinds: set[str]
    states: list = field(default_factory=list)       # datasets publishing those kinds
    results: list[Result] = field(default_factory=list)

    @property
    def published(self) -> bool:
        """Whether the territory publishes any drop-off point for this stream."""
        return any(s.places for s in self.states)

    @property
    def unreadable(self) -> list:
        """Its datasets we cannot read now: "unavailable", not "unpublished"."""
        return [s for s in self.states if s.error and not s.places]


@dataclass(frozen=True)
class Opening:
    """Opening hours of a point as published, and whether it is open now (None: unknown)."""

    raw: str
    open_now: bool | None


def opening(place, now: datetime | None = None) -> Opening | None:
    """Hours of a drop-off point; None when its publisher gives none (Toulouse glass banks)."""
    if not place.hours:
        return None
    parsed = parse_osm(place.hours)
    if parsed is None:
        return Opening(place.hours, None)
    state = parsed.status(now or clock_now()).state
    return Opening(place.hours, {"open": True, "closed": False}.get(state))


def drop_off(data, stream: Stream | None, item, origin, k: int) -> DropOff | None:
    """The drop-off datasets and nearest points of a stream (plus recycling centres if flagged)."""
    if stream is None:
        return None
    kinds = set(stream.kinds) | ({"recycling_centre"} if item is not None and item.dechetterie
                                 and stream.kinds else set())
    states = [s for s in data.states_for("recycle") if s.dataset.mapping.categories & kinds]
    drop = DropOff(stream, kinds, states)
    if drop.published and origin is not None:
        drop.results = nearest(data.index("recycle"), origin, k, kinds)
    return drop


def answer_url(territory: str, answer, lookup, args) -> str | None:
    """The address of this answer: an item found by its name becomes ?choix=<id>."""
    kept = shareable_args(args, lookup)
    if kept is None or answer.error == "too_long":
        return None
    if answer.item:
        kept = {k: v for k, v in kept.items() if k not in ("objet", "flux")} | answer.keep()
    return url_for("recycle.index", territory=territory, **kept)


@bp.route("/<territory>/jeter", methods=["GET", "POST"])
def index(territory: str):
    """The page, or its results block for htmx; the picker POSTs here (see rendering.values)."""
    data = catalog().get(territory) or abort(404)
    guide = sorting.guide()
    args = values()
    answer = read_answer(guide, args)
    lookup = resolve_origin(data, args) if answer.stream else Lookup()
    push = answer_url(territory, answer, lookup, args)
    if (moved := share_redirect(args, lookup, push)) is not None:
        return moved
    drop = drop_off(data, answer.stream, answer.item, lookup.origin,
                    current_app.config["RESULTS"])
    status = max(answer.status, lookup.status)
    return render("recycle/index.html", status=status, push=push,
                  data=data, guide=guide, answer=answer,
                  lookup=lookup, drop=drop, streams=STREAMS, opening=opening)
