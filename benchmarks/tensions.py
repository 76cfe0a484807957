"""Time and peak memory of the tensions analysis on a synthetic table of 1,000,000 incidents.

    python benchmarks/tensions.py [--rows N]

Target (issue 4): intensity index and event study each under 5 s on a 2-core machine.
The table is synthetic (random dates 2000-2025, theatres, parties, severities); it tests
speed, not findings.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd

from apresearch import tensions


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, (pd.Timestamp("2025-12-31") - pd.Timestamp("2000-01-01")).days, n)
    states = np.array(["CHN", "PHL", "VNM", "JPN", "KOR", "PRK", "USA", "IND", "TWN"])
    a = rng.integers(0, len(states), n)
    b = (a + rng.integers(1, len(states), n)) % len(states)
    return pd.DataFrame({
        "incident_id": pd.array([f"i{i}" for i in range(n)], dtype="string"),
        "date": pd.Timestamp("2000-01-01") + pd.to_timedelta(days, unit="D"),
        "end_date": pd.NaT,
        "theatre": pd.array(rng.choice(tensions.THEATRES, n), dtype="string"),
        "initiator": pd.array(states[a], dtype="string"),
        "target": pd.array(states[b], dtype="string"),
        "severity": pd.array(rng.integers(1, 6, n), dtype="Int64"),
    })


def measure(label: str, fn) -> None:
    tracemalloc.start()
    t = time.perf_counter()
    fn()
    dt = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<48} {dt:7.3f} s   peak {peak / 2**20:8.1f} MiB   (target < 5 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    t = time.perf_counter()
    inc = synthetic(args.rows)
    print(f"synthetic table: {len(inc):,} incidents built in {time.perf_counter() - t:.1f} s")
    measure("intensity, yearly, all theatres", lambda: tensions.intensity(2000, 2025, inc))
    measure("intensity, monthly + 3-period rolling index", lambda: tensions.rolling_index(
        tensions.intensity(2000, 2025, inc, freq="month"), window=3))
    events = pd.date_range("2001-01-01", "2024-12-31", periods=200)
    measure("event study, 200 events x 1,000 permutations",
            lambda: tensions.event_study(events, inc, window_days=90, n_permutations=1000))
    measure("tension matrix", lambda: tensions.tension_matrix(2000, 2025, inc))


if __name__ == "__main__":
    main()
