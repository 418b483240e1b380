"""`flask heat`: switch a territory's heat-wave alert on or off and add dated hour overrides."""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .catalog import catalog
from .heat import KINDS, LEVELS, HeatConfigError, heat_path, parse_plans, read_raw

heat_cli = AppGroup("heat", help="Heat-wave alerts per territory (the file HEAT_FILE).")


def _territory(value: str) -> str:
    """A known territory id."""
    known = catalog().territories
    if value not in known:
        raise click.BadParameter(f"unknown territory {value!r}; known: {', '.join(known)}")
    return value


def _scalar(value) -> str:
    """A TOML value: bare dates, JSON-escaped strings (a valid subset of TOML basic strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def write_raw(path: Path, raw: dict) -> None:
    """Write the heat file atomically (a reader never sees half a file)."""
    lines = ["# Heat-wave alerts and overrides (see `flask heat --help`)."]
    for territory, table in raw.items():
        if table.get("alert"):
            lines += ["", f"[{territory}.alert]"]
            lines += [f"{k} = {_scalar(v)}" for k, v in table["alert"].items()]
        for override in table.get("overrides", []):
            lines += ["", f"[[{territory}.overrides]]"]
            lines += [f"{k} = {_scalar(v)}" for k, v in override.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _save(raw: dict) -> None:
    """Check the whole file, then write it: an invalid plan is never written."""
    try:
        parse_plans(raw)
    except HeatConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    write_raw(heat_path(current_app), raw)


def _load() -> dict:
    """The current file, checked whole; a broken one is a clear error (exit 1), not a traceback."""
    path = heat_path(current_app)
    try:
        raw = read_raw(path)
        parse_plans(raw)
    except HeatConfigError as exc:
        raise click.ClickException(f"the heat file {path} cannot be used, fix it by hand: {exc}") \
            from exc
    return raw


def _dates(start: date, end: date) -> tuple[date, date]:
    """Dates from click's DateTime, checked in order."""
    if end < start:
        raise click.BadParameter("--to is before --from")
    return start, end


DATE = click.DateTime(formats=["%Y-%m-%d"])


@heat_cli.command("on")
@click.argument("territory")
@click.option("--from", "start", type=DATE, required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", type=DATE, required=True, help="Last day, YYYY-MM-DD.")
@click.option("--level", type=click.Choice(LEVELS), default="orange", show_default=True)
def on_command(territory, start, end, level):
    """Switch the heat-wave alert on for a range of days."""
    _territory(territory)
    start, end = _dates(start.date(), end.date())
    raw = _load()
    raw.setdefault(territory, {})["alert"] = {"start": start, "end": end, "level": level}
    _save(raw)
    click.echo(f"{territory}: heat-wave alert {level} from {start} to {end}")


@heat_cli.command("off")
@click.argument("territory")
@click.option("--overrides", is_flag=True, help="Also remove every hour override.")
def off_command(territory, overrides):
    """Switch the alert off (overrides stay unless --overrides)."""
    _territory(territory)
    raw = _load()
    table = raw.get(territory, {})
    table.pop("alert", None)
    if overrides:
        table.pop("overrides", None)
    _save(raw)
    click.echo(f"{territory}: heat-wave alert off" + (", overrides removed" if overrides else ""))


def _check_target(territory: str, place: str | None, category: str | None) -> None:
    """The place or category must exist in the territory's cool-spot data."""
    if bool(place) == bool(category):
        raise click.UsageError("give either --place or --category")
    places = catalog().get(territory).index("cool")
    places = places.places if places is not None else []
    if place and place not in {p.id for p in places}:
        raise click.BadParameter(f"no cool spot with id {place!r} in {territory}")
    if category and category not in {p.category for p in places}:
        raise click.BadParameter(f"no cool spot of category {category!r} in {territory}")


@heat_cli.command("override")
@click.argument("territory")
@click.option("--place", help="A place id, as shown by `flask heat places`.")
@click.option("--category", help="A whole category, e.g. park.")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--hours", required=True, help='OSM opening_hours, e.g. "14:00-18:00".')
@click.option("--kind", type=click.Choice(KINDS), default="extended_hours", show_default=True)
def override_command(territory, place, category, start, end, hours, kind):
    """Replace the published hours of a place or category on some days."""
    _territory(territory)
    start, end = _dates(start.date(), end.date())
    _check_target(territory, place, category)
    raw = _load()
    entry = {"start": start, "end": end, "hours": hours, "kind": kind,
             **({"place": place} if place else {"category": category})}
    raw.setdefault(territory, {}).setdefault("overrides", []).append(entry)
    _save(raw)
    click.echo(f"{territory}: {kind} {place or category} {hours} from {start} to {end}")


@heat_cli.command("status")
def status_command():
    """Print every territory's alert and overrides."""
    plans = parse_plans(_load())      # checked by _load: a broken file never gets here
    for territory in catalog().territories:
        plan = plans.get(territory)
        alert = plan.alert if plan else None
        click.echo(f"{territory}: " + (f"alert {alert.level} {alert.start}..{alert.end}"
                                       if alert else "no alert"))
        for o in plan.overrides if plan else ():
            click.echo(f"  {o.kind} {o.place or o.category} {o.hours.raw} {o.start}..{o.end}")


@heat_cli.command("places")
@click.argument("territory")
@click.option("--category", help="Only this category.")
def places_command(territory, category):
    """List cool-spot ids and names, to target an override."""
    _territory(territory)
    index = catalog().get(territory).index("cool")
    for place in index.places if index is not None else []:
        if category in (None, place.category):
            click.echo(f"{place.id}\t{place.category}\t{place.name or ''}")


def init_app(app) -> None:
    """Register the CLI group."""
    app.cli.add_command(heat_cli)
