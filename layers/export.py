"""Exports for reports and GIS: static PNG/PDF/SVG maps and GeoPackage/GeoJSON/CSV data.

Static maps are drawn with matplotlib from the same GeoDataFrames and the same style table as the
HTML map (colours, dash patterns, inferred courses lighter, places sized by mentions), with a
legend, a scale bar and the attribution. Every file is written atomically.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from layers import style as S
from geo._atomic import atomic_path, write_atomic
from geo._sanitize import csv_frame, xml_text
from geo.atlas import AtlasData
from geo.timeline import date_key
from layers.basemap import SEA_COLOUR
from layers.spec import LANE_PX, MapSpec, map_spec

ATTRIBUTION_TEXT = (
    "Basemap: Made with Natural Earth (public domain). Coast from Pohang to Nakhodka, railway lines: "
    "© OpenStreetMap contributors (ODbL). Places: GeoNames (CC BY 4.0). "
    "Evidence: {sources}. Map: Tumen Atlas."
)
MERCATOR = "EPSG:3857"


def _dashes(dash: str | None, weight: float):
    if not dash:
        return None
    nums = [float(x) for x in dash.split()]
    return [n * 0.75 / max(weight * 0.6, 1.0) for n in nums]  # px at 96 dpi -> pt, relative to line width


def _mercator_box(bounds, pad: float = 0.08) -> tuple[float, float, float, float]:
    g = gpd.GeoSeries([shapely.box(*bounds)], crs=4326).to_crs(MERCATOR)
    minx, miny, maxx, maxy = g.total_bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return minx - dx, miny - dy, maxx + dx, maxy + dy


def _shown(spec: MapSpec, alternatives: bool) -> list:
    """The layers a static map draws: the web map's defaults (plus the alternatives if asked)."""
    return [lyr for lyr in spec.layers if lyr.show or (alternatives and lyr.key == "alternatives")]


def _site_glyph(ax, x: float, y: float, icon: str, color: str, dpi: float) -> None:
    """A site's icon as an outline (not a glyph of a font an SVG reader may lack), centred on it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import PathPatch
    from matplotlib.textpath import TextPath
    from matplotlib.transforms import Affine2D, ScaledTranslation

    from layers.assets import font_awesome_codepoints, font_awesome_ttf

    fa = FontProperties(fname=str(font_awesome_ttf()), size=6.5)
    tp = TextPath((0, 0), chr(font_awesome_codepoints(S.icons())[icon]), prop=fa, size=6.5)
    bb = tp.get_extents()
    trans = (Affine2D().translate(-(bb.x0 + bb.x1) / 2, -(bb.y0 + bb.y1) / 2).scale(dpi / 72)
             + ScaledTranslation(x, y, ax.transData))
    ax.add_patch(PathPatch(tp, transform=trans, facecolor=color, edgecolor="none", zorder=9))


#: A web map's pixel of line weight or lane is this many points in a static map.
PX_TO_PT = 0.55


def shift_line(xs, ys, lanes, step: float):
    """Vertices moved ``lanes[i] * step`` to the left of the line (map units, y up), mitred at each
    corner so the line keeps its distance from both legs: the static map's side-by-side corridors,
    as the web map draws them (``TumenAtlas.shiftLine``)."""
    n = len(xs)
    normals = []
    for i in range(n - 1):
        dx, dy = xs[i + 1] - xs[i], ys[i + 1] - ys[i]
        ln = math.hypot(dx, dy) or 1.0
        normals.append((-dy / ln, dx / ln))
    ox, oy = [], []
    for i in range(n):
        n1 = normals[i - 1] if i > 0 else normals[0]
        n2 = normals[i] if i < n - 1 else normals[-1]
        k = max(1.0 + n1[0] * n2[0] + n1[1] * n2[1], 0.5)  # a sharp turn's mitre is capped
        d = lanes[i] * step
        ox.append(xs[i] + d * (n1[0] + n2[0]) / k)
        oy.append(ys[i] + d * (n1[1] + n2[1]) / k)
    return ox, oy


def _draw_layer(ax, lyr, z: float, dpi: float, units_per_pt: float = 0.0) -> list[tuple[float, float]]:
    """Draw one layer of the description; returns where (Web Mercator) its site icons stand.
    ``units_per_pt``: map units in a point at the final scale (for the lanes of shared corridors)."""
    if not len(lyr.frame):
        return []
    g = lyr.frame.to_crs(MERCATOR)
    icons = []
    lanes_of = g["lanes"].values if "lanes" in g.columns else [None] * len(g)
    for geom, st, icon, lanes in zip(g.geometry.values, g["style"].values,
                                     g["icon"].values if lyr.marker == "site" else [None] * len(g), lanes_of):
        if geom is None or geom.is_empty:
            continue
        if lyr.marker == "circle":
            ax.scatter([geom.x], [geom.y], s=(st["radius"] * 0.75) ** 2 * math.pi / 2, color=st["fillColor"],
                       edgecolors=st["color"], linewidths=0.5, alpha=st["fillOpacity"], zorder=z)
            continue
        if lyr.marker == "site":
            ax.scatter([geom.x], [geom.y], s=110, color="white", edgecolors=st["color"], linewidths=1.8, zorder=z)
            _site_glyph(ax, geom.x, geom.y, icon, st["color"], dpi)
            icons.append((geom.x, geom.y))
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon") and st.get("fillColor"):
            gpd.GeoSeries([geom]).plot(ax=ax, color=st["fillColor"], alpha=st.get("fillOpacity", 1.0), edgecolor="none",
                                       linewidth=0, zorder=z)
            continue
        weight = st.get("weight", 1.0)
        kw = {"color": st.get("color", "#333333"), "linewidth": weight * (PX_TO_PT if lyr.group == "Corridors" else 0.5),
              "alpha": st.get("opacity", 1.0), "solid_capstyle": "round", "zorder": z}
        d = _dashes(st.get("dashArray"), weight)
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type != "LineString":
                part = part.exterior if part.geom_type == "Polygon" else part
            xs, ys = part.xy
            if isinstance(lanes, list) and len(lanes) == len(xs) and units_per_pt:
                xs, ys = shift_line(list(xs), list(ys), lanes, LANE_PX * PX_TO_PT * units_per_pt)
            line = ax.plot(xs, ys, **kw)[0]
            if d:
                line.set_dashes(d)
    return icons


def _legend_handles(spec: MapSpec):
    """Legend entries from the description's legend sections (the web map's legend)."""
    from matplotlib.lines import Line2D

    handles = []
    for sec in spec.legend:
        for it in sec["items"]:
            if it.get("line"):
                ln = it["line"]
                h = Line2D([], [], color=ln.get("color", "#333333"), linewidth=min(ln.get("weight", 3), 5) * 0.6,
                           alpha=ln.get("opacity", 1.0), label=it["label"])
                d = _dashes(ln.get("dashArray"), ln.get("weight", 3))
                if d:
                    h.set_dashes(d)
            elif it.get("circle"):
                c = it["circle"]
                h = Line2D([], [], marker="o", linestyle="", markerfacecolor=c["fillColor"], markeredgecolor=c["color"],
                           markersize=7, label=f"Place: {it['label']}" if sec["title"].startswith("Places") else it["label"])
            elif it.get("area"):
                from matplotlib.patches import Patch

                a = it["area"]
                h = Patch(facecolor=a["fillColor"], alpha=max(a["fillOpacity"], 0.3), edgecolor=a["color"], label=it["label"])
            else:
                h = Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=it.get("color", "#000"),
                           markeredgewidth=2, markersize=8, label=f"Site: {it['label']}")
            handles.append(h)
    return handles


def web_zoom(width_m: float, width_px96: float) -> float:
    """The web map's zoom at which ``width_m`` of Web Mercator spans ``width_px96`` CSS pixels."""
    return math.log2(156543.03392804097 * width_px96 / width_m)


def _label_gid(group: str) -> str:
    import re

    return "label-" + re.sub(r"[^A-Za-z0-9_.:-]", "_", group)


def place_labels(ax, spec: MapSpec, shown_layers: set[str], zoom: float, icons: list, obstacles: list, dpi: float,
                 halo: bool = True) -> list[str]:
    """Place the description's labels on ``ax`` by priority, as the web map does: the first
    candidate position inside the axes that overlaps no placed label, no site icon (``icons``)
    and no other obstacle (display-space boxes)."""
    import matplotlib.patheffects as pe

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    axbox = ax.get_window_extent(renderer)
    px = dpi / 96.0
    placed = [*icons, *obstacles]
    done: set[str] = set()
    shown: list[str] = []
    rule = S.PLACEMENT  # the web map's placement (labels.js reads the same table from the page)
    pad = rule["pad"] * px
    lab = spec.labels.to_crs(MERCATOR)
    for r, geom in zip(lab.itertuples(index=False), lab.geometry.values):
        if zoom < r.minzoom or r.group in done or (r.layers and not set(r.layers) & shown_layers):
            continue
        st = S.LABEL_STYLE[r.cls]
        text = r.text.upper() if st["upper"] else r.text
        x, y = ax.transData.transform((geom.x, geom.y))
        t = ax.text(0, 0, text, fontsize=st["size"] * 0.75, fontweight="bold" if st["weight"] >= 600 else "normal", color=st["color"],
                    fontstyle="italic" if st["italic"] else "normal", ha="left", va="bottom", zorder=20,
                    path_effects=[pe.withStroke(linewidth=2.2, foreground=S.LABEL_HALO)] if halo else None)
        bb = t.get_window_extent(renderer)
        w, h = bb.width, bb.height
        o = r.offset * px
        for ob in icons:  # a point under a site's icon is named from outside the icon
            if o and ob[0] <= x <= ob[2] and ob[1] <= y <= ob[3]:
                o = max(o, rule["site_half"] * px)
        g = o + rule["gap"] * px
        # the web map's candidates (screen space, y down), as display space (y up): the box's
        # bottom-left corner is the point less its top's offset and its height
        cands = [(x + gx * g + wx * w, y - gy * g - (hy + 1) * h) for gx, gy, wx, hy in rule["beside" if o else "centred"]]
        spot = None
        for cx, cy in cands:
            b = (cx - pad, cy - pad, cx + w + pad, cy + h + pad)
            if b[0] < axbox.x0 or b[1] < axbox.y0 or b[2] > axbox.x1 or b[3] > axbox.y1:
                continue
            if any(b[0] < q[2] and q[0] < b[2] and b[1] < q[3] and q[1] < b[3] for q in placed):
                continue
            spot = (cx, cy, b)
            break
        if spot is None:
            t.remove()
            continue
        t.set_position(ax.transData.inverted().transform((spot[0], spot[1])))
        t.set_gid(_label_gid(r.group))
        placed.append(spot[2])
        done.add(r.group)
        shown.append(r.text)
    return shown


def draw_static(data: AtlasData, *, width_in: float = 10.0, height_in: float = 8.0, dpi: int = 200, title: str | None = None,
                alternatives: bool = False, spec: MapSpec | None = None, text_halo: bool = True):
    """A matplotlib Figure of the map: the description's layers in their order, its labels, legend,
    a title, a scale bar and the attribution with every article's source.

    The layers shown are the web map's defaults (``alternatives`` adds the alternatives considered).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from layers.content import DEFAULT_TITLE

    spec = spec or map_spec(data, title=title or DEFAULT_TITLE)
    title = title or spec.title
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.06)
    ax.set_facecolor(SEA_COLOUR)
    layers = _shown(spec, alternatives)
    minx, miny, maxx, maxy = _mercator_box(spec.bounds)
    # match the figure's aspect so nothing is squashed
    ax_w, ax_h = width_in * 0.98, height_in * 0.89
    want = ax_w / ax_h
    cx, cy, w, h = (minx + maxx) / 2, (miny + maxy) / 2, maxx - minx, maxy - miny
    if w / h < want:
        w = h * want
    else:
        h = w / want
    icons = []
    for i, lyr in enumerate(layers):
        icons += _draw_layer(ax, lyr, 1 + i * 0.1, dpi, units_per_pt=w / (ax_w * 72.0))
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="datalim")
    ax.apply_aspect()  # final limits now: the labels are placed in this frame
    (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
    cx, cy, w, h = (x_lo + x_hi) / 2, (y_lo + y_hi) / 2, x_hi - x_lo, y_hi - y_lo
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for sp in ax.spines.values():
        sp.set_edgecolor("#888888")
    leg = ax.legend(handles=_legend_handles(spec), loc="lower right", fontsize=6.5, frameon=True, framealpha=0.92,
                    title="Legend", title_fontsize=7.5, ncol=1)
    leg.set_zorder(30)
    # scale bar (Web Mercator: true length shrinks by cos(latitude))
    lat = math.degrees(2 * math.atan(math.exp(cy / 6378137.0)) - math.pi / 2)
    k = 1 / math.cos(math.radians(lat))
    span_km = w / k / 1000
    nice = min((100, 200, 250, 500, 1000), key=lambda n: abs(n - span_km / 5))
    x0, y0 = cx - w / 2 + w * 0.03, cy - h / 2 + h * 0.04
    ax.plot([x0, x0 + nice * 1000 * k], [y0, y0], color="black", linewidth=2.5, zorder=31, solid_capstyle="butt")
    sb = ax.text(x0, y0 + h * 0.012, f"{nice} km", fontsize=7, zorder=31)
    fig.text(0.01, 0.012, ATTRIBUTION_TEXT.format(sources="; ".join(spec.sources)), fontsize=6, color="#333333", wrap=True, va="bottom")
    fig.suptitle(title + (f" — as of {data.as_of}" if data.as_of else ""), fontsize=12, y=0.985)
    # labels last: they avoid the site icons, the legend and the scale bar
    renderer = fig.canvas.get_renderer()
    half = S.PLACEMENT["site_half"] * dpi / 96
    icon_boxes = [(px - half, py - half, px + half, py + half) for px, py in (ax.transData.transform(p) for p in icons)]
    leg_bb, sb_bb = leg.get_window_extent(renderer), sb.get_window_extent(renderer)
    xa, ya = ax.transData.transform((x0, y0))
    x1, y1 = ax.transData.transform((x0 + nice * 1000 * k, y0))
    obstacles = [(leg_bb.x0, leg_bb.y0, leg_bb.x1, leg_bb.y1), (sb_bb.x0, sb_bb.y0, sb_bb.x1, sb_bb.y1),
                 (xa, ya - 3, x1, max(y1, sb_bb.y1))]  # the bar and its text
    zoom = web_zoom(w, ax.get_window_extent(renderer).width * 96 / dpi)
    fig._tumen_labels = place_labels(ax, spec, {lyr.key for lyr in layers}, zoom, icon_boxes, obstacles, dpi, halo=text_halo)
    return fig


#: The static maps' fonts: matplotlib's DejaVu Sans (Latin, Greek, Cyrillic) first, then Noto Sans CJK
#: (the noto-cjk-sans-otc package, Google's fonts under the SIL Open Font License 1.1) for the Hangul
#: and Han of native names and article titles, which DejaVu Sans lacks (they were empty boxes).
STATIC_FONTS = ["DejaVu Sans", "Noto Sans CJK KR"]


def font_rc() -> dict:
    """matplotlib settings that draw text in :data:`STATIC_FONTS`, the CJK font registered from its
    package (``{}`` if the package is missing: matplotlib's own fonts then, Hangul and Han unreadable)."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return {}
    from matplotlib import font_manager as fm

    path = str(noto_cjk_sans_otc.FONT_PATH)
    if not any(f.fname == path for f in fm.fontManager.ttflist):
        fm.fontManager.addfont(path)
    # the families by name: matplotlib falls back glyph by glyph along font.family's list only (a
    # generic "sans-serif" there resolves to its one first font)
    return {"font.family": [*STATIC_FONTS, "sans-serif"]}


def export_static(data: AtlasData, path: str | Path, *, fmt: str | None = None, width_in: float = 10.0,
                  height_in: float = 8.0, dpi: int = 200, title: str | None = None, alternatives: bool = False) -> Path:
    """Write the map as a PNG, PDF or SVG file for print, atomically: the web map's default layers,
    styles, icons and names (placed by the same rules), with a title, the legend, a scale bar and
    every article's source.

    Parameters
    ----------
    data
        The pipeline's result (:func:`geo.atlas.atlas_data`).
    path
        Where to write it (a regular file or a missing path; a symlink is written through).
    fmt
        ``"png"``, ``"pdf"`` or ``"svg"``; default: the file's suffix.
    width_in, height_in
        The page's size in inches (1 to 60 a side).
    dpi
        Resolution of a PNG (and of the names' placement), 30 to 1200.
    title
        The map's title (default: the atlas's own, with the as-of date of a dated view).
    alternatives
        Also draw the alternatives considered (off in the web map by default).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        An unknown format, a size or resolution out of range.
    """
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
    import logging

    fm_log = logging.getLogger("matplotlib.font_manager")
    level = fm_log.level
    # the CJK font has one weight: bold labels' Hangul are drawn regular (matplotlib says so for each)
    fm_log.setLevel(logging.ERROR)
    try:
        # fixed salt for SVG element ids, no dates: the same inputs give the same bytes; SVG text stays text
        with matplotlib.rc_context({"svg.hashsalt": "tumen-atlas", "pdf.compression": 6, "svg.fonttype": "none", **font_rc()}):
            # matplotlib draws path-effect halos as outlines: in SVG the halo is a stroke on real text
            fig = draw_static(data, width_in=width_in, height_in=height_in, dpi=dpi, title=title, alternatives=alternatives,
                              text_halo=fmt != "svg")
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
            plt.close(fig)
    finally:
        fm_log.setLevel(level)
    out = buf.getvalue()
    if fmt == "svg":  # well-formed XML whatever the articles hold: no character XML forbids
        out = xml_text(_svg_halos(out.decode("utf-8"))).encode("utf-8")
    return write_atomic(p, out)


def _svg_halos(svg: str) -> str:
    """A white halo behind every label's text (SVG's own stroke, painted under the fill)."""
    import re

    halo = f"paint-order: stroke; stroke: {S.LABEL_HALO}; stroke-width: 2.5px; stroke-linejoin: round; "
    return re.sub(r'(<g id="label-[^"]*">\s*<text style=")', lambda m: m.group(1) + halo, svg)


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


def gis_layers(data: AtlasData, spec: MapSpec | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The layers written to GIS files: places, mentions (with their quotes), routes, segments, sites,
    and the map's labels (text, class, priority and the zoom they show from, as the web map ranks them)."""
    m = data.mentions.copy()
    by = data.by_id
    m["article_title"] = [by[a].title for a in m["article_id"]]
    m["article_date"] = [by[a].meta.date for a in m["article_id"]]  # every quote dated, with its precision
    m["article_date_precision"] = [by[a].date_precision for a in m["article_id"]]
    m = m.rename(columns={"sentence": "quote"})
    m["_when"] = [date_key(d) for d in m["article_date"]]
    m = m.sort_values(["_when", "article_id", "start"], kind="stable").drop(columns="_when")  # in date order
    return {
        "places": _flat(data.places),
        "mentions": _flat(m),
        "routes": _flat(data.routes.routes),
        "segments": _flat(data.routes.segments),
        "sites": _flat(data.routes.sites),
        "labels": _flat(map_labels(data, spec)),
    }


def map_labels(data: AtlasData, spec: MapSpec | None = None) -> gpd.GeoDataFrame:
    """The description's labels as a GIS layer, one point per label, best first (``rank`` 1)."""
    from layers.content import DEFAULT_TITLE

    lab = (spec or map_spec(data, title=DEFAULT_TITLE)).labels.copy()
    lab.insert(0, "rank", range(1, len(lab) + 1))
    lab["layers"] = lab["layers"].map(lambda v: ",".join(v))
    return lab.reset_index(drop=True)


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
    # each feature's quotes in date order (undated last), then by article and place in it
    df["_when"] = [date_key(d) for d in df["date"]]
    df = df.sort_values(["feature_type", "feature_id", "_when", "article_id", "start", "role"], kind="stable")
    return df.drop(columns="_when").reset_index(drop=True)


def gis_attribution(data: AtlasData) -> str:
    """Whose data the GIS exports hold: the sources of the geometry (OpenStreetMap's among them,
    ODbL) and of the evidence (the articles' authors and outlets)."""
    sources = sorted({a.meta.outlet or "unknown outlet" for a in data.articles})
    return ATTRIBUTION_TEXT.format(sources="; ".join(sources))


def export_gpkg(data: AtlasData, path: str | Path) -> Path:
    """One GeoPackage with a layer each (places, mentions, routes, segments, sites), written
    atomically; each layer's description says whose data it holds (:func:`gis_attribution`)."""
    p = Path(path)
    note = gis_attribution(data)
    with atomic_path(p) as tmp:
        tmp.unlink()  # GDAL makes the GeoPackage itself
        for name, gdf in gis_layers(data).items():
            gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", layer_options={"DESCRIPTION": note})
    return p


def export_geojson(data: AtlasData, folder: str | Path) -> list[Path]:
    """One RFC 7946 GeoJSON file per layer in ``folder``, plus ``quotes.csv`` and ``SOURCES.txt`` (whose
    data they hold: :func:`gis_attribution`); each written atomically."""
    d = Path(folder)
    out = []
    for name, gdf in gis_layers(data).items():
        out.append(write_atomic(d / f"{name}.geojson", gdf.to_json(drop_id=True, ensure_ascii=False, to_wgs84=True) + "\n"))
    out.append(export_quotes_csv(data, d / "quotes.csv"))
    out.append(write_atomic(d / "SOURCES.txt", gis_attribution(data) + "\n"))
    return out


def export_quotes_csv(data: AtlasData, path: str | Path) -> Path:
    # every cell inert in a spreadsheet (no formula, no control character: geo._sanitize)
    return write_atomic(path, csv_frame(quotes_table(data)).to_csv(index=False, lineterminator="\n"))
