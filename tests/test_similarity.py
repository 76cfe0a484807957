"""Alliance-portfolio similarity: hand-computed examples and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from apresearch import similarity as sim


def test_hand_example():
    # A and B allied with each other; C alone (each fully allied with itself)
    x = np.array([[3, 3, 0], [3, 3, 0], [0, 0, 3]])
    s = sim.pair_scores(x)
    assert s["s"][0, 1] == 1.0 and s["s"][0, 2] == -1.0
    # kappa(A, C): observed distance 1; expected with own marginals 1/9 + 4/9 = 5/9
    assert s["kappa"][0, 2] == pytest.approx(1 - 1 / (5 / 9))
    # pi(A, C): pooled marginal (1/2, 1/2): expected distance 1/2
    assert s["pi"][0, 2] == pytest.approx(-1.0)
    assert s["kappa"][0, 1] == pytest.approx(1.0) and s["pi"][0, 1] == pytest.approx(1.0)


def test_weighted_s():
    x = np.array([[3, 1, 0], [3, 0, 0], [0, 0, 3]])
    s = sim.pair_scores(x, weights=np.array([0.5, 0.25, 0.25]))
    assert s["s"][0, 1] == pytest.approx(7 / 9)  # one score apart by 1 of 3, over 3 states
    assert s["s_weighted"][0, 1] == pytest.approx(5 / 6)  # that state weighs 1/4


@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(2, 7), st.integers(2, 7)),
              elements=st.integers(0, 3)))
def test_properties(x):
    s = sim.pair_scores(x, weights=np.linspace(0.1, 1, x.shape[1]))
    for name in ("s", "s_weighted"):
        assert np.all(s[name] >= -1 - 1e-12) and np.all(s[name] <= 1 + 1e-12)
        assert np.allclose(s[name], s[name].T)
        assert np.allclose(np.diag(s[name]), 1.0)  # S(i, i) = 1
    for name in ("kappa", "pi"):
        a = s[name]
        assert np.allclose(a, a.T, equal_nan=True)
        assert np.all((a <= 1 + 1e-12) | np.isnan(a))


def test_on_the_fixture(mini_tables):
    t = mini_tables
    m = sim.portfolio_matrix(2020, t["agreements"], t["agreement_members"], t["actors"])
    assert m.loc["USA", "JPN"] == 3 and m.loc["JPN", "AUS"] == 1  # consultation only
    assert m.loc["CHN", "PHL"] == 0  # a forum is not an alliance
    assert (np.diag(m.to_numpy()) == 3).all()
    df = sim.similarity([2018], t["agreements"], t["agreement_members"], t["actors"],
                        t["capabilities"]).set_index(["iso3_a", "iso3_b"])
    assert df.loc[("CHN", "USA"), "s_weighted"] <= 1
    n = len(t["actors"])
    assert len(df) == n * (n - 1) // 2
    none = sim.similarity([2020], t["agreements"], t["agreement_members"], t["actors"],
                          t["capabilities"])
    assert none["s_weighted"].isna().all()  # no CINC for 2020 in the fixture: NA, not 0
