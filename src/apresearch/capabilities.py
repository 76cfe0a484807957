"""Military spending and material capabilities: trends, burdens, shares, power ratios and
arms-race indicators.

Units follow the tables: ``milex`` money series in millions of US$ (``constant_usd_m`` at the
prices of its ``base_year``; pass ``base_year=`` to re-express them), shares in per cent;
``capabilities`` as COW gives them, CINC a share of the world total. Missing stays missing: a
growth rate, ratio or share that needs a missing figure is NA, never 0. Every function takes
the collection as ``data`` (see :mod:`apresearch.store`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .params import ParameterError, check_choice
from .store import resolve

__all__ = [
    "series",
    "rebase",
    "price_base_year",
    "money_label",
    "growth",
    "cagr",
    "regional_share",
    "power_ratio",
    "cross_correlation",
    "richardson",
    "rivalry_dynamics",
    "source_line",
]

MONEY = ("constant_usd_m", "current_usd_m", "per_capita_usd")
TABLES = ("milex", "capabilities")


def _table(data, table: str, base_year: int | None) -> pd.DataFrame:
    """The milex table (re-based to ``base_year`` if given) or the capabilities table."""
    check_choice(table, TABLES, name="table")
    c = resolve(data)
    if table == "milex" and base_year is not None:
        return rebase(base_year, data=c)
    return c.view(table)


def series(column: str = "constant_usd_m", *, table: str = "milex",
           countries: Sequence[str] | None = None, start: int | None = None,
           end: int | None = None, base_year: int | None = None, data=None) -> pd.DataFrame:
    """A year x iso3 table of one column of ``milex`` (or ``capabilities``), NA where not
    available; ``base_year`` re-expresses constant US$ at that year's prices."""
    m = _table(data, table, base_year)
    return _wide(m, column, countries, start, end)


def _wide(m: pd.DataFrame, column: str, countries, start, end) -> pd.DataFrame:
    if column not in m.columns:
        raise ParameterError(f"column={column!r} is not in the table; valid: "
                             + ", ".join(c for c in m.columns if c not in ("iso3", "year")))
    if countries is not None:
        m = m[m["iso3"].isin(list(countries))]
    if start is not None:
        m = m[m["year"] >= start]
    if end is not None:
        m = m[m["year"] <= end]
    wide = m.pivot(index="year", columns="iso3", values=column).astype("float64")
    wide.index = wide.index.astype("int64")
    if countries is not None:
        wide = wide.reindex(columns=[c for c in countries if c in wide.columns])
    wide.columns.name = None
    return wide


def price_base_year(*, data=None) -> int | None:
    """The price base year of the milex table's constant-US$ figures (None if it has none)."""
    years = resolve(data).view("milex")["base_year"].dropna().astype(int).unique()
    if len(years) > 1:
        raise ParameterError(f"the milex table mixes base years {sorted(map(int, years))}; "
                             "re-import it from one SIPRI release")
    return int(years[0]) if len(years) else None


def rebase(base_year: int, *, data=None) -> pd.DataFrame:
    """The milex table with constant-US$ figures re-expressed at ``base_year`` prices and
    exchange rates.

    For each country, SIPRI's constant series at base a is current local spending deflated by
    the country's CPI and converted at year a's exchange rate, so multiplying it by
    current_usd_m / constant_usd_m of ``base_year`` gives the series at ``base_year``'s prices
    and exchange rate. A country without both figures in ``base_year`` gets NA. The returned
    table's ``base_year`` column says the new base.
    """
    m = resolve(data).view("milex").copy()
    if m.empty:
        return m
    old = set(m["base_year"].dropna().astype(int))
    if old == {int(base_year)}:
        return m
    at = m[m["year"] == base_year].set_index("iso3")
    if at.empty:
        raise ParameterError(f"base_year={base_year} is not a year of the table; valid: "
                             f"{int(m['year'].min())}-{int(m['year'].max())}")
    factor = (at["current_usd_m"] / at["constant_usd_m"]).replace([np.inf, -np.inf], np.nan)
    m["constant_usd_m"] = m["constant_usd_m"] * m["iso3"].map(factor)
    m["base_year"] = int(base_year)
    return m


def growth(column: str = "constant_usd_m", *, table: str = "milex",
           countries: Sequence[str] | None = None, start: int | None = None,
           end: int | None = None, data=None) -> pd.DataFrame:
    """Year-on-year growth in per cent, year x iso3 (NA unless both years are known).
    Growth of constant-US$ figures does not depend on the base year."""
    wide = series(column, table=table, countries=countries, start=start, end=end, data=data)
    prev = wide.shift(1)
    consecutive = pd.Series(wide.index, index=wide.index).diff().eq(1)
    out = (wide / prev - 1.0) * 100.0
    out[~consecutive.to_numpy()] = np.nan
    return out


def cagr(start: int, end: int, column: str = "constant_usd_m", *,
         countries: Sequence[str] | None = None, data=None) -> pd.Series:
    """Compound annual growth rate in per cent between ``start`` and ``end`` per iso3 (NA
    unless both years are known)."""
    if end <= start:
        raise ParameterError(f"start={start} must be before end={end}")
    wide = series(column, countries=countries, data=data)
    wide = wide.reindex([start, end])
    ratio = wide.loc[end] / wide.loc[start]
    out = (ratio ** (1.0 / (end - start)) - 1.0) * 100.0
    return out.rename("cagr_pct")


def regional_share(members: Sequence[str] | None = None, column: str = "constant_usd_m", *,
                   data=None) -> pd.DataFrame:
    """Each member's share (per cent) of the members' total, by year.

    Columns: year, iso3, value, total, share_pct, reporting (members with a figure that year),
    members. The total sums the members that report; where some do not, ``reporting <
    members`` says so and the shares are of a partial total.
    """
    c = resolve(data)
    if members is None:
        members = [k for k, v in c.actor_attributes().items() if v["regional"]]
    wide = series(column, countries=members, data=c)
    total = wide.sum(axis=1, min_count=1)
    reporting = wide.notna().sum(axis=1)
    long = wide.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["year", "iso3", "value"]
    long["total"] = long["year"].map(total)
    long["share_pct"] = long["value"] / long["total"] * 100.0
    long["reporting"] = long["year"].map(reporting)
    long["members"] = len(wide.columns)
    return long


def power_ratio(a: str, b: str, column: str = "constant_usd_m", *, table: str = "milex",
                data=None) -> pd.DataFrame:
    """Ratio of ``a`` to ``b`` by year for a column of milex or capabilities (e.g. cinc)."""
    wide = series(column, table=table, countries=[a, b], data=data)
    for iso3 in (a, b):
        if iso3 not in wide.columns:
            raise ParameterError(f"{iso3!r} has no {column} figures in the table")
    ratio = wide[a] / wide[b]
    return pd.DataFrame({"year": wide.index, "ratio": ratio.to_numpy()}).reset_index(drop=True)


def cross_correlation(a: str, b: str, *, max_lag: int = 3, column: str = "constant_usd_m",
                      start: int | None = None, end: int | None = None,
                      data=None) -> pd.DataFrame:
    """Correlation of ``a``'s spending growth at t with ``b``'s at t + lag, for lags
    -max_lag..max_lag (a positive lag: b follows a). Columns lag, r, n (pairs used); r is NA
    with fewer than 3 pairs."""
    g = growth(column, countries=[a, b], start=start, end=end, data=data)
    for iso3 in (a, b):
        if iso3 not in g.columns:
            g[iso3] = np.nan
    rows = []
    for lag in range(-max_lag, max_lag + 1):
        x, y = g[a], g[b].shift(-lag)
        ok = x.notna() & y.notna()
        n = int(ok.sum())
        r = float(np.corrcoef(x[ok], y[ok])[0, 1]) if n >= 3 else np.nan
        rows.append({"lag": lag, "r": r, "n": n})
    return pd.DataFrame(rows)


def richardson(a: str, b: str, *, column: str = "constant_usd_m", start: int | None = None,
               end: int | None = None, data=None) -> pd.DataFrame:
    """Richardson action-reaction model fitted by ordinary least squares.

    For each side, with X the side's spending and Y the rival's::

        X[t] - X[t-1] = reaction * Y[t-1] - fatigue * X[t-1] + grievance

    Returns one row per side: iso3, rival, reaction, fatigue, grievance, r2, n.

    Assumptions, stated so the numbers are read for what they are: the two states respond
    only to each other (no third rival, no alliance pooling); the coefficients are constant
    over the period; spending levels (not logs) in the table's units; consecutive years with
    both figures only. OLS ignores the trends and autocorrelation that spending series
    usually have, so the fit describes co-movement; it does not test causation, and
    standard errors would be too small, so none are given.
    """
    wide = series(column, countries=[a, b], start=start, end=end, data=data)
    for iso3 in (a, b):
        if iso3 not in wide.columns:
            wide[iso3] = np.nan
    rows = []
    for x_name, y_name in ((a, b), (b, a)):
        x, y = wide[x_name], wide[y_name]
        dx = x - x.shift(1)
        consecutive = pd.Series(wide.index, index=wide.index).diff().eq(1)
        frame = pd.DataFrame({"dx": dx, "y1": y.shift(1), "x1": x.shift(1)})[consecutive]
        frame = frame.dropna()
        n = len(frame)
        if n < 4:
            rows.append({"iso3": x_name, "rival": y_name, "reaction": np.nan,
                         "fatigue": np.nan, "grievance": np.nan, "r2": np.nan, "n": n})
            continue
        design = np.column_stack([frame["y1"], -frame["x1"], np.ones(n)])
        coef, *_ = np.linalg.lstsq(design, frame["dx"].to_numpy(), rcond=None)
        fitted = design @ coef
        resid = frame["dx"].to_numpy() - fitted
        tss = ((frame["dx"] - frame["dx"].mean()) ** 2).sum()
        r2 = float(1 - (resid ** 2).sum() / tss) if tss > 0 else np.nan
        rows.append({"iso3": x_name, "rival": y_name, "reaction": float(coef[0]),
                     "fatigue": float(coef[1]), "grievance": float(coef[2]), "r2": r2, "n": n})
    return pd.DataFrame(rows)


def rivalry_dynamics(start: int, end: int, *, column: str = "constant_usd_m",
                     max_lag: int = 3, data=None) -> pd.DataFrame:
    """For each rivalry active in ``start..end`` whose two states both have figures: the lag
    with the strongest growth correlation and each side's Richardson reaction coefficient,
    over the years of the period in which the rivalry was active.

    Columns: rivalry_id, iso3_a, iso3_b, years (pairs of growth rates at lag 0), best_lag,
    best_r, reaction_a (a's response to b), reaction_b, r2_a, r2_b. Rows with too few
    years have NA statistics.
    """
    c = resolve(data)
    m, rivalries = c.view("milex"), c.view("rivalries")
    have = set(m.loc[m[column].notna(), "iso3"])
    active = rivalries[(rivalries["start_year"] <= end)
                       & (rivalries["end_year"].isna() | (rivalries["end_year"] >= start))]
    rows = []
    for r in active.itertuples(index=False):
        if r.iso3_a not in have or r.iso3_b not in have:
            continue
        # the years of the period in which the rivalry was active
        lo = max(start, int(r.start_year))
        hi = end if pd.isna(r.end_year) else min(end, int(r.end_year))
        cc = cross_correlation(r.iso3_a, r.iso3_b, max_lag=max_lag, column=column,
                               start=lo, end=hi, data=c)
        ok = cc.dropna(subset=["r"])
        best = ok.loc[ok["r"].abs().idxmax()] if not ok.empty else None
        fit = richardson(r.iso3_a, r.iso3_b, column=column, start=lo, end=hi,
                         data=c).set_index("iso3")
        rows.append({
            "rivalry_id": r.rivalry_id, "iso3_a": r.iso3_a, "iso3_b": r.iso3_b,
            "years": int(cc.loc[cc["lag"] == 0, "n"].iloc[0]),
            "best_lag": np.nan if best is None else int(best["lag"]),
            "best_r": np.nan if best is None else float(best["r"]),
            "reaction_a": fit.loc[r.iso3_a, "reaction"], "reaction_b": fit.loc[r.iso3_b,
                                                                              "reaction"],
            "r2_a": fit.loc[r.iso3_a, "r2"], "r2_b": fit.loc[r.iso3_b, "r2"],
        })
    return pd.DataFrame(rows, columns=["rivalry_id", "iso3_a", "iso3_b", "years", "best_lag",
                                       "best_r", "reaction_a", "reaction_b", "r2_a", "r2_b"])


def source_line(*, base_year: int | None = None, data=None) -> str:
    """SIPRI's credit line with the release and the price base year of the figures shown
    (``base_year`` if they were re-based, else the table's)."""
    c = resolve(data)
    m = c.view("milex")
    releases = ", ".join(sorted(set(m["release"].dropna().astype(str)))) or "release unknown"
    base = base_year if base_year is not None else price_base_year(data=c)
    return (f"SIPRI Military Expenditure Database ({releases}; constant {base} US$), "
            "https://www.sipri.org/databases/milex")


def money_label(*, base_year: int | None = None, data=None) -> str:
    """Axis label for constant-US$ figures: 'US$ million (constant YYYY prices)'."""
    base = base_year if base_year is not None else price_base_year(data=data)
    return f"US$ million (constant {base} prices)"


