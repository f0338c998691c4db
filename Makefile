# Two entry points: `make demo` and `make check`. Both build .venv from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo check lint types test docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs,dev,batch,dask,plot]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/flexsecure demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy --strict src tests benchmarks examples

test: $(STAMP)
	$(BIN)/pytest -q

check: lint types test docs

docs: $(STAMP)
	$(BIN)/sphinx-build -q -W -b html docs docs/_build/html
	$(BIN)/sphinx-build -q -W -b doctest docs docs/_build/doctest

bench: $(STAMP)
	$(BIN)/python benchmarks/contributions.py
	$(BIN)/python benchmarks/pensions.py
	$(BIN)/python benchmarks/remittance.py
	$(BIN)/python benchmarks/sg_contributions.py

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .ruff_cache
