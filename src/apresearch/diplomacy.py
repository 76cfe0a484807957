"""Defence diplomacy: dialogues, visits, calls, port calls, hotlines, confidence-building
measures, and the suspensions and resumptions of military channels.

Definitions used throughout:

* An engagement is **one event with its participants** (two or more states; one for a state's
  appearance at a forum). It **involves** each of its participants. Its **pairs** are every
  unordered pair of participants: a ministerial meeting of ten states is one event and 45
  pairs that met (:func:`pairs`, the one place this is computed).
* **Channel status** of a pair is derived from the suspensions and resumptions among them,
  on one channel: the pair's general channel, ``military-to-military exchanges``, where the
  table records events on it, else every channel recorded for the pair (or the ``channel``
  asked for). A suspension of one mechanism only (China's 2018 postponement of the
  US-China Joint Staff Dialogue Mechanism) is recorded but does not change the status of a
  pair whose general channel stays open. The status is ``open`` from the start of the
  engagements table's declared coverage — or ``suspended``, if a suspension recorded before
  the coverage starts had not been lifted (the US measures after Tiananmen, 1989) — until
  the next recorded suspension or resumption, and so on. Before the coverage starts the
  status is NA (not known), never ``open``.
* Counts per year are NA outside the table's declared coverage and true zeros inside it.

Every function takes the collection as ``data`` (see :mod:`apresearch.store`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .store import resolve

__all__ = ["intensity", "partners_by_region", "LEVEL_WEIGHTS",
    "ENGAGEMENT_KINDS",
    "LEVELS",
    "participants",
    "pairs",
    "involving",
    "dyad_events",
    "counts_by_kind",
    "channel_timeline",
    "channel_status",
    "actor_summary",
]

ENGAGEMENT_KINDS: tuple[str, ...] = ("dialogue", "visit", "call", "port_call", "hotline", "cbm",
                                     "suspension", "resumption")
LEVELS: tuple[str, ...] = ("leaders", "ministerial", "chiefs", "senior_officials", "working",
                           "naval")
GENERAL_CHANNEL = "military-to-military exchanges"


def participants(*, data=None) -> pd.DataFrame:
    """One row per (engagement, participant): engagement_id, iso3, date, year, kind, level,
    channel, forum_id, initiator (cached per collection)."""
    c = resolve(data)
    key = "diplomacy.participants"
    def compute():
        e = c.view("engagements")
        codes = e["participants"].astype(str).str.split(";")
        long = e[["engagement_id", "date", "kind", "level", "channel", "forum_id",
                  "initiator"]].assign(iso3=codes).explode("iso3")
        long = long[long["iso3"].astype(str).str.len() > 0]
        long["year"] = long["date"].dt.year.astype(int)
        return long.reset_index(drop=True)
    return c.memo(key, compute)


def pairs(*, data=None) -> pd.DataFrame:
    """One row per engagement and unordered pair of its participants: engagement_id, date,
    year, kind, level, channel, iso3_a < iso3_b (cached per collection)."""
    c = resolve(data)
    key = "diplomacy.pairs"
    def compute():
        p = participants(data=c)
        both = p[["engagement_id", "date", "year", "kind", "level", "channel", "iso3"]].merge(
            p[["engagement_id", "iso3"]], on="engagement_id", suffixes=("_a", "_b"))
        both = both[both["iso3_a"] < both["iso3_b"]]
        return both.reset_index(drop=True)
    return c.memo(key, compute)


def _years(c, start: int, end: int, table: pd.DataFrame) -> pd.DataFrame:
    """Reindex a year-indexed table to start..end: NA outside coverage, 0 inside."""
    years = pd.Index(range(start, end + 1), name="year")
    table = table.reindex(index=years, fill_value=0).astype("Int64")
    first, last = c.coverage("engagements")
    table.loc[(table.index < first) | (table.index > last), :] = pd.NA
    table.columns.name = None
    return table


def involving(iso3: str, start: int, end: int, *, data=None) -> pd.DataFrame:
    """Engagements in ``start..end`` that involve ``iso3``, with ``partners`` (the other
    participants, ';'-separated; empty for a forum appearance) and ``partner`` (the other
    state of a two-state event, else NA)."""
    c = resolve(data)
    e = c.view("engagements")
    years = e["date"].dt.year
    codes = e["participants"].astype(str).str.split(";")
    mine = codes.apply(lambda cs: iso3 in cs) & (years >= start) & (years <= end)
    out = e[mine].copy()
    others = codes[mine].apply(lambda cs: [x for x in cs if x != iso3])
    out["partners"] = others.apply(";".join)
    out["partner"] = others.apply(lambda o: o[0] if len(o) == 1 else pd.NA)
    return out.sort_values(["date", "engagement_id"]).reset_index(drop=True)


def dyad_events(a: str, b: str, *, kinds: Sequence[str] | None = None,
                data=None) -> pd.DataFrame:
    """Every engagement in which both ``a`` and ``b`` took part, by date; optionally of some
    kinds."""
    c = resolve(data)
    lo, hi = sorted((a, b))
    pr = pairs(data=c)
    ids = pr.loc[(pr["iso3_a"] == lo) & (pr["iso3_b"] == hi), "engagement_id"]
    e = c.view("engagements")
    out = e[e["engagement_id"].isin(set(ids))]
    if kinds is not None:
        out = out[out["kind"].isin(list(kinds))]
    return out.sort_values(["date", "engagement_id"]).reset_index(drop=True)


def counts_by_kind(start: int, end: int, *, iso3: str | None = None,
                   data=None) -> pd.DataFrame:
    """Engagements per year (rows, every year of the period) and kind (columns); with
    ``iso3``, only those that involve that state. NA outside the table's coverage."""
    c = resolve(data)
    if iso3 is None:
        e = c.view("engagements")
        sub = pd.DataFrame({"year": e["date"].dt.year, "kind": e["kind"]})
    else:
        p = participants(data=c)
        sub = p[p["iso3"] == iso3][["year", "kind"]]
    sub = sub[(sub["year"] >= start) & (sub["year"] <= end)]
    table = pd.crosstab(sub["year"], sub["kind"]).reindex(columns=list(ENGAGEMENT_KINDS),
                                                          fill_value=0)
    return _years(c, start, end, table)


def _channel_events(a: str, b: str, channel: str | None, c) -> pd.DataFrame:
    events = dyad_events(a, b, kinds=("suspension", "resumption"), data=c)
    if channel is None and (events["channel"] == GENERAL_CHANNEL).any():
        channel = GENERAL_CHANNEL
    if channel is not None:
        events = events[events["channel"] == channel]
    return events


def channel_timeline(a: str, b: str, *, until: pd.Timestamp | str | None = None,
                     channel: str | None = None, data=None) -> pd.DataFrame:
    """Spells of channel status for the pair (see the module doc for which channel): start,
    end, status ('open' or 'suspended'), event (the engagement_id that opened the spell; NA
    for the first spell unless a suspension before the coverage set it), days. The first
    spell starts on 1 January of the table's first covered year; the last ends at ``until``
    (default: the last date in the engagements table)."""
    c = resolve(data)
    e = c.view("engagements")
    start = pd.Timestamp(c.coverage("engagements")[0], 1, 1)
    until = pd.Timestamp(until) if until is not None else e["date"].max()
    events = _channel_events(a, b, channel, c)
    events = events[events["date"] <= until]  # the timeline stops at ``until``
    status, cause = "open", pd.NA
    for ev in events[events["date"] < start].itertuples(index=False):
        status = "suspended" if ev.kind == "suspension" else "open"
        cause = ev.engagement_id
    rows, since = [], start
    for ev in events[events["date"] >= start].itertuples(index=False):
        new = "suspended" if ev.kind == "suspension" else "open"
        if new == status:  # a second suspension while suspended changes nothing
            continue
        rows.append({"start": since, "end": ev.date, "status": status, "event": cause})
        status, since, cause = new, ev.date, ev.engagement_id
    rows.append({"start": since, "end": max(until, since), "status": status, "event": cause})
    out = pd.DataFrame(rows, columns=["start", "end", "status", "event"])
    out = out[out["end"] > out["start"]].reset_index(drop=True) if len(out) > 1 else out
    out["days"] = (out["end"] - out["start"]).dt.days
    return out


def channel_status(a: str, b: str, years: Sequence[int] | range, *,
                   channel: str | None = None, data=None) -> pd.DataFrame:
    """Year by year: status on 31 December, and days suspended that year. Years outside
    the engagements table's declared coverage are NA in both columns."""
    c = resolve(data)
    years = list(years)
    if not years:
        return pd.DataFrame({"year": pd.Series([], dtype=int),
                             "status": pd.Series([], dtype="string"),
                             "days_suspended": pd.Series([], dtype="Int64")})
    e = c.view("engagements")
    first, last = c.coverage("engagements")
    until = max(pd.Timestamp(max(years), 12, 31), e["date"].max())
    spells = channel_timeline(a, b, until=until, channel=channel, data=c)
    sus = spells[spells["status"] == "suspended"]
    yrs = np.asarray(years, dtype=int)
    covered = (yrs >= first) & (yrs <= last)
    # 1 January of each year and of the next, as days; a spell's end is exclusive
    y0 = pd.to_datetime({"year": yrs, "month": 1, "day": 1}).to_numpy("datetime64[D]")
    y1 = pd.to_datetime({"year": yrs + 1, "month": 1, "day": 1}).to_numpy("datetime64[D]")
    starts = spells["start"].to_numpy("datetime64[D]")
    at_end = spells["status"].to_numpy(object)[np.searchsorted(starts, y1 - 1,
                                                                 side="right") - 1]
    lo = np.maximum(sus["start"].to_numpy("datetime64[D]")[None, :], y0[:, None])
    hi = np.minimum(sus["end"].to_numpy("datetime64[D]")[None, :], y1[:, None])
    days = np.clip((hi - lo).astype(int), 0, None).sum(axis=1)
    return pd.DataFrame({
        "year": yrs,
        "status": pd.array(np.where(covered, at_end, None), dtype="string"),
        "days_suspended": pd.array(np.where(covered, days, None), dtype="Int64")})


def actor_summary(start: int, end: int, *, actors: Sequence[str] = ("USA", "CHN"),
                  data=None) -> pd.DataFrame:
    """Side-by-side counts for some actors in ``start..end``: engagements by kind, the number
    of distinct partner states, and the total (index: iso3)."""
    c = resolve(data)
    p = participants(data=c)
    p = p[(p["year"] >= start) & (p["year"] <= end)]
    pr = pairs(data=c)
    pr = pr[(pr["year"] >= start) & (pr["year"] <= end)]
    rows = []
    for iso3 in actors:
        sub = p[p["iso3"] == iso3]
        row = {"iso3": iso3, **{k: int((sub["kind"] == k).sum()) for k in ENGAGEMENT_KINDS}}
        mine = pr[(pr["iso3_a"] == iso3) | (pr["iso3_b"] == iso3)]
        row["partners"] = len((set(mine["iso3_a"]) | set(mine["iso3_b"])) - {iso3})
        row["total"] = len(sub)
        rows.append(row)
    return pd.DataFrame(rows).set_index("iso3")


LEVEL_WEIGHTS: dict[str, float] = {"leaders": 4.0, "ministerial": 3.0, "chiefs": 3.0,
                                   "senior_officials": 2.0, "working": 1.0, "naval": 1.0}
"""Weight of an engagement in the intensity index, by its highest level."""
INTENSITY_KINDS: tuple[str, ...] = ("dialogue", "visit", "call", "port_call", "hotline",
                                    "cbm", "resumption")


def intensity(start: int, end: int, *, weights: dict[str, float] | None = None,
              data=None) -> pd.DataFrame:
    """The **intensity of military diplomacy** per dyad and year: the sum, over the
    engagements both states took part in that year, of the weight of each engagement's level
    (:data:`LEVEL_WEIGHTS`: leaders 4, ministers and chiefs 3, senior officials 2, working
    level and naval visits 1). Dialogues, visits, calls, port calls, hotlines, CBMs and
    resumptions count; suspensions do not. Columns iso3_a < iso3_b, year, engagements,
    intensity; pairs without an engagement in a covered year have 0 and are not listed."""
    w = dict(LEVEL_WEIGHTS if weights is None else weights)
    unknown = [k for k in w if k not in LEVELS]
    if unknown:
        from .params import ParameterError

        raise ParameterError(f"weights has unknown level(s) {unknown}; valid: "
                             + ", ".join(LEVELS))
    c = resolve(data)
    first, last = c.coverage("engagements")
    pr = pairs(data=c)
    pr = pr[pr["year"].between(max(start, first), min(end, last))
            & pr["kind"].isin(INTENSITY_KINDS)]
    pr = pr.assign(weight=pr["level"].map(w).astype("Float64").fillna(0.0).astype(float))
    out = pr.groupby(["iso3_a", "iso3_b", "year"], as_index=False).agg(
        engagements=("engagement_id", "nunique"), intensity=("weight", "sum"))
    return out.sort_values(["year", "intensity", "iso3_a", "iso3_b"],
                           ascending=[True, False, True, True]).reset_index(drop=True)


def partners_by_region(iso3: str, start: int, end: int, *, data=None) -> pd.DataFrame:
    """Engagements of ``iso3`` with partners of each subregion, per decade (rows: decade,
    columns: subregion; an engagement with several partners counts once per partner)."""
    c = resolve(data)
    attrs = c.actor_attributes()
    pr = pairs(data=c)
    pr = pr[pr["year"].between(start, end)
            & ((pr["iso3_a"] == iso3) | (pr["iso3_b"] == iso3))]
    partner = pr["iso3_b"].where(pr["iso3_a"] == iso3, pr["iso3_a"])
    region = partner.map(lambda p: attrs.get(p, {}).get("subregion", "unknown"))
    decade = (pr["year"] // 10 * 10).rename("decade")
    table = pd.crosstab(decade, region)
    table.columns.name = None
    return table
