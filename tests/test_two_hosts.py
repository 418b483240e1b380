"""Two real gunicorn hosts on one real redis-server: one data date, one refresh, shared limits."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup

from conftest import ROOT, Gunicorn
from portal import FakePortal
from redis_server import RedisServer

pytestmark = pytest.mark.slow

DATASET = "paris/fontaines-a-boire_ods-v2.1-json-export_2025-09.json"
LIVE = "https://opendata.paris.fr/api/explore/v2.1/catalog/datasets/fontaines-a-boire/exports/json"
NEAR_NOTRE_DAME = "/paris/frais?lat=48.853&lon=2.3499"
LIMIT = 6                   # per minute, on costly requests, for this test only
CHECK_EVERY_S = 5.0         # webapp.catalog.Catalog.CHECK_EVERY_S: the stated delay of a swap


class GatedPortal(FakePortal):
    """The local portal, holding its answers while `gate` is closed: a refresh in flight."""

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def answer(self, handler) -> None:
        self.gate.wait(120)
        super().answer(handler)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """redis-server, a local portal, a shared snapshots folder and two hosts (A and B)."""
    folder = tmp_path_factory.mktemp("cluster")
    redis = RedisServer(folder / "redis")
    portal = GatedPortal()
    territories = folder / "territories"
    territories.mkdir()
    toml = (ROOT / "territories/paris.toml").read_text(encoding="utf-8")
    assert LIVE in toml
    (territories / "paris.toml").write_text(toml.replace(LIVE, f"{portal.url}/{DATASET}"))
    env = {"PRESDICI_REDIS_URL": redis.url, "PRESDICI_TERRITORIES_DIR": str(territories),
           "PRESDICI_SNAPSHOTS_DIR": str(folder / "shared-snapshots"),
           "PRESDICI_RATELIMIT_COSTLY": f"{LIMIT} per minute", "PRESDICI_HTTP_READ_TIMEOUT": "150"}
    hosts = [Gunicorn(folder / name / "instance", folder / f"{name}.log", env)
             for name in ("a", "b")]
    yield {"redis": redis, "portal": portal, "hosts": hosts, "env": env, "folder": folder}
    for host in hosts:
        host.stop()
    portal.stop()
    redis.stop()


def flask_refresh(cluster, host: str) -> subprocess.Popen:
    """`flask data refresh` of the Paris fountains as run on one host (its own instance)."""
    env = {**os.environ, **cluster["env"],
           "PRESDICI_INSTANCE": str(cluster["folder"] / host / "instance")}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "data", "refresh", "-t", "paris",
         "-d", "fontaines-a-boire", "--force"], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def fountains_origin(host) -> str:
    """What /donnees on a host says of the fountains: embedded copy or refreshed."""
    html = requests.get(f"{host.url}/donnees", timeout=10).text
    item = BeautifulSoup(html, "html.parser").find(id="paris-fontaines-a-boire")
    return "embedded" if "copie intégrée" in item.get_text() else "refreshed"


def test_a_refresh_on_one_host_is_served_by_the_other_and_a_second_one_waits(cluster):
    host_a, host_b = cluster["hosts"]
    portal = cluster["portal"]
    assert {fountains_origin(host_a), fountains_origin(host_b)} == {"embedded"}
    portal.gate.clear()                   # the portal holds its answer: the refresh holds the lock
    try:
        before = len(portal.requests)
        first = flask_refresh(cluster, "a")
        deadline = time.monotonic() + 90           # a loaded machine starts Python slowly
        while len(portal.requests) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(portal.requests) > before, "the first refresh never reached the portal"
        second = flask_refresh(cluster, "b")  # started while the first one waits on the portal
        out, err = second.communicate(timeout=60)
        assert second.returncode == 75, (out, err)
        assert "refresh running on another host" in err
        assert len(portal.requests) == before + 1          # the second one asked no portal
    finally:
        portal.gate.set()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, (out, err)
    assert "fontaines-a-boire: updated (1322 places)" in out
    swapped = time.monotonic()
    # Host B never ran a refresh: it reads the generation from Redis and the shared snapshot.
    # Every worker of both hosts must serve it: 8 answers in a row from each say "refreshed".
    deadline, streak = swapped + CHECK_EVERY_S + 30, 0
    while streak < 16 and time.monotonic() < deadline:
        host = (host_b, host_a)[streak % 2]
        asked = time.monotonic()
        if fountains_origin(host) != "refreshed":
            streak = 0
        elif streak == 0:
            streak, first_seen = 1, asked
        else:
            streak += 1
        time.sleep(0.1 if streak else 0.25)
    delay = time.monotonic() - swapped
    if streak == 16:
        print(f"\nswap served by both hosts from {first_seen - swapped:.1f} s after the refresh "
              f"ended (16 answers in a row, every worker, checked by {delay:.1f} s)")
    assert streak == 16, f"a host still serves the embedded copy {delay:.1f} s after the swap"


def test_rate_limits_count_across_both_hosts(cluster):
    host_a, host_b = cluster["hosts"]
    answers = [requests.get(f"{host.url}{NEAR_NOTRE_DAME}", timeout=10)
               for host in (host_a, host_b) * (LIMIT // 2)]
    assert [r.status_code for r in answers] == [200] * LIMIT
    # Each host alone has answered LIMIT / 2 times: only a shared count refuses the next one.
    for host in (host_a, host_b):
        refused = requests.get(f"{host.url}{NEAR_NOTRE_DAME}", timeout=10,
                               headers={"Accept-Language": "en"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        assert refused.headers["Cache-Control"] == "no-store"
        assert "Please wait" in refused.text             # translated, polite
    # Pages that only read are never limited, nor static files.
    for host in (host_a, host_b):
        assert requests.get(f"{host.url}/paris/frais", timeout=10).status_code == 200
        assert requests.get(f"{host.url}/static/css/app.css", timeout=10).status_code == 200


def test_with_redis_stopped_both_hosts_keep_answering_and_log_it_once(cluster):
    host_a, host_b = cluster["hosts"]
    cluster["redis"].stop()
    time.sleep(CHECK_EVERY_S + 0.5)       # every worker's next request asks Redis for news
    for _ in range(3):
        for host in (host_a, host_b):
            # Limits fall back to each host's memory: a fresh count, below the limit.
            answer = requests.get(f"{host.url}{NEAR_NOTRE_DAME}", timeout=10)
            assert answer.status_code == 200
            assert fountains_origin(host) == "refreshed"      # the loaded data, not older
    time.sleep(CHECK_EVERY_S + 0.5)
    for host in (host_a, host_b):
        for _ in range(4):
            assert requests.get(f"{host.url}/donnees", timeout=10).status_code == 200
    refresh = flask_refresh(cluster, "a")
    out, err = refresh.communicate(timeout=60)
    assert refresh.returncode == 1 and "Redis unreachable" in err, (out, err)
    for host in (host_a, host_b):
        log = Path(host.log).read_text(encoding="utf-8")
        # Logged once per worker process (2 per host), not once per request.
        assert 1 <= log.count("Redis unreachable") <= 2, log
