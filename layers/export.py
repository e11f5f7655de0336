"""Exports for reports and GIS: static PNG/PDF/SVG maps and GeoPackage/GeoJSON/CSV data.

Static maps are drawn with matplotlib from the same GeoDataFrames and the same style table as the
HTML map (colours, dash patterns, inferred courses lighter, places sized by mentions), with a
legend, a scale bar and the attribution. Every file is written atomically.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from layers import style as S
from layers.basemap import BASEMAP_STYLE, SEA_COLOUR, basemap_layers
from layers.mapdoc import AtlasData, write_atomic

ATTRIBUTION_TEXT = (
    "Basemap: Made with Natural Earth (public domain). Places: GeoNames (CC BY 4.0). "
    "Evidence: {sources}. Map: Tumen Atlas."
)
MERCATOR = "EPSG:3857"


def _sources(data: AtlasData) -> str:
    """Each article's author and outlet, for the credit line."""
    credits = sorted({f"{a.meta.author + ', ' if a.meta.author else ''}{a.meta.outlet or 'unknown outlet'}" for a in data.articles})
    return "; ".join(credits)


def _dashes(dash: str | None, weight: float):
    if not dash:
        return None
    nums = [float(x) for x in dash.split()]
    return [n * 0.75 / max(weight * 0.6, 1.0) for n in nums]  # px at 96 dpi -> pt, relative to line width


def _extent(data: AtlasData, pad: float = 0.08) -> tuple[float, float, float, float]:
    rl = data.routes
    core = [g for g in rl.routes[rl.routes.status != "alternative_considered"].geometry] + list(rl.sites.geometry)
    if not core:
        core = [shapely.box(124.0, 35.0, 140.0, 50.0)]
    g = gpd.GeoSeries([shapely.union_all(core)], crs=4326).to_crs(MERCATOR)
    minx, miny, maxx, maxy = g.total_bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return minx - dx, miny - dy, maxx + dx, maxy + dy


def draw_static(data: AtlasData, *, width_in: float = 10.0, height_in: float = 8.0, dpi: int = 200, title: str | None = None,
                alternatives: bool = False):
    """A matplotlib Figure of the map: basemap, corridors, places, sites, legend, scale, attribution.

    The layers shown are the HTML map's defaults (``alternatives`` adds the alternatives considered).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.95 if title else 0.99, bottom=0.06)
    ax.set_facecolor(SEA_COLOUR)
    bm = basemap_layers()
    for key in ("land", "lakes", "disputed", "rivers", "coastline", "borders"):
        feats = bm[key]["features"]
        if not feats:
            continue
        g = gpd.GeoDataFrame.from_features(feats, crs=4326).to_crs(MERCATOR)
        st = BASEMAP_STYLE[key]
        if key in ("land", "lakes", "disputed"):
            g.plot(ax=ax, color=st.get("fillColor"), edgecolor="none", linewidth=0, zorder=1)
        else:
            g.plot(ax=ax, color=st["color"], linewidth=st["weight"] * 0.6, zorder=2)
    from geo.gazetteer import get_gazetteer
    from geo.naturalearth import read_layer

    # the "Borders and rivers" overlay, as on the HTML map
    read_layer("region_admin0_boundary_lines_10m").to_crs(MERCATOR).plot(
        ax=ax, color=S.BORDER_STYLE["color"], linewidth=S.BORDER_STYLE["weight"] * 0.5, linestyle=(0, (6, 2, 1, 2)), zorder=3)
    tumen = shapely.from_wkt(get_gazetteer().place("tumen-river")["geometry_wkt"])
    gpd.GeoSeries([tumen], crs=4326).to_crs(MERCATOR).plot(ax=ax, color=S.RIVER_STYLE["color"], linewidth=S.RIVER_STYLE["weight"] * 0.5, zorder=3)
    rl = data.routes
    segs = rl.segments.copy()
    if not alternatives:
        segs = segs[segs["status"] != "alternative_considered"]
    rank = {s: i for i, s in enumerate(["alternative_considered", "stalled", "planned", "proposed", "existing", "refurbished"])}
    segs["_rank"] = segs["status"].map(rank)
    segs = segs.sort_values(["_rank", "route_id", "seq"])
    segs_m = segs.to_crs(MERCATOR)
    for _, s in segs_m.iterrows():
        st = S.route_style(s["kind"], s["status"], s["course"])
        lw = st["weight"] * 0.55
        kw = {"color": st["color"], "linewidth": lw, "alpha": st["opacity"], "solid_capstyle": "round", "zorder": 4 + rank[s["status"]] * 0.1}
        d = _dashes(st.get("dashArray"), st["weight"])
        for part in getattr(s.geometry, "geoms", [s.geometry]):
            xs, ys = part.xy
            line = ax.plot(xs, ys, **kw)[0]
            if d:
                line.set_dashes(d)
    pl = data.places.copy()
    pl["geometry"] = gpd.points_from_xy(pl["lon"], pl["lat"], crs=4326)
    pl = gpd.GeoDataFrame(pl, geometry="geometry", crs=4326).to_crs(MERCATOR)
    for _, p in pl.sort_values("mention_count", ascending=False).iterrows():
        st = S.place_style(p["country"] if isinstance(p["country"], str) else "", int(p["mention_count"]))
        ax.scatter([p.geometry.x], [p.geometry.y], s=(st["radius"] * 0.75) ** 2 * math.pi / 2, color=st["fillColor"],
                   edgecolors=st["color"], linewidths=0.5, alpha=st["fillOpacity"], zorder=6)
    sites = rl.sites.copy()
    if len(sites):
        sites["geometry"] = gpd.points_from_xy(sites["lon"], sites["lat"], crs=4326)
        sites = gpd.GeoDataFrame(sites, geometry="geometry", crs=4326).to_crs(MERCATOR)
        from matplotlib.font_manager import FontProperties

        from layers.assets import font_awesome_codepoints, font_awesome_ttf

        fa = FontProperties(fname=str(font_awesome_ttf()), size=6.5)
        codes = font_awesome_codepoints(S.icons())
        for _, s in sites.iterrows():
            st = S.SITE_STYLE[s["kind"]]
            ax.scatter([s.geometry.x], [s.geometry.y], s=110, color="white", edgecolors=st["color"], linewidths=1.8, zorder=7)
            ax.text(s.geometry.x, s.geometry.y, chr(codes[st["icon"]]), fontproperties=fa, color=st["color"],
                    ha="center", va="center", zorder=8)
    minx, miny, maxx, maxy = _extent(data)
    # match the figure's aspect so nothing is squashed
    ax_w, ax_h = width_in * 0.98, height_in * (0.89 if title else 0.93)
    want = ax_w / ax_h
    cx, cy, w, h = (minx + maxx) / 2, (miny + maxy) / 2, maxx - minx, maxy - miny
    if w / h < want:
        w = h * want
    else:
        h = w / want
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for sp in ax.spines.values():
        sp.set_edgecolor("#888888")
    # legend from the style table
    handles = []
    for k, v in S.KIND_STYLE.items():
        handles.append(Line2D([], [], color=v["color"], linewidth=2.4, label=v["label"]))
    for k, v in S.STATUS_STYLE.items():
        ln = Line2D([], [], color="#333333", linewidth=v["weight"] * 0.5, label=v["label"])
        d = _dashes(v["dashArray"], v["weight"])
        if d:
            ln.set_dashes(d)
        handles.append(ln)
    handles.append(Line2D([], [], color="#333333", alpha=S.COURSE_STYLE["inferred"]["opacity"], linewidth=2.2, label="Course inferred"))
    for c, col in S.COUNTRY_COLOURS.items():
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=col, markeredgecolor="#222222", markersize=7, label=f"Place in {S.COUNTRY_LABELS[c]}"))
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#000000", markeredgewidth=2, markersize=8, label="Site"))
    leg = ax.legend(handles=handles, loc="lower right", fontsize=6.5, frameon=True, framealpha=0.92, title="Legend", title_fontsize=7.5, ncol=1)
    leg.set_zorder(10)
    # scale bar (Web Mercator: true length shrinks by cos(latitude))
    lat = math.degrees(2 * math.atan(math.exp(cy / 6378137.0)) - math.pi / 2)
    k = 1 / math.cos(math.radians(lat))
    span_km = w / k / 1000
    nice = min((100, 200, 250, 500, 1000), key=lambda n: abs(n - span_km / 5))
    x0, y0 = cx - w / 2 + w * 0.03, cy - h / 2 + h * 0.04
    ax.plot([x0, x0 + nice * 1000 * k], [y0, y0], color="black", linewidth=2.5, zorder=11, solid_capstyle="butt")
    ax.text(x0, y0 + h * 0.012, f"{nice} km", fontsize=7, zorder=11)
    fig.text(0.01, 0.012, ATTRIBUTION_TEXT.format(sources=_sources(data)), fontsize=6, color="#333333", wrap=True, va="bottom")
    if title:
        fig.suptitle(title, fontsize=12, y=0.985)
    return fig


def export_static(data: AtlasData, path: str | Path, *, fmt: str | None = None, width_in: float = 10.0,
                  height_in: float = 8.0, dpi: int = 200, title: str | None = None, alternatives: bool = False) -> Path:
    """Write a PNG, PDF or SVG map (format from ``fmt`` or the file's suffix), atomically."""
    import io

    import matplotlib.pyplot as plt

    p = Path(path)
    fmt = (fmt or p.suffix.lstrip(".")).lower()
    if fmt not in ("png", "pdf", "svg"):
        raise ValueError(f"static export format must be png, pdf or svg, got {fmt!r} ({p})")
    if not (1 <= width_in <= 60 and 1 <= height_in <= 60):
        raise ValueError(f"size must be 1 to 60 inches a side, got {width_in} x {height_in}")
    if not 30 <= dpi <= 1200:
        raise ValueError(f"dpi must be 30 to 1200, got {dpi}")
    import matplotlib

    buf = io.BytesIO()
    meta = {"png": {"Software": "Tumen Atlas"}, "pdf": {"Creator": "Tumen Atlas", "CreationDate": None},
            "svg": {"Date": None}}[fmt]
    # fixed salt for SVG element ids, no dates: the same inputs give the same bytes
    with matplotlib.rc_context({"svg.hashsalt": "tumen-atlas", "pdf.compression": 6}):
        fig = draw_static(data, width_in=width_in, height_in=height_in, dpi=dpi, title=title, alternatives=alternatives)
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
        plt.close(fig)
    return write_atomic(p, buf.getvalue())


# ------------------------------------------------------------------ GIS data


def _flat(df: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lists and dicts as JSON text: GeoPackage and GeoJSON columns hold scalars."""
    out = df.copy()
    for c in out.columns:
        if c == out.geometry.name:
            continue
        if out[c].map(lambda v: isinstance(v, (list, dict))).any():
            out[c] = out[c].map(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict)) else v)
    return out


def gis_layers(data: AtlasData) -> dict[str, gpd.GeoDataFrame]:
    """The layers written to GIS files: places, mentions (with their quotes), routes, segments, sites."""
    m = data.mentions.copy()
    titles = {a.id: a.title for a in data.articles}
    m["article_title"] = m["article_id"].map(titles)
    m = m.rename(columns={"sentence": "quote"})
    return {
        "places": _flat(data.places),
        "mentions": _flat(m),
        "routes": _flat(data.routes.routes),
        "segments": _flat(data.routes.segments),
        "sites": _flat(data.routes.sites),
    }


def quotes_table(data: AtlasData) -> pd.DataFrame:
    """Every quote behind a feature, with its article's metadata: routes, sites, figures and mentions."""
    by = {a.id: a for a in data.articles}
    rows = []

    def add(feature_type, fid, name, role, q):
        a = by[q["article"]]
        rows.append({
            "feature_type": feature_type, "feature_id": fid, "feature_name": name, "role": role,
            "article_id": a.id, "article_title": a.title, "author": a.meta.author, "outlet": a.meta.outlet,
            "date": a.meta.date, "date_precision": a.date_precision, "url": a.meta.url,
            "start": q["start"], "end": q["end"], "quote": q["text"],
        })

    for _, r in data.routes.routes.iterrows():
        for q in r["quotes"]:
            add("route", r["id"], r["name"], "evidence", q)
        for f in r["figures"]:
            add("route", r["id"], r["name"], f"figure: {f['label']}", f["quote"])
    for _, s in data.routes.sites.iterrows():
        for q in s["quotes"]:
            add("site", s["id"], s["name"], "evidence", q)
        for f in s["figures"]:
            add("site", s["id"], s["name"], f"figure: {f['label']}", f["quote"])
    for _, m in data.mentions.iterrows():
        add("place", m["place_id"], m["name"], f"mention: {m['surface']}",
            {"article": m["article_id"], "start": m["sentence_start"], "end": m["sentence_end"], "text": m["sentence"]})
    cols = ["feature_type", "feature_id", "feature_name", "role", "article_id", "article_title", "author", "outlet",
            "date", "date_precision", "url", "start", "end", "quote"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["feature_type", "feature_id", "article_id", "start", "role"], kind="stable").reset_index(drop=True)


def export_gpkg(data: AtlasData, path: str | Path) -> Path:
    """One GeoPackage with a layer each (places, mentions, routes, segments, sites), written atomically."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(dir=p.parent, prefix=f".{p.name}."))
    try:
        tmp = tmpdir / p.name
        for name, gdf in gis_layers(data).items():
            gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
        os.replace(tmp, p)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return p


def export_geojson(data: AtlasData, folder: str | Path) -> list[Path]:
    """One RFC 7946 GeoJSON file per layer in ``folder``, plus ``quotes.csv``; each written atomically."""
    d = Path(folder)
    out = []
    for name, gdf in gis_layers(data).items():
        out.append(write_atomic(d / f"{name}.geojson", gdf.to_json(drop_id=True, ensure_ascii=False, to_wgs84=True) + "\n"))
    out.append(export_quotes_csv(data, d / "quotes.csv"))
    return out


def export_quotes_csv(data: AtlasData, path: str | Path) -> Path:
    return write_atomic(path, quotes_table(data).to_csv(index=False, lineterminator="\n"))
