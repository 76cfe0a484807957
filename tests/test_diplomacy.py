"""Defence diplomacy on the hand-made fixture (tests/conftest.py); answers worked by hand.

The fixture's engagements (the table's declared coverage is 1990-2025):

* 2010-01-30 suspension CHN;USA (mil-mil, ministerial)  * 2011-01-09 resumption USA;CHN
* 2014-11-12 cbm USA;CHN (leaders)                      * 2018-03-05 port call USA;PHL (naval)
* 2019-06-02 dialogue CHN alone at a forum (ministerial)
* 2020-07-01 dialogue USA;JPN;AUS (ministerial, trilateral)
* 2022-08-05 suspension CHN;USA (mil-mil)               * 2023-11-15 resumption CHN;USA (leaders)
* 2024-01-01 visit JPN;PHL (ministerial)
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import diplomacy as dip

KINDS = ["dialogue", "visit", "call", "port_call", "hotline", "cbm", "suspension", "resumption"]
GENERAL = "military-to-military exchanges"


def engagements(c, rows, coverage=None):
    """A collection whose engagements are ``rows``: (id, date, kind, participants, level,
    channel[, forum_id])."""
    recs = []
    for r in rows:
        eid, date, kind, parts, level, channel, *forum = r
        recs.append({"engagement_id": eid, "date": pd.Timestamp(date), "kind": kind,
                     "participants": parts, "initiator": pd.NA, "forum_id":
                     forum[0] if forum else pd.NA, "level": level, "channel": channel})
    e = pd.DataFrame(recs).astype({"participants": "string", "level": "string",
                                   "channel": "string", "forum_id": "string",
                                   "initiator": "string"})
    return apr.Collection.from_frames({"engagements": e, "actors": c.view("actors")},
                                      coverage=coverage)


# --------------------------------------------------------------------------- events and pairs
def test_participants(c):
    p = dip.participants(data=c)
    assert list(p.columns) == ["engagement_id", "date", "kind", "level", "channel", "forum_id",
                               "initiator", "iso3", "year"]
    # 7 two-state events, one forum appearance, one three-state meeting: 14 + 1 + 3
    assert len(p) == 18
    forum = p[p["engagement_id"] == "2019-06-02-forum"]
    assert forum["iso3"].tolist() == ["CHN"] and forum["forum_id"].tolist() == ["forum"]
    assert p.loc[p["engagement_id"] == "2020-07-01-meeting", "iso3"].tolist() == [
        "USA", "JPN", "AUS"]
    assert p["year"].tolist() == p["date"].dt.year.tolist()


def test_pairs_of_multi_party_events(c):
    pr = dip.pairs(data=c)
    assert list(pr.columns) == ["engagement_id", "date", "year", "kind", "level", "channel",
                                "iso3_a", "iso3_b"]
    assert (pr["iso3_a"] < pr["iso3_b"]).all()
    meeting = pr[pr["engagement_id"] == "2020-07-01-meeting"]
    # one event of three states: three pairs
    assert set(zip(meeting["iso3_a"], meeting["iso3_b"], strict=True)) == {
        ("JPN", "USA"), ("AUS", "USA"), ("AUS", "JPN")}
    assert "2019-06-02-forum" not in set(pr["engagement_id"])  # one state: no pair
    assert len(pr) == 7 + 3
    stray = engagements(c, [("x", "2015-05-01", "call", "USA;;JPN;", "working", None)])
    assert dip.participants(data=stray)["iso3"].tolist() == ["USA", "JPN"]  # no empty codes
    ten = engagements(c, [("big", "2015-05-01", "dialogue",
                           ";".join(f"{x}{x}{x}" for x in "ABCDEFGHIJ"), "ministerial", None)])
    big = dip.pairs(data=ten)
    assert len(big) == 45 and not big.duplicated(["iso3_a", "iso3_b"]).any()  # 10*9/2


def test_involving(c):
    usa = dip.involving("USA", 1990, 2025, data=c)
    assert usa["engagement_id"].tolist() == [
        "2010-01-30-suspension", "2011-01-09-resumption", "2014-11-12-mous",
        "2018-03-05-port-call", "2020-07-01-meeting", "2022-08-05-suspension",
        "2023-11-15-resumption"]
    t = usa.set_index("engagement_id")
    assert t.loc["2018-03-05-port-call", ["partners", "partner"]].tolist() == ["PHL", "PHL"]
    # a multi-party event: the others ';'-separated, and no single partner
    assert t.loc["2020-07-01-meeting", "partners"] == "JPN;AUS"
    assert pd.isna(t.loc["2020-07-01-meeting", "partner"])
    chn = dip.involving("CHN", 2019, 2019, data=c)
    assert chn["engagement_id"].tolist() == ["2019-06-02-forum"]
    assert chn["partners"].tolist() == [""] and chn["partner"].isna().all()
    # the period is inclusive and on the year of the date
    assert dip.involving("USA", 2011, 2014, data=c)["engagement_id"].tolist() == [
        "2011-01-09-resumption", "2014-11-12-mous"]
    assert dip.involving("PRK", 1990, 2025, data=c).empty
    assert list(usa.columns) == [*c.view("engagements").columns, "partners", "partner"]


def test_involving_sorted_by_date(c):
    e = engagements(c, [("b", "2015-05-02", "call", "USA;JPN", "ministerial", None),
                        ("a", "2015-05-02", "visit", "JPN;USA", "ministerial", None),
                        ("c", "2015-01-01", "call", "JPN;USA", "chiefs", None)])
    assert dip.involving("JPN", 2015, 2015, data=e)["engagement_id"].tolist() == ["c", "a", "b"]
    assert dip.dyad_events("JPN", "USA", data=e)["engagement_id"].tolist() == ["c", "a", "b"]


def test_dyad_events(c):
    ev = dip.dyad_events("USA", "CHN", data=c)
    assert ev["engagement_id"].tolist() == [
        "2010-01-30-suspension", "2011-01-09-resumption", "2014-11-12-mous",
        "2022-08-05-suspension", "2023-11-15-resumption"]
    assert dip.dyad_events("CHN", "USA", data=c).equals(ev)  # unordered
    sus = dip.dyad_events("USA", "CHN", kinds=["suspension"], data=c)
    assert sus["engagement_id"].tolist() == ["2010-01-30-suspension", "2022-08-05-suspension"]
    # a pair inside a multilateral meeting
    assert dip.dyad_events("AUS", "JPN", data=c)["engagement_id"].tolist() == [
        "2020-07-01-meeting"]
    assert dip.dyad_events("USA", "PRK", data=c).empty
    assert list(ev.columns) == list(c.view("engagements").columns)


# --------------------------------------------------------------------------- counts
def test_counts_by_kind(c):
    t = dip.counts_by_kind(1989, 2026, data=c)
    assert list(t.columns) == KINDS and t.columns.name is None
    assert t.index.tolist() == list(range(1989, 2027)) and t.index.name == "year"
    assert t.loc[2010].tolist() == [0, 0, 0, 0, 0, 0, 1, 0]
    assert t.loc[2018, "port_call"] == 1 and t.loc[2018].sum() == 1
    assert t.loc[2019, "dialogue"] == 1 and t.loc[2020, "dialogue"] == 1  # events, not pairs
    assert t.loc[2024, "visit"] == 1
    assert t.loc[2015].sum() == 0 and t.loc[1990].sum() == 0 and t.loc[2025].sum() == 0
    assert t.loc[[1989, 2026]].isna().all().all()  # outside 1990-2025: not known
    assert t.loc[1990:2025].notna().all().all()
    assert str(t["visit"].dtype) == "Int64"
    assert int(t.loc[1990:2025].sum().sum()) == 9


def test_counts_by_kind_for_one_state(c):
    usa = dip.counts_by_kind(2010, 2024, iso3="USA", data=c)
    assert usa.sum().tolist() == [1, 0, 0, 1, 0, 1, 2, 2]
    assert int(usa.sum().sum()) == 7
    chn = dip.counts_by_kind(2019, 2019, iso3="CHN", data=c)
    assert chn.loc[2019, "dialogue"] == 1  # the forum appearance involves China
    assert dip.counts_by_kind(2019, 2019, iso3="USA", data=c).loc[2019].sum() == 0
    part = dip.counts_by_kind(2011, 2013, iso3="USA", data=c)
    assert part.index.tolist() == [2011, 2012, 2013] and part["resumption"].tolist() == [1, 0, 0]
    edge = dip.counts_by_kind(1988, 1990, iso3="USA", data=c)
    assert edge.loc[[1988, 1989]].isna().all().all() and edge.loc[1990].sum() == 0


# --------------------------------------------------------------------------- channels
def test_channel_timeline(c):
    t = dip.channel_timeline("USA", "CHN", data=c)
    assert list(t.columns) == ["start", "end", "status", "event", "days"]
    assert t["status"].tolist() == ["open", "suspended", "open", "suspended", "open"]
    assert t["start"].dt.strftime("%Y-%m-%d").tolist() == [
        "1990-01-01", "2010-01-30", "2011-01-09", "2022-08-05", "2023-11-15"]
    # the last spell ends on the table's last date (2024-01-01) by default
    assert t["end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2010-01-30", "2011-01-09", "2022-08-05", "2023-11-15", "2024-01-01"]
    assert pd.isna(t["event"].iloc[0])
    assert t["event"].iloc[1:].tolist() == ["2010-01-30-suspension", "2011-01-09-resumption",
                                            "2022-08-05-suspension", "2023-11-15-resumption"]
    # 2010-01-30 to 2011-01-09: 2 + 28+31+30+31+30+31+31+30+31+30+31 + 9 - 1 = 344 days
    assert t["days"].iloc[1] == 344
    # 2023-11-15 to 2024-01-01: 16 + 31 = 47 days
    assert t["days"].iloc[4] == 47
    assert (t["days"] == (t["end"] - t["start"]).dt.days).all()
    assert t.equals(dip.channel_timeline("CHN", "USA", data=c))  # unordered pair


def test_channel_timeline_until(c):
    late = dip.channel_timeline("USA", "CHN", until="2025-12-31", data=c)
    assert late["end"].iloc[-1] == pd.Timestamp("2025-12-31")
    # a timeline to an earlier date stops there: later events are not part of it
    early = dip.channel_timeline("USA", "CHN", until="2015-01-01", data=c)
    assert early["status"].tolist() == ["open", "suspended", "open"]
    assert early["end"].iloc[-1] == pd.Timestamp("2015-01-01")
    assert early["days"].iloc[-1] == (pd.Timestamp("2015-01-01")
                                      - pd.Timestamp("2011-01-09")).days
    quiet = dip.channel_timeline("JPN", "PHL", data=c)
    assert quiet[["status", "days"]].values.tolist() == [["open", 12418]]  # 1990 to 2024
    assert pd.isna(quiet["event"].iloc[0])
    # to a date before the coverage starts: one empty spell at the start of the coverage
    before = dip.channel_timeline("USA", "CHN", until="1985-01-01", data=c)
    assert before[["start", "end", "status", "days"]].values.tolist() == [
        [pd.Timestamp("1990-01-01"), pd.Timestamp("1990-01-01"), "open", 0]]


def test_channel_status_days_by_hand(c):
    years = [1989, 1990, 2009, 2010, 2011, 2015, 2022, 2023, 2024, 2025, 2026]
    s = dip.channel_status("USA", "CHN", years, data=c)
    assert list(s.columns) == ["year", "status", "days_suspended"]
    assert str(s["status"].dtype) == "string" and str(s["days_suspended"].dtype) == "Int64"
    s = s.set_index("year")
    # outside the coverage 1990-2025: not known in both columns
    for y in (1989, 2026):
        assert pd.isna(s.loc[y, "status"]) and pd.isna(s.loc[y, "days_suspended"])
    assert s.loc[1990].tolist() == ["open", 0]
    assert s.loc[2009].tolist() == ["open", 0]
    # 30 Jan - 31 Dec 2010: 2 + 28+31+30+31+30+31+31+30+31+30+31 = 336 days
    assert s.loc[2010].tolist() == ["suspended", 336]
    # 1 - 8 January 2011 (the resumption day is open again)
    assert s.loc[2011].tolist() == ["open", 8]
    assert s.loc[2015].tolist() == ["open", 0]
    # 5 Aug - 31 Dec 2022: 27 + 30 + 31 + 30 + 31 = 149
    assert s.loc[2022].tolist() == ["suspended", 149]
    # 1 Jan - 14 Nov 2023: 365 - (16 + 31) = 318
    assert s.loc[2023].tolist() == ["open", 318]
    assert s.loc[2024].tolist() == ["open", 0] and s.loc[2025].tolist() == ["open", 0]
    r = dip.channel_status("CHN", "USA", years, data=c).set_index("year")
    pd.testing.assert_frame_equal(s, r)  # a dyad is unordered


def test_channel_status_without_events_and_empty(c):
    assert dip.channel_status("JPN", "PHL", [2020], data=c).values.tolist() == [
        [2020, "open", 0]]
    empty = dip.channel_status("USA", "CHN", [], data=c)
    assert empty.empty and list(empty.columns) == ["year", "status", "days_suspended"]
    assert str(empty["days_suspended"].dtype) == "Int64"
    assert str(empty["status"].dtype) == "string" and empty["year"].dtype.kind == "i"
    assert dip.channel_status("USA", "CHN", range(2010, 2012), data=c)["year"].tolist() == [
        2010, 2011]


def test_suspension_before_coverage_sets_the_initial_status(c):
    e = engagements(c, [
        ("1989-06-05-suspension", "1989-06-05", "suspension", "USA;CHN", "leaders", GENERAL),
        ("1993-11-01-resumption", "1993-11-01", "resumption", "CHN;USA", "ministerial",
         GENERAL),
    ])
    t = dip.channel_timeline("USA", "CHN", until="1995-01-01", data=e)
    assert t["status"].tolist() == ["suspended", "open"]
    assert t["start"].tolist() == [pd.Timestamp("1990-01-01"), pd.Timestamp("1993-11-01")]
    assert t["event"].tolist() == ["1989-06-05-suspension", "1993-11-01-resumption"]
    s = dip.channel_status("USA", "CHN", range(1989, 1995), data=e).set_index("year")
    assert pd.isna(s.loc[1989, "status"])  # before the coverage: not known, not suspended
    assert s.loc[1990].tolist() == ["suspended", 365]
    assert s.loc[1992].tolist() == ["suspended", 366]  # a leap year
    # 1 Jan - 31 Oct 1993: 31+28+31+30+31+30+31+31+30+31 = 304
    assert s.loc[1993].tolist() == ["open", 304]
    assert s.loc[1994].tolist() == ["open", 0]
    # a resumption before the coverage leaves the channel open at its start
    e2 = engagements(c, [
        ("s", "1985-01-01", "suspension", "USA;CHN", "leaders", GENERAL),
        ("r", "1987-01-01", "resumption", "USA;CHN", "leaders", GENERAL),
    ])
    t2 = dip.channel_timeline("USA", "CHN", until="1991-01-01", data=e2)
    assert t2[["status", "event"]].values.tolist() == [["open", "r"]]


def test_general_channel_rule(c):
    e = engagements(c, [
        ("gs", "2000-03-01", "suspension", "USA;CHN", "ministerial", GENERAL),
        ("gr", "2001-03-01", "resumption", "USA;CHN", "ministerial", GENERAL),
        # one mechanism only: recorded, but the general channel stays open
        ("ms", "2018-01-01", "suspension", "USA;CHN", "senior_officials",
         "joint staff dialogue"),
        ("mr", "2019-01-01", "resumption", "USA;CHN", "senior_officials",
         "joint staff dialogue"),
        # a pair without events on the general channel: every channel counts
        ("hs", "2012-09-15", "suspension", "JPN;CHN", "working", "hotline"),
        ("hr", "2013-03-01", "resumption", "JPN;CHN", "working", "maritime talks"),
        # other kinds of events never change the status
        ("hd", "2012-12-01", "dialogue", "JPN;CHN", "ministerial", None),
        ("gd", "2000-06-01", "visit", "USA;CHN", "ministerial", GENERAL),
    ])
    s = dip.channel_status("USA", "CHN", [2000, 2001, 2018, 2019], data=e).set_index("year")
    # 1 Mar - 31 Dec 2000 (leap year): 366 - 31 - 29 = 306 days
    assert s.loc[2000].tolist() == ["suspended", 306]
    assert s.loc[2001].tolist() == ["open", 59]  # 31 + 28
    assert s.loc[2018].tolist() == ["open", 0]  # the mechanism's suspension does not count
    mech = dip.channel_status("USA", "CHN", [2000, 2018, 2019], channel="joint staff dialogue",
                              data=e).set_index("year")
    assert mech.loc[2000].tolist() == ["open", 0]
    assert mech.loc[2018].tolist() == ["suspended", 365]
    assert mech.loc[2019].tolist() == ["open", 0]
    t = dip.channel_timeline("USA", "CHN", until="2020-01-01", data=e)
    assert t["event"].iloc[1:].tolist() == ["gs", "gr"]
    j = dip.channel_status("JPN", "CHN", [2012, 2013], data=e).set_index("year")
    # 15 Sep - 31 Dec 2012: 16 + 31 + 30 + 31 = 108; 1 Jan - 28 Feb 2013: 59
    assert j.loc[2012].tolist() == ["suspended", 108]
    assert j.loc[2013].tolist() == ["open", 59]
    # asking for one channel of a pair that has several
    only_hotline = dip.channel_status("JPN", "CHN", [2013, 2014], channel="hotline",
                                      data=e).set_index("year")
    assert only_hotline.loc[2013].tolist() == ["suspended", 365]
    assert only_hotline.loc[2014, "status"] == "suspended"


def test_second_suspension_changes_nothing(c):
    e = engagements(c, [
        ("s1", "2000-01-01", "suspension", "USA;CHN", "ministerial", GENERAL),
        ("s2", "2000-06-01", "suspension", "USA;CHN", "ministerial", GENERAL),
        ("r1", "2001-01-01", "resumption", "USA;CHN", "ministerial", GENERAL),
        ("r2", "2001-02-01", "resumption", "USA;CHN", "ministerial", GENERAL),
    ])
    t = dip.channel_timeline("USA", "CHN", until="2002-01-01", data=e)
    assert t["status"].tolist() == ["open", "suspended", "open"]
    assert t["event"].iloc[1:].tolist() == ["s1", "r1"]
    assert t["days"].iloc[1] == 366
    s = dip.channel_status("USA", "CHN", [2000, 2001], data=e).set_index("year")
    assert s["days_suspended"].tolist() == [366, 0]


def test_channel_status_on_31_december(c):
    # suspended on the last day of the year: the status at year end is suspended, 1 day
    e = engagements(c, [("s", "2005-12-31", "suspension", "USA;CHN", "leaders", GENERAL),
                        ("r", "2006-01-02", "resumption", "USA;CHN", "leaders", GENERAL)])
    s = dip.channel_status("USA", "CHN", [2005, 2006], data=e).set_index("year")
    assert s.loc[2005].tolist() == ["suspended", 1]
    assert s.loc[2006].tolist() == ["open", 1]
    # an event on the first covered day: no empty first spell
    e2 = engagements(c, [("s", "1990-01-01", "suspension", "USA;CHN", "leaders", GENERAL)])
    t = dip.channel_timeline("USA", "CHN", until="1991-01-01", data=e2)
    assert t[["status", "days"]].values.tolist() == [["suspended", 365]]


# --------------------------------------------------------------------------- summaries
def test_actor_summary(c):
    s = dip.actor_summary(1990, 2025, data=c)
    assert s.index.name == "iso3" and s.index.tolist() == ["USA", "CHN"]
    assert list(s.columns) == [*KINDS, "partners", "total"]
    assert s.loc["USA"].tolist() == [1, 0, 0, 1, 0, 1, 2, 2, 4, 7]  # partners CHN PHL JPN AUS
    assert s.loc["CHN"].tolist() == [1, 0, 0, 0, 0, 1, 2, 2, 1, 6]  # the forum: no partner
    y = dip.actor_summary(2020, 2020, actors=["USA", "JPN", "PRK"], data=c)
    assert y.loc["USA", ["dialogue", "partners", "total"]].tolist() == [1, 2, 1]
    assert y.loc["JPN", ["dialogue", "partners", "total"]].tolist() == [1, 2, 1]
    assert y.loc["PRK"].sum() == 0
    assert dip.actor_summary(2011, 2014, data=c).loc["USA", ["resumption", "cbm", "suspension",
                                                              "total"]].tolist() == [1, 1, 0, 2]


def test_intensity_level_weights(c):
    t = dip.intensity(1990, 2025, data=c)
    assert list(t.columns) == ["iso3_a", "iso3_b", "year", "engagements", "intensity"]
    # suspensions do not count; a resumption does
    assert t[["iso3_a", "iso3_b", "year", "engagements", "intensity"]].values.tolist() == [
        ["CHN", "USA", 2011, 1, 3.0],   # resumption, ministerial
        ["CHN", "USA", 2014, 1, 4.0],   # CBM, leaders
        ["PHL", "USA", 2018, 1, 1.0],   # port call, naval
        ["AUS", "JPN", 2020, 1, 3.0],   # one trilateral meeting, three pairs
        ["AUS", "USA", 2020, 1, 3.0],
        ["JPN", "USA", 2020, 1, 3.0],
        ["CHN", "USA", 2023, 1, 4.0],   # resumption, leaders
        ["JPN", "PHL", 2024, 1, 3.0]]
    assert dip.LEVEL_WEIGHTS == {"leaders": 4.0, "ministerial": 3.0, "chiefs": 3.0,
                                 "senior_officials": 2.0, "working": 1.0, "naval": 1.0}
    assert dip.intensity(2012, 2019, data=c)["year"].tolist() == [2014, 2018]
    none = dip.intensity(1990, 2009, data=c)
    assert none.empty and list(none.columns) == list(t.columns)
    assert none["intensity"].dtype == float  # numbers even when there are none


def test_intensity_sums_and_sorts(c):
    e = engagements(c, [
        ("a", "2015-01-01", "dialogue", "USA;JPN", "chiefs", None),
        ("b", "2015-02-01", "visit", "USA;JPN", "senior_officials", None),
        ("d", "2015-03-01", "call", "AUS;JPN", "leaders", None),
        ("f", "2015-03-01", "hotline", "AUS;JPN", "working", None),
        ("g", "2015-04-01", "call", "AUS;KOR", "working", None),
        ("h", "2015-05-01", "call", "AUS;KOR", None, None),  # no level: weight 0
        ("s", "2015-06-01", "suspension", "AUS;KOR", "leaders", "x"),
        ("old", "1989-01-01", "dialogue", "USA;JPN", "leaders", None),  # before coverage
        ("new", "2026-03-01", "dialogue", "USA;JPN", "leaders", None),  # after it
    ])
    t = dip.intensity(1980, 2030, data=e)
    # year, then intensity (largest first), then the codes
    assert t[["iso3_a", "iso3_b", "engagements", "intensity"]].values.tolist() == [
        ["AUS", "JPN", 2, 5.0], ["JPN", "USA", 2, 5.0], ["AUS", "KOR", 2, 1.0]]
    w = dip.intensity(2015, 2015, weights={"leaders": 10, "working": 0.5}, data=e)
    assert w[["iso3_a", "iso3_b", "intensity"]].values.tolist() == [
        ["AUS", "JPN", 10.5], ["AUS", "KOR", 0.5], ["JPN", "USA", 0.0]]
    with pytest.raises(apr.ParameterError,
                       match=r"weights has unknown level\(s\) \['royal'\]; valid: leaders, "
                             "ministerial, chiefs, senior_officials, working, naval"):
        dip.intensity(2015, 2015, weights={"royal": 5, "leaders": 4}, data=e)


def test_partners_by_region(c):
    t = dip.partners_by_region("USA", 1990, 2025, data=c)
    assert t.index.name == "decade" and t.index.tolist() == [2010, 2020]
    assert list(t.columns) == ["Northeast Asia", "Oceania", "Southeast Asia"]
    assert t.columns.name is None
    # 2010s: China (2010, 2011, 2014), the Philippines (2018); 2020s: Japan, Australia (the
    # trilateral, once per partner), China (2022, 2023)
    assert t.loc[2010].tolist() == [3, 0, 1]
    assert t.loc[2020].tolist() == [3, 1, 0]
    assert dip.partners_by_region("USA", 2020, 2020, data=c).loc[2020].tolist() == [1, 1]
    e = engagements(c, [("x", "2015-01-01", "call", "USA;XXX", "working", None)])
    assert dip.partners_by_region("USA", 2015, 2015, data=e).columns.tolist() == ["unknown"]


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert len(dip.pairs(data=folder)) == 10
    assert dip.counts_by_kind(2010, 2010, data=str(folder)).loc[2010, "suspension"] == 1
