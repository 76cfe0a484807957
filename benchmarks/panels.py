"""Time and peak memory of the dyad-year panel: the collection's actors 1950-2025, and a
synthetic system of 200 states over 200 years (undirected: about 4 million dyad-years;
directed: about 8 million).

    python benchmarks/panels.py [--states 200] [--years 200]

Target (issue 6): the synthetic system in under 10 s and under 4 GiB on this machine.
Peak memory is the process's maximum resident set size (ru_maxrss).
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from apresearch import panels


def synthetic(states: int, years: int, seed: int = 0) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    start = 1800
    codes = np.array([f"{chr(65 + i // 676)}{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
                      for i in range(states)])
    actors = pd.DataFrame({"iso3": codes, "lat": rng.uniform(-60, 60, states),
                           "lon": rng.uniform(-180, 180, states)})
    n_ag = states * 3
    signed = rng.integers(start, start + years, n_ag)
    ended = np.where(rng.random(n_ag) < 0.5, signed + rng.integers(1, 50, n_ag), -1)
    ag = pd.DataFrame({
        "agreement_id": [f"a{i}" for i in range(n_ag)],
        "signed": pd.to_datetime([f"{y}-01-01" for y in signed]),
        "ended": pd.to_datetime([f"{e}-12-31" if e > 0 and e < start + years else None
                                 for e in ended]),
        **{o: (rng.random(n_ag) < p).astype(int) for o, p in
           (("defense", 0.4), ("offense", 0.05), ("neutrality", 0.1), ("nonaggression", 0.2),
            ("consultation", 0.5))},
    })
    size = np.where(rng.random(n_ag) < 0.9, 2, rng.integers(3, 12, n_ag))
    rows = np.repeat(np.arange(n_ag), size)
    mem = pd.DataFrame({"agreement_id": ag["agreement_id"].to_numpy()[rows],
                        "iso3": codes[rng.integers(0, states, len(rows))],
                        "joined": ag["signed"].to_numpy()[rows], "left": pd.NaT})
    n_ex = states * 20
    ex = pd.DataFrame({"exercise_id": [f"e{i}" for i in range(n_ex)],
                       "year": rng.integers(start, start + years, n_ex)})
    k = rng.integers(2, 9, n_ex)
    rows = np.repeat(np.arange(n_ex), k)
    parts = pd.DataFrame({"exercise_id": ex["exercise_id"].to_numpy()[rows],
                          "iso3": codes[rng.integers(0, states, len(rows))],
                          "role": "participant"}).drop_duplicates(["exercise_id", "iso3"])
    n_ev = states * 50
    days = pd.to_datetime(f"{start}-01-01") + pd.to_timedelta(
        rng.integers(0, years * 365, n_ev), unit="D")
    a, b = rng.integers(0, states, n_ev), rng.integers(0, states, n_ev)
    keep = a != b
    eng = pd.DataFrame({"date": days[keep], "actor_a": codes[a[keep]], "actor_b": codes[b[keep]],
                        "kind": rng.choice(["dialogue", "visit", "port_call"], keep.sum())})
    inc = pd.DataFrame({"date": days[keep], "initiator": codes[b[keep]],
                        "target": codes[a[keep]], "severity": rng.integers(1, 6, keep.sum())})
    grid = pd.MultiIndex.from_product([codes, range(start, start + years)],
                                      names=["iso3", "year"]).to_frame(index=False)
    milex = grid.assign(constant_usd_m=rng.lognormal(7, 2, len(grid)))
    caps = grid.assign(cinc=rng.random(len(grid)) / states)
    tables = {"actors": actors, "agreements": ag, "agreement_members": mem, "exercises": ex,
              "exercise_participants": parts, "engagements": eng, "incidents": inc,
              "milex": milex, "capabilities": caps}
    span = (start, start + years - 1)
    coverage = {k: span for k in ("alliance", "exercise", "engagement", "incident", "milex",
                                  "cinc")}
    return tables, coverage


def run(label: str, fn) -> None:
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    print(f"{label:<52} {dt:7.2f} s   {len(out):>10,} rows   peak RSS {peak:5.2f} GiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--states", type=int, default=200)
    ap.add_argument("--years", type=int, default=200)
    ap.add_argument("--only", choices=["actors", "undirected", "directed"], default=None,
                    help="one measurement in this process (the default runs each in its own)")
    args = ap.parse_args()
    if args.only is None:  # a fresh process for each, so each peak RSS is its own
        import subprocess
        import sys

        for only in ("actors", "undirected", "directed"):
            subprocess.run([sys.executable, __file__, "--only", only, "--states",
                            str(args.states), "--years", str(args.years)], check=True)
        return
    if args.only == "actors":
        run("dyad_years, the collection's actors, 1950-2025",
            lambda: panels.dyad_years(1950, 2025))
        return
    tables, coverage = synthetic(args.states, args.years)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"  (synthetic tables built; RSS so far {base:.2f} GiB)")
    last = 1800 + args.years - 1
    run(f"synthetic {args.states} states x {args.years} years, {args.only} (target < 10 s)",
        lambda: panels.dyad_years(1800, last, tables, directed=args.only == "directed",
                                  coverage=coverage))


if __name__ == "__main__":
    main()
