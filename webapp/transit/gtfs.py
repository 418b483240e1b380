"""Reading a GTFS zip as published: quoted fields, a BOM, CRLF, optional files, times past 24:00."""
from __future__ import annotations

import csv
import io
import zipfile
import zlib
from datetime import date

from ..sources.formats import PayloadError

# Île-de-France's stop_times.txt is near 1 GB unzipped: above this, refuse (a zip bomb).
MAX_UNZIPPED = 2 * 1024 ** 3
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
               NotImplementedError, OSError, UnicodeDecodeError, csv.Error)


class GtfsZip:
    """The tables of one feed, read lazily from the zip's bytes."""

    def __init__(self, payload: bytes):
        if payload[:2] != b"PK":
            raise PayloadError("GTFS: not a zip archive")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(payload))
            infos = self.zip.infolist()
        except _ZIP_ERRORS as exc:
            raise PayloadError(f"GTFS zip unreadable: {type(exc).__name__}") from exc
        if sum(i.file_size for i in infos) > MAX_UNZIPPED:
            raise PayloadError("GTFS zip larger than we accept once unzipped")
        # Some publishers zip a folder: find each table by its base name.
        self.names = {i.filename.rsplit("/", 1)[-1]: i.filename for i in infos}

    def has(self, table: str) -> bool:
        """True when the feed holds this file."""
        return f"{table}.txt" in self.names

    def rows(self, table: str, columns: list[str], required: tuple[str, ...] = ()):
        """Yield lists of the asked columns ("" when a column is absent), BOM and quotes handled."""
        name = self.names.get(f"{table}.txt")
        if name is None:
            raise PayloadError(f"GTFS: {table}.txt missing")
        try:
            with self.zip.open(name) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                reader = csv.reader(text)
                header = [h.strip() for h in next(reader, [])]
                missing = [c for c in required if c not in header]
                if missing:
                    raise PayloadError(f"GTFS: {table}.txt without {', '.join(missing)}")
                where = [header.index(c) if c in header else None for c in columns]
                width = len(header)
                for row in reader:
                    if len(row) < width:
                        if not row:
                            continue          # a blank line, often the last one
                        row = row + [""] * (width - len(row))
                    yield [row[i].strip() if i is not None else "" for i in where]
        except _ZIP_ERRORS as exc:
            raise PayloadError(f"GTFS {table}.txt unreadable: {type(exc).__name__}") from exc


def parse_time(text: str) -> int:
    """"25:10:00" -> 90600 seconds after midnight of the service day; -1 when empty."""
    if not text:
        return -1
    try:
        h, m, s = text.split(":")
        return int(h) * 3600 + int(m) * 60 + int(s)
    except ValueError as exc:
        raise PayloadError(f"GTFS: bad time {text[:12]!r}") from exc


def parse_date(text: str) -> date:
    """"20230410" -> date(2023, 4, 10)."""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError as exc:
        raise PayloadError(f"GTFS: bad date {text[:12]!r}") from exc
