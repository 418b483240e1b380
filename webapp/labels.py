"""User-facing names of categories and kinds (translatable; data values are never shown raw)."""
from .translation import lazy_gettext as _l

CATEGORY = {
    "bike_parking": _l("Stationnement vélo"),
    "bike_service": _l("Aire de service vélo"),
    "bike_rental": _l("Location de vélos"),
    "bike_share": _l("Station de vélos en libre-service"),
    "stop_area": _l("Arrêt de transport"),
    "glass": _l("Conteneur à verre"),
    "packaging": _l("Conteneur emballages"),
    "paper": _l("Conteneur papiers"),
    "textiles": _l("Borne textiles"),
    "compost": _l("Composteur de quartier"),
    "batteries": _l("Point de collecte des piles"),
    "electrical": _l("Point de collecte des appareils électriques"),
    "pharmacy": _l("Pharmacie"),
    "hazardous": _l("Point de collecte des produits dangereux"),
    "recycling_centre": _l("Déchèterie"),
    "reuse": _l("Ressourcerie ou atelier de réparation"),
    # « Au frais » (issue 4)
    "cool_room": _l("Lieu frais intérieur"),
    "shade": _l("Ombre"),
    "misting": _l("Brumisateur"),
    "swim": _l("Baignade"),
    "shower": _l("Bains-douches"),
    "activity": _l("Activité au frais"),
    "cool_place": _l("Îlot de fraîcheur"),
    "park": _l("Parc ou jardin"),
    "fountain": _l("Fontaine à boire"),
    "toilets": _l("Toilettes publiques"),
}

BIKE_KIND = {
    "hoops": _l("Arceaux"),
    "rack": _l("Râtelier"),
    "locked_shelter": _l("Abri fermé sécurisé"),
    "box": _l("Box individuel fermé"),
    "other": _l("Autre mobilier"),
}

# Headings of the bike page's other lists: what each one is for, said before its places.
BIKE_SIDE = {
    "bike_share": _l("Vélos en libre-service"),
    "bike_rental": _l("Location de vélos"),
    "bike_service": _l("Aires de service vélo (gonflage, outils)"),
}

TASKS = {
    "bike": _l("Garer mon vélo"),
    "recycle": _l("Où jeter ?"),
    "cool": _l("Au frais"),
    "mobility": _l("Se déplacer"),
}


def category(code: str) -> str:
    """Label of a category, the code itself if unknown (never a crash on new data)."""
    return str(CATEGORY.get(code, code))

# What a city could publish when a task has no data yet, with the national schema to follow.
WANTED = {
    "bike": (_l("les emplacements de stationnement vélo (arceaux, abris sécurisés, capacité), "
                "au format du schéma national du stationnement cyclable (BNSC)"),
             "https://schema.data.gouv.fr/etalab/schema-stationnement-cyclable/"),
    # No national schema for drop-off points yet: the hours format is what matters most.
    "recycle": (_l("les points d'apport volontaire (verre, emballages, textiles) et les "
                   "déchèteries, avec leurs horaires au format OSM opening_hours"),
                "https://wiki.openstreetmap.org/wiki/Key:opening_hours"),
    "mobility": (_l("les horaires théoriques de son réseau de transport en commun, au format GTFS "
                    "(arrêts, lignes et passages)"),
                 "https://transport.data.gouv.fr/"),
    "cool": (_l("les lieux où se rafraîchir (îlots de fraîcheur, parcs) avec leurs horaires, et "
                "les fontaines au format du schéma national « fontaine-eau »"),
             "https://schema.data.gouv.fr/datagouv/schema-fontaine-eau/"),
}

TASK_GAZETTEER = _l("Choisir un lieu par son nom")
# Coverage columns on /donnees that are not task pages.
COLUMN = {"addresses": _l("Rues et adresses (point de départ)")}
WANTED["addresses"] = (_l("ses adresses (Base Adresse Locale), versées dans la Base Adresse "
                          "Nationale"), "https://schema.data.gouv.fr/etalab/schema-bal/")

# What a city's page says under a task with no local data (« Où jeter ? » still gives advice).
EMPTY_TASK_DEFAULT = _l("pas encore de données ici")
EMPTY_TASK = {"recycle": _l("conseils de tri ; pas encore de points de collecte ici")}


def missing_tasks(data) -> list[str]:
    """Tasks with no usable dataset in a territory, in TASKS order."""
    fed = {s.dataset.task for s in data.states.values() if s.places}
    if any(s.places for s in data.states.values() if s.dataset.connector == "gtfs"):
        fed.add("mobility")           # a GTFS feed's stops are gazetteer places
    return [task for task in TASKS if task not in fed and task in WANTED]
