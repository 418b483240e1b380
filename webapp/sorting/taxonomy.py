"""Our own waste streams, and how an ADEME product maps onto one (declared as data, not code)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..translation import lazy_gettext as _l


@dataclass(frozen=True)
class Stream:
    """Where a kind of waste goes: its label, pictogram and the drop-off kinds that take it."""

    id: str
    label: object
    picto: str
    kinds: tuple[str, ...]      # place categories (recycle datasets) that accept this stream
    wanted: object = None       # what a city could open so we can show the nearest points


STREAMS = {s.id: s for s in [
    Stream("glass", _l("Verre"), "🍾", ("glass",),
           _l("les conteneurs à verre (points d'apport volontaire)")),
    Stream("packaging", _l("Emballages et papiers"), "📦", ("packaging", "paper"),
           _l("les points d'apport volontaire des emballages et papiers")),
    Stream("organic", _l("Biodéchets et compost"), "🍂", ("compost",),
           _l("les composteurs de quartier et points de collecte des biodéchets")),
    Stream("textiles", _l("Textiles et chaussures"), "👕", ("textiles",),
           _l("les bornes de collecte des textiles, linge et chaussures")),
    Stream("batteries", _l("Piles et batteries"), "🔋", ("batteries", "recycling_centre"),
           _l("les points de collecte des piles et les déchèteries")),
    Stream("electrical", _l("Appareils électriques et ampoules"), "🔌",
           ("electrical", "recycling_centre"),
           _l("les points de collecte des appareils électriques et les déchèteries")),
    Stream("medicines", _l("Médicaments et soins"), "💊", ("pharmacy",),
           _l("les pharmacies (qui reprennent médicaments et boîtes à aiguilles)")),
    Stream("hazardous", _l("Produits dangereux"), "☣️", ("hazardous", "recycling_centre"),
           _l("les déchèteries qui acceptent les déchets dangereux, avec leurs horaires")),
    Stream("bulky", _l("Déchèterie (meubles, encombrants, bois…)"), "🛋️",
           ("recycling_centre",), _l("les déchèteries, avec leurs horaires")),
    Stream("reuse", _l("Donner, réparer, revendre"), "🤝", ("reuse",),
           _l("les ressourceries, recycleries et ateliers de réparation")),
    Stream("household", _l("Ordures ménagères"), "🗑️", ()),
    Stream("special", _l("Filière particulière"), "⚠️", ()),
]}

# ADEME/QFDMO sub-category -> stream. Mixed bags ("encombrants ménagers divers") are left out:
# for them the advice text decides.
SUBCATEGORY = {
    "emballage_verre": "glass",
    **dict.fromkeys(["emballage_reemployable", "materiel_medical"], "reuse"),
    **dict.fromkeys(["bouteilles_plastique", "emballage_carton", "emballage_plastique",
                     "emballage_metal", "autres_emballages_menagers", "papiers_graphiques",
                     "bouchons_en_liege"], "packaging"),
    **dict.fromkeys(["biodechets", "dechets_verts"], "organic"),
    **dict.fromkeys(["vetement", "linge_de_maison", "chaussures"], "textiles"),
    **dict.fromkeys(["batteries_et_piles_portables", "batteries_de_mtl"], "batteries"),
    **dict.fromkeys(["petit_electromenager", "gros_electromenager_refrigerant",
                     "gros_electromenager_hors_refrigerant", "ecran", "materiel_informatique",
                     "materiel_hifi_et_video", "smartphone_tablette_et_console",
                     "materiel_photo_et_cinema", "autre_equipement_electronique", "ampoule",
                     "luminaire", "abj_electrique", "jels_mobilite_electrique",
                     "instrument_musique_electrique", "cartouches",
                     "panneaux_photovoltaiques"], "electrical"),
    **dict.fromkeys(["medicaments", "dasri"], "medicines"),
    **dict.fromkeys(["produits_chimiques_solvants", "dechets_de_produits_chimiques",
                     "dechets_phytosanitaires_menagers_produits_chimiques",
                     "dechets_de_peintures_vernis_encres_et_colles_produits_chimiques",
                     "produits_pyrotechniques", "dechets_de_produits_chimiques_basiques",
                     "dechets_de_produits_chimiques_acides", "huiles_lubrifiantes",
                     "petits_appareils_extincteurs", "abj_outillage_du_peintre_usage",
                     "dechets_dangereux_de_pmcb_produits_et_materiaux_de_construction_du_batiment"],
                    "hazardous"),
}

# ADEME product code -> stream, when no sub-category says it.
CODE = {
    "PA": "batteries", "DEEE": "electrical", "LAMPES": "electrical", "GELECFROID": "electrical",
    "GELECHORSFROID": "electrical", "Pharmacie": "medicines", "ADEME_DASRI": "medicines",
    "ADEME_DDS": "hazardous", "VETEMENTS": "textiles", "LINGE": "textiles",
    "ADEME_BTP": "bulky", "AMEUBLEMENT": "bulky", "ADEME_MEUBLE": "bulky",
}

# ADEME extended-producer-responsibility stream (filière REP) -> stream, last of the data fields.
FILIERE = {"PA": "batteries", "Piles et accumulateurs": "batteries", "Médicaments": "medicines",
           "Textiles": "textiles", "Lubrifiants": "hazardous", "Produits chimiques": "hazardous"}

# The advice itself, for everything else: the earliest instruction found wins.
ADVICE = [
    ("glass", re.compile(r"emballages (recyclables )?en verre", re.I)),
    ("packaging", re.compile(r"collecte s[ée]par[ée]e|tri du papier|collecte du papier", re.I)),
    ("organic", re.compile(r"compost", re.I)),
    ("medicines", re.compile(r"pharmacie", re.I)),
    ("hazardous", re.compile(r"d[ée]chets m[ée]nagers sp[ée]ciaux", re.I)),
    ("bulky", re.compile(r"d[ée]ch[èe]terie|encombrants|entrepreneur", re.I)),
    ("household", re.compile(r"ordures m[ée]nag[èe]res", re.I)),
]
# "Rapportez-moi pour réemploi" on a deposit bottle is not "give it away": the bare word does
# not count, only phrases telling people to give, sell or repair.
REUSE = re.compile(r"bon [ée]tat|structure de r[ée]emploi|donnez|revendez|revendre|"
                   r"r[ée]par|seconde main|bo[îi]te [àa] livres", re.I)


def advice_stream(text: str) -> str | None:
    """The stream of the first disposal instruction in an advice text; "reuse" when it only
    says give, sell or repair; None when it says nothing we know."""
    found = [(m.start(), order, sid) for order, (sid, rx) in enumerate(ADVICE)
             if (m := rx.search(text or ""))]
    if found:
        return min(found)[2]
    return "reuse" if suggests_reuse(text) else None


def classify(code: str, subcategories: list[str], advice: str, filiere: str = "") -> str:
    """Our stream for an ADEME product: 'the bin' first when ADEME says so, then the data."""
    by_advice = advice_stream(advice)
    if by_advice == "household":
        return "household"
    for sub in subcategories:
        if sub in SUBCATEGORY:
            return SUBCATEGORY[sub]
    return CODE.get(code) or FILIERE.get(filiere) or by_advice or "special"


def suggests_reuse(*texts: str) -> bool:
    """Whether the advice tells people to give, sell or repair before throwing away."""
    return any(REUSE.search(t or "") for t in texts)
