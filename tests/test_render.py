"""The catalogue (which notebooks exist, what each asks, what a report is called) and the
``apresearch render`` command: every mistake is one ``error: ...`` line on stderr, exit status
1, no traceback, and nothing lost or half-written.

Tiny notebooks (``conftest.make_notebook``) in tmp folders; the real notebooks only where a
test is about them (their names, their parameters cells)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

# IPython, nbconvert and papermill are imported here so that forked workers start with them
import IPython.core.interactiveshell  # noqa: F401
import nbconvert  # noqa: F401
import nbformat
import papermill.parameterize  # noqa: F401
import pytest
from conftest import REPO, make_notebook
from hypothesis import given, settings
from hypothesis import strategies as st

import apresearch as apr
from apresearch import cli
from apresearch.reports import catalogue, engine
from apresearch.reports.catalogue import (
    CATALOGUE,
    entry,
    list_notebooks,
    notebook_parameters,
    notebooks_dir,
    report_stem,
    resolve_notebook,
)
from apresearch.reports.site import ReportResult


@pytest.fixture
def fast(monkeypatch, mini):
    """Renders against the tiny data folder, without loading it in every worker; the package
    hash fixed (the package's files may be edited while the tests run)."""
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))
    monkeypatch.setenv("APRESEARCH_NO_WARMUP", "1")
    monkeypatch.setattr(engine, "_package_hash", lambda: "package")  # files may be edited


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    return folder


def sentinel_cell(path: Path) -> str:
    """A cell that leaves a file behind: proof that the notebook ran."""
    return f"open({str(path)!r}, 'w').close()"


def fails(capsys, argv: list[str]) -> str:
    """Run the command line; it must exit 1 with one ``error:`` line and no traceback."""
    code = cli.main(argv)
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 1, captured
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err + captured.out
    return lines[0][len("error: "):]


# --------------------------------------------------------------------------- catalogue
def test_catalogue_entry_and_folder():
    assert entry("02-alliances").prerequisites == ("01-actors",)
    assert entry("02-alliances").next == ("03-exercises",)
    with pytest.raises(apr.RenderError) as err:
        entry("99-nothing")
    assert str(err.value) == ("no catalogue entry for '99-nothing'; catalogue: "
                              + ", ".join(e.stem for e in CATALOGUE))
    assert notebooks_dir() == REPO / "notebooks"
    assert [p.stem for p in list_notebooks()] == [e.stem for e in CATALOGUE]


def test_list_notebooks_reading_order_and_names_only(src):
    for name in ["10-b.ipynb", "02-a.ipynb", "scratch.ipynb", "1-short.ipynb", "03-c.txt",
                 "x02-d.ipynb"]:
        (src / name).write_text("{}")
    (src / ".ipynb_checkpoints").mkdir()
    (src / ".ipynb_checkpoints" / "02-a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in list_notebooks(src)] == ["02-a.ipynb", "10-b.ipynb"]
    assert list_notebooks(src / ".ipynb_checkpoints") == []


@pytest.fixture
def variants(src):
    for stem in ["01-actors", "02-alliances", "02-alliances-my-variant", "03-exercises"]:
        make_notebook(src / f"{stem}.ipynb", ["y = 1"])
    return src


def test_resolve_exact_prefix_and_path(variants, tmp_path):
    assert resolve_notebook("02-alliances", variants) == variants / "02-alliances.ipynb"
    assert resolve_notebook("02-alliances-my-variant", variants) == (
        variants / "02-alliances-my-variant.ipynb")
    assert resolve_notebook("01", variants) == variants / "01-actors.ipynb"
    assert resolve_notebook("03-ex", variants) == variants / "03-exercises.ipynb"
    path = variants / "02-alliances-my-variant.ipynb"
    assert resolve_notebook(path) == path.resolve()
    assert resolve_notebook(str(path)) == path.resolve()
    assert resolve_notebook("02") == REPO / "notebooks" / "02-alliances.ipynb"  # the real ones


def test_resolve_refuses_an_ambiguous_prefix_with_the_list(variants):
    with pytest.raises(apr.RenderError) as err:
        resolve_notebook("02", variants)
    # in file-name order ("-" sorts before ".")
    assert str(err.value) == ("notebook '02' matches several: 02-alliances-my-variant, "
                              "02-alliances; give the full name")
    with pytest.raises(apr.RenderError, match="matches several"):
        resolve_notebook("02-alli", variants)


def test_resolve_unknown_names_the_available(variants, tmp_path):
    with pytest.raises(apr.RenderError) as err:
        resolve_notebook("99", variants)
    assert str(err.value) == ("unknown notebook '99'; available: 01-actors, "
                              "02-alliances-my-variant, 02-alliances, 03-exercises")
    with pytest.raises(apr.RenderError) as err:
        resolve_notebook(tmp_path / "nope.ipynb")
    assert str(err.value) == f"notebook file {tmp_path / 'nope.ipynb'} does not exist"


def test_notebook_parameters(src):
    nb = make_notebook(src / "10-p.ipynb", ["z = 3"],
                       params="year = 1960\nkinds = ['a', 'b']\nname = 'JPN'\n"
                              "flag = True\nnothing = None\nlater = len('abc')\n"
                              "a = b = 2\nc, d = 1, 2\n# a comment\nimport os")
    assert notebook_parameters(nb) == {"year": 1960, "kinds": ["a", "b"], "name": "JPN",
                                       "flag": True, "nothing": None, "later": None}
    plain = make_notebook(src / "11-none.ipynb", ["x = 1"])
    book = nbformat.read(plain, as_version=4)
    book.cells[1].metadata["tags"] = []
    nbformat.write(book, plain)
    assert notebook_parameters(plain) == {}
    two = make_notebook(src / "12-two.ipynb", ["x = 1"], params="first = 1")
    book = nbformat.read(two, as_version=4)
    second = nbformat.v4.new_code_cell("second = 2")
    second.metadata["tags"] = ["parameters"]
    book.cells.append(second)
    nbformat.write(book, two)
    assert notebook_parameters(two) == {"first": 1}  # the first parameters cell only
    broken = src / "13-broken.ipynb"
    broken.write_text("not json")
    with pytest.raises(apr.RenderError) as err:
        notebook_parameters(broken)
    assert re.fullmatch(re.escape(f"{broken}: not a readable notebook (") + r"\w+\)",
                        str(err.value))


def test_real_notebook_parameters():
    assert notebook_parameters(REPO / "notebooks" / "07-country-profile.ipynb") == {
        "country": "JPN", "year": 2024}
    assert set(notebook_parameters(REPO / "notebooks" / "02-alliances.ipynb")) == {
        "year", "compare_year", "kinds", "max_parties"}


def test_report_stem_names():
    p = Path("nb/02-alliances.ipynb")
    assert report_stem(p, {}) == "02-alliances"
    assert report_stem(p, {"year": 1960}) == "02-alliances__year-1960"
    # sorted by name; a space becomes "-" and is still exact
    assert report_stem(p, {"year": 1960, "theatre": "South China Sea"}) == (
        "02-alliances__theatre-South-China-Sea_year-1960")
    assert report_stem(p, {"x": 2.5, "flag": True}) == "02-alliances__flag-true_x-2.5"
    for params in ({"kinds": ["defence_treaty"]}, {"theatre": "South-China-Sea"},
                   {"name": "a/b"}, {"name": ""}, {"x": "5"}, {"x": "true"},
                   {"name": "b_c"}, {"x": "null"}):
        stem = report_stem(p, params)
        assert re.fullmatch(r"02-alliances__\w[\w.-]*_h[0-9a-f]{8}", stem), (params, stem)
    assert report_stem(p, {"kinds": ["defence_treaty"]}).startswith(
        "02-alliances__kinds-defence_treaty_h")
    assert report_stem(p, {"name": ""}).startswith("02-alliances__name-x_h")


def test_report_stem_long_values_are_cut_and_hashed():
    p = Path("02-alliances.ipynb")
    head = ["defence_treaty", "security_agreement", "access_agreement"]
    a = report_stem(p, {"kinds": [*head, "minilateral"]})
    b = report_stem(p, {"kinds": [*head, "friendship_treaty"]})
    assert a != b and a[:-8] == b[:-8]  # the same up to the hash
    # each value is cut to 40 characters of its slug
    assert a[:-8] == "02-alliances__kinds-defence_treaty-security_agreement-access_h"
    assert len(a) <= catalogue.MAX_STEM + 10
    long = report_stem(p, {f"parameter_{i}": i for i in range(12)})  # exact but too long
    assert len(long) == catalogue.MAX_STEM + 10 and re.search(r"_h[0-9a-f]{8}$", long)
    assert long[:catalogue.MAX_STEM] == ("02-alliances__" + "_".join(
        f"parameter_{i}-{i}" for i in sorted(range(12), key=str)))[:catalogue.MAX_STEM]


def test_report_stem_hashes_names_over_80_characters():
    p = Path("nb.ipynb")
    exact = report_stem(p, {"a": "v" * 40, "b": "w" * 31})  # nb__a-v..._b-w...: 80
    assert exact == "nb__a-" + "v" * 40 + "_b-" + "w" * 31 and len(exact) == 80
    cut = report_stem(p, {"a": "v" * 40, "b": "w" * 32})  # 81: cut to 80, and hashed
    assert re.fullmatch("nb__a-" + "v" * 40 + "_b-" + "w" * 31 + "_h[0-9a-f]{8}", cut)


VALUES = st.one_of(st.integers(-3, 30), st.booleans(), st.none(),
                   st.text("ab5_- /", max_size=6),
                   st.lists(st.text("ab_", max_size=3), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "a_b", "year"]), VALUES, max_size=3),
       st.dictionaries(st.sampled_from(["a", "b", "a_b", "year"]), VALUES, max_size=3))
def test_report_stem_distinct_parameters_distinct_files(p, q):
    path = Path("05-tensions.ipynb")
    if json.dumps(p, sort_keys=True) != json.dumps(q, sort_keys=True):
        assert report_stem(path, p) != report_stem(path, q)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", report_stem(path, p))


# --------------------------------------------------------------------------- render()
def test_render_plan_checks_parameters_before_anything_runs(src, tmp_path):
    ran = tmp_path / "ran"
    a = make_notebook(src / "10-a.ipynb", [sentinel_cell(ran)], params="x = 1")
    b = make_notebook(src / "11-b.ipynb", [sentinel_cell(ran)], params="y = 1\nz = 2")
    c = make_notebook(src / "12-c.ipynb", [sentinel_cell(ran)], params="")
    out = tmp_path / "out"
    cases = [([a], {"yaer": 1}, "unknown parameter(s) 'yaer' for 10-a; valid: x"),
             ([a, b], {"x": 1, "w": 2, "v": 3},
              "unknown parameter(s) 'w', 'v' for these notebooks; valid: x, y, z"),
             ([c], {"x": 1},
              "unknown parameter(s) 'x' for 12-c; valid: none (the notebook takes no "
              "parameters)")]
    for notebooks, params, message in cases:
        with pytest.raises(apr.RenderError) as err:
            engine.render(notebooks, params, out, log=None)
        assert str(err.value) == message
    assert not out.exists() and not ran.exists()
    # several notebooks: each gets the parameters it declares
    jobs = engine._plan([a, b], {"x": 5, "z": 7})
    assert [j.params for j in jobs] == [{"x": 5}, {"z": 7}]
    assert [j.stem for j in engine._plan(None, {})] == [e.stem for e in CATALOGUE]


def test_render_without_notebooks(monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "list_notebooks", lambda folder=None: [])
    with pytest.raises(apr.RenderError, match="^no notebooks to render$"):
        engine.render(None, {}, tmp_path / "out", log=None)


def test_render_logs_each_report_in_order(fast, src, tmp_path):
    bad = make_notebook(src / "10-bad.ipynb", ["y = x + 1", "raise ValueError(f'boom {y}')"])
    good = make_notebook(src / "11-good.ipynb", ["y = x * 2"])
    lines = []
    out = tmp_path / "out"
    results = engine.render([good, bad], {"x": 5}, out, workers=1, log=lines.append)
    assert [r.notebook for r in results] == ["11-good", "10-bad"]  # the order asked for
    assert re.fullmatch(r"11-good \{'x': 5\}: ok in \d+\.\ds -> " + re.escape(
        str(out / "11-good__x-5.html")), lines[0])
    assert lines[1] == ("10-bad {'x': 5}: FAILED at code cell 3 (raise ValueError(f'boom "
                        "{y}')): ValueError: boom 6")
    # render() always renders anew
    again = engine.render([good], {"x": 5}, out, workers=1, log=None)
    assert [r.status for r in again] == ["ok"]


# --------------------------------------------------------------------------- the command
def test_value_is_json_where_it_parses():
    assert cli._value("1960") == 1960 and cli._value("2.5") == 2.5
    assert cli._value("true") is True and cli._value("null") is None
    assert cli._value('["JPN", "KOR"]') == ["JPN", "KOR"]
    assert cli._value("JPN") == "JPN" and cli._value("South China Sea") == "South China Sea"


def test_summary_counts_and_failures(capsys):
    ok = ReportResult("10-a", {"x": 1}, "ok", stem="10-a__x-1")
    bad = ReportResult("12-b", {"x": 2, "name": "JPN"}, "failed", stem="12-b", cell=3,
                       cell_source="raise ValueError()", error="ValueError: no")
    crash = ReportResult("11-c", {}, "failed", stem="11-c", error="BrokenProcessPool: gone")
    assert cli._summary([ok], 4, "site/") == 0
    captured = capsys.readouterr()
    assert captured.out == ("1 rendered, 4 unchanged (skipped), 0 failed; index: "
                            "site/index.html\n")
    assert captured.err == ""
    assert cli._summary([bad, ok, crash], 0, "out") == 1
    captured = capsys.readouterr()
    assert captured.out == "1 rendered, 0 unchanged (skipped), 2 failed; index: out/index.html\n"
    assert captured.err == ("\nFAILED\n"
                            "  11-c [defaults] at start: BrokenProcessPool: gone\n"
                            '  12-b [name="JPN", x=2] at code cell 3 (raise ValueError()): '
                            "ValueError: no\n")


def test_cli_output_naming_a_file_is_refused(capsys, src, tmp_path):
    ran = tmp_path / "ran"
    nb = make_notebook(src / "10-a.ipynb", [sentinel_cell(ran)])
    target = tmp_path / "report.html"
    target.write_text("mine")
    assert fails(capsys, ["render", str(nb), "-o", str(target)]) == (
        f"output {target} is a file, not a folder; give a folder with -o")
    assert target.read_text() == "mine" and not ran.exists()


def test_cli_output_below_a_file_is_refused(capsys, src, tmp_path):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"])
    (tmp_path / "f").write_text("mine")
    assert fails(capsys, ["render", str(nb), "-o", str(tmp_path / "f" / "site")]) == (
        f"output folder {tmp_path / 'f' / 'site'} is not writable (Not a directory)")
    assert (tmp_path / "f").read_text() == "mine"


def test_cli_unwritable_output_is_refused_before_anything_runs(capsys, src, tmp_path):
    ran = tmp_path / "ran"
    nb = make_notebook(src / "10-a.ipynb", [sentinel_cell(ran)])
    out = tmp_path / "locked"
    out.mkdir()
    (out / "old.html").write_text("old")
    out.chmod(0o555)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: a 0o555 folder stays writable")
        assert fails(capsys, ["render", str(nb), "-o", str(out), "--workers", "1"]) == (
            f"output folder {out} is not writable (Permission denied)")
        assert fails(capsys, ["render", str(nb), "-o", str(out / "sub")]) == (
            f"output folder {out / 'sub'} is not writable (Permission denied)")
    finally:
        out.chmod(0o755)
    assert not ran.exists()
    assert sorted(p.name for p in out.iterdir()) == ["old.html"]


def test_cli_unwritable_output_even_as_root(capsys, monkeypatch, src, tmp_path):
    """The same refusal where the write probe is denied (as for a user without the right)."""
    ran = tmp_path / "ran"
    nb = make_notebook(src / "10-a.ipynb", [sentinel_cell(ran)])
    real = Path.write_bytes

    def denied(self, data):
        if self.name.startswith(".write-test-"):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", denied)
    out = tmp_path / "locked"
    assert fails(capsys, ["render", str(nb), "-o", str(out), "--workers", "1"]) == (
        f"output folder {out} is not writable (Permission denied)")
    assert not ran.exists() and list(out.iterdir()) == []


def test_cli_output_holding_the_sources_is_refused(capsys, src):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"])
    before = nb.read_bytes()
    assert fails(capsys, ["render", str(nb), "-o", str(src)]) == (
        f"output folder {src} holds the source notebook 10-a.ipynb; choose another folder")
    assert nb.read_bytes() == before and sorted(p.name for p in src.iterdir()) == ["10-a.ipynb"]
    assert "holds the source notebook 02-alliances.ipynb" in fails(
        capsys, ["render", "02", "-o", str(REPO / "notebooks")])


def test_cli_ambiguous_prefix_is_refused_with_the_list(capsys, monkeypatch, variants,
                                                       tmp_path):
    monkeypatch.setattr(catalogue, "notebooks_dir", lambda: variants)
    out = tmp_path / "out"
    assert fails(capsys, ["render", "02", "-o", str(out)]) == (
        "notebook '02' matches several: 02-alliances-my-variant, 02-alliances; give the full "
        "name")
    assert fails(capsys, ["render", "9", "-o", str(out)]) == (
        "unknown notebook '9'; available: 01-actors, 02-alliances-my-variant, 02-alliances, "
        "03-exercises")
    assert not out.exists()


def test_cli_parameter_mistakes(capsys, src, tmp_path):
    nb = make_notebook(src / "10-a.ipynb", ["y = 1"], params="x = 1\nname = 'a'")
    out = tmp_path / "out"
    assert fails(capsys, ["render", str(nb), "-p", "colour", "red", "-o", str(out)]) == (
        "unknown parameter(s) 'colour' for 10-a; valid: name, x")
    assert fails(capsys, ["render", str(nb), "--manifest", "m.toml"]) == (
        "give either --manifest or notebooks and -p, not both")
    assert fails(capsys, ["render", "--manifest", "m.toml", "-p", "x", "1"]) == (
        "give either --manifest or notebooks and -p, not both")
    for flag in ("--timeout", "--workers"):
        for value in ("0", "-2"):
            assert fails(capsys, ["render", str(nb), flag, value, "-o", str(out)]) == (
                f"{flag[2:]} = {value} must be a whole number >= 1")
    assert not out.exists()


MANIFEST_FAULTS = [
    ('[[report]]\nnotebok = "{nb}"\n',
     "manifest [[report]] #1 has unknown key(s) notebok; valid: notebook, parameters"),
    ('[profiles]\nnotebook = "{nb}"\ncountries = "JPN"\n',
     'manifest [profiles] countries = \'JPN\' must be "all" or a list of ISO3 codes such as '
     '["JPN", "KOR"]'),
    ('[dafaults]\nnotebooks = "all"\n',
     "manifest top level has unknown key(s) dafaults; valid: defaults, dyads, grid, output, "
     "profiles, report, timeout, workers"),
    ('[dyads]\nnotebook = "{nb}"\npairs = [["USA", "CHN", "JPN"]]\n',
     "manifest [dyads] pairs entry ['USA', 'CHN', 'JPN'] must list two ISO3 codes"),
    ('[dyads]\nnotebook = "{nb}"\npairs = ["USA", "CHN"]\n',
     "manifest [dyads] pairs entry 'USA' must list two ISO3 codes"),
    ("timeout = 0\n", "manifest timeout = 0 must be a whole number >= 1"),
    ('workers = "2"\n', "manifest workers = '2' must be a whole number >= 1"),
    ('[[report]]\nnotebook = "{nb}"\nparameters = {{ yr = 1 }}\n',
     "unknown parameter(s) 'yr' for 10-a; valid: country_a, country_b, country"),
    ("[[report\n", "manifest {m}: "),
]


@pytest.mark.parametrize(("text", "message"), MANIFEST_FAULTS,
                         ids=["misspelt key", "string for list", "unknown section",
                              "pair of three", "pairs flat", "timeout", "workers",
                              "unknown parameter", "toml syntax"])
def test_cli_manifest_faults(capsys, src, tmp_path, text, message):
    ran = tmp_path / "ran"
    nb = make_notebook(src / "10-a.ipynb", [sentinel_cell(ran)],
                       params="country_a = 'USA'\ncountry_b = 'CHN'\ncountry = 'JPN'")
    m = tmp_path / "reports.toml"
    m.write_text('output = "site"\n' + text.format(nb=nb))
    error = fails(capsys, ["render", "--manifest", str(m)])
    assert error.startswith(message.format(m=m)), error
    if "[[report\n" == text:
        assert "(at line 2, column 9)" in error
    assert not (tmp_path / "site").exists() and not ran.exists()


def test_cli_missing_manifest(capsys, tmp_path):
    assert fails(capsys, ["render", "--manifest", str(tmp_path / "no.toml")]) == (
        f"manifest {tmp_path / 'no.toml'} not found")


CODE = '<div class="jp-CodeMirrorEditor'  # a code cell's input in nbconvert's lab template


def test_cli_renders_reports_and_names_failures(fast, capsys, src, tmp_path):
    good = make_notebook(src / "10-good.ipynb", ["y = x * 2", "print('y is', y)"])
    bad = make_notebook(src / "11-bad.ipynb",
                        ["y = x + 1", "\n\nraise ValueError('boom ' + str(y))"])
    out = tmp_path / "out"
    code = cli.main(["render", str(good), str(bad), "-p", "x", "5", "-o", str(out),
                     "--workers", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.splitlines()[-1] == (
        f"1 rendered, 0 unchanged (skipped), 1 failed; index: {out}/index.html")
    assert captured.err.splitlines()[-2:] == [
        "FAILED", "  11-bad [x=5] at code cell 3 (raise ValueError('boom ' + str(y))): "
                  "ValueError: boom 6"]
    assert "Traceback" not in captured.err
    assert (out / "10-good__x-5.html").is_file() and (out / "11-bad__x-5.html").is_file()
    page = (out / "10-good__x-5.html").read_text()
    assert "<pre>y is 10" in page and CODE not in page  # code hidden by default
    # only the good one, with its code shown: exit status 0
    assert cli.main(["render", str(good), "-p", "x", "6", "-o", str(out), "--workers", "1",
                     "--show-code"]) == 0
    assert "1 rendered, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out
    page = (out / "10-good__x-6.html").read_text()
    assert "<pre>y is 12" in page and page.count(CODE) == 4  # parameters, injected, 2 cells
    assert not list(out.rglob("*.tmp"))


def test_cli_timeout_applies_per_cell(fast, capsys, src, tmp_path):
    nb = make_notebook(src / "10-slow.ipynb", ["y = 1", "import time\ntime.sleep(10)"])
    assert cli.main(["render", str(nb), "-o", str(tmp_path / "out"), "--timeout", "1",
                     "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "  10-slow [defaults] at code cell 3 (import time): CellTimeoutError: cell ran " \
           "over 1 seconds" in err


def test_cli_manifest_incremental_force_and_output(fast, capsys, src, tmp_path):
    nb = make_notebook(src / "10-a.ipynb", ["y = x"])
    m = tmp_path / "project" / "reports.toml"
    m.parent.mkdir()
    m.write_text(f'output = "site"\nworkers = 1\n[[report]]\nnotebook = "{nb}"\n'
                 "parameters = { x = 4 }\n")
    assert cli.main(["render", "--manifest", str(m)]) == 0
    site = tmp_path / "project" / "site"
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"1 rendered, 0 unchanged (skipped), 0 failed; index: {site}/index.html")
    assert (site / "10-a__x-4.html").is_file()
    assert cli.main(["render", "--manifest", str(m)]) == 0
    assert capsys.readouterr().out.startswith("0 rendered, 1 unchanged (skipped), 0 failed")
    assert cli.main(["render", "--manifest", str(m), "--force"]) == 0
    assert capsys.readouterr().out.startswith("1 rendered, 0 unchanged (skipped)")
    other = tmp_path / "other"
    assert cli.main(["render", "--manifest", str(m), "-o", str(other)]) == 0
    assert (other / "10-a__x-4.html").is_file()
