"""Exploring interactively: hover-able figures for the HTML reports, and widgets for
JupyterLab.

**Interactive figures** (Bokeh). :func:`network`, :func:`incident_map` and
:func:`timeline` build Bokeh figures from the same frames and graphs the static figures of
:mod:`apresearch.plot` draw: hover a node for the state and its ties, an edge for the
agreements and their dates, an incident for its summary and source; wheel to zoom, drag to
pan. :func:`embed` shows one with its static image as the fallback: the image is what a
printed page, a reader without JavaScript and JupyterLab (which does not load BokehJS) see;
in a rendered report the BokehJS library is inlined once into the page (nothing is loaded
from a network), and the interactive figure replaces the image. Bokeh was chosen because it
inlines into a page with its core library alone (about 1.3 MB, once per page) and works
with no network; Plotly's library is about 3.5 MB per page, and Vega needs three.

**Widgets** (ipywidgets), for JupyterLab: :func:`alliance_explorer` (year slider and kind
filter redrawing the network map), :func:`country_explorer` (a country picker refreshing a
profile's sections), :func:`dyad_explorer` (a pair picker) and :func:`tension_explorer`
(theatre and period over the incident map and timeline). Each returns an
:class:`Explorer` whose ``update(**values)`` is what the widgets call, so the logic is
tested without a browser; in a notebook, ``explorer.widget`` is displayed. Notebooks tag
widget cells ``widgets``: rendered reports leave them out and show the static figures.
"""

from __future__ import annotations

import base64
import html as _html
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .store import resolve

__all__ = ["MARKER", "embed", "network", "incident_map", "timeline", "timeline_events",
           "bokeh_js", "Explorer",
           "alliance_explorer", "country_explorer", "dyad_explorer", "tension_explorer"]

MARKER = "<!-- apresearch:bokeh -->"
"""Placed in an interactive output; the report renderer inlines BokehJS where it finds it."""


def bokeh_js() -> str:
    """BokehJS's core library as one inline ``<script>`` element (no network)."""
    from bokeh.resources import Resources

    res = Resources(mode="inline", components=["bokeh"])
    return "\n".join(f"<script type=\"text/javascript\">{js}</script>" for js in res.js_raw)


# --------------------------------------------------------------------------- figures
def _map_axes(title: str, extent):
    from bokeh.models import HoverTool  # noqa: F401
    from bokeh.plotting import figure

    from .plot import ASIA_PACIFIC

    lon0, lon1, lat0, lat1 = extent or ASIA_PACIFIC
    p = figure(title=title, x_range=(lon0, lon1), y_range=(lat0, lat1), match_aspect=True,
               tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom",
               sizing_mode="stretch_width", height=560)
    p.xaxis.axis_label = "longitude (°E, 0-360)"
    p.yaxis.axis_label = "latitude (°N)"
    _basemap(p, (lon0, lon1, lat0, lat1))
    return p


def _basemap(p, extent) -> None:
    """Land drawn under an interactive map: the rings that reach into the map's extent (plus a
    margin for panning), at 0.01 degree (about a kilometre), to keep each page small."""
    from .plot import basemap_rings

    lon0, lon1, lat0, lat1 = extent
    xs, ys = [], []
    for ring in basemap_rings():
        if not any(lon0 - 10 <= x <= lon1 + 10 and lat0 - 10 <= y <= lat1 + 10
                   for x, y in ring):
            continue
        xs.append([round(pt[0], 2) for pt in ring])
        ys.append([round(pt[1], 2) for pt in ring])
    p.patches(xs, ys, fill_color="#e9e6df", line_color="#b9b4a8", line_width=0.4)
    p.grid.visible = False
    p.background_fill_color = "#f4f8fb"


def _agreement_labels(agreements: pd.DataFrame) -> dict[str, str]:
    """'name (signed YYYY-MM-DD[, ended YYYY-MM-DD])' per agreement_id (the first row of a
    repeated id)."""
    def day(dates: pd.Series, missing: str) -> list[str]:
        return [missing if pd.isna(v) else v.date().isoformat() for v in dates]

    ended = [f", ended {e}" if e else "" for e in day(agreements["ended"], "")]
    labels = [f"{name} (signed {signed}{end})" for name, signed, end in
              zip(agreements["name"].tolist(), day(agreements["signed"], "?"), ended,
                  strict=True)]
    out: dict[str, str] = {}
    for aid, label in zip(agreements["agreement_id"].tolist(), labels, strict=True):
        out.setdefault(aid, label)
    return out


def network(g, *, title: str = "", extent=None, data=None):
    """A Bokeh network map of a graph whose nodes carry lat/lon (an alliance, exercise or
    transfer graph): hover a node for its name and partners, an edge for the agreements
    (names and dates where the collection has them) or its weight."""
    from bokeh.models import ColumnDataSource, HoverTool

    from .plot import DEFENCE_EDGE, OTHER_EDGE, map_positions

    c = resolve(data)
    nodes = pd.DataFrame([{"iso3": n, "lat": d.get("lat"), "lon": d.get("lon"),
                           "name": d.get("name", n)} for n, d in g.nodes(data=True)])
    p = _map_axes(title, extent)
    if nodes.empty:
        return p
    nodes = nodes.dropna(subset=["lat", "lon"])
    tied = {n for e in g.edges for n in e}
    probe = map_positions(nodes, extent) if extent else map_positions(nodes)
    # off-map actors without a tie are left out before the edge columns are laid out, as on
    # the static map (plot.network_map), so both place every actor at the same point
    keep = ~probe["offmap"].to_numpy() | probe["iso3"].isin(tied).to_numpy()
    pos = map_positions(nodes[keep], extent) if extent else map_positions(nodes[keep])
    at = {r.iso3: (r.x, r.y) for r in pos.itertuples()}
    described = _agreement_labels(c.view("agreements")) if "agreements" in c else {}
    xs, ys, colours, widths, labels = [], [], [], [], []
    wmax = max((d.get("weight", 1.0) for *_, d in g.edges(data=True)), default=1.0) or 1.0
    for a, b, d in g.edges(data=True):
        if a not in at or b not in at:
            continue
        xs.append([at[a][0], at[b][0]])
        ys.append([at[a][1], at[b][1]])
        colours.append(DEFENCE_EDGE if d.get("defense") else OTHER_EDGE)
        widths.append(0.5 + 4 * d.get("weight", 1.0) / wmax)
        parts = [described.get(aid, str(aid)) for aid in d.get("agreements", [])]
        if d.get("presence"):
            parts.append("foreign military presence")
        if not parts:
            parts.append(f"weight {d.get('weight', 1.0):g}")
        labels.append(f"{a}-{b}: " + "; ".join(parts))
    edges = ColumnDataSource(dict(xs=xs, ys=ys, colour=colours, width=widths, label=labels))
    er = p.multi_line("xs", "ys", source=edges, line_color="colour", line_width="width",
                      line_alpha=0.55, hover_line_alpha=1.0)
    p.add_tools(HoverTool(renderers=[er], tooltips=[("tie", "@label")], line_policy="interp"))
    deg = dict(g.degree())
    partners = {n: ", ".join(sorted(g.neighbors(n))) for n in at}
    src = ColumnDataSource(dict(
        x=[at[n][0] for n in at], y=[at[n][1] for n in at], iso3=list(at),
        name=[g.nodes[n].get("name", n) for n in at], degree=[deg.get(n, 0) for n in at],
        partners=[partners[n] or "none" for n in at],
        size=[6 + 14 * deg.get(n, 0) / (max(deg.values()) or 1) for n in at]))
    nr = p.scatter("x", "y", size="size", source=src, fill_color="#3d3d3d",
                   line_color="white")
    p.add_tools(HoverTool(renderers=[nr], tooltips=[("state", "@name (@iso3)"),
                                                    ("partners", "@degree: @partners")]))
    return p


def incident_map(incidents: pd.DataFrame, *, title: str = "", extent=None):
    """A Bokeh map of incidents with coordinates: hover for date, kind, states, severity,
    summary and source."""
    from bokeh.models import ColumnDataSource, HoverTool

    from .plot import THEATRE_COLOURS

    p = _map_axes(title, extent)
    placed = incidents.dropna(subset=["lat", "lon"])
    if placed.empty:
        return p
    src = ColumnDataSource(dict(
        x=(placed["lon"].astype(float) % 360.0).tolist(), y=placed["lat"].astype(float).tolist(),
        date=placed["date"].dt.strftime("%Y-%m-%d").tolist(), kind=placed["kind"].tolist(),
        who=(placed["initiator"].astype(str) + " → "
             + placed["target"].astype("string").fillna("—")).tolist(),
        severity=placed["severity"].astype(int).tolist(),
        size=(6 + 3 * placed["severity"].astype(float)).tolist(),
        colour=[THEATRE_COLOURS.get(t, "#777") for t in placed["theatre"]],
        summary=placed["summary"].astype(str).tolist(),
        source=placed["source"].astype(str).tolist()))
    r = p.scatter("x", "y", size="size", fill_color="colour", fill_alpha=0.7,
                  line_color="white", source=src)
    p.add_tools(HoverTool(renderers=[r], tooltips=[
        ("date", "@date"), ("kind", "@kind (severity @severity)"), ("states", "@who"),
        ("what", "@summary"), ("source", "@source")]))
    return p


def timeline(spells: pd.DataFrame, *, events: pd.DataFrame | None = None, title: str = ""):
    """A Bokeh timeline of status spells (start, end, status) with optional point events
    (date, label, kind) above them: hover for what each is."""
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    colours = {"open": "#66a182", "suspended": "#d1495b"}
    p = figure(title=title, x_axis_type="datetime", height=230, sizing_mode="stretch_width",
               tools="xpan,xwheel_zoom,reset,save", active_scroll="xwheel_zoom", y_range=(0, 2))
    if len(spells):
        s = ColumnDataSource(dict(
            left=spells["start"].tolist(), right=spells["end"].tolist(),
            status=spells["status"].tolist(),
            colour=[colours.get(x, "#999") for x in spells["status"]],
            span=[f"{a.date()} to {b.date()}" for a, b in zip(spells["start"], spells["end"],
                                                            strict=True)]))
        r = p.quad(left="left", right="right", bottom=0.2, top=0.8, fill_color="colour",
                   line_color=None, source=s)
        p.add_tools(HoverTool(renderers=[r], tooltips=[("status", "@status"),
                                                       ("when", "@span")]))
    if events is not None and len(events):
        e = ColumnDataSource(dict(x=events["date"].tolist(), y=[1.3] * len(events),
                                  label=events["label"].astype(str).tolist(),
                                  kind=events["kind"].astype(str).tolist(),
                                  when=events["date"].dt.strftime("%Y-%m-%d").tolist()))
        r2 = p.scatter("x", "y", marker="triangle", size=9, fill_color="#1b6ca8", source=e)
        p.add_tools(HoverTool(renderers=[r2], tooltips=[("date", "@when"), ("kind", "@kind"),
                                                        ("what", "@label")]))
    p.yaxis.visible = False
    p.xaxis.axis_label = "date"
    return p


def timeline_events(*, incidents: pd.DataFrame | None = None,
                    orders: pd.DataFrame | None = None,
                    milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Point events for :func:`timeline`: incidents (their summary), arms orders per year
    (from :func:`apresearch.transfers.orders`, dated 1 July of the order year) and
    milestones, as date, label, kind."""
    rows = []
    if incidents is not None and len(incidents):
        rows.append(pd.DataFrame({"date": incidents["date"], "kind": "incident",
                                  "label": incidents["summary"].astype(str).str[:160]}))
    if orders is not None and len(orders):
        o = orders[orders["deals"].fillna(0) > 0]
        rows.append(pd.DataFrame({"date": pd.to_datetime(o["year"].astype(str) + "-07-01"),
                                  "kind": "arms orders",
                                  "label": o["deals"].astype(str) + " deals ordered"}))
    if milestones is not None and len(milestones):
        rows.append(pd.DataFrame({"date": milestones["date"], "kind": milestones["kind"],
                                  "label": milestones["summary"].astype(str).str[:160]}))
    if not rows:
        return pd.DataFrame(columns=["date", "label", "kind"])
    return pd.concat(rows, ignore_index=True).sort_values("date").reset_index(drop=True)


# --------------------------------------------------------------------------- embedding
def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


class _Html:
    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text


def embed(bokeh_figure, fallback=None) -> _Html:
    """Show a Bokeh figure with a static fallback: the fallback (a matplotlib figure) is
    the image shown when printing, without JavaScript, or where BokehJS is not loaded."""
    from bokeh.embed import components

    script, div = components(bokeh_figure)
    img = ""
    if fallback is not None:
        import matplotlib.pyplot as plt

        plt.close(fallback)  # shown once, as the fallback, not again by the inline backend
        alt = _html.escape(bokeh_figure.title.text if bokeh_figure.title else "figure")
        img = (f'<img class="apr-fallback" alt="{alt}" style="max-width:100%" '
               f'src="data:image/png;base64,{_png(fallback)}">')
    ident = div.split('id="')[1].split('"')[0] if 'id="' in div else "x"
    text = f"""{MARKER}
<div class="apr-interactive" id="apr-{ident}">
<style>@media print {{ .apr-live {{ display: none !important; }}
.apr-fallback {{ display: block !important; }} }}</style>
{img}
<div class="apr-live" style="display:none">{div}</div>
{script}
<script type="text/javascript">
(function () {{
  var box = document.getElementById("apr-{ident}");
  if (typeof Bokeh === "undefined" || !box) {{ return; }}
  var live = box.querySelector(".apr-live"), img = box.querySelector(".apr-fallback");
  live.style.display = "block"; if (img) {{ img.classList.add("apr-hidden");
  img.style.display = "none"; }}
}})();
</script>
</div>"""
    return _Html(text)


# --------------------------------------------------------------------------- widgets
@dataclass
class Explorer:
    """A widget panel and the function it calls: ``update(**values)`` redraws the output
    for those values and returns what it drew (a figure or a frame)."""

    draw: Callable[..., object]
    controls: dict
    last: object = field(default=None, repr=False)

    def update(self, **values):
        import matplotlib.pyplot as plt

        plt.close("all")
        self.last = self.draw(**values)
        return self.last

    @property
    def widget(self):
        """The ipywidgets panel (built on first use)."""
        import ipywidgets as w

        return w.interactive(self.update, **self.controls)


def alliance_explorer(year: int, kinds, *, max_parties: int | None = None, data=None
                      ) -> Explorer:
    """A year slider and an agreement-kind filter over the alliance network map."""
    import ipywidgets as w

    from . import alliances
    from .plot import network_map

    c = resolve(data)
    first, last = c.coverage("agreements")

    def draw(year: int, kinds: tuple[str, ...]):
        g = alliances.alliance_graph(year, kinds=list(kinds) or None, max_parties=max_parties,
                                     data=c)
        return network_map(g, title=f"Alliance network, {year}",
                           source="apresearch agreements tables")

    controls = {"year": w.IntSlider(value=year, min=first, max=last, description="year"),
                "kinds": w.SelectMultiple(options=list(alliances.AGREEMENT_KINDS),
                                          value=tuple(kinds), description="kinds")}
    return Explorer(draw, controls)


def country_explorer(country: str, year: int, *, data=None) -> Explorer:
    """A country picker refreshing a profile's numbers for the year."""
    import ipywidgets as w

    from .profiles import country_year

    c = resolve(data)

    def draw(country: str, year: int):
        return country_year(country, year, data=c).to_frame(country)

    first, last = c.coverage("agreements")
    controls = {"country": w.Dropdown(options=sorted(c.actor_attributes()), value=country),
                "year": w.IntSlider(value=year, min=first, max=last)}
    return Explorer(draw, controls)


def dyad_explorer(country_a: str, country_b: str, *, data=None) -> Explorer:
    """A pair picker refreshing the pair's similarity over time."""
    import ipywidgets as w

    from .params import check_pair
    from .plot import lines
    from .similarity import similarity

    c = resolve(data)
    codes = sorted(c.actor_attributes())

    def draw(country_a: str, country_b: str):
        a, b = check_pair(country_a, country_b, codes)
        lo, hi = sorted((a, b))
        first, last = c.coverage("agreements")
        s = similarity(range(first, last + 1), system="all", data=c)
        s = s[(s["iso3_a"] == lo) & (s["iso3_b"] == hi)]
        long = s.melt(id_vars="year", value_vars=["s", "kappa", "pi"], var_name="measure",
                      value_name="value").dropna()
        return lines(long, "year", "value", hue="measure", title=f"Similarity, {lo}-{hi}",
                     xlabel="year", ylabel="similarity (-1 to 1)",
                     source="apresearch agreements tables")

    controls = {"country_a": w.Dropdown(options=codes, value=country_a),
                "country_b": w.Dropdown(options=codes, value=country_b)}
    return Explorer(draw, controls)


def tension_explorer(theatre: str, start: int, end: int, *, data=None) -> Explorer:
    """A theatre and period selector over the incident map."""
    import ipywidgets as w

    from .plot import incident_map as static_map
    from .tensions import THEATRES, select

    c = resolve(data)
    first, last = c.coverage("incidents")

    def draw(theatre: str, period: tuple[int, int]):
        inc = select(period[0], period[1], theatre=theatre, data=c)
        return static_map(inc, title=f"Incidents, {theatre}, {period[0]}-{period[1]}",
                          source="apresearch incidents table")

    controls = {"theatre": w.Dropdown(options=["all", *THEATRES], value=theatre),
                "period": w.IntRangeSlider(value=(start, end), min=first, max=last)}
    return Explorer(draw, controls)
