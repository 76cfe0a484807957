"""Timings of the package's everyday operations, each beside the baseline a user would
otherwise write, and the target (measured and printed here, never asserted in tests).

    python benchmarks/bench.py [--runs 5] [--no-notebooks]

* ``import apresearch`` in a fresh interpreter (beside ``import pandas``);
* ``apr.collection()`` in a fresh interpreter, with the validation stamp (target < 1 s) and
  without it (full validation), beside reading every CSV of data/ with ``pd.read_csv``;
  and ``apresearch.data.validate()`` in a warm process;
* on the shipped collection: ``alliance_graphs(range(1950, 2026))`` (target < 0.5 s) beside
  a networkx loop that builds each year's graph by filtering the tables with pandas;
  ``actor_metrics`` over 1950-2025 (target < 1 s) beside networkx's betweenness and
  eigenvector centrality on the same graphs; ``latticework`` over 1950-2025 (target < 1 s);
* the analysis time of every notebook with its defaults (target < 3 s each): its code
  cells executed in one warm process (cells tagged ``widgets`` left out; Agg backend;
  ``plt.close('all')`` after each cell), run twice, the second time with the collection's
  memoised structures already built (as in a render worker after its first report).

The analysis functions run on a collection whose memo (``Collection.cache``) is cleared
before every run, so each figure includes the derived tables they build; "memo warm" is the
same call again. Figures are medians of ``--runs`` runs: wall time, with the process's CPU
time beside it (every thread counted). The machine may be shared: compare figures of one
run, not across runs; where wall and CPU time part, the process was waiting for a core
(or, CPU above wall, using several). ``actor_metrics`` is also timed in a fresh process
with OpenBLAS limited to one thread (its matrix products are small).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _nbrun  # noqa: E402 - the notebook runner beside this script

ROWS: list[tuple] = []  # (what, (wall, cpu), baseline (wall, cpu) or None, label, target)

# code run in fresh interpreters prints the wall and CPU seconds of what it times
CLOCK = "import time; t, c = time.perf_counter(), time.process_time(); "
SHOW = "print(time.perf_counter() - t, time.process_time() - c)"


def _fmt(t) -> str:
    wall, cpu = t
    return f"{wall:8.3f} s" + (f" ({cpu:6.3f} cpu)" if cpu == cpu else " " * 13)


def row(what: str, seconds, baseline=None, label: str = "", target: float | None = None
        ) -> None:
    """Print and keep one figure; ``seconds`` and ``baseline`` are (wall, cpu) pairs."""
    ROWS.append((what, seconds, baseline, label, target))
    base = f"{_fmt(baseline)}  {label}" if baseline is not None else ""
    tgt = f"< {target:g} s" if target is not None else ""
    print(f"  {what:<40} {_fmt(seconds)} {tgt:>7}   {base}", flush=True)


def _fresh(code: str, env: dict | None = None, runs: int = 5) -> list[list[float]]:
    """Per run, the floats ``code`` prints on its last line, each run in a fresh interpreter."""
    out = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, **(env or {})}, cwd=ROOT)
        out.append([float(x) for x in p.stdout.strip().splitlines()[-1].split()])
    return out


def _median(runs: list[list[float]], i: int = 0) -> tuple[float, float]:
    """Median (wall, cpu) from columns ``i`` and ``i + 1`` of fresh-interpreter runs."""
    return statistics.median(r[i] for r in runs), statistics.median(r[i + 1] for r in runs)


def _timed(fn, runs: int, before=None) -> tuple[tuple[float, float], object]:
    """Median wall and CPU seconds (this process, every thread) of ``runs`` calls."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        if before is not None:
            before()
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return (statistics.median(walls), statistics.median(cpus)), out


# --------------------------------------------------------------------------- baselines
def nx_graphs(tables: dict, years) -> dict:
    """What a user would write with pandas and networkx: for each year, filter agreements
    and memberships in force (the package's rule: signed by 31 December, not ended before
    1 January), pair the parties of each agreement, weight each pair by the strength of the
    strongest obligation (summed over shared agreements) and build the graph."""
    import networkx as nx
    import numpy as np
    import pandas as pd

    weights = {"defense": 1.0, "offense": 0.8, "neutrality": 0.6, "nonaggression": 0.4,
               "consultation": 0.3}
    ag, mem, actors = tables["agreements"], tables["agreement_members"], tables["actors"]
    flags = ag[list(weights)].fillna(0).astype(float).to_numpy()
    strength = (flags * np.array(list(weights.values()))).max(axis=1)
    ag = ag.assign(strength=np.where(strength > 0, strength, 0.1))
    nodes = [(r.iso3, {"name": r.name, "lat": r.lat, "lon": r.lon})
             for r in actors.itertuples(index=False)]
    out = {}
    for y in years:
        y0, y1 = pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
        a = ag[(ag["signed"] <= y1) & (ag["ended"].isna() | (ag["ended"] >= y0))]
        m = mem[(mem["joined"] <= y1) & (mem["left"].isna() | (mem["left"] >= y0))]
        m = m[m["agreement_id"].isin(a["agreement_id"])].drop_duplicates(
            ["agreement_id", "iso3"])
        p = m.merge(m, on="agreement_id")
        p = p[p["iso3_x"] < p["iso3_y"]].merge(a[["agreement_id", "kind", "strength"]],
                                                on="agreement_id")
        g = nx.Graph(year=y)
        g.add_nodes_from(nodes)
        for r in p.itertuples(index=False):
            if g.has_edge(r.iso3_x, r.iso3_y):
                e = g[r.iso3_x][r.iso3_y]
                e["weight"] += r.strength
                e["agreements"].append(r.agreement_id)
            else:
                g.add_edge(r.iso3_x, r.iso3_y, weight=r.strength, agreements=[r.agreement_id])
        out[y] = g
    return out


def nx_metrics(graphs: dict):
    """networkx's betweenness (normalised, unweighted) and weighted eigenvector centrality
    (on the actors with a tie, as actor_metrics defines it) of each year's graph."""
    import networkx as nx
    import pandas as pd

    frames = []
    for y, g in graphs.items():
        bc = nx.betweenness_centrality(g, normalized=True)
        core = g.subgraph([n for n in g if g.degree(n) > 0])
        ev = (nx.eigenvector_centrality(core, weight="weight", max_iter=5000, tol=1e-10)
              if core.number_of_edges() else {})
        frames.append(pd.DataFrame({"year": y, "iso3": list(bc), "betweenness": list(bc.values()),
                                    "eigenvector": [ev.get(n, 0.0) for n in bc]}))
    return pd.concat(frames, ignore_index=True)


def same_graphs(ours: dict, theirs: dict) -> str:
    diff = 0
    for y, g in ours.items():
        h = theirs[y]
        if set(map(frozenset, g.edges)) != set(map(frozenset, h.edges)):
            diff += 1
            continue
        if any(abs(g[a][b]["weight"] - h[a][b]["weight"]) > 1e-9 for a, b in g.edges):
            diff += 1
    return "same edges and weights every year" if not diff else f"differ in {diff} years"


# --------------------------------------------------------------------------- sections
def section_import(runs: int) -> None:
    print("import and load (fresh interpreters)")
    t = _fresh(CLOCK + "import apresearch; " + SHOW, runs=runs)
    p = _fresh(CLOCK + "import pandas; " + SHOW, runs=runs)
    row("import apresearch", _median(t), _median(p), "import pandas")

    load = (CLOCK + "import apresearch as apr; t1, c1 = time.perf_counter(), "
            "time.process_time(); apr.collection(); t2, c2 = time.perf_counter(), "
            "time.process_time(); print(t2 - t, c2 - c, t2 - t1, c2 - c1)")
    naive = (CLOCK + "import glob, pandas as pd; "
             "[pd.read_csv(f) for f in sorted(glob.glob('data/*.csv'))]; " + SHOW)
    with tempfile.TemporaryDirectory() as cache:
        env = {"XDG_CACHE_HOME": cache}
        first = _fresh(load, env, runs=1)  # no stamp: full validation, then the stamp
        again = _fresh(load, env, runs=runs)
    base = _median(_fresh(naive, runs=runs))
    label = "import pandas + pd.read_csv of every CSV"
    row("import + collection(), stamp present", _median(again), base, label, 1.0)
    row("  of which collection()", _median(again, 2))
    row("import + collection(), full validation", _median(first), base, label)
    row("  of which collection()", _median(first, 2))

    import apresearch as apr

    apr.data.validate()  # frictionless imported once
    dt, _ = _timed(apr.data.validate, max(1, runs // 2))
    row("data.validate(), warm process", dt)


def section_analysis(runs: int) -> None:
    import apresearch as apr

    print("alliances on the shipped collection, 1950-2025 (76 years)")
    c = apr.collection()
    years = range(1950, 2026)
    tables = {n: c.view(n) for n in ("agreements", "agreement_members", "actors")}

    dt, graphs = _timed(lambda: apr.alliance_graphs(years, data=c), runs, c.cache.clear)
    warm, _ = _timed(lambda: apr.alliance_graphs(years, data=c), runs)
    base, theirs = _timed(lambda: nx_graphs(tables, years), max(1, runs // 2))
    edges = sum(g.number_of_edges() for g in graphs.values())
    row("alliance_graphs()", dt, base, "networkx graphs by pandas filtering", 0.5)
    row("  memo warm", warm)
    print(f"    {edges:,} edge-years; networkx loop and alliance_graphs: "
          f"{same_graphs(graphs, theirs)}")

    dt, metrics = _timed(lambda: apr.actor_metrics(years, data=c), runs, c.cache.clear)
    warm, _ = _timed(lambda: apr.actor_metrics(years, data=c), runs)
    base, nxm = _timed(lambda: nx_metrics(graphs), max(1, runs // 2))
    row("actor_metrics()", dt, base, "networkx betweenness + eigenvector, same graphs", 1.0)
    row("  memo warm", warm)
    one = _fresh("import apresearch as apr; col = apr.collection(); " + CLOCK
                 + "apr.actor_metrics(range(1950, 2026), data=col); " + SHOW,
                 {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}, runs=max(1, runs // 2))
    row("  one BLAS thread (fresh process)", _median(one), target=1.0)
    m = metrics.merge(nxm, on=["year", "iso3"], suffixes=("", "_nx"))
    db = (m["betweenness"] - m["betweenness_nx"]).abs().max()
    de = (m["eigenvector"].fillna(0) - m["eigenvector_nx"]).abs().max()
    print(f"    largest difference from networkx: betweenness {db:.1e}, eigenvector {de:.1e}")

    dt, _ = _timed(lambda: apr.latticework(years, data=c), runs, c.cache.clear)
    warm, _ = _timed(lambda: apr.latticework(years, data=c), runs)
    row("latticework()", dt, target=1.0)
    row("  memo warm", warm)


def section_notebooks() -> None:
    print("analysis time of every notebook with its defaults (one warm process)")
    warm = _nbrun.warm_up()
    print(f"  (warm-up: imports and collection() {warm:.2f} s)")
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    passes: dict[str, list] = {p.stem: [] for p in paths}
    for _ in range(2):
        for p in paths:
            c = time.process_time()
            t = _nbrun.run_notebook(_nbrun.read(p), cwd=p.parent, name=p.name)
            passes[p.stem].append((t, time.process_time() - c))
    print(f"  {'notebook':<24} {'first':>8} {'cpu':>7} {'again':>8} {'cpu':>7}   cells  "
          "(target < 3 s each)")
    for stem, ((a, ca), (b, cb)) in passes.items():
        err = f"  ERROR {a.error or b.error}" if a.error or b.error else ""
        flag = "" if a.code < 3 else "  over target"
        print(f"  {stem:<24} {a.code:7.2f}s {ca:6.2f}s {b.code:7.2f}s {cb:6.2f}s   "
              f"{a.cells:>5}{flag}{err}")
        ROWS.append((f"notebook {stem}", (a.code, ca), (b.code, cb), "same notebook again",
                     3.0))


def table() -> None:
    print("\nsummary: wall seconds (CPU seconds of the process); on a shared machine the CPU "
          "figure is the steadier")
    print(f"  {'measure':<40} {'apresearch':>26} {'target':>7} {'met':>4}   baseline")
    for what, s, base, label, target in ROWS:
        tgt = f"< {target:g} s" if target is not None else ""
        met = "" if target is None else ("yes" if s[0] < target else "NO")
        b = f"{_fmt(base)}  {label}" if base is not None else ""
        print(f"  {what:<40} {_fmt(s)} {tgt:>7} {met:>4}   {b}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    ap.add_argument("--no-notebooks", action="store_true", help="skip the notebooks")
    args = ap.parse_args()
    blas = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
            if k in os.environ}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}; BLAS threads: {blas or 'default'}")
    section_import(args.runs)
    section_analysis(args.runs)
    if not args.no_notebooks:
        section_notebooks()
    table()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
