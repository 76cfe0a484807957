"""Which importer builds which table: one entry per ``apresearch import SOURCE``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .. import data as _data
from .atop import read_atop_dyads
from .common import ImportFormatError, ImportResult
from .cow import read_cow_nmc, read_cow_states, read_gw_states
from .mme import import_mme
from .sipri import milex_table, read_sipri_milex, read_sipri_transfers
from .troopdata import read_bases, read_troopdata

__all__ = ["Source", "SOURCES", "build"]


@dataclass(frozen=True)
class Source:
    """An importer: what file it reads, which table it writes, and how."""

    name: str
    reads: str
    table: str
    build: Callable[..., tuple[pd.DataFrame, ImportResult]]
    extra: tuple[str, ...] = ()  # further tables the importer writes (from result.facts)


def _years(table: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    if start is None and end is None:
        return table
    return table[table[column].between(start or 0, end or 9999)]


def _milex(path, folder, release, start, end):
    actors = _data.read_table("actors", folder)["iso3"]
    result = read_sipri_milex(path, release=release)
    table = milex_table(result, actors, start or 1990, end or result.facts["last_year"])
    return table, result


def _transfers(path, folder, release, start, end):
    actors = _data.read_table("actors", folder)["iso3"]
    result = read_sipri_transfers(path, actors)
    if release:
        result.table["release"] = release
        result.facts["release"] = release
    return _years(result.table, "order_year", start, end), result


def _nmc(path, folder, release, start, end):
    actors = _data.read_table("actors", folder)["iso3"]
    result = read_cow_nmc(path, actors, release=release or "COW NMC v7.0")
    return _years(result.table, "year", start, end), result


def _atop(path, folder, release, start, end):
    actors = _data.read_table("actors", folder)["iso3"]
    result = read_atop_dyads(path, actors, release=release or "ATOP v5.1")
    return _years(result.table, "year", start, end), result


def _mme(path, folder, release, start, end):
    read = {n: _data.read_table(n, folder) for n in ("exercises", "exercise_participants",
                                                      "exercise_series", "actors")}
    result = import_mme(path, read["exercises"], read["exercise_participants"],
                        read["exercise_series"], read["actors"], release=release or "MME v7")
    for col in ("start", "end"):
        result.table[col] = pd.to_datetime(result.table[col]).dt.strftime("%Y-%m-%d")
    result.table["participants_complete"] = result.table["participants_complete"].map(
        lambda v: None if pd.isna(v) else int(bool(v)))
    return result.table, result


def _troops(path, folder, release, start, end):
    actors = _data.read_table("actors", folder)["iso3"]
    result = read_troopdata(path, actors, **({"release": release} if release else {}))
    return _years(result.table, "year", start, end), result


def _bases(path, folder, release, start, end):
    actors = _data.read_table("actors", folder)["iso3"]
    result = read_bases(path, actors, **({"release": release} if release else {}))
    return result.table, result


def _system(reader, system):
    def build(path, folder, release, start, end):
        actors = _data.read_table("actors", folder)["iso3"]
        result = reader(path, actors, release=release)
        folder_path = _data.data_dir(folder)
        old = folder_path / "state_system.csv"
        keep = pd.DataFrame()
        if old.is_file():
            keep = pd.read_csv(old, dtype=str, keep_default_na=False, na_values=[""])
            keep = keep[keep["system"] != system]
        table = pd.concat([keep, result.table.astype({"code": int})], ignore_index=True)
        return table.sort_values(["system", "iso3", "start"]).reset_index(drop=True), result
    return build


SOURCES: dict[str, Source] = {s.name: s for s in (
    Source("sipri-milex", "SIPRI Military Expenditure Database workbook (.xlsx)", "milex",
           _milex),
    Source("sipri-transfers", "SIPRI Arms Transfers Database trade-register export (.csv)",
           "arms_transfers", _transfers),
    Source("cow-nmc", "COW National Material Capabilities CSV", "capabilities", _nmc),
    Source("atop", "ATOP dyad-year obligations CSV (ATOP's own or peacesciencer's columns)",
           "atop_dyads", _atop),
    Source("mme", "Multinational Military Exercises dataset CSV (mme_v7.csv)", "exercises",
           _mme, extra=("exercise_participants",)),
    Source("dmdc", "US personnel abroad by host and year (DMDC reports as compiled by "
           "troopdata: troopdata-rebuild-country-year.csv)", "us_deployments", _troops),
    Source("us-bases", "US bases and sites abroad (David Vine's lists, as in troopdata's "
           "basedata.csv)", "us_bases", _bases),
    Source("cow-states", "COW State System Membership CSV (states2016.csv)", "state_system",
           _system(read_cow_states, "cow")),
    Source("gw-states", "Gleditsch-Ward list of independent states CSV", "state_system",
           _system(read_gw_states, "gw")),
)}


def build(source: str, path: str | os.PathLike, *, folder=None, release: str | None = None,
          start: int | None = None, end: int | None = None
          ) -> tuple[dict[str, pd.DataFrame], ImportResult]:
    """({table name: new table}, what was read) for ``apresearch import SOURCE PATH``."""
    if source not in SOURCES:
        raise ImportFormatError(f"unknown import source {source!r}; valid: "
                                + ", ".join(SOURCES))
    s = SOURCES[source]
    table, result = s.build(path, folder, release, start, end)
    tables = {s.table: table}
    tables.update({name: result.facts.pop(name.split("_")[-1]) for name in s.extra})
    return tables, result
