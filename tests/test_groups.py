import gc

import pandas as pd
import pytest

from apresearch.groups import paused_gc, sorted_unique


def test_sorted_unique_by_two_keys():
    frame = pd.DataFrame({"a": ["x", "x", "x", "y", "y", "z"],
                          "b": [1, 1, 2, 1, 1, 1],
                          "v": ["q", "p", "q", None, "r", None]})
    index = pd.MultiIndex.from_tuples([("x", 1), ("x", 2), ("y", 1), ("z", 1), ("w", 9)])
    # sorted, each value once, missing left out; a group with none (or absent) is empty
    assert sorted_unique(frame, ["a", "b"], "v", index) == [["p", "q"], ["q"], ["r"], [], []]


def test_sorted_unique_by_one_key_keeps_the_index_order():
    frame = pd.DataFrame({"k": [2, 1, 2, 2], "v": ["b", "c", "a", "b"]})
    assert sorted_unique(frame, ["k"], "v", pd.Index([2, 1])) == [["a", "b"], ["c"]]
    assert sorted_unique(frame.iloc[0:0], ["k"], "v", pd.Index([1])) == [[]]


def test_paused_gc_restores_the_collector_state():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a collector the caller had paused stays paused
    finally:
        gc.enable()
    with pytest.raises(ZeroDivisionError):
        with paused_gc():
            1 / 0  # noqa: B018
    assert gc.isenabled()
