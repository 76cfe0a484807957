"""Dyad-year and state-year panels on the hand-made fixture (tests/conftest.py): every column
checked against values worked out from the fixture's rows, NA exactly outside coverage."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import panels, systems, usage

T = pd.Timestamp
ACTORS = ["AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "RUS", "USA"]
FLAGS = ["defense", "offense", "neutrality", "nonaggression", "consultation"]
COLS = ["year", "iso3_a", "iso3_b", "ccode_a", "ccode_b", *FLAGS, "agreements",
        "shared_exercises", "engagements", "channel", "incidents", "intensity", "milex_ratio",
        "cinc_ratio", "distance_km"]
STATE_COLS = ["iso3", "year", "ccode", "defence_allies", "agreement_partners",
              "exercise_partners", "exercise_editions", "engagements", "incidents_initiated",
              "incidents_targeted", "constant_usd_m", "share_gdp_pct", "cinc"]


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    """The fixture folder as a Collection, validated once for the module (read-only)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return apr.collection(write_folder(tmp_path_factory.mktemp("mini") / "data"))


@pytest.fixture(scope="module")
def dy(coll):
    """2009-2025: every fixture actor is a COW member, every table but ATOP in coverage."""
    return panels.dyad_years(2009, 2025, data=coll)


@pytest.fixture(scope="module")
def dd(coll):
    return panels.dyad_years(2009, 2025, directed=True, data=coll)


def row(df, year, a, b):
    r = df[(df["year"] == year) & (df["iso3_a"] == a) & (df["iso3_b"] == b)]
    assert len(r) == 1, (year, a, b, len(r))
    return r.iloc[0]


def nonzero(df, col):
    """{(year, a, b): value} where the column is neither 0 nor NA."""
    v = df[col]
    keep = v.notna() & (v != 0)
    return {(int(y), str(a), str(b)): float(x) for y, a, b, x in
            zip(df["year"][keep], df["iso3_a"][keep], df["iso3_b"][keep], v[keep], strict=True)}


def in_years(df, first, last):
    return df[(df["year"] >= first) & (df["year"] <= last)]


# --------------------------------------------------------------------------- universe
def test_columns_and_types(dy):
    assert list(dy.columns) == COLS
    assert dy["iso3_a"].dtype == "category" and dy["iso3_a"].cat.ordered
    assert list(dy["iso3_a"].cat.categories) == ACTORS
    assert list(dy["iso3_b"].cat.categories) == ACTORS
    assert list(dy["channel"].cat.categories) == ["open", "suspended"]
    for col in ["ccode_a", "ccode_b", *FLAGS, "agreements", "shared_exercises", "engagements",
                "incidents", "intensity"]:
        assert dy[col].dtype == "Int64", col
    for col in ("milex_ratio", "cinc_ratio", "distance_km"):
        assert dy[col].dtype == "float64", col
    assert (dy["iso3_a"] < dy["iso3_b"]).all()
    assert not dy.duplicated(["year", "iso3_a", "iso3_b"]).any()
    assert dy["year"].tolist() == sorted(dy["year"])


@pytest.mark.parametrize("system", ["cow", "gw", "all"])
def test_rows_are_the_dyads_of_members(coll, system):
    years = range(1944, 1954)
    u = panels.dyad_years(years[0], years[-1], system=system, data=coll)
    d = panels.dyad_years(years[0], years[-1], directed=True, system=system, data=coll)
    m = systems.members(years, system, data=coll)
    expected, expected_directed = set(), set()
    for y in years:
        codes = sorted(m.loc[m["year"] == y, "iso3"])
        expected |= {(y, a, b) for a, b in itertools.combinations(codes, 2)}
        expected_directed |= {(y, a, b) for a, b in itertools.permutations(codes, 2)}
        n = len(codes)
        assert (u["year"] == y).sum() == n * (n - 1) // 2
        assert (d["year"] == y).sum() == n * (n - 1)
    got = set(zip(u["year"], u["iso3_a"].astype(str), u["iso3_b"].astype(str), strict=True))
    assert got == expected and len(u) == len(expected)
    got = set(zip(d["year"], d["iso3_a"].astype(str), d["iso3_b"].astype(str), strict=True))
    assert got == expected_directed and len(d) == len(expected_directed)


def test_membership_per_system(coll):
    cow = panels.dyad_years(1948, 1952, data=coll)
    # COW 1948: AUS CHN IND PHL PRK RUS USA (7); KOR from 1949; JPN back in 1952
    assert cow.groupby("year").size().to_dict() == {1948: 21, 1949: 28, 1950: 28, 1951: 28,
                                                    1952: 36}
    gw = panels.dyad_years(1948, 1948, system="gw", data=coll)
    assert len(gw) == 36  # Gleditsch-Ward: JPN throughout, KOR from August 1948
    everyone = panels.dyad_years(1900, 1901, system="all", data=coll)
    assert len(everyone) == 2 * 36
    assert everyone.attrs["system"] == "all"
    assert panels.dyad_years(1946, 1946, countries=["JPN", "USA"], data=coll).empty


def test_ccodes_come_from_the_system(coll):
    st = coll["state_system"]
    st.loc[(st["system"] == "cow") & (st["iso3"] == "CHN"), "code"] = 711
    actors = coll["actors"]
    actors["cow_code"] = actors["cow_code"].mask(actors["iso3"] == "KOR")
    c = coll.replace(state_system=st, actors=actors)
    r = row(panels.dyad_years(2000, 2000, data=c), 2000, "CHN", "KOR")
    assert (r["ccode_a"], r["ccode_b"]) == (711, 732)
    r = row(panels.dyad_years(2000, 2000, system="all", data=c), 2000, "CHN", "KOR")
    assert r["ccode_a"] == 710 and pd.isna(r["ccode_b"])  # actors.cow_code; none for KOR
    r = row(panels.dyad_years(2000, 2000, directed=True, data=c), 2000, "KOR", "CHN")
    assert (r["ccode_a"], r["ccode_b"]) == (732, 711)


def test_parameter_errors(coll):
    with pytest.raises(apr.ParameterError, match="start=2001 is after end=2000"):
        panels.dyad_years(2001, 2000, data=coll)
    with pytest.raises(apr.ParameterError, match="start=2001 is after end=2000"):
        panels.state_years(2001, 2000, data=coll)
    with pytest.raises(apr.ParameterError,
                       match=r"countries has unknown value\(s\) 'XXX'; valid: AUS, CHN, IND"):
        panels.dyad_years(2000, 2001, countries=["USA", "XXX"], data=coll)
    with pytest.raises(apr.ParameterError, match="countries is empty"):
        panels.state_years(2000, 2001, countries=[], data=coll)
    with pytest.raises(apr.ParameterError,
                       match=r"system='cow2' is not valid; valid: 'cow', 'gw', 'all'\."):
        panels.dyad_years(2000, 2001, system="cow2", data=coll)
    with pytest.raises(apr.ParameterError, match="system='x' is not valid"):
        panels.state_years(2000, 2001, system="x", data=coll)
    with pytest.raises(apr.ParameterError,
                       match=r"portfolio='ATOP' is not valid; valid: 'agreements', 'atop'\."):
        panels.dyad_years(2000, 2001, portfolio="ATOP", data=coll)


def test_countries_filter(coll):
    d = panels.dyad_years(2010, 2012, countries=["USA", "JPN", "CHN"], data=coll)
    assert len(d) == 3 * 3
    assert list(d["iso3_a"].cat.categories) == ["CHN", "JPN", "USA"]
    assert row(d, 2010, "CHN", "USA")["channel"] == "suspended"
    assert row(d, 2010, "JPN", "USA")["defense"] == 1
    one = panels.dyad_years(2010, 2010, countries="USA", data=coll)  # a string is one code
    assert one.empty and list(one.columns) == COLS
    full = panels.dyad_years(2010, 2012, data=coll)
    sub = full[full["iso3_a"].isin(["CHN", "JPN", "USA"]) & full["iso3_b"].isin(
        ["CHN", "JPN", "USA"])]
    a = d.astype({"iso3_a": str, "iso3_b": str, "channel": str}).reset_index(drop=True)
    b = sub.astype({"iso3_a": str, "iso3_b": str, "channel": str}).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)  # the filter changes nothing but the rows


def test_single_year_panel(coll):
    d = panels.dyad_years(2010, 2010, data=coll)
    assert len(d) == 36
    assert row(d, 2010, "CHN", "USA")["channel"] == "suspended"
    assert row(d, 2010, "JPN", "USA")["defense"] == 1
    assert row(d, 2010, "KOR", "PRK")["incidents"] == 2
    d = panels.dyad_years(2022, 2022, directed=True, data=coll)
    assert row(d, 2022, "USA", "CHN")["channel"] == "suspended"


def test_last_year_of_the_panel(dy):
    # the panel's last year (2025, also the last of coverage) has its ties like any other
    r = row(dy, 2025, "JPN", "USA")
    assert (r["defense"], r["consultation"], r["agreements"]) == (1, 1, 3)
    assert row(dy, 2025, "CHN", "USA")["channel"] == "open"


def test_countries_filter_drops_other_states_events(coll):
    # PRK is left out: its incidents against KOR and JPN are not counted, nor ATOP's CHN-PRK
    d = panels.dyad_years(2010, 2017, countries=["KOR", "JPN", "USA", "CHN"], data=coll)
    assert (d["incidents"] == 0).all() and (d["intensity"] == 0).all()
    a = panels.dyad_years(1960, 2010, countries=["KOR", "USA", "CHN"], portfolio="atop",
                          data=coll)
    assert nonzero(a, "defense") == {(1960, "KOR", "USA"): 1}
    two = panels.dyad_years(2012, 2012, countries=["PHL", "CHN"], directed=True, data=coll)
    assert row(two, 2012, "CHN", "PHL")["incidents"] == 3
    assert row(two, 2012, "PHL", "CHN")["incidents"] == 0


def test_suspension_without_resumption(coll):
    # a suspension between KOR and PRK in 2015, never lifted: suspended from 2015 on
    eng = coll["engagements"]
    extra = eng.iloc[[0]].assign(engagement_id="2015-05-05-suspension", date=T("2015-05-05"),
                                 participants="KOR;PRK", initiator="PRK")
    c = coll.replace(engagements=pd.concat([eng, extra], ignore_index=True))
    d = panels.dyad_years(2014, 2016, data=c)
    assert [row(d, y, "KOR", "PRK")["channel"] for y in (2014, 2015, 2016)] == [
        "open", "suspended", "suspended"]
    assert row(d, 2015, "KOR", "PRK")["engagements"] == 1


def test_attrs_and_usage(coll):
    u = panels.dyad_years(2010, 2010, data=coll)
    assert u.attrs == {"system": "cow", "unit": "dyad-year", "portfolio": "agreements"}
    d = panels.dyad_years(2010, 2010, directed=True, system="gw", portfolio="atop", data=coll)
    assert d.attrs == {"system": "gw", "unit": "directed dyad-year", "portfolio": "atop"}
    assert "method:peacesciencer" in usage.used()
    s = panels.state_years(2010, 2010, system="all", data=coll)
    assert s.attrs == {"system": "all", "unit": "state-year"}


# --------------------------------------------------------------------------- alliances
def test_alliance_columns(dy):
    y20 = dy[dy["year"] == 2020]
    assert nonzero(y20, "defense") == {(2020, "AUS", "USA"): 1, (2020, "JPN", "USA"): 1,
                                       (2020, "KOR", "USA"): 1}
    assert nonzero(y20, "consultation") == {(2020, "JPN", "USA"): 1, (2020, "AUS", "JPN"): 1}
    for o in ("offense", "neutrality", "nonaggression"):
        assert (dy[o] == 0).all()
    r = row(dy, 2020, "JPN", "USA")
    assert r["agreements"] == 3  # treaty, Quad, forum
    assert row(dy, 2020, "AUS", "JPN")["agreements"] == 3  # security pact, Quad, forum
    assert row(dy, 2020, "KOR", "USA")["agreements"] == 2  # treaty, forum
    assert row(dy, 2020, "CHN", "PHL")["agreements"] == 1  # the forum only
    assert row(dy, 2016, "AUS", "USA")["agreements"] == 2  # no Quad before 2017
    assert row(dy, 2020, "IND", "USA")["agreements"] == 0
    # forum 15 pairs + Quad 3 + jpn-aus 1 + three US treaties
    assert int(y20["agreements"].sum()) == 22


def test_alliance_columns_early_years(coll):
    d = panels.dyad_years(1955, 1975, data=coll)
    assert row(d, 1960, "PHL", "USA")["defense"] == 1
    assert row(d, 1961, "PHL", "USA")["defense"] == 0  # the treaty ended in 1960
    assert row(d, 1961, "CHN", "KOR")["defense"] == 1  # signed 1961
    assert row(d, 1960, "CHN", "KOR")["defense"] == 0
    assert row(d, 1970, "CHN", "KOR")["agreements"] == 1  # KOR left on 1 January 1970
    assert row(d, 1971, "CHN", "KOR")["agreements"] == 0
    assert row(d, 1965, "JPN", "USA")["consultation"] == 1


def test_atop_portfolio(coll):
    d = panels.dyad_years(1945, 2020, portfolio="atop", data=coll)
    assert "agreements" not in d.columns
    assert list(d.columns) == [c for c in COLS if c != "agreements"]
    # ATOP rows: 1960 JPN-USA (defence, consultation), KOR-USA; 2010 JPN-USA, AUS-USA, CHN-PRK
    assert nonzero(d, "defense") == {(1960, "JPN", "USA"): 1, (1960, "KOR", "USA"): 1,
                                     (2010, "JPN", "USA"): 1, (2010, "AUS", "USA"): 1,
                                     (2010, "CHN", "PRK"): 1}
    assert nonzero(d, "consultation") == {(1960, "JPN", "USA"): 1, (2010, "JPN", "USA"): 1}
    assert row(d, 1960, "AUS", "USA")["defense"] == 0  # the fixture's ATOP lacks it
    # ATOP covers 1946-2018
    for y, na in ((1945, True), (1946, False), (2018, False), (2019, True), (2020, True)):
        part = d[d["year"] == y]
        assert part["defense"].isna().all() == na and part["defense"].notna().all() != na, y
    # the other columns do not depend on the portfolio
    assert row(d, 2014, "CHN", "USA")["shared_exercises"] == 1
    dd = panels.dyad_years(2010, 2010, directed=True, portfolio="atop", data=coll)
    assert row(dd, 2010, "PRK", "CHN")["defense"] == 1 and row(dd, 2010, "CHN", "PRK")[
        "defense"] == 1
    assert row(dd, 2010, "USA", "JPN")["consultation"] == 1


# --------------------------------------------------------------------------- other columns
def test_shared_exercises(dy, coll):
    rimpac14 = ["AUS", "CHN", "JPN", "USA"]
    rimpac18 = ["AUS", "JPN", "KOR", "USA"]  # PHL only observed: no shared edition
    malabar20 = ["AUS", "IND", "JPN", "USA"]
    expected = {(2014, a, b): 1 for a, b in itertools.combinations(rimpac14, 2)}
    expected |= {(2018, a, b): 1 for a, b in itertools.combinations(rimpac18, 2)}
    expected |= {(2020, a, b): 1 for a, b in itertools.combinations(malabar20, 2)}
    expected |= {(2017, "KOR", "USA"): 1, (2019, "CHN", "RUS"): 1}
    assert nonzero(dy, "shared_exercises") == expected
    assert dy["shared_exercises"].notna().all()  # in coverage: zeros, not NA
    d = panels.dyad_years(1984, 1986, data=coll)
    assert nonzero(d, "shared_exercises") == {(1985, "JPN", "USA"): 1}  # Cope North (MME)


def test_engagements(dy):
    # the 2020 meeting of three counts for each of its three pairs; the 2019 forum
    # appearance of CHN alone ties no pair
    assert nonzero(dy, "engagements") == {
        (2010, "CHN", "USA"): 1, (2011, "CHN", "USA"): 1, (2014, "CHN", "USA"): 1,
        (2018, "PHL", "USA"): 1, (2020, "AUS", "JPN"): 1, (2020, "AUS", "USA"): 1,
        (2020, "JPN", "USA"): 1, (2022, "CHN", "USA"): 1, (2023, "CHN", "USA"): 1,
        (2024, "JPN", "PHL"): 1}
    assert dy["engagements"].notna().all()


def test_engagements_count_every_meeting(coll):
    eng = coll["engagements"]
    extra = eng.iloc[[5]].assign(engagement_id="2020-09-01-meeting", date=T("2020-09-01"))
    c = coll.replace(engagements=pd.concat([eng, extra], ignore_index=True))
    d = panels.dyad_years(2020, 2020, data=c)
    assert row(d, 2020, "AUS", "JPN")["engagements"] == 2
    assert row(d, 2020, "JPN", "USA")["engagements"] == 2


def test_channel(dy, dd):
    # CHN-USA: suspended 30 January 2010, resumed 9 January 2011; suspended 5 August 2022,
    # resumed 15 November 2023: the status on 31 December
    sus = dy[dy["channel"] == "suspended"]
    assert {(int(y), str(a), str(b)) for y, a, b in zip(sus["year"], sus["iso3_a"],
                                                        sus["iso3_b"], strict=True)} == {
        (2010, "CHN", "USA"), (2022, "CHN", "USA")}
    assert row(dy, 2011, "CHN", "USA")["channel"] == "open"
    assert row(dy, 2023, "CHN", "USA")["channel"] == "open"
    assert dy["channel"].notna().all()
    assert row(dd, 2010, "USA", "CHN")["channel"] == "suspended"
    assert row(dd, 2010, "CHN", "USA")["channel"] == "suspended"
    assert row(dd, 2022, "USA", "CHN")["channel"] == "suspended"


def test_incidents(dy, dd):
    # undirected: either way. 2010 PRK->KOR twice (5 + 5); 2012 CHN->PHL three (3 + 3 + 2);
    # 2014 CHN->PHL (3); 2017 PRK->JPN (4); the 2016 test has no target
    assert nonzero(dy, "incidents") == {(2010, "KOR", "PRK"): 2, (2012, "CHN", "PHL"): 3,
                                        (2014, "CHN", "PHL"): 1, (2017, "JPN", "PRK"): 1}
    assert nonzero(dy, "intensity") == {(2010, "KOR", "PRK"): 10, (2012, "CHN", "PHL"): 8,
                                        (2014, "CHN", "PHL"): 3, (2017, "JPN", "PRK"): 4}
    # directed: from a to b
    assert nonzero(dd, "incidents") == {(2010, "PRK", "KOR"): 2, (2012, "CHN", "PHL"): 3,
                                        (2014, "CHN", "PHL"): 1, (2017, "PRK", "JPN"): 1}
    assert nonzero(dd, "intensity") == {(2010, "PRK", "KOR"): 10, (2012, "CHN", "PHL"): 8,
                                        (2014, "CHN", "PHL"): 3, (2017, "PRK", "JPN"): 4}
    assert row(dd, 2012, "PHL", "CHN")["incidents"] == 0
    assert row(dy, 2011, "CHN", "PHL")["incidents"] == 0  # in coverage: a true zero


def test_ratios(dy, dd):
    # milex (constant US$ m) 2018-2022: CHN 100 110 121 - 146.41; USA 200 200 220 242 242;
    # IND 50 55 60.5 66.55 73.205
    got = {k: v for k, v in nonzero(dy, "milex_ratio").items()}
    expected = {}
    for y, chn, usa, ind in zip(range(2018, 2023), [100, 110, 121, None, 146.41],
                                [200, 200, 220, 242, 242], [50, 55, 60.5, 66.55, 73.205],
                                strict=True):
        expected[(y, "IND", "USA")] = ind / usa
        if chn is not None:  # China's 2021 is unknown: NA
            expected[(y, "CHN", "USA")] = chn / usa
            expected[(y, "CHN", "IND")] = chn / ind
    assert got.keys() == expected.keys()
    for k, v in expected.items():
        assert got[k] == pytest.approx(v), k
    assert row(dy, 2018, "CHN", "USA")["milex_ratio"] == 0.5
    assert row(dd, 2018, "USA", "CHN")["milex_ratio"] == 2.0  # a's over b's
    assert pd.isna(row(dy, 2021, "CHN", "USA")["milex_ratio"])
    # CINC: CHN 0.2 0.21, USA 0.15 0.14 in 2018-2019
    assert nonzero(dy, "cinc_ratio") == pytest.approx({(2018, "CHN", "USA"): 0.2 / 0.15,
                                                       (2019, "CHN", "USA"): 1.5})
    assert row(dd, 2019, "USA", "CHN")["cinc_ratio"] == pytest.approx(0.14 / 0.21)


def test_ratio_of_zero_is_na(coll):
    m = coll["milex"]
    m.loc[(m["iso3"] == "USA") & (m["year"] == 2018), "constant_usd_m"] = 0.0
    d = panels.dyad_years(2018, 2018, directed=True, data=coll.replace(milex=m))
    assert pd.isna(row(d, 2018, "CHN", "USA")["milex_ratio"])  # division by 0: NA, not inf
    assert row(d, 2018, "USA", "CHN")["milex_ratio"] == 0.0


def test_capital_distances_hand_worked():
    pts = pd.DataFrame({"lat": [0.0, 0.0, 0.0, 90.0], "lon": [0.0, 90.0, 180.0, 0.0]})
    d = panels.capital_distances(pts)
    r = 6371.0088
    q = math.pi * r / 2  # a quarter of a great circle
    assert d == pytest.approx(np.array([[0, q, 2 * q, q], [q, 0, q, q], [2 * q, q, 0, q],
                                        [q, q, q, 0]]))


def test_distance_km(dy, dd, coll):
    actors = coll["actors"].set_index("iso3")

    def cosines(a, b):  # the spherical law of cosines, another way to the same distance
        la, lb = np.radians(actors.loc[a, "lat"]), np.radians(actors.loc[b, "lat"])
        dl = np.radians(actors.loc[a, "lon"] - actors.loc[b, "lon"])
        return 6371.0088 * math.acos(math.sin(la) * math.sin(lb)
                                     + math.cos(la) * math.cos(lb) * math.cos(dl))

    for a, b in [("JPN", "KOR"), ("AUS", "USA"), ("CHN", "IND"), ("PHL", "RUS")]:
        assert row(dy, 2015, a, b)["distance_km"] == pytest.approx(cosines(a, b), rel=1e-9)
        assert row(dd, 2015, b, a)["distance_km"] == pytest.approx(cosines(a, b), rel=1e-9)
    assert 1100 < row(dy, 2018, "JPN", "KOR")["distance_km"] < 1200  # Tokyo-Seoul
    assert dy.groupby(["iso3_a", "iso3_b"], observed=True)["distance_km"].nunique().eq(1).all()


# --------------------------------------------------------------------------- coverage
def test_na_outside_coverage_at_the_start(coll):
    d = panels.dyad_years(1945, 1995, data=coll)
    spans = {"agreements": (1950, ["defense", "offense", "neutrality", "nonaggression",
                                   "consultation", "agreements"]),
             "exercises": (1980, ["shared_exercises"]),
             "engagements": (1990, ["engagements"]),
             "incidents": (1990, ["incidents", "intensity"])}
    for table, (first, cols) in spans.items():
        assert coll.coverage(table)[0] == first
        before, after = d[d["year"] < first], d[d["year"] >= first]
        for col in cols:
            assert before[col].isna().all(), (table, col)
            assert after[col].notna().all(), (table, col)
    assert d.loc[d["year"] < 1990, "channel"].isna().all()
    assert (d.loc[d["year"] >= 1990, "channel"] == "open").all()
    # distances and codes are not from a covered table: never NA
    assert d["distance_km"].notna().all() and d["ccode_a"].notna().all()


def test_na_outside_coverage_at_the_end(coll):
    d = panels.dyad_years(2024, 2027, data=coll)
    inside, outside = d[d["year"] <= 2025], d[d["year"] > 2025]
    for col in [*FLAGS, "agreements", "shared_exercises", "engagements", "channel",
                "incidents", "intensity"]:
        assert outside[col].isna().all(), col
        assert inside[col].notna().all(), col
    assert (inside["defense"].astype(float).sum()) == 2 * 3


def test_na_follows_declared_coverage(coll):
    # the same tables with narrower declared coverage
    c = apr.Collection.from_frames({k: coll[k] for k in coll},
                                   coverage={"incidents": (2011, 2013),
                                             "engagements": (2011, 2021),
                                             "exercises": (2015, 2025),
                                             "agreements": (2000, 2018)})
    d = panels.dyad_years(2010, 2022, data=c)
    assert row(d, 2012, "CHN", "PHL")["incidents"] == 3
    assert pd.isna(row(d, 2010, "KOR", "PRK")["incidents"])
    assert pd.isna(row(d, 2014, "CHN", "PHL")["intensity"])
    assert pd.isna(row(d, 2010, "CHN", "USA")["engagements"])
    assert pd.isna(row(d, 2010, "CHN", "USA")["channel"])
    assert row(d, 2011, "CHN", "USA")["channel"] == "open"
    assert pd.isna(row(d, 2022, "CHN", "USA")["channel"])  # suspended, but not covered
    assert pd.isna(row(d, 2014, "CHN", "USA")["shared_exercises"])
    assert row(d, 2018, "JPN", "USA")["shared_exercises"] == 1
    assert pd.isna(row(d, 2019, "JPN", "USA")["defense"])
    assert row(d, 2018, "JPN", "USA")["agreements"] == 3  # treaty, Quad, forum


def test_channel_na_when_engagements_not_covered_at_all(coll):
    d = panels.dyad_years(1980, 1985, data=coll)
    assert d["channel"].isna().all() and d["engagements"].isna().all()


# --------------------------------------------------------------------------- directed
def test_directed_holds_both_orders(dy, dd):
    assert len(dd) == 2 * len(dy)
    assert not dd.duplicated(["year", "iso3_a", "iso3_b"]).any()
    assert (dd["iso3_a"] != dd["iso3_b"]).all()
    rev = dd.rename(columns={"iso3_a": "iso3_b", "iso3_b": "iso3_a", "ccode_a": "ccode_b",
                             "ccode_b": "ccode_a"})
    both = dd.merge(rev, on=["year", "iso3_a", "iso3_b"], suffixes=("", "_rev"))
    assert len(both) == len(dd)
    sym = [*FLAGS, "agreements", "shared_exercises", "engagements", "channel", "distance_km",
           "ccode_a", "ccode_b"]
    for col in sym:  # symmetric relations are symmetric
        left, right = both[col].astype(object), both[f"{col}_rev"].astype(object)
        assert ((left == right) | (left.isna() & right.isna())).all(), col
    # undirected rows equal their directed a < b rows, but for incidents (added both ways)
    fwd = dd[dd["iso3_a"] < dd["iso3_b"]].reset_index(drop=True)
    cols = [c for c in COLS if c not in ("incidents", "intensity")]
    pd.testing.assert_frame_equal(fwd[cols].astype({"iso3_a": str, "iso3_b": str}),
                                  dy[cols].reset_index(drop=True).astype(
                                      {"iso3_a": str, "iso3_b": str}))
    sa, sb = dd["iso3_a"].astype(str), dd["iso3_b"].astype(str)
    fold = dd.assign(lo=np.minimum(sa, sb), hi=np.maximum(sa, sb))
    for col in ("incidents", "intensity"):
        summed = fold.groupby(["year", "lo", "hi"])[col].sum()
        got = dy.astype({"iso3_a": str, "iso3_b": str}).set_index(
            ["year", "iso3_a", "iso3_b"])[col]
        assert (summed.to_numpy() == got.to_numpy()).all()


# --------------------------------------------------------------------------- state-years
def test_state_years_values(coll):
    s = panels.state_years(2009, 2025, data=coll)
    assert list(s.columns) == STATE_COLS
    assert len(s) == 17 * 9
    assert s[["iso3", "year"]].apply(tuple, axis=1).tolist() == sorted(
        itertools.product(ACTORS, range(2009, 2026)))
    s = s.set_index(["iso3", "year"])
    assert s.loc[("USA", 2020), "defence_allies"] == 3  # JPN, KOR, AUS
    assert s.loc[("USA", 2020), "agreement_partners"] == 5  # and PHL, CHN in the forum
    assert s.loc[("IND", 2020), "agreement_partners"] == 0
    assert s.loc[("USA", 2014), "exercise_partners"] == 3  # RIMPAC 2014: JPN AUS CHN
    assert s.loc[("USA", 2018), "exercise_editions"] == 1
    assert s.loc[("PHL", 2018), "exercise_editions"] == 0  # an observer does not take part
    assert s.loc[("CHN", 2019), "engagements"] == 1  # its forum appearance, alone
    assert s.loc[("CHN", 2019), "exercise_partners"] == 1  # RUS in Joint Sea
    assert s.loc[("USA", 2020), "engagements"] == 1
    assert s.loc[("IND", 2020), "engagements"] == 0  # no engagement: 0
    assert s.loc[("IND", 2019), "exercise_editions"] == 0
    assert s.loc[("CHN", 2012), "incidents_initiated"] == 3
    assert s.loc[("PHL", 2012), "incidents_targeted"] == 3
    assert s.loc[("PHL", 2012), "incidents_initiated"] == 0
    assert s.loc[("PRK", 2010), "incidents_initiated"] == 2
    assert s.loc[("CHN", 2018), "constant_usd_m"] == 100
    assert s.loc[("CHN", 2018), "share_gdp_pct"] == 1.5
    assert np.isnan(s.loc[("CHN", 2021), "constant_usd_m"])
    assert s.loc[("USA", 2019), "cinc"] == 0.14
    assert np.isnan(s.loc[("USA", 2020), "cinc"])
    assert s.loc[("JPN", 2020), "ccode"] == 740
    for col in STATE_COLS[2:10]:
        assert s[col].dtype == "Int64", col
    assert s[STATE_COLS[3:10]].notna().all().all()  # all covered 2009-2025


def test_state_years_agree_with_dyad_years(coll):
    for start, end in ((1975, 1995), (2009, 2025)):
        s = panels.state_years(start, end, data=coll).set_index(["iso3", "year"])
        d = panels.dyad_years(start, end, directed=True, data=coll).astype(
            {"iso3_a": str, "iso3_b": str})
        g = d.groupby(["iso3_a", "year"])
        pairs = {"defence_allies": g["defense"].sum(min_count=1),
                 "agreement_partners": g["agreements"].agg(lambda x: (x > 0).sum(min_count=1)),
                 "exercise_partners": g["shared_exercises"].agg(
                     lambda x: (x > 0).sum(min_count=1)),
                 "incidents_initiated": g["incidents"].sum(min_count=1),
                 "incidents_targeted": d.groupby(["iso3_b", "year"])["incidents"].sum(
                     min_count=1)}
        for col, expected in pairs.items():
            expected.index.names = ["iso3", "year"]
            got = s[col].reindex(expected.index)
            assert ((got.astype("Float64") == expected.astype("Float64")).fillna(False)
                    | (got.isna() & expected.isna())).all(), col
        assert set(s.index) == set(zip(d["iso3_a"], d["year"], strict=True))


def test_state_years_coverage(coll):
    s = panels.state_years(1945, 1995, data=coll).set_index(["iso3", "year"])
    spans = {"defence_allies": 1950, "agreement_partners": 1950, "exercise_partners": 1980,
             "exercise_editions": 1980, "engagements": 1990, "incidents_initiated": 1990,
             "incidents_targeted": 1990}
    years = s.index.get_level_values("year")
    for col, first in spans.items():
        assert s.loc[years < first, col].isna().all(), col
        assert s.loc[years >= first, col].notna().all(), col
    assert s.loc[("JPN", 1985), "exercise_editions"] == 1  # Cope North 85
    assert s.loc[("USA", 1985), "exercise_partners"] == 1
    assert ("JPN", 1950) not in s.index  # not a COW member
    late = panels.state_years(2025, 2026, data=coll).set_index(["iso3", "year"])
    ly = late.index.get_level_values("year")
    for col in spans:
        assert late.loc[ly == 2026, col].isna().all() and late.loc[ly == 2025, col].notna(
            ).all(), col


def test_state_years_single_state(coll):
    # USA alone: no dyads, yet its own counts are 0 inside coverage and NA outside
    s = panels.state_years(1949, 1990, countries=["USA"], data=coll).set_index("year")
    assert len(s) == 42 and (s["ccode"] == 2).all()
    assert pd.isna(s.loc[1949, "defence_allies"]) and s.loc[1950, "defence_allies"] == 0
    assert pd.isna(s.loc[1989, "incidents_initiated"]) and s.loc[1990, "incidents_targeted"] == 0
    assert s.loc[1985, "exercise_editions"] == 1  # a count of its own, not of dyads
    assert s.loc[1985, "exercise_partners"] == 0  # JPN is not in the panel
    assert pd.isna(s.loc[1979, "exercise_editions"])


def test_state_years_two_states(coll):
    # one partner each: the sums are over a single dyad
    s = panels.state_years(2012, 2014, countries=["CHN", "PHL"], data=coll).set_index(
        ["iso3", "year"])
    assert s.loc[("PHL", 2012), "incidents_targeted"] == 3
    assert s.loc[("CHN", 2012), "incidents_initiated"] == 3
    assert s.loc[("CHN", 2012), "incidents_targeted"] == 0
    assert s.loc[("PHL", 2014), "incidents_targeted"] == 1
    assert s.loc[("CHN", 2014), "exercise_partners"] == 0  # its RIMPAC partners are left out
    assert s.loc[("CHN", 2014), "exercise_editions"] == 1  # but the edition is its own
    assert s.loc[("CHN", 2013), "agreement_partners"] == 1  # the forum with PHL
    assert s.loc[("CHN", 2013), "defence_allies"] == 0
    s = panels.state_years(2014, 2014, countries=["JPN", "USA"], data=coll).set_index("iso3")
    assert s.loc["USA", "defence_allies"] == 1 and s.loc["JPN", "defence_allies"] == 1
    assert s.loc["USA", "exercise_partners"] == 1  # RIMPAC 2014
    assert s.loc["USA", "agreement_partners"] == 1
    assert s.loc["USA", "engagements"] == 1  # with CHN: the count is the state's own


def test_state_years_missing_code(coll):
    actors = coll["actors"]
    actors["cow_code"] = actors["cow_code"].mask(actors["iso3"] == "KOR")
    s = panels.state_years(2000, 2000, system="all", data=coll.replace(actors=actors))
    s = s.set_index("iso3")
    assert pd.isna(s.loc["KOR", "ccode"]) and s.loc["JPN", "ccode"] == 740


def test_state_years_systems(coll):
    cow = panels.state_years(1950, 1950, data=coll)
    gw = panels.state_years(1950, 1950, system="gw", data=coll)
    assert "JPN" not in set(cow["iso3"]) and "JPN" in set(gw["iso3"])
    assert len(gw) == 9 and len(cow) == 8
    allsys = panels.state_years(1900, 1900, system="all", data=coll)
    assert len(allsys) == 9 and allsys["defence_allies"].isna().all()  # before coverage
