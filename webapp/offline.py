"""Installable and offline: manifest, service worker, offline page and the territory packs."""
from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache

from flask import (Blueprint, abort, current_app, make_response, render_template, request,
                   url_for)
from flask_babel import get_locale, gettext as _
from flask_babel import lazy_gettext as _l

from . import labels
from .catalog import TerritoryData, catalog
from .pack import Pack, build_pack
from .paths import PROJECT_ROOT
from .sources.store import _atomic_write
from .zones import zone_bbox
from .sorting.taxonomy import STREAMS
from .tasks import TASK_PAGES, cool_labels
from .tasks.origin import MESSAGES
from .tasks.results import DIRECTIONS

bp = Blueprint("offline", __name__)

# Precached on install: what every page needs, plus the offline page. Never tiles, never data.
SHELL_STATIC = ["css/app.css", "vendor/htmx-2.0.11.min.js", "js/app.js", "js/offline.js",
                "js/pack-nearest.js", "js/pack-items.js", "icons/icon-192.png", "icons/icon-512.png",
                "icons/maskable-512.png"]
ICONS = [("icon-192.png", 192, "any"), ("icon-512.png", 512, "any"),
         ("maskable-192.png", 192, "maskable"), ("maskable-512.png", 512, "maskable")]
THEME = "#0b5d3b"      # --accent in app.css: the header bar, so the status bar matches it
DESCRIPTION = _l("Les données ouvertes de votre ville, en réponses simples : où garer son vélo, "
                 "où se rafraîchir, où jeter un objet.")


def territory_pages(data: TerritoryData) -> dict[str, str]:
    """The pages of a territory the pack keeps offline: its home, every task page, and the
    "Où jeter ?" page of every stream (an item typed offline leads there, and its form answers
    "near me" offline where the city publishes drop-off points). They hold no position."""
    tid = data.territory.id
    pages = {"territory": url_for("pages.territory", territory=tid)}
    pages.update({task: url_for(endpoint, territory=tid) for task, endpoint, _p in TASK_PAGES})
    pages.update({f"recycle:{stream.id}": url_for("recycle.index", territory=tid, flux=stream.id)
                  for stream in STREAMS.values()})
    return pages


def pack_for(data: TerritoryData, zone: str | None = None) -> Pack:
    """The territory's pack (or one zone's), rebuilt only when the catalog reloaded its data."""
    packs = current_app.extensions.setdefault("presdici.packs", {})
    cached = packs.get((data.territory.id, zone))
    if cached is None or cached[0] is not data:
        pack = build_pack(data, current_app.config["RESULTS"], territory_pages(data),
                          current_app.extensions.get("presdici.sorting"), zone)
        cached = packs[(data.territory.id, zone)] = (data, pack)
        keep_pack_file(data.territory.id, pack)
    return cached[1]


def keep_pack_file(territory: str, pack: Pack) -> None:
    """Write the pack once under its version in the snapshots folder (shared by every host
    when there are several): an immutable file the proxy or a CDN can serve as it is."""
    folder = current_app.extensions["presdici.store"].root / "packs"
    path = folder / f"{territory}-{pack.version}.json.gz"
    if not path.exists():
        try:
            _atomic_write(path, pack.gzipped)
        except OSError:
            current_app.logger.warning("pack file not written in %s", folder)


def worker_version() -> str:
    """A hash of the worker and every precached file: any change installs a new worker."""
    digest = hashlib.sha256(current_app.config.get("OFFLINE_VERSION_SALT", "").encode())
    for name in ["templates/offline/sw.js", "templates/offline/index.html", "templates/base.html",
                 "templates/offline/_status.html",
                 *(f"static/{s}" for s in SHELL_STATIC)]:
        digest.update((PROJECT_ROOT / name).read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The worker at the root, so its scope is the whole site; revalidated on every check."""
    shell = [url_for("static", filename=s) for s in SHELL_STATIC]
    shell += [url_for("offline.page"), url_for("pages.home")]
    config = {"version": worker_version(), "shell": shell, "offline": url_for("offline.page"),
              "static": url_for("static", filename="")}
    response = make_response(render_template("offline/sw.js", config=config))
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The Web App Manifest, in the visitor's language."""
    locale = get_locale()
    body = {
        "name": "Près d'ici", "short_name": "Près d'ici", "description": str(DESCRIPTION),
        "lang": str(locale), "dir": locale.text_direction, "start_url": url_for("pages.home"),
        "scope": "/", "id": "/", "display": "standalone", "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": [{"src": url_for("static", filename=f"icons/{name}"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": purpose} for name, size, purpose in ICONS],
    }
    response = make_response(json.dumps(body, ensure_ascii=False))
    response.mimetype = "application/manifest+json"
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


@bp.get("/hors-ligne")
def page():
    """What the worker shows for a page it does not have while the network is away."""
    return render_template("offline/index.html", territories=catalog().all())


@bp.get("/<territory>/pack.json")
def pack(territory: str):
    """The territory pack, or one zone's (?zone=z97_4, see zones.py), gzipped when the browser
    accepts it; ETag = pack version. Browsers revalidate; a shared cache may keep it 5 min."""
    data = catalog().get(territory) or abort(404)
    zone = request.args.get("zone", "")[:20] or None
    if zone is not None and not _zone_in(data, zone):
        abort(404)
    response = _pack_response(pack_for(data, zone))
    response.headers["Cache-Control"] = "public, max-age=0, s-maxage=300"
    return response.make_conditional(request)


@bp.get("/<territory>/pack-<version>.json")
def pack_version(territory: str, version: str):
    """One version of a pack, from memory or from its immutable file: cacheable for a year."""
    data = catalog().get(territory) or abort(404)
    current = pack_for(data)
    if version == current.version:
        response = _pack_response(current)
    else:
        folder = current_app.extensions["presdici.store"].root / "packs"
        path = folder / f"{territory}-{version}.json.gz"
        if not version.isalnum() or len(version) != 16 or not path.is_file():
            abort(404)
        gzipped = path.read_bytes()
        response = _pack_response(Pack(gzip.decompress(gzipped), gzipped, version))
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response.make_conditional(request)


def _zone_in(data: TerritoryData, zone: str) -> bool:
    """Whether zone is a cell id touching the territory."""
    cell = zone_bbox(zone)
    if cell is None:
        return False
    west, south, east, north = data.territory.bbox
    return cell[0] < east and cell[2] > west and cell[1] < north and cell[3] > south


def _pack_response(built: Pack):
    """The pack body, gzipped when accepted (the quality, not the name: "gzip;q=0" refuses)."""
    gzipped = request.accept_encodings["gzip"] > 0
    response = make_response(built.gzipped if gzipped else built.body)
    response.mimetype = "application/json"
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(built.version)
    return response


def task_text(task: str | None) -> dict:
    """The words only one task's offline answers need: kinds of places, out-of-service lines."""
    if task == "bike":
        return {"kinds": {k: str(v) for k, v in labels.BIKE_KIND.items()}}
    if task == "recycle":
        # The pack holds no opening hours: say so rather than let a closed centre look open.
        return {"caveat": _("Hors ligne, les horaires d'ouverture ne sont pas affichés : "
                            "vérifiez-les avant de vous déplacer."),
                "found": _("Hors ligne : choisissez l'objet, sa filière dit quoi en faire."),
                "noItem": _("Hors ligne, aucun objet de ce nom dans le guide gardé sur cet "
                            "appareil. Essayez un mot plus simple, ou choisissez une filière."),
                "streams": {k: str(s.label) for k, s in STREAMS.items()}}
    if task != "cool":
        return {}
    return {"caveat": _("Hors ligne, les horaires, le mode canicule et les filtres ne sont pas "
                        "appliqués : ces lieux sont les plus proches, ouverts ou non."),
            "titles": {key: str(cool_labels.SECTION[key]) for key in ("water", "toilets")},
            "kinds": {k: str(label) for k, (_picto, label) in cool_labels.KIND.items()},
            "kindOther": cool_labels.kind(None)[1], "outOfService": _("Hors service"),
            "switchedOff": _("Éteint (hors service)"), "since": _("depuis le %(date)s"),
            "outReasons": {k: str(v) for k, v in cool_labels.OUT_REASON.items()}}


def client_text(task: str | None = None) -> dict:
    """Every string offline.js may show on a page of this task, translated here: the JS holds
    no language of its own. Read-only: one dict per (language, task), built once."""
    return _client_text(str(get_locale()), task)


@lru_cache(maxsize=64)
def _client_text(_locale: str, task: str | None) -> dict:
    """The texts in the request's language (the key only makes the cache per language).

    Placeholders stay raw (%(name)s) for the JS to fill, hence gettext without arguments."""
    return {
        "online": _("En ligne."), "offline": _("Hors ligne."),
        "asOf": _("Ville gardée sur cet appareil : %(city)s, %(size)s, données du %(date)s."),
        "asOfRange": _("Ville gardée sur cet appareil : %(city)s, %(size)s, données du %(first)s "
                       "au %(last)s."),
        "kb": _("%(kb)s ko"), "saving": _("Enregistrement des données…"),
        "saved": _("Données enregistrées sur cet appareil."),
        "removed": _("Données hors ligne supprimées."),
        "failed": _("L'enregistrement a échoué. Réessayez avec du réseau."),
        "packUpdate": _("Des données plus récentes sont disponibles."),
        "noPack": _("Hors ligne, et cette ville n'est pas gardée sur l'appareil. Réessayez avec "
                    "du réseau."),
        "noSearch": _("Hors ligne, la recherche d'un lieu par son nom ne marche pas."),
        "useLocate": _("Utilisez le bouton « Utiliser ma position »."),
        "computed": _("Calculé sur votre appareil, hors ligne : votre position ne l'a pas quitté."),
        "near": _("Près de votre position"), "nearest": _("Le plus proche"),
        "none": _("Aucun lieu publié n'a été trouvé près de ce point."),
        "outside": str(MESSAGES["outside_territory"]),
        "m": _("%(m)s m"), "km": _("%(km)s km"), "walk": _("%(n)d min à pied"),
        "go": _("Y aller"), "source": _("Source :"), "here": _("Ici même, à quelques pas"),
        "directions": [str(d) for d in DIRECTIONS],
        "dataOf": _("données du %(date)s"), "unknownDate": _("date inconnue"),
        "categories": {code: str(label) for code, label in labels.CATEGORY.items()},
        **task_text(task),
    }


def status_context() -> dict:
    """What the footer's offline area needs: the current pack version and task of this page."""
    task = next((t for t, endpoint, _p in TASK_PAGES if endpoint == request.endpoint), None)
    return {"offline_text": client_text, "offline_task": task, "offline_pack": pack_for}


def init_app(app) -> None:
    """Register the blueprint and the footer helpers."""
    app.register_blueprint(bp)
    app.context_processor(status_context)
