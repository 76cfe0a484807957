"""Tensions on the hand-made fixture (tests/conftest.py); answers worked by hand.

The fixture's incidents (the table's declared coverage is 1990-2025):

* k1 2010-03-26 Korean Peninsula PRK->KOR severity 5   * k2 2010-11-23 PRK->KOR 5
* s1 2012-04-10 (to 2012-06-15) South China Sea CHN->PHL 3  * s2 2012-05-01 CHN->PHL 3
* s3 2012-07-10 CHN->PHL 2                              * s4 2014-05-02 CHN->PHL 3
* k3 2016-01-06 PRK, no target, 4                       * k4 2017-08-29 PRK->JPN 4
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from conftest import INCIDENTS, write_folder
from hypothesis import given, settings
from hypothesis import strategies as st

import apresearch as apr
from apresearch import tensions as ten

SUMMARY_KEYS = ["events", "events_outside_span", "window_days", "mean_change",
                "baseline_mean", "baseline_sd", "p_lower", "p_upper", "p_two_sided"]


def incidents(dates, *, theatre="South China Sea", coverage=(2000, 2001), ends=None,
              initiators=None, targets=None, severities=None):
    """A collection of incidents on ``dates`` (with the declared ``coverage``)."""
    n = len(dates)
    df = pd.DataFrame({
        "incident_id": [f"i{i:03d}" for i in range(n)],
        "date": pd.to_datetime(list(dates)),
        "end_date": pd.to_datetime(list(ends) if ends is not None else [pd.NaT] * n),
        "theatre": [theatre] * n if isinstance(theatre, str) else list(theatre),
        "initiator": list(initiators) if initiators is not None else ["CHN"] * n,
        "target": pd.array(list(targets) if targets is not None else ["PHL"] * n,
                           dtype="string"),
        "severity": pd.array(list(severities) if severities is not None else [1] * n,
                             dtype="Int64"),
    })
    return apr.Collection.from_frames({"incidents": df}, coverage={"incidents": coverage})


def _fixture_incidents():
    """The fixture's incidents as a collection built from frames (for hypothesis, which
    cannot use function-scoped fixtures)."""
    df = pd.read_csv(io.StringIO(INCIDENTS), parse_dates=["date", "end_date"])
    df = df.astype({"target": "string", "severity": "Int64"})
    return apr.Collection.from_frames({"incidents": df})


FIXTURE_INCIDENTS = _fixture_incidents()


# --------------------------------------------------------------------------- selection
def test_select(c):
    s = ten.select(2010, 2017, data=c)
    assert s["incident_id"].tolist() == ["k1", "k2", "s1", "s2", "s3", "s4", "k3", "k4"]
    assert ten.select(2012, 2012, theatre="South China Sea", data=c)["incident_id"].tolist() \
        == ["s1", "s2", "s3"]
    assert ten.select(2010, 2017, theatre="all", data=c).equals(s)
    assert ten.select(2010, 2017, theatre=None, data=c).equals(s)
    both = ten.select(2010, 2017, theatre=["Korean Peninsula", "Taiwan Strait"], data=c)
    assert both["incident_id"].tolist() == ["k1", "k2", "k3", "k4"]
    assert ten.select(2011, 2011, data=c).empty
    assert ten.select(2016, 2017, data=c)["incident_id"].tolist() == ["k3", "k4"]  # inclusive
    assert list(s.columns) == list(c.view("incidents").columns)
    assert s.index.tolist() == list(range(8))


def test_select_sorted_by_date_then_id():
    col = incidents(["2000-05-02", "2000-05-01", "2000-05-01"])
    assert ten.select(2000, 2000, data=col)["incident_id"].tolist() == ["i001", "i002", "i000"]


def test_theatre_errors(c):
    with pytest.raises(apr.ParameterError,
                       match="theatre='Yellow Sea' is not valid; valid: 'all', 'South China "
                             "Sea'"):
        ten.select(2012, 2012, theatre="Yellow Sea", data=c)
    with pytest.raises(apr.ParameterError,
                       match=r"theatre has unknown value\(s\) 'Yellow Sea'; valid: South China "
                             "Sea, East China Sea"):
        ten.intensity(2012, 2012, theatre=["Korean Peninsula", "Yellow Sea"], data=c)
    for f in (ten.escalation_episodes, ten.milestones):
        with pytest.raises(apr.ParameterError, match="theatre="):
            f(theatre="Yellow Sea", data=c) if f is ten.escalation_episodes else f(
                2010, 2012, theatre="Yellow Sea", data=c)
    with pytest.raises(apr.ParameterError, match="theatre="):
        ten.event_study(["2012-05-01", "2013-05-01"], theatre="Yellow Sea", data=c)
    with pytest.raises(apr.ParameterError, match="theatre="):
        ten.tension_matrix(2010, 2012, theatre="Yellow Sea", data=c)
    with pytest.raises(apr.ParameterError, match="theatre="):
        ten.top_dyads(2010, 2012, theatre="Yellow Sea", data=c)
    assert len(ten.THEATRES) == 8 and ten.THEATRES[0] == "South China Sea"


# --------------------------------------------------------------------------- intensity
def test_intensity_by_year(c):
    t = ten.intensity(1989, 2026, data=c)
    assert list(t.columns) == ["period", "theatre", "count", "intensity"]
    assert len(t) == 38 * 8  # every year and every theatre
    assert str(t["count"].dtype) == "Int64" and str(t["intensity"].dtype) == "Int64"
    t = t.set_index(["period", "theatre"])

    def y(year):
        return pd.Period(str(year), "Y")

    assert t.loc[(y(2010), "Korean Peninsula")].tolist() == [2, 10]
    assert t.loc[(y(2012), "South China Sea")].tolist() == [3, 8]  # 3 + 3 + 2
    assert t.loc[(y(2016), "Korean Peninsula")].tolist() == [1, 4]  # no target still counts
    assert t.loc[(y(2011), "South China Sea")].tolist() == [0, 0]  # in coverage: a true zero
    assert t.loc[(y(1990), "Other")].tolist() == [0, 0]
    assert t.loc[(y(2025), "Taiwan Strait")].tolist() == [0, 0]
    for year in (1989, 2026):  # outside the declared coverage: not known
        assert t.xs(y(year), level="period").isna().all().all()
    inside = t[[p.year in range(1990, 2026) for p in t.index.get_level_values("period")]]
    assert inside.notna().all().all() and int(inside["count"].sum()) == 8
    assert int(inside["intensity"].sum()) == 5 + 5 + 3 + 3 + 2 + 3 + 4 + 4


def test_intensity_periods_and_theatres(c):
    q = ten.intensity(2012, 2012, freq="quarter", theatre="South China Sea", data=c)
    assert q["period"].astype(str).tolist() == ["2012Q1", "2012Q2", "2012Q3", "2012Q4"]
    assert q["count"].tolist() == [0, 2, 1, 0]
    assert q["intensity"].tolist() == [0, 6, 2, 0]
    m = ten.intensity(2012, 2012, freq="month", theatre=["South China Sea"], data=c)
    assert len(m) == 12 and m["count"].tolist() == [0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0]
    two = ten.intensity(2010, 2010, theatre=["Korean Peninsula", "South China Sea"], data=c)
    assert two["theatre"].tolist() == ["Korean Peninsula", "South China Sea"]
    assert two["count"].tolist() == [2, 0]
    assert ten.intensity(2010, 2010, theatre="all", data=c)["theatre"].tolist() == list(
        ten.THEATRES)
    with pytest.raises(apr.ParameterError,
                       match="freq='week' is not valid; valid: 'year', 'quarter', 'month'"):
        ten.intensity(2012, 2012, freq="week", data=c)


def test_intensity_na_outside_declared_coverage():
    col = incidents(["1999-12-31", "2000-01-01", "2001-12-31", "2002-01-01"],
                    severities=[2, 3, 4, 5])
    t = ten.intensity(1999, 2002, theatre="South China Sea", data=col)
    # incidents exist in 1999 and 2002, but the table does not set out to cover them
    assert t["count"].isna().tolist() == [True, False, False, True]
    assert t["count"].tolist()[1:3] == [1, 1] and t["intensity"].tolist()[1:3] == [3, 4]
    q = ten.intensity(1999, 2000, freq="quarter", theatre="South China Sea", data=col)
    assert q["count"].isna().tolist() == [True] * 4 + [False] * 4


def test_rolling_index(c):
    t = ten.rolling_index(ten.intensity(2010, 2012, theatre="Korean Peninsula", data=c),
                          window=2)
    assert pd.isna(t["rolling"].iloc[0])
    assert t["rolling"].iloc[1:].tolist() == [5.0, 0.0]  # (10 + 0) / 2, (0 + 0) / 2
    assert list(t.columns) == ["period", "theatre", "count", "intensity", "rolling"]
    assert t.index.tolist() == [0, 1, 2]
    three = ten.rolling_index(ten.intensity(2010, 2013, theatre=["Korean Peninsula",
                                                                 "South China Sea"], data=c))
    # sorted by period then theatre; the mean runs within each theatre
    assert three["theatre"].tolist()[:2] == ["Korean Peninsula", "South China Sea"]
    kp = three[three["theatre"] == "Korean Peninsula"]["rolling"].tolist()
    scs = three[three["theatre"] == "South China Sea"]["rolling"].tolist()
    assert pd.isna(kp[0]) and pd.isna(kp[1]) and kp[2:] == pytest.approx([10 / 3, 0.0])
    assert pd.isna(scs[1]) and scs[2:] == pytest.approx([8 / 3, 8 / 3])
    counts = ten.rolling_index(ten.intensity(2010, 2012, theatre="Korean Peninsula", data=c),
                               window=1, value="count")
    assert counts["rolling"].tolist() == [2.0, 0.0, 0.0]
    with pytest.raises(apr.ParameterError, match="window=0 is not valid; give a whole number "
                                                 ">= 1"):
        ten.rolling_index(ten.intensity(2010, 2012, data=c), window=0)


def test_rolling_index_na_stays_na(c):
    t = ten.rolling_index(ten.intensity(1988, 1991, theatre="Other", data=c), window=2)
    # 1988 and 1989 are outside the coverage: a mean needing them is NA
    assert t["rolling"].isna().tolist() == [True, True, True, False]


# --------------------------------------------------------------------------- episodes
def test_escalation_episodes(c):
    ep = ten.escalation_episodes(data=c)
    assert list(ep.columns) == ["theatre", "episode", "start", "end", "incidents",
                                "max_severity", "intensity", "dyads", "incident_ids"]
    assert len(ep) == 1
    e = ep.iloc[0]
    assert e["theatre"] == "South China Sea" and e["episode"] == 1
    # ends with the latest end of the run: s3's date (s1 ended on 15 June)
    assert (e["start"], e["end"]) == (pd.Timestamp("2012-04-10"), pd.Timestamp("2012-07-10"))
    assert (e["incidents"], e["max_severity"], e["intensity"]) == (3, 3, 8)
    assert list(e["dyads"]) == ["CHN-PHL"] and list(e["incident_ids"]) == ["s1", "s2", "s3"]


def test_escalation_gap_rule_by_hand(c):
    # s2 (1 May) starts within s1's span; s3 (10 July) is 25 days after the latest end so far
    # (s1's 15 June, not s2's 1 May): within 25 days it joins, within 24 it does not
    assert ten.escalation_episodes(gap_days=25, data=c)["incident_ids"].map(list).tolist() == [
        ["s1", "s2", "s3"]]
    split = ten.escalation_episodes(gap_days=24, min_incidents=2, data=c)
    assert split["incident_ids"].map(list).tolist() == [["s1", "s2"]]
    assert split["end"].tolist() == [pd.Timestamp("2012-06-15")]  # s1's end, not s2's date
    assert ten.escalation_episodes(gap_days=24, data=c).empty
    # every incident its own run with min_incidents=1: 8 incidents, 6 runs
    ones = ten.escalation_episodes(min_incidents=1, data=c)
    assert len(ones) == 6
    assert ones["start"].tolist() == sorted(ones["start"])  # sorted by start
    assert ones[ones["theatre"] == "Korean Peninsula"]["episode"].tolist() == [1, 2, 3, 4]
    assert ones[ones["theatre"] == "South China Sea"]["episode"].tolist() == [1, 2]
    k3 = ones[ones["incident_ids"].map(lambda ids: list(ids) == ["k3"])].iloc[0]
    assert list(k3["dyads"]) == []  # no target: no dyad
    # the 2010 Korean incidents are 242 days apart
    assert len(ten.escalation_episodes(gap_days=242, min_incidents=2,
                                       theatre="Korean Peninsula", data=c)) == 1
    assert ten.escalation_episodes(gap_days=241, min_incidents=2, theatre="Korean Peninsula",
                                   data=c).empty


def test_escalation_episodes_per_theatre_and_dyads():
    col = incidents(["2000-01-01", "2000-01-05", "2000-01-08", "2000-01-03"],
                    theatre=["South China Sea", "South China Sea", "South China Sea",
                             "East China Sea"],
                    initiators=["CHN", "PHL", "VNM", "CHN"],
                    targets=["PHL", "CHN", "CHN", "JPN"], severities=[1, 4, 2, 5])
    ep = ten.escalation_episodes(gap_days=5, data=col)
    # the East China Sea incident in between does not join the South China Sea run
    assert ep["incident_ids"].map(list).tolist() == [["i000", "i001", "i002"]]
    assert list(ep["dyads"].iloc[0]) == ["CHN-PHL", "CHN-VNM"]  # one dyad either direction
    assert ep[["incidents", "max_severity", "intensity"]].values.tolist() == [[3, 4, 7]]
    assert ten.escalation_episodes(gap_days=2, min_incidents=1, data=col)["theatre"].tolist() \
        == ["South China Sea", "East China Sea", "South China Sea", "South China Sea"]
    only = ten.escalation_episodes(min_incidents=1, theatre="East China Sea", data=col)
    assert only["incident_ids"].map(list).tolist() == [["i003"]]
    assert ten.escalation_episodes(theatre="Taiwan Strait", data=col).empty
    assert list(ten.escalation_episodes(theatre="Taiwan Strait", data=col).columns) == list(
        ep.columns)


def test_escalation_default_gap_is_30_days():
    # 2000 is a leap year: 1 Jan -> 31 Jan is 30 days, 31 Jan -> 2 Mar is 31 days
    col = incidents(["2000-01-01", "2000-01-31", "2000-03-02", "2000-03-03", "2000-03-04"])
    ep = ten.escalation_episodes(min_incidents=1, data=col)
    assert ep["incident_ids"].map(list).tolist() == [["i000", "i001"], ["i002", "i003", "i004"]]
    assert ten.escalation_episodes(data=col)["incident_ids"].map(list).tolist() == [
        ["i002", "i003", "i004"]]  # runs of fewer than 3 are not episodes
    assert ep.index.tolist() == [0, 1]


def test_escalation_parameter_errors(c):
    msg = "gap_days=-1 and min_incidents=3: give gap_days >= 0 and min_incidents >= 1"
    with pytest.raises(apr.ParameterError, match=msg):
        ten.escalation_episodes(gap_days=-1, data=c)
    with pytest.raises(apr.ParameterError, match="min_incidents=0"):
        ten.escalation_episodes(min_incidents=0, data=c)
    assert len(ten.escalation_episodes(gap_days=0, min_incidents=1, data=c)) == 7


# --------------------------------------------------------------------------- dyads
def test_tension_matrix(c):
    m = ten.tension_matrix(2010, 2017, data=c)
    assert m.index.tolist() == m.columns.tolist() == ["CHN", "JPN", "KOR", "PHL", "PRK"]
    assert m.index.name == "iso3" and m.columns.name is None
    assert m.loc["CHN", "PHL"] == m.loc["PHL", "CHN"] == 11  # 3 + 3 + 2 + 3
    assert m.loc["KOR", "PRK"] == m.loc["PRK", "KOR"] == 10
    assert m.loc["JPN", "PRK"] == 4
    assert (m.to_numpy() == m.to_numpy().T).all() and (np.diag(m.to_numpy()) == 0).all()
    d = ten.tension_matrix(2010, 2017, directed=True, data=c)
    assert (d.loc["CHN", "PHL"], d.loc["PHL", "CHN"]) == (11, 0)
    assert (d.loc["PRK", "KOR"], d.loc["KOR", "PRK"]) == (10, 0)
    assert d.to_numpy().sum() == 25
    n = ten.tension_matrix(2010, 2017, weight="count", data=c)
    assert n.loc["CHN", "PHL"] == 4 and n.loc["PRK", "KOR"] == 2 and n.loc["JPN", "PRK"] == 1
    s = ten.tension_matrix(2012, 2012, theatre="Korean Peninsula", data=c)
    assert s.empty
    with pytest.raises(apr.ParameterError, match="weight='deaths' is not valid; valid: "
                                                 "'severity', 'count'"):
        ten.tension_matrix(2010, 2017, weight="deaths", data=c)


@settings(max_examples=25, deadline=None)
@given(st.integers(2009, 2018), st.integers(0, 9))
def test_matrix_properties(start, span):
    col = FIXTURE_INCIDENTS
    m = ten.tension_matrix(start, start + span, data=col)
    assert (m.to_numpy() >= 0).all()
    assert np.allclose(m.to_numpy(), m.to_numpy().T)
    total = ten.select(start, start + span, data=col).dropna(subset=["target"])["severity"].sum()
    assert m.to_numpy().sum() == 2 * total  # every incident counted once each way
    d = ten.tension_matrix(start, start + span, directed=True, data=col)
    assert np.allclose(d.to_numpy() + d.to_numpy().T, m.to_numpy())




def test_top_dyads(c):
    top = ten.top_dyads(2010, 2017, data=c)
    assert list(top.columns) == ["iso3_a", "iso3_b", "incidents", "intensity", "max_severity"]
    assert top.values.tolist() == [["CHN", "PHL", 4, 11, 3], ["KOR", "PRK", 2, 10, 5],
                                   ["JPN", "PRK", 1, 4, 4]]
    assert ten.top_dyads(2010, 2017, n=2, data=c)["iso3_a"].tolist() == ["CHN", "KOR"]
    assert ten.top_dyads(2010, 2017, theatre="Korean Peninsula", data=c)["iso3_b"].tolist() \
        == ["PRK", "PRK"]


def test_top_dyads_sort_order():
    # A-B: intensity 6 from 3 incidents; C-D: 6 from 2; E-F: 6 from 2; G-H: 7 from 1
    col = incidents(["2000-01-01"] * 8,
                    initiators=["AAA", "BBB", "AAA", "DDD", "CCC", "FFF", "EEE", "HHH"],
                    targets=["BBB", "AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"],
                    severities=[2, 2, 2, 3, 3, 1, 5, 7])
    top = ten.top_dyads(2000, 2000, data=col)
    # intensity, then incidents (both descending), then the codes
    assert top[["iso3_a", "iso3_b", "incidents", "intensity", "max_severity"]].values.tolist() \
        == [["GGG", "HHH", 1, 7, 7], ["AAA", "BBB", 3, 6, 2], ["CCC", "DDD", 2, 6, 3],
            ["EEE", "FFF", 2, 6, 5]]
    same_a = incidents(["2000-01-01"] * 3, initiators=["AAA", "AAA", "AAA"],
                       targets=["DDD", "BBB", "CCC"], severities=[2, 2, 2])
    assert ten.top_dyads(2000, 2000, data=same_a)["iso3_b"].tolist() == ["BBB", "CCC", "DDD"]


def test_top_dyads_default_n():
    # twelve dyads AAA-B00 ... AAA-B11 with intensities 12 ... 1
    col = incidents(["2000-01-01"] * 12, initiators=["AAA"] * 12,
                    targets=[f"B{i:02d}" for i in range(12)], severities=list(range(12, 0, -1)))
    top = ten.top_dyads(2000, 2000, data=col)
    assert len(top) == 10 and top["intensity"].tolist() == list(range(12, 2, -1))
    by_decade = ten.top_dyads_by_decade(2000, 2009, data=col)
    assert by_decade["rank"].tolist() == [1, 2, 3, 4, 5]


def test_top_dyads_by_decade(c):
    t = ten.top_dyads_by_decade(2009, 2017, data=c)
    assert list(t.columns) == ["decade", "rank", "iso3_a", "iso3_b", "incidents", "intensity",
                               "max_severity"]
    assert t[["decade", "rank", "iso3_a", "iso3_b"]].values.tolist() == [
        [2010, 1, "CHN", "PHL"], [2010, 2, "KOR", "PRK"], [2010, 3, "JPN", "PRK"]]
    col = incidents(["1999-06-01", "2000-06-01", "2000-07-01", "2009-12-31", "2010-01-01"],
                    coverage=(1990, 2020), initiators=["AAA", "CCC", "AAA", "CCC", "AAA"],
                    targets=["BBB", "DDD", "BBB", "DDD", "BBB"], severities=[9, 1, 2, 3, 4])
    d = ten.top_dyads_by_decade(1999, 2010, n=1, data=col)
    # 1990s: 1999 only; 2000s: C-D 1 + 3 = 4 beats A-B 2; 2010s: 2010 only
    assert d[["decade", "rank", "iso3_a", "intensity"]].values.tolist() == [
        [1990, 1, "AAA", 9], [2000, 1, "CCC", 4], [2010, 1, "AAA", 4]]
    assert ten.top_dyads_by_decade(2000, 2009, n=5, data=col)["rank"].tolist() == [1, 2]
    assert d.index.tolist() == [0, 1, 2]
    empty = ten.top_dyads_by_decade(2011, 2010, data=col)
    assert empty.empty and list(empty.columns) == list(t.columns)
    none = ten.top_dyads_by_decade(2015, 2005, data=col)  # no decade at all
    assert none.empty and list(none.columns) == list(t.columns)
    kp = ten.top_dyads_by_decade(2010, 2017, theatre="Korean Peninsula", data=c)
    assert kp[["iso3_a", "iso3_b"]].values.tolist() == [["KOR", "PRK"], ["JPN", "PRK"]]


def test_mark_rivals(c):
    top = ten.top_dyads(2010, 2017, data=c)
    marked = ten.mark_rivals(top, 2010, 2017, data=c)
    assert list(marked.columns) == [*top.columns, "rivals"]
    assert marked.set_index(["iso3_a", "iso3_b"])["rivals"].to_dict() == {
        ("CHN", "PHL"): False, ("KOR", "PRK"): True, ("JPN", "PRK"): False}
    pair = pd.DataFrame({"iso3_a": ["CHN"], "iso3_b": ["RUS"]})
    # China-Russia 2: 1958-1989, active in some year of the period or not
    assert not ten.mark_rivals(pair, 1990, 2000, data=c)["rivals"].iloc[0]
    assert ten.mark_rivals(pair, 1989, 2000, data=c)["rivals"].iloc[0]  # its last year
    assert ten.mark_rivals(pair, 1950, 1958, data=c)["rivals"].iloc[0]  # its first year
    assert not ten.mark_rivals(pair, 1950, 1957, data=c)["rivals"].iloc[0]
    cu = pd.DataFrame({"iso3_a": ["CHN", "USA"], "iso3_b": ["USA", "CHN"]})
    # China-US 2 (1996-, ongoing); written iso3_a < iso3_b only
    assert ten.mark_rivals(cu, 2030, 2040, data=c)["rivals"].tolist() == [True, False]
    assert not ten.mark_rivals(cu, 1990, 1995, data=c)["rivals"].iloc[0]
    assert top.columns.tolist() == ["iso3_a", "iso3_b", "incidents", "intensity",
                                    "max_severity"]  # the input is not changed
    own = c.replace(rivalries=pd.DataFrame({"rivalry_id": ["x"], "iso3_a": ["AAA"],
                                            "iso3_b": ["BBB"], "start_year": [2000],
                                            "end_year": pd.array([pd.NA], dtype="Int64")}))
    pairs = pd.DataFrame({"iso3_a": ["AAA", "KOR"], "iso3_b": ["BBB", "PRK"]})
    assert ten.mark_rivals(pairs, 2000, 2001, data=own)["rivals"].tolist() == [True, False]


def test_milestones(c):
    m = ten.milestones(2016, 2016, data=c)
    assert m["milestone_id"].tolist() == ["2016-07-12-award"]
    assert ten.milestones(2015, 2015, data=c).empty
    assert ten.milestones(2010, 2020, theatre="Korean Peninsula", data=c).empty
    assert len(ten.milestones(2010, 2020, theatre=["South China Sea"], data=c)) == 1
    assert len(ten.milestones(2016, 2017, theatre="all", data=c)) == 1
    assert list(m.columns) == list(c.view("milestones").columns) and m.index.tolist() == [0]
    ms = c["milestones"]
    extra = pd.concat([ms, ms.assign(milestone_id="a-first", theatre="Other"),
                       ms.assign(milestone_id="z-early", date=pd.Timestamp("2016-01-01"))],
                      ignore_index=True)
    got = ten.milestones(2016, 2016, data=c.replace(milestones=extra))
    assert got["milestone_id"].tolist() == ["z-early", "2016-07-12-award", "a-first"]


# --------------------------------------------------------------------------- event study
def test_event_study_window_boundaries():
    # window 10 days around 2000-06-15: before is [5 Jun, 15 Jun), after is (15 Jun, 25 Jun]
    col = incidents(["2000-06-04", "2000-06-05", "2000-06-14", "2000-06-15", "2000-06-16",
                     "2000-06-25", "2000-06-26"])
    per, s = ten.event_study(["2000-06-15", "2001-06-15"], window_days=10, n_permutations=5,
                             data=col)
    assert list(per.columns) == ["date", "before", "after", "change"]
    assert per["date"].tolist() == [pd.Timestamp("2000-06-15"), pd.Timestamp("2001-06-15")]
    # before: 5 and 14 June; the event day itself is in neither; after: 16 and 25 June
    assert per[["before", "after", "change"]].values.tolist() == [[2, 2, 0], [0, 0, 0]]
    assert list(s) == SUMMARY_KEYS
    assert (s["events"], s["events_outside_span"], s["window_days"]) == (2, 0, 10)
    assert s["mean_change"] == 0.0


def test_event_study_counts_and_mean_change(c):
    per, s = ten.event_study(["2016-01-01", "2012-05-15"], window_days=30, n_permutations=200,
                             data=c)
    # sorted by date; 2012-05-15: s2 (1 May) before, nothing in the 30 days after;
    # 2016-01-01: k3 (6 Jan) after
    assert per["date"].tolist() == [pd.Timestamp("2012-05-15"), pd.Timestamp("2016-01-01")]
    assert per[["before", "after", "change"]].values.tolist() == [[1, 0, -1], [0, 1, 1]]
    assert s["mean_change"] == 0.0 and s["events"] == 2
    again = ten.event_study(["2012-05-15", "2016-01-01"], window_days=30, n_permutations=200,
                            data=c)[1]
    assert again == s  # a fixed seed: reproducible
    other = ten.event_study(["2012-05-15", "2016-01-01"], window_days=30, n_permutations=200,
                            seed=1, data=c)[1]
    assert other["baseline_mean"] != s["baseline_mean"]
    kp = ten.event_study(["2012-05-15", "2016-01-01"], window_days=30, n_permutations=20,
                         theatre="Korean Peninsula", data=c)[0]
    assert kp["change"].tolist() == [0, 1]  # the South China Sea incident is left out
    assert ten.event_study(["2012-05-15", "2016-01-01"], window_days=30, n_permutations=20,
                           theatre="all", data=c)[0].equals(per)


def _reference(times, events, window, lo, hi, n, seed):
    """The event study's baseline computed the slow way, one draw at a time."""
    times = [pd.Timestamp(t) for t in times]
    day = pd.Timedelta(days=1)

    def change(t):
        before = sum(t - window * day <= x < t for x in times)
        after = sum(t < x <= t + window * day for x in times)
        return after - before

    rng = np.random.default_rng(seed)
    draws = rng.integers(lo, hi + 1, size=(n, len(events)))
    epoch = pd.Timestamp("1970-01-01")
    stats = np.array([np.mean([change(epoch + int(d) * day) for d in row]) for row in draws])
    observed = np.mean([change(pd.Timestamp(e)) for e in events])
    return observed, stats


def _day(s):
    return int((pd.Timestamp(s) - pd.Timestamp("1970-01-01")).days)


def test_event_study_baseline_against_a_reference():
    dates = ["2000-03-01", "2000-03-03", "2000-03-20", "2000-04-02", "2000-04-04",
             "2000-05-10", "2000-05-11", "2000-05-12", "2000-07-01"]
    col = incidents(dates)
    events = ["2000-03-15", "2000-04-03", "2000-05-11"]
    span = ("2000-02-01", "2000-08-01")
    per, s = ten.event_study(events, window_days=7, n_permutations=50, seed=3, span=span,
                             data=col)
    observed, stats = _reference(dates, events, 7, _day(span[0]), _day(span[1]), 50, 3)
    assert s["mean_change"] == pytest.approx(observed)
    # the baseline is summarised over the 50 permutation statistics, not the 150 raw draws
    assert s["baseline_mean"] == pytest.approx(stats.mean())
    assert s["baseline_sd"] == pytest.approx(stats.std(ddof=1))
    assert s["p_lower"] == pytest.approx((np.sum(stats <= observed) + 1) / 51)
    assert s["p_upper"] == pytest.approx((np.sum(stats >= observed) + 1) / 51)
    far = np.abs(stats - stats.mean()) >= abs(observed - stats.mean())
    assert s["p_two_sided"] == pytest.approx((far.sum() + 1) / 51)
    assert 0 < s["p_lower"] <= 1 and 0 < s["p_upper"] <= 1


def test_event_study_plus_one_correction_both_directions():
    # two events, each with one incident the day after; the span is long and the window short,
    # so with this seed no baseline draw sees an incident: every permutation statistic is 0
    span = ("2000-01-01", "2020-12-31")
    events = ["2005-03-01", "2015-03-01"]
    after = incidents(["2005-03-02", "2015-03-02"], coverage=(2000, 2020))
    observed, stats = _reference(["2005-03-02", "2015-03-02"], events, 5, _day(span[0]),
                                 _day(span[1]), 19, 0)
    assert observed == 1.0 and (stats == 0).all()
    _, s = ten.event_study(events, window_days=5, n_permutations=19, span=span, data=after)
    assert (s["mean_change"], s["baseline_mean"], s["baseline_sd"]) == (1.0, 0.0, 0.0)
    # none of the 19 is >= 1: (0 + 1) / (19 + 1); all 19 are <= 1: (19 + 1) / (19 + 1)
    assert s["p_upper"] == pytest.approx(1 / 20)
    assert s["p_lower"] == pytest.approx(1.0)
    assert s["p_two_sided"] == pytest.approx(1 / 20)
    before = incidents(["2005-02-28", "2015-02-28"], coverage=(2000, 2020))
    _, s = ten.event_study(events, window_days=5, n_permutations=19, span=span, data=before)
    assert s["mean_change"] == -1.0
    assert s["p_lower"] == pytest.approx(1 / 20) and s["p_upper"] == pytest.approx(1.0)
    assert s["p_two_sided"] == pytest.approx(1 / 20)


def test_event_study_default_span_and_events_outside():
    # coverage 2000-2001, window 10: the default span is 2000-01-11 .. 2001-12-21
    col = incidents(["2000-06-01", "2001-06-01"])
    per, s = ten.event_study(["2000-01-10", "2000-01-11", "2001-12-21", "2001-12-22",
                              "1999-05-01", None], window_days=10, n_permutations=10,
                             data=col)
    assert per["date"].tolist() == [pd.Timestamp("2000-01-11"), pd.Timestamp("2001-12-21")]
    assert s["events"] == 2 and s["events_outside_span"] == 3  # the missing date is dropped
    assert not np.isnan(s["baseline_mean"])
    _, s = ten.event_study(pd.Series(["2000-03-01", "2001-03-01"]), window_days=10,
                           n_permutations=10, span=("2000-03-01", "2000-12-31"), data=col)
    assert (s["events"], s["events_outside_span"]) == (1, 1)
    assert np.isnan(s["mean_change"])


def test_event_study_na_with_fewer_than_two_events(c):
    per, s = ten.event_study(["2012-05-15"], window_days=30, data=c)
    assert len(per) == 1 and per["change"].tolist() == [-1]
    assert s["events"] == 1 and s["window_days"] == 30
    for k in SUMMARY_KEYS[3:]:
        assert np.isnan(s[k]), k
    per, s = ten.event_study([], window_days=30, data=c)
    assert per.empty and s["events"] == 0 and np.isnan(s["p_two_sided"])
    # a span that is a single day has no baseline
    _, s = ten.event_study(["2012-05-15", "2012-05-15"], span=("2012-05-15", "2012-05-15"),
                           data=c)
    assert s["events"] == 2 and np.isnan(s["mean_change"]) and np.isnan(s["baseline_sd"])


def test_event_study_defaults():
    # the default window is 90 days: an incident 90 days after counts, 91 days does not
    col = incidents(["2000-06-01", "2000-08-30", "2000-08-31", "2001-06-01"],
                    coverage=(2000, 2001))
    per, s = ten.event_study(["2000-06-01", "2001-06-01"], n_permutations=50, data=col)
    assert s["window_days"] == 90 and per["after"].tolist() == [1, 0]
    # the default 1000 permutations: every p-value is k / 1001
    _, s = ten.event_study(["2000-06-01", "2001-03-01"], data=col)
    for key in ("p_lower", "p_upper", "p_two_sided"):
        k = s[key] * 1001
        assert abs(k - round(k)) < 1e-6, key
    assert s["p_lower"] < 1 and s["p_upper"] < 1
    _, one = ten.event_study(["2000-06-01", "2001-03-01"], window_days=1, n_permutations=5,
                             data=col)
    assert one["window_days"] == 1 and not np.isnan(one["mean_change"])


@pytest.mark.filterwarnings("ignore:Degrees of freedom:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")
def test_event_study_parameter_errors(c):
    for bad in (0, -5, 1.5, True, "30"):
        with pytest.raises(apr.ParameterError,
                           match=f"window_days={bad!r} is not valid; give a whole number >= 1"):
            ten.event_study(["2012-05-15", "2013-01-01"], window_days=bad, data=c)
    with pytest.raises(apr.ParameterError,
                       match="n_permutations=0 is not valid; give a whole number >= 1"):
        ten.event_study(["2012-05-15", "2013-01-01"], n_permutations=0, data=c)
    per, s = ten.event_study(["2012-05-15", "2013-01-01"], window_days=np.int64(30),
                             n_permutations=1, data=c)
    assert s["window_days"] == 30 and not np.isnan(s["p_lower"])
    assert np.isnan(s["baseline_sd"])  # one permutation: no spread


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert ten.select(2010, 2010, data=folder)["incident_id"].tolist() == ["k1", "k2"]
