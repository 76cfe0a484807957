"""The Correlates of War Project's files — National Material Capabilities (``capabilities``)
and State System Membership — and Gleditsch and Ward's list of independent states, read as
they are distributed, into the collection's ``capabilities`` and ``state_system`` tables."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from .common import ImportFormatError, ImportResult, read_csv, require_columns, require_integers

__all__ = ["COW_ISO3", "GW_ISO3", "NMC_COMPONENTS", "read_cow_nmc", "read_cow_states",
           "read_gw_states"]

# COW state codes -> ISO 3166-1 alpha-3. A code may map to a state that another code also
# maps to (Germany 255 and the Federal Republic 260; Czechoslovakia 315, carried by the Czech
# Republic, and 316; the Yemen Arab Republic 678 and Yemen 679). The USSR is RUS (365).
# ``None``: a state with no present-day ISO3 code (German states before 1871, Austria-
# Hungary, the Italian states, Zanzibar, the People's Republic of Yemen, Korea before 1910,
# the Republic of Vietnam): skipped on purpose. A code missing here is reported as unmapped.
COW_ISO3: dict[int, str | None] = {
    2: "USA", 20: "CAN", 31: "BHS", 40: "CUB", 41: "HTI", 42: "DOM", 51: "JAM", 52: "TTO",
    53: "BRB", 54: "DMA", 55: "GRD", 56: "LCA", 57: "VCT", 58: "ATG", 60: "KNA", 70: "MEX",
    80: "BLZ", 90: "GTM", 91: "HND", 92: "SLV", 93: "NIC", 94: "CRI", 95: "PAN", 100: "COL",
    101: "VEN", 110: "GUY", 115: "SUR", 130: "ECU", 135: "PER", 140: "BRA", 145: "BOL",
    150: "PRY", 155: "CHL", 160: "ARG", 165: "URY", 200: "GBR", 205: "IRL", 210: "NLD",
    211: "BEL", 212: "LUX", 220: "FRA", 221: "MCO", 223: "LIE", 225: "CHE", 230: "ESP",
    232: "AND", 235: "PRT", 255: "DEU", 260: "DEU", 265: "DDR", 290: "POL", 305: "AUT",
    310: "HUN", 315: "CZE", 316: "CZE", 317: "SVK", 325: "ITA", 331: "SMR", 338: "MLT",
    339: "ALB", 341: "MNE", 343: "MKD", 344: "HRV", 345: "SRB", 346: "BIH", 347: "XKX",
    349: "SVN", 350: "GRC", 352: "CYP", 355: "BGR", 359: "MDA", 360: "ROU", 365: "RUS",
    366: "EST", 367: "LVA", 368: "LTU", 369: "UKR", 370: "BLR", 371: "ARM", 372: "GEO",
    373: "AZE", 375: "FIN", 380: "SWE", 385: "NOR", 390: "DNK", 395: "ISL", 402: "CPV",
    403: "STP", 404: "GNB", 411: "GNQ", 420: "GMB", 432: "MLI", 433: "SEN", 434: "BEN",
    435: "MRT", 436: "NER", 437: "CIV", 438: "GIN", 439: "BFA", 450: "LBR", 451: "SLE",
    452: "GHA", 461: "TGO", 471: "CMR", 475: "NGA", 481: "GAB", 482: "CAF", 483: "TCD",
    484: "COG", 490: "COD", 500: "UGA", 501: "KEN", 510: "TZA", 516: "BDI", 517: "RWA",
    520: "SOM", 522: "DJI", 530: "ETH", 531: "ERI", 540: "AGO", 541: "MOZ", 551: "ZMB",
    552: "ZWE", 553: "MWI", 560: "ZAF", 565: "NAM", 570: "LSO", 571: "BWA", 572: "SWZ",
    580: "MDG", 581: "COM", 590: "MUS", 591: "SYC", 600: "MAR", 615: "DZA", 616: "TUN",
    620: "LBY", 625: "SDN", 626: "SSD", 630: "IRN", 640: "TUR", 645: "IRQ", 651: "EGY",
    652: "SYR", 660: "LBN", 663: "JOR", 666: "ISR", 670: "SAU", 678: "YEM", 679: "YEM",
    690: "KWT", 692: "BHR", 694: "QAT", 696: "ARE", 698: "OMN", 700: "AFG", 701: "TKM",
    702: "TJK", 703: "KGZ", 704: "UZB", 705: "KAZ", 710: "CHN", 712: "MNG", 713: "TWN",
    731: "PRK", 732: "KOR", 740: "JPN", 750: "IND", 760: "BTN", 770: "PAK", 771: "BGD",
    775: "MMR", 780: "LKA", 781: "MDV", 790: "NPL", 800: "THA", 811: "KHM", 812: "LAO",
    816: "VNM", 820: "MYS", 830: "SGP", 835: "BRN", 840: "PHL", 850: "IDN", 860: "TLS",
    900: "AUS", 910: "PNG", 920: "NZL", 935: "VUT", 940: "SLB", 946: "KIR", 947: "TUV",
    950: "FJI", 955: "TON", 970: "NRU", 983: "MHL", 986: "PLW", 987: "FSM", 990: "WSM",
    240: None, 245: None, 267: None, 269: None, 271: None, 273: None, 275: None, 280: None,
    300: None, 327: None, 329: None, 332: None, 335: None, 337: None, 511: None, 680: None,
    730: None, 817: None,
}
# Gleditsch-Ward codes where they differ from COW's: GW keeps 260 for Germany after 1990,
# 340 for Serbia (1878-1915 and from 2006) beside 345 for Yugoslavia, 678 for Yemen after
# 1990, and lists states COW does not.
GW_ISO3: dict[int, str | None] = {
    **COW_ISO3, 260: "DEU", 340: "SRB", 345: "SRB", 678: "YEM",
    89: None, 99: None, 563: None, 564: None, 711: None, 815: None,
}

NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
NMC_NAMES = {"milex": "milex_thousands_usd", "milper": "milper_thousands",
             "irst": "irst_thousand_tons", "pec": "pec_thousand_coal_tons",
             "tpop": "tpop_thousands", "upop": "upop_thousands"}


def _iso3(codes: pd.Series, table: dict[int, str | None]) -> tuple[pd.Series, list[str]]:
    """ISO3 per code (NA where none) and the codes the table does not know."""
    ints = codes.astype(int)
    unknown = sorted({str(c) for c in ints.unique() if c not in table})
    return ints.map(lambda c: table.get(c)), unknown


def read_cow_nmc(path: str | os.PathLike, actors, *,
                 release: str = "COW NMC v7.0") -> ImportResult:
    """Parse a COW National Material Capabilities CSV (the official NMC file, or a cut with
    the same columns) into iso3, year, the six components, cinc, release, for the ``actors``.

    ``-9`` (COW's missing code) becomes NA. Units as COW gives them: milex in thousands of
    current US$, milper in thousands, irst in thousands of tons, pec in thousands of coal-ton
    equivalents, tpop and upop in thousands; CINC a share of the world total. Codes that
    :data:`COW_ISO3` does not know are listed in ``unmapped``; states that are not actors
    are left out.
    """
    what = "COW's National Material Capabilities CSV (ccode, year, milex, ..., cinc)"
    raw = read_csv(path, what=what)
    require_columns(raw, ["ccode", "year", *NMC_COMPONENTS], path, what="COW NMC")
    for col in ["ccode", "year", *NMC_COMPONENTS]:
        bad = pd.to_numeric(raw[col], errors="coerce").isna() & raw[col].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ImportFormatError(f"{path}, line {i + 2}, column {col!r}: "
                                    f"{raw[col].iloc[i]!r} is not a number")
    require_integers(raw, ["ccode", "year"], path)
    raw = raw.replace(-9, np.nan)
    iso3, unmapped = _iso3(raw["ccode"], COW_ISO3)
    raw.insert(0, "iso3", iso3)
    raw = raw[raw["iso3"].isin(set(actors))]
    out = raw[["iso3", "year", *NMC_COMPONENTS]].rename(columns=NMC_NAMES)
    out["year"] = out["year"].astype(int)
    out["release"] = release
    # a state with two codes in one year (Germany in 1990) keeps the row with more figures
    out = out.assign(_n=out.notna().sum(axis=1)).sort_values(["iso3", "year", "_n"])
    out = out.drop_duplicates(["iso3", "year"], keep="last").drop(columns="_n")
    return ImportResult(table=out.reset_index(drop=True), unmapped=unmapped,
                        facts={"release": release})


def _dates(y, m, d) -> pd.Series:
    return pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": d}), errors="coerce")


def _system_table(frame: pd.DataFrame, system: str, table: dict, actors, release: str,
                  list_end: pd.Timestamp, path) -> ImportResult:
    iso3, unmapped = _iso3(frame["code"], table)
    out = frame.assign(iso3=iso3)
    if out["start"].isna().any() or out["end"].isna().any():
        i = int(np.flatnonzero((out["start"].isna() | out["end"].isna()).to_numpy())[0])
        raise ImportFormatError(f"{path}, line {i + 2}: a start or end date is not a valid "
                                "date")
    out = out[out["iso3"].isin(set(actors))].copy()
    # spells still open when the list ends carry on (no end date)
    out.loc[out["end"] >= list_end, "end"] = pd.NaT
    out["system"] = system
    out["release"] = release
    cols = ["system", "iso3", "code", "name", "start", "end", "release"]
    out = out[cols].sort_values(["iso3", "start"]).reset_index(drop=True)
    for col in ("start", "end"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return ImportResult(table=out, unmapped=unmapped,
                        facts={"release": release, "list_end": list_end.date().isoformat()})


def read_cow_states(path: str | os.PathLike, actors, *, release: str | None = None
                    ) -> ImportResult:
    """Parse COW's State System Membership list (``states2016.csv``: stateabb, ccode,
    statenme, styear, stmonth, stday, endyear, endmonth, endday, version) into
    ``state_system`` rows (system ``cow``) for the ``actors``. Spells that run to the list's
    last date are left open (see :mod:`apresearch.systems`)."""
    what = "COW's State System Membership CSV (states2016.csv)"
    raw = read_csv(path, what=what)
    need = ["ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"]
    require_columns(raw, need, path, what="COW State System Membership")
    require_integers(raw, ["ccode"], path)
    frame = pd.DataFrame({"code": raw["ccode"], "name": raw["statenme"],
                          "start": _dates(raw["styear"], raw["stmonth"], raw["stday"]),
                          "end": _dates(raw["endyear"], raw["endmonth"], raw["endday"])})
    version = str(raw["version"].iloc[0]) if "version" in raw and len(raw) else "unknown"
    release = release or f"COW State System Membership v{version}"
    return _system_table(frame, "cow", COW_ISO3, actors, release, frame["end"].max(), path)


def read_gw_states(path: str | os.PathLike, actors, *, release: str | None = None
                   ) -> ImportResult:
    """Parse Gleditsch and Ward's list of independent states (gwcode, stateabb, statename,
    startdate, enddate) into ``state_system`` rows (system ``gw``) for the ``actors``."""
    what = "Gleditsch and Ward's state list CSV (gwcode, statename, startdate, enddate)"
    raw = read_csv(path, what=what)
    require_columns(raw, ["gwcode", "statename", "startdate", "enddate"], path,
                    what="Gleditsch-Ward states")
    require_integers(raw, ["gwcode"], path)
    frame = pd.DataFrame({"code": raw["gwcode"], "name": raw["statename"],
                          "start": pd.to_datetime(raw["startdate"], errors="coerce"),
                          "end": pd.to_datetime(raw["enddate"], errors="coerce")})
    end = frame["end"].max()
    release = release or f"Gleditsch-Ward list of independent states (to {end.date()})"
    return _system_table(frame, "gw", GW_ISO3, actors, release, end, path)
