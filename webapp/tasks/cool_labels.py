"""User-facing names for « Au frais »: kinds of places, fountain faults, alerts (translatable)."""
from ..translation import lazy_gettext as _l

# (pictogram, label) per kind; the pictogram is decorative, the label always shown beside it.
KIND = {
    "museum": ("🏛️", _l("Musée")),
    "library": ("📚", _l("Bibliothèque")),
    "town_hall": ("🏢", _l("Mairie d'arrondissement")),
    "worship": ("⛪", _l("Lieu de culte")),
    "shade": ("⛱️", _l("Ombrière")),
    "temporary_shade": ("⛱️", _l("Ombrière temporaire")),
    "boules": ("🌳", _l("Terrain de boules ombragé")),
    "misting": ("💨", _l("Brumisateur")),
    "pool": ("🏊", _l("Piscine")),
    "outdoor_swim": ("🏊", _l("Baignade en plein air")),
    "baths": ("🚿", _l("Bains-douches")),
    "discovery": ("🧭", _l("Découverte et initiation")),
    "park": ("🌳", _l("Parc")),
    "green_space": ("🌳", _l("Espace vert public")),
    "square": ("🌳", _l("Square")),
    "botanical": ("🌿", _l("Jardin botanique")),
    "natural": ("🌲", _l("Espace naturel")),
    "drinking": ("🚰", _l("Fontaine à boire")),
    "wallace": ("🚰", _l("Fontaine Wallace")),
    "two_in_one": ("🚰", _l("Fontaine 2 en 1")),
    "arch": ("🚰", _l("Fontaine arceau")),
    "standpipe": ("🚰", _l("Borne-fontaine")),
    "sparkling": ("🚰", _l("Fontaine d'eau pétillante")),
    "totem": ("🚰", _l("Fontaine totem")),
    "water_point": ("🚰", _l("Point d'eau")),
    "albian": ("🚰", _l("Fontaine d'eau de l'Albien")),
    "millennium": ("🚰", _l("Fontaine du Millénaire")),
    "other": ("🚰", _l("Fontaine")),
    # Paris parks (issue 13)
    "garden": ("🌳", _l("Jardin")),
    "wood": ("🌲", _l("Bois")),
    "promenade": ("🌳", _l("Promenade plantée")),
    "cemetery": ("🌳", _l("Cimetière arboré")),
    # Public toilets: the city's sanisettes and OpenStreetMap's
    "sanisette": ("🚻", _l("Sanisette")),
    "toilets": ("🚻", _l("Toilettes publiques")),
    "urinal": ("🚻", _l("Urinoir")),
    "lavatory": ("🚻", _l("Toilettes avec dame pipi (lavatory)")),
    "osm_toilets": ("🚻", _l("Toilettes")),
}

OUT_REASON = {
    "no_water": _l("sans eau"),
    "works": _l("travaux en cours"),
    "repair": _l("en attente de réparation"),
    "replacement": _l("à remplacer"),
    "reported": _l("panne signalée"),
    "closed_on_request": _l("fermée à la demande d'un tiers"),
    "winter": _l("fermeture d'hiver"),
    "inaccessible": _l("inaccessible"),
    "other": _l("motif non précisé"),
}

LEVEL = {
    "yellow": _l("vigilance jaune"),
    "orange": _l("vigilance orange"),
    "red": _l("vigilance rouge"),
}

OVERRIDE = {
    "extended_hours": _l("Horaires élargis pendant la canicule"),
    "cooled_room": _l("Salle rafraîchie ouverte pendant la canicule"),
}

SECTION = {
    "cool": _l("Lieux frais"),
    "indoor": _l("Lieux frais intérieurs"),
    "outdoor": _l("Ombre, brumisateurs, baignades et parcs"),
    "water": _l("Eau potable"),
    "toilets": _l("Toilettes publiques"),
}

# What a territory could open when a category is missing, with the national schema if any
# (none exists yet for cool rooms or green spaces).
WANTED = {
    "cool_room": (_l("la liste des lieux frais ouverts au public (musées, bibliothèques, "
                     "mairies, lieux de culte, salles rafraîchies), avec leurs horaires "
                     "d'ouverture"), None),
    "park": (_l("la liste des parcs et jardins publics (emplacement ou contour, horaires "
                "d'ouverture, ombrage)"), None),
    "fountain": (_l("les fontaines à eau potable (emplacement, état, accès PMR, remplissage de "
                    "gourde), au format du schéma national « fontaine-eau »"),
                 "https://schema.data.gouv.fr/datagouv/schema-fontaine-eau/"),
    "toilets": (_l("la liste des toilettes publiques (emplacement, horaires, accès PMR, "
                   "gratuité)"), None),
}


def kind(code: str | None) -> tuple[str, str]:
    """(pictogram, label) of a kind; unknown kinds get a neutral label, never a raw code."""
    picto, label = KIND.get(code or "", ("📍", _l("Lieu frais")))
    return picto, str(label)
