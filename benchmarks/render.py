"""The batch renderer against the loop a user would write and against the compute floor, on
the same reports, in one run.

    python benchmarks/render.py [--manifest reports.toml] [--limit 12 | --all]

(a) **naive**: for each report, one after another, ``papermill NB OUT -p NAME VALUE ...``
    then ``jupyter nbconvert --to html OUT`` (subprocesses: a kernel per report);
(b) **batch**: ``apresearch.reports.engine.render_batch(jobs, folder, force=True,
    progress=False)`` (worker processes, one per core);
(c) **floor**: the same reports' code run in one warm Python process (``_nbrun``: no kernel,
    no IPython shell, no HTML), every figure open at the end of a cell drawn to PNG
    (``savefig`` to a BytesIO, as the inline backend does) and each last expression's value
    formatted as a kernel would, divided by the number of workers (``os.cpu_count()``).
    Cells tagged ``widgets`` are left out of the floor, as the batch leaves them out (the
    HTML drops them).

Targets: naive / batch >= 8x over the whole manifest (``--all``; the default, the first 12
reports, is a sample); batch / (floor / workers) <= 1.3.

The breakdown per report puts the batch's own time for it (``ReportResult.seconds``, in a
worker) beside its parts measured here: code, PNG encoding, output formatting (from
the floor) and the HTML export (nbconvert's HTMLExporter with the renderer's template
on the executed notebook the batch wrote); what is left is the shell, parameterising,
writing and contention between the workers. Both renderings are then checked to give the
same text outputs per report (streams, text/plain of every result and display, and which
outputs hold an image), and the same text/html outputs (tables as the HTML shows them),
Bokeh's random element ids and object addresses set aside.
The breakdown also renders each report with the batch's own ``run_job`` in this process,
one at a time ("serial"), so that the engine's cost per report and the cost of two workers
competing for the cores are told apart.

The machine may be shared: the naive loop and the floor use one core, the batch both. CPU
seconds are printed beside the wall times (children's rusage for the subprocesses and
workers): the work done, which other users of the machine do not inflate as they do the
wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import _nbrun  # noqa: E402 - the notebook runner beside this script
import nbformat  # noqa: E402

from apresearch.reports import engine  # noqa: E402
from apresearch.reports.manifest import jobs_from_manifest, load_manifest  # noqa: E402

_VOLATILE = [(re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
              "<uuid>"),  # Bokeh's element ids
             (re.compile(r"\bp\d{4,}\b"), "p<id>"),  # Bokeh's model ids (a counter)
             (re.compile(r" at 0x[0-9a-f]+>"), " at 0x...>")]  # object reprs


def _steady(text: str) -> str:
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


def content(path: Path, rich: bool = False) -> list:
    """Text outputs of every code cell (what a reader sees, without timings, ids or object
    addresses); with ``rich``, the text/html of every result and display instead (tables as
    the HTML shows them). Cells tagged ``widgets`` are left out: the HTML drops them, and
    the batch does not run them."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or "injected-parameters" in tags or "widgets" in tags:
            continue
        for o in cell.get("outputs", []):
            if rich:
                if "data" in o and "text/html" in o["data"]:
                    out.append(_steady(o["data"]["text/html"]))
            elif o.get("output_type") == "stream":
                out.append(_steady(o["text"]))
            elif "data" in o:
                out.append(_steady(o["data"].get("text/plain", "")))
                out.append("image" if "image/png" in o["data"] else "")
            elif o.get("output_type") == "error":
                out.append(f"error {o.get('ename')}")
    return out


def shown_after_semicolon(path: Path) -> int:
    """Cells ending with ';' that nevertheless have an Out[] (a kernel shows none)."""
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.source.rstrip().endswith(";")
               and any(o.get("output_type") == "execute_result" for o in c.get("outputs", [])))


def _first_difference(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"output {i}: {str(x)[:60]!r} vs {str(y)[:60]!r}"
    return f"{len(a)} outputs vs {len(b)}"


def _cli_params(params: dict) -> list[str]:
    out = []
    for k, v in params.items():
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            out += ["-p", k, str(v)]
        else:  # lists and booleans as YAML (JSON is YAML)
            out += ["-y", json.dumps({k: v})]
    return out


def children_cpu() -> float:
    """CPU seconds of every finished child process of this one (subprocesses, workers)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def naive(jobs, folder: Path) -> tuple[float, dict]:
    per = {}
    t0 = time.perf_counter()
    for j in jobs:
        out = folder / f"{j.stem}.ipynb"
        t = time.perf_counter()
        subprocess.run([str(BIN / "papermill"), j.notebook, str(out), "--no-progress-bar",
                        "--cwd", str(Path(j.notebook).parent), *_cli_params(j.params)],
                       check=True, capture_output=True)
        t1 = time.perf_counter()
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)],
                       check=True, capture_output=True)
        per[j.stem] = (t1 - t, time.perf_counter() - t1)
    return time.perf_counter() - t0, per


def parameterised(job):
    """The notebook with its parameters injected, exactly as the batch renderer does."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(job.notebook)
    return parameterize_notebook(nb, job.params, report_mode=False)


def floor(jobs) -> dict:
    per = {}
    for j in jobs:
        per[j.stem] = _nbrun.run_notebook(parameterised(j), cwd=Path(j.notebook).parent,
                                          png=True, format_outputs=True,
                                          name=j.stem)
    return per


def export_times(jobs, folder: Path) -> dict:
    """Seconds of the renderer's HTML export of each executed notebook the batch wrote."""
    exporter = engine._exporter(False)  # the batch's own exporter and template
    per = {}
    for j in jobs:
        path = folder / f"{j.stem}.ipynb"
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        t = time.perf_counter()
        body, _ = exporter.from_notebook_node(nb)
        engine._inline_bokeh(body)
        per[j.stem] = time.perf_counter() - t
    return per


def serial(jobs, folder: Path) -> dict:
    """Each report rendered by the batch's own ``run_job`` in this process, one at a time:
    the engine's cost per report without a pool or a second worker competing."""
    per = {}
    for j in jobs:
        t = time.perf_counter()
        r = engine.run_job(j, str(folder))
        per[j.stem] = (time.perf_counter() - t, r.status)
    return per


def _fresh_seconds(code: str) -> float:
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, cwd=ROOT)
    return float(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", default=str(ROOT / "reports.toml"))
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--limit", type=int, default=12, help="only the first N reports")
    group.add_argument("--all", action="store_true", help="every report of the manifest")
    args = ap.parse_args()
    workers = os.cpu_count() or 1

    t = time.perf_counter()
    jobs = jobs_from_manifest(load_manifest(args.manifest))
    expand = time.perf_counter() - t
    total = len(jobs)
    if not args.all:
        jobs = jobs[: args.limit]
    print(f"{len(jobs)} of the {total} reports of {args.manifest}; {workers} workers "
          f"(cores); load average {os.getloadavg()[0]:.2f}")
    print(f"  (manifest expanded into jobs in {expand:.2f} s, collection loaded in this "
          "process as `apresearch render` does)")

    with (tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b,
          tempfile.TemporaryDirectory() as c):
        a, b, c = Path(a), Path(b), Path(c)
        k = children_cpu()
        t_naive, per_naive = naive(jobs, a)
        cpu_naive = children_cpu() - k
        print(f"(a) naive loop, papermill then nbconvert:   {t_naive:8.1f} s   "
              f"({cpu_naive:.1f} s CPU)", flush=True)

        t, k, p = time.perf_counter(), children_cpu(), time.process_time()
        results, _ = engine.render_batch(jobs, b, force=True, progress=False)
        t_batch = time.perf_counter() - t
        cpu_batch = children_cpu() - k + time.process_time() - p
        print(f"(b) batch renderer, {workers} workers:           {t_batch:8.1f} s   "
              f"({cpu_batch:.1f} s CPU, workers and this process)", flush=True)

        warm = _nbrun.warm_up()
        p = time.process_time()
        per_floor = floor(jobs)
        cpu_floor = time.process_time() - p
        floor_total = sum(x.total for x in per_floor.values())
        per_export = export_times(jobs, b)
        per_serial = serial(jobs, c)
        t_serial = sum(x for x, _ in per_serial.values())
        print(f"(c) floor, one warm process:                {floor_total:8.1f} s   "
              f"({cpu_floor:.1f} s CPU) / {workers} workers = {floor_total / workers:.1f} s   "
              f"(warm-up {warm:.1f} s, not counted)")

        print(f"    batch's run_job, one report at a time in this process: {t_serial:8.1f} s")
        print(f"\nnaive / batch            {t_naive / t_batch:6.1f}x   (target >= 8x over the "
              f"whole manifest{'' if args.all else '; this is a sample of it'})")
        print(f"batch / (floor/workers)  {t_batch / (floor_total / workers):6.2f}    "
              "(target <= 1.3)")
        print(f"CPU seconds: naive / batch {cpu_naive / cpu_batch:.1f}x; batch / floor "
              f"{cpu_batch / cpu_floor:.2f} (the work done, whatever else runs on the machine)")

        # ------------------------------------------------------------ breakdown
        by_stem = {r.stem: r for r in results}
        print("\nper report, seconds. naive: papermill, nbconvert. batch: the worker's time for "
              "the report;\nserial: run_job alone in this process, and its parts: code, png, "
              "fmt (from the floor), export (HTML);\nrest = serial - parts "
              "(cells tagged widgets are run by neither: the HTML drops them)")
        print(f"  {'report':<40} {'papermill':>9} {'nbconv':>6} | {'batch':>6} | {'serial':>6} "
              f"= {'code':>6} {'png':>5} {'fmt':>5} {'export':>6} {'rest':>5}")
        keys = ("pm", "nb", "batch", "serial", "code", "png", "fmt", "exp", "rest")
        sums = dict.fromkeys(keys, 0.0)
        for j in jobs:
            pm, nbc = per_naive[j.stem]
            r, f = by_stem.get(j.stem), per_floor[j.stem]
            ex = per_export.get(j.stem, 0.0)
            secs = r.seconds if r is not None and r.seconds is not None else float("nan")
            ser, status = per_serial[j.stem]
            rest = ser - (f.code + f.png + f.format + ex)
            note = f"  floor error: {f.error}" if f.error else ""
            if r is not None and r.status != "ok":
                note += f"  batch {r.status}: {r.error}"
            if status != "ok":
                note += f"  serial {status}"
            vals = (pm, nbc, secs, ser, f.code, f.png, f.format, ex, rest)
            print(f"  {j.stem[:40]:<40} {pm:9.2f} {nbc:6.2f} | {secs:6.2f} | {ser:6.2f} = "
                  f"{f.code:6.2f} {f.png:5.2f} {f.format:5.2f} {ex:6.2f} "
                  f"{rest:5.2f}{note}")
            for k, v in zip(keys, vals, strict=True):
                sums[k] += v
        print(f"  {'total':<40} {sums['pm']:9.2f} {sums['nb']:6.2f} | {sums['batch']:6.2f} | "
              f"{sums['serial']:6.2f} = {sums['code']:6.2f} {sums['png']:5.2f} "
              f"{sums['fmt']:5.2f} {sums['exp']:6.2f} {sums['rest']:5.2f}")
        print(f"  batch - serial, summed over reports: {sums['batch'] - sums['serial']:.1f} s "
              "(two workers sharing the cores, and with whoever else uses the machine)")
        figures = sum(x.figures for x in per_floor.values())
        print(f"  ({figures} figures drawn to PNG in the floor)")

        # outside the reports: what the batch pays once
        start = _fresh_seconds(
            "import time; t = time.perf_counter(); from apresearch.reports import engine; "
            "engine.warm_up(); print(time.perf_counter() - t)")
        hashes = _fresh_seconds(
            "import time; from apresearch.reports import engine; "
            "t = time.perf_counter(); engine._data_hash(); engine._package_hash(); "
            "print(time.perf_counter() - t)")
        longest = max((r.seconds or 0.0 for r in results), default=0.0)
        busy = max(sums["batch"] / workers, longest)
        print(f"\nbatch wall {t_batch:.1f} s = the reports' own time, at best "
              f"(max(summed / {workers}, longest report) = {busy:.1f} s) + {t_batch - busy:.1f} s "
              "outside the reports:\n  pool start, each worker's warm-up, idle workers at the "
              "end, the index")
        print(f"  a worker's warm-up in a fresh process (imports, shell, collection): "
              f"{start:.2f} s (forked workers inherit what the parent already imported)")
        print(f"  job hashes before the pool starts (collection hash, package hash), fresh "
              f"process: {hashes:.2f} s")

        # ------------------------------------------------------------ same content
        same, same_html, diffs, semi = 0, 0, [], [0, 0]
        for j in jobs:
            pa, pb = a / f"{j.stem}.ipynb", b / f"{j.stem}.ipynb"
            if not pb.is_file():
                diffs.append(f"{j.stem}: no batch output")
                continue
            semi[0] += shown_after_semicolon(pa)
            semi[1] += shown_after_semicolon(pb)
            ca, cb = content(pa), content(pb)
            ha, hb = content(pa, rich=True), content(pb, rich=True)
            same += ca == cb
            same_html += ha == hb
            if ca != cb:
                diffs.append(f"{j.stem}: text {_first_difference(ca, cb)}")
            if ha != hb:
                diffs.append(f"{j.stem}: html {_first_difference(ha, hb)}")
        failed = [r for r in results if r.status != "ok"]
        print(f"\nsame text outputs (naive vs batch): {same} of {len(jobs)}; same text/html "
              f"outputs: {same_html} of {len(jobs)}; batch failures: {len(failed)}")
        print(f"cells ending with ';' that show an Out[] anyway: naive {semi[0]}, batch "
              f"{semi[1]}")
        for d in diffs:
            print(f"  differs: {d}")


if __name__ == "__main__":
    main()
