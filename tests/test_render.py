"""Rendering: parameters checked up front, reports offline, failures isolated, sources safe."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import REPO, make_notebook

import apresearch as apr
from apresearch.cli import main as cli
from apresearch.render import report_stem


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    results = apr.render_reports(["02-alliances"], {"year": 1960}, out, log=None)
    return out, results


def test_non_default_parameters(rendered):
    out, (result,) = rendered
    assert result.status == "ok", result.error
    assert result.parameters == {"year": 1960}
    assert (out / "02-alliances__year-1960.html").is_file()
    executed = nbformat.read(out / "02-alliances__year-1960.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "year = 1960" in injected[0].source
    assert executed.metadata.papermill.parameters == {"year": 1960}
    figures = [o for c in executed.cells for o in c.get("outputs", [])
               if "image/png" in o.get("data", {})]
    assert len(figures) >= 5


def test_html_offline_and_code_hidden(rendered):
    out, _ = rendered
    page = (out / "02-alliances__year-1960.html").read_text()
    assert not re.search(r"""(src|href)=["']https?://""", page), "report fetches from the web"
    assert "data:image/png;base64," in page  # figures embedded
    assert "apr.alliance_graph(" not in page  # code hidden by default


def test_index_lists_reports_with_parameters(rendered):
    out, _ = rendered
    index = (out / "index.html").read_text()
    assert 'href="02-alliances__year-1960.html"' in index
    assert "year = 1960" in index
    manifest = json.loads((out / "_reports.json").read_text())
    assert manifest["02-alliances__year-1960"]["status"] == "ok"


def test_unknown_parameter_names_valid_ones(tmp_path):
    with pytest.raises(apr.RenderError, match="Unknown parameter.*'yaer'.*valid: kinds, "
                                              "max_parties, year"):
        apr.render_reports(["02-alliances"], {"yaer": 1960}, tmp_path, log=None)
    assert not any(tmp_path.iterdir())  # nothing ran


def test_unknown_notebook(tmp_path):
    with pytest.raises(apr.RenderError, match="Unknown notebook '99-nothing'; available: "
                                              "00-overview"):
        apr.render_reports(["99-nothing"], {}, tmp_path, log=None)


def test_never_writes_beside_sources(tmp_path):
    src = make_notebook(tmp_path / "10-ok.ipynb", ["y = x + 1"])
    before = src.read_bytes()
    with pytest.raises(apr.RenderError, match="holds the source notebook"):
        apr.render_reports([src], {}, tmp_path, log=None)
    assert src.read_bytes() == before
    with pytest.raises(apr.RenderError):
        apr.render_reports(["02"], {}, REPO / "notebooks", log=None)


def test_failure_isolated_and_reported(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    bad = make_notebook(src / "10-bad.ipynb",
                        ["y = x + 1", "raise ValueError('boom at ' + str(y))"])
    good = make_notebook(src / "11-good.ipynb", ["y = x * 2"])
    out = tmp_path / "out"
    results = apr.render_reports([bad, good], {"x": 5}, out, log=None)
    by_name = {r.notebook: r for r in results}
    assert by_name["10-bad"].status == "failed"
    assert by_name["10-bad"].cell == 4  # In [4]: parameters, injected, y = x + 1, raise
    assert by_name["10-bad"].error == "ValueError: boom at 6"
    assert by_name["11-good"].status == "ok"
    assert (out / "11-good__x-5.html").is_file()
    assert (out / "10-bad__x-5.html").is_file()  # the failed run is kept to inspect
    assert "failed at In [4]: ValueError: boom at 6" in (out / "index.html").read_text()
    assert not list(out.glob(".*.tmp")) and not list(out.glob(".*.ipynb"))
    # the command line exits non-zero and names the failure
    code = cli(["render", str(bad), str(good), "-p", "x", "5", "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "FAILED" in err
    assert next(line for line in err.splitlines() if line.startswith("10-bad")).split() == [
        "10-bad", "x=5", "4", "ValueError:", "boom", "at", "6"]


def test_cli_parameter_values_and_errors(tmp_path, capsys):
    assert cli(["render", "02", "-p", "colour", "red", "-o", str(tmp_path)]) == 2
    assert "Unknown parameter(s) 'colour'" in capsys.readouterr().err


def test_report_stem():
    from pathlib import Path

    p = Path("02-alliances.ipynb")
    assert report_stem(p, {}) == "02-alliances"
    assert report_stem(p, {"year": 1960, "kinds": ["defence_treaty"]}) == (
        "02-alliances__kinds-defence_treaty_year-1960")


def test_exercises_with_parameters(tmp_path):
    (r,) = apr.render_reports(["03-exercises"], {"start": 2015, "end": 2020}, tmp_path, log=None)
    assert r.status == "ok", r.error
    assert (tmp_path / "03-exercises__end-2020_start-2015.html").is_file()


def test_tensions_empty_selection_renders(tmp_path):
    (r,) = apr.render_reports(["05-tensions"], {"theatre": "Taiwan Strait", "start": 2000,
                                                 "end": 2001}, tmp_path, log=None)
    assert r.status == "ok", r.error
    page = next(tmp_path.glob("05-tensions__*.html")).read_text()
    assert "0 incidents in Taiwan Strait theatre(s), 2000-2001." in page
    assert "Nothing to show for this selection" in page


def test_dyad_with_parameters(tmp_path):
    (r,) = apr.render_reports(["08-dyad"], {"country_a": "JPN", "country_b": "KOR"}, tmp_path,
                              log=None)
    assert r.status == "ok", r.error
    assert (tmp_path / "08-dyad__country_a-JPN_country_b-KOR.html").is_file()
