"""Time and peak memory of the dyad-year panel (``apr.dyad_years``): the shipped collection's
actors 1950-2025, and a synthetic system of 200 states over 200 years, undirected (about 4
million dyad-years) and directed (about 8 million), each beside the pandas merges a user
would otherwise write.

    python benchmarks/panels.py [--states 200] [--years 200] [--runs 3]

Target: the synthetic system in under 10 s, undirected and directed (and under 4 GiB).

The synthetic data is a ``Collection.from_frames`` of every table ``dyad_years`` reads
(actors, agreements, agreement_members, exercises, exercise_participants, exercise_series,
engagements, incidents, milex, capabilities, state_system, atop_dyads), typed as the shipped
tables are (the descriptor's columns and types), with every time-bound table's coverage set
to the synthetic years; the panel follows ``system="cow"`` (the synthetic ``state_system``
holds 'cow' spells: most states members throughout, some joining late, some leaving for a
while). Engagements include suspensions and resumptions of the general military channel
among ``--channel-pairs`` pairs (the shipped table has them among a few rival pairs).

Each measurement runs in a fresh process, so each peak RSS (``ru_maxrss``) is its own; the
RSS before the call (interpreter, pandas and the tables) is printed beside it, and the
call's CPU time beside its wall time (on a shared machine the steadier figure). The panel
is run ``--runs`` times (every run printed); then once on the same synthetic system without
channel suspensions (what the channel status costs), and the pandas baseline once. The
baseline builds the same rows and counts (alliance agreements and flags, shared exercises,
engagements, incidents, spending and CINC ratios, distance) by merges and groupbys on
string columns, without the package's coverage masking or channel status.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

START = 1800
OBLIGATIONS = ("defense", "offense", "neutrality", "nonaggression", "consultation")


# --------------------------------------------------------------------------- synthetic data
def _typed(name: str, frame: pd.DataFrame, desc: dict) -> pd.DataFrame:
    """``frame`` with every column the descriptor gives table ``name``, in its order and
    with the types the loader gives them (missing columns are empty)."""
    types = {"string": "string", "integer": "Int64", "year": "Int64", "number": "float64",
             "boolean": "boolean", "date": "datetime64[us]"}
    res = next(r for r in desc["resources"] if r["name"] == name)
    out = {}
    for f in res["schema"]["fields"]:
        col, t = f["name"], types[f.get("type", "string")]
        if col not in frame:
            out[col] = pd.Series(index=frame.index, dtype=t)
            continue
        s = pd.to_datetime(frame[col]) if t == "datetime64[us]" else frame[col]
        out[col] = s.astype(t)
    return pd.DataFrame(out)


def _codes(n: int) -> np.ndarray:
    return np.array([f"{chr(65 + i // 676 % 26)}{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
                     for i in range(n)])


def _dates(rng, years: int, n: int) -> pd.DatetimeIndex:
    return pd.Timestamp(f"{START}-01-01") + pd.to_timedelta(
        rng.integers(0, years * 365, n), unit="D")


def synthetic(states: int, years: int, channel_pairs: int = 20, seed: int = 0):
    """A Collection of ``states`` states over ``years`` years from START."""
    import apresearch as apr

    rng = np.random.default_rng(seed)
    desc = apr.descriptor()
    end = START + years - 1
    codes = _codes(states)
    regions = ["Northeast Asia", "Southeast Asia", "South Asia", "Oceania", "Europe"]
    actors = pd.DataFrame({
        "iso3": codes, "name": [f"State {c}" for c in codes], "cow_code": np.arange(states) + 1,
        "subregion": rng.choice(regions, states), "capital": "capital",
        "lat": rng.uniform(-60, 60, states), "lon": rng.uniform(-180, 180, states),
        "regional": True, "lowy_api": False, "source": "synthetic"})

    # state system: most members throughout; 10% join late; 5% leave for a while
    late = rng.random(states) < 0.10
    first = np.where(late, START + rng.integers(0, years // 2, states), START)
    spells = [pd.DataFrame({"iso3": codes, "code": np.arange(states) + 1,
                            "start": pd.to_datetime([f"{y}-01-01" for y in first]),
                            "end": pd.NaT})]
    gap = np.flatnonzero(~late & (rng.random(states) < 0.05))
    if len(gap):
        out_y = START + rng.integers(1, max(2, years - 30), len(gap))
        back_y = out_y + rng.integers(2, 20, len(gap))
        spells[0].loc[gap, "end"] = pd.to_datetime([f"{y}-06-30" for y in out_y])
        spells.append(pd.DataFrame({"iso3": codes[gap], "code": np.arange(states)[gap] + 1,
                                    "start": pd.to_datetime([f"{y}-01-01" for y in back_y]),
                                    "end": pd.NaT}))
    system = pd.concat(spells, ignore_index=True).assign(
        system="cow", name="state", release="synthetic")

    # agreements and their parties
    n_ag = states * 3
    signed = _dates(rng, years, n_ag)
    lasts = rng.integers(1, 60, n_ag)
    ended = pd.Series(signed + pd.to_timedelta(lasts * 365, unit="D"))
    ended = ended.where((rng.random(n_ag) < 0.5) & (ended.dt.year <= end))
    ag = pd.DataFrame({
        "agreement_id": [f"a{i}" for i in range(n_ag)], "name": "agreement",
        "kind": rng.choice(["defence_treaty", "security_agreement", "access_agreement",
                            "defence_cooperation", "minilateral", "friendship_treaty"], n_ag),
        "signed": signed, "signed_precision": "day", "ended": ended.to_numpy(),
        **{o: (rng.random(n_ag) < p).astype(int) for o, p in zip(
            OBLIGATIONS, (0.4, 0.05, 0.1, 0.2, 0.5), strict=True)},
        "source": "synthetic"})
    size = np.where(rng.random(n_ag) < 0.9, 2, rng.integers(3, 12, n_ag))
    rows = np.repeat(np.arange(n_ag), size)
    mem = pd.DataFrame({"agreement_id": ag["agreement_id"].to_numpy()[rows],
                        "iso3": codes[rng.integers(0, states, len(rows))],
                        "joined": ag["signed"].to_numpy()[rows], "joined_precision": "day",
                        "left": pd.NaT, "source": "synthetic"}).drop_duplicates(
        ["agreement_id", "iso3"])

    # exercises: series, editions, participants (a host and 1-7 others)
    n_series = max(1, states // 2)
    series = pd.DataFrame({"series_id": [f"s{i}" for i in range(n_series)], "name": "series",
                           "lead": codes[rng.integers(0, states, n_series)],
                           "format": "multilateral", "first_year": START, "last_year": pd.NA,
                           "domain": "maritime", "source": "synthetic"})
    n_ex = states * 20
    ex_year = rng.integers(START, end + 1, n_ex)
    ex = pd.DataFrame({"exercise_id": [f"e{i}" for i in range(n_ex)],
                       "series_id": np.where(rng.random(n_ex) < 0.5,
                                             series["series_id"].to_numpy()[
                                                 rng.integers(0, n_series, n_ex)], None),
                       "name": "exercise", "year": ex_year,
                       "start": pd.to_datetime([f"{y}-06-01" for y in ex_year]),
                       "start_precision": "month", "participants_complete": True,
                       "origin": "curated", "source": "synthetic"})
    k = rng.integers(2, 9, n_ex)
    rows = np.repeat(np.arange(n_ex), k)
    first_row = np.r_[0, np.cumsum(k)[:-1]]
    role = np.full(len(rows), "participant", dtype=object)
    role[first_row] = "host"
    role[(rng.random(len(rows)) < 0.05) & (role != "host")] = "observer"
    parts = pd.DataFrame({"exercise_id": ex["exercise_id"].to_numpy()[rows],
                          "iso3": codes[rng.integers(0, states, len(rows))], "role": role,
                          "source": "synthetic"}).drop_duplicates(["exercise_id", "iso3"])

    # engagements: bilateral and multilateral events, and channel suspensions/resumptions
    n_ev = states * 50
    size = np.where(rng.random(n_ev) < 0.8, 2, rng.integers(3, 11, n_ev))
    members = [list(rng.choice(states, s, replace=False)) for s in size]
    kind = rng.choice(["dialogue", "visit", "port_call", "call", "cbm"], n_ev)
    eng = pd.DataFrame({
        "date": _dates(rng, years, n_ev), "date_precision": "day", "kind": kind,
        "participants": [";".join(codes[m]) for m in members],
        "initiator": [codes[m[0]] for m in members], "level": rng.choice(
            ["leaders", "ministerial", "chiefs", "senior_officials", "working"], n_ev),
        "channel": None, "forum_id": None, "source": "synthetic"})
    sus = []
    chosen = set()
    while len(chosen) < min(channel_pairs, states * (states - 1) // 2):
        a, b = sorted(rng.choice(states, 2, replace=False))
        chosen.add((int(a), int(b)))
    for a, b in sorted(chosen):
        n = int(rng.integers(1, 4)) * 2  # alternating suspension, resumption
        days = np.sort(rng.choice(years * 365, n, replace=False))
        for j, d in enumerate(days):
            sus.append({"date": pd.Timestamp(f"{START}-01-01") + pd.Timedelta(days=int(d)),
                        "date_precision": "day",
                        "kind": "suspension" if j % 2 == 0 else "resumption",
                        "participants": f"{codes[a]};{codes[b]}", "initiator": codes[a],
                        "level": "ministerial", "channel": "military-to-military exchanges",
                        "forum_id": None, "source": "synthetic"})
    eng = pd.concat([eng, pd.DataFrame(sus)], ignore_index=True)
    eng["engagement_id"] = [f"g{i}" for i in range(len(eng))]

    # incidents between two states
    n_inc = states * 50
    a = rng.integers(0, states, n_inc)
    b = (a + rng.integers(1, states, n_inc)) % states
    inc = pd.DataFrame({"incident_id": [f"i{i}" for i in range(n_inc)],
                        "date": _dates(rng, years, n_inc), "date_precision": "day",
                        "theatre": rng.choice(["South China Sea", "East China Sea", "Other"],
                                              n_inc), "kind": "incursion",
                        "initiator": codes[a], "target": codes[b],
                        "severity": rng.integers(1, 5, n_inc), "source": "synthetic"})

    grid = pd.MultiIndex.from_product([codes, range(START, end + 1)],
                                      names=["iso3", "year"]).to_frame(index=False)
    milex = grid.assign(constant_usd_m=rng.lognormal(7, 2, len(grid)), release="synthetic")
    caps = grid.assign(cinc=rng.random(len(grid)) / states, release="synthetic")

    n_atop = states * years
    ia = rng.integers(0, states, n_atop)
    ib = (ia + rng.integers(1, states, n_atop)) % states
    atop = pd.DataFrame({"year": rng.integers(START, end + 1, n_atop),
                         "iso3_a": codes[np.minimum(ia, ib)], "iso3_b": codes[np.maximum(ia, ib)],
                         **{o: (rng.random(n_atop) < 0.3).astype(int) for o in OBLIGATIONS},
                         "release": "synthetic"}).drop_duplicates(["year", "iso3_a", "iso3_b"])

    raw = {"actors": actors, "agreements": ag, "agreement_members": mem, "exercises": ex,
           "exercise_participants": parts, "exercise_series": series, "engagements": eng,
           "incidents": inc, "milex": milex, "capabilities": caps, "state_system": system,
           "atop_dyads": atop}
    frames = {name: _typed(name, df, desc) for name, df in raw.items()}
    span = (START, end)
    coverage = {name: span for name in ("agreements", "agreement_members", "exercises",
                                        "exercise_participants", "engagements", "incidents",
                                        "milex", "capabilities", "atop_dyads")}
    return apr.Collection.from_frames(frames, coverage=coverage)


# --------------------------------------------------------------------------- baseline
def pandas_panel(c, start: int, end: int, directed: bool) -> pd.DataFrame:
    """The dyad-year panel as a user would build it with pandas merges."""
    def keep(df, a="iso3_a", b="iso3_b"):
        return df[df[a] != df[b]] if directed else df[df[a] < df[b]]

    def spell_years(df, first, last):
        n = (last - first + 1).clip(lower=0)
        out = df.loc[df.index.repeat(n)].copy()
        out["year"] = np.repeat(first.to_numpy(), n) + (
            np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
        return out

    ss = c.view("state_system")
    ss = ss[(ss["system"] == "cow") & ss["iso3"].isin(c.view("actors")["iso3"])].reset_index(
        drop=True)
    first = ss["start"].dt.year.clip(lower=start)
    last = ss["end"].dt.year.fillna(end).astype(int).clip(upper=end)
    sy = spell_years(ss[["iso3", "code"]], first, last).drop_duplicates(
        ["iso3", "year"], keep="last")
    d = keep(sy.merge(sy, on="year", suffixes=("_a", "_b")))

    ag, mem = c.view("agreements"), c.view("agreement_members")
    m = mem.merge(ag, on="agreement_id")
    f = np.maximum(m["joined"].dt.year, m["signed"].dt.year).clip(lower=start)
    la = np.minimum(m["left"].dt.year.fillna(9999), m["ended"].dt.year.fillna(9999))
    my = spell_years(m[["agreement_id", "iso3", *OBLIGATIONS]].reset_index(drop=True),
                     f.reset_index(drop=True),
                     la.clip(upper=end).astype(int).reset_index(drop=True))
    my = my.drop_duplicates(["agreement_id", "iso3", "year"])
    p = keep(my.merge(my[["agreement_id", "year", "iso3"]], on=["agreement_id", "year"],
                      suffixes=("_a", "_b")))
    allied = p.groupby(["year", "iso3_a", "iso3_b"]).agg(
        agreements=("agreement_id", "size"), **{o: (o, "max") for o in OBLIGATIONS})
    d = d.merge(allied.reset_index(), on=["year", "iso3_a", "iso3_b"], how="left")

    ex = c.view("exercise_participants")
    ex = ex[ex["role"].isin(["host", "participant"])].merge(
        c.view("exercises")[["exercise_id", "year"]], on="exercise_id")
    pe = keep(ex.merge(ex[["exercise_id", "iso3"]], on="exercise_id", suffixes=("_a", "_b")))
    d = d.merge(pe.groupby(["year", "iso3_a", "iso3_b"]).size().rename(
        "shared_exercises").reset_index(), on=["year", "iso3_a", "iso3_b"], how="left")

    e = c.view("engagements")
    e = e.assign(iso3=e["participants"].str.split(";"), year=e["date"].dt.year).explode("iso3")
    pg = keep(e[["engagement_id", "year", "iso3"]].merge(
        e[["engagement_id", "iso3"]], on="engagement_id", suffixes=("_a", "_b")))
    d = d.merge(pg.groupby(["year", "iso3_a", "iso3_b"]).size().rename(
        "engagements").reset_index(), on=["year", "iso3_a", "iso3_b"], how="left")

    inc = c.view("incidents").dropna(subset=["target"])
    inc = inc.assign(year=inc["date"].dt.year)
    if directed:
        inc = inc.assign(iso3_a=inc["initiator"], iso3_b=inc["target"])
    else:
        lo = inc[["initiator", "target"]].min(axis=1)
        hi = inc[["initiator", "target"]].max(axis=1)
        inc = inc.assign(iso3_a=lo, iso3_b=hi)
    gi = inc.groupby(["year", "iso3_a", "iso3_b"]).agg(
        incidents=("incident_id", "size"), intensity=("severity", "sum"))
    d = d.merge(gi.reset_index(), on=["year", "iso3_a", "iso3_b"], how="left")
    cols = ["agreements", *OBLIGATIONS, "shared_exercises", "engagements", "incidents",
            "intensity"]
    d[cols] = d[cols].fillna(0)

    for table, col, name in (("milex", "constant_usd_m", "milex_ratio"),
                             ("capabilities", "cinc", "cinc_ratio")):
        t = c.view(table)[["iso3", "year", col]]
        d = d.merge(t.rename(columns={"iso3": "iso3_a", col: "va"}), on=["iso3_a", "year"],
                    how="left").merge(t.rename(columns={"iso3": "iso3_b", col: "vb"}),
                                      on=["iso3_b", "year"], how="left")
        d[name] = d["va"] / d["vb"]
        d = d.drop(columns=["va", "vb"])
    ll = c.view("actors")[["iso3", "lat", "lon"]]
    d = d.merge(ll.rename(columns={"iso3": "iso3_a", "lat": "lat_a", "lon": "lon_a"}),
                on="iso3_a").merge(ll.rename(columns={"iso3": "iso3_b", "lat": "lat_b",
                                                      "lon": "lon_b"}), on="iso3_b")
    la, lb = np.radians(d["lat_a"]), np.radians(d["lat_b"])
    h = (np.sin((lb - la) / 2) ** 2
         + np.cos(la) * np.cos(lb) * np.sin(np.radians(d["lon_b"] - d["lon_a"]) / 2) ** 2)
    d["distance_km"] = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
    return d.drop(columns=["lat_a", "lon_a", "lat_b", "lon_b"])


# --------------------------------------------------------------------------- one measurement
def _rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB


def measure(case: str, what: str, states: int, years: int, channel_pairs: int) -> dict:
    import apresearch as apr

    t = time.perf_counter()
    if case == "actors":
        c, start, end = apr.collection(), 1950, 2025
    else:
        c, start, end = synthetic(states, years, channel_pairs), START, START + years - 1
    built = time.perf_counter() - t
    before = _rss_gib()
    directed = case == "directed"
    t, cpu = time.perf_counter(), time.process_time()
    if what == "panel":
        out = apr.dyad_years(start, end, directed=directed, system="cow", data=c)
    else:
        out = pandas_panel(c, start, end, directed)
    dt, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"seconds": dt, "cpu": cpu, "rows": len(out), "rss_before": before,
            "peak": _rss_gib(), "built": built,
            "mib": out.memory_usage(deep=True).sum() / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--states", type=int, default=200)
    ap.add_argument("--years", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--channel-pairs", type=int, default=20,
                    help="synthetic pairs with channel suspensions and resumptions")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--measure", nargs=2, metavar=("CASE", "WHAT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:  # a child process: one measurement, printed as JSON
        print(json.dumps(measure(*args.measure, args.states, args.years, args.channel_pairs)))
        return
    labels = {"actors": "the collection's actors, 1950-2025",
              "undirected": f"synthetic {args.states} x {args.years} years, undirected",
              "directed": f"synthetic {args.states} x {args.years} years, directed"}
    print(f"dyad_years (system='cow'); each figure in a fresh process; "
          f"{args.channel_pairs} synthetic channel pairs")
    print(f"  {'case':<38} {'what':<20} {'seconds':>8} {'cpu':>7} {'rows':>10} "
          f"{'frame':>9} {'RSS before':>11} {'peak RSS':>9}")
    summary = []
    for case, label in labels.items():
        whats = [("panel", args.channel_pairs, f"dyad_years #{i + 1}")
                 for i in range(args.runs)]
        if case != "actors" and args.channel_pairs:
            whats.append(("panel", 0, "  no channel pairs"))
        if not args.no_baseline:
            whats.append(("baseline", args.channel_pairs, "pandas merges"))
        times, extra = [], {}
        for what, pairs, name in whats:
            cmd = [sys.executable, __file__, "--measure", case, what, "--states",
                   str(args.states), "--years", str(args.years), "--channel-pairs", str(pairs)]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                tail = (p.stderr.strip().splitlines() or ["?"])[-1]
                print(f"  {label:<38} {name:<20} FAILED: {tail}")
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            print(f"  {label:<38} {name:<20} {r['seconds']:7.2f}s {r['cpu']:6.2f}s "
                  f"{r['rows']:>10,} {r['mib']:6.0f} MiB {r['rss_before']:7.2f} GiB "
                  f"{r['peak']:5.2f} GiB", flush=True)
            if name.startswith("dyad_years"):
                times.append(r["seconds"])
            else:
                extra[name.strip()] = r["seconds"]
        summary.append((label, times, extra))
    print("\nsummary, wall seconds (target < 10 s for the synthetic system)")
    for label, times, extra in summary:
        runs = ", ".join(f"{t:.2f}" for t in times)
        more = "".join(f";  {k} {v:.2f}" for k, v in extra.items())
        print(f"  {label:<38} dyad_years {runs}{more}")


if __name__ == "__main__":
    main()
