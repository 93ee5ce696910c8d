# The two commands of the README are `make run` and `make test`; the rest are their parts.
PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
# Only the tests need these: Chromium for the browser tests, LibreOffice Calc to save a workbook
# export again as ministries do in their spreadsheet program.
TEST_SYSTEM_PACKAGES := chromium libreoffice-calc-nogui
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests run in two processes (pytest-xdist), one per core of the machines CI runs on; a test
# file stays in one of them, so that its module-wide set-up (a browser test's demo country) is
# built once. `make test PYTEST_ARGS=` runs them in one process.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run test bench loadtest system-deps test-deps install messages

# The settings fail closed (DEBUG off unless set); development and the tests turn it on here.
run test bench install: export DEBUG = true

run: install
	DEMO_MODE=1 $(MANAGE) migrate --noinput
	DEMO_MODE=1 $(MANAGE) loaddata iamm lenses regional_processes
	DEMO_MODE=1 $(MANAGE) seed_demo
	DEMO_MODE=1 $(MANAGE) render_blank_questionnaires --queue
	@# The PDF worker runs beside the server and stops with it (Ctrl+C stops both).
	DEMO_MODE=1 nice -n 19 $(MANAGE) db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEMO_MODE=1 $(MANAGE) runserver $(HOST):$(PORT)

# makemessages refreshes the catalogues from the code, so a string added without its French and
# Spanish translations (or left fuzzy) fails here; content fields are checked by the tests.
test: install test-deps
	$(MANAGE) makemessages -l fr -l es --ignore=.venv --ignore=node_modules --ignore=tests --no-location -v 0
	$(MANAGE) check_translations --no-content
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m tests.bench

# Simulated officials against gunicorn on the local PostgreSQL (127.0.0.1 only, bounded).
loadtest: install
	$(PY) -m tests.loadtest

system-deps:
	@./scripts/ensure-system-packages $(SYSTEM_PACKAGES)

test-deps: node_modules/.installed
	@./scripts/ensure-system-packages $(TEST_SYSTEM_PACKAGES)

# The virtualenv is rebuilt when pyproject.toml changes; the stamp file records the last install.
# var/ holds the embedded SQLite database and uploads; every manage.py command may open the
# database (the system checks do, for JSON fields), so it exists before any of them runs.
install: system-deps $(VENV)/.installed messages | var

var:
	mkdir -p var

$(VENV)/.installed: pyproject.toml
	@command -v python$(PYTHON_VERSION) >/dev/null 2>&1 || { echo "Python $(PYTHON_VERSION) is required (see .python-version)." >&2; exit 1; }
	test -x $(PY) || python$(PYTHON_VERSION) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e . --group dev
	touch $@

# axe-core, which the browser tests (tests/e2e) inject into every page, at the version that
# package-lock.json pins.
node_modules/.installed: package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is required (for axe-core, used by tests/e2e)." >&2; exit 1; }
	npm ci --silent --no-audit --no-fund
	touch $@

# Catalogues are compiled at build time; the .po files are the only source.
messages: $(VENV)/.installed
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(MANAGE) compilemessages --ignore=.venv -v 0; fi
