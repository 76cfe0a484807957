"""Tensions: incidents by theatre, their intensity, escalation episodes, the most tense dyads,
and whether incidents change around other events.

Definitions used throughout:

* **Intensity** of a set of incidents is the sum of their severities (1-5, rubric in
  data/README.md); **count** is their number.
* An **escalation episode** is a run of incidents in one theatre in which each incident
  starts within ``gap_days`` (default 30) of the latest end so far (``end_date``, else
  ``date``) of the run; runs with fewer than ``min_incidents`` (default 3) are not episodes.
* The **tension** of a dyad is the intensity of the incidents between the two, in either
  direction; incidents without a target (e.g. nuclear tests) belong to no dyad.

Counts per period are NA outside the incidents table's declared coverage and true zeros
inside it. All functions are vectorised (no per-incident Python loops) and take the
collection as ``data`` (see :mod:`apresearch.store`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .groups import sorted_unique
from .params import ParameterError, check_choice, check_members
from .store import resolve

__all__ = ["milestones", "top_dyads_by_decade",
    "THEATRES",
    "select",
    "intensity",
    "rolling_index",
    "escalation_episodes",
    "tension_matrix",
    "top_dyads",
    "mark_rivals",
    "event_study",
]

THEATRES: tuple[str, ...] = ("South China Sea", "East China Sea", "Taiwan Strait",
                             "Korean Peninsula", "Sino-Indian Border", "Indo-Pakistani",
                             "Mainland Southeast Asia", "Other")
_FREQ = {"year": "Y", "quarter": "Q", "month": "M"}


def _theatres(theatre) -> list[str]:
    """The theatres selected: every one for ``None`` or ``"all"``, else those named."""
    if theatre is None or theatre == "all":
        return list(THEATRES)
    if isinstance(theatre, str):
        check_choice(theatre, ("all", *THEATRES), name="theatre")
        return [theatre]
    return check_members(theatre, THEATRES, name="theatre")


def _frame(data) -> tuple[pd.DataFrame, tuple[int, int]]:
    """The collection's incidents table and its declared coverage."""
    c = resolve(data)
    return c.view("incidents"), c.coverage("incidents")


def select(start: int, end: int, *, theatre: str | Sequence[str] | None = None,
           data=None) -> pd.DataFrame:
    """Incidents dated in ``start..end`` (years, inclusive), of one theatre, several, or all
    (``None`` or ``"all"``)."""
    inc, _ = _frame(data)
    return _select(inc, start, end, theatre)


def _select(inc: pd.DataFrame, start: int, end: int, theatre, *,
            ordered: bool = True) -> pd.DataFrame:
    years = inc["date"].dt.year
    out = inc[(years >= start) & (years <= end)]
    if theatre is not None and theatre != "all":
        out = out[out["theatre"].isin(_theatres(theatre))]
    if not ordered:  # for counting, order does not matter
        return out
    return out.sort_values(["date", "incident_id"]).reset_index(drop=True)


def intensity(start: int, end: int, *, freq: str = "year",
              theatre: str | Sequence[str] | None = None, data=None) -> pd.DataFrame:
    """Count and intensity per period and theatre: period, theatre, count, intensity.

    Every period of ``start..end`` and every selected theatre appears: a 0 is a true zero
    within the table's declared coverage; periods outside it are NA.
    """
    check_choice(freq, tuple(_FREQ), name="freq")
    inc, (first, last) = _frame(data)
    theatres = _theatres(theatre)
    sub = _select(inc, start, end, theatre, ordered=False)[["date", "theatre", "severity"]]
    periods = pd.period_range(f"{start}-01-01", f"{end}-12-31", freq=_FREQ[freq])
    grid = pd.MultiIndex.from_product([periods, theatres], names=["period", "theatre"])
    grouped = sub.assign(period=sub["date"].dt.to_period(_FREQ[freq])).groupby(
        ["period", "theatre"])["severity"].agg(["count", "sum"])
    out = grouped.reindex(grid, fill_value=0).rename(columns={"sum": "intensity"})
    out = out.astype("Int64").reset_index()
    yrs = out["period"].dt.year
    out.loc[(yrs < first) | (yrs > last), ["count", "intensity"]] = pd.NA
    return out


def rolling_index(table: pd.DataFrame, window: int = 3, *, value: str = "intensity"
                  ) -> pd.DataFrame:
    """Add ``rolling``: the mean of ``value`` over the last ``window`` periods of each theatre
    (NA until ``window`` periods are known)."""
    if window < 1:
        raise ParameterError(f"window={window} is not valid; give a whole number >= 1")
    out = table.sort_values(["theatre", "period"]).copy()
    vals = out[value].astype("Float64")
    out["rolling"] = vals.groupby(out["theatre"]).transform(
        lambda s: s.rolling(window, min_periods=window).mean())
    return out.sort_values(["period", "theatre"]).reset_index(drop=True)


def _ordered(x: pd.Series, y: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Element-wise (min, max) of two code columns, so a dyad reads the same either way."""
    x, y = x.astype("string"), y.astype("string").fillna("")
    first = (x <= y).fillna(True)
    return x.where(first, y), y.where(first, x)


def escalation_episodes(*, gap_days: int = 30, min_incidents: int = 3,
                        theatre: str | Sequence[str] | None = None, data=None) -> pd.DataFrame:
    """Episodes of incidents clustered in time, theatre by theatre (rule in the module doc).

    Columns: theatre, episode (1, 2, ... per theatre), start, end, incidents, max_severity,
    intensity, dyads (sorted 'A-B' strings), incident_ids.
    """
    if gap_days < 0 or min_incidents < 1:
        raise ParameterError(f"gap_days={gap_days} and min_incidents={min_incidents}: give "
                             "gap_days >= 0 and min_incidents >= 1")
    inc, _ = _frame(data)
    if theatre is not None and theatre != "all":
        inc = inc[inc["theatre"].isin(_theatres(theatre))]
    cols = ["theatre", "episode", "start", "end", "incidents", "max_severity", "intensity",
            "dyads", "incident_ids"]
    if inc.empty:
        return pd.DataFrame(columns=cols)
    d = inc.sort_values(["theatre", "date", "incident_id"]).copy()
    d["stop"] = d["end_date"].fillna(d["date"])
    # latest end so far within the theatre, up to the previous incident
    prev_stop = d.groupby("theatre")["stop"].cummax().groupby(d["theatre"]).shift()
    new = prev_stop.isna() | ((d["date"] - prev_stop).dt.days > gap_days)
    d["run"] = new.groupby(d["theatre"]).cumsum()
    lo, hi = _ordered(d["initiator"], d["target"])
    d["dyad"] = (lo + "-" + hi).where(d["target"].notna())
    d["incident_id"] = d["incident_id"].astype(object)
    g = d.groupby(["theatre", "run"], sort=True)
    out = g.agg(start=("date", "min"), end=("stop", "max"), incidents=("incident_id", "size"),
                max_severity=("severity", "max"), intensity=("severity", "sum"),
                incident_ids=("incident_id", list))
    out["dyads"] = sorted_unique(d, ["theatre", "run"], "dyad", out.index)
    out = out.reset_index()
    out = out[out["incidents"] >= min_incidents].copy()
    out["episode"] = out.groupby("theatre").cumcount() + 1
    return out[cols].sort_values(["start", "theatre"]).reset_index(drop=True)


def tension_matrix(start: int, end: int, *, theatre: str | Sequence[str] | None = None,
                   weight: str = "severity", directed: bool = False,
                   data=None) -> pd.DataFrame:
    """Square matrix of tension between states (rows and columns: iso3).

    ``weight='severity'`` sums severities; ``'count'`` counts incidents. Undirected by
    default (symmetric); with ``directed=True`` rows are initiators and columns targets.
    """
    check_choice(weight, ("severity", "count"), name="weight")
    sub = select(start, end, theatre=theatre, data=data).dropna(subset=["target"])
    w = sub["severity"].astype(float) if weight == "severity" else pd.Series(1.0, sub.index)
    m = pd.crosstab(sub["initiator"], sub["target"], values=w, aggfunc="sum").fillna(0.0)
    states = sorted(set(m.index) | set(m.columns))
    m = m.reindex(index=states, columns=states, fill_value=0.0)
    if not directed:
        m = m + m.T
    m.index.name, m.columns.name = "iso3", None
    return m


def top_dyads(start: int, end: int, *, n: int = 10,
              theatre: str | Sequence[str] | None = None, data=None) -> pd.DataFrame:
    """The ``n`` most tense dyads: iso3_a < iso3_b, incidents, intensity, max_severity;
    sorted by intensity, then incidents (both descending), then the codes."""
    sub = select(start, end, theatre=theatre, data=data).dropna(subset=["target"])
    a, b = _ordered(sub["initiator"], sub["target"])
    out = sub.assign(iso3_a=a, iso3_b=b).groupby(["iso3_a", "iso3_b"]).agg(
        incidents=("incident_id", "size"), intensity=("severity", "sum"),
        max_severity=("severity", "max")).reset_index()
    return out.sort_values(["intensity", "incidents", "iso3_a", "iso3_b"],
                           ascending=[False, False, True, True]).head(n).reset_index(drop=True)


def mark_rivals(dyads: pd.DataFrame, start: int, end: int, *, data=None) -> pd.DataFrame:
    """Add ``rivals``: True where the pair (iso3_a < iso3_b) had a strategic rivalry active
    in some year of ``start..end`` (an empty end year means ongoing)."""
    r = resolve(data).view("rivalries")
    active = r[(r["start_year"] <= end) & (r["end_year"].isna() | (r["end_year"] >= start))]
    keys = pd.MultiIndex.from_frame(active[["iso3_a", "iso3_b"]].astype(str))
    mine = pd.MultiIndex.from_frame(dyads[["iso3_a", "iso3_b"]].astype(str))
    return dyads.assign(rivals=mine.isin(keys))


def _window_counts(times: np.ndarray, events: np.ndarray, days: int) -> tuple[np.ndarray, ...]:
    """Incidents in [t - days, t) and (t, t + days] for each event time t (day numbers)."""
    lo = np.searchsorted(times, events - days, side="left")
    mid_left = np.searchsorted(times, events, side="left")
    mid_right = np.searchsorted(times, events, side="right")
    hi = np.searchsorted(times, events + days, side="right")
    return mid_left - lo, hi - mid_right


def event_study(event_dates: Sequence | pd.Series, *, window_days: int = 90,
                n_permutations: int = 1000, seed: int = 0,
                theatre: str | Sequence[str] | None = None,
                span: tuple[pd.Timestamp | str, pd.Timestamp | str] | None = None,
                data=None) -> tuple[pd.DataFrame, dict]:
    """Incidents in the ``window_days`` before and after each event, against a permutation
    baseline.

    For each event date t: ``before`` counts incidents dated in [t - w, t), ``after`` those in
    (t, t + w]. The statistic is the mean of after - before over the events. The baseline
    draws as many dates uniformly from ``span`` (default: the incidents table's declared
    coverage, less one window at each end), ``n_permutations`` times, with a fixed ``seed``.
    Events outside ``span`` are left out (their windows would reach outside the coverage).

    Returns (per-event frame: date, before, after, change; summary dict: events,
    events_outside_span, window_days, mean_change, baseline_mean, baseline_sd (over the
    permutation statistics), p_lower (share of baseline statistics <= the observed, with the
    usual +1 correction: small when incidents drop after events more than by chance), p_upper
    (share >= the observed: small when they rise after events more than by chance),
    p_two_sided (share at least as far from the baseline mean)).
    A summary with fewer than 2 events has NA statistics.
    """
    if isinstance(window_days, bool) or not isinstance(window_days, (int, np.integer)) \
            or window_days < 1:
        raise ParameterError(f"window_days={window_days!r} is not valid; give a whole number "
                             ">= 1")
    if n_permutations < 1:
        raise ParameterError(f"n_permutations={n_permutations!r} is not valid; give a whole "
                             "number >= 1")
    inc, cov = _frame(data)
    if theatre not in (None, "all"):
        inc = inc[inc["theatre"].isin(_theatres(theatre))]
    times = np.sort(inc["date"].to_numpy("datetime64[D]").astype(np.int64))
    if span is None:
        lo = np.datetime64(f"{cov[0]}-01-01").astype(np.int64) + window_days
        hi = np.datetime64(f"{cov[1]}-12-31").astype(np.int64) - window_days
    else:
        lo, hi = (pd.Timestamp(x).to_datetime64().astype("datetime64[D]").astype(np.int64)
                  for x in span)
    events = pd.to_datetime(pd.Series(event_dates)).dropna().sort_values()
    ev = events.to_numpy("datetime64[D]").astype(np.int64)
    keep = (ev >= lo) & (ev <= hi)
    outside = int((~keep).sum())
    events, ev = events[keep], ev[keep]
    before, after = _window_counts(times, ev, window_days)
    per_event = pd.DataFrame({"date": events.to_numpy(), "before": before, "after": after,
                              "change": after - before})
    summary: dict = {"events": int(len(ev)), "events_outside_span": outside,
                     "window_days": int(window_days), "mean_change": np.nan,
                     "baseline_mean": np.nan, "baseline_sd": np.nan, "p_lower": np.nan,
                     "p_upper": np.nan, "p_two_sided": np.nan}
    if len(ev) < 2 or hi <= lo:
        return per_event, summary
    observed = float((after - before).mean())
    rng = np.random.default_rng(seed)
    draws = rng.integers(lo, hi + 1, size=(n_permutations, len(ev)))
    b, a = _window_counts(times, draws.ravel(), window_days)
    stats = (a - b).reshape(n_permutations, len(ev)).mean(axis=1)
    centre = stats.mean()
    summary.update({
        "mean_change": observed,
        "baseline_mean": float(centre),
        "baseline_sd": float(stats.std(ddof=1)),
        "p_lower": float((np.sum(stats <= observed) + 1) / (n_permutations + 1)),
        "p_upper": float((np.sum(stats >= observed) + 1) / (n_permutations + 1)),
        "p_two_sided": float((np.sum(np.abs(stats - centre) >= abs(observed - centre)) + 1)
                             / (n_permutations + 1)),
    })
    return per_event, summary


def milestones(start: int, end: int, *, theatre: str | Sequence[str] | None = None,
               data=None) -> pd.DataFrame:
    """Rulings, ADIZ declarations, ceasefires, moratoria, militant attacks and declarations
    dated in ``start..end`` (of the selected theatres), by date: they are shown beside the
    incidents, never counted as incidents."""
    ms = resolve(data).view("milestones")
    years = ms["date"].dt.year
    out = ms[(years >= start) & (years <= end)]
    if theatre is not None and theatre != "all":
        out = out[out["theatre"].isin(_theatres(theatre))]
    return out.sort_values(["date", "milestone_id"]).reset_index(drop=True)


def top_dyads_by_decade(start: int, end: int, *, n: int = 5,
                        theatre: str | Sequence[str] | None = None,
                        data=None) -> pd.DataFrame:
    """The ``n`` most tense dyads of each decade of ``start..end``: decade, rank, iso3_a,
    iso3_b, incidents, intensity, max_severity (ranked as :func:`top_dyads`)."""
    frames = []
    for decade in range(start // 10 * 10, end + 1, 10):
        lo, hi = max(start, decade), min(end, decade + 9)
        t = top_dyads(lo, hi, n=n, theatre=theatre, data=data)
        frames.append(t.assign(decade=decade, rank=range(1, len(t) + 1)))
    cols = ["decade", "rank", "iso3_a", "iso3_b", "incidents", "intensity", "max_severity"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]
