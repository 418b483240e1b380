"""Refresh against a real local portal that misbehaves: good data is never lost."""
import json
import logging
import re
import sqlite3
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from portal import FakePortal, gtfs_zip

ROOT = Path(__file__).resolve().parent.parent
DATASET = "paris/fontaines-a-boire_ods-v2.1-json-export_2025-09.json"
NEAR_NOTRE_DAME = "lat=48.853&lon=2.3499"


@pytest.fixture()
def portal():
    server = FakePortal(slow_seconds=2.5)
    yield server
    if server.thread.is_alive():
        server.stop()


@pytest.fixture()
def paris_app(tmp_path, portal):
    """The app with a Paris territory whose fountains come from the local portal."""
    from webapp import create_app
    territories = tmp_path / "territories"
    territories.mkdir()
    toml = (ROOT / "territories/paris.toml").read_text(encoding="utf-8")
    live = "https://opendata.paris.fr/api/explore/v2.1/catalog/datasets/fontaines-a-boire/exports/json"
    assert live in toml
    (territories / "paris.toml").write_text(toml.replace(live, f"{portal.url}/{DATASET}"))
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "TERRITORIES_DIR": str(territories), "HTTP_READ_TIMEOUT": 1.0,
                      "HTTP_CONNECT_TIMEOUT": 1.0})
    app.extensions["presdici.catalog"].CHECK_EVERY_S = 0
    return app


@pytest.fixture()
def portal_app(tmp_path, portal):
    """The app with Clermont (a GTFS feed) and Paris (two JSON exports), all from the portal."""
    from webapp import create_app
    territories = tmp_path / "territories"
    territories.mkdir()
    for name in ("clermont", "paris"):
        toml = (ROOT / f"territories/{name}.toml").read_text(encoding="utf-8")
        # Dataset by dataset: two Overpass datasets share one endpoint URL (their queries differ).
        head, *blocks = toml.split("\n[[datasets]]\n")
        for i, block in enumerate(blocks):
            ds = tomllib.loads("[[datasets]]\n" + block)["datasets"][0]
            blocks[i] = block.replace(f'"{ds["url"]}"', f'"{portal.url}/{ds["embedded"]}"', 1)
        (territories / f"{name}.toml").write_text("\n[[datasets]]\n".join([head, *blocks]))
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "TERRITORIES_DIR": str(territories), "HTTP_READ_TIMEOUT": 1.0,
                      "HTTP_CONNECT_TIMEOUT": 1.0})
    app.extensions["presdici.catalog"].CHECK_EVERY_S = 0
    return app


def run_refresh(app, *args):
    """Run `flask data refresh`: exit code 1 exactly when a dataset was kept or failed."""
    result = app.test_cli_runner().invoke(args=["data", "refresh", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    not_refreshed = re.search(r": (kept|failed)\b", result.output) is not None
    assert result.exit_code == (1 if not_refreshed else 0), result.output
    return result.output


def refresh(app, *args):
    """Refresh the Paris fountains and return the command's output."""
    return run_refresh(app, "-t", "paris", "-d", "fontaines-a-boire", *args)


def snapshot(app, territory="paris", dataset="fontaines-a-boire"):
    """(pointer meta, payload bytes) of a refreshed snapshot."""
    folder = Path(app.instance_path) / "snapshots" / territory
    meta = json.loads((folder / f"{dataset}.json").read_text())
    return meta, (folder / meta["payload"]).read_bytes()


def cached_bodies(app) -> int:
    """How many responses the HTTP cache holds."""
    db = sqlite3.connect(Path(app.instance_path) / "http_cache.sqlite")
    try:
        return db.execute("select count(*) from responses").fetchone()[0]
    finally:
        db.close()


def live_datasets(app) -> int:
    """How many datasets a refresh fetches (one cached body each)."""
    return sum(d.live for t in app.extensions["presdici.catalog"].territories.values()
               for d in t.datasets)


def nearest_fountain(app):
    """The page still answers: the first fountain near Notre-Dame."""
    response = app.test_client().get("/paris/velo")  # any page: the app is alive
    assert response.status_code == 200
    from webapp.catalog import catalog
    with app.app_context():
        data = catalog().get("paris")
        return data.states["fontaines-a-boire"], data.index("cool").nearest(48.853, 2.3499, 1)


def test_good_refresh_then_every_kind_of_failure_keeps_the_data(paris_app, portal):
    out = refresh(paris_app)
    assert "updated (1322 places)" in out
    meta, payload = snapshot(paris_app)
    assert payload == (ROOT / "data" / DATASET).read_bytes() and meta["count"] == 1322
    state, nearest = nearest_fountain(paris_app)
    assert state.origin == "refreshed" and len(state.places) == 1322

    for mode in ("500", "html", "truncated", "renamed", "empty", "slow"):
        portal.mode = mode
        out = refresh(paris_app, "--force")
        assert "kept" in out, (mode, out)
        assert snapshot(paris_app) == (meta, payload), mode
        state_after, nearest_after = nearest_fountain(paris_app)
        assert len(state_after.places) == 1322 and nearest_after == nearest, mode

    portal.stop()  # the portal is down
    out = refresh(paris_app, "--force")
    assert "kept" in out and snapshot(paris_app) == (meta, payload)
    attempt = json.loads((Path(paris_app.instance_path) / "snapshots/paris/"
                          "fontaines-a-boire.attempt.json").read_text())
    assert attempt["status"] == "kept"


def test_bad_payloads_never_enter_the_http_cache(paris_app, portal):
    portal.mode = "truncated"
    assert "kept" in refresh(paris_app)
    portal.mode = "ok"
    assert "updated" in refresh(paris_app)
    portal.mode = "renamed"
    assert "kept" in refresh(paris_app, "--force")
    assert cached_bodies(paris_app) == 1          # only the good response was stored
    from webapp.sources.http import session_for
    cached = session_for(paris_app).get(f"{portal.url}/{DATASET}", only_if_cached=True)
    assert cached.from_cache and b'"geo_point_2d"' in cached.content


@pytest.mark.parametrize("mode", ["ok", "endless"])
def test_a_body_over_the_size_limit_is_refused_and_the_data_kept(paris_app, portal, mode):
    """Declared too large (the real file, limit lowered) or endless (no Content-Length): the
    refresh stops reading at the limit, keeps the last good data and caches nothing."""
    from webapp.sources.http import capped
    assert "updated" in refresh(paris_app)
    meta, payload = snapshot(paris_app)
    session = paris_app.extensions["presdici.http"]
    session.hooks["response"] = [capped(len(payload) - 1)]
    portal.mode = mode
    out = refresh(paris_app, "--force")
    assert "kept — payload too large" in out, out
    assert snapshot(paris_app) == (meta, payload)
    state, _ = nearest_fountain(paris_app)
    assert len(state.places) == 1322


def test_fresh_cache_is_not_refetched(paris_app, portal):
    assert "updated" in refresh(paris_app)
    before = len(portal.requests)
    assert "unchanged" in refresh(paris_app)
    assert len(portal.requests) == before


def test_status_reports_counts_age_and_source(paris_app):
    result = paris_app.test_cli_runner().invoke(args=["data", "status", "-t", "paris"])
    assert result.exit_code == 0
    line = next(l for l in result.output.splitlines() if "paris/fontaines-a-boire" in l)
    assert " 1322 " in line and "embedded" in line and "127.0.0.1" in line
    # "as of" is the French day: 23:30 UTC on 14 March is already the 15th in Paris.
    paris_app.config["CLOCK_AT"] = "2025-03-14T23:30:00+00:00"
    result = paris_app.test_cli_runner().invoke(args=["data", "status", "-t", "paris"])
    assert result.output.strip().endswith("as of 2025-03-15")


def test_unknown_territory_is_a_clear_cli_error(paris_app):
    result = paris_app.test_cli_runner().invoke(args=["data", "refresh", "-t", "atlantis"])
    assert result.exit_code != 0 and "unknown territory" in result.output


def test_pages_answer_with_a_broken_refreshed_snapshot(paris_app, portal, caplog):
    """A snapshot file damaged on disk: the running worker keeps its last good data (logged),
    a worker starting then serves the embedded copy with its date; a refresh repairs the file."""
    assert "updated" in refresh(paris_app)
    before, _ = nearest_fountain(paris_app)
    meta, _ = snapshot(paris_app)
    folder = Path(paris_app.instance_path) / "snapshots" / "paris"
    (folder / meta["payload"]).write_bytes(b"[{broken")
    paris_app.extensions["presdici.store"].touch_generation()
    with caplog.at_level(logging.WARNING):
        assert paris_app.test_client().get("/paris/frais?lat=48.8566&lon=2.3522").status_code == 200
        state, _ = nearest_fountain(paris_app)
    assert state is before and state.origin == "refreshed" and len(state.places) == 1322
    assert any("unusable" in r.getMessage() for r in caplog.records)
    from webapp import create_app
    starting = create_app({"TESTING": True, "INSTANCE_PATH": paris_app.instance_path,
                           "TERRITORIES_DIR": paris_app.config["TERRITORIES_DIR"]})
    fresh, _ = nearest_fountain(starting)
    assert fresh.origin == "embedded" and len(fresh.places) == 1322 and not fresh.error
    assert "updated (1322 places)" in refresh(paris_app)      # same payload: the file is repaired
    state, _ = nearest_fountain(paris_app)
    assert state.error is None and len(state.places) == 1322


STOPS = "clermont/t2c-gtfs-2026-01_stops.txt"


def test_one_damaged_feed_is_reported_and_the_other_datasets_refresh(portal_app, portal):
    """A GTFS zip damaged in transfer (zlib.error) once aborted the whole refresh."""
    portal.modes[STOPS] = "zip"                          # the feed as published: a zip
    out = run_refresh(portal_app)
    assert "clermont/arrets-t2c: updated (664 places)" in out
    assert "paris/fontaines-a-boire: updated (1322 places)" in out
    assert "paris/ilots-fraicheur-equipements: updated" in out
    good = snapshot(portal_app, "clermont", "arrets-t2c")
    assert good[1] == gtfs_zip((ROOT / "data" / STOPS).read_bytes())

    portal.modes[STOPS] = "zip-corrupt"
    out = run_refresh(portal_app, "--force")
    assert "clermont/arrets-t2c: kept — invalid payload: GTFS zip unreadable: error" in out
    assert "paris/fontaines-a-boire: unchanged" in out
    assert "paris/ilots-fraicheur-equipements: unchanged" in out
    assert snapshot(portal_app, "clermont", "arrets-t2c") == good
    assert cached_bodies(portal_app) == live_datasets(portal_app)   # the damaged body replaced nothing
    with portal_app.app_context():
        from webapp.catalog import catalog
        state = catalog().get("clermont").states["arrets-t2c"]
    assert state.origin == "refreshed" and len(state.places) == 664


def test_a_connector_bug_fails_one_dataset_only(portal_app, portal, monkeypatch, caplog):
    """An exception no connector should raise (simulated: none is known) is logged and counted."""
    from webapp.sources.formats import PARSERS
    assert "updated" in run_refresh(portal_app, "-t", "clermont")
    good = snapshot(portal_app, "clermont", "arrets-t2c")

    def buggy(payload):
        raise IndexError("simulated connector bug")
    monkeypatch.setitem(PARSERS, "gtfs_stops", buggy)
    with caplog.at_level(logging.ERROR):
        out = run_refresh(portal_app, "--force")
    assert "clermont/arrets-t2c: failed — IndexError: simulated connector bug" in out
    assert "paris/fontaines-a-boire: updated" in out
    assert "1 dataset(s) kept their previous data." in out
    assert any("not cached" in r.getMessage() for r in caplog.records)      # http.py
    assert any("arrets-t2c failed" in r.getMessage() for r in caplog.records)  # cli.py
    assert snapshot(portal_app, "clermont", "arrets-t2c") == good
    assert cached_bodies(portal_app) == live_datasets(portal_app)   # the good stops body is still cached
    attempt = json.loads((Path(portal_app.instance_path) / "snapshots/clermont/"
                          "arrets-t2c.attempt.json").read_text())
    assert attempt["status"] == "failed" and "IndexError" in attempt["detail"]


def fountains(app):
    """The declared fountains dataset, as the store reads it."""
    return next(d for d in app.extensions["presdici.catalog"].territories["paris"].datasets
                if d.id == "fontaines-a-boire")


def fewer_fountains(n: int) -> bytes:
    """The recorded fountains export without its last n records: another good payload."""
    return json.dumps(json.loads((ROOT / "data" / DATASET).read_bytes())[:-n]).encode()


def test_a_swap_between_pointer_and_payload_reads_is_followed(paris_app, monkeypatch):
    """A refresh landing between the two reads removes the payload the old pointer named."""
    store, ds = paris_app.extensions["presdici.store"], fountains(paris_app)
    store.write("paris", ds.id, (ROOT / "data" / DATASET).read_bytes(), {"count": 1322})
    newer, real_read_text, swapped = fewer_fountains(2), Path.read_text, []

    def read_text(path, *args, **kwargs):
        text = real_read_text(path, *args, **kwargs)
        if path.name == "fontaines-a-boire.json" and not swapped:
            swapped.append(path)
            store.write("paris", ds.id, newer, {"count": 1320})   # the refresh, right now
        return text
    monkeypatch.setattr(Path, "read_text", read_text)
    snap = store.read("paris", ds)
    assert swapped and snap.origin == "refreshed"           # not the older embedded copy
    assert snap.payload == newer and snap.meta["count"] == 1320


def test_a_missing_payload_keeps_the_loaded_data(paris_app, portal, caplog):
    """A pointer naming a vanished payload is logged; workers keep their last good data."""
    assert "updated" in refresh(paris_app)
    state, _ = nearest_fountain(paris_app)
    assert state.origin == "refreshed"
    meta, _ = snapshot(paris_app)
    (Path(paris_app.instance_path) / "snapshots/paris" / meta["payload"]).unlink()
    paris_app.extensions["presdici.store"].touch_generation()
    with caplog.at_level(logging.WARNING):
        state_after, _ = nearest_fountain(paris_app)          # pages still answer 200
    assert state_after is state                               # not the embedded copy
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert "updated (1322 places)" in refresh(paris_app)      # the next refresh repairs it
    assert snapshot(paris_app)[0]["payload"] == meta["payload"]


@pytest.mark.parametrize("pointer", ["[1, 2]", '{"payload": 5}', '"x"', "{not json",
                                     '{"payload": "../../../../etc/hostname"}'])
def test_a_damaged_pointer_at_start_serves_the_embedded_copy(tmp_path, pointer, caplog):
    """Hand-made damage to a pointer: the app still starts, every other city is intact, and
    the dataset falls back to its embedded copy with the embedded date (stale beats nothing)."""
    from webapp import create_app
    folder = tmp_path / "instance" / "snapshots" / "paris"
    folder.mkdir(parents=True)
    (folder / "fontaines-a-boire.json").write_text(pointer)
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
        client = app.test_client()
        assert client.get("/paris/frais?lat=48.8566&lon=2.3522").status_code == 200
        assert client.get("/grenoble/velo?lat=45.1885&lon=5.7245").status_code == 200
        with app.app_context():
            from webapp.catalog import catalog
            state = next(s for s in catalog().get("paris").states.values()
                         if s.dataset.id == "fontaines-a-boire")
    assert state.origin == "embedded" and len(state.places) == 1322 and not state.error
    assert any("unreadable" in r.getMessage() for r in caplog.records)


def test_a_generation_change_reloads_the_catalog_once(paris_app, monkeypatch):
    """Eight requests arriving together after a swap: one reload, the others answer at once."""
    import webapp.catalog as catalog_module
    real, loads = catalog_module.load_territory_data, []

    def slow_load(*args):
        loads.append(args[1].id)
        time.sleep(0.3)          # every other request arrives while this load runs
        return real(*args)
    monkeypatch.setattr(catalog_module, "load_territory_data", slow_load)
    paris_app.extensions["presdici.store"].touch_generation()
    start = threading.Barrier(8)

    def get(_):
        start.wait()
        return paris_app.test_client().get("/donnees").status_code
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(get, range(8))) == [200] * 8
    assert loads == ["paris"]


def test_pages_answer_while_refreshes_swap_snapshots(paris_app):
    """A writer swapping two good payloads as fast as it can while requests run."""
    store, ds = paris_app.extensions["presdici.store"], fountains(paris_app)
    payloads = [(ROOT / "data" / DATASET).read_bytes(), fewer_fountains(10)]
    done, errors = threading.Event(), []

    def writer():
        try:
            for i in range(60):
                store.write("paris", ds.id, payloads[i % 2], {"count": 1322 - 10 * (i % 2)})
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()
    thread = threading.Thread(target=writer)
    store.write("paris", ds.id, payloads[0], {"count": 1322})
    thread.start()
    client, seen = paris_app.test_client(), set()
    while not done.is_set():
        assert client.get(f"/paris/frais?{NEAR_NOTRE_DAME}").status_code == 200
        snap = store.read("paris", ds)
        seen.add((snap.origin, len(snap.payload) in (len(payloads[0]), len(payloads[1]))))
        with paris_app.app_context():
            from webapp.catalog import catalog
            state = catalog().get("paris").states["fontaines-a-boire"]
        seen.add((state.origin, len(state.places) in (1322, 1312)))
    thread.join()
    assert not errors and seen == {("refreshed", True)}
