"""Exercises on the hand-made fixture (tests/conftest.py); answers worked by hand.

The fixture's editions (states taking part = host + participants; observers left out):

* mme-9-cope-north-85 (1985, MME, no series): JPN, USA
* rimpac-2014: USA (host), JPN, AUS, CHN            -> 4 states, minilateral
* foal-eagle-2017: KOR (host), USA                   -> 2, bilateral
* rimpac-2018: USA (host), JPN, AUS, KOR; PHL observer -> 4, minilateral
* joint-sea-2019: CHN (host), RUS                    -> 2, bilateral
* malabar-2020: IND (host), USA, JPN, AUS            -> 4, minilateral

The exercises table's declared coverage (shipped descriptor) is 1980-2025.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import exercises as ex

ALL_ROLES = ("host", "participant", "observer")


def _with(c, *, participants=(), exercises=(), series=(), drop_participants=()):
    """A copy of ``c`` with extra rows (dicts) in the exercise tables."""
    p = c["exercise_participants"]
    if drop_participants:
        keys = set(drop_participants)
        p = p[[(e, i) not in keys for e, i in zip(p["exercise_id"], p["iso3"], strict=True)]]
    p = pd.concat([p, pd.DataFrame(list(participants), columns=["exercise_id", "iso3", "role"])],
                  ignore_index=True)
    e = c["exercises"]
    if exercises:
        e = pd.concat([e, pd.DataFrame(list(exercises))], ignore_index=True)
    s = c["exercise_series"]
    if series:
        s = pd.concat([s, pd.DataFrame(list(series))], ignore_index=True)
    return c.replace(exercise_participants=p, exercises=e, exercise_series=s)


def _edition(eid, year, series_id=None, origin="curated", **flags):
    return {"exercise_id": eid, "series_id": series_id, "year": year, "origin": origin,
            **flags}


def pair_set(df):
    return set(zip(df["iso3_a"], df["iso3_b"], strict=True))


# --------------------------------------------------------------------------- participation
def test_participation_columns_order_and_roles(c):
    p = ex.participation(2018, 2018, data=c)
    assert list(p.columns) == ["exercise_id", "iso3", "role", "series_id", "year", "format"]
    # sorted by year, exercise, iso3; PHL only observed, so it is left out by default
    assert p["iso3"].tolist() == ["AUS", "JPN", "KOR", "USA"]
    assert p["role"].tolist() == ["participant", "participant", "participant", "host"]
    assert set(p["exercise_id"]) == {"rimpac-2018"} and set(p["format"]) == {"minilateral"}
    assert (p["year"] == 2018).all() and set(p["series_id"]) == {"rimpac"}
    with_obs = ex.participation(2018, 2018, roles=ALL_ROLES, data=c)
    assert with_obs["iso3"].tolist() == ["AUS", "JPN", "KOR", "PHL", "USA"]
    hosts = ex.participation(1980, 2025, roles=["host"], data=c)
    assert hosts["iso3"].tolist() == ["USA", "KOR", "USA", "CHN", "IND"]  # by year
    assert ex.participation(2018, 2018, roles="observer", data=c)["iso3"].tolist() == ["PHL"]


def test_participation_period_is_inclusive(c):
    assert set(ex.participation(2014, 2014, data=c)["exercise_id"]) == {"rimpac-2014"}
    assert set(ex.participation(2015, 2017, data=c)["exercise_id"]) == {"foal-eagle-2017"}
    assert set(ex.participation(2017, 2018, data=c)["exercise_id"]) == {"foal-eagle-2017",
                                                                        "rimpac-2018"}
    assert ex.participation(2015, 2016, data=c).empty
    years = ex.participation(1980, 2025, data=c)["year"].tolist()
    assert years == sorted(years) and years[0] == 1985


def test_roles_error_names_the_parameter(c):
    with pytest.raises(apr.ParameterError,
                       match=r"roles has unknown value\(s\) 'boss'; valid: host, participant, "
                             r"observer\."):
        ex.participation(2014, 2014, roles=["boss"], data=c)
    with pytest.raises(apr.ParameterError, match="roles is empty; give at least one of: host"):
        ex.pairs(2014, 2014, roles=[], data=c)
    for f in (ex.coparticipation, ex.partners, ex.hedgers, ex.bipartite_graph,
              ex.coparticipation_graph):
        with pytest.raises(apr.ParameterError, match="roles has unknown value"):
            f(2014, 2014, roles=["spectator"], data=c)
    with pytest.raises(apr.ParameterError, match="roles has unknown value"):
        ex.reach(2014, 2014, roles=["spectator"], data=c)


# --------------------------------------------------------------------------- pairs
def test_pairs_edition_by_edition(c):
    pr = ex.pairs(2014, 2014, data=c)
    assert list(pr.columns) == ["exercise_id", "year", "series_id", "iso3_a", "iso3_b"]
    # 4 states -> 4*3/2 = 6 pairs, each once, iso3_a < iso3_b
    assert len(pr) == 6 and (pr["iso3_a"] < pr["iso3_b"]).all()
    assert pair_set(pr) == {("AUS", "CHN"), ("AUS", "JPN"), ("AUS", "USA"), ("CHN", "JPN"),
                            ("CHN", "USA"), ("JPN", "USA")}
    assert set(pr["exercise_id"]) == {"rimpac-2014"} and set(pr["year"]) == {2014}
    assert set(pr["series_id"]) == {"rimpac"}
    everything = ex.pairs(1980, 2025, data=c)
    # 1 (Cope North) + 6 + 1 (Foal Eagle) + 6 + 1 (Joint Sea) + 6 (Malabar)
    assert len(everything) == 21
    assert not everything.duplicated(["exercise_id", "iso3_a", "iso3_b"]).any()
    mme = everything[everything["exercise_id"] == "mme-9-cope-north-85"]
    assert pair_set(mme) == {("JPN", "USA")} and mme["series_id"].isna().all()


def test_pairs_observers_and_duplicates(c):
    assert ("PHL", "USA") not in pair_set(ex.pairs(2018, 2018, data=c))
    obs = ex.pairs(2018, 2018, roles=ALL_ROLES, data=c)
    assert len(obs) == 10  # 5 states with the observer: 10 pairs
    assert {("AUS", "PHL"), ("JPN", "PHL"), ("KOR", "PHL"), ("PHL", "USA")} <= pair_set(obs)
    # a state listed twice in one edition is still one state: the pairs are not doubled
    twice = _with(c, participants=[("joint-sea-2019", "RUS", "host")])
    pr = ex.pairs(2019, 2019, data=twice)
    assert pr[["iso3_a", "iso3_b"]].values.tolist() == [["CHN", "RUS"]]


# --------------------------------------------------------------------------- coparticipation
def test_coparticipation(c):
    cp = ex.coparticipation(2014, 2020, data=c)
    assert list(cp.columns) == ["iso3_a", "iso3_b", "editions", "series", "first_year",
                                "last_year"]
    assert len(cp) == 13
    assert cp[["iso3_a", "iso3_b"]].values.tolist() == sorted(
        cp[["iso3_a", "iso3_b"]].values.tolist())  # sorted by the pair
    t = cp.set_index(["iso3_a", "iso3_b"])
    assert t.loc[("AUS", "JPN"), "editions"] == 3  # RIMPAC 2014, 2018, Malabar 2020
    assert list(t.loc[("AUS", "JPN"), "series"]) == ["malabar", "rimpac"]
    assert t.loc[("KOR", "USA"), "editions"] == 2
    assert list(t.loc[("KOR", "USA"), "series"]) == ["foal-eagle", "rimpac"]
    assert (t.loc[("KOR", "USA"), "first_year"], t.loc[("KOR", "USA"), "last_year"]) == (
        2017, 2018)
    assert t.loc[("CHN", "RUS"), "editions"] == 1
    assert ("PHL", "USA") not in t.index  # PHL only observed
    # the MME edition of 1985 has no series: it counts as an edition, not as a series
    whole = ex.coparticipation(1980, 2025, data=c).set_index(["iso3_a", "iso3_b"])
    jpn_usa = whole.loc[("JPN", "USA")]
    assert jpn_usa["editions"] == 4 and list(jpn_usa["series"]) == ["malabar", "rimpac"]
    assert (jpn_usa["first_year"], jpn_usa["last_year"]) == (1985, 2020)
    with_obs = ex.coparticipation(2018, 2018, roles=ALL_ROLES, data=c)
    assert ("PHL", "USA") in pair_set(with_obs)


def test_coparticipation_counts_distinct_editions_and_empty(c):
    pr = ex.coparticipation(2019, 2019, data=c)
    assert pr[["iso3_a", "iso3_b", "editions"]].values.tolist() == [["CHN", "RUS", 1]]
    empty = ex.coparticipation(2001, 2002, data=c)
    assert empty.empty and list(empty.columns) == ["iso3_a", "iso3_b", "editions", "series",
                                                   "first_year", "last_year"]
    twice = _with(c, participants=[("joint-sea-2019", "RUS", "host")])
    assert ex.coparticipation(2019, 2019, data=twice)["editions"].tolist() == [1]


def test_graphs(c):
    g = ex.coparticipation_graph(2014, 2020, data=c)
    assert g.graph == {"start": 2014, "end": 2020}
    assert g["AUS"]["JPN"]["weight"] == 3 and g["KOR"]["USA"]["weight"] == 2
    assert list(g["KOR"]["USA"]["series"]) == ["foal-eagle", "rimpac"]
    assert g.number_of_edges() == 13 and "PHL" not in g and "PRK" not in g
    assert g.nodes["JPN"]["lat"] == pytest.approx(35.7)
    assert g.nodes["JPN"]["subregion"] == "Northeast Asia"
    assert ex.coparticipation_graph(2001, 2002, data=c).number_of_nodes() == 0
    b = ex.bipartite_graph(2018, 2018, data=c)
    assert b.graph == {"start": 2018, "end": 2018}
    assert set(b.neighbors("rimpac-2018")) == {"USA", "JPN", "AUS", "KOR"}
    assert b.nodes["rimpac-2018"] == {"bipartite": 1, "kind": "exercise", "year": 2018,
                                      "series_id": "rimpac", "format": "minilateral"}
    assert b.nodes["USA"] == {"bipartite": 0, "kind": "actor"}
    assert b["USA"]["rimpac-2018"]["role"] == "host"
    assert b["JPN"]["rimpac-2018"]["role"] == "participant"
    assert nx.is_bipartite(b)
    # the weighted projection is the bipartite graph projected on the actors
    bb = ex.bipartite_graph(2014, 2020, data=c)
    actors = [n for n, d in bb.nodes(data=True) if d["bipartite"] == 0]
    proj = nx.bipartite.weighted_projected_graph(bb, actors)
    assert {tuple(sorted(e)): d["weight"] for *e, d in proj.edges(data=True)} == {
        tuple(sorted(e)): d["weight"] for *e, d in g.edges(data=True)}


# --------------------------------------------------------------------------- partners
def test_partners_ordering(c):
    kor = ex.partners(2000, 2025, iso3="KOR", data=c)
    assert list(kor.columns) == ["iso3", "partner", "editions", "series", "first_year",
                                 "last_year"]
    # most editions first, then the partner's code
    assert kor["partner"].tolist() == ["USA", "AUS", "JPN"]
    assert kor["editions"].tolist() == [2, 1, 1]
    assert (kor["iso3"] == "KOR").all()
    usa = ex.partners(1980, 2025, iso3="USA", data=c)
    assert usa[["partner", "editions"]].values.tolist() == [
        ["JPN", 4], ["AUS", 3], ["KOR", 2], ["CHN", 1], ["IND", 1]]
    # the flipped side keeps the pair's other columns
    assert usa.set_index("partner").loc["KOR", ["first_year", "last_year"]].tolist() == [
        2017, 2018]
    two = ex.partners(2000, 2025, iso3=["RUS", "CHN"], data=c)
    assert two["iso3"].tolist() == ["CHN"] * 4 + ["RUS"]  # sorted by iso3
    assert two["partner"].tolist() == ["AUS", "JPN", "RUS", "USA", "CHN"]


def test_partners_both_directions(c):
    everyone = ex.partners(2000, 2025, data=c)
    assert len(everyone) == 2 * 13  # every pair once from each side
    a = everyone.set_index(["iso3", "partner"])["editions"]
    assert all(a[(x, y)] == a[(y, x)] for x, y in a.index)
    assert everyone["iso3"].tolist() == sorted(everyone["iso3"])
    assert ex.partners(2000, 2025, iso3="PRK", data=c).empty


# --------------------------------------------------------------------------- hedgers
def test_hedgers(c):
    h = ex.hedgers(2000, 2025, data=c)
    assert list(h.columns) == ["year", "iso3", "editions_with_USA", "editions_with_CHN"]
    # RIMPAC 2014 had both the United States and China; the powers themselves are left out
    assert h.values.tolist() == [[2014, "AUS", 1, 1], [2014, "JPN", 1, 1]]
    assert h["year"].dtype == np.int64 and h["editions_with_USA"].dtype == np.int64
    none = ex.hedgers(2000, 2025, powers=("USA", "RUS"), data=c)
    assert none.empty and list(none.columns) == ["year", "iso3", "editions_with_USA",
                                                 "editions_with_RUS"]
    assert ex.hedgers(2015, 2025, data=c).empty


def test_hedgers_same_year_different_editions(c):
    # JPN trains with China in a 2019 edition of its own, and with the US in another that year
    extra = _with(c, exercises=[_edition("x-2019", 2019), _edition("y-2019", 2019),
                                _edition("z-2018", 2018)],
                  participants=[("x-2019", "JPN", "host"), ("x-2019", "CHN", "participant"),
                                ("y-2019", "JPN", "host"), ("y-2019", "USA", "participant"),
                                ("y-2019", "KOR", "participant"),
                                ("z-2018", "KOR", "host"), ("z-2018", "CHN", "participant")])
    h = ex.hedgers(2016, 2025, data=extra)
    # KOR trained with China in 2018 and the US in 2018 (RIMPAC) -> hedger in 2018;
    # in 2019 it trained with the US only; JPN with both in 2019
    assert h.values.tolist() == [[2018, "KOR", 1, 1], [2019, "JPN", 1, 1]]
    rev = ex.hedgers(2016, 2025, powers=("CHN", "USA"), data=extra)
    assert list(rev.columns) == ["year", "iso3", "editions_with_CHN", "editions_with_USA"]
    # observers count only when asked for
    obs = _with(c, exercises=[_edition("w-2018", 2018)],
                participants=[("w-2018", "PHL", "host"), ("w-2018", "CHN", "participant")])
    assert ex.hedgers(2018, 2018, data=obs).empty
    assert ex.hedgers(2018, 2018, roles=ALL_ROLES, data=obs).values.tolist() == [
        [2018, "PHL", 1, 1]]


def test_hedgers_counts_editions(c):
    extra = _with(c, exercises=[_edition("x-2014", 2014)],
                  participants=[("x-2014", "AUS", "host"), ("x-2014", "USA", "participant")])
    h = ex.hedgers(2014, 2014, data=extra).set_index("iso3")
    assert h.loc["AUS", ["editions_with_USA", "editions_with_CHN"]].tolist() == [2, 1]
    assert h.loc["JPN", ["editions_with_USA", "editions_with_CHN"]].tolist() == [1, 1]


# --------------------------------------------------------------------------- formats
def test_edition_format_thresholds():
    n = pd.Series([0, 1, 2, 3, 4, 5, 6, 40])
    f = ex.edition_format(n)
    assert f.isna().tolist() == [True, True] + [False] * 6
    assert f.iloc[2:].tolist() == ["bilateral", "minilateral", "minilateral", "multilateral",
                                   "multilateral", "multilateral"]
    assert ex.FORMATS == ("bilateral", "minilateral", "multilateral")
    assert ex.TAKING_PART == ("host", "participant")


def test_format_growth(c):
    g = ex.format_growth(1978, 2026, data=c)
    assert list(g.columns) == ["bilateral", "minilateral", "multilateral"]
    assert g.index.tolist() == list(range(1978, 2027)) and g.index.name == "year"
    assert g.columns.name is None
    assert g.loc[1985].tolist() == [1, 0, 0]  # Cope North: 2 states
    assert g.loc[2014].tolist() == [0, 1, 0]  # RIMPAC 2014: 4 states
    assert g.loc[2017].tolist() == [1, 0, 0]
    assert g.loc[2018].tolist() == [0, 1, 0]  # the observer does not make it 5
    assert g.loc[2019].tolist() == [1, 0, 0]
    assert g.loc[2020].tolist() == [0, 1, 0]
    # inside the coverage 1980-2025: true zeros; outside: not known
    assert g.loc[1980].tolist() == [0, 0, 0] and g.loc[2025].tolist() == [0, 0, 0]
    assert g.loc[[1978, 1979, 2026]].isna().all().all()
    assert g.loc[1980:2025].notna().all().all()
    assert str(g["bilateral"].dtype) == "Int64"
    assert int(g.loc[1980:2025].sum().sum()) == 6  # every edition once


def test_format_by_number_of_states(c):
    # PHL takes part in RIMPAC 2018 instead of observing: 5 states -> multilateral
    five = _with(c, drop_participants=[("rimpac-2018", "PHL")],
                 participants=[("rimpac-2018", "PHL", "participant")])
    assert ex.format_growth(2018, 2018, data=five).loc[2018].tolist() == [0, 0, 1]
    # RIMPAC 2014 without China: 3 states, still minilateral; without two: bilateral
    three = _with(c, drop_participants=[("rimpac-2014", "CHN")])
    assert ex.format_growth(2014, 2014, data=three).loc[2014].tolist() == [0, 1, 0]
    two = _with(c, drop_participants=[("rimpac-2014", "CHN"), ("rimpac-2014", "AUS")])
    assert ex.format_growth(2014, 2014, data=two).loc[2014].tolist() == [1, 0, 0]
    assert ex.participation(2014, 2014, data=two)["format"].tolist() == ["bilateral"] * 2
    # an edition with one state taking part has no format and is not counted
    one = _with(c, drop_participants=[("rimpac-2014", s) for s in ("CHN", "AUS", "JPN")])
    assert ex.format_growth(2014, 2014, data=one).loc[2014].tolist() == [0, 0, 0]
    assert ex.participation(2014, 2014, data=one)["format"].isna().all()


def test_format_growth_outside_the_declared_coverage(c):
    narrow = apr.Collection.from_frames({k: c.view(k) for k in c},
                                        coverage={"exercises": (2015, 2019)})
    g = ex.format_growth(2014, 2020, data=narrow)
    assert g.loc[[2014, 2020]].isna().all().all()  # editions exist, but outside coverage
    assert g.loc[2015].tolist() == [0, 0, 0] and g.loc[2019].tolist() == [1, 0, 0]
    d = ex.domain_growth(2014, 2020, data=narrow)
    assert d.loc[[2014, 2020]].isna().all().all() and d.loc[2016].tolist() == [0] * 6
    r = ex.reach(2014, 2020, data=narrow).set_index(["year", "iso3"])
    assert r.loc[(2014, "USA")].isna().all() and r.loc[(2015, "USA")].tolist() == [0, 0]


# --------------------------------------------------------------------------- domains
FLAGS = ["air", "land", "sea", "amphibious", "cpx", "cyber", "warfighting", "peacekeeping",
         "humanitarian"]


def test_domains_mme_flags_and_series_rule(c):
    d = ex.domains(1980, 2025, data=c).set_index("exercise_id")
    assert list(d.reset_index().columns) == ["exercise_id", "year", "format", "origin", *FLAGS]
    # MME's own flags: Cope North 85 is air, warfighting
    assert d.loc["mme-9-cope-north-85", FLAGS].tolist() == [1, 0, 0, 0, 0, 0, 1, 0, 0]
    assert d.loc["mme-9-cope-north-85", ["year", "format", "origin"]].tolist() == [
        1985, "bilateral", "mme"]
    # curated editions take their series' domain: RIMPAC is maritime -> sea, warfighting
    assert d.loc["rimpac-2014", FLAGS].tolist() == [0, 0, 1, 0, 0, 0, 1, 0, 0]
    # Foal Eagle is multi_domain -> air, land, sea
    assert d.loc["foal-eagle-2017", FLAGS].tolist() == [1, 1, 1, 0, 0, 0, 1, 0, 0]
    assert d.loc["foal-eagle-2017", "origin"] == "curated"
    assert len(ex.domains(2014, 2014, data=c)) == 1


# the rule written out by hand: series domain -> (air, land, sea, amphibious, cpx, cyber,
# warfighting, peacekeeping, humanitarian)
RULE = {
    "maritime": [0, 0, 1, 0, 0, 0, 1, 0, 0],
    "land": [0, 1, 0, 0, 0, 0, 1, 0, 0],
    "air": [1, 0, 0, 0, 0, 0, 1, 0, 0],
    "amphibious": [0, 1, 1, 1, 0, 0, 1, 0, 0],
    "multi_domain": [1, 1, 1, 0, 0, 0, 1, 0, 0],
    "hadr": [0, 0, 0, 0, 0, 0, 0, 0, 1],
    "counter_terrorism": [0, 1, 0, 0, 0, 0, 1, 0, 0],
    "special_forces": [0, 1, 0, 0, 0, 0, 1, 0, 0],
    "command_post": [0, 0, 0, 0, 1, 0, 1, 0, 0],
}


def test_series_domain_rule_for_every_domain(c):
    series = [{"series_id": f"s-{k.replace('_', '-')}", "domain": k} for k in RULE]
    eds = [_edition(f"e-{i}", 2021, s["series_id"]) for i, s in enumerate(series)]
    parts = [(e["exercise_id"], iso3, "participant") for e in eds for iso3 in ("USA", "JPN")]
    extra = _with(c, exercises=eds, participants=parts, series=series)
    d = ex.domains(2021, 2021, data=extra).set_index("exercise_id")
    for i, dom in enumerate(RULE):
        assert d.loc[f"e-{i}", FLAGS].tolist() == RULE[dom], dom


def test_domains_own_flags_and_unknown(c):
    extra = _with(c, exercises=[
        _edition("no-series", 2021),  # curated, no series: flags not known
        _edition("own", 2021, "rimpac", air=1, land=0, sea=0, amphibious=0, cpx=0, cyber=1,
                 warfighting=0, peacekeeping=1, humanitarian=0),  # its own flags win
        _edition("mme-x", 2021, origin="mme"),  # MME without flags: not known, no rule
        _edition("mme-y", 2021, "rimpac", origin="mme"),  # MME never takes the series' rule
    ], participants=[(e, s, "participant") for e in ("no-series", "own", "mme-x", "mme-y")
                     for s in ("USA", "JPN")])
    d = ex.domains(2021, 2021, data=extra).set_index("exercise_id")
    assert d.loc["no-series", FLAGS].isna().all()
    assert d.loc["own", FLAGS].tolist() == [1, 0, 0, 0, 0, 1, 0, 1, 0]
    assert d.loc["mme-x", FLAGS].isna().all() and d.loc["mme-y", FLAGS].isna().all()
    g = ex.domain_growth(2021, 2021, data=extra)
    assert g.loc[2021].tolist() == [1, 0, 0, 0, 0, 1]  # only the edition with known flags


def test_domain_growth(c):
    g = ex.domain_growth(1978, 2026, data=c)
    assert list(g.columns) == ["air", "land", "sea", "amphibious", "cpx", "cyber"]
    assert g.index.tolist() == list(range(1978, 2027)) and g.columns.name is None
    assert g.loc[1985].tolist() == [1, 0, 0, 0, 0, 0]
    assert g.loc[2017].tolist() == [1, 1, 1, 0, 0, 0]  # one edition in three domains
    assert g.loc[2018].tolist() == [0, 0, 1, 0, 0, 0]
    assert g.loc[2016].tolist() == [0] * 6 and g.loc[1980].tolist() == [0] * 6
    assert g.loc[[1978, 1979, 2026]].isna().all().all()
    assert g.loc[1980:2025].notna().all().all()
    assert int(g.loc[1980:2025, "sea"].sum()) == 5


def test_focus_share(c):
    extra = _with(c, series=[{"series_id": "aid", "domain": "hadr"}],
                  exercises=[_edition("aid-2019", 2019, "aid"), _edition("unknown-2019", 2019),
                             _edition("aid-2021", 2021, "aid")],
                  participants=[(e, s, "participant") for e in ("aid-2019", "unknown-2019",
                                                                "aid-2021")
                                for s in ("USA", "JPN")])
    by_decade = ex.focus_share(1980, 2025, data=extra)
    assert list(by_decade.columns) == ["warfighting", "peacekeeping", "humanitarian",
                                       "editions"]
    assert by_decade.index.name == "decade" and by_decade.index.tolist() == [1980, 2010, 2020]
    # 2010s: rimpac x2, foal eagle, joint sea (warfighting) + aid-2019; unknown-2019 left out
    assert by_decade.loc[2010, "editions"] == 5
    assert by_decade.loc[2010, "warfighting"] == pytest.approx(80.0)
    assert by_decade.loc[2010, "humanitarian"] == pytest.approx(20.0)
    assert by_decade.loc[2010, "peacekeeping"] == 0
    # 2020s: malabar (warfighting), aid-2021 (humanitarian)
    assert by_decade.loc[2020, ["warfighting", "humanitarian", "editions"]].tolist() == [
        50.0, 50.0, 2]
    assert by_decade.loc[1980].tolist() == [100.0, 0.0, 0.0, 1]
    by_year = ex.focus_share(2019, 2019, by="year", data=extra)
    assert by_year.index.name == "year" and by_year.index.tolist() == [2019]
    assert by_year.loc[2019].tolist() == [50.0, 0.0, 50.0, 2]
    with pytest.raises(apr.ParameterError, match="by='month' is not valid; valid: 'decade', "
                                                 "'year'"):
        ex.focus_share(2014, 2014, by="month", data=c)


# --------------------------------------------------------------------------- by decade
def test_partners_by_decade(c):
    t = ex.partners_by_decade(1980, 2025, data=c)
    assert list(t.columns) == ["iso3", "decade", "partner", "editions", "rank"]
    usa = t[t["iso3"] == "USA"]
    assert usa[["decade", "partner", "editions", "rank"]].values.tolist() == [
        [1980, "JPN", 1, 1],
        [2010, "AUS", 2, 1], [2010, "JPN", 2, 2], [2010, "KOR", 2, 3], [2010, "CHN", 1, 4],
        [2020, "AUS", 1, 1], [2020, "IND", 1, 2], [2020, "JPN", 1, 3]]
    assert t[t["iso3"] == "RUS"][["decade", "partner", "rank"]].values.tolist() == [
        [2010, "CHN", 1]]
    assert t["iso3"].unique().tolist() == ["CHN", "RUS", "USA"]  # the default actors
    top2 = ex.partners_by_decade(1980, 2025, actors=["USA"], top=2, data=c)
    assert top2[["decade", "partner", "rank"]].values.tolist() == [
        [1980, "JPN", 1], [2010, "AUS", 1], [2010, "JPN", 2], [2020, "AUS", 1],
        [2020, "IND", 2]]
    kor = ex.partners_by_decade(1980, 2025, actors="KOR", data=c)
    assert kor[["partner", "editions"]].values.tolist() == [["USA", 2], ["AUS", 1],
                                                           ["JPN", 1]]
    with pytest.raises(apr.ParameterError,
                       match=r"actors has unknown value\(s\) 'SUN'; valid: AUS, CHN"):
        ex.partners_by_decade(1980, 2025, actors=["SUN"], data=c)


# --------------------------------------------------------------------------- reach
def test_reach(c):
    r = ex.reach(2014, 2014, data=c)
    assert list(r.columns) == ["year", "iso3", "editions", "partners"]
    assert r[["year", "iso3"]].values.tolist() == [[2014, "USA"], [2014, "CHN"]]
    t = r.set_index("iso3")
    assert t.loc["USA", ["editions", "partners"]].tolist() == [1, 3]
    assert t.loc["CHN", ["editions", "partners"]].tolist() == [1, 3]
    r19 = ex.reach(2019, 2019, data=c).set_index("iso3")
    assert r19.loc["USA", ["editions", "partners"]].tolist() == [0, 0]
    assert r19.loc["CHN", ["editions", "partners"]].tolist() == [1, 1]
    # distinct partners over several editions of a year
    jpn = ex.reach(2014, 2020, actors=["JPN"], data=c).set_index("year")
    assert jpn.loc[2018, ["editions", "partners"]].tolist() == [1, 3]
    assert jpn.loc[2016, ["editions", "partners"]].tolist() == [0, 0]
    assert str(jpn["editions"].dtype) == "Int64"
    extra = _with(c, exercises=[_edition("x-2014", 2014)],
                  participants=[("x-2014", "USA", "host"), ("x-2014", "JPN", "participant"),
                                ("x-2014", "KOR", "participant")])
    usa = ex.reach(2014, 2014, actors=["USA"], data=extra).set_index("iso3")
    assert usa.loc["USA", ["editions", "partners"]].tolist() == [2, 4]  # JPN counted once
    # outside the coverage (1980-2025): NA, not 0
    edge = ex.reach(1979, 1980, data=c).set_index(["year", "iso3"])
    assert edge.loc[(1979, "USA")].isna().all() and edge.loc[(1979, "CHN")].isna().all()
    assert edge.loc[(1980, "USA")].tolist() == [0, 0]
    assert ex.reach(2025, 2026, data=c).set_index(["year", "iso3"]).loc[(2026, "USA")
                                                                       ].isna().all()
    with pytest.raises(apr.ParameterError, match=r"actors has unknown value\(s\) 'XXX'"):
        ex.reach(2014, 2014, actors=["XXX"], data=c)


# --------------------------------------------------------------------------- source
def test_source_line(c):
    assert ex.source_line(data=c) == ("MME v7 (imported, 1985-1985) and apresearch curated "
                                      "exercise editions")
    curated = c.replace(exercises=c["exercises"].query("origin == 'curated'"))
    assert ex.source_line(data=curated) == "apresearch curated exercise editions"
    e = c["exercises"]
    e.loc[e["origin"] == "mme", "release"] = pd.NA
    assert ex.source_line(data=c.replace(exercises=e)).startswith("MME (imported, 1985-1985)")


def test_data_can_be_a_folder(c, tmp_path):
    folder = write_folder(tmp_path / "d")
    assert ex.coparticipation(2019, 2019, data=str(folder))["editions"].tolist() == [1]
    assert not math.isnan(float(ex.format_growth(2019, 2019, data=folder).loc[2019].sum()))
