"""Alliance network on the hand-made fixture (tests/conftest.py); answers worked by hand."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import apresearch as apr

NO_FORUM = [k for k in apr.KINDS if k != "multilateral_forum"]


def graph(t, year, **kw):
    return apr.alliance_graph(year, t["agreements"], t["agreement_members"], t["actors"], **kw)


def test_weights_2020(mini_tables):
    g = graph(mini_tables, 2020)
    # us-jpn defence (1.0) + quad (0.1) + forum (0.1)
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.2)
    assert g["USA"]["KOR"]["weight"] == pytest.approx(1.1)
    # jpn-aus consultation (0.3) + quad + forum
    assert g["JPN"]["AUS"]["weight"] == pytest.approx(0.5)
    assert g["PHL"]["CHN"]["weight"] == pytest.approx(0.1)  # forum only
    assert g.number_of_edges() == 15  # the forum ties all six
    assert sorted(g["USA"]["JPN"]["agreements"]) == ["forum", "quad", "us-jpn"]
    assert g["USA"]["JPN"]["defense"] is True and g["JPN"]["AUS"]["defense"] is False
    assert g["JPN"]["AUS"]["strongest"] == "consultation"


def test_kind_filter_and_isolates(mini_tables):
    g = graph(mini_tables, 2020, kinds=NO_FORUM)
    assert sorted(tuple(sorted(e)) for e in g.edges) == [
        ("AUS", "JPN"), ("AUS", "USA"), ("JPN", "USA"), ("KOR", "USA")]
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.1)
    assert set(g.nodes) == set(mini_tables["actors"]["iso3"])  # every actor, tied or not
    assert g.nodes["JPN"]["lat"] == pytest.approx(35.7)
    g2 = graph(mini_tables, 2020, kinds=NO_FORUM, isolates=False)
    assert set(g2.nodes) == {"USA", "JPN", "KOR", "AUS"}


def test_obligation_filter(mini_tables):
    g = graph(mini_tables, 2020, obligations=["consultation"])
    assert [tuple(sorted(e)) for e in g.edges] in ([("AUS", "JPN"), ("JPN", "USA")],
                                                   [("JPN", "USA"), ("AUS", "JPN")])
    with pytest.raises(ValueError, match="valid: defense, offense"):
        graph(mini_tables, 2020, obligations=["alliance"])


def test_bad_kind_named(mini_tables):
    with pytest.raises(apr.ParameterError, match="unknown value.*'treaty'.*valid: defence_treaty"):
        graph(mini_tables, 2020, kinds=["treaty"])


def test_in_force_boundaries(mini_tables):
    # us-phl ended 1960-06-30: in force for part of 1960, not in 1961
    assert graph(mini_tables, 1960).has_edge("USA", "PHL")
    assert not graph(mini_tables, 1961).has_edge("USA", "PHL")
    # KOR left chn-kor on 1970-01-01: counts in 1970, not 1971
    assert graph(mini_tables, 1970).has_edge("CHN", "KOR")
    assert not graph(mini_tables, 1971).has_edge("CHN", "KOR")
    # signed 1951-09-08 counts in 1951, not 1950
    assert graph(mini_tables, 1951).has_edge("USA", "JPN")
    assert graph(mini_tables, 1950).number_of_edges() == 0


def test_metrics_star(mini_tables):
    m = apr.actor_metrics([2020], mini_tables["agreements"], mini_tables["agreement_members"],
                          mini_tables["actors"], kinds=["defence_treaty"]).set_index("iso3")
    # a star USA-{JPN, KOR, AUS} with equal weights: centre 1/sqrt(2), leaves 1/sqrt(6)
    assert m.loc["USA", "eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    assert m.loc["JPN", "eigenvector"] == pytest.approx(1 / math.sqrt(6), abs=1e-6)
    assert m.loc["CHN", "eigenvector"] == 0
    assert m.loc["USA", "degree"] == 3 and m.loc["PHL", "degree"] == 0
    # USA is on the 3 leaf-leaf shortest paths, of (n-1)(n-2)/2 pairs
    n = len(mini_tables["actors"])
    assert m.loc["USA", "betweenness"] == pytest.approx(3 / ((n - 1) * (n - 2) / 2))
    assert m.loc["JPN", "betweenness"] == 0


def test_metrics_weighted_and_empty_year(mini_tables):
    m = apr.actor_metrics([1950, 2020], mini_tables["agreements"],
                          mini_tables["agreement_members"], mini_tables["actors"],
                          kinds=NO_FORUM)
    y2020 = m[m["year"] == 2020].set_index("iso3")
    assert y2020.loc["USA", "weighted_degree"] == pytest.approx(1.1 + 1.0 + 1.1)
    # KOR-JPN and KOR-AUS run through the USA; JPN-AUS is direct: 2 of (n-1)(n-2)/2 pairs
    n = len(mini_tables["actors"])
    assert y2020.loc["USA", "betweenness"] == pytest.approx(2 / ((n - 1) * (n - 2) / 2))
    y1950 = m[m["year"] == 1950]
    assert y1950["eigenvector"].isna().all()  # no tie at all: undefined, not 0
    assert (y1950["degree"] == 0).all()


def test_latticework(mini_tables):
    lw = apr.latticework([1950, 1955, 1960, 2007, 2020], "USA", mini_tables["agreements"],
                         mini_tables["agreement_members"]).set_index("year")
    assert np.isnan(lw.loc[1950, "latticework"]) and lw.loc[1950, "n_spokes"] == 0
    assert lw.loc[1955, "spokes"] == ["AUS", "JPN", "KOR", "PHL"]
    assert lw.loc[1955, "latticework"] == 0.0
    assert lw.loc[1960, "n_spokes"] == 4
    # 2007: spokes AUS JPN KOR; JPN-AUS tied without the USA: 1 of 3 pairs
    assert lw.loc[2007, "latticework"] == pytest.approx(1 / 3)
    # 2020: the Quad ties JPN-AUS too, but through the USA: still 1 of 3
    assert lw.loc[2020, "pairs_tied_without_hub"] == 1


def test_communities_two_triangles():
    g = nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F"),
                  ("C", "D")])
    nx.set_edge_attributes(g, 1.0, "weight")
    g.add_node("Z")
    c = apr.communities(g).set_index("iso3")["community"]
    assert c.loc["A"] == c.loc["B"] == c.loc["C"]
    assert c.loc["D"] == c.loc["E"] == c.loc["F"]
    assert c.loc["A"] != c.loc["D"]
    assert c.loc["A"] == 0  # equal sizes: the one with the alphabetically first member
    assert "Z" not in c.index


def test_defense_dyads(mini_tables):
    d = apr.atop_defense_dyads([1955, 1965], mini_tables["agreements"],
                               mini_tables["agreement_members"])
    got = {(r.year, r.iso3_a, r.iso3_b) for r in d.itertuples()}
    assert got == {(1955, "AUS", "USA"), (1955, "JPN", "USA"), (1955, "KOR", "USA"),
                   (1955, "PHL", "USA"), (1965, "AUS", "USA"), (1965, "JPN", "USA"),
                   (1965, "KOR", "USA"), (1965, "CHN", "KOR")}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # read-only fixture
@given(year=st.integers(1945, 2030))
def test_graph_properties(mini_tables, year):
    g = graph(mini_tables, year)
    assert not g.is_directed()
    for _, _, d in g.edges(data=True):
        # weights are sums of strengths in [0.1, 1]
        assert 0.1 - 1e-12 <= d["weight"] <= len(d["agreements"]) + 1e-12
    ties = apr.alliance_ties(year, mini_tables["agreements"], mini_tables["agreement_members"])
    assert (ties["iso3_a"] < ties["iso3_b"]).all()
    assert not ties.duplicated(["iso3_a", "iso3_b", "agreement_id"]).any()


def test_year_must_be_int(mini_tables):
    with pytest.raises(TypeError, match="year must be an integer"):
        graph(mini_tables, "1960")
