"""Defence diplomacy on the hand-made fixture (tests/conftest.py); answers worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from apresearch import diplomacy as dip


@pytest.fixture
def e(mini_tables):
    return mini_tables["engagements"]


def test_counts_by_kind(e):
    c = dip.counts_by_kind(2009, 2025, e)
    assert c.loc[2010, "suspension"] == 1 and c.loc[2010].sum() == 1
    assert c.loc[2018, "port_call"] == 1
    assert c.loc[2015].sum() == 0  # inside coverage (2010-2024): a true zero
    assert c.loc[[2009, 2025]].isna().all().all()  # outside: not known
    usa = dip.counts_by_kind(2010, 2024, e, iso3="USA")
    assert int(usa.sum().sum()) == 6
    assert int(usa["dialogue"].sum()) == 0  # the 2019 forum appearance was China's


def test_involving(e):
    usa = dip.involving("USA", 2010, 2024, e)
    assert len(usa) == 6
    assert usa.loc[usa["kind"] == "port_call", "partner"].tolist() == ["PHL"]
    chn = dip.involving("CHN", 2019, 2019, e)
    assert chn["partner"].isna().all()  # a multilateral appearance has no partner


def test_channel_timeline(e):
    t = dip.channel_timeline("USA", "CHN", e, until="2024-01-01")
    assert t["status"].tolist() == ["open", "suspended", "open", "suspended", "open"]
    assert t["start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2000-01-01", "2010-01-30", "2011-01-09", "2022-08-05", "2023-11-15"]
    assert t["event"].iloc[1] == "2010-01-30-suspension"
    assert t["days"].iloc[1] == 344  # 2010-01-30 to 2011-01-09


def test_channel_status_by_year(e):
    s = dip.channel_status("USA", "CHN", [1999, 2010, 2011, 2015, 2022, 2023], e)
    s = s.set_index("year")
    assert pd.isna(s.loc[1999, "status"]) and pd.isna(s.loc[1999, "days_suspended"])
    assert s.loc[2010].tolist() == ["suspended", 336]  # 30 Jan to 31 Dec
    assert s.loc[2011].tolist() == ["open", 8]  # 1 to 8 Jan
    assert s.loc[2015].tolist() == ["open", 0]
    assert s.loc[2022].tolist() == ["suspended", 149]  # 5 Aug to 31 Dec
    assert s.loc[2023].tolist() == ["open", 318]  # 1 Jan to 14 Nov
    # a dyad is unordered
    r = dip.channel_status("CHN", "USA", [1999, 2010, 2011, 2015, 2022, 2023], e).set_index("year")
    pd.testing.assert_frame_equal(s, r)


def test_channel_status_without_events(e):
    s = dip.channel_status("JPN", "PHL", [2020], e)
    assert s.values.tolist() == [[2020, "open", 0]]


def test_actor_summary(e):
    s = dip.actor_summary(2010, 2024, e)
    assert s.loc["USA", ["suspension", "resumption", "cbm", "port_call"]].tolist() == [2, 2, 1, 1]
    assert s.loc["USA", "partners"] == 2 and s.loc["USA", "total"] == 6
    assert s.loc["CHN", "dialogue"] == 1 and s.loc["CHN", "partners"] == 1
