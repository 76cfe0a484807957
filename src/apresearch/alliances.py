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

Functions take the tables as arguments; where omitted they come from :mod:`apresearch.data`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from . import data as _data
from .params import check_kinds

__all__ = [
    "KINDS",
    "OBLIGATIONS",
    "OBLIGATION_WEIGHTS",
    "memberships_in_force",
    "alliance_ties",
    "alliance_graph",
    "actor_metrics",
    "communities",
    "latticework",
    "atop_defense_dyads",
    "portfolio",
    "agreements_by_decade",
]

KINDS: tuple[str, ...] = (
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


def _tables(agreements, members, actors=None, need_actors=False):
    if agreements is None:
        agreements = _data.load("agreements")
    if members is None:
        members = _data.load("agreement_members")
    if need_actors and actors is None:
        actors = _data.load("actors")
    return agreements, members, actors


def _year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise TypeError(f"year must be an integer, got {year!r}")
    return pd.Timestamp(int(year), 1, 1), pd.Timestamp(int(year), 12, 31)


def _filter_agreements(agreements: pd.DataFrame, kinds, obligations) -> pd.DataFrame:
    out = agreements
    if kinds is not None:
        kinds = check_kinds(kinds, valid=KINDS)
        out = out[out["kind"].isin(kinds)]
    if obligations is not None:
        obligations = list(obligations)
        unknown = [o for o in obligations if o not in OBLIGATIONS]
        if unknown:
            raise ValueError(
                f"obligations={unknown!r} not recognised; valid: {', '.join(OBLIGATIONS)}"
            )
        mask = (out[obligations].fillna(0).astype(int) == 1).any(axis=1)
        out = out[mask]
    return out


def strength(agreements: pd.DataFrame, weights: dict[str, float] | None = None,
             base: float = BASE_WEIGHT) -> pd.Series:
    """Strength of each agreement: weight of its strongest obligation, else ``base``."""
    weights = OBLIGATION_WEIGHTS if weights is None else weights
    flags = agreements[list(OBLIGATIONS)].fillna(0).astype(float).to_numpy()
    w = np.array([weights.get(o, 0.0) for o in OBLIGATIONS])
    s = (flags * w).max(axis=1) if len(flags) else np.array([])
    s = np.where(s > 0, s, base)
    return pd.Series(s, index=agreements.index, name="strength")


def memberships_in_force(
    year: int,
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    *,
    kinds: Iterable[str] | None = None,
    obligations: Iterable[str] | None = None,
    max_parties: int | None = None,
) -> pd.DataFrame:
    """Parties to agreements in force in ``year``: one row per (agreement_id, iso3).

    ``max_parties`` leaves out agreements with more parties than that in the year (a treaty
    of amity with forty parties ties everyone to everyone, like a forum).
    """
    agreements, members, _ = _tables(agreements, members)
    start, end = _year_bounds(year)
    ag = _filter_agreements(agreements, kinds, obligations)
    ag = ag[(ag["signed"] <= end) & (ag["ended"].isna() | (ag["ended"] >= start))]
    m = members[(members["joined"] <= end) & (members["left"].isna() | (members["left"] >= start))]
    m = m[m["agreement_id"].isin(ag["agreement_id"])]
    out = m[["agreement_id", "iso3"]].drop_duplicates()
    if max_parties is not None:
        size = out.groupby("agreement_id")["iso3"].transform("size")
        out = out[size <= max_parties]
    return out.merge(ag, on="agreement_id", how="left").reset_index(drop=True)


def alliance_ties(
    year: int,
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    *,
    kinds: Iterable[str] | None = None,
    obligations: Iterable[str] | None = None,
    weights: dict[str, float] | None = None,
    base: float = BASE_WEIGHT,
    max_parties: int | None = None,
) -> pd.DataFrame:
    """Dyad-agreement rows in force in ``year``: iso3_a < iso3_b, one row per shared agreement."""
    inforce = memberships_in_force(year, agreements, members, kinds=kinds,
                                   obligations=obligations, max_parties=max_parties)
    cols = ["agreement_id", "kind", *OBLIGATIONS]
    left = inforce[["agreement_id", "iso3"]].rename(columns={"iso3": "iso3_a"})
    right = inforce[["agreement_id", "iso3"]].rename(columns={"iso3": "iso3_b"})
    pairs = left.merge(right, on="agreement_id")
    pairs = pairs[pairs["iso3_a"] < pairs["iso3_b"]]
    ag = inforce.drop(columns="iso3").drop_duplicates("agreement_id")
    ag = ag.assign(strength=strength(ag, weights, base))
    pairs = pairs.merge(ag[[*cols, "strength"]], on="agreement_id", how="left")
    pairs.insert(0, "year", int(year))
    return pairs.sort_values(["iso3_a", "iso3_b", "agreement_id"]).reset_index(drop=True)


def alliance_graph(
    year: int,
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    *,
    kinds: Iterable[str] | None = None,
    obligations: Iterable[str] | None = None,
    weights: dict[str, float] | None = None,
    base: float = BASE_WEIGHT,
    max_parties: int | None = None,
    isolates: bool = True,
) -> nx.Graph:
    """Undirected graph of actors tied by agreements in force in ``year``.

    Nodes carry the actor's attributes (name, lat, lon, subregion, regional). Each edge has
    ``weight`` (sum of agreement strengths), ``agreements`` (ids), ``kinds``, ``defense``
    (True if any agreement pledges defence) and ``strongest`` (the strongest obligation, or
    "none"). ``kinds`` and ``obligations`` keep only agreements of those kinds, or with at
    least one of those obligations; ``max_parties`` leaves out agreements with more parties
    that year. ``isolates=False`` drops actors without a tie.
    """
    agreements, members, actors = _tables(agreements, members, actors, need_actors=True)
    ties = alliance_ties(year, agreements, members, kinds=kinds, obligations=obligations,
                         weights=weights, base=base, max_parties=max_parties)
    g = nx.Graph(year=int(year), kinds=None if kinds is None else list(kinds))
    attrs = actors.set_index("iso3")
    if isolates:
        nodes = list(attrs.index)
    else:
        nodes = sorted(set(ties["iso3_a"]) | set(ties["iso3_b"]))
    for node in nodes:
        g.add_node(node, **(_node_attrs_series(attrs.loc[node]) if node in attrs.index else {}))
    if ties.empty:
        return g
    flags = ties[list(OBLIGATIONS)].fillna(0).astype(int)
    ties = ties.assign(**{o: flags[o] for o in OBLIGATIONS})
    agg = ties.groupby(["iso3_a", "iso3_b"], sort=True).agg(
        weight=("strength", "sum"),
        agreements=("agreement_id", list),
        kinds=("kind", lambda k: sorted(set(k))),
        **{o: (o, "max") for o in OBLIGATIONS},
    )
    top = agg[list(OBLIGATIONS)].to_numpy() == 1
    strongest = np.where(top.any(axis=1), np.array(OBLIGATIONS)[top.argmax(axis=1)], "none")
    g.add_edges_from(
        (a, b, {"weight": float(w), "agreements": ags, "kinds": ks, "defense": bool(d == 1),
                "strongest": str(st)})
        for (a, b), w, ags, ks, d, st in zip(agg.index, agg["weight"], agg["agreements"],
                                             agg["kinds"], agg["defense"], strongest,
                                             strict=True)
    )
    return g


def _node_attrs_series(row: pd.Series) -> dict:
    return {"name": row["name"], "lat": float(row["lat"]), "lon": float(row["lon"]),
            "subregion": row["subregion"], "regional": bool(row["regional"])}


def _eigenvector(g: nx.Graph) -> dict[str, float]:
    if g.number_of_edges() == 0:
        return {n: np.nan for n in g}
    core = g.subgraph([n for n in g if g.degree(n) > 0])
    try:
        ev = nx.eigenvector_centrality(core, weight="weight", max_iter=5000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:
        ev = nx.eigenvector_centrality_numpy(core, weight="weight")
    return {n: float(ev.get(n, 0.0)) for n in g}


def actor_metrics(
    years: Iterable[int],
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    **graph_kwargs,
) -> pd.DataFrame:
    """Per actor per year: degree, weighted degree, betweenness, eigenvector centrality.

    ``degree`` counts partners; ``weighted_degree`` sums edge weights; ``betweenness`` is
    normalised, unweighted shortest-path betweenness; ``eigenvector`` is weighted and NA in a
    year without any tie (an actor with no tie in a year with ties scores 0).
    """
    agreements, members, actors = _tables(agreements, members, actors, need_actors=True)
    frames = []
    for year in years:
        g = alliance_graph(year, agreements, members, actors, **graph_kwargs)
        nodes = list(g.nodes)
        frames.append(pd.DataFrame({
            "year": int(year),
            "iso3": nodes,
            "degree": [g.degree(n) for n in nodes],
            "weighted_degree": [float(g.degree(n, weight="weight")) for n in nodes],
            "betweenness": pd.Series(nx.betweenness_centrality(g, normalized=True))[nodes]
            .to_numpy(dtype=float),
            "eigenvector": pd.Series(_eigenvector(g))[nodes].to_numpy(dtype=float),
        }))
    if not frames:
        return pd.DataFrame(columns=["year", "iso3", "degree", "weighted_degree",
                                     "betweenness", "eigenvector"])
    return pd.concat(frames, ignore_index=True)


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


DEFAULT_LATTICE_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "multilateral_forum")


def latticework(
    years: Iterable[int],
    hub: str = "USA",
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    *,
    kinds: Sequence[str] | None = DEFAULT_LATTICE_KINDS,
    max_parties: int | None = None,
    spokes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hub-and-spoke versus latticework, year by year.

    The *spokes* of ``hub`` in a year are the actors it has a defence obligation with
    (``defense`` = 1), or, if ``spokes`` is given, those of them in that list. Among the n
    spokes there are n(n-1)/2 pairs. A pair is *tied without
    the hub* if the two share an agreement in force (of ``kinds``; forums are left out by
    default because they tie everyone to everyone; ``max_parties`` drops large agreements)
    that the hub is not party to.

    Columns: year, hub, n_spokes, spoke_pairs, pairs_tied_without_hub, latticework
    (= pairs_tied_without_hub / spoke_pairs: 0 is a pure hub-and-spoke system, 1 a full
    lattice; NA with fewer than two spokes), spokes (sorted iso3 list).
    """
    agreements, members, _ = _tables(agreements, members)
    rows = []
    for year in years:
        defence = alliance_ties(year, agreements, members, obligations=["defense"])
        found = sorted(set(defence.loc[defence["iso3_a"] == hub, "iso3_b"])
                       | set(defence.loc[defence["iso3_b"] == hub, "iso3_a"]))
        if spokes is not None:
            found = [s for s in found if s in set(spokes)]
        n = len(found)
        pairs = n * (n - 1) // 2
        ties = alliance_ties(year, agreements, members, kinds=kinds, max_parties=max_parties)
        hub_party = set(
            memberships_in_force(year, agreements, members, kinds=kinds)
            .query("iso3 == @hub")["agreement_id"]
        )
        sp = ties[ties["iso3_a"].isin(found) & ties["iso3_b"].isin(found)
                  & ~ties["agreement_id"].isin(hub_party)]
        tied = sp[["iso3_a", "iso3_b"]].drop_duplicates().shape[0]
        rows.append({
            "year": int(year), "hub": hub, "n_spokes": n, "spoke_pairs": pairs,
            "pairs_tied_without_hub": tied,
            "latticework": (tied / pairs) if pairs else np.nan,
            "spokes": found,
        })
    return pd.DataFrame(rows)


def atop_defense_dyads(
    years: Iterable[int],
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Unordered dyad-years (year, iso3_a < iso3_b) with a defence obligation in our data."""
    agreements, members, _ = _tables(agreements, members)
    frames = [
        alliance_ties(y, agreements, members, obligations=["defense"])[["year", "iso3_a", "iso3_b"]]
        for y in years
    ]
    if not frames:
        return pd.DataFrame(columns=["year", "iso3_a", "iso3_b"])
    return pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)


def portfolio(
    year: int,
    agreements: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreements in force in ``year`` per actor and kind: one row per actor, one column per kind.

    Every actor appears; 0 means the actor is party to no agreement of that kind that year
    (a true zero: the table covers every actor in every year of its coverage).
    """
    agreements, members, actors = _tables(agreements, members, actors, need_actors=True)
    inforce = memberships_in_force(year, agreements, members)
    counts = pd.crosstab(inforce["iso3"], inforce["kind"]) if len(inforce) else pd.DataFrame()
    counts = counts.reindex(index=actors["iso3"].astype(str), columns=list(KINDS), fill_value=0)
    counts = counts.fillna(0).astype(int)
    counts["total"] = counts.sum(axis=1)
    counts.index.name = "iso3"
    counts.columns.name = None
    return counts.reset_index()


def agreements_by_decade(agreements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of agreements signed per decade (rows) and kind (columns)."""
    if agreements is None:
        agreements = _data.load("agreements")
    decade = (agreements["signed"].dt.year // 10 * 10).rename("decade")
    table = pd.crosstab(decade, agreements["kind"]).reindex(columns=list(KINDS), fill_value=0)
    table.columns.name = None
    return table
