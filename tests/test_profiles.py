"""Country and dyad profiles on the hand-made fixture (tests/conftest.py), checked by hand
and against the state-year panel (the two must agree for the same state and year)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import panels
from apresearch import profiles as pf

COUNTS = ["agreements", "defence_allies", "exercise_editions", "exercise_partners",
          "engagements", "incidents_initiated", "incidents_targeted"]
COLUMNS = ["iso3", "year", *COUNTS, "milex_constant_usd_m", "cinc"]


# --------------------------------------------------------------------------- one state
def test_country_year_by_hand(c):
    r = pf.country_year("USA", 2010, data=c)
    assert isinstance(r, pd.Series) and list(r.index) == COLUMNS
    # in force in 2010: us-jpn, us-kor, us-aus (defence) and the forum; us-phl ended in 1960
    assert (r["iso3"], r["year"], r["agreements"], r["defence_allies"]) == ("USA", 2010, 4, 3)
    assert (r["exercise_editions"], r["exercise_partners"], r["engagements"]) == (0, 0, 1)
    assert (r["incidents_initiated"], r["incidents_targeted"]) == (0, 0)
    assert np.isnan(r["milex_constant_usd_m"]) and np.isnan(r["cinc"])
    r = pf.country_year("USA", 2018, data=c)
    # + the Quad (2017); RIMPAC 2018 with JPN, AUS, KOR; the port call to Manila
    assert r[COUNTS].tolist() == [5, 3, 1, 3, 1, 0, 0]
    assert (r["milex_constant_usd_m"], r["cinc"]) == (200.0, 0.15)
    r = pf.country_year("USA", 1960, data=c)
    assert (r["agreements"], r["defence_allies"]) == (4, 4)  # us-phl still in force in 1960
    assert r[["exercise_editions", "engagements", "incidents_targeted"]].isna().all()


def test_country_years_incidents_and_coverage(c):
    prk = pf.country_years("PRK", [2010, 2016, 2017], data=c)
    assert list(prk.columns) == COLUMNS and prk["year"].tolist() == [2010, 2016, 2017]
    prk = prk.set_index("year")
    assert prk["incidents_initiated"].tolist() == [2, 0, 1]  # the 2016 test had no target
    assert prk["incidents_targeted"].tolist() == [0, 0, 0]
    kor = pf.country_years("KOR", [2010, 2018], data=c).set_index("year")
    assert kor["incidents_targeted"].tolist() == [2, 0]
    assert kor.loc[2018, ["exercise_editions", "exercise_partners"]].tolist() == [1, 3]
    chn = pf.country_years("CHN", [1965, 1975, 2019], data=c).set_index("year")
    assert chn.loc[1965, ["agreements", "defence_allies"]].tolist() == [1, 1]  # with KOR
    # KOR left in 1970: China is the treaty's only party left, so it still counts the
    # agreement (not ended) but has no ally under it
    assert chn.loc[1975, ["agreements", "defence_allies"]].tolist() == [1, 0]
    assert chn.loc[2019, ["exercise_editions", "exercise_partners", "engagements"]].tolist() \
        == [1, 1, 1]  # Joint Sea with RUS; the forum appearance
    # outside each table's coverage: NA, not 0 (agreements 1950-, exercises 1980-,
    # engagements and incidents 1990-2025)
    usa = pf.country_years("USA", [1949, 1950, 1979, 1980, 1989, 1990, 2025, 2026],
                           data=c).set_index("year")
    assert usa.loc[1949, COUNTS].isna().all() and usa.loc[2026, COUNTS].isna().all()
    assert usa.loc[1950, "agreements"] == 0 and pd.isna(usa.loc[1979, "exercise_editions"])
    assert usa.loc[1980, "exercise_editions"] == 0 and pd.isna(usa.loc[1989, "engagements"])
    assert usa.loc[1990, ["engagements", "incidents_initiated"]].tolist() == [0, 0]
    assert usa.loc[2025, COUNTS].notna().all()
    for col in COUNTS:
        assert str(usa[col].dtype) == "Int64"
    assert pf.country_years("USA", [], data=c).empty


def test_country_year_rejects_unknown_states(c):
    with pytest.raises(apr.ParameterError,
                       match=r"country='usa' is not an actor code \(did you mean 'USA'\?\); "
                             "valid ISO3 codes: AUS, CHN"):
        pf.country_year("usa", 2010, data=c)
    with pytest.raises(apr.ParameterError, match="country='SUN' is not an actor code;"):
        pf.country_years("SUN", [2010], data=c)


# every year in which something in the fixture starts or ends, and the coverage edges
YEARS = [1949, 1950, 1951, 1953, 1960, 1961, 1969, 1970, 1971, 1979, 1980, 1985, 1989, 1990,
         1994, 2007, 2010, 2012, 2014, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024,
         2025, 2026]


def test_country_year_agrees_with_the_state_year_panel(c):
    years = YEARS
    sy = panels.state_years(1949, 2026, system="all", data=c).set_index(["iso3", "year"])
    same = {"defence_allies": "defence_allies", "exercise_editions": "exercise_editions",
            "exercise_partners": "exercise_partners", "engagements": "engagements",
            "incidents_initiated": "incidents_initiated",
            "incidents_targeted": "incidents_targeted",
            "milex_constant_usd_m": "constant_usd_m", "cinc": "cinc"}
    for iso3 in sorted(c.actor_attributes()):
        prof = pf.country_years(iso3, years, data=c).set_index("year")
        panel = sy.loc[iso3]
        for mine, theirs in same.items():
            a = prof[mine].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            b = panel.loc[years, theirs].astype("Float64").to_numpy(dtype=float,
                                                                   na_value=np.nan)
            np.testing.assert_array_equal(a, b, err_msg=f"{iso3} {mine}")
        # agreements are counted differently: the profile counts agreements in force the
        # state is party to, the panel counts the states sharing one with it; both are NA
        # outside the agreements' coverage, and a partner means an agreement
        ag, partners = prof["agreements"], panel.loc[years, "agreement_partners"]
        assert (ag.isna() == partners.isna()).all()
        assert ((partners > 0) <= (ag > 0)).dropna().all()


def test_agreements_versus_agreement_partners(c):
    chn = pf.country_year("CHN", 1975, data=c)
    sy = panels.state_years(1975, 1975, system="all", data=c).set_index("iso3")
    assert chn["agreements"] == 1 and sy.loc["CHN", "agreement_partners"] == 0
    prof = pf.country_year("USA", 2010, data=c)
    panel = panels.state_years(2010, 2010, countries=None, system="all", data=c)
    usa = panel.set_index("iso3").loc["USA"]
    # four agreements in force; five partners share one (JPN, KOR, AUS; PHL and CHN by the forum)
    assert prof["agreements"] == 4 and usa["agreement_partners"] == 5
    jpn = pf.country_year("JPN", 2020, data=c)
    # us-jpn, jpn-aus, quad, forum = 4 agreements; partners USA, AUS, KOR, PHL, CHN = 5
    assert jpn["agreements"] == 4
    assert panel.pipe(lambda _: panels.state_years(2020, 2020, system="all", data=c)).set_index(
        "iso3").loc["JPN", "agreement_partners"] == 5


# --------------------------------------------------------------------------- incidents
def test_incidents_involving(c):
    phl = pf.incidents_involving("PHL", 2012, 2013, data=c)
    assert phl["incident_id"].tolist() == ["s1", "s2", "s3"]
    assert pf.incidents_involving("PHL", 2012, 2014, data=c)["incident_id"].tolist()[-1] == "s4"
    prk = pf.incidents_involving("PRK", 2010, 2017, data=c)
    assert prk["incident_id"].tolist() == ["k1", "k2", "k3", "k4"]  # as initiator
    kor = pf.incidents_involving("KOR", 2010, 2010, data=c)
    assert kor["incident_id"].tolist() == ["k1", "k2"]  # as target
    assert pf.incidents_involving("USA", 1990, 2025, data=c).empty
    assert list(phl.columns) == list(c.view("incidents").columns)


def test_incidents_between(c):
    assert pf.incidents_between("PRK", "KOR", 2010, 2017, data=c)["incident_id"].tolist() == [
        "k1", "k2"]
    assert pf.incidents_between("KOR", "PRK", 2010, 2017, data=c)["incident_id"].tolist() == [
        "k1", "k2"]  # either as initiator
    assert pf.incidents_between("PRK", "JPN", 2017, 2017, data=c)["incident_id"].tolist() == [
        "k4"]
    assert pf.incidents_between("PRK", "JPN", 2010, 2016, data=c).empty
    assert pf.incidents_between("CHN", "PHL", 2012, 2012, data=c)["incident_id"].tolist() == [
        "s1", "s2", "s3"]
    assert pf.incidents_between("CHN", "KOR", 2010, 2017, data=c).empty


def test_incidents_sorted_by_date_then_id(c):
    inc = c["incidents"]
    extra = inc[inc["incident_id"] == "s2"].assign(incident_id="a0")
    col = c.replace(incidents=pd.concat([inc, extra], ignore_index=True))
    assert pf.incidents_between("CHN", "PHL", 2012, 2012, data=col)["incident_id"].tolist() == [
        "s1", "a0", "s2", "s3"]
    assert pf.incidents_involving("PHL", 2012, 2012, data=col)["incident_id"].tolist() == [
        "s1", "a0", "s2", "s3"]


# --------------------------------------------------------------------------- agreements
def test_shared_agreements(c):
    s = pf.shared_agreements("KOR", "CHN", data=c)
    assert list(s.columns) == ["agreement_id", "together_from", "together_to", "name", "kind",
                               "signed", "ended"]
    assert s["agreement_id"].tolist() == ["chn-kor", "forum"]  # by the date signed
    # KOR left the fictional treaty on 1 January 1970
    assert s[["together_from", "together_to"]].astype(object).values.tolist()[0] == [1961, 1970]
    assert s["together_from"].tolist()[1] == 1994 and pd.isna(s["together_to"].iloc[1])
    assert s["kind"].tolist() == ["defence_treaty", "multilateral_forum"]
    usa = pf.shared_agreements("USA", "JPN", data=c)
    assert usa["agreement_id"].tolist() == ["us-jpn", "forum", "quad"]
    assert usa["together_from"].tolist() == [1951, 1994, 2017]
    assert usa["together_to"].isna().all()
    assert pf.shared_agreements("JPN", "USA", data=c).equals(usa)
    assert pf.shared_agreements("PRK", "IND", data=c).empty


def test_shared_agreements_end_with_the_agreement(c):
    s = pf.shared_agreements("USA", "PHL", data=c).set_index("agreement_id")
    # the US-Philippines treaty ended on 30 June 1960: the two were parties 1951-1960
    assert s.loc["us-phl", ["together_from", "together_to"]].tolist() == [1951, 1960]
    assert s.loc["us-phl", "ended"] == pd.Timestamp("1960-06-30")
    assert pd.isna(s.loc["forum", "together_to"])
    # a member that joined later: the later joining year
    m = c["agreement_members"]
    m.loc[(m["agreement_id"] == "forum") & (m["iso3"] == "PHL"), "joined"] = pd.Timestamp(
        "1999-03-01")
    late = pf.shared_agreements("USA", "PHL", data=c.replace(agreement_members=m))
    assert late.set_index("agreement_id").loc["forum", "together_from"] == 1999


# --------------------------------------------------------------------------- correlates
def test_diplomacy_correlates(c):
    out = pf.diplomacy_correlates(1990, 2025, data=c)
    assert out.index.name == "with"
    assert out.index.tolist() == ["defense", "agreements", "shared_exercises",
                                  "mean intensity, defence pledge",
                                  "mean intensity, no defence pledge"]
    assert list(out.columns) == ["r", "dyad_years"]
    # 9 states, 36 pairs, 36 years: every dyad-year is known
    assert out.loc["defense", "dyad_years"] == 36 * 36
    assert out.loc["agreements", "dyad_years"] == 36 * 36
    # defence pledges 1990-2025: USA with JPN, KOR, AUS = 108 dyad-years; their diplomacy:
    # the 2020 trilateral (JPN-USA 3, AUS-USA 3)
    assert out.loc["mean intensity, defence pledge", "dyad_years"] == 108
    assert out.loc["mean intensity, defence pledge", "r"] == pytest.approx(6 / 108)
    # the rest: CHN-USA 3 + 4 + 4, PHL-USA 1, AUS-JPN 3, JPN-PHL 3 = 18 over 1188
    assert out.loc["mean intensity, no defence pledge", "dyad_years"] == 1188
    assert out.loc["mean intensity, no defence pledge", "r"] == pytest.approx(18 / 1188)
    # the correlation with the pledge, from the same numbers written out
    dip = np.zeros(1296)
    pledge = np.zeros(1296)
    pledge[:108] = 1
    dip[[0, 1]] = 3  # pledge dyad-years with diplomacy
    dip[[200, 201, 202, 203, 204, 205]] = [3, 4, 4, 1, 3, 3]
    assert out.loc["defense", "r"] == pytest.approx(np.corrcoef(dip, pledge)[0, 1])
    assert out["r"].iloc[:3].between(-1, 1).all()


def test_diplomacy_correlates_outside_coverage_is_left_out(c):
    out = pf.diplomacy_correlates(1985, 1995, data=c)
    # diplomacy is not known before 1990: only 1990-1995 (6 years x 36 pairs) count
    assert out.loc["defense", "dyad_years"] == 6 * 36
    assert out.loc["mean intensity, defence pledge", "r"] == 0.0
    gw = pf.diplomacy_correlates(1990, 2025, system="gw", data=c)
    assert gw.loc["defense", "dyad_years"] == 36 * 36
    with pytest.raises(apr.ParameterError, match="system='un' is not valid"):
        pf.diplomacy_correlates(1990, 2025, system="un", data=c)


def test_data_can_be_a_folder(tmp_path):
    folder = write_folder(tmp_path / "d")
    assert pf.country_year("USA", 2010, data=folder)["agreements"] == 4
