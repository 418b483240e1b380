"""Shared fixtures: the app from its factory, a real gunicorn, a real Chromium (Debian's)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    """An empty instance folder: the app runs on its embedded snapshot."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app(instance_dir):
    """The app built by its factory, as in production, with the embedded data."""
    os.environ["PRESDICI_INSTANCE"] = str(instance_dir)
    from webapp import create_app
    return create_app({"TESTING": True})


@pytest.fixture()
def client(app):
    """A Flask test client."""
    return app.test_client()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 90.0) -> None:
    """Block until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


class Gunicorn:
    """A real gunicorn serving wsgi:app with the project's gunicorn.conf.py."""

    def __init__(self, instance: Path, log: Path, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        # Browser tests send many answers from 127.0.0.1: a limit they never reach, unless a test
        # about limits sets its own.
        env = {**os.environ, "PRESDICI_INSTANCE": str(instance),
               "PRESDICI_RATELIMIT_COSTLY": "1000000 per minute", **(extra_env or {})}
        self._log_handle = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self._log_handle, stderr=subprocess.STDOUT)
        wait_for_port(self.port)

    def stop(self) -> None:
        """Stop the server."""
        self.proc.terminate()
        # Paris's 158k addresses make loading (before the port opens) and exiting slower; on a
        # loaded 2-core CI machine both have taken over 15 s. Generous, not a timing assertion.
        self.proc.wait(timeout=60)
        self._log_handle.close()


def kiosk_gunicorn(folder: Path, profiles: str, kiosk: str = "toulouse-capitole") -> Gunicorn:
    """gunicorn pinned by server configuration to one profile of a kiosks.toml written in folder."""
    (folder / "instance").mkdir()
    (folder / "instance" / "kiosks.toml").write_text(profiles, encoding="utf-8")
    return Gunicorn(folder / "instance", folder / "server.log", extra_env={"PRESDICI_KIOSK": kiosk})


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """gunicorn on a free port; its log file is server.log."""
    folder = tmp_path_factory.mktemp("gunicorn")
    gunicorn = Gunicorn(folder / "instance", folder / "server.log")
    yield gunicorn
    gunicorn.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium is a failure, never a skip."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def phone_context(browser, geolocation=None, javascript=True, **extra):
    """A phone-sized context; geolocation granted only when a position is given."""
    options = {**PHONE, "java_script_enabled": javascript, "locale": "fr-FR",
               "bypass_csp": False, **extra}
    if geolocation:
        options.update(geolocation={"latitude": geolocation[0], "longitude": geolocation[1]},
                       permissions=["geolocation"])
    return browser.new_context(**options)


def axe_violations(browser, url: str, **context_options) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules) on url in a separate context that may inject it."""
    context = browser.new_context(**PHONE, bypass_csp=True, **context_options)
    try:
        page = context.new_page()
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"]]
    finally:
        context.close()


def run_axe(page) -> list[dict]:
    """axe-core on the page as it is now (its context needs bypass_csp=True to inject)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def watch_console(page):
    """Collect CSP violations and JS errors."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def in_french(element) -> bool:
    """Whether the whole text of element is marked French: by itself, an ancestor, or one child
    span that holds all of it."""
    if element.get("lang") == "fr" or element.find_parent(attrs={"lang": "fr"}):
        return True
    spans = element.find_all("span", lang="fr", recursive=False)
    return len(spans) == 1 and spans[0].get_text(strip=True) == element.get_text(strip=True)
