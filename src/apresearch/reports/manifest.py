"""A manifest of reports (TOML; ``reports.toml``) expanded into jobs: a notebook and its
parameters, each checked against the notebook's ``parameters`` cell before anything runs.

The manifest::

    output = "reports"          # folder, relative to the manifest
    timeout = 600               # seconds per cell
    workers = 2                 # optional; default one per core

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

    [[report]]                  # one report
    notebook = "02-alliances"
    parameters = { year = 1975 }

Every key is checked: a misspelt key, or a string where a list is wanted, is refused with a
message naming the section, the key and what is valid.
"""

from __future__ import annotations

import itertools
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from .catalogue import list_notebooks, notebook_parameters, report_stem, resolve_notebook

__all__ = ["Job", "make_job", "load_manifest", "jobs_from_manifest", "SECTIONS"]

SECTIONS = {
    "": {"output", "timeout", "workers", "defaults", "profiles", "dyads", "grid", "report"},
    "defaults": {"notebooks"},
    "profiles": {"notebook", "countries", "parameters"},
    "dyads": {"notebook", "pairs", "parameters"},
    "grid": {"notebook", "parameters"},
    "report": {"notebook", "parameters"},
}


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


def make_job(notebook: str | os.PathLike, params: dict | None = None) -> Job:
    """A job for one notebook, its parameters checked against the notebook's own."""
    params = dict(params or {})
    path = resolve_notebook(notebook)
    declared = notebook_parameters(path)
    unknown = [k for k in params if k not in declared]
    if unknown:
        raise RenderError(f"unknown parameter(s) {', '.join(map(repr, unknown))} for "
                          f"{path.stem}; valid: {', '.join(declared) or 'none'}")
    return Job(str(path), tuple(sorted((k, json.dumps(v)) for k, v in params.items())))


def load_manifest(path: str | os.PathLike) -> dict:
    """Read a TOML manifest; a missing file or a syntax error names the file (and line)."""
    path = Path(path)
    if not path.is_file():
        raise RenderError(f"manifest {path} not found" if not path.exists()
                          else f"manifest {path} is not a file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RenderError(f"manifest {path}: {exc}") from None


def _keys(section: str, table, where: str) -> dict:
    if not isinstance(table, dict):
        raise RenderError(f"manifest {where} must be a table of keys, got "
                          f"{type(table).__name__}")
    unknown = sorted(set(table) - SECTIONS[section])
    if unknown:
        raise RenderError(f"manifest {where} has unknown key(s) {', '.join(unknown)}; valid: "
                          + ", ".join(sorted(SECTIONS[section])))
    return table


def _list(value, where: str, what: str) -> list:
    if not isinstance(value, list):
        raise RenderError(f"manifest {where} = {value!r} must be {what}")
    return value


def _params(value, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RenderError(f"manifest {where} must be a table such as {{ year = 2024 }}, got "
                          f"{value!r}")
    return value


def jobs_from_manifest(manifest: dict, actors: list[str] | None = None) -> list[Job]:
    """Expand a manifest into jobs (no duplicates, in a stable order). ``actors`` (for
    ``countries = "all"``) defaults to the shipped collection's."""
    _keys("", manifest, "top level")
    for key in ("timeout", "workers"):
        v = manifest.get(key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
            raise RenderError(f"manifest {key} = {v!r} must be a whole number >= 1")
    if "output" in manifest and not isinstance(manifest["output"], str):
        raise RenderError(f"manifest output = {manifest['output']!r} must be a folder name")
    jobs: list[Job] = []
    d = manifest.get("defaults")
    if d is not None:
        _keys("defaults", d, "[defaults]")
        names = d.get("notebooks", "all")
        if names == "all":
            paths = list_notebooks()
        else:
            paths = [resolve_notebook(n) for n in _list(
                names, "[defaults] notebooks", '"all" or a list of notebook names')]
        jobs += [make_job(p) for p in paths]
    prof = manifest.get("profiles")
    if prof is not None:
        _keys("profiles", prof, "[profiles]")
        codes = prof.get("countries", "all")
        if codes == "all":
            if actors is None:
                from ..store import collection  # noqa: PLC0415 - only when needed

                actors = sorted(collection().view("actors")["iso3"].astype(str))
            codes = actors
        codes = _list(codes, "[profiles] countries", '"all" or a list of ISO3 codes such '
                      'as ["JPN", "KOR"]')
        base = _params(prof.get("parameters"), "[profiles] parameters")
        for c in codes:
            jobs.append(make_job(prof.get("notebook", "07-country-profile"),
                                 {**base, "country": c}))
    dy = manifest.get("dyads")
    if dy is not None:
        _keys("dyads", dy, "[dyads]")
        base = _params(dy.get("parameters"), "[dyads] parameters")
        for pair in _list(dy.get("pairs", []), "[dyads] pairs",
                          'a list of pairs such as [["USA", "CHN"]]'):
            if not isinstance(pair, list) or len(pair) != 2:
                raise RenderError(f"manifest [dyads] pairs entry {pair!r} must list two ISO3 "
                                  "codes")
            jobs.append(make_job(dy.get("notebook", "08-dyad"),
                                 {**base, "country_a": pair[0], "country_b": pair[1]}))
    for i, g in enumerate(_list(manifest.get("grid", []), "grid", "[[grid]] tables"), 1):
        _keys("grid", g, f"[[grid]] #{i}")
        if "notebook" not in g:
            raise RenderError(f"manifest [[grid]] #{i} needs a notebook")
        params = _params(g.get("parameters"), f"[[grid]] #{i} parameters")
        keys = list(params)
        values = [v if isinstance(v, list) else [v] for v in params.values()]
        for combo in itertools.product(*values):
            jobs.append(make_job(g["notebook"], dict(zip(keys, combo, strict=True))))
    for i, r in enumerate(_list(manifest.get("report", []), "report", "[[report]] tables"),
                          1):
        _keys("report", r, f"[[report]] #{i}")
        if "notebook" not in r:
            raise RenderError(f"manifest [[report]] #{i} needs a notebook (keys: "
                              f"{', '.join(sorted(SECTIONS['report']))})")
        jobs.append(make_job(r["notebook"], _params(r.get("parameters"),
                                                    f"[[report]] #{i} parameters")))
    seen, out = set(), []
    for j in jobs:
        if j not in seen:
            seen.add(j)
            out.append(j)
    return out
