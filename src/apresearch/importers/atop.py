"""ATOP's dyad-year alliance obligations (``atop_dyads``), so that portfolios can be built
from ATOP itself and published work replicated exactly."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from .common import (
    ImportFormatError,
    ImportResult,
    check_file,
    parse_csv,
    read_csv,
    require_integers,
)
from .cow import COW_ISO3

__all__ = ["ATOP_COLUMNS", "read_atop_dyads"]

# the five obligations, under ATOP's own names (atop5_1ddyr.csv) and under peacesciencer's
ATOP_COLUMNS = {
    "own": {"stateA": "ccode1", "stateB": "ccode2", "year": "year", "defense": "defense",
            "offense": "offense", "neutral": "neutrality", "nonagg": "nonaggression",
            "consul": "consultation"},
    "peacesciencer": {"ccode1": "ccode1", "ccode2": "ccode2", "year": "year",
                      "atop_defense": "defense", "atop_offense": "offense",
                      "atop_neutral": "neutrality", "atop_nonagg": "nonaggression",
                      "atop_consul": "consultation"},
}
FLAGS = ("defense", "offense", "neutrality", "nonaggression", "consultation")


def read_atop_dyads(path: str | os.PathLike, actors, *, release: str = "ATOP v5.1"
                    ) -> ImportResult:
    """Parse an ATOP dyad-year file — ATOP's own (``stateA, stateB, year, defense, offense,
    neutral, nonagg, consul``) or peacesciencer's copy (``ccode1, ccode2, year, atop_defense,
    ...``), plain or gzipped — into undirected rows for pairs of ``actors``: year, iso3_a <
    iso3_b, the five obligations (0/1, the maximum over both directions), release.
    Dyad-years absent from the file are dyads without any pledge."""
    p = str(path)
    compression = "gzip" if p.endswith(".gz") else None
    if compression:
        import gzip

        check_file(p, what="ATOP's dyad-year CSV (gzipped)")
        try:
            with gzip.open(p, "rb") as fh:
                text = fh.read().decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise ImportFormatError(f"{p}: not a readable gzip file ({exc}); expected ATOP's "
                                    "dyad-year CSV") from None
        raw = parse_csv(text, p, what="ATOP's dyad-year CSV")
    else:
        raw = read_csv(p, what="ATOP's dyad-year CSV")
    layout = next((name for name, cols in ATOP_COLUMNS.items()
                   if set(cols) <= set(raw.columns)), None)
    if layout is None:
        expected = " or ".join(", ".join(cols) for cols in ATOP_COLUMNS.values())
        raise ImportFormatError(f"{p}: not ATOP's dyad-year layout; expected the columns "
                                f"{expected} (found: {', '.join(map(str, raw.columns))})")
    cols = ATOP_COLUMNS[layout]
    d = raw[list(cols)].rename(columns=cols)
    for col in d.columns:
        if not pd.api.types.is_numeric_dtype(d[col]):
            bad = pd.to_numeric(d[col], errors="coerce").isna()
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ImportFormatError(f"{p}, line {i + 2}, column {col!r}: {d[col].iloc[i]!r} "
                                    "is not a number")
    require_integers(d, ["ccode1", "ccode2", "year"], p)
    codes = pd.concat([d["ccode1"], d["ccode2"]]).astype(int).unique()
    unmapped = sorted(str(c) for c in codes if c not in COW_ISO3)
    d = d.assign(a=d["ccode1"].astype(int).map(COW_ISO3.get),
                 b=d["ccode2"].astype(int).map(COW_ISO3.get))
    keep = set(actors)
    d = d[d["a"].isin(keep) & d["b"].isin(keep) & (d["a"] != d["b"])]
    lo = np.where(d["a"] < d["b"], d["a"], d["b"])
    hi = np.where(d["a"] < d["b"], d["b"], d["a"])
    d = d.assign(iso3_a=lo, iso3_b=hi)
    out = d.groupby(["year", "iso3_a", "iso3_b"], as_index=False)[list(FLAGS)].max()
    out[list(FLAGS)] = out[list(FLAGS)].fillna(0).astype(int).clip(0, 1)
    out["year"] = out["year"].astype(int)
    out["release"] = release
    return ImportResult(table=out.sort_values(["year", "iso3_a", "iso3_b"]).reset_index(
        drop=True), unmapped=unmapped, facts={"release": release, "layout": layout})
