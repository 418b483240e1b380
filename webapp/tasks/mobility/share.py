"""A link and a QR code that carry the profile in the URL fragment, which browsers never send."""
from __future__ import annotations

import segno
from flask import url_for
from markupsafe import Markup

from .profile import Profile, encode

FRAGMENT = "plan="


def share_url(territory_id: str, profile: Profile) -> str:
    """The page's address with the profile after '#': the server never sees that part."""
    page = url_for("mobility.index", territory=territory_id, _external=True)
    return f"{page}#{FRAGMENT}{encode(profile)}"


def qr_svg(url: str, title: str) -> Markup:
    """The link as an inline SVG QR code (presentation attributes only: no style, CSP-safe)."""
    # Level L, raised by segno when the same size allows: a long plan stays a printable size.
    code = segno.make(url, error="l", micro=False, boost_error=True)
    svg = code.svg_inline(scale=3, border=4, title=title, dark="#000", light="#fff",
                          svgclass="qr", lineclass=None, omitsize=True)
    # A viewBox without size: the page's CSS gives the width (larger on paper).
    return Markup(svg.replace("<svg ", '<svg role="img" shape-rendering="crispEdges" ', 1))
