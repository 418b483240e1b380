"""The fault matrix: every way a portal fails, each against a real app and a real local portal.

Shared by tests/test_faults.py (asserts every row) and bench/faults.py (prints the table)."""
from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date

from portal import FakePortal

ROOT = Path(__file__).resolve().parent.parent
DATASET = "paris/fontaines-a-boire_ods-v2.1-json-export_2025-09.json"
LIVE = "https://opendata.paris.fr/api/explore/v2.1/catalog/datasets/fontaines-a-boire/exports/json"
PAGE = "/paris/frais?lat=48.853&lon=2.3499"
REFRESHES = 3          # refreshes during the fault: a portal asking to wait sees only the first


@dataclass(frozen=True)
class Fault:
    """One row: a portal mode, or a URL that fails before any HTTP answer."""

    name: str
    mode: str = "ok"
    url: str = "portal"        # portal | refused | unresolvable | tls
    max_bytes: int = 0         # lower the size limit (0: the app's own)
    waits: bool = False        # the portal asked to wait: one request for all REFRESHES


FAULTS = [
    Fault("HTTP 500", "500"), Fault("HTML instead of JSON", "html"),
    Fault("truncated JSON", "truncated"), Fault("renamed field", "renamed"),
    Fault("empty list", "empty"), Fault("slow (read timeout)", "slow"),
    Fault("endless body", "endless", max_bytes=1 << 20),
    Fault("portal down (refused)", url="refused"),
    Fault("name does not resolve", url="unresolvable"),
    Fault("503 + Retry-After", "503", waits=True), Fault("429 + Retry-After", "429", waits=True),
    Fault("redirect to another host", "redirect"),
    Fault("TLS failure (plain HTTP on https)", url="tls"),
]


@dataclass
class Row:
    """What one fault did: the matrix's columns."""

    fault: Fault
    outcomes: list[str]
    data_kept: bool
    nothing_cached: bool
    seconds: float             # the first refresh during the fault, start to end
    requests: int              # what the portal received over REFRESHES refreshes
    page_dated: bool           # the page answers 200 with the kept data and its date


@contextlib.contextmanager
def unresolvable(host: str):
    """Make `host` fail name resolution as a resolver would (EAI_NONAME); no DNS query leaves."""
    real = socket.getaddrinfo

    def getaddrinfo(name, *args, **kwargs):
        if name == host:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(name, *args, **kwargs)
    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.getaddrinfo = real


def closed_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fault_url(fault: Fault, portal: FakePortal) -> str:
    """The dataset's URL while the fault lasts."""
    port = portal.url.rsplit(":", 1)[1]
    return {"portal": f"{portal.url}/{DATASET}",
            "refused": f"http://127.0.0.1:{closed_port()}/{DATASET}",
            "unresolvable": f"http://portail-disparu.invalid/{DATASET}",
            "tls": f"https://127.0.0.1:{port}/{DATASET}"}[fault.url]


def paris_app(folder: Path, url: str):
    """The app with Paris only, its fountains fetched from `url`; instance in `folder`."""
    from webapp import create_app
    territories = folder / "territories"
    territories.mkdir(parents=True, exist_ok=True)
    toml = (ROOT / "territories/paris.toml").read_text(encoding="utf-8")
    (territories / "paris.toml").write_text(toml.replace(LIVE, url), encoding="utf-8")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(folder / "instance"),
                      "TERRITORIES_DIR": str(territories), "HTTP_READ_TIMEOUT": 1.0,
                      "HTTP_CONNECT_TIMEOUT": 1.0})
    app.extensions["presdici.catalog"].CHECK_EVERY_S = 0
    return app


def refresh(app) -> str:
    """`flask data refresh --force` for the Paris fountains; its one-line outcome."""
    result = app.test_cli_runner().invoke(
        args=["data", "refresh", "-t", "paris", "-d", "fontaines-a-boire", "--force"])
    return next((line.split(": ", 1)[1] for line in result.output.splitlines()
                 if "fontaines-a-boire:" in line), result.output.strip())


def snapshot(app) -> bytes:
    """The current snapshot's pointer and payload, as bytes to compare."""
    folder = Path(app.instance_path) / "snapshots" / "paris"
    pointer = (folder / "fontaines-a-boire.json").read_bytes()
    return pointer + (folder / json.loads(pointer)["payload"]).read_bytes()


def cached(app, url: str) -> tuple[list, bytes]:
    """The keys of every response the HTTP cache holds, and the body it keeps for `url`."""
    from webapp.sources.http import session_for
    db = sqlite3.connect(Path(app.instance_path) / "http_cache.sqlite")
    try:
        keys = sorted(row[0] for row in db.execute("select key from responses"))
    finally:
        db.close()
    kept = session_for(app).get(url, only_if_cached=True)       # the session: stale_if_error
    return keys, kept.content


def page_dated(app) -> bool:
    """The page near Notre-Dame answers with fountains and today's date (the refreshed data)."""
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    body = app.test_client().get(PAGE, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    return f"données du {format_date(today, 'medium', locale='fr')}" in body


def run(fault: Fault, folder: Path) -> Row:
    """A good refresh, then the fault REFRESHES times: what was kept, cached, spent, asked."""
    portal = FakePortal(slow_seconds=2.5)
    try:
        good = paris_app(folder / "good", f"{portal.url}/{DATASET}")
        assert refresh(good).startswith("updated"), "the good refresh failed"
        good_url = f"{portal.url}/{DATASET}"
        before, in_cache = snapshot(good), cached(good, good_url)
        app = good
        if fault.url != "portal":       # another URL: the same instance, another territory file
            (folder / "fault").mkdir(parents=True, exist_ok=True)
            (folder / "fault" / "instance").symlink_to(folder / "good" / "instance")
            app = paris_app(folder / "fault", fault_url(fault, portal))
        if fault.max_bytes:
            from webapp.sources.http import capped
            app.extensions["presdici.http"].hooks["response"][0] = capped(fault.max_bytes)
        portal.mode, asked = fault.mode, len(portal.requests)
        guard = unresolvable("portail-disparu.invalid") if fault.url == "unresolvable" \
            else contextlib.nullcontext()
        outcomes, seconds = [], 0.0
        with guard:
            for i in range(REFRESHES):
                start = time.perf_counter()
                outcomes.append(refresh(app))
                seconds = seconds or time.perf_counter() - start
        return Row(fault, outcomes, snapshot(app) == before, cached(good, good_url) == in_cache,
                   seconds,
                   len(portal.requests) - asked, page_dated(app))
    finally:
        portal.stop()


def table(rows: list[Row]) -> str:
    """The matrix as a plain-text table."""
    lines = [f"{'fault':36} {'data kept':>9} {'nothing cached':>14} {'time (s)':>8} "
             f"{'requests':>8} {'page dated':>10}  outcome of the first refresh"]
    for row in rows:
        yes = {True: "yes", False: "NO"}
        lines.append(f"{row.fault.name:36} {yes[row.data_kept]:>9} {yes[row.nothing_cached]:>14} "
                     f"{row.seconds:8.2f} {row.requests:>5}/{REFRESHES} {yes[row.page_dated]:>10}"
                     f"  {row.outcomes[0][:70]}")
    return "\n".join(lines)
