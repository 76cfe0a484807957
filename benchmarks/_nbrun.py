"""Run a notebook's code cells in this Python process: no kernel, no IPython shell, no HTML.

Shared by bench.py (analysis time of every notebook) and render.py (the compute floor of
the batch renderer). Cells run with matplotlib's Agg backend; ``%matplotlib`` lines are
dropped (the backend stays Agg) and any other IPython syntax is turned into Python by
IPython's own input transformer. Printed output is discarded. Optionally every figure
left open at the end of a cell is drawn to PNG as the inline backend does
(``bbox_inches="tight"`` at the figure's dpi) and the value of a cell's last expression
is formatted by IPython's display formatter (what a kernel sends for ``Out[n]``), each
timed on its own so that the analysis, the PNG encoding and the formatting are separate
figures.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path


def use_agg() -> None:
    """Agg for this process only (the environment, which subprocesses inherit, is left
    alone)."""
    import matplotlib

    matplotlib.use("Agg")


def warm_up() -> float:
    """Import what the notebooks use (what the batch's workers import at their warm-up) and load
    the shipped collection; seconds taken."""
    t = time.perf_counter()
    use_agg()
    import bokeh.embed  # noqa: F401 - as the batch's workers import it at their warm-up
    import bokeh.plotting  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import networkx  # noqa: F401
    import pandas  # noqa: F401

    import apresearch as apr
    import apresearch.explore  # noqa: F401

    apr.collection()
    # as the batch's workers do after their warm-up: what is loaded is kept out of the
    # garbage collector's full passes
    gc.collect()
    gc.freeze()
    return time.perf_counter() - t


def to_python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    kept = [ln for ln in source.splitlines() if not ln.lstrip().startswith("%matplotlib")]
    return TransformerManager().transform_cell("\n".join(kept) + "\n")


@dataclass
class Timing:
    """Seconds spent in one notebook."""

    code: float = 0.0  # executing the cells (analysis and drawing the figures' artists)
    png: float = 0.0  # savefig to PNG of the figures open at the end of each cell
    format: float = 0.0  # rich formatting of the last expression's value
    skipped: float = 0.0  # cells with a skipped tag, when run anyway (``time_skipped``)
    figures: int = 0
    cells: int = 0
    error: str | None = None
    per_cell: list = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.code + self.png + self.format


def _split(code: str, name: str):
    """(body code object, last-expression code object or None, suppressed?)."""
    tree = ast.parse(code, filename=name)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, name, "exec")
    return body, (compile(last, name, "eval") if last is not None else None)


def run_notebook(nb, *, cwd: str | os.PathLike | None = None, png: bool = False,
                 format_outputs: bool = False, skip_tags=("widgets",),
                 time_skipped: bool = False, name: str = "<notebook>") -> Timing:
    """Execute the code cells of ``nb`` (an nbformat node) in a fresh namespace.

    Cells tagged with one of ``skip_tags`` are left out; with ``time_skipped`` they run
    anyway (after the others of their position, in order) and their time is reported apart
    in ``Timing.skipped``, not in ``code``.
    """
    use_agg()
    import matplotlib.pyplot as plt

    formatter = None
    if format_outputs:
        from IPython.core.formatters import DisplayFormatter

        formatter = DisplayFormatter()
    out = Timing()
    from IPython.display import display

    ns: dict = {"__name__": "__main__", "display": display}  # as IPython provides it
    old = os.getcwd()
    sink = io.StringIO()
    try:
        if cwd is not None:
            os.chdir(cwd)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            skip = bool(set(cell.metadata.get("tags", [])) & set(skip_tags))
            if skip and not time_skipped:
                continue
            src = to_python(cell.source)
            body, last = _split(src, f"{name}[{i}]")
            quiet = cell.source.rstrip().endswith(";")
            t = time.perf_counter()
            try:
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    exec(body, ns)  # noqa: S102 - the notebook's own code
                    value = eval(last, ns) if last is not None else None  # noqa: S307
            except Exception as exc:  # noqa: BLE001 - reported, the benchmark goes on
                out.error = f"cell {i}: {type(exc).__name__}: {exc}"
                plt.close("all")
                break
            dt = time.perf_counter() - t
            if skip:
                out.skipped += dt
                plt.close("all")
                continue
            out.code += dt
            out.cells += 1
            t = time.perf_counter()
            if png:
                for num in plt.get_fignums():
                    fig = plt.figure(num)
                    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight", dpi=fig.dpi)
                    out.figures += 1
            out.png += time.perf_counter() - t if png else 0.0
            t = time.perf_counter()
            if formatter is not None and value is not None and not quiet:
                formatter.format(value)
            out.format += time.perf_counter() - t if formatter is not None else 0.0
            out.per_cell.append(dt)
            plt.close("all")
            sink.seek(0)
            sink.truncate()
    finally:
        os.chdir(old)
    return out


def read(path: str | os.PathLike):
    import nbformat

    return nbformat.read(Path(path), as_version=4)
