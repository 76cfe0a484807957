"""Interactive figures (Bokeh) and the widget panels' logic: what the hover tools show (the
agreements and their dates, the incidents' summaries), how a figure is embedded with its
static fallback, and that the Explorers redraw without a browser."""

from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from bokeh.models import HoverTool  # noqa: E402
from bokeh.plotting import figure  # noqa: E402
from matplotlib._pylab_helpers import Gcf  # noqa: E402

import apresearch as apr  # noqa: E402
from apresearch import explore, plot  # noqa: E402
from apresearch.plot import ASIA_PACIFIC, DEFENCE_EDGE, OTHER_EDGE  # noqa: E402

LON0, LON1, LAT0, LAT1 = ASIA_PACIFIC


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def glyphs(p, kind: str) -> list:
    return [r for r in p.renderers if type(r.glyph).__name__ == kind]


def data(p, kind: str) -> dict:
    (r,) = glyphs(p, kind)
    return dict(r.data_source.data)


def hovers(p) -> list[HoverTool]:
    return [t for t in p.tools if isinstance(t, HoverTool)]


# --------------------------------------------------------------------------- network
def test_network_edges_name_the_agreements_and_their_dates(coll):
    g = apr.alliance_graph(1955, data=coll)
    p = explore.network(g, title="Alliances, 1955", data=coll)
    edges = data(p, "MultiLine")
    assert sorted(edges["label"]) == [
        "AUS-USA: US-Australia (signed 1951-09-01)",
        "JPN-USA: US-Japan (signed 1951-09-08)",
        "KOR-USA: US-ROK (signed 1953-10-01)",
        "PHL-USA: US-Philippines (signed 1951-08-30, ended 1960-06-30)"]
    assert set(edges["colour"]) == {DEFENCE_EDGE}
    assert edges["width"] == pytest.approx([4.5] * 4)  # 0.5 + 4 * weight / largest weight
    usa = (LON1 - 3, LAT1 - 4)  # the only off-map actor with a tie: top of the east column
    for xs, ys, label in zip(edges["xs"], edges["ys"], edges["label"], strict=True):
        assert (xs[1], ys[1]) == usa, label
    (edge_hover, node_hover) = hovers(p)
    assert edge_hover.tooltips == [("tie", "@label")] and edge_hover.line_policy == "interp"
    assert edge_hover.renderers == glyphs(p, "MultiLine")
    assert node_hover.tooltips == [("state", "@name (@iso3)"), ("partners", "@degree: @partners")]
    assert node_hover.renderers == glyphs(p, "Scatter")
    assert p.title.text == "Alliances, 1955"
    assert (p.x_range.start, p.x_range.end, p.y_range.start, p.y_range.end) == ASIA_PACIFIC
    assert p.xaxis[0].axis_label == "longitude (°E, 0-360)"
    assert p.yaxis[0].axis_label == "latitude (°N)"
    assert len(glyphs(p, "Patches")) == 1  # the base map


def test_network_nodes_show_partners(coll):
    g = apr.alliance_graph(1955, data=coll)
    nodes = data(explore.network(g, data=coll), "Scatter")
    by = {iso3: i for i, iso3 in enumerate(nodes["iso3"])}
    assert "RUS" not in by  # off the map and without a tie: left out
    assert set(by) == {"AUS", "CHN", "IND", "JPN", "KOR", "PHL", "PRK", "USA"}
    usa, jpn, chn = by["USA"], by["JPN"], by["CHN"]
    assert nodes["name"][usa] == "United States" and nodes["degree"][usa] == 4
    assert nodes["partners"][usa] == "AUS, JPN, KOR, PHL"
    assert (nodes["partners"][jpn], nodes["degree"][jpn]) == ("USA", 1)
    assert (nodes["partners"][chn], nodes["degree"][chn]) == ("none", 0)
    # 6 + 14 * degree / largest degree
    assert [nodes["size"][i] for i in (usa, jpn, chn)] == pytest.approx([20, 9.5, 6])
    assert (nodes["x"][usa], nodes["y"][usa]) == (LON1 - 3, LAT1 - 4)
    assert (nodes["x"][jpn], nodes["y"][jpn]) == (139.7, 35.7)


def test_network_places_actors_where_the_static_map_does():
    g = nx.Graph()
    for iso3, lat, lon in [("CAN", 45.4, -75.7), ("USA", 38.9, -77.0), ("JPN", 35.7, 139.7),
                           ("GBR", 51.5, -0.1), ("FRA", 48.9, 2.4), ("AUS", -35.3, 149.1)]:
        g.add_node(iso3, lat=lat, lon=lon)
    g.add_edge("USA", "JPN", weight=1.0)
    g.add_edge("FRA", "AUS", weight=1.0)  # CAN and GBR: off the map, untied
    live = data(explore.network(g, data=apr.Collection.from_frames({})), "Scatter")
    at = {n: (x, y) for n, x, y in zip(live["iso3"], live["x"], live["y"], strict=True)}
    assert sorted(at) == ["AUS", "FRA", "JPN", "USA"]
    assert at["USA"] == (LON1 - 3, LAT1 - 4) and at["FRA"] == (LON0 + 3, LAT1 - 4)
    static = plot.network_map(g).axes[0]
    drawn = {t.get_text().split()[0]: t.xy for t in static.texts}
    assert {n: tuple(map(float, xy)) for n, xy in drawn.items()} == at


def test_network_labels_without_agreements(coll):
    g = nx.Graph()
    g.add_node("JPN", lat=35.7, lon=139.7, name="Japan")
    g.add_node("KOR", lat=37.6, lon=127.0, name="South Korea")
    g.add_node("PHL", lat=14.6, lon=121.0)
    g.add_node("XXX")  # no coordinates: left out
    g.add_edge("JPN", "KOR", weight=2.0, agreements=["not-in-the-data"], defense=True)
    g.add_edge("JPN", "PHL", weight=0.5, presence=True, agreements=[])
    g.add_edge("KOR", "PHL", weight=1.0)
    g.add_edge("KOR", "XXX", weight=1.0)
    edges = data(explore.network(g, data=coll), "MultiLine")
    assert edges["label"] == ["JPN-KOR: not-in-the-data", "JPN-PHL: foreign military presence",
                              "KOR-PHL: weight 1"]
    assert edges["colour"] == [DEFENCE_EDGE, OTHER_EDGE, OTHER_EDGE]
    assert edges["width"] == pytest.approx([4.5, 1.5, 2.5])
    nodes = data(explore.network(g, data=coll), "Scatter")
    assert nodes["name"] == ["Japan", "South Korea", "PHL"]
    # without an agreements table, an agreement is named by its id
    bare = data(explore.network(g, data=apr.Collection.from_frames({})), "MultiLine")
    assert bare["label"][0] == "JPN-KOR: not-in-the-data"


def test_network_of_an_empty_graph_and_another_extent(coll):
    p = explore.network(nx.Graph(), title="none", data=coll)
    assert [type(r.glyph).__name__ for r in p.renderers] == ["Patches"] and hovers(p) == []
    g = nx.Graph()
    g.add_node("JPN", lat=35.7, lon=139.7)
    g.add_node("AUS", lat=-35.3, lon=149.1)
    g.add_edge("JPN", "AUS", weight=1.0)
    p = explore.network(g, extent=(100.0, 150.0, 0.0, 50.0), data=coll)
    assert (p.x_range.start, p.x_range.end) == (100.0, 150.0)
    nodes = data(p, "Scatter")
    assert dict(zip(nodes["iso3"], zip(nodes["x"], nodes["y"], strict=True),
                    strict=True))["AUS"] == (103.0, 46.0)  # south of the frame: west column


# --------------------------------------------------------------------------- incidents
def test_incident_map_hover_data(coll):
    inc = apr.tensions.select(2010, 2017, data=coll)
    p = explore.incident_map(inc, title="Incidents")
    d = data(p, "Scatter")
    assert d["date"] == ["2010-03-26", "2010-11-23", "2012-04-10", "2016-01-06"]
    assert d["kind"] == ["sinking_shelling", "sinking_shelling", "standoff", "nuclear_test"]
    assert d["who"] == ["PRK → KOR", "PRK → KOR", "CHN → PHL", "PRK → —"]
    assert d["severity"] == [5, 5, 3, 4] and d["size"] == [21.0, 21.0, 15.0, 18.0]
    assert d["x"] == [124.6, 125.7, 117.8, 129.1] and d["y"] == [37.9, 37.7, 15.2, 41.3]
    assert d["colour"] == [plot.THEATRE_COLOURS["Korean Peninsula"]] * 2 + [
        plot.THEATRE_COLOURS["South China Sea"], plot.THEATRE_COLOURS["Korean Peninsula"]]
    assert d["summary"] == ["s"] * 4 and d["source"] == [
        "Test fixture, hand-made, 2026-01-01"] * 4
    (hover,) = hovers(p)
    assert hover.tooltips == [("date", "@date"), ("kind", "@kind (severity @severity)"),
                              ("states", "@who"), ("what", "@summary"), ("source", "@source")]
    assert p.title.text == "Incidents"
    west = explore.incident_map(inc.assign(lon=inc["lon"] - 360))
    assert data(west, "Scatter")["x"] == pytest.approx(d["x"])
    theatre = inc.assign(theatre="Nowhere")
    assert set(data(explore.incident_map(theatre), "Scatter")["colour"]) == {"#777"}
    empty = explore.incident_map(inc[inc["lat"].isna()])
    assert glyphs(empty, "Scatter") == [] and hovers(empty) == []


# --------------------------------------------------------------------------- timeline
def test_timeline_spells_and_events():
    spells = pd.DataFrame({"start": pd.to_datetime(["2010-01-30", "2011-01-09"]),
                           "end": pd.to_datetime(["2011-01-09", "2012-03-01"]),
                           "status": ["suspended", "open"]})
    events = pd.DataFrame({"date": pd.to_datetime(["2010-03-26", "2011-06-01"]),
                           "label": ["Cheonan sunk", 7], "kind": ["incident", "arms orders"]})
    p = explore.timeline(spells, events=events, title="Channels")
    q = data(p, "Quad")
    assert q["status"] == ["suspended", "open"] and q["colour"] == ["#d1495b", "#66a182"]
    assert q["span"] == ["2010-01-30 to 2011-01-09", "2011-01-09 to 2012-03-01"]
    assert list(q["left"]) == list(spells["start"]) and list(q["right"]) == list(spells["end"])
    e = data(p, "Scatter")
    assert e["label"] == ["Cheonan sunk", "7"] and e["kind"] == ["incident", "arms orders"]
    assert e["when"] == ["2010-03-26", "2011-06-01"] and e["y"] == [1.3, 1.3]
    spell_hover, event_hover = hovers(p)
    assert spell_hover.tooltips == [("status", "@status"), ("when", "@span")]
    assert event_hover.tooltips == [("date", "@when"), ("kind", "@kind"), ("what", "@label")]
    assert p.title.text == "Channels" and p.xaxis[0].axis_label == "date"
    other = explore.timeline(spells.assign(status=["closed", "open"]))
    assert data(other, "Quad")["colour"] == ["#999", "#66a182"]
    assert glyphs(other, "Scatter") == []
    empty = explore.timeline(spells.iloc[:0], events=events.iloc[:0])
    assert empty.renderers == [] and hovers(empty) == []


def test_timeline_events(coll):
    inc = apr.tensions.select(2010, 2012, data=coll).assign(
        summary=["x" * 200, "b", "c", "d", "e"])
    orders = pd.DataFrame({"year": [2010, 2011, 2012],
                           "deals": pd.array([2, 0, pd.NA], dtype="Int64")})
    ms = coll.view("milestones")
    ev = explore.timeline_events(incidents=inc, orders=orders, milestones=ms)
    assert list(ev.columns) == ["date", "kind", "label"]
    assert ev["date"].is_monotonic_increasing and len(ev) == 5 + 1 + 1
    row = ev[ev["kind"] == "arms orders"].iloc[0]
    assert (row["date"], row["label"]) == (pd.Timestamp("2010-07-01"), "2 deals ordered")
    assert ev.loc[ev["kind"] == "ruling", "label"].tolist() == ["a"]
    assert ev["label"].iloc[0] == "x" * 160  # summaries cut to 160 characters
    assert (ev["kind"] == "incident").sum() == 5
    none = explore.timeline_events()
    assert none.empty and list(none.columns) == ["date", "label", "kind"]
    assert explore.timeline_events(incidents=inc.iloc[:0], orders=orders.iloc[:0]).empty


# --------------------------------------------------------------------------- embedding
def test_embed_has_the_marker_the_fallback_and_nothing_from_the_web():
    p = figure(title="A <map> & more")
    p.scatter([1, 2], [3, 4])
    fallback, ax = plt.subplots()
    ax.plot([1, 2])
    text = explore.embed(p, fallback)._repr_html_()
    assert text.startswith(explore.MARKER + "\n")
    assert explore.MARKER == "<!-- apresearch:bokeh -->"
    img = re.search(r'<img class="apr-fallback" alt="([^"]*)" style="max-width:100%" '
                    r'src="data:image/png;base64,([^"]+)">', text)
    assert img and img.group(1) == "A &lt;map&gt; &amp; more"
    assert base64.b64decode(img.group(2))[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fallback.number)  # closed: not shown again inline
    assert not re.search(r"""<script[^>]*\ssrc=""", text)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    ident = re.search(r'<div class="apr-interactive" id="apr-([^"]+)">', text).group(1)
    assert f'<div id="{ident}"' in text and f'getElementById("apr-{ident}")' in text
    assert '<div class="apr-live" style="display:none">' in text
    assert "@media print" in text and 'typeof Bokeh === "undefined"' in text
    bare = explore.embed(p)._repr_html_()
    assert "<img" not in bare and explore.MARKER in bare


def test_bokeh_js_is_inline():
    js = explore.bokeh_js()
    assert js.startswith('<script type="text/javascript">') and js.endswith("</script>")
    assert not re.search(r"<script[^>]*\ssrc=", js)
    assert "Bokeh" in js and len(js) > 500_000


# --------------------------------------------------------------------------- widgets
def test_alliance_explorer(coll):
    ex = explore.alliance_explorer(2020, ["defence_treaty"], data=coll)
    assert (ex.controls["year"].min, ex.controls["year"].max) == (1950, 2025)
    assert ex.controls["year"].value == 2020
    assert ex.controls["kinds"].value == ("defence_treaty",)
    assert list(ex.controls["kinds"].options) == list(apr.alliances.AGREEMENT_KINDS)
    old = plt.figure()
    fig = ex.update(year=1955, kinds=("defence_treaty",))
    open_figures = [m.canvas.figure for m in Gcf.get_all_fig_managers()]
    assert open_figures == [fig] and fig is not old  # the previous drawing was closed
    assert ex.last is fig
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Alliance network, 1955"
    edges = [c for c in ax.collections if type(c).__name__ == "LineCollection"]
    assert len(edges[0].get_segments()) == 4
    every = ex.update(year=2020, kinds=())  # no kind chosen: every kind
    assert len([c for c in every.axes[0].collections
                if type(c).__name__ == "LineCollection"][0].get_segments()) == 15
    assert type(ex.widget).__name__ == "interactive"


def test_country_explorer(coll):
    ex = explore.country_explorer("JPN", 2020, data=coll)
    assert list(ex.controls["country"].options) == sorted(coll.actor_attributes())
    frame = ex.update(country="KOR", year=2020)
    assert list(frame.columns) == ["KOR"] and frame.loc["iso3", "KOR"] == "KOR"
    assert frame.loc["year", "KOR"] == 2020


def test_dyad_explorer(coll):
    ex = explore.dyad_explorer("USA", "JPN", data=coll)
    fig = ex.update(country_a="USA", country_b="JPN")
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Similarity, JPN-USA"
    assert sorted(line.get_label() for line in ax.get_lines()) == ["kappa", "pi", "s"]
    with pytest.raises(apr.ParameterError, match="country_a and country_b are both 'JPN'"):
        ex.update(country_a="JPN", country_b="JPN")
    with pytest.raises(apr.ParameterError, match="country_a"):
        ex.update(country_a="ZZZ", country_b="JPN")


def test_tension_explorer(coll):
    ex = explore.tension_explorer("South China Sea", 2012, 2014, data=coll)
    assert ex.controls["period"].value == (2012, 2014)
    assert (ex.controls["period"].min, ex.controls["period"].max) == (1990, 2025)
    assert ex.controls["theatre"].options[0] == "all"
    fig = ex.update(theatre="South China Sea", period=(2012, 2014))
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Incidents, South China Sea, 2012-2014"
    assert ax.get_legend().get_title().get_text() == (
        "theatre (size: severity 1-5); 3 without coordinates")
    fig = ex.update(theatre="all", period=(2010, 2017))
    assert fig.axes[0].get_legend().get_title().get_text().endswith(
        "4 without coordinates")
