"""Extract strings, update the catalogues and fill English translations, under a lock.

Usage:
  python tools/i18n.py update                 # extract + update (like `make i18n-update`)
  python tools/i18n.py fill en FILE.json      # update, then set msgstr from {msgid: str | [sg, pl]}
  python tools/i18n.py missing en             # list untranslated msgids (exit 1 if any)

The lock lets several people (or helpers) touch translations/ without clobbering each other.
"""
from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PYBABEL = str(Path(sys.executable).parent / "pybabel")


@contextmanager
def locked():
    """Hold an exclusive lock on translations/ while catalogues change."""
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def update() -> None:
    """Extract every msgid from Python and templates and merge into each catalogue."""
    pot = TRANSLATIONS / "messages.pot"
    subprocess.run([PYBABEL, "extract", "--sort-output", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        subprocess.run([PYBABEL, "update", "-i", str(pot), "-d", str(TRANSLATIONS),
                        "-l", po.parent.parent.name, "--no-fuzzy-matching", "--ignore-obsolete"],
                       cwd=ROOT, check=True, capture_output=True)


def _catalog_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def fill(lang: str, source: Path) -> int:
    """Set translations from a JSON file; returns how many msgids were unknown."""
    wanted = json.loads(source.read_text(encoding="utf-8"))
    path = _catalog_path(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    unknown = 0
    for msgid, text in wanted.items():
        key = msgid
        message = catalog.get(key)
        if message is None:  # plural entries are keyed by (singular, plural)
            message = next((m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None)
        if message is None:
            print(f"unknown msgid: {msgid!r}", file=sys.stderr)
            unknown += 1
            continue
        message.string = tuple(text) if isinstance(message.id, tuple) else text
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return unknown


def missing(lang: str) -> list[str]:
    """msgids without a translation in lang."""
    with _catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    out = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings) or "fuzzy" in m.flags:
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if not argv or argv[0] not in {"update", "fill", "missing"}:
        print(__doc__)
        return 2
    with locked():
        if argv[0] == "update":
            update()
        elif argv[0] == "fill":
            update()
            return 1 if fill(argv[1], Path(argv[2])) else 0
        else:
            todo = missing(argv[1])
            print("\n".join(todo))
            return 1 if todo else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
