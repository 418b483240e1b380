"""« Se déplacer » through the Flask client: plain forms and POST, as without JavaScript."""
from __future__ import annotations

import base64
import csv
import functools
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies as st

from test_routes import check_headers, check_html

ROOT = Path(__file__).resolve().parent.parent
TAG = ROOT / "data/grenoble/tag-gtfs_2023-04.zip"
TUESDAY = "2023-04-18"           # a school-term Tuesday inside the TAG feed (10 Apr – 4 Jun 2023)
PLAN = "/grenoble/deplacements"


def soup_of(response):
    """Parsed page, after checking it is valid HTML without inline code."""
    return check_html(response.data)


def profile_fields(soup) -> dict:
    """What a browser sends with the next POST: hidden fields (the profile), ticked boxes,
    chosen options (the add-place text fields are filled by each test)."""
    form = soup.select_one("form.mobility-form")
    fields: dict = {}
    for i in form.select("input[name]"):
        kind = i.get("type", "text")
        if kind == "hidden" or (kind in ("checkbox", "radio") and i.has_attr("checked")):
            fields.setdefault(i["name"], []).append(i.get("value", ""))
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        fields[select["name"]] = [chosen["value"]]
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


def add(client, fields: dict, label: str, where: str, city: str = "grenoble", **extra):
    """Press "Ajouter ce lieu" with a name, as a form without JavaScript does."""
    body = {**fields, "ajout-nom": label, "ajout-endroit": where, "action": "ajouter",
            "jour": TUESDAY, "heure": "08:00", **extra}
    return client.post(f"/{city}/deplacements", data=body)


def plan_with(client, *places, city="grenoble", **extra):
    """Add places one POST after the other, carrying the hidden fields; the last page's soup."""
    fields: dict = {}
    soup = None
    for label, where in places:
        response = add(client, fields, label, where, city, **extra)
        assert response.status_code == 200, response.data[:500]
        soup = soup_of(response)
        fields = profile_fields(soup)
    return soup, fields


def texts(soup, selector):
    return [" ".join(e.get_text(" ", strip=True).split()) for e in soup.select(selector)]


@pytest.mark.parametrize("city", ["grenoble", "perigueux", "clermont", "toulouse", "paris"])
def test_every_city_has_the_page_and_its_tile(client, city):
    home = BeautifulSoup(client.get(f"/{city}/").data, "html.parser")
    assert home.select_one(f"a.tile[href='/{city}/deplacements']")
    response = client.get(f"/{city}/deplacements")
    assert response.status_code == 200
    check_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    soup = soup_of(response)
    assert soup.select_one("form.mobility-form[method=post]")
    assert soup.select_one(".network").get_text(strip=True)


def test_honest_network_notices(client):
    grenoble = soup_of(client.get("/grenoble/deplacements")).select_one(".network").get_text(" ")
    assert "10 avr. 2023" in grenoble and "4 juin 2023" in grenoble
    clermont = soup_of(client.get("/clermont/deplacements")).select_one(".network").get_text(" ")
    assert "Les horaires ne sont pas dans la copie que nous avons" in clermont
    for city, feed in (("toulouse", "Tisséo"), ("paris", "Île-de-France")):
        notice = soup_of(client.get(f"/{city}/deplacements")).select_one(".network")
        assert "Pas d'horaires de transport en commun" in notice.get_text(" ")
        assert feed.lower() in notice.get_text(" ").lower(), city
        assert notice.select_one("a[href^='https://']")


def test_three_places_by_name_give_stops_lines_departures_and_reach(client):
    soup, fields = plan_with(client, ("Chez moi", "Victor Hugo"), ("Médecin", "Chavant"),
                             ("Mission locale", "La Poya"))
    assert texts(soup, ".known h3") == ["Chez moi Victor Hugo", "Médecin Chavant",
                                        "Mission locale La Poya"]
    home = soup.select_one("article.known")
    stops = texts(home, ".stop .stop-name strong")
    assert "Victor Hugo" in stops
    lines = {b.contents[0].strip() for b in home.select(".lines .line")}
    assert {"A", "B", "C1"} <= lines          # the feed's lines at Victor Hugo (field notes)
    assert home.select(".departures li time")
    when = soup.select_one(".sheet .when").get_text(" ")
    assert "mardi 18 avril 2023" in when and "10 avr. 2023" in when and "4 juin 2023" in when
    reach = soup.select_one("section.reach")
    assert "depuis « Chez moi »" in reach.h3.get_text()
    known = texts(reach, ".trips .trip > p")
    assert len(known) == 2 and known[0].startswith("Médecin")
    rows = reach.select("li.opportunity")
    assert rows and all("depuis Chez moi" in r.get_text() for r in rows)
    assert all(r.select_one("a[href^='geo:']") and r.select_one("a[href*='openstreetmap.org']")
               for r in rows)
    assert fields["lieu-2-endroit"] == "La Poya"


@functools.lru_cache(maxsize=2)
def tag_day(day: str):
    """The TAG feed's boardings on one day, straight from its rows (a brute force):
    ({quay: [(departure "HH:MM:SS", line, trip_id)]}, {station: its quays})."""
    with zipfile.ZipFile(TAG) as z:
        def rows(name):
            return csv.DictReader(io.TextIOWrapper(z.open(name), "utf-8-sig"))
        stations: dict[str, set] = {}
        for r in rows("stops.txt"):
            stations.setdefault(r["stop_id"], set()).add(r["stop_id"])
            if r["parent_station"]:
                stations.setdefault(r["parent_station"], set()).add(r["stop_id"])
        ymd = day.replace("-", "")
        services = {r["service_id"] for r in rows("calendar_dates.txt")
                    if r["date"] == ymd and r["exception_type"] == "1"}
        routes = {r["route_id"]: r["route_short_name"] for r in rows("routes.txt")}
        trips = {r["trip_id"]: routes[r["route_id"]] for r in rows("trips.txt")
                 if r["service_id"] in services}
        last: dict[str, int] = {}
        found = []
        for r in rows("stop_times.txt"):
            if r["trip_id"] in trips:
                seq = int(r["stop_sequence"])
                last[r["trip_id"]] = max(last.get(r["trip_id"], 0), seq)
                if r.get("pickup_type", "0") != "1":
                    found.append((r["stop_id"], r["departure_time"], trips[r["trip_id"]],
                                  r["trip_id"], seq))
    boardings: dict[str, list] = {}
    for stop, time_, line, trip, seq in found:
        if seq < last[trip]:                                # a terminus arrival is no departure
            boardings.setdefault(stop, []).append((time_, line, trip))
    return boardings, stations


def raw_boardings(station: str, day: str) -> list:
    """Every (time, line, trip) boarding at a station's quays on a day, in time order."""
    boardings, stations = tag_day(day)
    return sorted(b for quay in stations[station] for b in boardings.get(quay, []))


def raw_departures(station: str, day: str, after: str, limit: int):
    """The next departures at a station after a time."""
    return [(t[:5], line, trip) for t, line, trip in raw_boardings(station, day)
            if t[:5] >= after][:limit]


def clock(hms: str) -> str:
    """"25:10:00" -> "01:10" (a service day's time past midnight, as a clock shows it)."""
    return f"{int(hms[:2]) % 24:02d}:{hms[3:5]}"


def test_next_departures_are_the_feeds_rows(client):
    soup, _ = plan_with(client, ("Chez moi", "Victor Hugo"))
    stop = next(li for li in soup.select("article.known li.stop")
                if li["data-stop-id"] == "VICTHUGO")
    shown = [(li.time.get_text(), li.select_one(".line").contents[0].strip())
             for li in stop.select(".departures li")]
    expected = raw_departures("VICTHUGO", TUESDAY, "08:00", len(shown))
    assert len(shown) == 4
    assert sorted(shown) == sorted((t, line) for t, line, _ in expected)


FIRST_LAST = re.compile(r"(\w+) \((?:tram|bus)\) (\d\d:\d\d).*– (\d\d:\d\d)")


def test_first_and_last_departures_and_warnings_are_the_feeds(client):
    soup, _ = plan_with(client, ("Chez moi", "Victor Hugo"))
    stop = next(li for li in soup.select("article.known li.stop")
                if li["data-stop-id"] == "VICTHUGO")
    shown = {}
    for li in stop.select("ul.first-last li"):
        text = " ".join(li.get_text(" ").split())
        line, first, last = FIRST_LAST.match(text).groups()
        shown[line] = (first, last, "après minuit" in text.split("–")[1])
    raw = raw_boardings("VICTHUGO", TUESDAY)
    for line in ("A", "C1", "40"):
        times = [t for t, ln, _ in raw if ln == line]
        assert shown[line] == (clock(min(times)), clock(max(times)), max(times) >= "24"), line
    # The place's warning: the earliest first departure of every stop near it.
    home = soup.select_one("article.known")
    first = min(t for li in home.select("li.stop")
                for t, *_ in raw_boardings(li["data-stop-id"], TUESDAY))
    warnings = " ".join(texts(home, "p.warn"))
    assert (f"Pas de départ avant {first[:5]}" in warnings) == (first[:5] > "06:30")


def test_a_ride_in_the_plan_is_a_trip_of_the_feed(client):
    soup, _ = plan_with(client, ("Chez moi", "Victor Hugo"), ("Médecin", "La Poya"))
    ride = soup.select_one(".trips .trip .legs li[data-trip-id]")
    assert ride is not None
    line = ride.select_one(".line").contents[0].strip()
    depart, origin = re.search(r"à (\d\d:\d\d) de (.+?) jusqu'à", ride.get_text()).groups()
    # The feed names stops "Commune, Name"; the page shows the name.
    names = stop_names()
    quays = {q for q in names if names[q].split(", ", 1)[-1] == origin.strip()}
    boardings, _ = tag_day(TUESDAY)
    assert (ride["data-trip-id"], line) in {(trip, ln) for q in quays
                                             for t, ln, trip in boardings.get(q, [])
                                             if clock(t) == depart}


@functools.lru_cache(maxsize=1)
def stop_names() -> dict:
    """stop_id -> stop_name in the TAG feed."""
    with zipfile.ZipFile(TAG) as z:
        return {r["stop_id"]: r["stop_name"] for r in
                csv.DictReader(io.TextIOWrapper(z.open("stops.txt"), "utf-8-sig"))}


def test_line_colours_come_from_the_feed_through_a_stylesheet(client):
    soup, _ = plan_with(client, ("Chez moi", "Victor Hugo"))
    badge = next(b for b in soup.select(".lines .line") if b.contents[0].strip() == "C1")
    css_class = next(c for c in badge["class"] if c.startswith("ln-"))
    sheet = client.get("/grenoble/deplacements/lignes.css")
    assert sheet.status_code == 200 and sheet.mimetype == "text/css"
    rule = next(line for line in sheet.get_data(as_text=True).splitlines()
                if line.startswith(f".{css_class}{{"))
    with zipfile.ZipFile(TAG) as z:
        routes = csv.DictReader(io.TextIOWrapper(z.open("routes.txt"), "utf-8-sig"))
        c1 = next(r for r in routes if r["route_short_name"] == "C1")
    assert f"background:#{c1['route_color']}".lower() in rule.lower()
    assert soup.select_one("link[rel=stylesheet][href='/grenoble/deplacements/lignes.css']")


def test_a_day_without_service_moves_to_the_typical_day(client):
    soup, _ = plan_with(client, ("Chez moi", "Victor Hugo"))
    fields = profile_fields(soup)
    for day, words in (("2024-01-09", "hors de la période"), ("2023-05-01", "Aucun bus ni tram")):
        response = client.post(PLAN, data={**fields, "jour": day, "heure": "08:00"})
        assert response.status_code == 200
        page = soup_of(response)
        assert words in page.select_one(".sheet .notice.warn").get_text()
        when = page.select_one(".sheet .when").get_text(" ")
        assert "Jour type du réseau" in when
        shown = page.select_one("#jour")["value"]
        assert date.fromisoformat(shown).weekday() == date.fromisoformat(day).weekday()
        assert "2023-04-10" <= shown <= "2023-06-04"


def test_homonyms_are_offered_then_one_is_chosen(client):
    response = add(client, {}, "Mairie", "Hôtel de Ville")
    soup = soup_of(response)
    choices = soup.select("fieldset.choices input[name=ajout-choix]")
    assert len(choices) >= 2 and not soup.select(".known")
    grenoble = next(c for c in choices if "Grenoble" in c.parent.get_text())
    again = soup_of(add(client, profile_fields(soup), "Mairie", "Hôtel de Ville",
                        **{"ajout-choix": grenoble["value"]}))
    assert texts(again, ".known h3")[0].startswith("Mairie")


def test_remove_a_place(client):
    soup, fields = plan_with(client, ("Chez moi", "Victor Hugo"), ("Médecin", "Chavant"))
    after = soup_of(client.post(PLAN, data={**fields, "action": "retirer-0"}))
    assert texts(after, ".known h3") == ["Médecin Chavant"]


def test_shared_link_carries_the_profile_in_the_fragment_only(client):
    soup, fields = plan_with(client, ("Chez moi", "Victor Hugo"), ("Médecin", "Chavant"))
    link = soup.select_one("a.share-link")["href"]
    page, fragment = link.split("#", 1)
    assert page.endswith("/grenoble/deplacements") and "?" not in page
    raw = json.loads(base64.urlsafe_b64decode(fragment[len("plan="):] + "=="))
    assert [p[:2] for p in raw["p"]] == [["Chez moi", "Victor Hugo"], ["Médecin", "Chavant"]]
    assert raw["p"][0][2:] == [float(fields["lieu-0-lat"]), float(fields["lieu-0-lon"])]
    svg = soup.select_one(".qr-box svg")
    assert svg and svg.title and not svg.select("[style]")
    # What mobility.js does with the fragment: POST it; the same plan comes back.
    rebuilt = soup_of(client.post(PLAN, data={"partage": fragment[len("plan="):]}))
    assert texts(rebuilt, ".known h3") == texts(soup, ".known h3")


def test_english_sheet(client):
    soup, fields = plan_with(client, ("Home", "Victor Hugo"))
    page = soup_of(client.post(PLAN, data={**fields, "langue": "en", "jour": TUESDAY}))
    assert page.html["lang"] == "en"
    assert page.select_one("#sheet-title").get_text() == "Travel plan"
    assert "Tuesday, April 18, 2023" in page.select_one(".sheet .when").get_text(" ")
    # Times in the reader's language (Babel's short time): "6:12 AM", never the French "06:12".
    departures = [t.get_text() for t in page.select("li.stop time")]
    assert departures and all(re.fullmatch(r"1?\d:\d\d\u202f[AP]M( \(after midnight\))?", t)
                              for t in departures), departures


@pytest.mark.parametrize("lang, morning, evening", [
    ("fr", "06:10", "20:30"), ("en", "6:10\u202fAM", "8:30\u202fPM"), ("ar", "6:10 ص", "8:30 م"),
    ("es", "6:10", "20:30"), ("uk", "06:10", "20:30")])
def test_clock_times_follow_the_language(app, lang, morning, evening):
    from webapp.tasks.mobility.plan import hhmm
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        assert (hhmm(6 * 3600 + 600), hhmm(20 * 3600 + 1800)) == (morning, evening)


def test_clermont_stops_without_times_and_toulouse_walk_and_bike(client):
    soup, _ = plan_with(client, ("Chez moi", "Jaude"), city="clermont")
    assert soup.select("article.known li.stop")
    assert not soup.select(".departures")
    soup, _ = plan_with(client, ("Chez moi", "Jeanne d'Arc"), city="toulouse")
    assert soup.select(".known")
    times = texts(soup, "li.opportunity .time")
    assert times and all("à vélo" in t and "correspondance" not in t for t in times)


@pytest.mark.parametrize("fields, message", [
    ({"ajout-endroit": "zzqqxxwv"}, "Aucun lieu ne porte ce nom"),
    ({"ajout-endroit": "a" * 81}, "trop long"),
    ({"ajout-nom": "n" * 41, "ajout-endroit": "Chavant"}, "trop long"),
    ({"ajout-lat": "nan", "ajout-lon": "5.72"}, "pas lisible"),
    ({"ajout-lat": "1e309", "ajout-lon": "5.72"}, "pas lisible"),
    ({"ajout-lat": "91", "ajout-lon": "5.72"}, "n'existe pas sur Terre"),
    ({"ajout-lat": "48.85", "ajout-lon": "2.35"}, "hors du territoire"),
    ({"ajout-choix": "no-such-id"}, "Ce lieu est inconnu"),
    ({}, "Indiquez où se trouve ce lieu"),
    ({"partage": "not-a-plan!!"}, "lien de plan n'est pas lisible"),
    ({"lieu-0-lat": "45.19", "lieu-0-lon": "inf", "action": "plan"}, "n'était pas lisible"),
])
def test_bad_input_gets_a_clear_message(client, fields, message):
    body = {"action": "ajouter", **fields}
    response = client.post(PLAN, data=body)
    assert response.status_code in (200, 400)
    alerts = " ".join(a.get_text() for a in soup_of(response).select("[role=alert]"))
    assert message in alerts, alerts


def test_nine_places_at_most(client):
    fields = {}
    for i in range(9):
        fields |= {f"lieu-{i}-nom": f"L{i}", f"lieu-{i}-endroit": "Victor Hugo",
                   f"lieu-{i}-lat": "45.19", f"lieu-{i}-lon": "5.72"}
    full = soup_of(add(client, fields, "Dixième", "Chavant"))
    assert "au plus 9 lieux" in full.select_one("[role=alert]").get_text()
    assert len(full.select(".known")) == 9
    fields["lieu-9-lat"], fields["lieu-9-lon"] = "45.19", "5.72"
    over = soup_of(client.post(PLAN, data={**fields, "action": "plan"}))
    assert len(over.select(".known")) == 9 and over.select_one("[role=alert]")


def test_bad_day_and_time_and_huge_body(client):
    soup, fields = plan_with(client, ("Chez moi", "Victor Hugo"))
    page = soup_of(client.post(PLAN, data={**fields, "jour": "2023-13-45", "heure": "25:99"}))
    notes = page.select_one(".sheet").get_text(" ")
    assert "Cette date n'est pas lisible" in notes and "Cette heure n'est pas lisible" in notes
    huge = client.post(PLAN, data={"ajout-endroit": "x" * 20000, "action": "ajouter"})
    assert huge.status_code == 413
    assert "trop grande" in soup_of(huge).select_one("[role=alert]").get_text()


def test_nothing_of_the_profile_leaves_in_headers_or_cookies(client):
    response = add(client, {}, "Chez moi", "Victor Hugo")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert "Victor" not in " ".join(f"{k}: {v}" for k, v in response.headers.items())


def first_walk(soup) -> int:
    """Walking minutes to the home's nearest stop, as shown."""
    text = soup.select_one("article.known li.stop .stop-name").get_text(" ")
    return int(text.split("·")[1].split("min")[0])


def test_origin_modes_and_pace_change_the_answer(client):
    soup, fields = plan_with(client, ("Chez moi", "Victor Hugo"), ("Médecin", "La Poya"))
    base = {**fields, "jour": TUESDAY, "heure": "08:00", "modes-envoyes": "1"}
    from_doctor = soup_of(client.post(PLAN, data={**base, "depuis": "1",
                                                  "modes": ["walk", "bike", "transit"]}))
    assert "depuis « Médecin »" in from_doctor.select_one("section.reach h3").get_text()
    assert texts(from_doctor, ".trips .trip > p")[0].startswith("Chez moi")
    walking = soup_of(client.post(PLAN, data={**base, "modes": ["walk"]}))
    times = texts(walking, "li.opportunity .time, .trips .time")
    assert times and not any("vélo" in t or "correspondance" in t for t in times)
    riding = soup_of(client.post(PLAN, data={**base, "modes": ["transit"]}))
    trip = riding.select_one(".trips .trip")
    assert "correspondance" in trip.get_text() and trip.select(".legs li .line")
    slow = soup_of(client.post(PLAN, data={**base, "allure": "slow"}))
    assert first_walk(slow) >= first_walk(riding)
    assert "Allure lente" in slow.select_one(".sheet .modes").get_text()
    nothing = soup_of(client.post(PLAN, data={**base, "modes": ["plane"]}))
    assert "n'est pas reconnu" in nothing.select_one("[role=alert]").get_text()


def test_hand_off_names_the_destination_only(client):
    soup, fields = plan_with(client, ("Chez moi", "Victor Hugo"))
    home = (fields["lieu-0-lat"], fields["lieu-0-lon"])
    links = [a["href"] for a in soup.select("li.opportunity a")]
    assert links and all(a.startswith(("geo:", "https://www.openstreetmap.org/")) for a in links)
    assert not any(home[0] in a and home[1] in a for a in links)
    assert not any("route" in a or "directions" in a for a in links)


FIELDS = ["action", "ajout-nom", "ajout-endroit", "ajout-lat", "ajout-lon", "ajout-choix",
          "ajout-source", "lieu-0-lat", "lieu-0-lon", "lieu-0-nom", "lieu-1-lat", "lieu-1-lon",
          "modes", "modes-envoyes", "allure", "jour", "heure", "depuis", "duree", "langue",
          "partage"]
VALUES = st.one_of(
    st.text(max_size=60), st.sampled_from(["45.19", "5.72", "nan", "1e309", "-0", "45.1906",
                                           "ajouter", "plan", "retirer-0", "retirer-99",
                                           "2023-04-18", "25:61", "99999999999999999999",
                                           "walk", "bike", "transit", "en", "xx"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=10))
def test_any_form_gets_a_page_never_a_500(client, form):
    response = client.post(PLAN, data=form)
    assert response.status_code in (200, 400), (form, response.status_code)
    assert response.headers["Cache-Control"] == "no-store"
