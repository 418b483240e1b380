"""The « Objets courants » of « Où jeter ? »: what households throw away most often, by stream.

ADEME's data has no ordering or popularity (no search counts); its `pin_on_homepage` flag picks
illustrations for its home page (« fusée de détresse », « Gravats », « Voiture »), not what people
hold. So the list is ours, reasoned from what fills a household's bins week after week: glass,
packaging, paper and cardboard, kitchen scraps (the bulk of household waste), then the everyday
items with a drop-off stream of their own (batteries, medicines, clothes and shoes, bulbs, phones)
and the one bulky item most people move once (a sofa). One or two per stream, so that the list
also teaches the streams. Every id must exist in the guide (tests/test_sorting.py checks).
"""

COMMON = (
    "bouteille-en-verre-biere-cidre-eau-lait-jus-vin",   # glass: the bottle bank
    "pot-de-yaourt-en-plastique",                         # packaging: the yellow bin
    "carton",                                             # packaging: cardboard
    "journal",                                            # paper
    "epluchures",                                         # organic: kitchen scraps
    "pile-jetable",                                       # batteries
    "medicament",                                         # medicines: the pharmacy
    "vetements",                                          # textiles
    "chaussures",                                         # textiles
    "ampoule-basse-consommation",                         # electrical: bulbs
    "smartphone",                                         # electrical: phones
    "canape",                                             # bulky
)
