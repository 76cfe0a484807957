"""Figures: map placement (off-map capitals in edge columns), network maps (edge colours,
widths, the strongest edges only), NA drawn as gaps, titles and source lines, the empty
chart that says so, small multiples, incident and site maps."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

import apresearch as apr  # noqa: E402
from apresearch import plot  # noqa: E402
from apresearch.plot import ASIA_PACIFIC, DEFENCE_EDGE, OTHER_EDGE, map_positions  # noqa: E402

LON0, LON1, LAT0, LAT1 = ASIA_PACIFIC


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def sources(fig) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_text().startswith("Source: ")]


def lines_of(ax) -> list[LineCollection]:
    return [c for c in ax.collections if isinstance(c, LineCollection)]


def labels(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- placement
def test_map_positions_inside_and_off_map():
    nodes = pd.DataFrame({"iso3": ["JPN", "USA", "GBR", "FJI", "CAN", "RUS", "ISL", "ATA"],
                          "lon": [139.7, -77.0, -0.1, 178.4, -75.7, 37.6, 139.0, 140.0],
                          "lat": [35.7, 38.9, 51.5, -18.1, 45.4, 55.8, 64.1, -75.0]})
    pos = map_positions(nodes).set_index("iso3")
    assert list(pos.columns) == ["x", "y", "offmap"]
    assert tuple(pos.loc["JPN", ["x", "y"]]) == pytest.approx((139.7, 35.7))
    assert not pos.loc["JPN", "offmap"] and not pos.loc["FJI", "offmap"]
    assert pos.loc["FJI", "x"] == pytest.approx(178.4)
    # the Americas (283, 284.3 in the 0-360 frame) in a column at the east edge ...
    assert pos.loc[["CAN", "USA"], "x"].tolist() == [LON1 - 3] * 2
    # ... Europe (359.9), Moscow (37.6, west of the frame) and capitals north or south of it
    # at the west edge
    assert pos.loc[["ATA", "GBR", "ISL", "RUS"], "x"].tolist() == [LON0 + 3] * 4
    assert pos.loc[["USA", "CAN", "GBR", "RUS", "ISL", "ATA"], "offmap"].all()
    # stacked from the top in alphabetical order, (lat1 - lat0) / 14 apart
    step = (LAT1 - LAT0) / 14
    assert pos.loc[["CAN", "USA"], "y"].tolist() == pytest.approx([LAT1 - 4, LAT1 - 4 - step])
    assert pos.loc[["ATA", "GBR", "ISL", "RUS"], "y"].tolist() == pytest.approx(
        [LAT1 - 4 - i * step for i in range(4)])


def test_map_positions_edges_of_the_frame():
    nodes = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E", "F"],
                          "lon": [LON0, LON1, 320.0, 320.5, 100.0, 100.0],
                          "lat": [0.0, 0.0, 0.0, 0.0, LAT0, LAT1]})
    pos = map_positions(nodes).set_index("iso3")
    assert not pos.loc[["A", "B", "E", "F"], "offmap"].any()  # the bounds are inside
    assert pos.loc["C", "x"] == LON1 - 3  # up to 320 degrees east: the Americas
    assert pos.loc["D", "x"] == LON0 + 3


def test_map_positions_long_columns_stay_in_the_frame():
    n = 40
    nodes = pd.DataFrame({"iso3": [f"X{i:02d}" for i in range(n)], "lon": [-10.0] * n,
                          "lat": [50.0] * n})
    y = map_positions(nodes)["y"]
    assert y.iloc[0] == LAT1 - 4 and y.iloc[-1] == pytest.approx(LAT0 + 4)
    assert (y.diff().dropna() < 0).all()  # evenly down the column
    assert y.diff().dropna().to_numpy() == pytest.approx(-(LAT1 - LAT0 - 8) / (n - 1))


def test_map_positions_other_extent():
    extent = (100.0, 150.0, 0.0, 50.0)
    nodes = pd.DataFrame({"iso3": ["JPN", "AUS", "USA"], "lon": [139.7, 149.1, -77.0],
                          "lat": [35.7, -35.3, 38.9]})
    pos = map_positions(nodes, extent).set_index("iso3")
    assert not pos.loc["JPN", "offmap"]
    assert pos.loc["AUS", "offmap"] and pos.loc["AUS", "x"] == 103  # south: west column
    assert pos.loc["USA", "x"] == 147 and pos.loc["USA", "y"] == 46


# --------------------------------------------------------------------------- network map
def graph() -> nx.Graph:
    g = nx.Graph()
    for iso3, lat, lon in [("JPN", 35.7, 139.7), ("AUS", -35.3, 149.1), ("PHL", 14.6, 121.0),
                           ("KOR", 37.6, 127.0), ("USA", 38.9, -77.0), ("GBR", 51.5, -0.1),
                           ("IDN", -6.2, 106.8), ("XXX", None, None)]:
        g.add_node(iso3, lat=lat, lon=lon, name=iso3.title())
    g.add_edge("JPN", "USA", weight=3.0, defense=True)
    g.add_edge("AUS", "USA", weight=2.0, defense=True)
    g.add_edge("JPN", "AUS", weight=1.0, defense=False)
    g.add_edge("PHL", "KOR", weight=1.0)  # no defense attribute: another agreement
    g.add_edge("JPN", "XXX", weight=0.5, defense=True)  # XXX has no coordinates
    return g


def test_network_map_edges_widths_and_colours():
    fig = plot.network_map(graph(), title="Ties", source="test")
    ax = fig.axes[0]
    (edges,) = lines_of(ax)
    # strongest first; JPN-XXX is not drawn (XXX has no place)
    segs = [tuple(map(tuple, s)) for s in edges.get_segments()]
    usa = (LON1 - 3, LAT1 - 4)
    assert segs == [((139.7, 35.7), usa), ((149.1, -35.3), usa),
                    ((139.7, 35.7), (149.1, -35.3)), ((121.0, 14.6), (127.0, 37.6))]
    # 0.4 + 3.6 * weight / largest weight (3)
    assert edges.get_linewidths() == pytest.approx([4.0, 2.8, 1.6, 1.6])
    colours = [tuple(c) for c in edges.get_colors()]
    d, o = to_rgba(DEFENCE_EDGE, 0.5), to_rgba(OTHER_EDGE, 0.5)
    assert colours == [d, d, o, o]
    assert DEFENCE_EDGE != OTHER_EDGE
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["includes a defence pledge",
                                                         "other agreements"]
    assert [to_rgba(h.get_color()) for h in legend.legend_handles] == [
        to_rgba(DEFENCE_EDGE), to_rgba(OTHER_EDGE)]
    assert ax.get_title(loc="left") == "Ties"
    assert sources(fig) == ["Source: test; base map: Natural Earth 1:50m (public domain)"]
    # labels: actors with a drawn tie; the off-map one says so; IDN (no tie) has none
    assert sorted(labels(ax)) == ["AUS", "JPN", "KOR", "PHL", "USA (off map)"]
    # nodes: USA off map (a square), GBR off map and untied (left out)
    points = nodes_of(ax)
    assert len(points) == 6  # JPN AUS PHL KOR USA IDN
    assert len([c for c in ax.collections if isinstance(c, PathCollection)]) == 2  # o and s
    sizes = sorted(size for _, size, _, _ in points)
    # 15 + 160 * degree / largest degree (3: JPN, counting its tie to XXX)
    assert sizes == pytest.approx([15, 15 + 160 / 3, 15 + 160 / 3, 15 + 320 / 3,
                                   15 + 320 / 3, 175])
    at = {xy: vertices for xy, _, _, vertices in points}
    assert at[usa] < at[(139.7, 35.7)]  # off map: a square, fewer vertices than a circle
    grey = [xy for xy, _, colour, _ in points if colour == to_rgba("#9a9a9a")]
    assert grey == [(106.8, -6.2)]  # IDN


def nodes_of(ax) -> list[tuple]:
    """Every node drawn: (position, size, face colour, vertices of its marker)."""
    out = []
    for c in ax.collections:
        if isinstance(c, PathCollection):
            n = len(c.get_offsets())
            sizes = np.broadcast_to(c.get_sizes(), (n,))
            faces = np.broadcast_to(c.get_facecolor(), (n, 4))
            for xy, size, face in zip(c.get_offsets(), sizes, faces, strict=True):
                out.append((tuple(map(float, xy)), float(size), tuple(map(float, face)),
                            len(c.get_paths()[0].vertices)))
    return out


def test_network_map_without_defence_colours_or_labels():
    fig = plot.network_map(graph(), edge_colour_by_defense=False, label=False,
                           node_colour={"JPN": "#00ff00"})
    ax = fig.axes[0]
    (edges,) = lines_of(ax)
    assert {tuple(c) for c in edges.get_colors()} == {to_rgba(OTHER_EDGE, 0.5)}
    assert ax.get_legend() is None and labels(ax) == []
    assert sum(colour == to_rgba("#00ff00") for _, _, colour, _ in nodes_of(ax)) == 1
    assert sources(fig) == [] and ax.get_title(loc="left") == ""


def test_network_map_keeps_the_strongest_edges():
    fig = plot.network_map(graph(), max_edges=2)
    ax = fig.axes[0]
    (edges,) = lines_of(ax)
    usa = (LON1 - 3, LAT1 - 4)
    assert [tuple(map(tuple, s)) for s in edges.get_segments()] == [
        ((139.7, 35.7), usa), ((149.1, -35.3), usa)]
    assert edges.get_linewidths() == pytest.approx([4.0, 0.4 + 3.6 * 2 / 3])
    assert sorted(labels(ax)) == ["AUS", "JPN", "USA (off map)"]
    # equal weights: the order of the pair's names decides
    g = nx.Graph()
    for n in ("A", "B", "C"):
        g.add_node(n, lat=0.0, lon=100.0 + ord(n))
    g.add_edge("B", "C", weight=1.0)
    g.add_edge("A", "C", weight=1.0)
    (edges,) = lines_of(plot.network_map(g, max_edges=1).axes[0])
    assert [tuple(map(tuple, s)) for s in edges.get_segments()] == [((165.0, 0.0),
                                                                     (167.0, 0.0))]


def test_network_map_with_real_graph(coll):
    g = apr.alliance_graph(1955, data=coll)
    fig = plot.network_map(g, title="1955")
    (edges,) = lines_of(fig.axes[0])
    assert len(edges.get_segments()) == g.number_of_edges() == 4
    assert {tuple(c) for c in edges.get_colors()} == {to_rgba(DEFENCE_EDGE, 0.5)}


def test_network_map_of_an_empty_graph():
    fig = plot.network_map(nx.Graph(), title="Nothing", source="s")
    ax = fig.axes[0]
    assert lines_of(ax) == [] and ax.get_title(loc="left") == "Nothing"
    assert sources(fig) == ["Source: s; base map: Natural Earth 1:50m (public domain)"]


# --------------------------------------------------------------------------- base map
def test_basemap_and_style():
    rings = plot.basemap_rings()
    assert len(rings) > 100 and all(0 <= x <= 360 for ring in rings for x, _ in ring)
    fig, ax = plt.subplots()
    plot.basemap(ax, highlight={"392": "#ff0000"})
    assert ax.get_xlim() == (LON0, LON1) and ax.get_ylim() == (LAT0, LAT1)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "60°E", "90°E", "120°E", "150°E", "180°E", "150°W"]
    (polys,) = ax.collections
    assert to_rgba("#ff0000") in [tuple(c) for c in polys.get_facecolors()]
    assert ax.get_xlabel() == "longitude" and ax.get_ylabel() == "latitude (°N)"
    plot.use_style()
    assert matplotlib.rcParams["axes.titlelocation"] == "left"
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][:2] == plot.PALETTE[:2]
    fig = plt.figure()
    plot.add_source(fig, "somewhere")
    assert sources(fig) == ["Source: somewhere"] and fig.subplotpars.bottom >= 0.18


def test_actor_map(mini_tables):
    actors = mini_tables["actors"]
    fig = plot.actor_map(actors, title="Actors", source="s")
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "subregion"
    assert [t.get_text() for t in legend.get_texts()] == sorted(actors["subregion"].unique())
    assert "USA (off map)" in labels(ax) and "JPN" in labels(ax) and len(labels(ax)) == 9
    north_america = [c for c in ax.collections if isinstance(c, PathCollection)
                     and c.get_label() == "North America"][0]
    assert tuple(north_america.get_facecolor()[0]) == to_rgba(
        plot.SUBREGION_COLOURS["North America"])
    assert ax.get_title(loc="left") == "Actors"


# --------------------------------------------------------------------------- charts
def test_lines_one_per_group_with_gaps_for_na():
    df = pd.DataFrame({"year": [2002, 2000, 2001, 2000, 2001, 2002],
                       "v": [3.0, 1.0, np.nan, 5.0, 6.0, 7.0],
                       "who": ["b", "b", "b", "a", "a", "a"]})
    fig = plot.lines(df, "year", "v", hue="who", title="T", source="S")
    ax = fig.axes[0]
    assert [ln.get_label() for ln in ax.get_lines()] == ["a", "b"]
    b = ax.get_lines()[1]
    assert list(b.get_xdata()) == [2000, 2001, 2002]  # sorted by x
    ydata = np.asarray(b.get_ydata(), dtype=float)
    assert ydata[0] == 1.0 and np.isnan(ydata[1]) and ydata[2] == 3.0  # a gap, not 0
    assert ax.get_legend() is not None
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("year", "v")
    assert sources(fig) == ["Source: S"] and ax.get_title(loc="left") == "T"
    fig = plot.lines(df[df.who == "a"], "year", "v", xlabel="Year", ylabel="Value")
    ax = fig.axes[0]
    assert ax.get_legend() is None and len(ax.get_lines()) == 1
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Year", "Value")


def test_lines_thousands_separators():
    df = pd.DataFrame({"year": [2000, 2001], "v": [5000.0, 12000.0]})
    ax = plot.lines(df, "year", "v").axes[0]
    assert ax.yaxis.get_major_formatter()(12000, 0) == "12,000"
    small = plot.lines(df.assign(v=[1.0, 9999.0]), "year", "v").axes[0]
    assert not isinstance(small.yaxis.get_major_formatter(), matplotlib.ticker.FuncFormatter)


def test_empty_selection_draws_a_labelled_empty_chart():
    for fig in (plot.bars(pd.DataFrame({"editions": []}), title="t", source="s"),
                plot.bars(pd.DataFrame({"a": [np.nan, np.nan]}), title="t", source="s"),
                plot.lines(pd.DataFrame({"year": [], "v": []}), "year", "v", title="t",
                           source="s"),
                plot.lines(pd.DataFrame({"year": [2000], "v": [np.nan]}), "year", "v",
                           title="t", source="s")):
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.texts] == ["no data for this selection"]
        assert ax.get_title(loc="left") == "t" and sources(fig) == ["Source: s"]
        assert len(ax.patches) == 0 and len(ax.get_lines()) == 0
    ax = plot.lines(pd.DataFrame({"year": [], "v": []}), "year", "v").axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("year", "v")


def _bars(ax):
    return [(round(p.get_x(), 2), round(p.get_y(), 2), p.get_width(), p.get_height())
            for p in ax.patches]


def test_bars_draw_na_as_gaps_not_zeros():
    table = pd.DataFrame({"a": [1.0, np.nan, 0.0], "b": [np.nan, 2.0, 1.0]},
                         index=["x", "y", "z"])
    ax = plot.bars(table, title="T", source="S").axes[0]
    # stacked: a known zero is a bar (of height 0); an NA is no bar at all
    assert _bars(ax) == [(-0.4, 0, 0.8, 1.0), (1.6, 0, 0.8, 0.0),
                         (0.6, 0, 0.8, 2.0), (1.6, 0, 0.8, 1.0)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y", "z"]
    assert sources(fig := ax.figure) == ["Source: S"] and fig.axes[0].get_title(loc="left") == "T"
    side = plot.bars(table, stacked=False).axes[0]
    assert _bars(side) == [(-0.4, 0, 0.4, 1.0), (1.6, 0, 0.4, 0.0), (1.0, 0, 0.4, 2.0),
                           (2.0, 0, 0.4, 1.0)]
    flat = plot.bars(table, horizontal=True, xlabel="n", ylabel="who").axes[0]
    assert flat.yaxis_inverted() and len(flat.patches) == 4
    assert [p.get_width() for p in flat.patches] == [1.0, 0.0, 2.0, 1.0]
    assert (flat.get_xlabel(), flat.get_ylabel()) == ("n", "who")
    one = plot.bars(table[["a"]]).axes[0]
    assert one.get_legend() is None and len(one.patches) == 2


def test_timeline():
    spells = pd.DataFrame({"start": pd.to_datetime(["2010-01-30", "2011-01-09"]),
                           "end": pd.to_datetime(["2011-01-09", "2012-01-01"]),
                           "status": ["suspended", "open"]})
    fig = plot.timeline(spells, label="US-China", title="Channels", source="S")
    ax = fig.axes[0]
    bars = {c.get_label(): c for c in ax.collections}
    assert sorted(bars) == ["open", "suspended"]
    assert tuple(bars["open"].get_facecolor()[0]) == to_rgba("#66a182")
    assert tuple(bars["suspended"].get_facecolor()[0]) == to_rgba("#d1495b")
    start = matplotlib.dates.date2num(pd.Timestamp("2010-01-30"))
    (path,) = bars["suspended"].get_paths()
    assert path.vertices[:, 0].min() == pytest.approx(start)
    assert (path.vertices[:, 1].min(), path.vertices[:, 1].max()) == pytest.approx((0.2, 0.8))
    assert path.vertices[:, 0].max() == pytest.approx(
        matplotlib.dates.date2num(pd.Timestamp("2011-01-09")))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["US-China"]
    assert ax.get_xlabel() == "date" and sources(fig) == ["Source: S"]
    custom = plot.timeline(spells, colours={"open": "#000000"}).axes[0]
    bars = {c.get_label(): c for c in custom.collections}
    assert tuple(bars["open"].get_facecolor()[0]) == to_rgba("#000000")
    assert tuple(bars["suspended"].get_facecolor()[0]) == to_rgba("#999")


def test_incident_map(coll):
    inc = apr.tensions.select(2010, 2017, data=coll)
    fig = plot.incident_map(inc, title="Incidents", source="S")
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend.get_title().get_text() == (
        "theatre (size: severity 1-5); 4 without coordinates")
    assert [t.get_text() for t in legend.get_texts()] == ["Korean Peninsula (3)",
                                                         "South China Sea (1)"]
    points = {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}
    korea = points["Korean Peninsula (3)"]
    assert tuple(korea.get_facecolor()[0])[:3] == to_rgba(
        plot.THEATRE_COLOURS["Korean Peninsula"])[:3]
    # severity 5, 5, 4: 12 + 18 * severity ** 1.5
    assert korea.get_sizes() == pytest.approx([12 + 18 * 5 ** 1.5] * 2 + [12 + 18 * 4 ** 1.5])
    assert korea.get_offsets()[0].tolist() == [124.6, 37.9]
    assert sources(fig) == ["Source: S; base map: Natural Earth 1:50m (public domain)"]
    west = inc.assign(lon=inc["lon"] - 360)  # the 0-360 frame
    moved = plot.incident_map(west).axes[0]
    pts = [c for c in moved.collections if isinstance(c, PathCollection)]
    assert pts[0].get_offsets()[0].tolist() == pytest.approx([124.6, 37.9])


def test_small_multiples_panels_gaps_and_titles():
    df = pd.DataFrame({"year": [2001, 2000, 2000, 2001, 2000, 2000],
                       "v": pd.array([2, 1, None, 4, 5, 6], dtype="Int64"),
                       "s": [1.5, 1.0, 3.0, 3.5, 5.0, 6.0],
                       "who": ["b", "b", "a", "a", "c", "d"]})
    fig = plot.small_multiples(df, "year", "v", "who", smooth="s", title="T", xlabel="X",
                               ylabel="Y", source="S", ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert tuple(fig.get_size_inches()) == pytest.approx((3.2 * 3, 2.4 * 2))
    assert len(fig.axes) == 6 and [ax.get_title(loc="left") for ax in visible] == [
        "a", "b", "c", "d"]
    a = visible[0]
    raw, smooth = a.get_lines()
    assert np.isnan(raw.get_ydata()[0]) and raw.get_ydata()[1] == 4.0  # NA is a gap
    assert list(smooth.get_ydata()) == [3.0, 3.5]
    assert to_rgba(raw.get_color()) == to_rgba(plot.PALETTE[0])
    assert to_rgba(smooth.get_color()) == to_rgba(plot.PALETTE[1])
    assert list(visible[1].get_lines()[0].get_xdata()) == [2000, 2001]  # sorted
    assert fig._suptitle.get_text() == "T" and fig._supxlabel.get_text() == "X"
    assert fig._supylabel.get_text() == "Y" and sources(fig) == ["Source: S"]
    assert a.get_shared_y_axes().joined(a, visible[3])
    plain = plot.small_multiples(df, "year", "v", "who")
    assert len(plain.axes) == 4 and all(len(ax.get_lines()) == 1 for ax in plain.axes)
    assert plain._supxlabel.get_text() == "year" and plain._suptitle is None


def test_site_map(mini_tables):
    sites = pd.DataFrame({"kind": ["base", "base", "access_site", "base"],
                          "lat": [35.28, 37.09, 15.0, None],
                          "lon": [139.67, 127.03, 120.5, None]})
    fig = plot.site_map(sites, title="Sites", source="S")
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "kind; 1 without coordinates"
    assert [t.get_text() for t in legend.get_texts()] == ["access_site (1)", "base (2)"]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [tuple(p.get_facecolor()[0])[:3] for p in points] == [
        to_rgba(plot.PALETTE[0])[:3], to_rgba(plot.PALETTE[1])[:3]]
    assert sources(fig) == ["Source: S; base map: Natural Earth 1:50m (public domain)"]
    empty = plot.site_map(sites.iloc[3:]).axes[0]
    assert empty.get_legend() is None
