# Amtsflow: `make run` serves the demo, `make test` runs the whole suite. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded set-up: plain HTTP on localhost, readable logs.
export AMTSFLOW_HTTPS ?= false
export AMTSFLOW_LOG_FORMAT ?= console

.PHONY: run test lint bench setup system-deps messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# System packages: gettext (translations) and Chromium (browser tests). Installed with apt-get when
# missing and possible; otherwise the affected step says what is missing.
system-deps:
	@bash scripts/system-deps.sh

# compilemessages errors out when there is no locale directory yet, so skip it then.
messages: $(STAMP) system-deps
	@if [ -z "$$(find src -type d -name locale -print -quit)" ]; then echo "No translation catalogues to compile."; \
	elif command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore '.venv/*' -v 0; \
	else echo "WARNING: msgfmt (gettext) missing: the UI stays English until it is installed."; fi

setup: $(STAMP) messages
	$(PY) manage.py migrate --noinput -v 0
	@PY=$(PY) bash scripts/install-rules.sh
	@bash scripts/build-frontend.sh
	$(PY) manage.py collectstatic --noinput -v 0

run: setup
	$(PY) manage.py load_demo
	@echo
	@echo "Amtsflow runs on http://$(HOST):$(PORT)/  (log in with one of the users above)"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: setup
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

# Every script in bench/ with its defaults. bench/processes.py measures PostgreSQL too when one answers on
# 127.0.0.1:5432 (in a database it creates and drops); otherwise it says so and measures SQLite only.
bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var
