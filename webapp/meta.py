"""The page's meta description (search results, link previews), translated, per endpoint."""
from __future__ import annotations

from flask import request
from .translation import lazy_gettext as _l

# The home page's words are the manifest's description (offline.DESCRIPTION), said once.
SITE = _l("Les données ouvertes de votre ville, en réponses simples : où garer son vélo, "
          "où se rafraîchir, où jeter un objet.")
# Per endpoint of a city's page; %(city)s is the territory's name.
CITY_PAGES = {
    "pages.territory": _l("%(city)s : garer son vélo, jeter un objet, trouver un lieu au frais, "
                          "d'après les données ouvertes de la ville."),
    "bike.index": _l("Où garer son vélo à %(city)s : les arceaux, abris et stations les plus "
                     "proches, d'après les données ouvertes."),
    "recycle.index": _l("Où jeter un objet à %(city)s : la bonne filière, le réemploi d'abord, "
                        "et les points de collecte les plus proches."),
    "cool.index": _l("Au frais à %(city)s : le lieu frais le plus proche et ouvert, l'eau "
                     "potable et les toilettes publiques."),
    "mobility.index": _l("Se déplacer à %(city)s : les arrêts et les lignes près des lieux d'une "
                         "personne, les horaires, et ce qui est à 30, 45 ou 60 minutes."),
}
# Pages about no city in particular. An endpoint listed nowhere gets SITE.
PAGES = {
    "pages.sources": _l("Les données ouvertes utilisées par Près d'ici : nombre de lieux, "
                        "fraîcheur, licence et source de chaque jeu de données."),
    "offline.page": _l("Près d'ici sans réseau : les villes gardées sur cet appareil."),
}


def page_description(data=None) -> str:
    """This page's description; `data` (a TerritoryData) names the city where there is one."""
    city = getattr(getattr(data, "territory", None), "name", None)
    if city and request.endpoint in CITY_PAGES:
        return CITY_PAGES[request.endpoint] % {"city": city}
    return str(PAGES.get(request.endpoint, SITE))


def init_app(app) -> None:
    """Offer page_description() to templates (base.html's `description` block)."""
    app.jinja_env.globals["page_description"] = page_description
