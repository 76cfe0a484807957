"""Figures in one house style. Plotting never computes: functions take the frames and graphs
that the analysis modules return.

Maps use longitudes in the 0-360 frame so that the Pacific is continuous. Actors whose
capital lies outside the map's extent (Washington, Ottawa, the European capitals) are drawn
in a labelled column at the map's edge (the Americas east, Europe and the rest west),
so their ties stay visible.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import matplotlib as mpl
import matplotlib.dates  # noqa: F401  (mpl.dates for timeline)
import matplotlib.pyplot as plt
import matplotlib.ticker  # noqa: F401  (mpl.ticker for lines)
import networkx as nx
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection

from .usage import record

__all__ = [
    "ASIA_PACIFIC",
    "use_style",
    "add_source",
    "basemap",
    "basemap_rings",
    "map_positions",
    "network_map",
    "actor_map",
    "lines",
    "bars",
    "timeline",
    "incident_map",
    "small_multiples",
    "site_map",
]

ASIA_PACIFIC: tuple[float, float, float, float] = (52.0, 215.0, -50.0, 58.0)
"""Default map extent: lon_min, lon_max (0-360 frame), lat_min, lat_max."""

PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#3d3d3d",
           "#a0522d", "#a5be00", "#e377c2"]
SUBREGION_COLOURS = {
    "Northeast Asia": "#d1495b", "Southeast Asia": "#edae49", "South Asia": "#66a182",
    "Oceania": "#00798c", "Eurasia": "#8d6a9f", "North America": "#1b6ca8",
    "Europe": "#3d3d3d", "Central Asia": "#a0522d", "West Asia": "#a5be00",
    "South America": "#e377c2", "Africa": "#7f7f7f",
}
DEFENCE_EDGE = "#d1495b"
"""Colour of an alliance-map edge that includes a defence pledge."""
OTHER_EDGE = "#1b6ca8"
"""Colour of an alliance-map edge without one."""
BASEMAP_CREDIT = "base map: Natural Earth 1:50m (public domain)"


def _axes(ax: plt.Axes | None, figsize: tuple[float, float]) -> tuple[plt.Figure, plt.Axes]:
    """The figure and axes to draw on: ``ax``'s, or a new figure of ``figsize`` inches."""
    if ax is None:
        return plt.subplots(figsize=figsize)
    return ax.figure, ax


def use_style() -> None:
    """Apply the collection's matplotlib style (call once at the top of a notebook)."""
    mpl.rcParams.update({
        "figure.figsize": (10, 6),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "font.size": 10,
        "legend.frameon": False,
    })


def _finish(fig: plt.Figure, ax: plt.Axes, title: str | None, source: str | None, *,
            basemap: bool = False) -> plt.Figure:
    """The tail every figure shares: a left-aligned title and the source line (with the base
    map's credit on maps)."""
    if title:
        ax.set_title(title, loc="left")
    if source:
        add_source(fig, f"{source}; {BASEMAP_CREDIT}" if basemap else source)
    return fig


def add_source(fig: plt.Figure, text: str) -> None:
    """Write ``Source: text`` at the bottom left of a figure, below the axis labels."""
    fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, 0.18))
    fig.text(0.01, 0.005, f"Source: {text}", ha="left", va="bottom", fontsize=8,
             color="#555555", wrap=True)


@lru_cache(maxsize=1)
def _basemap_features() -> tuple:
    raw = resources.files("apresearch").joinpath("_resources/basemap_ne50m.json").read_text(
        encoding="utf-8"
    )
    return tuple(json.loads(raw)["features"])


def basemap_rings() -> list:
    """The shipped base map's polygon rings ([(lon 0-360, lat), ...] each)."""
    return [ring for feat in _basemap_features() for ring in feat["rings"]]


def basemap(ax: plt.Axes, extent: tuple[float, float, float, float] = ASIA_PACIFIC,
            *, highlight: dict[str, str] | None = None) -> plt.Axes:
    """Draw the shipped Natural Earth base map on ``ax``; ``highlight`` maps iso_n3 to colour."""
    record("method:natural_earth")
    highlight = highlight or {}
    polys, colours = [], []
    for feat in _basemap_features():
        for ring in feat["rings"]:
            polys.append(ring)
            colours.append(highlight.get(feat["iso_n3"], "#e9e6df"))
    ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="#b9b4a8",
                                     linewidths=0.4, zorder=0))
    lon0, lon1, lat0, lat1 = extent
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect("equal")
    ax.set_facecolor("#f4f8fb")
    ax.grid(False)
    ticks = [t for t in range(0, 361, 30) if lon0 <= t <= lon1]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t}°E" if t <= 180 else f"{360 - t}°W" for t in ticks])
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude (°N)")
    return ax


def map_positions(nodes: pd.DataFrame,
                  extent: tuple[float, float, float, float] = ASIA_PACIFIC) -> pd.DataFrame:
    """x, y for each row of a frame with iso3, lon, lat; off-map capitals go to an edge column.

    Returns iso3, x, y, offmap (True where the position is an edge placeholder).
    """
    lon0, lon1, lat0, lat1 = extent
    x = nodes["lon"].astype(float) % 360.0
    y = nodes["lat"].astype(float)
    inside = (x >= lon0) & (x <= lon1) & (y >= lat0) & (y <= lat1)
    out = pd.DataFrame({"iso3": nodes["iso3"].astype(str).to_numpy(), "x": x.to_numpy(),
                        "y": y.to_numpy(), "offmap": ~inside.to_numpy()})
    east = out["offmap"] & (out["x"] > lon1) & (out["x"] <= 320.0)  # the Americas
    west = out["offmap"] & ~east
    for mask, xpos in ((east, lon1 - 3), (west, lon0 + 3)):
        idx = out.index[mask]
        order = out.loc[idx].sort_values("iso3").index
        # spread the column over the frame's height, never past its bottom
        step = min((lat1 - lat0) / 14, (lat1 - lat0 - 8) / max(len(order) - 1, 1))
        out.loc[order, "x"] = xpos
        out.loc[order, "y"] = [lat1 - 4 - i * step for i in range(len(order))]
    return out


def network_map(g: nx.Graph, ax: plt.Axes | None = None, *, title: str | None = None,
                source: str | None = None, extent=ASIA_PACIFIC, node_colour: dict | None = None,
                edge_colour_by_defense: bool = True, label: bool = True,
                max_edges: int | None = None) -> plt.Figure:
    """Draw a graph whose nodes carry lat/lon on the base map.

    Edge width and node size are scaled to the graph's largest weight and degree.
    ``max_edges`` draws only the strongest edges (by weight; the title should say so);
    off-map actors without a drawn edge are then left out.
    """
    fig, ax = _axes(ax, (12, 8.5))
    basemap(ax, extent)
    edges = sorted(g.edges(data=True), key=lambda e: (-e[2].get("weight", 1.0), e[0], e[1]))
    if max_edges is not None:
        edges = edges[:max_edges]
    drawn = {n for a, b, _ in edges for n in (a, b)}
    nodes = pd.DataFrame(
        [{"iso3": n, "lat": d.get("lat"), "lon": d.get("lon")} for n, d in g.nodes(data=True)]
    )
    if nodes.empty:
        return _finish(fig, ax, title, source, basemap=True)
    nodes = nodes.dropna(subset=["lat", "lon"])
    probe = map_positions(nodes, extent)
    keep = ~probe["offmap"].to_numpy() | nodes["iso3"].isin(drawn).to_numpy()
    pos_df = map_positions(nodes[keep], extent)
    pos = {r.iso3: (r.x, r.y) for r in pos_df.itertuples()}
    wmax = max((d.get("weight", 1.0) for _, _, d in edges), default=1.0) or 1.0
    segs, widths, colours = [], [], []
    for a, b, d in edges:
        if a in pos and b in pos:
            segs.append([pos[a], pos[b]])
            widths.append(0.4 + 3.6 * d.get("weight", 1.0) / wmax)
            colours.append(DEFENCE_EDGE if (edge_colour_by_defense and d.get("defense"))
                           else OTHER_EDGE)
    ax.add_collection(LineCollection(segs, linewidths=widths, colors=colours, alpha=0.5,
                                     zorder=2))
    deg = {n: 0 for n in pos}
    for a, b, _ in edges:
        deg[a] = deg.get(a, 0) + 1
        deg[b] = deg.get(b, 0) + 1
    dmax = max(deg.values(), default=1) or 1
    degree = pos_df["iso3"].map(lambda n: deg.get(n, 0)).to_numpy()
    colours = [(node_colour or {}).get(n, "#3d3d3d" if d else "#9a9a9a")
               for n, d in zip(pos_df["iso3"], degree, strict=True)]
    offmap = pos_df["offmap"].to_numpy(bool)
    for mask, marker in ((~offmap, "o"), (offmap, "s")):  # one collection per marker
        if mask.any():
            ax.scatter(pos_df["x"].to_numpy()[mask], pos_df["y"].to_numpy()[mask],
                       s=15 + 160 * degree[mask] / dmax,
                       color=[c for c, m in zip(colours, mask, strict=True) if m],
                       edgecolor="white", linewidth=0.6, zorder=3, marker=marker)
    for r in pos_df.itertuples():
        if label and (deg.get(r.iso3, 0) > 0 or r.offmap):
            ax.annotate(r.iso3 + (" (off map)" if r.offmap else ""), (r.x, r.y),
                        xytext=(3, 3), textcoords="offset points", fontsize=7, zorder=4)
    if edge_colour_by_defense:
        from matplotlib.lines import Line2D

        ax.legend(handles=[Line2D([], [], color=DEFENCE_EDGE, lw=2,
                                  label="includes a defence pledge"),
                           Line2D([], [], color=OTHER_EDGE, lw=2, label="other agreements")],
                  loc="lower left", fontsize=8)
    return _finish(fig, ax, title, source, basemap=True)


def actor_map(actors: pd.DataFrame, ax: plt.Axes | None = None, *, title: str | None = None,
              source: str | None = None, extent=ASIA_PACIFIC) -> plt.Figure:
    """Actors' capitals on the base map, coloured by subregion."""
    fig, ax = _axes(ax, (12, 8.5))
    basemap(ax, extent)
    pos = map_positions(actors, extent).set_index("iso3")
    for sub, grp in actors.groupby("subregion", sort=True):
        p = pos.loc[grp["iso3"].astype(str)]
        ax.scatter(p["x"], p["y"], s=40, label=sub, color=SUBREGION_COLOURS.get(sub, "#777"),
                   edgecolor="white", zorder=3)
        for iso3, row in p.iterrows():
            ax.annotate(iso3 + (" (off map)" if row["offmap"] else ""), (row["x"], row["y"]),
                        xytext=(3, 3), textcoords="offset points", fontsize=7)
    ax.legend(loc="lower left", fontsize=8, title="subregion")
    return _finish(fig, ax, title, source, basemap=True)


def lines(df: pd.DataFrame, x: str, y: str, hue: str | None = None, *,
          ax: plt.Axes | None = None, title: str | None = None, xlabel: str | None = None,
          ylabel: str | None = None, source: str | None = None) -> plt.Figure:
    """Line chart of ``y`` against ``x``, one line per value of ``hue``."""
    fig, ax = _axes(ax, (10, 5))
    if df.empty or df[y].isna().all():
        _no_data(ax, title, xlabel or x, ylabel or y, fig, source)
        return fig
    groups = [(None, df)] if hue is None else df.groupby(hue, sort=True)
    for key, grp in groups:
        grp = grp.sort_values(x)
        ax.plot(grp[x], grp[y], label=None if key is None else str(key), lw=1.8)
    if df[y].abs().max() >= 10_000:  # thousands separators, not an offset like "1e6"
        ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    if hue is not None:
        ax.legend(fontsize=8, ncol=2)
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel or y)
    return _finish(fig, ax, title, source)


def _no_data(ax, title, xlabel, ylabel, fig, source) -> None:
    """An empty chart that says so, rather than an error or a misleading blank."""
    ax.text(0.5, 0.5, "no data for this selection", ha="center", va="center",
            transform=ax.transAxes, color="#777777", fontsize=12)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    _finish(fig, ax, title, source)


def bars(table: pd.DataFrame, *, ax: plt.Axes | None = None, stacked: bool = True,
         horizontal: bool = False, title: str | None = None, xlabel: str | None = None,
         ylabel: str | None = None, source: str | None = None) -> plt.Figure:
    """Bar chart of a table: one bar per row, one colour per column (stacked by default).

    NA cells (not known) are drawn as gaps, never as zero-height bars that read as zero.
    """
    fig, ax = _axes(ax, (10, 5))
    data = table.astype("float64")
    if data.empty or data.isna().all().all():
        _no_data(ax, title, xlabel, ylabel, fig, source)
        return fig
    kind = "barh" if horizontal else "bar"
    data.plot(kind=kind, stacked=stacked, ax=ax, width=0.8, legend=data.shape[1] > 1)
    for container, column in zip(ax.containers, data.columns, strict=False):
        for patch, value in zip(container.patches, data[column], strict=False):
            if pd.isna(value):  # pandas draws NA as a zero-height bar: leave a gap instead
                patch.remove()
    if horizontal:
        ax.invert_yaxis()
    if data.shape[1] > 1:
        ax.legend(fontsize=8, ncol=2)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")
    return _finish(fig, ax, title, source)


def timeline(spells: pd.DataFrame, *, ax: plt.Axes | None = None, label: str = "",
             colours: dict[str, str] | None = None, title: str | None = None,
             source: str | None = None) -> plt.Figure:
    """Horizontal status timeline from spells with start, end, status (e.g. channel status)."""
    colours = colours or {"open": "#66a182", "suspended": "#d1495b"}
    fig, ax = _axes(ax, (10, 2.2))
    for status, grp in spells.groupby("status"):
        starts = mpl.dates.date2num(grp["start"])
        widths = mpl.dates.date2num(grp["end"]) - starts
        ax.broken_barh(list(zip(starts, widths, strict=True)), (0.2, 0.6),
                       facecolors=colours.get(status, "#999"), label=status)
    ax.xaxis_date()
    ax.set_yticks([0.5])
    ax.set_yticklabels([label])
    ax.set_xlabel("date")
    ax.grid(False)
    ax.legend(loc="upper left", fontsize=8, ncol=2, bbox_to_anchor=(0, -0.35))
    _finish(fig, ax, title, source)
    fig.tight_layout()
    return fig


THEATRE_COLOURS = {
    "South China Sea": "#d1495b", "East China Sea": "#edae49", "Taiwan Strait": "#8d6a9f",
    "Korean Peninsula": "#1b6ca8", "Sino-Indian Border": "#66a182",
    "Indo-Pakistani": "#a0522d", "Mainland Southeast Asia": "#00798c", "Other": "#3d3d3d",
}


def incident_map(incidents: pd.DataFrame, ax: plt.Axes | None = None, *,
                 title: str | None = None, source: str | None = None,
                 extent=ASIA_PACIFIC) -> plt.Figure:
    """Incidents with coordinates on the base map: colour by theatre, size by severity.

    Incidents without coordinates are not drawn; the legend says how many were left out.
    """
    fig, ax = _axes(ax, (12, 8.5))
    basemap(ax, extent)
    placed = incidents.dropna(subset=["lat", "lon"])
    for theatre, grp in placed.groupby("theatre", sort=True):
        ax.scatter(grp["lon"].astype(float) % 360.0, grp["lat"].astype(float),
                   s=12 + 18 * grp["severity"].astype(float) ** 1.5,
                   color=THEATRE_COLOURS.get(theatre, "#777"), alpha=0.7, edgecolor="white",
                   linewidth=0.5, label=f"{theatre} ({len(grp)})", zorder=3)
    missing = len(incidents) - len(placed)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="lower left", fontsize=8,
              title=f"theatre (size: severity 1-5); {missing} without coordinates")
    return _finish(fig, ax, title, source, basemap=True)


def small_multiples(df: pd.DataFrame, x: str, y: str, facet: str, *, smooth: str | None = None,
                    title: str | None = None, xlabel: str | None = None,
                    ylabel: str | None = None, source: str | None = None,
                    ncols: int = 4) -> plt.Figure:
    """One small panel of ``y`` against ``x`` per value of ``facet`` (shared axes), with
    ``smooth`` (a column) drawn over it where given. NA values are gaps, not zeros."""
    groups = [(k, g.sort_values(x)) for k, g in df.groupby(facet, sort=True)]
    n = max(len(groups), 1)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, min(ncols, n), figsize=(3.2 * min(ncols, n), 2.4 * nrows),
                             sharex=True, sharey=True, squeeze=False)
    for ax, (key, g) in zip(axes.ravel(), groups, strict=False):
        ax.plot(g[x], g[y].astype("Float64").astype(float), lw=1.0, color=PALETTE[0])
        if smooth is not None and smooth in g:
            ax.plot(g[x], g[smooth].astype("Float64").astype(float), lw=1.8, color=PALETTE[1])
        ax.set_title(str(key), fontsize=9, loc="left")
    for ax in axes.ravel()[len(groups):]:
        ax.set_visible(False)
    fig.supxlabel(xlabel or x, fontsize=10)
    fig.supylabel(ylabel or y, fontsize=10)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    if source:
        add_source(fig, source)
    return fig


def site_map(sites: pd.DataFrame, ax: plt.Axes | None = None, *, title: str | None = None,
             source: str | None = None, extent=ASIA_PACIFIC) -> plt.Figure:
    """Foreign military sites with coordinates on the base map, coloured by kind; the
    legend says how many sites have no coordinates."""
    fig, ax = _axes(ax, (12, 8.5))
    basemap(ax, extent)
    placed = sites.dropna(subset=["lat", "lon"])
    for i, (kind, grp) in enumerate(placed.groupby("kind", sort=True)):
        ax.scatter(grp["lon"].astype(float) % 360.0, grp["lat"].astype(float), s=22,
                   color=PALETTE[i % len(PALETTE)], edgecolor="white", linewidth=0.5,
                   label=f"{kind} ({len(grp)})", zorder=3)
    if len(placed):
        ax.legend(loc="lower left", fontsize=8,
                  title=f"kind; {len(sites) - len(placed)} without coordinates")
    return _finish(fig, ax, title, source, basemap=True)
