"""Heat-wave mode: a dated alert per territory and dated hour overrides, kept in one TOML file.

The file (config HEAT_FILE, default <instance>/heat.toml) is written by `flask heat` and may be
edited by hand:

    [paris.alert]
    start = 2025-07-01
    end = 2025-07-04
    level = "orange"               # yellow | orange | red (Météo-France vigilance canicule)

    [[paris.overrides]]            # e.g. parks open until midnight, a cooled room 14:00-18:00
    start = 2025-07-01
    end = 2025-07-04
    category = "park"              # or: place = "<dataset>:<id>"
    hours = "07:00-24:00"          # OSM opening_hours syntax
    kind = "extended_hours"        # extended_hours | cooled_room
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app

from .hours import Hours, parse_osm
from .places import Place

LEVELS = ("yellow", "orange", "red")
KINDS = ("extended_hours", "cooled_room")


class HeatConfigError(ValueError):
    """The heat file says something we cannot apply (message for the operator, in English)."""


@dataclass(frozen=True)
class Alert:
    """A heat-wave alert over a range of days."""

    start: date
    end: date
    level: str = "orange"

    def active(self, day: date) -> bool:
        """Whether the alert covers this day."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Override:
    """Dated opening hours replacing the published ones for a place or a whole category."""

    start: date
    end: date
    hours: Hours
    kind: str
    place: str | None = None
    category: str | None = None

    def applies(self, place: Place, day: date) -> bool:
        """Whether this override sets the hours of place on day."""
        target = place.id == self.place if self.place else place.category == self.category
        return target and self.start <= day <= self.end


@dataclass(frozen=True)
class HeatPlan:
    """One territory's alert (if any) and overrides."""

    alert: Alert | None = None
    overrides: tuple[Override, ...] = ()

    def alert_on(self, day: date) -> Alert | None:
        """The alert if it covers day."""
        return self.alert if self.alert and self.alert.active(day) else None

    def override_for(self, place: Place, day: date) -> Override | None:
        """The last override that applies to place on day (later lines win)."""
        found = [o for o in self.overrides if o.applies(place, day)]
        return found[-1] if found else None


def _day(table: dict, key: str, where: str) -> date:
    """A TOML date (or ISO string) from table[key]; a datetime counts for its day."""
    value = table.get(key)
    if isinstance(value, datetime):
        # A datetime is a date subclass that cannot be compared with dates: keep the day written.
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise HeatConfigError(f"{where}: {key} must be a date like 2025-07-01")
    return value


def _range(table: dict, where: str) -> tuple[date, date]:
    """(start, end) of a table, checked."""
    start, end = _day(table, "start", where), _day(table, "end", where)
    if end < start:
        raise HeatConfigError(f"{where}: end is before start")
    return start, end


def _table(value, where: str) -> dict:
    """A TOML table, or a clear error (a hand edit can put a string where a table belongs)."""
    if not isinstance(value, dict):
        raise HeatConfigError(f"{where}: expected a table")
    return value


def _override(raw, where: str) -> Override:
    """One [[<territory>.overrides]] table."""
    raw = _table(raw, where)
    start, end = _range(raw, where)
    hours = parse_osm(raw.get("hours") if isinstance(raw.get("hours"), str) else None)
    if hours is None:
        raise HeatConfigError(f"{where}: hours must be OSM opening_hours, e.g. 14:00-18:00")
    if raw.get("kind", "extended_hours") not in KINDS:
        raise HeatConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
    if bool(raw.get("place")) == bool(raw.get("category")):
        raise HeatConfigError(f"{where}: give either place or category")
    if not isinstance(raw.get("place") or raw.get("category"), str):
        raise HeatConfigError(f"{where}: place or category must be a string")
    return Override(start, end, hours, raw.get("kind", "extended_hours"),
                    raw.get("place"), raw.get("category"))


def parse_plans(raw: dict) -> dict[str, HeatPlan]:
    """Every territory's plan from the parsed TOML document."""
    plans = {}
    for territory, table in raw.items():
        table = _table(table, territory)
        alert = None
        if "alert" in table:
            where = f"{territory}.alert"
            alert_table = _table(table["alert"], where)
            level = alert_table.get("level", "orange")
            if not isinstance(level, str) or level not in LEVELS:
                raise HeatConfigError(f"{where}: level must be one of {', '.join(LEVELS)}")
            alert = Alert(*_range(alert_table, where), level)
        listed = table.get("overrides", [])
        if not isinstance(listed, list):
            raise HeatConfigError(
                f"{territory}.overrides: expected [[{territory}.overrides]] tables")
        overrides = tuple(_override(o, f"{territory}.overrides[{i}]") for i, o in enumerate(listed))
        plans[territory] = HeatPlan(alert, overrides)
    return plans


def read_raw(path: Path) -> dict:
    """The heat file as a dict ({} when it does not exist)."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise HeatConfigError(f"{path}: {exc}") from exc


def heat_path(app) -> Path:
    """Where the heat file lives."""
    return Path(app.config.get("HEAT_FILE") or Path(app.instance_path) / "heat.toml")


class HeatFile:
    """The parsed heat file, re-read when its modification time changes."""

    def __init__(self, path: Path):
        self.path, self._stamp, self._plans = path, None, {}

    def plans(self) -> dict[str, HeatPlan]:
        """Every plan; a broken file is logged once and treated as no alert (never a 500)."""
        try:
            info = self.path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            try:
                self._plans = parse_plans(read_raw(self.path))
            except HeatConfigError as exc:
                current_app.logger.warning("heat file ignored: %s", exc)
                self._plans = {}
            except Exception:  # noqa: BLE001 - a shape we did not foresee must not break pages
                current_app.logger.warning("heat file ignored: %s", self.path, exc_info=True)
                self._plans = {}
            self._stamp = stamp
        return self._plans


def plan_for(territory: str) -> HeatPlan:
    """The heat plan of a territory (empty when none)."""
    app = current_app._get_current_object()  # noqa: SLF001 - the app object owns the cache
    heat_file = app.extensions.setdefault("presdici.heat", HeatFile(heat_path(app)))
    return heat_file.plans().get(territory, HeatPlan())
