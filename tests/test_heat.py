"""Heat-wave configuration: the file, the `flask heat` commands, and what a page shows."""
from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from webapp.heat import HeatConfigError, parse_plans, read_raw


@pytest.fixture(scope="module")
def heat_app(instance_dir, tmp_path_factory):
    """An app with its own heat file and a frozen clock (Tuesday 16 Sept. 2025, 15:00)."""
    os.environ["PRESDICI_INSTANCE"] = str(instance_dir)
    from webapp import create_app
    heat_file = tmp_path_factory.mktemp("heat") / "heat.toml"
    return create_app({"TESTING": True, "HEAT_FILE": str(heat_file),
                       "CLOCK_AT": "2025-09-16T15:00:00"})


@pytest.fixture()
def heat(heat_app):
    """Run `flask heat …`; the heat file starts empty for every test."""
    path = heat_app.config["HEAT_FILE"]
    if os.path.exists(path):
        os.remove(path)
    runner = heat_app.test_cli_runner()
    return lambda *args: runner.invoke(args=["heat", *args])


def test_on_off_round_trip(heat, heat_app):
    result = heat("on", "paris", "--from", "2025-09-15", "--to", "2025-09-18", "--level", "red")
    assert result.exit_code == 0, result.output
    plans = parse_plans(read_raw(__import__("pathlib").Path(heat_app.config["HEAT_FILE"])))
    alert = plans["paris"].alert
    assert (alert.start, alert.end, alert.level) == (date(2025, 9, 15), date(2025, 9, 18), "red")
    assert plans["paris"].alert_on(date(2025, 9, 19)) is None
    assert "paris: alert red 2025-09-15..2025-09-18" in heat("status").output
    assert heat("off", "paris").exit_code == 0
    assert "paris: no alert" in heat("status").output


def test_override_needs_a_real_place_and_valid_hours(heat):
    ok = heat("override", "paris", "--place", "ilots-fraicheur-equipements:MA9", "--from",
              "2025-09-14", "--to", "2025-09-14", "--hours", "14:00-18:00", "--kind", "cooled_room")
    assert ok.exit_code == 0, ok.output
    assert "cooled_room ilots-fraicheur-equipements:MA9 14:00-18:00" in heat("status").output
    for args in [
        ("--place", "ilots-fraicheur-equipements:NOPE"),
        ("--category", "volcano"),
        ("--place", "ilots-fraicheur-equipements:MA9", "--category", "cool_room"),
    ]:
        bad = heat("override", "paris", *args, "--from", "2025-09-14", "--to", "2025-09-14",
                   "--hours", "14:00-18:00")
        assert bad.exit_code != 0
    bad_hours = heat("override", "paris", "--category", "cool_room", "--from", "2025-09-14",
                     "--to", "2025-09-14", "--hours", "quand il fait chaud")
    assert bad_hours.exit_code != 0 and "opening_hours" in bad_hours.output
    assert heat("status").output.count("cooled_room") == 1      # nothing invalid was written


@pytest.mark.parametrize("args", [
    ("on", "atlantis", "--from", "2025-07-01", "--to", "2025-07-02"),
    ("on", "paris", "--from", "2025-07-02", "--to", "2025-07-01"),
    ("on", "paris", "--from", "1er juillet", "--to", "2025-07-02"),
    ("on", "paris", "--from", "2025-07-01", "--to", "2025-07-02", "--level", "purple"),
])
def test_bad_commands_fail_clearly(heat, args):
    result = heat(*args)
    assert result.exit_code != 0 and "Error" in result.output


@pytest.mark.parametrize("raw, message", [
    ({"paris": {"alert": {"start": date(2025, 7, 2), "end": date(2025, 7, 1)}}}, "end is before"),
    ({"paris": {"alert": {"start": "juillet", "end": date(2025, 7, 1)}}}, "must be a date"),
    ({"paris": {"overrides": [{"start": date(2025, 7, 1), "end": date(2025, 7, 1),
                               "hours": "08:00-20:00"}]}}, "either place or category"),
    ({"paris": {"overrides": [{"start": date(2025, 7, 1), "end": date(2025, 7, 1),
                               "category": "park", "hours": "08:00-20:00", "kind": "x"}]}}, "kind"),
])
def test_file_errors_are_explained(raw, message):
    with pytest.raises(HeatConfigError, match=message):
        parse_plans(raw)


def test_hand_written_file_with_iso_strings_is_accepted():
    plans = parse_plans({"clermont": {"alert": {"start": "2025-07-01", "end": "2025-07-03"}}})
    assert plans["clermont"].alert_on(date(2025, 7, 2)).level == "orange"


def test_broken_file_never_breaks_the_page(heat_app, heat):
    with open(heat_app.config["HEAT_FILE"], "w", encoding="utf-8") as handle:
        handle.write("[paris.alert\nstart = ")
    response = heat_app.test_client().get("/paris/frais?lat=48.8566&lon=2.3522")
    assert response.status_code == 200
    assert b"heat-banner" not in response.data


def test_exceptions_apply_on_their_days_only(heat_app, heat):
    """A whole category on some days: later overrides win, other days keep the data's hours."""
    heat("override", "clermont", "--category", "park", "--from", "2025-09-16", "--to",
         "2025-09-16", "--hours", "07:00-24:00")
    from webapp.heat import plan_for
    with heat_app.test_request_context():
        from webapp.catalog import catalog
        park = catalog().get("clermont").index("cool").places[0]
        plan = plan_for("clermont")
        assert plan.override_for(park, date(2025, 9, 16)).hours.status(
            datetime(2025, 9, 16, 23, 30)).is_open
        assert plan.override_for(park, date(2025, 9, 17)) is None
