"""Pages, fragments and JSON compressed (brotli, else gzip) when the client accepts it.

A dozen lines of our own rather than flask-compress: its 1.25 picks an encoding the client
refused with q=0 ("br;q=0"); werkzeug's Accept parser honours qualities. No secret is ever in a
page (no session, no token), so compressing answers that echo a query gives BREACH nothing."""
from __future__ import annotations

import gzip

import brotli
from flask import request

TYPES = {"text/html", "application/json", "application/manifest+json", "text/javascript",
         "text/plain"}
MIN_BYTES = 500          # below this the headers cost more than the saving
# Brotli 2: 0.4x the empty route on the bike page, 6% larger than 4 at 0.4 of its cost
# (bench/compress.py); 11 is for files compressed once (WhiteNoise's static files).
BROTLI_QUALITY = 2
GZIP_LEVEL = 6


def compress(response):
    """Compress a buffered answer of a text type, unless it already is or the client refuses."""
    if (response.direct_passthrough or response.is_streamed or response.status_code < 200
            or response.status_code in (204, 304) or "Content-Encoding" in response.headers
            or response.mimetype not in TYPES or "accept-encoding" in response.vary):
        return response          # (a view that already chose by Accept-Encoding: the packs)
    response.vary.add("Accept-Encoding")
    body = response.get_data()
    encoding = request.accept_encodings.best_match(["br", "gzip"])
    if len(body) < MIN_BYTES or encoding is None:
        return response
    if encoding == "br":
        packed = brotli.compress(body, quality=BROTLI_QUALITY)
    else:
        packed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    if response.get_etag()[0]:
        response.set_etag(f"{response.get_etag()[0]}-{encoding}", weak=True)
    return response


def init_app(app) -> None:
    """Compress after every other after-request hook (registered first, so it runs last)."""
    app.after_request_funcs.setdefault(None, []).insert(0, compress)
