"""A Defence Networks index per actor-year, in the spirit of the Lowy Institute Asia Power
Index's Defence Networks measure (whose data and code are not open; nothing of theirs is
used here), built only from the collection's own tables.

Three sub-measures, each scaled 0-100 against the year's frontier (the leading actor = 100):

* **alliances**: weighted degree in the alliance network of the year (edge weights as in
  :mod:`apresearch.alliances`: defence pledge 1.0 ... other agreements 0.1), leaving out
  forums and agreements with more than ten parties, which tie everyone to everyone;
* **diplomacy** (regional defence diplomacy): the mean of two frontier-scaled counts: distinct
  exercise partners in the year, and engagements (dialogues, visits, port calls, hotlines,
  CBMs) the actor took part in;
* **partnerships** (global defence partnerships): distinct arms-transfer partners, as supplier
  or recipient, with deliveries in the five years to the year (SIPRI TIV > 0).

The index is the weighted mean of the three (weights are parameters, normalised to sum to 1),
rescaled so the year's leader scores 100. It covers the years in which all the tables it
uses are covered (exercises and engagements: 2000-2025); other years are NA.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import data as _data
from .params import ParameterError

__all__ = ["DEFAULT_WEIGHTS", "components", "defence_networks", "sensitivity"]

DEFAULT_WEIGHTS: dict[str, float] = {"alliances": 1 / 3, "diplomacy": 1 / 3,
                                     "partnerships": 1 / 3}
SUBMEASURES = tuple(DEFAULT_WEIGHTS)


def _tables(tables):
    tables = dict(tables or {})
    for name in ("actors", "agreements", "agreement_members", "exercises",
                 "exercise_participants", "engagements", "arms_transfers"):
        if name not in tables:
            tables[name] = _data.load(name)
    return tables


def components(years: Iterable[int], tables: dict | None = None) -> pd.DataFrame:
    """Raw inputs per actor-year: alliance_degree, exercise_partners, engagements,
    arms_partners."""
    from .alliances import KINDS, alliance_graph
    from .capabilities import deliveries_by_year

    t = _tables(tables)
    years = list(years)
    codes = sorted(t["actors"]["iso3"].astype(str))
    grid = pd.MultiIndex.from_product([years, codes], names=["year", "iso3"])
    kinds = [k for k in KINDS if k != "multilateral_forum"]
    deg = []
    for y in years:
        g = alliance_graph(y, t["agreements"], t["agreement_members"], t["actors"],
                           kinds=kinds, max_parties=10)
        deg += [(y, c, float(g.degree(c, weight="weight")) if c in g else 0.0) for c in codes]
    out = pd.DataFrame(deg, columns=["year", "iso3", "alliance_degree"]).set_index(
        ["year", "iso3"])
    p = t["exercise_participants"]
    p = p[p["role"].isin(["host", "participant"])].merge(
        t["exercises"][["exercise_id", "year"]], on="exercise_id")
    pairs = p[["exercise_id", "iso3", "year"]].merge(p[["exercise_id", "iso3"]],
                                                      on="exercise_id", suffixes=("", "_b"))
    pairs = pairs[pairs["iso3"] != pairs["iso3_b"]]
    ex = pairs.groupby(["year", "iso3"])["iso3_b"].nunique()
    out["exercise_partners"] = ex.reindex(grid, fill_value=0).astype(float)
    e = t["engagements"]
    involved = pd.concat([e[["date", "actor_a"]].rename(columns={"actor_a": "iso3"}),
                          e[["date", "actor_b"]].rename(columns={"actor_b": "iso3"})]).dropna()
    eng = involved.assign(year=involved["date"].dt.year).groupby(["year", "iso3"]).size()
    out["engagements"] = eng.reindex(grid, fill_value=0).astype(float)
    d = deliveries_by_year(t["arms_transfers"])
    d = d[d["tiv_m"] > 0]
    sides = pd.concat([
        pd.DataFrame({"iso3": d["supplier_iso3"], "partner": d["recipient"], "year": d["year"]}),
        pd.DataFrame({"iso3": d["recipient_iso3"], "partner": d["supplier"], "year": d["year"]}),
    ]).dropna(subset=["iso3"])
    rows = []
    for y in years:  # distinct partners over the five years to y
        w = sides[sides["year"].between(y - 4, y)]
        rows.append(w.groupby("iso3")["partner"].nunique().rename(y))
    # no delivery in the window is a true zero within the transfers' coverage
    arms = pd.concat(rows, axis=1).fillna(0).stack() if rows else pd.Series(dtype=float)
    arms.index.names = ["iso3", "year"]
    arms = arms.swaplevel().sort_index()
    out["arms_partners"] = arms.reindex(grid, fill_value=0).astype(float)
    # years outside the coverage of exercises or engagements: not known
    lo = max(_data.coverage("exercises")[0], _data.coverage("engagements")[0])
    hi = min(_data.coverage("exercises")[1], _data.coverage("engagements")[1])
    yrs = out.index.get_level_values("year")
    out.loc[(yrs < lo) | (yrs > hi), ["exercise_partners", "engagements"]] = np.nan
    return out.reset_index()


def _frontier(s: pd.Series, years: pd.Series) -> pd.Series:
    """Scale to the year's leader = 100; a year in which nobody scores keeps its zeros (true
    zeros), and NA stays NA."""
    top = s.groupby(years).transform("max")
    scaled = s / top.where(top > 0) * 100.0
    return scaled.where(top != 0, s * 0.0)


def _weights(weights: dict | None) -> np.ndarray:
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = [k for k in w if k not in SUBMEASURES]
    if unknown:
        raise ParameterError(f"weights has unknown sub-measure(s) {unknown}; valid: "
                             + ", ".join(SUBMEASURES))
    arr = np.array([float(w.get(k, 0.0)) for k in SUBMEASURES])
    if (arr < 0).any() or arr.sum() <= 0:
        raise ParameterError(f"weights={w} must be >= 0 and not all 0")
    return arr / arr.sum()


def defence_networks(years: Iterable[int], tables: dict | None = None, *,
                     weights: dict | None = None, comps: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """The index per actor-year: the raw inputs, the three sub-scores (0-100) and ``index``
    (0-100, the year's leader = 100), with ``rank`` (1 = leader)."""
    w = _weights(weights)
    years = list(years)
    c = components(years, tables) if comps is None else comps[comps["year"].isin(years)].copy()
    yr = c["year"]
    c["alliances"] = _frontier(c["alliance_degree"], yr)
    c["diplomacy"] = (_frontier(c["exercise_partners"], yr) + _frontier(c["engagements"],
                                                                        yr)) / 2
    c["partnerships"] = _frontier(c["arms_partners"], yr)
    raw = c[list(SUBMEASURES)].to_numpy() @ w
    c["index"] = _frontier(pd.Series(raw, index=c.index), yr)
    c["rank"] = c.groupby("year")["index"].rank(ascending=False, method="min").astype("Int64")
    return c


def sensitivity(table: pd.DataFrame, year: int, *, draws: int = 1000, seed: int = 0,
                concentration: float = 1.0) -> pd.DataFrame:
    """How the year's ranking moves when the weights change.

    Draws ``draws`` weight vectors from a Dirichlet(``concentration``) distribution (1 =
    uniform over all weightings), ranks the actors under each, and reports per actor: rank
    (with the table's weights), median_rank, rank_p05, rank_p95 and top3_share (share of
    draws ranking the actor in the top three). Sorted by rank.
    """
    t = table[table["year"] == year].dropna(subset=list(SUBMEASURES))
    if t.empty:
        raise ParameterError(f"year={year} has no index values; valid years: "
                             f"{sorted(set(table.dropna(subset=['index'])['year']))}")
    scores = t[list(SUBMEASURES)].to_numpy()
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.full(len(SUBMEASURES), concentration), size=draws).T  # 3 x draws
    composite = scores @ w  # actors x draws
    order = np.argsort(-composite, axis=0, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, len(t) + 1)[:, None].repeat(draws, 1), 0)
    out = pd.DataFrame({
        "iso3": t["iso3"].to_numpy(), "rank": t["rank"].to_numpy(),
        "median_rank": np.median(ranks, axis=1), "rank_p05": np.percentile(ranks, 5, axis=1),
        "rank_p95": np.percentile(ranks, 95, axis=1),
        "top3_share": (ranks <= 3).mean(axis=1),
    })
    return out.sort_values(["rank", "iso3"]).reset_index(drop=True)
