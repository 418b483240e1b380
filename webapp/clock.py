"""The time of day in France, or a frozen one (setting CLOCK_AT) for tests and demos."""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from .hours import TZ


def now() -> datetime:
    """French local time, time-zone aware: opening hours are published in French time."""
    frozen = current_app.config.get("CLOCK_AT")
    if not frozen:
        return datetime.now(TZ)
    at = datetime.fromisoformat(frozen)
    return at.replace(tzinfo=TZ) if at.tzinfo is None else at.astimezone(TZ)
