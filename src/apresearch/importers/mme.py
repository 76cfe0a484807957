"""The Multinational Military Exercises dataset (MME; Harvard Dataverse doi:10.7910/DVN/KHFODX)
read as it is published, into the collection's ``exercises`` and ``exercise_participants``.

The file: one row per exercise; ``MMEID``; the name (``Ex_Name``) and series
(``Series_Name``); ``Location`` with ``lat``/``lon``; start and end as text (``StartDate``,
``EndDate``) and as year, month and day (``s.year`` ... ``e.day``, ``xx`` for an unknown day
or month); domain flags ``CPX``, ``Air``, ``Land``, ``Sea``, ``Amphibious``, ``Cyber``; focus
flags ``Warfighting``, ``Peacekeeping``, ``Humanitarian``; participants as country names in
``StateA`` ... ``StateAM``. Published in Latin-1 (read as Windows' cp1252, whose byte 0x92 is
the curly apostrophe of "Côte d’Ivoire"; a UTF-8 copy reads too).

**Which exercises** (:func:`select`): those held in the Asia-Pacific — MME's coordinates in
longitudes 60°E to 180° or west of 140°W, latitudes 50°S to 56°N (the Indian Ocean, South,
Southeast, East and Central Asia, Oceania and the Pacific to Hawaii) — and those anywhere in
which a state of the region takes part (an actor with ``regional`` = 1 other than the United
States and Russia, whose exercising is global).
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from .common import ImportFormatError, ImportResult, read_text

__all__ = ["MME_NAMES", "MME_GROUPS", "MME_COLUMNS", "REGION", "read_mme", "select",
           "mme_tables"]

# MME participant names -> ISO3. Czechoslovakia is carried by the Czech Republic and
# Yugoslavia by Serbia (as COW codes them); the Federal Republic of Germany is DEU.
MME_NAMES: dict[str, str] = {
    "Afghanistan": "AFG", "Albania": "ALB", "Algeria": "DZA", "Angola": "AGO",
    "Antigua & Barbuda": "ATG", "Argentina": "ARG", "Armenia": "ARM", "Australia": "AUS",
    "Austria": "AUT", "Azerbaijan": "AZE", "Bahamas": "BHS", "Bahrain": "BHR",
    "Bangladesh": "BGD", "Barbados": "BRB", "Belarus": "BLR", "Belgium": "BEL", "Belize": "BLZ",
    "Benin": "BEN", "Bolivia": "BOL", "Bosnia & Herzegovina": "BIH", "Botswana": "BWA",
    "Brazil": "BRA", "Brunei": "BRN", "Bulgaria": "BGR", "Burkina Faso": "BFA",
    "Burundi": "BDI", "Cambodia": "KHM", "Cameroon": "CMR", "Canada": "CAN",
    "Cape Verde": "CPV", "Central African Republic": "CAF", "Chad": "TCD", "Chile": "CHL",
    "China": "CHN", "Colombia": "COL", "Comoros": "COM", "Congo - Brazzaville": "COG",
    "Congo - Kinshasa": "COD", "Costa Rica": "CRI", "Croatia": "HRV", "Cuba": "CUB",
    "Cyprus": "CYP", "Czechia": "CZE", "Czechoslovakia": "CZE", "Côte d\u2019Ivoire": "CIV",
    "Côte d'Ivoire": "CIV",  # Latin-1 has no curly apostrophe: a Latin-1 file has this one
    "Denmark": "DNK", "Djibouti": "DJI", "Dominica": "DMA", "Dominican Republic": "DOM",
    "Ecuador": "ECU", "Egypt": "EGY", "El Salvador": "SLV", "Equatorial Guinea": "GNQ",
    "Estonia": "EST", "Eswatini": "SWZ", "Ethiopia": "ETH", "Federal Republic of Germany": "DEU",
    "Fiji": "FJI", "Finland": "FIN", "France": "FRA", "Gabon": "GAB", "Gambia": "GMB",
    "Georgia": "GEO", "German Democratic Republic": "DDR", "Germany": "DEU", "Ghana": "GHA",
    "Greece": "GRC", "Grenada": "GRD", "Guatemala": "GTM", "Guinea": "GIN",
    "Guinea-Bissau": "GNB", "Guyana": "GUY", "Haiti": "HTI", "Honduras": "HND",
    "Hungary": "HUN", "Iceland": "ISL", "India": "IND", "Indonesia": "IDN", "Iran": "IRN",
    "Iraq": "IRQ", "Ireland": "IRL", "Israel": "ISR", "Italy": "ITA", "Jamaica": "JAM",
    "Japan": "JPN", "Jordan": "JOR", "Kazakhstan": "KAZ", "Kenya": "KEN", "Kuwait": "KWT",
    "Kyrgyzstan": "KGZ", "Laos": "LAO", "Latvia": "LVA", "Lebanon": "LBN", "Lesotho": "LSO",
    "Liberia": "LBR", "Libya": "LBY", "Lithuania": "LTU", "Luxembourg": "LUX",
    "Madagascar": "MDG", "Malawi": "MWI", "Malaysia": "MYS", "Maldives": "MDV", "Mali": "MLI",
    "Malta": "MLT", "Mauritania": "MRT", "Mauritius": "MUS", "Mexico": "MEX", "Moldova": "MDA",
    "Mongolia": "MNG", "Montenegro": "MNE", "Morocco": "MAR", "Mozambique": "MOZ",
    "Myanmar (Burma)": "MMR", "Namibia": "NAM", "Nepal": "NPL", "Netherlands": "NLD",
    "New Zealand": "NZL", "Nicaragua": "NIC", "Niger": "NER", "Nigeria": "NGA",
    "North Korea": "PRK", "North Macedonia": "MKD", "Norway": "NOR", "Oman": "OMN",
    "Pakistan": "PAK", "Palau": "PLW", "Panama": "PAN", "Papua New Guinea": "PNG",
    "Paraguay": "PRY", "Peru": "PER", "Philippines": "PHL", "Poland": "POL", "Portugal": "PRT",
    "Qatar": "QAT", "Romania": "ROU", "Russia": "RUS", "Rwanda": "RWA", "Saudi Arabia": "SAU",
    "Senegal": "SEN", "Serbia": "SRB", "Seychelles": "SYC", "Sierra Leone": "SLE",
    "Singapore": "SGP", "Slovakia": "SVK", "Slovenia": "SVN", "Solomon Islands": "SLB",
    "Somalia": "SOM", "South Africa": "ZAF", "South Korea": "KOR", "South Sudan": "SSD",
    "Spain": "ESP", "Sri Lanka": "LKA", "St. Kitts & Nevis": "KNA", "st. christopher": "KNA",
    "St. Lucia": "LCA", "St. Vincent & Grenadines": "VCT", "Sudan": "SDN", "Suriname": "SUR",
    "Sweden": "SWE", "Switzerland": "CHE", "Syria": "SYR", "São Tomé & Príncipe": "STP",
    "Taiwan": "TWN", "Tajikistan": "TJK", "Tanzania": "TZA", "Thailand": "THA",
    "Timor-Leste": "TLS", "Togo": "TGO", "Tonga": "TON", "Trinidad & Tobago": "TTO",
    "Tunisia": "TUN", "Turkey": "TUR", "Turkmenistan": "TKM", "Uganda": "UGA",
    "Ukraine": "UKR", "United Arab Emirates": "ARE", "United Kingdom": "GBR",
    "United States": "USA", "Uruguay": "URY", "Uzbekistan": "UZB", "Vanuatu": "VUT",
    "Venezuela": "VEN", "Vietnam": "VNM", "Yemen": "YEM", "Yugoslavia": "SRB", "Zambia": "ZMB",
    "Zimbabwe": "ZWE",
}
# names that are not one state, decided on purpose: a territory is carried by the state that
# is responsible for its defence; "Baltic States" (the Baltic battalion) is the three states;
# NATO (an organisation) and MME's -9 (a participant it could not identify) name no state
# and make the edition's list partial; Hong Kong is not a state.
MME_GROUPS: dict[str, list[str]] = {
    "Bermuda": ["GBR"], "Netherlands Antilles": ["NLD"], "New Caledonia": ["FRA"],
    "Baltic States": ["EST", "LVA", "LTU"], "NATO": [], "-9": [], "Hong Kong SAR China": [],
}
MME_COLUMNS = ["MMEID", "Ex_Name", "Series_Name", "Location", "lat", "lon", "StartDate",
               "s.year", "s.month", "s.day", "EndDate", "e.year", "e.month", "e.day", "CPX",
               "Air", "Land", "Sea", "Amphibious", "Cyber", "Warfighting", "Peacekeeping",
               "Humanitarian", "FocusDescription", "AdditionalParticipantInfo", "StateA"]
FLAGS = {"CPX": "cpx", "Air": "air", "Land": "land", "Sea": "sea", "Amphibious": "amphibious",
         "Cyber": "cyber", "Warfighting": "warfighting", "Peacekeeping": "peacekeeping",
         "Humanitarian": "humanitarian"}
REGION = {"lon_west": 60.0, "lon_east": -140.0, "lat_south": -50.0, "lat_north": 56.0}
RELEASE = "MME v7"
SOURCE = ("Multinational Military Exercises (MME) dataset, version 7, Harvard Dataverse, "
          "doi:10.7910/DVN/KHFODX")
SOURCE_URL = "https://doi.org/10.7910/DVN/KHFODX"


def read_mme(path: str | os.PathLike) -> pd.DataFrame:
    """The MME file as published, every column as text (Latin-1, or UTF-8), checked for the
    columns the importer reads."""
    import io

    # Latin-1 as Windows writes it (cp1252: byte 0x92 is the curly apostrophe), then strict
    # Latin-1 for the few bytes cp1252 leaves undefined
    text = read_text(path, ("utf-8", "cp1252", "latin-1"),
                     what="the MME dataset CSV (mme_v7.csv)")
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportFormatError(f"{path}: not a readable CSV ({exc}); expected the MME "
                                "dataset") from None
    missing = [c for c in MME_COLUMNS if c not in raw.columns]
    if missing:
        raise ImportFormatError(
            f"{path}: missing column(s) {', '.join(missing)}; expected the MME dataset's "
            f"columns {', '.join(MME_COLUMNS)}, StateB ... StateAM (found: "
            f"{', '.join(raw.columns[:12])}{' ...' if len(raw.columns) > 12 else ''})")
    return raw


def _state_columns(raw: pd.DataFrame) -> list[str]:
    return [c for c in raw.columns if re.fullmatch(r"State[A-Z]{1,2}", c)]


def _codes(raw: pd.DataFrame, path) -> tuple[pd.Series, pd.Series]:
    """Per exercise: the ISO3 codes of its participants, and whether a name stood for no
    identifiable state. Unknown names stop the import with the list."""
    cols = _state_columns(raw)
    names = {v.strip() for c in cols for v in raw[c] if v.strip()}
    unknown = sorted(n for n in names if n not in MME_NAMES and n not in MME_GROUPS)
    if unknown:
        raise ImportFormatError(
            f"{path}: participant name(s) not mapped to a state: {', '.join(unknown)}; add "
            "them to apresearch.importers.mme.MME_NAMES (a state) or MME_GROUPS (a group or "
            "territory) — nothing was imported")
    codes, partial = [], []
    for row in raw[cols].itertuples(index=False):
        got, part = [], False
        for v in row:
            v = v.strip()
            if not v:
                continue
            mapped = MME_GROUPS.get(v, [MME_NAMES.get(v)])
            part |= v in ("NATO", "-9", "Hong Kong SAR China")
            got += [c for c in mapped if c]
        codes.append(sorted(set(got)))
        partial.append(part)
    return pd.Series(codes, index=raw.index), pd.Series(partial, index=raw.index)


def select(raw: pd.DataFrame, codes: pd.Series, regional: set[str]) -> pd.Series:
    """True for the exercises the collection imports (see the module doc)."""
    lat = pd.to_numeric(raw["lat"], errors="coerce")
    lon = pd.to_numeric(raw["lon"], errors="coerce")
    in_box = (((lon >= REGION["lon_west"]) | (lon <= REGION["lon_east"]))
              & (lat >= REGION["lat_south"]) & (lat <= REGION["lat_north"]))
    core = regional - {"USA", "RUS"}
    takes_part = codes.apply(lambda cs: any(c in core for c in cs))
    return in_box.fillna(False) | takes_part


def _date(y, m, d, where) -> tuple[str | None, str | None]:
    """ISO date and precision from MME's year, month, day (``xx`` unknown)."""
    y, m, d = str(y).strip(), str(m).strip(), str(d).strip()
    if not y.isdigit():
        return None, None
    if not m.isdigit():
        return f"{int(y):04d}-01-01", "year"
    if not d.isdigit():
        return f"{int(y):04d}-{int(m):02d}-01", "month"
    try:
        return pd.Timestamp(int(y), int(m), int(d)).date().isoformat(), "day"
    except ValueError:
        raise ImportFormatError(f"{where}: {y}-{m}-{d} is not a valid date") from None


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:40].strip("-") or "unnamed"


def mme_tables(path: str | os.PathLike, actors: pd.DataFrame, *, release: str = RELEASE
               ) -> ImportResult:
    """The selected MME exercises as ``exercises`` rows (origin ``mme``) in
    ``result.table`` and their participants in ``result.facts["participants"]``; every
    participant must be an actor (the names that are not stop the import). An exercise for
    which MME identifies no state at all is left out and listed in
    ``facts["skipped_unidentified"]``."""
    raw = read_mme(path)
    codes, partial = _codes(raw, path)
    regional = set(actors.loc[actors["regional"].astype(bool), "iso3"].astype(str))
    keep = select(raw, codes, regional)
    unidentified = keep & (codes.apply(len) == 0)  # MME names no state (-9 only)
    keep &= ~unidentified
    known = set(actors["iso3"].astype(str))
    missing = sorted({c for cs in codes[keep] for c in cs} - known)
    if missing:
        raise ImportFormatError(
            f"{path}: the selected exercises name state(s) that are not actors: "
            f"{', '.join(missing)}; add them to actors.csv (regional = 0) first — nothing was "
            "imported")
    rows, parts, seen = [], [], {}
    for i in raw.index[keep]:
        r = raw.loc[i]
        line = int(i) + 2
        where = f"{path}, line {line}"
        num = re.sub(r"\D", "", r["MMEID"]) or str(line)
        base = f"mme-{num}-{_slug(r['Ex_Name'] if r['Ex_Name'] not in ('', '-9') else 'unnamed')}"
        seen[base] = seen.get(base, 0) + 1
        eid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if not r["s.year"].strip().isdigit():
            raise ImportFormatError(f"{where}: s.year {r['s.year']!r} is not a year (every "
                                    "exercise needs its start year)")
        start, sp = _date(r["s.year"], r["s.month"], r["s.day"], where)
        end, ep = _date(r["e.year"], r["e.month"], r["e.day"], where)
        if start and end and end < start:
            end, ep = None, None
        lat = pd.to_numeric(r["lat"], errors="coerce")
        lon = pd.to_numeric(r["lon"], errors="coerce")
        notes = []
        if r["FocusDescription"].strip() and r["FocusDescription"].strip() != "-9":
            notes.append(f"MME focus: {r['FocusDescription'].strip()}")
        if r["AdditionalParticipantInfo"].strip() and r["AdditionalParticipantInfo"] != "-9":
            notes.append(f"MME participants note: {r['AdditionalParticipantInfo'].strip()}")
        if partial[i]:
            notes.append("MME names a participant that is no single state (NATO, an "
                         "unidentified state, or Hong Kong): the list is partial.")
        if len(codes[i]) < 2:
            notes.append("MME identifies fewer than two states for this exercise.")
        row = {"exercise_id": eid, "series_id": None,
               "name": None if r["Ex_Name"] in ("", "-9") else r["Ex_Name"].strip(),
               "mme_series": None if r["Series_Name"] in ("", "-9") else r["Series_Name"].strip(),
               "year": int(r["s.year"]), "start": start, "start_precision": sp, "end": end,
               "end_precision": ep,
               "location": None if r["Location"] in ("", "-9") else r["Location"].strip(),
               "lat": None if np.isnan(lat) or np.isnan(lon) else round(float(lat), 5),
               "lon": None if np.isnan(lat) or np.isnan(lon) else round(float(lon), 5),
               "participants_complete": 0 if partial[i] else 1, "origin": "mme",
               "mme_id": r["MMEID"].strip(), "release": release,
               **{v: int(r[k]) if r[k].strip() in ("0", "1") else None
                  for k, v in FLAGS.items()},
               "source": SOURCE, "source_url": SOURCE_URL,
               "notes": " ".join(notes) or None}
        rows.append(row)
        parts += [{"exercise_id": eid, "iso3": c, "role": "participant", "source": SOURCE,
                   "notes": None} for c in codes[i]]
    table = pd.DataFrame(rows)
    return ImportResult(table=table, facts={
        "release": release, "read": len(raw), "selected": int(keep.sum()),
        "skipped_unidentified": sorted(raw.loc[unidentified, "MMEID"]),
        "participants": pd.DataFrame(parts, columns=["exercise_id", "iso3", "role", "source",
                                                     "notes"])})


def _key(text) -> str:
    """A series or exercise name reduced to letters: 'Exercise Cobra Gold 05' -> 'cobragold'."""
    text = re.sub(r"\(.*?\)", " ", str(text or "")).lower()
    text = re.sub(r"\bexercise\b", " ", text)
    return re.sub(r"[^a-z]", "", text)


def _series_keys(series: pd.DataFrame) -> dict[str, str]:
    keys: dict[str, str] = {}
    for r in series.itertuples(index=False):
        for k in {_key(r.name), _key(str(r.series_id).replace("-", " "))}:
            if len(k) >= 5:
                keys.setdefault(k, r.series_id)
        for alt in re.findall(r"\((.*?)\)", str(r.name)):  # spellings in brackets
            for part in alt.split(";"):
                k = _key(part.replace("also rendered", ""))
                if len(k) >= 5 and not part.strip().lower().startswith(("china", "sco ")):
                    keys.setdefault(k, r.series_id)
    return keys


def link_series(mme: pd.DataFrame, parts: pd.DataFrame, series: pd.DataFrame) -> pd.Series:
    """The collection's series of each MME exercise, where MME's series or exercise name is
    one of the series' names (letters only), the year lies in the series' span and the
    series' lead takes part; NA otherwise."""
    keys = _series_keys(series)
    span = series.set_index("series_id")
    who = parts.groupby("exercise_id")["iso3"].apply(set)
    out = []
    for r in mme.itertuples(index=False):
        found = None
        for cand in (_key(r.mme_series), _key(r.name)):
            if not cand:
                continue
            hit = next((sid for k, sid in sorted(keys.items(), key=lambda kv: -len(kv[0]))
                        if cand == k or cand.startswith(k)), None)
            if hit:
                found = hit
                break
        if found is not None:
            s = span.loc[found]
            first, last = s["first_year"], s["last_year"]
            lead = s["lead"]
            ok = (pd.isna(first) or int(first) <= r.year) and (pd.isna(last) or r.year <= int(last))
            ok &= pd.isna(lead) or lead in who.get(r.exercise_id, set())
            found = found if ok else None
        out.append(found)
    return pd.Series(out, index=mme.index, dtype="object")


def jaccard(a: set, b: set) -> float:
    """|a & b| / |a | b| (1.0 for two empty sets)."""
    return len(a & b) / len(a | b) if a | b else 1.0


def match_curated(mme: pd.DataFrame, parts: pd.DataFrame, exercises: pd.DataFrame,
                  participants: pd.DataFrame) -> pd.DataFrame:
    """Curated editions that are the same event as an MME exercise: same series and year,
    paired greedily by participant overlap. Columns exercise_id, mme_exercise_id, mme_id,
    jaccard, curated_only, mme_only, start_curated, start_mme."""
    taking = participants[participants["role"].isin(["host", "participant"])]
    cur_who = taking.groupby("exercise_id")["iso3"].apply(set)
    mme_who = parts.groupby("exercise_id")["iso3"].apply(set)
    cur = exercises[exercises["series_id"].notna()]
    cands = []
    for m in mme[mme["series_id"].notna()].itertuples(index=False):
        same = cur[(cur["series_id"] == m.series_id) & (cur["year"] == m.year)]
        for e in same.itertuples(index=False):
            j = jaccard(cur_who.get(e.exercise_id, set()), mme_who.get(m.exercise_id, set()))
            cands.append((j, e.exercise_id, m.exercise_id, m.mme_id))
    rows, used_c, used_m = [], set(), set()
    for j, cid, mid, mme_id in sorted(cands, key=lambda t: (-t[0], t[1], t[2])):
        if cid in used_c or mid in used_m:
            continue
        used_c.add(cid)
        used_m.add(mid)
        a, b = cur_who.get(cid, set()), mme_who.get(mid, set())
        start_c = exercises.loc[exercises["exercise_id"] == cid, "start"].iloc[0]
        start_m = mme.loc[mme["exercise_id"] == mid, "start"].iloc[0]
        rows.append({"exercise_id": cid, "mme_exercise_id": mid, "mme_id": mme_id,
                     "jaccard": j, "curated_only": sorted(a - b), "mme_only": sorted(b - a),
                     "start_curated": start_c, "start_mme": start_m})
    return pd.DataFrame(rows, columns=["exercise_id", "mme_exercise_id", "mme_id", "jaccard",
                                       "curated_only", "mme_only", "start_curated",
                                       "start_mme"])


EXERCISE_COLUMNS = ["exercise_id", "series_id", "name", "year", "start", "start_precision",
                    "end", "end_precision", "location", "lat", "lon", "participants_complete",
                    "origin", "mme_id", "mme_differences", *FLAGS.values(), "release",
                    "source", "source_url", "notes"]


def _differences(m: dict) -> str | None:
    out = []
    if m["mme_only"]:
        out.append("MME also lists " + ", ".join(m["mme_only"]))
    if m["curated_only"]:
        out.append("MME does not list " + ", ".join(m["curated_only"]))
    sc, sm = m["start_curated"], m["start_mme"]
    if pd.notna(sc) and pd.notna(sm) and abs((pd.Timestamp(sc) - pd.Timestamp(sm)).days) > 7:
        out.append(f"MME dates the start {pd.Timestamp(sm).date()}")
    return "; ".join(out) or None


def import_mme(path: str | os.PathLike, exercises: pd.DataFrame, participants: pd.DataFrame,
               series: pd.DataFrame, actors: pd.DataFrame, *, release: str = RELEASE
               ) -> ImportResult:
    """New ``exercises`` and ``exercise_participants`` tables: the curated editions, each that
    MME also records carrying its MME identifier (and, in ``mme_differences``, where the two
    disagree), and every other selected MME exercise as a row of its own (origin ``mme``).
    Rows of an earlier MME import are replaced. ``result.facts`` counts what happened."""
    result = mme_tables(path, actors, release=release)
    mme, parts = result.table, result.facts.pop("participants")
    old_mme = set(exercises.loc[exercises.get("origin", pd.Series(dtype=str)) == "mme",
                                "exercise_id"]) if "origin" in exercises else set()
    cur = exercises[~exercises["exercise_id"].isin(old_mme)].copy()
    cur_parts = participants[~participants["exercise_id"].isin(old_mme)]
    mme["series_id"] = link_series(mme, parts, series)
    matches = match_curated(mme, parts, cur, cur_parts)
    for col in EXERCISE_COLUMNS:
        if col not in cur:
            cur[col] = None
    cur["origin"] = cur["origin"].fillna("curated")
    cur.loc[cur["origin"] == "curated", ["mme_id", "mme_differences"]] = None
    by = matches.set_index("exercise_id")
    hit = cur["exercise_id"].isin(by.index)
    cur.loc[hit, "mme_id"] = cur.loc[hit, "exercise_id"].map(by["mme_id"])
    cur.loc[hit, "mme_differences"] = cur.loc[hit, "exercise_id"].map(
        {cid: _differences(m) for cid, m in by.to_dict("index").items()})
    rest = mme[~mme["exercise_id"].isin(set(matches["mme_exercise_id"]))]
    new = pd.concat([cur[EXERCISE_COLUMNS], rest.reindex(columns=EXERCISE_COLUMNS)],
                    ignore_index=True)
    new_parts = pd.concat([cur_parts, parts[parts["exercise_id"].isin(set(rest["exercise_id"]))]],
                          ignore_index=True)
    new = new.sort_values(["year", "exercise_id"]).reset_index(drop=True)
    new_parts = new_parts.sort_values(["exercise_id", "iso3"]).reset_index(drop=True)
    result.facts.update(matched=len(matches), imported=len(rest),
                        mean_jaccard=float(matches["jaccard"].mean()) if len(matches) else None,
                        linked=int(rest["series_id"].notna().sum()))
    result.table = new
    result.facts["participants"] = new_parts
    return result
