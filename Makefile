# Two commands do everything (see README.md):  make run  ·  make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CATALOGS := $(patsubst %.po,%.mo,$(wildcard platform/eurzad/translations/*/LC_MESSAGES/messages.po))
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install messages clean mutation

run: install
	@$(BIN)/eurzad init
	@$(BIN)/eurzad demo
	@echo
	@echo "eurzad is starting at http://$(HOST):$(PORT)/  (stop it with Ctrl+C)"
	@$(BIN)/eurzad run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP) $(CATALOGS)

# The virtual environment, with the app installed in editable mode. On a fresh Debian machine the
# venv module comes in the python3-venv package: installed here when running as root.
$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "eurzad needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "Python's venv module is missing: sudo apt-get install python3-venv"; exit 1; fi; }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# Mutation test of the engine, access.py and the operations, by hand like the benchmarks (never in
# `make test` or CI; about an hour): see docs/testing.md. MUTATION_SAMPLE=all tests every mutant.
mutation: install
	mutation/run.sh

# After changing user-visible strings: refresh the catalog, then translate the new entries in the .po.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k _l -k lazy_gettext --no-location --sort-output \
	  --omit-header -o platform/eurzad/translations/messages.pot .
	$(BIN)/pybabel -q update -N -w 100 -i platform/eurzad/translations/messages.pot \
	  -d platform/eurzad/translations

clean:
	rm -rf $(VENV) platform/*.egg-info $(CATALOGS)
