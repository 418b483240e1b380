"""Extract strings, update every catalogue, list what is missing and fill translations, under a lock.

Usage:
  python tools/i18n.py update                   # extract + update every language (creates missing ones)
  python tools/i18n.py missing [LANG…]          # untranslated or fuzzy msgids (exit 1 if any)
  python tools/i18n.py todo LANG > LANG.json    # the missing msgids as a JSON to fill in
  python tools/i18n.py fill LANG FILE.json …    # update, then set msgstr from {msgid: str | [forms…]}

A plural msgid takes a list with exactly the language's number of forms, in Babel's order
(`plurals LANG` prints it: ar has 6, uk and es 3, en 2). A translation whose %(name)s placeholders
differ from the msgid's is refused. The lock lets several people touch translations/ at once.
"""
from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PYBABEL = str(Path(sys.executable).parent / "pybabel")
sys.path.insert(0, str(ROOT))
from webapp.languages import LANGUAGES  # noqa: E402  (the app's list is the one truth)

TARGETS = [code for code in LANGUAGES if code != "fr"]   # French is the source
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@contextmanager
def locked():
    """Hold an exclusive lock on translations/ while catalogues change."""
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def update() -> None:
    """Extract every msgid from Python and templates and merge into each language's catalogue."""
    pot = TRANSLATIONS / "messages.pot"
    subprocess.run([PYBABEL, "extract", "--sort-output", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    for lang in TARGETS:
        command = "update" if _catalog_path(lang).exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        subprocess.run([PYBABEL, command, "-i", str(pot), "-d", str(TRANSLATIONS), "-l", lang, *extra],
                       cwd=ROOT, check=True, capture_output=True)


def _catalog_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def _read(lang: str) -> Catalog:
    with _catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def _problem(message, text, forms: int) -> str | None:
    """Why a translation cannot be used for this message, or None."""
    if isinstance(message.id, tuple):
        if not isinstance(text, list) or len(text) != forms:
            return f"needs a list of {forms} plural forms"
        allowed = set(PLACEHOLDER.findall(message.id[1]))
        if any(not set(PLACEHOLDER.findall(form)) <= allowed for form in text):
            return f"placeholders must come from {sorted(allowed)}"
        return None
    if not isinstance(text, str):
        return "needs one string"
    if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(message.id)):
        return f"placeholders must be {sorted(set(PLACEHOLDER.findall(message.id)))}"
    return None


def fill(lang: str, source: Path) -> int:
    """Set translations from a JSON file; returns how many entries were unknown or refused."""
    wanted = json.loads(source.read_text(encoding="utf-8"))
    catalog = _read(lang)
    forms = get_plural(lang).num_plurals
    refused = 0
    for msgid, text in wanted.items():
        message = catalog.get(msgid)
        if message is None:  # plural entries are keyed by (singular, plural)
            message = next((m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None)
        problem = "unknown msgid" if message is None else _problem(message, text, forms)
        if problem:
            print(f"{lang}: {problem}: {msgid!r}", file=sys.stderr)
            refused += 1
            continue
        previous = message.string
        message.string = tuple(text) if isinstance(message.id, tuple) else text
        errors = message.check(catalog)   # what `pybabel compile` would refuse
        if errors:
            print(f"{lang}: {errors[0]}: {msgid!r}", file=sys.stderr)
            message.string = previous
            refused += 1
            continue
        message.flags.discard("fuzzy")
    with _catalog_path(lang).open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return refused


def missing(lang: str) -> list:
    """msgids without a complete, non-fuzzy translation in lang (plural ids as tuples)."""
    out = []
    for m in _read(lang):
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings) or "fuzzy" in m.flags:
            out.append(m.id)
    return out


def todo(lang: str) -> dict:
    """The missing msgids of lang as the JSON that `fill` takes, with empty texts to write."""
    forms = get_plural(lang).num_plurals
    return {(m[0] if isinstance(m, tuple) else m): ([""] * forms if isinstance(m, tuple) else "")
            for m in missing(lang)}


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if not argv or argv[0] not in {"update", "fill", "missing", "todo", "plurals"}:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "plurals":
        for lang in args or TARGETS:
            plural = get_plural(lang)
            print(f"{lang}: {plural.num_plurals} forms: {plural.plural_expr}")
        return 0
    with locked():
        if command == "update":
            update()
        elif command == "fill":
            update()
            pairs = list(zip(args[::2], args[1::2]))
            if not pairs or len(args) % 2:
                print(__doc__)
                return 2
            return 1 if sum(fill(lang, Path(path)) for lang, path in pairs) else 0
        elif command == "todo":
            print(json.dumps(todo(args[0]), ensure_ascii=False, indent=1))
        else:
            status = 0
            for lang in args or TARGETS:
                todo_ids = missing(lang)
                for msgid in todo_ids:
                    print(f"{lang}\t{msgid[0] if isinstance(msgid, tuple) else msgid}")
                status |= bool(todo_ids)
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
