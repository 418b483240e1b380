"""Strict coordinate parsing: what float() accepts and we must not."""
import pytest

from webapp.geo import BadCoordinates, haversine_m, parse_coordinate, parse_position, walking_minutes

GRENOBLE_BBOX = (5.59, 44.96, 5.86, 45.33)


@pytest.mark.parametrize("text", [
    "nan", "NaN", "inf", "-inf", "1e309", "4.5e1", "1_0.5", "٤٥.١", "４５.１", "45,18", "", " ",
    "0x2d", "45.1.2", "--45", "+45", "45.", ".5", "9" * 30, "45.18\x00", None,
])
def test_rejects_what_float_would_accept_or_garbage(text):
    with pytest.raises(BadCoordinates):
        parse_coordinate(text, -90, 90)


def test_accepts_plain_decimals_and_rounds_them():
    assert parse_coordinate("45.188512345", -90, 90) == 45.1885
    assert parse_coordinate("-0.5", -90, 90) == -0.5


@pytest.mark.parametrize("lat,lon,reason", [
    ("91", "5.7", "out_of_range"), ("45.1", "181", "out_of_range"),
    ("48.85", "2.35", "outside_territory"), ("45.18", "5.0", "outside_territory"),
])
def test_range_and_territory(lat, lon, reason):
    with pytest.raises(BadCoordinates, match=reason):
        parse_position(lat, lon, GRENOBLE_BBOX)


def test_inside_territory_margin():
    assert parse_position("45.35", "5.72", GRENOBLE_BBOX) == (45.35, 5.72)


def test_haversine_known_distance():
    # Paris Notre-Dame to Grenoble station: about 480 km as the crow flies.
    assert 475_000 < haversine_m(48.853, 2.3499, 45.1914, 5.7146) < 485_000


def test_walking_minutes():
    assert walking_minutes(0) == 1 and walking_minutes(75) == 1 and walking_minutes(76) == 2
    assert walking_minutes(600, speed_kmh=3) == 12
