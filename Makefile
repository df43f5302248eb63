# Two commands do everything on a fresh machine:
#   make run    the product with demo data on embedded defaults (SQLite, in-memory channel layer, log push transport)
#   make test   the test suite (SQLite; set DATABASE_URL / REDIS_URL to run it against PostgreSQL and Redis)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run test lint bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	PORT=$(PORT) PY=$(PY) scripts/run.sh

test: install
	$(PY) -m pytest -n 2 --dist loadfile -q -m "not solo"
	$(PY) -m pytest -q -m solo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
