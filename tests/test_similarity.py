"""Alliance-portfolio similarity: hand-computed scores, the fixture's dyad-years, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import apresearch as apr
from apresearch import similarity as sim
from apresearch import usage

COLS = ["year", "iso3_a", "iso3_b", "ccode_a", "ccode_b", "s", "s_weighted", "kappa", "pi"]
MEMBERS_1951 = ["AUS", "CHN", "IND", "KOR", "PHL", "PRK", "RUS", "USA"]  # COW: no JPN yet


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    """The fixture folder as a Collection, validated once for the module (read-only)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return apr.collection(write_folder(tmp_path_factory.mktemp("mini") / "data"))


def with_cinc(coll, values: dict[str, float], year: int):
    """The collection with a capabilities table holding ``values`` (iso3 -> CINC) in ``year``."""
    cap = coll["capabilities"]
    rows = pd.DataFrame({"iso3": list(values), "year": year, "cinc": list(values.values()),
                         "release": "Test"})
    return coll.replace(capabilities=pd.concat([cap, rows], ignore_index=True))


def at(df, year, a, b):
    r = df[(df["year"] == year) & (df["iso3_a"] == a) & (df["iso3_b"] == b)]
    assert len(r) == 1, (year, a, b, len(r))
    return r.iloc[0]


# --------------------------------------------------------------------------- pair_scores
# Two states over three dimensions: scores differ by 0, 1 and 2.
X = np.array([[3, 1, 0], [3, 0, 2]])


@pytest.mark.parametrize("distance, expected", [
    ("linear", 1 / 3),     # D_o = (0 + 1/3 + 2/3) / 3 = 1/3; S = 1 - 2/3
    ("squared", 17 / 27),  # D_o = (0 + 1/9 + 4/9) / 3 = 5/27; S = 1 - 10/27
    ("nominal", -1 / 3),   # D_o = (0 + 1 + 1) / 3 = 2/3; S = 1 - 4/3
])
def test_s_by_distance(distance, expected):
    s = sim.pair_scores(X, s_distance=distance)
    assert s["s"][0, 1] == pytest.approx(expected)
    assert s["s"][1, 0] == pytest.approx(expected)
    assert np.diag(s["s"]).tolist() == [1.0, 1.0]


def test_s_default_is_linear_and_no_weights_no_weighted_s():
    s = sim.pair_scores(X)
    assert s["s"][0, 1] == pytest.approx(1 / 3)
    assert "s_weighted" not in s
    assert sorted(s) == ["kappa", "pi", "s"]
    assert all(v.shape == (2, 2) for v in s.values())


@pytest.mark.parametrize("distance, expected", [
    ("linear", 0.5),        # weighted D_o = .25 * 1/3 + .25 * 2/3 = .25
    ("squared", 13 / 18),   # .25 * 1/9 + .25 * 4/9 = 5/36; 1 - 10/36
    ("nominal", 0.0),       # .25 + .25 = .5
])
def test_weighted_s(distance, expected):
    s = sim.pair_scores(X, np.array([0.5, 0.25, 0.25]), s_distance=distance)
    assert s["s_weighted"][0, 1] == pytest.approx(expected)
    # weights are normalised: twice the weights, the same score
    s2 = sim.pair_scores(X, np.array([2.0, 1.0, 1.0]), s_distance=distance)
    assert s2["s_weighted"][0, 1] == pytest.approx(expected)
    assert s2["s"][0, 1] == pytest.approx(sim.pair_scores(X, s_distance=distance)["s"][0, 1])


def test_weighted_s_na_for_missing_or_zero_weights():
    for w in ([0.5, np.nan, 0.25], [0.0, 0.0, 0.0], [1.0, np.inf, 1.0]):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NA by the rule, not by dividing by zero
            s = sim.pair_scores(X, np.array(w))
        assert np.isnan(s["s_weighted"]).all(), w
        assert s["s_weighted"].shape == (2, 2)
        assert s["s"][0, 1] == pytest.approx(1 / 3)  # the unweighted S is unaffected
    # one zero weight among positive ones is fine (that dimension is ignored)
    s = sim.pair_scores(X, np.array([1.0, 0.0, 1.0]))
    assert s["s_weighted"][0, 1] == pytest.approx(1 - 2 * (2 / 3) / 2)


# Chance-corrected measures for X: each state's own distribution is 1/3 on each of its
# three scores ({3, 1, 0} and {3, 0, 2}); the pooled one is 0: 1/3, 1: 1/6, 2: 1/6, 3: 1/3.
@pytest.mark.parametrize("distance, kappa, pi", [
    # squared: D_o = 5/27. kappa: sum over the 9 score pairs of (a - b)^2 = 29, so
    # D_e = 29/81 and kappa = 1 - 15/29. pi: pooled variance 19/12, E(a - b)^2 = 19/6,
    # D_e = 19/54 and pi = 1 - 10/19.
    ("squared", 14 / 29, 9 / 19),
    # linear: D_o = 1/3. kappa: sum |a - b| = 13, D_e = 13/27, kappa = 1 - 9/13.
    # pi: pooled E|a - b| = 25/18, D_e = 25/54, pi = 1 - 18/25.
    ("linear", 4 / 13, 7 / 25),
    # nominal: D_o = 2/3. kappa: D_e = 1 - (1/9 + 1/9) = 7/9, kappa = 1 - 6/7.
    # pi: D_e = 1 - (1/9 + 1/36 + 1/36 + 1/9) = 13/18, pi = 1 - 12/13.
    ("nominal", 1 / 7, 1 / 13),
])
def test_kappa_and_pi(distance, kappa, pi):
    s = sim.pair_scores(X, chance_distance=distance)
    assert s["kappa"][0, 1] == pytest.approx(kappa)
    assert s["pi"][0, 1] == pytest.approx(pi)
    assert s["kappa"][1, 0] == pytest.approx(kappa) and s["pi"][1, 0] == pytest.approx(pi)
    # the chance distance does not change S
    assert s["s"][0, 1] == pytest.approx(1 / 3)


def test_chance_default_is_squared():
    s = sim.pair_scores(X)
    assert s["kappa"][0, 1] == pytest.approx(14 / 29)
    assert s["pi"][0, 1] == pytest.approx(9 / 19)


def test_no_expected_disagreement_gives_na():
    # A and C score 0 everywhere, B 3 everywhere
    x = np.array([[0, 0], [3, 3], [0, 0]])
    s = sim.pair_scores(x)
    assert np.isnan(s["kappa"][0, 2]) and np.isnan(s["pi"][0, 2])  # D_e = 0: undefined
    assert np.isnan(s["kappa"][0, 0])  # a constant portfolio with itself too
    assert s["s"][0, 2] == 1.0 and s["s"][0, 1] == -1.0
    # A vs B: D_o = 1; kappa D_e = d(0, 3) = 1 -> 0; pi pooled (1/2, 1/2) -> D_e 1/2 -> -1
    assert s["kappa"][0, 1] == pytest.approx(0.0)
    assert s["pi"][0, 1] == pytest.approx(-1.0)


def test_hand_example_three_states():
    # A and B allied with each other; C alone (each fully allied with itself)
    x = np.array([[3, 3, 0], [3, 3, 0], [0, 0, 3]])
    s = sim.pair_scores(x)
    assert s["s"][0, 1] == 1.0 and s["s"][0, 2] == -1.0
    # kappa(A, C): D_o = 1; own marginals A (2/3 on 3, 1/3 on 0), C (1/3, 2/3):
    # D_e = 4/9 + 1/9 = 5/9
    assert s["kappa"][0, 2] == pytest.approx(1 - 1 / (5 / 9))
    assert s["pi"][0, 2] == pytest.approx(-1.0)  # pooled (1/2, 1/2): D_e = 1/2
    assert s["kappa"][0, 1] == pytest.approx(1.0) and s["pi"][0, 1] == pytest.approx(1.0)


def test_binary():
    # valued=False: a tie of any strength is 1: X becomes [1, 1, 0] and [1, 0, 1]
    s = sim.pair_scores(X, valued=False)
    assert s["s"][0, 1] == pytest.approx(-1 / 3)  # D_o = 2/3 on a 0/1 scale
    # each state 2/3 ones: D_e = 2 (2/3)(1/3) = 4/9 for kappa and pi alike
    assert s["kappa"][0, 1] == pytest.approx(-0.5)
    assert s["pi"][0, 1] == pytest.approx(-0.5)
    # a score of 1 (consultation) is a tie: [1, 3] and [3, 1] are the same binary row
    b = sim.pair_scores(np.array([[1, 3], [3, 1]]), valued=False)
    assert b["s"][0, 1] == 1.0
    assert sim.pair_scores(np.array([[1, 3], [3, 1]]))["s"][0, 1] == pytest.approx(-1 / 3)


def test_binary_squared_and_linear_agree():
    lin = sim.pair_scores(X, valued=False, s_distance="linear", chance_distance="linear")
    sq = sim.pair_scores(X, valued=False, s_distance="squared", chance_distance="squared")
    for k in ("s", "kappa", "pi"):
        assert np.allclose(lin[k], sq[k])


def test_pair_scores_bad_distances():
    with pytest.raises(apr.ParameterError,
                       match=r"s_distance='cosine' is not valid; valid: 'linear', 'squared', "
                             r"'nominal'\."):
        sim.pair_scores(X, s_distance="cosine")
    with pytest.raises(apr.ParameterError, match=r"chance_distance='abs' is not valid"):
        sim.pair_scores(X, chance_distance="abs")


@settings(max_examples=30, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(2, 6), st.integers(2, 6)),
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
    # a brute-force S for one pair
    d = np.abs(x[0] - x[1]) / 3
    assert s["s"][0, 1] == pytest.approx(1 - 2 * d.mean())


# --------------------------------------------------------------------------- portfolio_matrix
def test_portfolio_matrix(coll):
    m = sim.portfolio_matrix(2020, data=coll)
    codes = ["AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "RUS", "USA"]
    assert list(m.index) == codes and list(m.columns) == codes
    assert m.loc["USA", "JPN"] == m.loc["JPN", "USA"] == 3  # defence pledge
    assert m.loc["JPN", "AUS"] == m.loc["AUS", "JPN"] == 1  # consultation only
    assert m.loc["CHN", "PHL"] == 0  # a forum is not an alliance
    assert m.loc["USA", "PHL"] == 0  # the treaty ended in 1960
    assert (np.diag(m.to_numpy()) == 3).all()
    assert int(m.to_numpy().sum()) == 9 * 3 + 2 * (3 + 3 + 3 + 1)


def test_portfolio_matrix_members_and_atop(coll):
    m = sim.portfolio_matrix(1951, data=coll)
    assert list(m.index) == MEMBERS_1951  # JPN is no COW member in 1951
    assert m.loc["PHL", "USA"] == 3
    assert "JPN" in sim.portfolio_matrix(1951, system="gw", data=coll).index
    a = sim.portfolio_matrix(2010, portfolio="atop", data=coll)
    assert a.loc["CHN", "PRK"] == a.loc["PRK", "CHN"] == 3  # only ATOP has this one
    assert a.loc["KOR", "USA"] == 0  # and the fixture's ATOP lacks this one
    assert a.loc["JPN", "USA"] == 3
    with pytest.raises(apr.ParameterError, match="system='x' is not valid"):
        sim.portfolio_matrix(2010, system="x", data=coll)
    with pytest.raises(apr.ParameterError, match="portfolio='x' is not valid"):
        sim.portfolio_matrix(2010, portfolio="x", data=coll)


def test_scores_from_obligations(coll):
    # 3 defence; 2 neutrality or non-aggression; 1 consultation or offence only; 0 none
    flags = pd.DataFrame({"defense": [1, 0, 0, 0, 0, 0, 1], "offense": [0, 1, 0, 0, 0, 0, 1],
                          "neutrality": [0, 0, 1, 0, 0, 0, 0],
                          "nonaggression": [0, 0, 0, 1, 0, 0, 1],
                          "consultation": [0, 0, 0, 0, 1, 0, 0]})
    assert sim._scores(flags).tolist() == [3, 1, 2, 2, 1, 0, 3]
    flags = pd.DataFrame({o: pd.array([1, pd.NA], dtype="Int64") if o == "neutrality"
                          else pd.array([0, pd.NA], dtype="Int64") for o in apr.OBLIGATIONS})
    assert sim._scores(flags).tolist() == [2, 0]  # NA flags count as 0


# --------------------------------------------------------------------------- similarity
def test_similarity_dyads_are_the_members(coll):
    df = sim.similarity([1951, 2020], data=coll)
    assert list(df.columns) == COLS
    y51 = df[df["year"] == 1951]
    assert len(y51) == 8 * 7 // 2  # JPN is not yet a member: no dyad with it
    assert "JPN" not in set(y51["iso3_a"]) | set(y51["iso3_b"])
    assert (y51["iso3_a"] < y51["iso3_b"]).all()
    assert len(df[df["year"] == 2020]) == 9 * 8 // 2
    assert df["ccode_a"].dtype == "Int64" and df["ccode_b"].dtype == "Int64"
    r = at(df, 2020, "JPN", "USA")
    assert (r["ccode_a"], r["ccode_b"]) == (740, 2)


def test_similarity_hand_values_1951(coll):
    df = sim.similarity([1951], data=coll)
    # members AUS CHN IND KOR PHL PRK RUS USA; ties AUS-USA, PHL-USA (3; JPN-USA not a
    # dimension). AUS (3 at AUS, USA) vs USA (3 at AUS, PHL, USA): 1 of 8 apart by 3.
    r = at(df, 1951, "AUS", "USA")
    assert r["s"] == pytest.approx(1 - 2 * (1 / 8))  # 0.75 (5/9 if JPN counted)
    # kappa: D_o = 1/8; AUS 6/8 zeros, USA 5/8 zeros: D_e = 6/8*3/8 + 2/8*5/8 = 7/16
    assert r["kappa"] == pytest.approx(1 - (1 / 8) / (7 / 16))
    # pi: pooled 11/16 zeros, 5/16 threes: D_e = 2 * 11/16 * 5/16 = 55/128
    assert r["pi"] == pytest.approx(1 - (1 / 8) / (55 / 128))
    assert at(df, 1951, "AUS", "PHL")["s"] == pytest.approx(0.5)  # 2 of 8 apart
    assert at(df, 1951, "CHN", "RUS")["s"] == pytest.approx(0.5)  # only themselves
    assert df["s_weighted"].isna().all()  # the fixture has no CINC in 1951
    gw = sim.similarity([1951], system="gw", data=coll)
    assert len(gw) == 9 * 8 // 2
    assert at(gw, 1951, "AUS", "USA")["s"] == pytest.approx(1 - 2 * (2 / 9))  # JPN counts


def test_similarity_measures_options(coll):
    # 2010: AUS (3 at AUS, USA; 1 at JPN) vs JPN (3 at JPN, USA; 1 at AUS), 9 members
    lin = at(sim.similarity([2010], data=coll), 2010, "AUS", "JPN")
    assert lin["s"] == pytest.approx(1 - 2 * (4 / 3) / 9)  # two dimensions 2/3 apart
    sq = at(sim.similarity([2010], s_distance="squared", data=coll), 2010, "AUS", "JPN")
    assert sq["s"] == pytest.approx(1 - 2 * (8 / 9) / 9)  # two dimensions 4/9 apart
    binary = at(sim.similarity([2010], valued=False, data=coll), 2010, "AUS", "JPN")
    assert binary["s"] == 1.0 and binary["kappa"] == pytest.approx(1.0)  # same ties
    nom = at(sim.similarity([2010], chance_distance="nominal", data=coll), 2010, "AUS", "JPN")
    # nominal kappa: D_o = 2/9; AUS and JPN each 6/9 zeros, 2/9 threes, 1/9 ones:
    # D_e = 1 - (36 + 4 + 1) / 81 = 40/81
    assert nom["kappa"] == pytest.approx(1 - (2 / 9) / (40 / 81))
    assert nom["pi"] == pytest.approx(1 - (2 / 9) / (40 / 81))  # same marginals
    assert nom["s"] == pytest.approx(lin["s"])


def test_similarity_na_outside_coverage(coll):
    # agreements cover 1950-2025
    df = sim.similarity([1949, 1950, 2025, 2026], data=coll)
    for y, na in ((1949, True), (1950, False), (2025, False), (2026, True)):
        part = df[df["year"] == y]
        assert len(part) > 0
        for col in ("s", "kappa"):
            assert part[col].isna().all() == na, (y, col)
            assert part[col].notna().all() != na, (y, col)
        assert part["s_weighted"].isna().all()
    assert sim.similarity([1940], data=coll)[["s", "kappa", "pi"]].isna().all().all()
    # the dyads are still listed, with their codes
    assert len(df[df["year"] == 1949]) == 8 * 7 // 2
    assert df["ccode_a"].notna().all()


def test_similarity_at_the_coverage_boundaries(coll):
    # the first and last years of coverage use that year's ties
    df = sim.similarity([2020, 2025], data=coll)
    for a, b in (("JPN", "USA"), ("AUS", "JPN"), ("KOR", "USA")):
        assert at(df, 2025, a, b)["s"] == pytest.approx(at(df, 2020, a, b)["s"])
    assert at(df, 2025, "JPN", "USA")["s"] == pytest.approx(1 - 2 * (2 / 3 + 1) / 9)
    # ATOP declared to cover 1960-2010 only: both ends have ATOP rows in the fixture
    c = apr.Collection.from_frames({k: coll[k] for k in coll},
                                   coverage={"atop_dyads": (1960, 2010)})
    a = sim.similarity([1959, 1960, 2010, 2011], portfolio="atop", data=c)
    assert a.loc[a["year"].isin([1959, 2011]), "s"].isna().all()
    # 1960: ATOP ties JPN-USA and KOR-USA among the 9 members; KOR and USA differ at JPN
    assert at(a, 1960, "KOR", "USA")["s"] == pytest.approx(1 - 2 * (1 / 9))
    assert at(a, 1960, "AUS", "USA")["s"] == pytest.approx(1 - 2 * (4 / 9))
    assert at(a, 2010, "CHN", "PRK")["s"] == 1.0


def test_similarity_two_members(coll):
    # COW in 1820: RUS and USA only (CHN and JPN from 1860); agreements declared from 1800
    c = apr.Collection.from_frames({k: coll[k] for k in coll},
                                   coverage={"agreements": (1800, 2025)})
    df = sim.similarity([1820], data=c)
    assert len(df) == 1
    r = df.iloc[0]
    assert (r["iso3_a"], r["iso3_b"], r["ccode_a"], r["ccode_b"]) == ("RUS", "USA", 365, 2)
    assert r["s"] == -1.0  # each allied only with itself: both dimensions apart by 3
    # D_o = 1; each state half 0, half 3: D_e = 1/2 (own and pooled alike); 1 - 1/(1/2)
    assert r["kappa"] == pytest.approx(-1.0)
    assert r["pi"] == pytest.approx(-1.0)


def test_similarity_atop(coll):
    df = sim.similarity([1945, 1946, 2010, 2018, 2019, 2030], portfolio="atop", data=coll)
    for y, na in ((1945, True), (1946, False), (2010, False), (2018, False), (2019, True),
                  (2030, True)):
        assert df.loc[df["year"] == y, "s"].isna().all() == na, y
        assert df.loc[df["year"] == y, "s"].notna().all() != na, y
    # ATOP ties CHN and PRK in 2010 (the fixture's agreements do not): same portfolios
    assert at(df, 2010, "CHN", "PRK")["s"] == 1.0
    agr = sim.similarity([2010], data=coll)
    assert at(agr, 2010, "CHN", "PRK")["s"] == pytest.approx(1 - 2 * (2 / 9))
    assert at(df, 2010, "KOR", "USA")["s"] < at(agr, 2010, "KOR", "USA")["s"]
    assert df.attrs["portfolio"] == "atop"
    # 2019 is inside the agreements' coverage but not ATOP's
    assert sim.similarity([2019], data=coll)["s"].notna().all()


def test_weighted_s_on_the_fixture(coll):
    cinc = {"AUS": .05, "CHN": .1, "IND": .05, "KOR": .025, "PHL": .025, "PRK": .025,
            "RUS": .1, "USA": .125}  # the 1951 members; they sum to 0.5
    c = with_cinc(coll, cinc, 1951)
    df = sim.similarity([1951], data=c)
    # AUS vs USA differ at PHL only: weight .025 / .5 = .05; S_w = 1 - 2 * .05
    assert at(df, 1951, "AUS", "USA")["s_weighted"] == pytest.approx(0.9)
    # AUS vs PHL differ at AUS (.1) and PHL (.05): 1 - 2 * .15
    assert at(df, 1951, "AUS", "PHL")["s_weighted"] == pytest.approx(0.7)
    assert df["s_weighted"].notna().all()
    assert at(df, 1951, "AUS", "USA")["s"] == pytest.approx(0.75)  # unchanged
    # one member without a CINC: NA for the whole year, not a zero weight
    del cinc["PRK"]
    df = sim.similarity([1951], data=with_cinc(coll, cinc, 1951))
    assert df["s_weighted"].isna().all() and df["s"].notna().all()


def test_weighted_s_from_the_first_year_of_capabilities(coll):
    # capabilities cover from 1946; ATOP too. COW 1946: AUS CHN PHL RUS USA
    cinc = dict.fromkeys(["AUS", "CHN", "PHL", "RUS", "USA"], 0.1)
    for year, present in ((1945, False), (1946, True)):
        df = sim.similarity([year], portfolio="atop", data=with_cinc(coll, cinc, year))
        assert df["s_weighted"].notna().all() == present, year
        assert df["s_weighted"].isna().all() != present, year


def test_weighted_s_na_outside_capabilities_coverage(coll):
    # capabilities cover 1946-2022: a CINC for every member in 2023 is not used
    cinc = dict.fromkeys(["AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "RUS", "USA"], .1)
    df = sim.similarity([2022, 2023], data=with_cinc(with_cinc(coll, cinc, 2022), cinc, 2023))
    assert df.loc[df["year"] == 2022, "s_weighted"].notna().all()
    assert list(df.index) == list(range(len(df)))
    assert df.loc[df["year"] == 2023, "s_weighted"].isna().all()
    assert df.loc[df["year"] == 2023, "s"].notna().all()
    # equal weights: the weighted S is the S
    y22 = df[df["year"] == 2022]
    assert np.allclose(y22["s_weighted"], y22["s"])


def test_similarity_attrs_and_usage(coll):
    df = sim.similarity([2020], s_distance="squared", chance_distance="nominal", valued=False,
                        data=coll)
    assert df.attrs == {"system": "cow", "portfolio": "agreements", "s_distance": "squared",
                        "chance_distance": "nominal", "valued": False}
    d = sim.similarity([2020], system="gw", data=coll)
    assert d.attrs == {"system": "gw", "portfolio": "agreements", "s_distance": "linear",
                       "chance_distance": "squared", "valued": True}
    assert {"method:signorino1999", "method:hage2011"} <= set(usage.used())


def test_similarity_empty_years(coll):
    df = sim.similarity([], data=coll)
    assert df.empty and list(df.columns) == COLS


def test_similarity_years_in_order_given(coll):
    df = sim.similarity([2020, 1951], data=coll)
    assert list(df["year"].unique()) == [2020, 1951]
    assert len(df) == 36 + 28


def test_similarity_defaults_match_explicit(coll):
    a = sim.similarity([2010], data=coll)
    b = sim.similarity([2010], system="cow", portfolio="agreements", s_distance="linear",
                       chance_distance="squared", valued=True, data=coll)
    pd.testing.assert_frame_equal(a, b)


def test_similarity_bad_parameters(coll):
    with pytest.raises(apr.ParameterError,
                       match=r"system='cow2' is not valid; valid: 'cow', 'gw', 'all'\."):
        sim.similarity([2010], system="cow2", data=coll)
    with pytest.raises(apr.ParameterError,
                       match=r"portfolio='ATOP' is not valid; valid: 'agreements', 'atop'\."):
        sim.similarity([2010], portfolio="ATOP", data=coll)
    with pytest.raises(apr.ParameterError, match="s_distance='euclid' is not valid"):
        sim.similarity([2010], s_distance="euclid", data=coll)
    with pytest.raises(apr.ParameterError, match="chance_distance='euclid' is not valid"):
        sim.similarity([2010], chance_distance="euclid", data=coll)
