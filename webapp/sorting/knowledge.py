"""ADEME's « Que faire de mes déchets » base, read once into Items: one thing people hold."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from ..text import fold
from . import advice, taxonomy
from .english import ENGLISH

PRODUCTS = "qfdmd_produits_fixture_2026-02.json"
SYNONYMS = "qfdmd_synonymes_fixture_2026-02.json"
CATEGORIES = "qfdmo_categories_fixture.json"
FLAGS_2021 = "que-faire-de-mes-dechets-produits_data-fair-lines_2021-09.json"
ADVICE_FIELDS = ("qu_est_ce_que_j_en_fais", "qu_est_ce_que_j_en_fais_bon_etat",
                 "qu_est_ce_que_j_en_fais_mauvais_etat")


@dataclass(frozen=True)
class Item:
    """Something a resident holds, with what to do with it."""

    id: str                      # our slug, stable across loads of the same data
    name: str                    # French name as published by ADEME
    stream: str                  # id in taxonomy.STREAMS
    advice: Markup               # sanitised HTML; "" when split into good / worn
    good: Markup                 # "still in good condition"
    worn: Markup                 # "unusable"
    reuse: bool                  # the advice says give, sell or repair first
    dechetterie: bool            # ADEME's 2021 flag: accepted at recycling centres
    pinned: bool                 # ADEME shows it on its home page: a common item
    ademe_slug: str | None       # page on ADEME's site (synonyms only)
    terms: tuple[str, ...]       # every name it is searched by (French, plus English)
    name_en: str | None = None


def _read(folder: Path, name: str):
    """One JSON file of the snapshot."""
    return json.loads((folder / name).read_text(encoding="utf-8"))


def _subcategories(folder: Path) -> dict[str, list[str]]:
    """Product name -> QFDMO sub-category codes (the fixtures link them by natural key)."""
    links: dict[str, list[str]] = {}
    for row in _read(folder, CATEGORIES):
        for (name, *_rest) in row["fields"].get("qfdmd_produits") or []:
            links.setdefault(name, []).append(row["fields"]["code"])
    return links


def _dechetterie_2021(folder: Path) -> set[str]:
    """Folded names of the products the 2021 dataset marks as taken at recycling centres."""
    rows = _read(folder, FLAGS_2021)["results"]
    return {fold(r["Nom"]) for r in rows if r.get("Déchèterie") is True}


def _variants(rows) -> dict[int, list[str]]:
    """Search-term pk -> extra spellings ADEME added by hand ("iphone, samsung")."""
    out = {}
    for row in rows:
        if row["model"] == "search.searchterm" and row["fields"].get("search_variants"):
            raw = row["fields"]["search_variants"].replace("\r\n", ",").replace("\n", ",")
            out[row["pk"]] = [v.strip() for v in raw.split(",") if v.strip()]
    return out


def _texts(fields: dict, fallback: dict | None = None) -> tuple[str, str, str]:
    """General, good-condition and unusable advice; a synonym without its own takes its product's."""
    own = tuple(fields.get(k) or "" for k in ADVICE_FIELDS)
    if any(t.strip() for t in own) or fallback is None:
        return own
    return tuple(fallback.get(k) or "" for k in ADVICE_FIELDS)


# ADEME's internal product groupings ("Ameublement - Bonus réparation"): reachable through
# their synonyms, never shown as an item name.
TECHNICAL = re.compile(r"^(ABJ|EEE) - | - (BR|Bonus|Déchet|pas de|Quincaillerie|Sous-)|"
                       r"Bonus [Rr]éparation")


class Builder:
    """Turns synonyms and products into Items, one per distinct folded name."""

    def __init__(self, folder: Path):
        self.subs = _subcategories(folder)
        self.flagged = _dechetterie_2021(folder)
        self.items: dict[str, Item] = {}
        self.by_name: dict[str, str] = {}
        self.skipped = 0

    def add(self, name: str, product: dict, own: dict | None, terms: list[str],
            pinned: bool = False, ademe_slug: str | None = None) -> None:
        """Add one item; a name already taken only lends its search terms; no advice, no item."""
        folded = fold(name or "")
        if folded in self.by_name:
            old = self.items[self.by_name[folded]]
            self.items[old.id] = replace(old, terms=tuple(dict.fromkeys([*old.terms, *terms])))
            return
        general, good, worn = _texts(own or product, product if own else None)
        if not folded or not (general + good + worn).strip() or TECHNICAL.search(name):
            self.skipped += 1
            return
        stream = taxonomy.classify(product.get("code", ""), self.subs.get(product["nom"], []),
                                   advice.plain(general or worn), product.get("filieres_rep", ""))
        slug = self.by_name[folded] = _unique(folded.replace(" ", "-"), self.items)
        shown = name.strip()[:1].upper() + name.strip()[1:]     # "masque à usage unique" too
        english = ENGLISH.get(shown)
        self.items[slug] = Item(
            slug, shown, stream, advice.clean(general), advice.clean(good),
            advice.clean(worn), taxonomy.suggests_reuse(advice.plain(general), good),
            fold(product["nom"]) in self.flagged, pinned, ademe_slug,
            tuple(dict.fromkeys([shown, *terms, *([english] if english else [])])),
            english)


def _unique(slug: str, taken) -> str:
    """A slug not used yet."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def load_items(folder: Path) -> tuple[dict[str, Item], int, str]:
    """Every item, how many records were skipped (empty, internal, adviceless), last edit date.

    Synonyms come first: they carry ADEME's page slug, the home-page flag and advice written
    for that very object; a product of the same name only adds its spellings."""
    builder = Builder(folder)
    products = {row["fields"]["nom"]: row["fields"] for row in _read(folder, PRODUCTS)}
    rows = _read(folder, SYNONYMS)
    variants = _variants(rows)
    for row in rows:
        fields = row["fields"]
        if row["model"] != "qfdmd.synonyme":
            continue
        product = products.get((fields.get("produit") or [""])[0])
        if product is None:
            builder.skipped += 1
            continue
        builder.add(fields.get("nom") or "", product, fields,
                    variants.get(fields.get("searchterm_ptr"), []),
                    bool(fields.get("pin_on_homepage")), fields.get("slug") or None)
    for fields in products.values():
        others = [s.strip() for s in (fields.get("synonymes_existants") or "").split(" / ")]
        builder.add(fields["nom"], fields, None, [s for s in others if s])
    dates = [r["fields"].get("modifie_le") or "" for r in rows if r["model"] == "qfdmd.synonyme"]
    dates += [f.get("modifie_le") or "" for f in products.values()]
    return builder.items, builder.skipped, max(dates)[:10]
