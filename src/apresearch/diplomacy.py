"""Defence diplomacy: dialogues, visits, port calls, hotlines, confidence-building measures,
and the suspensions and resumptions of military channels.

Definitions used throughout:

* An engagement **involves** a state if the state is ``actor_a`` or ``actor_b``. A **dyad**
  is unordered: (USA, CHN) and (CHN, USA) are the same pair.
* **Channel status** of a dyad is derived from its ``suspension`` and ``resumption`` events
  only: channels count as ``open`` from the start of the table's coverage until the first
  recorded suspension, ``suspended`` from a suspension until the next resumption, and so on.
  Before the coverage starts the status is NA (not known), never ``open``.

Functions take the engagements table as an argument; where omitted it comes from
:mod:`apresearch.data`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import data as _data

__all__ = [
    "KINDS",
    "coverage",
    "involving",
    "dyad_events",
    "counts_by_kind",
    "channel_timeline",
    "channel_status",
    "actor_summary",
]

KINDS: tuple[str, ...] = ("dialogue", "visit", "port_call", "hotline", "cbm", "suspension",
                          "resumption")
COVERAGE_START = pd.Timestamp("2000-01-01")


def _engagements(engagements):
    return _data.load("engagements") if engagements is None else engagements


def coverage(engagements: pd.DataFrame | None = None) -> tuple[int, int]:
    """First and last year with an engagement in the table."""
    e = _engagements(engagements)
    if e.empty:
        raise ValueError("The engagements table is empty: no years are covered.")
    return int(e["date"].min().year), int(e["date"].max().year)


def _in_period(e: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    years = e["date"].dt.year
    return e[(years >= start) & (years <= end)]


def involving(iso3: str, start: int, end: int,
              engagements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Engagements in ``start..end`` that involve ``iso3``, with a ``partner`` column (the
    other state; NA for a multilateral appearance)."""
    e = _in_period(_engagements(engagements), start, end)
    e = e[(e["actor_a"] == iso3) | (e["actor_b"] == iso3)].copy()
    e["partner"] = e["actor_b"].where(e["actor_a"] == iso3, e["actor_a"])
    return e.sort_values(["date", "engagement_id"]).reset_index(drop=True)


def dyad_events(a: str, b: str, engagements: pd.DataFrame | None = None,
                kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Every engagement of the unordered pair (a, b), by date; optionally of some kinds."""
    e = _engagements(engagements)
    mask = ((e["actor_a"] == a) & (e["actor_b"] == b)) | ((e["actor_a"] == b) & (e["actor_b"] == a))
    out = e[mask]
    if kinds is not None:
        out = out[out["kind"].isin(list(kinds))]
    return out.sort_values(["date", "engagement_id"]).reset_index(drop=True)


def counts_by_kind(start: int, end: int, engagements: pd.DataFrame | None = None, *,
                   iso3: str | None = None) -> pd.DataFrame:
    """Engagements per year (rows, every year of the period) and kind (columns).

    With ``iso3``, only engagements that involve that state. A 0 is a true zero within the
    table's coverage; years outside it are NA.
    """
    e = _engagements(engagements)
    first, last = coverage(e)
    sub = _in_period(e, start, end) if iso3 is None else involving(iso3, start, end, e)
    table = pd.crosstab(sub["date"].dt.year, sub["kind"])
    years = pd.Index(range(start, end + 1), name="year")
    table = table.reindex(index=years, columns=list(KINDS), fill_value=0).astype("Int64")
    table.loc[(table.index < first) | (table.index > last), :] = pd.NA
    table.columns.name = None
    return table


def channel_timeline(a: str, b: str, engagements: pd.DataFrame | None = None,
                     *, until: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Spells of channel status for the pair: start, end, status ('open' or 'suspended'),
    and the engagement_id that opened the spell (NA for the first, assumed-open spell).

    The last spell ends at ``until`` (default: the last date in the engagements table).
    """
    e = _engagements(engagements)
    until = pd.Timestamp(until) if until is not None else e["date"].max()
    events = dyad_events(a, b, e, kinds=("suspension", "resumption"))
    rows, status, since, cause = [], "open", COVERAGE_START, pd.NA
    for ev in events.itertuples(index=False):
        new = "suspended" if ev.kind == "suspension" else "open"
        if new == status:  # a second suspension while suspended changes nothing
            continue
        rows.append({"start": since, "end": ev.date, "status": status, "event": cause})
        status, since, cause = new, ev.date, ev.engagement_id
    rows.append({"start": since, "end": max(until, since), "status": status, "event": cause})
    out = pd.DataFrame(rows, columns=["start", "end", "status", "event"])
    out["days"] = (out["end"] - out["start"]).dt.days
    return out


def channel_status(a: str, b: str, years: Sequence[int] | range,
                   engagements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year by year: status on 31 December, and days suspended that year.

    Years before the coverage start (2000) are NA in both columns.
    """
    e = _engagements(engagements)
    years = list(years)
    if not years:
        return pd.DataFrame(columns=["year", "status", "days_suspended"])
    until = max(pd.Timestamp(max(years), 12, 31), e["date"].max())
    spells = channel_timeline(a, b, e, until=until)
    rows = []
    for y in years:
        y0, y1 = pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
        if y1 < COVERAGE_START:
            rows.append({"year": y, "status": pd.NA, "days_suspended": pd.NA})
            continue
        at_end = spells[(spells["start"] <= y1)].iloc[-1]["status"]
        sus = spells[spells["status"] == "suspended"]
        lo = sus["start"].clip(lower=y0)
        hi = sus["end"].clip(upper=y1 + pd.Timedelta(days=1))
        days = int((hi - lo).dt.days.clip(lower=0).sum())
        rows.append({"year": y, "status": at_end, "days_suspended": days})
    out = pd.DataFrame(rows)
    return out.astype({"status": "string", "days_suspended": "Int64"})


def actor_summary(start: int, end: int, engagements: pd.DataFrame | None = None, *,
                  actors: Sequence[str] = ("USA", "CHN")) -> pd.DataFrame:
    """Side-by-side counts for some actors in ``start..end``: engagements by kind and the
    number of distinct partner states."""
    e = _engagements(engagements)
    rows = []
    for iso3 in actors:
        sub = involving(iso3, start, end, e)
        row = {"iso3": iso3, **{k: int((sub["kind"] == k).sum()) for k in KINDS}}
        row["partners"] = int(sub["partner"].dropna().nunique())
        row["total"] = len(sub)
        rows.append(row)
    return pd.DataFrame(rows).set_index("iso3")
