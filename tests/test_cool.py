"""« Au frais » on the real Paris and Clermont data, at fixed clock times."""
from __future__ import annotations

import json
import math
import os
import re
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
    response, soup = get(f"/paris/frais?{CITY_HALL}")
    assert response.status_code == 200
    for section in ("cool", "water"):
        found = rows(soup, section)
        assert len(found) >= cool_app.config["RESULTS"]
        metres = [exact_distance_m(place(cool_app, r["data-place-id"]), 48.8566, 2.3522)
                  for r in found]
        assert metres == sorted(metres)
        first = found[0]
        assert f"{walking_minutes(metres[0])} min à pied" in first["text"]


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
    assert cool and all(r["data-state"] == "open" for r in cool)
    assert any(r["data-place-id"].endswith(":MU34") for r in cool) is shown
    assert all("Horaires inconnus" not in r["text"] for r in cool)


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


def test_unpublished_accessibility_cannot_filter_to_nothing(get):
    _, soup = get(f"/paris/frais?{CITY_HALL}&pmr=1&gourde=1")
    assert rows(soup, "cool") and rows(soup, "water")
    assert "Ce filtre ne peut pas s'appliquer" in soup.get_text()
    assert soup.select_one("input[name=pmr]") is None


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


def test_missing_water_and_toilets_are_named(get):
    _, clermont = get("/clermont/frais?lat=45.7724&lon=3.0884")
    text = clermont.get_text(" ", strip=True)
    assert clermont.select_one("[aria-labelledby=missing-fountain] a[href*='schema-fontaine-eau']")
    assert clermont.select_one("#missing-toilets") and "Clermont-Ferrand ne publie pas" in text
    toilets = clermont.select_one("[aria-labelledby=missing-toilets]").get_text(" ", strip=True)
    assert "ne publie pas encore" in toilets and "la liste des toilettes publiques" in toilets
    _, paris = get(f"/paris/frais?{CITY_HALL}")
    assert paris.select_one("[aria-labelledby=missing-toilets] a[href*='sanisettesparis']")
    assert paris.select_one("#missing-fountain") is None
    _, grenoble = get("/grenoble/frais?lat=45.19&lon=5.72")
    assert "ne publie pas encore de données sur les lieux où se rafraîchir" in grenoble.get_text()


HEAT = '[paris.alert]\nstart = 2025-09-15\nend = 2025-09-17\nlevel = "orange"\n'


def test_heat_wave_banner_order_and_slow_walk(get, cool_app):
    _, off = get(f"/paris/frais?{CITY_HALL}")
    assert off.select_one(".heat-banner") is None and off.select_one("input[name=lent]") is None
    _, on = get(f"/paris/frais?{CITY_HALL}&lent=1", heat=HEAT)
    assert "vigilance orange" in on.select_one(".heat-banner").get_text()
    order = [s["id"] for s in on.select("section.cool-section h2")]
    assert order == ["s-indoor", "s-water", "s-outdoor"]
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
    _, by_name = get("/paris/frais?q=Musée du Luxembourg")
    assert by_name.select_one("form.cool-filters input[name=q]")["value"] == "Musée du Luxembourg"


@pytest.mark.parametrize("url", ["/grenoble/frais?lieu=zones-arrets:285",
                                 "/grenoble/frais?lat=45.19&lon=5.72"])
def test_no_empty_block_where_nothing_is_published(get, url):
    """Grenoble publishes no cool place: say so, and show no filters, heading, map or sources."""
    response, soup = get(url)
    assert response.status_code == 200
    assert "ne publie pas encore de données sur les lieux où se rafraîchir" in soup.get_text()
    assert soup.select_one("#missing-fountain") and soup.select_one("#missing-toilets")
    for empty in ("form.cool-filters", "fieldset", ".near", ".cool-map", "#cool-map",
                  ".js-map-toggle", ".sources", "section.cool-section"):
        assert soup.select_one(empty) is None, empty


def test_filters_stay_but_no_map_when_no_list_has_rows(get):
    """Paris publishes no toilets: asking only for them lists nothing. The filters stay (to undo
    the choice), every fieldset has a choice, and there is no map of nothing."""
    response, soup = get(f"/paris/frais?{CITY_HALL}&type=toilets")
    assert response.status_code == 200 and not rows(soup)
    assert soup.select_one("#missing-toilets")
    assert soup.select_one("form.cool-filters input[name=type][value=misting]")
    assert all(f.select("input") for f in soup.select("fieldset"))
    assert soup.select_one(".cool-map") is None and soup.select_one("#cool-map") is None
    _, listed = get(f"/paris/frais?{CITY_HALL}")
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
    _, soup = get(f"/paris/frais?{CITY_HALL}")
    toilets = rows(soup, "toilets")
    assert [r["data-place-id"] for r in toilets] == ["test:wc1", "test:wc2"]
    assert soup.select_one("#s-toilets").get_text(strip=True) == "Toilettes publiques"
    assert "Ouvert maintenant" in toilets[0]["text"] and "Accessible PMR" in toilets[0]["text"]
    assert "Hors service" in toilets[1]["text"] and toilets[1]["data-state"] == "closed"
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
