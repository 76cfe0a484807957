"""Command line: ``apresearch validate [DIR]``, ``apresearch render [NOTEBOOK ...]``,
``apresearch import SOURCE FILE``, ``apresearch cite [KEYWORD ...]`` and
``apresearch export TABLE_OR_PANEL -o FILE``.

Every mistake a user can make is an :class:`~apresearch.errors.ApresearchError`: it is
printed as ``error: ...`` on standard error, without a traceback, and the exit status is 1.
Ctrl-C exits with 130.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ._version import __version__
from .errors import ApresearchError


def _value(text: str):
    """A parameter value: JSON where it parses (1960, 2.5, true, ["a", "b"]), else the text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _validate(args) -> int:
    from .data import data_dir, summary, validate

    folder = data_dir(args.dir)
    frames = validate(folder)
    table = summary(frames)
    print(f"{folder}: valid ({len(frames)} tables)")
    for row in table.itertuples(index=False):
        span = ""
        if row.first_date == row.first_date:  # not NaT
            span = f"  dates {row.first_date.date()} to {row.last_date.date()}"
        print(f"  {row.table:<22} {row.rows:>6} rows{span}")
    return 0


def _summary(results, skipped: int, out: str) -> int:
    """Print what was rendered and a table of failures; the exit status (1 if any failed)."""
    failed = [r for r in results if r.status != "ok"]
    print(f"{len(results) - len(failed)} rendered, {skipped} unchanged (skipped), "
          f"{len(failed)} failed; index: {str(out).rstrip('/')}/index.html")
    if failed:
        print("\nFAILED", file=sys.stderr)
        for r in sorted(failed, key=lambda r: r.stem):
            params = ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(r.parameters.items()))
            print(f"  {r.notebook} [{params or 'defaults'}] at {r.where or 'start'}: {r.error}",
                  file=sys.stderr)
    return 1 if failed else 0


def _render(args) -> int:
    from .reports.engine import Interrupted, render, render_batch
    from .reports.manifest import jobs_from_manifest, load_manifest

    out = args.output_given or "reports"
    try:
        if args.manifest:
            if args.notebooks or args.parameter:
                raise ApresearchError("give either --manifest or notebooks and -p, not both")
            manifest = load_manifest(args.manifest)
            jobs = jobs_from_manifest(manifest)
            out = args.output_given or str(Path(args.manifest).resolve().parent
                                           / manifest.get("output", "reports"))
            results, skipped = render_batch(
                jobs, out,
                workers=args.workers if args.workers is not None else manifest.get("workers"),
                timeout=args.timeout if args.timeout is not None else manifest.get("timeout",
                                                                                   600),
                force=args.force, show_code=args.show_code)
            return _summary(results, len(skipped), out)
        params = {name: _value(value) for name, value in (args.parameter or [])}
        results = render(args.notebooks or None, params, out,
                         timeout=args.timeout if args.timeout is not None else 600,
                         workers=args.workers, show_code=args.show_code)
        return _summary(results, 0, out)
    except Interrupted as exc:
        _summary(exc.results, len(exc.skipped), out)
        print("interrupted: the reports that finished are in the index", file=sys.stderr)
        return 130


def _import(args) -> int:
    from .importers.common import write_tables
    from .importers.registry import build

    tables, result = build(args.source, args.file, folder=args.data, release=args.release,
                           start=args.start, end=args.end)
    if args.output is not None and len(tables) > 1:
        raise ApresearchError(f"-o writes one table; {args.source} writes "
                              + ", ".join(tables) + " (give --data FOLDER instead)")
    if result.unmapped and args.source in ("cow-nmc", "cow-states", "gw-states"):
        print("  codes without an ISO3 mapping (left out; add them to "
              "apresearch.importers.cow to keep them): " + ", ".join(result.unmapped))
    written = write_tables(tables, args.data, output=args.output)
    for path, table in zip(written, tables.values(), strict=True):
        who = ""
        for col in ("iso3", "supplier_iso3"):
            if col in table:
                who = f" ({table[col].nunique()} actors)"
                break
        print(f"wrote {path}: {len(table)} rows{who}")
    for key in ("release", "base_year", "list_end", "selected", "matched", "imported",
                "mean_jaccard"):
        if key in result.facts:
            print(f"  {key}: {result.facts[key]}")
    if result.facts.get("negative_set_na"):
        print("  negative counts set to NA: " + "; ".join(result.facts["negative_set_na"]))
    if result.facts.get("skipped_unidentified"):
        print("  left out, no state identified: " + ", ".join(result.facts["skipped_unidentified"]))
    if result.facts.get("skipped"):
        print("  skipped on purpose (no current ISO3 code): " + ", ".join(result.facts["skipped"]))
    if result.unmapped and args.source in ("sipri-milex", "sipri-transfers"):
        print("  NOT MAPPED, left out (add them to apresearch.importers.sipri to keep them): "
              + ", ".join(result.unmapped))
    elif result.unmapped and args.source in ("dmdc", "us-bases", "atop"):
        print("  hosts or codes left out in some or all years (no ISO3 code, or not an "
              "actor): "
              + ", ".join(result.unmapped))
    return 0


def _cite(args) -> int:
    from .cite import cite

    print(cite(*args.keywords), end="")
    return 0


def _export(args) -> int:
    from .export import export

    years = tuple(args.years) if args.years else None
    written = export(args.name, args.output, format=args.format, years=years,
                     system=args.system, overwrite=args.overwrite, data=args.data)
    for p in written:
        print(f"wrote {p}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``apresearch`` command."""
    from .importers.registry import SOURCES

    parser = argparse.ArgumentParser(prog="apresearch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"apresearch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check a data folder against the data contract")
    v.add_argument("dir", nargs="?", default=None,
                   help="data folder (default: $APRESEARCH_DATA or the shipped data/)")
    v.set_defaults(func=_validate)

    r = sub.add_parser("render", help="execute notebooks into HTML reports")
    r.add_argument("notebooks", nargs="*", help="names (02-alliances), prefixes (02) or paths; "
                   "default: every notebook")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a parameter; VALUE is read as JSON where possible")
    r.add_argument("-o", "--output", default=None, dest="output_given",
                   help="output folder (default: reports, or the manifest's)")
    r.add_argument("--timeout", type=int, default=None, help="seconds allowed per cell")
    r.add_argument("--manifest", default=None,
                   help="render every report of a TOML manifest, in parallel (reports.toml)")
    r.add_argument("--force", action="store_true",
                   help="with --manifest: re-render reports even when nothing changed")
    r.add_argument("--workers", type=int, default=None,
                   help="parallel worker processes (default: one per core)")
    r.add_argument("--show-code", action="store_true", help="include code cells in the HTML")
    r.set_defaults(func=_render)

    i = sub.add_parser("import", help="import a publisher's release into a data table")
    i.add_argument("source", choices=list(SOURCES),
                   help="; ".join(f"{s.name}: {s.reads} -> {s.table}" for s in SOURCES.values()))
    i.add_argument("file", help="the publisher's file")
    i.add_argument("-o", "--output", default=None,
                   help="write the table here instead of replacing it in the data folder")
    i.add_argument("--data", default=None, help="data folder (default: the shipped data/)")
    i.add_argument("--release", default=None,
                   help='release label, e.g. "SIPRI Milex 2024 (April 2024)"')
    i.add_argument("--start", type=int, default=None,
                   help="first year to keep (order year for transfers)")
    i.add_argument("--end", type=int, default=None, help="last year to keep")
    i.set_defaults(func=_import)

    ci = sub.add_parser("cite", help="print BibTeX for the collection, datasets and methods")
    ci.add_argument("keywords", nargs="*", help="keywords (atop, sipri, mme, similarity ...) "
                    "or table names; default: the collection and every imported dataset")
    ci.set_defaults(func=_cite)

    e = sub.add_parser("export", help="write a table or panel for R, Stata or Python")
    e.add_argument("name", help="a table (milex, agreements, ...) or a panel (state_years, "
                   "dyad_years, dyad_years_directed)")
    e.add_argument("-o", "--output", required=True, help="the file to write (new)")
    e.add_argument("--format", choices=["csv", "parquet", "dta", "feather"], default=None,
                   help="default: from the file's extension")
    e.add_argument("--years", nargs=2, type=int, metavar=("START", "END"), default=None)
    e.add_argument("--system", choices=["cow", "gw", "all"], default="cow",
                   help="state system of a panel (default cow)")
    e.add_argument("--data", default=None, help="data folder (default: the shipped data/)")
    e.add_argument("--overwrite", action="store_true", help="replace an existing file")
    e.set_defaults(func=_export)

    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except ApresearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (``apresearch validate | head -1``): stop
        # quietly, as a Unix tool does, and keep Python from complaining at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # stdout is not a file (a caller captured it)
            pass
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
