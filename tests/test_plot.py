"""Map placement and figure helpers (the figures themselves are checked in the notebooks)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import apresearch as apr  # noqa: E402
from apresearch.plot import ASIA_PACIFIC, map_positions  # noqa: E402


def test_map_positions():
    nodes = pd.DataFrame({"iso3": ["JPN", "USA", "GBR", "FJI", "CAN"],
                          "lon": [139.7, -77.0, -0.1, 178.4, -75.7],
                          "lat": [35.7, 38.9, 51.5, -18.1, 45.4]})
    pos = map_positions(nodes).set_index("iso3")
    lon0, lon1, lat0, lat1 = ASIA_PACIFIC
    assert tuple(pos.loc["JPN", ["x", "y"]]) == pytest.approx((139.7, 35.7))
    assert pos.loc["FJI", "x"] == pytest.approx(178.4) and not pos.loc["FJI", "offmap"]
    # off-map capitals: the Americas in a column at the east edge, Europe at the west edge
    assert pos.loc["USA", "offmap"] and pos.loc["USA", "x"] == lon1 - 3
    assert pos.loc["CAN", "x"] == lon1 - 3
    assert pos.loc["GBR", "offmap"] and pos.loc["GBR", "x"] == lon0 + 3
    # stacked in alphabetical order from the top, inside the frame
    assert pos.loc["CAN", "y"] > pos.loc["USA", "y"]
    assert (pos["y"].between(lat0, lat1)).all()


def test_network_map_draws_every_edge(mini_tables):
    g = apr.alliance_graph(2020, mini_tables["agreements"], mini_tables["agreement_members"],
                           mini_tables["actors"], kinds=["defence_treaty"])
    fig = apr.plot.network_map(g, title="t", source="s")
    ax = fig.axes[0]
    lines = [c for c in ax.collections if type(c).__name__ == "LineCollection"]
    assert len(lines[0].get_segments()) == g.number_of_edges() == 3
    assert ax.get_title(loc="left") == "t"
    assert any(t.get_text().startswith("Source: s") for t in fig.texts)


def test_network_map_strongest_edges_only(mini_tables):
    g = apr.alliance_graph(2020, mini_tables["agreements"], mini_tables["agreement_members"],
                           mini_tables["actors"])
    fig = apr.plot.network_map(g, max_edges=2)
    lines = [c for c in fig.axes[0].collections if type(c).__name__ == "LineCollection"]
    assert len(lines[0].get_segments()) == 2
    # the two strongest ties, by weight: USA-JPN and USA-AUS (1.2 each)
    widths = lines[0].get_linewidths()
    assert widths == pytest.approx([4.0, 4.0])  # both at the maximum width


def test_empty_selection_draws_a_labelled_empty_chart():
    fig = apr.plot.bars(pd.DataFrame({"editions": []}), title="t", source="s")
    assert any("no data for this selection" in t.get_text() for t in fig.axes[0].texts)
    fig = apr.plot.lines(pd.DataFrame({"year": [], "v": []}), "year", "v", title="t")
    assert any("no data for this selection" in t.get_text() for t in fig.axes[0].texts)
