"""`flask transit status`: each territory's timetable, built when missing (make install runs it)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from . import arrays

transit_cli = AppGroup("transit", help="Timetable arrays built from the GTFS feeds.")


@transit_cli.command("status")
def status_command():
    """Print each territory's feed, its validity, counts and the size of its arrays."""
    registry = current_app.extensions.get("presdici.transit")
    if registry is None:
        click.echo("transit is off (PRESDICI_TRANSIT_ENABLED=false)")
        return
    for territory_id in registry.territories:
        tt = registry.get(territory_id)
        if tt is None:
            click.echo(f"{territory_id}: no timetable")
            continue
        meta, feed = tt.meta, tt.feed
        click.echo(f"{territory_id}: {feed.title} — {feed.origin}, {feed.valid_from} → "
                   f"{feed.valid_to}, {len(tt.stops)} stations, {len(tt.routes)} lines, "
                   f"{len(tt.trip_ids)} trips, {meta['stop_times']} stop_times, "
                   f"{'with' if feed.has_times else 'WITHOUT'} times; arrays "
                   f"{arrays.size_on_disk(tt.folder) / 1e6:.1f} MB at {tt.folder} "
                   f"(built in {meta['build_seconds']} s)")
