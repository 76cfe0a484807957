# apresearch: `make report` renders every notebook into reports/; `make test` runs the checks.
# Both create .venv and install the package (editable, with the lab and test extras) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# JupyterLab refuses to start as root unless told; containers often run as root
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install report test lab validate benchmark mutation screenshots clean help

help:
	@echo "make report       render every report of reports.toml into reports/"
	@echo "make test         ruff + import layers + pytest (unit, data, render, nbval over notebooks/)"
	@echo "make lab          start JupyterLab on notebooks/"
	@echo "make validate     check data/ against the data contract"
	@echo "make benchmark    print analysis, load, panel, tension, importer and render timings"
	@echo "make mutation     mutation testing of the analysis modules (slow; prints the score)"
	@echo "make screenshots  render a few reports and write screenshots to reports/_screenshots/"

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
	$(BIN)/lint-imports
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=300 tests notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

validate: $(STAMP)
	$(BIN)/apresearch validate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/tensions.py
	$(BIN)/python benchmarks/importers.py
	$(BIN)/python benchmarks/panels.py
	$(BIN)/python benchmarks/render.py

mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf reports mutants
