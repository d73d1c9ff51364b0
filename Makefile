# gisserver: the two commands of the README's Quick start are `make demo` and `make test`.
# Both set up everything they need (system packages when missing, a virtualenv, the package).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: setup system-deps demo db serve test lint format bench bench-quick clean-db

setup: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/install-system-deps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# Starts (or reuses) the private PostGIS cluster in var/, migrates, loads the bundled demo data
# and serves until Ctrl-C, with the worker (alert rules, webhooks) beside it, stopped when serve
# ends.
# With DATABASE_URL set, that database is used instead.
demo: setup
	$(BIN)/gisserver db start
	$(BIN)/gisserver db migrate
	$(BIN)/gisserver etl run etl/demo.yaml
	$(BIN)/gisserver worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gisserver serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

serve: setup
	$(BIN)/gisserver serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check gisserver tests etl bench
	$(BIN)/ruff format --check gisserver tests etl bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format gisserver tests etl bench
	$(BIN)/ruff check --fix gisserver tests etl bench

bench: setup
	$(BIN)/python -m bench.run --size full

bench-quick: setup
	$(BIN)/python -m bench.run --size quick

clean-db:
	-$(BIN)/gisserver db stop
	rm -rf var/pg
