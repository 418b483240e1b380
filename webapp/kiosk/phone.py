"""« Continuer sur mon téléphone »: the current answer's address as a QR code (SVG, server-side)."""
from __future__ import annotations

from urllib.parse import urlencode

import segno
from flask import current_app, request
from jinja2 import pass_context
from markupsafe import Markup

from ..rendering import values

# Choices made by tapping, kept in the phone's address; anything typed (q, objet) or any position
# (lat, lon, lieu) is left out, and the kiosk's place never goes into an address.
CHOSEN = ("choix", "flux", "type", "ouvert", "gratuit", "pmr", "gourde", "lent")


def destination(context):
    """The first place the answer points to (bike, recycle or cool results), or None."""
    results = context.get("results")
    if results and hasattr(results[0], "place"):
        return results[0]
    drop = context.get("drop")
    if drop is not None and getattr(drop, "results", None):
        return drop.results[0]
    for section in context.get("sections") or ():
        if getattr(section, "rows", None):
            return section.rows[0]
    return None


def phone_url(context) -> str | None:
    """This task's answer around its destination, for a phone: the task, the tapped choices and
    the destination's published position; None when the page points to no place."""
    result = destination(context)
    if result is None:
        return None
    asked = values()                                  # the picker POSTs (rendering.values)
    params = [(key, value) for key in CHOSEN for value in asked.getlist(key)]
    answer = context.get("answer")
    item = getattr(answer, "item", None)
    if item is not None and not asked.get("choix"):
        params.insert(0, ("choix", item.id))      # an item found from typed text: its id only
    params += [("lat", f"{result.place.lat:.4f}"), ("lon", f"{result.place.lon:.4f}")]
    base = (current_app.config.get("KIOSK_PUBLIC_URL") or request.host_url).rstrip("/")
    return f"{base}{request.path}?{urlencode(params)}"


@pass_context
def phone_qr(context) -> Markup | None:
    """The QR code of phone_url as inline SVG (dark on light, quiet zone kept for cameras)."""
    url = phone_url(context)
    if url is None:
        return None
    # A viewBox without a fixed size: the stylesheet sizes it (bigger on a kiosk).
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=True)
    return Markup(svg)
