"""Print timings for the foundation's targets (measured here, never asserted in tests).

    python benchmarks/bench.py [--no-render]

Targets (issue 2): import apresearch < 0.5 s; load_all() < 1 s; make test < 5 min from a
warm .venv. Each figure is the median of several runs in fresh interpreters where a fresh
interpreter matters (import time, first load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _fresh(code: str, env: dict | None = None, runs: int = 5) -> float:
    """Median seconds reported by ``code`` (which prints a float) in fresh interpreters."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, **(env or {})})
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-render", action="store_true", help="skip rendering the notebooks")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")

    t = _fresh("import time; t = time.perf_counter(); import apresearch; "
               "print(time.perf_counter() - t)")
    print(f"import apresearch                          {t:7.3f} s   (target < 0.5 s)")

    load = ("import time; t = time.perf_counter(); import apresearch as apr; apr.load_all(); "
            "print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as cache:
        first = _fresh(load, {"XDG_CACHE_HOME": cache}, runs=1)  # full validation
        again = _fresh(load, {"XDG_CACHE_HOME": cache})  # same bytes validated today
    print(f"import + load_all(), first validation      {first:7.3f} s")
    print(f"import + load_all(), data already checked  {again:7.3f} s   (target < 1 s)")

    import apresearch as apr

    apr.load_all()
    t = time.perf_counter()
    for _ in range(20):
        apr.load_all()
    print(f"load_all(), in-process cache              {(time.perf_counter() - t) / 20:7.4f} s")

    tables = apr.load_all()
    ag, mem, act = tables["agreements"], tables["agreement_members"], tables["actors"]
    t = time.perf_counter()
    graphs = [apr.alliance_graph(y, ag, mem, act) for y in range(1950, 2026)]
    dt = time.perf_counter() - t
    edges = sum(g.number_of_edges() for g in graphs)
    print(f"alliance_graph(), 76 years 1950-2025       {dt:7.3f} s   ({edges} edges in all)")
    t = time.perf_counter()
    apr.actor_metrics(range(1950, 2026), ag, mem, act)
    print(f"actor_metrics(), 76 years                  {time.perf_counter() - t:7.3f} s")

    if not args.no_render:
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            results = apr.render_reports(["00", "01", "02"], {}, out, log=None)
            dt = time.perf_counter() - t
        per = ", ".join(f"{r.notebook} {r.seconds:.1f}s" for r in results)
        print(f"render 00, 01, 02                          {dt:7.3f} s   ({per})")


if __name__ == "__main__":
    main()
