"""Build data/rivalries.csv from the Thompson-Dreyer and TSS strategic-rivalry data.

    python scripts/build_rivalries.py TD.csv TSS.csv CROSSWALK.csv [-o data/rivalries.csv]

Inputs, as distributed in Steven V. Miller's peacesciencer (R package): the Thompson and
Dreyer rivalries (1494-2010), the Thompson, Sakuwa and Suhas (TSS) update (to 2020), and a
COW-code to ISO3 crosswalk. The rule, also written in data/README.md:

1. Keep Thompson-Dreyer (T&D) rivalries active in 1946 or later between two actors of
   data/actors.csv (a state without an ISO3 code, e.g. the Republic of Vietnam, or outside
   the actors table, is reported and skipped).
2. T&D ends in 2010, so an end year of 2010 is censored, not an end. Where the same dyad's
   TSS rivalry (matched by COW codes and overlapping years) runs to TSS's own last year,
   2020, the rivalry is taken as ongoing (end_year empty, end_rule 'ongoing'); where TSS ends
   it earlier, TSS's end year is used (end_rule 'tss'). Other rivalries keep T&D's end year
   (end_rule 'td').
3. TSS rivalries between actors with no overlapping T&D rivalry are added from TSS, by the
   same censoring rule at 2020.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import tempfile
from pathlib import Path

TD_LAST, TSS_LAST, FIRST = 2010, 2020, 1946
ROOT = Path(__file__).resolve().parents[1]
TD_SOURCE = ("Thompson, William R. and David R. Dreyer, Handbook of International Rivalries, "
             "1494-2010 (CQ Press, 2011), via peacesciencer (S. V. Miller)")
TSS_SOURCE = ("Thompson, Sakuwa and Suhas strategic rivalries, 1816-2020, via peacesciencer "
              "(S. V. Miller)")
TYPES = ("positional", "spatial", "ideological", "interventionary")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("td")
    ap.add_argument("tss")
    ap.add_argument("crosswalk")
    ap.add_argument("-o", "--output", default=str(ROOT / "data" / "rivalries.csv"))
    args = ap.parse_args()
    actors = {r["iso3"] for r in read(str(ROOT / "data" / "actors.csv"))}
    cow_iso = {int(r["cow_ccode"]): r["iso3_coco"] for r in read(args.crosswalk)
               if r["iso3_coco"]}
    for r in read(str(ROOT / "data" / "actors.csv")):  # actors outside the crosswalk
        cow_iso.setdefault(int(r["cow_code"]), r["iso3"])
    tss = read(args.tss)
    rows, skipped, used_tss = [], [], set()

    def dyad(c1: str, c2: str):
        a, b = cow_iso.get(int(c1)), cow_iso.get(int(c2))
        if a in actors and b in actors:
            return tuple(sorted((a, b)))
        return None

    for r in read(args.td):
        start, end = int(r["styear"]), int(r["endyear"])
        if end < FIRST:
            continue
        pair = dyad(r["ccode1"], r["ccode2"])
        if pair is None:
            skipped.append(f"T&D {r['rivalryno']} {r['rivalryname']}")
            continue
        match = [t for t in tss if {t["ccode1"], t["ccode2"]} == {r["ccode1"], r["ccode2"]}
                 and int(t["start"]) <= end and int(t["end"]) >= start]
        end_year, rule, tss_id = end, "td", ""
        notes = ""
        if match:
            t = match[0]
            tss_id = t["tssr_id"]
            used_tss.add(t["tssr_id"])
            if end == TD_LAST:
                if int(t["end"]) == TSS_LAST:
                    end_year, rule = None, "ongoing"
                    notes = ("Censored in T&D (2010) and in TSS (2020); taken to continue.")
                else:
                    end_year, rule = int(t["end"]), "tss"
                    notes = f"T&D censored in 2010; TSS ends it in {t['end']}."
        types = ";".join(x for x in (r["type1"], r["type2"], r["type3"]) if x)
        rows.append({
            "rivalry_id": slug(r["rivalryname"]), "name": r["rivalryname"],
            "iso3_a": pair[0], "iso3_b": pair[1], "start_year": start,
            "end_year": "" if end_year is None else end_year, "end_rule": rule,
            "types": types, "td_id": r["rivalryno"], "tss_id": tss_id,
            "source": TD_SOURCE + ("; " + TSS_SOURCE if tss_id else ""), "notes": notes,
        })
    for t in tss:
        if t["tssr_id"] in used_tss or int(t["end"]) < FIRST:
            continue
        pair = dyad(t["ccode1"], t["ccode2"])
        if pair is None:
            skipped.append(f"TSS {t['tssr_id']} {t['rivalry']}")
            continue
        ongoing = int(t["end"]) == TSS_LAST
        rows.append({
            "rivalry_id": slug(t["rivalry"]), "name": t["rivalry"],
            "iso3_a": pair[0], "iso3_b": pair[1], "start_year": int(t["start"]),
            "end_year": "" if ongoing else int(t["end"]),
            "end_rule": "ongoing" if ongoing else "tss",
            "types": ";".join(x for x in TYPES if t.get(x) == "1"),
            "td_id": "", "tss_id": t["tssr_id"], "source": TSS_SOURCE,
            "notes": ("TSS only (not in T&D). " + ("Censored in TSS (2020); taken to continue."
                                                    if ongoing else "")).strip(),
        })
    seen: dict[str, int] = {}
    for row in rows:  # unique ids: a repeated name gets its start year
        seen[row["rivalry_id"]] = seen.get(row["rivalry_id"], 0) + 1
    for row in rows:
        if seen[row["rivalry_id"]] > 1:
            row["rivalry_id"] = f"{row['rivalry_id']}-{row['start_year']}"
    rows.sort(key=lambda r: (r["start_year"], r["rivalry_id"]))
    out = Path(args.output)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, out)
    print(f"wrote {out}: {len(rows)} rivalries")
    for s in skipped:
        print(f"skipped (a state is not an actor): {s}")


if __name__ == "__main__":
    main()
