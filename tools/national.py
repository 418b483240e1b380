"""Build a SYNTHETIC territory of national size, for benchmarks only: never real data.

Usage: .venv/bin/python tools/national.py OUT_DIR [--bikes 60000] [--drop-off 250000] [--seed 14]

Writes OUT_DIR/territories/france.toml and its two payloads under OUT_DIR/data/france/:
- bike parkings in the national BNSC CSV schema (the columns of Grenoble's real BNSC record,
  capacities drawn from the real Grenoble hoops file): 60,000 like the national BNSC;
- drop-off points as an Opendatasoft v1 export (the shape of Toulouse's real Récup'Verre export):
  250,000 like ADEME's national list of actors, named, so the gazetteer has 250,000 entries.
Points are spread around real French towns (approximate centres, weighted by size) over
metropolitan France's extent. Every record is invented: ids start with SYNTH, the territory is
named "données synthétiques", and nothing here may be shown or described as real.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTENT = (-5.2, 41.3, 9.6, 51.1)       # metropolitan France, west south east north
# (town, lat, lon, weight ≈ population in thousands, capped): approximate centres.
TOWNS = [
    ("Paris", 48.857, 2.352, 2100), ("Marseille", 43.296, 5.370, 870), ("Lyon", 45.764, 4.836, 520),
    ("Toulouse", 43.605, 1.444, 500), ("Nice", 43.710, 7.262, 340), ("Nantes", 47.218, -1.554, 320),
    ("Montpellier", 43.611, 3.877, 300), ("Strasbourg", 48.573, 7.752, 290),
    ("Bordeaux", 44.838, -0.579, 260), ("Lille", 50.629, 3.057, 235), ("Rennes", 48.117, -1.678, 220),
    ("Reims", 49.258, 4.032, 180), ("Toulon", 43.124, 5.928, 180), ("Saint-Étienne", 45.440, 4.387, 175),
    ("Le Havre", 49.494, 0.108, 165), ("Grenoble", 45.188, 5.724, 158), ("Dijon", 47.322, 5.041, 160),
    ("Angers", 47.478, -0.563, 157), ("Nîmes", 43.837, 4.360, 150), ("Clermont-Ferrand", 45.778, 3.087, 147),
    ("Le Mans", 48.006, 0.199, 145), ("Aix-en-Provence", 43.529, 5.447, 145), ("Brest", 48.390, -4.486, 140),
    ("Tours", 47.394, 0.684, 137), ("Amiens", 49.894, 2.296, 134), ("Limoges", 45.834, 1.261, 130),
    ("Perpignan", 42.699, 2.895, 120), ("Metz", 49.119, 6.176, 118), ("Besançon", 47.238, 6.024, 117),
    ("Orléans", 47.903, 1.909, 116), ("Rouen", 49.443, 1.099, 114), ("Mulhouse", 47.750, 7.336, 108),
    ("Caen", 49.183, -0.371, 106), ("Nancy", 48.692, 6.184, 104), ("Avignon", 43.949, 4.806, 91),
    ("Poitiers", 46.580, 0.340, 89), ("La Rochelle", 46.160, -1.151, 77), ("Pau", 43.295, -0.370, 75),
    ("Bayonne", 43.493, -1.475, 52), ("Périgueux", 45.184, 0.721, 30), ("Ajaccio", 41.919, 8.738, 72),
    ("Bastia", 42.697, 9.450, 48), ("Troyes", 48.297, 4.074, 62), ("Chambéry", 45.564, 5.917, 60),
    ("Valence", 44.933, 4.892, 65), ("Lorient", 47.748, -3.370, 57), ("Quimper", 47.996, -4.102, 63),
    ("Vannes", 47.658, -2.760, 54), ("Cherbourg", 49.640, -1.616, 78), ("Calais", 50.951, 1.858, 67),
    ("Dunkerque", 51.034, 2.377, 86), ("Charleville-Mézières", 49.773, 4.720, 46),
    ("Auxerre", 47.798, 3.567, 35), ("Bourges", 47.081, 2.399, 64), ("Niort", 46.323, -0.464, 59),
    ("Angoulême", 45.648, 0.156, 42), ("Agen", 44.203, 0.616, 33), ("Montauban", 44.018, 1.355, 61),
    ("Rodez", 44.350, 2.575, 24), ("Aurillac", 44.926, 2.440, 26), ("Le Puy-en-Velay", 45.043, 3.885, 19),
    ("Gap", 44.559, 6.079, 41), ("Digne-les-Bains", 44.092, 6.236, 16), ("Mende", 44.518, 3.500, 12),
    ("Tarbes", 43.233, 0.078, 42), ("Foix", 42.965, 1.607, 10), ("Épinal", 48.173, 6.451, 32),
    ("Colmar", 48.079, 7.358, 67), ("Belfort", 47.640, 6.863, 47), ("Laval", 48.073, -0.770, 49),
    ("Saint-Brieuc", 48.514, -2.765, 44), ("Évreux", 49.024, 1.151, 47), ("Beauvais", 49.430, 2.081, 56),
    ("Chartres", 48.446, 1.489, 38), ("Blois", 47.586, 1.335, 46), ("Châteauroux", 46.811, 1.686, 43),
    ("Nevers", 46.990, 3.159, 33), ("Mâcon", 46.307, 4.828, 34), ("Bourg-en-Bresse", 46.205, 5.226, 41),
    ("Annecy", 45.899, 6.129, 130), ("Guéret", 46.171, 1.871, 13), ("Tulle", 45.267, 1.771, 15),
    ("Cahors", 44.448, 1.441, 19), ("Albi", 43.929, 2.148, 49), ("Carcassonne", 43.213, 2.351, 46),
    ("Mont-de-Marsan", 43.890, -0.500, 30), ("Auch", 43.646, 0.586, 22), ("Vesoul", 47.623, 6.155, 15),
    ("Lons-le-Saunier", 46.675, 5.555, 17), ("Chaumont", 48.111, 5.139, 22), ("Bar-le-Duc", 48.772, 5.160, 15),
    ("Alençon", 48.432, 0.091, 26), ("Saint-Lô", 49.116, -1.091, 19), ("Arras", 50.291, 2.777, 41),
    ("Laon", 49.564, 3.620, 24), ("Melun", 48.540, 2.660, 41), ("Versailles", 48.804, 2.120, 85),
]
STREETS = ["Rue de la République", "Avenue Jean Jaurès", "Place de la Mairie", "Rue Victor Hugo",
           "Rue du Général de Gaulle", "Rue Pasteur", "Rue de la Gare", "Allée des Tilleuls",
           "Chemin du Moulin", "Rue des Écoles", "Boulevard Gambetta", "Place du Marché",
           "Rue de l'Église", "Avenue de la Libération", "Rue Jules Ferry", "Parking du Stade"]
DROP_OFF = [("Verre", "Conteneur à verre"), ("Textile", "Borne textile"),
            ("Emballages", "Colonne emballages"), ("Papier", "Colonne papier")]
BNSC_MOBILIER = ["ARCEAU"] * 6 + ["RATELIER", "RACK DOUBLE ETAGE", "ARMOIRE", "POTELET",
                                  "SUPPORT GUIDON", "AUTRE"]


def real_capacities() -> list[int]:
    """Hoops per record in Grenoble's real file: the capacity distribution we draw from."""
    path = ROOT / "data/grenoble/arceaux-velo_ville-de-grenoble.csv"
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return [int(r["mob_arce_nb"]) * 2 for r in rows if r["mob_arce_nb"].isdigit()] or [4]


def point(rng: random.Random) -> tuple[str, float, float]:
    """A point near a town, weighted by its size, kept inside the extent."""
    town, lat0, lon0, weight = rng.choices(TOWNS, weights=[t[3] for t in TOWNS])[0]
    spread = 0.03 + 0.0002 * min(weight, 600)          # bigger towns sprawl further
    west, south, east, north = EXTENT
    lat = min(north, max(south, rng.gauss(lat0, spread)))
    lon = min(east, max(west, rng.gauss(lon0, spread * 1.4)))
    return town, round(lat, 6), round(lon, 6)


def bikes_csv(n: int, rng: random.Random) -> bytes:
    """n bike parkings in the BNSC CSV columns."""
    capacities = real_capacities()
    out = io.StringIO()
    columns = ["id_local", "code_com", "coordonneesxy", "capacite", "capacite_cargo",
               "mobilier", "acces", "gratuit", "couverture", "surveillance", "lumiere",
               "date_maj", "commentaires"]
    writer = csv.writer(out)
    writer.writerow(columns)
    for i in range(n):
        _town, lat, lon = point(rng)
        writer.writerow([f"SYNTH-BNSC-{i:06d}", "", f"[{lon},{lat}]", rng.choice(capacities),
                         rng.choice([0, 0, 0, 2]), rng.choice(BNSC_MOBILIER), "LIBRE ACCES",
                         rng.choice([1, 1, 1, 0]), rng.choice([0, 0, 1]), 0, rng.choice([0, 1]),
                         "2026-01-01", "donnée synthétique"])
    return out.getvalue().encode()


def drop_off_json(n: int, rng: random.Random) -> bytes:
    """n named drop-off points as an Opendatasoft v1 export."""
    records = []
    for i in range(n):
        town, lat, lon = point(rng)
        stream, label = rng.choice(DROP_OFF)
        street = rng.choice(STREETS)
        records.append({"datasetid": "synthetique", "recordid": f"synth{i}", "fields": {
            "id": f"SYNTH-PAV-{i:06d}", "nom": f"{label} {street} {town} {i % 97}",
            "commune": town, "adresse": f"{1 + i % 120} {street}", "dmt_type": stream,
            "geo_point_2d": [lat, lon]}, "record_timestamp": "2026-01-01T00:00:00+01:00"})
    return json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()


TOML = """# SYNTHETIC territory generated by tools/national.py for benchmarks: not real data.
id = "france"
name = "France (données synthétiques)"
bbox = {extent}
center = [46.6, 2.4]

[[datasets]]
id = "stationnement-cyclable-synthetique"
title = "Stationnement cyclable (synthétique, forme BNSC)"
publisher = "Aucun : données synthétiques"
task = "bike"
category = "bike_parking"
connector = "bnsc_csv"
url = "http://127.0.0.1:9/bnsc.csv"
licence = "Aucune (synthétique)"
attribution = "Données synthétiques (tools/national.py)"
embedded = "france/bnsc.csv"
embedded_date = "2026-01-01"
live = false
note = "Données synthétiques générées pour les mesures : aucun lieu n'existe."
geometry = {{ kind = "lonlat_array", field = "coordonneesxy" }}
[datasets.fields]
id = "id_local"
capacity = "capacite | int"
cargo = "capacite_cargo | int"
covered = "couverture | bool"
lit = "lumiere | bool"
comment = "commentaires"

[[datasets]]
id = "points-apport-synthetiques"
title = "Points d'apport (synthétiques, forme export Opendatasoft v1)"
publisher = "Aucun : données synthétiques"
task = "recycle"
category = "glass"
connector = "ods_v1_export"
url = "http://127.0.0.1:9/pav.json"
licence = "Aucune (synthétique)"
attribution = "Données synthétiques (tools/national.py)"
embedded = "france/pav.json"
embedded_date = "2026-01-01"
live = false
gazetteer = true
note = "Données synthétiques générées pour les mesures : aucun lieu n'existe."
geometry = {{ kind = "latlon_array", field = "geo_point_2d" }}
[datasets.fields]
id = "id"
name = "nom"
address = "adresse"
commune = "commune"
stream = "dmt_type"
"""


def generate(out: Path, bikes: int, drop_off: int, seed: int = 14) -> Path:
    """Write the synthetic territory; return its territories folder."""
    rng = random.Random(seed)
    (out / "territories").mkdir(parents=True, exist_ok=True)
    (out / "data/france").mkdir(parents=True, exist_ok=True)
    (out / "data/france/bnsc.csv").write_bytes(bikes_csv(bikes, rng))
    (out / "data/france/pav.json").write_bytes(drop_off_json(drop_off, rng))
    national = out / "data/national"      # the real national sorting guide, as shipped
    if not national.exists():
        national.symlink_to(ROOT / "data/national")
    (out / "territories/france.toml").write_text(TOML.format(extent=list(EXTENT)),
                                                 encoding="utf-8")
    return out / "territories"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bikes", type=int, default=60_000)
    parser.add_argument("--drop-off", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    folder = generate(args.out, args.bikes, args.drop_off, args.seed)
    print(f"synthetic territory written: {folder / 'france.toml'}")


if __name__ == "__main__":
    main()
