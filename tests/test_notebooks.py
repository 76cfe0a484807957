"""Notebooks follow the house skeleton, are stored clean, and stop early on bad parameters."""

from __future__ import annotations

import ast

import nbformat
import papermill as pm
import pytest
from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
HEADINGS = ["## Overview", "## Data used", "## Summary", "## What's next", "## Sources"]


def test_catalogue_present():
    assert [p.stem for p in NOTEBOOKS] == [
        "00-overview", "01-actors", "02-alliances", "03-exercises", "04-defence-diplomacy",
        "05-tensions", "06-capabilities", "07-country-profile", "08-dyad", "09-scenarios"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs (run nbstripout)"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    h1 = [line for line in text.splitlines() if line.startswith("# ")]
    assert len(h1) == 1, f"{path.name}: exactly one H1 title"
    for heading in HEADINGS:
        assert heading in text, f"{path.name}: missing '{heading}'"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    # plain literals only: every statement assigns a literal to a name
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.Assign), f"{path.name}: parameters cell has {node!r}"
        ast.literal_eval(node.value)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0] is params[0], f"{path.name}: the parameters cell comes first"
    assert "apr.versions(" in code[-1].source, f"{path.name}: last cell records versions"
    for c in code:
        assert "sys.path" not in c.source and "pip install" not in c.source


@pytest.mark.parametrize(
    ("notebook", "parameters", "message"),
    [
        ("02-alliances", {"year": 1850}, "year=1850 is outside the data's coverage; valid years"),
        ("02-alliances", {"kinds": ["alliance"]}, "unknown value(s) 'alliance'; valid: "),
        ("01-actors", {"year": "2020"}, "year='2020' is not a whole year"),
        ("03-exercises", {"start": 2020, "end": 2010}, "start=2020 is after end=2010"),
        ("04-defence-diplomacy", {"start": 1990}, "start=1990 is outside the data's coverage"),
        ("05-tensions", {"theatre": "Yellow Sea"}, "theatre='Yellow Sea' is not valid; valid: "
                                                  "'all', 'South China Sea'"),
        ("05-tensions", {"start": 2020, "end": 2019}, "start=2020 is after end=2019"),
        ("06-capabilities", {"countries": ["CHN", "ATL"]}, "countries has unknown value(s) "
                                                           "'ATL'; valid: "),
        ("06-capabilities", {"base_year": 1980}, "base_year=1980 is outside the data's "
                                                 "coverage; valid years are 1990-2023"),
        ("07-country-profile", {"country": "jpn"}, "country='jpn' is not an actor code (did "
                                                   "you mean 'JPN'?); valid ISO3 codes: "),
        ("07-country-profile", {"year": 1990}, "year=1990 is outside the data's coverage"),
        ("08-dyad", {"country_a": "CHN", "country_b": "CHN"}, "country_a and country_b are "
                                                              "both 'CHN'"),
        ("08-dyad", {"country_b": "XYZ"}, "country_b='XYZ' is not an actor code"),
        ("09-scenarios", {"remove_actors": ["SUN"]}, "unknown actor(s) to remove 'SUN'"),
    ],
)
def test_bad_parameter_stops_in_check_cell(tmp_path, notebook, parameters, message):
    src = REPO / "notebooks" / f"{notebook}.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(src), str(tmp_path / "out.ipynb"), parameters=parameters,
                            kernel_name="python3", progress_bar=False)
    assert info.value.ename == "ParameterError"
    assert message in info.value.evalue
    # the first cells: parameters, injected parameters, then the check cell
    assert info.value.exec_count == 3
