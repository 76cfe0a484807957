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
uses are covered (their declared coverage); in other years the sub-measure built from an
uncovered table is NA, and so is the index.

:func:`sensitivity` redraws the weights from a Dirichlet distribution and reports how each
actor's rank moves: the median and the 5th and 95th percentiles of its rank over the draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .alliances import AGREEMENT_KINDS, actor_metrics
from .exercises import pairs as exercise_pairs
from .params import ParameterError
from .store import resolve
from .transfers import partners as arms_partners
from .usage import record

__all__ = ["DEFAULT_WEIGHTS", "SUBMEASURES", "ALLIANCE_KINDS", "ALLIANCE_MAX_PARTIES",
           "RESOURCES", "ACTOR_SETS", "power_gap", "components", "defence_networks",
           "sensitivity"]

DEFAULT_WEIGHTS: dict[str, float] = {"alliances": 1 / 3, "diplomacy": 1 / 3,
                                     "partnerships": 1 / 3}
SUBMEASURES = tuple(DEFAULT_WEIGHTS)
ALLIANCE_KINDS: tuple[str, ...] = tuple(k for k in AGREEMENT_KINDS if k != "multilateral_forum")
ALLIANCE_MAX_PARTIES = 10
# each raw input and the table whose coverage it follows
COVERAGE_OF = {"alliance_degree": "agreements", "exercise_partners": "exercises",
               "engagements": "engagements", "arms_partners": "arms_transfers"}


ACTOR_SETS = ("regional", "all")


def _codes(c, actors: str) -> list[str]:
    from .params import check_choice

    check_choice(actors, ACTOR_SETS, name="actors")
    attrs = c.actor_attributes()
    return sorted(k for k, v in attrs.items() if actors == "all" or v["regional"])


def components(years, *, actors: str = "regional", data=None) -> pd.DataFrame:
    """Raw inputs per actor-year, for the region's actors (``actors="regional"``, the
    default) or every actor (``"all"``): alliance_degree, exercise_partners, engagements,
    arms_partners, each counting ties with any actor; each NA in the years outside its
    table's declared coverage. Computed once per collection, years and actors."""
    c = resolve(data)
    years = [int(y) for y in years]
    key = ("index.components", tuple(years), actors)
    def compute():
        return _components(c, years, actors)
    return c.memo(key, compute).copy()


def _components(c, years: list[int], actors: str) -> pd.DataFrame:
    codes = _codes(c, actors)
    grid = pd.MultiIndex.from_product([years, codes], names=["year", "iso3"])
    m = actor_metrics(years, kinds=ALLIANCE_KINDS, max_parties=ALLIANCE_MAX_PARTIES, data=c)
    out = pd.DataFrame(index=grid)
    out["alliance_degree"] = m.set_index(["year", "iso3"])["weighted_degree"].reindex(grid)
    lo, hi = (min(years), max(years)) if years else (0, -1)
    pr = exercise_pairs(lo, hi, data=c)
    both = pd.concat([pr.rename(columns={"iso3_a": "iso3", "iso3_b": "partner"}),
                      pr.rename(columns={"iso3_b": "iso3", "iso3_a": "partner"})])
    ex = both.groupby(["year", "iso3"])["partner"].nunique()
    out["exercise_partners"] = ex.reindex(grid, fill_value=0).astype(float)
    e = c.view("engagements")
    codes_per = e["participants"].astype(str).str.split(";")
    involved = pd.DataFrame({"year": e["date"].dt.year, "iso3": codes_per}).explode("iso3")
    eng = involved.groupby(["year", "iso3"]).size()
    out["engagements"] = eng.reindex(grid, fill_value=0).astype(float)
    arms = arms_partners(years, data=c).set_index(["year", "iso3"])["arms_partners"]
    out["arms_partners"] = arms.reindex(grid).astype("Float64").astype(float)
    yrs = out.index.get_level_values("year")
    for col, table in COVERAGE_OF.items():
        first, last = c.coverage(table)
        out.loc[(yrs < first) | (yrs > last), col] = np.nan
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


def defence_networks(years, *, weights: dict | None = None, actors: str = "regional",
                     data=None, comps: pd.DataFrame | None = None) -> pd.DataFrame:
    """The index per actor-year: the raw inputs, the three sub-scores (0-100) and ``index``
    (0-100, the year's leader = 100), with ``rank`` (1 = leader; NA where the index is).
    Scored among the region's actors by default (``actors="all"``: every actor).
    ``comps`` reuses a :func:`components` table instead of computing it."""
    record("method:lowy_api2024")
    w = _weights(weights)
    years = list(years)
    c = (components(years, actors=actors, data=data) if comps is None
         else comps[comps["year"].isin(years)].copy())
    yr = c["year"]
    c["alliances"] = _frontier(c["alliance_degree"], yr)
    c["diplomacy"] = (_frontier(c["exercise_partners"], yr) + _frontier(c["engagements"],
                                                                        yr)) / 2
    c["partnerships"] = _frontier(c["arms_partners"], yr)
    raw = c[list(SUBMEASURES)].to_numpy() @ w
    c["index"] = _frontier(pd.Series(raw, index=c.index), yr)
    c["rank"] = c.groupby("year")["index"].rank(ascending=False, method="min").astype("Int64")
    return c.reset_index(drop=True)


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
    # actors x draws, rounded so that equal sub-scores stay equal whatever path the matrix
    # product takes for each row (BLAS kernels may differ in the last bit between rows)
    composite = np.round(scores @ w, 10)
    # 1 + the number of actors scoring higher: equal scores share a rank, as in the table
    ranks = (composite[None, :, :] > composite[:, None, :]).sum(axis=1) + 1
    out = pd.DataFrame({
        "iso3": t["iso3"].to_numpy(), "rank": t["rank"].to_numpy(),
        "median_rank": np.median(ranks, axis=1), "rank_p05": np.percentile(ranks, 5, axis=1),
        "rank_p95": np.percentile(ranks, 95, axis=1),
        "top3_share": (ranks <= 3).mean(axis=1),
    })
    return out.sort_values(["rank", "iso3"]).reset_index(drop=True)


RESOURCES = ("both", "cinc", "milex")


def _resources(c, years, resources: str, codes) -> pd.DataFrame:
    """log CINC and/or log military expenditure (constant US$) per actor-year."""
    grid = pd.MultiIndex.from_product([years, codes], names=["year", "iso3"])
    out = pd.DataFrame(index=grid)
    if resources in ("both", "cinc"):
        cinc = c.view("capabilities").set_index(["year", "iso3"])["cinc"]
        cinc = cinc[~cinc.index.duplicated()]
        out["log_cinc"] = np.log(cinc.where(cinc > 0)).reindex(grid)
    if resources in ("both", "milex"):
        m = c.view("milex").set_index(["year", "iso3"])["constant_usd_m"]
        m = m[~m.index.duplicated()]
        out["log_milex"] = np.log(m.where(m > 0)).reindex(grid)
    return out


def _fit_gap(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS of y on x (with a constant): fitted values and residuals."""
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    fitted = design @ coef
    return fitted, y - fitted


def power_gap(years, *, resources: str = "both", weights: dict | None = None,
              draws: int = 200, seed: int = 0, concentration: float = 1.0,
              min_states: int = 10, actors: str = "regional", data=None) -> pd.DataFrame:
    """Each actor's **power gap** per year: its Defence Networks index minus the index its
    resources predict, in the spirit of the Lowy Institute's power gap (whose data and code
    are closed; nothing of theirs is used).

    For each year, the index (0-100) of the actors that have it and have the resources is
    regressed by ordinary least squares on the log of their CINC (COW NMC) and/or the log of
    their military expenditure (SIPRI, constant US$): ``resources="both"`` (the default),
    ``"cinc"`` or ``"milex"``. ``expected`` is the fitted value and ``gap`` = index -
    expected: positive where a state draws more defence-network influence than its
    resources predict ("punches above its weight"). A year with fewer than ``min_states``
    such actors has no gap. Uncertainty under the index's weights: the sub-measure weights
    are redrawn ``draws`` times from a Dirichlet(``concentration``) distribution (as in
    :func:`sensitivity`), the index rescaled and the regression refitted; ``gap_p05`` and
    ``gap_p95`` are the 5th and 95th percentiles of the gap over the draws.

    Columns: year, iso3, index, expected, gap, gap_p05, gap_p95, gap_rank (1 = largest
    gap in the year), and the resources used.
    """
    from .params import check_choice

    check_choice(resources, RESOURCES, name="resources")
    if min_states < 3:
        raise ParameterError(f"min_states={min_states} is not valid; give a whole number >= 3")
    c = resolve(data)
    years = [int(y) for y in years]
    dn = defence_networks(years, weights=weights, actors=actors, data=c)
    res = _resources(c, years, resources, _codes(c, actors))
    t = dn.set_index(["year", "iso3"]).join(res)
    xcols = list(res.columns)
    rng = np.random.default_rng(seed)
    wdraw = rng.dirichlet(np.full(len(SUBMEASURES), concentration), size=draws)
    rows = []
    for _, g in t.groupby(level="year"):
        ok = g.dropna(subset=["index", *SUBMEASURES, *xcols])
        base = g[["index"]].assign(expected=np.nan, gap=np.nan, gap_p05=np.nan,
                                   gap_p95=np.nan)
        for col in xcols:
            base[col] = g[col]
        if len(ok) >= min_states:
            x = ok[xcols].to_numpy(float)
            fitted, gap = _fit_gap(ok["index"].to_numpy(float), x)
            base.loc[ok.index, "expected"] = fitted
            base.loc[ok.index, "gap"] = gap
            raw = ok[list(SUBMEASURES)].to_numpy(float) @ wdraw.T  # states x draws
            top = raw.max(axis=0)
            idx = raw / np.where(top > 0, top, 1.0) * 100.0
            gaps = np.column_stack([_fit_gap(idx[:, k], x)[1] for k in range(draws)])
            base.loc[ok.index, "gap_p05"] = np.percentile(gaps, 5, axis=1)
            base.loc[ok.index, "gap_p95"] = np.percentile(gaps, 95, axis=1)
        rows.append(base)
    out = pd.concat(rows).reset_index()
    out["gap_rank"] = out.groupby("year")["gap"].rank(ascending=False, method="min"
                                                     ).astype("Int64")
    return out[["year", "iso3", "index", "expected", "gap", "gap_p05", "gap_p95", "gap_rank",
                *xcols]].sort_values(["year", "gap_rank", "iso3"]).reset_index(drop=True)
