"""Execute notebooks with papermill into HTML reports, with an index page.

* Rendering itself is done by :mod:`apresearch.batch` (warm kernels, in parallel).
* Outputs go to ``output_dir`` (default ``reports/``): the executed ``.ipynb`` and its
  ``.html`` (code hidden unless ``show_code``; figures embedded; no CDN, so it opens offline),
  each written to a temporary file first and then renamed, so a report is whole or absent.
* A source notebook is never written: an output folder that holds a source notebook is refused.
* Parameters are checked against each notebook's ``parameters`` cell before anything runs.
  With one notebook, an unknown name is an error; with several, a name must belong to at least
  one of them and is passed to those that have it.
* A notebook that fails is reported with its cell and error; the others still render.
* ``index.html`` lists every report in the folder with its parameters and status
  (kept in ``_reports.json`` beside it).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["RenderError", "ReportResult", "render", "list_notebooks", "notebook_parameters",
           "resolve_notebook", "notebooks_dir", "write_index"]

MANIFEST = "_reports.json"


class RenderError(ValueError):
    """Bad render request: unknown notebook or parameter, or an unsafe output folder."""


@dataclass
class ReportResult:
    """Outcome of rendering one notebook with one set of parameters."""

    notebook: str
    parameters: dict
    status: str  # "ok" or "failed"
    html: str | None = None
    ipynb: str | None = None
    title: str = ""
    error: str | None = None
    cell: int | None = None  # execution count of the failing cell, as in "In [4]"
    seconds: float = 0.0
    rendered_at: str = field(
        default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds")
    )


def notebooks_dir() -> Path:
    """The collection's ``notebooks/`` folder (of the source checkout)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "notebooks"
        if candidate.is_dir() and any(candidate.glob("[0-9][0-9]-*.ipynb")):
            return candidate
    raise RenderError("No notebooks/ folder found next to the apresearch package.")


def list_notebooks(folder: Path | None = None) -> list[Path]:
    """The collection's notebooks, ``NN-topic.ipynb``, in reading order."""
    folder = folder or notebooks_dir()
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def resolve_notebook(name: str | os.PathLike, folder: Path | None = None) -> Path:
    """A notebook by path, by stem (``02-alliances``) or by number (``02``)."""
    p = Path(name)
    if p.suffix == ".ipynb" and p.is_file():
        return p.resolve()
    available = list_notebooks(folder)
    for nb in available:
        if str(name) in (nb.stem, nb.name, nb.stem[:2]):
            return nb.resolve()
    raise RenderError(
        f"Unknown notebook {str(name)!r}; available: {', '.join(nb.stem for nb in available)}"
    )


def notebook_parameters(path: Path) -> dict:
    """Parameter names and defaults of a notebook's ``parameters`` cell."""
    import papermill as pm

    return {name: info["default"] for name, info in pm.inspect_notebook(str(path)).items()}


def _slug(value) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-")[:40] or "x"


def report_stem(path: Path, parameters: dict) -> str:
    """Output name: the notebook's stem, then each parameter as name-value."""
    if not parameters:
        return path.stem
    return path.stem + "__" + "_".join(f"{k}-{_slug(v)}" for k, v in sorted(parameters.items()))


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _exporter(show_code: bool):
    from nbconvert import HTMLExporter

    templates = Path(__file__).resolve().parent / "_templates"
    exporter = HTMLExporter(template_name="apresearch", extra_template_basedirs=[str(templates)])
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    return exporter


def _plan(notebooks, parameters: dict) -> list[tuple[Path, dict]]:
    paths = [resolve_notebook(n) for n in notebooks] if notebooks else list_notebooks()
    if not paths:
        raise RenderError("No notebooks to render.")
    declared = {p: notebook_parameters(p) for p in paths}
    unknown = [k for k in parameters if not any(k in d for d in declared.values())]
    if unknown:
        valid = sorted({k for d in declared.values() for k in d})
        where = paths[0].stem if len(paths) == 1 else "these notebooks"
        raise RenderError(
            f"Unknown parameter(s) {', '.join(map(repr, unknown))} for {where}; valid: "
            + (", ".join(valid) if valid else "none (the notebook takes no parameters)")
        )
    return [(p, {k: v for k, v in parameters.items() if k in declared[p]}) for p in paths]


def render(
    notebooks: Iterable[str | os.PathLike] | None = None,
    parameters: dict | None = None,
    output_dir: str | os.PathLike = "reports",
    *,
    timeout: int = 600,
    workers: int | None = None,
    show_code: bool = False,
    log: Callable[[str], None] | None = print,
) -> list[ReportResult]:
    """Execute notebooks (default: all) with ``parameters`` into HTML reports in ``output_dir``.

    The parameters are checked first (see the module doc); the reports are then rendered by
    :func:`apresearch.batch.render_batch`, always anew (``force``), in parallel on warm
    kernels.
    """
    from .batch import Job, render_batch

    parameters = dict(parameters or {})
    plan = _plan(list(notebooks) if notebooks else None, parameters)
    jobs = [Job(str(src), tuple(sorted((k, json.dumps(v)) for k, v in params.items())))
            for src, params in plan]
    results, _ = render_batch(jobs, output_dir, workers=workers, timeout=timeout, force=True,
                              show_code=show_code, progress=False)
    order = {j.stem: i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order[report_stem(Path(r.notebook), r.parameters)])
    if log:
        for r in results:
            head = f"{r.notebook} {r.parameters or ''}".rstrip()
            if r.status == "ok":
                log(f"{head}: ok in {r.seconds:.1f}s -> {Path(output_dir) / r.html}")
            else:
                log(f"{head}: FAILED at In [{r.cell}]: {r.error}")
    return results


def _load_manifest(out: Path) -> dict[str, dict]:
    path = out / MANIFEST
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def write_index(out: Path, results: list[ReportResult],
                hashes: dict[str, str] | None = None) -> Path:
    """Record results in the folder's manifest and write ``index.html`` listing every report,
    grouped by notebook. ``hashes`` (report stem -> content hash) lets a batch run skip
    unchanged reports next time."""
    manifest = _load_manifest(out)
    for r in results:
        key = report_stem(Path(r.notebook), r.parameters)
        manifest[key] = asdict(r)
        if hashes and key in hashes:
            manifest[key]["hash"] = hashes[key]
    manifest = {k: v for k, v in manifest.items()
                if v.get("html") is None or (out / v["html"]).is_file()}
    _atomic_write(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    rows = []
    for key in sorted(manifest, key=lambda k: (manifest[k]["notebook"], k)):
        r = manifest[key]
        if not rows or rows[-1][0] != r["notebook"]:
            rows.append((r["notebook"], f'<tr class="group"><th colspan="6">'
                                        f'{html.escape(r["notebook"])}</th></tr>'))
        params = ", ".join(f"{k} = {json.dumps(v)}" for k, v in sorted(r["parameters"].items()))
        link = (f'<a href="{html.escape(r["html"])}">{html.escape(r["notebook"])}</a>'
                if r.get("html") else html.escape(r["notebook"]))
        status = "ok" if r["status"] == "ok" else (
            f'failed at In [{r.get("cell")}]: {html.escape(str(r.get("error")))}'
        )
        rows.append((r["notebook"],
            f"<tr class=\"{r['status']}\"><td>{link}</td><td>{html.escape(r.get('title', ''))}"
            f"</td><td>{html.escape(params) or 'defaults'}</td><td>{status}</td>"
            f"<td>{r.get('seconds', '')}</td><td>{html.escape(r.get('rendered_at', ''))}</td></tr>"
        ))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>apresearch reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; }} th, td {{ padding: .35rem .7rem; text-align: left;
border-bottom: 1px solid #ddd; vertical-align: top; }} tr.failed td {{ color: #a00; }}
tr.group th {{ background: #f2f2f2; padding-top: .8rem; }}
</style></head><body>
<h1>apresearch reports</h1>
<p>Military diplomacy in the Asia-Pacific. Each report is a notebook executed with the
parameters shown. Data: the apresearch collection (see each report's Sources section).</p>
<table><thead><tr><th>report</th><th>title</th><th>parameters</th><th>status</th>
<th>seconds</th><th>rendered</th></tr></thead><tbody>
{chr(10).join(row for _, row in rows)}
</tbody></table></body></html>
"""
    index = out / "index.html"
    _atomic_write(index, page)
    return index
