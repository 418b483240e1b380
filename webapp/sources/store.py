"""Snapshots on disk: the embedded copy shipped with the app, and refreshed copies swapped atomically."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


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

    def __init__(self, root: Path, embedded_root: Path):
        self.root = Path(root)
        self.embedded_root = Path(embedded_root)

    def _pointer(self, territory: str, dataset: str) -> Path:
        return self.root / territory / f"{dataset}.json"

    def read(self, territory: str, dataset, ) -> Snapshot | None:
        """The refreshed snapshot if any, else the embedded file, else None."""
        pointer = self._pointer(territory, dataset.id)
        if pointer.exists():
            meta = json.loads(pointer.read_text(encoding="utf-8"))
            payload_path = pointer.parent / meta["payload"]
            if payload_path.exists():
                return Snapshot(payload_path.read_bytes(), meta, "refreshed")
        if dataset.embedded:
            path = self.embedded_root / dataset.embedded
            meta = {"fetched_at": dataset.embedded_date, "source": dataset.url, "payload": path.name}
            return Snapshot(path.read_bytes(), meta, "embedded")
        return None

    def write(self, territory: str, dataset: str, payload: bytes, meta: dict) -> None:
        """Store payload under its hash, then swap the pointer in one rename."""
        digest = hashlib.sha256(payload).hexdigest()
        folder = self.root / territory
        name = f"{dataset}-{digest[:16]}.bin"
        if not (folder / name).exists():
            _atomic_write(folder / name, payload)
        old = self._pointer(territory, dataset)
        previous = json.loads(old.read_text(encoding="utf-8")).get("payload") if old.exists() else None
        _atomic_write(old, json.dumps({**meta, "payload": name, "sha256": digest},
                                      ensure_ascii=False, indent=1).encode())
        if previous and previous != name:
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

    def generation(self) -> float:
        """Changes whenever a snapshot is swapped: running workers reload on a new value."""
        path = self.root / "GENERATION"
        return path.stat().st_mtime if path.exists() else 0.0

    def touch_generation(self) -> None:
        """Mark that data changed."""
        path = self.root / "GENERATION"
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, str(os.getpid()).encode())
