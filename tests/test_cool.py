"""« Au frais » on the real Paris and Clermont data, at fixed clock times."""
from __future__ import annotations

import csv
import json
import math
import os
import re
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from webapp.geo import haversine_m, walking_minutes
from webapp.places import Place
from webapp.spatial import exact_distance_m

ROOT = Path(__file__).resolve().parent.parent
CITY_HALL = "lat=48.8566&lon=2.3522"          # Hôtel de Ville, Paris
NISSIM = "lat=48.8790&lon=2.3126"              # 30 m from the Musée Nissim de Camondo
TUESDAY, SUNDAY, NIGHT = "2025-09-16T15:00", "2025-09-14T15:00", "2025-09-16T23:30"
MONDAY = "2025-09-15T15:00"
LUXEMBOURG = "lat=48.8483&lon=2.3344"          # 4 m from the Musée du Luxembourg (MU67)

# The raw files, read here and nowhere through our loader or index: the brute force below is
# what "the nearest" must mean, whatever webapp/spatial.py or webapp/sources/ do.
ILOTS_RAW = json.loads((ROOT / "data/paris/ilots-de-fraicheur-equipements-activites_"
                                "ods-v2.1-json-export_2025-09.json").read_text(encoding="utf-8"))
FOUNTAINS_RAW = json.loads((ROOT / "data/paris/fontaines-a-boire_ods-v2.1-json-export_2025-09.json")
                           .read_text(encoding="utf-8"))
def _published_ids(records, prefix, key):
    """Our place id of each raw record: Paris reuses an `identifiant` for unrelated places, so
    the second place under one id is "<id>~2" (in file order), as the loader names it."""
    count = {}
    for record in records:
        count[record[key]] = count.get(record[key], 0) + 1
        suffix = f"~{count[record[key]]}" if count[record[key]] > 1 else ""
        record["_pid"] = f"{prefix}:{record[key]}{suffix}"


_published_ids(ILOTS_RAW, "ilots-fraicheur-equipements", "identifiant")
_published_ids(FOUNTAINS_RAW, "fontaines-a-boire", "gid")
PARIS_TOML = tomllib.loads((ROOT / "territories/paris.toml").read_text(encoding="utf-8"))


def _declared(dataset_id):
    """A dataset's table in territories/paris.toml (its declared exclusions)."""
    return next(d for d in PARIS_TOML["datasets"] if d["id"] == dataset_id)


def _parks_raw():
    """The green spaces file (a reduced copy: one point each, no hours), minus the kinds the
    territory file excludes as not places to go; shaped like the îlots records for the helpers."""
    excluded = _declared("espaces-verts-frais")["exclude"]
    with open(ROOT / "data/paris/ilots-de-fraicheur-espaces-verts-frais_transformed_2023-07.csv",
              encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    return [{**r, "_pid": f"espaces-verts-frais:{r['index']}", "payant": "Non",
             "geo_point_2d": {"lat": float(r["lat"]), "lon": float(r["long"])}}
            for r in records if not any(r[k] in v for k, v in excluded.items())]


PARKS_RAW = _parks_raw()
DAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
INDOOR_TYPES = {"Musée", "Bibliothèque", "Mairie d'arrondissement", "Lieux de culte"}


def raw_hours(record):
    """The record's published hours, read from its raw per-day texts by webapp.hours."""
    from webapp.hours import from_days
    return from_days(tuple(record[f"horaires_{d}"] for d in DAYS_FR), record["horaires_periode"])


def raw_open(record, at: str) -> bool:
    """Open at `at` by the raw record: not switched off ("Eteint") and published hours say open
    (a record without hours, or unknown at that time, is never open)."""
    from datetime import datetime
    hours = raw_hours(record)
    return record["statut_ouverture"] != "Eteint" and hours is not None \
        and hours.status(datetime.fromisoformat(at)).is_open


def _by_distance(records, lat, lon):
    """(metres, place id, record) over records, nearest first, ties by id (haversine to the
    published geo_point_2d of every record)."""
    return sorted(((haversine_m(lat, lon, r["geo_point_2d"]["lat"], r["geo_point_2d"]["lon"]),
                    r["_pid"], r) for r in records), key=lambda t: t[:2])


def raw_cool(lat, lon, at, k=5, free=False, open_now=False, indoor=False):
    """Brute force over every record of the îlots and green-spaces files: the k nearest passing
    the filters. Free means `payant` is "Non" (unknown is not free); `indoor` keeps the indoor
    types. Parks publish no hours: "open now" keeps them, said unknown (never open)."""
    kept = [r for r in ILOTS_RAW if (not free or r["payant"] == "Non")
            and (not open_now or raw_open(r, at)) and (not indoor or r["type"] in INDOOR_TYPES)]
    return _by_distance(kept + ([] if indoor else PARKS_RAW), lat, lon)[:k]


def raw_water(lat, lon, k=5):
    """Brute force over every fountain: the k nearest not marked out of service (`dispo` "NON"),
    plus out-of-service ones (k at most) no farther than the k-th, all by distance. No filter
    changes it: fountains publish no hours, are free (declared in territories/paris.toml) and
    publish no accessibility or bottle-refill field."""
    working = _by_distance([r for r in FOUNTAINS_RAW if r["dispo"] != "NON"], lat, lon)[:k]
    broken = _by_distance([r for r in FOUNTAINS_RAW if r["dispo"] == "NON"], lat, lon)[:k]
    reach = working[-1][0]
    return sorted(working + [b for b in broken if b[0] <= reach], key=lambda t: t[:2])


def same_places(shown, expected):
    """The page's rows are the brute force's places, in its order, at its coordinates."""
    assert [r["data-place-id"] for r in shown] == [pid for _, pid, _ in expected]
    for row, (_, _, record) in zip(shown, expected):
        point = record["geo_point_2d"]
        assert float(row["data-lat"]) == pytest.approx(point["lat"], abs=1e-6)
        assert float(row["data-lon"]) == pytest.approx(point["lon"], abs=1e-6)


@pytest.fixture(scope="module")
def cool_app(instance_dir, tmp_path_factory):
    """An app with its own heat file; each test sets the clock it needs."""
    os.environ["PRESDICI_INSTANCE"] = str(instance_dir)
    from webapp import create_app
    heat_file = tmp_path_factory.mktemp("heat") / "heat.toml"
    return create_app({"TESTING": True, "HEAT_FILE": str(heat_file), "CLOCK_AT": TUESDAY})


@pytest.fixture()
def get(cool_app):
    """GET a page at a clock time with a heat file (or none); returns (response, soup)."""
    def fetch(url, at=TUESDAY, heat="", **headers):
        cool_app.config["CLOCK_AT"] = at
        Path(cool_app.config["HEAT_FILE"]).write_text(heat, encoding="utf-8")
        response = cool_app.test_client().get(url, headers=headers)
        return response, BeautifulSoup(response.data, "html.parser")
    return fetch


def rows(soup, section=None):
    """The result items (of one section) as dicts of their data attributes and text."""
    scope = soup.select_one(f"#s-{section}").parent if section else soup
    return [{**item.attrs, "text": item.get_text(" ", strip=True)}
            for item in scope.select("li.cool-place")]


def place(cool_app, place_id):
    """A loaded Paris or Clermont place by id."""
    with cool_app.app_context():
        from webapp.catalog import catalog
        for territory in ("paris", "clermont"):
            for p in catalog().get(territory).index("cool").places:
                if p.id == place_id:
                    return p
    raise KeyError(place_id)


def test_sorted_by_true_distance_with_walking_times(get, cool_app):
    """Without filters: the k nearest records of each raw file, by haversine over all of them."""
    response, soup = get(f"/paris/frais?{CITY_HALL}")
    assert response.status_code == 200
    k = cool_app.config["RESULTS"]
    for section, expected in (("cool", raw_cool(48.8566, 2.3522, TUESDAY, k)),
                              ("water", raw_water(48.8566, 2.3522, k))):
        found = rows(soup, section)
        assert len(found) >= k
        same_places(found, expected)
        assert f"{walking_minutes(expected[0][0])} min à pied" in found[0]["text"]


def test_out_of_service_fountains_are_marked_with_their_reason(get, cool_app):
    """Real data: the fountain 32 m from the Hôtel de Ville is dry ("APP SANS EAU")."""
    _, soup = get(f"/paris/frais?{CITY_HALL}")
    water = rows(soup, "water")
    broken = [r for r in water if "Hors service" in r["text"]]
    assert broken and "sans eau" in broken[0]["text"]
    assert len([r for r in water if "Hors service" not in r["text"]]) == cool_app.config["RESULTS"]
    assert all(place(cool_app, r["data-place-id"]).attrs["available"] is False for r in broken)


@pytest.mark.parametrize("at, shown", [(TUESDAY, False), (SUNDAY, True), (NIGHT, False)])
def test_open_now_at_fixed_times(get, at, shown):
    """Musée Nissim de Camondo: closed on Tuesdays, open on Sunday afternoon, closed at night."""
    _, soup = get(f"/paris/frais?{NISSIM}&ouvert=1", at=at)
    cool = rows(soup, "cool")
    timed = [r for r in cool if r["data-category"] != "park"]     # parks publish no hours
    assert cool and all(r["data-state"] == "open" for r in timed)
    assert any(r["data-place-id"].endswith(":MU34") for r in cool) is shown
    assert all("Horaires inconnus" not in r["text"] for r in timed)


def test_without_the_filter_unknown_hours_are_said_not_hidden(get):
    _, soup = get(f"/paris/frais?{CITY_HALL}")
    unknown = [r for r in rows(soup, "cool") if r["data-state"] == "unknown"]
    assert unknown and all("Horaires inconnus" in r["text"] for r in unknown)
    assert all("Ouvert maintenant" not in r["text"] for r in unknown)


def test_fountains_stay_listed_under_open_now_with_a_note(get):
    _, soup = get(f"/paris/frais?{CITY_HALL}&ouvert=1", at=NIGHT)
    assert rows(soup, "water")
    assert "Horaires non publiés pour : Fontaines à boire" in soup.get_text(" ", strip=True)


@pytest.mark.parametrize("category, kinds", [
    ("cool_room", {"museum", "library", "town_hall", "worship"}),
    ("swim", {"pool", "outdoor_swim"}),
    ("misting", {"misting"}),
])
def test_category_filter(get, cool_app, category, kinds):
    _, soup = get(f"/paris/frais?{CITY_HALL}&type={category}")
    found = rows(soup)
    assert found and {r["data-category"] for r in found} == {category}
    assert {place(cool_app, r["data-place-id"]).attrs["kind"] for r in found} <= kinds
    assert soup.select_one("#s-water") is None


def test_free_only(get, cool_app):
    _, soup = get(f"/paris/frais?{CITY_HALL}&gratuit=1&type=cool_room&type=swim")
    found = rows(soup)
    assert found and all(place(cool_app, r["data-place-id"]).attrs.get("paid") is False
                         for r in found)
    _, unfiltered = get(f"/paris/frais?{CITY_HALL}&type=cool_room&type=swim")
    assert any("Payant" in r["text"] for r in rows(unfiltered))


FILTER_CASES = [
    (LUXEMBOURG, TUESDAY, "&gratuit=1", {"free": True}),
    (CITY_HALL, SUNDAY, "&ouvert=1", {"open_now": True}),
    (CITY_HALL, NIGHT, "&ouvert=1", {"open_now": True}),
    (NISSIM, MONDAY, "&ouvert=1&gratuit=1&pmr=1", {"free": True, "open_now": True}),
    (LUXEMBOURG, SUNDAY, "&gratuit=1&ouvert=1", {"free": True, "open_now": True}),
    (LUXEMBOURG, TUESDAY, "&ouvert=1&type=cool_room", {"open_now": True, "indoor": True}),
]


@pytest.mark.parametrize("position, at, query, rules", FILTER_CASES)
def test_filters_match_a_brute_force_over_the_raw_files(get, cool_app, position, at, query, rules):
    """Free only, accessible, open now, cool rooms: the page lists exactly the k nearest records
    of the raw files that pass the same rules, computed here by haversine over every record."""
    lat, lon = (float(v) for v in re.findall(r"[\d.]+", position))
    k = cool_app.config["RESULTS"]
    _, soup = get(f"/paris/frais?{position}{query}", at=at)
    expected = raw_cool(lat, lon, at, k, **rules)
    # The filter matters here: without it the nearest places are not the same.
    assert [pid for _, pid, _ in expected] != [pid for _, pid, _ in raw_cool(lat, lon, at, k)]
    same_places(rows(soup, "cool"), expected)
    assert all(r["data-state"] == "open" or r["data-category"] == "park"
               for r in rows(soup, "cool")) or not rules.get("open_now")
    if "type=" in query:
        assert soup.select_one("#s-water") is None
    else:
        same_places(rows(soup, "water"), raw_water(lat, lon, k))
    if "pmr=1" in query:
        # No îlot or fountain says whether it is accessible: they are not filtered by it; the
        # toilets publish it, and only accessible ones are listed.
        assert not any(re.search(r"(?i)pmr|access|handi|fauteuil", key)
                       for record in ILOTS_RAW + FOUNTAINS_RAW for key in record)
        toilets = rows(soup, "toilets")
        assert toilets and all("Accessible PMR" in r["text"] for r in toilets)


def test_places_sharing_a_published_id_are_all_listed(get, cool_app):
    """Paris publishes different places under one `identifiant` (MA22: a Maison de la vie
    associative and the Mairie du 20e): both are listed, the second as "MA22~2"."""
    gambetta = (48.8651, 2.3990)                  # 10 m from the Mairie du 20e
    expected = raw_cool(*gambetta, MONDAY, cool_app.config["RESULTS"], open_now=True, indoor=True)
    assert expected[0][2]["nom"] == "MAIRIE DU 20E" and expected[0][0] < 20
    _, soup = get(f"/paris/frais?lat={gambetta[0]}&lon={gambetta[1]}&ouvert=1&type=cool_room",
                  at=MONDAY)
    same_places(rows(soup, "cool"), expected)


MUSEE_DU_LUXEMBOURG = next(r for r in ILOTS_RAW if r["identifiant"] == "MU67")
SPAN = re.compile(r"(\d{1,2})h(\d{2})?\s*-\s*(\d{1,2})h(\d{2})?")


@pytest.mark.parametrize("at", [MONDAY, TUESDAY])
def test_closing_time_is_said_and_unknown_hours_never_read_as_open(get, at):
    """The Musée du Luxembourg publishes 10h30 - 22h on Mondays, 10h30 - 19h on other days: at
    15:00 its row says when it closes, and "open tonight" only when it is open after 20:00.
    Nearby places that publish no hours for the day are said unknown, never open."""
    from datetime import datetime, time
    weekday = DAYS_FR[datetime.fromisoformat(at).weekday()]
    published = MUSEE_DU_LUXEMBOURG[f"horaires_{weekday}"]
    start_h, start_m, end_h, end_m = SPAN.fullmatch(published).groups()
    opens, closes = time(int(start_h), int(start_m or 0)), time(int(end_h), int(end_m or 0))
    tonight = closes > time(20, 0)
    _, soup = get(f"/paris/frais?{LUXEMBOURG}", at=at)
    museum = soup.select_one("#s-cool").parent.select_one("li.cool-place")
    assert museum["data-place-id"] == "ilots-fraicheur-equipements:MU67"
    assert museum["data-state"] == "open"
    state = museum.select_one(".state").get_text(" ", strip=True)
    assert f"Ouvert maintenant · ferme à {closes:%H:%M}" in state, state
    assert ("ouvert ce soir" in state) is tonight, state
    week = museum.select_one("details.week dl")
    assert week.select_one("dt").get_text() == "aujourd'hui"
    assert week.select_one("dd").get_text() == f"{opens:%H:%M}–{closes:%H:%M}"

    _, english = get(f"/paris/frais?{LUXEMBOURG}", at=at, **{"Accept-Language": "en"})
    state = english.select_one("li.cool-place .state").get_text(" ", strip=True)
    assert "Open now · closes at" in state and "ferme" not in state
    assert ("open this evening" in state) is tonight, state

    raw = {record["_pid"]: record for record in ILOTS_RAW}
    unknown = [r for r in rows(soup, "cool") if r["data-place-id"] in raw
               and not SPAN.fullmatch(raw[r["data-place-id"]][f"horaires_{weekday}"] or "")]
    assert unknown          # the Saint-Sulpice and Carmes churches publish no hours at all
    for row in unknown:
        assert row["data-state"] == "unknown", row
        assert "Horaires inconnus · à vérifier sur place" in row["text"]
        assert "Ouvert maintenant" not in row["text"] and "ferme" not in row["text"]
        assert "ouvert ce soir" not in row["text"]


def test_unpublished_accessibility_cannot_filter_to_nothing(get):
    """Only the toilets publish accessibility, nothing publishes bottle refill: cool places and
    water are not filtered away for want of a field; the refill filter is said not to apply."""
    _, soup = get(f"/paris/frais?{CITY_HALL}&pmr=1&gourde=1")
    assert rows(soup, "cool") and rows(soup, "water")
    assert "Ce filtre ne peut pas s'appliquer" in soup.get_text()
    assert soup.select_one("input[name=pmr]") and soup.select_one("input[name=gourde]") is None


def test_clermont_parks_public_only_and_point_distance(get, cool_app):
    raw = json.loads((ROOT / "data/clermont/parcs-et-jardins_transformed_prixm2.json").read_text())
    private = {"Espace vert collectif privé", "Plantation d'accompagnement", "Jardin collectif"}
    public = [r for r in raw if " ".join(r["type"].split()) not in private]
    _, soup = get("/clermont/frais?lat=45.7724&lon=3.0884")        # at the Jardin Lecoq point
    parks = rows(soup, "cool")
    with cool_app.app_context():
        from webapp.catalog import catalog
        loaded = catalog().get("clermont").index("cool").places
    assert len(loaded) == len(public) and all(p.shape is None for p in loaded)
    lecoq = place(cool_app, parks[0]["data-place-id"])
    assert lecoq.name == "Jardin Lecoq"
    assert math.isclose(exact_distance_m(lecoq, 45.7724, 3.0884),
                        haversine_m(45.7724, 3.0884, lecoq.lat, lecoq.lon))


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "fragment"])
def test_missing_categories_are_named(get, headers):
    """Paris now loads cool rooms, parks, water and toilets: nothing is named missing, and the old
    "publie … mais pas encore chargé" notices are gone. Clermont has parks but no cool room
    (checked on the raw file): its page names what is missing and what the city could open, in
    the full page and in the htmx fragment alike."""
    clermont_raw = json.loads((ROOT / "data/clermont/parcs-et-jardins_transformed_prixm2.json")
                              .read_text(encoding="utf-8"))
    assert all(re.search(r"(?i)parc|jardin|square|espace|plantation", r["type"])
               for r in clermont_raw)
    fragment = bool(headers)

    _, paris = get(f"/paris/frais?{CITY_HALL}", **headers)
    assert (paris.select_one("html") is None) is fragment
    assert not paris.select("section.notice.missing")
    assert "pas encore chargé" not in paris.get_text(" ")
    assert rows(paris, "toilets") and any(r["data-category"] == "park" for r in rows(paris))
    assert paris.select_one("#missing-park") is None and paris.select_one("#missing-toilets") is None

    _, clermont = get("/clermont/frais?lat=45.7724&lon=3.0884", **headers)
    assert (clermont.select_one("html") is None) is fragment
    room = clermont.select_one("#missing-cool_room")
    assert room.select_one("strong").get_text(strip=True) == "Lieu frais intérieur"
    assert "Près d'ici n'a pas encore ces données pour Clermont-Ferrand" in room.get_text()
    assert clermont.select_one("#missing-park") is None
    assert clermont.select_one("#missing-fountain") and clermont.select_one("#missing-toilets")
    assert "musées" not in clermont.get_text()

    # Nothing published at all: one line, no list of every missing kind.
    _, grenoble = get("/grenoble/frais?lat=45.19&lon=5.72", **headers)
    (line,) = grenoble.select(".missing")
    assert "Près d'ici n'a pas encore ces données pour Grenoble" in line.get_text()
    assert grenoble.select_one("#missing-park") is None
    assert grenoble.select_one("#missing-cool_room") is None


def test_missing_names_english(get):
    _, clermont = get("/clermont/frais?lat=45.7724&lon=3.0884", **{"Accept-Language": "en"})
    room = clermont.select_one("#missing-cool_room").get_text(" ", strip=True)
    assert "does not have this data for Clermont-Ferrand yet" in room


def test_an_unreadable_dataset_is_not_called_unpublished(cool_app, monkeypatch):
    """Paris's îlots or fountains file unreadable right now: its cool rooms or fountains are said
    apart (unavailable), never "not published"; parks and toilets come from other datasets."""
    from webapp.catalog import catalog
    from webapp.tasks.cool import missing
    with cool_app.app_context():
        data = catalog().get("paris")
        for dataset in ("ilots-fraicheur-equipements", "fontaines-a-boire"):
            state = data.states[dataset]
            monkeypatch.setattr(state, "places", [])
            monkeypatch.setattr(state, "error", "unreadable (test)")
            present = {p.category for p in data.index("cool").places
                       if data.states[p.dataset].places}
            named = [m["category"] for m in missing(data, present, data.unreadable("cool"))]
            assert named == [], (dataset, named)
        assert [m["category"] for m in missing(data, {"park"}, [])] == ["cool_room", "fountain",
                                                                        "toilets"]


HEAT = '[paris.alert]\nstart = 2025-09-15\nend = 2025-09-17\nlevel = "orange"\n'


def test_heat_wave_banner_order_and_slow_walk(get, cool_app):
    _, off = get(f"/paris/frais?{CITY_HALL}")
    assert off.select_one(".heat-banner") is None and off.select_one("input[name=lent]") is None
    _, on = get(f"/paris/frais?{CITY_HALL}&lent=1", heat=HEAT)
    assert "vigilance orange" in on.select_one(".heat-banner").get_text()
    order = [s["id"] for s in on.select("section.cool-section h2")]
    assert order == ["s-indoor", "s-water", "s-outdoor", "s-toilets"]
    assert {r["data-category"] for r in rows(on, "indoor")} == {"cool_room"}
    first = rows(on, "indoor")[0]
    metres = exact_distance_m(place(cool_app, first["data-place-id"]), 48.8566, 2.3522)
    assert f"{walking_minutes(metres, 3.0)} min à pas lents" in first["text"]
    _, later = get(f"/paris/frais?{CITY_HALL}", at="2025-09-18T15:00", heat=HEAT)
    assert later.select_one(".heat-banner") is None


def test_heat_overrides_open_a_cooled_room_and_parks_at_night(get):
    heat = HEAT + ('\n[[paris.overrides]]\nstart = 2025-09-14\nend = 2025-09-14\n'
                   'place = "ilots-fraicheur-equipements:MA9"\nhours = "14:00-18:00"\n'
                   'kind = "cooled_room"\n'
                   '\n[[clermont.overrides]]\nstart = 2025-09-16\nend = 2025-09-16\n'
                   'category = "park"\nhours = "07:00-24:00"\n')
    town_hall_9 = "lat=48.8723&lon=2.3405"
    _, before = get(f"/paris/frais?{town_hall_9}&ouvert=1&type=cool_room", at=SUNDAY)
    assert not any(r["data-place-id"].endswith(":MA9") for r in rows(before))
    _, during = get(f"/paris/frais?{town_hall_9}&ouvert=1&type=cool_room", at=SUNDAY, heat=heat)
    room = [r for r in rows(during) if r["data-place-id"].endswith(":MA9")]
    assert room and "Salle rafraîchie" in room[0]["text"]
    _, night = get("/clermont/frais?lat=45.7724&lon=3.0884&ouvert=1", at=NIGHT, heat=heat)
    parks = rows(night, "cool")
    assert parks and all(r["data-state"] == "open" for r in parks)
    _, next_night = get("/clermont/frais?lat=45.7724&lon=3.0884", at="2025-09-17T23:30", heat=heat)
    assert all(r["data-state"] == "unknown" for r in rows(next_night, "cool"))


@pytest.mark.parametrize("query, status", [
    ("lat=nan&lon=2.35", 400), ("lat=1e309&lon=2.35", 400), ("lat=48.85&lon=٢", 400),
    ("lat=45.77&lon=3.08", 400),                      # Clermont is outside Paris
    ("lieu=nowhere", 404), ("q=" + "x" * 200, 400),
    (f"{CITY_HALL}&type=volcano", 400), (f"{CITY_HALL}&ouvert=peut-etre", 400),
    (f"{CITY_HALL}" + "&type=park" * 40 + "&type=volcano", 400),
])
def test_bad_input_is_a_clear_message(get, query, status):
    response, soup = get(f"/paris/frais?{query}")
    assert response.status_code == status
    assert soup.select_one(".notice.error, [role=alert]").get_text(strip=True)


@pytest.mark.parametrize("times", [11, 40])
def test_a_valid_filter_repeated_is_one_choice(get, times):
    """A form or a hand-edited link may repeat `type`: more than ten times is still no error."""
    response, soup = get(f"/paris/frais?{CITY_HALL}" + "&type=misting" * times)
    assert response.status_code == 200 and soup.select_one(".notice.error, [role=alert]") is None
    found = rows(soup)
    assert found and {r["data-category"] for r in found} == {"misting"}
    assert soup.select_one("input[name=type][value=misting]").has_attr("checked")


@pytest.mark.parametrize("position", [CITY_HALL, NISSIM])
@pytest.mark.parametrize("extra, headers", [
    ("", {}), ("", {"HX-Request": "true"}),
    ("&ouvert=1&type=cool_room", {"HX-Request": "true"}),
])
def test_the_device_position_is_written_nowhere_in_the_answer(get, position, extra, headers):
    """Shared kiosks: the next visitor must not find the last one's position in the page, neither
    in a hidden field, nor a data attribute, nor a link. The filters form just says it needs one."""
    lat, lon = re.findall(r"[\d.]+", position)
    response, soup = get(f"/paris/frais?{position}{extra}", **headers)
    assert response.status_code == 200 and rows(soup)
    body = response.get_data(as_text=True)
    assert lat not in body and lon not in body
    form = soup.select_one("form.cool-filters")
    assert form["data-position"] == "device"
    assert not form.select("input[type=hidden]")


def test_a_place_chosen_by_name_is_kept_by_the_filters(get, cool_app):
    """Without JavaScript a visitor starts from a named place: its id or name stays in the form."""
    with cool_app.app_context():
        from webapp.catalog import catalog
        entry = catalog().get("paris").gazetteer.search("Musée du Luxembourg")[0]
    _, by_id = get(f"/paris/frais?lieu={entry.id}")
    form = by_id.select_one("form.cool-filters")
    assert form.select_one("input[name=lieu]")["value"] == entry.id
    assert not form.has_attr("data-position") and not form.select("input[name=lat]")
    # An old link by name goes to the place's id (303); the filters then carry that id.
    moved, _ = get("/paris/frais?q=Musée du Luxembourg")
    assert moved.status_code == 303
    assert "lieu=" in moved.headers["Location"] and "Mus" not in moved.headers["Location"]


@pytest.mark.parametrize("url", ["/grenoble/frais?lieu=zones-arrets:285",
                                 "/grenoble/frais?lat=45.19&lon=5.72"])
def test_no_empty_block_where_nothing_is_published(get, url):
    """Grenoble publishes no cool place: say so, and show no filters, heading, map or sources."""
    response, soup = get(url)
    assert response.status_code == 200
    (line,) = soup.select(".missing")
    assert "Près d'ici n'a pas encore ces données pour Grenoble" in line.get_text()
    assert line.select_one("a[href='/donnees#t-grenoble']")
    assert soup.select_one("#missing-fountain") is None      # one line, not one per kind
    for empty in ("form.cool-filters", "fieldset", ".near", ".cool-map", "#cool-map",
                  ".js-map-toggle", ".sources", "section.cool-section"):
        assert soup.select_one(empty) is None, empty


def test_filters_stay_but_no_map_when_no_list_has_rows(get):
    """Clermont publishes no toilets: asking only for them lists nothing. The filters stay (to
    undo the choice), every fieldset has a choice, and there is no map of nothing."""
    response, soup = get("/clermont/frais?lat=45.7724&lon=3.0884&type=toilets")
    assert response.status_code == 200 and not rows(soup)
    assert soup.select_one("#missing-toilets")
    assert soup.select_one("form.cool-filters input[name=type][value=park]")
    assert all(f.select("input") for f in soup.select("fieldset"))
    assert soup.select_one(".cool-map") is None and soup.select_one("#cool-map") is None
    _, listed = get("/clermont/frais?lat=45.7724&lon=3.0884")
    assert listed.select_one("#cool-map")


def test_fragment_privacy_and_english(get):
    response, soup = get(f"/paris/frais?{CITY_HALL}", **{"HX-Request": "true"})
    assert soup.select_one("html") is None and rows(soup, "cool")
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "48.8566" not in body and "2.3522" not in body     # no field, attribute or link
    assert not re.search(r"[?&](lat|lon)=", body)
    assert soup.select_one("img") is None                      # no tile before the map opens
    _, english = get(f"/paris/frais?{CITY_HALL}&ouvert=1", at=SUNDAY,
                     **{"Accept-Language": "en"})
    text = english.get_text(" ", strip=True)
    assert "Open now" in text and "Drinking water" in text and "Ouvert maintenant" not in text


def test_published_french_is_marked_french_on_english_pages(get):
    """RGAA 8.7: an address and its commune are published in French, whatever the page says."""
    _, english = get(f"/paris/frais?{CITY_HALL}", **{"Accept-Language": "en"})
    addresses = english.select("li.cool-place .address")
    assert addresses and all(a.get("lang") == "fr" for a in addresses)
    assert any("arrondissement" in a.get_text() for a in addresses)      # with its commune
    _, french = get(f"/paris/frais?{CITY_HALL}")
    assert french.select("li.cool-place .address")
    assert not french.select("li.cool-place [lang]")


def test_polygon_edge_distance_beats_its_centroid():
    """Hand-made input (not data: the Clermont copy has points only): a 400 m wide park whose
    west edge is 50 m east of the visitor comes before a point 100 m north, and is 0 m inside."""
    from datetime import datetime

    import shapely

    from webapp.heat import HeatPlan
    from webapp.spatial import SpatialIndex
    from webapp.tasks.cool_rows import Context, Filters, nearest_rows
    from webapp.tasks.origin import Origin
    lat, lon = 45.7772, 3.0870
    dlat, dlon = 1 / 111_195, 1 / (111_195 * math.cos(math.radians(lat)))
    square = shapely.box(lon + 50 * dlon, lat - 200 * dlat, lon + 450 * dlon, lat + 200 * dlat)
    park = Place(id="test:park", name="Parc (fait main)", category="park", lat=lat,
                 lon=lon + 250 * dlon, dataset="test", shape=square)
    point = Place(id="test:point", name="Square (fait main)", category="park",
                  lat=lat + 100 * dlat, lon=lon, dataset="test")
    index = SpatialIndex([point, park], lat, lon)
    ctx = Context(Filters(), datetime(2025, 9, 16, 15, 0), HeatPlan())
    found = nearest_rows(index, Origin(lat, lon, None), ctx, 2, ("park",))
    assert [r.place.id for r in found] == ["test:park", "test:point"]
    assert found[0].metres == pytest.approx(50, abs=1)
    assert haversine_m(lat, lon, park.lat, park.lon) == pytest.approx(250, abs=1)
    inside = nearest_rows(index, Origin(lat, lon + 300 * dlon, None), ctx, 1, ("park",))
    assert inside[0].place.id == "test:park" and inside[0].metres == 0


def test_no_translated_string_hides_in_an_f_string():
    """pybabel cannot see `_()` inside an f-string: such a string is never translated."""
    import tokenize
    for path in sorted((ROOT / "webapp/tasks").glob("cool*.py")):
        with path.open("rb") as handle:
            hidden = [t.start[0] for t in tokenize.tokenize(handle.readline)
                      if t.type == tokenize.STRING and re.match(r"(?i)[rb]*f", t.string)
                      and re.search(r"\b_l?\(", t.string)]
        assert not hidden, f"{path.name}: lines {hidden}"


def test_midnight_is_extracted_and_translated(cool_app):
    from datetime import time

    from babel.messages.extract import extract_from_file

    from webapp.tasks import cool_text
    extracted = {m[1] for m in extract_from_file("python", ROOT / "webapp/tasks/cool_text.py")}
    assert "minuit" in extracted
    late = [(time(22, 0), time(0, 0), "open")]
    with cool_app.test_request_context(headers={"Accept-Language": "en"}):
        english = cool_text.day_text(late)
    with cool_app.test_request_context(headers={"Accept-Language": "fr"}):
        french = cool_text.day_text(late)
    assert english.endswith("–midnight") and french.endswith("–minuit"), (english, french)


def _hand_made(place_id, category, metres_north, **fields):
    """A place near the Hôtel de Ville that the real Paris data lacks (not data: made here)."""
    return Place(
        id=f"test:{place_id}", name=fields.pop("name", None), category=category,
        lat=48.8566 + metres_north / 111_195, lon=2.3522, dataset="test", **fields)


@pytest.fixture()
def paris_plus(cool_app, monkeypatch):
    """Paris with hand-made toilets and a fountain whose status is not published."""
    from webapp.spatial import SpatialIndex
    extra = [
        _hand_made("wc1", "toilets", 40, name="Sanisette (fait main)", hours="Mo-Su 06:00-22:00",
                   attrs={"paid": False, "pmr": True}),
        _hand_made("wc2", "toilets", 90, name="Sanisette en panne (fait main)",
                   attrs={"available": False}),
        _hand_made("f1", "fountain", 10, attrs={"kind": "wallace", "available": None}),
    ]
    with cool_app.app_context():
        from webapp.catalog import catalog
        data = catalog().get("paris")
        lat0, lon0 = data.territory.center
        index = SpatialIndex(data.index("cool").places + extra, lat0, lon0)
        monkeypatch.setitem(data.indexes, "cool", index)
    return extra


def test_published_toilets_get_their_own_section(get, paris_plus):
    """Hand-made toilets beside the real ones: listed by distance among them, an out-of-service
    one said so (no real record publishes a status)."""
    _, soup = get(f"/paris/frais?{CITY_HALL}")
    toilets = rows(soup, "toilets")
    ids = [r["data-place-id"] for r in toilets]
    assert "test:wc1" in ids and "test:wc2" in ids and ids.index("test:wc1") < ids.index("test:wc2")
    assert soup.select_one("#s-toilets").get_text(strip=True) == "Toilettes publiques"
    wc1, wc2 = toilets[ids.index("test:wc1")], toilets[ids.index("test:wc2")]
    assert "Ouvert maintenant" in wc1["text"] and "Accessible PMR" in wc1["text"]
    assert "Hors service" in wc2["text"] and wc2["data-state"] == "closed"
    assert soup.select_one("#missing-toilets") is None
    assert soup.select_one("input[name=type][value=toilets]")
    _, only = get(f"/paris/frais?{CITY_HALL}&type=toilets")
    assert {r["data-category"] for r in rows(only)} == {"toilets"}
    _, heat = get(f"/paris/frais?{CITY_HALL}", heat=HEAT)
    assert [s["id"] for s in heat.select("section.cool-section h2")][-1] == "s-toilets"


def test_fountain_with_unpublished_status_is_not_said_to_work(get, paris_plus):
    _, soup = get(f"/paris/frais?{CITY_HALL}")
    water = {r["data-place-id"]: r for r in rows(soup, "water")}
    unknown = water["test:f1"]
    assert unknown["data-state"] == "unknown" and "État inconnu" in unknown["text"]
    assert "En service" not in unknown["text"] and "Hors service" not in unknown["text"]
    working = [r for r in water.values() if r["data-place-id"].startswith("fontaines-a-boire")
               and "Hors service" not in r["text"]]
    assert working and all("En service selon le gestionnaire" in r["text"] for r in working)
    _, english = get(f"/paris/frais?{CITY_HALL}", **{"Accept-Language": "en"})
    text = [r for r in rows(english, "water") if r["data-place-id"] == "test:f1"][0]["text"]
    assert "Status unknown" in text and "État" not in text


def test_data_date_is_the_french_day(get, cool_app, monkeypatch):
    """A refresh at 23:30 UTC on 15 Sept. is 01:30 on the 16th in Paris: the page says the 16th."""
    with cool_app.app_context():
        from webapp.catalog import catalog
        state = catalog().get("paris").states["fontaines-a-boire"]
    monkeypatch.setattr(state, "fetched_at", "2025-09-15T23:30:00+00:00")
    _, soup = get(f"/paris/frais?{CITY_HALL}")
    line = [p.get_text(" ", strip=True) for p in soup.select(".sources .source")
            if "Eau de Paris" in p.get_text()]
    assert line and "données du 16 sept. 2025" in line[0], line
