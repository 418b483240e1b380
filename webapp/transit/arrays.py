"""Built arrays on disk: one folder per (feed bytes, builder version), swapped in by a rename."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

VERSION = 1        # bump when build.py changes what it writes: old folders are then rebuilt


def key(territory: str, dataset: str, payload: bytes) -> str:
    """Content address of a feed's arrays: same bytes and same builder = same folder."""
    return f"{territory}-{dataset}-{hashlib.sha256(payload).hexdigest()[:16]}-v{VERSION}"


def write(root: Path, name: str, arrays: dict, meta: dict) -> Path:
    """Write every array and meta.json in a temporary folder, then rename it into place."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / name
    if (final / "meta.json").exists():
        return final                          # another process built the same feed first
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}."))
    try:
        for field, array in arrays.items():
            np.save(tmp / f"{field}.npy", np.ascontiguousarray(array), allow_pickle=False)
        # meta.json last: a folder with meta.json is complete.
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        for path in tmp.iterdir():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        os.rename(tmp, final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (final / "meta.json").exists():
            raise
    return final


def read(folder: Path) -> tuple[dict, dict]:
    """Memory-map every array (pages shared by all workers), parse meta.json."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    arrays = {}
    for path in folder.glob("*.npy"):
        try:
            arrays[path.stem] = np.load(path, mmap_mode="r", allow_pickle=False)
        except ValueError:                    # an empty array cannot be mapped
            arrays[path.stem] = np.load(path, allow_pickle=False)
    return arrays, meta


def find(roots: list[Path], name: str) -> Path | None:
    """The first complete folder of that name among roots."""
    for root in roots:
        if (root / name / "meta.json").exists():
            return root / name
    return None


def prune(root: Path, territory: str, dataset: str, keep: set[str]) -> None:
    """Remove other builds of one dataset (mapped files stay readable until unmapped)."""
    for path in root.glob(f"{territory}-{dataset}-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def size_on_disk(folder: Path) -> int:
    """Bytes of a built folder."""
    return sum(p.stat().st_size for p in folder.iterdir())
