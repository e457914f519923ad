# Set-up and everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BENCH_INSTALLED := $(VENV)/.bench-installed
# Runs a command with the local Neo4j up, and stops the server afterwards if it started it.
WITH_NEO4J := LIVEKG=$(BIN)/livekg bash .ci/with-neo4j
# setuptools tells every editable install to beware of folders named like the package; here
# the livekg/ folder IS the package (and graph/, api/… are mapped into it), so that notice
# says nothing about this project. Only that message is silenced; other warnings still show.
EDITABLE_QUIET := PYTHONWARNINGS="ignore:Editable installation"

.PHONY: setup run test lint typecheck browser-deps bench bench-quick bench-deps neo4j-start neo4j-stop \
	notebooks clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

setup: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(EDITABLE_QUIET) $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## The main job on the embedded default (no database server): load the bundled documents,
## print stats, serve the front door at http://127.0.0.1:8000/ (`livekg serve` prints the
## landing page, every view, /docs, /redoc and /cookbook).
run: setup
	$(BIN)/livekg load
	$(BIN)/livekg stats
	$(BIN)/livekg serve

## The whole suite. Neo4j tests use NEO4J_URI if set, else the local server: started for the
## run and stopped after it, unless it was already running.
test: setup browser-deps
	$(BIN)/ruff check .
	bash .ci/typecheck
	$(WITH_NEO4J) $(BIN)/python -m pytest

## Debian's Chromium (browser tests of the visualizations) and a CJK font (Chinese labels).
browser-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium fonts-noto-cjk; \
	fi

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	bash .ci/typecheck

$(BENCH_INSTALLED): $(INSTALLED)
	$(EDITABLE_QUIET) $(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_INSTALLED)

## Benchmarks (they wipe the local Neo4j's database): `make bench` scores the real-plan corpus
## (`livekg evaluate tests/corpus`), then rewrites BENCHMARKS.md (~16 min, its "Real-plan
## corpus" section included); `make bench-quick` prints the table only (under two minutes).
bench: $(BENCH_INSTALLED) browser-deps bench-deps
	$(BIN)/livekg evaluate tests/corpus
	$(WITH_NEO4J) $(BIN)/python -m bench

bench-quick: $(BENCH_INSTALLED) browser-deps bench-deps
	$(WITH_NEO4J) $(BIN)/python -m bench --quick

## wrk, the loopback load generator (without it a slower Python client is used).
bench-deps:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q wrk; }

## JupyterLab on the analyst notebooks, from the project's virtual environment.
notebooks: setup
	$(EDITABLE_QUIET) $(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	$(BIN)/jupyter lab notebooks/

neo4j-start: setup
	$(BIN)/livekg neo4j start

neo4j-stop: setup
	$(BIN)/livekg neo4j stop

clean:
	rm -rf $(VENV) .cache .neo4j data/store .pytest_cache .ruff_cache
