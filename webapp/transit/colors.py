"""Line colours made readable (WCAG 2.1 contrast) and GTFS route types turned into kinds."""
from __future__ import annotations

import re

_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")
DEFAULT_COLOR = "#4D4D4D"          # a neutral grey for lines published without a colour
AA = 4.5


def normalise(value: str | None) -> str | None:
    """"f5d24d" -> "#F5D24D"; None when absent or not a 6-digit hex colour."""
    match = _HEX.fullmatch((value or "").strip())
    return f"#{match.group(1).upper()}" if match else None


def luminance(color: str) -> float:
    """WCAG relative luminance of "#RRGGBB"."""
    channels = []
    for i in (1, 3, 5):
        c = int(color[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_pair(color: str | None, text: str | None) -> tuple[str, str]:
    """The feed's pair when it reaches AA; else black or white, whichever reads better."""
    color = normalise(color) or DEFAULT_COLOR
    text = normalise(text)
    if text and contrast(color, text) >= AA:
        return color, text
    black, white = contrast(color, "#000000"), contrast(color, "#FFFFFF")
    return color, "#000000" if black >= white else "#FFFFFF"


def kind(route_type: str, long_name: str = "") -> str:
    """Basic and extended GTFS route types -> tram, bus, school, on_demand, rail, other."""
    try:
        code = int(route_type)
    except (TypeError, ValueError):
        return "other"
    if "handibus" in long_name.lower() or code == 715:
        return "on_demand"       # reservation services: not a timetable for everyone
    if code in (0, 900, 901, 902, 903, 904, 905, 906):
        return "tram"
    if code in (1, 2, 12) or 100 <= code < 200 or 400 <= code < 500:
        return "rail"
    if code in (712, 713):
        return "school"          # 712 school bus, 713 school and public service bus
    if code in (3, 11) or 200 <= code < 300 or 700 <= code < 800:
        return "bus"
    return "other"
