"""The alliance network: who is tied to whom by agreements in force, and how it changed.

Definitions used throughout:

* An agreement is **in force in year Y** if it was signed on or before 31 December Y and had
  not ended before 1 January Y (``ended`` empty or ``ended >= Y-01-01``); a party counts if it
  joined by 31 December Y and had not left before 1 January Y. This is ATOP's dyad-year rule:
  a tie counts in every year it existed for at least one day.
* The **strength** of an agreement is the weight of its strongest ATOP obligation
  (:data:`OBLIGATION_WEIGHTS`: defense 1.0, offense 0.8, neutrality 0.6, nonaggression 0.4,
  consultation 0.3); an agreement with none of them (access, cooperation, minilateral, forum)
  has strength ``base`` (0.1 unless given).
* The **weight** of an edge is the sum of the strengths of the agreements tying the pair.
* **Presence** (an option of the graphs): a user state's forces on a host's territory
  (:func:`presence_ties`) can be added as a tie of weight ``base``.
* ``max_parties`` leaves out, in each year, agreements *without a defence pledge* that have
  more parties than that (a treaty of amity with forty parties, or a forum, ties everyone to
  everyone). A defence pledge binds every pair of its parties, so NATO or the Rio Treaty is
  kept whatever its size.

How it is computed: each membership becomes a spell of years (first, last) once per
collection; a year's ties are the spells that cover it, paired within each agreement. Graphs,
metrics and the latticework measure over a range of years are derived from one table of
pair-years, and centralities are computed on numpy arrays (the same definitions as networkx,
tested against it).

Every function takes the collection as ``data`` (see :mod:`apresearch.store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .groups import paused_gc
from .params import ParameterError, check_kinds, check_members
from .store import Collection, resolve

__all__ = [
    "AGREEMENT_KINDS",
    "OBLIGATIONS",
    "OBLIGATION_WEIGHTS",
    "DEFAULT_LATTICE_KINDS",
    "strength",
    "memberships_in_force",
    "alliance_ties",
    "alliance_graph",
    "alliance_graphs",
    "presence_ties",
    "site_start",
    "sites_in_force",
    "member_years",
    "pair_years",
    "actor_metrics",
    "communities",
    "latticework",
    "defence_dyads",
    "agreement_counts",
    "agreements_by_decade",
    "betweenness",
    "eigenvector",
]

AGREEMENT_KINDS: tuple[str, ...] = (
    "defence_treaty",
    "security_agreement",
    "access_agreement",
    "defence_cooperation",
    "minilateral",
    "multilateral_forum",
    "friendship_treaty",
)
OBLIGATIONS: tuple[str, ...] = ("defense", "offense", "neutrality", "nonaggression", "consultation")
OBLIGATION_WEIGHTS: dict[str, float] = {
    "defense": 1.0,
    "offense": 0.8,
    "neutrality": 0.6,
    "nonaggression": 0.4,
    "consultation": 0.3,
}
BASE_WEIGHT = 0.1
OPEN = 9999  # last year of a spell that has not ended
DEFAULT_LATTICE_KINDS: tuple[str, ...] = tuple(k for k in AGREEMENT_KINDS
                                               if k != "multilateral_forum")


# --------------------------------------------------------------------------- spells
def _spells(c: Collection) -> pd.DataFrame:
    """One row per membership spell: agreement_id, iso3, first, last (years, in force by the
    module's rule), the agreement's kind and obligation flags (0/1). Cached per collection."""
    key = "alliances.spells"
    def compute():
        ag, mem = c.view("agreements"), c.view("agreement_members")
        flags = ag[list(OBLIGATIONS)].fillna(0).astype(np.int8)
        a = pd.DataFrame({"agreement_id": ag["agreement_id"].astype(str),
                          "kind": ag["kind"].astype(str),
                          "a_first": ag["signed"].dt.year.astype(int),
                          "a_last": ag["ended"].dt.year.fillna(OPEN).astype(int),
                          **{o: flags[o].to_numpy() for o in OBLIGATIONS}})
        m = pd.DataFrame({"agreement_id": mem["agreement_id"].astype(str),
                          "iso3": mem["iso3"].astype(str),
                          "m_first": mem["joined"].dt.year.astype(int),
                          "m_last": mem["left"].dt.year.fillna(OPEN).astype(int)})
        s = m.merge(a, on="agreement_id", how="inner")
        s["first"] = np.maximum(s["m_first"], s["a_first"])
        s["last"] = np.minimum(s["m_last"], s["a_last"])
        s = s[s["first"] <= s["last"]]
        return s[["agreement_id", "iso3", "first", "last", "kind", *OBLIGATIONS]
                 ].reset_index(drop=True)
    return c.memo(key, compute)


def _check_obligations(obligations) -> list[str] | None:
    if obligations is None:
        return None
    return check_members(obligations, OBLIGATIONS, name="obligations")


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise ParameterError(f"year={year!r} is not a whole year")
    return int(year)


def _select(c: Collection, kinds, obligations) -> pd.DataFrame:
    s = _spells(c)
    if kinds is not None:
        s = s[s["kind"].isin(check_kinds(kinds, AGREEMENT_KINDS))]
    obligations = _check_obligations(obligations)
    if obligations is not None:
        s = s[(s[obligations] == 1).any(axis=1)]
    return s


def _member_years(c: Collection, years: Sequence[int], kinds, obligations,
                  max_parties) -> pd.DataFrame:
    """(agreement_id, iso3, year, kind, flags) for every membership in force in ``years``."""
    years = sorted({_check_year(y) for y in years})
    cols = ["agreement_id", "iso3", "year", "kind", *OBLIGATIONS]
    if not years:
        return pd.DataFrame(columns=cols)
    s = _select(c, kinds, obligations)
    lo, hi = years[0], years[-1]
    s = s[(s["first"] <= hi) & (s["last"] >= lo)]
    first = np.maximum(s["first"].to_numpy(), lo)
    last = np.minimum(s["last"].to_numpy(), hi)
    n = last - first + 1
    rows = np.repeat(np.arange(len(s)), n)
    yr = first[rows] + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    out = s.iloc[rows].drop(columns=["first", "last"]).assign(year=yr)
    if len(years) != hi - lo + 1:
        out = out[out["year"].isin(years)]
    out = out.drop_duplicates(["agreement_id", "iso3", "year"])
    if max_parties is not None:
        size = out.groupby(["agreement_id", "year"])["iso3"].transform("size")
        out = out[(size <= max_parties) | (out["defense"] == 1)]
    return out[cols].reset_index(drop=True)


def _pair_years(c: Collection, years, kinds=None, obligations=None, max_parties=None,
                weights=None, base=BASE_WEIGHT) -> pd.DataFrame:
    """Dyad-agreement-years: year, iso3_a < iso3_b, agreement_id, kind, flags, strength."""
    m = _member_years(c, years, kinds, obligations, max_parties)
    left = m.rename(columns={"iso3": "iso3_a"})
    pairs = left.merge(m[["agreement_id", "year", "iso3"]].rename(columns={"iso3": "iso3_b"}),
                       on=["agreement_id", "year"])
    pairs = pairs[pairs["iso3_a"] < pairs["iso3_b"]]
    pairs = pairs.assign(strength=strength(pairs, weights, base))
    cols = ["year", "iso3_a", "iso3_b", "agreement_id", "kind", *OBLIGATIONS, "strength"]
    return pairs[cols].sort_values(["year", "iso3_a", "iso3_b", "agreement_id"]).reset_index(
        drop=True)


def member_years(years: Iterable[int], *, kinds: Iterable[str] | None = None,
                 obligations: Iterable[str] | None = None, max_parties: int | None = None,
                 data=None) -> pd.DataFrame:
    """Every membership in force in each of ``years``: agreement_id, iso3, year, kind and the
    obligation flags (0/1)."""
    return _member_years(resolve(data), list(years), kinds, obligations, max_parties)


def pair_years(years: Iterable[int], *, kinds: Iterable[str] | None = None,
               obligations: Iterable[str] | None = None, max_parties: int | None = None,
               weights: dict[str, float] | None = None, base: float = BASE_WEIGHT,
               data=None) -> pd.DataFrame:
    """Dyad-agreement-years for ``years``: year, iso3_a < iso3_b, agreement_id, kind, the
    obligation flags and the agreement's strength (one row per shared agreement)."""
    return _pair_years(resolve(data), list(years), kinds, obligations, max_parties, weights,
                       base)


def strength(agreements: pd.DataFrame, weights: dict[str, float] | None = None,
             base: float = BASE_WEIGHT) -> pd.Series:
    """Strength of each agreement (row): weight of its strongest obligation, else ``base``."""
    weights = OBLIGATION_WEIGHTS if weights is None else weights
    unknown = [k for k in weights if k not in OBLIGATIONS]
    if unknown:
        raise ParameterError(f"weights has unknown obligation(s) {unknown}; valid: "
                             + ", ".join(OBLIGATIONS))
    flags = agreements[list(OBLIGATIONS)].fillna(0).astype(float).to_numpy()
    w = np.array([weights.get(o, 0.0) for o in OBLIGATIONS])
    s = (flags * w).max(axis=1) if len(flags) else np.array([])
    s = np.where(s > 0, s, base)
    return pd.Series(s, index=agreements.index, name="strength")


# --------------------------------------------------------------------------- one year
def memberships_in_force(year: int, *, kinds: Iterable[str] | None = None,
                         obligations: Iterable[str] | None = None,
                         max_parties: int | None = None, data=None) -> pd.DataFrame:
    """Parties to agreements in force in ``year``: one row per (agreement_id, iso3), with the
    agreement's columns (name, kind, signed, ... as in the agreements table)."""
    c = resolve(data)
    m = _member_years(c, [year], kinds, obligations, max_parties)[["agreement_id", "iso3"]]
    ag = c.view("agreements")
    return m.merge(ag, on="agreement_id", how="left").reset_index(drop=True)


def alliance_ties(year: int, *, kinds: Iterable[str] | None = None,
                  obligations: Iterable[str] | None = None,
                  weights: dict[str, float] | None = None, base: float = BASE_WEIGHT,
                  max_parties: int | None = None, data=None) -> pd.DataFrame:
    """Dyad-agreement rows in force in ``year``: year, iso3_a < iso3_b, agreement_id, kind,
    obligation flags and strength, one row per shared agreement."""
    return _pair_years(resolve(data), [year], kinds, obligations, max_parties, weights, base)


def _edges(ties: pd.DataFrame, detail: bool = True) -> pd.DataFrame:
    """Aggregate dyad-agreement rows to edges: weight, agreements, kinds, flags, strongest
    (``detail=False``: year, iso3_a, iso3_b, weight only, for centralities)."""
    if ties.empty:
        return pd.DataFrame(columns=["year", "iso3_a", "iso3_b", "weight", "agreements",
                                     "kinds", "defense", "strongest"])
    if not detail:
        return ties.groupby(["year", "iso3_a", "iso3_b"], sort=True, as_index=False)[
            "strength"].sum().rename(columns={"strength": "weight"})
    # one pass over the rows sorted by edge: each edge is a run of rows
    ties = ties.sort_values(["year", "iso3_a", "iso3_b", "agreement_id"], kind="stable")
    year = ties["year"].to_numpy()
    a, b = ties["iso3_a"].to_numpy(object), ties["iso3_b"].to_numpy(object)
    first = np.r_[True, (year[1:] != year[:-1]) | (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    starts = np.flatnonzero(first)
    flags = ties[list(OBLIGATIONS)].to_numpy(float)
    agg = pd.DataFrame({"year": year[starts], "iso3_a": a[starts], "iso3_b": b[starts],
                        "weight": np.add.reduceat(ties["strength"].to_numpy(float), starts)})
    agg = agg.astype({"iso3_a": ties["iso3_a"].dtype, "iso3_b": ties["iso3_b"].dtype})
    spans = list(zip(starts.tolist(), [*starts[1:].tolist(), len(ties)], strict=True))
    ids, kinds = ties["agreement_id"].tolist(), ties["kind"].tolist()
    agg["agreements"] = [ids[lo:hi] for lo, hi in spans]
    agg["kinds"] = [sorted(set(kinds[lo:hi])) for lo, hi in spans]
    for col, values in zip(OBLIGATIONS, np.maximum.reduceat(flags, starts).T, strict=True):
        agg[col] = values.astype(ties[col].dtype)
    top = agg[list(OBLIGATIONS)].to_numpy() == 1
    agg["strongest"] = np.where(top.any(axis=1), np.array(OBLIGATIONS)[top.argmax(axis=1)],
                                "none")
    agg["defense"] = agg["defense"] == 1
    return agg


_EDGE_COLUMNS = ("iso3_a", "iso3_b", "weight", "agreements", "kinds", "defense", "strongest")


def _edge_tuples(edges: pd.DataFrame) -> list[tuple]:
    """(a, b, attributes) per edge row, as plain Python values."""
    cols = [edges[c].tolist() for c in _EDGE_COLUMNS]
    return [(a, b, {"weight": float(w), "agreements": ags, "kinds": ks, "defense": bool(d),
                    "strongest": str(st)})
            for a, b, w, ags, ks, d, st in zip(*cols, strict=True)]


def _graph(year: int, edges: list[tuple], nodes: dict[str, dict], kinds) -> nx.Graph:
    g = nx.Graph(year=int(year), kinds=None if kinds is None else list(kinds))
    g.add_nodes_from(nodes.items())
    g.add_edges_from(edges)
    return g


def alliance_graphs(years: Iterable[int], *, kinds: Iterable[str] | None = None,
                    obligations: Iterable[str] | None = None,
                    weights: dict[str, float] | None = None, base: float = BASE_WEIGHT,
                    max_parties: int | None = None, isolates: bool = True,
                    presence: bool = False, min_personnel: int = 100,
                    data=None) -> dict[int, nx.Graph]:
    """The alliance graph of each year (see :func:`alliance_graph`), built from one table of
    pair-years."""
    c = resolve(data)
    years = [_check_year(y) for y in years]
    kinds = None if kinds is None else check_kinds(kinds, AGREEMENT_KINDS)
    with paused_gc():
        return _alliance_graphs(c, years, kinds, obligations, weights, base, max_parties,
                                isolates, presence, min_personnel)


def _alliance_graphs(c: Collection, years: list[int], kinds, obligations, weights, base,
                     max_parties, isolates, presence, min_personnel) -> dict[int, nx.Graph]:
    edges = _edges(_pair_years(c, years, kinds, obligations, max_parties, weights, base))
    attrs = c.actor_attributes()
    tuples = _edge_tuples(edges)
    # edges are sorted by year: each year's edges are one slice
    bounds = np.searchsorted(edges["year"].to_numpy(int), [[y, y + 1] for y in years]) \
        if len(edges) else np.zeros((len(years), 2), int)
    out = {}
    for y, (lo, hi) in zip(years, bounds, strict=True):
        e = tuples[lo:hi]
        if isolates:
            nodes = attrs
        else:
            tied = sorted({n for a, b, _ in e for n in (a, b)})
            nodes = {n: attrs.get(n, {}) for n in tied}
        out[y] = _graph(y, e, nodes, kinds)
    if presence:
        pt = presence_ties(years, min_personnel=min_personnel, data=c)
        for r in pt.itertuples(index=False):
            g = out[int(r.year)]
            if g.has_edge(r.iso3_a, r.iso3_b):
                g[r.iso3_a][r.iso3_b]["presence"] = True
                g[r.iso3_a][r.iso3_b]["weight"] += base
            else:
                for n in (r.iso3_a, r.iso3_b):
                    if n not in g:
                        g.add_node(n, **attrs.get(n, {}))
                g.add_edge(r.iso3_a, r.iso3_b, weight=base, agreements=[], kinds=["presence"],
                           defense=False, strongest="none", presence=True)
    return out


def alliance_graph(year: int, *, kinds: Iterable[str] | None = None,
                   obligations: Iterable[str] | None = None,
                   weights: dict[str, float] | None = None, base: float = BASE_WEIGHT,
                   max_parties: int | None = None, isolates: bool = True,
                   presence: bool = False, min_personnel: int = 100,
                   data=None) -> nx.Graph:
    """Undirected graph of actors tied by agreements in force in ``year``.

    Nodes carry the actor's attributes (name, lat, lon, subregion, regional). Each edge has
    ``weight`` (sum of agreement strengths), ``agreements`` (ids), ``kinds``, ``defense``
    (True if any agreement pledges defence) and ``strongest`` (the strongest obligation, or
    "none"). ``kinds`` and ``obligations`` keep only agreements of those kinds, or with at
    least one of those obligations; ``max_parties`` as in the module doc. ``isolates=False``
    drops actors without a tie. ``presence=True`` adds foreign military presence as a tie
    (:func:`presence_ties`: US personnel >= ``min_personnel`` or a curated site in force),
    with weight ``base`` and the edge attribute ``presence`` = True.
    """
    year = _check_year(year)
    return alliance_graphs([year], kinds=kinds, obligations=obligations, weights=weights,
                           base=base, max_parties=max_parties, isolates=isolates,
                           presence=presence, min_personnel=min_personnel, data=data)[year]


def site_start(presence: pd.DataFrame) -> pd.Series:
    """When each presence row begins: the earlier of ``established`` and ``use_start`` (a
    reef occupied in 1988 and reclaimed from 2014 counts from 1988)."""
    return presence[["established", "use_start"]].min(axis=1)


def sites_in_force(presence: pd.DataFrame, year: int) -> pd.Series:
    """Which presence rows are in force in ``year``: begun (established or first used) by
    31 December and not ended before 1 January."""
    y0, y1 = pd.Timestamp(int(year), 1, 1), pd.Timestamp(int(year), 12, 31)
    return (site_start(presence) <= y1) & (presence["end"].isna()
                                                | (presence["end"] >= y0))


def presence_ties(years: Iterable[int], *, min_personnel: int = 100,
                  data=None) -> pd.DataFrame:
    """Presence as ties: year, iso3_a < iso3_b, user, host, source ('dmdc' where US
    personnel >= ``min_personnel``; 'presence' for a curated site in force)."""
    c = resolve(data)
    years = [int(y) for y in years]
    d = c.view("us_deployments")
    d = d[d["year"].isin(years) & (d["troops_ad"] >= min_personnel) & (d["iso3"] != "USA")]
    rows = [pd.DataFrame({"year": d["year"], "user": "USA", "host": d["iso3"],
                          "source": "dmdc"})]
    p = c.view("presence")
    p = p[p["user"] != p["host"]]  # a state's own territory is not foreign presence
    for y in years:
        on = p[sites_in_force(p, y)]
        if len(on):
            rows.append(pd.DataFrame({"year": y, "user": on["user"], "host": on["host"],
                                      "source": "presence"}))
    out = pd.concat(rows, ignore_index=True).drop_duplicates(["year", "user", "host"])
    lo = np.where(out["user"] < out["host"], out["user"], out["host"])
    hi = np.where(out["user"] < out["host"], out["host"], out["user"])
    out = out.assign(iso3_a=lo, iso3_b=hi)
    return out[["year", "iso3_a", "iso3_b", "user", "host", "source"]].reset_index(drop=True)


# --------------------------------------------------------------------------- centralities
def betweenness(adjacency: np.ndarray) -> np.ndarray:
    """Normalised shortest-path betweenness of every node of an undirected, unweighted graph
    given as a 0/1 adjacency matrix (Brandes' algorithm for all sources at once; the same
    values as ``networkx.betweenness_centrality(g, normalized=True)``)."""
    a = (np.asarray(adjacency) > 0).astype(float)
    np.fill_diagonal(a, 0.0)
    n = len(a)
    if n <= 2:
        return np.zeros(n)
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    sigma = np.eye(n)
    frontier = np.eye(n)
    d = 0
    while frontier.any():
        d += 1
        counts = (sigma * frontier) @ a  # paths reaching each node through the frontier
        new = (counts > 0) & np.isinf(dist)
        dist[new] = d
        sigma = np.where(new, counts, sigma)
        frontier = new.astype(float)
    delta = np.zeros((n, n))
    for level in range(d - 1, 0, -1):
        at = dist == level
        coeff = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        before = dist == level - 1
        delta += np.where(before, sigma * (coeff @ a), 0.0)
    np.fill_diagonal(delta, 0.0)
    return delta.sum(axis=0) / ((n - 1) * (n - 2))


def eigenvector(weights: np.ndarray, *, max_iter: int = 5000, tol: float = 1e-10
                ) -> np.ndarray:
    """Eigenvector centrality of an undirected weighted graph (weight matrix), by the power
    iteration networkx uses (on A + I, from a uniform start, L2-normalised), over the nodes
    that have a tie; nodes without one score 0, and all are NA when there is no tie."""
    w = np.asarray(weights, dtype=float)
    n = len(w)
    out = np.full(n, np.nan)
    core = np.flatnonzero((w > 0).any(axis=1))
    if len(core) == 0:
        return out
    a = w[np.ix_(core, core)]
    x = np.full(len(core), 1.0 / len(core))
    for _ in range(max_iter):
        last = x
        x = last + a.T @ last
        norm = np.sqrt((x ** 2).sum()) or 1.0
        x = x / norm
        if np.abs(x - last).sum() < len(core) * tol:
            break
    else:  # pragma: no cover - power iteration did not converge: use the eigendecomposition
        vals, vecs = np.linalg.eigh(a)
        x = np.abs(vecs[:, np.argmax(vals)])
        x = x / (np.sqrt((x ** 2).sum()) or 1.0)
    out[:] = 0.0
    out[core] = x
    return out


def actor_metrics(years: Iterable[int], *, kinds: Iterable[str] | None = None,
                  obligations: Iterable[str] | None = None,
                  weights: dict[str, float] | None = None, base: float = BASE_WEIGHT,
                  max_parties: int | None = None, data=None) -> pd.DataFrame:
    """Per actor per year: degree, weighted degree, betweenness, eigenvector centrality.

    ``degree`` counts partners; ``weighted_degree`` sums edge weights; ``betweenness`` is
    normalised, unweighted shortest-path betweenness; ``eigenvector`` is weighted and NA in a
    year without any tie (an actor with no tie in a year with ties scores 0). Every actor is
    a node in every year (as in :func:`alliance_graph`).
    """
    c = resolve(data)
    years = [_check_year(y) for y in years]
    cols = ["year", "iso3", "degree", "weighted_degree", "betweenness", "eigenvector"]
    if not years:
        return pd.DataFrame(columns=cols)
    codes = np.array(sorted(c.actor_attributes()))
    pos = pd.Series(np.arange(len(codes)), index=codes)
    edges = _edges(_pair_years(c, years, kinds, obligations, max_parties, weights, base),
                   detail=False)
    frames = []
    by_year = dict(iter(edges.groupby("year"))) if len(edges) else {}
    n = len(codes)
    # the matrices are small (one row per actor): one BLAS thread is fastest, and never
    # contends with other processes for the cores
    with threadpool_limits(1, user_api="blas"):
        for y in years:
            w = np.zeros((n, n))
            e = by_year.get(y)
            if e is not None:
                i, j = pos[e["iso3_a"]].to_numpy(), pos[e["iso3_b"]].to_numpy()
                w[i, j] = w[j, i] = e["weight"].to_numpy(float)
            frames.append(pd.DataFrame({
                "year": y, "iso3": codes, "degree": (w > 0).sum(axis=1),
                "weighted_degree": w.sum(axis=1), "betweenness": betweenness(w > 0),
                "eigenvector": eigenvector(w)}))
    return pd.concat(frames, ignore_index=True)[cols]


def communities(g: nx.Graph, *, weight: str = "weight") -> pd.DataFrame:
    """Communities by greedy modularity (Clauset-Newman-Moore): columns iso3, community.

    Deterministic. Community 0 is the largest; ties broken by the alphabetically first
    member. Actors without a tie are left out (they form no community).
    """
    core = g.subgraph([n for n in g if g.degree(n) > 0])
    if core.number_of_edges() == 0:
        return pd.DataFrame({"iso3": pd.Series([], dtype="string"),
                             "community": pd.Series([], dtype="Int64")})
    found = nx.community.greedy_modularity_communities(core, weight=weight)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    rows = [(n, i) for i, c in enumerate(ordered) for n in c]
    df = pd.DataFrame(rows, columns=["iso3", "community"])
    return df.astype({"iso3": "string", "community": "Int64"})


def latticework(years: Iterable[int], hub: str = "USA", *,
                kinds: Sequence[str] | None = DEFAULT_LATTICE_KINDS,
                max_parties: int | None = None, spokes: Sequence[str] | None = None,
                regional_only: bool = True, data=None) -> pd.DataFrame:
    """Hub-and-spoke versus latticework, year by year.

    The *spokes* of ``hub`` in a year are the actors it has a defence obligation with
    (``defense`` = 1) — of the region only (``actors.regional`` = 1) unless
    ``regional_only=False`` — or, if ``spokes`` is given, those of them in that list. Among
    the n spokes there are n(n-1)/2 pairs. A pair is *tied without the hub* if the two share
    an agreement in force (of ``kinds``; forums are left out by default because they tie
    everyone to everyone; ``max_parties`` as in the module doc) that the hub is not party to.

    Columns: year, hub, n_spokes, spoke_pairs, pairs_tied_without_hub, latticework
    (= pairs_tied_without_hub / spoke_pairs: 0 is a pure hub-and-spoke system, 1 a full
    lattice; NA with fewer than two spokes), spokes (sorted iso3 list).
    """
    c = resolve(data)
    years = [_check_year(y) for y in years]
    attrs = c.actor_attributes()
    if hub not in attrs:
        check_members([hub], sorted(attrs), name="hub")
    regional = {k for k, v in attrs.items() if v.get("regional")}
    wanted = None if spokes is None else set(check_members(spokes, sorted(attrs),
                                                           name="spokes"))
    defence = _pair_years(c, years, obligations=["defense"])
    defence = defence[(defence["iso3_a"] == hub) | (defence["iso3_b"] == hub)]
    partner = defence["iso3_b"].where(defence["iso3_a"] == hub, defence["iso3_a"])
    spokes_by_year = partner.groupby(defence["year"]).agg(lambda s: sorted(set(s)))
    ties = _pair_years(c, years, kinds, None, max_parties)
    members = _member_years(c, years, kinds, None, max_parties)
    hub_ags = members.loc[members["iso3"] == hub, ["year", "agreement_id"]]
    ties = ties.merge(hub_ags.assign(hub_party=True), on=["year", "agreement_id"], how="left")
    ties = ties[ties["hub_party"].isna()]
    ties_by_year = dict(iter(ties.groupby("year"))) if len(ties) else {}
    rows = []
    for y in years:
        found = [s for s in spokes_by_year.get(y, [])
                 if (wanted is None or s in wanted) and (not regional_only or s in regional
                                                         or wanted is not None)]
        n = len(found)
        pairs = n * (n - 1) // 2
        t = ties_by_year.get(y)
        tied = 0
        if t is not None and n >= 2:
            sp = t[t["iso3_a"].isin(found) & t["iso3_b"].isin(found)]
            tied = sp[["iso3_a", "iso3_b"]].drop_duplicates().shape[0]
        rows.append({"year": y, "hub": hub, "n_spokes": n, "spoke_pairs": pairs,
                     "pairs_tied_without_hub": tied,
                     "latticework": (tied / pairs) if pairs else np.nan, "spokes": found})
    return pd.DataFrame(rows, columns=["year", "hub", "n_spokes", "spoke_pairs",
                                       "pairs_tied_without_hub", "latticework", "spokes"])


def defence_dyads(years: Iterable[int], *, data=None) -> pd.DataFrame:
    """Unordered dyad-years (year, iso3_a < iso3_b) with a defence obligation in force."""
    p = _pair_years(resolve(data), years, obligations=["defense"])
    return p[["year", "iso3_a", "iso3_b"]].drop_duplicates().reset_index(drop=True)


def agreement_counts(year: int, *, data=None) -> pd.DataFrame:
    """Agreements in force in ``year`` per actor and kind: one row per actor, one column per
    kind, and ``total``; NA for every actor outside the agreements' coverage, else counts
    (0 = party to no agreement of that kind that year)."""
    c = resolve(data)
    year = _check_year(year)
    inforce = _member_years(c, [year], None, None, None)
    codes = sorted(c.actor_attributes())
    counts = pd.crosstab(inforce["iso3"], inforce["kind"]) if len(inforce) else pd.DataFrame()
    counts = counts.reindex(index=codes, columns=list(AGREEMENT_KINDS), fill_value=0)
    counts = counts.fillna(0).astype("Int64")
    counts["total"] = counts.sum(axis=1)
    if not c.covers("agreements", year):
        counts[:] = pd.NA
    counts.index.name = "iso3"
    counts.columns.name = None
    return counts.reset_index()


def agreements_by_decade(*, data=None) -> pd.DataFrame:
    """Number of agreements signed per decade (rows) and kind (columns)."""
    ag = resolve(data).view("agreements")
    decade = (ag["signed"].dt.year // 10 * 10).rename("decade")
    table = pd.crosstab(decade, ag["kind"]).reindex(columns=list(AGREEMENT_KINDS),
                                                    fill_value=0)
    table.columns.name = None
    return table
