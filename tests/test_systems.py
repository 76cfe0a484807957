"""State systems on the hand-made fixture (tests/conftest.py) and a small Germany frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import systems

T = pd.Timestamp


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    """The fixture folder as a Collection, validated once for the module (read-only)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return apr.collection(write_folder(tmp_path_factory.mktemp("mini") / "data"))


@pytest.fixture
def germany(coll):
    """The fixture with Germany added: COW 255 to 8 May 1945, 260 (the Federal Republic)
    5 May 1955 - 2 October 1990, 255 again from 3 October 1990 (an open spell)."""
    actors = coll["actors"]
    deu = actors[actors["iso3"] == "USA"].assign(iso3="DEU", name="Germany", cow_code=255)
    actors = pd.concat([actors, deu], ignore_index=True)
    st = coll["state_system"]
    rows = pd.DataFrame({
        "system": ["cow", "cow", "cow", "gw"],
        "iso3": ["DEU"] * 4,
        "code": pd.array([255, 260, 255, 260], dtype="Int64"),
        "name": ["Germany", "German Federal Republic", "Germany", "German Federal Republic"],
        "start": [T("1816-01-01"), T("1955-05-05"), T("1990-10-03"), T("1949-09-21")],
        "end": [T("1945-05-08"), T("1990-10-02"), pd.NaT, pd.NaT],
        "release": "Test"})
    st = pd.concat([st, rows.astype(st.dtypes.to_dict())], ignore_index=True)
    return coll.replace(actors=actors, state_system=st)


def code_of(frame, year, iso3):
    r = frame[(frame["year"] == year) & (frame["iso3"] == iso3)]
    return None if r.empty else int(r["code"].iloc[0])


def test_codes_change_over_time(germany):
    m = systems.members(range(1944, 1992), data=germany)
    assert code_of(m, 1944, "DEU") == 255
    assert code_of(m, 1945, "DEU") == 255  # ended 8 May 1945: a member for part of 1945
    assert code_of(m, 1946, "DEU") is None
    assert code_of(m, 1950, "DEU") is None  # between the spells: not a state
    assert code_of(m, 1954, "DEU") is None
    assert code_of(m, 1955, "DEU") == 260  # began 5 May 1955
    assert code_of(m, 1960, "DEU") == 260
    assert code_of(m, 1990, "DEU") == 255  # both spells touch 1990: the one in force at its end
    assert code_of(m, 1991, "DEU") == 255  # an open spell runs on
    assert not m.duplicated(["year", "iso3"]).any()  # one row per state-year, even in 1990
    g = systems.members([1950], "gw", data=germany)
    assert code_of(g, 1950, "DEU") == 260  # the other system's own spells


def test_members_by_the_year_rule(coll):
    m = systems.members([1945, 1946, 1948, 1949, 1952, 2020], data=coll)
    got = {y: sorted(m.loc[m["year"] == y, "iso3"]) for y in m["year"].unique()}
    # JPN ends 2 September 1945 and is back on 28 April 1952; KOR from 1 January 1949;
    # PHL from 4 July 1946; IND from 15 August 1947; PRK from 9 September 1948
    assert got[1945] == ["AUS", "CHN", "JPN", "RUS", "USA"]
    assert got[1946] == ["AUS", "CHN", "PHL", "RUS", "USA"]
    assert got[1948] == ["AUS", "CHN", "IND", "PHL", "PRK", "RUS", "USA"]
    assert got[1949] == ["AUS", "CHN", "IND", "KOR", "PHL", "PRK", "RUS", "USA"]
    assert got[1952] == ["AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "RUS", "USA"]
    assert got[2020] == got[1952]
    assert list(m.columns) == ["year", "iso3", "code"]
    assert m["code"].dtype == "Int64"
    assert list(m.index) == list(range(len(m)))
    assert code_of(m, 2020, "AUS") == 900 and code_of(m, 2020, "USA") == 2


def test_members_sorted_and_deduplicated_years(coll):
    m = systems.members([2000, 1990, 2000], data=coll)
    assert list(m["year"].unique()) == [1990, 2000]
    assert len(m) == 2 * 9


def test_members_spell_starting_on_1_january(coll):
    # KOR's COW spell starts 1949-01-01, GW's 1948-08-15; PRK both 1948-09-09
    cow = systems.members([1948], data=coll)
    gw = systems.members([1948], "gw", data=coll)
    assert "KOR" not in set(cow["iso3"]) and "KOR" in set(gw["iso3"])
    assert "JPN" in set(gw["iso3"])  # GW carries Japan throughout
    assert len(gw) == 9


def test_members_all_system(coll):
    m = systems.members([1000, 1948, 3000], "all", data=coll)
    assert len(m) == 3 * 9  # every actor in every year, whatever the lists say
    assert code_of(m, 1000, "JPN") == 740  # the actor's cow_code
    assert code_of(m, 3000, "PHL") == 840


def test_members_empty(coll):
    m = systems.members([], data=coll)
    assert m.empty and list(m.columns) == ["year", "iso3", "code"]
    assert m["code"].dtype == "Int64"


def test_members_default_system_is_cow(coll):
    assert systems.members([1950], data=coll).equals(systems.members([1950], "cow", data=coll))
    assert "JPN" not in set(systems.members([1950], data=coll)["iso3"])


def test_bad_system(coll):
    with pytest.raises(apr.ParameterError,
                       match=r"system='cow2' is not valid; valid: 'cow', 'gw', 'all'"):
        systems.members([1950], "cow2", data=coll)
    with pytest.raises(apr.ParameterError, match="system='xyz' is not valid"):
        systems.membership_matrix(np.array(["USA"]), 1950, 1951, "xyz", data=coll)
    with pytest.raises(apr.ParameterError,
                       match=r"system='all' is not valid; valid: 'cow', 'gw'\."):
        systems.code_table("all", data=coll)


def test_membership_matrix(germany):
    codes = np.array(["DEU", "USA", "JPN"])  # the order given, not sorted
    member, code = systems.membership_matrix(codes, 1989, 1991, data=germany)
    assert member.shape == code.shape == (3, 3)
    assert member.dtype == bool and code.dtype == np.int64
    assert member.all()
    assert code.tolist() == [[260, 2, 740], [255, 2, 740], [255, 2, 740]]
    member, code = systems.membership_matrix(codes, 1950, 1952, data=germany)
    # Germany none of these years; Japan back in 1952
    assert member.tolist() == [[False, True, False], [False, True, False],
                               [False, True, True]]
    assert code[:, 0].tolist() == [-1, -1, -1]  # -1 where not a member
    assert code[:, 2].tolist() == [-1, -1, 740]


def test_membership_matrix_all_system_and_unknown_actor(coll):
    codes = np.array(["ZZZ", "KOR"])  # ZZZ is no actor: never a member
    member, code = systems.membership_matrix(codes, 1900, 1900, "all", data=coll)
    assert member.tolist() == [[False, True]]
    assert code.tolist() == [[-1, 732]]


def test_membership_matrix_missing_code_is_minus_one(coll):
    actors = coll["actors"]
    actors["cow_code"] = actors["cow_code"].mask(actors["iso3"] == "KOR")
    c = coll.replace(actors=actors)
    member, code = systems.membership_matrix(np.array(["KOR", "USA"]), 2000, 2000, "all",
                                             data=c)
    assert member.tolist() == [[True, True]]
    assert code.tolist() == [[-1, 2]]


def test_code_table(germany):
    t = systems.code_table(data=germany)
    assert list(t.columns) == ["iso3", "code", "start", "end"]
    deu = t[t["iso3"] == "DEU"]
    assert deu["code"].tolist() == [255, 260, 255]
    assert deu["start"].tolist() == [T("1816-01-01"), T("1955-05-05"), T("1990-10-03")]
    assert len(t) == 10 + 3  # the fixture's ten COW spells, Germany's three
    assert list(t.index) == list(range(len(t)))
    g = systems.code_table("gw", data=germany)
    assert len(g) == 9 + 1
    assert g.loc[g["iso3"] == "DEU", "code"].tolist() == [260]
