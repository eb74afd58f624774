# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make demo   build the demo store if missing and serve the dashboard on http://127.0.0.1:8050
#   make test   install test dependencies (and Chromium where possible) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pingan demo

# Two workers: the browser tests on one of them in turn (tests/browser/conftest.py), the rest on both.
test: $(STAMP)
	scripts/ensure-system-packages.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check geo dashboard pingan_cli tests bench
	$(BIN)/mypy

bench: $(STAMP)
	test -f var/pingan-demo.gpkg || $(BIN)/pingan demo build
	$(BIN)/python -m bench.join
	$(BIN)/python -m bench.index --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.dashboard --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.store_write --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.coverage --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.routes --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.planner --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.store_backends --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.open311 --store var/pingan-demo.gpkg
	$(BIN)/python -m bench.batch
	$(BIN)/python -m pip install --quiet -e '.[load]'
	$(BIN)/python -m bench.load --store var/pingan-demo.gpkg

clean:
	rm -rf $(VENV) var artifacts .pytest_cache
