# The two commands of the README: `make site` (build, then `make serve` to preview) and `make test`.
# Both create .venv on first use; nothing else needs to be installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
# MkDocs stamps sitemap.xml with the build date; take it from the last commit so two builds of
# the same commit are byte-identical (never the clock).
export SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: site serve test fuzz check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The site is built into a temporary folder and swapped in only when the build succeeds,
# so a failed build leaves the last good site/ in place.
site: $(STAMP)
	$(BIN)/evidence build
	rm -rf .site.tmp
	# No --quiet: it hides the warnings that --strict counts, and the build would then pass them.
	$(BIN)/mkdocs build --strict --site-dir .site.tmp
	# Site search: Pagefind indexes the built pages into .site.tmp/pagefind/ (pagefind.yml).
	$(BIN)/evidence search-index .site.tmp
	# A claim page at 390 and 1280 px and printed, linked from the Performance page (when a
	# browser is at hand; otherwise the folder says why). Never committed: made from this build.
	$(BIN)/python tools/screenshots.py .site.tmp
	rm -rf .site.old; if [ -d site ]; then mv site .site.old; fi; mv .site.tmp site; rm -rf .site.old

# The preview builds the site itself (once, in full, then only the pages each edit reaches),
# so it does not wait for `make site` first; it is served at its own address (the engine sets
# site_url to it), with the site search indexed after each full build and, in the background,
# after each edit.
serve: $(STAMP)
	$(BIN)/evidence serve --host $(HOST) --port $(PORT)

check: $(STAMP)
	$(BIN)/evidence check

lint: $(STAMP)
	$(BIN)/ruff check build_tools tests benchmarks tools

# The fuzzing cases `make test` runs per target; `make fuzz` (the weekly workflow) runs 10,000.
FUZZ_EXAMPLES ?= 2000

# One pytest run on every core, the fuzzing included (-m "" lifts the default "not slow").
test: $(STAMP)
	$(BIN)/ruff check build_tools tests benchmarks tools
	$(BIN)/evidence check --strict
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n auto -m ""

fuzz: $(STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -n auto -q -m slow tests/test_fuzz.py tests/test_effects_fuzz.py

clean:
	rm -rf site .pytest_cache
