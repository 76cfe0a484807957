"""SIPRI's Military Expenditure workbook (``milex``) and its Arms Transfers trade register
(``arms_transfers``), read in the formats SIPRI distributes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .common import ImportFormatError, ImportResult, check_file

__all__ = ["SIPRI_NAMES", "TRANSFER_NAMES", "read_sipri_milex", "milex_table",
           "read_sipri_transfers"]


# SIPRI's country names (Milex workbook, 2024 release) -> ISO3. ``None`` marks names known on
# purpose to have no current ISO3 code (defunct states, the EU): they are skipped and reported
# as such. A name not in this table is *unmapped*: reported, so a renamed country in a new
# release is noticed rather than dropped.
SIPRI_NAMES: dict[str, str | None] = {
    # Africa
    "Algeria": "DZA", "Libya": "LBY", "Morocco": "MAR", "Tunisia": "TUN", "Angola": "AGO",
    "Benin": "BEN", "Botswana": "BWA", "Burkina Faso": "BFA", "Burundi": "BDI",
    "Cameroon": "CMR", "Cape Verde": "CPV", "Central African Republic": "CAF", "Chad": "TCD",
    "Congo, DR": "COD", "Congo, Republic": "COG", "Cote d'Ivoire": "CIV", "Djibouti": "DJI",
    "Equatorial Guinea": "GNQ", "Eritrea": "ERI", "Ethiopia": "ETH", "Gabon": "GAB",
    "Gambia, The": "GMB", "Ghana": "GHA", "Guinea": "GIN", "Guinea-Bissau": "GNB",
    "Kenya": "KEN", "Lesotho": "LSO", "Liberia": "LBR", "Madagascar": "MDG", "Malawi": "MWI",
    "Mali": "MLI", "Mauritania": "MRT", "Mauritius": "MUS", "Mozambique": "MOZ",
    "Namibia": "NAM", "Niger": "NER", "Nigeria": "NGA", "Rwanda": "RWA", "Senegal": "SEN",
    "Seychelles": "SYC", "Sierra Leone": "SLE", "Somalia": "SOM", "South Africa": "ZAF",
    "South Sudan": "SSD", "Sudan": "SDN", "Eswatini": "SWZ", "Tanzania": "TZA", "Togo": "TGO",
    "Uganda": "UGA", "Zambia": "ZMB", "Zimbabwe": "ZWE",
    # Americas
    "Belize": "BLZ", "Costa Rica": "CRI", "Cuba": "CUB", "Dominican Republic": "DOM",
    "El Salvador": "SLV", "Guatemala": "GTM", "Haiti": "HTI", "Honduras": "HND",
    "Jamaica": "JAM", "Mexico": "MEX", "Nicaragua": "NIC", "Panama": "PAN",
    "Trinidad and Tobago": "TTO", "Canada": "CAN", "United States of America": "USA",
    "Argentina": "ARG", "Bolivia": "BOL", "Brazil": "BRA", "Chile": "CHL", "Colombia": "COL",
    "Ecuador": "ECU", "Guyana": "GUY", "Paraguay": "PRY", "Peru": "PER", "Uruguay": "URY",
    "Venezuela": "VEN",
    # Asia & Oceania
    "Australia": "AUS", "Fiji": "FJI", "New Zealand": "NZL", "Papua New Guinea": "PNG",
    "Afghanistan": "AFG", "Bangladesh": "BGD", "India": "IND", "Nepal": "NPL",
    "Pakistan": "PAK", "Sri Lanka": "LKA", "China": "CHN", "Japan": "JPN",
    "Korea, North": "PRK", "Korea, South": "KOR", "Mongolia": "MNG", "Taiwan": "TWN",
    "Brunei": "BRN", "Cambodia": "KHM", "Indonesia": "IDN", "Laos": "LAO", "Malaysia": "MYS",
    "Myanmar": "MMR", "Philippines": "PHL", "Singapore": "SGP", "Thailand": "THA",
    "Timor Leste": "TLS", "Viet Nam": "VNM", "Kazakhstan": "KAZ", "Kyrgyz Republic": "KGZ",
    "Tajikistan": "TJK", "Turkmenistan": "TKM", "Uzbekistan": "UZB",
    # Europe
    "Albania": "ALB", "Bosnia and Herzegovina": "BIH", "Bulgaria": "BGR", "Croatia": "HRV",
    "Czechia": "CZE", "Estonia": "EST", "Hungary": "HUN", "Latvia": "LVA",
    "Lithuania": "LTU", "North Macedonia": "MKD", "Montenegro": "MNE", "Poland": "POL",
    "Romania": "ROU", "Serbia": "SRB", "Slovakia": "SVK", "Slovenia": "SVN",
    "Armenia": "ARM", "Azerbaijan": "AZE", "Belarus": "BLR", "Georgia": "GEO",
    "Moldova": "MDA", "Russia": "RUS", "Ukraine": "UKR", "Austria": "AUT", "Belgium": "BEL",
    "Cyprus": "CYP", "Denmark": "DNK", "Finland": "FIN", "France": "FRA", "Germany": "DEU",
    "Greece": "GRC", "Iceland": "ISL", "Ireland": "IRL", "Italy": "ITA", "Luxembourg": "LUX",
    "Malta": "MLT", "Netherlands": "NLD", "Norway": "NOR", "Portugal": "PRT", "Spain": "ESP",
    "Sweden": "SWE", "Switzerland": "CHE", "United Kingdom": "GBR",
    # Middle East
    "Bahrain": "BHR", "Egypt": "EGY", "Iran": "IRN", "Iraq": "IRQ", "Israel": "ISR",
    "Jordan": "JOR", "Kuwait": "KWT", "Lebanon": "LBN", "Oman": "OMN", "Qatar": "QAT",
    "Saudi Arabia": "SAU", "Syria": "SYR", "Türkiye": "TUR", "United Arab Emirates": "ARE",
    "Yemen": "YEM",
    # no current ISO3 code, on purpose. The USSR's row is not carried into RUS: its
    # all-Union spending is not comparable with Russia's, so RUS starts in 1992.
    "USSR": None, "Czechoslovakia": None, "German Democratic Republic": "DDR",
    "Yugoslavia": None, "Kosovo": None, "Yemen, North": None, "European Union": None,
}

MILEX_SHEETS = {
    "constant_usd_m": r"^Constant \((\d{4})\) US\$$",
    "current_usd_m": r"^Current US\$$",
    "share_gdp_pct": r"^Share of GDP$",
    "per_capita_usd": r"^Per capita$",
    "share_govt_pct": r"^Share of Govt\. spending$",
}
PERCENT_SERIES = ("share_gdp_pct", "share_govt_pct")  # SIPRI stores these as fractions
UNAVAILABLE = {"...", ". .", "..", ". . .", "…"}
NOT_INDEPENDENT = {"xxx"}
MARKERS = "†‡§¶‖"


def _rgb(colour) -> str | None:
    """The font colour as 'RRGGBB', resolving Excel's indexed palette; None if unknown."""
    if colour is None:
        return None
    from openpyxl.styles.colors import COLOR_INDEX

    if colour.type == "rgb" and isinstance(colour.rgb, str):
        return colour.rgb[-6:].upper()
    if colour.type == "indexed" and colour.indexed is not None and colour.indexed < len(
            COLOR_INDEX):
        return COLOR_INDEX[colour.indexed][-6:].upper()
    return None  # theme colours: SIPRI does not use them for flags


def _flag(rgb: str | None) -> str | None:
    """SIPRI's colour code: blue = SIPRI estimate, red = highly uncertain."""
    if rgb is None:
        return None
    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    if b >= 0xC0 and r < 0x80 and g < 0x80:
        return "estimate"
    if r >= 0xC0 and g < 0x80 and b < 0x80:
        return "uncertain"
    return None


def _header(ws, path: str) -> tuple[int, dict[str, int], dict[int, int]]:
    """Row number of the 'Country' header, its named columns, and year -> column index."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 30)):
        values = [c.value for c in row]
        if values and isinstance(values[0], str) and values[0].strip() == "Country":
            named = {str(v).strip(): i for i, v in enumerate(values)
                     if isinstance(v, str) and v.strip()}
            years = {}
            for i, v in enumerate(values):
                if isinstance(v, (int, float)) and not isinstance(v, bool) and 1900 < v < 2200:
                    years[int(v)] = i
            if not years:
                raise ImportFormatError(
                    f"{path}: sheet '{ws.title}' has a 'Country' header row ({row[0].row}) "
                    "but no year columns (expected numeric headers such as 1949 ... 2023): "
                    "was the header renamed?")
            if "Notes" not in named:
                raise ImportFormatError(
                    f"{path}: sheet '{ws.title}' header row {row[0].row} has no 'Notes' "
                    f"column; found: {', '.join(named)}")
            return row[0].row, named, years
    raise ImportFormatError(
        f"{path}: sheet '{ws.title}' has no header row starting with 'Country' in its first "
        "30 rows (expected SIPRI's layout: title lines, then 'Country', 'Notes', years)")


def read_sipri_milex(path: str | os.PathLike, *, release: str | None = None) -> ImportResult:
    """Parse SIPRI's Milex workbook into a long table: iso3, country, year, series, value,
    flag ('estimate' / 'uncertain' / NA), missing ('unavailable' / 'not_independent' / NA),
    markers, footnotes.

    Values are as SIPRI gives them except the two shares, converted from fractions to per
    cent. ``facts`` holds the price base year, the years covered and the release label.
    """
    path = str(path)
    check_file(path, what="SIPRI's Milex .xlsx workbook")
    try:
        import warnings

        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Workbook contains no default style"
            wb = load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, OSError ...
        raise ImportFormatError(
            f"{path}: not an Excel workbook that openpyxl can read ({type(exc).__name__}); "
            "expected SIPRI's Milex .xlsx workbook") from None
    sheets = {}
    base_year = None
    for series, pattern in MILEX_SHEETS.items():
        match = [(name, re.match(pattern, name)) for name in wb.sheetnames]
        match = [(name, m) for name, m in match if m]
        if not match:
            raise ImportFormatError(
                f"{path}: no sheet matching {pattern!r} for {series}; this does not look like "
                f"SIPRI's Milex workbook (sheets found: {', '.join(wb.sheetnames)})")
        sheets[series] = match[0][0]
        if series == "constant_usd_m":
            base_year = int(match[0][1].group(1))
    rows, unmapped, skipped, first, last = [], set(), set(), None, None
    for series, name in sheets.items():
        ws = wb[name]
        hdr, named, years = _header(ws, path)
        notes_col = named["Notes"]
        first = min(years) if first is None else min(first, min(years))
        last = max(years) if last is None else max(last, max(years))
        for row in ws.iter_rows(min_row=hdr + 1):
            country = row[0].value
            if not isinstance(country, str) or not country.strip():
                continue
            country = country.strip()
            cells = {y: row[i] for y, i in years.items() if i < len(row)}
            if all(c.value in (None, "") for c in cells.values()):
                continue  # a region or subregion heading
            if country not in SIPRI_NAMES:
                unmapped.add(country)
                continue
            iso3 = SIPRI_NAMES[country]
            if iso3 is None:
                skipped.add(country)
                continue
            note = row[notes_col].value if notes_col < len(row) else None
            note = "" if note is None else str(note)
            markers = "".join(ch for ch in note if ch in MARKERS)
            footnotes = ";".join(re.findall(r"\d+", note))
            for year, cell in cells.items():
                v = cell.value
                value, missing = np.nan, None
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    value = float(v) * (100.0 if series in PERCENT_SERIES else 1.0)
                elif isinstance(v, str) and v.strip() in NOT_INDEPENDENT:
                    missing = "not_independent"
                elif v is None or (isinstance(v, str) and v.strip() in UNAVAILABLE | {""}):
                    missing = "unavailable"
                else:
                    raise ImportFormatError(
                        f"{path}: sheet '{name}', cell {cell.coordinate} ({country}, {year}) "
                        f"holds {v!r}; expected a number, '...' (unavailable) or 'xxx'")
                rows.append((iso3, country, year, series, value,
                             _flag(_rgb(cell.font.color)) if missing is None else None,
                             missing, markers, footnotes))
    table = pd.DataFrame(rows, columns=["iso3", "country", "year", "series", "value", "flag",
                                        "missing", "markers", "footnotes"])
    facts = {"base_year": base_year, "first_year": first, "last_year": last,
             "release": release or f"SIPRI Milex, data {first}-{last}",
             "skipped": sorted(skipped)}
    return ImportResult(table=table, unmapped=sorted(unmapped), facts=facts)


def milex_table(result: ImportResult, actors: Iterable[str], start: int, end: int
                ) -> pd.DataFrame:
    """The wide ``milex`` table for ``actors`` and years ``start..end`` from a parsed workbook.

    One row per actor SIPRI covers and year: the five series, ``estimate`` / ``uncertain``
    (SIPRI marks the figure so in any series that year), ``missing`` (why the constant-US$
    figure is NA), SIPRI's markers and footnote numbers, the release, the price base year and
    ``notes``. A 0 in the current-US$ sheet where the constant figure is not 0 is an artefact
    of SIPRI's sheet and becomes NA (the note says so).
    """
    long = result.table
    long = long[long["iso3"].isin(list(actors)) & long["year"].between(start, end)]
    wide = long.pivot_table(index=["iso3", "year"], columns="series", values="value",
                            aggfunc="first", dropna=False)
    wide = wide.reindex(columns=list(MILEX_SHEETS))
    flags = long.groupby(["iso3", "year"])["flag"]
    out = wide.reset_index()
    key = pd.MultiIndex.from_frame(out[["iso3", "year"]])
    out["estimate"] = flags.apply(lambda s: (s == "estimate").any()).reindex(key).to_numpy()
    out["uncertain"] = flags.apply(lambda s: (s == "uncertain").any()).reindex(key).to_numpy()
    const = long[long["series"] == "constant_usd_m"].set_index(["iso3", "year"])
    out["missing"] = const["missing"].reindex(key).to_numpy()
    meta = long.groupby("iso3")[["markers", "footnotes"]].first()
    out["sipri_markers"] = out["iso3"].map(meta["markers"]).replace("", np.nan)
    out["sipri_footnotes"] = out["iso3"].map(meta["footnotes"]).replace("", np.nan)
    out["release"] = result.facts["release"]
    out["base_year"] = result.facts["base_year"]
    for col in ("estimate", "uncertain"):
        out[col] = out[col].astype(bool).astype(int)
    # SIPRI's current-US$ sheet holds 0 where no dollar figure could be made (e.g. no usable
    # exchange rate). A 0 is kept only where the constant figure is 0 too (a state without
    # armed forces); otherwise it is taken as not available.
    artefact = (out["current_usd_m"] == 0) & (out["constant_usd_m"] != 0)
    out.loc[artefact, "current_usd_m"] = np.nan
    out["notes"] = np.where(artefact, "current US$ is 0 in SIPRI's sheet: taken as not "
                                      "available", None)
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


# SIPRI trade-register names that differ from the Milex workbook's, -> ISO3 (None: no current
# ISO3 code, on purpose). The Soviet Union is carried by Russia, its successor (COW code 365),
# as the collection's curation rules say; the register's own name stays in the table.
TRANSFER_NAMES: dict[str, str | None] = {
    **SIPRI_NAMES,
    "United States": "USA", "Soviet Union": "RUS", "South Korea": "KOR", "North Korea": "PRK",
    "UAE": "ARE", "Turkiye": "TUR", "Cabo Verde": "CPV", "DR Congo": "COD", "Congo": "COG",
    "eSwatini": "SWZ", "Bosnia-Herzegovina": "BIH", "Timor-Leste": "TLS", "Kyrgyzstan": "KGZ",
    "Gambia": "GMB", "Saint Kitts and Nevis": "KNA", "Saint Vincent": "VCT",
    "Antigua and Barbuda": "ATG", "Aruba": "ABW", "Bahamas": "BHS", "Barbados": "BRB",
    "Grenada": "GRD", "Suriname": "SUR", "Comoros": "COM", "Maldives": "MDV", "Bhutan": "BTN",
    "Tonga": "TON", "Vanuatu": "VUT", "Solomon Islands": "SLB", "Palestine": "PSE",
    "Turkmenistan": "TKM", "Libya": "LBY",
    "East Germany (GDR)": "DDR", "South Vietnam": None, "South Yemen": None,
    "North Yemen": None, "Yemen Arab Republic (North Yemen)": None, "Biafra": None,
    "Katanga": None, "Northern Cyprus": None, "Western Sahara": None,
}
TRANSFER_COLUMNS = ["Recipient", "Supplier", "Year of order", "Number ordered",
                    "Weapon designation", "Weapon description", "Number delivered",
                    "Year(s) of delivery", "status", "Comments", "SIPRI TIV per unit",
                    "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"]


def _non_state(name: str) -> bool:
    """Rebel groups (*), organisations (**) and unknown parties, as SIPRI marks them."""
    return name.endswith("*") or name.lower().startswith("unknown")


def _number(text: str, where: str) -> float:
    text = text.strip()
    if text == "":
        return np.nan
    try:
        return float(text)
    except ValueError:
        raise ImportFormatError(f"{where}: {text!r} is not a number") from None


def read_sipri_transfers(path: str | os.PathLike, actors: Iterable[str]) -> ImportResult:
    """Parse SIPRI's trade-register export (cp1252, a preamble of notes, then the header;
    '?' in the column after a figure marks it uncertain; TIV in millions) into the
    ``arms_transfers`` table for deals in which an actor is supplier or recipient.

    Keeps SIPRI's names (``supplier``, ``recipient``) and adds ``supplier_iso3`` /
    ``recipient_iso3`` where the party is an actor of the collection (NA otherwise: a state
    outside the actors, a rebel group, an organisation). Records that SIPRI's export splits
    over two lines (a line break inside Comments) are joined. TIV is a volume of transfers,
    not money.
    """
    import csv
    import hashlib

    path = str(path)
    raw = check_file(path, what="SIPRI's trade-register export (.csv)").read_bytes()
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path}: not a cp1252 text file as SIPRI exports it ({exc})"
                                ) from None
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines)
                      if line.startswith("Recipient,Supplier")), None)
    if header_at is None:
        raise ImportFormatError(
            f"{path}: no header line starting 'Recipient,Supplier,Year of order' (expected "
            "SIPRI's trade-register export: notes, then that header, then one deal a line)")
    reader = list(csv.reader(lines[header_at:]))
    header = reader[0]
    missing = [c for c in TRANSFER_COLUMNS if c not in header]
    if missing:
        raise ImportFormatError(f"{path}: header lacks {', '.join(map(repr, missing))}; "
                                f"found: {', '.join(h for h in header if h.strip())}")
    width = len(header)
    col = {c: header.index(c) for c in TRANSFER_COLUMNS}
    records, pending = [], None
    for lineno, row in enumerate(reader[1:], start=header_at + 2):
        if pending is not None:  # continue a record broken inside Comments
            row = pending[:-1] + [pending[-1] + " " + row[0]] + row[1:]
            pending = None
        if len(row) < width:
            pending = row
            continue
        if len(row) > width:
            raise ImportFormatError(f"{path}, line {lineno}: {len(row)} fields, expected {width}")
        records.append((lineno, row))
    actors = set(actors)
    out, names, unmapped = [], set(), set()
    seen: dict[str, int] = {}
    for lineno, r in records:
        where = f"{path}, line {lineno}"
        sup, rec = r[col["Supplier"]].strip(), r[col["Recipient"]].strip()
        iso = {}
        for role, name in (("supplier", sup), ("recipient", rec)):
            names.add(name)
            code = TRANSFER_NAMES.get(name)
            if name not in TRANSFER_NAMES and not _non_state(name):
                unmapped.add(name)
            iso[role] = code if code in actors else None
        if iso["supplier"] is None and iso["recipient"] is None:
            continue
        years = [int(y) for y in re.findall(r"\d{4}", r[col["Year(s) of delivery"]])]
        order_year = _number(r[col["Year of order"]], where)
        key = "|".join([sup, rec, r[col["Year of order"]], r[col["Weapon designation"]],
                        r[col["Weapon description"]], r[col["Number ordered"]],
                        r[col["Comments"]]])
        deal = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        seen[deal] = seen.get(deal, 0) + 1
        if seen[deal] > 1:
            deal = f"{deal}-{seen[deal]}"
        out.append({
            "deal_id": deal, "supplier": sup, "recipient": rec,
            "supplier_iso3": iso["supplier"], "recipient_iso3": iso["recipient"],
            "order_year": order_year,
            "order_year_uncertain": int(r[col["Year of order"] + 1].strip() == "?"),
            "number_ordered": _number(r[col["Number ordered"]], where),
            "number_ordered_uncertain": int(r[col["Number ordered"] + 1].strip() == "?"),
            "designation": r[col["Weapon designation"]].strip(),
            "weapon_category": r[col["Weapon description"]].strip(),
            "number_delivered": _number(r[col["Number delivered"]], where),
            "number_delivered_uncertain": int(r[col["Number delivered"] + 1].strip() == "?"),
            "delivery_years": r[col["Year(s) of delivery"]].strip() or None,
            "first_delivery": min(years) if years else None,
            "last_delivery": max(years) if years else None,
            "status": r[col["status"]].strip() or None,
            "comments": r[col["Comments"]].strip() or None,
            "tiv_per_unit_m": _number(r[col["SIPRI TIV per unit"]], where),
            "tiv_order_m": _number(r[col["SIPRI TIV for total order"]], where),
            "tiv_delivered_m": _number(r[col["SIPRI TIV of delivered weapons"]], where),
        })
    table = pd.DataFrame(out)
    generated = next((line.split(":", 1)[1].strip() for line in lines[:header_at]
                      if line.startswith("Data generated:")), None)
    if generated:
        try:
            generated = pd.to_datetime(generated, format="%d %b %Y %I:%M:%S %p").date()
        except ValueError:
            pass
    release = (f"SIPRI Arms Transfers Database, trade register generated {generated}"
               if generated else "SIPRI Arms Transfers Database")
    table["release"] = release
    facts = {"release": release, "deals_read": len(records)}
    return ImportResult(table=table, unmapped=sorted(unmapped), facts=facts)
