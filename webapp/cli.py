"""`flask data refresh` and `flask data status`: the only code that talks to portals."""
from __future__ import annotations

from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import AppGroup

from .catalog import catalog
from .clock import now
from .shared import Busy, Unreachable, refresh_lock, shared_for
from .sources.http import session_for
from .sources.refresh import refresh_dataset

BUSY_EXIT = 75          # EX_TEMPFAIL: another refresh holds the lock; the timer tries again later

data_cli = AppGroup("data", help="Fetch portal data into snapshots and report on them.")


def _selected(territory_id, dataset_id):
    """(territory, dataset, state) triples matching the options."""
    known = catalog().territories
    if territory_id and territory_id not in known:
        raise click.BadParameter(f"unknown territory {territory_id!r}; known: {', '.join(known)}")
    picked = []
    for data in catalog().all():
        if territory_id and data.territory.id != territory_id:
            continue
        for state in data.states.values():
            if dataset_id in (None, state.dataset.id):
                picked.append((data.territory, state.dataset, state))
    if dataset_id and not picked:
        raise click.BadParameter(f"unknown dataset {dataset_id!r}")
    return picked


@data_cli.command("refresh")
@click.option("--territory", "-t", help="Only this territory (e.g. grenoble).")
@click.option("--dataset", "-d", help="Only this dataset id.")
@click.option("--force", is_flag=True, help="Ask the portal even if the cached copy is fresh.")
def refresh_command(territory, dataset, force):
    """Fetch each dataset, validate it and swap its snapshot atomically.

    A portal that is down, slow or returns garbage leaves the last good data in place; the exit
    code is 1 when any dataset kept its previous data or failed, so cron reports it. One refresh
    runs at a time (across hosts with Redis): another one exits with 75 and says so."""
    store = current_app.extensions["presdici.store"]
    picked = _selected(territory, dataset)
    try:
        with refresh_lock(shared_for(current_app), store.root) as keep_alive:
            failures = _refresh(picked, force, keep_alive)
    except Busy as exc:
        click.echo("refresh running on another host" if str(exc) == "redis" else
                   "a refresh is already running on this host", err=True)
        raise SystemExit(BUSY_EXIT) from None
    except Unreachable as exc:
        click.echo(f"Redis unreachable ({exc}): refresh not run, the loaded data stays", err=True)
        raise SystemExit(1) from None
    if failures:
        click.echo(f"{failures} dataset(s) kept their previous data.", err=True)
        raise SystemExit(1)


def _refresh(picked, force: bool, keep_alive) -> int:
    """Refresh the picked datasets; the number kept or failed."""
    session, store = session_for(current_app), current_app.extensions["presdici.store"]
    failures, lines = 0, []
    with click.progressbar(picked, label="Refreshing", item_show_func=lambda p: p and p[1].id) as bar:
        for terr, ds, state in bar:
            outcome = refresh_dataset(session, store, terr, ds, len(state.places), force)
            keep_alive()
            failures += outcome.status in ("kept", "failed")
            lines.append(f"{terr.id}/{ds.id}: {outcome.status}"
                         + (f" ({outcome.count} places)" if outcome.count else "")
                         + (f" — {outcome.detail}" if outcome.detail else ""))
    click.echo("\n".join(lines))
    return failures


def _age(fetched: str | None) -> str:
    """"12 d" from an ISO date or datetime."""
    if not fetched:
        return "?"
    try:
        when = datetime.fromisoformat(fetched)
    except ValueError:
        return "?"
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    days = (datetime.now(timezone.utc) - when).days
    return f"{days} d" if days else "<1 d"


@data_cli.command("status")
@click.option("--territory", "-t", help="Only this territory.")
def status_command(territory):
    """Print each dataset's record count, skipped records, age and source."""
    store = current_app.extensions["presdici.store"]
    catalog()._checked = 0  # noqa: SLF001 - always show what is on disk now
    rows = [("dataset", "places", "skipped", "filtered", "age", "origin", "last attempt", "source")]
    notes = []
    for terr, ds, state in _selected(territory, None):
        # Our own caveats: kept off /donnees, which speaks to the public.
        said = [ds.note or "", "" if ds.licence_checked else "licence to check with the portal",
                f"{state.duplicates} already listed by {', '.join(ds.duplicates_of)}"
                if state.duplicates else "",
                f"{state.outside} outside the territory box" if state.outside else ""]
        notes += [f"{terr.id}/{ds.id}: {n}" for n in said if n]
        attempt = store.last_attempt(terr.id, ds.id) or {}
        rows.append((f"{terr.id}/{ds.id}", str(len(state.places)), str(state.skipped),
                     str(state.filtered), _age(state.fetched_at), state.origin,
                     f"{attempt.get('status', '-')} {attempt.get('detail', '')}".strip(), ds.url))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
    for note in notes:
        click.echo(f"note  {note}")
    click.echo(f"as of {now().date().isoformat()}")  # French day, like every date we show


def init_app(app) -> None:
    """Register the CLI group."""
    app.cli.add_command(data_cli)
