"""Signed kiosk URLs: the token of /kiosque/s/<token> and the cookie it leaves on the screen."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .profiles import KioskError, Profile

COOKIE = "kiosque"          # a signed profile id, for a screen opened with a signed URL
SALT = "presdici-kiosk"


def _signer() -> URLSafeSerializer | None:
    secret = current_app.config.get("SECRET_KEY")
    return URLSafeSerializer(secret, salt=SALT) if secret else None


def signed_url_token(profile_id: str) -> str:
    """The token of /kiosque/s/<token> for a profile (needs the app's SECRET_KEY)."""
    signer = _signer()
    if signer is None:
        raise KioskError("a signed kiosk URL needs PRESDICI_SECRET_KEY")
    return signer.dumps(profile_id)


def profile_from_token(token: str | None) -> Profile | None:
    """The usable profile a token names, or None (no token, no secret, bad signature)."""
    signer = _signer()
    if not token or signer is None:
        return None
    try:
        profile_id = signer.loads(token)
    except BadSignature:
        return None
    return current_app.extensions["presdici.kiosks"].get(profile_id)
