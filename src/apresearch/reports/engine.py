"""Render reports fast: notebooks executed in warm worker processes, in parallel, skipped
when nothing changed, every file written whole or not at all.

Why it is fast: each worker process imports pandas, matplotlib and apresearch once and loads
the collection once; a report's code cells then run directly in that process's IPython shell
(the same shell a Jupyter kernel wraps, without the kernel, its messaging or its start-up),
its namespace cleared between reports. Outputs — streams, figures, tables, errors — are
captured in the notebook's own format and exported to HTML with nbconvert.

Guarantees:

* **Isolation**: a report that fails (an error in a cell, a cell over ``timeout`` seconds,
  a crashed worker) is recorded with the failing cell's position in the source notebook and
  its first line; the other reports go on.
* **Incremental**: a report whose notebook, parameters, data (a data folder given as a
  parameter included), package code and version are unchanged — the same content hash — is
  skipped; ``force=True`` redoes it.
* **Atomic, and the user's umask**: every file is written to a temporary name and renamed;
  files get the permissions the umask gives new files.
* **Concurrent renders** into one folder never lose an index entry (see
  :mod:`apresearch.reports.site`).
* **Interruption**: Ctrl-C stops scheduling at once; reports already running finish (a
  second Ctrl-C abandons them, leaving no partial file); the index is written for what
  finished and :class:`Interrupted` is raised (the command line exits 130).
* **Any executor**: ``executor=`` takes any :class:`concurrent.futures.Executor`, e.g.
  ``dask.distributed.Client(LocalCluster(threads_per_worker=1)).get_executor()``. A worker
  on another machine needs the notebooks and the data at the same paths (or a shared
  filesystem) and the same environment; the per-cell timeout applies only where the job
  runs in a process's main thread.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import hashlib
import io
import json
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .._version import __version__
from ..errors import RenderError
from ..files import atomic_write
from .catalogue import list_notebooks, notebook_parameters, resolve_notebook
from .manifest import Job, make_job
from .site import ReportResult, read_records, write_index, write_record

__all__ = ["Interrupted", "job_hash", "run_job", "render_batch", "render", "check_output"]


class Interrupted(Exception):
    """A batch stopped by Ctrl-C; ``results`` holds the reports that finished."""

    def __init__(self, results: list[ReportResult], skipped: list[Job]):
        self.results, self.skipped = results, skipped
        super().__init__(f"interrupted after {len(results)} report(s)")


# --------------------------------------------------------------------------- fingerprints
def _package_hash() -> str:
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parents[1]
    for p in sorted(pkg.rglob("*")):
        if p.suffix in (".py", ".json", ".j2", ".bib") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(pkg)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _folder_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix in (".csv", ".json"):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _data_hash() -> str:
    from ..store import collection  # noqa: PLC0415 - pandas only when rendering

    return collection().sha256


def job_hash(job: Job, data_hash: str, package_hash: str = "") -> str:
    """Content hash of what a report depends on: the notebook, its parameters, the data
    (the collection's hash and any data folder given as a parameter), the package."""
    h = hashlib.sha256()
    h.update(Path(job.notebook).read_bytes())
    h.update(json.dumps(job.parameters).encode())
    h.update(data_hash.encode())
    h.update(package_hash.encode())
    for _, value in job.parameters:
        v = json.loads(value)
        if isinstance(v, str) and v:
            folder = Path(job.notebook).parent / Path(v).expanduser()  # as the notebook sees it
            if folder.is_dir():
                h.update(_folder_hash(folder).encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- the shell
class _CellTimeout(Exception):
    pass


_STATE: dict = {}  # per process: the shell, the exporter


def _shell():
    """This process's IPython shell, made once, capturing outputs into a list."""
    if "shell" in _STATE:
        return _STATE["shell"]
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                    **kwargs):
            _STATE["outputs"].append({"output_type": "display_data", "data": data,
                                      "metadata": metadata or {}})

        def clear_output(self, wait=False):
            _STATE["outputs"].clear()

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            _STATE["outputs"].append({"output_type": "execute_result", "data": format_dict,
                                      "metadata": md_dict or {},
                                      "execution_count": _STATE["count"]})

        def finish_displayhook(self):
            pass

        def quiet(self):  # a trailing ';' silences the cell, as in a kernel
            return self.semicolon_at_end_of_expression(_STATE.get("source", ""))

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # the inline backend needs no event loop
            pass

        def _showtraceback(self, etype, evalue, stb):
            _STATE["outputs"].append({"output_type": "error", "ename": etype.__name__,
                                      "evalue": str(evalue), "traceback": list(stb)})
            _STATE["error"] = (etype.__name__, str(evalue))

    shell = Shell.instance(display_pub_class=Publisher, displayhook_class=Hook,
                           colors="NoColor")
    shell.display_pub = Publisher(shell=shell)
    shell.displayhook = Hook(shell=shell)
    sys.displayhook = shell.displayhook
    # what %matplotlib inline does: figures are captured at the end of each cell, even where
    # pyplot was imported earlier with another backend (a forked worker inherits it)
    shell.enable_matplotlib("inline")
    # pyplot also redraws every stale figure after each cell; the inline backend draws each
    # figure again as it captures it, so that first drawing is work thrown away
    for callback in list(shell.events.callbacks["post_execute"]):
        if getattr(callback, "__name__", "") == "_draw_all_if_interactive":
            shell.events.unregister("post_execute", callback)
    _STATE["shell"] = shell
    return shell


class _Stream(io.TextIOBase):
    """stdout or stderr of a cell, appended to the outputs (consecutive writes merged)."""

    def __init__(self, name: str):
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        outs = _STATE["outputs"]
        if outs and outs[-1]["output_type"] == "stream" and outs[-1]["name"] == self.name:
            outs[-1]["text"] += text
        else:
            outs.append({"output_type": "stream", "name": self.name, "text": text})
        return len(text)


def _execute(nb, timeout: int) -> tuple[int | None, str | None, str | None]:
    """Run the notebook's code cells in this process's shell; fill in their outputs.
    Returns (failing cell's position among the source code cells, its first line, error)."""
    import nbformat
    import pandas as pd

    from ..usage import reset as reset_usage

    shell = _shell()
    shell.reset(new_session=False)
    reset_usage()  # the Sources cell lists what this report used, not an earlier one
    # pandas display as in a Jupyter kernel (a worker would otherwise count as a terminal),
    # and nothing a previous report set
    pd.reset_option("^display\\.")
    pd.set_option("display.max_columns", 20)
    _STATE["count"] = 0
    shell.user_ns["__name__"] = "__main__"
    main_thread = _can_alarm()
    position = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        injected = "injected-parameters" in tags
        if not injected:
            position += 1
        if "widgets" in tags:  # for JupyterLab only; the page leaves these cells out
            continue
        _STATE.update(outputs=[], error=None, count=(_STATE.get("count", 0) + 1),
                      source=cell.source)
        old = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
        if main_thread:
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.alarm(max(int(timeout), 1))
        try:
            shell.run_cell(cell.source, store_history=False, silent=False)
        except _CellTimeout:
            _STATE["error"] = ("CellTimeoutError", "")
        finally:
            if main_thread:
                signal.alarm(0)
            sys.stdout, sys.stderr = old
        if _STATE["error"] is not None and _STATE["error"][0] in ("_CellTimeout",
                                                                  "CellTimeoutError"):
            # the shell reports the alarm's exception as the cell's own error
            _STATE["error"] = ("CellTimeoutError", f"cell ran over {timeout} seconds")
        cell.execution_count = _STATE["count"]
        cell.outputs = [nbformat.from_dict(o) for o in _STATE["outputs"]]
        if _STATE["error"] is not None:
            first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
            ename, evalue = _STATE["error"]
            where = position if not injected else 0
            return where, first[:80], f"{ename}: {evalue}"
    return None, None, None


def _can_alarm() -> bool:
    import threading

    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum, frame):  # pragma: no cover - timing dependent
    raise _CellTimeout()


def _exporter(show_code: bool):
    key = f"exporter-{show_code}"
    if key not in _STATE:
        from nbconvert import HTMLExporter

        templates = Path(__file__).resolve().parents[1] / "_templates"
        exporter = HTMLExporter(template_name="apresearch",
                                extra_template_basedirs=[str(templates)])
        exporter.exclude_input = not show_code
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.embed_images = True
        from nbconvert.preprocessors import TagRemovePreprocessor

        # widget cells are for JupyterLab; a report shows the static figures instead
        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"widgets"}),
                                       enabled=True)
        _STATE[key] = exporter
    return _STATE[key]


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def warm_up() -> None:
    """Import what notebooks use and load the collection once in this process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides on Ctrl-C
    from threadpoolctl import threadpool_limits

    # one report per core: a worker's matrix products on one thread, not fighting the others
    threadpool_limits(1)
    if os.environ.get("APRESEARCH_NO_WARMUP"):
        return
    _shell()
    try:
        import matplotlib

        matplotlib.use("module://matplotlib_inline.backend_inline")
        import bokeh.embed  # noqa: F401 - what the interactive figures need
        import bokeh.plotting  # noqa: F401

        from .. import explore  # noqa: F401
        from ..store import collection  # noqa: PLC0415

        collection()
    except Exception:  # noqa: BLE001 - a broken data folder is reported by the report
        pass
    # what is loaded now lives as long as the worker: the garbage collector's full passes
    # need not walk it again after every few thousand allocations of every report
    gc.collect()
    gc.freeze()


def run_job(job: Job, output_dir: str, timeout: int = 600, show_code: bool = False,
            digest: str | None = None) -> ReportResult:
    """Render one job in this process (top-level, so that executors can pickle it)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    src = Path(job.notebook)
    out = Path(output_dir)
    t0 = time.perf_counter()
    result = ReportResult(notebook=src.stem, parameters=job.params, status="ok",
                          stem=job.stem, hash=digest)
    nb = load_notebook_node(str(src))  # papermill's reader: sets the metadata it needs
    nb = parameterize_notebook(nb, job.params, report_mode=False)
    result.title = _title(nb)
    cwd = os.getcwd()
    try:
        os.chdir(src.parent)
        cell, first, error = _execute(nb, timeout)
    finally:
        os.chdir(cwd)
        _close_figures()
    if error is not None:
        result.status, result.error = "failed", error
        result.cell, result.cell_source = cell, first
    body, _ = _exporter(show_code).from_notebook_node(nb)
    body = _inline_bokeh(body)
    page, ipynb = out / f"{job.stem}.html", out / f"{job.stem}.ipynb"
    atomic_write(page, body)
    atomic_write(ipynb, nbformat.writes(nb))
    result.html, result.ipynb = page.name, ipynb.name
    result.seconds = round(time.perf_counter() - t0, 2)
    write_record(out, result)
    return result


def _inline_bokeh(body: str) -> str:
    """Inline BokehJS once into a page that has interactive figures (nothing from a CDN)."""
    from ..explore import MARKER, bokeh_js

    if MARKER not in body:
        return body
    if "bokeh_js" not in _STATE:
        _STATE["bokeh_js"] = bokeh_js()
    return body.replace("</head>", _STATE["bokeh_js"] + "\n</head>", 1)


def _close_figures() -> None:
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


# --------------------------------------------------------------------------- batches
def check_output(output_dir: str | os.PathLike, jobs: Iterable[Job]) -> Path:
    """The output folder, made if needed; refused if it is a file, not writable, or holds a
    source notebook."""
    out = Path(output_dir).expanduser()
    if out.exists() and not out.is_dir():
        raise RenderError(f"output {out} is a file, not a folder; give a folder with -o")
    out = out.resolve()
    for j in jobs:
        if Path(j.notebook).resolve().parent == out:
            raise RenderError(f"output folder {out} holds the source notebook "
                              f"{Path(j.notebook).name}; choose another folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise RenderError(f"output folder {out} is not writable ({exc.strerror})") from None
    return out


def _pool(workers: int | None) -> cf.Executor:
    n = max(1, workers or os.cpu_count() or 1)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return cf.ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context(method),
                                  initializer=warm_up)


def render_batch(jobs: list[Job], output_dir: str | os.PathLike = "reports", *,
                 executor: cf.Executor | None = None, workers: int | None = None,
                 timeout: int = 600, force: bool = False, show_code: bool = False,
                 progress: bool = True, on_result: Callable[[ReportResult], None] | None = None
                 ) -> tuple[list[ReportResult], list[Job]]:
    """Render ``jobs`` into ``output_dir``; returns (results of rendered jobs, skipped jobs).

    Without ``executor``, a pool of ``workers`` processes (default: one per core) runs them,
    no more jobs handed out than there are workers (so that Ctrl-C stops at once); a job
    whose worker crashed is run again alone, and recorded as failed if it crashes it again.
    Pass any :class:`concurrent.futures.Executor` to run elsewhere (every job is then
    submitted up front).
    """
    for name, value in (("timeout", timeout), ("workers", workers)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):
            raise RenderError(f"{name} = {value!r} must be a whole number >= 1")
    out = check_output(output_dir, jobs)
    previous = read_records(out)
    data_hash, package_hash = _data_hash(), _package_hash()
    todo, skipped, digests = [], [], {}
    for j in jobs:
        digests[j] = job_hash(j, data_hash, package_hash)
        old = previous.get(j.stem, {})
        fresh = (old.get("hash") == digests[j] and old.get("status") == "ok"
                 and old.get("html") and (out / old["html"]).is_file())
        (skipped if fresh and not force else todo).append(j)
    results: list[ReportResult] = []
    if not todo:
        write_index(out)
        return results, skipped
    own = executor is None
    n = max(1, workers or os.cpu_count() or 1)
    pool = executor or _pool(n)
    bar = _bar(len(todo)) if progress else None

    def finish(result: ReportResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)
        if bar is not None:
            bar.update(1)

    waiting, alone = list(todo), []  # alone: in flight when a worker crashed
    pending: dict[cf.Future, Job] = {}
    limit = n if own else len(todo)
    interrupted = False
    try:
        while waiting or pending or alone:
            if not waiting and not pending:
                waiting, alone, limit = alone, [], 1
            while waiting and len(pending) < limit:
                j = waiting.pop(0)
                pending[pool.submit(run_job, j, str(out), timeout, show_code, digests[j])] = j
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            if own and any(_crashed(f) for f in done):
                cf.wait(pending)  # a broken pool fails every job in it
                crashed = [j for f, j in pending.items() if _crashed(f)]
                for f in [f for f in pending if not _crashed(f)]:
                    finish(_outcome(f, pending.pop(f), out))
                if len(crashed) == 1:
                    finish(_outcome(next(iter(pending)), crashed[0], out))
                else:
                    alone += crashed
                pending.clear()
                pool.shutdown(wait=False)
                pool = _pool(n)
                continue
            for f in done:
                finish(_outcome(f, pending.pop(f), out))
    except KeyboardInterrupt:
        interrupted = True
        for fut in pending:
            fut.cancel()
        try:  # reports already running finish; a second Ctrl-C abandons them
            for fut in cf.as_completed([f for f in pending if not f.cancelled()]):
                results.append(_outcome(fut, pending[fut], out))
        except KeyboardInterrupt:
            if own:
                for child in multiprocessing.active_children():
                    child.terminate()
    finally:
        if bar is not None:
            bar.close()
        if own:
            pool.shutdown(wait=not interrupted, cancel_futures=True)
    write_index(out)
    if interrupted:
        raise Interrupted(results, skipped)
    return results, skipped


def _crashed(fut: cf.Future) -> bool:
    return (fut.done() and not fut.cancelled()
            and isinstance(fut.exception(), BrokenProcessPool))


def _outcome(fut: cf.Future, job: Job, out: Path) -> ReportResult:
    try:
        return fut.result()
    except cf.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - the worker itself failed (crash, pickling)
        result = ReportResult(notebook=Path(job.notebook).stem, parameters=job.params,
                              status="failed", stem=job.stem,
                              error=f"{type(exc).__name__}: {exc}")
        try:  # so that the index lists it
            write_record(out, result)
        except OSError:
            pass
        return result


def _bar(total: int):
    try:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc="rendering", unit="report")
    except ImportError:  # pragma: no cover
        return None


def _plan(notebooks, parameters: dict) -> list[Job]:
    paths = [resolve_notebook(n) for n in notebooks] if notebooks else list_notebooks()
    if not paths:
        raise RenderError("no notebooks to render")
    declared = {p: notebook_parameters(p) for p in paths}
    unknown = [k for k in parameters if not any(k in d for d in declared.values())]
    if unknown:
        valid = sorted({k for d in declared.values() for k in d})
        where = paths[0].stem if len(paths) == 1 else "these notebooks"
        raise RenderError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} for {where}; valid: "
            + (", ".join(valid) if valid else "none (the notebook takes no parameters)"))
    return [make_job(p, {k: v for k, v in parameters.items() if k in declared[p]})
            for p in paths]


def render(notebooks: Iterable[str | os.PathLike] | None = None,
           parameters: dict | None = None, output_dir: str | os.PathLike = "reports", *,
           timeout: int = 600, workers: int | None = None, show_code: bool = False,
           log: Callable[[str], None] | None = print) -> list[ReportResult]:
    """Execute notebooks (default: all) with ``parameters`` into HTML reports in
    ``output_dir``, always anew. With one notebook, an unknown parameter is an error; with
    several, a name must belong to at least one of them and is passed to those that have
    it."""
    parameters = dict(parameters or {})
    jobs = _plan(list(notebooks) if notebooks else None, parameters)
    results, _ = render_batch(jobs, output_dir, workers=workers, timeout=timeout, force=True,
                              show_code=show_code, progress=False)
    order = {j.stem: i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order.get(r.stem, len(order)))
    if log:
        for r in results:
            head = f"{r.notebook} {r.parameters or ''}".rstrip()
            if r.status == "ok":
                log(f"{head}: ok in {r.seconds:.1f}s -> {Path(output_dir) / r.html}")
            else:
                log(f"{head}: FAILED at {r.where or 'start'}: {r.error}")
    return results
