# apresearch: `make report` renders every notebook into reports/; `make test` runs the checks.
# Both create .venv and install the package (editable, with the lab and test extras) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install report test lab validate benchmark clean help

help:
	@echo "make report     render every notebook with its defaults into reports/"
	@echo "make test       ruff + pytest (unit, data, render tests, nbval over notebooks/)"
	@echo "make lab        start JupyterLab on notebooks/"
	@echo "make validate   check data/ against the data contract"
	@echo "make benchmark  print import, load, graph and render timings"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test,cluster]'
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/apresearch render --manifest reports.toml
	@echo "Open $(CURDIR)/reports/index.html"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 tests notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

validate: $(STAMP)
	$(BIN)/apresearch validate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/tensions.py
	$(BIN)/python benchmarks/importers.py
	$(BIN)/python benchmarks/panels.py

clean:
	rm -rf reports
