"""Scenarios: the tables change as asked, the collection given never does, and every bad
spec is named."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import scenarios


def test_apply_returns_a_new_collection(c):
    before = {k: c[k] for k in c}
    s = scenarios.apply(remove_actors=["USA"], data=c)
    assert isinstance(s, apr.Collection) and s is not c
    assert set(s) == set(c)  # every table is still there
    assert s.sha256 != c.sha256 and s.origin == c.origin
    assert s.coverage("incidents") == c.coverage("incidents")  # coverage kept
    for k, df in before.items():  # the collection given is untouched
        pd.testing.assert_frame_equal(c[k], df)
    unchanged = scenarios.apply(data=c)
    assert unchanged is not c
    for k in c:  # an empty scenario copies every table as it is
        pd.testing.assert_frame_equal(unchanged[k], c[k])
    assert scenarios.apply(data=c, remove_actors=[]).sha256 == unchanged.sha256 != s.sha256


def test_remove_actor(c):
    s = scenarios.apply(remove_actors=["USA"], data=c)
    assert "USA" not in set(s["actors"]["iso3"]) and len(s["actors"]) == 8
    assert "USA" not in set(s["agreement_members"]["iso3"])
    assert len(s["agreement_members"]) == len(c["agreement_members"]) - 6
    assert "USA" not in set(s["exercise_participants"]["iso3"])
    assert len(s["agreements"]) == len(c["agreements"])  # agreements stay, without the US
    g = apr.alliance_graph(2020, data=s)
    assert "USA" not in g and g.has_edge("JPN", "AUS")
    assert "USA" in apr.alliance_graph(2020, data=c)
    # arms transfers lose the code; the deals stay, with SIPRI's name
    a = s["arms_transfers"]
    assert (a["supplier_iso3"] == "USA").sum() == 0
    assert (a["supplier"] == "United States").sum() == 3 and len(a) == len(c["arms_transfers"])
    assert a.loc[a["deal_id"] == "000000000004", "recipient_iso3"].tolist() == ["JPN"]
    assert (c["arms_transfers"]["supplier_iso3"] == "USA").sum() == 3


def test_remove_actor_engagements(c):
    s = scenarios.apply(remove_actors=["USA"], data=c)
    e = s["engagements"].set_index("engagement_id")
    # two-state events with the US are gone; the trilateral keeps its other two states;
    # China's forum appearance stays
    assert e.index.tolist() == ["2019-06-02-forum", "2020-07-01-meeting", "2024-01-01-visit"]
    assert e.loc["2020-07-01-meeting", "participants"] == "JPN;AUS"
    assert e.loc["2024-01-01-visit", "initiator"] == "JPN"
    s2 = scenarios.apply(remove_actors=["JPN"], data=c)
    e2 = s2["engagements"].set_index("engagement_id")
    assert e2.loc["2020-07-01-meeting", "participants"] == "USA;AUS"
    assert "2024-01-01-visit" not in e2.index  # PHL alone, no forum
    # a removed initiator is no initiator
    s3 = scenarios.apply(remove_actors=["PHL"], data=c)
    e3 = s3["engagements"]
    assert "2018-03-05-port-call" not in set(e3["engagement_id"])
    s4 = scenarios.apply(remove_actors=["CHN"], data=c)
    assert "2019-06-02-forum" not in set(s4["engagements"]["engagement_id"])  # nobody left
    assert not s4["engagements"]["participants"].str.contains("CHN").any()


def test_remove_initiator_but_keep_the_event(c):
    e = c["engagements"]
    tri = e[e["engagement_id"] == "2020-07-01-meeting"].assign(initiator="JPN")
    col = c.replace(engagements=pd.concat([e[e["engagement_id"] != "2020-07-01-meeting"], tri],
                                          ignore_index=True))
    s = scenarios.apply(remove_actors=["JPN"], data=col)
    row = s["engagements"].set_index("engagement_id").loc["2020-07-01-meeting"]
    assert row["participants"] == "USA;AUS" and pd.isna(row["initiator"])


def test_remove_several_actors_and_tables_missing(c):
    s = scenarios.apply(remove_actors=["USA", "JPN"], data=c)
    assert set(s["actors"]["iso3"]) == {"KOR", "AUS", "PHL", "CHN", "RUS", "IND", "PRK"}
    e = s["engagements"]
    assert e["engagement_id"].tolist() == ["2019-06-02-forum"]  # the trilateral: AUS alone
    small = apr.Collection.from_frames({k: c.view(k) for k in
                                        ("actors", "agreements", "agreement_members")})
    out = scenarios.apply(remove_actors=["USA"], data=small)
    assert set(out) == {"actors", "agreements", "agreement_members"}
    assert "USA" not in set(out["agreement_members"]["iso3"])


def test_remove_agreements(c):
    s = scenarios.apply(remove_agreements=["quad", "forum"], data=c)
    assert set(s["agreements"]["agreement_id"]) == set(c["agreements"]["agreement_id"]) - {
        "quad", "forum"}
    assert not s["agreement_members"]["agreement_id"].isin(["quad", "forum"]).any()
    assert len(s["agreement_members"]) == len(c["agreement_members"]) - 3 - 6
    g = apr.alliance_graph(2020, data=s)
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.0)  # the treaty alone
    assert not g.has_edge("CHN", "USA")  # the forum tied them


def test_add_agreements(c):
    s = scenarios.apply(remove_agreements=["quad"], add_agreements=[
        {"agreement_id": "jpn-phl-pact", "kind": "defence_treaty", "members": ["JPN", "PHL"],
         "defense": 1}], year=2020, data=c)
    ag = s["agreements"].set_index("agreement_id")
    row = ag.loc["jpn-phl-pact"]
    assert row["name"] == "jpn-phl-pact" and row["kind"] == "defence_treaty"
    assert row["signed"] == pd.Timestamp("2020-01-01") and pd.isna(row["ended"])
    assert (row["defense"], row["offense"], row["consultation"]) == (1, 0, 0)
    assert row["source"] == "scenario (hypothetical)" and row["notes"] == "hypothetical"
    assert row["signed_precision"] == "day" and pd.isna(row["atop_id"])
    assert (s["agreements"].dtypes == c["agreements"].dtypes).all()  # same column types
    m = s["agreement_members"]
    new = m[m["agreement_id"] == "jpn-phl-pact"]
    assert new["iso3"].tolist() == ["JPN", "PHL"]
    assert (new["joined"] == pd.Timestamp("2020-01-01")).all() and new["left"].isna().all()
    assert new["joined_precision"].tolist() == ["day", "day"]
    assert new["source"].tolist() == ["scenario (hypothetical)"] * 2
    assert new["left_precision"].isna().all() and new["notes"].isna().all()
    for table in ("agreements", "agreement_members"):  # one row per label, as read
        assert s[table].index.tolist() == list(range(len(s[table])))
    assert (s["agreement_members"].dtypes == c["agreement_members"].dtypes).all()
    g = apr.alliance_graph(2020, data=s)
    assert g["JPN"]["PHL"]["defense"] is True
    assert g["USA"]["JPN"]["weight"] == pytest.approx(1.1)  # treaty + forum, no Quad
    before = apr.alliance_graph(2019, data=s)
    assert before["JPN"]["PHL"]["defense"] is False  # the forum only: the pact starts in 2020
    assert "jpn-phl-pact" not in set(c["agreements"]["agreement_id"])


def test_add_agreement_defaults_and_several(c):
    s = scenarios.apply(add_agreements=[
        {"agreement_id": "a1", "members": ["KOR", "PHL", "AUS"]},
        {"agreement_id": "a2", "name": "Pact", "members": ["IND", "JPN"],
         "signed": "2010-05-05", "consultation": 1, "kind": "access_agreement"},
    ], data=c)
    ag = s["agreements"].set_index("agreement_id")
    assert ag.loc["a1", "kind"] == "security_agreement"  # the default kind
    assert ag.loc["a1", "signed"] == pd.Timestamp("2025-01-01")  # 1 January of the year
    assert ag.loc[["a1"], ["defense", "offense", "neutrality", "nonaggression",
                           "consultation"]].values.tolist() == [[0, 0, 0, 0, 0]]
    assert (ag.loc["a2", "name"], ag.loc["a2", "kind"], ag.loc["a2", "consultation"]) == (
        "Pact", "access_agreement", 1)
    assert ag.loc["a2", "signed"] == pd.Timestamp("2010-05-05")
    m = s["agreement_members"]
    assert m[m["agreement_id"] == "a1"]["iso3"].tolist() == ["KOR", "PHL", "AUS"]
    assert (m[m["agreement_id"] == "a2"]["joined"] == pd.Timestamp("2010-05-05")).all()
    g = apr.alliance_graph(2010, data=s)
    assert g["IND"]["JPN"]["strongest"] == "consultation"
    # an id removed in the same scenario may be used again
    again = scenarios.apply(remove_agreements=["quad"], add_agreements=[
        {"agreement_id": "quad", "members": ["USA", "IND"]}], data=c)
    assert again["agreement_members"].query("agreement_id == 'quad'")["iso3"].tolist() == [
        "USA", "IND"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"remove_actors": ["SUN"]},
         r"remove_actors has unknown value\(s\) 'SUN'; valid: AUS, CHN, IND, JPN, KOR, PHL, "
         r"PRK, RUS, USA\."),
        ({"remove_actors": 5},
         "remove_actors=5 must be a list; valid items: AUS, CHN"),
        ({"remove_agreements": ["nato"]},
         r"remove_agreements has unknown value\(s\) 'nato'; valid: chn-kor, forum, jpn-aus"),
        ({"add_agreements": ["x"]}, "each added agreement must be a dict, got 'x'"),
        ({"add_agreements": [{"members": ["JPN", "PHL"]}]},
         "added agreement needs a new agreement_id; got None"),
        ({"add_agreements": [{"agreement_id": "", "members": ["JPN", "PHL"]}]},
         "added agreement needs a new agreement_id; got ''"),
        ({"add_agreements": [{"agreement_id": "quad", "members": ["JPN", "PHL"]}]},
         "added agreement needs a new agreement_id; got 'quad'"),
        ({"add_agreements": [{"agreement_id": "x", "members": ["JPN", "PHL"]},
                             {"agreement_id": "x", "members": ["JPN", "KOR"]}]},
         "added agreement needs a new agreement_id; got 'x'"),
        ({"add_agreements": [{"agreement_id": "x", "kind": "pact", "members": ["JPN", "PHL"]}]},
         "kind='pact' of x is not valid; valid: defence_treaty, security_agreement, "
         "access_agreement"),
        ({"add_agreements": [{"agreement_id": "x", "members": ["JPN"]}]},
         "added agreement x needs at least two different members"),
        ({"add_agreements": [{"agreement_id": "x", "members": ["JPN", "JPN"]}]},
         "added agreement x needs at least two different members"),
        ({"add_agreements": [{"agreement_id": "x"}]},
         "added agreement x needs at least two different members"),
        ({"add_agreements": [{"agreement_id": "x", "members": ["JPN", "XXX"]}]},
         r"members of x has unknown value\(s\) 'XXX'; valid: AUS"),
        ({"remove_actors": ["USA"],
          "add_agreements": [{"agreement_id": "x", "members": ["JPN", "USA"]}]},
         r"members of x has unknown value\(s\) 'USA'; valid: AUS, CHN, IND, JPN, KOR, PHL, "
         r"PRK, RUS\."),
    ],
)
def test_bad_specs(c, kwargs, message):
    with pytest.raises(apr.ParameterError, match=message):
        scenarios.apply(data=c, **kwargs)


def test_long_lists_are_cut_at_forty(c):
    ag = c["agreements"]
    many = pd.concat([ag.iloc[[0]].assign(agreement_id=f"a{i:02d}") for i in range(45)],
                     ignore_index=True)
    col = c.replace(agreements=many)
    with pytest.raises(apr.ParameterError) as info:
        scenarios.apply(remove_agreements=["nato"], data=col)
    listed = str(info.value).split("valid: ")[1]
    assert listed.startswith("a00, a01") and listed.endswith("a39 ....")
    assert "a40" not in listed


def test_remove_actors_accepts_one_code(c):
    s = scenarios.apply(remove_actors="PRK", data=c)
    assert "PRK" not in set(s["actors"]["iso3"])


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    s = scenarios.apply(remove_actors=["USA"], data=str(folder))
    assert "USA" not in set(s["actors"]["iso3"])
    assert "USA" in set(apr.collection(folder)["actors"]["iso3"])
