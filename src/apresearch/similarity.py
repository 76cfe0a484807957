"""Alliance-portfolio similarity for every dyad-year.

Each state's **portfolio** in a year is its row of alliance scores with every state of the
system, itself included (a state is fully allied with itself, the convention of Bueno de
Mesquita and of Signorino and Ritter): 3 defence pledge; 2 neutrality or non-aggression;
1 consultation (or offence only); 0 none, from the agreements in force
(:mod:`apresearch.alliances` rule). Distances between two portfolios are absolute score
differences divided by 3, the largest possible, so each lies in [0, 1].

* **S** (Signorino and Ritter 1999): 1 - 2 x the mean distance; 1 is identical portfolios,
  -1 opposite ones. The *weighted* S weights each third state by its capability (CINC), so
  agreeing about a great power counts for more.
* **Scott's pi** and **Cohen's kappa** (Häge 2011): 1 - observed mean distance / the distance
  expected by chance, where chance draws each score from the two portfolios' pooled
  distribution (pi) or from each state's own (kappa). They discount the agreement that comes
  from both states having few alliances. NA where chance predicts no disagreement.

Vectorised: all pairs of a year in a few array operations.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import data as _data

__all__ = ["portfolio_matrix", "similarity", "pair_scores"]

LEVELS = 4  # scores 0..3


def portfolio_matrix(year: int, agreements=None, members=None, actors=None) -> pd.DataFrame:
    """The year's alliance scores, state x state (0-3, 3 on the diagonal)."""
    from .alliances import alliance_ties

    if actors is None:
        actors = _data.load("actors")
    codes = sorted(actors["iso3"].astype(str))
    pos = pd.Series(np.arange(len(codes)), index=codes)
    ties = alliance_ties(year, agreements, members)
    arr = np.zeros((len(codes), len(codes)), dtype=np.int64)
    if not ties.empty:
        flags = ties[["defense", "offense", "neutrality", "nonaggression", "consultation"]]
        flags = flags.fillna(0).astype(int)
        score = np.select(
            [flags["defense"] == 1, (flags["neutrality"] == 1) | (flags["nonaggression"] == 1),
             (flags["consultation"] == 1) | (flags["offense"] == 1)], [3, 2, 1], default=0)
        keep = ties["iso3_a"].isin(pos.index) & ties["iso3_b"].isin(pos.index)
        a = pos.loc[ties.loc[keep, "iso3_a"].astype(str)].to_numpy()
        b = pos.loc[ties.loc[keep, "iso3_b"].astype(str)].to_numpy()
        np.maximum.at(arr, (a, b), score[keep.to_numpy()])
        arr = np.maximum(arr, arr.T)
    np.fill_diagonal(arr, 3)
    return pd.DataFrame(arr, index=codes, columns=codes)


def pair_scores(x: np.ndarray, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """S, weighted S (if ``weights``), pi and kappa for every pair of rows of score matrix x.

    ``x``: states x dimensions, integer scores 0..3. Returns N x N arrays.
    """
    x = np.asarray(x, dtype=float)
    n, k = x.shape
    dist = np.abs(x[:, None, :] - x[None, :, :]) / (LEVELS - 1)  # N x N x K, in [0, 1]
    d_obs = dist.mean(axis=2)
    out = {"s": 1.0 - 2.0 * d_obs}
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        ok = np.isfinite(w)
        if ok.any() and w[ok].sum() > 0:
            wn = np.where(ok, w, 0.0) / w[ok].sum()
            out["s_weighted"] = 1.0 - 2.0 * (dist * wn[None, None, :]).sum(axis=2)
        else:
            out["s_weighted"] = np.full((n, n), np.nan)
    # category shares of each portfolio, and the distance between categories
    p = np.stack([(x == c).mean(axis=1) for c in range(LEVELS)], axis=1)  # N x 4
    cats = np.arange(LEVELS)
    m = np.abs(cats[:, None] - cats[None, :]) / (LEVELS - 1)
    a = p @ m @ p.T  # expected distance, each state's own distribution (kappa)
    diag = np.diag(a)
    pooled = (diag[:, None] + 2 * a + diag[None, :]) / 4  # pooled distribution (pi)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["kappa"] = np.where(a > 0, 1.0 - d_obs / a, np.nan)
        out["pi"] = np.where(pooled > 0, 1.0 - d_obs / pooled, np.nan)
    return out


def similarity(years: Iterable[int], agreements=None, members=None, actors=None,
               capabilities=None) -> pd.DataFrame:
    """Portfolio similarity for every dyad (iso3_a < iso3_b) in each year: s, s_weighted
    (by CINC; NA in years without CINC figures), kappa, pi."""
    if actors is None:
        actors = _data.load("actors")
    if capabilities is None:
        capabilities = _data.load("capabilities")
    frames = []
    for year in years:
        mat = portfolio_matrix(year, agreements, members, actors)
        codes = mat.index.to_numpy()
        cinc = capabilities[capabilities["year"] == year].set_index("iso3")["cinc"]
        w = cinc.reindex(codes).to_numpy(dtype=float)
        scores = pair_scores(mat.to_numpy(), w if np.isfinite(w).any() else None)
        ia, ib = np.triu_indices(len(codes), 1)
        frame = {"year": int(year), "iso3_a": codes[ia], "iso3_b": codes[ib]}
        for name in ("s", "s_weighted", "kappa", "pi"):
            arr = scores.get(name)
            frame[name] = arr[ia, ib] if arr is not None else np.nan
        frames.append(pd.DataFrame(frame))
    if not frames:
        return pd.DataFrame(columns=["year", "iso3_a", "iso3_b", "s", "s_weighted", "kappa",
                                     "pi"])
    return pd.concat(frames, ignore_index=True)
