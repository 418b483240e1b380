"""Près d'ici: local open data turned into answers to everyday questions."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .languages import LANGUAGES
from .paths import PROJECT_ROOT


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then PRESDICI_* environment, then the test config."""
    instance = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "PRESDICI_INSTANCE", str(PROJECT_ROOT / "instance"))
    app = Flask(__name__, static_folder=str(PROJECT_ROOT / "static"),
                template_folder=str(PROJECT_ROOT / "templates"), instance_path=instance)
    app.config.from_mapping(
        TERRITORIES_DIR=str(PROJECT_ROOT / "territories"),
        EMBEDDED_DIR=str(PROJECT_ROOT / "data"),
        DEFAULT_TERRITORY=None,           # a kiosk pins its city here
        KIOSK=None,                       # PRESDICI_KIOSK=<profile in instance/kiosks.toml>
        RESULTS=5,
        TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        HTTP_CONNECT_TIMEOUT=3.05,
        HTTP_READ_TIMEOUT=15,
        HTTP_MAX_BYTES=200 * 1024 * 1024,  # a portal answer above this is refused (kept data)
        LANGUAGES=list(LANGUAGES),
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
        MAX_CONTENT_LENGTH=16 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        REDIS_URL=None,                   # set: several hosts share cache, data date, lock, limits
        SNAPSHOTS_DIR=None,               # None: instance/snapshots; several hosts: a shared folder
        HSTS="max-age=31536000",           # sent over HTTPS only; PRESDICI_HSTS=0 sends none
        TRUST_PROXY=0,                     # proxies in front whose X-Forwarded-Proto we believe
    )
    app.config.from_prefixed_env("PRESDICI")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from . import (assets, caching, catalog, cli, compression, errors, i18n, limits, meta,
                   rendering, security, shared, transit, views)
    from .sources import http
    shared.init_app(app)
    assets.init_app(app)               # hashed, precompressed static files (issue 12)
    security.init_app(app)             # wraps everything above: headers on static files too
    caching.init_app(app)
    rendering.init_app(app)
    i18n.init_app(app)
    http.init_app(app)
    catalog.init_app(app)
    transit.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    cli.init_app(app)
    views.init_app(app)
    meta.init_app(app)                 # meta description per page (issue 12)
    compression.init_app(app)          # br/gzip answers, after every other hook (issue 12)
    return app
