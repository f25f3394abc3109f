# The two commands of the README: `make site` (build, then `make serve` to preview) and `make test`.
# Both create .venv on first use; nothing else needs to be installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/evidence build
	$(BIN)/mkdocs build --strict --quiet

serve: site
	$(BIN)/evidence serve --host $(HOST) --port $(PORT)

check: $(STAMP)
	$(BIN)/evidence check

lint: $(STAMP)
	$(BIN)/ruff check build_tools tests benchmarks

test: $(STAMP)
	$(BIN)/ruff check build_tools tests benchmarks
	$(BIN)/evidence check
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
