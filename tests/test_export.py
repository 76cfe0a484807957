"""Export: every format round-trips (values, NA cells, dates, categories), the codebook
beside the file, panels need years, nothing is written over a file, the command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import write_folder

import apresearch as apr
from apresearch import export as ex
from apresearch.cli import main as cli
from apresearch.errors import ParameterError

pytest.importorskip("pyarrow")


def custom():
    """A table with every kind of column the formats must keep."""
    return pd.DataFrame({
        "a_very_long_column_name_that_exceeds_thirty_two": [1, 2, 3],
        "flag": [True, False, True],
        "nflag": pd.array([True, None, False], dtype="boolean"),
        "n": pd.array([1, None, 3], dtype="Int64"),
        "x": [0.5, np.nan, 2.0],
        "when": pd.to_datetime(["2001-02-03", None, "2020-12-31"]),
        "codes": [["USA", "JPN"], [], None],
        "kind": pd.Categorical(["b", "a", None], categories=["a", "b"]),
        "s": ["x", None, "z"],
        "release": ["R", "R", None],
    })


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    """The fixture folder's tables, validated once for the module (no stamp is written)."""
    folder = write_folder(tmp_path_factory.mktemp("export") / "data")
    return apr.Collection.from_frames(apr.data.validate(folder))


@pytest.fixture
def cc():
    return apr.Collection.from_frames({"custom": custom()})


def read(path):
    fmt = path.suffix.lstrip(".")
    if fmt == "csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    return {"parquet": pd.read_parquet, "feather": pd.read_feather,
            "dta": pd.read_stata}[fmt](path)


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_a_table_round_trips(coll, tmp_path, fmt):
    out = tmp_path / f"agreements.{fmt}"
    written = ex.export("agreements", out, data=coll)
    assert written == [out, tmp_path / f"agreements.{fmt}.codebook.json"]
    back = read(out)
    orig = coll["agreements"]
    assert list(back.columns) == list(orig.columns) and len(back) == len(orig) == 8
    assert back["agreement_id"].tolist() == orig["agreement_id"].tolist()
    signed = pd.to_datetime(back["signed"])
    assert signed.tolist() == orig["signed"].tolist()  # dates as dates, every one
    ended = pd.to_datetime(back["ended"])
    assert ended.isna().sum() == 7 and ended[6] == pd.Timestamp("1960-06-30")
    assert back["defense"].astype(int).tolist() == [1, 1, 1, 0, 0, 0, 1, 1]
    assert back["atop_id"].isna().all()  # NA stays missing, never 0
    if fmt == "dta":  # Stata has no missing string: an empty one
        assert back["notes"].tolist() == [""] * 8
    else:
        assert back["notes"].isna().all()


@pytest.mark.parametrize("fmt", ["parquet", "feather"])
def test_arrow_keeps_types(cc, tmp_path, fmt):
    out = tmp_path / f"c.{fmt}"
    ex.export("custom", out, data=cc)
    back = read(out)
    assert back.columns[0] == "a_very_long_column_name_that_exceeds_thirty_two"
    assert back["flag"].tolist() == [True, False, True]
    assert back["nflag"].tolist()[0] is True and pd.isna(back["nflag"][1])
    assert str(back["n"].dtype) == "Int64" and pd.isna(back["n"][1]) and back["n"][2] == 3
    assert back["x"][0] == 0.5 and np.isnan(back["x"][1])
    assert pd.api.types.is_datetime64_any_dtype(back["when"])
    assert back["when"][0] == pd.Timestamp("2001-02-03") and pd.isna(back["when"][1])
    assert isinstance(back["kind"].dtype, pd.CategoricalDtype)
    assert list(back["kind"].cat.categories) == ["a", "b"]  # unused and NA categories kept
    assert back["kind"].tolist()[:2] == ["b", "a"] and pd.isna(back["kind"][2])
    assert back["codes"].tolist()[:2] == ["USA;JPN", ""] and pd.isna(back["codes"][2])
    assert back["s"][0] == "x" and pd.isna(back["s"][1])


def test_csv_dates_lists_and_na(cc, tmp_path):
    out = tmp_path / "c.csv"
    ex.export("custom", out, data=cc)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == ("a_very_long_column_name_that_exceeds_thirty_two,flag,nflag,n,x,when,"
                        "codes,kind,s,release")
    assert lines[1] == "1,True,True,1,0.5,2001-02-03,USA;JPN,b,x,R"
    assert lines[2] == "2,False,,,,,,a,,R"  # NA is an empty cell
    assert lines[3] == "3,True,False,3,2.0,2020-12-31,,,z,"
    assert lines[4:] == [""] and "\r" not in out.read_text()


def test_stata_types_and_labels(cc, tmp_path):
    out = tmp_path / "c.dta"
    ex.export("custom", out, data=cc)
    back = pd.read_stata(out)
    # names cut to Stata's 32 characters
    assert back.columns[0] == "a_very_long_column_name_that_exc"
    assert back["flag"].tolist() == [1, 0, 1]  # booleans as 0/1
    assert back["nflag"][0] == 1 and np.isnan(back["nflag"][1]) and back["nflag"][2] == 0
    assert back["n"][0] == 1 and np.isnan(back["n"][1])  # an integer with NA: missing
    assert back["when"][0] == pd.Timestamp("2001-02-03") and pd.isna(back["when"][1])
    assert back["codes"].tolist() == ["USA;JPN", "", ""]
    assert back["s"].tolist() == ["x", "", "z"]
    assert isinstance(back["kind"].dtype, pd.CategoricalDtype)
    assert back["kind"].tolist()[:2] == ["b", "a"] and pd.isna(back["kind"][2])
    raw = pd.read_stata(out, convert_categoricals=False, convert_dates=False)
    assert raw["kind"].tolist()[:2] == [1, 0]  # the codes ...
    with pd.io.stata.StataReader(out) as reader:
        assert reader.value_labels()["kind"] == {0: "a", 1: "b"}  # ... and their labels
        assert raw["when"][0] == (pd.Timestamp("2001-02-03") - pd.Timestamp("1960-01-01")).days


def test_stata_variable_labels_from_descriptions(coll, tmp_path):
    out = tmp_path / "a.dta"
    ex.export("agreements", out, data=coll)
    with pd.io.stata.StataReader(out) as reader:
        labels = reader.variable_labels()
    desc = {f["name"]: f.get("description", "")
            for r in coll.descriptor["resources"] if r["name"] == "agreements"
            for f in r["schema"]["fields"]}
    assert labels["agreement_id"] == desc["agreement_id"][:80]
    long = max(desc, key=lambda k: len(desc[k]))
    assert len(desc[long]) > 80 and labels[long] == desc[long][:80]  # Stata's 80 characters


def test_stata_panel_value_labels(coll, tmp_path):
    out = tmp_path / "d.dta"
    ex.export("dyad_years", out, years=(2010, 2010), data=coll)
    with pd.io.stata.StataReader(out) as reader:
        vl = reader.value_labels()
        data = reader.read()
    codes = ["AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "RUS", "USA"]
    assert vl["iso3_a"] == dict(enumerate(codes)) and vl["channel"] == {0: "open",
                                                                        1: "suspended"}
    assert len(data) == 36  # 9 states, 36 pairs, one year
    pair = data[(data["iso3_a"] == "CHN") & (data["iso3_b"] == "USA")].iloc[0]
    assert pair["channel"] == "suspended"  # suspended in 2010, resumed in 2011


# ------------------------------------------------------------------ the codebook
def test_codebook_of_a_table(coll, tmp_path):
    out = tmp_path / "milex.csv"
    ex.export("milex", out, data=coll)
    book = json.loads((tmp_path / "milex.csv.codebook.json").read_text())
    assert book["name"] == "milex" and book["profile"] == "tabular-data-resource"
    assert book["rows"] == 15 and book["release"] == "Test"
    assert (book["path"], book["format"], book["encoding"]) == ("milex.csv", "csv", "utf-8")
    fields = {f["name"]: f for f in book["schema"]["fields"]}
    assert list(fields) == list(coll["milex"].columns)
    assert fields["iso3"]["type"] == "string" and fields["year"]["type"] == "integer"
    assert fields["constant_usd_m"]["type"] == "number"
    shipped = {f["name"]: f for r in coll.descriptor["resources"] if r["name"] == "milex"
               for f in r["schema"]["fields"]}
    assert fields["constant_usd_m"]["description"] == shipped["constant_usd_m"]["description"]
    assert "@misc{sipri_milex," in book["citation"]
    assert "panel" not in book


def test_codebook_types_enums_and_fallback_citation(cc):
    book = ex.codebook("custom", custom(), data=cc)
    types = {f["name"]: f["type"] for f in book["schema"]["fields"]}
    assert types == {"a_very_long_column_name_that_exceeds_thirty_two": "integer",
                     "flag": "boolean", "nflag": "boolean", "n": "integer", "x": "number",
                     "when": "date", "codes": "string", "kind": "string", "s": "string",
                     "release": "string"}
    kind = next(f for f in book["schema"]["fields"] if f["name"] == "kind")
    assert kind["constraints"] == {"enum": ["a", "b"]}
    assert all("description" not in f for f in book["schema"]["fields"])
    assert book["release"] == "R"
    # a table that cites nothing of its own cites the collection
    assert book["citation"].startswith("@software{apresearch,") and "@misc" not in book[
        "citation"]
    assert "path" not in book and book["rows"] == 3


def test_codebook_without_release(coll):
    book = ex.codebook("agreements", coll["agreements"], data=coll)
    assert "release" not in book
    assert "@article{leeds2002atop," in book["citation"]


def test_codebook_of_a_panel(coll, tmp_path):
    out = tmp_path / "s.parquet"
    ex.export("state_years", out, years=(2010, 2012), data=coll)
    book = json.loads((tmp_path / "s.parquet.codebook.json").read_text())
    assert book["panel"] == {"system": "cow", "unit": "state-year"}
    assert book["rows"] == len(read(out)) and "release" not in book
    fields = {f["name"]: f for f in book["schema"]["fields"]}
    assert fields["year"]["description"] == "Year."
    assert fields["ccode"]["description"] == "System code of the state that year."
    assert "@software{apresearch," in book["citation"]
    assert "@misc{peacesciencer," in book["citation"]
    assert "path" not in book


# ------------------------------------------------------------------ frame(): what is exported
def test_frame_cuts_years(coll):
    milex = ex.frame("milex", years=(2019, 2020), data=coll)
    assert sorted(set(milex["year"])) == [2019, 2020] and len(milex) == 6  # inclusive
    assert list(milex.index) == list(range(6))
    inc = ex.frame("incidents", years=(2012, 2012), data=coll)  # by its first date column
    assert inc["incident_id"].tolist() == ["s1", "s2", "s3"]
    assert len(ex.frame("actors", years=(2000, 2001), data=coll)) == 9  # no year: all rows
    assert len(ex.frame("milex", data=coll)) == 15


def test_frame_keeps_rows_without_a_date(coll):
    ex_ = coll["exercises"]
    ex_.loc[0, "start"] = pd.NaT
    ex_ = ex_.drop(columns="year")
    c = coll.replace(exercises=ex_)
    got = ex.frame("exercises", years=(2020, 2020), data=c)
    assert got["exercise_id"].tolist() == ["rimpac-2014", "malabar-2020"]


def test_frame_panels(coll):
    s = ex.frame("state_years", years=(2010, 2011), data=coll)
    assert set(s["year"]) == {2010, 2011} and s.attrs["system"] == "cow"
    assert ex.frame("state_years", years=(2010, 2011), system="gw", data=coll).attrs[
        "system"] == "gw"
    d = ex.frame("dyad_years", years=(2010, 2010), data=coll)
    directed = ex.frame("dyad_years_directed", years=(2010, 2010), data=coll)
    assert len(directed) == 2 * len(d) == 72


def test_frame_errors(coll):
    with pytest.raises(ParameterError, match=r"^a panel needs years: give --years START END "
                                             r"for state_years$"):
        ex.frame("state_years", data=coll)
    with pytest.raises(ParameterError, match="a panel needs years: give --years START END for "
                                             "dyad_years_directed"):
        ex.export("dyad_years_directed", "x.csv", data=coll)
    with pytest.raises(ParameterError) as info:
        ex.frame("treaties", data=coll)
    assert str(info.value) == ("nothing to export called 'treaties'; valid: state_years, "
                               "dyad_years, dyad_years_directed, " + ", ".join(coll))


# ------------------------------------------------------------------ export(): files
def test_format_from_option_or_extension(coll, tmp_path):
    ex.export("actors", tmp_path / "a.CSV", data=coll)
    assert (tmp_path / "a.CSV").read_text().startswith("iso3,name,")
    ex.export("actors", tmp_path / "a.bin", format="parquet", data=coll)
    assert len(pd.read_parquet(tmp_path / "a.bin")) == 9
    assert (tmp_path / "a.bin.codebook.json").is_file()
    with pytest.raises(ParameterError, match=r"^format='xlsx' is not valid; valid: 'csv', "
                                             r"'parquet', 'feather', 'dta'.$"):
        ex.export("actors", tmp_path / "a.xlsx", data=coll)
    with pytest.raises(ParameterError, match="format='' is not valid"):
        ex.export("actors", tmp_path / "noext", data=coll)
    assert not (tmp_path / "a.xlsx").exists()


def test_overwrite_refused(coll, tmp_path):
    out = tmp_path / "a.csv"
    out.write_text("mine")
    with pytest.raises(ParameterError, match=f"^{out} exists; choose a new file name "
                                             r"\(nothing is written over an existing file\)$"):
        ex.export("actors", out, data=coll)
    assert out.read_text() == "mine" and not (tmp_path / "a.csv.codebook.json").exists()
    ex.export("actors", out, overwrite=True, data=coll)
    assert out.read_text().startswith("iso3,")


def test_missing_folder(coll, tmp_path):
    with pytest.raises(ParameterError, match=f"^folder {tmp_path / 'nowhere'} does not exist$"):
        ex.export("actors", tmp_path / "nowhere" / "a.csv", data=coll)
    assert not (tmp_path / "nowhere").exists()


def test_export_from_a_folder_path(mini, tmp_path):
    ex.export("actors", tmp_path / "a.csv", data=mini)
    assert len(pd.read_csv(tmp_path / "a.csv")) == 9


def test_no_temporary_files_left(coll, tmp_path):
    ex.export("actors", tmp_path / "a.dta", data=coll)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.dta", "a.dta.codebook.json"]


# ------------------------------------------------------------------ the export command
def test_cli_export(mini, tmp_path, capsys):
    out = tmp_path / "m.dta"
    assert cli(["export", "milex", "-o", str(out), "--data", str(mini), "--years", "2020",
                "2021"]) == 0
    assert capsys.readouterr().out == f"wrote {out}\nwrote {out}.codebook.json\n"
    back = pd.read_stata(out)
    assert sorted(set(back["year"])) == [2020, 2021] and len(back) == 6


def test_cli_export_format_system_overwrite(mini, tmp_path, capsys):
    out = tmp_path / "panel.out"
    args = ["export", "state_years", "-o", str(out), "--format", "feather", "--data",
            str(mini), "--years", "2010", "2010", "--system", "gw"]
    assert cli(args) == 0
    back = pd.read_feather(out)
    assert set(back["year"]) == {2010}
    assert json.loads((tmp_path / "panel.out.codebook.json").read_text())["panel"][
        "system"] == "gw"
    capsys.readouterr()
    assert cli(args) == 1  # exists
    err = capsys.readouterr().err
    assert err == (f"error: {out} exists; choose a new file name (nothing is written over an "
                   "existing file)\n")
    assert cli([*args, "--overwrite"]) == 0


def test_cli_export_errors(mini, tmp_path, capsys):
    assert cli(["export", "dyad_years", "-o", str(tmp_path / "d.csv"), "--data",
                str(mini)]) == 1
    assert capsys.readouterr().err == (
        "error: a panel needs years: give --years START END for dyad_years\n")
    assert cli(["export", "treaties", "-o", str(tmp_path / "d.csv"), "--data", str(mini)]) == 1
    assert capsys.readouterr().err.startswith("error: nothing to export called 'treaties'")
    assert cli(["export", "actors", "-o", str(tmp_path / "x" / "d.csv"), "--data",
                str(mini)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [mini]
    with pytest.raises(SystemExit):  # argparse: a format that is not offered
        cli(["export", "actors", "-o", "a.xlsx", "--format", "xlsx"])
