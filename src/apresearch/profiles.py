"""One actor, or one pair, in one place: the numbers the country-profile and dyad notebooks
report, computed from the analysis modules so that a notebook only lays them out.

Every count follows the coverage rule (NA outside the table's declared coverage, 0 inside
it when nothing is recorded) and uses the same definitions as the panels, so a profile, the
state-year panel and the tension index give the same answer for the same state and year
(a property the tests hold them to).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .alliances import memberships_in_force
from .diplomacy import participants
from .exercises import pairs as exercise_pairs
from .exercises import participation
from .params import check_country
from .store import resolve

__all__ = ["country_year", "country_years", "incidents_involving", "incidents_between",
           "shared_agreements", "diplomacy_correlates"]


def _na_outside(c, table: str, year: int, value):
    return value if c.covers(table, year) else pd.NA


def incidents_involving(iso3: str, start: int, end: int, *, data=None) -> pd.DataFrame:
    """Incidents in ``start..end`` in which ``iso3`` is initiator or target, by date."""
    c = resolve(data)
    inc = c.view("incidents")
    mine = inc[((inc["initiator"] == iso3) | (inc["target"] == iso3))
               & inc["date"].dt.year.between(start, end)]
    return mine.sort_values(["date", "incident_id"]).reset_index(drop=True)


def country_year(iso3: str, year: int, *, data=None) -> pd.Series:
    """One actor in one year: agreements in force, defence allies, exercise editions and
    partners, engagements, incidents initiated and targeted, spending and CINC."""
    return country_years(iso3, [year], data=data).iloc[0]


def country_years(iso3: str, years, *, data=None) -> pd.DataFrame:
    """:func:`country_year` for several years (one row per year)."""
    c = resolve(data)
    iso3 = check_country(iso3, c.actor_attributes())
    years = [int(y) for y in years]
    lo, hi = (min(years), max(years)) if years else (0, -1)
    ed = participation(lo, hi, data=c)
    ed = ed[ed["iso3"] == iso3].groupby("year")["exercise_id"].nunique()
    pr = exercise_pairs(lo, hi, data=c)
    mine = pr[(pr["iso3_a"] == iso3) | (pr["iso3_b"] == iso3)]
    partner = mine["iso3_b"].where(mine["iso3_a"] == iso3, mine["iso3_a"])
    partners = partner.groupby(mine["year"]).nunique()
    part = participants(data=c)
    eng = part[part["iso3"] == iso3].groupby("year").size()
    inc = c.view("incidents")
    inc_y = inc["date"].dt.year
    milex = c.view("milex").set_index(["iso3", "year"])["constant_usd_m"]
    cinc = c.view("capabilities").set_index(["iso3", "year"])["cinc"]
    rows = []
    for y in years:
        inforce = memberships_in_force(y, data=c)
        mine_ag = inforce[inforce["iso3"] == iso3]
        allies = inforce[inforce["agreement_id"].isin(
            mine_ag.loc[mine_ag["defense"] == 1, "agreement_id"])]["iso3"]
        rows.append({
            "iso3": iso3, "year": y,
            "agreements": _na_outside(c, "agreements", y, int(mine_ag["agreement_id"].nunique())),
            "defence_allies": _na_outside(c, "agreements", y,
                                          int(allies[allies != iso3].nunique())),
            "exercise_editions": _na_outside(c, "exercises", y, int(ed.get(y, 0))),
            "exercise_partners": _na_outside(c, "exercises", y, int(partners.get(y, 0))),
            "engagements": _na_outside(c, "engagements", y, int(eng.get(y, 0))),
            "incidents_initiated": _na_outside(c, "incidents", y, int(
                ((inc["initiator"] == iso3) & inc["target"].notna() & (inc_y == y)).sum())),
            "incidents_targeted": _na_outside(c, "incidents", y, int(
                ((inc["target"] == iso3) & (inc_y == y)).sum())),
            "milex_constant_usd_m": float(milex.get((iso3, y), np.nan)),
            "cinc": float(cinc.get((iso3, y), np.nan)),
        })
    counts = ["agreements", "defence_allies", "exercise_editions", "exercise_partners",
              "engagements", "incidents_initiated", "incidents_targeted"]
    out = pd.DataFrame(rows, columns=["iso3", "year", *counts, "milex_constant_usd_m", "cinc"])
    out[counts] = out[counts].astype("Int64")
    return out


def incidents_between(a: str, b: str, start: int, end: int, *, data=None) -> pd.DataFrame:
    """Incidents in ``start..end`` between ``a`` and ``b`` (either as initiator), by date."""
    c = resolve(data)
    inc = c.view("incidents")
    mine = inc[(((inc["initiator"] == a) & (inc["target"] == b))
                | ((inc["initiator"] == b) & (inc["target"] == a)))
               & inc["date"].dt.year.between(start, end)]
    return mine.sort_values(["date", "incident_id"]).reset_index(drop=True)


def shared_agreements(a: str, b: str, *, data=None) -> pd.DataFrame:
    """Agreements both ``a`` and ``b`` have been party to (at any time): agreement_id, name,
    kind, signed, ended, and the years both were parties."""
    c = resolve(data)
    m = c.view("agreement_members")
    ag = c.view("agreements")
    ma, mb = m[m["iso3"] == a], m[m["iso3"] == b]
    both = ma.merge(mb, on="agreement_id", suffixes=("_a", "_b"))
    start = both[["joined_a", "joined_b"]].max(axis=1)
    # both stop being parties when either leaves or the agreement ends
    ended = both["agreement_id"].map(ag.set_index("agreement_id")["ended"])
    stop = pd.concat([both["left_a"], both["left_b"], ended], axis=1).min(axis=1)
    both = both.assign(together_from=start.dt.year, together_to=stop.dt.year.astype("Int64"))
    out = both[["agreement_id", "together_from", "together_to"]].merge(
        ag[["agreement_id", "name", "kind", "signed", "ended"]], on="agreement_id")
    return out.sort_values(["signed", "agreement_id"]).reset_index(drop=True)


def diplomacy_correlates(start: int, end: int, *, system: str = "cow",
                         data=None) -> pd.DataFrame:
    """Does the intensity of military diplomacy move with alliance ties and exercises?
    Pearson correlations, over the dyad-years of ``start..end`` where all are known, of
    the dyad's diplomacy intensity (:func:`apresearch.diplomacy.intensity`) with its defence
    pledge (0/1), its number of shared agreements and its shared exercises; and the mean
    intensity of dyads with and without a defence pledge."""
    from .diplomacy import intensity  # noqa: PLC0415
    from .panels import dyad_years  # noqa: PLC0415

    c = resolve(data)
    d = dyad_years(start, end, system=system, data=c).astype({"iso3_a": str, "iso3_b": str})
    dip = intensity(start, end, data=c)
    dip = dip.rename(columns={"intensity": "diplomacy"})
    d = d.drop(columns="intensity").merge(dip[["iso3_a", "iso3_b", "year", "diplomacy"]],
                                          how="left", on=["iso3_a", "iso3_b", "year"])
    first, last = c.coverage("engagements")
    inside = d["year"].between(first, last)
    d.loc[inside, "diplomacy"] = d.loc[inside, "diplomacy"].fillna(0.0)
    cols = ["diplomacy", "defense", "agreements", "shared_exercises"]
    ok = d[cols].astype("Float64").dropna().astype(float)
    rows = [{"with": col, "r": ok["diplomacy"].corr(ok[col]), "dyad_years": len(ok)}
            for col in cols[1:]]
    out = pd.DataFrame(rows).set_index("with")
    for label, flag in (("mean intensity, defence pledge", 1),
                        ("mean intensity, no defence pledge", 0)):
        out.loc[label, "r"] = ok.loc[ok["defense"] == flag, "diplomacy"].mean()
        out.loc[label, "dyad_years"] = int((ok["defense"] == flag).sum())
    return out
