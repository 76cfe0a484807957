"""Panels on the hand-made fixture (tests/conftest.py): worked values and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apresearch import panels


def row(df, year, a, b):
    r = df[(df["year"] == year) & (df["iso3_a"] == a) & (df["iso3_b"] == b)]
    assert len(r) == 1, (year, a, b, len(r))
    return r.iloc[0]


@pytest.fixture
def dy(mini_tables):
    return panels.dyad_years(1999, 2023, mini_tables)


def test_shape(dy, mini_tables):
    n = len(mini_tables["actors"])
    assert len(dy) == 25 * n * (n - 1) // 2
    assert (dy["iso3_a"] < dy["iso3_b"]).all()  # ordered categoricals compare alphabetically
    assert dy["iso3_a"].cat.ordered
    assert not dy.duplicated(["year", "iso3_a", "iso3_b"]).any()


def test_alliances(dy):
    r = row(dy, 2020, "JPN", "USA")
    assert (r["defense"], r["consultation"], r["agreements"]) == (1, 1, 3)  # treaty, Quad, forum
    assert row(dy, 2020, "AUS", "JPN")["agreements"] == 3  # security pact, Quad, forum
    assert row(dy, 2020, "AUS", "JPN")["defense"] == 0
    assert row(dy, 2020, "PHL", "USA")["defense"] == 0  # the treaty ended in 1960
    assert row(dy, 2000, "CHN", "PHL")["agreements"] == 1  # the forum only


def test_exercises_engagements_channel(dy):
    assert row(dy, 2020, "JPN", "USA")["shared_exercises"] == 1  # Malabar 2020
    assert row(dy, 2017, "KOR", "USA")["shared_exercises"] == 1  # Foal Eagle 2017
    assert row(dy, 2018, "PHL", "USA")["shared_exercises"] == 0  # an observer does not count
    assert pd.isna(row(dy, 1999, "JPN", "USA")["shared_exercises"])  # before coverage: NA
    r10, r11 = row(dy, 2010, "CHN", "USA"), row(dy, 2011, "CHN", "USA")
    assert (r10["engagements"], r10["channel"]) == (1, "suspended")
    assert (r11["engagements"], r11["channel"]) == (1, "open")
    assert row(dy, 2022, "CHN", "USA")["channel"] == "suspended"
    assert pd.isna(row(dy, 1999, "CHN", "USA")["channel"])


def test_incidents_and_ratios(dy, mini_tables):
    r = row(dy, 2012, "CHN", "PHL")
    assert (r["incidents"], r["intensity"]) == (3, 8)
    assert row(dy, 2010, "KOR", "PRK")["intensity"] == 10  # either direction
    assert row(dy, 2011, "CHN", "PHL")["incidents"] == 0  # in coverage: a true zero
    assert row(dy, 2018, "CHN", "USA")["milex_ratio"] == 0.5
    assert pd.isna(row(dy, 2021, "CHN", "USA")["milex_ratio"])  # China's 2021 unknown
    assert row(dy, 2018, "CHN", "USA")["cinc_ratio"] == pytest.approx(0.2 / 0.15)
    assert 1100 < row(dy, 2018, "JPN", "KOR" if "JPN" < "KOR" else "JPN")["distance_km"] < 1200


def test_directed_holds_both_orders(mini_tables):
    d = panels.dyad_years(2010, 2012, mini_tables, directed=True)
    n = len(mini_tables["actors"])
    assert len(d) == 3 * n * (n - 1)
    one = row(d, 2012, "CHN", "PHL")
    other = row(d, 2012, "PHL", "CHN")
    assert (one["incidents"], other["incidents"]) == (3, 0)  # who did it to whom
    for col in ("defense", "agreements", "distance_km", "channel"):
        assert one[col] == other[col]


def test_state_years(mini_tables):
    s = panels.state_years(1999, 2020, mini_tables).set_index(["iso3", "year"])
    assert s.loc[("USA", 2020), "defence_allies"] == 3  # JPN, KOR, AUS
    assert s.loc[("USA", 2018), "exercise_editions"] == 1
    assert pd.isna(s.loc[("USA", 1999), "exercise_editions"])
    assert s.loc[("CHN", 2012), "incidents_initiated"] == 3
    assert s.loc[("PHL", 2012), "incidents_targeted"] == 3
    assert s.loc[("CHN", 2018), "constant_usd_m"] == 100


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # read-only fixture
@given(st.integers(1995, 2024), st.integers(0, 4))
def test_undirected_is_the_directed_folded(mini_tables, start, span):
    u = panels.dyad_years(start, start + span, mini_tables)
    d = panels.dyad_years(start, start + span, mini_tables, directed=True)
    assert not d.duplicated(["year", "iso3_a", "iso3_b"]).any()
    sym = ["defense", "agreements", "shared_exercises", "engagements", "channel", "distance_km"]
    rev = d.rename(columns={"iso3_a": "iso3_b", "iso3_b": "iso3_a"})
    both = d.merge(rev, on=["year", "iso3_a", "iso3_b"], suffixes=("", "_rev"))
    for col in sym:  # symmetric relations are symmetric
        left, right = both[col], both[f"{col}_rev"]
        assert ((left == right) | (left.isna() & right.isna())).all(), col
    # undirected incidents are the two directions added
    sa, sb = d["iso3_a"].astype(str), d["iso3_b"].astype(str)
    fold = d.assign(lo=np.minimum(sa, sb), hi=np.maximum(sa, sb))
    summed = fold.groupby(["year", "lo", "hi"])["incidents"].sum(min_count=1)
    got = u.set_index(["year", "iso3_a", "iso3_b"])["incidents"]
    assert ((summed.to_numpy() == got.to_numpy()) | (pd.isna(summed.to_numpy()) & pd.isna(
        got.to_numpy()))).all()
