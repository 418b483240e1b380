"""`flask kiosk check` and `flask kiosk url <profile>`: what an installer needs."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from .profiles import KioskError
from .signing import signed_url_token

kiosk_cli = AppGroup("kiosk", help="Kiosk profiles (instance/kiosks.toml).")


@kiosk_cli.command("check")
def check():
    """Say which kiosk profiles can be used, and why the others cannot (exit 1 if any)."""
    usable = current_app.extensions["presdici.kiosks"]
    refused = current_app.extensions["presdici.kiosks_refused"]
    for profile in usable.values():
        click.echo(f"ok       {profile.id}: {profile.territory}, « {profile.place} », "
                   f"{'/'.join(profile.languages)}, idle {profile.idle_seconds} s")
    for profile_id, reason in refused.items():
        click.echo(f"refused  {profile_id}: {reason}")
    if not usable and not refused:
        click.echo("no kiosk profile (instance/kiosks.toml is missing or empty)")
    raise SystemExit(1 if refused else 0)


@kiosk_cli.command("url")
@click.argument("profile")
def url(profile: str):
    """Print the signed path that turns a screen into this kiosk: open it once on the screen."""
    if profile not in current_app.extensions["presdici.kiosks"]:
        raise click.ClickException(f"no usable kiosk profile {profile!r} (see `flask kiosk check`)")
    try:
        click.echo(f"/kiosque/s/{signed_url_token(profile)}")
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
