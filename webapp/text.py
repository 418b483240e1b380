"""Text folding for search: case, accents, punctuation and spacing do not matter."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """"Gare d'Échirolles" -> "gare d echirolles"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("œ", "oe").replace("æ", "ae")
    return _NON_WORD.sub(" ", plain).strip()
