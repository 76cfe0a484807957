"""Joint exercises: who trains with whom.

Definitions used throughout:

* A state **takes part** in an edition if it is listed in ``exercise_participants`` as
  ``host`` or ``participant``; observers are left out unless ``roles`` says otherwise.
* Two states **train together** when both take part in the same edition. The
  **co-participation** weight of a pair is the number of editions in the period both took
  part in.
* A **hedger** in a year trains with both of two powers (by default the United States and
  China) that year, in the same or in different editions.

Periods are inclusive year ranges ``start..end`` on the edition's ``year``. Functions take the
tables as arguments; where omitted they come from :mod:`apresearch.data`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from . import data as _data

__all__ = [
    "coverage",
    "participation",
    "bipartite_graph",
    "coparticipation",
    "coparticipation_graph",
    "partner_portfolio",
    "hedgers",
    "format_growth",
    "reach",
]

TAKING_PART: tuple[str, ...] = ("host", "participant")


def _tables(exercises=None, participants=None, series=None):
    if exercises is None:
        exercises = _data.load("exercises")
    if participants is None:
        participants = _data.load("exercise_participants")
    if series is None:
        series = _data.load("exercise_series")
    return exercises, participants, series


def coverage(exercises: pd.DataFrame | None = None) -> tuple[int, int]:
    """First and last year with an edition in the exercises table."""
    if exercises is None:
        exercises = _data.load("exercises")
    if exercises.empty:
        raise ValueError("The exercises table is empty: no years are covered.")
    return int(exercises["year"].min()), int(exercises["year"].max())


def participation(
    start: int,
    end: int,
    exercises: pd.DataFrame | None = None,
    participants: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    *,
    roles: Sequence[str] = TAKING_PART,
) -> pd.DataFrame:
    """One row per (edition, state) in ``start..end``: exercise_id, iso3, role, year,
    series_id, format, domain."""
    exercises, participants, series = _tables(exercises, participants, series)
    ed = exercises[(exercises["year"] >= start) & (exercises["year"] <= end)]
    ed = ed[["exercise_id", "series_id", "year"]].merge(
        series[["series_id", "format", "domain"]], on="series_id", how="left")
    p = participants[participants["role"].isin(list(roles))][["exercise_id", "iso3", "role"]]
    out = p.merge(ed, on="exercise_id", how="inner")
    out["year"] = out["year"].astype(int)
    return out.sort_values(["year", "exercise_id", "iso3"]).reset_index(drop=True)


def bipartite_graph(start: int, end: int, exercises=None, participants=None, series=None, *,
                    roles: Sequence[str] = TAKING_PART) -> nx.Graph:
    """Actors (``bipartite=0``) linked to the editions (``bipartite=1``) they took part in."""
    p = participation(start, end, exercises, participants, series, roles=roles)
    g = nx.Graph(start=start, end=end)
    g.add_nodes_from(sorted(p["iso3"].unique()), bipartite=0, kind="actor")
    for row in p.drop_duplicates("exercise_id").itertuples(index=False):
        g.add_node(row.exercise_id, bipartite=1, kind="exercise", year=int(row.year),
                   series_id=row.series_id, format=row.format)
    g.add_edges_from((r.iso3, r.exercise_id, {"role": r.role}) for r in p.itertuples(index=False))
    return g


def coparticipation(start: int, end: int, exercises=None, participants=None, series=None, *,
                    roles: Sequence[str] = TAKING_PART) -> pd.DataFrame:
    """Pairs that trained together in ``start..end``: iso3_a < iso3_b, editions (count),
    series (sorted ids), first_year, last_year."""
    p = participation(start, end, exercises, participants, series, roles=roles)
    pairs = p[["exercise_id", "iso3", "year", "series_id"]]
    pairs = pairs.merge(p[["exercise_id", "iso3"]], on="exercise_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["iso3_a"] < pairs["iso3_b"]]
    cols = ["iso3_a", "iso3_b", "editions", "series", "first_year", "last_year"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    out = pairs.groupby(["iso3_a", "iso3_b"], sort=True).agg(
        editions=("exercise_id", "nunique"),
        series=("series_id", lambda s: sorted(set(s))),
        first_year=("year", "min"),
        last_year=("year", "max"),
    ).reset_index()
    return out[cols]


def coparticipation_graph(start: int, end: int, exercises=None, participants=None,
                          series=None, actors: pd.DataFrame | None = None, *,
                          roles: Sequence[str] = TAKING_PART) -> nx.Graph:
    """Weighted projection on actors: edge weight = editions the pair trained in together.

    Nodes carry the actor's name, lat, lon and subregion when ``actors`` is available, so the
    graph can be drawn with :func:`apresearch.plot.network_map`.
    """
    pairs = coparticipation(start, end, exercises, participants, series, roles=roles)
    if actors is None:
        actors = _data.load("actors")
    attrs = actors.set_index("iso3")
    g = nx.Graph(start=start, end=end)
    nodes = sorted(set(pairs["iso3_a"]) | set(pairs["iso3_b"]))
    for n in nodes:
        if n in attrs.index:
            row = attrs.loc[n]
            g.add_node(n, name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
                       subregion=row["subregion"])
        else:
            g.add_node(n)
    g.add_edges_from(
        (r.iso3_a, r.iso3_b, {"weight": int(r.editions), "series": r.series})
        for r in pairs.itertuples(index=False)
    )
    return g


def partner_portfolio(start: int, end: int, exercises=None, participants=None, series=None,
                      *, iso3: str | Iterable[str] | None = None,
                      roles: Sequence[str] = TAKING_PART) -> pd.DataFrame:
    """Each actor's exercise partners in ``start..end``: iso3, partner, editions, series,
    first_year, last_year (both directions, so every actor sees all its partners)."""
    pairs = coparticipation(start, end, exercises, participants, series, roles=roles)
    flipped = pairs.rename(columns={"iso3_a": "iso3_b", "iso3_b": "iso3_a"})
    both = pd.concat([pairs, flipped], ignore_index=True).rename(
        columns={"iso3_a": "iso3", "iso3_b": "partner"})
    if iso3 is not None:
        wanted = [iso3] if isinstance(iso3, str) else list(iso3)
        both = both[both["iso3"].isin(wanted)]
    return both.sort_values(["iso3", "editions", "partner"], ascending=[True, False, True]) \
        .reset_index(drop=True)


def hedgers(start: int, end: int, exercises=None, participants=None, series=None, *,
            powers: tuple[str, str] = ("USA", "CHN"),
            roles: Sequence[str] = TAKING_PART) -> pd.DataFrame:
    """States that trained with both ``powers`` in the same year, year by year.

    Columns: year, iso3, editions_with_<A>, editions_with_<B> (counts of editions shared with
    each power that year). The powers themselves are left out.
    """
    a, b = powers
    p = participation(start, end, exercises, participants, series, roles=roles)
    with_power = p[p["iso3"].isin(powers)][["exercise_id", "iso3"]].rename(
        columns={"iso3": "power"})
    shared = p.merge(with_power, on="exercise_id")
    shared = shared[~shared["iso3"].isin(powers)]
    col_a, col_b = f"editions_with_{a}", f"editions_with_{b}"
    counts = shared.pivot_table(index=["year", "iso3"], columns="power", values="exercise_id",
                                aggfunc="nunique", fill_value=0)
    counts = counts.reindex(columns=[a, b], fill_value=0)
    counts.columns = [col_a, col_b]
    counts = counts[(counts[col_a] > 0) & (counts[col_b] > 0)].reset_index()
    counts.columns.name = None
    return counts.astype({"year": int, col_a: int, col_b: int}).sort_values(
        ["year", "iso3"]).reset_index(drop=True)


def format_growth(start: int, end: int, exercises=None, series=None) -> pd.DataFrame:
    """Editions per year by series format (bilateral, minilateral, multilateral).

    Every year of ``start..end`` appears; a 0 is a true zero only within the table's coverage
    (see :func:`coverage`), and years outside it are NA.
    """
    exercises, _, series = _tables(exercises, pd.DataFrame(), series)
    ed = exercises[(exercises["year"] >= start) & (exercises["year"] <= end)]
    ed = ed.merge(series[["series_id", "format"]], on="series_id", how="left")
    table = pd.crosstab(ed["year"].astype(int), ed["format"])
    years = pd.Index(range(start, end + 1), name="year")
    table = table.reindex(index=years, columns=["bilateral", "minilateral", "multilateral"],
                          fill_value=0).astype("Int64")
    if not exercises.empty:
        first, last = coverage(exercises)
        table.loc[(table.index < first) | (table.index > last), :] = pd.NA
    table.columns.name = None
    return table


def reach(start: int, end: int, exercises=None, participants=None, series=None, *,
          actors: Sequence[str] = ("USA", "CHN"),
          roles: Sequence[str] = TAKING_PART) -> pd.DataFrame:
    """Per year and actor: editions taken part in and distinct partners trained with."""
    p = participation(start, end, exercises, participants, series, roles=roles)
    rows = []
    for year in range(start, end + 1):
        py = p[p["year"] == year]
        for iso3 in actors:
            mine = set(py.loc[py["iso3"] == iso3, "exercise_id"])
            partners = set(py.loc[py["exercise_id"].isin(mine), "iso3"]) - {iso3}
            rows.append({"year": year, "iso3": iso3, "editions": len(mine),
                         "partners": len(partners)})
    out = pd.DataFrame(rows, columns=["year", "iso3", "editions", "partners"])
    return out.astype({"editions": np.int64, "partners": np.int64})
