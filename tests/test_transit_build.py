"""The GTFS builder and the refresh path: odd but valid feeds build, garbage never replaces data."""
from __future__ import annotations

import io
import re
import tomllib
import zipfile
from datetime import date
from pathlib import Path

import pytest
from portal import FakePortal

ROOT = Path(__file__).resolve().parent.parent
PERIBUS = ROOT / "data/perigueux/peribus-gtfs-2025-12.zip"
EMBEDDED = "perigueux/peribus-gtfs-2025-12.zip"


def rezip(feed: Path, edit=lambda name, data: data, prefix: str = "") -> bytes:
    """The real feed, each file passed through edit(name, bytes), optionally inside a folder."""
    out = io.BytesIO()
    with zipfile.ZipFile(feed) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = edit(name, src.read(name))
            if data is not None:
                dst.writestr(prefix + name, data)
    return out.getvalue()


def test_garbage_is_refused_with_a_reason():
    from webapp.sources.formats import PayloadError
    from webapp.transit.build import build
    no_routes = rezip(PERIBUS, lambda n, d: None if n == "routes.txt" else d)
    bad_time = rezip(PERIBUS, lambda n, d: d.replace(b",08:15:00,", b",8h15,", 1)
                     if n == "stop_times.txt" else d)
    for payload, reason in ((b"<!doctype html><p>maintenance", "not a zip"),
                            (PERIBUS.read_bytes()[:50_000], "unreadable"),
                            (no_routes, "routes.txt missing"), (bad_time, "bad time")):
        with pytest.raises(PayloadError, match=reason):
            build(payload)


def test_a_feed_zipped_in_a_folder_and_untimed_stops():
    """Some publishers zip a folder; intermediate stops may have no time (interpolated)."""
    from webapp.transit.build import build
    trip = b'"CA_GRAND_PERIGUEUX:VehicleJourney:315707",08:22:00,08:22:00,'
    blank = rezip(PERIBUS, lambda n, d: d.replace(trip, trip.split(b",")[0] + b",,,")
                  if n == "stop_times.txt" else d, prefix="gtfs/")
    arrays, meta = build(blank)
    assert meta["stop_times"] == 33408
    first = int(arrays["trip_ptr"][meta["trips"].index(
        ["CA_GRAND_PERIGUEUX:VehicleJourney:315707", "ZAE Marsac"])])
    # Stops 6 and 8 of the trip are 08:20:28 and 08:22:59: stop 7 gets the midpoint.
    assert arrays["ev_arr"][first + 6] == (8 * 3600 + 20 * 60 + 28 + 8 * 3600 + 22 * 60 + 59) // 2


@pytest.fixture()
def portal():
    server = FakePortal()
    yield server
    server.stop()


@pytest.fixture()
def live_app(tmp_path, portal):
    """Périgueux with its GTFS served by a local portal and refreshed live."""
    from webapp import create_app
    territories = tmp_path / "territories"
    territories.mkdir()
    toml = (ROOT / "territories/perigueux.toml").read_text(encoding="utf-8")
    url = tomllib.loads(toml)["datasets"][0]["url"]
    toml = toml.replace(f'url = "{url}"', f'url = "{portal.url}/{EMBEDDED}"', 1)
    (territories / "perigueux.toml").write_text(toml.replace("live = false", "live = true"))
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "TERRITORIES_DIR": str(territories)})
    app.extensions["presdici.catalog"].CHECK_EVERY_S = 0
    app.extensions["presdici.transit"].CHECK_EVERY_S = 0
    return app


def refresh(app) -> str:
    return app.test_cli_runner().invoke(args=["data", "refresh", "--force"]).output


def serve(portal, body: bytes) -> None:
    """Make the portal answer this body to every request."""
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/zip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    portal.answer = answer


def test_refresh_builds_the_arrays_and_garbage_keeps_them(live_app, portal):
    from webapp.transit import timetable_for
    assert "perigueux/gtfs-peribus: updated (520 places)" in refresh(live_app)
    with live_app.app_context():
        tt = timetable_for("perigueux")
        assert tt.feed.origin == "refreshed" and tt.trips_on(date(2026, 1, 5)) == 853
    # The portal's bytes are those of the embedded copy: same content address, same arrays.
    folder, built = tt.folder, sorted((Path(live_app.instance_path) / "transit").glob("*"))
    pointer = (Path(live_app.instance_path) / "snapshots/perigueux/gtfs-peribus.json").read_text()
    # Stops fine (the gazetteer would accept it) but a timetable that cannot be read.
    bad = rezip(PERIBUS, lambda n, d: d.replace(b",08:15:00,", b",25h99,", 1)
                if n == "stop_times.txt" else d)
    for body, reason in ((bad, "GTFS: bad time"), (b"PK\x03\x04garbage", "unreadable"),
                         (rezip(PERIBUS, lambda n, d: None if n == "trips.txt" else d),
                          "trips.txt missing")):
        serve(portal, body)
        out = refresh(live_app)
        assert re.search(r"perigueux/gtfs-peribus: kept — invalid payload: .*" + reason, out), out
        assert (Path(live_app.instance_path) / "snapshots/perigueux/gtfs-peribus.json"
                ).read_text() == pointer
        assert sorted((Path(live_app.instance_path) / "transit").glob("*")) == built
        with live_app.app_context():
            tt = timetable_for("perigueux")
            assert tt.folder == folder and tt.trips_on(date(2026, 1, 5)) == 853
        page = live_app.test_client().get("/perigueux/deplacements")
        assert page.status_code == 200


def test_a_new_feed_swaps_in_and_the_old_arrays_go(live_app, portal):
    """A changed feed is built, swapped in by running workers, and older builds are pruned."""
    from webapp.transit import timetable_for
    refresh(live_app)
    with live_app.app_context():
        assert timetable_for("perigueux").service_on(date(2026, 1, 5))
    extra = b'"CA_GRAND_PERIGUEUX:Timetable:%d",20260105,2\n'
    removed = b"".join(extra % i for i in range(1, 40))
    builds = []
    for more in (b"", extra % 98, extra % 99):
        serve(portal, rezip(PERIBUS, lambda n, d: d + removed + more
                            if n == "calendar_dates.txt" else d))
        assert "perigueux/gtfs-peribus: updated" in refresh(live_app)
        with live_app.app_context():
            tt = timetable_for("perigueux")
            assert not tt.service_on(date(2026, 1, 5)) and tt.service_on(date(2026, 1, 6))
            builds.append(tt.folder.name)
    now = {p.name for p in (Path(live_app.instance_path) / "transit").iterdir()}
    assert len(set(builds)) == 3 and now == set(builds[1:])   # the newest and the one it replaced


def test_the_benchmark_runs():
    """bench/transit.py still runs (tiny sizes, no timing asserted); arrivals match the baseline."""
    import subprocess
    import sys
    command = [sys.executable, "bench/transit.py", "--runs", "3", "--baseline-runs", "1",
               "--no-gunicorn"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "p50" in result.stdout and "same arrivals: True" in result.stdout
