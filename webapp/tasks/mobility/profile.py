"""The person's profile: known places, modes and pace, read from a POST body, never stored."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ...geo import BadCoordinates, parse_position
from ..origin import MESSAGES as ORIGIN_MESSAGES

MAX_PLACES = 9            # a home and up to 8 known places
MAX_LABEL = 40            # "Chez moi", "Médecin", "Mission locale"
MAX_NAME = 80             # the gazetteer's longest query
MAX_SHARED = 4000         # an encoded profile of 9 places is ~1 KB
MODES = ("walk", "bike", "transit")
PACES = {"ordinary": 1.25, "slow": 0.83}          # metres per second (4.5 and 3 km/h)
BIKE_MPS = 4.2                                     # own bike, ~15 km/h, on a 1.3 detour
DETOUR = 1.3

MESSAGES = {
    "too_many": _l("Un plan garde au plus %(n)d lieux (le domicile et 8 autres). Retirez-en un "
                   "avant d'en ajouter.", n=MAX_PLACES),
    "label_too_long": _l("Ce nom de lieu est trop long (%(max)d caractères au plus).",
                         max=MAX_LABEL),
    "name_too_long": _l("Ce nom est trop long (%(max)d caractères au plus).", max=MAX_NAME),
    "bad_place": _l("Un lieu du plan n'était pas lisible ; il a été retiré."),
    "bad_shared": _l("Ce lien de plan n'est pas lisible. Demandez un nouveau lien ou refaites le "
                     "plan."),
    "no_where": _l("Indiquez où se trouve ce lieu : un nom, votre position ou un point sur la "
                   "carte."),
    "bad_mode": _l("Ce moyen de déplacement n'est pas reconnu : à pied, vélo et transports en "
                   "commun sont gardés."),
}


@dataclass(frozen=True)
class Known:
    """A place the person knows: what they call it, where it is."""

    label: str               # their word: "Chez moi", "Médecin"
    name: str                # where: a gazetteer name, "Ma position", "Point choisi sur la carte"
    lat: float
    lon: float


@dataclass
class Profile:
    """Known places (the first is home), modes, walking pace."""

    places: list[Known] = field(default_factory=list)
    modes: tuple[str, ...] = MODES
    pace: str = "ordinary"

    @property
    def walk_mps(self) -> float:
        """Walking speed in metres per second."""
        return PACES[self.pace]

    @property
    def full(self) -> bool:
        """No room for another place."""
        return len(self.places) >= MAX_PLACES


class ProfileError(ValueError):
    """A profile field we refuse; the message is a MESSAGES key."""


def clean_text(value: str | None, limit: int, error: str) -> str:
    """Trimmed text without control characters, refused beyond limit."""
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise ProfileError(error)
    return "".join(c for c in text if c.isprintable())


def read_place(label: str | None, name: str | None, lat: str | None, lon: str | None,
               bbox) -> Known:
    """One known place from its four fields (coordinates checked against the territory)."""
    try:
        la, lo = parse_position(lat, lon, bbox)
    except BadCoordinates as exc:
        raise ProfileError(str(exc)) from exc
    return Known(clean_text(label, MAX_LABEL, "label_too_long"),
                 clean_text(name, MAX_NAME, "name_too_long"), la, lo)


def read_profile(form, bbox) -> tuple[Profile, list[str]]:
    """The profile carried in hidden fields (lieu-<i>-nom/-endroit/-lat/-lon), modes and pace.

    Unreadable places are dropped with one message; extra ones beyond MAX_PLACES too."""
    errors: list[str] = []
    places: list[Known] = []
    for i in range(MAX_PLACES + 1):
        prefix = f"lieu-{i}-"
        if prefix + "lat" not in form:
            continue
        if len(places) == MAX_PLACES:
            errors.append("too_many")
            break
        try:
            places.append(read_place(form.get(prefix + "nom"), form.get(prefix + "endroit"),
                                     form.get(prefix + "lat"), form.get(prefix + "lon"), bbox))
        except ProfileError:
            if "bad_place" not in errors:
                errors.append("bad_place")
    modes = tuple(m for m in MODES if m in form.getlist("modes")[:6])
    if len(modes) != len(set(form.getlist("modes")[:6])):
        errors.append("bad_mode")
    if "modes-envoyes" in form and not modes:
        modes = ("walk",)
    pace = form.get("allure", "ordinary")
    return Profile(places, modes or MODES, pace if pace in PACES else "ordinary"), errors


def encode(profile: Profile) -> str:
    """The profile as a URL-safe string for a link's fragment (never sent to any server)."""
    raw = {"v": 1, "p": [[k.label, k.name, k.lat, k.lon] for k in profile.places],
           "m": "".join(m[0] for m in profile.modes), "a": profile.pace[0]}
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(text: str, bbox) -> Profile:
    """A profile from encode()'s string; ProfileError("bad_shared") for anything else."""
    if not text or len(text) > MAX_SHARED:
        raise ProfileError("bad_shared")
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        places = [read_place(str(p[0]), str(p[1]), str(p[2]), str(p[3]), bbox)
                  for p in raw["p"][:MAX_PLACES]]
        modes = tuple(m for m in MODES if m[0] in str(raw.get("m", "")))
        pace = {"o": "ordinary", "s": "slow"}.get(raw.get("a"), "ordinary")
    except (ValueError, TypeError, KeyError, IndexError, binascii.Error, ProfileError) as exc:
        raise ProfileError("bad_shared") from exc
    return Profile(places, modes or MODES, pace)


def message(key: str) -> str:
    """The translated message of a profile error key (coordinates' keys included)."""
    found = MESSAGES.get(key) or ORIGIN_MESSAGES.get(key)
    return str(found) if found else str(MESSAGES["bad_place"])
