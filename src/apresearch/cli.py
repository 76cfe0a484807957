"""Command line: ``apresearch validate [DIR]`` and ``apresearch render [NOTEBOOK ...]``."""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__


def _value(text: str):
    """A parameter value: JSON where it parses (1960, 2.5, true, ["a", "b"]), else the text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _validate(args) -> int:
    from .data import DataValidationError, data_dir, summary, validate

    try:
        folder = data_dir(args.dir)
        frames = validate(folder)
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    table = summary(frames)
    print(f"{folder}: valid ({len(frames)} tables)")
    for row in table.itertuples(index=False):
        span = ""
        if row.first_date == row.first_date:  # not NaT
            span = f"  dates {row.first_date.date()} to {row.last_date.date()}"
        print(f"  {row.table:<20} {row.rows:>5} rows{span}")
    return 0


def _render_manifest(args) -> int:
    from pathlib import Path

    from .batch import jobs_from_manifest, load_manifest, render_batch
    from .render import RenderError

    try:
        manifest = load_manifest(args.manifest)
        jobs = jobs_from_manifest(manifest)
        out = args.output_given or str(Path(args.manifest).resolve().parent
                                       / manifest.get("output", "reports"))
        results, skipped = render_batch(
            jobs, out, workers=args.workers or manifest.get("workers"),
            timeout=args.timeout or manifest.get("timeout", 600), force=args.force,
            show_code=args.show_code)
    except RenderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _summary(results, len(skipped), out)


def _summary(results, skipped: int, out: str) -> int:
    """Print what was rendered and a table of failures; the exit status (1 if any failed)."""
    failed = [r for r in results if r.status != "ok"]
    print(f"{len(results) - len(failed)} rendered, {skipped} unchanged (skipped), "
          f"{len(failed)} failed; index: {str(out).rstrip('/')}/index.html")
    if failed:
        print("\nFAILED                          parameters                  cell  error",
              file=sys.stderr)
        for r in sorted(failed, key=lambda r: r.notebook):
            params = ", ".join(f"{k}={v}" for k, v in sorted(r.parameters.items()))
            print(f"{r.notebook:<31} {params[:27]:<27} {str(r.cell):>4}  {r.error}",
                  file=sys.stderr)
    return 1 if failed else 0


def _render(args) -> int:
    from .render import RenderError, render

    if args.manifest:
        if args.notebooks or args.parameter:
            print("error: give either --manifest or notebooks and -p, not both",
                  file=sys.stderr)
            return 2
        return _render_manifest(args)
    params = {name: _value(value) for name, value in (args.parameter or [])}
    args.output = args.output_given or "reports"
    try:
        results = render(args.notebooks or None, params, args.output,
                         timeout=args.timeout or 600, show_code=args.show_code)
    except RenderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _summary(results, 0, args.output)


def _import(args) -> int:
    from .data import DataValidationError, data_dir, read_table
    from .importers import (
        ImportFormatError,
        milex_table,
        read_cow_nmc,
        read_sipri_milex,
        read_sipri_transfers,
        write_table,
    )

    try:
        folder = data_dir(args.data)
        actors = read_table("actors", folder)
    except (DataValidationError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        if args.source == "sipri-milex":
            result = read_sipri_milex(args.file, release=args.release)
            first = args.start or 1990
            last = args.end or result.facts["last_year"]
            table = milex_table(result, actors["iso3"], first, last)
            target = args.output or folder / "milex.csv"
        elif args.source == "sipri-transfers":
            result = read_sipri_transfers(args.file, actors["iso3"])
            table = result.table
            if args.start or args.end:
                table = table[table["order_year"].between(args.start or 0, args.end or 9999)]
            target = args.output or folder / "arms_transfers.csv"
        else:
            cow = {int(c): i for c, i in zip(actors["cow_code"], actors["iso3"], strict=True)}
            result = read_cow_nmc(args.file, cow, release=args.release or "COW NMC v7.0")
            table = result.table
            if args.start or args.end:
                table = table[table["year"].between(args.start or 0, args.end or 9999)]
            target = args.output or folder / "capabilities.csv"
    except ImportFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    written = write_table(table, target)
    who = table["iso3"].nunique() if "iso3" in table else len(
        set(table["supplier_iso3"].dropna()) | set(table["recipient_iso3"].dropna()))
    print(f"wrote {written}: {len(table)} rows ({who} actors)")
    for key in ("release", "base_year"):
        if key in result.facts:
            print(f"  {key}: {result.facts[key]}")
    if result.facts.get("skipped"):
        print("  skipped on purpose (no current ISO3 code): " + ", ".join(result.facts["skipped"]))
    if result.unmapped:
        where = {"sipri-milex": "apresearch.importers.SIPRI_NAMES",
                 "sipri-transfers": "apresearch.importers.TRANSFER_NAMES"}.get(
                     args.source, "the actors table (cow_code)")
        print(f"  NOT MAPPED, left out (add them to {where} to keep them): "
              + ", ".join(result.unmapped))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``apresearch`` command."""
    parser = argparse.ArgumentParser(prog="apresearch", description=__doc__)
    parser.add_argument("--version", action="version", version=f"apresearch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check a data folder against the data contract")
    v.add_argument("dir", nargs="?", default=None,
                   help="data folder (default: $APRESEARCH_DATA or the shipped data/)")
    v.set_defaults(func=_validate)

    r = sub.add_parser("render", help="execute notebooks into HTML reports")
    r.add_argument("notebooks", nargs="*", help="names (02-alliances), numbers (02) or paths; "
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
                   help="with --manifest: parallel workers (default: one per core)")
    r.add_argument("--show-code", action="store_true", help="include code cells in the HTML")
    r.set_defaults(func=_render)

    i = sub.add_parser("import", help="import an official release into a data table")
    i.add_argument("source", choices=["sipri-milex", "sipri-transfers", "cow-nmc"],
                   help="sipri-milex: SIPRI Milex workbook (.xlsx); sipri-transfers: SIPRI "
                        "trade-register export (.csv); cow-nmc: COW NMC CSV")
    i.add_argument("file", help="the publisher's file")
    i.add_argument("-o", "--output", default=None,
                   help="output CSV (default: milex.csv or capabilities.csv in the data folder)")
    i.add_argument("--data", default=None, help="data folder whose actors to keep")
    i.add_argument("--release", default=None,
                   help='release label, e.g. "SIPRI Milex 2024 (April 2024)"')
    i.add_argument("--start", type=int, default=None,
                   help="first year to keep (order year for transfers)")
    i.add_argument("--end", type=int, default=None, help="last year to keep")
    i.set_defaults(func=_import)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
