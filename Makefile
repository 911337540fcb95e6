# Two commands on a fresh machine with python3 and make:  make demo  |  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test test-quick build clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test,cluster]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

demo: $(STAMP)  ## the whole course lifecycle on a simulated class (scratch course in demo-course/)
	$(BIN)/psets demo

test: $(STAMP)  ## every test: unit tables and end-to-end runs through real nbgrader
	$(BIN)/python -m pytest

test-quick: $(STAMP)  ## unit tests only (under a minute)
	$(BIN)/python -m pytest -m "not e2e" -n 0

build: $(STAMP)  ## lint source/, regenerate release/, rebuild answer keys
	$(BIN)/psets build

clean:
	rm -rf $(VENV) demo-course .psets gradebook.db exchange
