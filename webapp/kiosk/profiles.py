"""Kiosk profiles: read from a TOML file in the instance folder, each checked before use."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..languages import LANGUAGES

IDLE_RANGE = (2, 3600)          # seconds without a touch before the countdown (2: tests)
COUNTDOWN_RANGE = (1, 120)      # seconds of "Vous êtes toujours là ?" before the reset


class KioskError(ValueError):
    """A profile that cannot be used, with the reason."""


@dataclass(frozen=True)
class Profile:
    """One shared screen: its city, its fixed place, its languages and its idle timeout."""

    id: str
    territory: str
    place: str
    lat: float
    lon: float
    languages: tuple[str, ...]
    idle_seconds: int
    countdown_seconds: int


def _number(raw: dict, key: str, kind, bounds: tuple) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int):
        raise KioskError(f"'{key}' must be a number, got {value!r}")
    if not bounds[0] <= value <= bounds[1]:
        raise KioskError(f"'{key}' must be between {bounds[0]} and {bounds[1]}, got {value!r}")
    return kind(value)


def parse(profile_id: str, raw, catalog) -> Profile:
    """A checked profile, or KioskError saying what is wrong."""
    if not isinstance(raw, dict):
        raise KioskError("a profile is a [table] of settings")
    unknown = set(raw) - {"territory", "place", "lat", "lon", "languages", "idle_seconds",
                          "countdown_seconds"}
    if unknown:
        raise KioskError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    data = catalog.get(raw.get("territory")) if isinstance(raw.get("territory"), str) else None
    if data is None:
        raise KioskError(f"unknown territory {raw.get('territory')!r}")
    place = raw.get("place")
    if not isinstance(place, str) or not place.strip():
        raise KioskError("'place' must name the kiosk's place, e.g. \"Mairie, hall d'accueil\"")
    lat = _number(raw, "lat", float, (-90, 90))
    lon = _number(raw, "lon", float, (-180, 180))
    west, south, east, north = data.territory.bbox
    if not (south <= lat <= north and west <= lon <= east):
        raise KioskError(f"lat/lon {lat}, {lon} are outside {data.territory.name}")
    languages = raw.get("languages", ["fr"])
    if (not isinstance(languages, list) or not languages
            or any(code not in LANGUAGES for code in languages)):
        raise KioskError(f"'languages' must be a non-empty list among {LANGUAGES}")
    return Profile(profile_id, data.territory.id, place.strip(), lat, lon, tuple(languages),
                   int(_number(raw, "idle_seconds", int, IDLE_RANGE)) if "idle_seconds" in raw else 90,
                   int(_number(raw, "countdown_seconds", int, COUNTDOWN_RANGE))
                   if "countdown_seconds" in raw else 20)


def load(path: Path, catalog) -> tuple[dict[str, Profile], dict[str, str]]:
    """Usable profiles by id, and the reason each unusable one is refused."""
    if not path.exists():
        return {}, {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KioskError(f"{path} cannot be read: {exc}") from None
    usable, refused = {}, {}
    for profile_id, settings in raw.items():
        try:
            usable[profile_id] = parse(profile_id, settings, catalog)
        except KioskError as exc:
            refused[profile_id] = str(exc)
    return usable, refused
