"""Time and peak memory of importing the official files (SIPRI Milex workbook, COW NMC).

    python benchmarks/importers.py [WORKBOOK.xlsx] [NMC.csv] [REGISTER.csv]

Defaults to the copies in ../shared/reference when present.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

from apresearch import importers as im

REF = Path(__file__).resolve().parents[2] / "shared" / "reference"


def measure(label: str, fn):
    tracemalloc.start()
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {dt:7.3f} s   peak {peak / 2**20:8.1f} MiB")
    return out


def main() -> None:
    workbook = Path(sys.argv[1]) if len(sys.argv) > 1 else REF / "sipri" / (
        "SIPRI-Milex-data-1949-2023.xlsx")
    nmc = Path(sys.argv[2]) if len(sys.argv) > 2 else REF / "cow" / (
        "nmc7_0_asiapac_1946_2022.csv")
    if workbook.is_file():
        r = measure("SIPRI Milex workbook: parse all sheets", lambda: im.read_sipri_milex(
            workbook))
        print(f"  {len(r.table):,} cells read; base year {r.facts['base_year']}")
        measure("  wide milex table, 1990-last year", lambda: im.milex_table(
            r, sorted(set(r.table['iso3'])), 1990, r.facts["last_year"]))
    else:
        print(f"skipped: {workbook} not found")
    register = Path(sys.argv[3]) if len(sys.argv) > 3 else REF / "sipri" / (
        "trade-register-generated-2025-03-13.csv")
    if register.is_file():
        import pandas as pd

        actors = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "actors.csv")
        r = measure("SIPRI trade register: full export", lambda: im.read_sipri_transfers(
            register, actors["iso3"]))
        print(f"  {r.facts['deals_read']:,} deals read; {len(r.table):,} with an actor")
    else:
        print(f"skipped: {register} not found")
    if nmc.is_file():
        r = measure("COW NMC CSV", lambda: im.read_cow_nmc(nmc, {2: "USA", 710: "CHN"}))
        print(f"  {len(r.table):,} rows kept")
    else:
        print(f"skipped: {nmc} not found")


if __name__ == "__main__":
    main()
