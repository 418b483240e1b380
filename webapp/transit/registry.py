"""Which timetable each territory has: found or built once, loaded per process, reloaded on swap."""
from __future__ import annotations

import logging
import threading
import time
from datetime import date
from pathlib import Path

from flask import current_app

from ..paths import PROJECT_ROOT
from ..sources.formats import PayloadError
from ..sources.refresh import PREPARERS
from . import arrays
from .build import build
from .cli import transit_cli
from .model import Feed, Missing
from .timetable import Timetable

log = logging.getLogger(__name__)
CONNECTOR = "gtfs"


def gtfs_dataset(territory):
    """The territory's GTFS dataset (connector "gtfs"), None when it has none."""
    return next((d for d in territory.datasets if d.connector == CONNECTOR), None)


def _names(dataset):
    """Stop name and commune as the territory file declares them (TAG: "Commune, Name")."""
    fields = dataset.mapping.fields

    def names(record):
        name = dataset.mapping.value(record, fields["name"]) if "name" in fields else None
        commune = dataset.mapping.value(record, fields["commune"]) if "commune" in fields else None
        return name or record["stop_name"], commune
    return names


class Registry:
    """Timetables of every territory for this process (the master loads them before forking)."""

    CHECK_EVERY_S = 5.0

    def __init__(self, app):
        self.store = app.extensions["presdici.store"]
        self.territories = app.extensions["presdici.catalog"].territories
        self.root = Path(app.instance_path) / "transit"
        self.prebuilt = Path(app.config["TRANSIT_PREBUILT_DIR"])
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._generation = self.store.generation()
        self._data = {t: self._load(t) for t in self.territories}

    def get(self, territory_id: str) -> Timetable | None:
        """The territory's timetable, None when it has none (or an unknown territory)."""
        now = time.monotonic()
        if now - self._checked >= self.CHECK_EVERY_S:
            self._checked = now
            generation = self.store.generation()
            if generation != self._generation and self._lock.acquire(blocking=False):
                try:
                    self._data = {t: self._load(t, self._data.get(t)) for t in self.territories}
                    self._generation = generation
                finally:
                    self._lock.release()
        return self._data.get(territory_id)

    def folder(self, territory, dataset, payload: bytes, embedded: bool) -> Path:
        """The arrays of this payload, built now when no process built them yet."""
        name = arrays.key(territory.id, dataset.id, payload)
        found = arrays.find([self.root, self.prebuilt], name)
        if found:
            return found
        built, meta = build(payload, _names(dataset))
        roots = [self.prebuilt, self.root] if embedded else [self.root]
        for root in roots:
            try:
                return arrays.write(root, name, built, meta)
            except OSError:
                continue                      # a read-only install: the instance folder then
        raise OSError(f"cannot write the arrays of {territory.id}/{dataset.id}")

    def _load(self, territory_id: str, previous: Timetable | None = None) -> Timetable | None:
        """Newest good snapshot first, then the embedded copy; a running process keeps its last
        good timetable rather than none."""
        territory = self.territories[territory_id]
        dataset = gtfs_dataset(territory)
        if dataset is None:
            return None
        try:
            snapshot = self.store.read(territory.id, dataset)
        except (OSError, ValueError) as exc:
            log.warning("transit snapshot of %s unreadable (%s)", territory.id, type(exc).__name__)
            snapshot = None
        fallback = None if snapshot and snapshot.origin == "embedded" else "embedded"
        for candidate in (snapshot, fallback):
            if candidate == "embedded":
                try:
                    candidate = self.store.embedded(dataset)
                except OSError:
                    candidate = None
            if candidate is None:
                continue
            try:
                folder = self.folder(territory, dataset, candidate.payload,
                                     candidate.origin == "embedded")
                if previous is not None and previous.folder == folder \
                        and previous.feed.origin == candidate.origin:
                    return previous               # another dataset was refreshed, not this one
                built, meta = arrays.read(folder)
                timetable = Timetable(built, meta, _feed(dataset, meta, candidate))
                timetable.folder = folder
                return timetable
            except (PayloadError, OSError, ValueError, KeyError) as exc:
                log.warning("timetable of %s (%s) unusable: %s", territory.id, candidate.origin,
                            str(exc)[:200])
        return previous


def _feed(dataset, meta: dict, snapshot) -> Feed:
    """What the pages say about the feed: publisher, licence, validity, origin and date."""
    return Feed(title=dataset.title, publisher=dataset.publisher, licence=dataset.licence,
                attribution=dataset.attribution, url=dataset.url, page=dataset.page,
                valid_from=date.fromisoformat(meta["valid_from"]),
                valid_to=date.fromisoformat(meta["valid_to"]),
                has_times=bool(meta["has_times"]), fetched_at=snapshot.meta.get("fetched_at"),
                origin=snapshot.origin)


def timetable_for(territory_id: str) -> Timetable | None:
    """The territory's timetable (needs an app context); None = no transit data there."""
    registry = current_app.extensions.get("presdici.transit")
    return registry.get(territory_id) if registry else None


def missing_feed(territory_id: str) -> Missing | None:
    """For a territory without a GTFS: the feed it could publish ([extra.transit] in its file)."""
    territory = current_app.extensions["presdici.catalog"].territories.get(territory_id)
    raw = (territory.extra.get("transit") if territory else None) or {}
    if not territory or gtfs_dataset(territory) or not raw.get("feed"):
        return None
    return Missing(territory.id, raw["feed"], raw.get("publisher", ""), raw.get("url", ""),
                   raw.get("page", raw.get("url", "")), raw.get("note", ""))


def prepare(territory, dataset, payload: bytes) -> str | None:
    """The refresh hook: build the arrays of a new GTFS payload before its snapshot is swapped;
    the reason when the payload is no usable timetable (the previous data then stay)."""
    registry = current_app.extensions.get("presdici.transit")
    if registry is None:
        return None                           # transit is off: nothing to build
    try:
        folder = registry.folder(territory, dataset, payload, embedded=False)
    except PayloadError as exc:
        return str(exc)
    try:
        current = registry.store.read(territory.id, dataset)
    except (OSError, ValueError):
        current = None
    keep = {folder.name}
    if current is not None:                   # running workers may still map the current build
        keep.add(arrays.key(territory.id, dataset.id, current.payload))
    arrays.prune(registry.root, territory.id, dataset.id, keep)
    return None


def init_app(app) -> None:
    """Find or build every territory's arrays and load them, in the master before forking."""
    app.config.setdefault("TRANSIT_PREBUILT_DIR", str(PROJECT_ROOT / "build" / "transit"))
    app.cli.add_command(transit_cli)
    if not app.config.get("TRANSIT_ENABLED", True):     # PRESDICI_TRANSIT_ENABLED=false
        return                            # no timetable anywhere (a kiosk without mobility)
    registry = Registry(app)
    app.extensions["presdici.transit"] = registry
    PREPARERS[CONNECTOR] = prepare
