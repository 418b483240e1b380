"""Where to search from: the device's position, a place chosen by name, or a name to look up."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..gazetteer import MAX_QUERY, Entry
from ..geo import BadCoordinates, parse_position
from ..kiosk import origin_for as kiosk_origin
from ..rendering import values, wants_fragment
from ..text import fold

MESSAGES = {
    "malformed": _l("Cette position n'est pas lisible. Réessayez avec le bouton « Utiliser ma "
                    "position » ou choisissez un lieu par son nom."),
    "out_of_range": _l("Cette position n'existe pas sur Terre. Choisissez un lieu par son nom."),
    "outside_territory": _l("Cette position est hors du territoire couvert. Choisissez un lieu "
                            "par son nom ou changez de ville."),
    "too_long": _l("Ce nom est trop long (%(max)d caractères au plus).", max=MAX_QUERY),
    "unknown_place": _l("Ce lieu est inconnu. Cherchez-le par son nom."),
    "no_match": _l("Aucun lieu ne porte ce nom ici. Essayez un arrêt, une station ou une rue "
                   "proche."),
    # Where no address file is loaded, a street name is not "unknown": it cannot be searched.
    "no_streets": _l("Aucun lieu ne porte ce nom ici. Les rues ne sont pas encore cherchables à "
                     "%(city)s : essayez un arrêt, une station, un parc ou un équipement proche."),
}


@dataclass
class Origin:
    """The point results are measured from."""

    lat: float
    lon: float
    label: str | None        # None: the device's own position (never echoed back)


@dataclass
class Lookup:
    """The outcome of reading the request: an origin, choices, or a message."""

    origin: Origin | None = None
    query: str = ""
    choices: list[Entry] = field(default_factory=list)
    error: str | None = None
    status: int = 200
    city: str = ""
    place_id: str | None = None      # the gazetteer entry searched from, when named
    private: bool = False            # that entry is a street or an address (never in a URL)

    @property
    def device(self) -> bool:
        """Whether the origin is the device's own position (never written into an address)."""
        return self.origin is not None and self.origin.label is None

    @property
    def personal(self) -> bool:
        """Whether the answer starts from a position or an address: no link to share then."""
        return self.device or (self.origin is not None and self.private)

    @property
    def message(self) -> str | None:
        """The translated message for the error, if any."""
        if not self.error:
            return None
        text = str(MESSAGES[self.error])
        return text % {"city": self.city} if self.error == "no_streets" else text


def resolve_origin(data, args) -> Lookup:
    """Read lat/lon, lieu (a gazetteer id) or q (a name) from the form or the query string."""
    if "lat" in args or "lon" in args:
        try:
            lat, lon = parse_position(args.get("lat"), args.get("lon"), data.territory.bbox)
        except BadCoordinates as exc:
            return Lookup(error=str(exc), status=400)
        return Lookup(origin=Origin(lat, lon, None))
    if "lieu" in args:
        entry = data.gazetteer.get(args.get("lieu", "")[:200])
        if entry is None:
            return Lookup(error="unknown_place", status=404)
        return Lookup(origin=Origin(entry.lat, entry.lon, entry.name), query=entry.name,
                      place_id=entry.id, private=entry.private)
    query = args.get("q", "").strip()
    if len(query) > MAX_QUERY:
        return Lookup(error="too_long", status=400)
    if not query:       # a kiosk answers from its own place (never put in a URL)
        kiosk = kiosk_origin(data.territory.id)
        return Lookup(origin=Origin(*kiosk) if kiosk else None)
    choices = data.gazetteer.search(query)
    if not choices:
        error = "no_match" if data.gazetteer.has_streets else "no_streets"
        return Lookup(query=query, error=error, city=data.territory.name)
    first = choices[0]
    if len(choices) == 1 or first.folded == fold(query):
        return Lookup(origin=Origin(first.lat, first.lon, first.name), query=query,
                      choices=choices[1:], place_id=first.id, private=first.private)
    return Lookup(query=query, choices=choices)


def shareable_args(args, lookup: Lookup) -> dict | None:
    """The query string of this answer for the address bar: a named place by its id, never a
    position or the text typed; None when the answer has no shareable address (a position,
    an error, places still to choose, a street or an address)."""
    if lookup.personal or lookup.error or ("q" in args and not lookup.place_id):
        return None
    kept = {k: v for k, v in args.to_dict(flat=False).items() if k not in ("lat", "lon", "q")}
    if lookup.place_id:
        kept["lieu"] = [lookup.place_id]
    return kept


def share_redirect(args, lookup: Lookup, push: str | None):
    """303 to the shareable address of a public place asked by a plain form POST or by an old
    `?q=` link; None otherwise (htmx gets the answer with HX-Push-Url, see rendering.py)."""
    if not push or not lookup.place_id or lookup.private or wants_fragment():
        return None
    asked = request.method == "POST" or ("q" in args and "lieu" not in args
                                         and "lat" not in args and "lon" not in args)
    return redirect(push, 303) if asked else None


def locate(data, endpoint: str, territory: str):
    """The request's fields, its Lookup, the answer's shareable address (None: no link) and the
    303 a plain form asking for a public place gets instead of a page (share_redirect)."""
    args = values()
    lookup = resolve_origin(data, args)
    kept = shareable_args(args, lookup)
    push = url_for(endpoint, territory=territory, **kept) if kept is not None else None
    return args, lookup, push, share_redirect(args, lookup, push)
