"""Register every blueprint: pages first, then one per task."""
from .pages import bp as pages_bp
from .tasks.bike import bp as bike_bp
from .tasks.cool import bp as cool_bp
from .tasks.mobility import bp as mobility_bp
from .tasks import TASK_PAGES
from .tasks.recycle import bp as recycle_bp


def init_app(app) -> None:
    """Attach blueprints and template helpers."""
    from . import cards, filters, kiosk, offline, pictos
    offline.init_app(app)              # /sw.js, manifest, offline page, packs (issue 5)
    kiosk.init_app(app)                # kiosk profiles, attract screen, reset (issue 11)
    app.register_blueprint(pages_bp)
    app.register_blueprint(bike_bp)
    app.register_blueprint(recycle_bp)
    app.register_blueprint(cool_bp)
    app.register_blueprint(mobility_bp)
    app.jinja_env.globals["TASK_PAGES"] = TASK_PAGES
    filters.init_app(app)
    pictos.init_app(app)               # SVG pictograms instead of emoji (issue 11)
    cards.init_app(app)                # rendered result cards, cached (issue 12)
