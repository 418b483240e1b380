"""Snapshots on disk: the embedded copy shipped with the app, and refreshed copies swapped atomically."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..shared import GENERATION_KEY


@dataclass
class Snapshot:
    """A raw payload with where and when it came from."""

    payload: bytes
    meta: dict
    origin: str          # "refreshed" or "embedded"


def _atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SnapshotStore:
    """Reads the newest good payload of a dataset; writes new ones without ever tearing the old."""

    def __init__(self, root: Path, embedded_root: Path, shared=None):
        self.root = Path(root)              # one host's instance/, or a folder every host mounts
        self.embedded_root = Path(embedded_root)
        self.shared = shared                # webapp.shared.Shared when several hosts, else None

    def _pointer(self, territory: str, dataset: str) -> Path:
        return self.root / territory / f"{dataset}.json"

    READ_ATTEMPTS = 3

    def read(self, territory: str, dataset) -> Snapshot | None:
        """The refreshed snapshot if any, else the embedded file, else None.

        Raises FileNotFoundError when the pointer names a payload that stays missing: falling
        back to the embedded copy would silently show older data."""
        pointer = self._pointer(territory, dataset.id)
        for _ in range(self.READ_ATTEMPTS):
            try:
                meta = json.loads(pointer.read_text(encoding="utf-8"))
            except FileNotFoundError:
                break                       # never refreshed: the embedded copy
            if not isinstance(meta, dict) or not isinstance(meta.get("payload"), str):
                raise ValueError(f"{pointer} is damaged")     # edited by hand, or a bad disk
            try:
                # Only a file name of this folder: a hand-edited "../x" must not read elsewhere.
                payload = (pointer.parent / Path(meta["payload"]).name).read_bytes()
                return Snapshot(payload, meta, "refreshed")
            except FileNotFoundError:
                continue    # a refresh swapped the pointer and removed this payload: read again
        else:
            raise FileNotFoundError(f"{pointer} names a missing payload")
        return self.embedded(dataset)

    def embedded(self, dataset) -> Snapshot | None:
        """The copy shipped with the app, dated as published."""
        if not dataset.embedded:
            return None
        path = self.embedded_root / dataset.embedded
        meta = {"fetched_at": dataset.embedded_date, "source": dataset.url, "payload": path.name}
        return Snapshot(path.read_bytes(), meta, "embedded")

    def _meta(self, territory: str, dataset: str) -> dict | None:
        """The pointer's content; None when there is none or it is damaged (a write repairs it)."""
        try:
            meta = json.loads(self._pointer(territory, dataset).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def digest(self, territory: str, dataset: str) -> str | None:
        """The sha256 of the refreshed payload as it is on disk (a damaged file does not match)."""
        name = (self._meta(territory, dataset) or {}).get("payload")
        if not isinstance(name, str):
            return None                           # never refreshed, or a damaged pointer
        try:
            return hashlib.sha256((self.root / territory / Path(name).name).read_bytes()).hexdigest()
        except OSError:
            return None

    def write(self, territory: str, dataset: str, payload: bytes, meta: dict) -> None:
        """Store payload under its hash, then swap the pointer in one rename."""
        digest = hashlib.sha256(payload).hexdigest()
        folder = self.root / territory
        name = f"{dataset}-{digest[:16]}.bin"
        _atomic_write(folder / name, payload)     # also repairs a damaged file of the same name
        previous = (self._meta(territory, dataset) or {}).get("payload")
        _atomic_write(self._pointer(territory, dataset), json.dumps(
            {**meta, "payload": name, "sha256": digest}, ensure_ascii=False, indent=1).encode())
        if isinstance(previous, str) and previous != name:
            (folder / previous).unlink(missing_ok=True)
        self.touch_generation()

    def record_attempt(self, territory: str, dataset: str, attempt: dict) -> None:
        """Remember the last refresh attempt (failures included) beside the pointer."""
        path = self.root / territory / f"{dataset}.attempt.json"
        _atomic_write(path, json.dumps(attempt, ensure_ascii=False, indent=1).encode())

    def last_attempt(self, territory: str, dataset: str) -> dict | None:
        """The last refresh attempt, if any."""
        path = self.root / territory / f"{dataset}.attempt.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def generation(self) -> str:
        """Changes whenever a snapshot is swapped: running workers reload on a new value.

        With Redis, the token published there (every host sees a swap within seconds, where a
        network folder may cache file attributes for a minute); without it, or while it is down,
        the same token read from the GENERATION file."""
        if self.shared is not None:
            token = self.shared.get(GENERATION_KEY)
            if token is not None:
                return token
        try:
            return (self.root / "GENERATION").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def touch_generation(self) -> None:
        """Mark that data changed: a new token in the file, then in Redis."""
        token = f"{time.time_ns()}-{os.getpid()}"
        _atomic_write(self.root / "GENERATION", token.encode())
        if self.shared is not None:
            self.shared.set(GENERATION_KEY, token)
