"""Joint exercises: who trains with whom.

Definitions used throughout:

* A state **takes part** in an edition if it is listed in ``exercise_participants`` as
  ``host`` or ``participant``; observers are left out unless ``roles`` says otherwise.
* Two states **train together** when both take part in the same edition (:func:`pairs`, the
  one place this is computed). The **co-participation** weight of a pair is the number of
  editions in the period both took part in.
* The **format** of an edition follows the number of states taking part: bilateral (2),
  minilateral (3-4), multilateral (5 or more). For an edition whose list is partial
  (``participants_complete`` = 0) that number is a lower bound.
* A **hedger** in a year trains with both of two powers (by default the United States and
  China) that year, in the same or in different editions.

Periods are inclusive year ranges ``start..end`` on the edition's ``year``. Counts per year
are NA outside the exercises table's declared coverage and true zeros inside it. Every
function takes the collection as ``data`` (see :mod:`apresearch.store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from .groups import sorted_unique
from .params import check_members
from .store import resolve

__all__ = [
    "TAKING_PART",
    "FORMATS",
    "participation",
    "pairs",
    "bipartite_graph",
    "coparticipation",
    "coparticipation_graph",
    "partners",
    "hedgers",
    "format_growth",
    "reach",
    "domains",
    "domain_growth",
    "focus_share",
    "partners_by_decade",
    "source_line",
]

TAKING_PART: tuple[str, ...] = ("host", "participant")
ROLES: tuple[str, ...] = ("host", "participant", "observer")
FORMATS: tuple[str, ...] = ("bilateral", "minilateral", "multilateral")


def _roles(roles) -> list[str]:
    return check_members(roles, ROLES, name="roles")


def edition_format(n_states: pd.Series) -> pd.Series:
    """Format of editions from the number of states taking part (see the module doc)."""
    n = n_states.to_numpy()
    fmt = np.select([n >= 5, n >= 3, n == 2], ["multilateral", "minilateral", "bilateral"],
                    default="")
    return pd.Series(fmt, index=n_states.index).replace("", pd.NA)


def _editions(c) -> pd.DataFrame:
    """Editions with their year, series and format (cached per collection)."""
    key = "exercises.editions"
    def compute():
        ex, parts = c.view("exercises"), c.view("exercise_participants")
        n = parts[parts["role"].isin(TAKING_PART)].groupby("exercise_id")["iso3"].nunique()
        ed = ex[["exercise_id", "series_id", "year"]].copy()
        ed["year"] = ed["year"].astype(int)
        ed["n_states"] = ed["exercise_id"].map(n).fillna(0).astype(int)
        ed["format"] = edition_format(ed["n_states"])
        return ed
    return c.memo(key, compute)


def participation(start: int, end: int, *, roles: Sequence[str] = TAKING_PART,
                  data=None) -> pd.DataFrame:
    """One row per (edition, state) in ``start..end``: exercise_id, iso3, role, year,
    series_id, format."""
    c = resolve(data)
    ed = _editions(c)
    ed = ed[(ed["year"] >= start) & (ed["year"] <= end)]
    p = c.view("exercise_participants")
    p = p[p["role"].isin(_roles(roles))][["exercise_id", "iso3", "role"]]
    out = p.merge(ed[["exercise_id", "series_id", "year", "format"]], on="exercise_id",
                  how="inner")
    out = out.astype({"iso3": str, "exercise_id": str})
    return out.sort_values(["year", "exercise_id", "iso3"]).reset_index(drop=True)


def pairs(start: int, end: int, *, roles: Sequence[str] = TAKING_PART,
          data=None) -> pd.DataFrame:
    """Pairs that trained together, edition by edition: exercise_id, year, series_id,
    iso3_a < iso3_b."""
    p = participation(start, end, roles=roles, data=data)
    both = p[["exercise_id", "year", "series_id", "iso3"]].merge(
        p[["exercise_id", "iso3"]], on="exercise_id", suffixes=("_a", "_b"))
    both = both[both["iso3_a"] < both["iso3_b"]]
    both = both.drop_duplicates(["exercise_id", "iso3_a", "iso3_b"])
    return both[["exercise_id", "year", "series_id", "iso3_a", "iso3_b"]].reset_index(
        drop=True)


def bipartite_graph(start: int, end: int, *, roles: Sequence[str] = TAKING_PART,
                    data=None) -> nx.Graph:
    """Actors (``bipartite=0``) linked to the editions (``bipartite=1``) they took part in."""
    p = participation(start, end, roles=roles, data=data)
    g = nx.Graph(start=start, end=end)
    g.add_nodes_from(sorted(p["iso3"].unique()), bipartite=0, kind="actor")
    for row in p.drop_duplicates("exercise_id").itertuples(index=False):
        g.add_node(row.exercise_id, bipartite=1, kind="exercise", year=int(row.year),
                   series_id=row.series_id, format=row.format)
    g.add_edges_from((r.iso3, r.exercise_id, {"role": r.role}) for r in p.itertuples(index=False))
    return g


def coparticipation(start: int, end: int, *, roles: Sequence[str] = TAKING_PART,
                    data=None) -> pd.DataFrame:
    """Pairs that trained together in ``start..end``: iso3_a < iso3_b, editions (count),
    series (sorted ids), first_year, last_year."""
    pr = pairs(start, end, roles=roles, data=data)
    cols = ["iso3_a", "iso3_b", "editions", "series", "first_year", "last_year"]
    if pr.empty:
        return pd.DataFrame(columns=cols)
    out = pr.groupby(["iso3_a", "iso3_b"], sort=True).agg(
        editions=("exercise_id", "nunique"),
        first_year=("year", "min"),
        last_year=("year", "max"),
    )
    out["series"] = sorted_unique(pr, ["iso3_a", "iso3_b"], "series_id", out.index)
    out = out.reset_index()
    return out[cols]


def coparticipation_graph(start: int, end: int, *, roles: Sequence[str] = TAKING_PART,
                          data=None) -> nx.Graph:
    """Weighted projection on actors: edge weight = editions the pair trained in together;
    nodes carry the actor's attributes, so :func:`apresearch.plot.network_map` can draw it."""
    c = resolve(data)
    pr = coparticipation(start, end, roles=roles, data=c)
    attrs = c.actor_attributes()
    g = nx.Graph(start=start, end=end)
    nodes = sorted(set(pr["iso3_a"]) | set(pr["iso3_b"]))
    g.add_nodes_from((n, attrs.get(n, {})) for n in nodes)
    g.add_edges_from(
        (r.iso3_a, r.iso3_b, {"weight": int(r.editions), "series": r.series})
        for r in pr.itertuples(index=False)
    )
    return g


def partners(start: int, end: int, *, iso3: str | Iterable[str] | None = None,
             roles: Sequence[str] = TAKING_PART, data=None) -> pd.DataFrame:
    """Each actor's exercise partners in ``start..end``: iso3, partner, editions, series,
    first_year, last_year (both directions, so every actor sees all its partners), most
    editions first."""
    pr = coparticipation(start, end, roles=roles, data=data)
    flipped = pr.rename(columns={"iso3_a": "iso3_b", "iso3_b": "iso3_a"})
    both = pd.concat([pr, flipped], ignore_index=True).rename(
        columns={"iso3_a": "iso3", "iso3_b": "partner"})
    if iso3 is not None:
        wanted = [iso3] if isinstance(iso3, str) else list(iso3)
        both = both[both["iso3"].isin(wanted)]
    return both.sort_values(["iso3", "editions", "partner"], ascending=[True, False, True]) \
        .reset_index(drop=True)


def hedgers(start: int, end: int, *, powers: tuple[str, str] = ("USA", "CHN"),
            roles: Sequence[str] = TAKING_PART, data=None) -> pd.DataFrame:
    """States that trained with both ``powers`` in the same year, year by year.

    Columns: year, iso3, editions_with_<A>, editions_with_<B> (counts of editions shared with
    each power that year). The powers themselves are left out.
    """
    a, b = powers
    p = participation(start, end, roles=roles, data=data)
    with_power = p[p["iso3"].isin(powers)][["exercise_id", "iso3"]].rename(
        columns={"iso3": "power"})
    shared = p.merge(with_power, on="exercise_id")
    shared = shared[~shared["iso3"].isin(powers)]
    col_a, col_b = f"editions_with_{a}", f"editions_with_{b}"
    if shared.empty:
        return pd.DataFrame(columns=["year", "iso3", col_a, col_b])
    counts = shared.pivot_table(index=["year", "iso3"], columns="power", values="exercise_id",
                                aggfunc="nunique", fill_value=0)
    counts = counts.reindex(columns=[a, b], fill_value=0)
    counts.columns = [col_a, col_b]
    counts = counts[(counts[col_a] > 0) & (counts[col_b] > 0)].reset_index()
    counts.columns.name = None
    return counts.astype({"year": int, col_a: int, col_b: int}).sort_values(
        ["year", "iso3"]).reset_index(drop=True)


def _per_year(table: pd.DataFrame, c, start: int, end: int) -> pd.DataFrame:
    """Reindex a year-indexed count table to start..end: NA outside coverage, else 0."""
    years = pd.Index(range(start, end + 1), name="year")
    table = table.reindex(index=years, fill_value=0).astype("Int64")
    first, last = c.coverage("exercises")
    table.loc[(table.index < first) | (table.index > last), :] = pd.NA
    table.columns.name = None
    return table


def format_growth(start: int, end: int, *, data=None) -> pd.DataFrame:
    """Editions per year by format (bilateral, minilateral, multilateral; see the module
    doc). Every year of ``start..end`` appears; NA outside the table's coverage."""
    c = resolve(data)
    ed = _editions(c)
    ed = ed[(ed["year"] >= start) & (ed["year"] <= end) & ed["format"].notna()]
    table = pd.crosstab(ed["year"], ed["format"]).reindex(columns=list(FORMATS), fill_value=0)
    return _per_year(table, c, start, end)


def reach(start: int, end: int, *, actors: Sequence[str] = ("USA", "CHN"),
          roles: Sequence[str] = TAKING_PART, data=None) -> pd.DataFrame:
    """Per year and actor: editions taken part in and distinct partners trained with (NA
    outside the table's coverage)."""
    c = resolve(data)
    actors = check_members(actors, sorted(c.actor_attributes()), name="actors")
    p = participation(start, end, roles=roles, data=c)
    pr = pairs(start, end, roles=roles, data=c)
    flipped = pd.concat([pr.rename(columns={"iso3_a": "iso3", "iso3_b": "partner"}),
                         pr.rename(columns={"iso3_b": "iso3", "iso3_a": "partner"})])
    grid = pd.MultiIndex.from_product([range(start, end + 1), actors], names=["year", "iso3"])
    ed = p.groupby(["year", "iso3"])["exercise_id"].nunique().reindex(grid, fill_value=0)
    pa = flipped.groupby(["year", "iso3"])["partner"].nunique().reindex(grid, fill_value=0)
    out = pd.DataFrame({"editions": ed, "partners": pa}).astype("Int64").reset_index()
    first, last = c.coverage("exercises")
    out.loc[(out["year"] < first) | (out["year"] > last), ["editions", "partners"]] = pd.NA
    return out


DOMAINS: tuple[str, ...] = ("air", "land", "sea", "amphibious", "cpx", "cyber")
FOCUS: tuple[str, ...] = ("warfighting", "peacekeeping", "humanitarian")
# a curated edition's domain and focus follow its series' domain, by this rule (MME's own
# flags are used for MME exercises)
SERIES_DOMAIN: dict[str, tuple[tuple[str, ...], str]] = {
    "maritime": (("sea",), "warfighting"), "land": (("land",), "warfighting"),
    "air": (("air",), "warfighting"), "amphibious": (("amphibious", "sea", "land"), "warfighting"),
    "multi_domain": (("air", "land", "sea"), "warfighting"),
    "hadr": ((), "humanitarian"), "counter_terrorism": (("land",), "warfighting"),
    "special_forces": (("land",), "warfighting"), "command_post": (("cpx",), "warfighting"),
}


def domains(start: int, end: int, *, data=None) -> pd.DataFrame:
    """Per edition in ``start..end``: exercise_id, year, format, origin, the domain flags
    (air, land, sea, amphibious, cpx, cyber) and focus flags (warfighting, peacekeeping,
    humanitarian), 0/1. MME exercises carry MME's own flags; a curated edition takes its
    series' domain by :data:`SERIES_DOMAIN` (NA where it has no series)."""
    c = resolve(data)
    ed = _editions(c)
    ed = ed[(ed["year"] >= start) & (ed["year"] <= end)]
    flags = [*DOMAINS, *FOCUS]
    ex = c.view("exercises")[["exercise_id", "origin", *flags]]
    out = ed[["exercise_id", "year", "format", "series_id"]].merge(ex, on="exercise_id",
                                                                  how="left")
    series = c.view("exercise_series").set_index("series_id")["domain"]
    rule = pd.DataFrame({dom: {k: float(k in doms) for k in DOMAINS}
                         | {k: float(k == focus) for k in FOCUS}
                         for dom, (doms, focus) in SERIES_DOMAIN.items()}).T
    derived = rule.reindex(out["series_id"].map(series).to_numpy()).to_numpy()
    own = out[flags].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    use_rule = (out["origin"] != "mme").to_numpy()[:, None] & np.isnan(own).all(
        axis=1)[:, None]
    values = np.where(use_rule, derived, own)
    out[flags] = values
    return out[["exercise_id", "year", "format", "origin", *flags]].reset_index(drop=True)


def domain_growth(start: int, end: int, *, data=None) -> pd.DataFrame:
    """Editions per year in each domain (an edition counts in every domain it spans); NA
    outside the table's coverage."""
    c = resolve(data)
    d = domains(start, end, data=c)
    table = d.groupby("year")[list(DOMAINS)].sum(min_count=1).fillna(0)
    return _per_year(table, c, start, end)


def focus_share(start: int, end: int, *, by: str = "decade", data=None) -> pd.DataFrame:
    """Share (per cent) of editions with each focus flag, per decade (or year), among the
    editions whose focus is known."""
    from .params import check_choice

    check_choice(by, ("decade", "year"), name="by")
    d = domains(start, end, data=data).dropna(subset=list(FOCUS), how="all")
    key = (d["year"] // 10 * 10).rename("decade") if by == "decade" else d["year"]
    share = d.groupby(key)[list(FOCUS)].mean() * 100.0
    share["editions"] = d.groupby(key).size()
    return share


def partners_by_decade(start: int, end: int, *, actors: Sequence[str] = ("USA", "CHN", "RUS"),
                       top: int = 10, data=None) -> pd.DataFrame:
    """Each actor's most frequent exercise partners per decade: iso3, decade, partner,
    editions, rank (1 = most editions together)."""
    c = resolve(data)
    actors = check_members(actors, sorted(c.actor_attributes()), name="actors")
    pr = pairs(start, end, data=c)
    both = pd.concat([pr.rename(columns={"iso3_a": "iso3", "iso3_b": "partner"}),
                      pr.rename(columns={"iso3_b": "iso3", "iso3_a": "partner"})])
    both = both[both["iso3"].isin(actors)].assign(decade=lambda x: x["year"] // 10 * 10)
    n = both.groupby(["iso3", "decade", "partner"])["exercise_id"].nunique().rename(
        "editions").reset_index()
    n = n.sort_values(["iso3", "decade", "editions", "partner"],
                      ascending=[True, True, False, True])
    n["rank"] = n.groupby(["iso3", "decade"]).cumcount() + 1
    return n[n["rank"] <= top].reset_index(drop=True)


def source_line(*, data=None) -> str:
    """The figures' source line: MME's release and the years it covers, and the curated
    editions."""
    c = resolve(data)
    ex = c.view("exercises")
    mme = ex[ex["origin"] == "mme"]
    if mme.empty:
        return "apresearch curated exercise editions"
    release = ", ".join(sorted(set(mme["release"].dropna().astype(str)))) or "MME"
    return (f"{release} (imported, {int(mme['year'].min())}-{int(mme['year'].max())}) and "
            "apresearch curated exercise editions")
