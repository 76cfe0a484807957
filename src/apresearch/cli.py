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


def _render(args) -> int:
    from .render import RenderError, render

    params = {name: _value(value) for name, value in (args.parameter or [])}
    try:
        results = render(args.notebooks or None, params, args.output, timeout=args.timeout,
                         show_code=args.show_code)
    except RenderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in results if r.status != "ok"]
    print(f"{len(results) - len(failed)} rendered, {len(failed)} failed; "
          f"index: {args.output.rstrip('/')}/index.html")
    for r in failed:
        print(f"FAILED {r.notebook} {r.parameters}: In [{r.cell}]: {r.error}", file=sys.stderr)
    return 1 if failed else 0


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
    r.add_argument("-o", "--output", default="reports", help="output folder (default: reports)")
    r.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    r.add_argument("--show-code", action="store_true", help="include code cells in the HTML")
    r.set_defaults(func=_render)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
