"""What the app knows: every territory's datasets parsed into Places, indexed per task."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from . import sources
from .dedupe import inside, without_duplicates
from .gazetteer import Gazetteer
from .places import Place
from .shared import shared_for
from .sources.store import SnapshotStore
from .spatial import SpatialIndex
from .territories import Dataset, Territory, load_territories

log = logging.getLogger(__name__)


@dataclass
class DatasetState:
    """One dataset as loaded: its places, what was skipped, and the date of the data."""

    dataset: Dataset
    places: list[Place] = field(default_factory=list)
    skipped: int = 0
    filtered: int = 0
    reasons: dict = field(default_factory=dict)
    fetched_at: str | None = None
    origin: str = "none"              # "refreshed", "embedded" or "none"
    error: str | None = None
    duplicates: int = 0               # places already listed by a preferred dataset
    outside: int = 0                  # places outside the territory (a regional export)


@dataclass
class TerritoryData:
    """A territory with its loaded datasets, per-task indexes and gazetteer."""

    territory: Territory
    states: dict[str, DatasetState]
    indexes: dict[str, SpatialIndex]
    gazetteer: Gazetteer
    # A token new with every load: what is cached from this data (rendered cards) is keyed on it.
    version: object = field(default_factory=object, compare=False, repr=False)

    def index(self, task: str) -> SpatialIndex | None:
        """The spatial index of one task, None when no dataset feeds it."""
        return self.indexes.get(task)

    def states_for(self, task: str) -> list[DatasetState]:
        """Loaded datasets of one task."""
        return [s for s in self.states.values() if s.dataset.task == task]

    def unreadable(self, task: str, categories=None) -> list[DatasetState]:
        """Datasets of a task we have but cannot read right now: "unavailable", not "unpublished"."""
        return [s for s in self.states_for(task) if s.error and not s.places
                and (categories is None or s.dataset.mapping.categories & set(categories))]


def load_dataset(store: SnapshotStore, territory: Territory, dataset: Dataset,
                 previous: DatasetState | None = None) -> DatasetState:
    """Parse the newest good snapshot of a dataset; a broken file leaves an empty, explained state.

    A snapshot that cannot be read or parsed (a swap we could not follow, a damaged pointer or
    file) keeps a running worker's last good places; a starting worker serves the embedded copy
    with its date (stale beats nothing); the next refresh repairs the snapshot."""
    state = DatasetState(dataset)
    try:
        snapshot = store.read(territory.id, dataset)
    except (OSError, ValueError) as exc:
        log.warning("snapshot of %s/%s unreadable (%s)", territory.id, dataset.id,
                    type(exc).__name__)
        snapshot, result, error = None, None, f"unreadable snapshot: {type(exc).__name__}"
    else:
        if snapshot is None:
            return state                          # nothing embedded, never refreshed
        result, error = _parse(territory, dataset, snapshot)
    if result is None:
        if previous is not None and previous.places:
            return previous
        if snapshot is None or snapshot.origin == "refreshed":
            snapshot = _embedded(store, dataset)
            if snapshot is not None:
                result, error = _parse(territory, dataset, snapshot)
    if result is None:
        state.error = error
        return state
    state.places, state.skipped, state.filtered = result.places, result.skipped, result.filtered
    state.reasons = result.reasons
    state.fetched_at, state.origin = snapshot.meta.get("fetched_at"), snapshot.origin
    return state


def _embedded(store: SnapshotStore, dataset: Dataset):
    """The embedded copy, or None when there is none (or it cannot be read)."""
    try:
        return store.embedded(dataset)
    except OSError:
        return None


def _parse(territory: Territory, dataset: Dataset, snapshot):
    """(parse result, None) or (None, why it failed): one bad dataset never takes pages down."""
    try:
        return sources.parse(dataset, snapshot.payload), None
    except sources.formats.PayloadError as exc:
        log.warning("snapshot of %s/%s (%s) unusable: %s", territory.id, dataset.id,
                    snapshot.origin, exc)
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a connector bug must not take every page down
        log.exception("parsing the snapshot of %s/%s failed", territory.id, dataset.id)
        return None, f"{type(exc).__name__}"


def load_territory_data(store: SnapshotStore, territory: Territory,
                        previous: TerritoryData | None = None) -> TerritoryData:
    """Load every dataset of a territory and build its indexes."""
    before = previous.states if previous else {}
    states = {d.id: load_dataset(store, territory, d, before.get(d.id))
              for d in territory.datasets}
    _clip_and_dedupe(territory, states)
    by_task: dict[str, list[Place]] = {}
    for state in states.values():
        if state.dataset.task != "gazetteer":
            by_task.setdefault(state.dataset.task, []).extend(state.places)
    lat0, lon0 = territory.center
    indexes = {task: SpatialIndex(places, lat0, lon0) for task, places in by_task.items()}
    gazetteer = Gazetteer([p for s in states.values() if s.dataset.gazetteer for p in s.places])
    return TerritoryData(territory, states, indexes, gazetteer)


# Connectors whose files cover more than the city (Île-de-France OSM, a département's addresses).
REGIONAL = {"overpass", "ban_csv", "bano_csv"}


def _clip_and_dedupe(territory: Territory, states: dict[str, DatasetState]) -> None:
    """Keep each dataset's places inside the territory, and each place listed once."""
    for state in states.values():
        regional = state.dataset.connector in REGIONAL
        kept = inside(state.places, territory.bbox) if regional else state.places
        state.outside += len(state.places) - len(kept)
        preferred = [p for other in state.dataset.duplicates_of if other in states
                     for p in states[other].places]
        unique = without_duplicates(kept, preferred, state.dataset.duplicate_m)
        state.duplicates += len(kept) - len(unique)
        state.places = unique


class Catalog:
    """Holds the loaded territories; reloads when a refresh swapped a snapshot."""

    CHECK_EVERY_S = 5.0

    def __init__(self, territories_dir: Path, store: SnapshotStore, background: bool = False):
        self.territories = load_territories(territories_dir)
        self.store = store
        # Reload in a thread of its own: at national size a reload takes minutes, and no visitor
        # should wait for it (tests reload in the request, to see a swap at once).
        self.background = background
        self._lock = threading.Lock()
        self._generation = store.generation()
        self._checked = time.monotonic()
        self._data = {t: load_territory_data(store, terr) for t, terr in self.territories.items()}

    def get(self, territory_id: str) -> TerritoryData | None:
        """A territory's data, None for an unknown id."""
        self._maybe_reload()
        return self._data.get(territory_id)

    def all(self) -> list[TerritoryData]:
        """Every territory, in file order."""
        self._maybe_reload()
        return list(self._data.values())

    def _maybe_reload(self) -> None:
        """One stat every few seconds; reload everything, once, when the store's generation moved."""
        now = time.monotonic()
        if now - self._checked < self.CHECK_EVERY_S:
            return
        self._checked = now
        if self.store.generation() == self._generation:
            return
        # Requests arriving during a reload answer with the current data instead of waiting
        # for it, or loading it a second time.
        if not self._lock.acquire(blocking=False):
            return
        if self.background:
            threading.Thread(target=self._reload_and_release, name="catalog-reload",
                             daemon=True).start()
        else:
            self._reload_and_release()

    def _reload_and_release(self) -> None:
        try:
            self._reload()
        finally:
            self._lock.release()

    def _reload(self) -> None:
        """Load every territory again; on failure keep serving what is loaded and retry later."""
        generation = self.store.generation()    # read first: a swap during the load is not missed
        if generation == self._generation:
            return
        try:
            data = {t: load_territory_data(self.store, terr, self._data.get(t))
                    for t, terr in self.territories.items()}
        except Exception:  # noqa: BLE001 - pages never 500 because of a reload
            log.exception("catalog reload failed; keeping the loaded data")
            return
        self._data, self._generation = data, generation


def catalog() -> Catalog:
    """The app's catalog."""
    return current_app.extensions["presdici.catalog"]


def init_app(app) -> None:
    """Load every territory once, before gunicorn forks its workers (preload_app)."""
    # SNAPSHOTS_DIR: a folder every host mounts when there are several (docs/deploy.md).
    root = app.config.get("SNAPSHOTS_DIR") or Path(app.instance_path) / "snapshots"
    store = SnapshotStore(Path(root), Path(app.config["EMBEDDED_DIR"]), shared_for(app))
    app.extensions["presdici.store"] = store
    app.extensions["presdici.catalog"] = Catalog(
        Path(app.config["TERRITORIES_DIR"]), store,
        background=app.config.get("CATALOG_BACKGROUND_RELOAD", not app.testing))
