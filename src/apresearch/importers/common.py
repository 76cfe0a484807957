"""What every importer shares: the result type, reading a publisher's text file with clear
errors, and writing tables only after they pass the data contract."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import data as _data
from ..errors import DataValidationError, ImportFormatError
from ..files import atomic_write

__all__ = ["ImportFormatError", "ImportResult", "check_file", "read_text", "read_csv",
           "parse_csv", "require_columns", "require_integers",
           "neutralise", "to_csv", "write_tables", "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is read as a formula by spreadsheet programs
(OWASP's "CSV injection"); :func:`neutralise` prefixes such cells with an apostrophe."""


@dataclass
class ImportResult:
    """What an importer read: the table, the names it could not map, and release facts."""

    table: pd.DataFrame
    unmapped: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def check_file(path: str | os.PathLike, *, what: str) -> Path:
    """``path`` as a Path if it is a file; a missing path or a folder raises
    ImportFormatError naming it and ``what`` was expected (never FileNotFoundError)."""
    p = Path(path)
    if not p.exists():
        raise ImportFormatError(f"{p}: no such file; expected {what}")
    if not p.is_file():
        raise ImportFormatError(f"{p}: is a folder, not a file; expected {what}")
    return p


def read_text(path: str | os.PathLike, encodings: Iterable[str] = ("utf-8",),
              *, what: str) -> str:
    """A text file's contents in the first of ``encodings`` that decodes it; a missing file,
    a folder or undecodable bytes raise ImportFormatError naming the file and ``what`` was
    expected."""
    p = check_file(path, what=what)
    raw = p.read_bytes()
    errors = []
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError as exc:
            errors.append(f"{enc} ({exc.reason} at byte {exc.start})")
    raise ImportFormatError(f"{p}: not readable as {' or '.join(errors)}; expected {what}")


def read_csv(path: str | os.PathLike, *, what: str, encodings: Iterable[str] = ("utf-8",),
             **kwargs) -> pd.DataFrame:
    """A CSV file as a frame, with a clear error for a missing, undecodable or malformed file."""
    return parse_csv(read_text(path, encodings, what=what), path, what=what, **kwargs)


def parse_csv(text: str, path, *, what: str, **kwargs) -> pd.DataFrame:
    """CSV text (read from ``path``) as a frame; an empty or malformed text raises
    ImportFormatError naming the file and ``what`` was expected."""
    import io

    if not text.strip():
        raise ImportFormatError(f"{path}: the file is empty; expected {what}")
    try:
        return pd.read_csv(io.StringIO(text), **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFormatError(f"{path}: not a readable CSV ({first}); expected {what}"
                                ) from None


def require_columns(frame: pd.DataFrame, needed: Iterable[str], path, *, what: str) -> None:
    """Raise ImportFormatError naming the missing columns, what was expected and what was
    found."""
    needed = list(needed)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ImportFormatError(
            f"{path}: missing column(s) {', '.join(missing)}; expected {what} with columns "
            f"{', '.join(needed)} (found: {', '.join(map(str, frame.columns))})")


def require_integers(frame: pd.DataFrame, columns: Iterable[str], path) -> None:
    """Raise ImportFormatError naming the line and column of the first cell of ``columns``
    that is empty or not a whole number (codes and years: every row needs them)."""
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = (values.isna() | (values % 1 != 0)).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            cell = frame[col].iloc[i]
            blank = pd.isna(cell) or not str(cell).strip()
            what = "is empty" if blank else f"{str(cell)!r} is not a whole number"
            raise ImportFormatError(f"{path}, line {i + 2}, column {col!r}: {what} (every row "
                                    "needs its code and year)")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would evaluate as a formula (starting with one of
    :data:`FORMULA_PREFIXES`) get a leading apostrophe; numbers are left alone."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        text = s.astype("string")
        risky = text.str.startswith(FORMULA_PREFIXES).fillna(False)
        # a plain negative number stored as text is data, not a formula
        numeric = pd.to_numeric(text.where(risky), errors="coerce").notna()
        risky &= ~numeric
        if risky.any():
            out[col] = s.where(~risky, "'" + text)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """The CSV text the collection stores: UTF-8, '\\n' line ends, no index, floats to ten
    significant digits, formula prefixes neutralised."""
    return neutralise(frame).to_csv(index=False, lineterminator="\n", float_format="%.10g")


def write_tables(tables: Mapping[str, pd.DataFrame], folder: str | os.PathLike | None = None,
                 *, output: str | os.PathLike | None = None) -> list[Path]:
    """Replace tables of a data folder, only if the result passes the data contract.

    The folder is copied to a temporary staging folder, the new tables are written there and
    the whole staged folder is validated (every rule, cross-table ones included). Only then
    is each table written to its place, atomically and honouring the umask; on any problem
    nothing in the folder changes and :class:`~apresearch.errors.DataValidationError` lists
    what is wrong. With ``output`` (one table only), the table is written there instead of
    into the folder, after the same check.
    """
    folder = _data.data_dir(folder)
    desc = _data.descriptor(folder)
    paths = {r["name"]: r["path"] for r in desc["resources"]}
    unknown = [n for n in tables if n not in paths]
    if unknown:
        raise ImportFormatError(f"no table {unknown[0]!r} in the data contract; tables: "
                                + ", ".join(paths))
    if output is not None and len(tables) != 1:
        raise ImportFormatError("output= writes one table; this import writes "
                                + ", ".join(tables))
    texts = {name: to_csv(df) for name, df in tables.items()}
    staging = Path(tempfile.mkdtemp(prefix="apresearch-import-"))
    try:
        for name in paths.values():
            src = folder / name
            if src.is_file():
                shutil.copyfile(src, staging / name)
        if (folder / _data.DESCRIPTOR).is_file():
            shutil.copyfile(folder / _data.DESCRIPTOR, staging / _data.DESCRIPTOR)
        for name, text in texts.items():
            (staging / paths[name]).write_text(text, encoding="utf-8")
        try:
            _data.validate(staging)
        except DataValidationError as exc:
            raise DataValidationError(
                exc.problems, f"{folder} (after importing {', '.join(tables)}; nothing was "
                "written)") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    written = []
    for name, text in texts.items():
        target = Path(output) if output is not None else folder / paths[name]
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(atomic_write(target, text))
    return written
