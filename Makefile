# Près d'ici — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium

.PHONY: transit-arrays install run test test-fast browser-deps node-deps translations i18n-update bench bench-deps lighthouse clean

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

# The transit arrays of the embedded GTFS feeds, built once into build/transit (docs/transit.md).
transit-arrays: $(STAMP)
	$(VENV)/bin/flask --app wsgi transit status

# Static files with hashed names, gzip and brotli variants (build/static, see webapp/assets.py);
# the app rebuilds them at start if static/ changed since.
build/static.json: $(STAMP) $(shell find static -type f)
	$(PY) -m webapp.assets

install: $(STAMP) translations transit-arrays build/static.json

## Run the app on its embedded real data (no network needed): http://127.0.0.1:8000
run: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

# Browser tests need Debian's Chromium (never a downloaded browser) and axe-core from npm;
# the benchmark smoke test needs wrk; the two-host test starts Debian's redis-server itself
# (its own port and folder: no system service is used or needed, `make run` needs none).
browser-deps: node-deps
	@{ command -v $(CHROMIUM) && command -v wrk && command -v redis-server; } >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium wrk redis-server; }

# axe-core (browser tests), Lighthouse and puppeteer-core (make lighthouse), exactly as locked;
# again whenever package-lock.json changes.
node-deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## The whole test suite, browser tests included.
test: install browser-deps
	$(PY) -m pytest

# Without the browser tests; the shared-state tests still start Debian's redis-server.
test-fast: install
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server; }
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
	$(PY) bench/render.py
	$(PY) bench/limiter.py
	$(PY) bench/http_load.py
	$(PY) bench/search.py
	$(PY) bench/cool.py
	$(PY) bench/mobility.py
	$(PY) bench/addresses.py
	$(PY) bench/pack.py
	$(PY) bench/transit.py

## Lighthouse (mobile) on every task page, empty and with an answer, 3 runs each (bench/README.md).
lighthouse: install browser-deps
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache build
