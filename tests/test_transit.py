"""The transit engine on the real TAG (Grenoble) and Péribus (Périgueux) feeds, checked by hand.

Each itinerary names the trips and times it relies on; the test first reads those rows in the raw
GTFS files (so a wrong reading of the feed fails here), then asks the engine."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TAG = ROOT / "data/grenoble/tag-gtfs_2023-04.zip"
PERIBUS = ROOT / "data/perigueux/peribus-gtfs-2025-12.zip"
T2C = ROOT / "data/clermont/t2c-gtfs-2026-01_partial.zip"
TUESDAY = date(2023, 5, 2)          # a school-term Tuesday of the TAG feed


def raw(feed: Path, table: str) -> list[dict]:
    """Rows of one file of a GTFS zip, as csv reads them."""
    with zipfile.ZipFile(feed) as z, z.open(f"{table}.txt") as f:
        return list(csv.DictReader(io.TextIOWrapper(f, encoding="utf-8-sig")))


def trip_rows(feed: Path, trip_id: str) -> list[tuple[str, str, str]]:
    """(parent station, arrival, departure) of a trip, in stop_sequence order."""
    parent = {r["stop_id"]: r["parent_station"] or r["stop_id"] for r in raw(feed, "stops")}
    rows = sorted((int(r["stop_sequence"]), r) for r in raw(feed, "stop_times")
                  if r["trip_id"] == trip_id)
    return [(parent[r["stop_id"]], r["arrival_time"], r["departure_time"]) for _, r in rows]


def hms(text: str) -> int:
    h, m, s = map(int, text.split(":"))
    return h * 3600 + m * 60 + s


@pytest.fixture(scope="module")
def tag(app):
    with app.app_context():
        from webapp.transit import timetable_for
        return timetable_for("grenoble")


@pytest.fixture(scope="module")
def peribus(app):
    with app.app_context():
        from webapp.transit import timetable_for
        return timetable_for("perigueux")


def station(tt, stop_id: str):
    return next(s for s in tt.stops if s.id == stop_id)


def rides(arrival):
    return [(leg.trip_id, leg.from_name, leg.to_name, leg.depart_s, leg.arrive_s)
            for leg in arrival.legs if leg.kind == "ride"]


def test_tram_b_from_victor_hugo_to_plaine_des_sports(tag):
    """Trip 27639439 (tram B, service 12345-MGHLV37…, runs 2023-05-02): Victor Hugo (quay 2217)
    08:00:00, La Tronche Hôpital 08:08:00, Plaine des Sports (3059) 08:24:00."""
    rows = trip_rows(TAG, "27639439")
    assert ("VICTHUGO", "08:00:00", "08:00:00") in rows and rows[-1] == ("PLAINEDS", "08:24:00",
                                                                          "08:24:00")
    service = next(t["service_id"] for t in raw(TAG, "trips") if t["trip_id"] == "27639439")
    assert {"service_id": service, "date": "20230502", "exception_type": "1"} in \
        raw(TAG, "calendar_dates")
    vh = station(tag, "VICTHUGO")
    got = tag.reach(vh.lat, vh.lon, TUESDAY, hms("08:00:00")).at_stop(
        station(tag, "PLAINEDS").index)
    assert got.time_s == hms("08:24:00") and got.transfers == 0 and not got.walk_only
    assert rides(got) == [("27639439", "Victor Hugo", "Plaine des Sports", hms("08:00:00"),
                           hms("08:24:00"))]
    assert got.legs[1].route.short_name == "B" and got.legs[1].stops == 14


def test_chrono_c1_victor_hugo_to_la_reviree(tag):
    """Trip 27608164 (C1): Victor Hugo (quay 0907) 08:01:00 … La Revirée (0396) 08:17:00."""
    rows = trip_rows(TAG, "27608164")
    assert ("VICTHUGO", "08:01:00", "08:01:00") in rows and ("REVIREE", "08:17:00",
                                                            "08:17:00") in rows
    vh = station(tag, "VICTHUGO")
    got = tag.reach(vh.lat, vh.lon, TUESDAY, hms("08:00:00")).at_stop(
        station(tag, "REVIREE").index)
    assert got.time_s == hms("08:17:00") and got.transfers == 0
    assert rides(got) == [("27608164", "Victor Hugo", "La Revirée", hms("08:01:00"),
                           hms("08:17:00"))]


def test_one_change_tram_b_then_bus_13(tag):
    """B 27639439 to La Tronche Hôpital (quay 2050) at 08:08:00, then bus 13 trip 27058053 from
    La Tronche Hôpital (quay 1582) at 08:15:00 to Grésivaudan (1023) at 08:21:00."""
    assert ("TRONCHOP", "08:08:00", "08:08:00") in trip_rows(TAG, "27639439")
    rows13 = trip_rows(TAG, "27058053")
    assert ("TRONCHOP", "08:15:00", "08:15:00") in rows13 and ("GRESIVAU", "08:21:00",
                                                              "08:21:00") in rows13
    vh = station(tag, "VICTHUGO")
    got = tag.reach(vh.lat, vh.lon, TUESDAY, hms("08:00:00")).at_stop(
        station(tag, "GRESIVAU").index)
    assert got.time_s == hms("08:21:00") and got.transfers == 1
    assert rides(got) == [
        ("27639439", "Victor Hugo", "La Tronche Hôpital", hms("08:00:00"), hms("08:08:00")),
        ("27058053", "La Tronche Hôpital", "Grésivaudan", hms("08:15:00"), hms("08:21:00"))]


def test_after_midnight_trip_runs_on_the_next_morning(tag):
    """Trip 27044248 (tram C) of service day 2023-04-16 (calendar_dates: 20230416 added) leaves
    Le Prisme (quay 2222) at 25:00:00 and reaches Vallier - Libération (2236) at 25:10:00:
    01:00 and 01:10 on Monday 2023-04-17, a day its service does not run itself."""
    rows = trip_rows(TAG, "27044248")
    assert rows[0] == ("PRISME", "25:00:00", "25:00:00")
    assert ("VALLIBE", "25:10:00", "25:10:00") in rows
    service = next(t["service_id"] for t in raw(TAG, "trips") if t["trip_id"] == "27044248")
    dates = {r["date"] for r in raw(TAG, "calendar_dates") if r["service_id"] == service}
    assert "20230416" in dates and "20230417" not in dates
    monday = date(2023, 4, 17)
    prisme, vallibe = station(tag, "PRISME"), station(tag, "VALLIBE")
    first = tag.departures(prisme.index, monday, hms("00:55:00"), limit=1)[0]
    assert (first.trip_id, first.time_s, first.route.short_name) == ("27044248", 3600, "C")
    got = tag.reach(prisme.lat, prisme.lon, monday, hms("00:55:00")).at_stop(vallibe.index)
    assert got.time_s == hms("01:10:00") and rides(got)[0][0] == "27044248"
    # On its own service day the same trip is the last C from Le Prisme, at 25:00:00.
    assert tag.first_last(prisme.index, date(2023, 4, 16))["C"][1] == hms("25:00:00")
    assert "27044248" not in {d.trip_id for d in tag.departures(prisme.index, date(2023, 4, 17),
                                                                  hms("24:30:00"), limit=50)}


def test_peribus_line_a_maurois_to_barriere_du_toulon(peribus):
    """Péribus trip …VehicleJourney:315707 (line A, Timetable:6): Maurois (Quay:111619) 08:15:00,
    Barrière du Toulon (Quay:111608) 08:24:05; at its first stop, Centre Hospitalier, it arrives
    08:04:00 and leaves 08:11:00 (the departure counts)."""
    trip = "CA_GRAND_PERIGUEUX:VehicleJourney:315707"
    rows = trip_rows(PERIBUS, trip)
    assert rows[0] == ("MOBIITI:StopPlace:77039", "08:04:00", "08:11:00")
    assert ("MOBIITI:StopPlace:77038", "08:15:00", "08:15:00") in rows
    assert ("MOBIITI:StopPlace:77032", "08:24:05", "08:24:05") in rows
    tuesday = date(2026, 1, 6)
    cal = next(r for r in raw(PERIBUS, "calendar")
               if r["service_id"] == "CA_GRAND_PERIGUEUX:Timetable:6")
    assert cal["tuesday"] == "1" and cal["start_date"] <= "20260106" <= cal["end_date"]
    maurois = station(peribus, "MOBIITI:StopPlace:77038")
    got = peribus.reach(maurois.lat, maurois.lon, tuesday, hms("08:05:00")).at_stop(
        station(peribus, "MOBIITI:StopPlace:77032").index)
    assert got.time_s == hms("08:24:05")
    assert rides(got) == [(trip, "Maurois", "Barrière du Toulon", hms("08:15:00"),
                           hms("08:24:05"))]
    hospital = station(peribus, "MOBIITI:StopPlace:77039").index
    leaving = [d for d in peribus.departures(hospital, tuesday, hms("08:00:00"), limit=20)
               if d.trip_id == trip]
    assert [d.time_s for d in leaving] == [hms("08:11:00")]


def test_calendar_with_removals_and_calendar_dates_only(tag, peribus):
    """Péribus: calendar.txt plus 133 removals (no service on 2025-12-25, 5 trips on Sundays);
    TAG: calendar_dates.txt only, 2023-04-10 → 2023-06-04."""
    assert raw(PERIBUS, "calendar_dates")[0] == {
        "service_id": "CA_GRAND_PERIGUEUX:Timetable:12", "date": "20251225", "exception_type": "2"}
    assert not peribus.service_on(date(2025, 12, 25))
    assert peribus.trips_on(date(2026, 1, 5)) == 853 and peribus.trips_on(date(2026, 1, 11)) == 5
    assert peribus.trips_on(date(2026, 1, 10)) == 356
    assert (peribus.feed.valid_from, peribus.feed.valid_to) == (date(2025, 12, 22),
                                                                date(2026, 3, 1))
    assert raw(TAG, "calendar") == []
    assert tag.service_on(date(2023, 4, 10)) and not tag.service_on(date(2023, 6, 5))
    assert (tag.feed.valid_from, tag.feed.valid_to) == (date(2023, 4, 10), date(2023, 6, 4))
    typical = tag.typical_day()
    assert typical.weekday() == 1 and tag.service_on(typical)
    assert tag.trips_on(typical) == max(tag.trips_on(tag.feed.valid_from + timedelta(days=i))
                                        for i in range(0, 56) if (tag.feed.valid_from
                                        + timedelta(days=i)).weekday() == 1)


def test_no_service_that_day(peribus, tag):
    """Christmas 2025 in Périgueux, and a date outside the TAG feed: walking only, no departure."""
    place = station(peribus, "MOBIITI:StopPlace:77038")
    for tt, day, where in ((peribus, date(2025, 12, 25), place), (tag, date(2024, 1, 9),
                                                                  station(tag, "VICTHUGO"))):
        assert not tt.service_on(day)
        assert tt.departures(where.index, day, 0, limit=5) == []
        assert tt.first_last(where.index, day) == {}
        reach = tt.reach(where.lat, where.lon, day, hms("08:00:00"))
        assert all(a.walk_only for _, a in reach.stops_within(3600))
        assert tt.service_on(tt.typical_day())


def without_station(feed: Path, station_id: str) -> bytes:
    """The real feed with every stop_times row at one station's quays removed (and nothing else)."""
    quays = {r["stop_id"] for r in raw(feed, "stops") if r["parent_station"] == station_id}
    out = io.BytesIO()
    with zipfile.ZipFile(feed) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "stop_times.txt":
                lines = data.decode().splitlines(keepends=True)
                kept = [line for line in lines[1:] if line.split(",")[3].strip('"') not in quays]
                data = "".join([lines[0]] + kept).encode()
            dst.writestr(name, data)
    return out.getvalue()


def test_a_stop_without_trips(peribus):
    """Neither real feed has a station without trips, so one is made: the Péribus feed without
    the rows of Maurois (StopPlace:77038). The station stays, with no line and no departure."""
    from webapp.transit.build import build
    from webapp.transit.model import Feed
    from webapp.transit.timetable import Timetable
    arrays, meta = build(without_station(PERIBUS, "MOBIITI:StopPlace:77038"))
    tt = Timetable(arrays, meta, peribus.feed)
    maurois = station(tt, "MOBIITI:StopPlace:77038")
    assert len(tt.stops) == len(peribus.stops) and isinstance(tt.feed, Feed)
    assert peribus.routes_at(maurois.index) and tt.routes_at(maurois.index) == []
    day = date(2026, 1, 6)
    assert tt.departures(maurois.index, day, 0) == [] and tt.first_last(maurois.index, day) == {}
    reach = tt.reach(maurois.lat, maurois.lon, day, hms("08:00:00"))
    assert reach.at_stop(maurois.index).walk_only
    assert any(not a.walk_only for _, a in reach.stops_within(3600))    # others still ride


def test_a_place_outside_the_territory(tag):
    """Paris, Notre-Dame, asked to the Grenoble timetable: no stop near, nothing reachable."""
    assert tag.nearest_stops(48.853, 2.3499) == []
    reach = tag.reach(48.853, 2.3499, TUESDAY, hms("08:00:00"))
    assert reach.stops_within(3600) == []
    vh = station(tag, "VICTHUGO")
    assert reach.at_stop(vh.index) is None and reach.to_point(vh.lat, vh.lon) is None


def test_to_point_walks_from_the_last_stop(tag):
    """A point 300 m east of La Revirée: the ride, then the walk, timed at 1.25 m/s × 1.3."""
    vh, rev = station(tag, "VICTHUGO"), station(tag, "REVIREE")
    reach = tag.reach(vh.lat, vh.lon, TUESDAY, hms("08:00:00"))
    got = reach.to_point(rev.lat, rev.lon + 0.0038)
    assert got.legs[-1].kind == "walk" and got.legs[-1].to_name == ""
    assert got.time_s <= reach.at_stop(rev.index).time_s + 400
    near = reach.to_point(vh.lat + 0.0005, vh.lon)           # 56 m: walking straight there
    assert near.walk_only and near.duration_s == pytest.approx(56 * 1.3 / 1.25, abs=3)


def test_stations_lines_and_readable_colours(tag, peribus):
    """Parent stations group quays; every line's text colour reaches AA on its colour."""
    from webapp.transit.colors import contrast
    stops = raw(TAG, "stops")
    assert len(stops) == 2501 and len(tag.stops) == sum(r["location_type"] == "1" for r in stops)
    for tt in (tag, peribus):
        assert all(contrast(r.color, r.text_color) >= 4.5 for r in tt.routes)
    line12 = next(r for r in raw(TAG, "routes") if r["route_short_name"] == "12")
    assert (line12["route_color"], line12["route_text_color"]) == ("33A457", "FFFFFF")  # 3.1:1
    assert next(r for r in tag.routes if r.short_name == "12").text_color == "#000000"
    kinds = {r.short_name: r.kind for r in peribus.routes}
    assert kinds["A"] == "bus" and kinds["P01"] == "school" and kinds["90"] == "on_demand"
    assert {r.short_name: r.kind for r in tag.routes}["A"] == "tram"
    vh = station(tag, "VICTHUGO")
    assert (vh.name, vh.commune) == ("Victor Hugo", "Grenoble")
    names = [r.short_name for r in tag.routes_at(vh.index)]
    assert names[:2] == ["A", "B"] and {"C1", "C3", "C4"} <= set(names)


def test_clermont_without_stop_times(app):
    """T2C copy: no stop_times.txt. Stops and lines, lines known only at termini (headsigns);
    calendar_dates.txt starts with a BOM and still removes Thursday 2026-01-08 from service 2."""
    from webapp.transit import timetable_for
    with app.app_context():
        tt = timetable_for("clermont")
    assert not tt.feed.has_times and tt.routes_known == "termini"
    with zipfile.ZipFile(T2C) as z:
        assert "stop_times.txt" not in z.namelist()
        assert z.read("calendar_dates.txt").startswith(b"\xef\xbb\xbf")
    gerzat = [s for s in tt.stops if s.name == "Gare de Gerzat"]
    ending = {t["route_id"] for t in raw(T2C, "trips") if t["trip_headsign"] == "Gare de Gerzat"}
    assert gerzat and ending
    assert {r.id for s in gerzat for r in tt.routes_at(s.index)} == ending
    assert tt.departures(gerzat[0].index, date(2026, 1, 6), 0) == []
    service2 = [i for i, t in enumerate(raw(T2C, "trips")) if t["service_id"] == "2"]
    assert service2 and not tt.active_trips(date(2026, 1, 8))[service2].any()
    assert tt.active_trips(date(2026, 1, 4))[service2].all()     # a Sunday, no removal


def test_territories_without_a_feed_name_the_one_to_publish(app):
    from webapp.transit import missing_feed, timetable_for
    with app.app_context():
        assert timetable_for("toulouse") is None and timetable_for("paris") is None
        assert "Tisséo" in missing_feed("toulouse").feed_name
        assert "Île-de-France Mobilités" in missing_feed("paris").publisher
        assert missing_feed("grenoble") is None and missing_feed("nowhere") is None


def test_every_gtfs_stop_is_in_the_gazetteer(app, tag, peribus):
    """TAG and Péribus stops feed the place picker, named without the commune prefix."""
    from webapp.catalog import catalog
    with app.app_context():
        grenoble, perigueux = catalog().get("grenoble"), catalog().get("perigueux")
    assert len(grenoble.states["gtfs-tag"].places) == 2501
    hit = grenoble.gazetteer.search("Revirée - Sayettes")[0]
    assert (hit.name, hit.context) == ("Revirée - Sayettes", "Meylan")
    # A TAG stop twin of an older entry (same name within 300 m) resolves to that entry.
    assert all(grenoble.gazetteer.get(p.id) for p in grenoble.states["gtfs-tag"].places)
    assert grenoble.gazetteer.get("gtfs-tag:0004").name == "Revirée - Sayettes"
    assert len(perigueux.states["gtfs-peribus"].places) == 520
    assert perigueux.gazetteer.search("Barrière du Toulon")[0].name == "Barrière du Toulon"


def test_reach_keeps_no_trace_of_the_origin(tag, caplog):
    """A position goes into one Reach object and nowhere else: no log, no cache, no shared state."""
    import logging
    import webapp.transit as transit
    before = {k: id(v) for k, v in vars(tag).items()}
    with caplog.at_level(logging.DEBUG):
        reach = tag.reach(45.18765, 5.73512, TUESDAY, hms("08:00:00"))
        reach.to_point(45.2, 5.75), reach.stops_within(1800)
    assert not [r for r in caplog.records if "45.18765" in r.getMessage()
                or "5.73512" in r.getMessage()]
    assert {k: id(v) for k, v in vars(tag).items()} == before
    source = "".join(p.read_text() for p in Path(transit.__file__).parent.glob("*.py"))
    assert "lru_cache" not in source and "functools" not in source
