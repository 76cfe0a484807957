"""State-year and dyad-year panels: the collection's tables joined unit by unit, the way
researchers model relations (as peacesciencer does for R users).

Definitions used throughout:

* The **universe** follows a state system (:mod:`apresearch.systems`): ``system="cow"`` (the
  default), ``"gw"`` or ``"all"`` (every actor in every year). A state-year exists only while
  the state is a member; a dyad-year only while both are. ``ccode_a`` / ``ccode_b`` (and
  ``ccode`` in state-years) give the system's code in that year, which may change over
  time (Germany: COW 260 to 1990, 255 after). Undirected panels hold each pair once
  (iso3_a < iso3_b); directed panels hold both orders. Neither holds duplicates.
* **Coverage**: each column comes from one table and is NA in the years outside that table's
  declared coverage (``Collection.coverage``), never 0. Inside it, 0 is a true zero for the
  table's scope (e.g. no recorded incident).
* Alliance columns use the in-force rule of :mod:`apresearch.alliances` (a tie counts in every
  year it existed for at least one day); the obligation flags are the maxima over the
  agreements the pair shares; ``agreements`` counts them (forums included). With
  ``portfolio="atop"`` the five flags come from the imported ATOP dyad-years instead (to
  2018, ATOP's coverage) and ``agreements`` is left out.
* ``shared_exercises``: editions both took part in (host or participant). ``engagements``:
  engagements both took part in (a multilateral meeting counts for every pair of its
  participants). ``channel``: status of military channels on 31 December
  (``apresearch.diplomacy``). ``incidents`` / ``intensity``: incidents between the two and
  the sum of their severities, either direction in undirected panels, from a to b in
  directed ones. ``milex_ratio`` and ``cinc_ratio``: a's over b's. ``distance_km``:
  great-circle distance between capitals.

Built on dense year x state x state arrays, so a system of 200 states over 200 years is a
few seconds, not a loop over dyads. ``iso3_a``, ``iso3_b`` and ``channel`` are categoricals
(ordered alphabetically for the codes) so that millions of rows share a few hundred labels;
``.astype(str)`` turns them into plain strings. Every function takes the collection as
``data`` (see :mod:`apresearch.store`); the panel's system and unit are recorded in
``df.attrs`` (``system``, ``unit``, ``portfolio``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .alliances import OBLIGATIONS, member_years
from .diplomacy import channel_status, participants
from .diplomacy import pairs as engagement_pairs
from .exercises import pairs as exercise_pairs
from .params import ParameterError, check_choice, check_members
from .store import Collection, resolve
from .systems import SYSTEMS, membership_matrix
from .usage import record

__all__ = ["PORTFOLIOS", "dyad_years", "state_years", "capital_distances"]

PORTFOLIOS = ("agreements", "atop")
ATOP_FLAGS = {"defense": "defense", "offense": "offense", "neutrality": "neutrality",
              "nonaggression": "nonaggression", "consultation": "consultation"}


def capital_distances(actors: pd.DataFrame) -> np.ndarray:
    """Great-circle distance (km) between every pair of capitals, in the frame's order."""
    lat = np.radians(actors["lat"].to_numpy(float))
    lon = np.radians(actors["lon"].to_numpy(float))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _pair_index(frame: pd.DataFrame, idx: pd.Series, start: int, a: str = "iso3_a",
                b: str = "iso3_b") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    keep = frame[a].isin(idx.index) & frame[b].isin(idx.index)
    f = frame[keep]
    return (f["year"].to_numpy(int) - start, idx.loc[f[a]].to_numpy(),
            idx.loc[f[b]].to_numpy())


def _tally(shape: tuple[int, int, int], y, a, b, weights=None) -> np.ndarray:
    """Sum of ``weights`` (1 each when None) at each (year, a, b) cell: ``np.add.at`` by one
    ``bincount`` of the flat cell numbers."""
    cells = np.ravel_multi_index((y, a, b), shape)
    size = shape[0] * shape[1] * shape[2]
    return np.bincount(cells, weights=weights, minlength=size).reshape(shape)


def _alliance_arrays(c: Collection, idx, start, end, years, n, portfolio):
    shape = (years, n, n)
    if portfolio == "atop":  # pledges only; no count of agreements
        count = np.zeros(shape, np.float32)
        flags = {o: np.zeros(shape, np.float32) for o in OBLIGATIONS}
        t = c.view("atop_dyads")
        t = t[t["year"].between(start, end)]
        y, a, b = _pair_index(t, idx, start)
        keep = t["iso3_a"].isin(idx.index) & t["iso3_b"].isin(idx.index)
        for o in OBLIGATIONS:
            flags[o][y, a, b] = t.loc[keep, ATOP_FLAGS[o]].to_numpy(float)
    else:
        m = member_years(range(start, end + 1), data=c)
        pairs = m.merge(m[["agreement_id", "year", "iso3"]], on=["agreement_id", "year"],
                        suffixes=("_a", "_b"))
        pairs = pairs[pairs["iso3_a"] != pairs["iso3_b"]]
        y, a, b = _pair_index(pairs, idx, start)
        keep = pairs["iso3_a"].isin(idx.index) & pairs["iso3_b"].isin(idx.index)
        count = _tally(shape, y, a, b)
        # flags are 0/1: the maximum is whether any is 1
        flags = {o: (_tally(shape, y, a, b, pairs.loc[keep, o].to_numpy(float)) > 0).astype(
            np.uint8) for o in OBLIGATIONS}
    for arr in (count, *flags.values()):
        arr += arr.transpose(0, 2, 1) * (arr == 0)  # symmetric
    return count, flags


def _exercise_array(c, idx, start, end, years, n):
    pr = exercise_pairs(start, end, data=c)
    y, a, b = _pair_index(pr, idx, start)
    arr = _tally((years, n, n), y, a, b)
    return arr + arr.transpose(0, 2, 1)


def _engagement_arrays(c, idx, start, end, years, n, span):
    pr = engagement_pairs(data=c)
    pr = pr[pr["year"].between(start, end)]
    y, a, b = _pair_index(pr, idx, start)
    count = _tally((years, n, n), y, a, b)
    count = count + count.transpose(0, 2, 1)
    suspended = np.zeros((years, n, n), bool)
    events = pr[pr["kind"].isin(["suspension", "resumption"])]
    lo, hi = max(start, span[0]), min(end, span[1])
    for pa, pb in sorted(set(zip(events["iso3_a"], events["iso3_b"], strict=True))):
        if pa not in idx.index or pb not in idx.index or lo > hi:
            continue
        st = channel_status(pa, pb, range(lo, hi + 1), data=c)
        sus = (st["status"] == "suspended").fillna(False).to_numpy(bool)
        yi = st["year"].to_numpy(int) - start
        suspended[yi, idx[pa], idx[pb]] = sus
        suspended[yi, idx[pb], idx[pa]] = sus
    return count, suspended


def _incident_arrays(c, idx, start, end, years, n):
    inc = c.view("incidents")
    inc = inc[inc["target"].notna() & inc["initiator"].isin(idx.index)
              & inc["target"].isin(idx.index) & inc["date"].dt.year.between(start, end)]
    y = inc["date"].dt.year.to_numpy(int) - start
    a, b = idx.loc[inc["initiator"]].to_numpy(), idx.loc[inc["target"]].to_numpy()
    count = _tally((years, n, n), y, a, b)
    sev = _tally((years, n, n), y, a, b, inc["severity"].to_numpy(float))
    return count, sev


def _state_values(table, column, idx, start, end, years, n):
    arr = np.full((years, n), np.nan)
    t = table[table["iso3"].isin(idx.index) & table["year"].between(start, end)]
    arr[t["year"].to_numpy(int) - start, idx.loc[t["iso3"]].to_numpy()] = \
        t[column].to_numpy(float)
    return arr


def _universe(c: Collection, countries, start, end, system):
    check_choice(system, SYSTEMS, name="system")
    if end < start:
        raise ParameterError(f"start={start} is after end={end}")
    actors = c.view("actors")
    if countries is not None:
        countries = check_members(countries, sorted(actors["iso3"].astype(str)),
                                  name="countries")
        actors = actors[actors["iso3"].isin(countries)]
    actors = actors.sort_values("iso3").reset_index(drop=True)
    codes = actors["iso3"].astype(str).to_numpy()
    member, ccode = membership_matrix(codes, start, end, system, data=c)
    return actors, codes, member, ccode


def _nullable(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers (counts, flags, codes) as Int64, NA where ``missing``."""
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64, copy=False),
                                  missing)


def dyad_years(start: int, end: int, *, directed: bool = False,
               countries: Sequence[str] | None = None, system: str = "cow",
               portfolio: str = "agreements", data=None) -> pd.DataFrame:
    """One row per dyad and year of ``start..end`` in which both states are members of
    ``system`` (see the module doc for every column)."""
    record("method:peacesciencer")
    c = resolve(data)
    check_choice(portfolio, PORTFOLIOS, name="portfolio")
    actors, codes, member, ccode = _universe(c, countries, start, end, system)
    idx = pd.Series(np.arange(len(codes)), index=codes)
    n, years = len(codes), end - start + 1
    cov = {"alliance": c.coverage("atop_dyads" if portfolio == "atop" else "agreements"),
           "exercise": c.coverage("exercises"), "engagement": c.coverage("engagements"),
           "incident": c.coverage("incidents")}

    count, flags = _alliance_arrays(c, idx, start, end, years, n, portfolio)
    shared = _exercise_array(c, idx, start, end, years, n)
    eng, suspended = _engagement_arrays(c, idx, start, end, years, n, cov["engagement"])
    inc, sev = _incident_arrays(c, idx, start, end, years, n)
    if not directed:  # incidents either way
        inc, sev = inc + inc.transpose(0, 2, 1), sev + sev.transpose(0, 2, 1)
    milex = _state_values(c.view("milex"), "constant_usd_m", idx, start, end, years, n)
    cinc = _state_values(c.view("capabilities"), "cinc", idx, start, end, years, n)
    dist = capital_distances(actors)

    pair = member[:, :, None] & member[:, None, :]
    pair &= (~np.eye(n, dtype=bool))[None] if directed else np.triu(np.ones((n, n), bool), 1)
    cell = np.flatnonzero(pair)  # year-major, then a, then b: the rows' order
    yr, a, b = np.unravel_index(cell, pair.shape)
    yrs = (yr + start).astype(np.int32)
    out = {"year": yrs,
           "iso3_a": pd.Categorical.from_codes(a, categories=codes, ordered=True),
           "iso3_b": pd.Categorical.from_codes(b, categories=codes, ordered=True),
           "ccode_a": _nullable(ccode[yr, a], ccode[yr, a] < 0),
           "ccode_b": _nullable(ccode[yr, b], ccode[yr, b] < 0)}
    outside = {}

    def masked(arr, span):
        """A count or flag per row: a nullable integer, NA outside ``span``."""
        if span not in outside:
            outside[span] = (yrs < span[0]) | (yrs > span[1])
        return _nullable(arr.reshape(-1)[cell], outside[span])

    for o in OBLIGATIONS:
        out[o] = masked(flags[o], cov["alliance"])
    if portfolio == "agreements":
        out["agreements"] = masked(count, cov["alliance"])
    out["shared_exercises"] = masked(shared, cov["exercise"])
    out["engagements"] = masked(eng, cov["engagement"])
    channel = suspended.reshape(-1)[cell].astype(np.int8)  # 0 open, 1 suspended, -1 unknown
    channel[(yrs < cov["engagement"][0]) | (yrs > cov["engagement"][1])] = -1
    out["channel"] = pd.Categorical.from_codes(channel, categories=["open", "suspended"])
    out["incidents"] = masked(inc, cov["incident"])
    out["intensity"] = masked(sev, cov["incident"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = milex[yr, a] / milex[yr, b]
        out["milex_ratio"] = np.where(np.isfinite(ratio), ratio, np.nan)
        ratio = cinc[yr, a] / cinc[yr, b]
        out["cinc_ratio"] = np.where(np.isfinite(ratio), ratio, np.nan)
    out["distance_km"] = dist[a, b]
    df = pd.DataFrame(out, copy=False)  # every column was built here, for this frame
    df.attrs.update(system=system, unit="directed dyad-year" if directed else "dyad-year",
                    portfolio=portfolio)
    return df


def state_years(start: int, end: int, *, countries: Sequence[str] | None = None,
                system: str = "cow", data=None) -> pd.DataFrame:
    """One row per member state and year: defence allies and agreement partners, exercise
    editions and partners, engagements, incidents initiated and suffered, spending, burden
    and CINC.

    Dyadic counts are summed from :func:`dyad_years` (directed), so the two panels agree;
    NA outside each table's coverage, as there.
    """
    c = resolve(data)
    actors, codes, member, ccode = _universe(c, countries, start, end, system)
    yi, ai = np.nonzero(member)
    base = pd.DataFrame({"iso3": codes[ai], "year": yi + start,
                         "ccode": pd.array(np.where(ccode[yi, ai] < 0, np.nan, ccode[yi, ai]),
                                           dtype="Float64").astype("Int64")})
    d = dyad_years(start, end, directed=True, countries=countries, system=system, data=c)
    d = d.astype({"iso3_a": str, "iso3_b": str})
    g = d.groupby(["iso3_a", "year"], sort=True)
    dyadic = pd.DataFrame({
        "defence_allies": g["defense"].sum(min_count=1),
        "agreement_partners": g["agreements"].agg(lambda s: (s > 0).sum(min_count=1)),
        "exercise_partners": g["shared_exercises"].agg(lambda s: (s > 0).sum(min_count=1)),
        "incidents_initiated": g["incidents"].sum(min_count=1),
    })
    dyadic.index.names = ["iso3", "year"]
    targeted = d.groupby(["iso3_b", "year"])["incidents"].sum(min_count=1)
    targeted.index.names = ["iso3", "year"]
    out = base.merge(dyadic.reset_index(), on=["iso3", "year"], how="left")
    out = out.merge(targeted.rename("incidents_targeted").reset_index(), on=["iso3", "year"],
                    how="left")
    # a state with no other member in the system still has its own counts (0 in coverage)
    ex = c.view("exercise_participants").merge(c.view("exercises")[["exercise_id", "year"]],
                                               on="exercise_id")
    ex = ex[ex["role"].isin(["host", "participant"])].groupby(["iso3", "year"]).size()
    key = pd.MultiIndex.from_frame(out[["iso3", "year"]])
    out["exercise_editions"] = ex.reindex(key, fill_value=0).to_numpy()
    eng = participants(data=c).groupby(["iso3", "year"]).size()
    out["engagements"] = eng.reindex(key, fill_value=0).to_numpy()
    for col, table in (("exercise_editions", "exercises"), ("engagements", "engagements")):
        first, last = c.coverage(table)
        out[col] = out[col].astype("Float64")
        out.loc[(out["year"] < first) | (out["year"] > last), col] = pd.NA
    counts = ["defence_allies", "agreement_partners", "exercise_partners",
              "incidents_initiated", "incidents_targeted"]
    for col, table in zip(counts, ["agreements", "agreements", "exercises", "incidents",
                                   "incidents"], strict=True):
        first, last = c.coverage(table)
        inside = (out["year"] >= first) & (out["year"] <= last)
        out[col] = out[col].astype("Float64")
        out.loc[inside & out[col].isna(), col] = 0  # no other member that year
        out.loc[~inside, col] = pd.NA
    m = c.view("milex")[["iso3", "year", "constant_usd_m", "share_gdp_pct"]]
    cap = c.view("capabilities")[["iso3", "year", "cinc"]]
    out = out.merge(m, on=["iso3", "year"], how="left").merge(cap, on=["iso3", "year"],
                                                              how="left")
    ints = [*counts, "exercise_editions", "engagements"]
    out[ints] = out[ints].astype("Float64").round().astype("Int64")
    cols = ["iso3", "year", "ccode", "defence_allies", "agreement_partners",
            "exercise_partners", "exercise_editions", "engagements", "incidents_initiated",
            "incidents_targeted", "constant_usd_m", "share_gdp_pct", "cinc"]
    out = out[cols].sort_values(["iso3", "year"]).reset_index(drop=True)
    out.attrs.update(system=system, unit="state-year")
    return out
