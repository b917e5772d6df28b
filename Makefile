# Gongkai — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run dev test setup setup-dev system-deps system-deps-test lint messages pdf-fonts prod-check clean wheel

run: setup messages pdf-fonts
	@bash scripts/run.sh

# The same with Django's debug pages and auto-reload (for developers).
dev: setup messages pdf-fonts
	@DEBUG=true bash scripts/run.sh

test: setup-dev messages
	@bash scripts/test.sh

# Debian packages: CJK fonts (PDF letters and reports), gettext (translations), LibreOffice
# without GUI (DOCX/XLSX response documents converted to PDF).
system-deps:
	@bash scripts/system_deps.sh run

# ...plus Debian's chromium (browser tests) and PostgreSQL (the second test engine).
system-deps-test:
	@bash scripts/system_deps.sh test

$(VENV)/.installed-run: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip
	@$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip
	@$(BIN)/pip install -q -e ".[dev]"
	@touch $@ $(VENV)/.installed-run

setup: system-deps $(VENV)/.installed-run
setup-dev: system-deps-test $(VENV)/.installed-dev

# The release wheel (dist/gongkai-<version>-py3-none-any.whl), translations compiled in.
wheel: setup-dev
	@bash scripts/build_wheel.sh dist

messages:
	@$(BIN)/gongkai compilemessages --ignore=.venv --ignore=var -v 0

# The PDF exports' CJK faces cut down to GB2312 once (var/fonts; existing files are kept).
pdf-fonts:
	@$(BIN)/gongkai report pdf-fonts

# Production readiness: Django's deployment checks plus ours (secret key from the environment,
# DEBUG off, HTTPS and HSTS, database reachable, calendar for this year and the next).
prod-check: setup
	@DEBUG=false $(BIN)/gongkai check --deploy --fail-level WARNING

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
