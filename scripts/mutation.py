"""Mutation testing of the analysis modules (``make mutation``).

Runs mutmut (configured in pyproject.toml, ``[tool.mutmut]``: the analysis modules, judged by
their unit tests), then prints, per module and in all, the share of mutants the tests kill.
The target is 90% or more. Surviving mutants are listed; ``.venv/bin/mutmut show NAME``
shows one. Takes tens of minutes on two cores; the ``mutants/`` folder it leaves can be
removed (``make clean``).
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")


def main() -> int:
    run = subprocess.run([str(MUTMUT), "run"], cwd=ROOT)
    if run.returncode not in (0, 1):
        print(f"mutmut run failed (exit {run.returncode})", file=sys.stderr)
        return run.returncode
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:  # older mutmut: no --all
        out = subprocess.run([str(MUTMUT), "results"], cwd=ROOT, capture_output=True,
                             text=True)
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for line in out.stdout.splitlines():
        m = re.match(r"\s*(apresearch\.[\w.]+?)\.x\w*__mutmut_\d+:\s*(\w[\w ]*)", line)
        if not m:
            continue
        module, status = m.group(1), m.group(2).strip()
        counts[module][status] += 1
        if status == "survived":
            survivors.append(line.strip().split(":")[0])
    total = collections.Counter()
    print(f"{'module':<28} {'mutants':>8} {'killed':>8} {'score':>7}")
    for module in sorted(counts):
        c = counts[module]
        n = sum(c.values()) - c.get("skipped", 0)
        killed = c.get("killed", 0) + c.get("timeout", 0)
        total.update(c)
        print(f"{module:<28} {n:>8} {killed:>8} {killed / n:>7.1%}" if n else module)
    n = sum(total.values()) - total.get("skipped", 0)
    killed = total.get("killed", 0) + total.get("timeout", 0)
    if not n:
        print("no mutants were run", file=sys.stderr)
        return 1
    print(f"{'all':<28} {n:>8} {killed:>8} {killed / n:>7.1%}   (target >= 90%)")
    if survivors:
        print(f"\n{len(survivors)} surviving mutants (first 40; `mutmut show NAME`):")
        print("\n".join(f"  {s}" for s in survivors[:40]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
