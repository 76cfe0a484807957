"""Spending and capabilities on the hand-made fixture (tests/conftest.py), worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import apresearch as apr
from apresearch import capabilities as cap


@pytest.fixture
def m(mini_tables):
    return mini_tables["milex"]


def test_series_keeps_missing(m):
    s = cap.series(m, countries=["CHN", "USA"])
    assert s.loc[2018, "CHN"] == 100 and math.isnan(s.loc[2021, "CHN"])
    assert list(s.columns) == ["CHN", "USA"]
    with pytest.raises(apr.ParameterError, match="column='gdp' is not in the table; valid: "):
        cap.series(m, "gdp")


def test_growth(m):
    g = cap.growth(m, countries=["CHN"])
    assert g.loc[2019, "CHN"] == pytest.approx(10.0)
    assert g.loc[2020, "CHN"] == pytest.approx(10.0)
    assert g[["CHN"]].loc[[2018, 2021, 2022]].isna().all().all()  # needs both years


def test_cagr(m):
    c = cap.cagr(m, 2018, 2022)
    assert c["CHN"] == pytest.approx(10.0)  # 100 -> 146.41 in 4 years
    assert c["IND"] == pytest.approx(10.0)
    assert c["USA"] == pytest.approx((1.21 ** 0.25 - 1) * 100)
    assert math.isnan(cap.cagr(m, 2018, 2021)["CHN"])  # 2021 unknown: NA, not 0
    with pytest.raises(apr.ParameterError, match="must be before"):
        cap.cagr(m, 2022, 2018)


def test_regional_share(m):
    s = cap.regional_share(m, ["CHN", "USA", "IND"]).set_index(["year", "iso3"])
    assert s.loc[(2018, "CHN"), "share_pct"] == pytest.approx(100 / 350 * 100)
    assert s.loc[(2018, "CHN"), "reporting"] == 3
    assert s.loc[(2021, "USA"), "total"] == pytest.approx(242 + 66.55)  # China unknown
    assert s.loc[(2021, "USA"), "reporting"] == 2 and math.isnan(s.loc[(2021, "CHN"),
                                                                          "share_pct"])
    by_year = s.groupby("year")["share_pct"].sum()
    assert np.allclose(by_year, 100.0)  # shares of the reporting total add to 100


def test_power_ratio(m, mini_tables):
    r = cap.power_ratio(m, "CHN", "USA").set_index("year")["ratio"]
    assert r[2018] == 0.5 and math.isnan(r[2021])
    c = cap.power_ratio(mini_tables["capabilities"], "CHN", "USA", "cinc").set_index("year")
    assert c.loc[2018, "ratio"] == pytest.approx(0.2 / 0.15)
    with pytest.raises(apr.ParameterError, match="'JPN' has no cinc figures"):
        cap.power_ratio(mini_tables["capabilities"], "JPN", "USA", "cinc")


def test_rebase(m):
    r = cap.rebase(m, 2020)
    s = cap.series(r, countries=["CHN", "USA"])
    assert s.loc[2018, "CHN"] == pytest.approx(100 * 110 / 121)
    assert s.loc[2018, "USA"] == pytest.approx(200 * 200 / 220)
    assert s.loc[2020, "USA"] == pytest.approx(200)  # at its own prices: the current figure
    assert (r["base_year"] == 2020).all()
    assert cap.rebase(m, 2022)["constant_usd_m"].equals(m["constant_usd_m"])  # same base
    with pytest.raises(apr.ParameterError, match="base_year=1999 is not a year"):
        cap.rebase(m, 1999)


def _two(xs, ys, years):
    rows = [{"iso3": "AAA", "year": y, "constant_usd_m": x} for y, x in zip(years, xs, strict=True)]
    rows += [{"iso3": "BBB", "year": y, "constant_usd_m": v} for y, v in zip(years, ys,
                                                                               strict=True)]
    return pd.DataFrame(rows)


def test_cross_correlation_finds_the_lag():
    rng = np.random.default_rng(1)
    g = rng.normal(5, 3, 30)
    a = 100 * np.cumprod(1 + g / 100)
    b = 50 * np.cumprod(1 + np.r_[0.0, g[:-1]] / 100)  # b repeats a's growth one year later
    cc = cap.cross_correlation(_two(a, b, range(1990, 2020)), "AAA", "BBB", max_lag=2)
    best = cc.loc[cc["r"].idxmax()]
    assert best["lag"] == 1 and best["r"] == pytest.approx(1.0)
    assert cc.set_index("lag").loc[0, "n"] == 29


def test_richardson_recovers_known_coefficients():
    # X[t] - X[t-1] = 0.1 Y[t-1] - 0.05 X[t-1] + 1 ;  Y[t] - Y[t-1] = 0.2 X[t-1] - 0.1 Y[t-1] + 2
    x, y = [10.0], [20.0]
    for _ in range(11):
        x.append(x[-1] + 0.1 * y[-1] - 0.05 * x[-1] + 1)
        y.append(y[-1] + 0.2 * x[-2] - 0.1 * y[-1] + 2)
    fit = cap.richardson(_two(x, y, range(2000, 2012)), "AAA", "BBB").set_index("iso3")
    assert fit.loc["AAA", ["reaction", "fatigue", "grievance"]].tolist() == pytest.approx(
        [0.1, 0.05, 1.0])
    assert fit.loc["BBB", ["reaction", "fatigue", "grievance"]].tolist() == pytest.approx(
        [0.2, 0.1, 2.0])
    assert fit.loc["AAA", "r2"] == pytest.approx(1.0) and fit.loc["AAA", "n"] == 11


def test_richardson_too_short(m):
    fit = cap.richardson(m, "CHN", "USA")
    # CHN: 2019 and 2020 only (2021 unknown); USA: 2019-2021 (CHN 2021 unknown for 2022)
    assert fit["n"].tolist() == [2, 3] and fit["reaction"].isna().all()


def test_rivalry_dynamics(m, mini_tables):
    riv = pd.DataFrame({"rivalry_id": ["cu", "ci", "old"], "iso3_a": ["CHN", "CHN", "CHN"],
                        "iso3_b": ["USA", "IND", "USA"], "start_year": [1996, 1948, 1949],
                        "end_year": pd.array([pd.NA, pd.NA, 1972], dtype="Int64")})
    d = cap.rivalry_dynamics(m, riv, 2018, 2022, max_lag=0).set_index("rivalry_id")
    assert list(d.index) == ["cu", "ci"]  # the 1949-1972 rivalry is not active
    # growth pairs at lag 0: 2019 and 2020 (China's 2021 is unknown)
    assert d.loc["cu", "years"] == 2
    assert np.isnan(d.loc["cu", "best_r"])  # fewer than 3 pairs: no correlation
    assert d.loc["ci", "years"] == 2


def test_source_line_names_release_and_base(m):
    line = cap.source_line(m)
    assert line.startswith("SIPRI Military Expenditure Database (Test; constant 2022 US$)")
    assert "constant 2020 US$" in cap.source_line(cap.rebase(m, 2020))


def test_rivalry_window_is_the_rivalry_years(m):
    riv = pd.DataFrame({"rivalry_id": ["short"], "iso3_a": ["IND"], "iso3_b": ["USA"],
                        "start_year": [2018], "end_year": pd.array([2020], dtype="Int64")})
    d = cap.rivalry_dynamics(m, riv, 2018, 2022, max_lag=0)
    assert d["years"].tolist() == [2]  # growth in 2019 and 2020 only


@pytest.fixture
def arms(mini_tables):
    return mini_tables["arms_transfers"]


def test_deliveries_spread_evenly(arms):
    d = cap.deliveries_by_year(arms)
    one = d[d["deal_id"] == "000000000001"]
    assert one["year"].tolist() == [1988, 1989, 1990] and one["tiv_m"].tolist() == [10.0] * 3
    assert "000000000008" not in set(d["deal_id"])  # nothing delivered yet: no rows, not 0
    # every delivered TIV is kept, only spread over years
    assert d["tiv_m"].sum() == pytest.approx(arms["tiv_delivered_m"].sum())


def test_supplier_dependence(arms):
    dep = cap.supplier_dependence("IND", 2010, 2011, arms).set_index("supplier")
    assert dep["tiv_m"].to_dict() == {"RUS": 20.0, "KOR": 10.0, "Israel": 5.0}
    assert dep.loc["RUS", "share_pct"] == pytest.approx(20 / 35 * 100)
    assert dep["share_pct"].sum() == pytest.approx(100.0)
    assert cap.supplier_dependence("IND", 1995, 2000, arms).empty


def test_dependence_over_time(arms):
    s = cap.dependence_over_time("IND", "RUS", 1990, 2011, window=2, transfers=arms)
    s = s.set_index("year")["share_pct"]
    assert s[1990] == 100.0 and s[1991] == 100.0  # the Soviet deal, carried by RUS
    assert math.isnan(s[1993])  # nothing delivered in 1992-1993: not known, not 0
    assert s[2011] == pytest.approx(20 / 35 * 100)


def test_transfer_network(arms, mini_tables):
    g = cap.transfer_network(2011, 2011, arms, actors=mini_tables["actors"])
    assert g.is_directed()
    assert {(a, b): d["weight"] for a, b, d in g.edges(data=True)} == {
        ("RUS", "IND"): 10.0, ("KOR", "IND"): 10.0, ("USA", "JPN"): 20.0}
    everyone = cap.transfer_network(2011, 2011, arms, actors_only=False)
    assert everyone["USA"]["Saudi Arabia"]["weight"] == 100.0
    assert everyone["Israel"]["IND"]["weight"] == 5.0
