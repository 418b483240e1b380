"""Flask-Babel: French source and default; English, Arabic, Spanish, Ukrainian complete; the visitor may switch."""
from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask import request
from flask_babel import Babel

from . import translation

from .languages import LANG_COOKIE, LANGUAGES as LANGUAGES  # the lists live below i18n and kiosk


def select_locale() -> str:
    """The language cookie if valid, else the best Accept-Language match, else French."""
    from flask import current_app

    from .kiosk import current
    kiosk = current()
    supported = list(kiosk.languages) if kiosk else current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in supported:
        return chosen
    if kiosk:       # the screen's browser language says nothing about the person in front of it
        return supported[0]
    return request.accept_languages.best_match(supported) or supported[0]


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """A language's name in itself: "français", "English" (cached: every page lists five)."""
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


def text_direction() -> str:
    """"rtl" for Arabic, "ltr" otherwise: from Babel's locale data, not a list of our own."""
    return _direction(translation.language())


@lru_cache(maxsize=64)
def _direction(code: str) -> str:
    return Locale.parse(code).text_direction


def init_app(app) -> None:
    """Wire Babel and expose the locale to templates."""
    Babel(app, locale_selector=select_locale)
    translation.install(app.jinja_env)    # replaces Flask-Babel's per-call lookups (issue 12)

    @app.after_request
    def vary_on_language(response):
        # Pages speak the language chosen by the cookie or Accept-Language: no shared cache may
        # hand a French page to an English reader.
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response
    app.jinja_env.globals.update(get_locale=translation.locale, language_name=language_name,
                                text_direction=text_direction)
