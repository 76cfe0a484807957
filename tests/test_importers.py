"""Importers: a fixture workbook built here with SIPRI's layout (so every user can run these),
the real SIPRI workbook and COW file when the reference folder is present, and bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import reference

from apresearch import importers as im
from apresearch.cli import main as cli

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.styles import Font  # noqa: E402

BLUE, RED = Font(color="FF0000FF"), Font(color="FFFF0000")


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


def build_workbook(path, *, drop_sheet=None, rename_country=False, rename_years=False):
    wb = openpyxl.Workbook()
    wb.active.title = "Front page"
    years = [2020, 2021, 2022]
    constant = [("China", "55", [(100.0, BLUE), (110.0, BLUE), (120.0, BLUE)]),
                ("Japan", "", [50.0, 52.0, (54.0, RED)]),
                ("Korea, North", "57", ["...", "...", ". ."]),
                ("Taiwan", "†¶104", [10.0, 11.0, 12.0]),
                ("USSR", "", ["xxx", "xxx", "xxx"]),
                ("Atlantis", "", [1.0, 1.0, 1.0])]
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
    wb.create_sheet("Footnotes")
    wb.save(path)
    return path


@pytest.fixture
def workbook(tmp_path):
    return build_workbook(tmp_path / "milex.xlsx")


def test_parse_fixture(workbook):
    r = im.read_sipri_milex(workbook, release="Test release")
    assert r.facts["base_year"] == 2022 and r.facts["release"] == "Test release"
    assert (r.facts["first_year"], r.facts["last_year"]) == (2020, 2022)
    assert r.unmapped == ["Atlantis"]  # listed, not dropped silently
    assert r.facts["skipped"] == ["USSR"]
    t = r.table.set_index(["iso3", "series", "year"])
    assert t.loc[("CHN", "constant_usd_m", 2021), "value"] == 110.0
    assert t.loc[("CHN", "constant_usd_m", 2021), "flag"] == "estimate"
    assert t.loc[("JPN", "constant_usd_m", 2022), "flag"] == "uncertain"
    assert pd.isna(t.loc[("JPN", "constant_usd_m", 2020), "flag"])
    assert t.loc[("CHN", "share_gdp_pct", 2020), "value"] == pytest.approx(1.7)  # per cent
    assert t.loc[("PRK", "constant_usd_m", 2022), "missing"] == "unavailable"  # ". ."
    assert math.isnan(t.loc[("PRK", "constant_usd_m", 2020), "value"])
    assert t.loc[("TWN", "constant_usd_m", 2020), "markers"] == "†¶"
    assert t.loc[("TWN", "constant_usd_m", 2020), "footnotes"] == "104"


def test_wide_table(workbook):
    r = im.read_sipri_milex(workbook)
    w = im.milex_table(r, ["CHN", "JPN", "PRK", "TWN"], 2021, 2022).set_index(["iso3", "year"])
    assert len(w) == 8
    assert w.loc[("CHN", 2022), "constant_usd_m"] == 120.0
    assert (w.loc[("CHN", 2022), "estimate"], w.loc[("JPN", 2022), "uncertain"]) == (1, 1)
    assert w.loc[("JPN", 2021), ["estimate", "uncertain"]].tolist() == [0, 0]
    assert w.loc[("PRK", 2021), "missing"] == "unavailable"
    assert w.loc[("JPN", 2022), "per_capita_usd"] == 420.0
    assert w.loc[("JPN", 2022), "share_govt_pct"] == pytest.approx(1.2)
    assert (w["base_year"] == 2022).all()
    # SIPRI's 0 in the current sheet (constant 50) is not a zero: NA, with a note
    w20 = im.milex_table(r, ["JPN"], 2020, 2020).iloc[0]
    assert math.isnan(w20["current_usd_m"]) and "taken as not available" in w20["notes"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drop_sheet": "Share of GDP"}, "no sheet matching '^Share of GDP$'"),
        ({"rename_country": True}, "sheet 'Current US$' has no header row starting with 'Country'"),
        ({"rename_years": True}, "sheet 'Share of GDP' has a 'Country' header row (6) but no "
                                 "year columns"),
    ],
)
def test_wrong_workbook(tmp_path, kwargs, message):
    path = build_workbook(tmp_path / "bad.xlsx", **kwargs)
    with pytest.raises(im.ImportFormatError) as info:
        im.read_sipri_milex(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "milex.xlsx"
    path.write_text("Country,2020\nChina,1\n")
    with pytest.raises(im.ImportFormatError, match="not an Excel workbook"):
        im.read_sipri_milex(path)


def test_cli_import_is_atomic(tmp_path, workbook, mini, capsys):
    out = tmp_path / "milex.csv"
    out.write_text("previous content\n")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert cli(["import", "sipri-milex", str(bad), "-o", str(out), "--data", str(mini)]) == 1
    assert out.read_text() == "previous content\n"  # untouched on failure
    assert "not an Excel workbook" in capsys.readouterr().err
    assert cli(["import", "sipri-milex", str(workbook), "-o", str(out), "--data", str(mini),
                "--start", "2020", "--end", "2022"]) == 0
    printed = capsys.readouterr().out
    assert "NOT MAPPED, left out" in printed and "Atlantis" in printed
    written = pd.read_csv(out)
    assert set(written["iso3"]) == {"CHN", "JPN", "PRK"}  # fixture actors SIPRI lists
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


def test_cow_nmc_fixture(tmp_path):
    path = tmp_path / "NMC-60-abridged.csv"
    path.write_text("stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
                    "USA,2,2000,100,10,5,7,280000,200000,0.14,2021\n"
                    "CHN,710,2000,-9,20,6,8,1260000,400000,0.17,2021\n"
                    "RVN,817,1970,1,1,1,1,1,1,0.001,2021\n")
    r = im.read_cow_nmc(path, {2: "USA", 710: "CHN"})
    assert r.unmapped == ["817"]
    t = r.table.set_index("iso3")
    assert t.loc["USA", "milex_thousands_usd"] == 100 and t.loc["CHN", "cinc"] == 0.17
    assert math.isnan(t.loc["CHN", "milex_thousands_usd"])  # -9 is missing, not a number
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,year,milex\n2,2000,1\n")
    with pytest.raises(im.ImportFormatError, match="missing column.*cinc.*expected COW NMC"):
        im.read_cow_nmc(bad, {2: "USA"})


def test_real_cow_nmc():
    path = reference("cow", "nmc7_0_asiapac_1946_2022.csv")
    t = im.read_cow_nmc(path, {2: "USA", 710: "CHN", 740: "JPN"}).table.set_index(
        ["iso3", "year"])
    assert t.loc[("USA", 2022), "cinc"] == pytest.approx(0.12356574)
    assert t.loc[("CHN", 2022), "cinc"] == pytest.approx(0.23409663)
    assert t.loc[("JPN", 1990), "milex_thousands_usd"] == 28730000


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


def test_transfers_fixture(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(REGISTER.encode("cp1252"))
    r = im.read_sipri_transfers(path, ["RUS", "IND", "THA", "JPN"])
    assert r.unmapped == ["Atlantis", "Utopia"]  # listed, not dropped silently
    assert r.facts["deals_read"] == 5 and "13 Mar 2025" in r.facts["release"]
    t = r.table.set_index("designation")
    assert list(t.index) == ["MiG-29", "BTR-3", "Y"]  # Chad-Libya has no actor
    mig = t.loc["MiG-29"]
    assert (mig["supplier"], mig["supplier_iso3"], mig["recipient_iso3"]) == (
        "Soviet Union", "RUS", "IND")  # the successor carries the Soviet Union
    assert (mig["order_year_uncertain"], mig["number_ordered_uncertain"]) == (1, 1)
    assert (mig["first_delivery"], mig["last_delivery"]) == (1988, 1989)
    assert mig["comments"] == "Café note"  # cp1252 decoded
    btr = t.loc["BTR-3"]  # a record SIPRI's export broke over two lines
    assert btr["tiv_delivered_m"] == 19.5 and btr["tiv_order_m"] == 21.0
    assert pd.isna(btr["supplier_iso3"]) and btr["recipient_iso3"] == "THA"
    assert pd.isna(t.loc["Y", "supplier_iso3"])  # a non-state supplier
    assert r.table["deal_id"].is_unique


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (REGISTER.replace("Recipient,Supplier", "Buyer,Seller"), "no header line starting"),
        (REGISTER.replace("SIPRI TIV for total order", "TIV total"),
         "header lacks 'SIPRI TIV for total order'"),
        (REGISTER.replace("3,?,MiG-29", "three,?,MiG-29"), "line 8: 'three' is not a number"),
    ],
)
def test_transfers_wrong_file(tmp_path, content, message):
    path = tmp_path / "register.csv"
    path.write_bytes(content.encode("cp1252"))
    with pytest.raises(im.ImportFormatError, match=message):
        im.read_sipri_transfers(path, ["IND"])


def test_transfers_not_cp1252(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(b"Recipient,Supplier\n\x81\x8d\x8f\n")
    with pytest.raises(im.ImportFormatError, match="not a cp1252 text file"):
        im.read_sipri_transfers(path, ["IND"])


def test_real_register():
    path = reference("sipri", "trade-register-generated-2025-03-13.csv")
    r = im.read_sipri_transfers(path, ["RUS", "IND", "THA", "BRA", "USA", "VNM"])
    assert r.unmapped == [] and r.facts["deals_read"] == 29515
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
