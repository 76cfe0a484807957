"""Arms transfers on the hand-made fixture (tests/conftest.py); answers worked by hand.

The fixture's deals (TIV delivered, delivery years); the table's coverage is 1950-2024:

1. RUS (Soviet Union) -> IND 30: 1988, 1989, 1990     2. RUS -> IND 20: 2010, 2011
3. KOR -> IND 10: 2011                                 4. USA -> JPN 40: 2011, 2012
5. Israel (no code) -> IND 5: 2011                     6. CHN -> PHL 2: 2012
7. USA -> Saudi Arabia (no code) 100: 2011             8. USA -> AUS ordered 2023, not delivered
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import transfers as tr


def deals(c, rows, coverage=None):
    """A collection whose arms_transfers are ``rows``: (deal_id, supplier_iso3,
    recipient_iso3, delivery_years, tiv_delivered_m[, order_year, tiv_order_m])."""
    recs = []
    for r in rows:
        did, s, rc, years, tiv, *order = r
        recs.append({"deal_id": did, "supplier": s or "Somewhere", "recipient": rc or "Else",
                     "supplier_iso3": s, "recipient_iso3": rc, "delivery_years": years,
                     "tiv_delivered_m": tiv, "weapon_category": "x",
                     "order_year": order[0] if order else pd.NA,
                     "tiv_order_m": order[1] if len(order) > 1 else float("nan")})
    df = pd.DataFrame(recs).astype({"supplier_iso3": "string", "recipient_iso3": "string",
                                    "delivery_years": "string", "tiv_delivered_m": float,
                                    "order_year": "Int64", "tiv_order_m": float})
    return apr.Collection.from_frames({"arms_transfers": df, "actors": c.view("actors")},
                                      coverage=coverage)


def test_window():
    assert tr.WINDOW == 5


# --------------------------------------------------------------------------- deliveries
def test_deliveries_spread_evenly(c):
    d = tr.deliveries_by_year(data=c)
    assert list(d.columns) == ["deal_id", "supplier", "recipient", "supplier_iso3",
                               "recipient_iso3", "weapon_category", "year", "tiv_m"]
    one = d[d["deal_id"] == "000000000001"]
    assert one["year"].tolist() == [1988, 1989, 1990] and one["tiv_m"].tolist() == [10.0] * 3
    assert one["supplier"].tolist() == ["Soviet Union"] * 3
    four = d[d["deal_id"] == "000000000004"]
    assert four[["year", "tiv_m"]].values.tolist() == [[2011, 20.0], [2012, 20.0]]
    assert "000000000008" not in set(d["deal_id"])  # nothing delivered yet: no rows, not 0
    # every delivered TIV is kept, only spread over the years
    assert d["tiv_m"].sum() == pytest.approx(c.view("arms_transfers")["tiv_delivered_m"].sum())
    assert len(d) == 3 + 2 + 1 + 2 + 1 + 1 + 1
    assert d["year"].dtype.kind == "i"


def test_deliveries_by_year_parsing(c):
    col = deals(c, [("a", "USA", "JPN", "2001;2002; 2003", 9.0),
                    ("b", "USA", "JPN", None, 5.0),  # no delivery years: left out
                    ("c", "USA", "JPN", "2004", float("nan"))])  # no TIV: left out
    d = tr.deliveries_by_year(data=col)
    assert d[["deal_id", "year", "tiv_m"]].values.tolist() == [
        ["a", 2001, 3.0], ["a", 2002, 3.0], ["a", 2003, 3.0]]


# --------------------------------------------------------------------------- partners
def test_partners_window(c):
    p = tr.partners(range(1987, 1997), data=c)
    assert list(p.columns) == ["year", "iso3", "arms_partners"]
    t = p.set_index(["year", "iso3"])["arms_partners"]
    # deliveries 1988-1990: counted in Y-4..Y, so from 1988 to 1990 + 4 = 1994
    assert [t[(y, "IND")] for y in range(1987, 1997)] == [0, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    assert [t[(y, "RUS")] for y in range(1987, 1997)] == [0, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    assert str(p["arms_partners"].dtype) == "Int64"


def test_partners_four_years_before_counts_five_does_not(c):
    col = deals(c, [("a", "USA", "JPN", "2000", 1.0)])
    t = tr.partners([1999, 2000, 2004, 2005], data=col).set_index(["year", "iso3"])
    assert t.loc[(2004, "JPN"), "arms_partners"] == 1  # 4 years before: counts
    assert t.loc[(2005, "JPN"), "arms_partners"] == 0  # 5 years before: does not
    assert t.loc[(1999, "JPN"), "arms_partners"] == 0  # not yet
    assert t.loc[(2000, "USA"), "arms_partners"] == 1
    w2 = tr.partners([2001, 2002], window=2, data=col).set_index(["year", "iso3"])
    assert w2["arms_partners"].to_dict() == {**{(y, i): 0 for y in (2001, 2002)
                                                for i in sorted(c.actor_attributes())},
                                             (2001, "JPN"): 1, (2001, "USA"): 1}
    w1 = tr.partners([2000, 2001], window=1, data=col).set_index(["year", "iso3"])
    assert w1.loc[(2000, "JPN"), "arms_partners"] == 1 and w1.loc[(2001, "JPN"),
                                                                  "arms_partners"] == 0
    with pytest.raises(apr.ParameterError, match="window=0 is not valid; give a whole number "
                                                 ">= 1"):
        tr.partners([2001], window=0, data=col)


def test_partners_values(c):
    t = tr.partners([2011, 2012, 2016], data=c).set_index(["year", "iso3"])["arms_partners"]
    # 2011: India from Russia, South Korea and Israel; the US to Japan and Saudi Arabia
    assert t[(2011, "IND")] == 3 and t[(2011, "USA")] == 2
    assert t[(2011, "KOR")] == 1 and t[(2011, "JPN")] == 1 and t[(2011, "CHN")] == 0
    assert t[(2012, "CHN")] == 1 and t[(2012, "PHL")] == 1
    # 2016 looks back to 2012: the US (Japan), China and the Philippines; India's are older
    assert t[(2016, "USA")] == 1 and t[(2016, "IND")] == 0 and t[(2016, "PHL")] == 1
    assert t[(2016, "AUS")] == 0  # ordered, never delivered
    # every actor in every year
    assert len(t) == 3 * 9


def test_partners_distinct_and_positive(c):
    col = deals(c, [("a", "USA", "JPN", "2000", 1.0), ("b", "USA", "JPN", "2001", 1.0),
                    ("c", "KOR", "JPN", "2001", 0.0),  # no TIV delivered: no partner
                    ("d", None, "JPN", "2001", 2.0)])  # a non-actor supplier, by its name
    t = tr.partners([2001], data=col).set_index("iso3")["arms_partners"]
    assert t["JPN"] == 2  # USA (twice, counted once) and 'Somewhere'
    assert t["USA"] == 1 and t["KOR"] == 0


def test_partners_coverage_and_empty(c):
    t = tr.partners([1949, 1950, 2024, 2025], data=c).set_index(["year", "iso3"])
    assert t.loc[1949]["arms_partners"].isna().all() and t.loc[2025]["arms_partners"].isna().all()
    assert t.loc[1950]["arms_partners"].tolist() == [0] * 9  # the coverage's first year
    assert t.loc[2024]["arms_partners"].tolist() == [0] * 9  # and its last
    assert t.loc[1950]["arms_partners"].notna().all() and t.loc[2024]["arms_partners"].notna().all()
    empty = tr.partners([], data=c)
    assert empty.empty and list(empty.columns) == ["year", "iso3", "arms_partners"]


# --------------------------------------------------------------------------- dependence
def test_supplier_dependence(c):
    dep = tr.supplier_dependence("IND", 2010, 2011, data=c)
    assert list(dep.columns) == ["supplier", "tiv_m", "share_pct"]
    # largest share first: RUS 20 of 35, KOR 10, Israel (no code: SIPRI's name) 5
    assert dep["supplier"].tolist() == ["RUS", "KOR", "Israel"]
    assert dep["tiv_m"].tolist() == [20.0, 10.0, 5.0]
    assert dep["share_pct"].tolist() == pytest.approx([20 / 35 * 100, 10 / 35 * 100,
                                                       5 / 35 * 100])
    assert dep["share_pct"].sum() == pytest.approx(100.0)
    assert tr.supplier_dependence("IND", 2011, 2011, data=c)["tiv_m"].tolist() == [
        10.0, 10.0, 5.0]  # KOR, RUS (equal shares: by code), Israel
    assert tr.supplier_dependence("IND", 2011, 2011, data=c)["supplier"].tolist() == [
        "KOR", "RUS", "Israel"]
    empty = tr.supplier_dependence("IND", 1995, 2000, data=c)
    assert empty.empty and list(empty.columns) == ["supplier", "tiv_m", "share_pct"]
    assert tr.supplier_dependence("IND", 1988, 1988, data=c)["share_pct"].tolist() == [100.0]


def test_dependence_over_time(c):
    s = tr.dependence_over_time("IND", "RUS", 1990, 2011, window=2, data=c)
    assert list(s.columns) == ["year", "share_pct"]
    assert s["year"].tolist() == list(range(1990, 2012))
    s = s.set_index("year")["share_pct"]
    assert s[1990] == 100.0 and s[1991] == 100.0  # the Soviet deal, carried by RUS
    assert math.isnan(s[1992])  # nothing delivered in 1991-1992: not known, not 0
    assert s[2010] == 100.0
    assert s[2011] == pytest.approx(20 / 35 * 100)  # 2010-2011: RUS 20 of 35
    five = tr.dependence_over_time("IND", "RUS", 1994, 1995, data=c).set_index("year")
    # the default window of 5: 1990-1994 still sees the 1990 delivery, 1991-1995 does not
    assert five.loc[1994, "share_pct"] == 100.0 and math.isnan(five.loc[1995, "share_pct"])
    kor = tr.dependence_over_time("IND", "KOR", 2011, 2015, data=c).set_index("year")
    # 2011-2014 windows hold RUS 20, KOR 10, Israel 5; 2011-2015 no longer has RUS's 2010 half
    assert kor["share_pct"].tolist() == pytest.approx([10 / 35 * 100] * 4 + [10 / 25 * 100])
    one = deals(c, [("a", "USA", "JPN", "2001", 1.0)])
    assert tr.dependence_over_time("JPN", "USA", 2001, 2001, data=one)["share_pct"].tolist() \
        == [100.0]  # a total of exactly 1
    israel = tr.dependence_over_time("IND", "Israel", 2011, 2011, window=1, data=c)
    assert israel["share_pct"].tolist() == pytest.approx([5 / 25 * 100])
    assert tr.dependence_over_time("IND", "USA", 2011, 2011, data=c)["share_pct"].tolist() \
        == [0.0]
    with pytest.raises(apr.ParameterError, match="window=0 is not valid; give a whole number "
                                                 ">= 1"):
        tr.dependence_over_time("IND", "RUS", 1990, 2011, window=0, data=c)


# --------------------------------------------------------------------------- network
def test_transfer_network(c):
    g = tr.transfer_network(2011, 2011, data=c)
    assert isinstance(g, nx.DiGraph) and g.is_directed()
    assert g.graph == {"start": 2011, "end": 2011, "unit": "SIPRI TIV, millions"}
    assert {(a, b): d["weight"] for a, b, d in g.edges(data=True)} == {
        ("RUS", "IND"): 10.0, ("KOR", "IND"): 10.0, ("USA", "JPN"): 20.0}
    assert g.nodes["IND"]["name"] == "India" and g.nodes["USA"]["lat"] == pytest.approx(38.9)
    assert set(g.nodes) == {"IND", "JPN", "KOR", "RUS", "USA"}
    everyone = tr.transfer_network(2011, 2011, actors_only=False, data=c)
    assert everyone["USA"]["Saudi Arabia"]["weight"] == 100.0
    assert everyone["Israel"]["IND"]["weight"] == 5.0
    assert everyone.nodes["Israel"] == {}  # not an actor: no attributes
    assert set(everyone.nodes) == {"Israel", "IND", "KOR", "RUS", "USA", "JPN", "Saudi Arabia"}
    both = tr.transfer_network(2010, 2012, data=c)
    assert both["RUS"]["IND"]["weight"] == 20.0 and both["USA"]["JPN"]["weight"] == 40.0
    assert both["CHN"]["PHL"]["weight"] == 2.0
    assert tr.transfer_network(1995, 2000, data=c).number_of_nodes() == 0


# --------------------------------------------------------------------------- orders
def test_orders(c):
    o = tr.orders("USA", "JPN", 2009, 2011, data=c)
    assert list(o.columns) == ["year", "deals", "tiv_order_m"]
    assert o["year"].tolist() == [2009, 2010, 2011]
    assert o["deals"].tolist() == [0, 1, 0] and str(o["deals"].dtype) == "Int64"
    assert o["tiv_order_m"].tolist()[1] == 40.0
    assert o["tiv_order_m"].isna().tolist() == [True, False, True]
    aus = tr.orders("USA", "AUS", 2022, 2025, data=c)
    # 2025 is outside the table's coverage (1950-2024): not known
    assert aus["deals"].isna().tolist() == [False, False, False, True]
    assert aus["deals"].tolist()[:3] == [0, 1, 0]
    early = tr.orders("USA", "JPN", 1948, 1951, data=c)
    assert early["deals"].isna().tolist() == [True, True, False, False]
    assert tr.orders("JPN", "USA", 2010, 2010, data=c)["deals"].tolist() == [0]  # directed


def test_orders_sums_and_missing_tiv(c):
    col = deals(c, [("a", "USA", "JPN", "2001", 1.0, 2000, 4.0),
                    ("b", "USA", "JPN", "2001", 1.0, 2000, 6.0),
                    ("c", "USA", "JPN", "2002", 1.0, 2001)])  # SIPRI gives no order TIV
    o = tr.orders("USA", "JPN", 2000, 2001, data=col).set_index("year")
    assert o.loc[2000, ["deals", "tiv_order_m"]].tolist() == [2, 10.0]
    assert o.loc[2001, "deals"] == 1 and math.isnan(o.loc[2001, "tiv_order_m"])


def test_source_line(c):
    assert tr.source_line(data=c) == ("SIPRI Arms Transfers Database (Test), "
                                      "https://www.sipri.org/databases/armstransfers")
    t = c["arms_transfers"]
    two = c.replace(arms_transfers=pd.concat([t, t.assign(release="2025")]))
    assert tr.source_line(data=two).startswith("SIPRI Arms Transfers Database (2025; Test)")
    none = c.replace(arms_transfers=t.drop(columns="release"))
    assert "(release unknown)" in tr.source_line(data=none)


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert tr.supplier_dependence("IND", 2010, 2011, data=folder)["supplier"].tolist()[0] == "RUS"
