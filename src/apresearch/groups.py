"""Small grouping helpers the analysis modules share."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["sorted_unique"]


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
