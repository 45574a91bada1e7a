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
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

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

serve: $(VENV)/.site-installed ## Build, serve on http://localhost:8000 (PORT=…) and rebuild on every change
	$(RUN) -m newsdesk_build.serve --port $(PORT) -s $(SETTINGS) -o $(OUTPUT)

# --- editors' workflow: scaffold, check, hooks (newsdesk_content) -------------
.PHONY: check new install-hooks

check: $(VENV)/.site-installed ## Check every article and page (no build); prints path:line: messages, exit 1 on errors
	$(RUN) -m newsdesk_content.check -s $(SETTINGS)

# The values reach the command through the environment, unexpanded ($(value …)), so
# quotes and dollar signs in a headline ("$5bn") arrive as typed.
new: export NEWSDESK_NEW_TITLE = $(value TITLE)
new: export NEWSDESK_NEW_SECTION = $(value SECTION)
new: export NEWSDESK_NEW_AUTHORS = $(value AUTHORS)
new: export NEWSDESK_NEW_TAGS = $(value TAGS)
new: $(VENV)/.site-installed ## New article: make new TITLE="…" SECTION=Armenia [AUTHORS="A, B"] [TAGS="a, b"]
	@$(RUN) -m newsdesk_content.new -s $(SETTINGS) --title "$$NEWSDESK_NEW_TITLE" \
		--section "$$NEWSDESK_NEW_SECTION" --authors "$$NEWSDESK_NEW_AUTHORS" --tags "$$NEWSDESK_NEW_TAGS"

$(VENV)/.hooks-installed: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) --group hooks
	@touch $@

install-hooks: $(VENV)/.site-installed $(VENV)/.hooks-installed ## Install the git pre-commit hook that refuses commits with content errors
	$(VENV)/bin/pre-commit install --install-hooks

# --- comments (Isso) ------------------------------------------------------------
# `make serve` and `make comments` run side by side, each in its own terminal: the
# preview on http://localhost:8000 embeds the live thread from Isso on
# http://localhost:8080 (COMMENTS_ISSO_URL in pelicanconf.py; Isso's settings are in
# plugins/newsdesk_comments/isso.cfg). Moderation is on: the Isso terminal prints each
# new comment with its activate link, and http://localhost:8080/admin/ lists them all
# (the password is printed at start; set ISSO_ADMIN_PASSWORD to choose one).
.PHONY: comments comments-backup

$(VENV)/.comments-installed: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) --group comments
	@touch $@

comments: $(VENV)/.comments-installed ## Run Isso for the preview on :8080 (beside `make serve`; moderation on)
	@mkdir -p var/comments
	@password="$${ISSO_ADMIN_PASSWORD:-$$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"; \
	echo "Isso: http://localhost:8080 for the preview on http://localhost:$(PORT) (make serve)"; \
	echo "Moderation: http://localhost:8080/admin/ (password: $$password); database: var/comments/"; \
	ISSO_ADMIN_PASSWORD="$$password" exec $(VENV)/bin/isso -c plugins/newsdesk_comments/isso.cfg run

comments-backup: $(VENV)/.site-installed ## Back up Isso's database to var/backups/comments-<timestamp>.db
	$(RUN) -m newsdesk_comments.backup var/comments/comments.db -o var/backups

# --- search (newsdesk_search) -------------------------------------------------
.PHONY: bench-search
BENCH_SEARCH_ARGS ?=

bench-search: $(VENV)/.test-installed ## Measure search: index time and size (demo, 10,000 articles), bytes of a first search
	$(RUN) -m newsdesk_search.bench $(BENCH_SEARCH_ARGS)

bench: bench-search

# --- You May Also Like (you_may_also_like) -----------------------------------
# `bench` runs every benchmark: another one joins with its own `bench: bench-x` line.
.PHONY: bench bench-related explain
BENCH_RELATED_ARGS ?=
ARTICLE ?=

bench: bench-related ## Run the benchmarks and print their tables

bench-related: $(VENV)/.site-installed ## Benchmark You May Also Like: speed and memory vs pelican-related-posts (1k-100k articles), precision@4
	$(RUN) -m you_may_also_like.bench $(BENCH_RELATED_ARGS)

explain: $(VENV)/.site-installed ## Show why an article gets its suggestions: make explain ARTICLE=<slug>
	$(RUN) -m you_may_also_like.explain -s $(SETTINGS) $(ARTICLE)

# --- build speed (newsdesk_build) ----------------------------------------------
# Our full build against vanilla Pelican and Hugo on the same synthetic archives:
# cold build, rebuild after one edit, rebuild after one new article (medians of 3).
# BENCH_BUILD_ARGS="--quick" for 1,000 articles and one run.
.PHONY: bench-build
BENCH_BUILD_ARGS ?=

$(VENV)/.bench-installed: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) --group bench
	@touch $@

bench: bench-build

bench-build: $(VENV)/.site-installed $(VENV)/.bench-installed ## Benchmark build speed: newsdesk vs vanilla Pelican vs Hugo at 1k, 10k, 20k articles
	$(RUN) -m newsdesk_build.bench $(BENCH_BUILD_ARGS)

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
	rm -rf $(OUTPUT) .output-staging-* .output-retired-* .output-spare-* cache .pytest_cache .ruff_cache test-artifacts
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
