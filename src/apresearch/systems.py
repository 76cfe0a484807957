"""State systems: which actors were states in a year, and under which code.

A panel follows a state system, as the literature does (peacesciencer's
``create_dyadyears(system = "cow")``): a state-year or dyad-year exists only while its states
are members. The systems are

* ``"cow"`` — the Correlates of War State System Membership list (the default);
* ``"gw"`` — Gleditsch and Ward's list of independent states;
* ``"all"`` — every actor in every year (no membership rule; codes from ``actors.cow_code``).

Both lists are imported into the ``state_system`` table (``apresearch import cow-states``,
``apresearch import gw-states``), one row per membership spell with the system's code, so a
code may change over time: Germany is COW 255 to 1945, 260 (the Federal Republic) 1955-1990
and 255 again from 3 October 1990; the German Democratic Republic (265) is its own state.
Viet Nam is COW 816 (the Democratic Republic, then unified Viet Nam) from 1954; the
Republic of Vietnam (817, 1954-1975) is not carried by it.

A state counts as a member in year Y if its spell began by 31 December Y and had not ended
before 1 January Y (the rule the alliance tables use). **After a list ends** (COW v2016 on
31 December 2016, Gleditsch-Ward on 31 December 2017) its members are carried forward: a
spell still open at the list's end has no end date in the table. A state admitted later
would get a dated spell of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .params import check_choice
from .store import Collection, resolve

__all__ = ["SYSTEMS", "members", "membership_matrix", "code_table"]

SYSTEMS: tuple[str, ...] = ("cow", "gw", "all")
OPEN = 9999


def _spells(c: Collection, system: str) -> pd.DataFrame:
    """iso3, code, first, last (years) of the system's spells among the actors."""
    key = f"systems.spells.{system}"
    def compute():
        actors = c.view("actors")
        if system == "all":
            s = pd.DataFrame({"iso3": actors["iso3"].astype(str),
                              "code": actors["cow_code"].astype("Int64"),
                              "first": -OPEN, "last": OPEN})
        else:
            t = c.view("state_system")
            t = t[(t["system"] == system) & t["iso3"].isin(actors["iso3"])]
            s = pd.DataFrame({"iso3": t["iso3"].astype(str),
                              "code": t["code"].astype("Int64"),
                              "first": t["start"].dt.year.astype(int),
                              "last": t["end"].dt.year.fillna(OPEN).astype(int)})
        return s.sort_values(["iso3", "first"]).reset_index(drop=True)
    return c.memo(key, compute)


def members(years: Iterable[int], system: str = "cow", *, data=None) -> pd.DataFrame:
    """Actor-years of system members: year, iso3, code (the system's code in force at the
    end of the year, or the last of the year's spells)."""
    check_choice(system, SYSTEMS, name="system")
    c = resolve(data)
    years = sorted({int(y) for y in years})
    s = _spells(c, system)
    rows = []
    for y in years:
        m = s[(s["first"] <= y) & (s["last"] >= y)]
        m = m.drop_duplicates("iso3", keep="last")
        rows.append(pd.DataFrame({"year": y, "iso3": m["iso3"].to_numpy(),
                                  "code": m["code"].to_numpy()}))
    if not rows:
        return pd.DataFrame({"year": pd.Series([], dtype=int), "iso3": pd.Series([], dtype=str),
                             "code": pd.Series([], dtype="Int64")})
    out = pd.concat(rows, ignore_index=True)
    out["code"] = out["code"].astype("Int64")
    return out


def membership_matrix(codes: np.ndarray, start: int, end: int, system: str = "cow", *,
                      data=None) -> tuple[np.ndarray, np.ndarray]:
    """(member, code): years x actors arrays for the actors ``codes`` (in that order) over
    ``start..end``: ``member`` True where the actor is a member that year, ``code`` its
    system code (-1 where none)."""
    m = members(range(start, end + 1), system, data=data)
    pos = pd.Series(np.arange(len(codes)), index=codes)
    m = m[m["iso3"].isin(pos.index)]
    years = end - start + 1
    member = np.zeros((years, len(codes)), bool)
    code = np.full((years, len(codes)), -1, np.int64)
    yi = m["year"].to_numpy(int) - start
    ai = pos.loc[m["iso3"]].to_numpy()
    member[yi, ai] = True
    code[yi, ai] = m["code"].fillna(-1).astype(int).to_numpy()
    return member, code


def code_table(system: str = "cow", *, data=None) -> pd.DataFrame:
    """The system's codes over time for every actor: iso3, code, start, end (spells)."""
    check_choice(system, ("cow", "gw"), name="system")
    t = resolve(data).view("state_system")
    return t[t["system"] == system][["iso3", "code", "start", "end"]].reset_index(drop=True)
