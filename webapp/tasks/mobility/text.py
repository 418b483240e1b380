"""Words of the mobility page that come from codes: line kinds, modes, paces."""
from ...translation import lazy_gettext as _l

KIND = {
    "tram": _l("tram"),
    "bus": _l("bus"),
    "school": _l("bus scolaire"),
    "on_demand": _l("transport à la demande"),
    "rail": _l("train"),
    "other": _l("ligne"),
}

MODE = {
    "walk": _l("À pied"),
    "bike": _l("Mon vélo"),
    "transit": _l("Transports en commun"),
}

PACE = {
    "ordinary": _l("Allure ordinaire (4,5 km/h)"),
    "slow": _l("Allure lente (3 km/h)"),
}

CATEGORY_EXTRA = {
    "known": _l("Lieu du plan"),
}
