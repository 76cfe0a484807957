"""Time and peak memory of the tensions analysis on 1,000,000 synthetic incidents, beside the
pandas groupby a user would otherwise write.

    python benchmarks/tensions.py [--rows N] [--runs 3]

Target: ``apr.tensions.intensity`` by year and theatre under 5 s on this machine (2 cores).

The incidents are a ``Collection.from_frames`` table typed as the shipped one (the
descriptor's columns and types: random dates 2000-2025, theatres, parties, severities,
one in ten lasting 1-30 days), with coverage 2000-2025; it tests speed, not findings.
``escalation_episodes`` (default rule, ``gap_days=30``) is timed twice: on these incidents,
where a million incidents over 26 years leave no quiet month, so every theatre is one long
run (8 episodes); and on the same incidents redated into bursts of 1-14 days separated by
quiet spells of 62-150 days (several hundred episodes), where the cost per episode shows.

Time is the median of ``--runs`` untraced runs, wall with the process's CPU time beside it
(on a shared machine the steadier figure); peak memory is that of one more run under
``tracemalloc`` (the Python-visible allocations of the call: numpy and pandas buffers
included).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

import apresearch as apr

FIRST, LAST = 2000, 2025


def _burst_days(rng, theatre: np.ndarray, span: int) -> np.ndarray:
    """Day numbers in bursts of 1-14 days, quiet spells of 62-150 days between them, drawn
    theatre by theatre."""
    days = np.empty(len(theatre), np.int64)
    for t in np.unique(theatre):
        quiet = rng.integers(62, 151, span // 60)
        length = rng.integers(1, 15, span // 60)
        starts = np.cumsum(quiet + length) - length
        keep = starts + length <= span - 31  # a burst's incidents end inside the span
        starts, length = starts[keep], length[keep]
        mine = np.flatnonzero(theatre == t)
        k = rng.integers(0, len(starts), len(mine))
        days[mine] = starts[k] + rng.integers(0, length[k])
    return days


def synthetic(n: int, seed: int = 0, bursts: bool = False) -> apr.Collection:
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(f"{FIRST}-01-01")
    span = (pd.Timestamp(f"{LAST}-12-31") - t0).days + 1
    theatre = rng.choice(apr.tensions.THEATRES, n)
    days = _burst_days(rng, theatre, span) if bursts else rng.integers(0, span, n)
    date = t0 + pd.to_timedelta(days, unit="D")
    lasting = rng.random(n) < 0.1
    end = pd.Series(date + pd.to_timedelta(rng.integers(1, 31, n), unit="D")).where(lasting)
    end = end.where(end <= pd.Timestamp(f"{LAST}-12-31"))
    states = np.array(["CHN", "PHL", "VNM", "JPN", "KOR", "PRK", "USA", "IND", "TWN", "PAK"])
    a = rng.integers(0, len(states), n)
    b = (a + rng.integers(1, len(states), n)) % len(states)
    target = pd.array(states[b], dtype="string")
    target[rng.random(n) < 0.02] = pd.NA  # tests without a target
    severity = rng.integers(1, 6, n)
    inc = pd.DataFrame({
        "incident_id": pd.array([f"i{i:07d}" for i in range(n)], dtype="string"),
        "date": date.astype("datetime64[us]"), "date_precision": "day",
        "end_date": end.astype("datetime64[us]"),
        "theatre": pd.array(theatre, dtype="string"),
        "kind": "incursion",
        "initiator": pd.array(states[a], dtype="string"), "target": target,
        "severity": pd.array(severity, dtype="Int64"),
        "fatalities": pd.array(np.where(severity == 5, 1, 0), dtype="Int64"),
        "source": "synthetic"})
    desc = apr.descriptor()
    fields = next(r for r in desc["resources"] if r["name"] == "incidents")["schema"]["fields"]
    for f in fields:  # every column of the shipped table, in its order
        if f["name"] not in inc:
            kind = {"number": "float64"}.get(f.get("type"), "string")
            inc[f["name"]] = pd.Series(index=inc.index, dtype=kind)
    inc = inc[[f["name"] for f in fields]].astype(
        {c: "string" for c in ("date_precision", "kind", "source")})
    return apr.Collection.from_frames({"incidents": inc}, coverage={"incidents": (FIRST, LAST)})


# --------------------------------------------------------------------------- baselines
def groupby_intensity(inc: pd.DataFrame, freq: str = "Y") -> pd.DataFrame:
    """What a user would write: count and sum of severity per period and theatre."""
    period = inc["date"].dt.to_period(freq).rename("period")
    return inc.groupby([period, "theatre"])["severity"].agg(["count", "sum"])


def groupby_episodes(inc: pd.DataFrame, gap_days: int = 30, min_incidents: int = 3):
    """Runs of incidents within ``gap_days`` of the latest end so far, per theatre, with
    groupby: start, end, incidents, max severity, intensity (no dyad or id lists)."""
    d = inc.sort_values(["theatre", "date", "incident_id"])
    stop = d["end_date"].fillna(d["date"])
    prev = stop.groupby(d["theatre"]).cummax().groupby(d["theatre"]).shift()
    run = (prev.isna() | ((d["date"] - prev).dt.days > gap_days)).groupby(
        d["theatre"]).cumsum()
    out = d.assign(stop=stop, run=run).groupby(["theatre", "run"]).agg(
        start=("date", "min"), end=("stop", "max"), incidents=("incident_id", "size"),
        max_severity=("severity", "max"), intensity=("severity", "sum"))
    return out[out["incidents"] >= min_incidents]


# --------------------------------------------------------------------------- measuring
def measure(fn, runs: int) -> tuple[float, float, object, float]:
    """(median wall seconds, peak MiB under tracemalloc, result, median CPU seconds)."""
    times, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, out, statistics.median(cpus)


def show(label: str, ours, base=None, base_label: str = "", target: float | None = None,
         note: str = "") -> None:
    tgt = f"< {target:g} s" if target else ""
    b = (f"{base[0]:7.3f} s ({base[3]:6.3f} cpu) {base[1]:5.0f} MiB  {base_label}"
         if base else "")
    print(f"  {label:<45} {ours[0]:7.3f} s ({ours[3]:6.3f} cpu) {ours[1]:5.0f} MiB {tgt:>7}   "
          f"{b}", flush=True)
    if note:
        print(f"    {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    t = time.perf_counter()
    c = synthetic(args.rows)
    inc = c.view("incidents")
    print(f"synthetic incidents: {len(inc):,} built in {time.perf_counter() - t:.1f} s; "
          f"tables as a Collection with coverage {FIRST}-{LAST}")
    print(f"  {'':<45} {'apresearch: wall (cpu), peak':>32} {'target':>7}   baseline")
    r = args.runs

    ours = measure(lambda: apr.tensions.intensity(FIRST, LAST, data=c), r)
    base = measure(lambda: groupby_intensity(inc), r)
    same = (ours[2]["count"].sum() == base[2]["count"].sum()
            and ours[2]["intensity"].sum() == base[2]["sum"].sum())
    show("intensity, by year and theatre", ours, base, "pandas groupby", 5.0,
         f"{len(ours[2]):,} rows; totals {'agree' if same else 'DIFFER'} with the groupby")
    ours = measure(lambda: apr.tensions.intensity(FIRST, LAST, freq="month", data=c), r)
    base = measure(lambda: groupby_intensity(inc, "M"), r)
    show("intensity, by month and theatre", ours, base, "pandas groupby")
    ours = measure(lambda: apr.tensions.intensity(FIRST, LAST, theatre="South China Sea",
                                                  data=c), r)
    show("intensity, one theatre", ours)

    t = time.perf_counter()
    bursts = synthetic(args.rows, bursts=True)
    print(f"  (the same incidents redated into bursts: {time.perf_counter() - t:.1f} s)")
    for label, coll in (("uniform dates", c), ("bursts", bursts)):
        ours = measure(lambda k=coll: apr.tensions.escalation_episodes(data=k), r)
        base = measure(lambda k=coll: groupby_episodes(k.view("incidents")), r)
        same = len(ours[2]) == len(base[2]) and int(ours[2]["incidents"].sum()) == int(
            base[2]["incidents"].sum())
        show(f"escalation_episodes, {label}", ours, base, "pandas groupby runs",
             note=f"{len(ours[2]):,} episodes; {'the same' if same else 'NOT the same'} "
                  "episodes as the groupby (count and incidents)")

    events = pd.date_range("2001-01-01", "2024-12-31", periods=200)
    show("event_study, 200 events x 1,000 permutations",
         measure(lambda: apr.tensions.event_study(events, window_days=90, data=c), r))
    show("tension_matrix, 2000-2025",
         measure(lambda: apr.tensions.tension_matrix(FIRST, LAST, data=c), r))
    show("top_dyads, 2000-2025", measure(lambda: apr.tensions.top_dyads(FIRST, LAST, data=c),
                                         r))


if __name__ == "__main__":
    main()
