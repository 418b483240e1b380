"""Fetch, validate and swap a dataset's snapshot; a bad payload never replaces good data."""
from __future__ import annotations

import hashlib
import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import requests

from . import parse
from .arcgis import PageError, fetch_layer
from .formats import PayloadError
from .http import OffHostRedirect, TooLarge

MAX_SKIPPED_SHARE = 0.5   # more than half the records malformed: the format changed, refuse
MIN_KEPT_SHARE = 0.5      # fewer than half as many places as before: a partial export, refuse
# connector -> prepare(territory, dataset, payload) -> None or why the payload is refused; run
# before the swap (the transit package registers "gtfs": its arrays are built at refresh time).
PREPARERS: dict = {}

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a refresh did to one dataset."""

    status: str           # updated, unchanged, kept, skipped, failed (an error of ours)
    detail: str = ""
    count: int = 0
    skipped: int = 0


def validate(dataset, payload: bytes, previous_count: int = 0):
    """Parse and judge a payload; return (result, None) or (None, reason)."""
    try:
        result = parse(dataset, payload)
    except PayloadError as exc:
        return None, str(exc)
    total = len(result.places) + result.skipped
    if not result.places:
        return None, "no usable record (renamed field?)"
    if result.skipped > MAX_SKIPPED_SHARE * total:
        return None, f"{result.skipped} of {total} records malformed"
    if previous_count and len(result.places) < MIN_KEPT_SHARE * previous_count:
        return None, f"{len(result.places)} places instead of {previous_count}"
    return result, None


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def refresh_dataset(session, store, territory, dataset, previous_count: int = 0,
                    force: bool = False) -> Outcome:
    """Refresh one dataset from its portal (force: ignore a cached copy that is still fresh)."""
    if not dataset.live:
        return Outcome("skipped", "no live connector for this copy")
    wait_until = _asked_to_wait(store, territory, dataset)
    if wait_until:
        # The portal said when to come back (429/503 Retry-After): no request before then,
        # --force included, so a cron every minute never turns into a retry storm.
        outcome = Outcome("kept", f"portal asked to wait until {wait_until} (Retry-After)")
        _record(store, territory, dataset, outcome, wait_until)
        return outcome
    session.validators[dataset.url] = lambda body: validate(dataset, body)[0] is not None
    session.retry_after.pop(dataset.url, None)
    try:
        if dataset.connector == "arcgis":        # paged: every page checked, then one payload
            response = _Layer(*fetch_layer(session, dataset, force))
        else:
            response = session.get(dataset.url, expire_after=dataset.refresh_seconds,
                                   force_refresh=force)
        outcome = _judge(store, territory, dataset, response, previous_count)
    except TooLarge as exc:
        outcome = Outcome("kept", f"payload too large: {exc}")
    except PageError as exc:                  # one page of a layer failed: none is used
        outcome = Outcome("kept", f"layer page failed: {exc}")
    except OffHostRedirect as exc:
        outcome = Outcome("kept", str(exc))
    except requests.RequestException as exc:
        outcome = Outcome("kept", f"portal unreachable: {_unreachable(exc)}")
    except Exception as exc:  # noqa: BLE001 - an error of ours in one dataset: report, go on
        # Not the portal's fault: logged with its traceback, said in `data status` and the CLI.
        log.exception("refresh of %s/%s failed", territory.id, dataset.id)
        outcome = Outcome("failed", f"{type(exc).__name__}: {exc}"[:200])
    seconds = session.retry_after.pop(dataset.url, None)
    wait_until = None
    if seconds:
        wait_until = (datetime.now(timezone.utc) + timedelta(seconds=seconds)).replace(
            microsecond=0).isoformat()
        outcome.detail = f"{outcome.detail}; retry after {wait_until}".lstrip("; ")
    _record(store, territory, dataset, outcome, wait_until)
    return outcome


@dataclass
class _Layer:
    """The pages of an ArcGIS layer put together, judged like one response."""

    content: bytes
    all_cached: bool
    status_code: int = 200

    @property
    def from_cache(self) -> bool:
        """Never dated from the cache: a layer put together now is dated now."""
        return False


def _unreachable(exc: requests.RequestException) -> str:
    """Why the portal could not be reached, in the words an operator acts on."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    cause = getattr(reason, "__cause__", None)
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS failure (SSLError)"
    if isinstance(cause, socket.gaierror):
        return "name does not resolve (ConnectionError)"
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused (ConnectionError)"
    return type(exc).__name__


def _asked_to_wait(store, territory, dataset) -> str | None:
    """The time the portal asked us to come back at, while it is still ahead."""
    until = (store.last_attempt(territory.id, dataset.id) or {}).get("retry_after")
    try:
        return until if until and datetime.fromisoformat(until) > datetime.now(timezone.utc) \
            else None
    except (TypeError, ValueError):
        return None


def _record(store, territory, dataset, outcome: Outcome, retry_after: str | None = None) -> None:
    """Remember the attempt beside the snapshot (and when the portal wants us back, if it said)."""
    attempt = {"at": _now(), "status": outcome.status, "detail": outcome.detail[:200]}
    if retry_after:
        attempt["retry_after"] = retry_after
    store.record_attempt(territory.id, dataset.id, attempt)


def _judge(store, territory, dataset, response, previous_count: int) -> Outcome:
    """Swap the snapshot when the response is good and new."""
    if response.status_code != 200:
        return Outcome("kept", f"HTTP {response.status_code}")
    result, reason = validate(dataset, response.content, previous_count)
    if result is None:
        return Outcome("kept", f"invalid payload: {reason}")
    stale = getattr(response, "is_expired", False)
    digest = hashlib.sha256(response.content).hexdigest()
    if store.digest(territory.id, dataset.id) == digest:
        return Outcome("unchanged", "stale cache, portal failing" if stale else "",
                       len(result.places), result.skipped)
    prepare = PREPARERS.get(dataset.connector)
    reason = prepare(territory, dataset, response.content) if prepare else None
    if reason:
        return Outcome("kept", f"invalid payload: {reason}")
    fetched = response.created_at.replace(microsecond=0).isoformat() \
        if getattr(response, "from_cache", False) else _now()
    store.write(territory.id, dataset.id, response.content, {
        "fetched_at": fetched, "source": dataset.url, "count": len(result.places),
        "skipped": result.skipped, "bytes": len(response.content)})
    return Outcome("updated", "from stale cache" if stale else "", len(result.places),
                   result.skipped)
