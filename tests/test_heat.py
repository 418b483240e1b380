"""Heat-wave configuration: the file, the `flask heat` commands, and what a page shows."""
from __future__ import annotations

import logging
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

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
    plans = parse_plans(read_raw(Path(heat_app.config["HEAT_FILE"])))
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


# Hand edits of the right TOML syntax but the wrong shape, with what the operator is told.
BAD_SHAPES = [
    ('[paris]\nalert = "orange"\n', "paris.alert: expected a table"),
    ('[paris]\nalert = [2025-09-15, 2025-09-17]\n', "paris.alert: expected a table"),
    ('[paris.overrides]\nstart = 2025-09-15\nend = 2025-09-17\ncategory = "park"\n'
     'hours = "07:00-24:00"\n', "paris.overrides: expected [[paris.overrides]]"),
    ('[paris]\noverrides = "parcs ouverts la nuit"\n', "paris.overrides: expected"),
    ('[paris]\noverrides = ["parc Monceau"]\n', "paris.overrides[0]: expected a table"),
    ('paris = "canicule"\n', "paris: expected a table"),
    ('[paris.alert]\nstart = 08:00:00\nend = 2025-09-17\n', "start must be a date"),
    ('[paris.alert]\nstart = 2025-09-15\nend = 2025-09-17\nlevel = ["red"]\n', "level"),
    ('[[paris.overrides]]\nstart = 2025-09-15\nend = 2025-09-17\ncategory = 3\n'
     'hours = "07:00-24:00"\n', "must be a string"),
]


def write_heat(heat_app, text):
    """Write the heat file by hand and drop the app's cached copy (mtime can tie within a test)."""
    with open(heat_app.config["HEAT_FILE"], "w", encoding="utf-8") as handle:
        handle.write(text)
    heat_app.extensions.pop("presdici.heat", None)


@pytest.mark.parametrize("text, message", BAD_SHAPES)
def test_badly_shaped_file_is_reported_not_a_500(heat_app, heat, caplog, text, message):
    """The page shows no heat wave and logs why; every CLI command names the problem, exit 1."""
    write_heat(heat_app, text)
    with caplog.at_level(logging.WARNING):
        response = heat_app.test_client().get("/paris/frais?lat=48.8566&lon=2.3522")
    assert response.status_code == 200 and b"heat-banner" not in response.data
    assert any(message in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    for args in [("status",), ("off", "paris"),
                 ("on", "paris", "--from", "2025-09-15", "--to", "2025-09-17")]:
        result = heat(*args)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "Error" in result.output and message in result.output
    assert Path(heat_app.config["HEAT_FILE"]).read_text(encoding="utf-8") == text   # untouched


@pytest.mark.parametrize("start", ["2025-09-15T08:00:00", "2025-09-15T08:00:00+02:00",
                                   "2025-09-15 23:30:00"])
def test_a_datetime_counts_for_its_day(heat_app, heat, start):
    """A hand edit may write a time: the alert still runs from that day, on page and CLI."""
    write_heat(heat_app, f'[paris.alert]\nstart = {start}\nend = 2025-09-17\nlevel = "red"\n')
    response = heat_app.test_client().get("/paris/frais?lat=48.8566&lon=2.3522")
    assert response.status_code == 200 and b"heat-banner" in response.data
    result = heat("status")
    assert result.exit_code == 0 and "paris: alert red 2025-09-15..2025-09-17" in result.output


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.dates() | st.datetimes()
    | st.sampled_from(["park", "red", "cooled_room", "2025-07-01", "14:00-18:00", "24h - 2h"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["alert", "overrides", "start", "end", "level", "hours",
                                       "kind", "place", "category"]), inner, max_size=6),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(["paris", "clermont"]), _VALUES, max_size=2))
def test_any_document_is_a_plan_or_a_heat_config_error(raw):
    """Whatever shape a parsed TOML document has, the only failure is the explained one."""
    try:
        parse_plans(raw)
    except HeatConfigError:
        pass
