"""Errors are pages too: translated, with the same headers, never a stack trace."""
from __future__ import annotations

import traceback

from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from .limits import retry_after_seconds
from .rendering import render


def init_app(app) -> None:
    """Register handlers for HTTP errors and anything unexpected."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            404: _("Cette page n'existe pas."),
            405: _("Cette action n'est pas possible ici."),
            413: _("La demande est trop grande."),
            429: _("Beaucoup de demandes sont arrivées d'ici en peu de temps. Merci de patienter "
                   "un petit moment, puis réessayez : la page répondra de nouveau."),
        }
        message = messages.get(exc.code, _("La demande n'a pas pu être traitée."))
        response = render("errors/error.html", status=exc.code or 400, block="results",
                          code=exc.code, message=message)
        # Keep what the exception says about the protocol (Allow on a 405, Retry-After...),
        # but not its own Content-Type: the body is our page.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        if exc.code == 429:
            response.headers["Retry-After"] = str(retry_after_seconds())
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # Frames and the exception type only: an exception's message may quote user input.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        app.logger.error("unexpected %s\n%s", type(exc).__name__, frames)
        # An htmx request gets the fragment, so the message lands where the results were.
        return render("errors/error.html", status=500, block="results", code=500,
                      message=_("Une erreur est survenue de notre côté. Réessayez dans un moment."))
