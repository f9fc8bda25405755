# One entry point for every task. `make site` and `make test` set up
# everything they need on a fresh machine (Python venv, pinned packages,
# a pip-installed Graphviz `dot`, Chromium for the browser tests).

PYTHON  ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
export NO_MKDOCS_2_WARNING := 1
export SOURCE_DATE_EPOCH ?= 1767225600
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help venv dev site serve validate bench test js-deps test-fast test-site browser-deps lint fmt check schemas golden clean kb-check kb-fmt

help:  ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(BIN)/.runtime: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(PY) -m pip install --quiet --no-deps -e .
	ln -sf graphviz-pure $(BIN)/dot
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.runtime  ## Create .venv with the pinned runtime packages

dev: $(BIN)/.dev  ## Create .venv with runtime and development packages

validate: venv  ## Validate the knowledge base (strict)
	$(PY) -m generator validate --strict

KB_FORMAT ?= text

kb-check: dev  ## Contributor checks on kb/: validate, canonical form, review lint, yamllint
	@status=0; \
	echo "== validate: schema and links between entries"; \
	$(PY) -m generator validate --strict --format $(KB_FORMAT) || status=1; \
	echo "== fmt --check: canonical form (fix: python -m generator fmt FILE)"; \
	$(PY) -m generator fmt --check --format $(KB_FORMAT) || status=1; \
	echo "== lint: review quality (warnings do not fail)"; \
	$(PY) -m generator lint --format $(KB_FORMAT) || status=1; \
	echo "== yamllint"; \
	$(BIN)/yamllint -s -f $(if $(filter github,$(KB_FORMAT)),github,auto) kb || status=1; \
	if [ $$status = 0 ]; then echo "kb-check: all checks passed"; else echo "kb-check: FAILED (see above)"; fi; \
	exit $$status

kb-fmt: venv  ## Rewrite kb/ entries in the canonical form (keeps comments)
	$(PY) -m generator fmt

site: venv  ## Validate the KB, then build the site into site/ (swapped in only if the build succeeds)
	$(PY) -m generator validate --strict
	$(PY) -m generator site --strict

serve: venv  ## Live preview at http://127.0.0.1:8000 (rebuilds only the pages a KB edit changes)
	KB_SERVE_INCREMENTAL=1 $(BIN)/mkdocs serve --dirty --no-strict

BENCH_SCALES ?= 1,10,30
BENCH_ROUNDS ?= 3

bench: dev  ## Benchmark every stage against its floor at 1x, 10x, 30x (BENCH_SCALES=1,10 BENCH_ROUNDS=3); table + .bench/results.json
	$(PY) benchmarks/bench.py --scales $(BENCH_SCALES) --rounds $(BENCH_ROUNDS)

browser-deps:  ## Install Debian's Chromium (and poppler-utils, to read printed PDFs) for the browser tests, if missing
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  echo "installing chromium, poppler-utils (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation poppler-utils >/dev/null; }

js-deps:  ## Install Debian's Node.js (runs the builder page's script against the CLI in the tests), if missing
	@command -v node >/dev/null 2>&1 || { \
	  echo "installing nodejs (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

test: dev browser-deps js-deps  ## Run the whole test suite: unit and CLI, then site builds, browser tests last
	$(PY) -m pytest

test-fast: dev js-deps  ## The edit loop: unit and CLI tests only (no MkDocs build, no browser; well under 30 s)
	$(PY) -m pytest -q -m "not site and not browser"

test-site: dev  ## The site tier: tests that run a MkDocs build (no browser)
	$(PY) -m pytest -q -m "site and not browser"

lint: dev  ## Format check, ruff, mypy (strict on generator/) and the import contracts (layers, no cycles)
	$(BIN)/ruff format --check generator tests
	$(BIN)/ruff check generator tests
	$(BIN)/mypy generator
	$(BIN)/lint-imports --no-cache --no-logo

fmt: dev  ## Reformat the Python code
	$(BIN)/ruff format generator tests
	$(BIN)/ruff check --fix generator tests

golden: dev  ## Refresh the golden output tree (tests/golden/) after an intended change
	UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

schemas: venv  ## Regenerate the JSON Schemas in schemas/
	$(PY) -m generator schema

check: lint test  ## Everything CI runs: format, lint, types, tests

clean:  ## Remove build output and caches
	rm -rf site .site-* .bench .cache .pytest_cache .mypy_cache .ruff_cache test-artifacts
