"""Military spending and material capabilities: trends, burdens, shares, power ratios and
arms-race indicators.

Units follow the tables: ``milex`` money series in millions of US$ (``constant_usd_m`` at the
prices of its ``base_year``), shares in per cent; ``capabilities`` as COW gives them, CINC a
share of the world total. Missing stays missing: a growth rate, ratio or share that needs a
missing figure is NA, never 0. Functions take the tables as arguments; where omitted they
come from :mod:`apresearch.data`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import data as _data
from .params import ParameterError

__all__ = [
    "series",
    "rebase",
    "growth",
    "cagr",
    "regional_share",
    "power_ratio",
    "cross_correlation",
    "richardson",
    "rivalry_dynamics",
    "source_line",
    "deliveries_by_year",
    "supplier_dependence",
    "dependence_over_time",
    "transfer_network",
]

MONEY = ("constant_usd_m", "current_usd_m", "per_capita_usd")


def _milex(milex):
    return _data.load("milex") if milex is None else milex


def series(milex: pd.DataFrame | None = None, column: str = "constant_usd_m", *,
           countries: Sequence[str] | None = None, start: int | None = None,
           end: int | None = None) -> pd.DataFrame:
    """A year x iso3 table of one column (NA where not available)."""
    m = _milex(milex)
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


def rebase(milex: pd.DataFrame | None = None, base_year: int | None = None) -> pd.DataFrame:
    """Constant-US$ figures re-expressed at ``base_year`` prices and exchange rates.

    For each country, SIPRI's constant series at base a is current local spending deflated by
    the country's CPI and converted at year a's exchange rate, so multiplying it by
    current_usd_m / constant_usd_m of ``base_year`` gives the series at ``base_year``'s prices
    and exchange rate. A country without both figures in ``base_year`` gets NA. The returned
    table's ``base_year`` column says the new base.
    """
    m = _milex(milex).copy()
    if base_year is None or m.empty:
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


def growth(milex: pd.DataFrame | None = None, column: str = "constant_usd_m", **kw
           ) -> pd.DataFrame:
    """Year-on-year growth in per cent, year x iso3 (NA unless both years are known)."""
    wide = series(milex, column, **kw)
    prev = wide.shift(1)
    consecutive = pd.Series(wide.index, index=wide.index).diff().eq(1)
    out = (wide / prev - 1.0) * 100.0
    out[~consecutive.to_numpy()] = np.nan
    return out


def cagr(milex: pd.DataFrame | None = None, start: int = 2000, end: int = 2023,
         column: str = "constant_usd_m", *, countries: Sequence[str] | None = None
         ) -> pd.Series:
    """Compound annual growth rate in per cent between ``start`` and ``end`` per iso3."""
    if end <= start:
        raise ParameterError(f"start={start} must be before end={end}")
    wide = series(milex, column, countries=countries)
    wide = wide.reindex([start, end])
    ratio = wide.loc[end] / wide.loc[start]
    out = (ratio ** (1.0 / (end - start)) - 1.0) * 100.0
    return out.rename("cagr_pct")


def regional_share(milex: pd.DataFrame | None = None, members: Sequence[str] | None = None,
                   column: str = "constant_usd_m") -> pd.DataFrame:
    """Each member's share (per cent) of the members' total, by year.

    Columns: year, iso3, value, total, share_pct, reporting (members with a figure that year),
    members. The total sums the members that report; where some do not, ``reporting <
    members`` says so and the shares are of a partial total.
    """
    m = _milex(milex)
    if members is None:
        actors = _data.load("actors")
        members = actors.loc[actors["regional"].astype(bool), "iso3"].tolist()
    wide = series(m, column, countries=members)
    total = wide.sum(axis=1, min_count=1)
    reporting = wide.notna().sum(axis=1)
    long = wide.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["year", "iso3", "value"]
    long["total"] = long["year"].map(total)
    long["share_pct"] = long["value"] / long["total"] * 100.0
    long["reporting"] = long["year"].map(reporting)
    long["members"] = len(wide.columns)
    return long


def power_ratio(table: pd.DataFrame | None, a: str, b: str, column: str = "constant_usd_m"
                ) -> pd.DataFrame:
    """Ratio of ``a`` to ``b`` by year for a column of milex or capabilities (e.g. cinc)."""
    wide = series(table, column, countries=[a, b])
    for iso3 in (a, b):
        if iso3 not in wide.columns:
            raise ParameterError(f"{iso3!r} has no {column} figures in the table")
    ratio = wide[a] / wide[b]
    return pd.DataFrame({"year": wide.index, "ratio": ratio.to_numpy()}).reset_index(drop=True)


def cross_correlation(milex: pd.DataFrame | None, a: str, b: str, *, max_lag: int = 3,
                      column: str = "constant_usd_m", start: int | None = None,
                      end: int | None = None) -> pd.DataFrame:
    """Correlation of ``a``'s spending growth at t with ``b``'s at t + lag, for lags
    -max_lag..max_lag (a positive lag: b follows a). Columns lag, r, n (pairs used)."""
    g = growth(milex, column, countries=[a, b], start=start, end=end)
    rows = []
    for lag in range(-max_lag, max_lag + 1):
        x, y = g[a], g[b].shift(-lag)
        ok = x.notna() & y.notna()
        n = int(ok.sum())
        r = float(np.corrcoef(x[ok], y[ok])[0, 1]) if n >= 3 else np.nan
        rows.append({"lag": lag, "r": r, "n": n})
    return pd.DataFrame(rows)


def richardson(milex: pd.DataFrame | None, a: str, b: str, *,
               column: str = "constant_usd_m", start: int | None = None,
               end: int | None = None) -> pd.DataFrame:
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
    wide = series(milex, column, countries=[a, b], start=start, end=end)
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


def rivalry_dynamics(milex: pd.DataFrame | None, rivalries: pd.DataFrame, start: int,
                     end: int, *, column: str = "constant_usd_m", max_lag: int = 3
                     ) -> pd.DataFrame:
    """For each rivalry active in ``start..end`` whose two states both have figures: the lag
    with the strongest growth correlation and each side's Richardson reaction coefficient,
    over the years of the period in which the rivalry was active.

    Columns: rivalry_id, iso3_a, iso3_b, years (pairs of growth rates at lag 0), best_lag,
    best_r, reaction_a (a's response to b), reaction_b, r2_a, r2_b. Rows with too few
    years have NA statistics.
    """
    m = _milex(milex)
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
        cc = cross_correlation(m, r.iso3_a, r.iso3_b, max_lag=max_lag, column=column,
                               start=lo, end=hi)
        ok = cc.dropna(subset=["r"])
        best = ok.loc[ok["r"].abs().idxmax()] if not ok.empty else None
        fit = richardson(m, r.iso3_a, r.iso3_b, column=column, start=lo,
                         end=hi).set_index("iso3")
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


def source_line(milex: pd.DataFrame | None = None) -> str:
    """SIPRI's credit line with the release and the price base year of the table's figures."""
    m = _milex(milex)
    releases = ", ".join(sorted(set(m["release"].dropna().astype(str)))) or "release unknown"
    bases = ", ".join(str(b) for b in sorted(set(m["base_year"].dropna().astype(int))))
    return (f"SIPRI Military Expenditure Database ({releases}; constant {bases} US$), "
            "https://www.sipri.org/databases/milex")


# --------------------------------------------------------------------------- arms transfers
# TIV (SIPRI trend-indicator value) measures the volume of transfers, not their price: the
# functions below never add it to, or divide it by, spending.

def _transfers(transfers):
    return _data.load("arms_transfers") if transfers is None else transfers


def deliveries_by_year(transfers: pd.DataFrame | None = None) -> pd.DataFrame:
    """TIV delivered per deal and year: each deal's ``tiv_delivered_m`` spread evenly over its
    delivery years (the register gives only a deal's total). Columns: deal_id, supplier,
    recipient, supplier_iso3, recipient_iso3, weapon_category, year, tiv_m."""
    t = _transfers(transfers)
    t = t[t["tiv_delivered_m"].notna() & t["delivery_years"].notna()]
    years = t["delivery_years"].astype(str).str.findall(r"\d{4}")
    n = years.str.len()
    exploded = t.assign(year=years).explode("year")
    exploded = exploded[exploded["year"].notna()]
    exploded["year"] = exploded["year"].astype(int)
    exploded["tiv_m"] = exploded["tiv_delivered_m"] / exploded.index.map(n).astype(float)
    cols = ["deal_id", "supplier", "recipient", "supplier_iso3", "recipient_iso3",
            "weapon_category", "year", "tiv_m"]
    return exploded[cols].reset_index(drop=True)


def _party(frame: pd.DataFrame, role: str) -> pd.Series:
    """A party's ISO3 code where it is an actor, else SIPRI's name."""
    return frame[f"{role}_iso3"].astype("string").fillna(frame[role].astype("string"))


def supplier_dependence(recipient: str, start: int, end: int,
                        transfers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each supplier's share of ``recipient``'s imports (TIV delivered) in ``start..end``.

    Columns: supplier (ISO3 for actors, SIPRI's name otherwise), tiv_m, share_pct, sorted by
    share. Empty if nothing was delivered in the window.
    """
    d = deliveries_by_year(transfers)
    d = d[(d["recipient_iso3"] == recipient) & d["year"].between(start, end)]
    if d.empty:
        return pd.DataFrame(columns=["supplier", "tiv_m", "share_pct"])
    by = d.assign(supplier=_party(d, "supplier")).groupby("supplier")["tiv_m"].sum()
    out = by.rename("tiv_m").reset_index()
    out["share_pct"] = out["tiv_m"] / out["tiv_m"].sum() * 100.0
    return out.sort_values(["share_pct", "supplier"], ascending=[False, True]).reset_index(
        drop=True)


def dependence_over_time(recipient: str, supplier: str, start: int, end: int, *,
                         window: int = 5, transfers: pd.DataFrame | None = None
                         ) -> pd.DataFrame:
    """``supplier``'s share of ``recipient``'s imports over a trailing ``window`` of years,
    for each end year in ``start..end`` (NA where nothing was delivered in the window)."""
    d = deliveries_by_year(transfers)
    d = d[d["recipient_iso3"] == recipient].assign(party=lambda x: _party(x, "supplier"))
    total = d.groupby("year")["tiv_m"].sum()
    mine = d[d["party"] == supplier].groupby("year")["tiv_m"].sum()
    years = range(start - window + 1, end + 1)
    total = total.reindex(years, fill_value=0.0).rolling(window).sum()
    mine = mine.reindex(years, fill_value=0.0).rolling(window).sum()
    share = (mine / total.replace(0.0, np.nan) * 100.0).loc[start:end]
    return pd.DataFrame({"year": share.index, "share_pct": share.to_numpy()})


def transfer_network(start: int, end: int, transfers: pd.DataFrame | None = None, *,
                     actors: pd.DataFrame | None = None, actors_only: bool = True):
    """Directed graph supplier -> recipient weighted by TIV delivered in ``start..end``.

    With ``actors_only`` (default) only deals between two actors are kept, and nodes carry
    the actor's lat/lon for :func:`apresearch.plot.network_map`.
    """
    import networkx as nx

    d = deliveries_by_year(transfers)
    d = d[d["year"].between(start, end)]
    if actors_only:
        d = d[d["supplier_iso3"].notna() & d["recipient_iso3"].notna()]
    d = d.assign(s=_party(d, "supplier"), r=_party(d, "recipient"))
    w = d.groupby(["s", "r"])["tiv_m"].sum()
    g = nx.DiGraph(start=start, end=end, unit="SIPRI TIV, millions")
    if actors is None and actors_only:
        actors = _data.load("actors")
    attrs = actors.set_index("iso3") if actors is not None else None
    for (s, r), tiv in w.items():
        for node in (s, r):
            if node not in g:
                if attrs is not None and node in attrs.index:
                    row = attrs.loc[node]
                    g.add_node(node, lat=float(row["lat"]), lon=float(row["lon"]),
                               name=row["name"])
                else:
                    g.add_node(node)
        g.add_edge(s, r, weight=float(tiv))
    return g
