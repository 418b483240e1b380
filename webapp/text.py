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


# French words kept lower-case inside a name ("Place de la Gare"), and numerals kept upper.
_SMALL = frozenset("à au aux d de des du en et l la le les sur sous un une".split())
_ROMAN = re.compile(r"(?i)^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_TOKENS = re.compile(r"[^\W\d_]+|\d+\w*|\W+|_", re.UNICODE)


def title_name(text: str) -> str:
    """"POIDS DE L'HUILE" -> "Poids de l'Huile", "ECOLE JULES FERRY II" -> "Ecole Jules Ferry II"
    (missing accents are not guessed); codes with digits ("A1", "12B") stay upper-case."""
    out, first = [], True
    for token in _TOKENS.findall(text.lower()):
        if not token[0].isalpha():
            out.append(token.upper() if token[0].isdigit() else token)
            continue
        if _ROMAN.match(token) and not first and len(token) > 1:
            out.append(token.upper())
        elif token in _SMALL and not first:
            out.append(token)
        else:
            out.append(token.capitalize())
        first = False
    return "".join(out)


def shouting(text: str | None) -> bool:
    """Whether a published name is written in capitals only ("BELLEDONNE", "GARE ECHIROLLES")."""
    letters = [c for c in text or "" if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
