"""The coverage matrix of /donnees: for each city and task, what is loaded, reduced, or missing."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import labels
from .catalog import DatasetState, TerritoryData

LOADED, REDUCED, UNREADABLE, PUBLISHED, MISSING = (
    "loaded", "reduced", "unreadable", "published", "missing")
# The place picker's streets and addresses are a column too: a dataset every city could open.
COLUMNS = (*labels.TASKS, "addresses")


@dataclass
class Cell:
    """One city × task: its state, what is loaded, and what the city could still open."""

    state: str
    states: list[DatasetState] = field(default_factory=list)
    wanted: list[dict] = field(default_factory=list)      # published, not loaded yet
    what: str | None = None                               # not published: what it could open
    schema: str | None = None

    @property
    def count(self) -> int:
        """Places loaded for this task."""
        return sum(len(s.places) for s in self.states)

    @property
    def oldest(self) -> str | None:
        """Date of the oldest loaded data (what a data team should refresh first)."""
        dates = [s.fetched_at for s in self.states if s.places and s.fetched_at]
        return min(dates) if dates else None


def reduced(state: DatasetState) -> bool:
    """A third party's reduced copy (not the portal's shape), still served until replaced."""
    return state.dataset.reduced or not state.dataset.live


def _published_unloaded(data: TerritoryData, task: str) -> list[dict]:
    """Datasets the territory file says the city publishes and we do not load yet."""
    extra = data.territory.extra
    if task == "cool":
        return list(extra.get("cool", {}).get("wanted", {}).values())
    if task == "mobility":            # the GTFS feed the city publishes ([extra.transit])
        feed = extra.get("transit") or {}
        return [{"title": feed["feed"], "page": feed.get("page") or feed.get("url")}] \
            if feed.get("feed") else []
    return list(extra.get("published", {}).get(task, []))


def task_states(data: TerritoryData, task: str) -> list[DatasetState]:
    """The datasets that feed a column: streets for addresses, GTFS feeds for mobility (their
    stops are gazetteer places, their timetables arrays of their own)."""
    if task == "addresses":
        return [s for s in data.states.values() if s.dataset.mapping.category == "street"]
    if task == "mobility":
        return [s for s in data.states.values() if s.dataset.connector == "gtfs"]
    return data.states_for(task)


def cell(data: TerritoryData, task: str, timed=None) -> Cell:
    """The state of one city × task (timed: whether its GTFS has times, for mobility)."""
    states = task_states(data, task)
    loaded = [s for s in states if s.places]
    wanted = _published_unloaded(data, task)
    if loaded:
        # A feed without stop_times (Clermont) gives stops and lines, not a timetable.
        untimed = task == "mobility" and timed is False
        if task == "mobility":
            state = REDUCED if untimed else LOADED
        else:
            state = REDUCED if all(reduced(s) for s in loaded) else LOADED
        return Cell(state, loaded, wanted)
    if any(s.error for s in states):
        return Cell(UNREADABLE, [], wanted)
    if wanted:
        return Cell(PUBLISHED, [], wanted)
    what, schema = labels.WANTED.get(task, (None, None))
    return Cell(MISSING, [], [], what and str(what), schema)


def matrix(territories: list[TerritoryData]) -> list[tuple[TerritoryData, dict[str, Cell]]]:
    """Every city with its cells, in the columns' order."""
    from .transit import timetable_for
    out = []
    for data in territories:
        timetable = timetable_for(data.territory.id)
        timed = timetable.feed.has_times if timetable else None
        out.append((data, {task: cell(data, task, timed) for task in COLUMNS}))
    return out
