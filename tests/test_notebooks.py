"""Notebooks follow the house skeleton and the catalogue, are stored clean, and stop early on
bad parameters; the README's notebook table is the catalogue."""

from __future__ import annotations

import ast
import re

import nbformat
import papermill as pm
import pytest
from conftest import REPO

from apresearch.reports.catalogue import CATALOGUE, entry, notebook_parameters

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
HEADINGS = ["## Overview", "## Data used", "## Summary", "## What's next", "## Sources",
            "## Versions"]


def _markdown(path):
    nb = nbformat.read(path, as_version=4)
    return nb, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_catalogue_is_the_notebooks():
    assert [p.stem for p in NOTEBOOKS] == [e.stem for e in CATALOGUE]
    stems = {e.stem for e in CATALOGUE}
    for e in CATALOGUE:
        assert set(e.prerequisites) <= stems and set(e.next) <= stems, e.stem
        assert e.stem not in e.prerequisites and e.stem not in e.next


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs (run nbstripout)"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton(path):
    nb, text = _markdown(path)
    h1 = [line for line in text.splitlines() if line.startswith("# ")]
    assert len(h1) == 1, f"{path.name}: exactly one H1 title"
    for heading in HEADINGS:
        assert heading in text, f"{path.name}: missing '{heading}'"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    for node in ast.parse(params[0].source).body:  # plain literals only
        assert isinstance(node, ast.Assign), f"{path.name}: parameters cell has {node!r}"
        ast.literal_eval(node.value)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0] is params[0], f"{path.name}: the parameters cell comes first"
    assert "apr.versions(" in code[-1].source, f"{path.name}: last cell records versions"
    assert "apr.cite.references(" in code[-2].source, f"{path.name}: Sources are generated"
    for c in code:
        assert "sys.path" not in c.source and "pip install" not in c.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prerequisites_and_next_follow_the_catalogue(path):
    _, text = _markdown(path)
    e = entry(path.stem)
    pre = re.search(r"\*\*Prerequisites:\*\* (.*?)\. \*\*Time", text).group(1)
    assert re.findall(r"`(\d\d-[a-z-]+)`", pre) == list(e.prerequisites), path.stem
    nxt = text.split("## What's next", 1)[1].split("## Sources", 1)[0]
    assert re.findall(r"^- `(\d\d-[a-z-]+)`", nxt, flags=re.M) == list(e.next), path.stem
    assert "(planned)" not in text, f"{path.name}: no notebook is planned any more"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_hard_coded_coverage_years(path):
    """Years come from the collection's declared coverage, not from literals in the code
    (the parameters cell holds the defaults a user edits)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        found = re.findall(r"\b(19[4-9]\d|20[0-3]\d)\b", cell.source)
        assert not found, f"{path.name}: hard-coded year(s) {found} in:\n{cell.source}"


def test_readme_table_lists_every_notebook():
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Notebooks", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("| `")]
    block = section[section.index("| notebook"):]
    table = block.split("\n\n", 1)[0]
    assert all(ln in table for ln in lines), "the README's notebook table is one table"
    rows = [re.match(r"\| `([^`]+)` \| (.*?) \| (.*) \|$", ln).groups() for ln in lines]
    assert [r[0] for r in rows] == [e.stem for e in CATALOGUE]
    for (stem, params, question), e in zip(rows, CATALOGUE, strict=True):
        declared = [f"`{p}`" for p in notebook_parameters(REPO / "notebooks" / f"{stem}.ipynb")]
        assert params == (", ".join(declared) or "—"), stem
        assert question == e.question, stem


@pytest.mark.parametrize(
    ("notebook", "parameters", "message"),
    [
        ("02-alliances", {"year": 1850}, "year=1850 is outside the data's coverage; valid years"),
        ("02-alliances", {"kinds": ["alliance"]}, "unknown value(s) 'alliance'; valid: "),
        ("01-actors", {"year": "2020"}, "year='2020' is not a whole year"),
        ("03-exercises", {"start": 2020, "end": 2010}, "start=2020 is after end=2010"),
        ("04-defence-diplomacy", {"start": 1980}, "start=1980 is outside the data's coverage"),
        ("05-tensions", {"theatre": "Yellow Sea"}, "theatre='Yellow Sea' is not valid; valid: "
                                                  "'all', 'South China Sea'"),
        ("05-tensions", {"start": 2020, "end": 2019}, "start=2020 is after end=2019"),
        ("06-capabilities", {"countries": ["CHN", "ATL"]}, "countries has unknown value(s) "
                                                           "'ATL'; valid: "),
        ("06-capabilities", {"base_year": 1980}, "base_year=1980 is outside the data's "
                                                 "coverage; valid years are 1990-2023"),
        ("07-country-profile", {"country": "jpn"}, "country='jpn' is not an actor code (did "
                                                   "you mean 'JPN'?); valid ISO3 codes: "),
        ("07-country-profile", {"year": 1980}, "year=1980 is outside the data's coverage"),
        ("08-dyad", {"country_a": "CHN", "country_b": "CHN"}, "country_a and country_b are "
                                                              "both 'CHN'"),
        ("08-dyad", {"country_b": "XYZ"}, "country_b='XYZ' is not an actor code"),
        ("08-dyad", {"portfolio": "cow"}, "portfolio='cow' is not valid; valid: "),
        ("09-scenarios", {"remove_actors": ["SUN"]}, "remove_actors has unknown value(s) 'SUN'"),
        ("10-presence", {"year": 1940}, "year=1940 is outside the data's coverage"),
        ("10-presence", {"user": "XYZ"}, "user='XYZ' is not an actor code"),
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


@pytest.mark.parametrize(("parameters", "hosts"), [
    ({"user": "CHN", "year": 2016}, ["CHN", "TJK"]),  # its reefs (footprint) and Tajikistan
    ({"user": "KIR", "year": 1950}, []),  # a user without any site, the first year
])
def test_presence_notebook_renders_for_any_user_and_year(tmp_path, parameters, hosts):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(REPO / "notebooks" / "10-presence.ipynb"), str(out),
                        parameters=parameters, kernel_name="python3", progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code"
                and c.source.startswith("sites = apr.presence.sites("))
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
    for host in hosts:
        assert host in shown
    if not hosts:
        assert "Empty DataFrame" in shown
