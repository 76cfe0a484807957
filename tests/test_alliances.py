"""The alliance network on the hand-made fixture (tests/conftest.py); answers worked by hand.

The fixture's agreements: us-jpn (defence + consultation, 1951), us-kor (defence, 1953),
us-aus (defence, 1951), us-phl (defence, 1951, ended 1960-06-30), chn-kor (defence, 1961;
KOR left 1970-01-01), jpn-aus (security agreement, consultation, 2007), quad (USA JPN AUS,
2017, no obligation), forum (USA JPN KOR AUS PHL CHN, 1994, no obligation).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import write_folder
from hypothesis import given, settings
from hypothesis import strategies as st

import apresearch as apr
from apresearch import alliances as al

T = pd.Timestamp
NO_FORUM = [k for k in al.AGREEMENT_KINDS if k != "multilateral_forum"]
ACTORS = ["AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "RUS", "USA"]
PAIR_COLS = ["year", "iso3_a", "iso3_b", "agreement_id", "kind", *al.OBLIGATIONS, "strength"]


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    """The fixture folder as a Collection, validated once for the module (read-only)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return apr.collection(write_folder(tmp_path_factory.mktemp("mini") / "data"))


def add(coll, agreements: list[dict], members: list[tuple], drop: tuple[str, ...] = ()):
    """The collection with agreements (dicts: agreement_id, kind, signed, ended, flags) and
    memberships (agreement_id, iso3, joined, left) added, and agreements ``drop`` removed."""
    ag, mem = coll["agreements"], coll["agreement_members"]
    ag, mem = ag[~ag["agreement_id"].isin(drop)], mem[~mem["agreement_id"].isin(drop)]
    new = pd.DataFrame([{"name": a["agreement_id"], "signed_precision": "day",
                         **{o: 0 for o in al.OBLIGATIONS}, "ended": None, **a}
                        for a in agreements], columns=ag.columns)
    new["signed"], new["ended"] = pd.to_datetime(new["signed"]), pd.to_datetime(new["ended"])
    newm = pd.DataFrame([{"agreement_id": a, "iso3": i, "joined": j, "left": lft,
                          "joined_precision": "day"} for a, i, j, lft in members],
                        columns=mem.columns)
    newm["joined"], newm["left"] = pd.to_datetime(newm["joined"]), pd.to_datetime(newm["left"])
    ag = pd.concat([ag, new.astype(ag.dtypes.to_dict())], ignore_index=True)
    mem = pd.concat([mem, newm.astype(mem.dtypes.to_dict())], ignore_index=True)
    return coll.replace(agreements=ag, agreement_members=mem)


def edges(g):
    return sorted(tuple(sorted(e)) for e in g.edges)


def ties(df, year=None):
    if year is not None:
        df = df[df["year"] == year]
    return sorted(set(zip(df["iso3_a"], df["iso3_b"], strict=True)))


# --------------------------------------------------------------------------- in force
def test_in_force_boundaries(coll):
    # us-phl ended 1960-06-30: in force for part of 1960, not in 1961
    assert al.alliance_graph(1960, data=coll).has_edge("USA", "PHL")
    assert not al.alliance_graph(1961, data=coll).has_edge("USA", "PHL")
    # KOR left chn-kor on 1970-01-01: a tie for one day still counts in 1970, not 1971
    assert al.alliance_graph(1970, data=coll).has_edge("CHN", "KOR")
    assert not al.alliance_graph(1971, data=coll).has_edge("CHN", "KOR")
    # chn-kor signed 1961-07-11: counts in 1961, not 1960
    assert al.alliance_graph(1961, data=coll).has_edge("CHN", "KOR")
    assert not al.alliance_graph(1960, data=coll).has_edge("CHN", "KOR")
    # signed 1951-09-08 counts in 1951; nothing is in force in 1950
    assert al.alliance_graph(1951, data=coll).has_edge("USA", "JPN")
    assert al.alliance_graph(1950, data=coll).number_of_edges() == 0
    assert ties(al.pair_years([1951], data=coll)) == [("AUS", "USA"), ("JPN", "USA"),
                                                      ("PHL", "USA")]  # us-kor is 1953


def test_in_force_spells_custom(coll):
    c = add(coll, [
        # signed and ended within one year: in force that year only
        {"agreement_id": "one", "kind": "friendship_treaty", "signed": "1980-03-01",
         "ended": "1980-10-01", "nonaggression": 1},
        # ended on 1 January: counts in that year
        {"agreement_id": "jan", "kind": "defence_cooperation", "signed": "1985-05-05",
         "ended": "1990-01-01", "consultation": 1},
    ], [("one", "CHN", "1980-03-01", None), ("one", "RUS", "1980-03-01", None),
        ("jan", "IND", "1985-05-05", None), ("jan", "RUS", "1985-05-05", "1987-12-31"),
        ("jan", "JPN", "1986-01-01", None),  # joined after signing: from 1986
        ("forum", "IND", "2005-01-01", None)])
    p = al.pair_years(range(1979, 1992), data=c)
    one = p[p["agreement_id"] == "one"]
    assert one["year"].tolist() == [1980]
    jan = p[p["agreement_id"] == "jan"]
    assert ties(jan, 1985) == [("IND", "RUS")]
    assert ties(jan, 1986) == ties(jan, 1987) == [("IND", "JPN"), ("IND", "RUS"),
                                                  ("JPN", "RUS")]
    assert ties(jan, 1988) == [("IND", "JPN")]  # RUS left on 31 December 1987
    assert ties(jan, 1990) == [("IND", "JPN")]  # the agreement ended on 1 January 1990
    assert ties(jan, 1991) == []
    m = al.member_years([2004, 2005], data=c)
    forum = m[m["agreement_id"] == "forum"]
    assert "IND" not in set(forum.loc[forum["year"] == 2004, "iso3"])
    assert "IND" in set(forum.loc[forum["year"] == 2005, "iso3"])


def test_rejoining_member_is_not_duplicated(coll):
    # KOR leaves the forum in March 2000 and rejoins in September: one membership in 2000
    mem = coll["agreement_members"]
    kor = (mem["agreement_id"] == "forum") & (mem["iso3"] == "KOR")
    mem.loc[kor, "left"] = T("2000-03-01")
    again = mem[kor].assign(joined=T("2000-09-01"), left=pd.NaT)
    c = coll.replace(agreement_members=pd.concat([mem, again], ignore_index=True))
    m = al.member_years([1999, 2000, 2001], data=c)
    assert not m.duplicated(["agreement_id", "iso3", "year"]).any()
    assert ((m["agreement_id"] == "forum") & (m["iso3"] == "KOR")).sum() == 3
    p = al.pair_years([2000], data=c)
    assert not p.duplicated(["iso3_a", "iso3_b", "agreement_id"]).any()


def test_year_must_be_whole(coll):
    for bad in ("1960", 1960.0, True):
        with pytest.raises(apr.ParameterError, match=f"year={bad!r} is not a whole year"):
            al.alliance_graph(bad, data=coll)
    with pytest.raises(apr.ParameterError, match="year='x' is not a whole year"):
        al.alliance_graphs([1960, "x"], data=coll)
    with pytest.raises(apr.ParameterError, match="year=1960.5 is not a whole year"):
        al.member_years([1960.5], data=coll)
    with pytest.raises(apr.ParameterError, match="is not a whole year"):
        al.actor_metrics([None], data=coll)
    with pytest.raises(apr.ParameterError, match="is not a whole year"):
        al.agreement_counts("2000", data=coll)
    with pytest.raises(apr.ParameterError, match="is not a whole year"):
        al.latticework(["2000"], data=coll)
    assert al.alliance_graph(np.int64(1960), data=coll).graph["year"] == 1960


# --------------------------------------------------------------------------- member/pair years
def test_member_years(coll):
    m = al.member_years([1951, 1971], data=coll)
    assert list(m.columns) == ["agreement_id", "iso3", "year", "kind", *al.OBLIGATIONS]
    got = {(r.agreement_id, r.iso3, r.year) for r in m.itertuples()}
    assert got == {("us-jpn", "USA", 1951), ("us-jpn", "JPN", 1951), ("us-aus", "USA", 1951),
                   ("us-aus", "AUS", 1951), ("us-phl", "USA", 1951), ("us-phl", "PHL", 1951),
                   ("us-jpn", "USA", 1971), ("us-jpn", "JPN", 1971), ("us-kor", "USA", 1971),
                   ("us-kor", "KOR", 1971), ("us-aus", "USA", 1971), ("us-aus", "AUS", 1971),
                   ("chn-kor", "CHN", 1971)}  # CHN still a party after KOR left
    r = m[(m["agreement_id"] == "us-jpn") & (m["iso3"] == "JPN")].iloc[0]
    assert (r["kind"], r["defense"], r["consultation"], r["offense"]) == (
        "defence_treaty", 1, 1, 0)
    assert list(m.index) == list(range(len(m)))


def test_member_years_gaps_and_empty(coll):
    m = al.member_years([1951, 1961, 1951], data=coll)  # not contiguous, repeated
    assert sorted(m["year"].unique()) == [1951, 1961]
    assert not m.duplicated(["agreement_id", "iso3", "year"]).any()
    e = al.member_years([], data=coll)
    assert e.empty and list(e.columns) == ["agreement_id", "iso3", "year", "kind",
                                           *al.OBLIGATIONS]
    assert al.pair_years([], data=coll).empty
    assert al.member_years([1900], data=coll).empty


def test_member_years_filters(coll):
    m = al.member_years([2020], kinds=["minilateral"], data=coll)
    assert sorted(m["iso3"]) == ["AUS", "JPN", "USA"]
    m = al.member_years([2020], obligations=["consultation"], data=coll)
    assert set(m["agreement_id"]) == {"us-jpn", "jpn-aus"}
    m = al.member_years([2020], max_parties=2, data=coll)
    assert set(m["agreement_id"]) == {"us-jpn", "us-kor", "us-aus", "jpn-aus", "chn-kor"}


def test_pair_years(coll):
    p = al.pair_years([2020], data=coll)
    assert list(p.columns) == PAIR_COLS
    assert (p["iso3_a"] < p["iso3_b"]).all()
    assert len(p) == 15 + 2 + 2 + 3  # forum 15 pairs, quad 3, jpn-aus 1, three US treaties
    assert list(p.index) == list(range(len(p)))
    key = p[["year", "iso3_a", "iso3_b", "agreement_id"]].astype(str).agg("|".join, axis=1)
    assert key.tolist() == sorted(key)  # sorted by year, pair, agreement
    r = p[(p["iso3_a"] == "JPN") & (p["iso3_b"] == "USA")]
    assert r["agreement_id"].tolist() == ["forum", "quad", "us-jpn"]
    assert r["strength"].tolist() == pytest.approx([0.1, 0.1, 1.0])
    assert r["kind"].tolist() == ["multilateral_forum", "minilateral", "defence_treaty"]
    w = al.pair_years([2020], weights={"consultation": 0.5}, base=0.2, data=coll)
    r = w[(w["iso3_a"] == "JPN") & (w["iso3_b"] == "USA")]
    # defence has no weight given (0): us-jpn's strongest weighted obligation is consultation
    assert r["strength"].tolist() == pytest.approx([0.2, 0.2, 0.5])
    r = w[(w["iso3_a"] == "KOR") & (w["iso3_b"] == "USA") & (w["agreement_id"] == "us-kor")]
    assert r["strength"].tolist() == pytest.approx([0.2])  # no weighted obligation: base


def test_pair_years_two_years(coll):
    p = al.pair_years([1960, 1961], kinds=["defence_treaty"], data=coll)
    assert ties(p, 1960) == [("AUS", "USA"), ("JPN", "USA"), ("KOR", "USA"), ("PHL", "USA")]
    assert ties(p, 1961) == [("AUS", "USA"), ("CHN", "KOR"), ("JPN", "USA"), ("KOR", "USA")]
    assert p["year"].tolist() == sorted(p["year"])


def test_alliance_ties_matches_pair_years(coll):
    for kw in ({}, {"kinds": NO_FORUM}, {"obligations": ["consultation"]},
               {"max_parties": 3}, {"weights": {"defense": 0.5}, "base": 0.05}):
        pd.testing.assert_frame_equal(al.alliance_ties(2020, data=coll, **kw),
                                      al.pair_years([2020], data=coll, **kw))
    t = al.alliance_ties(2020, max_parties=3, data=coll)
    assert "forum" not in set(t["agreement_id"]) and "quad" in set(t["agreement_id"])


def test_memberships_in_force(coll):
    m = al.memberships_in_force(1960, data=coll)
    assert len(m) == 8  # four US treaties, two parties each
    assert {"agreement_id", "iso3", "name", "kind", "signed", "ended", "defense"} <= set(m)
    assert list(m.columns[:2]) == ["agreement_id", "iso3"]
    phl = m[m["agreement_id"] == "us-phl"].iloc[0]
    assert phl["name"] == "US-Philippines" and phl["ended"] == T("1960-06-30")
    m71 = al.memberships_in_force(1971, data=coll)
    assert sorted(m71.loc[m71["agreement_id"] == "chn-kor", "iso3"]) == ["CHN"]
    assert len(al.memberships_in_force(2020, max_parties=2, data=coll)) == 2 * 4 + 1
    assert set(al.memberships_in_force(2020, kinds=["minilateral"], data=coll)["iso3"]) == {
        "USA", "JPN", "AUS"}
    assert set(al.memberships_in_force(2020, obligations=["consultation"], data=coll)[
        "agreement_id"]) == {"us-jpn", "jpn-aus"}
    assert list(m.index) == list(range(len(m)))


# --------------------------------------------------------------------------- strength
def test_strength():
    flags = pd.DataFrame({
        "defense": [1, 0, 0, 0, 0, 0, 0], "offense": [1, 1, 0, 0, 0, 0, pd.NA],
        "neutrality": [0, 0, 1, 1, 0, 0, 0], "nonaggression": [0, 0, 0, 1, 1, 0, 0],
        "consultation": [1, 0, 0, 0, 1, 1, 0]}, index=list("abcdefg")).astype("Int64")
    s = al.strength(flags)
    assert s.name == "strength" and list(s.index) == list("abcdefg")
    # the strongest obligation's weight; none (or NA) is the base weight 0.1
    assert s.tolist() == pytest.approx([1.0, 0.8, 0.6, 0.6, 0.4, 0.3, 0.1])
    assert al.strength(flags, base=0.25).tolist()[-1] == 0.25
    w = al.strength(flags, weights={"offense": 2.0, "consultation": 0.7})
    # unnamed obligations weigh 0: neutrality-only and non-aggression rows fall to the base
    assert w.tolist() == pytest.approx([2.0, 2.0, 0.1, 0.1, 0.7, 0.7, 0.1])
    assert al.strength(flags.iloc[0:0]).empty


def test_strength_unknown_weight():
    flags = pd.DataFrame({o: [1] for o in al.OBLIGATIONS})
    with pytest.raises(apr.ParameterError,
                       match=r"weights has unknown obligation\(s\) \['alliance'\]; valid: "
                             "defense, offense, neutrality, nonaggression, consultation"):
        al.strength(flags, weights={"defense": 1.0, "alliance": 0.5})


def test_obligation_weights_constants():
    assert al.OBLIGATION_WEIGHTS == {"defense": 1.0, "offense": 0.8, "neutrality": 0.6,
                                     "nonaggression": 0.4, "consultation": 0.3}
    assert al.BASE_WEIGHT == 0.1
    assert "multilateral_forum" not in al.DEFAULT_LATTICE_KINDS
    assert len(al.DEFAULT_LATTICE_KINDS) == len(al.AGREEMENT_KINDS) - 1


# --------------------------------------------------------------------------- graphs
def test_weights_2020(coll):
    g = al.alliance_graph(2020, data=coll)
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.2)  # us-jpn 1.0 + quad 0.1 + forum 0.1
    assert g["USA"]["KOR"]["weight"] == pytest.approx(1.1)  # us-kor + forum
    assert g["JPN"]["AUS"]["weight"] == pytest.approx(0.5)  # consultation 0.3 + quad + forum
    assert g["PHL"]["CHN"]["weight"] == pytest.approx(0.1)  # forum only
    assert g.number_of_edges() == 15  # the forum ties all six of its parties
    e = g["USA"]["JPN"]
    assert e["agreements"] == ["forum", "quad", "us-jpn"]
    assert e["kinds"] == ["defence_treaty", "minilateral", "multilateral_forum"]
    assert e["defense"] is True and g["JPN"]["AUS"]["defense"] is False
    assert e["strongest"] == "defense"
    assert g["JPN"]["AUS"]["strongest"] == "consultation"
    assert g["PHL"]["CHN"]["strongest"] == "none"
    assert "presence" not in e
    assert g.graph == {"year": 2020, "kinds": None}
    assert not g.is_directed()


def test_weights_custom(coll):
    g = al.alliance_graph(2020, weights={"defense": 2.0, "consultation": 1.0}, base=0.5,
                          data=coll)
    assert g["USA"]["JPN"]["weight"] == pytest.approx(2.0 + 0.5 + 0.5)
    assert g["JPN"]["AUS"]["weight"] == pytest.approx(1.0 + 0.5 + 0.5)
    assert g["CHN"]["PHL"]["weight"] == pytest.approx(0.5)


def test_strongest_order(coll):
    c = add(coll, [
        {"agreement_id": "x1", "kind": "friendship_treaty", "signed": "1990-01-01",
         "offense": 1, "nonaggression": 1, "consultation": 1},
        {"agreement_id": "x2", "kind": "friendship_treaty", "signed": "1990-01-01",
         "neutrality": 1},
        {"agreement_id": "x3", "kind": "friendship_treaty", "signed": "1990-01-01",
         "nonaggression": 1, "consultation": 1},
    ], [("x1", "CHN", "1990-01-01", None), ("x1", "RUS", "1990-01-01", None),
        ("x2", "IND", "1990-01-01", None), ("x2", "RUS", "1990-01-01", None),
        ("x3", "IND", "1990-01-01", None), ("x3", "PRK", "1990-01-01", None)])
    g = al.alliance_graph(1990, data=c)
    assert g["CHN"]["RUS"]["strongest"] == "offense"
    assert g["CHN"]["RUS"]["weight"] == pytest.approx(0.8)
    assert g["IND"]["RUS"]["strongest"] == "neutrality"
    assert g["IND"]["RUS"]["weight"] == pytest.approx(0.6)
    assert g["IND"]["PRK"]["strongest"] == "nonaggression"
    assert g["IND"]["PRK"]["weight"] == pytest.approx(0.4)
    assert not any(d["defense"] for _, _, d in g.edges(data=True) if d["strongest"] != "defense")


def test_kind_filter_and_isolates(coll):
    g = al.alliance_graph(2020, kinds=NO_FORUM, data=coll)
    assert edges(g) == [("AUS", "JPN"), ("AUS", "USA"), ("JPN", "USA"), ("KOR", "USA")]
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.1)
    assert sorted(g.nodes) == ACTORS  # every actor, tied or not
    assert g.graph["kinds"] == NO_FORUM
    node = g.nodes["JPN"]
    assert node == {"name": "Japan", "lat": 35.7, "lon": 139.7, "subregion": "Northeast Asia",
                    "regional": True}
    g2 = al.alliance_graph(2020, kinds=NO_FORUM, isolates=False, data=coll)
    assert sorted(g2.nodes) == ["AUS", "JPN", "KOR", "USA"]
    assert g2.nodes["JPN"]["name"] == "Japan"
    assert {n: d["name"] for n, d in g2.nodes(data=True)} == {
        "AUS": "Australia", "JPN": "Japan", "KOR": "South Korea", "USA": "United States"}
    g3 = al.alliance_graph(2020, kinds="minilateral", data=coll)  # one kind as a string
    assert edges(g3) == [("AUS", "JPN"), ("AUS", "USA"), ("JPN", "USA")]
    empty = al.alliance_graph(1950, isolates=False, data=coll)
    assert empty.number_of_nodes() == 0


def test_bad_kinds(coll):
    with pytest.raises(apr.ParameterError,
                       match=r"kinds has unknown value\(s\) 'treaty'; valid: defence_treaty, "
                             "security_agreement"):
        al.alliance_graph(2020, kinds=["treaty"], data=coll)
    with pytest.raises(apr.ParameterError, match="kinds is empty; give at least one of"):
        al.alliance_graph(2020, kinds=[], data=coll)
    with pytest.raises(apr.ParameterError, match=r"kinds has unknown value\(s\) 'forum'"):
        al.pair_years([2020], kinds=["forum"], data=coll)


def test_obligation_filter(coll):
    g = al.alliance_graph(2020, obligations=["consultation"], data=coll)
    assert edges(g) == [("AUS", "JPN"), ("JPN", "USA")]
    assert g["JPN"]["USA"]["weight"] == pytest.approx(1.0)  # us-jpn only
    g = al.alliance_graph(2020, obligations=["defense", "consultation"], data=coll)
    assert edges(g) == [("AUS", "JPN"), ("AUS", "USA"), ("JPN", "USA"), ("KOR", "USA")]
    g = al.alliance_graph(2020, obligations=["offense"], data=coll)
    assert g.number_of_edges() == 0
    with pytest.raises(apr.ParameterError,
                       match=r"obligations has unknown value\(s\) 'alliance'; valid: defense, "
                             "offense, neutrality, nonaggression, consultation"):
        al.alliance_graph(2020, obligations=["alliance"], data=coll)
    with pytest.raises(apr.ParameterError, match="obligations is empty"):
        al.member_years([2020], obligations=[], data=coll)


def test_max_parties(coll):
    g = al.alliance_graph(2020, max_parties=2, data=coll)
    # the forum (6 parties) and the Quad (3) are left out; pacts of two stay
    assert edges(g) == [("AUS", "JPN"), ("AUS", "USA"), ("JPN", "USA"), ("KOR", "USA")]
    assert g["JPN"]["USA"]["weight"] == pytest.approx(1.0)
    g = al.alliance_graph(2020, max_parties=3, data=coll)  # the Quad has exactly 3
    assert g["JPN"]["USA"]["weight"] == pytest.approx(1.1)
    assert not g.has_edge("CHN", "PHL")
    g = al.alliance_graph(2020, max_parties=6, data=coll)  # the forum has exactly 6
    assert g.has_edge("CHN", "PHL")
    # a defence pledge is never dropped, whatever its size
    g = al.alliance_graph(2020, max_parties=1, data=coll)
    assert edges(g) == [("AUS", "USA"), ("JPN", "USA"), ("KOR", "USA")]


def test_max_parties_counts_each_year(coll):
    c = add(coll, [{"agreement_id": "tri", "kind": "security_agreement", "signed": "1999-01-01",
                    "consultation": 1},
                   {"agreement_id": "big", "kind": "defence_treaty", "signed": "1999-01-01",
                    "defense": 1}],
            [("tri", "IND", "1999-01-01", None), ("tri", "RUS", "1999-01-01", None),
             ("tri", "PRK", "1999-01-01", "2000-06-01"),
             *[("big", i, "1999-01-01", None) for i in ("IND", "RUS", "PRK", "CHN", "PHL")]])
    p = al.pair_years([2000, 2001], max_parties=2, data=c)
    tri = p[p["agreement_id"] == "tri"]
    assert ties(tri, 2000) == []  # three parties in 2000
    assert ties(tri, 2001) == [("IND", "RUS")]  # two once PRK has left
    big = p[p["agreement_id"] == "big"]
    assert len(big[big["year"] == 2001]) == 10  # five parties, a defence pledge: all kept


def test_graph_edge_weight_is_sum_of_strengths(coll):
    for year in (1960, 1994, 2007, 2017, 2020):
        g = al.alliance_graph(year, data=coll)
        p = al.pair_years([year], data=coll)
        sums = p.groupby(["iso3_a", "iso3_b"])["strength"].sum()
        assert g.number_of_edges() == len(sums)
        for (a, b), w in sums.items():
            assert g[a][b]["weight"] == pytest.approx(w)
            assert g[a][b]["defense"] == bool(
                p.loc[(p["iso3_a"] == a) & (p["iso3_b"] == b), "defense"].max())


def test_alliance_graphs_equal_alliance_graph(coll):
    years = [1950, 1960, 1961, 1970, 2007, 2016, 2020]
    for kw in ({}, {"kinds": NO_FORUM}, {"obligations": ["defense"]}, {"max_parties": 3},
               {"isolates": False}, {"presence": True}, {"presence": True, "isolates": False,
                                                          "kinds": ["defence_treaty"]},
               {"weights": {"defense": 3.0}, "base": 0.5, "presence": True,
                "min_personnel": 50}):
        gs = al.alliance_graphs(years, data=coll, **kw)
        assert list(gs) == years
        for y in years:
            g = al.alliance_graph(y, data=coll, **kw)
            assert nx.utils.graphs_equal(gs[y], g), (y, kw)
            assert sorted(gs[y].edges(data=True)) == sorted(g.edges(data=True))
    assert al.alliance_graphs([], data=coll) == {}


# --------------------------------------------------------------------------- presence
def test_presence_ties(coll):
    p = al.presence_ties([2010, 2015, 2016, 2020], data=coll)
    assert list(p.columns) == ["year", "iso3_a", "iso3_b", "user", "host", "source"]
    got = {(r.year, r.iso3_a, r.iso3_b, r.user, r.host, r.source) for r in p.itertuples()}
    # DMDC: JPN 2010 (35,000), JPN KOR PHL 2020 (>= 100; AUS has 90); the curated PHL site
    # from 2016 (in 2020 the DMDC row comes first, one tie per year and pair)
    assert got == {(2010, "JPN", "USA", "USA", "JPN", "dmdc"),
                   (2020, "JPN", "USA", "USA", "JPN", "dmdc"),
                   (2020, "KOR", "USA", "USA", "KOR", "dmdc"),
                   (2020, "PHL", "USA", "USA", "PHL", "dmdc"),
                   (2016, "PHL", "USA", "USA", "PHL", "presence")}
    assert len(p) == 5
    at90 = al.presence_ties([2020], min_personnel=90, data=coll)
    assert "AUS" in set(at90["host"])  # 90 >= 90
    assert "AUS" not in set(al.presence_ties([2020], min_personnel=91, data=coll)["host"])
    assert set(al.presence_ties([2020], min_personnel=100_000, data=coll)["host"]) == {"PHL"}
    assert al.presence_ties([2015], data=coll).empty
    assert al.presence_ties([], data=coll).empty


def test_min_personnel_default_is_100(coll):
    dep = coll["us_deployments"]
    dep.loc[(dep["iso3"] == "AUS") & (dep["year"] == 2020), "troops_ad"] = 100.0
    c = coll.replace(us_deployments=dep)
    assert "AUS" in set(al.presence_ties([2020], data=c)["host"])  # 100 >= 100
    assert al.alliance_graph(2020, presence=True, data=c)["AUS"]["USA"]["presence"] is True
    assert al.alliance_graphs([2020], presence=True, data=c)[2020]["AUS"]["USA"]["presence"]
    dep.loc[(dep["iso3"] == "AUS") & (dep["year"] == 2020), "troops_ad"] = 99.0
    c = coll.replace(us_deployments=dep)
    assert "AUS" not in set(al.presence_ties([2020], data=c)["host"])
    assert "presence" not in al.alliance_graph(2020, presence=True, data=c)["AUS"]["USA"]


def test_presence_ties_rules(coll):
    pres = coll["presence"]
    base = pres.iloc[0]
    rows = pd.DataFrame([
        {**base, "presence_id": "a", "host": "AUS", "user": "USA", "established": pd.NaT,
         "use_start": T("2011-12-31")},  # no established date: use_start, from 2011
        {**base, "presence_id": "b", "host": "KOR", "user": "CHN", "established": T("2001-01-01"),
         "end": T("2012-01-01")},  # ends 1 January 2012: still in 2012, not 2013
        {**base, "presence_id": "c", "host": "JPN", "user": "JPN", "established": T("2001-01-01")},
        {**base, "presence_id": "d", "host": "IND", "user": "RUS", "established": pd.NaT,
         "use_start": pd.NaT},  # no date at all: never
    ]).astype(pres.dtypes.to_dict())
    dep = coll["us_deployments"]
    usa = dep.iloc[[0]].assign(iso3="USA", troops_ad=1_000_000.0, year=2012)
    c = coll.replace(presence=pd.concat([pres, rows], ignore_index=True),
                     us_deployments=pd.concat([dep, usa], ignore_index=True))
    p = al.presence_ties([2010, 2011, 2012, 2013], data=c)
    got = {(r.year, r.user, r.host) for r in p.itertuples()}
    assert got == {(2010, "USA", "JPN"), (2011, "USA", "AUS"), (2012, "USA", "AUS"),
                   (2013, "USA", "AUS"), (2010, "CHN", "KOR"), (2011, "CHN", "KOR"),
                   (2012, "CHN", "KOR")}
    chn = p[p["user"] == "CHN"].iloc[0]
    assert (chn["iso3_a"], chn["iso3_b"]) == ("CHN", "KOR")
    assert set(p["source"]) == {"dmdc", "presence"}


def test_presence_in_graph(coll):
    g = al.alliance_graph(2020, presence=True, data=coll)
    assert g["JPN"]["USA"]["presence"] is True
    assert g["JPN"]["USA"]["weight"] == pytest.approx(1.2 + 0.1)  # presence adds base
    assert g["PHL"]["USA"]["weight"] == pytest.approx(0.1 + 0.1)  # forum + presence
    assert g["PHL"]["USA"]["agreements"] == ["forum"]
    assert "presence" not in g["AUS"]["USA"]  # 90 personnel, below 100
    assert g.number_of_edges() == 15
    g = al.alliance_graph(2020, presence=True, min_personnel=90, data=coll)
    assert g["AUS"]["USA"]["presence"] is True
    # without the forum, USA-PHL is a presence tie only
    g = al.alliance_graph(2020, presence=True, kinds=["defence_treaty"], base=0.5, data=coll)
    assert g["PHL"]["USA"] == {"weight": 0.5, "agreements": [], "kinds": ["presence"],
                               "defense": False, "strongest": "none", "presence": True}
    assert g["JPN"]["USA"]["weight"] == pytest.approx(1.0 + 0.5)
    assert g["JPN"]["USA"]["kinds"] == ["defence_treaty"]
    g = al.alliance_graph(2016, presence=True, kinds=["defence_treaty"], isolates=False,
                          data=coll)
    assert sorted(g.nodes) == ["AUS", "JPN", "KOR", "PHL", "USA"]  # PHL joins with its tie
    assert g.nodes["PHL"]["name"] == "Philippines"
    assert g["PHL"]["USA"]["weight"] == pytest.approx(0.1)
    plain = al.alliance_graph(2016, kinds=["defence_treaty"], isolates=False, data=coll)
    assert "PHL" not in plain


# --------------------------------------------------------------------------- centralities
def _graph_from(n, edge_list):
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(edge_list)
    w = np.zeros((n, n))
    for a, b, x in edge_list:
        w[a, b] = w[b, a] = x
    return g, w


@st.composite
def random_graphs(draw, connected=False):
    n = draw(st.integers(3, 9))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    if connected:  # a random spanning tree, then extra edges
        chosen = sorted({*chosen, *((draw(st.integers(0, i - 1)), i) for i in range(1, n))})
    weights = draw(st.lists(st.floats(0.1, 5.0), min_size=len(chosen), max_size=len(chosen)))
    return n, [(a, b, w) for (a, b), w in zip(chosen, weights, strict=True)]


@settings(max_examples=25, deadline=None)
@given(random_graphs())
def test_betweenness_equals_networkx(graph):
    n, edge_list = graph
    g, w = _graph_from(n, edge_list)
    expected = nx.betweenness_centrality(g, normalized=True)
    got = al.betweenness(w)
    assert got == pytest.approx([expected[i] for i in range(n)], abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(random_graphs(connected=True), st.integers(0, 2))
def test_eigenvector_equals_networkx(graph, isolated):
    n, edge_list = graph
    g, w = _graph_from(n, edge_list)
    expected = nx.eigenvector_centrality(g, weight="weight", max_iter=10_000, tol=1e-12)
    full = np.zeros((n + isolated, n + isolated))
    full[:n, :n] = w
    got = al.eigenvector(full)
    assert got[:n] == pytest.approx([expected[i] for i in range(n)], abs=1e-6)
    assert (got[n:] == 0).all()  # actors without a tie score 0


def test_betweenness_small_and_hand_worked():
    assert al.betweenness(np.zeros((0, 0))).tolist() == []
    assert al.betweenness(np.ones((2, 2))).tolist() == [0.0, 0.0]
    # a path 0-1-2-3: node 1 is on 0-2 and 0-3, node 2 on 0-3 and 1-3; of 3 pairs each
    path = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    assert al.betweenness(path) == pytest.approx([0, 2 / 3, 2 / 3, 0])
    # weights and self-loops do not matter (unweighted shortest paths)
    loops = path * 5.0 + np.eye(4)
    assert al.betweenness(loops) == pytest.approx([0, 2 / 3, 2 / 3, 0])
    # a 4-cycle: each node is on half of the two shortest paths of its opposite pair
    cyc = np.array([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]])
    assert al.betweenness(cyc) == pytest.approx([1 / 6] * 4)


def test_eigenvector_hand_worked():
    assert np.isnan(al.eigenvector(np.zeros((3, 3)))).all()  # no tie: undefined
    # a star of three equal leaves: centre 1/sqrt(2), leaves 1/sqrt(6)
    star = np.zeros((5, 5))
    star[0, 1:4] = star[1:4, 0] = 2.0
    x = al.eigenvector(star)
    assert x[0] == pytest.approx(1 / math.sqrt(2), abs=1e-8)
    assert x[1:4] == pytest.approx([1 / math.sqrt(6)] * 3, abs=1e-8)
    assert x[4] == 0
    # one weighted pair: both 1/sqrt(2) whatever the weight
    pair = np.array([[0.0, 0.3], [0.3, 0.0]])
    assert al.eigenvector(pair) == pytest.approx([1 / math.sqrt(2)] * 2)


def test_metrics_star(coll):
    m = al.actor_metrics([2020], kinds=["defence_treaty"], data=coll)
    m = m.set_index("iso3")
    # a star USA-{JPN, KOR, AUS} with equal weights: centre 1/sqrt(2), leaves 1/sqrt(6)
    assert m.loc["USA", "eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    assert m.loc["JPN", "eigenvector"] == pytest.approx(1 / math.sqrt(6), abs=1e-6)
    assert m.loc["PHL", "eigenvector"] == 0
    assert m.loc["USA", "degree"] == 3 and m.loc["PHL", "degree"] == 0
    assert m.loc["JPN", "degree"] == 1
    assert m.loc["USA", "weighted_degree"] == pytest.approx(3.0)
    # USA is on the 3 leaf-leaf shortest paths, of (n-1)(n-2)/2 = 28 pairs of the other 8
    assert m.loc["USA", "betweenness"] == pytest.approx(3 / 28)
    assert m.loc["JPN", "betweenness"] == 0


def test_metrics_weighted_and_empty_year(coll):
    m = al.actor_metrics([1950, 2020], kinds=NO_FORUM, data=coll)
    assert list(m.columns) == ["year", "iso3", "degree", "weighted_degree", "betweenness",
                               "eigenvector"]
    assert len(m) == 2 * 9
    assert list(m.index) == list(range(18))
    assert m["iso3"].tolist() == ACTORS * 2 and m["year"].tolist() == [1950] * 9 + [2020] * 9
    y2020 = m[m["year"] == 2020].set_index("iso3")
    # USA: JPN 1.1 (treaty + Quad), AUS 1.1, KOR 1.0
    assert y2020.loc["USA", "weighted_degree"] == pytest.approx(1.1 + 1.1 + 1.0)
    assert y2020.loc["AUS", "weighted_degree"] == pytest.approx(1.1 + 0.4)  # + jpn-aus, Quad
    assert y2020.loc["USA", "degree"] == 3 and y2020.loc["AUS", "degree"] == 2
    # KOR-JPN and KOR-AUS run through the USA; JPN-AUS is direct: 2 of 28 pairs
    assert y2020.loc["USA", "betweenness"] == pytest.approx(2 / 28)
    y1950 = m[m["year"] == 1950]
    assert y1950["eigenvector"].isna().all()  # no tie at all: undefined, not 0
    assert (y1950["degree"] == 0).all() and (y1950["weighted_degree"] == 0).all()
    assert (y1950["betweenness"] == 0).all()


def test_metrics_equal_networkx_on_the_fixture(coll):
    years = [1955, 1965, 2007, 2020]
    for kw in ({}, {"kinds": NO_FORUM}, {"max_parties": 3, "weights": {"defense": 2.0}}):
        m = al.actor_metrics(years, data=coll, **kw)
        for y in years:
            g = al.alliance_graph(y, data=coll, **kw)
            mm = m[m["year"] == y].set_index("iso3")
            bt = nx.betweenness_centrality(g, normalized=True)
            core = g.subgraph([n for n in g if g.degree(n) > 0])
            ev = nx.eigenvector_centrality(core, weight="weight", max_iter=10_000, tol=1e-12)
            for n in g:
                assert mm.loc[n, "degree"] == g.degree(n)
                assert mm.loc[n, "weighted_degree"] == pytest.approx(
                    g.degree(n, weight="weight"))
                assert mm.loc[n, "betweenness"] == pytest.approx(bt[n], abs=1e-9)
                assert mm.loc[n, "eigenvector"] == pytest.approx(ev.get(n, 0.0), abs=1e-6)


def test_metrics_filters_and_empty(coll):
    m = al.actor_metrics([2020], obligations=["consultation"], data=coll).set_index("iso3")
    assert m.loc["JPN", "degree"] == 2 and m.loc["KOR", "degree"] == 0
    m = al.actor_metrics([2020], max_parties=2, base=0.5, data=coll).set_index("iso3")
    assert m.loc["AUS", "weighted_degree"] == pytest.approx(1.0 + 0.3)
    m = al.actor_metrics([2020], kinds=["multilateral_forum"], base=0.5,
                         data=coll).set_index("iso3")
    assert m.loc["CHN", "weighted_degree"] == pytest.approx(5 * 0.5)
    w = al.actor_metrics([2020], kinds=["defence_treaty"], weights={"defense": 2.0},
                         data=coll).set_index("iso3")
    assert w.loc["USA", "weighted_degree"] == pytest.approx(6.0)
    e = al.actor_metrics([], data=coll)
    assert e.empty and list(e.columns) == ["year", "iso3", "degree", "weighted_degree",
                                           "betweenness", "eigenvector"]


# --------------------------------------------------------------------------- communities
def test_communities_ordering():
    # a triangle X-Y-Z and a pair A-B: the larger community first, although A < X
    g = nx.Graph([("X", "Y"), ("Y", "Z"), ("X", "Z"), ("A", "B")])
    nx.set_edge_attributes(g, 1.0, "weight")
    g.add_node("C")  # no tie: no community
    c = al.communities(g)
    assert c["iso3"].tolist() == ["X", "Y", "Z", "A", "B"]
    assert c["community"].tolist() == [0, 0, 0, 1, 1]
    assert c["iso3"].dtype == "string" and c["community"].dtype == "Int64"


def test_communities_equal_sizes_and_weight():
    # a 6-cycle; "weight" is heavy on a-f, b-c, d-e; "w1" on a-b, c-d, e-f
    g = nx.cycle_graph(["a", "b", "c", "d", "e", "f"])
    heavy = {("a", "b"), ("c", "d"), ("e", "f")}
    for u, v in g.edges:
        g[u][v]["w1"] = 10.0 if (u, v) in heavy else 1.0
        g[u][v]["weight"] = 11.0 - g[u][v]["w1"]
    c = al.communities(g).set_index("iso3")["community"]
    # three pairs of equal size: numbered by their alphabetically first member
    assert c.to_dict() == {"a": 0, "f": 0, "b": 1, "c": 1, "d": 2, "e": 2}
    assert al.communities(g).iloc[:2]["iso3"].tolist() == ["a", "f"]
    c1 = al.communities(g, weight="w1").set_index("iso3")["community"]
    assert c1.to_dict() == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2, "f": 2}


def test_communities_two_triangles():
    g = nx.Graph([("D", "E"), ("E", "F"), ("D", "F"), ("A", "B"), ("B", "C"), ("A", "C"),
                  ("C", "D")])
    nx.set_edge_attributes(g, 1.0, "weight")
    c = al.communities(g).set_index("iso3")["community"]
    assert c.to_dict() == {"A": 0, "B": 0, "C": 0, "D": 1, "E": 1, "F": 1}


def test_communities_one_edge():
    g = nx.Graph()
    g.add_edge("B", "A", weight=1.0)
    c = al.communities(g)
    assert c["iso3"].tolist() == ["A", "B"] and c["community"].tolist() == [0, 0]


def test_communities_empty(coll):
    g = nx.Graph()
    g.add_nodes_from(["A", "B"])
    c = al.communities(g)
    assert c.empty and list(c.columns) == ["iso3", "community"]
    assert c["iso3"].dtype == "string" and c["community"].dtype == "Int64"
    assert al.communities(al.alliance_graph(1950, data=coll)).empty


def test_communities_on_the_fixture(coll):
    c = al.communities(al.alliance_graph(2020, kinds=NO_FORUM, data=coll))
    assert sorted(c["iso3"]) == ["AUS", "JPN", "KOR", "USA"]  # tied actors only
    assert c["community"].tolist() == sorted(c["community"])


# --------------------------------------------------------------------------- latticework
LW_COLS = ["year", "hub", "n_spokes", "spoke_pairs", "pairs_tied_without_hub", "latticework",
           "spokes"]


def test_latticework(coll):
    lw = al.latticework([1950, 1951, 1955, 1961, 2007, 2020], data=coll)
    assert list(lw.columns) == LW_COLS
    assert lw["hub"].tolist() == ["USA"] * 6
    lw = lw.set_index("year")
    assert lw.loc[1950, "n_spokes"] == 0 and lw.loc[1950, "spoke_pairs"] == 0
    assert np.isnan(lw.loc[1950, "latticework"]) and lw.loc[1950, "spokes"] == []
    assert lw.loc[1951, "spokes"] == ["AUS", "JPN", "PHL"]  # us-kor is 1953
    assert lw.loc[1955, "spokes"] == ["AUS", "JPN", "KOR", "PHL"]
    assert lw.loc[1955, "spoke_pairs"] == 6 and lw.loc[1955, "latticework"] == 0.0
    assert lw.loc[1961, "spokes"] == ["AUS", "JPN", "KOR"]  # us-phl ended in 1960
    # 2007: JPN-AUS tied without the USA: 1 of 3 pairs
    assert lw.loc[2007, "pairs_tied_without_hub"] == 1
    assert lw.loc[2007, "latticework"] == pytest.approx(1 / 3)
    # 2020: the Quad ties JPN-AUS too, but the USA is party to it (and forums are left out)
    assert lw.loc[2020, "pairs_tied_without_hub"] == 1
    assert lw.loc[2020, "latticework"] == pytest.approx(1 / 3)


def test_latticework_kinds_and_max_parties(coll):
    lw = al.latticework([2007], kinds=["defence_treaty"], data=coll).iloc[0]
    assert lw["pairs_tied_without_hub"] == 0 and lw["latticework"] == 0.0
    lw = al.latticework([2007], kinds=None, data=coll).iloc[0]
    assert lw["pairs_tied_without_hub"] == 1  # the forum includes the USA
    lw = al.latticework([2007], max_parties=1, data=coll).iloc[0]
    assert lw["pairs_tied_without_hub"] == 0  # jpn-aus has two parties
    assert lw["n_spokes"] == 3  # defence pledges are kept: the spokes do not change
    lw = al.latticework([2007], max_parties=2, data=coll).iloc[0]
    assert lw["pairs_tied_without_hub"] == 1


def test_latticework_hub_party_only_in_that_year(coll):
    # a KOR-JPN pact that the USA joins in 2001 only: ties the spokes without the hub in
    # 2000 and 2002, not in 2001
    c = add(coll, [{"agreement_id": "kj", "kind": "defence_cooperation",
                    "signed": "2000-01-01", "consultation": 1}],
            [("kj", "JPN", "2000-01-01", None), ("kj", "KOR", "2000-01-01", None),
             ("kj", "USA", "2001-01-01", "2001-12-31")])
    lw = al.latticework([2000, 2001, 2002], data=c).set_index("year")
    assert lw["pairs_tied_without_hub"].to_dict() == {2000: 1, 2001: 0, 2002: 1}


def test_latticework_other_hubs(coll):
    # KOR in 1965: defence partners CHN (KOR is iso3_b) and USA (KOR is iso3_a)
    lw = al.latticework([1965, 1975], hub="KOR", data=coll).set_index("year")
    assert lw.loc[1965, "spokes"] == ["CHN", "USA"]
    assert lw.loc[1965, "spoke_pairs"] == 1 and lw.loc[1965, "latticework"] == 0.0
    assert lw.loc[1975, "spokes"] == ["USA"]
    assert np.isnan(lw.loc[1975, "latticework"])  # fewer than two spokes
    assert lw.loc[1975, "pairs_tied_without_hub"] == 0
    assert lw["hub"].tolist() == ["KOR", "KOR"]
    a = al.latticework([2020], hub="AUS", data=coll).iloc[0]
    assert a["spokes"] == ["USA"] and np.isnan(a["latticework"])


def test_latticework_spokes_argument(coll):
    lw = al.latticework([2007], spokes=["JPN", "AUS"], data=coll).iloc[0]
    assert lw["spokes"] == ["AUS", "JPN"]
    assert (lw["n_spokes"], lw["spoke_pairs"], lw["pairs_tied_without_hub"]) == (2, 1, 1)
    assert lw["latticework"] == 1.0
    lw = al.latticework([2007], spokes=["JPN", "KOR"], data=coll).iloc[0]
    assert lw["latticework"] == 0.0
    lw = al.latticework([2007], spokes=["JPN", "CHN"], data=coll).iloc[0]
    assert lw["spokes"] == ["JPN"]  # CHN has no defence pledge with the USA
    assert np.isnan(lw["latticework"])
    with pytest.raises(apr.ParameterError,
                       match=r"spokes has unknown value\(s\) 'XXX'; valid: AUS, CHN"):
        al.latticework([2007], spokes=["JPN", "XXX"], data=coll)
    with pytest.raises(apr.ParameterError, match=r"hub has unknown value\(s\) 'usa'"):
        al.latticework([2007], hub="usa", data=coll)


def test_latticework_regional_only(coll):
    actors = coll["actors"]
    actors.loc[actors["iso3"] == "AUS", "regional"] = False
    c = coll.replace(actors=actors)
    lw = al.latticework([2007], data=c).iloc[0]
    assert lw["spokes"] == ["JPN", "KOR"]  # AUS is not of the region
    assert lw["latticework"] == 0.0
    lw = al.latticework([2007], regional_only=False, data=c).iloc[0]
    assert lw["spokes"] == ["AUS", "JPN", "KOR"]
    assert lw["latticework"] == pytest.approx(1 / 3)
    # a list of spokes is taken as given, of the region or not
    lw = al.latticework([2007], spokes=["AUS", "JPN"], data=c).iloc[0]
    assert lw["spokes"] == ["AUS", "JPN"] and lw["latticework"] == 1.0


def test_latticework_empty_years(coll):
    lw = al.latticework([], data=coll)
    assert lw.empty and list(lw.columns) == LW_COLS


# --------------------------------------------------------------------------- counts
def test_defence_dyads(coll):
    d = al.defence_dyads([1955, 1965, 2020], data=coll)
    assert list(d.columns) == ["year", "iso3_a", "iso3_b"]
    got = {(r.year, r.iso3_a, r.iso3_b) for r in d.itertuples()}
    assert got == {(1955, "AUS", "USA"), (1955, "JPN", "USA"), (1955, "KOR", "USA"),
                   (1955, "PHL", "USA"), (1965, "AUS", "USA"), (1965, "JPN", "USA"),
                   (1965, "KOR", "USA"), (1965, "CHN", "KOR"), (2020, "AUS", "USA"),
                   (2020, "JPN", "USA"), (2020, "KOR", "USA")}
    assert len(d) == len(got)
    assert list(d.index) == list(range(len(d)))


def test_defence_dyads_once_per_pair(coll):
    c = add(coll, [{"agreement_id": "us-jpn-2", "kind": "defence_treaty",
                    "signed": "1960-01-19", "defense": 1}],
            [("us-jpn-2", "USA", "1960-01-19", None), ("us-jpn-2", "JPN", "1960-01-19", None)])
    d = al.defence_dyads([1960], data=c)
    assert len(d[(d["iso3_a"] == "JPN") & (d["iso3_b"] == "USA")]) == 1
    assert len(d) == 4


def test_agreement_counts(coll):
    n = al.agreement_counts(2020, data=coll)
    assert list(n.columns) == ["iso3", *al.AGREEMENT_KINDS, "total"]
    assert n["iso3"].tolist() == ACTORS
    usa = n.set_index("iso3").loc["USA"]
    assert (usa["defence_treaty"], usa["minilateral"], usa["multilateral_forum"],
            usa["security_agreement"], usa["total"]) == (3, 1, 1, 0, 5)
    aus = n.set_index("iso3").loc["AUS"]
    assert (aus["security_agreement"], aus["total"]) == (1, 4)
    assert n.set_index("iso3").loc["IND", "total"] == 0  # party to none: 0, not NA
    assert n.set_index("iso3").loc["CHN", "defence_treaty"] == 1  # still a party to chn-kor
    assert all(n[k].dtype == "Int64" for k in [*al.AGREEMENT_KINDS, "total"])


def test_agreement_counts_coverage(coll):
    # agreements cover 1950-2025: NA outside, counts (0 with nothing in force) inside
    for year in (1949, 2026):
        n = al.agreement_counts(year, data=coll)
        assert len(n) == 9 and n.drop(columns="iso3").isna().all().all(), year
    n = al.agreement_counts(1950, data=coll)
    assert (n.drop(columns="iso3") == 0).all().all()
    assert n.drop(columns="iso3").notna().all().all()
    n = al.agreement_counts(2025, data=coll).set_index("iso3")
    assert n.loc["USA", "total"] == 5
    # a collection whose coverage is declared otherwise
    c = apr.Collection.from_frames({k: coll[k] for k in coll},
                                   coverage={"agreements": (2021, 2030)})
    assert al.agreement_counts(2020, data=c).drop(columns="iso3").isna().all().all()
    assert al.agreement_counts(2021, data=c).set_index("iso3").loc["USA", "total"] == 5


def test_agreements_by_decade(coll):
    t = al.agreements_by_decade(data=coll)
    assert list(t.columns) == list(al.AGREEMENT_KINDS)
    assert t.index.name == "decade" and t.columns.name is None
    assert t.index.tolist() == [1950, 1960, 1990, 2000, 2010]
    assert t.loc[1950, "defence_treaty"] == 4  # us-jpn, us-kor, us-aus, us-phl
    assert t.loc[1960, "defence_treaty"] == 1  # chn-kor
    assert t.loc[1990, "multilateral_forum"] == 1
    assert t.loc[2000, "security_agreement"] == 1
    assert t.loc[2010, "minilateral"] == 1
    assert int(t.to_numpy().sum()) == 8
    assert (t["friendship_treaty"] == 0).all() and (t["access_agreement"] == 0).all()
