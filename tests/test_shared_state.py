"""Redis as shared state, in process, against a real redis-server: cache, generation, lock."""
import logging
import threading
from pathlib import Path

import pytest

from portal import FakePortal
from redis_server import RedisServer
from test_refresh import DATASET, ROOT, refresh

LIVE = "https://opendata.paris.fr/api/explore/v2.1/catalog/datasets/fontaines-a-boire/exports/json"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture()
def portal():
    server = FakePortal(slow_seconds=2.0)
    yield server
    if server.thread.is_alive():
        server.stop()


def make_app(tmp_path, portal, redis_url, name):
    """A host: its own instance folder, the snapshots folder and Redis shared with the others."""
    from webapp import create_app
    territories = tmp_path / "territories"
    territories.mkdir(exist_ok=True)
    toml = (ROOT / "territories/paris.toml").read_text(encoding="utf-8")
    (territories / "paris.toml").write_text(toml.replace(LIVE, f"{portal.url}/{DATASET}"))
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / name),
                      "TERRITORIES_DIR": str(territories), "REDIS_URL": redis_url,
                      "SNAPSHOTS_DIR": str(tmp_path / "shared"), "HTTP_READ_TIMEOUT": 5.0})
    app.extensions["presdici.catalog"].CHECK_EVERY_S = 0
    return app


@pytest.fixture()
def hosts(tmp_path, portal, redis_server):
    redis_server.client().flushall()
    return [make_app(tmp_path, portal, redis_server.url, name) for name in ("a", "b")]


def fountains(app):
    from webapp.catalog import catalog
    with app.app_context():
        return catalog().get("paris").states["fontaines-a-boire"]


def test_the_http_cache_is_in_redis_and_bad_bodies_never_enter_it(hosts, portal, redis_server):
    host_a, host_b = hosts
    portal.mode = "truncated"
    assert "kept" in refresh(host_a)
    portal.mode = "ok"
    assert "updated" in refresh(host_a)
    portal.mode = "renamed"
    assert "kept" in refresh(host_a, "--force")
    assert not (Path(host_a.instance_path) / "http_cache.sqlite").exists()
    # Host B asks no portal: the answer host A cached (the good one) is in Redis.
    before = len(portal.requests)
    cached = host_b.extensions["presdici.http"].get(f"{portal.url}/{DATASET}", only_if_cached=True)
    assert cached.from_cache and b'"geo_point_2d"' in cached.content
    assert len(portal.requests) == before
    assert redis_server.client().keys("presdici:http*")


def test_a_swap_on_one_host_moves_the_other_through_redis(hosts):
    host_a, host_b = hosts
    assert fountains(host_b).origin == "embedded"
    assert "updated (1322 places)" in refresh(host_a)
    assert fountains(host_b).origin == "refreshed"
    token = host_b.extensions["presdici.store"].generation()
    assert token and token == host_a.extensions["presdici.store"].shared.get("presdici:generation")


def test_one_refresh_at_a_time_across_hosts(hosts, portal):
    host_a, host_b = hosts
    portal.mode = "slow"
    outputs = []
    first = threading.Thread(target=lambda: outputs.append(refresh(host_a)))
    first.start()
    while not portal.requests:
        threading.Event().wait(0.05)
    result = host_b.test_cli_runner().invoke(args=["data", "refresh"])
    assert result.exit_code == 75 and "refresh running on another host" in result.output
    first.join()
    assert "updated (1322 places)" in outputs[0]
    portal.mode = "ok"
    # The lock was released; the data is the one host A just swapped in the shared folder.
    assert "unchanged (1322 places)" in refresh(host_b, "--force")


def test_without_redis_a_second_refresh_on_the_same_host_waits_its_turn(tmp_path, portal):
    from webapp import create_app
    from webapp.shared import Busy, refresh_lock
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "one")})
    folder = app.extensions["presdici.store"].root
    with refresh_lock(None, folder):
        result = app.test_cli_runner().invoke(args=["data", "refresh", "-t", "paris"])
        assert result.exit_code == 75
        assert "a refresh is already running on this host" in result.output
        with pytest.raises(Busy), refresh_lock(None, folder):
            pass
    with refresh_lock(None, folder):                    # free again once released
        pass


def test_redis_unreachable_pages_answer_and_it_is_logged_once(tmp_path, portal, caplog):
    from conftest import free_port
    app = make_app(tmp_path, portal, f"redis://127.0.0.1:{free_port()}/0", "alone")
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/paris/frais?lat=48.853&lon=2.3499").status_code == 200
            assert client.get("/donnees").status_code == 200
    assert fountains(app).origin == "embedded" and len(fountains(app).places) == 1322
    ours = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(ours) == 1
    result = app.test_cli_runner().invoke(args=["data", "refresh"])
    assert result.exit_code == 1 and "Redis unreachable" in result.output


def test_a_background_reload_keeps_requests_answering_with_the_current_data(tmp_path, portal,
                                                                              monkeypatch):
    """At national size a reload takes minutes: requests must not wait for it."""
    import webapp.catalog as catalog_module
    app = make_app(tmp_path, portal, None, "bg")
    catalog = app.extensions["presdici.catalog"]
    catalog.background = True
    before = fountains(app)
    release, real = threading.Event(), catalog_module.load_territory_data

    def slow_load(*args):
        release.wait(30)
        return real(*args)
    monkeypatch.setattr(catalog_module, "load_territory_data", slow_load)
    assert "updated (1322 places)" in refresh(app)        # swaps and touches the generation
    client = app.test_client()
    for _ in range(3):                                   # the reload is waiting on `release`
        assert client.get("/paris/frais?lat=48.853&lon=2.3499").status_code == 200
        assert fountains(app) is before
    release.set()
    for _ in range(100):
        if fountains(app).origin == "refreshed":
            break
        threading.Event().wait(0.1)
    assert fountains(app).origin == "refreshed"
