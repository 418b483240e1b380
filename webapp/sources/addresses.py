"""Address files (BAN "csv", BANO) read as one record per street, its numbers packed inside.

A street is one record: its name, its commune, one published address point to answer "near rue
de Rivoli", and every number with its own point packed in two compact columns (a string and an
array of floats), so Paris's 158k addresses cost a few MB rather than 158k objects."""
from __future__ import annotations

import csv
import gzip
import io
import zlib
from array import array

from .formats import PayloadError

# The Paris département file is 26 MB unzipped; the largest (Nord) is under 200 MB.
MAX_UNZIPPED = 512 * 1024 * 1024
# BAN writes a suffix as a letter ("b", "t", "q", "a"…); people type "bis", "ter", "quater".
SUFFIX_WORDS = {"bis": "b", "ter": "t", "quater": "q", "quinquies": "c"}
SUFFIX_NAMES = {"b": "bis", "t": "ter", "q": "quater", "c": "quinquies"}


def number_key(numero: str, rep: str = "") -> str:
    """"12", "b" -> "12b"; "12", "bis" -> "12b"; what a typed number is compared with."""
    rep = rep.strip().lower()
    return f"{int(numero)}{SUFFIX_WORDS.get(rep, rep[:1] if rep else '')}"


def number_label(key: str) -> str:
    """"12b" -> "12 bis", "12a" -> "12 A", "12" -> "12"."""
    digits = key.rstrip("abcdefghijklmnopqrstuvwxyz")
    rest = key[len(digits):]
    return f"{digits} {SUFFIX_NAMES.get(rest, rest.upper())}" if rest else digits


def _text_lines(payload: bytes):
    """The payload's lines as text, unzipped as they are read (a .csv.gz is never held whole)."""
    stream = io.BytesIO(payload)
    if payload[:2] == b"\x1f\x8b":
        stream = _Capped(gzip.GzipFile(fileobj=stream))
    elif payload.lstrip()[:1] == b"<":
        raise PayloadError("HTML instead of CSV")
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from text
    except UnicodeDecodeError as exc:
        raise PayloadError("not UTF-8") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise PayloadError(f"gzip unreadable: {type(exc).__name__}") from exc


class _Capped(io.RawIOBase):
    """A gzip stream that refuses to give more than MAX_UNZIPPED bytes (no gzip bomb)."""

    def __init__(self, inner):
        self.inner, self.read_so_far = inner, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        self.read_so_far += len(data)
        if self.read_so_far > MAX_UNZIPPED:
            raise PayloadError("unzipped address file larger than we accept")
        buffer[:len(data)] = data
        return len(data)


class _Streets:
    """Addresses grouped by street as they are read."""

    def __init__(self):
        self.streets: dict[str, dict] = {}

    def add(self, key, name, context, numero, rep, lat, lon) -> None:
        try:
            lat, lon = float(lat), float(lon)
            number = number_key(numero, rep) if numero and numero != "99999" else None
        except ValueError:
            return                               # counted by the mapping: no point, no number
        street = self.streets.get(key)
        if street is None:
            street = self.streets[key] = {"id": key, "name": name, "context": context,
                                          "numbers": [], "coords": array("d"),
                                          "points": array("d"),
                                          "names": {}}
        # BANO spells one street two ways at times ("rue Michel Roulland" from OSM, "Rue …" from
        # the cadastre): the spelling most of its addresses use wins.
        street["names"][name] = street["names"].get(name, 0) + 1
        if number is not None:
            street["numbers"].append(number)
            street["coords"].extend((lat, lon))
        else:                  # a point without a number (BAN's 99999): for the middle only
            street["points"].extend((lat, lon))

    def records(self) -> list[dict]:
        """One record per street; its point is the published address nearest its middle."""
        out = []
        for street in self.streets.values():
            flat = street["coords"] + array("d", street.pop("points"))   # lat, lon, lat, lon…
            points = list(zip(flat[::2], flat[1::2]))
            mid_lat = sum(flat[::2]) / len(points)
            mid_lon = sum(flat[1::2]) / len(points)
            lat, lon = min(points, key=lambda p: (p[0] - mid_lat) ** 2 + (p[1] - mid_lon) ** 2)
            names = street.pop("names")
            street.update(lat=lat, lon=lon, numbers="|".join(street["numbers"]),
                          name=max(names, key=lambda n: (names[n], n)))
            out.append(street)
        return out


def parse_ban(payload: bytes) -> list[dict]:
    """BAN "csv" (the legacy per-commune and per-département product): `;`, a header, lon/lat."""
    reader = csv.reader(_text_lines(payload), delimiter=";")
    try:
        header = next(reader)
        col = {name: header.index(name) for name in
               ("id", "numero", "rep", "nom_voie", "code_postal", "nom_commune", "lon", "lat")}
    except (StopIteration, ValueError) as exc:
        raise PayloadError("BAN CSV: missing columns") from exc
    streets = _Streets()
    try:
        for row in reader:
            if len(row) < len(header):
                continue
            # "75101_8249_00041" and "75101_8249_00041_bis" -> the street "75101_8249"
            street_id = "_".join(row[col["id"]].split("_", 2)[:2])
            context = f"{row[col['code_postal']]} {row[col['nom_commune']]}"
            streets.add(street_id, row[col["nom_voie"]], context, row[col["numero"]],
                        row[col["rep"]], row[col["lat"]], row[col["lon"]])
    except csv.Error as exc:
        raise PayloadError(f"BAN CSV: {exc}") from exc
    return streets.records()


def parse_bano(payload: bytes) -> list[dict]:
    """BANO CSV: no header, `id,numero,voie,code_post,nom_comm,source,lat,lon` (lat first)."""
    streets = _Streets()
    try:
        for row in csv.reader(_text_lines(payload)):
            if len(row) != 8:
                continue
            street_id = row[0].split("-", 1)[0]                # "243220006D-24" -> street
            numero, rep = _split_number(row[1])
            streets.add(street_id, row[2], f"{row[3]} {row[4]}", numero, rep, row[6], row[7])
    except csv.Error as exc:
        raise PayloadError(f"BANO CSV: {exc}") from exc
    if not streets.streets:
        raise PayloadError("BANO CSV: no address")
    return streets.records()


def _split_number(text: str) -> tuple[str, str]:
    """BANO writes "12", "12 BIS" or "12B" in one column."""
    text = text.strip()
    digits = text[:len(text) - len(text.lstrip("0123456789"))]
    return digits, text[len(digits):].strip()
