"""Foreign military presence: who is stationed where.

Three tables feed it:

* ``presence`` (curated): a user state's base, access site, rotational force, training area
  or logistics facility on a host's territory, with the dates it was established, first
  used and closed. A site counts in year Y if it was established or first used (whichever
  is earlier) by 31 December Y and had not closed before 1 January Y. A row whose host and
  user are one state (France in New Caledonia, China on the reefs it occupies) is part of
  the regional footprint but not foreign presence: ``sites`` marks it ``foreign=False``,
  and ``hosts`` and the presence ties leave it out.
* ``us_bases`` (imported, David Vine's lists): US sites abroad as of about 2018, without
  dates; shown for that snapshot only, never projected back in time.
* ``us_deployments`` (imported, DMDC via troopdata): US personnel by host and year.

A host has **US presence** in a year when DMDC reports at least ``min_personnel`` US
active-duty personnel there (default 100). Every function takes the collection as ``data``.
"""

from __future__ import annotations

import pandas as pd

from .alliances import defence_dyads, presence_ties, site_start, sites_in_force
from .params import check_members
from .store import resolve

__all__ = ["KINDS", "US_BASES_YEAR", "sites", "site_counts", "us_personnel", "hosts",
           "presence_ties"]

KINDS = ("base", "access_site", "rotational_force", "training_area", "logistics")
US_BASES_YEAR = 2018  # the us_bases list's snapshot year (about)


def sites(year: int | None = None, *, user: str | None = None, data=None) -> pd.DataFrame:
    """Foreign sites: the curated presence rows in force in ``year`` (all when None), and,
    for the snapshot year of the US list (or ``year=None``), the US sites of ``us_bases``.

    Columns: site_id, host, user, kind, name, lat, lon, established (the earlier of
    established and first use), end, origin (curated / us_bases) and foreign (False where
    host and user are one state: its own overseas territory, or features it occupies in
    disputed waters, kept for the regional footprint)."""
    c = resolve(data)
    p = c.view("presence")
    cur = p.assign(site_id=p["presence_id"], origin="curated",
                   established=site_start(p), foreign=p["host"] != p["user"])
    if year is not None:
        cur = cur[sites_in_force(p, year)]
    cols = ["site_id", "host", "user", "kind", "name", "lat", "lon", "established", "end",
            "origin", "foreign"]
    out = [cur[cols]]
    if year is None or int(year) == US_BASES_YEAR:
        b = c.view("us_bases")
        b = b[b["host"] != "USA"]  # US territory is not foreign presence
        out.append(pd.DataFrame({"site_id": b["site_id"], "host": b["host"], "user": "USA",
                                 "kind": b["kind"], "name": b["name"], "lat": b["lat"],
                                 "lon": b["lon"], "established": pd.NaT, "end": pd.NaT,
                                 "origin": "us_bases", "foreign": True}))
    both = pd.concat([f for f in out if len(f)], ignore_index=True) if any(
        len(f) for f in out) else pd.DataFrame(columns=cols)
    if user is not None:
        both = both[both["user"] == user]
    return both.reset_index(drop=True)


def site_counts(start: int, end: int, *, foreign_only: bool = True,
                data=None) -> pd.DataFrame:
    """Curated sites in force per user and year, ``start..end``: year, user, sites (0 where a
    user had none that year; every user of the table appears every year). NA outside the
    presence table's declared coverage. ``foreign_only`` leaves out a state's own territory.
    The undated US list (``us_bases``) is not counted."""
    c = resolve(data)
    p = c.view("presence")
    if foreign_only:
        p = p[p["host"] != p["user"]]
    users = sorted(set(p["user"]))
    first, last = c.coverage("presence")
    rows = []
    for y in range(int(start), int(end) + 1):
        on = p[sites_in_force(p, y)]["user"].value_counts()
        covered = first <= y <= last
        rows += [{"year": y, "user": u, "sites": int(on.get(u, 0)) if covered else pd.NA}
                 for u in users]
    out = pd.DataFrame(rows, columns=["year", "user", "sites"])
    return out.astype({"year": int, "sites": "Int64"})


def us_personnel(start: int, end: int, *, hosts: list[str] | None = None,
                 regional_only: bool = True, data=None) -> pd.DataFrame:
    """US personnel by host and year (DMDC): iso3, year, troops_ad (active duty) and the
    services; the region's hosts only unless ``regional_only=False``. NA where DMDC did not
    report; a host-year absent from the reports is absent."""
    c = resolve(data)
    d = c.view("us_deployments")
    d = d[d["year"].between(start, end)]
    attrs = c.actor_attributes()
    if hosts is not None:
        d = d[d["iso3"].isin(check_members(hosts, sorted(attrs), name="hosts"))]
    elif regional_only:
        d = d[d["iso3"].map(lambda i: attrs.get(i, {}).get("regional", False)).astype(bool)]
    return d.drop(columns=["release"]).sort_values(["iso3", "year"]).reset_index(drop=True)


def hosts(year: int, *, min_personnel: int = 100, data=None) -> pd.DataFrame:
    """For each of the region's actors in ``year``: US active-duty personnel (DMDC), whether
    it has US presence (>= ``min_personnel``), its number of curated foreign sites in force,
    and whether it has a defence pledge with the United States; sorted by personnel."""
    c = resolve(data)
    attrs = c.actor_attributes()
    codes = sorted(k for k, v in attrs.items() if v["regional"] and k != "USA")
    d = c.view("us_deployments")
    d = d[d["year"] == int(year)].set_index("iso3")["troops_ad"]
    s = sites(year, data=c)
    n_sites = s[(s["origin"] == "curated") & s["foreign"]].groupby("host").size()
    dd = defence_dyads([int(year)], data=c)
    allies = set(dd.loc[dd["iso3_a"] == "USA", "iso3_b"]) | set(
        dd.loc[dd["iso3_b"] == "USA", "iso3_a"])
    out = pd.DataFrame({"iso3": codes})
    out["us_personnel"] = out["iso3"].map(d)
    out["us_presence"] = (out["us_personnel"] >= min_personnel).where(
        out["us_personnel"].notna())
    out["foreign_sites"] = out["iso3"].map(n_sites).fillna(0).astype(int)
    out["us_defence_pledge"] = out["iso3"].isin(allies)
    return out.sort_values(["us_personnel", "iso3"], ascending=[False, True],
                           na_position="last").reset_index(drop=True)
