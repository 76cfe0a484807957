"""The batch renderer: a manifest expanded into jobs, and jobs run in warm worker processes
(isolated, incremental, atomic, honouring the umask, safe against Ctrl-C and against other
renders into the same folder, on any executor).

Tiny notebooks in tmp folders; the data is the tiny fixture folder (``APRESEARCH_DATA``).
The tests that start processes of their own (Ctrl-C, concurrent renders, a crashing worker,
a dask cluster) are marked ``slow``."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

# IPython, nbconvert and papermill are imported here so that forked workers start with them
import IPython.core.interactiveshell  # noqa: F401
import nbconvert  # noqa: F401
import nbformat
import papermill.parameterize  # noqa: F401
import pytest
from conftest import make_notebook

import apresearch as apr
from apresearch import explore
from apresearch.reports import engine
from apresearch.reports.engine import Interrupted, job_hash, render_batch
from apresearch.reports.manifest import Job, jobs_from_manifest, load_manifest, make_job
from apresearch.reports.site import read_records

BIN = Path(sys.executable).parent / "apresearch"


@pytest.fixture
def fast(monkeypatch, mini):
    """Renders against the tiny data folder, without loading it in every worker; the package
    hash fixed (the package's files may be edited while the tests run)."""
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))
    monkeypatch.setenv("APRESEARCH_NO_WARMUP", "1")
    monkeypatch.setattr(engine, "_package_hash", lambda: "package")
    return mini


@pytest.fixture(scope="module")
def pool():
    """One warm worker shared by the module's tests (reports run one after another in it)."""
    with engine._pool(1) as p:
        yield p


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    return folder


def batch(jobs, out, pool=None, **kw):
    return render_batch(jobs, out, executor=pool, progress=False, **kw)


def index_rows(out: Path) -> dict:
    return json.loads((out / "_reports.json").read_text())


# --------------------------------------------------------------------------- manifest
def test_make_job(src):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"], params="x = 1\nkinds = []")
    job = make_job(nb, {"x": 5, "kinds": ["b", "a"]})
    assert job == Job(str(nb.resolve()), (("kinds", '["b", "a"]'), ("x", "5")))
    assert job.params == {"kinds": ["b", "a"], "x": 5}
    assert make_job(nb).parameters == () and make_job(nb).stem == "10-a"
    assert job.stem.startswith("10-a__kinds-b-a_x-5_h")
    assert hash(job) == hash(make_job(str(nb), {"kinds": ["b", "a"], "x": 5}))
    with pytest.raises(apr.RenderError) as err:
        make_job(nb, {"y": 1, "z": 2})
    assert str(err.value) == "unknown parameter(s) 'y', 'z' for 10-a; valid: x, kinds"
    plain = make_notebook(src / "11-b.ipynb", ["y = 1"], params="")
    with pytest.raises(apr.RenderError, match=r"for 11-b; valid: none$"):
        make_job(plain, {"y": 1})


def test_manifest_expansion(src):
    prof = make_notebook(src / "07-p.ipynb", ["y = 1"], params="country = 'JPN'\nyear = 2020")
    dyad = make_notebook(src / "08-d.ipynb", ["y = 1"],
                         params="country_a = 'USA'\ncountry_b = 'CHN'\nyear = 2020")
    grid = make_notebook(src / "05-g.ipynb", ["y = 1"],
                         params="theatre = 'all'\nstart = 1990\nend = 2025")
    jobs = jobs_from_manifest({
        "output": "site", "timeout": 60, "workers": 2,
        "defaults": {"notebooks": [str(grid), str(prof)]},
        "profiles": {"notebook": str(prof), "countries": ["KOR", "JPN"],
                     "parameters": {"year": 2024}},
        "dyads": {"notebook": str(dyad), "pairs": [["USA", "CHN"], ["JPN", "KOR"]],
                  "parameters": {"year": 2010}},
        "grid": [{"notebook": str(grid),
                  "parameters": {"theatre": ["South China Sea", "Taiwan Strait"],
                                 "start": [2010, 2015], "end": 2020}}],
        "report": [{"notebook": str(grid)},  # the same as the default: once only
                   {"notebook": str(prof), "parameters": {"country": "KOR", "year": 2024}}],
    })
    assert [j.stem for j in jobs] == [
        "05-g", "07-p",
        "07-p__country-KOR_year-2024", "07-p__country-JPN_year-2024",
        "08-d__country_a-USA_country_b-CHN_year-2010",
        "08-d__country_a-JPN_country_b-KOR_year-2010",
        "05-g__end-2020_start-2010_theatre-South-China-Sea",
        "05-g__end-2020_start-2015_theatre-South-China-Sea",
        "05-g__end-2020_start-2010_theatre-Taiwan-Strait",
        "05-g__end-2020_start-2015_theatre-Taiwan-Strait",
    ]
    assert jobs[4].params == {"country_a": "USA", "country_b": "CHN", "year": 2010}
    assert jobs_from_manifest({}) == []
    assert jobs_from_manifest({"dyads": {"notebook": str(dyad)}}) == []  # no pairs


def test_manifest_defaults_are_the_real_notebooks():
    jobs = jobs_from_manifest({"defaults": {}})
    assert [j.stem for j in jobs] == [e.stem for e in apr.reports.CATALOGUE]
    assert all(j.parameters == () for j in jobs)
    assert jobs_from_manifest({"defaults": {"notebooks": "all"}}) == jobs
    jobs = jobs_from_manifest({"defaults": {"notebooks": ["02", "01-actors"]},
                               "profiles": {"countries": ["KOR"]},
                               "dyads": {"pairs": [["JPN", "KOR"]]}})
    assert [j.stem for j in jobs] == ["02-alliances", "01-actors",
                                      "07-country-profile__country-KOR",
                                      "08-dyad__country_a-JPN_country_b-KOR"]


def test_manifest_every_country(src, fast):
    prof = make_notebook(src / "07-p.ipynb", ["y = 1"], params="country = 'JPN'")
    jobs = jobs_from_manifest({"profiles": {"notebook": str(prof)}}, actors=["USA", "JPN"])
    assert [j.params for j in jobs] == [{"country": "USA"}, {"country": "JPN"}]
    # without actors: the collection's (here the tiny one), sorted
    jobs = jobs_from_manifest({"profiles": {"notebook": str(prof), "countries": "all"}})
    assert [j.params["country"] for j in jobs] == ["AUS", "CHN", "IND", "JPN", "KOR", "PHL",
                                                   "PRK", "RUS", "USA"]


MANIFEST_FAULTS = [
    ({"dafaults": {}}, "manifest top level has unknown key(s) dafaults; valid: defaults, "
     "dyads, grid, output, profiles, report, timeout, workers"),
    ({"report": [{"notebok": "NB"}]},
     "manifest [[report]] #1 has unknown key(s) notebok; valid: notebook, parameters"),
    ({"report": [{"notebook": "NB"}, {"parameters": {}}]},
     "manifest [[report]] #2 needs a notebook (keys: notebook, parameters)"),
    ({"report": {"notebook": "NB"}},
     "manifest report = {'notebook': 'NB'} must be [[report]] tables"),
    ({"report": [{"notebook": "NB", "parameters": 2024}]},
     "manifest [[report]] #1 parameters must be a table such as { year = 2024 }, got 2024"),
    ({"report": [{"notebook": "NB", "parameters": {"yr": 1}}]},
     "unknown parameter(s) 'yr' for 10-a; valid: country, country_a, country_b, year"),
    ({"report": ["NB"]}, "manifest [[report]] #1 must be a table of keys, got str"),
    ({"profiles": {"notebook": "NB", "countries": "JPN"}},
     'manifest [profiles] countries = \'JPN\' must be "all" or a list of ISO3 codes such as '
     '["JPN", "KOR"]'),
    ({"profiles": {"notebook": "NB", "country": ["JPN"]}},
     "manifest [profiles] has unknown key(s) country; valid: countries, notebook, parameters"),
    ({"profiles": {"notebook": "NB", "countries": ["JPN"], "parameters": [2024]}},
     "manifest [profiles] parameters must be a table such as { year = 2024 }, got [2024]"),
    ({"profiles": "JPN"}, "manifest [profiles] must be a table of keys, got str"),
    ({"defaults": {"notebooks": "02-alliances"}},
     "manifest [defaults] notebooks = '02-alliances' must be \"all\" or a list of notebook "
     "names"),
    ({"defaults": {"notebook": "all"}},
     "manifest [defaults] has unknown key(s) notebook; valid: notebooks"),
    ({"dyads": {"notebook": "NB", "pairs": [["USA"]]}},
     "manifest [dyads] pairs entry ['USA'] must list two ISO3 codes"),
    ({"dyads": {"notebook": "NB", "pairs": [["USA", "CHN"], "JPN-KOR"]}},
     "manifest [dyads] pairs entry 'JPN-KOR' must list two ISO3 codes"),
    ({"dyads": {"notebook": "NB", "pairs": "USA-CHN"}},
     "manifest [dyads] pairs = 'USA-CHN' must be a list of pairs such as [[\"USA\", "
     "\"CHN\"]]"),
    ({"dyads": {"notebook": "NB", "pairs": [], "parameters": "x"}},
     "manifest [dyads] parameters must be a table such as { year = 2024 }, got 'x'"),
    ({"dyads": {"notebook": "NB", "pair": []}},
     "manifest [dyads] has unknown key(s) pair; valid: notebook, pairs, parameters"),
    ({"grid": [{"parameters": {}}]}, "manifest [[grid]] #1 needs a notebook"),
    ({"grid": [{"notebook": "NB", "values": {}}]},
     "manifest [[grid]] #1 has unknown key(s) values; valid: notebook, parameters"),
    ({"grid": {"notebook": "NB"}}, "manifest grid = {'notebook': 'NB'} must be [[grid]] tables"),
    ({"grid": [{"notebook": "NB", "parameters": 1}]},
     "manifest [[grid]] #1 parameters must be a table such as { year = 2024 }, got 1"),
    ({"timeout": 0}, "manifest timeout = 0 must be a whole number >= 1"),
    ({"timeout": 1.5}, "manifest timeout = 1.5 must be a whole number >= 1"),
    ({"timeout": True}, "manifest timeout = True must be a whole number >= 1"),
    ({"workers": -1}, "manifest workers = -1 must be a whole number >= 1"),
    ({"workers": "2"}, "manifest workers = '2' must be a whole number >= 1"),
    ({"output": 3}, "manifest output = 3 must be a folder name"),
    ({"report": [{"notebook": "99-none"}]}, "unknown notebook '99-none'; available: "),
]


@pytest.mark.parametrize(("m", "message"), MANIFEST_FAULTS, ids=lambda v: str(v)[:40])
def test_manifest_faults(src, m, message):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"],
                       params="country = 'JPN'\ncountry_a = 'USA'\ncountry_b = 'CHN'\n"
                              "year = 2020")
    m = json.loads(json.dumps(m).replace('"NB"', json.dumps(str(nb))))
    message = message.replace("'NB'", repr(str(nb)))
    with pytest.raises(apr.RenderError) as err:
        jobs_from_manifest(m, actors=["JPN"])
    assert str(err.value).startswith(message), str(err.value)
    if not message.endswith(": "):
        assert str(err.value) == message


def test_manifest_valid_limits():
    assert jobs_from_manifest({"timeout": 1, "workers": 1, "output": "x"}) == []


def test_load_manifest(tmp_path):
    m = tmp_path / "reports.toml"
    m.write_text('output = "site"\n[[report]]\nnotebook = "02-alliances"\n'
                 "parameters = { year = 1975 }\n")
    assert load_manifest(m) == {"output": "site",
                                "report": [{"notebook": "02-alliances",
                                            "parameters": {"year": 1975}}]}
    assert load_manifest(str(m)) == load_manifest(m)
    with pytest.raises(apr.RenderError) as err:
        load_manifest(tmp_path / "none.toml")
    assert str(err.value) == f"manifest {tmp_path / 'none.toml'} not found"
    with pytest.raises(apr.RenderError) as err:
        load_manifest(tmp_path)
    assert str(err.value) == f"manifest {tmp_path} is not a file"
    m.write_text('output = "site"\ntimeout = \n')
    with pytest.raises(apr.RenderError) as err:
        load_manifest(m)
    assert str(err.value).startswith(f"manifest {m}: ") and "line 2" in str(err.value)
    m.write_bytes(b'output = "caf\xe9"\n')
    with pytest.raises(apr.RenderError, match=f"^manifest {m}: .*codec can't decode"):
        load_manifest(m)


# --------------------------------------------------------------------------- the engine
def test_job_hash_depends_on_everything(src, tmp_path, monkeypatch):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"], params="x = 1\nfolder = ''")
    job = make_job(nb, {"x": 1})
    h = job_hash(job, "data", "package")
    assert len(h) == 16 and h == job_hash(make_job(nb, {"x": 1}), "data", "package")
    assert h != job_hash(job, "data2", "package")
    assert h != job_hash(job, "data", "package2")
    assert h != job_hash(make_job(nb, {"x": 2}), "data", "package")
    assert h != job_hash(make_job(nb), "data", "package")
    make_notebook(nb, ["y = 2"], params="x = 1\nfolder = ''")
    assert h != job_hash(job, "data", "package")
    # a data folder given as a parameter, relative to the notebook (as the notebook sees it)
    d = src / "d"
    d.mkdir()
    (d / "a.csv").write_text("x\n1\n")
    monkeypatch.chdir(tmp_path)  # not the notebook's folder
    rel, absolute = make_job(nb, {"folder": "d"}), make_job(nb, {"folder": str(d)})
    before = job_hash(rel, "data"), job_hash(absolute, "data")
    (d / "notes.txt").write_text("not data")
    (d / "sub").mkdir()
    assert (job_hash(rel, "data"), job_hash(absolute, "data")) == before
    (d / "a.csv").write_text("x\n2\n")
    after = job_hash(rel, "data"), job_hash(absolute, "data")
    assert after[0] != before[0] and after[1] != before[1]
    (d / "datapackage.json").write_text("{}")
    assert job_hash(absolute, "data") != after[1]
    assert job_hash(make_job(nb, {"folder": "no/such/folder"}), "data")  # not a folder: fine


def test_package_and_data_hashes(fast, monkeypatch):
    monkeypatch.undo()  # the real ones
    monkeypatch.setenv("APRESEARCH_DATA", str(fast))
    h = engine._package_hash()
    assert re.fullmatch("[0-9a-f]{64}", h)
    monkeypatch.setattr(engine, "__version__", "0.0.0-other")
    assert engine._package_hash() != h
    assert engine._data_hash() == apr.collection(fast).sha256


def test_check_output(src, tmp_path):
    jobs = [make_job(make_notebook(src / "10-a.ipynb", ["y = 1"]))]
    out = engine.check_output(tmp_path / "a" / "b", jobs)
    assert out == (tmp_path / "a" / "b").resolve() and out.is_dir()
    assert list(out.iterdir()) == []  # the write probe is gone
    with pytest.raises(apr.RenderError, match="holds the source notebook 10-a.ipynb"):
        engine.check_output(src, jobs)
    (tmp_path / "f").write_text("x")
    with pytest.raises(apr.RenderError, match="is a file, not a folder"):
        engine.check_output(tmp_path / "f", jobs)


def test_render_batch_checks_its_arguments(src, tmp_path):
    jobs = [make_job(make_notebook(src / "10-a.ipynb", ["y = 1"]))]
    for kw, message in [({"timeout": 0}, "timeout = 0 must be a whole number >= 1"),
                        ({"timeout": 2.5}, "timeout = 2.5 must be a whole number >= 1"),
                        ({"workers": 0}, "workers = 0 must be a whole number >= 1"),
                        ({"workers": True}, "workers = True must be a whole number >= 1")]:
        with pytest.raises(apr.RenderError) as err:
            render_batch(jobs, tmp_path / "out", progress=False, **kw)
        assert str(err.value) == message
    assert not (tmp_path / "out").exists()


@pytest.fixture
def trio(src):
    good = make_notebook(src / "10-good.ipynb", ["y = x * 2", "secret = 'kept'",
                                                 "print('y is', y)"])
    bad = make_notebook(src / "11-bad.ipynb", ["y = 1", "raise ValueError('bad x ' + str(x))"])
    leak = make_notebook(src / "12-leak.ipynb", [
        "print('LEAKED' if 'secret' in dir() else 'clean', __name__)",
        "print(sorted(k for k in dir() if not k.startswith('_')))"])
    return good, bad, leak


def test_isolation_incremental_and_force(fast, pool, trio, tmp_path):
    good, bad, leak = trio
    out = tmp_path / "out"
    jobs = [make_job(good, {"x": 3}), make_job(bad), make_job(leak)]
    seen = []
    results, skipped = batch(jobs, out, pool, on_result=seen.append)
    by = {r.notebook: r for r in results}
    assert skipped == [] and seen == results
    assert [r.notebook for r in results] == ["10-good", "11-bad", "12-leak"]  # one worker
    assert by["10-good"].status == "ok" and by["10-good"].error is None
    assert (by["11-bad"].status, by["11-bad"].error) == ("failed", "ValueError: bad x 1")
    assert (by["11-bad"].cell, by["11-bad"].cell_source) == (
        3, "raise ValueError('bad x ' + str(x))")
    assert by["12-leak"].status == "ok"
    assert (out / "11-bad.html").is_file()  # the failed report is kept, to see the error
    executed = nbformat.read(out / "10-good__x-3.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"] == "y is 6\n"
    # the same warm worker ran all three; the namespace was cleared between reports
    leaked = nbformat.read(out / "12-leak.ipynb", as_version=4)
    assert leaked.cells[-2].outputs[0]["text"] == "clean __main__\n"
    names = set(eval(leaked.cells[-1].outputs[0]["text"]))  # noqa: S307 - a printed list
    assert "x" in names and not names & {"secret", "y", "good"}
    # parameters, injected parameters, two cells: counted from 1 in each report
    assert [c.execution_count for c in leaked.cells if c.cell_type == "code"] == [1, 2, 3, 4]
    rows = index_rows(out)
    assert sorted(rows) == ["10-good__x-3", "11-bad", "12-leak"]
    assert rows["10-good__x-3"]["hash"] == by["10-good"].hash
    assert rows["10-good__x-3"]["title"] == "A test notebook"
    page = (out / "index.html").read_text()
    assert ("failed at code cell 3 (raise ValueError(&#x27;bad x &#x27; + str(x))): "
            "ValueError: bad x 1") in page
    assert not list(out.rglob("*.tmp"))
    # nothing changed: the good ones are skipped, the failed one is tried again
    results, skipped = batch(jobs, out, pool)
    assert [j.stem for j in skipped] == ["10-good__x-3", "12-leak"]
    assert [r.notebook for r in results] == ["11-bad"]
    # force redoes everything
    results, skipped = batch(jobs, out, pool, force=True)
    assert len(results) == 3 and skipped == []
    # an edited notebook, or a report whose page has gone, is rendered again
    make_notebook(good, ["y = x * 3", "print('y is', y)"])
    (out / "12-leak.html").unlink()
    results, skipped = batch(jobs, out, pool)
    assert sorted(r.notebook for r in results) == ["10-good", "11-bad", "12-leak"]
    assert nbformat.read(out / "10-good__x-3.ipynb", as_version=4).cells[-1].outputs[0][
        "text"] == "y is 9\n"
    # all skipped: the index is still rebuilt
    (out / "index.html").unlink()
    results, skipped = batch(jobs[::2], out, pool)
    assert results == [] and len(skipped) == 2 and (out / "index.html").is_file()


def test_outputs_are_captured_in_the_notebook_format(fast, pool, src, tmp_path):
    nb = make_notebook(src / "10-out.ipynb", [
        "import sys\nprint('a')\nprint('b')\nsys.stderr.write('warned\\n')\nprint('c')",
        "x + 41",
        "from IPython.display import display, HTML, clear_output\n"
        "display(HTML('<b>gone</b>'))\nclear_output()\ndisplay(HTML('<b>shown</b>'))",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])",
        "y = 1;",
    ])
    (r,), _ = batch([make_job(nb)], tmp_path / "out", pool)
    assert r.status == "ok" and r.title == "A test notebook"
    cells = [c for c in nbformat.read(tmp_path / "out" / "10-out.ipynb", as_version=4).cells
             if c.cell_type == "code"]
    assert "injected-parameters" in cells[1].metadata.tags and cells[1].outputs == []
    cells = cells[1:]  # as in the source: parameters, then the five cells
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in cells[1].outputs] == [
        ("stream", "stdout", "a\nb\n"), ("stream", "stderr", "warned\n"),
        ("stream", "stdout", "c\n")]
    (result,) = cells[2].outputs
    assert result["output_type"] == "execute_result" and result["data"]["text/plain"] == "42"
    assert result["execution_count"] == cells[2].execution_count == 4  # injected is 2
    assert [o["data"]["text/html"] for o in cells[3].outputs] == ["<b>shown</b>"]
    kinds = [sorted(o.get("data", {})) for o in cells[4].outputs]
    assert ["image/png", "text/plain"] in kinds  # the figure, inline
    assert cells[5].outputs == []
    page = (tmp_path / "out" / "10-out.html").read_text()
    assert "<b>shown</b>" in page and "<b>gone</b>" not in page
    assert "data:image/png;base64," in page


def _cells_notebook(path: Path, cells: list[tuple[str, str]], params="x = 1") -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), p]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for kind, text in cells:
        nb.cells.append(nbformat.v4.new_markdown_cell(text) if kind == "md"
                        else nbformat.v4.new_code_cell(text))
    nbformat.write(nb, path)
    return path


def test_failing_cell_is_named_by_its_place_in_the_source(fast, pool, src, tmp_path):
    long = "raise RuntimeError('" + "x" * 100 + "')"
    a = _cells_notebook(src / "10-a.ipynb", [("md", "## One"), ("code", "y = 1"),
                                             ("md", "## Two"), ("code", "z = 2"),
                                             ("code", "\n  # the third\nundefined_name")])
    b = _cells_notebook(src / "11-b.ipynb", [("code", long)])
    c = _cells_notebook(src / "12-c.ipynb", [("code", "y = 1")], params="x = 1 / 0")
    jobs = [make_job(a), make_job(a, {"x": 2}), make_job(b), make_job(c)]
    results, _ = batch(jobs, tmp_path / "out", pool)
    where = [(r.cell, r.cell_source, r.error) for r in results]
    # code cells 1 (parameters), 2, 3, 4: markdown and the injected cell are not counted
    assert where[0] == where[1] == (4, "# the third",
                                    "NameError: name 'undefined_name' is not defined")
    assert where[2] == (2, long[:80], "RuntimeError: " + "x" * 100)
    assert where[3] == (1, "x = 1 / 0", "ZeroDivisionError: division by zero")
    assert results[0].where == "code cell 4 (# the third)"
    rows = index_rows(tmp_path / "out")
    assert (rows["10-a"]["cell"], rows["10-a"]["cell_source"]) == (4, "# the third")


def test_alarm_only_in_the_main_thread():
    assert engine._can_alarm() is True
    with cf.ThreadPoolExecutor(1) as t:
        assert t.submit(engine._can_alarm).result() is False


@pytest.mark.slow
def test_crashed_worker_does_not_take_the_others_down(fast, src, tmp_path):
    crash = make_notebook(src / "10-crash.ipynb", ["import os\nos._exit(3)"])
    oks = [make_notebook(src / f"1{i}-ok.ipynb", [f"y = {i}"]) for i in range(1, 4)]
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        jobs = [make_job(crash), *map(make_job, oks)]
        results, _ = render_batch(jobs, out, workers=workers, progress=False)
        by = {r.notebook: r for r in results}
        assert sorted(by) == ["10-crash", "11-ok", "12-ok", "13-ok"]
        assert by["10-crash"].status == "failed"
        assert by["10-crash"].error.startswith("BrokenProcessPool: ")
        assert [by[f"1{i}-ok"].status for i in range(1, 4)] == ["ok"] * 3
        rows = index_rows(out)  # the crash is listed too, without a page
        assert rows["10-crash"]["status"] == "failed" and rows["10-crash"]["html"] is None
        assert sorted(rows) == sorted(by)


def test_data_folder_parameter_is_in_the_hash(fast, pool, src, tmp_path):
    nb = make_notebook(src / "10-d.ipynb", ["import os\nprint(sorted(os.listdir(folder)))"],
                       params="folder = ''")
    d = tmp_path / "data2"
    d.mkdir()
    (d / "a.csv").write_text("x\n1\n")
    jobs, out = [make_job(nb, {"folder": str(d)})], tmp_path / "out"
    assert [r.status for r in batch(jobs, out, pool)[0]] == ["ok"]
    assert batch(jobs, out, pool) == ([], jobs)  # unchanged: skipped
    (d / "a.csv").write_text("x\n2\n")
    results, skipped = batch(jobs, out, pool)
    assert [r.status for r in results] == ["ok"] and skipped == []


def test_long_lists_that_differ_late_give_two_reports(fast, pool, src, tmp_path):
    nb = make_notebook(src / "02-k.ipynb", ["print(kinds)"], params="kinds = []")
    head = ["defence_treaty", "security_agreement", "access_agreement"]
    jobs = [make_job(nb, {"kinds": [*head, "minilateral"]}),
            make_job(nb, {"kinds": [*head, "friendship_treaty"]})]
    assert len(json.dumps(head)) > 40
    results, _ = batch(jobs, tmp_path / "out", pool)
    stems = [r.stem for r in results]
    assert len(set(stems)) == 2 and all(r.status == "ok" for r in results)
    assert all((tmp_path / "out" / f"{s}.html").is_file() for s in stems)
    rows = index_rows(tmp_path / "out")
    assert sorted(rows) == sorted(stems)
    assert sorted(r["parameters"]["kinds"][-1] for r in rows.values()) == [
        "friendship_treaty", "minilateral"]
    page = (tmp_path / "out" / "index.html").read_text()
    assert all(f'href="{s}.html"' in page for s in stems)


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"),
                         [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)])
def test_files_honour_the_umask(fast, src, tmp_path, mask, file_mode, dir_mode):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"])
    out = tmp_path / "out"
    old = os.umask(mask)
    try:  # the pool is forked here, so its worker has this umask too
        (r,), _ = render_batch([make_job(nb)], out, workers=1, progress=False)
    finally:
        os.umask(old)
    assert r.status == "ok"
    files = ["10-a.html", "10-a.ipynb", "_reports.json", "index.html", ".render.lock",
             "_records/10-a.json"]
    assert {f: stat.S_IMODE((out / f).stat().st_mode) for f in files} == dict.fromkeys(
        files, file_mode)
    assert stat.S_IMODE((out / "_records").stat().st_mode) == dir_mode


def _bokeh_notebook(path: Path, data: Path) -> Path:
    return make_notebook(path, [
        "import networkx as nx\nfrom apresearch import explore\ng = nx.Graph()\n"
        "g.add_node('JPN', lat=35.7, lon=139.7, name='Japan')\n"
        "g.add_node('AUS', lat=-35.3, lon=149.1, name='Australia')\n"
        "g.add_edge('JPN', 'AUS', weight=1.0, agreements=['jpn-aus'], defense=False)",
        f"explore.embed(explore.network(g, title='Ties', data={str(data)!r}))"])


def test_bokeh_is_inlined_where_a_figure_is_and_nowhere_else(fast, pool, src, tmp_path):
    live = _bokeh_notebook(src / "10-live.ipynb", fast)
    plain = make_notebook(src / "11-plain.ipynb", ["print('no figure')"])
    results, _ = batch([make_job(live), make_job(plain)], tmp_path / "out", pool)
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    js = explore.bokeh_js()
    page = (tmp_path / "out" / "10-live.html").read_text()
    assert page.count(js) == 1 and page.index(js) < page.index("</head>")
    assert explore.MARKER in page and "JPN-AUS: Japan-Australia (signed 2007-03-13)" in page
    other = (tmp_path / "out" / "11-plain.html").read_text()
    assert explore.MARKER not in other and js[:2000] not in other and "Bokeh" not in other
    assert engine._inline_bokeh("<html><head></head></html>") == "<html><head></head></html>"


def test_interrupted_carries_what_finished():
    exc = Interrupted(["r1", "r2"], ["j"])
    assert (exc.results, exc.skipped, str(exc)) == (["r1", "r2"], ["j"],
                                                     "interrupted after 2 report(s)")


def test_progress_bar(fast, pool, src, tmp_path, capsys):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"])
    render_batch([make_job(nb)], tmp_path / "out", executor=pool)
    assert "rendering" in capsys.readouterr().err


# --------------------------------------------------------------------------- processes
def _env(mini: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return {**env, "APRESEARCH_DATA": str(mini), **extra}


def _ctrl_c_setup(src: Path, tmp_path: Path) -> tuple[Path, Path]:
    started = tmp_path / "started"
    names = []
    for name, cells in [("10-first", ["y = 1"]),
                        ("11-slow", [f"import time\nopen({str(started)!r}, 'w').close()\n"
                                     "time.sleep(3)"]),
                        ("12-later", ["y = 3"]), ("13-last", ["y = 4"])]:
        names.append(make_notebook(src / f"{name}.ipynb", cells))
    m = tmp_path / "reports.toml"
    m.write_text('output = "site"\nworkers = 1\n'
                 + "".join(f'[[report]]\nnotebook = "{p}"\n' for p in names))
    return m, started


def _interrupt(m: Path, started: Path, mini: Path, times: int) -> subprocess.CompletedProcess:
    proc = subprocess.Popen([str(BIN), "render", "--manifest", str(m)], env=_env(mini),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not started.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    for _ in range(times):  # Ctrl-C in a terminal: the whole process group
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.5)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.slow
def test_ctrl_c_stops_scheduling_and_keeps_what_finished(mini, src, tmp_path):
    m, started = _ctrl_c_setup(src, tmp_path)
    t0 = time.monotonic()
    done = _interrupt(m, started, mini, times=1)
    site = tmp_path / "site"
    assert done.returncode == 130, done
    assert done.stdout.strip() == (f"2 rendered, 0 unchanged (skipped), 0 failed; index: "
                                   f"{site}/index.html")
    assert done.stderr.strip().endswith("interrupted: the reports that finished are in the "
                                        "index")
    assert "Traceback" not in done.stderr
    # the running report finished; the later ones were never started
    assert sorted(index_rows(site)) == ["10-first", "11-slow"]
    assert sorted(p.name for p in site.glob("*.html")) == ["10-first.html", "11-slow.html",
                                                          "index.html"]
    assert not list(site.rglob("*.tmp")) and not list(site.rglob(".*.tmp"))
    assert time.monotonic() - t0 < 30


@pytest.mark.slow
def test_second_ctrl_c_abandons_the_running_report(mini, src, tmp_path):
    m, started = _ctrl_c_setup(src, tmp_path)
    done = _interrupt(m, started, mini, times=2)
    site = tmp_path / "site"
    assert done.returncode == 130, done
    assert "Traceback" not in done.stderr
    assert sorted(index_rows(site)) == ["10-first"]
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == [
        "10-first.html", "10-first.ipynb", "_records", "_reports.json", "index.html"]
    assert not list(site.rglob("*.tmp"))


@pytest.mark.slow
def test_concurrent_renders_into_one_folder_lose_nothing(mini, src, tmp_path):
    out = tmp_path / "site"
    nbs = [make_notebook(src / f"1{i}-nb.ipynb", [f"y = {i}"]) for i in range(4)]
    procs = [subprocess.Popen([str(BIN), "render", str(nb), "-o", str(out), "--workers", "1"],
                              env=_env(mini, APRESEARCH_NO_WARMUP="1"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for nb in nbs]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    stems = [f"1{i}-nb" for i in range(4)]
    assert sorted(index_rows(out)) == stems
    page = (out / "index.html").read_text()
    assert all(f'href="{s}.html"' in page for s in stems)
    assert "(4 reports: 4 ok, 0 failed)" in page
    assert sorted(read_records(out)) == stems
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_dask_local_cluster(fast, src, tmp_path):
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is not installed (the optional extra "
                              "'cluster')")
    nb = make_notebook(src / "10-pid.ipynb", ["import os\nprint(os.getpid())"])
    bad = make_notebook(src / "11-bad.ipynb", ["raise ValueError('bad x ' + str(x))"])
    jobs = [make_job(nb, {"x": 1}), make_job(nb, {"x": 2}), make_job(bad)]
    out = tmp_path / "out"
    with distributed.LocalCluster(processes=True, threads_per_worker=1, n_workers=2,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        results, _ = render_batch(jobs, out, executor=client.get_executor(), progress=False)
    by = {r.stem: r for r in results}
    assert {s: r.status for s, r in by.items()} == {"10-pid__x-1": "ok", "10-pid__x-2": "ok",
                                                    "11-bad": "failed"}
    assert by["11-bad"].error == "ValueError: bad x 1" and by["11-bad"].cell == 2
    pids = {int(nbformat.read(out / f"10-pid__x-{x}.ipynb", as_version=4).cells[-1]
                .outputs[0]["text"]) for x in (1, 2)}
    assert os.getpid() not in pids  # ran in the cluster's worker processes
    assert sorted(index_rows(out)) == sorted(by)
    # the same jobs again: nothing to do
    assert render_batch(jobs[:2], out, progress=False) == ([], jobs[:2])


def test_report_behaves_like_a_kernel(fast, pool, src, tmp_path):
    """A trailing ';' silences a value; widget cells do not run; pandas shows 20 columns as
    in a kernel, whatever an earlier report set; the Sources list starts empty each report."""
    first = _cells_notebook(src / "10-first.ipynb", [
        ("code", "import pandas as pd\npd.set_option('display.max_columns', 3)"),
        ("code", "from apresearch import usage\nusage.record('incidents')"),
    ])
    second = _cells_notebook(src / "11-second.ipynb", [
        ("code", "41 + 1;"),
        ("code", "41 + 1"),
        ("code", "import pandas as pd\npd.get_option('display.max_columns')"),
        ("code", "from apresearch import usage\nsorted(usage.used())"),
        ("code", "raise RuntimeError('a widget cell ran')"),
    ])
    nb = nbformat.read(second, as_version=4)
    nb.cells[-1].metadata["tags"] = ["widgets"]
    nbformat.write(nb, second)
    results, _ = batch([make_job(first), make_job(second)], tmp_path / "out", pool)
    assert [r.status for r in results] == ["ok", "ok"]
    cells = [c for c in nbformat.read(tmp_path / "out" / "11-second.ipynb",
                                      as_version=4).cells if c.cell_type == "code"][2:]
    texts = [[o["data"]["text/plain"] for o in c.outputs if "data" in o] for c in cells]
    assert texts == [[], ["42"], ["20"], ["[]"], []]  # the widget cell: not run, no output
    assert "a widget cell ran" not in (tmp_path / "out" / "11-second.html").read_text()
