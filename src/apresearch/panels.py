"""State-year and dyad-year panels: the collection's tables joined unit by unit, the way
researchers model relations (as peacesciencer does for R users).

Definitions used throughout:

* The **universe** is every actor in every year of ``start..end``; a dyad is a pair of two
  different actors. Undirected panels hold each pair once (iso3_a < iso3_b); directed panels
  hold both orders. Neither holds duplicates.
* **Coverage**: each column comes from one table and is NA in the years outside that table's
  declared coverage (``apresearch.data.coverage``): never 0. Inside it, 0 is a true zero for
  the table's scope (e.g. no recorded incident).
* Alliance columns use the in-force rule of :mod:`apresearch.alliances` (a tie counts in every
  year it existed for at least one day); the obligation flags are the maxima over the
  agreements the pair shares; ``agreements`` counts them (forums included).
* ``shared_exercises``: editions both took part in (host or participant). ``engagements``:
  dyadic engagements of either direction. ``channel``: status of military channels on 31
  December (``apresearch.diplomacy``). ``incidents`` / ``intensity``: incidents between the two
  and the sum of their severities, either direction in undirected panels, from a to b in
  directed ones. ``milex_ratio`` and ``cinc_ratio``: a's over b's. ``distance_km``:
  great-circle distance between capitals.

Built on dense year x state x state arrays, so a system of 200 states over 200 years is a
few seconds, not a loop over dyads. ``iso3_a``, ``iso3_b`` and ``channel`` are categoricals
(ordered alphabetically for the codes) so that millions of rows share a few hundred labels;
``.astype(str)`` turns them into plain strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import data as _data
from .alliances import OBLIGATIONS

__all__ = ["dyad_years", "state_years", "capital_distances"]

_NEEDED = ("actors", "agreements", "agreement_members", "exercises", "exercise_participants",
           "engagements", "incidents", "milex", "capabilities")
_COVERAGE_OF = {"alliance": "agreements", "exercise": "exercises", "engagement": "engagements",
                "incident": "incidents", "milex": "milex", "cinc": "capabilities"}


def _tables(tables: dict | None) -> dict:
    tables = dict(tables or {})
    missing = [n for n in _NEEDED if n not in tables]
    if missing:
        loaded = _data.load_all()
        for n in missing:
            tables[n] = loaded[n]
    return tables


def _coverage(coverage: dict | None, start: int, end: int) -> dict[str, tuple[int, int]]:
    out = {}
    for key, table in _COVERAGE_OF.items():
        if coverage and key in coverage:
            out[key] = coverage[key]
        else:
            try:
                out[key] = _data.coverage(table)
            except KeyError:
                out[key] = (start, end)
    return out


def capital_distances(actors: pd.DataFrame) -> np.ndarray:
    """Great-circle distance (km) between every pair of capitals, in the frame's order."""
    lat = np.radians(actors["lat"].to_numpy(float))
    lon = np.radians(actors["lon"].to_numpy(float))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _span_years(first: pd.Series, last: pd.Series, start: int, end: int) -> tuple[np.ndarray, ...]:
    """Expand [first, last] year spans (clipped to start..end) into (row, year) pairs."""
    lo = np.maximum(first.to_numpy(int), start)
    hi = np.minimum(last.to_numpy(int), end)
    n = np.clip(hi - lo + 1, 0, None)
    rows = np.repeat(np.arange(len(lo)), n)
    offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return rows, lo[rows] + offsets


def _alliance_arrays(t, idx, start, end, years, n):
    ag, mem = t["agreements"], t["agreement_members"]
    first_ag = ag["signed"].dt.year
    last_ag = ag["ended"].dt.year.fillna(end).astype(int)
    ag_span = pd.DataFrame({"agreement_id": ag["agreement_id"], "ag_first": first_ag,
                            "ag_last": last_ag,
                            **{o: ag[o].fillna(0).astype(int) for o in OBLIGATIONS}})
    m = mem.merge(ag_span, on="agreement_id", how="inner")
    m = m[m["iso3"].isin(idx.index)]
    first = np.maximum(m["joined"].dt.year.to_numpy(int), m["ag_first"].to_numpy(int))
    last = np.minimum(m["left"].dt.year.fillna(end).astype(int).to_numpy(),
                      m["ag_last"].to_numpy(int))
    rows, yrs = _span_years(pd.Series(first), pd.Series(last), start, end)
    ex = pd.DataFrame({"agreement_id": m["agreement_id"].to_numpy()[rows], "year": yrs,
                       "s": idx.loc[m["iso3"]].to_numpy()[rows]})
    for o in OBLIGATIONS:
        ex[o] = m[o].to_numpy()[rows]
    pairs = ex.merge(ex[["agreement_id", "year", "s"]], on=["agreement_id", "year"],
                     suffixes=("", "_b"))
    pairs = pairs[pairs["s"] != pairs["s_b"]].drop_duplicates(
        ["agreement_id", "year", "s", "s_b"])
    y = pairs["year"].to_numpy() - start
    a, b = pairs["s"].to_numpy(), pairs["s_b"].to_numpy()
    count = np.zeros((years, n, n), np.float32)
    np.add.at(count, (y, a, b), 1)
    flags = {}
    for o in OBLIGATIONS:
        arr = np.zeros((years, n, n), np.float32)
        np.maximum.at(arr, (y, a, b), pairs[o].to_numpy(float))
        flags[o] = arr
    return count, flags


def _exercise_array(t, idx, start, end, years, n):
    p = t["exercise_participants"]
    p = p[p["role"].isin(["host", "participant"]) & p["iso3"].isin(idx.index)]
    p = p.merge(t["exercises"][["exercise_id", "year"]], on="exercise_id")
    p = p[p["year"].between(start, end)]
    pairs = p[["exercise_id", "iso3", "year"]].merge(p[["exercise_id", "iso3"]],
                                                      on="exercise_id", suffixes=("", "_b"))
    pairs = pairs[pairs["iso3"] != pairs["iso3_b"]]
    arr = np.zeros((years, n, n), np.float32)
    np.add.at(arr, (pairs["year"].to_numpy(int) - start, idx.loc[pairs["iso3"]].to_numpy(),
                    idx.loc[pairs["iso3_b"]].to_numpy()), 1)
    return arr


def _engagement_arrays(t, idx, start, end, years, n, span):
    from .diplomacy import channel_status

    e = t["engagements"]
    e = e[e["actor_b"].notna() & e["actor_a"].isin(idx.index) & e["actor_b"].isin(idx.index)]
    e = e[e["date"].dt.year.between(start, end)]
    y = e["date"].dt.year.to_numpy(int) - start
    a, b = idx.loc[e["actor_a"]].to_numpy(), idx.loc[e["actor_b"]].to_numpy()
    count = np.zeros((years, n, n), np.float32)
    np.add.at(count, (y, a, b), 1)
    count = count + count.transpose(0, 2, 1)
    suspended = np.zeros((years, n, n), bool)
    events = e[e["kind"].isin(["suspension", "resumption"])]
    pairs = {tuple(sorted(p)) for p in zip(events["actor_a"], events["actor_b"], strict=True)}
    lo, hi = max(start, span[0]), min(end, span[1])
    for pa, pb in sorted(pairs):  # a handful of dyads ever suspend channels
        st = channel_status(pa, pb, range(lo, hi + 1), t["engagements"])
        sus = (st["status"] == "suspended").fillna(False).to_numpy(bool)
        yi = st["year"].to_numpy(int) - start
        suspended[yi, idx[pa], idx[pb]] = sus
        suspended[yi, idx[pb], idx[pa]] = sus
    return count, suspended


def _incident_arrays(t, idx, start, end, years, n):
    inc = t["incidents"]
    inc = inc[inc["target"].notna() & inc["initiator"].isin(idx.index)
              & inc["target"].isin(idx.index) & inc["date"].dt.year.between(start, end)]
    y = inc["date"].dt.year.to_numpy(int) - start
    a, b = idx.loc[inc["initiator"]].to_numpy(), idx.loc[inc["target"]].to_numpy()
    count = np.zeros((years, n, n), np.float32)
    sev = np.zeros((years, n, n), np.float32)
    np.add.at(count, (y, a, b), 1)
    np.add.at(sev, (y, a, b), inc["severity"].to_numpy(float))
    return count, sev


def _state_values(table, column, idx, start, end, years, n):
    arr = np.full((years, n), np.nan)
    t = table[table["iso3"].isin(idx.index) & table["year"].between(start, end)]
    arr[t["year"].to_numpy(int) - start, idx.loc[t["iso3"]].to_numpy()] = \
        t[column].to_numpy(float)
    return arr


def _mask_years(arr, span, start, years):
    """Set the years outside a table's coverage to NA."""
    yrs = np.arange(start, start + years)
    outside = (yrs < span[0]) | (yrs > span[1])
    arr[outside] = np.nan
    return arr


def dyad_years(start: int, end: int, tables: dict | None = None, *, directed: bool = False,
               countries: Sequence[str] | None = None, coverage: dict | None = None
               ) -> pd.DataFrame:
    """One row per dyad and year of ``start..end`` (see the module doc for every column)."""
    if end < start:
        raise ValueError(f"start={start} is after end={end}")
    t = _tables(tables)
    actors = t["actors"]
    if countries is not None:
        actors = actors[actors["iso3"].isin(list(countries))]
    actors = actors.sort_values("iso3").reset_index(drop=True)
    codes = actors["iso3"].astype(str).to_numpy()
    idx = pd.Series(np.arange(len(codes)), index=codes)
    n, years = len(codes), end - start + 1
    cov = _coverage(coverage, start, end)

    count, flags = _alliance_arrays(t, idx, start, end, years, n)
    shared = _exercise_array(t, idx, start, end, years, n)
    eng, suspended = _engagement_arrays(t, idx, start, end, years, n, cov["engagement"])
    inc, sev = _incident_arrays(t, idx, start, end, years, n)
    if not directed:  # incidents either way
        inc, sev = inc + inc.transpose(0, 2, 1), sev + sev.transpose(0, 2, 1)
    milex = _state_values(t["milex"], "constant_usd_m", idx, start, end, years, n)
    cinc = _state_values(t["capabilities"], "cinc", idx, start, end, years, n)
    dist = capital_distances(actors)

    ai, bi = np.nonzero(~np.eye(n, dtype=bool)) if directed else np.triu_indices(n, 1)
    k = len(ai)
    yr = np.repeat(np.arange(years, dtype=np.int32), k)
    a = np.tile(ai.astype(np.int32), years)
    b = np.tile(bi.astype(np.int32), years)
    # codes as categoricals: millions of rows share a few hundred labels
    out = {"year": (yr + start).astype(np.int32),
           "iso3_a": pd.Categorical.from_codes(a, categories=codes, ordered=True),
           "iso3_b": pd.Categorical.from_codes(b, categories=codes, ordered=True)}
    for o in OBLIGATIONS:
        out[o] = _mask_years(flags[o], cov["alliance"], start, years)[yr, a, b]
    out["agreements"] = _mask_years(count, cov["alliance"], start, years)[yr, a, b]
    out["shared_exercises"] = _mask_years(shared, cov["exercise"], start, years)[yr, a, b]
    out["engagements"] = _mask_years(eng, cov["engagement"], start, years)[yr, a, b]
    channel = suspended[yr, a, b].astype(np.int8)  # 0 open, 1 suspended, -1 not known
    yrs_all = yr + start
    channel[(yrs_all < cov["engagement"][0]) | (yrs_all > cov["engagement"][1])] = -1
    out["channel"] = pd.Categorical.from_codes(channel, categories=["open", "suspended"])
    out["incidents"] = _mask_years(inc, cov["incident"], start, years)[yr, a, b]
    out["intensity"] = _mask_years(sev, cov["incident"], start, years)[yr, a, b]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = milex[yr, a] / milex[yr, b]
        out["milex_ratio"] = np.where(np.isfinite(ratio), ratio, np.nan)
        ratio = cinc[yr, a] / cinc[yr, b]
        out["cinc_ratio"] = np.where(np.isfinite(ratio), ratio, np.nan)
    out["distance_km"] = dist[a, b]
    ints = [*OBLIGATIONS, "agreements", "shared_exercises", "engagements", "incidents",
            "intensity"]
    for col in ints:  # nullable integers: counts and flags, NA outside coverage
        out[col] = pd.array(out[col], dtype="Float64").astype("Int64")
    return pd.DataFrame(out)


def state_years(start: int, end: int, tables: dict | None = None, *,
                countries: Sequence[str] | None = None, coverage: dict | None = None
                ) -> pd.DataFrame:
    """One row per actor and year: defence allies and agreement partners, exercise editions and
    partners, engagements, incidents initiated and suffered, spending, burden and CINC.

    Dyadic counts are summed from :func:`dyad_years`, so the two panels agree; NA outside each
    table's coverage, as there.
    """
    d = dyad_years(start, end, tables, directed=True, countries=countries, coverage=coverage)
    g = d.groupby(["iso3_a", "year"], sort=True)
    out = pd.DataFrame({
        "defence_allies": g["defense"].sum(min_count=1),
        "agreement_partners": g["agreements"].agg(lambda s: (s > 0).sum(min_count=1)),
        "exercise_partners": g["shared_exercises"].agg(lambda s: (s > 0).sum(min_count=1)),
        "engagements": g["engagements"].sum(min_count=1),
        "incidents_initiated": g["incidents"].sum(min_count=1),
    }).reset_index().rename(columns={"iso3_a": "iso3"})
    targeted = d.groupby(["iso3_b", "year"])["incidents"].sum(min_count=1)
    targeted.index.names = ["iso3", "year"]
    out = out.merge(targeted.rename("incidents_targeted").reset_index(), on=["iso3", "year"])
    t = _tables(tables)
    ex = t["exercise_participants"].merge(t["exercises"][["exercise_id", "year"]],
                                          on="exercise_id")
    ex = ex[ex["role"].isin(["host", "participant"])].groupby(["iso3", "year"]).size()
    out["exercise_editions"] = out.set_index(["iso3", "year"]).index.map(ex).fillna(0)
    cov = _coverage(coverage, start, end)
    outside = (out["year"] < cov["exercise"][0]) | (out["year"] > cov["exercise"][1])
    out.loc[outside, "exercise_editions"] = np.nan
    m = t["milex"][["iso3", "year", "constant_usd_m", "share_gdp_pct"]]
    c = t["capabilities"][["iso3", "year", "cinc"]]
    out = out.merge(m, on=["iso3", "year"], how="left").merge(c, on=["iso3", "year"],
                                                              how="left")
    counts = ["defence_allies", "agreement_partners", "exercise_partners", "engagements",
              "incidents_initiated", "incidents_targeted", "exercise_editions"]
    out[counts] = out[counts].astype("Float64").round().astype("Int64")
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)
