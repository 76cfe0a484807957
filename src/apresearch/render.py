"""Execute notebooks with papermill into HTML reports, with an index page.

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
import time
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
    kernel_name: str = "python3",
    show_code: bool = False,
    log: Callable[[str], None] | None = print,
) -> list[ReportResult]:
    """Execute notebooks (default: all) with ``parameters`` into HTML reports in ``output_dir``."""
    import nbformat
    import papermill as pm

    parameters = dict(parameters or {})
    plan = _plan(list(notebooks) if notebooks else None, parameters)
    out = Path(output_dir).resolve()
    for src, _ in plan:
        if src.parent == out:
            raise RenderError(
                f"Output folder {out} holds the source notebook {src.name}; choose another "
                "folder (reports are never written beside or over their sources)."
            )
    out.mkdir(parents=True, exist_ok=True)
    exporter = _exporter(show_code)
    results = []
    for src, params in plan:
        stem = report_stem(src, params)
        ipynb, page = out / f"{stem}.ipynb", out / f"{stem}.html"
        if log:
            log(f"rendering {src.stem} {params or ''}".rstrip())
        t0 = time.perf_counter()
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{stem}.", suffix=".ipynb")
        os.close(fd)
        result = ReportResult(notebook=src.stem, parameters=params, status="ok")
        try:
            pm.execute_notebook(
                str(src), tmp, parameters=params, kernel_name=kernel_name,
                progress_bar=False, log_output=False, execution_timeout=timeout,
                cwd=str(src.parent),
            )
        except pm.PapermillExecutionError as exc:
            result.status = "failed"
            result.cell = exc.exec_count
            result.error = f"{exc.ename}: {exc.evalue}"
        except Exception as exc:  # kernel died, timeout, unreadable notebook ...
            result.status = "failed"
            result.error = f"{type(exc).__name__}: {exc}"
        try:
            if Path(tmp).stat().st_size:
                nb = nbformat.read(tmp, as_version=4)
                result.title = _title(nb)
                body, _ = exporter.from_notebook_node(nb)
                _atomic_write(page, body)
                os.replace(tmp, ipynb)
                result.html, result.ipynb = page.name, ipynb.name
        finally:
            Path(tmp).unlink(missing_ok=True)
        result.seconds = round(time.perf_counter() - t0, 2)
        if log:
            if result.status == "ok":
                log(f"  ok in {result.seconds:.1f}s -> {page}")
            else:
                log(f"  FAILED at In [{result.cell}]: {result.error}")
        results.append(result)
    write_index(out, results)
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
