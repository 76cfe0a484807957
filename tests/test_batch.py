"""The batch renderer: manifest expansion, isolation of failures, incremental runs, executors."""

from __future__ import annotations

import concurrent.futures as cf
import json

import nbformat
import pytest
from conftest import make_notebook

import apresearch as apr
from apresearch import batch
from apresearch.cli import main as cli


@pytest.fixture
def nbs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    good = make_notebook(src / "10-good.ipynb", ["y = x * 2", "print('y is', y)"])
    bad = make_notebook(src / "11-bad.ipynb", ["raise ValueError('bad x ' + str(x))"])
    leak = make_notebook(src / "12-leak.ipynb",
                         ["print('clean' if 'y' not in dir() else 'LEAKED')"])
    return good, bad, leak


def test_manifest_expansion():
    jobs = batch.jobs_from_manifest({
        "defaults": {"notebooks": ["02-alliances"]},
        "profiles": {"countries": ["JPN", "KOR"], "parameters": {"year": 2020}},
        "dyads": {"pairs": [["USA", "CHN"]]},
        "grid": [{"notebook": "05-tensions",
                  "parameters": {"theatre": ["South China Sea", "Taiwan Strait"],
                                 "start": [2010, 2015]}}],
        "report": [{"notebook": "02-alliances"}],  # a duplicate of the default: once only
    })
    stems = [j.stem for j in jobs]
    assert stems[:3] == ["02-alliances", "07-country-profile__country-JPN_year-2020",
                         "07-country-profile__country-KOR_year-2020"]
    assert "08-dyad__country_a-USA_country_b-CHN" in stems
    assert sum(s.startswith("05-tensions") for s in stems) == 4  # 2 x 2 grid
    assert len(stems) == len(set(stems)) == 8


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"dafaults": {}}, r"unknown section\(s\) \['dafaults'\]; valid: "),
        ({"report": [{"notebook": "02-alliances", "parameters": {"yr": 1}}]},
         r"Unknown parameter\(s\) 'yr' for 02-alliances; valid: year, kinds, max_parties"),
        ({"dyads": {"pairs": [["USA"]]}}, "must list two ISO3 codes"),
        ({"report": [{"notebook": "99-none"}]}, "Unknown notebook '99-none'"),
    ],
)
def test_bad_manifest(manifest, message):
    with pytest.raises(apr.RenderError, match=message):
        batch.jobs_from_manifest(manifest)


def test_isolation_incremental_and_force(tmp_path, nbs):
    good, bad, leak = nbs
    out = tmp_path / "out"
    jobs = [batch._job(good, {"x": 3}), batch._job(bad, {}), batch._job(leak, {})]
    results, skipped = batch.render_batch(jobs, out, workers=1, progress=False)
    by = {r.notebook: r for r in results}
    assert skipped == []
    assert by["10-good"].status == "ok"
    assert (by["11-bad"].status, by["11-bad"].error) == ("failed", "ValueError: bad x 1")
    assert by["11-bad"].cell == 3  # In [3]: parameters, injected, the raise
    executed = nbformat.read(out / "10-good__x-3.ipynb", as_version=4)
    assert "y is 6" in executed.cells[-1].outputs[0]["text"]
    # one warm kernel ran all three, and the namespace was cleared between reports
    assert "clean" in nbformat.read(out / "12-leak.ipynb", as_version=4).cells[-1].outputs[0][
        "text"]
    index = (out / "index.html").read_text()
    assert '<tr class="group"><th colspan="6">10-good</th></tr>' in index
    assert "failed at In [3]: ValueError: bad x 1" in index
    assert not list(out.glob(".*"))  # no temporary file left
    # nothing changed: the good ones are skipped, the failed one is tried again
    results, skipped = batch.render_batch(jobs, out, workers=1, progress=False)
    assert [j.stem for j in skipped] == ["10-good__x-3", "12-leak"]
    assert [r.notebook for r in results] == ["11-bad"]
    # --force redoes everything; an edited notebook is re-rendered
    results, skipped = batch.render_batch(jobs, out, workers=1, progress=False, force=True)
    assert len(results) == 3 and not skipped
    make_notebook(good, ["y = x * 3", "print('y is', y)"])
    results, skipped = batch.render_batch(jobs, out, workers=1, progress=False)
    assert "10-good" in [r.notebook for r in results]
    manifest = json.loads((out / "_reports.json").read_text())
    assert manifest["10-good__x-3"]["hash"]


def test_any_executor(tmp_path, nbs):
    good, _, _ = nbs
    jobs = [batch._job(good, {"x": v}) for v in (1, 2)]
    with cf.ThreadPoolExecutor(max_workers=2) as pool:
        results, _ = batch.render_batch(jobs, tmp_path / "out", executor=pool, progress=False)
    assert sorted(r.status for r in results) == ["ok", "ok"]


def test_dask_local_cluster(tmp_path, nbs):
    distributed = pytest.importorskip("distributed", reason="the optional extra 'cluster'")
    good, bad, _ = nbs
    jobs = [batch._job(good, {"x": 5}), batch._job(bad, {})]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        results, _ = batch.render_batch(jobs, tmp_path / "out", executor=client.get_executor(),
                                        progress=False)
    assert {r.notebook: r.status for r in results} == {"10-good": "ok", "11-bad": "failed"}
    assert (tmp_path / "out" / "10-good__x-5.html").is_file()


def test_cli_manifest(tmp_path, nbs, capsys):
    good, bad, _ = nbs
    m = tmp_path / "reports.toml"
    m.write_text(f'output = "site"\n[[report]]\nnotebook = "{good}"\nparameters = {{ x = 4 }}\n'
                 f'[[report]]\nnotebook = "{bad}"\n')
    assert cli(["render", "--manifest", str(m), "--workers", "1"]) == 1
    captured = capsys.readouterr()
    assert "1 rendered, 0 unchanged (skipped), 1 failed" in captured.out
    assert "11-bad" in captured.err and "ValueError: bad x 1" in captured.err
    assert (tmp_path / "site" / "10-good__x-4.html").is_file()
    m.write_text("[[report\n")
    assert cli(["render", "--manifest", str(m)]) == 2
    assert "reports.toml" in capsys.readouterr().err
