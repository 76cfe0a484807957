"""The data layer: locating the folder, the three validation steps (files, rows, cross-table
rules) with the exact problem each bad input gives, typed reading, the cache and the
validation stamp."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    ACTORS,
    AGREEMENTS,
    ENGAGEMENTS,
    EXERCISES,
    FILES,
    INCIDENTS,
    MEMBERS,
    MILESTONES,
    PARTICIPANTS,
    RIVALRIES,
    write_folder,
)

import apresearch as apr
from apresearch import data
from apresearch.cli import main as cli
from apresearch.data import Problem

N_ACTORS = len(ACTORS.strip().splitlines()) - 1
TABLES = [name.removesuffix(".csv") for name in FILES]


def problems(folder, **kw):
    with pytest.raises(apr.DataValidationError) as info:
        data.validate(folder, **kw)
    return info.value.problems


def got(ps, *fields):
    fields = fields or ("file", "line", "column", "value", "rule")
    return {tuple(getattr(p, f) for f in fields) for p in ps}


# ------------------------------------------------------------------ step 3 without Frictionless
@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    """The fixture's tables, typed, and the descriptor: for the cross-table rules."""
    folder = write_folder(tmp_path_factory.mktemp("typed") / "d")
    desc = data.descriptor(folder)
    return {r["name"]: data._read_table(folder, r) for r in desc["resources"]}, desc


def rules(typed, *, today=dt.date(2026, 1, 1), coverage=None, **tables):
    """The step-3 problems of the fixture with some tables replaced."""
    frames, desc = typed
    desc = json.loads(json.dumps(desc))
    for r in desc["resources"]:
        if coverage and r["name"] in coverage:
            r["coverage"] = {"start": coverage[r["name"]][0], "end": coverage[r["name"]][1]}
    return data._rule_problems({**frames, **tables}, desc, today)


def table(typed, name):
    return typed[0][name].copy()


def test_the_fixture_passes_every_rule(typed):
    assert rules(typed) == []


# ------------------------------------------------------------------ locating the folder
def test_data_dir(mini, monkeypatch, tmp_path):
    assert data.data_dir(mini) == mini.resolve()
    assert data.data_dir(str(mini)) == mini.resolve()
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))
    assert data.data_dir() == mini.resolve()
    monkeypatch.setenv("APRESEARCH_DATA", "")  # empty: the shipped folder
    assert (data.data_dir() / "datapackage.json").is_file()
    assert data.data_dir() != mini.resolve()
    with pytest.raises(apr.ParameterError,
                       match=f"^data folder {tmp_path / 'nowhere'} does not exist or is not "
                             "a folder$"):
        data.data_dir(tmp_path / "nowhere")
    with pytest.raises(apr.ParameterError, match="is not a folder"):
        data.data_dir(mini / "actors.csv")


def test_no_data_folder_found(monkeypatch):
    monkeypatch.setattr(data, "_default_dir", lambda: None)
    with pytest.raises(apr.ParameterError, match="^no data folder found: pass a folder, or "
                                                 "set the environment variable APRESEARCH_DATA"):
        data.data_dir()


def test_descriptor_and_table_names(mini):
    shipped = json.loads((data._shipped_descriptor_path()).read_text())
    assert data.descriptor(mini) == shipped  # a folder without its own: the shipped one
    assert data.table_names(mini) == TABLES
    own = json.loads(json.dumps(shipped))
    own["resources"] = [r for r in own["resources"] if r["name"] == "actors"]
    (mini / "datapackage.json").write_text(json.dumps(own))
    assert data.table_names(mini) == ["actors"]
    assert list(data.validate(mini)) == ["actors"]  # only what the own descriptor describes


def test_descriptor_not_json(mini):
    (mini / "datapackage.json").write_text("{not json")
    with pytest.raises(apr.DataValidationError) as info:
        data.descriptor(mini)
    (p,) = info.value.problems
    assert (p.file, p.rule) == (str(mini.resolve() / "datapackage.json"), "descriptor")
    assert p.message.startswith("not valid JSON: ")
    (mini / "datapackage.json").write_bytes(b"\xff\xfe")
    with pytest.raises(apr.DataValidationError, match="not valid JSON"):
        data.descriptor(mini)


# ------------------------------------------------------------------ Problem
def test_problem_text():
    assert str(Problem("a.csv", 3, "kind", "treaty", "constraint-error", "not allowed")) == (
        "a.csv, line 3, column 'kind': value 'treaty': not allowed [constraint-error]")
    assert str(Problem("a.csv", None, None, None, "file", "missing")) == "a.csv: missing [file]"
    assert str(Problem("a.csv", 1, None, None, "r", "m")) == "a.csv, line 1: m [r]"
    assert str(Problem("a.csv", None, "c", "", "r", "m")) == "a.csv, column 'c': value '': m [r]"


def test_every_problem_listed(tmp_path):
    folder = write_folder(tmp_path, {
        "agreements.csv": AGREEMENTS.replace("quad,Quad,minilateral", "quad,Quad,treaty")
        .replace("1953-10-01,day,,,1", "1953-13-01,day,,,1"),
        "agreement_members.csv": MEMBERS.replace("us-kor,KOR,1953", "us-kor,XXX,1953"),
    })
    with pytest.raises(apr.DataValidationError) as info:
        apr.load_all(folder)
    assert {p.rule for p in info.value.problems} == {
        "constraint-error", "type-error", "foreign-key"}
    text = str(info.value)
    assert text.startswith(f"3 problems in data folder {folder.resolve()}:\n  - ")
    assert "  - agreements.csv, line 6, column 'kind': value 'treaty': not an allowed " in text


# ------------------------------------------------------------------ step 1: files
def test_missing_file(mini):
    (mini / "incidents.csv").unlink()
    (p,) = problems(mini)
    assert (p.file, p.line, p.column, p.rule) == ("incidents.csv", None, None, "file")
    assert p.message == f"file is missing from {mini.resolve()}"


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path, content):
    (p,) = problems(write_folder(tmp_path, {"agreements.csv": content}))
    assert (p.file, p.line, p.rule) == ("agreements.csv", None, "empty")
    assert p.message == "file is empty; it needs a header row"


def test_non_utf8_file(tmp_path):
    latin1 = ACTORS.encode("utf-8").replace(b"Tokyo", "T\xf4ky\xf4".encode("latin-1"))
    (p,) = problems(write_folder(tmp_path, {"actors.csv": latin1}))
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "actors.csv", 3, None, "\\xf4", "encoding")
    assert p.message == "file is not UTF-8; save it as UTF-8"


def test_a_byte_order_mark_is_accepted(tmp_path):
    frames = data.validate(write_folder(tmp_path, {"actors.csv": "\ufeff" + ACTORS}))
    assert list(frames["actors"].columns)[0] == "iso3" and len(frames["actors"]) == N_ACTORS


def test_header_problems(tmp_path):
    broken = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 5)
                       for line in ACTORS.splitlines())  # drop 'capital'
    incidents = INCIDENTS.replace("incident_id,date,", "incident_id,date,date,", 1)
    members = MEMBERS.replace("notes\n", "notes,extra\n", 1)
    ps = problems(write_folder(tmp_path, {"actors.csv": broken + "\n",
                                          "incidents.csv": incidents,
                                          "agreement_members.csv": members,
                                          # a type error elsewhere is not reported yet: rows
                                          # are only checked once every header is right
                                          "agreements.csv": AGREEMENTS.replace(
                                              "1953-10-01,day,,,1", "1953-13-01,day,,,1")}))
    assert got(ps) == {("actors.csv", 1, "capital", None, "missing-column"),
                       ("incidents.csv", 1, "date", None, "duplicate-column"),
                       ("agreement_members.csv", 1, "extra", None, "unknown-column")}
    by = {p.rule: p.message for p in ps}
    assert by["missing-column"] == ("column is missing; expected columns: iso3, name, iso_n3, "
                                    "cow_code, subregion, capital, lat, lon, regional, "
                                    "lowy_api, source, notes")
    assert by["unknown-column"].startswith("column is not described in datapackage.json; "
                                           "expected columns: agreement_id, iso3, joined,")
    assert by["duplicate-column"] == "column appears twice"


def test_reordered_columns(tmp_path):
    swapped = ACTORS.replace("iso3,name,", "name,iso3,", 1)
    (p,) = problems(write_folder(tmp_path, {"actors.csv": swapped}))
    assert (p.file, p.line, p.column, p.rule) == ("actors.csv", 1, None, "column-order")
    assert p.message == ("columns are not in the described order; expected: iso3, name, "
                         "iso_n3, cow_code, subregion, capital, lat, lon, regional, lowy_api, "
                         "source, notes")


# ------------------------------------------------------------------ step 2: rows
def test_type_errors(tmp_path):
    ps = problems(write_folder(tmp_path, {
        "agreements.csv": AGREEMENTS.replace("1953-10-01,day,,,1", "1953-13-01,day,,,1"),
        "milestones.csv": MILESTONES.replace("2016-07-12,day", "12/07/2016,day"),
        "capabilities.csv": FILES["capabilities.csv"].replace("0.21", "big"),
        "rivalries.csv": RIVALRIES.replace("1996,,ongoing", "1996.5,,ongoing"),
        "actors.csv": ACTORS.replace("Tokyo,35.7,139.7,1,1", "Tokyo,35.7,139.7,yes,1"),
    }))
    assert got(ps) == {("agreements.csv", 3, "signed", "1953-13-01", "type-error"),
                       ("milestones.csv", 2, "date", "12/07/2016", "type-error"),
                       ("capabilities.csv", 3, "cinc", "big", "type-error"),
                       ("rivalries.csv", 2, "start_year", "1996.5", "type-error"),
                       ("actors.csv", 3, "regional", "yes", "type-error")}
    by = {p.file: p.message for p in ps}
    assert by["agreements.csv"] == by["milestones.csv"] == "not a valid date (YYYY-MM-DD)"
    assert by["capabilities.csv"] == "not a valid number"
    assert by["rivalries.csv"] == "not a valid integer"
    assert by["actors.csv"] == "not a valid boolean"


def test_constraint_errors(tmp_path):
    ps = problems(write_folder(tmp_path, {
        "agreements.csv": AGREEMENTS.replace("quad,Quad,minilateral", "quad,Quad,treaty")
        .replace("us-kor,US-ROK,defence_treaty,1953-10-01,day,,,1",
                 "us-kor,US-ROK,defence_treaty,1953-10-01,day,,,2")
        .replace("forum,Forum,", "forum,,"),
        "incidents.csv": INCIDENTS.replace("k3,2016-01-06", "K_3,2016-01-06"),
    }))
    assert got(ps) == {("agreements.csv", 6, "kind", "treaty", "constraint-error"),
                       ("agreements.csv", 3, "defense", "2", "constraint-error"),
                       ("agreements.csv", 7, "name", "", "constraint-error"),
                       ("incidents.csv", 8, "incident_id", "K_3", "constraint-error")}
    by = {(p.file, p.column): p.message for p in ps}
    assert by[("agreements.csv", "kind")] == (
        "not an allowed value; valid: defence_treaty, security_agreement, access_agreement, "
        "defence_cooperation, minilateral, multilateral_forum, friendship_treaty")
    assert by[("agreements.csv", "defense")] == 'constraint "maximum" is "1"'
    assert by[("agreements.csv", "name")] == 'constraint "required" is "True"'
    assert "pattern" in by[("incidents.csv", "incident_id")]


def test_duplicate_keys(tmp_path):
    ps = problems(write_folder(tmp_path, {
        "actors.csv": ACTORS + ACTORS.splitlines()[2] + "\n",
        "agreement_members.csv": MEMBERS + MEMBERS.splitlines()[1] + "\n"}))
    assert got(ps) == {("actors.csv", N_ACTORS + 2, "iso3", "JPN", "primary-key"),
                       ("agreement_members.csv", 23, "agreement_id, iso3, joined",
                        "us-jpn, USA, 1951-09-08", "primary-key")}
    assert all(p.message.startswith("duplicate key; ") for p in ps)


def test_foreign_keys(tmp_path):
    ps = problems(write_folder(tmp_path, {
        "agreement_members.csv": MEMBERS.replace("us-kor,KOR,1953", "us-kor,XXX,1953"),
        "exercise_participants.csv": PARTICIPANTS.replace("joint-sea-2019,RUS",
                                                          "joint-sea-2019,SUN"),
        "exercises.csv": EXERCISES.replace("malabar-2020,malabar,", "malabar-2020,malabr,"),
        "engagements.csv": ENGAGEMENTS.replace("CHN,,forum", "CHN,,nowhere"),
    }))
    assert got(ps) == {
        ("agreement_members.csv", 5, "iso3", "XXX", "foreign-key"),
        ("exercise_participants.csv", 16, "iso3", "SUN", "foreign-key"),
        ("exercises.csv", 4, "series_id", "malabr", "foreign-key"),
        ("engagements.csv", 6, "forum_id", "nowhere", "foreign-key")}
    by = {p.file: p.message for p in ps}
    assert by["agreement_members.csv"] == "not found in table 'actors' column 'iso3'"
    assert by["engagements.csv"] == "not found in table 'agreements' column 'agreement_id'"


def test_code_lists_are_foreign_keys(tmp_path):
    """The ';'-separated participants of an engagement and parties of a milestone."""
    ps = problems(write_folder(tmp_path, {
        "engagements.csv": ENGAGEMENTS.replace("USA;JPN;AUS", "USA;JPN;XYZ"),
        "milestones.csv": MILESTONES.replace("PHL;CHN", "PHL;ABC"),
    }))
    assert got(ps) == {("engagements.csv", 7, "participants", "XYZ", "foreign-key"),
                       ("milestones.csv", 2, "parties", "ABC", "foreign-key")}
    assert {p.message for p in ps} == {"not found in table 'actors' column 'iso3'"}


def test_code_list_rule_without_actors(typed):
    ms = table(typed, "milestones")
    ms.loc[0, "parties"] = "PHL;ABC;;"
    frames = {**typed[0], "milestones": ms}
    rule = data._code_list_rule("milestones", "parties")
    assert got(rule(frames, {"milestones": "m.csv"})) == {
        ("m.csv", 2, "parties", "ABC", "foreign-key")}  # empty codes are skipped
    frames.pop("actors")
    assert rule(frames, {"milestones": "m.csv"}) == []


# ------------------------------------------------------------------ step 3: dates
def test_future_dates(mini):
    # the last date of the fixture is 2024-01-01 (a visit): it is not after that day
    assert set(data.validate(mini, today=dt.date(2024, 1, 1))) == set(TABLES)
    ps = problems(mini, today=dt.date(2023, 12, 31))
    assert got(ps) == {("engagements.csv", 10, "date", "2024-01-01", "future-date")}
    assert ps[0].message == "date is after today (2023-12-31)"


def test_future_dates_in_every_date_column(typed):
    ps = rules(typed, today=dt.date(2017, 11, 12))
    assert got(ps, "file", "line", "column", "value") == {
        ("engagements.csv", 5, "date", "2018-03-05"),
        ("engagements.csv", 5, "end_date", "2018-03-09"),
        ("engagements.csv", 6, "date", "2019-06-02"),
        ("engagements.csv", 7, "date", "2020-07-01"),
        ("engagements.csv", 8, "date", "2022-08-05"),
        ("engagements.csv", 9, "date", "2023-11-15"),
        ("engagements.csv", 10, "date", "2024-01-01"),
        ("exercises.csv", 3, "start", "2018-06-27"),
        ("exercises.csv", 3, "end", "2018-08-02"),
        ("exercises.csv", 4, "start", "2020-11-03"),
        ("exercises.csv", 4, "end", "2020-11-20"),
        ("exercises.csv", 5, "start", "2019-04-29")}
    assert {p.rule for p in ps} == {"future-date"}


@pytest.mark.parametrize(("name", "row", "early", "late", "value"), [
    ("agreements", 7, "signed", "ended", "1951-08-29"),
    ("agreements", 0, "signed", "in_force", "1951-09-07"),
    ("agreement_members", 20, "joined", "left", "1961-07-10"),
    ("exercise_series", 3, "first_year", "last_year", 1960),
    ("exercises", 0, "start", "end", "2014-06-25"),
    ("engagements", 3, "date", "end_date", "2018-03-04"),
    ("incidents", 2, "date", "end_date", "2012-04-09"),
    ("rivalries", 2, "start_year", "end_year", 1957),
    ("state_system", 1, "start", "end", "1859-12-31"),
    ("arms_transfers", 0, "first_delivery", "last_delivery", 1987),
])
def test_date_order(typed, name, row, early, late, value):
    df = table(typed, name)
    others = {}
    if name == "exercise_series":  # leave out its editions, which would be after its end
        ex = table(typed, "exercises")
        others["exercises"] = ex[ex["series_id"] != df.at[row, "series_id"]]
    early_value = df.at[row, early]
    is_date = pd.api.types.is_datetime64_any_dtype(df[late])
    df.at[row, late] = pd.Timestamp(value) if is_date else value
    (p,) = rules(typed, **{name: df}, **others)
    path = f"{name}.csv"
    assert (p.file, p.line, p.column, p.rule) == (path, row + 2, late, "date-order")
    assert p.value == str(value)
    shown = early_value.date().isoformat() if is_date else str(early_value)
    assert p.message == f"'{late}' is before '{early}' ({shown})"
    df.at[row, late] = early_value  # the same day (or year) is in order
    assert rules(typed, **{name: df}, **others) == []


def test_dates_of_different_types_in_one_check(typed):
    """Every described date column is checked for the future, not only the first."""
    df = table(typed, "presence")
    df.loc[0, "end"] = pd.Timestamp("2030-01-01")
    assert got(rules(typed, presence=df), "line", "column", "rule") == {
        (2, "end", "future-date")}


def test_joined_before_signed(typed):
    members = table(typed, "agreement_members")
    members.loc[3, "joined"] = pd.Timestamp("1953-09-30")  # us-kor, KOR
    (p,) = rules(typed, agreement_members=members)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "agreement_members.csv", 5, "joined", "1953-09-30", "date-order")
    assert p.message == "'joined' is before agreements.signed (1953-10-01) of agreement_id 'us-kor'"
    members.loc[3, "joined"] = pd.Timestamp("1953-10-01")
    assert rules(typed, agreement_members=members) == []


def test_exercise_year_within_its_series(typed):
    ex = table(typed, "exercises")
    ex.loc[4, ["year", "start"]] = [2019, pd.Timestamp("2019-03-01")]  # foal-eagle ended 2018
    ex.loc[2, ["year", "start", "end"]] = [1991, pd.Timestamp("1991-11-03"),
                                           pd.Timestamp("1991-11-20")]  # malabar from 1992
    ps = rules(typed, exercises=ex)
    assert got(ps) == {("exercises.csv", 6, "year", "2019", "date-order"),
                       ("exercises.csv", 4, "year", "1991", "date-order")}
    by = {p.line: p.message for p in ps}
    assert by[6] == "'year' is after exercise_series.last_year (2018) of series_id 'foal-eagle'"
    assert by[4] == "'year' is before exercise_series.first_year (1992) of series_id 'malabar'"
    ex.loc[4, ["year", "start"]] = [2018, pd.Timestamp("2018-03-01")]
    ex.loc[2, ["year", "start", "end"]] = [1992, pd.Timestamp("1992-11-03"),
                                           pd.Timestamp("1992-11-20")]
    assert rules(typed, exercises=ex) == []  # the first and last years are in the span


# ------------------------------------------------------------------ step 3: exercises
def test_exercise_year_is_its_start_year(typed):
    ex = table(typed, "exercises")
    ex.loc[4, "year"] = 2016
    ex.loc[3, "start"] = pd.NaT  # an unknown start is no mismatch
    ex.loc[3, "year"] = 2015
    (p,) = rules(typed, exercises=ex)
    assert (p.line, p.column, p.value, p.rule) == (6, "year", "2016", "year-mismatch")
    assert p.message == "'year' differs from the year of 'start' (2017-03-01)"


def test_exercise_participants_rule(typed):
    parts = table(typed, "exercise_participants")
    drop = ((parts["exercise_id"] == "joint-sea-2019") & (parts["iso3"] == "RUS")) | (
        (parts["exercise_id"] == "mme-9-cope-north-85") & (parts["iso3"] == "JPN"))
    parts = parts[~drop]
    parts.loc[parts["exercise_id"] == "foal-eagle-2017", "role"] = ["host", "observer"]
    ps = rules(typed, exercise_participants=parts)
    # curated editions need two states; observers do not count; MME's need one
    assert got(ps) == {("exercises.csv", 5, "exercise_id", "joint-sea-2019",
                        "too-few-participants"),
                       ("exercises.csv", 6, "exercise_id", "foal-eagle-2017",
                        "too-few-participants")}
    assert {p.message for p in ps} == {
        "1 state(s) take part in exercise_participants.csv (host and participants); at least "
        "2 needed"}
    none = parts[parts["exercise_id"] != "mme-9-cope-north-85"]
    ps = rules(typed, exercise_participants=none)
    mme = [p for p in ps if p.value == "mme-9-cope-north-85"]
    assert [p.message for p in mme] == [
        "0 state(s) take part in exercise_participants.csv (host and participants); at least "
        "1 needed"]


def test_exercise_rule_without_origin_column(typed):
    ex = table(typed, "exercises").drop(columns="origin")
    parts = table(typed, "exercise_participants")
    parts = parts[~((parts["exercise_id"] == "mme-9-cope-north-85") & (parts["iso3"] == "JPN"))]
    frames = {"exercises": ex, "exercise_participants": parts}
    (p,) = data._exercise_has_partners(frames, {"exercises": "e.csv"})
    assert p.value == "mme-9-cope-north-85" and p.message.endswith("at least 2 needed")
    assert data._exercise_has_partners({"exercises": ex}, {"exercises": "e.csv"}) == []


def test_exercise_rules_through_validate(tmp_path):
    folder = write_folder(tmp_path, {
        "exercises.csv": EXERCISES.replace("foal-eagle-2017,foal-eagle,,2017,2017-03-01",
                                           "foal-eagle-2017,foal-eagle,,2016,2017-03-01"),
        "exercise_participants.csv": PARTICIPANTS.replace("foal-eagle-2017,USA,participant",
                                                          "foal-eagle-2017,USA,observer")})
    assert got(problems(folder)) == {
        ("exercises.csv", 6, "year", "2016", "year-mismatch"),
        ("exercises.csv", 6, "exercise_id", "foal-eagle-2017", "too-few-participants")}


# ------------------------------------------------------------------ step 3: engagements
def _eng(typed, row, **values):
    df = table(typed, "engagements")
    for col, v in values.items():
        df.at[row, col] = pd.Timestamp(v) if col in ("date", "end_date") and v else v
    return df


@pytest.mark.parametrize(("row", "values", "expected", "message"), [
    (2, {"participants": "USA;USA"}, {(4, "participants", "USA;USA", "repeated"),
                                      (4, "participants", "USA;USA", "no-counterpart")},
     "a state is listed twice"),
    (5, {"participants": "JPN;AUS;JPN"}, {(7, "participants", "JPN;AUS;JPN", "repeated")},
     "a state is listed twice"),
    (4, {"forum_id": None}, {(6, "participants", "CHN", "no-counterpart")},
     "give two or more states, or forum_id for one state's appearance at a forum"),
    (3, {"initiator": "JPN"}, {(5, "initiator", "JPN", "initiator")},
     "the initiator must be one of the participants"),
    (8, {"initiator": None}, {(10, "initiator", None, "initiator")},
     "a visit needs its initiator (the visitor, the navy's state, the suspending state)"),
    (3, {"initiator": None}, {(5, "initiator", None, "initiator")},
     "a port_call needs its initiator (the visitor, the navy's state, the suspending state)"),
    (0, {"initiator": None}, {(2, "initiator", None, "initiator")},
     "a suspension needs its initiator (the visitor, the navy's state, the suspending state)"),
    # the 2023 resumption still follows the 2010 suspension of the same channel
    (6, {"channel": None}, {(8, "channel", None, "channel")},
     "a suspension names the channel it concerns"),
    (0, {"channel": None}, {(2, "channel", None, "channel"),
                            (3, "channel", "mil-mil", "resumption-without-suspension")},
     "a suspension names the channel it concerns"),
    (7, {"channel": None}, {(9, "channel", None, "channel"),
                            (9, "channel", None, "resumption-without-suspension")},
     "a resumption names the channel it concerns"),
    (4, {"participants": "CHN;XYZ"}, {(6, "participants", "XYZ", "foreign-key")},
     "not found in table 'actors' column 'iso3'"),
])
def test_engagement_rules(typed, row, values, expected, message):
    ps = rules(typed, engagements=_eng(typed, row, **values))
    assert got(ps, "line", "column", "value", "rule") == expected
    assert message in {p.message for p in ps}
    assert {p.file for p in ps} == {"engagements.csv"}


def test_engagement_initiators_that_may_be_missing(typed):
    for row in (1, 2, 4, 5, 7):  # resumptions, a cbm, dialogues: no initiator needed
        assert rules(typed, engagements=_eng(typed, row, initiator=None)) == []
    assert rules(typed, engagements=_eng(typed, 2, channel=None)) == []  # a cbm needs none


def test_engagement_participants_without_actors_table(typed):
    df = _eng(typed, 4, participants="CHN;XYZ")
    frames = {"engagements": df}
    assert data._engagement_rules(frames, {"engagements": "e.csv"}) == []


@pytest.mark.parametrize(("row", "date", "kind", "ok"), [
    (4, "1990-01-01", None, True),  # the first day of the coverage
    (4, "1989-12-31", None, False),
    (4, "2025-12-31", None, True),  # the last day
    (4, "2026-01-01", None, False),
    (0, "1989-06-04", "suspension", True),  # a suspension in force when coverage starts
    (0, "1980-01-01", "suspension", True),
])
def test_engagement_coverage(typed, row, date, kind, ok):
    df = _eng(typed, row, date=date, **({"kind": kind} if kind else {}))
    ps = rules(typed, engagements=df, today=dt.date(2027, 1, 1))
    if ok:
        assert ps == []
    else:
        (p,) = ps
        assert (p.line, p.column, p.value, p.rule) == (row + 2, "date", date, "coverage")
        assert p.message == ("outside the table's coverage 1990-2025 (only a suspension still "
                             "in force when the coverage starts may be earlier)")


def test_engagement_coverage_comes_from_the_descriptor(typed):
    df = _eng(typed, 4, date="2019-06-02")
    ps = rules(typed, engagements=df, coverage={"engagements": (2010, 2018)})
    # the 2019-2024 events are outside 2010-2018
    assert got(ps, "line", "rule") == {(6, "coverage"), (7, "coverage"), (8, "coverage"),
                                       (9, "coverage"), (10, "coverage")}
    frames, desc = typed
    no_cov = json.loads(json.dumps(desc))
    for r in no_cov["resources"]:
        r.pop("coverage", None)
    assert data._rule_problems({**frames, "engagements": _eng(typed, 4, date="1950-01-01")},
                               no_cov, dt.date(2026, 1, 1)) == []


def test_resumption_follows_a_suspension(typed):
    ok = "resumption-without-suspension"
    # on the same day as the suspension: it follows it
    assert rules(typed, engagements=_eng(typed, 1, date="2010-01-30")) == []
    # before the suspension
    (p,) = rules(typed, engagements=_eng(typed, 1, date="2010-01-29"))
    assert (p.line, p.column, p.value, p.rule) == (3, "channel", "mil-mil", ok)
    assert p.message == "no earlier suspension of this channel between these states"
    # another channel
    df = _eng(typed, 1, channel="hotline")
    assert got(rules(typed, engagements=df), "line", "rule") == {(3, ok)}
    # other states
    df = _eng(typed, 1, participants="USA;PHL", initiator=None)
    assert got(rules(typed, engagements=df), "line", "rule") == {(3, ok)}
    # the states in another order are the same pair
    assert rules(typed, engagements=_eng(typed, 7, participants="USA;CHN")) == []
    # without any suspension, both resumptions are orphans
    df = table(typed, "engagements")
    df.loc[df["kind"] == "suspension", "kind"] = "dialogue"
    assert got(rules(typed, engagements=df), "line", "rule") == {(3, ok), (9, ok)}


def test_engagement_rules_through_validate(tmp_path):
    folder = write_folder(tmp_path, {"engagements.csv": ENGAGEMENTS.replace(
        "dialogue,CHN,,forum", "dialogue,CHN,,").replace("visit,JPN;PHL,JPN", "visit,JPN;PHL,")})
    assert got(problems(folder), "line", "column", "rule") == {
        (6, "participants", "no-counterpart"), (10, "initiator", "initiator")}


# ------------------------------------------------------------------ step 3: other tables
def test_incident_rules(tmp_path):
    broken = (INCIDENTS
              .replace("PRK,KOR,5,4,37.7,125.7,Y,app", "PRK,KOR,4,4,37.7,125.7,Y,app")
              .replace("CHN,PHL,3,,15.2,117.8,S,app", "CHN,PHL,5,,15.2,,S,app")
              .replace("missile_test,PRK,JPN,4,,,,,,", "missile_test,PRK,PRK,4,,,,,exact,")
              .replace("CHN,PHL,3,0,,,,,", "CHN,PHL,5,0,,10.0,,approximate,"))
    ps = problems(write_folder(tmp_path, {"incidents.csv": broken}))
    assert got(ps, "line", "column", "value", "rule") == {
        (3, "severity", "4", "severity-rubric"),  # 4 dead but severity 4
        (4, "fatalities", None, "severity-rubric"),  # severity 5, fatalities not given
        (5, "fatalities", "0", "severity-rubric"),  # severity 5 with 0 dead
        (4, "lat", None, "coordinates"),  # lon without lat
        (5, "lat", None, "coordinates"),  # lat without lon
        (5, "coord_precision", None, "coordinates"),  # precision but no lat
        (9, "coord_precision", None, "coordinates"),  # precision without coordinates
        (9, "target", "PRK", "self-tie"),
    }
    by = {(p.line, p.column): p.message for p in ps}
    assert by[(3, "severity")] == "4 fatalities: severity must be 5 (deaths)"
    assert by[(4, "fatalities")] == "severity 5 means deaths: give fatalities >= 1"
    assert by[(4, "lat")] == "give both lat and lon, or neither"
    assert by[(9, "coord_precision")] == ("coord_precision is required with coordinates, and "
                                          "only with them")
    assert by[(9, "target")] == "target is the same state as initiator"


def test_incident_rubric_boundary(typed):
    inc = table(typed, "incidents")
    inc.loc[0, "fatalities"] = 1  # one death is enough for severity 5
    inc.loc[6, "fatalities"] = 0  # no death at severity 4 is fine
    inc.loc[6, "target"] = pd.NA  # no target is no self-tie
    assert rules(typed, incidents=inc) == []
    inc.loc[6, "lat"] = pd.NA
    inc.loc[6, "lon"] = pd.NA
    (p,) = rules(typed, incidents=inc)
    assert (p.line, p.column) == (8, "coord_precision")


def test_rivalry_rules(tmp_path):
    broken = RIVALRIES.replace("cu2,China-US 2,CHN,USA", "cu2,China-US 2,USA,CHN").replace(
        "1958,1989,td", "1958,,td").replace("nk-sk,NK-SK,KOR,PRK,1948,,ongoing",
                                            "nk-sk,NK-SK,KOR,PRK,1948,2000,ongoing")
    ps = problems(write_folder(tmp_path, {"rivalries.csv": broken}))
    assert got(ps, "line", "column", "value", "rule") == {
        (2, "iso3_b", "CHN", "dyad-order"), (4, "end_rule", "td", "end-rule"),
        (3, "end_rule", "ongoing", "end-rule")}
    by = {p.rule: p.message for p in ps}
    assert by["dyad-order"] == "write each pair once, with iso3_a before iso3_b alphabetically"
    assert by["end-rule"] == "end_rule is 'ongoing' exactly when end_year is empty"


def test_rivalry_with_itself(typed):
    riv = table(typed, "rivalries")
    riv.loc[0, "iso3_b"] = "CHN"  # a == b is not a < b
    (p,) = rules(typed, rivalries=riv)
    assert (p.line, p.rule) == (2, "dyad-order")


def test_transfer_needs_an_actor(typed):
    arms = table(typed, "arms_transfers")
    arms.loc[4, "recipient_iso3"] = pd.NA  # Israel (no actor) to India: now no actor at all
    (p,) = rules(typed, arms_transfers=arms)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "arms_transfers.csv", 6, "supplier_iso3", None, "no-actor")
    assert p.message.startswith("neither supplier_iso3 nor recipient_iso3 is given")


def test_a_gap_not_held_needs_its_source(typed):
    gaps = table(typed, "exercise_gaps")
    assert rules(typed, exercise_gaps=gaps) == []  # 'not found' needs none
    gaps.loc[0, "reason"] = "not held: cancelled (COVID-19)"
    (p,) = rules(typed, exercise_gaps=gaps)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "exercise_gaps.csv", 2, "source", None, "gap-source")
    assert p.message == "a gap year whose reason is not 'not found' needs the source that says so"
    gaps.loc[0, "source"] = "MINDEF, Exercise cancelled, 2020-03-01"
    assert rules(typed, exercise_gaps=gaps) == []


def test_rules_skip_missing_tables(typed):
    frames, desc = typed
    assert data._rule_problems({"actors": frames["actors"]}, desc, dt.date(2026, 1, 1)) == []


# ------------------------------------------------------------------ reading
def test_types(mini_tables):
    ag = mini_tables["agreements"]
    assert pd.api.types.is_datetime64_any_dtype(ag["signed"])
    assert str(ag["defense"].dtype) == "Int64"
    assert ag.loc[ag["agreement_id"] == "us-phl", "ended"].iloc[0] == pd.Timestamp("1960-06-30")
    assert ag["atop_id"].isna().all()  # missing is NA, never 0 or ""
    assert ag.loc[ag["agreement_id"] == "us-jpn", "ended"].isna().all()
    actors = mini_tables["actors"].set_index("iso3")
    assert str(actors["regional"].dtype) == "boolean"
    assert actors.loc["AUS", "iso_n3"] == "036"  # not read as a number
    assert actors.loc["AUS", "lat"] == pytest.approx(-35.3)
    assert str(actors["lat"].dtype) == "float64"
    assert str(mini_tables["milex"]["year"].dtype) == "Int64"
    assert str(actors["name"].dtype).startswith(("string", "str"))
    ex = mini_tables["exercises"].set_index("exercise_id")
    assert ex.loc["malabar-2020", "participants_complete"]
    assert not ex.loc["rimpac-2014", "participants_complete"]
    assert str(ex["participants_complete"].dtype) == "boolean"
    assert pd.isna(ex.loc["rimpac-2014", "cpx"]) and ex.loc["mme-9-cope-north-85", "air"] == 1


def test_boolean_true_values(tmp_path):
    res = {"path": "t.csv", "schema": {"fields": [
        {"name": "a", "type": "boolean"},
        {"name": "b", "type": "boolean", "trueValues": ["yes"]}]}}
    folder = tmp_path
    (folder / "t.csv").write_text("a,b\ntrue,yes\n0,no\n,\nTRUE,1\n")
    df = data._read_table(folder, res)
    assert df["a"].tolist()[:2] == [True, False] and pd.isna(df["a"][2]) and df["a"][3]
    assert df["b"].tolist()[:2] == [True, False] and pd.isna(df["b"][2]) and not df["b"][3]


def test_load(mini, monkeypatch):
    before = sorted((p.name, p.stat().st_mtime_ns) for p in mini.iterdir())
    a = apr.load("actors", mini)
    a.loc[0, "name"] = "changed"  # a copy: the cache is not changed
    assert apr.load("actors", mini).loc[0, "name"] == "United States"
    every = apr.load_all(mini)
    every["actors"].loc[0, "name"] = "changed"
    assert apr.load_all(mini)["actors"].loc[0, "name"] == "United States"
    assert list(every) == TABLES
    with pytest.raises(apr.ParameterError,
                       match="^no table 'treaties'; tables: actors, agreements, agreement_"):
        apr.load("treaties", mini)
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))  # the environment variable points there
    assert len(apr.load("agreements")) == 8
    # nothing in the data folder is ever written
    assert sorted((p.name, p.stat().st_mtime_ns) for p in mini.iterdir()) == before


def test_load_missing_folder(tmp_path):
    with pytest.raises(apr.ParameterError, match="does not exist"):
        apr.load_all(tmp_path / "nowhere")


def test_load_folder_caches_by_content(mini):
    frames, desc, sig = data.load_folder(mini)
    again, _, sig2 = data.load_folder(mini)
    assert again is frames and sig2 == sig and desc["resources"][0]["name"] == "actors"
    (mini / "actors.csv").write_text(ACTORS.replace("CHN,China", "CHN,PRC"), encoding="utf-8")
    changed, _, sig3 = data.load_folder(mini)
    assert sig3 != sig and changed["actors"].set_index("iso3").loc["CHN", "name"] == "PRC"
    data.clear_cache()
    assert data._CACHE == {}


def test_read_table(mini):
    (mini / "incidents.csv").write_text("broken")  # another table's problem does not matter
    actors = data.read_table("actors", mini)
    assert len(actors) == N_ACTORS and str(actors["regional"].dtype) == "boolean"
    with pytest.raises(apr.DataValidationError, match="incidents.csv, line 1, column "
                                                      "'incident_id': column is missing"):
        data.read_table("incidents", mini)
    (mini / "milex.csv").unlink()
    with pytest.raises(apr.DataValidationError, match="milex.csv: file is missing"):
        data.read_table("milex", mini)
    with pytest.raises(apr.ParameterError,
                       match="^no table 'treaties'; tables: actors, agreements,"):
        data.read_table("treaties", mini)


def test_summary():
    frames = {"a": pd.DataFrame({"d1": pd.to_datetime(["2001-05-01", None]),
                                 "d2": pd.to_datetime(["1999-01-01", "2010-02-03"]),
                                 "x": [1, 2]}),
              "b": pd.DataFrame({"x": [1]}),
              "c": pd.DataFrame({"d": pd.to_datetime([None, None])})}
    s = data.summary(frames)
    assert list(s.columns) == ["table", "rows", "columns", "first_date", "last_date"]
    assert s["table"].tolist() == ["a", "b", "c"]
    assert s["rows"].tolist() == [2, 1, 2] and s["columns"].tolist() == [3, 1, 1]
    assert s.loc[0, "first_date"] == pd.Timestamp("1999-01-01")
    assert s.loc[0, "last_date"] == pd.Timestamp("2010-02-03")
    assert pd.isna(s.loc[1, "first_date"]) and pd.isna(s.loc[2, "last_date"])


# ------------------------------------------------------------------ the validation stamp
def test_stamp_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data._stamp_dir() == tmp_path / "apresearch" / "validated"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data._stamp_dir() == Path.home() / ".cache" / "apresearch" / "validated"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert data._stamp_dir() == Path.home() / ".cache" / "apresearch" / "validated"


def test_validation_stamp(mini, monkeypatch):
    apr.load_all(mini)
    _, _, sig = data.load_folder(mini)
    stamp = data._stamp_dir() / f"{sig}-{dt.date.today().isoformat()}"
    assert stamp.is_file() and stamp.read_bytes() == b""
    assert data._stamp_dir() == Path(os.environ["XDG_CACHE_HOME"]) / "apresearch" / "validated"
    apr.clear_cache()

    def boom(*a, **k):
        raise AssertionError("re-validated unchanged data")

    monkeypatch.setattr(data, "_row_problems", boom)
    calls = []
    real_rules = data._rule_problems
    monkeypatch.setattr(data, "_rule_problems", lambda *a: calls.append(1) or real_rules(*a))
    assert len(apr.load("actors", mini)) == N_ACTORS  # same bytes today: the stamp skips
    assert calls == []  # steps 2 and 3 (the rules passed today on these very bytes)
    monkeypatch.undo()
    # any changed byte invalidates the stamp, so the new problem is caught
    (mini / "agreements.csv").write_text(AGREEMENTS.replace("quad,Quad,minilateral",
                                                            "quad,Quad,treaty"))
    with pytest.raises(apr.DataValidationError) as info:
        apr.load_all(mini)
    assert [p.value for p in info.value.problems] == ["treaty"]


def test_stamp_of_another_day_or_version_is_not_used(mini, monkeypatch):
    apr.load_all(mini)
    _, _, sig = data.load_folder(mini)
    apr.clear_cache()
    old = data._stamp_dir() / f"{sig}-{dt.date.today().isoformat()}"
    old.rename(data._stamp_dir() / f"{sig}-2000-01-01")
    calls = []
    real = data._row_problems
    monkeypatch.setattr(data, "_row_problems", lambda *a: calls.append(1) or real(*a))
    apr.load_all(mini)
    assert calls == [1]  # yesterday's stamp does not count
    monkeypatch.setattr(data, "__version__", "0.0.0-other")
    assert data._signature(mini, data._shipped_descriptor_path(),
                           data.descriptor(mini)) != sig  # a new package version


def test_signature_covers_descriptor_and_every_table(mini):
    desc_path = data._shipped_descriptor_path()
    desc = data.descriptor(mini)
    base = data._signature(mini, desc_path, desc)
    (mini / "us_bases.csv").unlink()
    missing = data._signature(mini, desc_path, desc)
    assert missing != base
    other = mini / "datapackage.json"
    other.write_text(desc_path.read_text() + " ")
    assert data._signature(mini, other, desc) != missing


def test_unwritable_cache_only_costs_speed(mini, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(apr.load_all(mini)) == len(TABLES)


# ------------------------------------------------------------------ the validate command
def test_cli_validate(mini, tmp_path, capsys):
    assert cli(["validate", str(mini)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{mini.resolve()}: valid ({len(FILES)} tables)"
    assert out[1].split() == ["actors", str(N_ACTORS), "rows"]
    assert out[2].split() == ["agreements", "8", "rows", "dates", "1951-08-30", "to",
                              "2017-11-12"]
    assert len(out) == 1 + len(FILES)


def test_cli_validate_default_folder(mini, monkeypatch, capsys):
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))
    assert cli(["validate"]) == 0
    assert capsys.readouterr().out.startswith(f"{mini.resolve()}: valid")


def test_cli_validate_errors(tmp_path, capsys):
    bad = write_folder(tmp_path / "bad", {"agreements.csv": ""})
    assert cli(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: 1 problem in data folder {bad.resolve()}:")
    assert "agreements.csv: file is empty; it needs a header row [empty]" in err
    assert "Traceback" not in err
    assert cli(["validate", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: data folder {tmp_path / 'nowhere'} does not exist or is not a "
                   "folder\n")


def test_cli_validate_into_a_closed_pipe(mini):
    # `apresearch validate | head -1`: the reader leaves after one line; the command
    # stops quietly with the shell's code for a broken pipe, no traceback
    import subprocess
    import sys
    code = ("import sys; from apresearch.cli import main; "
            f"sys.exit(main(['validate', {str(mini)!r}]))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # nobody reads
    err = proc.stderr.read().decode()
    assert proc.wait() == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_signature_is_remembered_only_for_settled_files(mini):
    desc_path, desc = data._shipped_descriptor_path(), data.descriptor(mini)
    files = [desc_path] + [mini / r["path"] for r in desc["resources"]]
    data._SIGNATURES.clear()
    # files just written are hashed every time (a write in the same clock tick could hide)
    first = data._signature(mini, desc_path, desc)
    assert data._SIGNATURES == {}
    old = time.time() - 60
    for f in files[1:]:
        if f.is_file():
            os.utime(f, (old, old))
    settled = data._signature(mini, desc_path, desc)
    assert settled == first and len(data._SIGNATURES) == 1
    # an edit of the same size moves the file's mtime: the signature follows the content
    path = mini / "agreements.csv"
    text = path.read_text()
    path.write_text(text.replace("quad,Quad,minilateral", "quad,Qued,minilateral"))
    assert path.stat().st_size == len(text.encode())
    assert data._signature(mini, desc_path, desc) != settled
    path.write_text(text)
    os.utime(path, (old, old))
    assert data._signature(mini, desc_path, desc) == settled  # the same bytes again
    data._SIGNATURES.clear()
