"""Taking the data to R and Stata: every table and the state-year and dyad-year panels as CSV,
Parquet, Feather or Stata (.dta), keeping types — dates as dates, NA as missing, categories as
labelled values in Stata — with a codebook beside the file.

* **csv**: UTF-8, ISO dates, empty cells for NA; the codebook is a Frictionless table
  descriptor (``FILE.codebook.json``: every field's type and description, the release, the
  citation), so the types survive.
* **parquet** and **feather** (Apache Arrow): types kept natively; read in R with
  ``arrow::read_parquet()`` / ``arrow::read_feather()``.
* **dta** (Stata 118): dates as Stata dates, categories as value labels, variable labels from
  the descriptions; read in R with ``haven::read_dta()``.

Files are written atomically and never over an existing file unless ``overwrite=True``.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd

from .errors import ParameterError
from .files import atomic_write
from .params import check_choice
from .store import resolve

__all__ = ["FORMATS", "PANELS", "frame", "codebook", "export"]

FORMATS = ("csv", "parquet", "feather", "dta")
PANELS = ("state_years", "dyad_years", "dyad_years_directed")
_PANEL_TEXT = {
    "year": "Year.", "iso3": "State (ISO 3166-1 alpha-3).", "iso3_a": "First state (ISO3).",
    "iso3_b": "Second state (ISO3).", "ccode": "System code of the state that year.",
    "ccode_a": "System code of the first state that year.",
    "ccode_b": "System code of the second state that year.",
}


def frame(name: str, *, years: tuple[int, int] | None = None, system: str = "cow",
          data=None) -> pd.DataFrame:
    """A table of the collection, or a panel (``state_years``, ``dyad_years``,
    ``dyad_years_directed``), cut to ``years`` (inclusive) where it has a year or date."""
    from .panels import dyad_years, state_years  # noqa: PLC0415 - panels only when asked

    c = resolve(data)
    valid = [*PANELS, *c]
    if name not in valid:
        raise ParameterError(f"nothing to export called {name!r}; valid: {', '.join(valid)}")
    if name in PANELS:
        if years is None:
            raise ParameterError(f"a panel needs years: give --years START END for {name}")
        start, end = (int(y) for y in years)
        if name == "state_years":
            return state_years(start, end, system=system, data=c)
        return dyad_years(start, end, system=system, directed=name.endswith("directed"),
                          data=c)
    df = c[name]
    if years is not None:
        start, end = (int(y) for y in years)
        if "year" in df:
            df = df[df["year"].between(start, end)]
        else:
            dates = [col for col in df.columns if pd.api.types.is_datetime64_any_dtype(df[col])]
            if dates:
                y = df[dates[0]].dt.year
                df = df[y.between(start, end) | y.isna()]
    return df.reset_index(drop=True)


def codebook(name: str, df: pd.DataFrame, *, data=None) -> dict:
    """A Frictionless table descriptor of an exported frame: fields with types and
    descriptions (from the data package, or the panels' docs), release and citation."""
    from .cite import cite  # noqa: PLC0415

    c = resolve(data)
    described = {}
    for res in c.descriptor.get("resources", []):
        if res["name"] == name:
            described = {f["name"]: f for f in res["schema"]["fields"]}
    fields = []
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            ftype = "date"
        elif pd.api.types.is_bool_dtype(s):
            ftype = "boolean"
        elif pd.api.types.is_integer_dtype(s):
            ftype = "integer"
        elif pd.api.types.is_float_dtype(s):
            ftype = "number"
        else:
            ftype = "string"
        field = {"name": col, "type": ftype}
        desc = described.get(col, {}).get("description") or _PANEL_TEXT.get(col)
        if desc:
            field["description"] = desc
        if isinstance(s.dtype, pd.CategoricalDtype):
            field["constraints"] = {"enum": [str(x) for x in s.cat.categories]}
        fields.append(field)
    out = {"name": name, "profile": "tabular-data-resource",
           "schema": {"fields": fields}, "rows": int(len(df))}
    if c.release(name) if name in c else None:
        out["release"] = c.release(name)
    if df.attrs:
        out["panel"] = {k: v for k, v in df.attrs.items() if isinstance(v, (str, int, bool))}
    try:
        out["citation"] = cite(name) if name in c else cite("apresearch", "peacesciencer")
    except ParameterError:
        out["citation"] = cite("apresearch")
    return out


def _join_lists(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with list cells (codes of a set) written as 'A;B', as every format stores them."""
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ";".join(map(str, v))
                                    if isinstance(v, (list, tuple)) else v)
    return out


def _stata(df: pd.DataFrame, book: dict) -> bytes:
    """Stata 118 bytes: dates as %td, categoricals as value labels, variable labels."""
    out = df.copy()
    labels = {f["name"]: f.get("description", "")[:80] for f in book["schema"]["fields"]}
    dates = {}
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            dates[col] = "td"
        elif isinstance(s.dtype, pd.CategoricalDtype):
            continue  # written as value labels by pandas
        elif pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("Int8")
        elif pd.api.types.is_integer_dtype(s) and s.isna().any():
            out[col] = s.astype("Float64")
        elif pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            if s.map(lambda v: isinstance(v, (list, tuple))).any():
                out[col] = s.map(lambda v: ";".join(map(str, v))
                                 if isinstance(v, (list, tuple)) else v)
            out[col] = out[col].astype(object).where(out[col].notna(), "")
    names = {c: c[:32] for c in out.columns}
    buf = io.BytesIO()
    out.rename(columns=names).to_stata(
        buf, write_index=False, version=118, convert_dates={names[k]: v for k, v in dates.items()},
        variable_labels={names[k]: v for k, v in labels.items() if v})
    return buf.getvalue()


def export(name: str, path: str | os.PathLike, *, format: str | None = None,
           years: tuple[int, int] | None = None, system: str = "cow",
           overwrite: bool = False, data=None) -> list[Path]:
    """Write a table or panel to ``path`` (format from ``format`` or the file's extension)
    with its codebook (``PATH.codebook.json``); returns the files written."""
    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    check_choice(fmt, FORMATS, name="format")
    if path.exists() and not overwrite:
        raise ParameterError(f"{path} exists; choose a new file name (nothing is written over "
                             "an existing file)")
    if not path.parent.exists():
        raise ParameterError(f"folder {path.parent} does not exist")
    c = resolve(data)
    df = frame(name, years=years, system=system, data=c)
    book = codebook(name, df, data=c)
    if fmt == "csv":
        raw = _join_lists(df)
        for col in raw.columns:
            if pd.api.types.is_datetime64_any_dtype(raw[col]):
                raw[col] = raw[col].dt.strftime("%Y-%m-%d")
        blob = raw.to_csv(index=False, lineterminator="\n").encode("utf-8")
        book["path"] = path.name
        book["format"], book["encoding"] = "csv", "utf-8"
    elif fmt in ("parquet", "feather"):
        buf = io.BytesIO()
        tidy = _join_lists(df)
        (tidy.to_parquet(buf, index=False) if fmt == "parquet"
         else tidy.reset_index(drop=True).to_feather(buf))
        blob = buf.getvalue()
    else:
        blob = _stata(df, book)
    written = [atomic_write(path, blob)]
    side = path.with_name(path.name + ".codebook.json")
    written.append(atomic_write(side, json.dumps(book, indent=2, default=str)))
    return written
