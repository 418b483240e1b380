"""The opening-hours model: OSM strings and Paris per-day fields, at fixed clock times."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings, strategies as st

from webapp import hours
from webapp.hours import CLOSED, OPEN, UNKNOWN, from_days, of_place, parse_day, parse_osm
from webapp.places import Place

ROOT = Path(__file__).resolve().parent.parent
ILOTS = ROOT / "data/paris/ilots-de-fraicheur-equipements-activites_ods-v2.1-json-export_2025-09.json"
DAY_FIELDS = [f"horaires_{d}" for d in
              ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")]
TUESDAY = datetime(2025, 9, 16, 15, 0)      # weekday afternoon
SUNDAY = datetime(2025, 9, 14, 15, 0)
NIGHT = datetime(2025, 9, 16, 23, 30)       # Tuesday night


@pytest.fixture(scope="module")
def ilots() -> dict[str, dict]:
    """The real Paris cool-places records, by identifier."""
    return {r["identifiant"]: r for r in json.loads(ILOTS.read_text(encoding="utf-8"))}


def record_hours(record: dict):
    """Hours of a raw record, as the app builds them."""
    return from_days(tuple(record[k] for k in DAY_FIELDS), record["horaires_periode"])


@pytest.mark.parametrize("text, expected", [
    ("9H30 - 17H", "09:30-17:00"),
    ("10h – 18h", "10:00-18:00"),            # en dash, as published
    ("12h-19h", "12:00-19:00"),
    ("10h00 -18h30", "10:00-18:30"),
    ("11:00 - 18:00", "11:00-18:00"),
    ("07h00 - 08h30 / 11h30 - 13h30", "07:00-08:30,11:30-13:30"),
    ("Fermé", "off"),
    ("-", None),                             # a dash says nothing: unknown, not closed
    ("06h30 - 07h45 / 16h30 - 19h45 / 20", None),   # truncated by the portal
    ("", None),
    ("25h - 26h", None),
    ("24h - 2h", None),                      # no OSM span starts at 24:00: unclear, unknown
])
def test_parse_day(text, expected):
    assert parse_day(text) == expected


def test_every_published_day_value_is_read_or_left_unknown(ilots):
    """Each distinct per-day string of the real file parses, except the few known to be unclear."""
    values = {r[k] for r in ilots.values() for k in DAY_FIELDS if r[k]}
    unread = {v for v in values if parse_day(v) is None}
    assert all(v == "-" or v.rstrip().endswith("/ 20") or "évoluer" in v for v in unread), unread
    assert len(values) - len(unread) > 100


def test_museum_closed_monday_tuesday_open_sunday(ilots):
    """Musée Nissim de Camondo: "Fermé" Mon-Tue, 10h - 17h30 the other days."""
    museum = record_hours(ilots["MU34"])
    tuesday = museum.status(TUESDAY)
    assert tuesday.state == CLOSED
    assert tuesday.next_change == datetime(2025, 9, 17, 10, 0, tzinfo=hours.TZ)
    sunday = museum.status(SUNDAY)
    assert sunday.is_open and sunday.next_change.time() == time(17, 30)
    assert museum.status(NIGHT).state == CLOSED
    assert not museum.open_tonight(SUNDAY)


def test_late_opening_is_open_tonight(ilots):
    """Musée du Luxembourg: Monday 10h30 - 22h is "open tonight", Tuesday 10h30 - 19h is not."""
    museum = record_hours(ilots["MU67"])
    monday = datetime(2025, 9, 15, 15, 0)
    assert museum.open_tonight(monday)
    assert not museum.open_tonight(TUESDAY)
    assert museum.status(datetime(2025, 9, 15, 21, 30)).is_open


def test_period_bounds_the_hours(ilots):
    """MAIRIE DU 9E: hours valid "du 08/09/25 au 05/07/26"; Sunday is "-" (unknown)."""
    town_hall = record_hours(ilots["MA9"])
    assert town_hall.status(TUESDAY).is_open
    assert town_hall.status(SUNDAY).state == UNKNOWN
    assert town_hall.status(datetime(2026, 9, 15, 10, 0)).state == UNKNOWN   # period over
    assert town_hall.spans(date(2025, 9, 14)) is None


def test_unplaceable_period_makes_hours_unknown(ilots):
    """"Fermeture du 3 au 20 août inclus" has no year: the hours cannot be trusted on any day."""
    record = ilots["MA1"]
    assert record["horaires_periode"].startswith("Fermeture")
    assert record_hours(record).status(TUESDAY).state == UNKNOWN


def test_free_access_is_always_open_and_silence_is_none(ilots):
    """"Accès libre" with no day hours is open day and night; no hours at all is None."""
    shade = record_hours(ilots["OM04"])
    assert shade.status(NIGHT).is_open and shade.status(SUNDAY).is_open
    church = ilots["LC26"]
    assert record_hours(church) is None


def test_unknown_is_never_open_on_the_whole_file(ilots):
    """At three clock times, no record is open on a day whose published value is blank or unclear."""
    checked = 0
    for at in (TUESDAY, SUNDAY, NIGHT):
        for record in ilots.values():
            parsed = record_hours(record)
            today = parse_day(record[DAY_FIELDS[at.weekday()]])
            if parsed is not None and today is None and parsed.expression != "24/7":
                assert not parsed.status(at).is_open, record["identifiant"]
                checked += 1
    assert checked > 50


def test_osm_strings_with_public_holidays_and_midnight():
    """OSM syntax: PH off on 14 July; a Saturday night span crossing midnight."""
    office = parse_osm("Mo-Fr 09:00-18:00; PH off")
    assert office.status(datetime(2025, 7, 14, 10, 0)).state == CLOSED      # Bastille Day, a Monday
    assert office.status(datetime(2025, 7, 15, 10, 0)).is_open
    bar = parse_osm("Sa 22:00-02:00")
    assert bar.status(datetime(2025, 9, 14, 1, 0)).is_open                  # Sunday 01:00
    assert bar.spans(date(2025, 9, 13)) == [(time(22, 0), time(0, 0), OPEN)]


@pytest.mark.parametrize("text", [None, "", "  ", "n'importe quoi", "Mo 25:00-26:00"])
def test_unreadable_osm_is_none(text):
    assert parse_osm(text) is None


def test_of_place_reads_osm_first_then_day_fields():
    """A hand-made Place (not data): an OSM `hours` wins; unreadable OSM is unknown, not open."""
    base = dict(id="t:1", name="x", category="cool_room", lat=48.85, lon=2.35, dataset="t")
    osm = Place(**base, hours="Mo-Su 08:00-20:00", attrs={"hours_mo": "Fermé"})
    assert of_place(osm).status(datetime(2025, 9, 15, 12, 0)).is_open
    broken = Place(**base, hours="selon la météo")
    assert of_place(broken).status(datetime(2025, 9, 15, 12, 0)).state == UNKNOWN
    days = Place(**base, attrs={"hours_mo": "9H30 - 17H"})
    assert of_place(days).status(datetime(2025, 9, 15, 12, 0)).is_open
    assert of_place(days).status(datetime(2025, 9, 16, 12, 0)).state == UNKNOWN


def test_unparseable_day_or_year_leaves_hours_unknown_instead_of_raising():
    """Hand-made values shaped like portal typos: "24h - 2h" and a 3-digit year (not in data)."""
    week = ("24h - 2h",) + ("10h - 18h",) * 6
    late = from_days(week)
    assert late.status(datetime(2025, 9, 15, 12, 0)).state == UNKNOWN     # the Monday
    assert late.status(TUESDAY).is_open
    for period in ("du 08/09/025 au 05/07/026", "à partir du 1er septembre 999"):
        typo = from_days(("10h - 18h",) * 7, period)
        assert typo.status(TUESDAY).state == UNKNOWN and period in typo.raw
    base = dict(id="t:1", name="x", category="cool_room", lat=48.85, lon=2.35, dataset="t")
    assert of_place(Place(**base, attrs={"hours_mo": "24h - 2h"})).status(
        datetime(2025, 9, 15, 12, 0)).state == UNKNOWN


_NUMBER = st.integers(0, 99).map(str)
_SPAN = st.tuples(_NUMBER, st.sampled_from(["h", "H", ":"]),
                  st.sampled_from(["", "00", "30", "75"]), st.sampled_from([" - ", "–", "-"]),
                  _NUMBER, st.sampled_from(["h", "H", ""])).map("".join)
_DAY = (st.none() | _SPAN | st.text(max_size=20)
        | st.lists(_SPAN, min_size=1, max_size=3).map(" / ".join))
_DATE = st.tuples(st.integers(0, 40), st.integers(0, 13), st.integers(0, 99999)).map(
    lambda parts: "/".join(map(str, parts)))
_PERIOD = (st.none() | st.text(max_size=30)
           | st.tuples(_DATE, _DATE).map(lambda dates: f"Du {dates[0]} au {dates[1]}")
           | _DATE.map(lambda first: f"à partir du {first}"))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_DAY, min_size=7, max_size=7), _PERIOD, st.text(max_size=40) | _SPAN)
def test_any_published_text_gives_hours_or_none_never_an_exception(days, period, osm):
    """Per-day fields, a period and an OSM string, arbitrary or shaped like hours."""
    for parsed in (from_days(tuple(days), period), parse_osm(osm)):
        if parsed is not None:
            assert parsed.status(TUESDAY).state in (OPEN, CLOSED, UNKNOWN)
            parsed.spans(TUESDAY.date())
            parsed.open_tonight(TUESDAY)
