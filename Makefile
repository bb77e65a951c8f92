# Xiangyue (乡约). `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run; CI fails if it cannot be reached.
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=

.PHONY: help install browser run test test-sqlite test-postgres e2e lint format messages bench clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here),
# with Chinese fonts so that screenshots show the text as phones do.
browser: ## Install Debian's chromium and Chinese fonts for the browser tests
	@if [ -x /usr/bin/chromium ] && fc-list :lang=zh 2>/dev/null | grep -q .; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	$$sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/dev/null \
	|| { $$sudo apt-get update >/dev/null && \
	     $$sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/dev/null; }

run: $(STAMP) ## Start the site with a demo township on SQLite at http://127.0.0.1:8000 (or HOST=, PORT=)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	$(PY) manage.py db_worker --verbosity 0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py demo_accounts --address $(HOST):$(PORT); \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) ## Run every test: on SQLite, then on PostgreSQL, then in Chromium
	$(MAKE) --no-print-directory test-sqlite
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.replace('postgres://','postgresql://',1), connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL): CI needs it." >&2; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(PG_URL): skipped the PostgreSQL run."; \
	fi
	$(MAKE) --no-print-directory e2e

test-sqlite: $(STAMP) ## Run the tests on SQLite only (browser tests aside)
	$(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

test-postgres: $(STAMP) ## Run the tests on PostgreSQL only (PG_URL; browser tests aside)
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -m "not browser" $(if $(CI),--create-db,--reuse-db) $(PYTEST_ARGS)

# One at a time: each journey runs a live server and several Chromium processes.
e2e: $(STAMP) browser ## Whole journeys in Chromium at a phone's size (screenshots in test-artifacts/e2e)
	$(PY) -m pytest -p no:xdist -m browser tests/e2e $(PYTEST_ARGS)

lint: $(STAMP) ## ruff, Django's checks, and no missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP) ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP) ## Refresh the zh_Hans catalogue from the code, then compile it
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# BENCH picks some, by name: make bench BENCH="shop mixed" (default: all of them).
BENCH ?=
bench: $(STAMP) ## Run every benchmark (BENCH="mixed shop" for some) and print one table
	@mkdir -p bench/results; ran=; failed=; \
	for b in $(if $(BENCH),$(foreach n,$(BENCH),bench/bench_$(n).py),bench/bench_*.py); do \
		test -f $$b || { echo "no benchmark $$b" >&2; exit 2; }; \
		n=$$(basename $$b .py); ran="$$ran $$n"; rm -f bench/results/$$n.json; \
		echo "== $$b"; $(PY) $$b || failed="$$failed $$n"; \
	done; \
	$(PY) bench/summary.py --ran "$$ran" --failed "$$failed"; \
	test -z "$$failed"

clean: ## Remove the virtualenv, the SQLite database and media
	rm -rf $(VENV) db.sqlite3 media .pytest_cache
