# Près d'ici — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run test test-fast browser-deps translations i18n-update bench bench-deps clean

# Debian and Ubuntu ship the venv module apart (python3-venv): install it when it is missing.
$(STAMP): pyproject.toml
	@python3 -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv; }
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Compiled catalogues are build products (.mo is not committed).
translations: $(STAMP)
	$(VENV)/bin/pybabel compile -d translations

install: $(STAMP) translations

## Run the app on its embedded real data (no network needed): http://127.0.0.1:8000
run: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

# Browser tests need Debian's Chromium (never a downloaded browser) and axe-core from npm;
# the benchmark smoke test needs wrk.
browser-deps:
	@{ command -v $(CHROMIUM) && command -v wrk; } >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium wrk; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund

## The whole test suite, browser tests included.
test: install browser-deps
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not browser"

## After changing user-facing strings: extract them and update the catalogues.
i18n-update: $(STAMP)
	$(PY) tools/i18n.py update
	$(PY) tools/i18n.py missing || echo "Translate the msgids above (tools/i18n.py todo LANG, then fill LANG FILE.json)"

bench-deps:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }

## Benchmarks (see bench/README.md).
bench: install bench-deps
	$(PY) bench/nearest.py
	$(PY) bench/http_load.py
	$(PY) bench/search.py
	$(PY) bench/cool.py
	$(PY) bench/pack.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
