"""Static files as the ecosystem serves them: content-hashed names cached for a year as
`immutable`, precompressed with gzip and brotli, served by WhiteNoise before Flask.

`static/` stays the source. `build_static()` writes `build/static/` (made by `make install`, and
again by the app at start whenever `static/` changed, so a stale copy is never served)."""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from .paths import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "static"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
# References a file makes to its neighbours, rewritten to their hashed names.
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|https?:|/|#)([^'")?#]+)\1\s*\)""")
JS_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"']+)\2""")
NOT_HASHED_MAX_AGE = 3600          # the plain names, for anything that asks for them

log = logging.getLogger(__name__)


def source_digest(source: Path) -> str:
    """A digest of every file's path and content: any change means a new build."""
    digest = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class _Hasher:
    """Hashed names, computed after the names a file refers to (their hash is in its bytes)."""

    def __init__(self, source: Path):
        self.source, self.names, self.bodies = source, {}, {}

    def name(self, rel: str, seen: tuple = ()) -> str:
        """The hashed name of `rel` (relative to the source), rewriting its references first."""
        if rel in self.names:
            return self.names[rel]
        body = (self.source / rel).read_bytes()
        if rel.endswith((".css", ".js")) and rel not in seen:
            body = self._rewrite(rel, body.decode("utf-8"), (*seen, rel)).encode("utf-8")
        stem, dot, ext = rel.rpartition(".")
        self.bodies[rel] = body
        self.names[rel] = f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}.{ext}" if dot else rel
        return self.names[rel]

    def _rewrite(self, rel: str, text: str, seen: tuple) -> str:
        folder = Path(rel).parent

        def hashed(ref: str) -> str | None:
            target = os.path.normpath(folder / ref).replace(os.sep, "/")
            if not (self.source / target).is_file():
                return None
            return os.path.relpath(self.name(target, seen), folder).replace(os.sep, "/")

        def css(match):
            new = hashed(match.group(2))
            return f"url({match.group(1)}{new}{match.group(1)})" if new else match.group(0)

        def js(match):
            new = hashed(match.group(3))
            new = new if new is None or new.startswith(".") else f"./{new}"
            return f"{match.group(1)}{match.group(2)}{new}{match.group(2)}" if new else match.group(0)
        return CSS_URL.sub(css, text) if rel.endswith(".css") else JS_IMPORT.sub(js, text)


def build_static(source: Path = SOURCE, target: Path | None = None) -> dict[str, str]:
    """Write every file under both its plain and hashed name, precompress, swap in atomically;
    return {plain name: hashed name}."""
    target = target or PROJECT_ROOT / "build" / "static"
    hasher = _Hasher(source)
    files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    names = {rel: hasher.name(rel) for rel in files}
    work = target.parent / f".{target.name}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    for rel, hashed in names.items():
        for name in {rel, hashed}:
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(hasher.bodies[rel])
    compressor = Compressor(quiet=True)
    for path in list(work.rglob("*")):
        if path.is_file() and compressor.should_compress(path.name):
            compressor.compress(str(path))
    old = target.parent / f".{target.name}-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    work.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    # Beside the folder, not in it: nothing but static files is served from there.
    manifest_path(target).write_text(json.dumps({"digest": source_digest(source),
                                                 "files": names}, indent=1))
    return names


def manifest_path(target: Path) -> Path:
    """Where a build's names and source digest are written: build/static.json."""
    return target.with_name(target.name + ".json")


def built(target: Path, source: Path = SOURCE) -> dict[str, str]:
    """The build's names, rebuilding first when static/ changed since (or there is none).

    Under a lock: two processes starting together build once. A server already running keeps
    serving what it scanned at start; restart it after changing static/ (as after any code)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            manifest = json.loads(manifest_path(target).read_text())
            if manifest["digest"] == source_digest(source) and target.is_dir():
                return manifest["files"]
        except (OSError, ValueError, KeyError):
            pass
        log.info("static files changed: building %s", target)
        return build_static(source, target)


def init_app(app) -> None:
    """Serve build/static with WhiteNoise; url_for('static', ...) names the hashed files."""
    target = Path(app.config.get("STATIC_BUILD_DIR") or PROJECT_ROOT / "build" / "static")
    names = built(target)

    @app.url_defaults
    def hashed_static(endpoint, values):
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=str(target), prefix=app.static_url_path, max_age=NOT_HASHED_MAX_AGE,
        allow_all_origins=False,       # same-origin only (Cross-Origin-Resource-Policy too)
        immutable_file_test=lambda path, url: bool(HASHED.search(url)),
        mimetypes={".webmanifest": "application/manifest+json"})
    app.extensions["presdici.static"] = names


if __name__ == "__main__":          # `make install`: python -m webapp.assets
    print(f"build/static: {len(built(PROJECT_ROOT / 'build' / 'static'))} files, hashed and "
          "precompressed")
