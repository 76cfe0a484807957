"""Time and peak memory of each importer on the publishers' own files, beside reading the
same file with pandas alone, and the time of ``write_tables`` (validation of the whole
folder in a staged copy, then the atomic write) for one table.

    python benchmarks/importers.py [--reference DIR] [--runs 1]

Each importer is called as ``apresearch import SOURCE FILE`` calls it: through
``apresearch.importers.registry.build`` (the source's reader, e.g. ``read_sipri_milex`` then
``milex_table``, and the table step), on a temporary copy of data/ (the importers read
actors and, for MME, the curated exercise tables from it). ``write_tables`` writes into that
copy too: data/ itself is never written. Files missing from the reference folder (default
../shared/reference) are skipped with a message.

Times are wall seconds with the process's CPU time beside them (on a shared machine the
steadier figure). Peak memory is that of one more run of each importer under
``tracemalloc`` (not for ``write_tables``, whose validation runs several times slower
traced).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd

from apresearch import data as apr_data
from apresearch import importers
from apresearch.importers import registry

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference"

# source, file under the reference folder, how pandas alone would read it
FILES = [
    ("sipri-milex", "sipri/SIPRI-Milex-data-1949-2023.xlsx",
     "pd.read_excel, every sheet", lambda p: pd.read_excel(p, sheet_name=None, header=None)),
    ("sipri-transfers", "sipri/trade-register-generated-2025-03-13.csv",
     "pd.read_csv (cp1252, preamble skipped)",
     lambda p: pd.read_csv(p, encoding="cp1252", skiprows=_preamble(p))),
    ("cow-nmc", "cow/nmc7_0_all.csv", "pd.read_csv", pd.read_csv),
    ("cow-states", "cow/states2016.csv", "pd.read_csv", pd.read_csv),
    ("gw-states", "cow/gw_states.csv", "pd.read_csv", pd.read_csv),
    ("atop", "atop/atop5_1_dyadyear_all.csv.gz", "pd.read_csv (gzip)", pd.read_csv),
    ("mme", "mme/mme_v7.csv", "pd.read_csv (latin-1)",
     lambda p: pd.read_csv(p, encoding="latin-1")),
    ("dmdc", "troopdata/troopdata-rebuild-country-year.csv", "pd.read_csv", pd.read_csv),
    ("us-bases", "troopdata/basedata.csv", "pd.read_csv (latin-1)",
     lambda p: pd.read_csv(p, encoding="latin-1")),
]


def _preamble(path: Path) -> int:
    """Lines before the trade register's header row (the one naming 'Recipient')."""
    with open(path, encoding="cp1252") as f:
        for i, line in enumerate(f):
            if "Recipient" in line and "Supplier" in line:
                return i
    return 0


def measure(fn, runs: int, trace: bool = True) -> tuple[float, float, object, float]:
    """(median wall seconds of ``runs`` untraced runs, peak MiB of one more run traced,
    result, median CPU seconds); ``trace=False``: no traced run (peak NaN)."""
    times, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    if not trace:
        return statistics.median(times), float("nan"), out, statistics.median(cpus)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, out, statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", default=str(REF), help="folder of the publishers' files")
    ap.add_argument("--runs", type=int, default=1, help="untraced runs per figure (median)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", message="Workbook contains no default style")
    ref = Path(args.reference)
    print(f"reference files: {ref}")
    print(f"  {'source':<16} {'importer: wall (cpu)':>21} {'peak':>7}   "
          f"{'pandas alone':>12} {'peak':>7}   rows; file")
    built: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", folder)
        for source, rel, how, read in FILES:
            path = ref / rel
            if not path.is_file():
                print(f"  {source:<16} skipped: {path} not found")
                continue
            try:
                ours = measure(lambda s=source, p=path: registry.build(s, p, folder=folder),
                               args.runs)
            except Exception as exc:  # noqa: BLE001 - reported; the others go on
                print(f"  {source:<16} FAILED: {type(exc).__name__}: {exc}")
                continue
            base = measure(lambda p=path, r=read: r(p), args.runs)
            tables, result = ours[2][:2]
            built[source] = tables
            rows = ", ".join(f"{len(t):,} {n}" for n, t in tables.items())
            size = path.stat().st_size / 2**20
            print(f"  {source:<16} {ours[0]:7.3f} s ({ours[3]:6.3f} cpu) {ours[1]:3.0f} MiB   "
                  f"{base[0]:10.3f} s {base[1]:3.0f} MiB   {rows}; {size:.1f} MiB, {how}"
                  + (f"; {len(result.unmapped)} unmapped" if result.unmapped else ""),
                  flush=True)

        print("\nwrite_tables: validate a staged copy of the folder with the new table, "
              "then write it (into the temporary copy of data/)")
        candidates = [("cow-nmc", "capabilities"), ("sipri-milex", "milex"),
                      ("dmdc", "us_deployments")]
        for source, name in candidates:
            if source not in built:
                continue
            table = built[source][name]
            try:
                dt, _, _, cpu = measure(lambda n=name, t=table: importers.write_tables(
                    {n: t}, folder), 1, trace=False)
                label = f"{name} from {source} ({len(table):,} rows)"
            except Exception as exc:  # noqa: BLE001 - the imported table did not pass
                print(f"  {name} from {source}: refused ({type(exc).__name__}: "
                      f"{str(exc).splitlines()[0][:120]}); writing the shipped table back")
                table = apr_data.read_table(name, ROOT / "data")
                dt, _, _, cpu = measure(lambda n=name, t=table: importers.write_tables(
                    {n: t}, folder), 1, trace=False)
                label = f"{name}, the shipped table ({len(table):,} rows)"
            base = measure(lambda t=table: t.to_csv(Path(tmp) / "plain.csv", index=False), 1,
                           trace=False)
            val = measure(lambda: apr_data.validate(folder), 1, trace=False)
            print(f"  write_tables {label}: {dt:.2f} s ({cpu:.2f} cpu)")
            print(f"    most of it validating the folder: data.validate on it alone "
                  f"{val[0]:.2f} s ({val[3]:.2f} cpu); pandas to_csv of the table alone "
                  f"{base[0]:.3f} s")
            break
        else:
            print("  skipped: no imported table to write")


if __name__ == "__main__":
    main()
