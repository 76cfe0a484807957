"""The data layer: typed loading, caching, and every kind of bad input named precisely."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import ACTORS, AGREEMENTS, FILES, MEMBERS, write_folder

import apresearch as apr
from apresearch.cli import main as cli

N_ACTORS = len(ACTORS.strip().splitlines()) - 1


def problems(folder):
    with pytest.raises(apr.DataValidationError) as info:
        apr.load_all(folder)
    return info.value.problems


def test_types(mini_tables):
    ag = mini_tables["agreements"]
    assert pd.api.types.is_datetime64_any_dtype(ag["signed"])
    assert str(ag["defense"].dtype) == "Int64"
    assert ag.loc[ag["agreement_id"] == "us-phl", "ended"].iloc[0] == pd.Timestamp("1960-06-30")
    # missing is NA, never 0 or ""
    assert ag["atop_id"].isna().all()
    assert ag.loc[ag["agreement_id"] == "us-jpn", "ended"].isna().all()
    actors = mini_tables["actors"]
    assert str(actors["regional"].dtype) == "boolean"
    assert actors.set_index("iso3").loc["AUS", "iso_n3"] == "036"  # not read as a number
    assert actors.set_index("iso3").loc["AUS", "lat"] == pytest.approx(-35.3)


def test_load_returns_copies(mini):
    a = apr.load("actors", mini)
    a.loc[0, "name"] = "changed"
    assert apr.load("actors", mini).loc[0, "name"] == "United States"


def test_cache_sees_edits(mini):
    assert len(apr.load("actors", mini)) == N_ACTORS
    (mini / "actors.csv").write_text(ACTORS.replace("CHN,China", "CHN,PRC"), encoding="utf-8")
    assert apr.load("actors", mini).set_index("iso3").loc["CHN", "name"] == "PRC"


def test_unknown_table(mini):
    with pytest.raises(KeyError, match="tables: actors, agreements, agreement_members, exerc"):
        apr.load("treaties", mini)


def test_env_var_points_loader(mini, monkeypatch):
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))
    assert apr.data_dir() == mini.resolve()
    assert len(apr.load("agreements")) == 8


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        apr.load_all(tmp_path / "nowhere")


def test_missing_column(tmp_path):
    broken = "\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 5)  # drop 'capital'
        for line in ACTORS.splitlines()
    )
    folder = write_folder(tmp_path, {"actors.csv": broken + "\n"})
    (p,) = problems(folder)
    assert (p.file, p.line, p.column, p.rule) == ("actors.csv", 1, "capital", "missing-column")
    assert "expected columns: iso3, name" in p.message


def test_unknown_iso3(tmp_path):
    folder = write_folder(tmp_path, {"agreement_members.csv": MEMBERS.replace(
        "us-kor,KOR,1953", "us-kor,XXX,1953")})
    (p,) = problems(folder)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "agreement_members.csv", 5, "iso3", "XXX", "foreign-key")
    assert "actors" in p.message


def test_duplicate_key(tmp_path):
    folder = write_folder(tmp_path, {"actors.csv": ACTORS + ACTORS.splitlines()[2] + "\n"})
    (p,) = problems(folder)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "actors.csv", N_ACTORS + 2, "iso3", "JPN", "primary-key")


def test_malformed_date(tmp_path):
    folder = write_folder(tmp_path, {"agreements.csv": AGREEMENTS.replace(
        "1953-10-01,day,,,1", "1953-13-01,day,,,1")})
    (p,) = problems(folder)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "agreements.csv", 3, "signed", "1953-13-01", "type-error")
    assert "YYYY-MM-DD" in p.message


def test_end_before_start(tmp_path):
    folder = write_folder(tmp_path, {"agreements.csv": AGREEMENTS.replace(
        "1960-06-30", "1950-06-30")})
    (p,) = problems(folder)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "agreements.csv", 8, "ended", "1950-06-30", "date-order")
    assert "before 'signed' (1951-08-30)" in p.message


def test_left_before_joined_and_joined_before_signed(tmp_path):
    members = MEMBERS.replace("1970-01-01,day", "1960-01-01,day").replace(
        "us-kor,KOR,1953-10-01", "us-kor,KOR,1953-09-01")
    ps = problems(write_folder(tmp_path, {"agreement_members.csv": members}))
    got = {(p.line, p.column, p.rule) for p in ps}
    assert got == {(5, "joined", "date-order"), (22, "left", "date-order")}


def test_future_date(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    folder = write_folder(tmp_path, {"agreements.csv": AGREEMENTS.replace(
        "2017-11-12,day", f"{future},day")})
    ps = problems(folder)
    assert ("agreements.csv", 6, "signed", future, "future-date") in {
        (p.file, p.line, p.column, p.value, p.rule) for p in ps}


def test_empty_file(tmp_path):
    (p,) = problems(write_folder(tmp_path, {"agreements.csv": ""}))
    assert (p.file, p.rule) == ("agreements.csv", "empty")


def test_non_utf8_file(tmp_path):
    latin1 = ACTORS.replace("Tokyo", "Tōkyō").encode("utf-8").replace(
        "Tōkyō".encode(), "T\xf4ky\xf4".encode("latin-1"))
    (p,) = problems(write_folder(tmp_path, {"actors.csv": latin1}))
    assert (p.file, p.line, p.rule) == ("actors.csv", 3, "encoding")
    assert "UTF-8" in p.message


def test_unknown_enum_value(tmp_path):
    folder = write_folder(tmp_path, {"agreements.csv": AGREEMENTS.replace(
        "quad,Quad,minilateral", "quad,Quad,treaty")})
    (p,) = problems(folder)
    assert (p.file, p.line, p.column, p.value, p.rule) == (
        "agreements.csv", 6, "kind", "treaty", "constraint-error")
    assert "valid: defence_treaty, security_agreement" in p.message


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
    assert text.startswith("3 problems in data folder")
    assert "agreements.csv, line 6, column 'kind': value 'treaty'" in text


def test_cli_validate(mini, tmp_path, capsys):
    assert cli(["validate", str(mini)]) == 0
    out = capsys.readouterr().out
    assert f"valid ({len(FILES)} tables)" in out and "agreements" in out
    bad = write_folder(tmp_path / "bad", {"agreements.csv": ""})
    assert cli(["validate", str(bad)]) == 1
    assert "agreements.csv: file is empty" in capsys.readouterr().err


def test_shipped_data_is_valid():
    frames = apr.validate()
    assert set(frames) == {name.removesuffix(".csv") for name in FILES}


def test_validation_stamp(mini, monkeypatch):
    from apresearch import data

    apr.load_all(mini)
    apr.clear_cache()

    def boom(*a, **k):
        raise AssertionError("re-validated unchanged data")

    monkeypatch.setattr(data, "_row_problems", boom)
    assert len(apr.load("actors", mini)) == N_ACTORS  # same bytes today: the stamp skips step 2
    monkeypatch.undo()
    # any changed byte invalidates the stamp, so the new problem is caught
    (mini / "agreements.csv").write_text(AGREEMENTS.replace("quad,Quad,minilateral",
                                                            "quad,Quad,treaty"))
    (p,) = problems(mini)
    assert p.value == "treaty"


def test_exercise_rules(tmp_path):
    from conftest import EXERCISES, PARTICIPANTS, SERIES

    folder = write_folder(tmp_path, {
        # start in 2017 but year 2016; an edition after the series ended
        "exercises.csv": EXERCISES.replace("foal-eagle-2017,foal-eagle,2017,2017-03-01",
                                           "foal-eagle-2017,foal-eagle,2016,2017-03-01")
        + 'foal-eagle-2019,foal-eagle,2019,,,,,Korea,0,"Source, test, 2019",,\n',
        "exercise_participants.csv": PARTICIPANTS + 'foal-eagle-2019,USA,host,"Source, test",\n'
        # an exercise needs somebody to train with
        + 'foal-eagle-2019,KOR,observer,"Source, test",\n',
        "exercise_series.csv": SERIES,
    })
    got = {(p.file, p.line, p.column, p.value, p.rule) for p in problems(folder)}
    assert got == {
        ("exercises.csv", 6, "year", "2016", "year-mismatch"),
        ("exercises.csv", 7, "year", "2019", "date-order"),
        ("exercises.csv", 7, "exercise_id", "foal-eagle-2019", "too-few-participants"),
    }


def test_engagement_rules(tmp_path):
    from conftest import ENGAGEMENTS

    folder = write_folder(tmp_path, {"engagements.csv": ENGAGEMENTS.replace(
        "dialogue,CHN,,forum", "dialogue,CHN,,").replace("visit,JPN,PHL", "visit,JPN,JPN")})
    got = {(p.line, p.column, p.rule) for p in problems(folder)}
    assert got == {(6, "actor_b", "no-counterpart"), (9, "actor_b", "self-tie")}


def test_unknown_participant_and_series(tmp_path):
    from conftest import EXERCISES, PARTICIPANTS

    folder = write_folder(tmp_path, {
        "exercise_participants.csv": PARTICIPANTS.replace("joint-sea-2019,RUS",
                                                          "joint-sea-2019,SUN"),
        "exercises.csv": EXERCISES.replace("malabar-2020,malabar,", "malabar-2020,malabr,"),
    })
    got = {(p.file, p.column, p.value, p.rule) for p in problems(folder)}
    assert got == {
        ("exercise_participants.csv", "iso3", "SUN", "foreign-key"),
        ("exercises.csv", "series_id", "malabr", "foreign-key"),
    }


def test_incident_rules(tmp_path):
    from conftest import INCIDENTS

    broken = (INCIDENTS
              .replace("PRK,KOR,5,4,37.7,125.7,Y,app", "PRK,KOR,4,4,37.7,125.7,Y,app")
              .replace("CHN,PHL,3,,15.2,117.8,S,app", "CHN,PHL,5,,15.2,,S,app")
              .replace("missile_test,PRK,JPN,4,,,,,,", "missile_test,PRK,PRK,4,,,,,exact,"))
    got = {(p.line, p.column, p.rule) for p in problems(write_folder(tmp_path, {
        "incidents.csv": broken}))}
    assert got == {
        (3, "severity", "severity-rubric"),  # 4 dead but severity 4
        (4, "fatalities", "severity-rubric"),  # severity 5 without deaths
        (4, "lat", "coordinates"),  # lat without lon
        (9, "coord_precision", "coordinates"),  # precision without coordinates
        (9, "target", "self-tie"),
    }


def test_rivalry_rules(tmp_path):
    from conftest import RIVALRIES

    broken = RIVALRIES.replace("cu2,China-US 2,CHN,USA", "cu2,China-US 2,USA,CHN").replace(
        "1958,1989,td", "1958,,td")
    got = {(p.line, p.column, p.rule) for p in problems(write_folder(tmp_path, {
        "rivalries.csv": broken}))}
    assert got == {(2, "iso3_b", "dyad-order"), (4, "end_rule", "end-rule")}


def test_declared_coverage(mini):
    assert apr.data.coverage("exercises", mini) == (2000, 2025)
    assert apr.data.coverage("agreements", mini) == (1950, 2025)
    with pytest.raises(KeyError, match="declares no coverage"):
        apr.data.coverage("actors", mini)
    with pytest.raises(KeyError, match="No table 'treaties'"):
        apr.data.coverage("treaties", mini)


def test_incident_parties_and_dates(tmp_path):
    from conftest import INCIDENTS

    broken = INCIDENTS.replace("s1,2012-04-10,day,2012-06-15", "s1,2012-04-10,day,2012-03-15")
    broken = broken.replace("k4,2017-08-29,day,,Korean Peninsula,missile_test,PRK,JPN",
                            "k4,2017-08-29,day,,Korean Peninsula,missile_test,DPRK,JPN")
    got = {(p.line, p.column, p.value, p.rule) for p in problems(write_folder(tmp_path, {
        "incidents.csv": broken}))}
    # the bad code stops row checks first; fix it and the date order is caught
    assert got == {(9, "initiator", "DPRK", "constraint-error"),  # not three letters
                   (9, "initiator", "DPRK", "foreign-key")}
    fixed = broken.replace(",DPRK,", ",PRK,")
    got = {(p.line, p.column, p.value, p.rule) for p in problems(write_folder(tmp_path, {
        "incidents.csv": fixed}))}
    assert got == {(4, "end_date", "2012-03-15", "date-order")}
    unknown = INCIDENTS.replace("missile_test,PRK,JPN", "missile_test,PRK,XYZ")
    got = {(p.line, p.column, p.value, p.rule) for p in problems(write_folder(tmp_path, {
        "incidents.csv": unknown}))}
    assert got == {(9, "target", "XYZ", "foreign-key")}
