"""The batch renderer against the loop a user would write, on the same reports.

    python benchmarks/render.py [--manifest reports.toml] [--limit N]

The naive loop runs, one report after another, ``papermill NB OUT -p ...`` and then
``jupyter nbconvert --to html OUT``. The batch renderer runs the same jobs with
``apresearch.batch.render_batch`` (warm kernels, one worker per core, ``force=True``).
Prints both times and their ratio (target: at least 4x), and checks that both produce the
same report content: the text outputs of every executed cell.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from apresearch import batch

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def content(path: Path) -> list:
    """Text outputs of every code cell (what a reader sees, without timings or ids)."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append(o["text"])
            elif "data" in o:
                out.append(o["data"].get("text/plain", ""))
                out.append("image" if "image/png" in o["data"] else "")
    return out


def naive(jobs, folder: Path) -> float:
    t = time.perf_counter()
    for j in jobs:
        out = folder / f"{j.stem}.ipynb"
        cmd = [str(BIN / "papermill"), j.notebook, str(out), "--no-progress-bar",
               "--cwd", str(Path(j.notebook).parent)]
        for k, v in j.params.items():
            cmd += ["-y", json.dumps({k: v})]
        subprocess.run(cmd, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)],
                       check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", default=str(ROOT / "reports.toml"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N reports")
    args = ap.parse_args()
    jobs = batch.jobs_from_manifest(batch.load_manifest(args.manifest))
    if args.limit:
        jobs = jobs[: args.limit]
    print(f"{len(jobs)} reports from {args.manifest}")
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        t_naive = naive(jobs, Path(a))
        print(f"naive loop (papermill, then nbconvert, one by one): {t_naive:8.1f} s")
        t = time.perf_counter()
        results, _ = batch.render_batch(jobs, b, force=True, progress=False)
        t_batch = time.perf_counter() - t
        print(f"batch renderer (warm kernels, one worker per core): {t_batch:8.1f} s")
        print(f"speed-up: {t_naive / t_batch:.1f}x   (target >= 4x)")
        failed = [r for r in results if r.status != "ok"]
        same = sum(content(Path(a) / f"{j.stem}.ipynb") == content(Path(b) / f"{j.stem}.ipynb")
                   for j in jobs)
        print(f"same report content: {same} of {len(jobs)}; batch failures: {len(failed)}")


if __name__ == "__main__":
    main()
