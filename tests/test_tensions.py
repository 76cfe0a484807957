"""Tensions on the hand-made fixture (tests/conftest.py); answers worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import apresearch as apr
from apresearch import tensions as ten


@pytest.fixture
def inc(mini_tables):
    return mini_tables["incidents"]


def test_intensity_by_year(inc):
    t = ten.intensity(2009, 2018, inc).set_index(["period", "theatre"])
    y = lambda year: pd.Period(str(year), "Y")  # noqa: E731
    assert t.loc[(y(2010), "Korean Peninsula")].tolist() == [2, 10]
    assert t.loc[(y(2012), "South China Sea")].tolist() == [3, 8]
    assert t.loc[(y(2011), "South China Sea")].tolist() == [0, 0]  # in coverage: true zero
    assert t.loc[(y(2009), "Korean Peninsula")].isna().all()  # outside coverage: NA
    assert t.loc[(y(2018), "Taiwan Strait")].isna().all()
    assert len(t) == 10 * 6  # every year and theatre


def test_intensity_one_theatre_and_quarter(inc):
    q = ten.intensity(2012, 2012, inc, freq="quarter", theatre="South China Sea")
    assert q["count"].tolist() == [0, 2, 1, 0]
    assert q["intensity"].tolist() == [0, 6, 2, 0]
    with pytest.raises(apr.ParameterError, match="theatre='Yellow Sea' is not a theatre; valid"):
        ten.intensity(2012, 2012, inc, theatre="Yellow Sea")


def test_rolling_index(inc):
    t = ten.rolling_index(ten.intensity(2010, 2012, inc, theatre="Korean Peninsula"), window=2)
    assert pd.isna(t["rolling"].iloc[0])
    assert t["rolling"].iloc[1:].tolist() == [5.0, 0.0]  # (10 + 0) / 2, (0 + 0) / 2


def test_escalation_episodes(inc):
    ep = ten.escalation_episodes(inc)
    assert len(ep) == 1
    e = ep.iloc[0]
    assert e["theatre"] == "South China Sea" and e["episode"] == 1
    assert (e["start"], e["end"]) == (pd.Timestamp("2012-04-10"), pd.Timestamp("2012-07-10"))
    assert (e["incidents"], e["max_severity"], e["intensity"]) == (3, 3, 8)
    assert e["dyads"] == ["CHN-PHL"] and e["incident_ids"] == ["s1", "s2", "s3"]
    # s3 is 25 days after the standoff ended: with a 20-day gap it starts a new run
    assert ten.escalation_episodes(inc, gap_days=20, min_incidents=2)["incidents"].tolist() == [2]
    assert len(ten.escalation_episodes(inc, min_incidents=1)) == 6


def test_tension_matrix(inc):
    m = ten.tension_matrix(2010, 2017, inc)
    assert m.loc["CHN", "PHL"] == m.loc["PHL", "CHN"] == 11
    assert m.loc["KOR", "PRK"] == 10 and m.loc["JPN", "PRK"] == 4
    assert (m.to_numpy() == m.to_numpy().T).all()
    d = ten.tension_matrix(2010, 2017, inc, directed=True)
    assert (d.loc["CHN", "PHL"], d.loc["PHL", "CHN"]) == (11, 0)
    c = ten.tension_matrix(2010, 2017, inc, weight="count")
    assert c.loc["CHN", "PHL"] == 4


def test_top_dyads(inc):
    top = ten.top_dyads(2010, 2017, inc)
    assert top[["iso3_a", "iso3_b", "intensity"]].values.tolist() == [
        ["CHN", "PHL", 11], ["KOR", "PRK", 10], ["JPN", "PRK", 4]]


def test_event_study_counts(inc):
    per, summary = ten.event_study(["2012-05-15", "2016-01-01"], inc, window_days=30,
                                   n_permutations=200)
    assert per[["before", "after", "change"]].values.tolist() == [[1, 0, -1], [0, 1, 1]]
    assert summary["mean_change"] == 0.0 and summary["events"] == 2
    assert 0 < summary["p_lower"] <= 1 and 0 < summary["p_two_sided"] <= 1
    again = ten.event_study(["2012-05-15", "2016-01-01"], inc, window_days=30,
                            n_permutations=200)[1]
    assert again == summary  # fixed seed: reproducible


def test_event_study_too_few_events(inc):
    per, summary = ten.event_study(["2012-05-15"], inc, window_days=30)
    assert len(per) == 1 and np.isnan(summary["mean_change"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # read-only fixture
@given(st.integers(2009, 2018), st.integers(0, 9))
def test_matrix_properties(inc, start, span):
    m = ten.tension_matrix(start, start + span, inc)
    assert (m.to_numpy() >= 0).all()
    assert np.allclose(m.to_numpy(), m.to_numpy().T)
    assert (np.diag(m.to_numpy()) == 0).all()
    total = ten.select(start, start + span, inc).dropna(subset=["target"])["severity"].sum()
    assert m.to_numpy().sum() == 2 * total  # every incident counted once each way


def test_mark_rivals(inc, mini_tables):
    top = ten.top_dyads(2010, 2017, inc)
    marked = ten.mark_rivals(top, mini_tables["rivalries"], 2010, 2017).set_index(
        ["iso3_a", "iso3_b"])["rivals"]
    assert marked.to_dict() == {("CHN", "PHL"): False, ("KOR", "PRK"): True,
                                ("JPN", "PRK"): False}
    # China-Russia 2 ended in 1989: not active in 1990-2000
    pair = pd.DataFrame({"iso3_a": ["CHN"], "iso3_b": ["RUS"]})
    assert not ten.mark_rivals(pair, mini_tables["rivalries"], 1990, 2000)["rivals"].iloc[0]
    assert ten.mark_rivals(pair, mini_tables["rivalries"], 1980, 1990)["rivals"].iloc[0]
