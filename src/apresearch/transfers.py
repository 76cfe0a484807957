"""Arms transfers (SIPRI Arms Transfers Database): deliveries by year, supplier dependence,
partners and the transfer network.

TIV (SIPRI trend-indicator value) measures the volume of transfers, not their price: the
functions here never add it to, or divide it by, spending.

* A deal's delivered TIV is spread evenly over its delivery years (the register gives only a
  deal's total; SIPRI's own annual tables may differ).
* A state's **arms-transfer partners** in year Y are the distinct states it delivered to or
  received from (TIV > 0) in the :data:`WINDOW` years to Y (Y-4..Y).

Every function takes the collection as ``data`` (see :mod:`apresearch.store`).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .params import ParameterError
from .store import resolve

__all__ = ["orders", "WINDOW", "deliveries_by_year", "partners", "supplier_dependence",
           "dependence_over_time", "transfer_network", "source_line"]

WINDOW = 5  # years of deliveries that make an arms-transfer partner (Y-4..Y)


def deliveries_by_year(*, data=None) -> pd.DataFrame:
    """TIV delivered per deal and year: deal_id, supplier, recipient, supplier_iso3,
    recipient_iso3, weapon_category, year, tiv_m (cached per collection)."""
    c = resolve(data)
    key = "transfers.deliveries"
    def compute():
        t = c.view("arms_transfers")
        t = t[t["tiv_delivered_m"].notna() & t["delivery_years"].notna()]
        years = t["delivery_years"].astype(str).str.findall(r"\d{4}")
        n = years.str.len()
        exploded = t.assign(year=years).explode("year")
        exploded = exploded[exploded["year"].notna()]
        exploded["year"] = exploded["year"].astype(int)
        exploded["tiv_m"] = exploded["tiv_delivered_m"] / exploded.index.map(n).astype(float)
        cols = ["deal_id", "supplier", "recipient", "supplier_iso3", "recipient_iso3",
                "weapon_category", "year", "tiv_m"]
        return exploded[cols].reset_index(drop=True)
    return c.memo(key, compute)


def _party(frame: pd.DataFrame, role: str) -> pd.Series:
    """A party's ISO3 code where it is an actor, else SIPRI's name."""
    return frame[f"{role}_iso3"].astype("string").fillna(frame[role].astype("string"))


def partners(years, *, window: int = WINDOW, data=None) -> pd.DataFrame:
    """Distinct arms-transfer partners per actor and year (see the module doc): year, iso3,
    arms_partners; every actor in every year (0 where none), NA outside the transfers
    table's coverage."""
    c = resolve(data)
    if window < 1:
        raise ParameterError(f"window={window} is not valid; give a whole number >= 1")
    years = list(years)
    d = deliveries_by_year(data=c)
    d = d[d["tiv_m"] > 0]
    sides = pd.concat([
        pd.DataFrame({"iso3": d["supplier_iso3"], "partner": _party(d, "recipient"),
                      "year": d["year"]}),
        pd.DataFrame({"iso3": d["recipient_iso3"], "partner": _party(d, "supplier"),
                      "year": d["year"]}),
    ]).dropna(subset=["iso3"]).drop_duplicates().reset_index(drop=True)
    codes = sorted(c.actor_attributes())
    grid = pd.MultiIndex.from_product([years, codes], names=["year", "iso3"])
    if not years:
        return pd.DataFrame(columns=["year", "iso3", "arms_partners"])
    # each (state, partner, delivery year) counts in the window years y..y+window-1
    spread = sides.iloc[np.repeat(np.arange(len(sides)), window)].copy()
    spread["year"] = spread["year"].to_numpy() + np.tile(np.arange(window), len(sides))
    spread = spread[spread["year"].isin(years)]
    counts = spread.drop_duplicates().groupby(["year", "iso3"])["partner"].nunique()
    out = counts.reindex(grid, fill_value=0).astype("Int64").rename("arms_partners")
    out = out.reset_index()
    first, last = c.coverage("arms_transfers")
    out.loc[(out["year"] < first) | (out["year"] > last), "arms_partners"] = pd.NA
    return out


def supplier_dependence(recipient: str, start: int, end: int, *, data=None) -> pd.DataFrame:
    """Each supplier's share of ``recipient``'s imports (TIV delivered) in ``start..end``.

    Columns: supplier (ISO3 for actors, SIPRI's name otherwise), tiv_m, share_pct, sorted by
    share (largest first). Empty if nothing was delivered in the window.
    """
    d = deliveries_by_year(data=data)
    d = d[(d["recipient_iso3"] == recipient) & d["year"].between(start, end)]
    if d.empty:
        return pd.DataFrame(columns=["supplier", "tiv_m", "share_pct"])
    by = d.assign(supplier=_party(d, "supplier")).groupby("supplier")["tiv_m"].sum()
    out = by.rename("tiv_m").reset_index()
    out["share_pct"] = out["tiv_m"] / out["tiv_m"].sum() * 100.0
    return out.sort_values(["share_pct", "supplier"], ascending=[False, True]).reset_index(
        drop=True)


def dependence_over_time(recipient: str, supplier: str, start: int, end: int, *,
                         window: int = WINDOW, data=None) -> pd.DataFrame:
    """``supplier``'s share of ``recipient``'s imports over a trailing ``window`` of years,
    for each end year in ``start..end`` (NA where nothing was delivered in the window)."""
    if window < 1:
        raise ParameterError(f"window={window} is not valid; give a whole number >= 1")
    d = deliveries_by_year(data=data)
    d = d[d["recipient_iso3"] == recipient].assign(party=lambda x: _party(x, "supplier"))
    total = d.groupby("year")["tiv_m"].sum()
    mine = d[d["party"] == supplier].groupby("year")["tiv_m"].sum()
    years = range(start - window + 1, end + 1)
    total = total.reindex(years, fill_value=0.0).rolling(window).sum()
    mine = mine.reindex(years, fill_value=0.0).rolling(window).sum()
    share = (mine / total.replace(0.0, np.nan) * 100.0).loc[start:end]
    return pd.DataFrame({"year": share.index, "share_pct": share.to_numpy()})


def transfer_network(start: int, end: int, *, actors_only: bool = True,
                     data=None) -> nx.DiGraph:
    """Directed graph supplier -> recipient weighted by TIV delivered in ``start..end``.

    With ``actors_only`` (default) only deals between two actors are kept; nodes that are
    actors carry the actor's attributes for :func:`apresearch.plot.network_map`.
    """
    c = resolve(data)
    d = deliveries_by_year(data=c)
    d = d[d["year"].between(start, end)]
    if actors_only:
        d = d[d["supplier_iso3"].notna() & d["recipient_iso3"].notna()]
    d = d.assign(s=_party(d, "supplier"), r=_party(d, "recipient"))
    w = d.groupby(["s", "r"])["tiv_m"].sum()
    g = nx.DiGraph(start=start, end=end, unit="SIPRI TIV, millions")
    attrs = c.actor_attributes()
    nodes = sorted({n for pair in w.index for n in pair})
    g.add_nodes_from((n, attrs.get(n, {})) for n in nodes)
    g.add_edges_from((s, r, {"weight": float(tiv)}) for (s, r), tiv in w.items())
    return g


def source_line(*, data=None) -> str:
    """SIPRI's credit line for the Arms Transfers Database, with the table's release."""
    c = resolve(data)
    release = c.release("arms_transfers") or "release unknown"

    return f"SIPRI Arms Transfers Database ({release}), https://www.sipri.org/databases/armstransfers"


def orders(supplier: str, recipient: str, start: int, end: int, *,
           data=None) -> pd.DataFrame:
    """Deals ordered from ``supplier`` by ``recipient`` per order year in ``start..end``:
    year, deals, tiv_order_m (SIPRI TIV of the orders; NA where SIPRI gives none); years
    without an order are 0 within the transfers table's coverage."""
    c = resolve(data)
    t = c.view("arms_transfers")
    t = t[(t["supplier_iso3"] == supplier) & (t["recipient_iso3"] == recipient)
          & t["order_year"].between(start, end)]
    by = t.groupby("order_year").agg(deals=("deal_id", "size"),
                                     tiv_order_m=("tiv_order_m", lambda s: s.sum(min_count=1)))
    years = pd.Index(range(start, end + 1), name="year")
    out = by.reindex(years)
    out["deals"] = out["deals"].fillna(0).astype("Int64")
    first, last = c.coverage("arms_transfers")
    out.loc[(out.index < first) | (out.index > last), "deals"] = pd.NA
    return out.reset_index()
