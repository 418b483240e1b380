"""Adding a known place: by a name in the gazetteer, the device's position or a point on the map."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ...text import fold
from .profile import MAX_LABEL, MAX_NAME, MAX_PLACES, ProfileError, clean_text, read_place


@dataclass
class Adding:
    """What happened to the place being added: added, choices to make, or errors."""

    label: str = ""
    query: str = ""
    choices: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    added: bool = False


def default_label(count: int) -> str:
    """"Domicile" for the first place, "Lieu 2", "Lieu 3"… for the next ones."""
    return _("Domicile") if count == 0 else _("Lieu %(n)d", n=count + 1)


def add_place(data, person, form) -> Adding:
    """Resolve the new place's fields and append it to person.places when it is clear."""
    adding = Adding()
    try:
        adding.label = clean_text(form.get("ajout-nom"), MAX_LABEL, "label_too_long")
        adding.query = clean_text(form.get("ajout-endroit"), MAX_NAME, "name_too_long")
    except ProfileError as exc:
        adding.errors.append(str(exc))
        return adding
    if person.full:
        adding.errors.append("too_many")
        return adding
    label = adding.label or default_label(len(person.places))
    choice, lat = form.get("ajout-choix", "")[:200], form.get("ajout-lat", "")
    if choice:
        entry = data.gazetteer.get(choice)
        if entry is None:
            adding.errors.append("unknown_place")
            return adding
        return _added(adding, person, label, entry.name, entry.lat, entry.lon)
    if lat:
        source = form.get("ajout-source")
        name = adding.query or (_("Point choisi sur la carte") if source == "carte"
                                else _("Ma position"))
        try:
            known = read_place(label, name, lat, form.get("ajout-lon"), data.territory.bbox)
        except ProfileError as exc:
            adding.errors.append(str(exc))
            return adding
        person.places.append(known)
        adding.added = True
        return adding
    if not adding.query:
        adding.errors.append("no_where")
        return adding
    choices = data.gazetteer.search(adding.query)
    if not choices:
        adding.errors.append("no_match")
    elif len(choices) == 1 or [c.folded for c in choices].count(fold(adding.query)) == 1 == (
            choices[0].folded == fold(adding.query)):
        first = choices[0]      # the only one, or the only one with exactly this name
        return _added(adding, person, label, first.name, first.lat, first.lon)
    else:
        adding.choices = choices
    return adding


def _added(adding, person, label, name, lat, lon) -> Adding:
    """Append a place whose point comes from our own data."""
    person.places.append(read_place(label, name[:MAX_NAME], f"{lat:.6f}"[:20],
                                    f"{lon:.6f}"[:20], (-180, -90, 180, 90)))
    adding.added = True
    return adding


__all__ = ["Adding", "add_place", "MAX_PLACES"]
