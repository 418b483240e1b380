"""Timetables from GTFS feeds: arrays built once per snapshot, RAPTOR reachability (issue 9)."""
from __future__ import annotations

from .model import Arrival, Departure, Feed, Leg, Missing, Route, Stop
from .registry import init_app, missing_feed, timetable_for
from .timetable import Timetable

__all__ = ["Arrival", "Departure", "Feed", "Leg", "Missing", "Route", "Stop", "Timetable",
           "init_app", "missing_feed", "timetable_for"]
