"""US military personnel abroad (Defense Manpower Data Center reports, as compiled by Allen,
Flynn and Machain's troopdata) into ``us_deployments``, and David Vine's list of US bases and
"lily pad" sites abroad into ``us_bases``."""

from __future__ import annotations

import os
import unicodedata

import numpy as np
import pandas as pd

from .common import (
    ImportFormatError,
    ImportResult,
    read_csv,
    require_columns,
    require_integers,
)

__all__ = ["DEPLOYMENT_COLUMNS", "read_troopdata", "read_bases"]

DEPLOYMENT_COLUMNS = ["troops_ad", "army_ad", "navy_ad", "air_force_ad", "marine_corps_ad",
                      "coast_guard_ad", "space_force_ad", "army_national_guard",
                      "air_national_guard", "army_reserve", "navy_reserve",
                      "marine_corps_reserve", "air_force_reserve", "coast_guard_reserve",
                      "total_selected_reserve", "army_civilian", "navy_civilian",
                      "marine_corps_civilian", "air_force_civilian", "dod_civilian",
                      "total_civilian"]


def _numbers(frame: pd.DataFrame, cols, path) -> pd.DataFrame:
    out = frame.copy()
    for col in cols:
        values = pd.to_numeric(out[col].replace({"NA": np.nan, "": np.nan}), errors="coerce")
        bad = values.isna() & out[col].notna() & ~out[col].isin(["NA", ""])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ImportFormatError(f"{path}, line {i + 2}, column {col!r}: "
                                    f"{out[col].iloc[i]!r} is not a number")
        out[col] = values
    return out


def read_troopdata(path: str | os.PathLike, actors, *,
                   release: str = "troopdata rebuild (DMDC), 1950-2024") -> ImportResult:
    """Parse the troopdata country-year file (countryname, year, ccode, iso3c, region,
    troops_ad ... total_civilian) into ``us_deployments`` for hosts that are actors.

    Missing is NA, never 0: a country-year absent from the file is not in the table, a
    series that is 0 for every host in a year (a category the DMDC reports of that year do
    not give, such as civilians before they were reported) is NA that year, and a negative
    count (an error in the compilation) is NA and listed in ``facts["negative_set_na"]``.
    Hosts without an ISO3 code (former territories) or that are not actors are listed in
    ``unmapped``.
    """
    what = "troopdata's country-year CSV (countryname, year, iso3c, troops_ad, ...)"
    raw = read_csv(path, what=what, dtype=str, keep_default_na=False)
    require_columns(raw, ["countryname", "year", "iso3c", *DEPLOYMENT_COLUMNS], path,
                    what="troopdata country-year")
    require_integers(raw, ["year"], path)
    d = _numbers(raw, ["year", *DEPLOYMENT_COLUMNS], path)
    d["year"] = d["year"].astype(int)
    # a negative head count is an error of the compilation, not a number: NA, and reported
    negative = []
    for col in DEPLOYMENT_COLUMNS:
        bad = d[col] < 0
        negative += [f"{c} {y} {col} ({int(v)})" for c, y, v in
                     zip(d.loc[bad, "iso3c"], d.loc[bad, "year"], d.loc[bad, col], strict=True)]
        d.loc[bad, col] = np.nan
    # a series reported as 0 for every host in a year was not reported that year
    for col in DEPLOYMENT_COLUMNS:
        unreported = d.groupby("year")[col].transform(lambda s: (s.fillna(0) == 0).all())
        d.loc[unreported, col] = np.nan
    iso = d["iso3c"].replace({"NA": None, "": None})
    # US forces in "Vietnam" to 1975 were in the Republic of Vietnam (COW 817), which VNM
    # (the Democratic Republic and unified Viet Nam, COW 816) does not carry
    south = (iso == "VNM") & (d["year"] <= 1975)
    iso = iso.mask(south)
    known = set(actors)
    unmapped = sorted(set(d.loc[iso.isna() | ~iso.isin(known), "countryname"]))
    if south.any():
        unmapped.append("Vietnam 1950-1975 (the Republic of Vietnam, not carried by VNM)")
    d = d.assign(iso3=iso)[iso.isin(known)]
    out = d[["iso3", "year", *DEPLOYMENT_COLUMNS]].copy()
    out = out.sort_values(["iso3", "year"]).drop_duplicates(["iso3", "year"], keep="last")
    out["release"] = release
    return ImportResult(table=out.reset_index(drop=True), unmapped=unmapped,
                        facts={"release": release,
                               "first_year": int(out["year"].min()) if len(out) else None,
                               "last_year": int(out["year"].max()) if len(out) else None,
                               "negative_set_na": negative})


def read_bases(path: str | os.PathLike, actors, *,
               release: str = "David Vine, Lists of U.S. Military Bases Abroad (about 2018)"
               ) -> ImportResult:
    """Parse the US basing list (countryname, ccode, iso3c, basename, lat, lon, base,
    lilypad, fundedsite; Latin-1) into ``us_bases`` for hosts that are actors."""
    what = "the US bases list CSV (countryname, iso3c, basename, lat, lon, base, lilypad, ...)"
    raw = read_csv(path, what=what, encodings=("utf-8", "latin-1"), dtype=str,
                   keep_default_na=False)
    cols = ["countryname", "iso3c", "basename", "lat", "lon", "base", "lilypad", "fundedsite"]
    require_columns(raw, cols, path, what="US bases list")
    d = _numbers(raw, ["lat", "lon", "base", "lilypad", "fundedsite"], path)
    known = set(actors)
    iso = d["iso3c"].replace({"NA": None, "": None})
    unmapped = sorted(set(d.loc[iso.isna() | ~iso.isin(known), "countryname"]))
    d = d.assign(host=iso)[iso.isin(known)].copy()
    d["name"] = d["basename"].str.strip()
    for col in ("base", "lilypad", "fundedsite"):
        d[col] = d[col].fillna(0).astype(int)
    d["kind"] = np.select([d["base"] == 1, d["lilypad"] == 1, d["fundedsite"] == 1],
                          ["base", "lily_pad", "funded_site"], default="site")
    seen: dict[str, int] = {}
    ids = []
    for h, n in zip(d["host"], d["name"], strict=True):
        ascii_name = unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode()
        slug = "-".join(filter(None, "".join(ch.lower() if ch.isalnum() else " "
                                              for ch in ascii_name).split()))[:40].strip("-")
        slug = slug or "site"
        key = f"us-{h.lower()}-{slug}"
        seen[key] = seen.get(key, 0) + 1
        ids.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    d["site_id"] = ids
    out = d[["site_id", "host", "name", "kind", "lat", "lon", "base", "lilypad",
             "fundedsite"]].copy()
    out["release"] = release
    return ImportResult(table=out.sort_values(["host", "name"]).reset_index(drop=True),
                        unmapped=unmapped, facts={"release": release})
