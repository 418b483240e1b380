"""The app's languages and the cookie that keeps a visitor's choice (no Flask, no Babel here)."""

LANG_COOKIE = "lang"
# French first (the source and the default); tools/i18n.py keeps a catalogue for each other one.
LANGUAGES = ["fr", "en", "ar", "es", "uk"]
