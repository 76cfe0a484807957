"""Spending and capabilities on the hand-made fixture (tests/conftest.py), worked by hand.

The fixture's milex (constant 2022 US$ m, 2018-2022; current equals constant except 2020):

* CHN 100, 110, 121, (2021 unavailable), 146.41   (current 2020: 110)
* USA 200, 200, 220, 242, 242                      (current 2020: 200)
* IND 50, 55, 60.5, 66.55, 73.205                   (current 2020: 55)

capabilities: CINC of CHN 0.2 (2018), 0.21 (2019); USA 0.15, 0.14.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import capabilities as cap


def two(xs, ys, years, rivalries=None):
    """A collection with the spending of two states AAA and BBB over ``years``."""
    rows = [{"iso3": "AAA", "year": y, "constant_usd_m": x} for y, x in zip(years, xs,
                                                                              strict=True)]
    rows += [{"iso3": "BBB", "year": y, "constant_usd_m": v} for y, v in zip(years, ys,
                                                                               strict=True)]
    m = pd.DataFrame(rows).assign(release="Test", base_year=2022)
    frames = {"milex": m}
    if rivalries is not None:
        frames["rivalries"] = rivalries
    return apr.Collection.from_frames(frames)


def rivalries(rows):
    return pd.DataFrame(rows, columns=["rivalry_id", "iso3_a", "iso3_b", "start_year",
                                       "end_year"]).astype({"end_year": "Int64"})


# --------------------------------------------------------------------------- series
def test_series_keeps_missing(c):
    s = cap.series(countries=["USA", "CHN"], data=c)
    assert list(s.columns) == ["USA", "CHN"]  # in the order asked for
    assert s.columns.name is None and s.index.dtype == np.int64
    assert s.index.tolist() == [2018, 2019, 2020, 2021, 2022]
    assert s.loc[2018, "CHN"] == 100 and math.isnan(s.loc[2021, "CHN"])
    assert s.loc[2022, "USA"] == 242
    everyone = cap.series(data=c)
    assert sorted(everyone.columns) == ["CHN", "IND", "USA"]
    assert cap.series(countries=["CHN", "JPN"], data=c).columns.tolist() == ["CHN"]
    cut = cap.series(countries=["IND"], start=2019, end=2021, data=c)
    assert cut.index.tolist() == [2019, 2020, 2021] and cut["IND"].tolist() == [55, 60.5, 66.55]
    assert cap.series("current_usd_m", countries=["CHN"], data=c).loc[2020, "CHN"] == 110
    cinc = cap.series("cinc", table="capabilities", data=c)
    assert cinc.loc[2019, "CHN"] == pytest.approx(0.21) and cinc.loc[2018, "USA"] == 0.15
    with pytest.raises(apr.ParameterError,
                       match="column='gdp' is not in the table; valid: constant_usd_m, "
                             "current_usd_m"):
        cap.series("gdp", data=c)
    with pytest.raises(apr.ParameterError,
                       match="table='nmc' is not valid; valid: 'milex', 'capabilities'"):
        cap.series(table="nmc", data=c)


def test_series_rebased(c):
    s = cap.series(countries=["CHN"], base_year=2020, data=c)
    assert s.loc[2018, "CHN"] == pytest.approx(100 * 110 / 121)
    assert cap.series(countries=["CHN"], base_year=2022, data=c).equals(
        cap.series(countries=["CHN"], data=c))
    cinc = cap.series("cinc", table="capabilities", base_year=2020, data=c)  # no money there
    assert cinc.loc[2018, "CHN"] == 0.2


# --------------------------------------------------------------------------- prices
def test_price_base_year_and_label(c):
    assert cap.price_base_year(data=c) == 2022
    assert cap.money_label(data=c) == "US$ million (constant 2022 prices)"
    assert cap.money_label(base_year=2020, data=c) == "US$ million (constant 2020 prices)"
    m = c["milex"]
    mixed = c.replace(milex=m.assign(base_year=np.where(m["iso3"] == "CHN", 2021, 2022)))
    with pytest.raises(apr.ParameterError,
                       match=r"the milex table mixes base years \[2021, 2022\]; re-import it"):
        cap.price_base_year(data=mixed)
    empty = c.replace(milex=m.iloc[0:0])
    assert cap.price_base_year(data=empty) is None


def test_rebase(c):
    r = cap.rebase(2020, data=c)
    m = c.view("milex")
    assert len(r) == len(m) and (r["base_year"] == 2020).all()
    s = r.pivot(index="year", columns="iso3", values="constant_usd_m")
    # factor = current / constant of 2020: CHN 110/121, USA 200/220, IND 55/60.5
    assert s.loc[2018, "CHN"] == pytest.approx(100 * 110 / 121)
    assert s.loc[2022, "CHN"] == pytest.approx(146.41 * 110 / 121)
    assert s.loc[2018, "USA"] == pytest.approx(200 * 200 / 220)
    assert s.loc[2020, "USA"] == pytest.approx(200)  # at its own prices: the current figure
    assert s.loc[2019, "IND"] == pytest.approx(55 * 55 / 60.5)
    assert r["current_usd_m"].equals(m["current_usd_m"])  # only the constant series changes
    assert m["base_year"].eq(2022).all()  # the collection's table is not changed
    same = cap.rebase(2022, data=c)
    assert same["constant_usd_m"].equals(m["constant_usd_m"])
    # China has no 2021 figure: at 2021 prices its whole series is NA, never 0
    r21 = cap.rebase(2021, data=c)
    assert r21.loc[r21["iso3"] == "CHN", "constant_usd_m"].isna().all()
    assert r21.loc[r21["iso3"] == "USA", "constant_usd_m"].notna().all()
    with pytest.raises(apr.ParameterError,
                       match="base_year=1999 is not a year of the table; valid: 2018-2022"):
        cap.rebase(1999, data=c)
    assert cap.rebase(2020, data=c.replace(milex=m.iloc[0:0])).empty


def test_rebase_zero_constant_is_missing(c):
    m = c["milex"]
    m.loc[(m["iso3"] == "IND") & (m["year"] == 2020), "constant_usd_m"] = 0.0
    r = cap.rebase(2020, data=c.replace(milex=m))
    assert r.loc[r["iso3"] == "IND", "constant_usd_m"].isna().all()  # 55 / 0: no factor


# --------------------------------------------------------------------------- growth
def test_growth(c):
    g = cap.growth(countries=["CHN", "USA"], data=c)
    assert g.loc[2019, "CHN"] == pytest.approx(10.0)
    assert g.loc[2020, "CHN"] == pytest.approx(10.0)
    assert g.loc[2019, "USA"] == pytest.approx(0.0)
    assert g.loc[2022, "USA"] == pytest.approx(0.0) and g.loc[2021, "USA"] == pytest.approx(10)
    assert g["CHN"].loc[[2018, 2021, 2022]].isna().all()  # needs both years
    assert g.loc[2018].isna().all()  # the first year has no growth
    # growth of constant figures does not depend on the base year
    r = cap.growth(countries=["CHN", "USA"], data=c.replace(milex=cap.rebase(2020, data=c)))
    pd.testing.assert_frame_equal(g, r)
    gi = cap.growth(countries=["IND"], start=2020, data=c)
    assert gi.index.tolist() == [2020, 2021, 2022] and math.isnan(gi.loc[2020, "IND"])
    assert gi.loc[2021, "IND"] == pytest.approx(10.0)


def test_growth_needs_consecutive_years(c):
    m = c["milex"]
    gap = c.replace(milex=m[m["year"] != 2020])
    g = cap.growth(countries=["USA"], data=gap)
    assert g.index.tolist() == [2018, 2019, 2021, 2022]
    assert math.isnan(g.loc[2021, "USA"])  # 2019 to 2021 is not a year-on-year growth
    assert g.loc[2022, "USA"] == pytest.approx(0.0)


def test_cagr(c):
    r = cap.cagr(2018, 2022, data=c)
    assert r.name == "cagr_pct"
    assert r["CHN"] == pytest.approx(10.0)  # 100 -> 146.41 in 4 years
    assert r["IND"] == pytest.approx(10.0)
    assert r["USA"] == pytest.approx((1.21 ** 0.25 - 1) * 100)
    assert math.isnan(cap.cagr(2018, 2021, data=c)["CHN"])  # 2021 unknown: NA, not 0
    assert cap.cagr(2019, 2020, countries=["USA"], data=c).to_dict() == {"USA": pytest.approx(
        10.0)}
    assert cap.cagr(2018, 2019, column="current_usd_m", data=c)["CHN"] == pytest.approx(10.0)
    assert math.isnan(cap.cagr(2010, 2022, data=c)["USA"])  # 2010 not in the table
    with pytest.raises(apr.ParameterError, match="start=2022 must be before end=2018"):
        cap.cagr(2022, 2018, data=c)
    with pytest.raises(apr.ParameterError, match="start=2020 must be before end=2020"):
        cap.cagr(2020, 2020, data=c)


def test_regional_share(c):
    s = cap.regional_share(["CHN", "USA", "IND"], data=c)
    assert list(s.columns) == ["year", "iso3", "value", "total", "share_pct", "reporting",
                               "members"]
    t = s.set_index(["year", "iso3"])
    assert t.loc[(2018, "CHN"), "value"] == 100 and t.loc[(2018, "CHN"), "total"] == 350
    assert t.loc[(2018, "CHN"), "share_pct"] == pytest.approx(100 / 350 * 100)
    assert t.loc[(2018, "CHN"), "reporting"] == 3 and (s["members"] == 3).all()
    assert t.loc[(2021, "USA"), "total"] == pytest.approx(242 + 66.55)  # China unknown
    assert t.loc[(2021, "USA"), "share_pct"] == pytest.approx(242 / 308.55 * 100)
    assert t.loc[(2021, "USA"), "reporting"] == 2 and math.isnan(t.loc[(2021, "CHN"),
                                                                        "share_pct"])
    by_year = s.groupby("year")["share_pct"].sum()
    assert np.allclose(by_year, 100.0)  # shares of the reporting total add to 100
    assert len(s) == 5 * 3  # every member in every year, known or not
    # by default, the region's actors (all nine in the fixture; three report)
    d = cap.regional_share(data=c)
    assert (d["members"] == 3).all()  # members with any figure
    assert d.set_index(["year", "iso3"]).loc[(2018, "CHN"), "share_pct"] == pytest.approx(
        100 / 350 * 100)
    a = c["actors"]
    a["regional"] = a["iso3"] != "USA"
    nousa = cap.regional_share(data=c.replace(actors=a)).set_index(["year", "iso3"])
    assert nousa.loc[(2018, "CHN"), "share_pct"] == pytest.approx(100 / 150 * 100)
    assert "USA" not in nousa.index.get_level_values("iso3")


def test_power_ratio(c):
    r = cap.power_ratio("CHN", "USA", data=c)
    assert list(r.columns) == ["year", "ratio"] and r["year"].tolist() == list(range(2018, 2023))
    r = r.set_index("year")["ratio"]
    assert r[2018] == 0.5 and r[2020] == pytest.approx(121 / 220) and math.isnan(r[2021])
    inv = cap.power_ratio("USA", "CHN", data=c).set_index("year")["ratio"]
    assert inv[2018] == 2.0
    k = cap.power_ratio("CHN", "USA", "cinc", table="capabilities", data=c).set_index("year")
    assert k.loc[2018, "ratio"] == pytest.approx(0.2 / 0.15)
    assert k.loc[2019, "ratio"] == pytest.approx(0.21 / 0.14)
    with pytest.raises(apr.ParameterError, match="'JPN' has no cinc figures in the table"):
        cap.power_ratio("JPN", "USA", "cinc", table="capabilities", data=c)
    with pytest.raises(apr.ParameterError, match="'RUS' has no constant_usd_m figures"):
        cap.power_ratio("CHN", "RUS", data=c)


# --------------------------------------------------------------------------- arms races
def _lagged(sign=1.0, n=30, seed=1):
    rng = np.random.default_rng(seed)
    g = rng.normal(5, 3, n)
    a = 100 * np.cumprod(1 + g / 100)
    b = 50 * np.cumprod(1 + sign * np.r_[0.0, g[:-1]] / 100)  # b repeats a's growth a year on
    return a, b


def test_cross_correlation_finds_the_lag():
    a, b = _lagged()
    col = two(a, b, range(1990, 2020))
    cc = cap.cross_correlation("AAA", "BBB", max_lag=2, data=col)
    assert list(cc.columns) == ["lag", "r", "n"]
    assert cc["lag"].tolist() == [-2, -1, 0, 1, 2]
    best = cc.loc[cc["r"].idxmax()]
    assert best["lag"] == 1 and best["r"] == pytest.approx(1.0)  # b follows a
    # 29 growth rates; a lag of k leaves 29 - |k| pairs
    assert cc["n"].tolist() == [27, 28, 29, 28, 27]
    rev = cap.cross_correlation("BBB", "AAA", max_lag=2, data=col).set_index("lag")
    assert rev.loc[-1, "r"] == pytest.approx(1.0)
    cut = cap.cross_correlation("AAA", "BBB", max_lag=0, start=2000, end=2009, data=col)
    assert cut["n"].tolist() == [9]


def test_cross_correlation_too_few_pairs(c):
    cc = cap.cross_correlation("CHN", "USA", max_lag=1, data=c).set_index("lag")
    # growth: CHN 2019, 2020; USA 2019-2022 -> 2 pairs at lag 0: no correlation
    assert cc.loc[0, "n"] == 2 and math.isnan(cc.loc[0, "r"])
    ind = cap.cross_correlation("IND", "USA", max_lag=0, data=c)
    assert ind["n"].tolist() == [4]  # IND grows 10% a year: constant, r is not defined
    none = cap.cross_correlation("CHN", "JPN", max_lag=1, data=c)
    assert none["n"].tolist() == [0, 0, 0] and none["r"].isna().all()


def test_richardson_recovers_known_coefficients():
    # X[t] - X[t-1] = 0.1 Y[t-1] - 0.05 X[t-1] + 1 ;  Y[t] - Y[t-1] = 0.2 X[t-1] - 0.1 Y[t-1] + 2
    x, y = [10.0], [20.0]
    for _ in range(11):
        x.append(x[-1] + 0.1 * y[-1] - 0.05 * x[-1] + 1)
        y.append(y[-1] + 0.2 * x[-2] - 0.1 * y[-1] + 2)
    fit = cap.richardson("AAA", "BBB", data=two(x, y, range(2000, 2012)))
    assert list(fit.columns) == ["iso3", "rival", "reaction", "fatigue", "grievance", "r2", "n"]
    assert fit[["iso3", "rival"]].values.tolist() == [["AAA", "BBB"], ["BBB", "AAA"]]
    fit = fit.set_index("iso3")
    assert fit.loc["AAA", ["reaction", "fatigue", "grievance"]].tolist() == pytest.approx(
        [0.1, 0.05, 1.0])
    assert fit.loc["BBB", ["reaction", "fatigue", "grievance"]].tolist() == pytest.approx(
        [0.2, 0.1, 2.0])
    assert fit.loc["AAA", "r2"] == pytest.approx(1.0) and fit.loc["AAA", "n"] == 11
    part = cap.richardson("AAA", "BBB", start=2003, data=two(x, y, range(2000, 2012)))
    assert part["n"].tolist() == [8, 8]


def test_richardson_r2_with_noise():
    rng = np.random.default_rng(0)
    x, y = [10.0], [20.0]
    for _ in range(30):
        x.append(x[-1] + 0.1 * y[-1] - 0.05 * x[-1] + 1 + rng.normal(0, 0.5))
        y.append(y[-1] + 0.2 * x[-2] - 0.1 * y[-1] + 2 + rng.normal(0, 0.5))
    fit = cap.richardson("AAA", "BBB", data=two(x, y, range(1990, 2021))).set_index("iso3")
    # a reference fit with numpy's polynomial-free least squares
    xs, ys = np.array(x), np.array(y)
    design = np.column_stack([ys[:-1], -xs[:-1], np.ones(30)])
    coef, res, *_ = np.linalg.lstsq(design, np.diff(xs), rcond=None)
    dx = np.diff(xs)
    r2 = 1 - res[0] / ((dx - dx.mean()) ** 2).sum()
    assert fit.loc["AAA", ["reaction", "fatigue", "grievance"]].tolist() == pytest.approx(
        list(coef))
    assert fit.loc["AAA", "r2"] == pytest.approx(r2) and 0 < r2 < 1


def test_richardson_too_short(c):
    fit = cap.richardson("CHN", "USA", data=c)
    # CHN: 2019 and 2020 only (2021 unknown); USA: 2019-2021 (CHN 2021 unknown for 2022)
    assert fit["n"].tolist() == [2, 3]
    assert fit[["reaction", "fatigue", "grievance", "r2"]].isna().all().all()
    three = [1.0, 2.0, 4.0, 8.0, 16.0]
    ok = cap.richardson("AAA", "BBB", data=two(three, three[::-1], range(2000, 2005)))
    assert ok["n"].tolist() == [4, 4] and ok["reaction"].notna().all()  # 4 is enough
    gone = cap.richardson("CHN", "JPN", data=c)
    assert gone["n"].tolist() == [0, 0] and gone["reaction"].isna().all()


def test_richardson_skips_gaps_and_flat_series():
    years = [2000, 2001, 2002, 2003, 2005, 2006, 2007, 2008]
    x = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0]
    y = [2.0, 3.0, 5.0, 7.0, 11.0, 13.0, 17.0, 19.0]
    fit = cap.richardson("AAA", "BBB", data=two(x, y, years)).set_index("iso3")
    assert fit.loc["AAA", "n"] == 6  # 2004 missing: 2005 has no previous year
    flat = cap.richardson("AAA", "BBB", data=two([5.0] * 6, [1, 2, 3, 4, 5, 6],
                                                 range(2000, 2006))).set_index("iso3")
    assert math.isnan(flat.loc["AAA", "r2"])  # no change at all: r2 not defined


def test_rivalry_dynamics(c):
    riv = rivalries([("cu", "CHN", "USA", 1996, None), ("ci", "CHN", "IND", 1948, None),
                     ("old", "CHN", "USA", 1949, 1972), ("jp", "JPN", "USA", 1990, None)])
    d = cap.rivalry_dynamics(2018, 2022, max_lag=0, data=c.replace(rivalries=riv))
    assert list(d.columns) == ["rivalry_id", "iso3_a", "iso3_b", "years", "best_lag",
                               "best_r", "reaction_a", "reaction_b", "r2_a", "r2_b"]
    # the 1949-1972 rivalry is not active; Japan has no figures
    assert d["rivalry_id"].tolist() == ["cu", "ci"]
    t = d.set_index("rivalry_id")
    # growth pairs at lag 0: 2019 and 2020 (China's 2021 is unknown)
    assert t.loc["cu", "years"] == 2 and t.loc["ci", "years"] == 2
    assert np.isnan(t.loc["cu", "best_r"]) and np.isnan(t.loc["cu", "best_lag"])
    assert t[["reaction_a", "reaction_b", "r2_a", "r2_b"]].isna().all().all()
    fixture = cap.rivalry_dynamics(2018, 2022, data=c)
    assert fixture["rivalry_id"].tolist() == ["cu2"]  # nk-sk and cr2 lack figures or ended
    empty = cap.rivalry_dynamics(1950, 1960, data=c)
    assert empty.empty and list(empty.columns) == list(d.columns)


def test_rivalry_window_is_the_rivalry_years(c):
    riv = rivalries([("short", "IND", "USA", 2018, 2020)])
    d = cap.rivalry_dynamics(2018, 2022, max_lag=0, data=c.replace(rivalries=riv))
    assert d["years"].tolist() == [2]  # growth in 2019 and 2020 only
    later = rivalries([("late", "IND", "USA", 2020, None)])
    assert cap.rivalry_dynamics(2018, 2022, max_lag=0, data=c.replace(rivalries=later)
                                )["years"].tolist() == [2]  # 2021, 2022


def test_rivalry_dynamics_best_lag_by_absolute_r():
    a, b = _lagged(sign=-1.0)  # b moves against a's growth a year later
    riv = rivalries([("r", "AAA", "BBB", 1980, None)])
    d = cap.rivalry_dynamics(1990, 2019, max_lag=2, data=two(a, b, range(1990, 2020), riv))
    r = d.iloc[0]
    assert r["best_lag"] == 1 and r["best_r"] == pytest.approx(-1.0)
    assert r["years"] == 29
    fit = cap.richardson("AAA", "BBB", data=two(a, b, range(1990, 2020))).set_index("iso3")
    assert r["reaction_a"] == pytest.approx(fit.loc["AAA", "reaction"])
    assert r["reaction_b"] == pytest.approx(fit.loc["BBB", "reaction"])
    assert r["r2_a"] == pytest.approx(fit.loc["AAA", "r2"])
    assert r["r2_b"] == pytest.approx(fit.loc["BBB", "r2"])
    ended = rivalries([("r", "AAA", "BBB", 1980, 1999)])
    e = cap.rivalry_dynamics(1990, 2019, max_lag=0, data=two(a, b, range(1990, 2020), ended))
    assert e["years"].tolist() == [9]  # growth 1991-1999


def test_source_line(c):
    assert cap.source_line(data=c) == ("SIPRI Military Expenditure Database (Test; constant "
                                       "2022 US$), https://www.sipri.org/databases/milex")
    assert "constant 2020 US$" in cap.source_line(base_year=2020, data=c)
    m = c["milex"]
    two_releases = c.replace(milex=pd.concat([m, m.assign(release="2024")]))
    assert cap.source_line(data=two_releases).startswith(
        "SIPRI Military Expenditure Database (2024, Test;")
    none = c.replace(milex=m.assign(release=pd.NA))
    assert "(release unknown; constant 2022 US$)" in cap.source_line(data=none)


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert cap.series(countries=["USA"], data=folder).loc[2018, "USA"] == 200
