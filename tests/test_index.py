"""The Defence Networks index on the hand-made fixture, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

import apresearch as apr
from apresearch import index as dni


@pytest.fixture
def comps(mini_tables):
    return dni.components([2012, 2018], mini_tables).set_index(["year", "iso3"])


def test_components(comps):
    # 2018: USA-JPN 1.1 (treaty + Quad), USA-KOR 1.0, USA-AUS 1.1, JPN-AUS 0.4
    assert comps.loc[(2018, "USA"), "alliance_degree"] == pytest.approx(3.2)
    assert comps.loc[(2018, "JPN"), "alliance_degree"] == pytest.approx(1.5)
    assert comps.loc[(2018, "KOR"), "exercise_partners"] == 3  # RIMPAC 2018
    assert comps.loc[(2018, "PHL"), "exercise_partners"] == 0  # observers do not count
    assert comps.loc[(2018, "USA"), "engagements"] == 1
    # 2008-2012 deliveries: India from Russia, South Korea and Israel
    assert comps.loc[(2012, "IND"), "arms_partners"] == 3
    assert comps.loc[(2012, "USA"), "arms_partners"] == 2  # Japan, Saudi Arabia


def test_index_by_hand(mini_tables, comps):
    t = dni.defence_networks([2012, 2018], comps=comps.reset_index())
    y = t[t["year"] == 2018].set_index("iso3")
    assert y.loc["USA", "alliances"] == 100 and y.loc["JPN", "alliances"] == pytest.approx(
        1.5 / 3.2 * 100)
    assert y.loc["JPN", "diplomacy"] == pytest.approx(50)  # 3 of 3 partners, 0 of 1 events
    assert (y["partnerships"] == 0).all()  # nobody had deliveries in 2014-2018: true zeros
    assert y.loc["USA", "index"] == 100 and y.loc["USA", "rank"] == 1
    assert y.loc["JPN", "index"] == pytest.approx((1.5 / 3.2 * 100 + 50) / 200 * 100)
    assert y["index"].between(0, 100).all()


def test_weights(comps):
    only = dni.defence_networks([2018], comps=comps.reset_index(),
                                weights={"alliances": 1, "diplomacy": 0, "partnerships": 0})
    y = only.set_index("iso3")
    assert y.loc["KOR", "index"] == pytest.approx(1.0 / 3.2 * 100)
    with pytest.raises(apr.ParameterError, match="unknown sub-measure.*valid: alliances"):
        dni.defence_networks([2018], comps=comps.reset_index(), weights={"navy": 1})
    with pytest.raises(apr.ParameterError, match="must be >= 0 and not all 0"):
        dni.defence_networks([2018], comps=comps.reset_index(), weights={"alliances": 0})


def test_sensitivity(comps):
    t = dni.defence_networks([2018], comps=comps.reset_index())
    s = dni.sensitivity(t, 2018, draws=300)
    n = len(s)
    assert s["median_rank"].between(1, n).all() and s["top3_share"].between(0, 1).all()
    assert (s["rank_p05"] <= s["median_rank"]).all() and (s["median_rank"] <= s["rank_p95"]
                                                          ).all()
    usa = s.set_index("iso3").loc["USA"]
    assert usa["rank"] == 1 and usa["top3_share"] == 1.0  # leads on every sub-measure
    assert np.array_equal(dni.sensitivity(t, 2018, draws=300)["median_rank"],
                          s["median_rank"])  # reproducible (fixed seed)
    with pytest.raises(apr.ParameterError, match="year=1990 has no index values"):
        dni.sensitivity(t, 1990)
