# Two entry points that work on a fresh machine with only python3 and make:
#   make dev   -- create .venv, install, run a development node
#   make test  -- create .venv, install with the test extra, run the suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: dev test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

dev: $(STAMP)
	@if $(BIN)/subtensor node --help >/dev/null 2>&1; then \
		$(BIN)/subtensor node --dev; \
	else \
		echo "no dev node yet: showing the CLI"; $(BIN)/subtensor --help; \
	fi

lint: $(STAMP)
	$(BIN)/lint-imports

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
