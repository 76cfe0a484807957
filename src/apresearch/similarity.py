"""Alliance-portfolio similarity for every dyad-year, as the literature defines it.

Each state's **portfolio** in a year is its row of alliance scores with every member of the
state system that year, itself included (a state is fully allied with itself, the convention
of Bueno de Mesquita and of Signorino and Ritter): 3 defence pledge; 2 neutrality or
non-aggression; 1 consultation (or offence only); 0 none. The scores come from the
collection's agreements in force (:mod:`apresearch.alliances` rule; ``portfolio=
"agreements"``) or from the imported ATOP v5.1 dyad-years (``portfolio="atop"``, to 2018), so
published work can be replicated exactly. Only members of the chosen state system
(:mod:`apresearch.systems`; COW by default) are dimensions and dyads: a state that did not
exist neither agrees nor disagrees.

A **distance** between two scores a and b is one of (each in [0, 1]):

* ``"linear"``: |a - b| / 3;
* ``"squared"``: (a - b)^2 / 9;
* ``"nominal"``: 0 if a = b, else 1.

The measures, with D_o the mean distance over the dimensions:

* **S** (Signorino and Ritter 1999): 1 - 2 D_o; 1 is identical portfolios, -1 opposite ones.
  Default distance ``s_distance="linear"``, their absolute-distance S. The *weighted* S
  weights each dimension by its CINC (COW NMC), so agreeing about a great power counts for
  more; it is NA for a year unless every member has a CINC that year (weights of 0 would
  silently drop states).
* **Cohen's kappa** and **Scott's pi** (Häge 2011): 1 - D_o / D_e, where D_e is the distance
  expected by chance when each score is drawn from each state's own distribution of scores
  (kappa) or from the two states' pooled distribution (pi). They discount the agreement that
  comes from both states having few alliances. Default ``chance_distance="squared"``, the
  weighting Häge (2011) publishes for valued portfolios; ``"linear"`` and ``"nominal"`` (the
  classical Scott's pi) are available. NA where chance predicts no disagreement (D_e = 0).
* ``valued=False`` gives the binary versions: a tie of any strength is 1.

Every score is NA outside the portfolio source's declared coverage. Vectorised: all pairs of
a year in a few array operations. Every function takes the collection as ``data``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .alliances import OBLIGATIONS, pair_years
from .params import check_choice
from .store import Collection, resolve
from .systems import SYSTEMS, members
from .usage import record

__all__ = ["DISTANCES", "portfolio_matrix", "pair_scores", "similarity"]

DISTANCES = ("linear", "squared", "nominal")
PORTFOLIOS = ("agreements", "atop")
MEASURES = ("s", "s_weighted", "kappa", "pi")


def _scores(flags: pd.DataFrame) -> np.ndarray:
    """ATOP-style score 0-3 from obligation flags (see the module doc)."""
    f = flags.fillna(0).astype(int)
    return np.select(
        [f["defense"] == 1, (f["neutrality"] == 1) | (f["nonaggression"] == 1),
         (f["consultation"] == 1) | (f["offense"] == 1)], [3, 2, 1], default=0)


def _year_ties(c: Collection, years, portfolio: str) -> pd.DataFrame:
    """year, iso3_a, iso3_b, score (max over the pair's agreements) for ``years``."""
    if portfolio == "atop":
        t = c.view("atop_dyads")
        t = t[t["year"].isin(list(years))]
        out = t[["year", "iso3_a", "iso3_b"]].copy()
        out["score"] = _scores(t[list(OBLIGATIONS)])
    else:
        p = pair_years(years, data=c)
        out = p[["year", "iso3_a", "iso3_b"]].copy()
        out["score"] = _scores(p[list(OBLIGATIONS)])
    return out.groupby(["year", "iso3_a", "iso3_b"], as_index=False)["score"].max()


def _matrix(codes: np.ndarray, ties: pd.DataFrame) -> np.ndarray:
    pos = pd.Series(np.arange(len(codes)), index=codes)
    arr = np.zeros((len(codes), len(codes)), dtype=np.int64)
    keep = ties["iso3_a"].isin(pos.index) & ties["iso3_b"].isin(pos.index)
    t = ties[keep]
    if len(t):
        a, b = pos.loc[t["iso3_a"]].to_numpy(), pos.loc[t["iso3_b"]].to_numpy()
        np.maximum.at(arr, (a, b), t["score"].to_numpy())
        arr = np.maximum(arr, arr.T)
    np.fill_diagonal(arr, 3)
    return arr


def portfolio_matrix(year: int, *, system: str = "cow", portfolio: str = "agreements",
                     data=None) -> pd.DataFrame:
    """The year's alliance scores among the system's members (0-3, 3 on the diagonal)."""
    check_choice(system, SYSTEMS, name="system")
    check_choice(portfolio, PORTFOLIOS, name="portfolio")
    c = resolve(data)
    codes = np.array(sorted(members([year], system, data=c)["iso3"]))
    arr = _matrix(codes, _year_ties(c, [year], portfolio))
    return pd.DataFrame(arr, index=codes, columns=codes)


def _distance(levels: int, distance: str) -> np.ndarray:
    cats = np.arange(levels)
    diff = np.abs(cats[:, None] - cats[None, :]).astype(float)
    if distance == "linear":
        return diff / (levels - 1)
    if distance == "squared":
        return diff ** 2 / (levels - 1) ** 2
    return (diff > 0).astype(float)


def pair_scores(x: np.ndarray, weights: np.ndarray | None = None, *,
                s_distance: str = "linear", chance_distance: str = "squared",
                valued: bool = True) -> dict[str, np.ndarray]:
    """S, weighted S (if ``weights``), kappa and pi for every pair of rows of score matrix x.

    ``x``: states x dimensions, integer scores 0..3; ``weights``: one per dimension (NA in
    any of them makes the weighted S NA). Returns N x N arrays (see the module doc).
    """
    check_choice(s_distance, DISTANCES, name="s_distance")
    check_choice(chance_distance, DISTANCES, name="chance_distance")
    x = np.asarray(x, dtype=np.int64)
    if not valued:
        x = (x >= 1).astype(np.int64)
    levels = 4 if valued else 2
    n, k = x.shape
    onehot = np.stack([(x == v) for v in range(levels)], axis=2).astype(float)  # N x K x L
    out: dict[str, np.ndarray] = {}

    def observed(m: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        # mean (or weighted mean) over dimensions of m[x_i, y_i]: sum_k w_k e_i,k M e_j,k
        if w is None:
            w = np.full(k, 1.0 / k)
        left = np.einsum("ikl,lm->ikm", onehot, m) * w[None, :, None]
        return np.einsum("ikm,jkm->ij", left, onehot)

    ms = _distance(levels, s_distance)
    out["s"] = 1.0 - 2.0 * observed(ms)
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if np.isfinite(w).all() and w.sum() > 0:
            out["s_weighted"] = 1.0 - 2.0 * observed(ms, w / w.sum())
        else:
            out["s_weighted"] = np.full((n, n), np.nan)
    mc = _distance(levels, chance_distance)
    d_obs = observed(mc)
    p = onehot.mean(axis=1)  # N x L: each state's distribution of scores
    a = p @ mc @ p.T  # expected distance, each state's own distribution (kappa)
    diag = np.diag(a)
    pooled = (diag[:, None] + 2 * a + diag[None, :]) / 4  # pooled distribution (pi)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["kappa"] = np.where(a > 0, 1.0 - d_obs / np.where(a > 0, a, 1.0), np.nan)
        out["pi"] = np.where(pooled > 0, 1.0 - d_obs / np.where(pooled > 0, pooled, 1.0),
                             np.nan)
    return out


def similarity(years: Iterable[int], *, system: str = "cow", portfolio: str = "agreements",
               s_distance: str = "linear", chance_distance: str = "squared",
               valued: bool = True, data=None) -> pd.DataFrame:
    """Portfolio similarity for every dyad of system members (iso3_a < iso3_b) in each
    year: year, iso3_a, iso3_b, ccode_a, ccode_b, s, s_weighted, kappa, pi (module doc)."""
    record("method:signorino1999", "method:hage2011")
    check_choice(system, SYSTEMS, name="system")
    check_choice(portfolio, PORTFOLIOS, name="portfolio")
    c = resolve(data)
    years = [int(y) for y in years]
    cols = ["year", "iso3_a", "iso3_b", "ccode_a", "ccode_b", *MEASURES]
    first, last = c.coverage("atop_dyads" if portfolio == "atop" else "agreements")
    cin = c.coverage("capabilities")
    inside = [y for y in years if first <= y <= last]
    ties = _year_ties(c, inside, portfolio) if inside else None
    mem = members(years, system, data=c)
    caps = c.view("capabilities")
    frames = []
    for year in years:
        m = mem[mem["year"] == year].sort_values("iso3")
        codes, ccodes = m["iso3"].to_numpy(), m["code"].to_numpy()
        ia, ib = np.triu_indices(len(codes), 1)
        frame = {"year": year, "iso3_a": codes[ia], "iso3_b": codes[ib],
                 "ccode_a": ccodes[ia], "ccode_b": ccodes[ib]}
        if first <= year <= last and len(codes) >= 2:
            arr = _matrix(codes, ties[ties["year"] == year])
            w = None
            if cin[0] <= year <= cin[1]:
                w = caps[caps["year"] == year].set_index("iso3")["cinc"].reindex(codes)
                w = w.to_numpy(dtype=float)
            scores = pair_scores(arr, w, s_distance=s_distance,
                                 chance_distance=chance_distance, valued=valued)
            for name in MEASURES:
                frame[name] = scores[name][ia, ib] if name in scores else np.nan
        else:
            for name in MEASURES:
                frame[name] = np.nan
        frames.append(pd.DataFrame(frame, columns=cols))
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out[["ccode_a", "ccode_b"]] = out[["ccode_a", "ccode_b"]].astype("Int64")
    out.attrs.update(system=system, portfolio=portfolio, s_distance=s_distance,
                     chance_distance=chance_distance, valued=valued)
    return out
