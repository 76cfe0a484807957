"""Foreign military presence on the hand-made fixture (tests/conftest.py), worked by hand.

The fixture: one curated site (us-phl-site, a US access site in the Philippines established
2016-01-01, still open); two us_bases sites (Yokosuka in Japan, Osan in South Korea; the list
of about 2018); DMDC active-duty US personnel in 2020: JPN 55000, KOR 26000, PHL 150, AUS 90,
and in 2010: JPN 35000.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import presence as pr

SITE_COLUMNS = ["site_id", "host", "user", "kind", "name", "lat", "lon", "established", "end",
                "origin", "foreign"]


def with_sites(c, rows):
    """A copy of ``c`` whose presence table is ``rows``: (id, host, user, established,
    use_start, end)."""
    p = pd.DataFrame([{"presence_id": i, "host": h, "user": u, "kind": "base", "name": i,
                       "lat": 1.0, "lon": 2.0, "established": pd.Timestamp(e) if e else pd.NaT,
                       "use_start": pd.Timestamp(s) if s else pd.NaT,
                       "end": pd.Timestamp(x) if x else pd.NaT}
                      for i, h, u, e, s, x in rows])
    return c.replace(presence=p)


def with_deployments(c, rows):
    d = pd.DataFrame(rows, columns=["iso3", "year", "troops_ad"]).assign(release="Test")
    return c.replace(us_deployments=d)


def test_constants():
    assert pr.KINDS == ("base", "access_site", "rotational_force", "training_area",
                        "logistics")
    assert pr.US_BASES_YEAR == 2018


# --------------------------------------------------------------------------- sites
def test_sites_all(c):
    s = pr.sites(data=c)
    assert list(s.columns) == SITE_COLUMNS
    assert s["site_id"].tolist() == ["us-phl-site", "us-jpn-yokosuka", "us-kor-osan"]
    assert s["origin"].tolist() == ["curated", "us_bases", "us_bases"]
    assert (s["user"] == "USA").all()
    cur = s.iloc[0]
    assert (cur["host"], cur["kind"], cur["name"]) == ("PHL", "access_site", "Site A")
    assert cur["established"] == pd.Timestamp("2016-01-01") and pd.isna(cur["end"])
    vine = s.iloc[1]
    assert (vine["host"], vine["kind"], vine["name"]) == ("JPN", "base", "Yokosuka")
    assert vine["lat"] == pytest.approx(35.28) and pd.isna(vine["established"])


def test_sites_by_year(c):
    assert pr.sites(2015, data=c).empty  # established in 2016
    assert list(pr.sites(2015, data=c).columns) == SITE_COLUMNS
    y16 = pr.sites(2016, data=c)
    assert y16["site_id"].tolist() == ["us-phl-site"]  # the us_bases list is for 2018 only
    y18 = pr.sites(2018, data=c)
    assert y18["site_id"].tolist() == ["us-phl-site", "us-jpn-yokosuka", "us-kor-osan"]
    assert pr.sites(2019, data=c)["origin"].tolist() == ["curated"]  # never projected
    assert pr.sites(2017, data=c)["origin"].tolist() == ["curated"]
    assert pr.sites(2018, user="CHN", data=c).empty
    assert pr.sites(2018, user="USA", data=c)["site_id"].tolist() == y18["site_id"].tolist()


def test_sites_in_force_rule(c):
    col = with_sites(c, [
        ("a", "JPN", "USA", "2000-12-31", None, None),  # established on the last day
        ("b", "JPN", "USA", None, "2005-06-01", None),  # first used (no establishment date)
        ("d", "KOR", "USA", "1990-01-01", None, "2010-01-01"),  # closed 1 Jan 2010: in 2010
        ("e", "KOR", "USA", "1990-01-01", None, "2009-12-31"),  # closed before 2010
        ("f", "AUS", "USA", "2001-01-01", "1999-01-01", None),  # used before established
        ("g", "FRA", "FRA", "1990-01-01", None, None),  # its own territory
    ])
    ids = {y: pr.sites(y, data=col)["site_id"].tolist() for y in (1999, 2000, 2005, 2010, 2011)}
    assert ids[1999] == ["d", "e", "f", "g"]  # f counts from its first use, the earlier date
    assert ids[2000] == ["a", "d", "e", "f", "g"]
    assert ids[2005] == ["a", "b", "d", "e", "f", "g"]
    assert ids[2010] == ["a", "b", "d", "f", "g"]
    assert ids[2011] == ["a", "b", "f", "g"]
    b = pr.sites(2005, data=col).set_index("site_id")
    assert b.loc["b", "established"] == pd.Timestamp("2005-06-01")  # established = first use
    assert b.loc["f", "established"] == pd.Timestamp("1999-01-01")  # the earlier of the two
    assert b["foreign"].to_dict() == {"a": True, "b": True, "d": True, "e": True, "f": True,
                                      "g": False}
    # a state's own territory is shown as footprint, but is neither a foreign site of a host
    # nor a presence tie
    assert pr.hosts(2005, data=col).set_index("iso3")["foreign_sites"].get("FRA", 0) == 0
    ties = pr.presence_ties([2005], data=col)
    assert not (ties["iso3_a"] == ties["iso3_b"]).any()
    assert set(ties.loc[ties["source"] == "presence", "host"]) == {"JPN", "KOR", "AUS"}


def test_sites_leave_out_us_territory(c):
    b = c["us_bases"]
    guam = b.iloc[[0]].assign(site_id="us-usa-guam", host="USA", name="Guam")
    col = c.replace(us_bases=pd.concat([b, guam], ignore_index=True))
    s = pr.sites(2018, data=col)
    assert "us-usa-guam" not in set(s["site_id"]) and len(s) == 3
    assert "us-usa-guam" not in set(pr.sites(data=col)["site_id"])


def test_sites_empty(c):
    col = c.replace(presence=c["presence"].iloc[0:0])
    empty = pr.sites(2016, data=col)
    assert empty.empty and list(empty.columns) == SITE_COLUMNS
    only_vine = pr.sites(2018, data=col)
    assert only_vine["origin"].tolist() == ["us_bases", "us_bases"]


# --------------------------------------------------------------------------- personnel
def test_us_personnel(c):
    p = pr.us_personnel(2000, 2025, data=c)
    assert "release" not in p.columns
    assert list(p.columns[:3]) == ["iso3", "year", "troops_ad"]
    assert p[["iso3", "year", "troops_ad"]].values.tolist() == [
        ["AUS", 2020, 90.0], ["JPN", 2010, 35000.0], ["JPN", 2020, 55000.0],
        ["KOR", 2020, 26000.0], ["PHL", 2020, 150.0]]  # by host, then year
    assert pr.us_personnel(2011, 2020, data=c)["year"].tolist() == [2020] * 4  # inclusive
    assert pr.us_personnel(2010, 2010, data=c)["iso3"].tolist() == ["JPN"]
    assert pr.us_personnel(2021, 2025, data=c).empty
    jpn = pr.us_personnel(2000, 2025, hosts=["JPN"], data=c)
    assert jpn["year"].tolist() == [2010, 2020]
    assert pr.us_personnel(2000, 2025, hosts="KOR", data=c)["iso3"].tolist() == ["KOR"]
    with pytest.raises(apr.ParameterError,
                       match=r"hosts has unknown value\(s\) 'GER'; valid: AUS, CHN"):
        pr.us_personnel(2000, 2025, hosts=["GER"], data=c)


def test_us_personnel_regional_only(c):
    a = c["actors"]
    a["regional"] = a["iso3"] != "AUS"
    col = c.replace(actors=a)
    assert "AUS" not in set(pr.us_personnel(2020, 2020, data=col)["iso3"])
    assert "AUS" in set(pr.us_personnel(2020, 2020, regional_only=False, data=col)["iso3"])
    # naming the hosts overrides the regional filter
    assert pr.us_personnel(2020, 2020, hosts=["AUS"], data=col)["iso3"].tolist() == ["AUS"]
    d = c["us_deployments"]
    extra = c.replace(us_deployments=pd.concat([d, d.iloc[[0]].assign(iso3="DEU")]))
    assert "DEU" not in set(pr.us_personnel(2020, 2020, data=extra)["iso3"])  # not an actor
    assert "DEU" in set(pr.us_personnel(2020, 2020, regional_only=False, data=extra)["iso3"])


# --------------------------------------------------------------------------- hosts
def test_hosts(c):
    h = pr.hosts(2020, data=c)
    assert list(h.columns) == ["iso3", "us_personnel", "us_presence", "foreign_sites",
                               "us_defence_pledge"]
    # the region's actors but the US; by personnel (largest first, unknown last), then code
    assert h["iso3"].tolist() == ["JPN", "KOR", "PHL", "AUS", "CHN", "IND", "PRK", "RUS"]
    t = h.set_index("iso3")
    assert t["us_personnel"].tolist()[:4] == [55000.0, 26000.0, 150.0, 90.0]
    assert t.loc[["JPN", "KOR", "PHL"], "us_presence"].tolist() == [True, True, True]
    assert t.loc["AUS", "us_presence"] == False  # noqa: E712 - 90 < 100
    assert t.loc[["CHN", "RUS"], "us_presence"].isna().all()  # not reported: not known
    assert t["foreign_sites"].tolist() == [0, 0, 1, 0, 0, 0, 0, 0]  # the access site in PHL
    assert t["foreign_sites"].dtype.kind == "i"
    # defence pledges in force in 2020: JPN, KOR, AUS (the Philippines treaty ended in 1960)
    assert t["us_defence_pledge"].to_dict() == {"JPN": True, "KOR": True, "PHL": False,
                                                "AUS": True, "CHN": False, "IND": False,
                                                "PRK": False, "RUS": False}


def test_hosts_default_threshold_and_pledges_either_way(c):
    col = with_deployments(c, [("IND", 2020, 100), ("PHL", 2020, 99)])
    t = pr.hosts(2020, data=col).set_index("iso3")
    assert t.loc["IND", "us_presence"] == True  # noqa: E712 - 100 is enough by default
    assert t.loc["PHL", "us_presence"] == False  # noqa: E712
    # a partner whose code sorts after USA
    a = c["actors"]
    vnm = a[a["iso3"] == "PHL"].assign(iso3="VNM", name="Viet Nam")
    ag, m = c["agreements"], c["agreement_members"]
    pact = ag[ag["agreement_id"] == "us-kor"].assign(agreement_id="us-vnm")
    mem = m[m["agreement_id"] == "us-kor"].assign(agreement_id="us-vnm",
                                                  iso3=["USA", "VNM"])
    both = c.replace(actors=pd.concat([a, vnm], ignore_index=True),
                     agreements=pd.concat([ag, pact], ignore_index=True),
                     agreement_members=pd.concat([m, mem], ignore_index=True))
    t = pr.hosts(2020, data=both).set_index("iso3")
    assert t.loc["VNM", "us_defence_pledge"] and t.loc["KOR", "us_defence_pledge"]
    assert not t.loc["PHL", "us_defence_pledge"]


def test_hosts_threshold_and_years(c):
    t = pr.hosts(2020, min_personnel=150, data=c).set_index("iso3")
    assert t.loc["PHL", "us_presence"] == True  # noqa: E712 - 150 >= 150
    t = pr.hosts(2020, min_personnel=151, data=c).set_index("iso3")
    assert t.loc["PHL", "us_presence"] == False  # noqa: E712
    assert pr.hosts(2020, min_personnel=90, data=c).set_index("iso3").loc["AUS", "us_presence"]
    h10 = pr.hosts(2010, data=c)
    assert h10["iso3"].tolist() == ["JPN", "AUS", "CHN", "IND", "KOR", "PHL", "PRK", "RUS"]
    assert h10["us_presence"].tolist()[0] and h10["us_presence"].iloc[1:].isna().all()
    assert (h10["foreign_sites"] == 0).all()  # the site opened in 2016
    # in 2018 the us_bases list applies, but only curated sites are counted
    assert pr.hosts(2018, data=c).set_index("iso3")["foreign_sites"].to_dict()["JPN"] == 0
    assert pr.hosts(2018, data=c).set_index("iso3").loc["PHL", "foreign_sites"] == 1
    a = c["actors"]
    a["regional"] = a["iso3"] != "KOR"
    assert "KOR" not in set(pr.hosts(2020, data=c.replace(actors=a))["iso3"])


# --------------------------------------------------------------------------- ties
def test_presence_ties(c):
    t = pr.presence_ties([2010, 2016, 2020], data=c)
    assert list(t.columns) == ["year", "iso3_a", "iso3_b", "user", "host", "source"]
    assert t.values.tolist() == [
        [2020, "JPN", "USA", "USA", "JPN", "dmdc"],
        [2020, "KOR", "USA", "USA", "KOR", "dmdc"],
        [2020, "PHL", "USA", "USA", "PHL", "dmdc"],  # once, though the site is also there
        [2010, "JPN", "USA", "USA", "JPN", "dmdc"],
        [2016, "PHL", "USA", "USA", "PHL", "presence"]]
    assert (t["iso3_a"] < t["iso3_b"]).all()
    low = pr.presence_ties([2020], min_personnel=90, data=c)
    assert "AUS" in set(low["host"])
    high = pr.presence_ties([2020], min_personnel=30000, data=c)
    assert high["host"].tolist() == ["JPN", "PHL"]  # PHL by its site
    assert high["source"].tolist() == ["dmdc", "presence"]


def test_presence_ties_rules(c):
    col = with_sites(with_deployments(c, [("USA", 2020, 500000), ("IND", 2020, 100),
                                          ("IND", 2019, 99)]),
                     [("cn", "PRK", "CHN", "2015-06-01", None, None),
                      ("self", "CHN", "CHN", "2015-06-01", None, None)])
    t = pr.presence_ties([2019, 2020], data=col)
    # US forces at home are no tie; a state's own site neither; 100 personnel is enough
    assert t[["year", "iso3_a", "iso3_b", "user", "host", "source"]].values.tolist() == [
        [2020, "IND", "USA", "USA", "IND", "dmdc"],
        [2019, "CHN", "PRK", "CHN", "PRK", "presence"],
        [2020, "CHN", "PRK", "CHN", "PRK", "presence"]]


def test_alliance_graph_presence_option(c):
    g = apr.alliance_graph(2020, presence=True, data=c)
    plain = apr.alliance_graph(2020, data=c)
    # an existing tie gains the presence flag and the base weight (0.1)
    assert g["JPN"]["USA"]["presence"] is True
    assert g["JPN"]["USA"]["weight"] == pytest.approx(plain["JPN"]["USA"]["weight"] + 0.1)
    assert "presence" not in plain["JPN"]["USA"]
    assert "presence" not in g["AUS"]["USA"]  # 90 personnel: below the threshold
    col = with_deployments(c, [("IND", 2020, 500)])
    g2 = apr.alliance_graph(2020, presence=True, data=col)
    assert not apr.alliance_graph(2020, data=col).has_edge("IND", "USA")
    e = g2["IND"]["USA"]  # a presence-only tie: a new edge of weight base
    assert e["weight"] == pytest.approx(0.1) and e["kinds"] == ["presence"]
    assert e["presence"] is True and e["defense"] is False and e["strongest"] == "none"
    g3 = apr.alliance_graph(2020, presence=True, min_personnel=50, data=c)
    assert g3["AUS"]["USA"]["presence"] is True


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert pr.sites(2016, data=folder)["site_id"].tolist() == ["us-phl-site"]


def test_site_counts(c):
    col = with_sites(c, [
        ("a", "JPN", "USA", "2000-06-01", None, None),
        ("b", "KOR", "USA", "1999-01-01", None, "2000-03-01"),  # ends during 2000: counted
        ("r", "VNM", "RUS", "1998-01-01", None, "1999-12-31"),
        ("g", "FRA", "FRA", "1990-01-01", None, None),  # own territory
    ])
    t = pr.site_counts(1999, 2001, data=col)
    assert list(t.columns) == ["year", "user", "sites"]
    got = {(r.year, r.user): r.sites for r in t.itertuples()}
    assert got == {(1999, "RUS"): 1, (1999, "USA"): 1, (2000, "RUS"): 0, (2000, "USA"): 2,
                   (2001, "RUS"): 0, (2001, "USA"): 1}
    every = pr.site_counts(2001, 2001, foreign_only=False, data=col)
    assert every.set_index("user")["sites"].to_dict() == {"FRA": 1, "RUS": 0, "USA": 1}
    # outside the declared coverage the count is NA, not 0
    lo, _ = col.coverage("presence")
    before = pr.site_counts(lo - 1, lo, data=col)
    assert before.loc[before["year"] == lo - 1, "sites"].isna().all()
    assert before.loc[before["year"] == lo, "sites"].notna().all()
