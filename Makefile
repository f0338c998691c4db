# Two entry points: `make demo` and `make check`. Both build .venv from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo check lint types test docs bench catalogs clean

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

# Texts: extract the marked texts and formulas into each domain's template, then merge the
# templates into every locale's .po (translators edit only the .po files; they are compiled on
# first use, so no build step is needed). tests/test_catalogs.py fails until this has run.
CORE_LOCALE := src/flexsecure/i18n/locale
CN_LOCALE   := src/flexsecure/jurisdictions/cn/locale
SG_LOCALE   := src/flexsecure/jurisdictions/sg/locale
EXTRACT     := $(BIN)/pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output \
               --project=flexsecure --copyright-holder="flexsecure developers"
catalogs: $(STAMP)
	$(EXTRACT) --ignore-dirs="jurisdictions __pycache__" -o $(CORE_LOCALE)/flexsecure.pot src/flexsecure
	$(EXTRACT) --ignore-dirs="__pycache__" -o $(CN_LOCALE)/flexsecure_cn.pot src/flexsecure/jurisdictions/cn
	$(EXTRACT) --ignore-dirs="__pycache__" -o $(SG_LOCALE)/flexsecure_sg.pot src/flexsecure/jurisdictions/sg
	$(BIN)/pybabel -q update --ignore-obsolete -D flexsecure -i $(CORE_LOCALE)/flexsecure.pot -d $(CORE_LOCALE)
	$(BIN)/pybabel -q update --ignore-obsolete -D flexsecure_cn -i $(CN_LOCALE)/flexsecure_cn.pot -d $(CN_LOCALE)
	$(BIN)/pybabel -q update --ignore-obsolete -D flexsecure_sg -i $(SG_LOCALE)/flexsecure_sg.pot -d $(SG_LOCALE)

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .ruff_cache
