"""Importers: each reads a fixture file built here in the publisher's format (so every user
can run these) through its Python function and through ``apresearch import SOURCE FILE --data
FOLDER`` into a copy of the fixture folder; the real file where ../shared/reference/ exists;
and bad input — a wrong file, a renamed column, an unknown name or code, a mistyped path —
which stops with one ``error:`` line, exit status 1, and the data folder untouched."""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import stat

import pandas as pd
import pytest
from conftest import ACTORS, DEPLOY_COLS, FILES, SRC, reference, write_folder

import apresearch as apr
from apresearch import importers as im
from apresearch.cli import main as cli
from apresearch.importers import common, mme, registry

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.styles import Font  # noqa: E402

BLUE, RED = Font(color="FF0000FF"), Font(color="FFFF0000")
EXTRA_ACTORS = (f"DEU,Germany,276,255,Europe,Berlin,52.5,13.4,0,0,{SRC},\n"
                f"VNM,Viet Nam,704,816,Southeast Asia,Hanoi,21.0,105.8,1,1,{SRC},\n")


# ------------------------------------------------------------------ helpers
def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(capsys, *args):
    code = cli([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(capsys, folder, *args, message):
    """The command stops with one error line containing ``message``; nothing changes."""
    before = snapshot(folder)
    code, out, err = run(capsys, *args)
    assert code == 1, out
    assert err.startswith("error: ") and message in err, err
    assert "Traceback" not in err and not out.startswith("wrote")
    assert snapshot(folder) == before
    return err


def imported(capsys, folder, *args):
    """Run an import into ``folder`` (which write_tables validated before writing)."""
    code, out, err = run(capsys, *args, "--data", folder)
    assert code == 0, err
    return out


@pytest.fixture
def umask():
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def shipped_actors():
    """The shipped actors table (read only, for the real files' tests)."""
    return apr.data.read_table("actors")


# ------------------------------------------------------------------ SIPRI Milex workbook
def _sheet(wb, title, header_row, years, rows, *, blank_col=False, reporting=False):
    ws = wb.create_sheet(title)
    ws.cell(1, 1, f"{title} by country, 2020-2022 © SIPRI")
    ws.cell(2, 1, "Figures in blue are SIPRI estimates. Figures in red are highly uncertain.")
    head = ["Country"] + ([""] if blank_col else []) + ["Notes"] + (
        ["Reporting year"] if reporting else []) + [float(y) for y in years]
    for j, v in enumerate(head, 1):
        ws.cell(header_row, j, v)
    r = header_row + 2
    ws.cell(r, 1, "Asia & Oceania")  # a region heading: no values
    for name, note, values in rows:
        r += 1
        ws.cell(r, 1, name)
        ws.cell(r, 2 + blank_col, note)
        for k, v in enumerate(values):
            col = len(head) - len(years) + 1 + k
            font = None
            if isinstance(v, tuple):
                v, font = v
            c = ws.cell(r, col, v)
            if font is not None:
                c.font = font
    return ws


def build_workbook(path, *, drop_sheet=None, rename_country=False, rename_years=False,
                   drop_notes=False, bad_cell=None):
    wb = openpyxl.Workbook()
    wb.active.title = "Front page"
    years = [2020, 2021, 2022]
    constant = [("China", "55", [(100.0, BLUE), (110.0, BLUE), (120.0, BLUE)]),
                ("Japan", "", [50.0, 52.0, (54.0, RED)]),
                ("Korea, North", "57", ["...", "...", ". ."]),
                ("Taiwan", "†¶104", [10.0, 11.0, 12.0]),
                ("USSR", "", ["xxx", "xxx", "xxx"]),
                ("Atlantis", "", [1.0, 1.0, 1.0])]
    if bad_cell:
        constant[0] = ("China", "55", [bad_cell, 110.0, 120.0])
    current = [(n, note, v) for n, note, v in constant]
    current[1] = ("Japan", "", [0.0, 51.0, 53.0])  # SIPRI's 0 artefact
    share = [("China", "55", [0.017, 0.016, 0.015]), ("Japan", "", [0.01, 0.011, 0.012])]
    sheets = [("Constant (2022) US$", 6, constant, {"blank_col": True}),
              ("Current US$", 6, current, {}),
              ("Share of GDP", 6, share, {}),
              ("Per capita", 7, [("Japan", "", [400.0, 410.0, 420.0])], {}),
              ("Share of Govt. spending", 8, share, {"reporting": True})]
    for title, hdr, rows, kw in sheets:
        if title == drop_sheet:
            continue
        ws = _sheet(wb, title, hdr, years, rows, **kw)
        if rename_country and title == "Current US$":
            ws.cell(hdr, 1, "Nation")
        if rename_years and title == "Share of GDP":
            for j in range(3, 6):
                ws.cell(hdr, j, f"Y{j}")
        if drop_notes and title == "Per capita":
            ws.cell(hdr, 2, "Remarks")
    wb.create_sheet("Footnotes")
    wb.save(path)
    return path


@pytest.fixture
def workbook(tmp_path):
    return build_workbook(tmp_path / "milex.xlsx")


def test_milex_parse_fixture(workbook):
    r = im.read_sipri_milex(workbook, release="Test release")
    assert r.facts["base_year"] == 2022 and r.facts["release"] == "Test release"
    assert (r.facts["first_year"], r.facts["last_year"]) == (2020, 2022)
    assert r.unmapped == ["Atlantis"]  # listed, not dropped silently
    assert r.facts["skipped"] == ["USSR"]
    assert list(r.table.columns) == ["iso3", "country", "year", "series", "value", "flag",
                                     "missing", "markers", "footnotes"]
    t = r.table.set_index(["iso3", "series", "year"])
    assert t.loc[("CHN", "constant_usd_m", 2021), "value"] == 110.0
    assert t.loc[("CHN", "constant_usd_m", 2021), "flag"] == "estimate"
    assert t.loc[("CHN", "constant_usd_m", 2021), "country"] == "China"
    assert t.loc[("JPN", "constant_usd_m", 2022), "flag"] == "uncertain"
    assert pd.isna(t.loc[("JPN", "constant_usd_m", 2020), "flag"])
    assert t.loc[("CHN", "share_gdp_pct", 2020), "value"] == pytest.approx(1.7)  # per cent
    assert t.loc[("JPN", "per_capita_usd", 2020), "value"] == 400.0  # not scaled
    assert t.loc[("PRK", "constant_usd_m", 2022), "missing"] == "unavailable"  # ". ."
    assert t.loc[("PRK", "constant_usd_m", 2020), "missing"] == "unavailable"  # "..."
    assert pd.isna(t.loc[("PRK", "constant_usd_m", 2020), "flag"])
    assert math.isnan(t.loc[("PRK", "constant_usd_m", 2020), "value"])
    assert t.loc[("TWN", "constant_usd_m", 2020), "markers"] == "†¶"
    assert t.loc[("TWN", "constant_usd_m", 2020), "footnotes"] == "104"
    assert t.loc[("CHN", "constant_usd_m", 2020), "footnotes"] == "55"
    assert "not_independent" not in set(r.table["missing"].dropna())  # USSR is skipped


def test_milex_default_release(workbook):
    r = im.read_sipri_milex(workbook)
    assert r.facts["release"] == "SIPRI Milex, data 2020-2022"


def test_milex_wide_table(workbook):
    r = im.read_sipri_milex(workbook)
    w = im.milex_table(r, ["CHN", "JPN", "PRK", "TWN"], 2021, 2022).set_index(["iso3", "year"])
    assert len(w) == 8 and list(w.index)[:2] == [("CHN", 2021), ("CHN", 2022)]
    assert list(w.columns) == ["constant_usd_m", "current_usd_m", "share_gdp_pct",
                               "per_capita_usd", "share_govt_pct", "estimate", "uncertain",
                               "missing", "sipri_markers", "sipri_footnotes", "release",
                               "base_year", "notes"]
    assert w.loc[("CHN", 2022), "constant_usd_m"] == 120.0
    assert (w.loc[("CHN", 2022), "estimate"], w.loc[("JPN", 2022), "uncertain"]) == (1, 1)
    assert w.loc[("JPN", 2021), ["estimate", "uncertain"]].tolist() == [0, 0]
    assert w.loc[("PRK", 2021), "missing"] == "unavailable"
    assert pd.isna(w.loc[("CHN", 2021), "missing"])
    assert w.loc[("JPN", 2022), "per_capita_usd"] == 420.0
    assert w.loc[("JPN", 2022), "share_govt_pct"] == pytest.approx(1.2)
    assert (w.loc[("TWN", 2021), "sipri_markers"], w.loc[("TWN", 2021), "sipri_footnotes"]) == (
        "†¶", "104")
    assert pd.isna(w.loc[("JPN", 2021), "sipri_markers"])  # an empty note is NA, not ""
    assert (w["base_year"] == 2022).all() and (w["release"] == r.facts["release"]).all()
    assert w["notes"].isna().all()
    # SIPRI's 0 in the current sheet (constant 50) is not a zero: NA, with a note
    w20 = im.milex_table(r, ["JPN"], 2020, 2020).iloc[0]
    assert math.isnan(w20["current_usd_m"]) and w20["constant_usd_m"] == 50.0
    assert w20["notes"] == ("current US$ is 0 in SIPRI's sheet: taken as not available")


def test_milex_font_colours():
    from openpyxl.styles.colors import Color

    from apresearch.importers import sipri

    assert sipri._rgb(None) is None
    assert sipri._rgb(Color(rgb="FF0000FF")) == "0000FF"
    assert sipri._rgb(Color(indexed=12)) == "0000FF"  # Excel's indexed palette: blue
    assert sipri._rgb(Color(indexed=10)) == "FF0000"
    assert sipri._rgb(Color(indexed=200)) is None  # outside the palette
    assert sipri._rgb(Color(theme=1)) is None  # SIPRI does not use theme colours
    assert sipri._flag(None) is None
    assert [sipri._flag(c) for c in ("0000FF", "3030C0", "7F7FC0", "8000C0", "0000BF")] == [
        "estimate", "estimate", "estimate", None, None]
    assert [sipri._flag(c) for c in ("FF0000", "C07F7F", "BF0000", "C08000", "C00080")] == [
        "uncertain", "uncertain", None, None, None]
    assert sipri._flag("000000") is None


def test_milex_zero_kept_where_constant_is_zero(workbook):
    r = im.read_sipri_milex(workbook)
    t = r.table.copy()
    t.loc[(t["iso3"] == "JPN") & (t["year"] == 2020) & (t["series"] == "constant_usd_m"),
          "value"] = 0.0
    w = im.milex_table(im.ImportResult(t, facts=r.facts), ["JPN"], 2020, 2020).iloc[0]
    assert w["current_usd_m"] == 0.0 and pd.isna(w["notes"])  # no forces: a true zero


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drop_sheet": "Share of GDP"}, "no sheet matching '^Share of GDP$' for share_gdp_pct;"
                                         " this does not look like SIPRI's Milex workbook"),
        ({"rename_country": True}, "sheet 'Current US$' has no header row starting with "
                                   "'Country' in its first 30 rows"),
        ({"rename_years": True}, "sheet 'Share of GDP' has a 'Country' header row (6) but no "
                                 "year columns"),
        ({"drop_notes": True}, "sheet 'Per capita' header row 7 has no 'Notes' column; found: "
                               "Country, Remarks"),
        ({"bad_cell": "n/a"}, "sheet 'Constant (2022) US$', cell D9 (China, 2020) holds 'n/a'; "
                              "expected a number, '...' (unavailable) or 'xxx'"),
    ],
)
def test_milex_wrong_workbook(tmp_path, kwargs, message):
    path = build_workbook(tmp_path / "bad.xlsx", **kwargs)
    with pytest.raises(im.ImportFormatError) as info:
        im.read_sipri_milex(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_milex_not_a_workbook(tmp_path):
    path = tmp_path / "milex.xlsx"
    path.write_text("Country,2020\nChina,1\n")
    with pytest.raises(im.ImportFormatError, match="not an Excel workbook that openpyxl can "
                                                   "read .*expected SIPRI's Milex .xlsx"):
        im.read_sipri_milex(path)
    with pytest.raises(im.ImportFormatError, match="no such file; expected SIPRI's Milex"):
        im.read_sipri_milex(tmp_path / "nowhere.xlsx")


def test_milex_cli_into_the_folder(tmp_path, workbook, mini, capsys):
    out = imported(capsys, mini, "import", "sipri-milex", workbook)
    assert f"wrote {mini.resolve() / 'milex.csv'}: 9 rows (3 actors)" in out
    assert "  release: SIPRI Milex, data 2020-2022\n  base_year: 2022\n" in out
    assert "skipped on purpose (no current ISO3 code): USSR" in out
    assert "NOT MAPPED, left out (add them to apresearch.importers.sipri to keep them): " \
           "Atlantis" in out
    t = apr.data.read_table("milex", mini)
    assert set(t["iso3"]) == {"CHN", "JPN", "PRK"}  # the fixture actors SIPRI lists
    assert sorted(set(t["year"])) == [2020, 2021, 2022]  # 1990 to the last year
    assert t.set_index(["iso3", "year"]).loc[("CHN", 2021), "constant_usd_m"] == 110.0


def test_milex_build_years_and_release(workbook, mini):
    tables, result = registry.build("sipri-milex", workbook, folder=mini, start=2021, end=2021,
                                    release="SIPRI Milex 2024 (April 2024)")
    t = tables["milex"]
    assert set(t["year"]) == {2021} and set(t["release"]) == {"SIPRI Milex 2024 (April 2024)"}
    assert result.facts["release"] == "SIPRI Milex 2024 (April 2024)"
    t = registry.build("sipri-milex", workbook, folder=mini, end=2020)[0]["milex"]
    assert set(t["year"]) == {2020}  # from 1990


def test_milex_cli_output_is_atomic(tmp_path, workbook, mini, capsys, umask):
    out = tmp_path / "milex.csv"
    out.write_text("previous content\n")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    refused(capsys, mini, "import", "sipri-milex", bad, "-o", out, "--data", mini,
            message="not an Excel workbook")
    assert out.read_text() == "previous content\n"  # untouched on failure
    before = snapshot(mini)
    umask(0o077)
    code, printed, _ = run(capsys, "import", "sipri-milex", workbook, "-o", out, "--data",
                           mini, "--start", "2020", "--end", "2022")
    assert code == 0 and f"wrote {out}: 9 rows (3 actors)" in printed
    assert snapshot(mini) == before  # -o writes there, not into the folder
    assert set(pd.read_csv(out)["iso3"]) == {"CHN", "JPN", "PRK"}
    assert mode(out) == 0o600
    assert not list(tmp_path.glob(".milex.csv.*"))  # no temporary file left


def test_real_workbook_cells():
    path = reference("sipri", "SIPRI-Milex-data-1949-2023.xlsx")
    r = im.read_sipri_milex(path)
    assert r.unmapped == [] and r.facts["base_year"] == 2022
    w = im.milex_table(r, ["CHN", "JPN", "USA", "IND", "TWN", "VNM", "PRK", "RUS"], 1990,
                       2023).set_index(["iso3", "year"])
    # a dozen cells read by hand from the workbook
    assert w.loc[("CHN", 2023), "constant_usd_m"] == pytest.approx(309484.3, abs=0.1)
    assert w.loc[("CHN", 2023), "estimate"] == 1  # all of China's figures are estimates
    assert w.loc[("JPN", 2023), "constant_usd_m"] == pytest.approx(51887.98, abs=0.01)
    assert w.loc[("JPN", 2023), "current_usd_m"] == pytest.approx(50161.09, abs=0.01)
    assert w.loc[("JPN", 2023), "per_capita_usd"] == pytest.approx(406.84, abs=0.01)
    assert w.loc[("CHN", 2023), "share_gdp_pct"] == pytest.approx(1.6653, abs=1e-4)
    assert w.loc[("CHN", 2023), "share_govt_pct"] == pytest.approx(4.9738, abs=1e-4)
    assert w.loc[("USA", 2023), "constant_usd_m"] == pytest.approx(880070.6, abs=0.1)
    assert w.loc[("IND", 2023), "constant_usd_m"] == pytest.approx(83334.5, abs=0.1)
    assert w.loc[("TWN", 2023), "constant_usd_m"] == pytest.approx(17014.27, abs=0.01)
    assert (w.loc[("TWN", 2023), "sipri_markers"], w.loc[("TWN", 2023), "sipri_footnotes"]) == (
        "†¶", "104")
    assert w.loc[("VNM", 2023), "missing"] == "unavailable"  # Viet Nam lacks 2019-2023
    assert w.loc[("VNM", 2010), "constant_usd_m"] == pytest.approx(3768.6, abs=0.1)
    assert math.isnan(w.loc[("PRK", 2023), "constant_usd_m"])
    assert w.loc[("RUS", 1990), "missing"] == "unavailable"  # the USSR is not spliced in
    assert w.loc[("RUS", 1992), "constant_usd_m"] == pytest.approx(54793.5, abs=0.1)


# ------------------------------------------------------------------ SIPRI trade register
REGISTER = (
    "Transfers of major conventional arms from All countries  to All countries .\n"
    "A '?' in a column indicates uncertain data.\n"
    "SIPRI trend-indicator values (TIVs) are in millions.\n"
    "\n"
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 13 Mar 2025 10:02:49 AM\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    "India,Soviet Union,1987,?,3,?,MiG-29,fighter aircraft,3,,1988; 1989,New,Caf\xe9 note,"
    "10,30,30\n"
    "Thailand,Ukraine,2008,,14,,BTR-3,APC,13,,2010; 2012,New,Part of a deal\n"
    ",1.5,21,19.5\n"
    "Atlantis,Utopia,2001,,1,,X,ship,1,,2002,New,,1,1,1\n"
    "Japan,Hezbollah (Lebanon)*,2001,,1,,Y,ship,1,,2002,New,,1,1,1\n"
    "Chad,Libya,1980,,1,,Z,APC,1,,1981,New,,1,1,1\n"
)
HYPERLINK = ('Japan,United States,2015,,2,,F-35A,fighter aircraft,2,?,2016; 2017,Second hand,'
             '"=HYPERLINK(""http://example.org"",""x"")",100,200,200\n'
             'Philippines,Unknown supplier(s),2016,,1,,W,ship,,,,New,-5 units,1,1,\n')


def register(tmp_path, text=REGISTER):
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_transfers_fixture(tmp_path):
    r = im.read_sipri_transfers(register(tmp_path), ["RUS", "IND", "THA", "JPN"])
    assert r.unmapped == ["Atlantis", "Utopia"]  # listed, not dropped silently
    assert r.facts["deals_read"] == 5
    assert r.facts["release"] == ("SIPRI Arms Transfers Database, trade register generated "
                                  "2025-03-13")  # from the "Data generated" line
    t = r.table.set_index("designation")
    assert list(t.index) == ["MiG-29", "BTR-3", "Y"]  # Chad-Libya has no actor
    assert (t["release"] == r.facts["release"]).all()
    mig = t.loc["MiG-29"]
    assert (mig["supplier"], mig["supplier_iso3"], mig["recipient_iso3"]) == (
        "Soviet Union", "RUS", "IND")  # the successor carries the Soviet Union
    assert (mig["order_year"], mig["number_ordered"], mig["number_delivered"]) == (1987, 3, 3)
    assert (mig["order_year_uncertain"], mig["number_ordered_uncertain"],
            mig["number_delivered_uncertain"]) == (1, 1, 0)
    assert (mig["first_delivery"], mig["last_delivery"]) == (1988, 1989)
    assert mig["delivery_years"] == "1988; 1989" and mig["status"] == "New"
    assert mig["weapon_category"] == "fighter aircraft"
    assert (mig["tiv_per_unit_m"], mig["tiv_order_m"], mig["tiv_delivered_m"]) == (10, 30, 30)
    assert mig["comments"] == "Café note"  # cp1252 decoded
    btr = t.loc["BTR-3"]  # a record SIPRI's export broke over two lines
    assert btr["comments"] == "Part of a deal"
    assert btr["tiv_per_unit_m"] == 1.5
    assert btr["tiv_delivered_m"] == 19.5 and btr["tiv_order_m"] == 21.0
    assert pd.isna(btr["supplier_iso3"]) and btr["recipient_iso3"] == "THA"
    assert pd.isna(t.loc["Y", "supplier_iso3"])  # a non-state supplier
    assert pd.isna(t.loc["Y", "comments"])
    assert r.table["deal_id"].str.fullmatch("[0-9a-f]{12}").all()


def test_transfers_identical_deals_get_distinct_ids(tmp_path):
    line = "Japan,United States,2001,,1,,Y,ship,1,,2002,New,,1,1,1\n"
    r = im.read_sipri_transfers(register(tmp_path, REGISTER + line + line), ["JPN", "USA"])
    ids = r.table["deal_id"].tolist()
    assert len(ids) == 3 and ids[2] == ids[1] + "-2"


@pytest.mark.parametrize(
    ("change", "release"),
    [(("Data generated: 13 Mar 2025 10:02:49 AM\n", ""), "SIPRI Arms Transfers Database"),
     (("13 Mar 2025 10:02:49 AM", "yesterday"),
      "SIPRI Arms Transfers Database, trade register generated yesterday")])
def test_transfers_release_line(tmp_path, change, release):
    r = im.read_sipri_transfers(register(tmp_path, REGISTER.replace(*change)), ["IND"])
    assert r.facts["release"] == release and set(r.table["release"]) == {release}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (REGISTER.replace("Recipient,Supplier", "Buyer,Seller"),
         "no header line starting 'Recipient,Supplier,Year of order'"),
        (REGISTER.replace("SIPRI TIV for total order", "TIV total"),
         "header lacks 'SIPRI TIV for total order'; found: Recipient, Supplier"),
        (REGISTER.replace("3,?,MiG-29", "three,?,MiG-29"), "line 8: 'three' is not a number"),
        (REGISTER.replace("Z,APC,1,,1981,New,,1,1,1", "Z,APC,1,,1981,New,,1,1,1,9"),
         "line 13: 17 fields, expected 16"),
    ],
)
def test_transfers_wrong_file(tmp_path, content, message):
    with pytest.raises(im.ImportFormatError, match=message):
        im.read_sipri_transfers(register(tmp_path, content), ["IND"])


def test_transfers_not_cp1252(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(b"Recipient,Supplier\n\x81\x8d\x8f\n")
    with pytest.raises(im.ImportFormatError, match="not a cp1252 text file as SIPRI exports"):
        im.read_sipri_transfers(path, ["IND"])


def test_transfers_cli_neutralises_formulas(tmp_path, mini, capsys):
    path = register(tmp_path, REGISTER + HYPERLINK)
    out = imported(capsys, mini, "import", "sipri-transfers", path)
    assert "rows" in out and "NOT MAPPED, left out" in out and "Atlantis, Utopia" in out
    assert "  release: SIPRI Arms Transfers Database, trade register generated 2025-03-13" in out
    text = (mini / "arms_transfers.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(\"\"http://example.org\"\",\"\"x\"\")" in text  # written neutralised
    assert ",=HYPERLINK" not in text
    t = apr.data.read_table("arms_transfers", mini).set_index("designation")
    assert t.loc["F-35A", "comments"] == "'=HYPERLINK(\"http://example.org\",\"x\")"
    assert t.loc["W", "comments"] == "'-5 units"  # text starting '-' is neutralised too
    assert t.loc["F-35A", "number_delivered_uncertain"] == 1
    assert pd.isna(t.loc["W", "supplier_iso3"]) and t.loc["W", "recipient_iso3"] == "PHL"
    assert list(t.index) == ["MiG-29", "Y", "F-35A", "W"]  # Thailand is no fixture actor


def test_transfers_build_years_and_release(tmp_path, mini):
    path = register(tmp_path, REGISTER + HYPERLINK)
    tables, result = registry.build("sipri-transfers", path, folder=mini, start=2001, end=2015,
                                    release="My register")
    t = tables["arms_transfers"]
    assert sorted(t["order_year"]) == [2001, 2015] and set(t["release"]) == {"My register"}
    assert result.facts["release"] == "My register"
    t = registry.build("sipri-transfers", path, folder=mini, start=2015)[0]["arms_transfers"]
    assert sorted(t["order_year"]) == [2015, 2016]


def test_real_register():
    path = reference("sipri", "trade-register-generated-2025-03-13.csv")
    r = im.read_sipri_transfers(path, ["RUS", "IND", "THA", "BRA", "USA", "VNM"])
    assert r.unmapped == [] and r.facts["deals_read"] == 29515
    assert r.facts["release"].endswith("generated 2025-03-13")
    t = r.table
    btr = t[(t["designation"] == "BTR-3") & (t["recipient"] == "Thailand")
            & (t["order_year"] == 2008)].iloc[0]
    # the record SIPRI broke over two lines: its figures come from the second line
    assert btr["number_delivered"] == 13 and btr["tiv_delivered_m"] == pytest.approx(3.25)
    assert btr["tiv_per_unit_m"] == 0.25 and btr["tiv_order_m"] == 3.5
    assert btr["delivery_years"] == "2010; 2012"
    tucano = t[(t["designation"] == "EMB-314 Super Tucano") & (t["recipient"] == "Afghanistan")
               & (t["order_year"] == 2017)].iloc[0]
    assert tucano["supplier_iso3"] == "BRA" and tucano["tiv_delivered_m"] == 27
    assert (t["supplier"] == "Soviet Union").sum() > 0
    assert set(t.loc[t["supplier"] == "Soviet Union", "supplier_iso3"]) == {"RUS"}
    assert t["deal_id"].is_unique


# ------------------------------------------------------------------ COW NMC
NMC = ("stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
       "USA,2,2000,100,10,5,7,280000,200000,0.14,2021\n"
       "CHN,710,2000,-9,20,6,8,1260000,400000,0.17,2021\n"
       "CHN,710,2001,1,2,3,4,5,6,-9,2021\n"
       "RVN,817,1970,1,1,1,1,1,1,0.001,2021\n"
       "ATL,1001,2000,1,1,1,1,1,1,0.001,2021\n"
       "GMY,255,1990,1,-9,-9,-9,-9,-9,0.05,2021\n"
       "GFR,260,1990,1,2,3,4,5,6,0.04,2021\n")


def test_cow_nmc_fixture(tmp_path):
    path = tmp_path / "NMC-60-abridged.csv"
    path.write_text(NMC)
    r = im.read_cow_nmc(path, ["USA", "CHN", "DEU"])
    assert r.unmapped == ["1001"]  # 817 (the Republic of Vietnam) is known, on purpose None
    assert r.facts == {"release": "COW NMC v7.0"}
    assert list(r.table.columns) == ["iso3", "year", "milex_thousands_usd", "milper_thousands",
                                     "irst_thousand_tons", "pec_thousand_coal_tons",
                                     "tpop_thousands", "upop_thousands", "cinc", "release"]
    t = r.table.set_index(["iso3", "year"])
    assert list(t.index) == [("CHN", 2000), ("CHN", 2001), ("DEU", 1990), ("USA", 2000)]
    assert t.loc[("USA", 2000), "milex_thousands_usd"] == 100
    assert t.loc[("CHN", 2000), "cinc"] == 0.17
    assert math.isnan(t.loc[("CHN", 2000), "milex_thousands_usd"])  # -9 is missing
    assert math.isnan(t.loc[("CHN", 2001), "cinc"])
    # Germany has two codes in 1990: the row with more figures is kept
    assert t.loc[("DEU", 1990), "cinc"] == 0.04 and t.loc[("DEU", 1990), "upop_thousands"] == 6
    assert (r.table["release"] == "COW NMC v7.0").all()
    assert im.read_cow_nmc(path, ["USA"], release="R").table["release"].tolist() == ["R"]


@pytest.mark.parametrize(("content", "message"), [
    ("ccode,year,milex\n2,2000,1\n", "missing column(s) milper, irst, pec, tpop, upop, cinc; "
                                     "expected COW NMC with columns ccode, year"),
    (NMC.replace("USA,2,2000,100", "USA,2,2000,lots"), "line 2, column 'milex': 'lots' is not "
                                                       "a number"),
    (NMC.replace("USA,2,2000", "USA,,2000"), "line 2, column 'ccode': is empty (every row needs "
                                             "its code and year)"),
    (NMC.replace("CHN,710,2001", "CHN,710,2001.5"), "line 4, column 'year': '2001.5' is not a "
                                                    "whole number"),
    ("", "the file is empty; expected COW's National Material Capabilities CSV"),
])
def test_cow_nmc_wrong_file(tmp_path, content, message):
    path = tmp_path / "nmc.csv"
    path.write_text(content)
    with pytest.raises(im.ImportFormatError) as info:
        im.read_cow_nmc(path, ["USA"])
    assert message in str(info.value) and str(path) in str(info.value)


def test_cow_nmc_cli(tmp_path, mini, capsys):
    path = tmp_path / "nmc.csv"
    path.write_text(NMC)
    out = imported(capsys, mini, "import", "cow-nmc", path)
    assert ("  codes without an ISO3 mapping (left out; add them to apresearch.importers.cow to "
            "keep them): 1001") in out
    assert f"wrote {mini.resolve() / 'capabilities.csv'}: 3 rows (2 actors)" in out
    t = apr.data.read_table("capabilities", mini)
    assert t["iso3"].tolist() == ["CHN", "CHN", "USA"]
    assert pd.isna(t.loc[0, "milex_thousands_usd"]) and set(t["release"]) == {"COW NMC v7.0"}
    t = registry.build("cow-nmc", path, folder=mini, start=2001, release="NMC 7")[0][
        "capabilities"]
    assert t["year"].tolist() == [2001] and t["release"].tolist() == ["NMC 7"]


def test_cow_nmc_contract_refuses_before_writing(tmp_path, mini, capsys):
    path = tmp_path / "nmc.csv"
    path.write_text(NMC.replace("0.14,2021", "1.5,2021"))
    err = refused(capsys, mini, "import", "cow-nmc", path, "--data", mini,
                  message="(after importing capabilities; nothing was written)")
    assert "capabilities.csv, line 4, column 'cinc': value '1.5': constraint \"maximum\" is " \
           "\"1\" [constraint-error]" in err


def test_real_cow_nmc(mini, capsys):
    path = reference("cow", "nmc7_0_asiapac_1946_2022.csv")
    r = im.read_cow_nmc(path, ["USA", "CHN", "JPN"])
    assert r.unmapped == []
    t = r.table.set_index(["iso3", "year"])
    assert t.loc[("USA", 2022), "cinc"] == pytest.approx(0.12356574)
    assert t.loc[("CHN", 2022), "cinc"] == pytest.approx(0.23409663)
    assert t.loc[("JPN", 1990), "milex_thousands_usd"] == 28730000
    assert (t.index.get_level_values("year").min(), t.index.get_level_values("year").max()) == (
        1946, 2022)
    imported(capsys, mini, "import", "cow-nmc", path)
    assert len(apr.data.read_table("capabilities", mini)) == len(
        im.read_cow_nmc(path, ACTORS_ISO3).table)


ACTORS_ISO3 = [line.split(",")[0] for line in ACTORS.strip().splitlines()[1:]]


# ------------------------------------------------------------------ COW and GW state lists
STATES = """stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2016,12,31,2016
GMY,255,Germany,1816,1,1,1945,5,8,2016
GMY,255,Germany,1990,10,3,2016,12,31,2016
GFR,260,German Federal Republic,1955,5,5,1990,10,2,2016
GDR,265,German Democratic Republic,1954,3,25,1990,10,2,2016
JPN,740,Japan,1860,1,1,1945,8,14,2016
JPN,740,Japan,1952,4,28,2016,12,31,2016
DRV,816,Vietnam,1954,7,21,2016,12,31,2016
RVN,817,Republic of Vietnam,1954,6,4,1975,4,30,2016
ZZZ,999,Nowhere,1990,1,1,1991,1,1,2016
"""
GW = """gwcode,stateabb,statename,startdate,enddate
2,USA,United States of America,1816-01-01,2017-12-31
255,GMY,Germany (Prussia),1816-01-01,1945-05-07
260,GFR,German Federal Republic,1949-09-21,2017-12-31
265,GDR,German Democratic Republic,1949-10-05,1990-10-02
740,JPN,Japan,1816-01-01,2017-12-31
817,RVN,"Vietnam, Republic of",1954-05-01,1975-04-30
816,DRV,"Vietnam, Democratic Republic of",1954-05-01,2017-12-31
711,TBT,Tibet,1913-01-01,1950-10-07
1234,XXX,Nowhere,1990-01-01,1991-01-01
"""


def test_cow_states_codes_over_time(tmp_path):
    path = tmp_path / "states2016.csv"
    path.write_text(STATES)
    r = im.read_cow_states(path, ["USA", "DEU", "JPN", "VNM"])
    assert r.unmapped == ["999"]
    assert r.facts == {"release": "COW State System Membership v2016", "list_end": "2016-12-31"}
    t = r.table
    assert list(t.columns) == ["system", "iso3", "code", "name", "start", "end", "release"]
    deu = t[t["iso3"] == "DEU"]
    # Germany: 255 to 1945, the Federal Republic (260) from 1955, 255 again from 1990
    assert deu[["code", "start", "end"]].fillna("open").values.tolist() == [
        [255, "1816-01-01", "1945-05-08"], [260, "1955-05-05", "1990-10-02"],
        [255, "1990-10-03", "open"]]  # open at the list's end
    jpn = t[t["iso3"] == "JPN"]
    assert jpn["end"].tolist()[0] == "1945-08-14" and pd.isna(jpn["end"].tolist()[1])
    assert t.loc[t["iso3"] == "VNM", "code"].tolist() == [816]  # 817 has no ISO3 code
    assert set(t["system"]) == {"cow"} and t["iso3"].is_monotonic_increasing
    assert "DDR" not in set(t["iso3"])  # not an actor
    assert im.read_cow_states(path, ["USA"], release="R").facts["release"] == "R"
    no_version = tmp_path / "v.csv"
    no_version.write_text(STATES.replace(",version", "").replace(",2016\n", "\n"))
    assert im.read_cow_states(no_version, ["USA"]).facts["release"] == (
        "COW State System Membership vunknown")


def test_gw_states(tmp_path):
    path = tmp_path / "gw.csv"
    path.write_text(GW)
    r = im.read_gw_states(path, ["USA", "DEU", "JPN", "VNM", "CHN"])
    assert r.unmapped == ["1234"]  # Tibet (711) is known to GW, on purpose without ISO3
    assert r.facts == {"release": "Gleditsch-Ward list of independent states (to 2017-12-31)",
                       "list_end": "2017-12-31"}
    t = r.table.set_index(["iso3", "code"])
    assert t.loc[("DEU", 255), "end"] == "1945-05-07"
    assert t.loc[("DEU", 260), "start"] == "1949-09-21" and pd.isna(t.loc[("DEU", 260), "end"])
    assert pd.isna(t.loc[("USA", 2), "end"]) and t.loc[("VNM", 816), "start"] == "1954-05-01"
    assert set(r.table["system"]) == {"gw"} and len(r.table) == 5


@pytest.mark.parametrize(("reader", "content", "message"), [
    (im.read_cow_states, STATES.replace("1816,1,1,1945", "1816,13,1,1945"),
     "line 3: a start or end date is not a valid date"),
    (im.read_cow_states, STATES.replace("USA,2,", "USA,x,"),
     "line 2, column 'ccode': 'x' is not a whole number"),
    (im.read_cow_states, STATES.replace("statenme", "name"), "missing column(s) statenme"),
    (im.read_gw_states, GW.replace("1949-09-21", "21/09/1949"),
     "line 4: a start or end date is not a valid date"),
    (im.read_gw_states, GW.replace("gwcode", "ccode"), "missing column(s) gwcode; expected "
                                                        "Gleditsch-Ward states"),
    (im.read_gw_states, STATES, "missing column(s) gwcode, statename, startdate, enddate"),
    (im.read_cow_states, GW, "missing column(s) ccode, statenme, styear"),
])
def test_state_lists_wrong_file(tmp_path, reader, content, message):
    path = tmp_path / "s.csv"
    path.write_text(content)
    with pytest.raises(im.ImportFormatError) as info:
        reader(path, ["USA"])
    assert message in str(info.value) and str(path) in str(info.value)


def test_state_lists_cli(tmp_path, capsys):
    folder = write_folder(tmp_path / "data", {"actors.csv": ACTORS + EXTRA_ACTORS})
    cow, gw = tmp_path / "states2016.csv", tmp_path / "gw.csv"
    cow.write_text(STATES)
    gw.write_text(GW)
    out = imported(capsys, folder, "import", "cow-states", cow)
    assert "codes without an ISO3 mapping" in out and ": 999" in out
    assert "  list_end: 2016-12-31" in out
    t = apr.data.read_table("state_system", folder)
    # the GW rows of the fixture are kept; the COW rows are the new ones
    assert (t["system"] == "gw").sum() == 9
    cow_rows = t[t["system"] == "cow"]
    assert len(cow_rows) == 7 and set(cow_rows["release"]) == {"COW State System Membership "
                                                               "v2016"}
    assert cow_rows.loc[cow_rows["iso3"] == "DEU", "code"].tolist() == [255, 260, 255]
    out = imported(capsys, folder, "import", "gw-states", gw)
    assert "codes without an ISO3 mapping" in out and ": 1234" in out
    t = apr.data.read_table("state_system", folder)
    assert len(t[t["system"] == "cow"]) == 7  # kept
    gw_rows = t[t["system"] == "gw"]
    assert sorted(gw_rows["iso3"]) == ["DEU", "DEU", "JPN", "USA", "VNM"]
    assert t[["system", "iso3"]].apply(tuple, axis=1).is_monotonic_increasing


def test_real_state_lists():
    cow = im.read_cow_states(reference("cow", "states2016.csv"), ["DEU", "JPN", "VNM", "USA"])
    t = cow.table
    assert t.loc[t["iso3"] == "DEU", "code"].tolist() == [255, 260, 255]
    assert t.loc[t["iso3"] == "JPN", "start"].tolist() == ["1860-01-01", "1952-04-28"]
    assert t.loc[t["iso3"] == "VNM", "code"].tolist() == [816]
    assert pd.isna(t.loc[t["iso3"] == "USA", "end"]).all() and cow.unmapped == []
    gw = im.read_gw_states(reference("cow", "gw_states.csv"), ["DEU", "VNM"])
    assert gw.facts["list_end"] == "2017-12-31" and gw.unmapped == []
    g = gw.table
    assert g.loc[g["iso3"] == "DEU", "code"].tolist() == [255, 260]
    assert pd.isna(g.loc[(g["iso3"] == "DEU") & (g["code"] == 260), "end"]).all()


# ------------------------------------------------------------------ ATOP
ATOP_OWN = ("stateA,stateB,year,defense,offense,neutral,nonagg,consul,atopid\n"
            "2,740,1960,1,0,0,0,0,3300\n"
            "740,2,1960,0,0,0,0,1,3300\n"
            "2,2,1960,1,1,1,1,1,1\n"
            "740,710,1960,,0,0,1,0,1\n"
            "2,220,1960,1,0,0,0,0,1\n"
            "2,1001,1960,1,0,0,0,0,1\n"
            "732,2,1954,1,0,0,0,0,1\n")
ATOP_PS = ("ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
           + "\n".join(line.rsplit(",", 1)[0] for line in ATOP_OWN.splitlines()[1:]) + "\n")


@pytest.mark.parametrize(("content", "layout"), [(ATOP_OWN, "own"), (ATOP_PS, "peacesciencer")])
@pytest.mark.parametrize("gz", [False, True])
def test_atop_layouts(tmp_path, content, layout, gz):
    path = tmp_path / ("atop.csv.gz" if gz else "atop.csv")
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(content)
    else:
        path.write_text(content)
    r = im.read_atop_dyads(path, ["USA", "JPN", "CHN", "KOR"])
    assert r.unmapped == ["1001"] and r.facts == {"release": "ATOP v5.1", "layout": layout}
    t = r.table
    assert list(t.columns) == ["year", "iso3_a", "iso3_b", "defense", "offense", "neutrality",
                               "nonaggression", "consultation", "release"]
    assert t[["year", "iso3_a", "iso3_b"]].values.tolist() == [
        [1954, "KOR", "USA"], [1960, "CHN", "JPN"], [1960, "JPN", "USA"]]
    # directed rows folded into one, each obligation the maximum of both directions
    row = t.set_index(["iso3_a", "iso3_b"]).loc[("JPN", "USA")]
    assert row[["defense", "offense", "neutrality", "nonaggression", "consultation"]].tolist() == [
        1, 0, 0, 0, 1]
    chn = t.set_index(["iso3_a", "iso3_b"]).loc[("CHN", "JPN")]
    assert (chn["defense"], chn["nonaggression"]) == (0, 1)  # an empty cell is no pledge
    assert str(t["defense"].dtype).startswith("int")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.csv", "ccode1,ccode2,year,defense\n2,740,1960,1\n",
     "not ATOP's dyad-year layout; expected the columns stateA, stateB, year, defense, offense, "
     "neutral, nonagg, consul or ccode1, ccode2, year, atop_defense"),
    ("a.csv", ATOP_PS.replace("2,740,1960,1", "2,740,1960,yes"),
     "line 2, column 'defense': 'yes' is not a number"),
    ("a.csv", ATOP_PS.replace("2,740,1960", "2,,1960"),
     "line 2, column 'ccode2': is empty"),
    ("a.csv.gz", "not gzip", "not a readable gzip file"),
])
def test_atop_wrong_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(im.ImportFormatError) as info:
        im.read_atop_dyads(path, ["USA"])
    assert message in str(info.value) and str(path) in str(info.value)


def test_atop_empty_gzip(tmp_path):
    path = tmp_path / "a.csv.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("")
    with pytest.raises(im.ImportFormatError, match="the file is empty; expected ATOP"):
        im.read_atop_dyads(path, ["USA"])


def test_atop_cli(tmp_path, mini, capsys):
    path = tmp_path / "atop.csv"
    path.write_text(ATOP_OWN)
    out = imported(capsys, mini, "import", "atop", path, "--release", "ATOP 5.1 (test)")
    assert "hosts or codes left out in some or all years (no ISO3 code, or not an actor): " \
           "1001" in out
    t = apr.data.read_table("atop_dyads", mini)
    assert t[["year", "iso3_a", "iso3_b"]].values.tolist() == [
        [1954, "KOR", "USA"], [1960, "CHN", "JPN"], [1960, "JPN", "USA"]]
    assert set(t["release"]) == {"ATOP 5.1 (test)"}
    t = registry.build("atop", path, folder=mini, start=1955, end=1960)[0]["atop_dyads"]
    assert t["year"].tolist() == [1960, 1960] and set(t["release"]) == {"ATOP v5.1"}


def test_real_atop_both_files():
    actors = ["USA", "JPN", "KOR", "AUS", "PHL", "CHN", "PRK", "RUS"]
    cut = im.read_atop_dyads(reference("atop", "atop5_1_asiapac_dyadyear.csv"), actors)
    full = im.read_atop_dyads(reference("atop", "atop5_1_dyadyear_all.csv.gz"), actors)
    assert cut.facts["layout"] == full.facts["layout"] == "peacesciencer"
    assert cut.unmapped == []
    a = cut.table.set_index(["year", "iso3_a", "iso3_b"])
    b = full.table.set_index(["year", "iso3_a", "iso3_b"])
    assert a.loc[(1960, "JPN", "USA"), "defense"] == 1
    assert a.loc[(1960, "KOR", "USA"), "defense"] == 1
    assert a.loc[(1962, "CHN", "PRK"), "defense"] == 1
    # the regional cut lacks pairs among the USA, the UK, France and Russia; the full file not
    ru_us = [k for k in b.index if k[1:] == ("RUS", "USA")]
    assert ru_us and not [k for k in a.index if k[1:] == ("RUS", "USA")]
    common_index = a.index.intersection(b.index)
    assert len(common_index) > 0.9 * len(a)
    cols = ["defense", "offense", "neutrality", "nonaggression", "consultation"]
    assert (a.loc[common_index, cols] == b.loc[common_index, cols]).all().all()
    assert (b.index.get_level_values("year").max()) == 2018


# ------------------------------------------------------------------ MME
MME_COLS = mme.MME_COLUMNS + ["StateB", "StateC", "StateD", "StateE"]


def mme_row(mid, name, series, lat, lon, start, end, states, **kw):
    r = dict.fromkeys(MME_COLS, "")
    (sy, sm, sd), (ey, em, ed) = start, end
    r.update({"MMEID": mid, "Ex_Name": name, "Series_Name": series, "Location": "Somewhere",
              "lat": lat, "lon": lon, "StartDate": f"{sm}/{sd}/{sy}", "s.year": sy,
              "s.month": sm, "s.day": sd, "EndDate": f"{em}/{ed}/{ey}", "e.year": ey,
              "e.month": em, "e.day": ed, "CPX": "0", "Air": "1", "Land": "0", "Sea": "1",
              "Amphibious": "0", "Cyber": "-9", "Warfighting": "1", "Peacekeeping": "0",
              "Humanitarian": "0", "FocusDescription": "-9", "AdditionalParticipantInfo": "-9"})
    for col, state in zip(["StateA", "StateB", "StateC", "StateD", "StateE"], states,
                          strict=False):
        r[col] = state
    r.update(kw)
    return r


MME_ROWS = [
    # the curated RIMPAC 2018 (USA, JPN, AUS, KOR; PHL observing) as MME records it
    mme_row("mme200", "RIMPAC 2018", "RIMPAC", "21.3", "-157.9", ("2018", "6", "10"),
            ("2018", "8", "2"), ["United States", "Japan", "Australia", "China"]),
    # a day MME does not know: month precision
    mme_row("mme101", "Cope North 90", "Cope North", "13.4", "144.8", ("1990", "2", "xx"),
            ("1990", "2", "xx"), ["United States", "Japan"]),
    # outside the region, without a regional state other than the USA and Russia: left out
    mme_row("mme102", "Baltops", "", "55", "15", ("1995", "6", "1"), ("1995", "6", "20"),
            ["United States", "Russia", "Germany"]),
    # MME identifies no state: left out and listed
    mme_row("mme104", "-9", "", "10", "150", ("1999", "xx", "xx"), ("1999", "xx", "xx"),
            ["-9"]),
    # a Latin-1 name, not selected (not in the region, no regional state)
    mme_row("mme105", "Flintlock", "", "5", "-5", ("2000", "1", "1"), ("2000", "1", "2"),
            ["Côte d'Ivoire", "France"]),
    # a series linked by name, NATO makes the list partial, notes carried
    mme_row("mme106", "Malabar 05", "Malabar", "15", "73", ("2005", "9", "xx"),
            ("2005", "9", "xx"), ["India", "United States", "NATO"], FocusDescription="ASW",
            AdditionalParticipantInfo="two carriers"),
    # anywhere, with a regional state: selected; an end before the start is dropped
    mme_row("mme107", "Northern Star", "", "65", "10", ("2001", "3", "5"), ("2001", "3", "1"),
            ["Japan", "Baltic States"]),
]


def write_mme(path, rows=MME_ROWS, encoding="utf-8"):
    buf = io.StringIO()
    w = csv.DictWriter(buf, MME_COLS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


MME_ACTORS = ACTORS + (f"EST,Estonia,233,366,Europe,Tallinn,59.4,24.7,0,0,{SRC},\n"
                       f"LVA,Latvia,428,367,Europe,Riga,56.9,24.1,0,0,{SRC},\n"
                       f"LTU,Lithuania,440,368,Europe,Vilnius,54.7,25.3,0,0,{SRC},\n")


@pytest.fixture
def mme_folder(tmp_path):
    return write_folder(tmp_path / "data", {"actors.csv": MME_ACTORS})


def test_mme_tables(tmp_path, mme_folder):
    actors = apr.data.read_table("actors", mme_folder)
    r = mme.mme_tables(write_mme(tmp_path / "mme.csv"), actors)
    t = r.table.set_index("mme_id")
    assert list(t.index) == ["mme200", "mme101", "mme106", "mme107"]
    assert r.facts["read"] == 7 and r.facts["selected"] == 4
    assert r.facts["skipped_unidentified"] == ["mme104"]
    assert t.loc["mme200", "exercise_id"] == "mme-200-rimpac-2018"
    cope = t.loc["mme101"]
    assert (cope["start"], cope["start_precision"]) == ("1990-02-01", "month")
    assert (cope["end"], cope["end_precision"]) == ("1990-02-01", "month")
    assert (cope["lat"], cope["lon"]) == (13.4, 144.8) and cope["year"] == 1990
    assert cope["name"] == "Cope North 90" and cope["mme_series"] == "Cope North"
    assert (cope["cpx"], cope["air"], cope["sea"]) == (0, 1, 1)
    assert pd.isna(cope["cyber"])  # MME's -9 is unknown, not 0
    assert cope["origin"] == "mme" and cope["release"] == "MME v7"
    assert cope["participants_complete"] == 1 and pd.isna(cope["notes"])
    assert cope["source_url"] == "https://doi.org/10.7910/DVN/KHFODX"
    mal = t.loc["mme106"]
    assert mal["participants_complete"] == 0
    assert mal["notes"] == ("MME focus: ASW MME participants note: two carriers MME names a "
                            "participant that is no single state (NATO, an unidentified state, "
                            "or Hong Kong): the list is partial.")
    star = t.loc["mme107"]
    assert pd.isna(star["end"]) and pd.isna(star["end_precision"])  # end before start
    assert star["start"] == "2001-03-05"
    parts = r.facts["participants"]
    assert list(parts.columns) == ["exercise_id", "iso3", "role", "source", "notes"]
    who = parts.groupby("exercise_id")["iso3"].apply(list)
    assert who["mme-107-northern-star"] == ["EST", "JPN", "LTU", "LVA"]  # a group: its states
    assert who["mme-106-malabar-05"] == ["IND", "USA"]
    assert set(parts["role"]) == {"participant"}


def test_mme_reads_latin1_and_utf8(tmp_path, mme_folder):
    actors = apr.data.read_table("actors", mme_folder)
    utf8 = write_mme(tmp_path / "u.csv", [*MME_ROWS[:1], mme_row(
        "mme300", "Flintlock", "", "5", "-5", ("2000", "1", "1"), ("2000", "1", "2"),
        ["Côte d\u2019Ivoire", "São Tomé & Príncipe"])])
    latin1 = write_mme(tmp_path / "l.csv", encoding="latin-1")
    assert b"C\xf4te d'Ivoire" in latin1.read_bytes()  # Latin-1 has no curly apostrophe
    cp1252 = write_mme(tmp_path / "w.csv", [mme_row(
        "mme301", "Flintlock", "", "5", "-5", ("2000", "1", "1"), ("2000", "1", "2"),
        ["Côte d\u2019Ivoire", "Japan"])], encoding="cp1252")
    assert b"C\xf4te d\x92Ivoire" in cp1252.read_bytes()  # what Windows writes as "Latin-1"
    for path in (utf8, latin1):
        mme.mme_tables(path, actors)  # every name is mapped
    codes, partial = mme._codes(mme.read_mme(cp1252), cp1252)
    assert codes.tolist() == [["CIV", "JPN"]] and not partial.any()
    raw = mme.read_mme(latin1)
    assert raw.loc[4, "StateA"] == "Côte d'Ivoire"
    assert mme.read_mme(cp1252).loc[0, "StateA"] == "Côte d\u2019Ivoire"
    assert mme.MME_NAMES["Côte d\u2019Ivoire"] == mme.MME_NAMES["Côte d'Ivoire"] == "CIV"
    with pytest.raises(im.ImportFormatError, match="not actors: CIV, FRA;"):
        mme.mme_tables(write_mme(tmp_path / "x.csv", [{**MME_ROWS[4], "lat": "10",
                                                       "lon": "100"}]), actors)
    civ = write_folder(tmp_path / "civ", {"actors.csv": MME_ACTORS + (
        f"CIV,Côte d’Ivoire,384,437,Africa,Yamoussoukro,6.8,-5.3,0,0,{SRC},\n")})
    r = mme.mme_tables(cp1252, apr.data.read_table("actors", civ))
    assert r.facts["participants"]["iso3"].tolist() == ["CIV", "JPN"]


def test_mme_unknown_names_stop_the_import(tmp_path, mme_folder, capsys):
    rows = [*MME_ROWS, mme_row("mme400", "X", "", "60", "60", ("2000", "1", "1"),
                               ("2000", "1", "1"), ["Utopia", "Atlantis", "Japan"]),
            mme_row("mme401", "Y", "", "0", "0", ("2000", "1", "1"), ("2000", "1", "1"),
                    ["Atlantis", "Germany"])]  # even where not selected
    path = write_mme(tmp_path / "mme.csv", rows)
    with pytest.raises(im.ImportFormatError) as info:
        mme.mme_tables(path, apr.data.read_table("actors", mme_folder))
    assert str(info.value) == (
        f"{path}: participant name(s) not mapped to a state: Atlantis, Utopia; add them to "
        "apresearch.importers.mme.MME_NAMES (a state) or MME_GROUPS (a group or territory) "
        "— nothing was imported")
    refused(capsys, mme_folder, "import", "mme", path, "--data", mme_folder,
            message="participant name(s) not mapped to a state: Atlantis, Utopia")


def test_mme_states_that_are_not_actors_stop_the_import(tmp_path, mini, capsys):
    path = write_mme(tmp_path / "mme.csv")  # Northern Star names the Baltic states
    refused(capsys, mini, "import", "mme", path, "--data", mini,
            message="the selected exercises name state(s) that are not actors: EST, LTU, LVA; "
                    "add them to actors.csv (regional = 0) first — nothing was imported")


@pytest.mark.parametrize(("change", "message"), [
    ({"s.day": "31", "s.month": "2"}, "line 2: 2018-2-31 is not a valid date"),
    ({"s.year": "xx"}, "line 2: s.year 'xx' is not a year"),
])
def test_mme_bad_dates(tmp_path, mme_folder, change, message):
    rows = [{**MME_ROWS[0], **change}, *MME_ROWS[1:]]
    with pytest.raises(im.ImportFormatError, match=message):
        mme.mme_tables(write_mme(tmp_path / "m.csv", rows),
                       apr.data.read_table("actors", mme_folder))


def test_mme_date_precision():
    assert mme._date("1990", "2", "xx", "w") == ("1990-02-01", "month")
    assert mme._date("1990", "xx", "xx", "w") == ("1990-01-01", "year")
    assert mme._date("1990", "12", "31", "w") == ("1990-12-31", "day")
    assert mme._date(" 1990 ", " 2 ", " 3 ", "w") == ("1990-02-03", "day")
    assert mme._date("xx", "1", "1", "w") == (None, None)


def test_mme_ids_and_names(tmp_path, mme_folder):
    rows = [mme_row("mme9", "-9", "", "", "150", ("2000", "1", "1"), ("2000", "1", "1"),
                    ["Japan", "United States"], Location="-9"),
            mme_row("mme10", "Exercise Ulchi Focus Lens (UFL) 2000 with a long tail!", "",
                    "37", "127", ("2000", "8", "1"), ("2000", "8", "1"), ["South Korea"]),
            mme_row("X", "Same", "", "37", "127", ("2000", "8", "1"), ("2000", "8", "1"),
                    ["South Korea", "United States"]),
            mme_row("mme50", "Same", "", "37", "127", ("2000", "8", "1"), ("2000", "8", "1"),
                    ["South Korea", "United States"]),
            mme_row("mme50", "Same", "", "37", "127", ("2000", "8", "1"), ("2000", "8", "1"),
                    ["South Korea", "United States"])]
    r = mme.mme_tables(write_mme(tmp_path / "m.csv", rows),
                       apr.data.read_table("actors", mme_folder))
    t = r.table
    assert t["exercise_id"].tolist() == [
        "mme-9-unnamed", "mme-10-exercise-ulchi-focus-lens-ufl-2000-with",  # 40 characters
        "mme-4-same", "mme-50-same", "mme-50-same-2"]
    # an MMEID without a number is named by its line; a repeated name gets -2
    first = t.iloc[0]
    assert pd.isna(first["name"]) and pd.isna(first["location"])  # MME's -9
    assert pd.isna(first["lat"]) and pd.isna(first["lon"])  # both or neither
    assert t.iloc[1]["name"] == "Exercise Ulchi Focus Lens (UFL) 2000 with a long tail!"
    assert t.iloc[1]["notes"] == "MME identifies fewer than two states for this exercise."


def test_mme_selection_rule():
    raw = pd.DataFrame({"lat": ["0", "0", "0", "0", "-50", "-50.1", "56", "56.1", "x", "0",
                                "0", "0"],
                        "lon": ["60", "59.9", "-140", "-139.9", "100", "100", "100", "100",
                                "100", "0", "0", "0"]})
    codes = pd.Series([[]] * 9 + [["USA", "RUS"], ["JPN"], ["CHN", "DEU"]])
    got = mme.select(raw, codes, regional={"USA", "RUS", "JPN", "CHN"})
    assert got.tolist() == [True, False, True, False, True, False, True, False, False,
                            False, True, True]
    assert mme.REGION == {"lon_west": 60.0, "lon_east": -140.0, "lat_south": -50.0,
                          "lat_north": 56.0}


def test_mme_series_keys_and_links(mme_folder):
    series = apr.data.read_table("exercise_series", mme_folder)
    assert mme._key("Exercise Cobra Gold 05") == "cobragold"
    assert mme._key("RIMPAC (Rim of the Pacific) 2018") == "rimpac"
    assert mme._key(None) == ""
    keys = mme._series_keys(series)
    assert keys["rimpac"] == "rimpac" and keys["malabar"] == "malabar"
    assert keys["foaleagle"] == "foal-eagle" and keys["jointsea"] == "joint-sea"
    frame = pd.DataFrame({"exercise_id": ["a", "b", "c", "d", "e"],
                          "mme_series": ["Malabar", None, "Foal Eagle", "Malabar", "Unknown"],
                          "name": ["x", "RIMPAC 98", "FE 2019", "Malabar 1991", "y"],
                          "year": [2005, 1998, 2019, 1991, 2000]})
    parts = pd.DataFrame({"exercise_id": ["a", "a", "b", "c", "c", "d", "e"],
                          "iso3": ["IND", "USA", "JPN", "USA", "KOR", "IND", "USA"]})
    got = mme.link_series(frame, parts, series).tolist()
    # a: by series name; b: by exercise name, but the lead (USA) does not take part;
    # c: Foal Eagle ended in 2018; d: Malabar began in 1992; e: no such series
    assert got == ["malabar", None, None, None, None]


def test_mme_series_spellings_in_brackets():
    series = pd.DataFrame({
        "series_id": ["cobra-gold", "peace-mission", "khaan"],
        "name": ["Cobra Gold (also rendered Kobra Gold; Golden Cobra)",
                 "Peace Mission (China-Russia; SCO Peace Mission)", "Khaan (Quest)"],
        "lead": ["USA", "CHN", None], "first_year": [1982, 2005, 2003],
        "last_year": [None, None, None]})
    keys = mme._series_keys(series)
    assert keys["cobragold"] == keys["kobragold"] == keys["goldencobra"] == "cobra-gold"
    assert keys["peacemission"] == "peace-mission"
    assert "chinarussia" not in keys and "scopeacemission" not in keys
    assert "khaan" in keys and "quest" in keys  # five letters are enough
    frame = pd.DataFrame({"exercise_id": ["a", "b", "c"], "mme_series": ["", None, "Khaan"],
                          "name": ["Golden Cobra 2001", "", None], "year": [2001, 2001, 2004]})
    parts = pd.DataFrame({"exercise_id": ["a", "c"], "iso3": ["USA", "MNG"]})
    # a: by its name's bracketed spelling; b: nothing to match; c: no lead to take part
    assert mme.link_series(frame, parts, series).tolist() == ["cobra-gold", None, "khaan"]


def test_mme_match_curated_pairs_greedily():
    exercises = pd.DataFrame({"exercise_id": ["e1", "e2", "e3"], "series_id": ["s", "s", None],
                              "year": [2000, 2000, 2000],
                              "start": pd.to_datetime(["2000-05-01", "2000-06-01", None])})
    participants = pd.DataFrame({"exercise_id": ["e1", "e1", "e1", "e2", "e2", "e3"],
                                 "iso3": ["A", "B", "F", "C", "D", "A"],
                                 "role": ["host", "participant", "observer", "host",
                                          "participant", "host"]})
    found = pd.DataFrame({"exercise_id": ["m1", "m2", "m3"], "series_id": ["s", "s", "s"],
                          "year": [2000, 2000, 2001], "mme_id": ["mme1", "mme2", "mme3"],
                          "start": ["2000-06-03", "2000-05-20", "2001-01-01"]})
    parts = pd.DataFrame({"exercise_id": ["m1", "m1", "m2", "m2", "m2", "m3"],
                          "iso3": ["C", "D", "A", "B", "E", "A"]})
    got = mme.match_curated(found, parts, exercises, participants)
    assert list(got.columns) == ["exercise_id", "mme_exercise_id", "mme_id", "jaccard",
                                 "curated_only", "mme_only", "start_curated", "start_mme"]
    # e2-m1 agree fully (1.0) and are paired first; e1-m2 share A, B of A, B, E (2/3); the
    # observer F does not count; m3 is another year; e3 has no series
    assert got[["exercise_id", "mme_exercise_id", "mme_id"]].values.tolist() == [
        ["e2", "m1", "mme1"], ["e1", "m2", "mme2"]]
    assert got["jaccard"].tolist() == pytest.approx([1.0, 2 / 3])
    assert got.loc[1, "mme_only"] == ["E"] and got.loc[1, "curated_only"] == []
    assert got.loc[1, "start_curated"] == pd.Timestamp("2000-05-01")
    assert got.loc[1, "start_mme"] == "2000-05-20"
    diff = mme._differences(got.loc[1].to_dict())
    assert diff == "MME also lists E; MME dates the start 2000-05-20"
    assert mme._differences({**got.loc[1].to_dict(), "mme_only": [],
                             "curated_only": ["X", "Y"], "start_mme": "2000-05-02"}) == (
        "MME does not list X, Y")


def test_mme_jaccard():
    assert mme.jaccard({"A", "B"}, {"B", "C"}) == pytest.approx(1 / 3)
    assert mme.jaccard(set(), set()) == 1.0
    assert mme.jaccard({"A"}, set()) == 0.0


def test_mme_import_matches_curated_editions(tmp_path, mme_folder, capsys):
    path = write_mme(tmp_path / "mme.csv")
    out = imported(capsys, mme_folder, "import", "mme", path)
    assert f"wrote {mme_folder.resolve() / 'exercises.csv'}: 8 rows" in out
    for line in ("  release: MME v7", "  selected: 4", "  matched: 1", "  imported: 3",
                 "  mean_jaccard: 0.6", "  left out, no state identified: mme104"):
        assert line in out.splitlines()
    ex = apr.data.read_table("exercises", mme_folder).set_index("exercise_id")
    assert "mme-9-cope-north-85" not in ex.index  # the earlier MME import is replaced
    assert "mme-200-rimpac-2018" not in ex.index  # matched: carried by the curated edition
    r18 = ex.loc["rimpac-2018"]
    assert r18["origin"] == "curated" and r18["mme_id"] == "mme200"
    # RIMPAC 2018: curated USA, JPN, AUS, KOR (PHL observes); MME USA, JPN, AUS, CHN:
    # Jaccard 3/5; MME's start is 17 days earlier than the curated one
    assert r18["mme_differences"] == ("MME also lists CHN; MME does not list KOR; MME dates "
                                      "the start 2018-06-10")
    assert pd.isna(ex.loc["rimpac-2014", "mme_id"]) and pd.isna(
        ex.loc["rimpac-2014", "mme_differences"])
    assert ex.loc["mme-106-malabar-05", "series_id"] == "malabar"  # linked
    assert not ex.loc["mme-106-malabar-05", "participants_complete"]
    assert ex.loc["mme-101-cope-north-90", "start"] == pd.Timestamp("1990-02-01")
    assert ex["year"].is_monotonic_increasing
    parts = apr.data.read_table("exercise_participants", mme_folder)
    assert parts.loc[parts["exercise_id"] == "rimpac-2018", "iso3"].tolist() == [
        "AUS", "JPN", "KOR", "PHL", "USA"]  # the curated list is kept
    assert "mme-200-rimpac-2018" not in set(parts["exercise_id"])
    # importing the same file again changes nothing
    once = snapshot(mme_folder)
    imported(capsys, mme_folder, "import", "mme", path)
    assert snapshot(mme_folder) == once


def test_mme_clears_a_stale_match(tmp_path, mme_folder):
    ex = (mme_folder / "exercises.csv").read_text().replace(
        "rimpac-2014,rimpac,,2014,2014-06-26,day,2014-08-01,day,Hawaii,,,0,curated,,",
        "rimpac-2014,rimpac,,2014,2014-06-26,day,2014-08-01,day,Hawaii,,,0,curated,mme1,old")
    (mme_folder / "exercises.csv").write_text(ex)
    tables, _ = registry.build("mme", write_mme(tmp_path / "mme.csv"), folder=mme_folder)
    t = tables["exercises"].set_index("exercise_id")
    assert pd.isna(t.loc["rimpac-2014", "mme_id"]) and pd.isna(
        t.loc["rimpac-2014", "mme_differences"])
    assert t.loc["rimpac-2018", "mme_id"] == "mme200"


def test_mme_differences_text():
    base = {"mme_only": [], "curated_only": [], "start_curated": pd.Timestamp("2000-01-10"),
            "start_mme": "2000-01-03"}
    assert mme._differences(base) is None  # 7 days apart is the same start
    assert mme._differences({**base, "start_mme": "2000-01-02"}) == (
        "MME dates the start 2000-01-02")
    assert mme._differences({**base, "start_mme": "2000-01-18"}) == (
        "MME dates the start 2000-01-18")
    assert mme._differences({**base, "start_curated": pd.NaT, "mme_only": ["A", "B"]}) == (
        "MME also lists A, B")


def test_mme_output_needs_a_folder(tmp_path, mme_folder, capsys):
    refused(capsys, mme_folder, "import", "mme", write_mme(tmp_path / "m.csv"), "-o",
            tmp_path / "x.csv", "--data", mme_folder,
            message="-o writes one table; mme writes exercises, exercise_participants (give "
                    "--data FOLDER instead)")


def test_mme_missing_columns(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("MMEID,Ex_Name\nmme1,X\n")
    with pytest.raises(im.ImportFormatError, match="missing column.* Series_Name, Location, "
                                                   r".*found: MMEID, Ex_Name\)"):
        mme.read_mme(path)


def test_real_mme():
    path = reference("mme", "mme_v7.csv")
    r = mme.mme_tables(path, shipped_actors())
    assert r.facts["read"] == 3707
    assert r.facts["skipped_unidentified"] == ["mme2859", "mme3449", "mme3596"]
    t = r.table.set_index("mme_id")
    assert (t["year"].min(), t["year"].max()) == (1980, 2010)
    magex = t.loc["mme86"]  # Magex-80, South Korea, January 1980 (day "xx")
    assert (magex["exercise_id"], magex["start"], magex["start_precision"]) == (
        "mme-86-magex-80", "1980-01-01", "month")
    parts = r.facts["participants"]
    assert parts.loc[parts["exercise_id"] == "mme-86-magex-80", "iso3"].tolist() == [
        "KOR", "USA"]
    assert "mme87" not in t.index  # Readex, Puerto Rico, NLD/GBR/USA: not the region's
    assert set(parts["iso3"]) <= set(shipped_actors()["iso3"])


# ------------------------------------------------------------------ troopdata (DMDC)
def troop_line(name, year, iso3, troops=0, **values):
    cells = {c: 0 for c in DEPLOY_COLS}
    cells["troops_ad"] = troops
    cells.update(values)
    return f"{name},{year},0,{iso3},Asia," + ",".join(str(cells[c]) for c in DEPLOY_COLS) + "\n"


TROOPS = ("countryname,year,ccode,iso3c,region," + ",".join(DEPLOY_COLS) + "\n"
          + troop_line("Japan", 2000, "JPN", 40000, marine_corps_ad=-17, navy_ad=5000)
          + troop_line("South Korea", 2000, "KOR", 36000, navy_ad=300)
          + troop_line("Japan", 2001, "JPN", 41000, total_civilian=5)
          + troop_line("South Korea", 2001, "KOR", 37000)
          + troop_line("Vietnam", 1970, "VNM", 400000)
          + troop_line("Vietnam", 1976, "VNM", 0)
          + troop_line("Vietnam", 2020, "VNM", 33)
          + troop_line("Aden", 1960, "NA", 10)
          + troop_line("Germany", 2000, "DEU", 70000))


def test_troopdata(tmp_path):
    path = tmp_path / "troops.csv"
    path.write_text(TROOPS)
    r = im.read_troopdata(path, ["JPN", "KOR", "VNM"])
    assert r.unmapped == ["Aden", "Germany", "Vietnam",
                          "Vietnam 1950-1975 (the Republic of Vietnam, not carried by VNM)"]
    assert r.facts["negative_set_na"] == ["JPN 2000 marine_corps_ad (-17)"]
    assert (r.facts["first_year"], r.facts["last_year"]) == (1976, 2020)
    assert r.facts["release"] == "troopdata rebuild (DMDC), 1950-2024"
    t = r.table.set_index(["iso3", "year"])
    assert list(t.index) == [("JPN", 2000), ("JPN", 2001), ("KOR", 2000), ("KOR", 2001),
                             ("VNM", 1976), ("VNM", 2020)]  # Vietnam before 1976 left out
    assert list(r.table.columns) == ["iso3", "year", *DEPLOY_COLS, "release"]
    assert t.loc[("JPN", 2000), "troops_ad"] == 40000
    assert math.isnan(t.loc[("JPN", 2000), "marine_corps_ad"])  # negative: NA, reported
    assert t.loc[("JPN", 2000), "navy_ad"] == 5000 and t.loc[("KOR", 2000), "navy_ad"] == 300
    assert math.isnan(t.loc[("KOR", 2001), "navy_ad"])  # 0 for every host in 2001
    # civilians are 0 for every host in 2000: not reported that year, NA; in 2001 they are
    assert math.isnan(t.loc[("JPN", 2000), "total_civilian"])
    assert t.loc[("JPN", 2001), "total_civilian"] == 5 and t.loc[("KOR", 2001),
                                                                 "total_civilian"] == 0
    assert math.isnan(t.loc[("VNM", 1976), "troops_ad"])  # only host in 1976, with 0
    assert t.loc[("VNM", 2020), "troops_ad"] == 33
    assert im.read_troopdata(path, ["JPN"], release="R").table["release"].unique().tolist() == [
        "R"]


def test_troopdata_without_actors(tmp_path):
    path = tmp_path / "troops.csv"
    path.write_text(TROOPS)
    r = im.read_troopdata(path, ["AUS"])
    assert r.table.empty and r.facts["first_year"] is None and r.facts["last_year"] is None


@pytest.mark.parametrize(("content", "message"), [
    (TROOPS.replace("Japan,2000,0,JPN,Asia,40000", "Japan,2000,0,JPN,Asia,many"),
     "line 2, column 'troops_ad': 'many' is not a number"),
    (TROOPS.replace("Japan,2000,", "Japan,,"), "line 2, column 'year': is empty"),
    (TROOPS.replace("troops_ad", "troops"), "missing column(s) troops_ad; expected troopdata "
                                            "country-year"),
])
def test_troopdata_wrong_file(tmp_path, content, message):
    path = tmp_path / "t.csv"
    path.write_text(content)
    with pytest.raises(im.ImportFormatError) as info:
        im.read_troopdata(path, ["JPN"])
    assert message in str(info.value) and str(path) in str(info.value)


def test_troopdata_cli(tmp_path, mini, capsys):
    path = tmp_path / "troops.csv"
    path.write_text(TROOPS)
    out = imported(capsys, mini, "import", "dmdc", path)
    assert "  negative counts set to NA: JPN 2000 marine_corps_ad (-17)" in out
    assert "hosts or codes left out in some or all years (no ISO3 code, or not an actor): " \
           "Aden, Germany, Vietnam, Vietnam 1950-1975" in out
    t = apr.data.read_table("us_deployments", mini)
    assert t[["iso3", "year"]].values.tolist() == [["JPN", 2000], ["JPN", 2001], ["KOR", 2000],
                                                   ["KOR", 2001]]
    assert pd.isna(t.loc[0, "total_civilian"]) and t.loc[1, "total_civilian"] == 5
    t = registry.build("dmdc", path, folder=mini, start=2001, release="DMDC x")[0][
        "us_deployments"]
    assert t["year"].tolist() == [2001, 2001] and set(t["release"]) == {"DMDC x"}


def test_real_troopdata():
    path = reference("troopdata", "troopdata-rebuild-country-year.csv")
    r = im.read_troopdata(path, ["JPN", "VNM", "AUS", "KOR"])
    assert "AUS 1959 marine_corps_ad (-17)" in r.facts["negative_set_na"]
    assert (r.facts["first_year"], r.facts["last_year"]) == (1950, 2024)
    t = r.table.set_index(["iso3", "year"])
    assert t.loc[("JPN", 2020), "troops_ad"] == 56748  # read by hand from the file
    assert t.loc[("JPN", 2024), "total_civilian"] == 7131
    assert t.loc[("JPN", 1959), "troops_ad"] == 85917
    assert math.isnan(t.loc[("AUS", 1959), "marine_corps_ad"])
    assert ("VNM", 1970) not in t.index and t.loc[("VNM", 2020), "troops_ad"] == 33


# ------------------------------------------------------------------ US bases
BASES = ("countryname,ccode,iso3c,basename,lat,lon,base,lilypad,fundedsite\n"
         "Japan,740,JPN,\"Yokota AB, Tokyo\",35.69,139.69,1,0,0\n"
         "Japan,740,JPN,Côte Sûre,35.0,139.0,0,1,0\n"
         "Japan,740,JPN,Côte Sûre,35.1,139.1,0,0,1\n"
         "Japan,740,JPN,***,35.2,139.2,0,0,0\n"
         "Spain,230,ESP,Base Aérea de Torrejón,40.5,-3.4,1,0,0\n"
         "Diego Garcia,NA,NA,Camp Thunder Cove,-7.3,72.4,1,0,0\n"
         "South Korea,732,KOR, Camp Humphreys ,36.96,127.03,1,NA,\n")


def test_bases_latin1_names_ascii_slugs(tmp_path):
    path = tmp_path / "basedata.csv"
    path.write_bytes(BASES.encode("latin-1"))
    r = im.read_bases(path, ["JPN", "KOR"])
    assert r.unmapped == ["Diego Garcia", "Spain"]
    assert r.facts == {"release": "David Vine, Lists of U.S. Military Bases Abroad (about 2018)"}
    t = r.table
    assert list(t.columns) == ["site_id", "host", "name", "kind", "lat", "lon", "base",
                               "lilypad", "fundedsite", "release"]
    assert t["site_id"].tolist() == ["us-jpn-site", "us-jpn-cote-sure", "us-jpn-cote-sure-2",
                                     "us-jpn-yokota-ab-tokyo", "us-kor-camp-humphreys"]
    by = t.set_index("site_id")
    assert by.loc["us-jpn-cote-sure", "name"] == "Côte Sûre"  # the name keeps its accents
    assert by.loc["us-jpn-cote-sure", "kind"] == "lily_pad"
    assert by.loc["us-jpn-cote-sure-2", "kind"] == "funded_site"
    assert by.loc["us-jpn-yokota-ab-tokyo", "kind"] == "base"
    assert by.loc["us-jpn-site", "kind"] == "site"  # no letters: "site"
    assert by.loc["us-kor-camp-humphreys", "name"] == "Camp Humphreys"  # stripped
    assert by.loc["us-kor-camp-humphreys", ["base", "lilypad", "fundedsite"]].tolist() == [
        1, 0, 0]  # NA and empty flags are 0
    assert by.loc["us-jpn-yokota-ab-tokyo", "lat"] == 35.69
    assert t["site_id"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()
    assert t["host"].is_monotonic_increasing


def test_bases_utf8_too(tmp_path):
    path = tmp_path / "basedata.csv"
    path.write_text(BASES, encoding="utf-8")
    t = im.read_bases(path, ["JPN"], release="R").table
    assert "Côte Sûre" in set(t["name"]) and set(t["release"]) == {"R"}


@pytest.mark.parametrize(("content", "message"), [
    (BASES.replace("35.69,139.69", "north,139.69"), "line 2, column 'lat': 'north' is not a "
                                                    "number"),
    (BASES.replace("basename", "site"), "missing column(s) basename; expected US bases list"),
])
def test_bases_wrong_file(tmp_path, content, message):
    path = tmp_path / "b.csv"
    path.write_text(content)
    with pytest.raises(im.ImportFormatError) as info:
        im.read_bases(path, ["JPN"])
    assert message in str(info.value)


def test_bases_build_release(tmp_path, mini):
    path = tmp_path / "basedata.csv"
    path.write_bytes(BASES.encode("latin-1"))
    tables, result = registry.build("us-bases", path, folder=mini, release="Vine 2021",
                                    start=2030)  # a list without years ignores them
    assert len(tables["us_bases"]) == 5 and set(tables["us_bases"]["release"]) == {"Vine 2021"}
    assert result.facts["release"] == "Vine 2021"


def test_bases_cli(tmp_path, mini, capsys):
    path = tmp_path / "basedata.csv"
    path.write_bytes(BASES.encode("latin-1"))
    out = imported(capsys, mini, "import", "us-bases", path)
    assert "Diego Garcia, Spain" in out and "wrote" in out
    t = apr.data.read_table("us_bases", mini)
    assert len(t) == 5 and "Côte Sûre" in set(t["name"])
    assert (mini / "us_bases.csv").read_bytes().decode("utf-8")  # written as UTF-8


def test_real_bases():
    path = reference("troopdata", "basedata.csv")
    r = im.read_bases(path, ["JPN", "CHL", "KOR"])
    t = r.table
    assert (t["host"] == "JPN").sum() == 42  # counted by hand: 42 rows with JPN
    chl = t[t["name"].str.startswith("Fuerte Aguayo")].iloc[0]
    assert chl["name"] == "Fuerte Aguayo NB, Concón" and chl["kind"] == "funded_site"
    assert chl["site_id"] == "us-chl-fuerte-aguayo-nb-concon"
    assert t["site_id"].is_unique and t["site_id"].str.fullmatch(r"[a-z0-9-]+").all()


# ------------------------------------------------------------------ every importer: bad input
def fixture_file(source, tmp_path):
    """A valid file of ``source``'s format."""
    if source == "sipri-milex":
        return build_workbook(tmp_path / "milex.xlsx")
    if source == "sipri-transfers":
        return register(tmp_path)
    if source == "mme":
        return write_mme(tmp_path / "mme.csv", MME_ROWS[:2])
    text = {"cow-nmc": NMC, "atop": ATOP_OWN, "dmdc": TROOPS, "us-bases": BASES,
            "cow-states": STATES, "gw-states": GW}[source]
    path = tmp_path / f"{source}.csv"
    path.write_text(text)
    return path


RENAMED = {  # source -> (column renamed, the message)
    "sipri-transfers": (("Comments", "Remarks"), "header lacks 'Comments'"),
    "cow-nmc": (("cinc", "CINC"), "missing column(s) cinc"),
    "atop": (("consul", "consult"), "not ATOP's dyad-year layout"),
    "mme": (("s.month", "s_month"), "missing column(s) s.month"),
    "dmdc": (("iso3c", "iso3"), "missing column(s) iso3c"),
    "us-bases": (("lilypad", "lily_pad"), "missing column(s) lilypad"),
    "cow-states": (("styear", "start_year"), "missing column(s) styear"),
    "gw-states": (("startdate", "start"), "missing column(s) startdate"),
}
SOURCES = list(registry.SOURCES)


def test_every_source_is_tested():
    assert set(RENAMED) | {"sipri-milex"} == set(SOURCES)


@pytest.mark.parametrize("source", SOURCES)
def test_mistyped_path(source, tmp_path, mini, capsys):
    err = refused(capsys, mini, "import", source, tmp_path / "nowhere.csv", "--data", mini,
                  message=f"{tmp_path / 'nowhere.csv'}: no such file; expected ")
    assert err.count("\n") == 1  # one line
    refused(capsys, mini, "import", source, tmp_path, "--data", mini,
            message=f"{tmp_path}: is a folder, not a file; expected ")


@pytest.mark.parametrize("source", SOURCES)
def test_wrong_file(source, tmp_path, mini, capsys):
    """Another publisher's file (the NMC CSV, or the workbook for the CSV importers)."""
    other = (fixture_file("cow-nmc", tmp_path) if source != "cow-nmc"
             else fixture_file("gw-states", tmp_path))
    if source in ("sipri-milex",):
        message = "not an Excel workbook"
    elif source == "sipri-transfers":
        message = "no header line starting 'Recipient,Supplier"
    elif source == "atop":
        message = "not ATOP's dyad-year layout"
    else:
        message = "missing column(s)"
    refused(capsys, mini, "import", source, other, "--data", mini, message=message)
    binary = fixture_file("sipri-milex", tmp_path)
    if source != "sipri-milex":  # a workbook given to a CSV importer
        refused(capsys, mini, "import", source, binary, "--data", mini, message=str(binary))


@pytest.mark.parametrize("source", sorted(RENAMED))
def test_renamed_column(source, tmp_path, mini, capsys):
    path = fixture_file(source, tmp_path)
    (old, new), message = RENAMED[source]
    raw = path.read_bytes()
    assert old.encode() in raw
    path.write_bytes(raw.replace(old.encode(), new.encode(), 1))
    refused(capsys, mini, "import", source, path, "--data", mini, message=message)


@pytest.mark.parametrize("source", SOURCES)
def test_missing_data_folder(source, tmp_path, capsys):
    code, _, err = run(capsys, "import", source, fixture_file(source, tmp_path), "--data",
                       tmp_path / "nowhere")
    assert code == 1 and err == (f"error: data folder {tmp_path / 'nowhere'} does not exist or "
                                 "is not a folder\n")


def test_unknown_source(capsys):
    with pytest.raises(SystemExit):
        cli(["import", "sipri", "x.csv"])
    assert "invalid choice: 'sipri'" in capsys.readouterr().err
    with pytest.raises(im.ImportFormatError, match="^unknown import source 'sipri'; valid: "
                                                   "sipri-milex, sipri-transfers, cow-nmc"):
        registry.build("sipri", "x.csv")


# ------------------------------------------------------------------ the registry
def test_registry():
    assert SOURCES == ["sipri-milex", "sipri-transfers", "cow-nmc", "atop", "mme", "dmdc",
                       "us-bases", "cow-states", "gw-states"]
    tables = {s.name: (s.table, s.extra) for s in registry.SOURCES.values()}
    assert tables["mme"] == ("exercises", ("exercise_participants",))
    assert tables["cow-states"] == tables["gw-states"] == ("state_system", ())
    t = pd.DataFrame({"year": [1999, 2000, 2001, 2002]})
    assert registry._years(t, "year", None, None) is t
    assert registry._years(t, "year", 2000, None)["year"].tolist() == [2000, 2001, 2002]
    assert registry._years(t, "year", None, 2000)["year"].tolist() == [1999, 2000]
    assert registry._years(t, "year", 2000, 2001)["year"].tolist() == [2000, 2001]


def test_build_returns_every_table(tmp_path, mme_folder):
    tables, result = registry.build("mme", write_mme(tmp_path / "m.csv"), folder=mme_folder)
    assert list(tables) == ["exercises", "exercise_participants"]
    assert "participants" not in result.facts  # moved into the tables
    assert tables["exercises"]["start"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(tables["exercises"]["participants_complete"]) == {0, 1}


# ------------------------------------------------------------------ common: reading
def test_read_text(tmp_path):
    p = tmp_path / "t.txt"
    p.write_bytes("Côte".encode("latin-1"))
    assert common.read_text(p, ("utf-8", "latin-1"), what="x") == "Côte"
    with pytest.raises(im.ImportFormatError) as info:
        common.read_text(p, what="a thing")
    assert str(info.value) == (f"{p}: not readable as utf-8 (invalid continuation byte at byte "
                               "1); expected a thing")
    with pytest.raises(im.ImportFormatError, match="not readable as utf-8 .* or ascii "):
        common.read_text(p, ("utf-8", "ascii"), what="x")
    with pytest.raises(im.ImportFormatError, match=f"^{tmp_path / 'no'}: no such file; "
                                                   "expected a thing$"):
        common.read_text(tmp_path / "no", what="a thing")
    with pytest.raises(im.ImportFormatError, match="is a folder, not a file"):
        common.read_text(tmp_path, what="a thing")


def test_read_csv(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n")
    assert common.read_csv(p, what="x", dtype=str).to_dict("records") == [{"a": "1", "b": "2"}]
    p.write_text("  \n")
    with pytest.raises(im.ImportFormatError, match="the file is empty; expected x"):
        common.read_csv(p, what="x")
    p.write_text('a,b\n"1,2\n')
    with pytest.raises(im.ImportFormatError, match="not a readable CSV .*; expected x"):
        common.read_csv(p, what="x")


def test_require_columns():
    frame = pd.DataFrame(columns=["a", "c"])
    common.require_columns(frame, ["a"], "f.csv", what="X")
    with pytest.raises(im.ImportFormatError) as info:
        common.require_columns(frame, ["a", "b", "d"], "f.csv", what="X")
    assert str(info.value) == ("f.csv: missing column(s) b, d; expected X with columns a, b, d "
                               "(found: a, c)")


def test_require_integers():
    common.require_integers(pd.DataFrame({"a": [1, 2.0, "3"]}), ["a"], "f")
    with pytest.raises(im.ImportFormatError, match=r"^f, line 3, column 'a': is empty"):
        common.require_integers(pd.DataFrame({"a": ["1", " ", "2"]}), ["a"], "f")
    with pytest.raises(im.ImportFormatError, match=r"^f, line 2, column 'a': '1.5' is not a "
                                                   r"whole number \(every row needs"):
        common.require_integers(pd.DataFrame({"a": [1.5]}), ["a"], "f")


# ------------------------------------------------------------------ common: writing
def test_neutralise():
    frame = pd.DataFrame({"t": ["=SUM(A1)", "+1+1", "-2", "@x", "\tx", "\rx", "ok", None,
                                "-x", "a=b"],
                          "n": [-1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]})
    out = common.neutralise(frame)
    got = out["t"].tolist()
    assert got[:7] + got[8:] == ["'=SUM(A1)", "'+1+1", "-2", "'@x", "'\tx", "'\rx", "ok",
                                 "'-x", "a=b"]  # a number written as text is data
    assert pd.isna(got[7])
    assert out["n"].tolist() == frame["n"].tolist()
    assert frame["t"][0] == "=SUM(A1)"  # a copy
    assert common.FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")


def test_to_csv():
    frame = pd.DataFrame({"a": [1 / 3, 1234567.891234, None], "b": ["=x", "y", None]})
    assert common.to_csv(frame) == "a,b\n0.3333333333,'=x\n1234567.891,y\n,\n"


def test_write_tables(mini, umask, monkeypatch):
    umask(0o022)
    caps = apr.data.read_table("capabilities", mini)
    caps.loc[0, "cinc"] = 0.3
    written = im.write_tables({"capabilities": caps}, mini)
    assert written == [mini.resolve() / "capabilities.csv"]
    assert mode(written[0]) == 0o644
    assert apr.data.read_table("capabilities", mini).loc[0, "cinc"] == 0.3
    umask(0o077)
    monkeypatch.setenv("APRESEARCH_DATA", str(mini))  # the default folder
    assert im.write_tables({"capabilities": caps}) == written
    assert mode(mini / "capabilities.csv") == 0o600
    assert not [p for p in mini.iterdir() if p.name.startswith(".")]


def test_write_tables_validates_a_staged_copy(mini, monkeypatch):
    made = []
    real = common.tempfile.mkdtemp

    def mkdtemp(**kw):
        made.append(real(**kw))
        return made[-1]

    monkeypatch.setattr(common.tempfile, "mkdtemp", mkdtemp)
    before = snapshot(mini)
    caps = apr.data.read_table("capabilities", mini)
    caps.loc[1, "cinc"] = 1.5
    caps.loc[2, "iso3"] = "XXX"
    with pytest.raises(apr.DataValidationError) as info:
        im.write_tables({"capabilities": caps}, mini)
    assert snapshot(mini) == before  # nothing written
    assert info.value.folder == f"{mini.resolve()} (after importing capabilities; nothing was " \
                                "written)"
    assert {(p.file, p.line, p.column, p.rule) for p in info.value.problems} == {
        ("capabilities.csv", 3, "cinc", "constraint-error"),
        ("capabilities.csv", 4, "iso3", "foreign-key")}
    assert len(made) == 1 and not os.path.exists(made[0])  # the staging folder is removed


def test_write_tables_uses_the_folders_descriptor(mini):
    import json

    desc = apr.data.descriptor(mini)
    for r in desc["resources"]:
        if r["name"] == "capabilities":
            r["schema"]["fields"][-2]["constraints"]["maximum"] = 2  # cinc up to 2
    (mini / "datapackage.json").write_text(json.dumps(desc))
    caps = apr.data.read_table("capabilities", mini)
    caps.loc[0, "cinc"] = 1.5
    im.write_tables({"capabilities": caps}, mini)  # valid under the folder's own contract
    assert apr.data.read_table("capabilities", mini).loc[0, "cinc"] == 1.5


def test_write_tables_output(mini, tmp_path, umask):
    umask(0o022)
    before = snapshot(mini)
    caps = apr.data.read_table("capabilities", mini)
    out = tmp_path / "new" / "deeper" / "caps.csv"
    assert im.write_tables({"capabilities": caps}, mini, output=out) == [out]
    assert snapshot(mini) == before and mode(out) == 0o644
    assert out.read_text() == common.to_csv(caps)
    with pytest.raises(im.ImportFormatError, match="^output= writes one table; this import "
                                                   "writes capabilities, milex$"):
        im.write_tables({"capabilities": caps, "milex": apr.data.read_table("milex", mini)},
                        mini, output=out)


def test_write_tables_unknown_table(mini):
    with pytest.raises(im.ImportFormatError, match="^no table 'treaties' in the data contract; "
                                                   "tables: actors, agreements,"):
        im.write_tables({"treaties": pd.DataFrame()}, mini)


def test_fixture_tables_round_trip_through_to_csv(mini):
    """Writing a table read from the folder gives back the same file (no drift)."""
    for name in ("capabilities", "atop_dyads", "us_bases"):
        t = apr.data.read_table(name, mini)
        assert common.to_csv(t) == FILES[f"{name}.csv"], name
