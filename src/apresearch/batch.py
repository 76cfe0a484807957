"""Render many reports fast: a manifest of notebook x parameter sets, run in parallel on warm
kernels, skipped when nothing changed.

Why it is faster than a shell loop of ``papermill`` and ``jupyter nbconvert``: each worker
starts one Jupyter kernel and keeps it; between reports it clears the namespace
(``%reset -f``), so imports (pandas, matplotlib, apresearch) and the in-memory data cache are
paid once per worker, not once per report; the HTML exporter and its templates are loaded
once per worker too; and workers run in parallel (one per core by default).

Guarantees:

* **Isolation**: a report that fails (an error in a cell, a timeout, a dead kernel) is
  recorded with its cell and error; the worker restarts its kernel and the others go on.
* **Incremental**: a report whose notebook, parameters, data and package version are
  unchanged (the same content hash) is skipped; ``force=True`` redoes it.
* **Atomic**: each output is written to a temporary file and renamed, so an interrupted run
  leaves no half-written report.
* **Any executor**: ``executor=`` takes any :class:`concurrent.futures.Executor`, e.g.
  ``dask.distributed.Client(...).get_executor()`` for a cluster.

The manifest (TOML; see ``reports.toml`` and the README)::

    output = "reports"          # folder, relative to the manifest
    timeout = 600               # seconds per cell

    [defaults]
    notebooks = "all"           # every notebook with its defaults (or a list of names)

    [profiles]
    notebook = "07-country-profile"
    countries = "all"           # one report per actor (or a list of ISO3 codes)
    parameters = { year = 2024 }

    [dyads]
    notebook = "08-dyad"
    pairs = [["USA", "CHN"], ["JPN", "KOR"]]

    [[grid]]                    # every combination of the listed values
    notebook = "05-tensions"
    parameters = { theatre = ["South China Sea", "Taiwan Strait"], start = [2010] }
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import itertools
import json
import os
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .render import (
    RenderError,
    ReportResult,
    _atomic_write,
    _exporter,
    _title,
    list_notebooks,
    notebook_parameters,
    report_stem,
    resolve_notebook,
    write_index,
)

__all__ = ["Job", "load_manifest", "jobs_from_manifest", "render_batch"]


@dataclass(frozen=True)
class Job:
    """One report to render: a notebook and its parameters."""

    notebook: str  # absolute path
    parameters: tuple  # sorted (name, value-as-JSON) pairs, hashable

    @property
    def params(self) -> dict:
        return {k: json.loads(v) for k, v in self.parameters}

    @property
    def stem(self) -> str:
        return report_stem(Path(self.notebook), self.params)


def _job(notebook: str | os.PathLike, params: dict) -> Job:
    path = resolve_notebook(notebook)
    declared = notebook_parameters(path)
    unknown = [k for k in params if k not in declared]
    if unknown:
        raise RenderError(f"Unknown parameter(s) {', '.join(map(repr, unknown))} for "
                          f"{path.stem}; valid: {', '.join(declared) or 'none'}")
    return Job(str(path), tuple(sorted((k, json.dumps(v)) for k, v in params.items())))


def load_manifest(path: str | os.PathLike) -> dict:
    """Read a TOML manifest; a syntax error names the file and the line."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"Manifest {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RenderError(f"Manifest {path}: {exc}") from None


KNOWN_KEYS = {"output", "timeout", "workers", "defaults", "profiles", "dyads", "grid",
              "report"}


def jobs_from_manifest(manifest: dict, actors: list[str] | None = None) -> list[Job]:
    """Expand a manifest into jobs (no duplicates, in a stable order)."""
    unknown = set(manifest) - KNOWN_KEYS
    if unknown:
        raise RenderError(f"Manifest has unknown section(s) {sorted(unknown)}; valid: "
                          + ", ".join(sorted(KNOWN_KEYS)))
    jobs: list[Job] = []
    d = manifest.get("defaults")
    if d:
        names = d.get("notebooks", "all")
        paths = list_notebooks() if names == "all" else [resolve_notebook(n) for n in names]
        jobs += [_job(p, {}) for p in paths]
    prof = manifest.get("profiles")
    if prof:
        codes = prof.get("countries", "all")
        if codes == "all":
            if actors is None:
                from .data import load

                actors = sorted(load("actors")["iso3"].astype(str))
            codes = actors
        for c in codes:
            jobs.append(_job(prof.get("notebook", "07-country-profile"),
                             {**prof.get("parameters", {}), "country": c}))
    dy = manifest.get("dyads")
    if dy:
        for pair in dy.get("pairs", []):
            if len(pair) != 2:
                raise RenderError(f"dyads.pairs entry {pair!r} must list two ISO3 codes")
            jobs.append(_job(dy.get("notebook", "08-dyad"),
                             {**dy.get("parameters", {}), "country_a": pair[0],
                              "country_b": pair[1]}))
    for g in manifest.get("grid", []):
        params = g.get("parameters", {})
        keys = list(params)
        values = [v if isinstance(v, list) else [v] for v in params.values()]
        for combo in itertools.product(*values):
            jobs.append(_job(g["notebook"], dict(zip(keys, combo, strict=True))))
    for r in manifest.get("report", []):
        jobs.append(_job(r["notebook"], r.get("parameters", {})))
    seen, out = set(), []
    for j in jobs:
        if j not in seen:
            seen.add(j)
            out.append(j)
    return out


# --------------------------------------------------------------------------- fingerprints
def _data_fingerprint() -> str:
    from .provenance import data_release

    return data_release()["data_sha256"]


def job_hash(job: Job, data_hash: str) -> str:
    """Content hash of what a report depends on: notebook, parameters, data, package."""
    h = hashlib.sha256()
    h.update(Path(job.notebook).read_bytes())
    h.update(json.dumps(job.parameters).encode())
    h.update(data_hash.encode())
    h.update(__version__.encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- workers
_local = threading.local()  # one warm kernel per worker thread (and so per process)
_registry: list = []  # every warm kernel of this process, to stop them at the end
_registry_lock = threading.Lock()


class _WarmKernel:
    """A kernel kept alive between reports, its namespace cleared before each."""

    def __init__(self, cwd: str):
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=cwd)
        self.cwd = cwd
        with _registry_lock:
            _registry.append(self)

    def reset(self, timeout: int = 60) -> None:
        code = f"%reset -f\nimport os\nos.chdir({self.cwd!r})"
        self.kc.execute_interactive(code, timeout=timeout, store_history=False)

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # pragma: no cover - best effort
            pass


def _kernel(cwd: str) -> _WarmKernel:
    k = getattr(_local, "kernel", None)
    if k is None or not k.km.is_alive() or k.cwd != cwd:
        if k is not None:
            k.shutdown()
        k = _local.kernel = _WarmKernel(cwd)
    return k


def _exporter_cached(show_code: bool):
    key = f"exporter_{show_code}"
    if not hasattr(_local, key):
        setattr(_local, key, _exporter(show_code))
    return getattr(_local, key)


def run_job(job: Job, output_dir: str, timeout: int, show_code: bool) -> ReportResult:
    """Render one job on this worker's warm kernel (top-level, so executors can pickle it)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    src = Path(job.notebook)
    out = Path(output_dir)
    t0 = time.perf_counter()
    result = ReportResult(notebook=src.stem, parameters=job.params, status="ok")
    nb = load_notebook_node(str(src))  # papermill's reader: sets the metadata it needs
    nb = parameterize_notebook(nb, job.params, report_mode=False)
    result.title = _title(nb)
    kernel = _kernel(str(src.parent))
    try:
        kernel.reset()
        client = NotebookClient(nb, km=kernel.km, timeout=timeout, allow_errors=False,
                                kernel_name="python3")
        client.kc = kernel.kc
        client.execute()
    except CellExecutionError as exc:
        result.status = "failed"
        result.error = f"{exc.ename}: {exc.evalue}"
        result.cell = _failed_count(nb)
    except (CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as exc:
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        result.cell = _failed_count(nb)
        kernel.shutdown()
        _local.kernel = None  # a fresh kernel for the next report
    body, _ = _exporter_cached(show_code).from_notebook_node(nb)
    page, ipynb = out / f"{job.stem}.html", out / f"{job.stem}.ipynb"
    _atomic_write(page, body)
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{job.stem}.", suffix=".ipynb")
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, ipynb)
    finally:
        Path(tmp).unlink(missing_ok=True)
    result.html, result.ipynb = page.name, ipynb.name
    result.seconds = round(time.perf_counter() - t0, 2)
    return result


def _failed_count(nb) -> int | None:
    """Execution count of the last executed cell (the one that failed)."""
    counts = [c.get("execution_count") for c in nb.cells if c.cell_type == "code"
              and c.get("execution_count")]
    return counts[-1] if counts else None


def render_batch(jobs: list[Job], output_dir: str | os.PathLike = "reports", *,
                 executor: cf.Executor | None = None, workers: int | None = None,
                 timeout: int = 600, force: bool = False, show_code: bool = False,
                 progress: bool = True) -> tuple[list[ReportResult], list[Job]]:
    """Render ``jobs`` into ``output_dir``; returns (results of rendered jobs, skipped jobs).

    Without ``executor``, a thread pool of ``workers`` (default: one per core) is used: the
    work happens in the kernels, so threads are enough, and each thread keeps its own warm
    kernel. Pass any :class:`concurrent.futures.Executor` to run elsewhere.
    """
    out = Path(output_dir).resolve()
    for j in jobs:
        if Path(j.notebook).parent == out:
            raise RenderError(f"Output folder {out} holds the source notebook "
                              f"{Path(j.notebook).name}; choose another folder.")
    out.mkdir(parents=True, exist_ok=True)
    from .render import _load_manifest

    previous = _load_manifest(out)
    data_hash = _data_fingerprint()
    todo, skipped, hashes = [], [], {}
    for j in jobs:
        hashes[j] = job_hash(j, data_hash)
        old = previous.get(j.stem, {})
        fresh = (old.get("hash") == hashes[j] and old.get("status") == "ok"
                 and old.get("html") and (out / old["html"]).is_file())
        (skipped if fresh and not force else todo).append(j)
    own = executor is None
    pool = executor or cf.ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1)
    results: list[ReportResult] = []
    bar = None
    if progress and todo:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(todo), desc="rendering", unit="report")
        except ImportError:  # pragma: no cover
            bar = None
    try:
        futures = {pool.submit(run_job, j, str(out), timeout, show_code): j for j in todo}
        for fut in cf.as_completed(futures):
            j = futures[fut]
            try:
                r = fut.result()
            except Exception as exc:  # the worker itself failed
                r = ReportResult(notebook=Path(j.notebook).stem, parameters=j.params,
                                 status="failed", error=f"{type(exc).__name__}: {exc}")
            results.append(r)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        if own:
            pool.shutdown(wait=True)
            _shutdown_kernels()
    write_index(out, results, hashes={j.stem: h for j, h in hashes.items()})
    return results, skipped


def _shutdown_kernels() -> None:
    """Stop the warm kernels this process started."""
    with _registry_lock:
        kernels, _registry[:] = list(_registry), []
    for k in kernels:
        k.shutdown()
