"""Small named transforms for declared field mappings, and the SkipRecord signal."""
from __future__ import annotations

import math
import re

from ..hours import from_text
from ..text import title_name

_NULLS = {"", "null", "none", "nan", "n/a"}
_SPACES = re.compile(r"\s+")


class SkipRecord(ValueError):
    """A malformed record: skipped and counted, never fatal."""


def clean(value):
    """Strip, collapse runs of spaces and newlines, and turn literal "null" strings into None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    text = _SPACES.sub(" ", value).strip()
    return None if text.lower() in _NULLS else text


def to_int(value):
    """Integer or None ("12", "12.0", 12)."""
    value = clean(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number >= 0 else None


def to_bool(value):
    """True/False/None from the many spellings portals use."""
    value = clean(value)
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).lower()
    if text in {"true", "1", "oui", "yes", "o", "vrai"}:
        return True
    if text in {"false", "0", "non", "no", "n", "faux"}:
        return False
    return None


def compact_date(value):
    """"20060101000000" or "2021-05-18..." -> "2006-01-01" / "2021-05-18"."""
    value = clean(value)
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"\d{8}(\d{6})?", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return None


def capitalize(value):
    """"RUE DES LILAS" -> "Rue des lilas": shouting addresses are hard to read."""
    value = clean(value)
    return value[:1].upper() + value[1:].lower() if isinstance(value, str) else value


def strip_code(value):
    """"00055 - ST SERNIN G. ARNOULT" -> "ST SERNIN G. ARNOULT" (JCDecaux station names)."""
    value = clean(value)
    return re.sub(r"^\d+\s*-\s*", "", value) if isinstance(value, str) else value


def title_case(value):
    """"ST SERNIN G. ARNOULT" -> "St Sernin G. Arnoult", "POIDS DE L'HUILE" -> "Poids de l'Huile"."""
    value = clean(value)
    return title_name(value) if isinstance(value, str) else value


def after_comma(value):
    """"Meylan, Revirée - Sayettes" -> "Revirée - Sayettes" (TAG names stops "Commune, Name")."""
    value = clean(value)
    return value.split(", ", 1)[1].strip() if isinstance(value, str) and ", " in value else value


def before_comma(value):
    """"Meylan, Revirée - Sayettes" -> "Meylan"; None without a comma."""
    value = clean(value)
    return value.split(", ", 1)[0].strip() if isinstance(value, str) and ", " in value else None


def hours_text(value):
    """Free-text daily hours ("6 h - 22 h", "24 h / 24") as OSM opening_hours; None: unknown."""
    value = clean(value)
    return from_text(value) if isinstance(value, str) else None


TRANSFORMS = {"after_comma": after_comma, "before_comma": before_comma, "hours_text": hours_text,
              "clean": clean, "int": to_int, "bool": to_bool, "date": compact_date,
              "capitalize": capitalize, "strip_code": strip_code, "title": title_case, "str": lambda v: None if clean(v) is None else str(clean(v))}
