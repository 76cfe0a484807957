"""The Defence Networks index and the power gap on the hand-made fixture, worked by hand.

Raw inputs of the fixture in 2018 (the forum is left out of alliances; weights: defence pledge
1.0, consultation 0.3, other agreements 0.1):

* alliance_degree: USA 3.2 (JPN 1.0 + Quad 0.1, KOR 1.0, AUS 1.0 + Quad 0.1), JPN 1.5 (USA 1.1,
  AUS security pact 0.3 + Quad 0.1), AUS 1.5, KOR 1.0, others 0
* exercise_partners (RIMPAC 2018; PHL only observed): USA, JPN, AUS, KOR 3 each
* engagements: USA and PHL 1 (the port call)
* arms_partners (deliveries 2014-2018): none
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import index as dni

SUB = ["alliances", "diplomacy", "partnerships"]


def comps(rows):
    """A components table: (year, iso3, alliance_degree, exercise_partners, engagements,
    arms_partners)."""
    return pd.DataFrame(rows, columns=["year", "iso3", "alliance_degree", "exercise_partners",
                                       "engagements", "arms_partners"]).astype(
        {"alliance_degree": float, "exercise_partners": float, "engagements": float,
         "arms_partners": float})


HAND = comps([
    (2000, "AAA", 2, 4, 0, 1), (2000, "BBB", 1, 2, 5, 0), (2000, "CCC", 0, 0, 0, 0),
    (2001, "AAA", 0, 0, 0, 0), (2001, "BBB", 0, 0, 0, 0),
    (2002, "AAA", 2, 1, 1, np.nan), (2002, "BBB", 1, 1, 1, np.nan),
    (2003, "AAA", np.nan, 1, 1, 1), (2003, "BBB", 0, 1, 1, 1),
])


def test_constants():
    assert dni.SUBMEASURES == ("alliances", "diplomacy", "partnerships")
    assert dni.DEFAULT_WEIGHTS == pytest.approx({k: 1 / 3 for k in SUB})
    assert dni.ALLIANCE_MAX_PARTIES == 10
    assert "multilateral_forum" not in dni.ALLIANCE_KINDS and "defence_treaty" in \
        dni.ALLIANCE_KINDS
    assert dni.RESOURCES == ("both", "cinc", "milex")
    assert dni.ACTOR_SETS == ("regional", "all")


# --------------------------------------------------------------------------- components
def test_components(c):
    t = dni.components([2012, 2018], data=c)
    assert list(t.columns) == ["year", "iso3", "alliance_degree", "exercise_partners",
                               "engagements", "arms_partners"]
    assert len(t) == 2 * 9 and t["iso3"].tolist()[:3] == ["AUS", "CHN", "IND"]
    t = t.set_index(["year", "iso3"])
    assert t.loc[(2018, "USA"), "alliance_degree"] == pytest.approx(3.2)
    assert t.loc[(2018, "JPN"), "alliance_degree"] == pytest.approx(1.5)
    assert t.loc[(2018, "KOR"), "alliance_degree"] == pytest.approx(1.0)
    assert t.loc[(2018, "CHN"), "alliance_degree"] == 0.0  # only the forum, left out
    assert t.loc[(2012, "USA"), "alliance_degree"] == pytest.approx(3.0)  # before the Quad
    assert t.loc[(2018, "KOR"), "exercise_partners"] == 3  # RIMPAC 2018
    assert t.loc[(2018, "PHL"), "exercise_partners"] == 0  # observers do not count
    assert t.loc[(2018, "USA"), "engagements"] == 1 and t.loc[(2018, "PHL"), "engagements"] == 1
    assert t.loc[(2018, "CHN"), "engagements"] == 0
    # 2008-2012 deliveries: India from Russia, South Korea and Israel; the US to two
    assert t.loc[(2012, "IND"), "arms_partners"] == 3
    assert t.loc[(2012, "USA"), "arms_partners"] == 2  # Japan, Saudi Arabia
    assert t.loc[(2018, "IND"), "arms_partners"] == 0
    assert t.notna().all().all()
    assert [d.kind for d in t.dtypes] == ["f"] * 4  # floats, so NA can sit beside counts


def test_components_na_per_table_coverage(c):
    # agreements from 1950, exercises from 1980, engagements 1990-2025, transfers 1950-2024
    t = dni.components([1949, 1950, 1979, 1985, 1989, 1990, 2024, 2025, 2026],
                       data=c).set_index(["year", "iso3"])

    def known(year):
        return t.xs(year, level="year").notna().all().to_dict()

    assert known(1949) == {"alliance_degree": False, "exercise_partners": False,
                           "engagements": False, "arms_partners": False}
    assert known(1950) == {"alliance_degree": True, "exercise_partners": False,
                           "engagements": False, "arms_partners": True}
    assert known(1979)["exercise_partners"] is False and known(1985)["exercise_partners"]
    assert known(1989)["engagements"] is False and known(1990)["engagements"]
    assert all(known(2024).values())
    assert known(2025) == {"alliance_degree": True, "exercise_partners": True,
                           "engagements": True, "arms_partners": False}
    assert not any(known(2026).values())
    assert t.loc[(1985, "USA"), "exercise_partners"] == 1  # Cope North with Japan
    assert t.loc[(1950, "USA"), "alliance_degree"] == 0.0  # a true zero: nothing signed yet
    assert t.loc[(1990, "USA"), "engagements"] == 0.0


def test_components_actor_sets(c):
    a = c["actors"]
    a["regional"] = a["iso3"] != "RUS"
    col = c.replace(actors=a)
    reg = dni.components([2019], data=col)
    assert "RUS" not in set(reg["iso3"]) and len(reg) == 8
    # ties count with any actor: China's exercise partner in 2019 is Russia
    assert reg.set_index("iso3").loc["CHN", "exercise_partners"] == 1
    every = dni.components([2019], actors="all", data=col)
    assert "RUS" in set(every["iso3"]) and len(every) == 9
    assert "RUS" not in set(dni.defence_networks([2019], data=col)["iso3"])
    net = dni.defence_networks([2019], actors="all", data=col).set_index("iso3")
    assert net.loc["RUS", "exercise_partners"] == 1 and len(net) == 9
    with pytest.raises(apr.ParameterError,
                       match="actors='world' is not valid; valid: 'regional', 'all'"):
        dni.components([2019], actors="world", data=c)
    assert dni.components([], data=c).empty


def test_components_leave_out_large_agreements_without_a_pledge(c):
    a = c["actors"]
    extra = [f"X{i:02d}" for i in range(2)]
    fake = a.iloc[[0] * 2].assign(iso3=extra, name=extra)
    actors = pd.concat([a, fake], ignore_index=True)

    def add(kind, defense, members):
        ag, m = c["agreements"], c["agreement_members"]
        new = ag.iloc[[0]].assign(agreement_id="big", kind=kind, defense=defense,
                                  consultation=0, signed=pd.Timestamp("2000-01-01"))
        mem = pd.DataFrame({"agreement_id": "big", "iso3": members,
                            "joined": pd.Timestamp("2000-01-01"), "left": pd.NaT})
        return c.replace(actors=actors, agreements=pd.concat([ag, new], ignore_index=True),
                         agreement_members=pd.concat([m, mem], ignore_index=True))

    eleven = list(a["iso3"]) + extra  # 11 parties
    ten = list(a["iso3"]) + extra[:1]
    kor = {}
    for label, col in (("11", add("minilateral", 0, eleven)), ("10", add("minilateral", 0, ten)),
                       ("11 pledge", add("defence_treaty", 1, eleven))):
        t = dni.components([2001], actors="all", data=col).set_index("iso3")
        kor[label] = t.loc["PRK", "alliance_degree"]
    assert kor["11"] == 0.0  # more than ten parties, no pledge: left out
    assert kor["10"] == pytest.approx(9 * 0.1)  # ten parties: kept, 9 partners at 0.1
    assert kor["11 pledge"] == pytest.approx(10 * 1.0)  # a pledge binds every pair


# --------------------------------------------------------------------------- the index
def test_frontier_scaling_by_hand():
    t = dni.defence_networks([2000], comps=HAND)
    assert list(t.columns) == ["year", "iso3", "alliance_degree", "exercise_partners",
                               "engagements", "arms_partners", *SUB, "index", "rank"]
    t = t.set_index("iso3")
    # alliances 2, 1, 0 of a frontier of 2
    assert t["alliances"].tolist() == [100.0, 50.0, 0.0]
    # diplomacy: mean of exercise partners (4, 2, 0 -> 100, 50, 0) and engagements
    # (0, 5, 0 -> 0, 100, 0)
    assert t["diplomacy"].tolist() == [50.0, 75.0, 0.0]
    assert t["partnerships"].tolist() == [100.0, 0.0, 0.0]
    # raw: AAA (100 + 50 + 100) / 3 = 83.3, BBB (50 + 75 + 0) / 3 = 41.7 -> 100, 50, 0
    assert t["index"].tolist() == pytest.approx([100.0, 50.0, 0.0])
    assert t["rank"].tolist() == [1, 2, 3] and str(t["rank"].dtype) == "Int64"


def test_frontier_zeros_and_na():
    t = dni.defence_networks([2001, 2002, 2003], comps=HAND).set_index(["year", "iso3"])
    # nobody scores in 2001: true zeros, everyone shares rank 1
    assert t.loc[2001, [*SUB, "index"]].to_numpy().tolist() == [[0.0] * 4] * 2
    assert t.loc[2001, "rank"].tolist() == [1, 1]
    # 2002: partnerships not known, so neither is the index nor the rank
    assert t.loc[2002, "partnerships"].isna().all() and t.loc[2002, "index"].isna().all()
    assert t.loc[2002, "rank"].isna().all()
    assert t.loc[2002, "alliances"].tolist() == [100.0, 50.0]
    # 2003: NA stays NA, even where the leader of the rest scores 0
    assert np.isnan(t.loc[(2003, "AAA"), "alliances"]) and t.loc[(2003, "BBB"), "alliances"] \
        == 0.0
    assert t.loc[(2003, "BBB"), "diplomacy"] == 100.0
    assert np.isnan(t.loc[(2003, "AAA"), "index"]) and t.loc[(2003, "BBB"), "index"] == 100.0
    assert t.loc[(2003, "BBB"), "rank"] == 1 and pd.isna(t.loc[(2003, "AAA"), "rank"])


def test_index_on_the_fixture(c):
    from apresearch import usage

    usage.reset()
    t = dni.defence_networks([2012, 2018], data=c)
    assert "method:lowy_api2024" in usage.used()  # the method is recorded for the references
    y = t[t["year"] == 2018].set_index("iso3")
    assert y.loc["USA", "alliances"] == 100
    assert y.loc["JPN", "alliances"] == pytest.approx(1.5 / 3.2 * 100)
    assert y.loc["JPN", "diplomacy"] == pytest.approx(50)  # 3 of 3 partners, 0 of 1 events
    assert y.loc["PHL", "diplomacy"] == pytest.approx(50)  # 0 of 3 partners, 1 of 1 events
    assert (y["partnerships"] == 0).all()  # no deliveries in 2014-2018: true zeros
    assert y.loc["USA", "index"] == 100 and y.loc["USA", "rank"] == 1
    assert y.loc["JPN", "index"] == pytest.approx((1.5 / 3.2 * 100 + 50) / 200 * 100)
    assert y["index"].between(0, 100).all()
    # JPN and AUS tie for second; the next rank is 4
    assert y.loc[["AUS", "JPN", "KOR", "PHL"], "rank"].tolist() == [2, 2, 4, 5]
    assert y.loc[["CHN", "IND", "PRK", "RUS"], "rank"].tolist() == [6, 6, 6, 6]
    again = dni.defence_networks([2012, 2018], comps=dni.components([2012, 2018], data=c))
    pd.testing.assert_frame_equal(t, again)
    # comps limited to the years asked for
    only = dni.defence_networks([2018], comps=dni.components([2012, 2018], data=c))
    assert set(only["year"]) == {2018} and len(only) == 9
    na = dni.defence_networks([2025], data=c)  # no transfers coverage: no index
    assert na["index"].isna().all() and na["rank"].isna().all()


def test_weights(c):
    t = dni.defence_networks([2000], comps=HAND,
                             weights={"alliances": 2, "diplomacy": 2}).set_index("iso3")
    # normalised to 1/2, 1/2: AAA (100 + 50) / 2 = 75, BBB (50 + 75) / 2 = 62.5 -> 100, 83.3
    assert t["index"].tolist() == pytest.approx([100.0, 62.5 / 75 * 100, 0.0])
    same = dni.defence_networks([2000], comps=HAND, weights={"alliances": 0.25,
                                                             "diplomacy": 0.25,
                                                             "partnerships": 0})
    assert same["index"].tolist() == pytest.approx(t["index"].tolist())
    only = dni.defence_networks([2018], data=c,
                                weights={"alliances": 1, "diplomacy": 0, "partnerships": 0})
    assert only.set_index("iso3").loc["KOR", "index"] == pytest.approx(1.0 / 3.2 * 100)
    part = dni.defence_networks([2000], comps=HAND, weights={"partnerships": 5})
    assert part["index"].tolist() == [100.0, 0.0, 0.0] and part["rank"].tolist() == [1, 2, 2]
    with pytest.raises(apr.ParameterError,
                       match=r"weights has unknown sub-measure\(s\) \['navy'\]; valid: "
                             "alliances, diplomacy, partnerships"):
        dni.defence_networks([2018], comps=HAND, weights={"navy": 1})
    with pytest.raises(apr.ParameterError, match="must be >= 0 and not all 0"):
        dni.defence_networks([2018], comps=HAND, weights={"alliances": 0})
    with pytest.raises(apr.ParameterError,
                       match=r"weights=\{'alliances': -1, 'diplomacy': 2\} must be >= 0"):
        dni.defence_networks([2018], comps=HAND, weights={"alliances": -1, "diplomacy": 2})


# --------------------------------------------------------------------------- sensitivity
FIVE = pd.DataFrame({
    "year": 2000, "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"],
    "alliances": [100.0, 0.0, 50.0, 60.0, 10.0, 60.0],
    "diplomacy": [0.0, 100.0, 50.0, 30.0, 10.0, 30.0],
    "partnerships": [20.0, 20.0, 40.0, 100.0, 0.0, 100.0],
})
FIVE["index"] = FIVE[SUB].mean(axis=1) / FIVE[SUB].mean(axis=1).max() * 100
FIVE["rank"] = FIVE["index"].rank(ascending=False, method="min").astype("Int64")


def _reference_ranks(scores, draws, seed, concentration):
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.full(3, concentration), size=draws)
    out = np.empty((len(scores), draws))
    for k in range(draws):
        # each actor's weighted sum on its own, correctly rounded (math.fsum), so equal
        # sub-scores give equal sums
        sums = [math.fsum(x * y for x, y in zip(row, w[k], strict=True)) for row in scores]
        out[:, k] = pd.Series(sums).rank(ascending=False, method="min").to_numpy()
    return out


@pytest.mark.parametrize(("seed", "concentration"), [(0, 1.0), (7, 5.0)])
def test_sensitivity_against_a_reference(seed, concentration):
    s = dni.sensitivity(FIVE, 2000, draws=400, seed=seed, concentration=concentration)
    assert list(s.columns) == ["iso3", "rank", "median_rank", "rank_p05", "rank_p95",
                               "top3_share"]
    ranks = _reference_ranks(FIVE[SUB].to_numpy(), 400, seed, concentration)
    ref = pd.DataFrame({"iso3": FIVE["iso3"], "median": np.median(ranks, axis=1),
                        "p05": np.percentile(ranks, 5, axis=1),
                        "p95": np.percentile(ranks, 95, axis=1),
                        "top3": (ranks <= 3).mean(axis=1)}).set_index("iso3")
    t = s.set_index("iso3")
    for col, r in (("median_rank", "median"), ("rank_p05", "p05"), ("rank_p95", "p95"),
                   ("top3_share", "top3")):
        assert t[col].to_dict() == pytest.approx(ref[r].to_dict()), col
    assert (t["rank_p05"] < t["rank_p95"]).any()  # the weights do move some ranks
    assert t["top3_share"].between(0, 1).all() and (t["top3_share"] < 1).any()


def test_sensitivity_defaults():
    s = dni.sensitivity(FIVE.assign(note=np.nan), 2000).set_index("iso3")  # 1000 draws, seed 0
    assert len(s) == 6  # a missing value outside the sub-scores does not drop an actor
    ranks = pd.DataFrame(FIVE[SUB].to_numpy() @ np.random.default_rng(0).dirichlet(
        np.ones(3), size=1000).T).rank(ascending=False, method="min").to_numpy()
    assert s.loc[FIVE["iso3"], "median_rank"].tolist() == pytest.approx(
        list(np.median(ranks, axis=1)))
    assert s.loc[FIVE["iso3"], "rank_p05"].tolist() == pytest.approx(
        list(np.percentile(ranks, 5, axis=1)))
    assert s.loc[FIVE["iso3"], "top3_share"].tolist() == pytest.approx(
        list((ranks <= 3).mean(axis=1)))
    with pytest.raises(apr.ParameterError, match=r"valid years: \[2000\]"):
        dni.sensitivity(FIVE.assign(note=np.nan), 1999)


def test_sensitivity_order_ties_and_errors():
    s = dni.sensitivity(FIVE, 2000, draws=200)
    # sorted by the table's rank, then code
    assert s["rank"].tolist() == sorted(s["rank"].tolist())
    assert s["iso3"].tolist()[:2] == ["DDD", "FFF"]  # equal scores: rank 1 both, by code
    t = s.set_index("iso3")
    # identical sub-scores rank together under every weighting
    assert t.loc["DDD", ["median_rank", "rank_p05", "rank_p95"]].tolist() == \
        t.loc["FFF", ["median_rank", "rank_p05", "rank_p95"]].tolist()
    # EEE (10, 10, 0) is last but for weightings on alliances, where it passes BBB (0, ...)
    assert t.loc["EEE", ["median_rank", "rank_p95", "top3_share"]].tolist() == [6.0, 6.0, 0.0]
    assert t.loc["EEE", "rank_p05"] == 5.0
    assert np.array_equal(dni.sensitivity(FIVE, 2000, draws=200)["median_rank"],
                          s["median_rank"])  # reproducible (fixed seed)
    missing = FIVE.assign(partnerships=FIVE["partnerships"].where(FIVE["iso3"] != "EEE"))
    assert "EEE" not in set(dni.sensitivity(missing, 2000, draws=50)["iso3"])
    with pytest.raises(apr.ParameterError,
                       match=r"year=1990 has no index values; valid years: \[2000\]"):
        dni.sensitivity(FIVE, 1990)


def test_sensitivity_on_the_fixture(c):
    t = dni.defence_networks([2018], data=c)
    s = dni.sensitivity(t, 2018, draws=300).set_index("iso3")
    usa = s.loc["USA"]
    assert usa["rank"] == 1 and usa["top3_share"] == 1.0  # leads on every sub-measure
    # AUS and JPN have equal sub-scores: both rank 2 in every draw
    assert s.loc["JPN", ["median_rank", "rank_p05", "rank_p95"]].tolist() == [2.0, 2.0, 2.0]
    assert s.loc["RUS", ["rank", "median_rank"]].tolist() == [6, 6.0]


# --------------------------------------------------------------------------- power gap
def _with_resources(c, milex=None, cinc=None):
    """The fixture with its 2018 milex (constant US$ m) and CINC replaced."""
    m = c["milex"]
    if milex is not None:
        m = m[m["year"] != 2018]
        rows = m.iloc[[0] * len(milex)].assign(iso3=list(milex), year=2018,
                                                constant_usd_m=list(milex.values()))
        m = pd.concat([m, rows], ignore_index=True)
    k = c["capabilities"]
    if cinc is not None:
        k = k.iloc[[0] * len(cinc)].assign(iso3=list(cinc), year=2018, cinc=list(cinc.values()))
    return c.replace(milex=m, capabilities=k)


def test_power_gap_by_hand(c):
    # 2018 index: USA 100, CHN 0, IND 0; log milex: ln 200, ln 100, ln 25. With u = ln 2,
    # x - mean(x) = u/3 * (4, 2, -6) ... the OLS fit of the index on log milex gives
    # fitted (CHN, IND, USA) = (900, -300, 1500) / 21, so gap = (-900, 300, 600) / 21
    col = _with_resources(c, milex={"CHN": 100.0, "IND": 25.0, "USA": 200.0})
    g = dni.power_gap([2018], resources="milex", min_states=3, data=col)
    assert list(g.columns) == ["year", "iso3", "index", "expected", "gap", "gap_p05",
                               "gap_p95", "gap_rank", "log_milex"]
    assert g["iso3"].tolist()[:3] == ["USA", "IND", "CHN"]  # by gap rank
    t = g.set_index("iso3")
    assert t.loc[["CHN", "IND", "USA"], "expected"].tolist() == pytest.approx(
        [900 / 21, -300 / 21, 1500 / 21])
    assert t.loc[["CHN", "IND", "USA"], "gap"].tolist() == pytest.approx(
        [-900 / 21, 300 / 21, 600 / 21])
    assert t.loc[["USA", "IND", "CHN"], "gap_rank"].tolist() == [1, 2, 3]
    assert t.loc["USA", "log_milex"] == pytest.approx(np.log(200))
    # every weighting gives USA 100 and the others 0 here: the band is the gap itself
    assert t.loc[["CHN", "IND", "USA"], "gap_p05"].tolist() == pytest.approx(
        [-900 / 21, 300 / 21, 600 / 21])
    assert t.loc[["CHN", "IND", "USA"], "gap_p95"].tolist() == pytest.approx(
        [-900 / 21, 300 / 21, 600 / 21])
    # the others have the index but no spending: no gap
    assert t.loc["AUS", "index"] == pytest.approx(48.4375)
    assert t.loc[["AUS", "JPN", "KOR"], ["expected", "gap", "gap_p05"]].isna().all().all()
    assert t.loc[["AUS", "JPN"], "gap_rank"].isna().all()
    assert np.isnan(t.loc["AUS", "log_milex"])
    # four states needed: none
    none = dni.power_gap([2018], resources="milex", min_states=4, data=col)
    assert none["gap"].isna().all() and none["gap_rank"].isna().all()
    assert none["index"].notna().all()


def test_power_gap_resources_and_band(c):
    milex = {"AUS": 30.0, "CHN": 100.0, "IND": 50.0, "JPN": 45.0, "KOR": 40.0, "PHL": 5.0,
             "PRK": 4.0, "RUS": 60.0, "USA": 200.0}
    cinc = {"AUS": 0.01, "CHN": 0.2, "IND": 0.08, "JPN": 0.03, "KOR": 0.02, "PHL": 0.004,
            "PRK": 0.01, "RUS": 0.04, "USA": 0.15}
    col = _with_resources(c, milex=milex, cinc=cinc)
    g = dni.power_gap([2018], draws=100, seed=2, min_states=5, data=col)
    assert list(g.columns)[-2:] == ["log_cinc", "log_milex"]
    t = g.set_index("iso3")
    order = sorted(milex)
    dn = dni.defence_networks([2018], data=col).set_index("iso3").loc[order]
    x = np.column_stack([np.ones(9), np.log([cinc[k] for k in order]),
                         np.log([milex[k] for k in order])])
    beta = np.linalg.lstsq(x, dn["index"].to_numpy(), rcond=None)[0]
    assert t.loc[order, "gap"].tolist() == pytest.approx(list(dn["index"] - x @ beta))
    assert t["gap"].sum() == pytest.approx(0.0, abs=1e-9)  # OLS residuals with a constant
    assert t["gap_rank"].tolist() == sorted(t["gap_rank"].tolist())
    # the band: 5th and 95th percentiles of the gap over re-weighted indices
    rng = np.random.default_rng(2)
    w = rng.dirichlet(np.ones(3), size=100)
    raw = dn[SUB].to_numpy() @ w.T
    idx = raw / raw.max(axis=0) * 100
    gaps = idx - x @ np.linalg.lstsq(x, idx, rcond=None)[0]
    assert t.loc[order, "gap_p05"].tolist() == pytest.approx(list(np.percentile(gaps, 5,
                                                                                axis=1)))
    assert t.loc[order, "gap_p95"].tolist() == pytest.approx(list(np.percentile(gaps, 95,
                                                                                axis=1)))
    assert (t["gap_p05"] < t["gap_p95"]).any()
    only_cinc = dni.power_gap([2018], resources="cinc", draws=20, min_states=5, data=col)
    assert list(only_cinc.columns)[-1] == "log_cinc" and "log_milex" not in only_cinc
    xc = x[:, :2]
    gap_c = dn["index"] - xc @ np.linalg.lstsq(xc, dn["index"].to_numpy(), rcond=None)[0]
    assert only_cinc.set_index("iso3").loc[order, "gap"].tolist() == pytest.approx(list(gap_c))
    only_milex = dni.power_gap([2018], resources="milex", draws=20, min_states=5, data=col)
    assert list(only_milex.columns)[-1] == "log_milex" and "log_cinc" not in only_milex


def test_power_gap_defaults_and_ties(c):
    # ten states with resources: enough for the default min_states=10 (nine are not)
    a = c["actors"]
    vnm = a[a["iso3"] == "PHL"].assign(iso3="VNM", name="Viet Nam")
    milex = {"AUS": 45.0, "CHN": 100.0, "IND": 50.0, "JPN": 45.0, "KOR": 40.0, "PHL": 5.0,
             "PRK": 4.0, "RUS": 60.0, "USA": 200.0, "VNM": 0.5}
    cinc = {"AUS": 0.03, "CHN": 0.2, "IND": 0.08, "JPN": 0.03, "KOR": 0.02, "PHL": 0.004,
            "PRK": 0.01, "RUS": 0.04, "USA": 0.15, "VNM": 0.002}
    col = _with_resources(c.replace(actors=pd.concat([a, vnm], ignore_index=True)),
                          milex=milex, cinc=cinc)
    g = dni.power_gap([2018], data=col)
    t = g.set_index("iso3")
    assert t["gap"].notna().sum() == 10
    assert t.loc["VNM", "log_milex"] == pytest.approx(np.log(0.5))  # below 1 is still known
    # AUS and JPN: the same index and resources, so the same gap and the same (best) rank
    assert t.loc["AUS", "gap"] == t.loc["JPN", "gap"]
    assert t.loc["AUS", "gap_rank"] == t.loc["JPN", "gap_rank"]
    assert str(g["gap_rank"].dtype) == "Int64"
    order = sorted(milex)
    dn = dni.defence_networks([2018], data=col).set_index("iso3").loc[order]
    x = np.column_stack([np.ones(10), np.log([cinc[k] for k in order]),
                         np.log([milex[k] for k in order])])
    w = np.random.default_rng(0).dirichlet(np.ones(3), size=200)  # the defaults
    raw = dn[SUB].to_numpy() @ w.T
    idx = raw / raw.max(axis=0) * 100
    gaps = idx - x @ np.linalg.lstsq(x, idx, rcond=None)[0]
    assert t.loc[order, "gap_p05"].tolist() == pytest.approx(list(np.percentile(gaps, 5,
                                                                                axis=1)))
    nine = dni.power_gap([2018], data=_with_resources(
        c, milex={k: v for k, v in milex.items() if k != "VNM"},
        cinc={k: v for k, v in cinc.items() if k != "VNM"}))
    assert nine["gap"].isna().all()
    a["regional"] = a["iso3"] != "KOR"
    outside = _with_resources(c.replace(actors=a), milex=milex, cinc=cinc)
    assert "KOR" not in set(dni.power_gap([2018], min_states=3, data=outside)["iso3"])
    assert "KOR" in set(dni.power_gap([2018], min_states=3, actors="all", data=outside)["iso3"])


def test_power_gap_missing_and_zero_resources(c):
    milex = {"AUS": 30.0, "CHN": 100.0, "IND": 0.0, "USA": 200.0, "KOR": 40.0}
    col = _with_resources(c, milex=milex)
    g = dni.power_gap([2018], resources="milex", draws=10, min_states=3, data=col)
    t = g.set_index("iso3")
    assert np.isnan(t.loc["IND", "log_milex"]) and np.isnan(t.loc["IND", "gap"])  # log 0: NA
    assert t.loc[["AUS", "CHN", "KOR", "USA"], "gap"].notna().all()
    both = dni.power_gap([2018], draws=10, min_states=3, data=col)  # CINC only CHN, USA
    assert both["gap"].isna().all()
    assert both["expected"].dtype == float and both["gap_p05"].dtype == float
    assert both["gap_p95"].dtype == float
    zero = _with_resources(c, cinc={"CHN": 0.0, "USA": 0.15})
    z = dni.power_gap([2018], resources="cinc", draws=5, min_states=3, data=zero)
    assert z.set_index("iso3")["log_cinc"].isna().tolist().count(False) == 1  # log 0: NA


def test_power_gap_errors_and_years(c):
    with pytest.raises(apr.ParameterError,
                       match="resources='gdp' is not valid; valid: 'both', 'cinc', 'milex'"):
        dni.power_gap([2018], resources="gdp", data=c)
    with pytest.raises(apr.ParameterError,
                       match="min_states=2 is not valid; give a whole number >= 3"):
        dni.power_gap([2018], min_states=2, data=c)
    with pytest.raises(apr.ParameterError, match="unknown sub-measure"):
        dni.power_gap([2018], weights={"navy": 1}, data=c)
    col = _with_resources(c, milex={"CHN": 100.0, "IND": 25.0, "USA": 200.0})
    g = dni.power_gap([2012, 2018], resources="milex", min_states=3, data=col)
    assert g["year"].tolist() == [2012] * 9 + [2018] * 9  # by year
    assert g[g["year"] == 2012]["gap"].isna().all()  # no 2012 spending in the fixture
    assert g[g["year"] == 2018]["gap"].notna().sum() == 3
    everyone = dni.power_gap([2018], resources="milex", min_states=3, actors="all", data=col)
    assert len(everyone) == 9


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    t = dni.defence_networks([2018], data=folder).set_index("iso3")
    assert t.loc["USA", "rank"] == 1
