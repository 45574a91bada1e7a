# Newsdesk: every command an editor, developer or operator needs.
# The first target is `help`; each target carries a `## description`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PIP_VERSION := 26.3
CONSTRAINTS := constraints.txt
RUN := PYTHONPATH=plugins $(PY)
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help html publish serve test lint format clean system-deps

help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- bootstrap ---------------------------------------------------------------
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install "pip==$(PIP_VERSION)"

$(VENV)/.site-installed: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) --group site
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) --group test
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-deps: ## Install the system packages the tests need (Chromium, Java, Node) when missing
	@bash tests/system_deps.sh

# --- the site ----------------------------------------------------------------
html: $(VENV)/.site-installed ## Build the site into output/ (atomically: a failed build keeps the old one)
	$(RUN) -m newsdesk_build -s $(SETTINGS) -o $(OUTPUT)

publish: $(VENV)/.site-installed ## Build the production site (publishconf.py) into output/
	$(RUN) -m newsdesk_build -s publishconf.py -o $(OUTPUT)

serve: $(VENV)/.site-installed ## Build, serve on http://localhost:8000 and rebuild on every change
	$(RUN) -m newsdesk_build.serve --port $(PORT) -s $(SETTINGS)

# --- quality -----------------------------------------------------------------
test: system-deps $(VENV)/.test-installed node_modules/.installed ## Install everything the tests need and run every test
	$(RUN) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed ## Check the Python code with ruff (lint and format)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.test-installed ## Format the Python code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the built site and caches (keeps .venv and node_modules)
	rm -rf $(OUTPUT) .output-staging-* .output-retired-* cache .pytest_cache .ruff_cache test-artifacts
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
