"""Exercises on the hand-made fixture (tests/conftest.py); answers worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from apresearch import exercises as ex


@pytest.fixture
def t(mini_tables):
    return (mini_tables["exercises"], mini_tables["exercise_participants"],
            mini_tables["exercise_series"])


def test_coparticipation(t):
    pairs = ex.coparticipation(2014, 2020, *t).set_index(["iso3_a", "iso3_b"])
    assert len(pairs) == 13
    assert pairs.loc[("AUS", "JPN"), "editions"] == 3  # rimpac 2014, 2018, malabar 2020
    assert pairs.loc[("KOR", "USA"), "editions"] == 2
    assert pairs.loc[("KOR", "USA"), "series"] == ["foal-eagle", "rimpac"]
    assert (pairs.loc[("KOR", "USA"), "first_year"], pairs.loc[("KOR", "USA"), "last_year"]) == (
        2017, 2018)
    assert pairs.loc[("CHN", "RUS"), "editions"] == 1
    # PHL only observed RIMPAC 2018: no tie unless observers count
    assert not pairs.index.isin([("PHL", "USA")]).any()
    with_obs = ex.coparticipation(2018, 2018, *t, roles=("host", "participant", "observer"))
    assert ((with_obs["iso3_a"] == "PHL") & (with_obs["iso3_b"] == "USA")).any()


def test_period_filter(t):
    pairs = ex.coparticipation(2019, 2019, *t)
    assert pairs[["iso3_a", "iso3_b", "editions"]].values.tolist() == [["CHN", "RUS", 1]]
    assert ex.coparticipation(2001, 2002, *t).empty


def test_graphs(t, mini_tables):
    g = ex.coparticipation_graph(2014, 2020, *t, actors=mini_tables["actors"])
    assert g["AUS"]["JPN"]["weight"] == 3
    assert g.nodes["JPN"]["lat"] == pytest.approx(35.7)
    b = ex.bipartite_graph(2018, 2018, *t)
    assert set(b.neighbors("rimpac-2018")) == {"USA", "JPN", "AUS", "KOR"}
    assert b.nodes["rimpac-2018"]["bipartite"] == 1 and b.nodes["USA"]["bipartite"] == 0
    assert b["USA"]["rimpac-2018"]["role"] == "host"


def test_partner_portfolio(t):
    kor = ex.partner_portfolio(2000, 2025, *t, iso3="KOR")
    assert kor["partner"].tolist() == ["USA", "AUS", "JPN"]
    assert kor["editions"].tolist() == [2, 1, 1]
    everyone = ex.partner_portfolio(2000, 2025, *t)
    # symmetric: every pair appears once from each side
    assert len(everyone) == 2 * 13
    a = everyone.set_index(["iso3", "partner"])["editions"]
    assert all(a[(x, y)] == a[(y, x)] for x, y in a.index)


def test_hedgers(t):
    h = ex.hedgers(2000, 2025, *t)
    assert h.values.tolist() == [[2014, "AUS", 1, 1], [2014, "JPN", 1, 1]]
    assert list(h.columns) == ["year", "iso3", "editions_with_USA", "editions_with_CHN"]


def test_format_growth(t):
    g = ex.format_growth(2012, 2021, t[0], t[2])
    assert g.loc[2014].tolist() == [0, 0, 1]
    assert g.loc[2017].tolist() == [1, 0, 0]
    assert g.loc[2020].tolist() == [0, 1, 0]
    assert g.loc[2015].tolist() == [0, 0, 0]  # in coverage: a true zero
    assert g.loc[[2012, 2013, 2021]].isna().all().all()  # outside coverage: not known


def test_reach(t):
    r = ex.reach(2014, 2014, *t).set_index("iso3")
    assert r.loc["USA", ["editions", "partners"]].tolist() == [1, 3]
    assert r.loc["CHN", ["editions", "partners"]].tolist() == [1, 3]
    r19 = ex.reach(2019, 2019, *t).set_index("iso3")
    assert r19.loc["USA", "editions"] == 0 and r19.loc["CHN", "partners"] == 1


def test_coverage(t):
    assert ex.coverage(t[0]) == (2014, 2020)
    with pytest.raises(ValueError, match="empty"):
        ex.coverage(t[0].iloc[0:0])
    assert isinstance(ex.participation(2000, 2025, *t), pd.DataFrame)
