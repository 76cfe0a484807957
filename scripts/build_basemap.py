"""Build the shipped base map, src/apresearch/_resources/basemap_ne50m.json.

Source: Natural Earth 1:50m admin-0 countries (public domain), as packaged in the npm package
world-atlas 2.0.2 (``countries-50m.json``, TopoJSON). Run once by a maintainer, never at run
time; the result is committed so that plotting needs no download.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_basemap.py package/countries-50m.json

The script decodes the TopoJSON arcs, shifts longitudes into [0, 360) so that the Pacific is
continuous, keeps the countries that fall in the map's extent, rounds to 0.01 degree and
drops points closer than 0.15 degree to the last one kept.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

EXTENT = (50.0, 300.0, -55.0, 72.0)  # lon_min, lon_max (0-360 frame), lat_min, lat_max
OUT = Path(__file__).resolve().parents[1] / "src/apresearch/_resources/basemap_ne50m.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indices:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if not pts else seg[1:])
    return pts


def shift(lon: float) -> float:
    return lon % 360.0


def clean(points: list[tuple[float, float]], tol: float = 0.15) -> list[list[float]]:
    """Shift, round, and drop points within ``tol`` degrees of the last kept one."""
    out: list[list[float]] = []
    for lon, lat in points:
        p = [round(shift(lon), 2), round(lat, 2)]
        if not out or abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= tol:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson", help="world-atlas countries-50m.json")
    ap.add_argument("-o", "--output", default=str(OUT))
    args = ap.parse_args()
    topo = json.loads(Path(args.topojson).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    lon0, lon1, lat0, lat1 = EXTENT
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom.get("type") == "Polygon":
            polys = [geom["arcs"]]
        elif geom.get("type") == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        rings = []
        for poly in polys:
            outer = clean(ring(arcs, poly[0]))  # holes are dropped: none matter at this scale
            if len(outer) < 4:
                continue
            lons = [p[0] for p in outer]
            lats = [p[1] for p in outer]
            # a ring that straddles the 0/360 seam after shifting is split by the shift
            if max(lons) - min(lons) > 180:
                continue
            if max(lons) < lon0 or min(lons) > lon1 or max(lats) < lat0 or min(lats) > lat1:
                continue
            rings.append(outer)
        if rings:
            features.append({"iso_n3": geom.get("id"), "name": geom["properties"]["name"],
                             "rings": rings})
    doc = {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2",
        "lon_frame": "0-360",
        "extent": EXTENT,
        "features": features,
    }
    out = Path(args.output)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, separators=(",", ":"))
    os.replace(tmp, out)
    print(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB, {len(features)} countries)")


if __name__ == "__main__":
    main()
