"""Small grouping helpers the analysis modules share."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd

__all__ = ["paused_gc", "sorted_unique"]


def sorted_unique(frame: pd.DataFrame, by: Sequence[str], column: str,
                  index: pd.Index) -> list[list]:
    """For each key of ``index`` (a group of ``by``), the sorted distinct non-missing values
    of ``column`` in that group: a list, empty where the group has none.

    One sort of the distinct (key, value) rows, not a Python function per group.
    """
    by = list(by)
    sub = frame.loc[frame[column].notna(), [*by, column]].astype({column: object})
    sub = sub.drop_duplicates().sort_values([*by, column])
    found = sub.groupby(by, sort=True)[column].agg(list)
    if len(by) == 1:
        return [found.get(key, []) for key in index]
    return [found.get(tuple(key), []) for key in index]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Build many small containers (edge dicts, graphs) without the cyclic garbage collector.

    Each of its passes walks every object the process holds (a loaded collection is hundreds
    of thousands), and bulk building triggers one every few hundred allocations; the
    containers built here hold no cycles, so pausing it changes nothing but the time.
    The collector's previous state is restored on leaving, also after an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
