"""The interactive map: the layer description (:mod:`layers.spec`) rendered as a folium map.

This module draws what :func:`layers.spec.map_spec` describes; it decides nothing about what the
map shows. The page's data follows the contract in :mod:`layers.contract`.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import tempfile
from pathlib import Path
from typing import Sequence

import folium
import shapely

from geo.atlas import AtlasData, atlas_data
from geo.corpus import Article
from layers import style as S
from layers.basemap import SEA_COLOUR
from layers.contract import SCHEMA, validate_features, validate_flat_shapes, validate_page_data
from layers.elements import AtlasApp, FlatShapes, InitialView, InlineAssets, Raw, Register, SafeGeoJson, safe_json
from layers.popups import _date, place_popup, route_popup, site_popup  # noqa: F401  (the public names of earlier releases)
from layers.spec import MapSpec, initial_bounds, map_spec  # noqa: F401

log = logging.getLogger(__name__)

DEFAULT_TITLE = "Tumen Atlas: Russia and the Koreas"
ATTRIBUTION = (
    'Basemap: Made with <a href="https://www.naturalearthdata.com">Natural Earth</a> (public domain) · '
    'Places: <a href="https://www.geonames.org">GeoNames</a> (CC BY 4.0) · '
    "Texts: the articles' authors and outlets (see Sources)"
)
#: Web tile providers a user may add as base layers (they need a network; offline they fail quietly).
TILE_PROVIDERS = {
    "OpenStreetMap": ("OpenStreetMap.Mapnik", "© OpenStreetMap contributors"),
    "CartoDB Positron": ("CartoDB.Positron", "© OpenStreetMap contributors © CARTO"),
    "OpenTopoMap": ("OpenTopoMap", "© OpenStreetMap contributors, SRTM | © OpenTopoMap (CC-BY-SA)"),
}
BASE_KEY = "natural-earth"


class AtlasMap(folium.Map):
    """A folium Map whose assets are inlined (no CDN links)."""

    default_js: list = []
    default_css: list = []


# ------------------------------------------------------------------ features


def _round_geom(g, nd: int = 4):
    return shapely.set_precision(g, 10 ** -nd) if g is not None else g


def _fc(feats: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": feats}


def basemap_json(layers: Sequence) -> dict[str, str]:
    """The basemap layers as the page embeds them (:func:`flat_shapes`), by layer key: the same on
    every build, so encoded once and kept in the user cache (about a megabyte of coordinates)."""
    from geo import _cache

    return _cache.cached("basemap-page", lambda: {lyr.key: safe_json(validate_flat_shapes(flat_shapes(lyr))) for lyr in layers})


def flat_shapes(layer) -> list[dict]:
    """A basemap layer's features as :class:`layers.contract.FlatShape`: each ring one flat list
    of numbers, which the page reads and draws without an object per vertex."""
    out = []
    for f in layer.source["features"]:
        g = f["geometry"]
        kind, coords = g["type"], g["coordinates"]
        if kind in ("Polygon", "MultiPolygon"):
            rings = [r for poly in ([coords] if kind == "Polygon" else coords) for r in poly]
        elif kind in ("LineString", "MultiLineString"):
            rings = [coords] if kind == "LineString" else list(coords)
        else:
            raise ValueError(f"basemap layer {layer.key}: cannot draw a {kind}")
        out.append({"closed": kind.endswith("Polygon"), "style": layer.style,
                    "rings": [[v for pt in r for v in pt[:2]] for r in rings]})
    return out


_PROPS = ("key", "popup", "tooltip", "style", "marker", "icon", "site_kind", "date", "segment", "lanes", "history", "growth")


def layer_features(layer, *, style_kwds: dict | None = None) -> dict:
    """A layer's features as GeoJSON whose properties follow :class:`layers.contract.FeatureProps`."""
    if isinstance(layer.source, dict):  # the basemap: already rounded GeoJSON, one style
        return _fc([{"type": "Feature", "properties": {"style": layer.style}, "geometry": f["geometry"]} for f in layer.source["features"]])
    feats = []
    cols = [c for c in _PROPS if c in layer.frame.columns]
    columns = [layer.frame[c].tolist() for c in cols]
    for row, geom in zip(zip(*columns), layer.frame.geometry.values):
        props = {c: v for c, v in zip(cols, row) if v is not None and v == v}
        if layer.marker != "path":
            props["marker"] = layer.marker
        if style_kwds:
            props["style"] = {**props.get("style", {}), **style_kwds}
        feats.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(_round_geom(geom))})
    return _fc(feats)


def _assign_ids(root) -> None:
    """Give every element a deterministic id from its place in the tree (folium's are random)."""
    counter = [0]

    def walk(el, path: str) -> None:
        counter[0] += 1
        el._id = hashlib.sha1(f"{path}/{counter[0]}".encode()).hexdigest()[:12]
        for name, child in list(getattr(el, "_children", {}).items()):
            walk(child, f"{path}/{type(child).__name__}")

    walk(root, "root")
    # children are keyed by their (old, random) names: re-key them so the output is stable
    def rekey(el) -> None:
        kids = getattr(el, "_children", None)
        if kids:
            items = list(kids.items())
            kids.clear()
            for _, child in items:
                kids[child.get_name()] = child
                rekey(child)

    rekey(root)


def article_data(articles: Sequence[Article], mentions) -> list[dict]:
    """The reader's data: each article's text, its site chrome and its mentions."""
    by_art: dict[str, list] = {}
    for aid, s, e, pid in zip(*(mentions[c].tolist() for c in ("article_id", "start", "end", "place_id"))):
        by_art.setdefault(aid, []).append([int(s), int(e), f"place:{pid}"])
    out = []
    for a in articles:
        out.append({
            "id": a.id, "title": a.title, "author": a.meta.author, "outlet": a.meta.outlet, "date": _date(a),
            "notes": a.meta.notes, "url": a.meta.url, "text": a.text,
            "chrome": [[c.start, c.end, c.reason] for c in a.chrome],
            "mentions": by_art.get(a.id, []),
        })
    return out


def page_labels(spec: MapSpec) -> list[dict]:
    return [
        {"t": r.text, "c": r.cls, "lat": round(r.geometry.y, 4), "lng": round(r.geometry.x, 4), "z": float(r.minzoom),
         "o": float(r.offset), "l": list(r.layers), "g": r.group}
        for r in spec.labels.itertuples(index=False)
    ]


def build_map(
    articles: str | Path | None = None,
    routes: str | Path | None = None,
    *,
    title: str = DEFAULT_TITLE,
    tiles: Sequence[str] = (),
    data: AtlasData | None = None,
    m: folium.Map | None = None,
    style_kwds: dict | None = None,
    marker_kwds: dict | None = None,
    tooltip_kwds: dict | None = None,
    popup_kwds: dict | None = None,
) -> folium.Map:
    """Build the interactive map: a :class:`folium.Map` (shows inline in Jupyter).

    Parameters
    ----------
    articles
        Folder of articles; default: the embedded corpus.
    routes
        Routes catalogue YAML; default: the embedded catalogue.
    title
        Shown in the page title and the reader panel (escaped).
    tiles
        Names of web tile providers to offer as extra base layers (see ``TILE_PROVIDERS``); the
        offline Natural Earth basemap is always the default.
    data
        Precomputed :class:`~geo.atlas.AtlasData` (skips the pipeline).
    m
        An existing :class:`folium.Map` to add the atlas's layers and controls to (as in
        geopandas' ``explore``); by default a new, self-contained map.
    style_kwds, marker_kwds
        Leaflet path options merged into every corridor, border and river line (``style_kwds``)
        and every place circle (``marker_kwds``), e.g. ``{"weight": 5}``.
    tooltip_kwds, popup_kwds
        Options for Leaflet's ``bindTooltip`` and ``bindPopup`` (e.g. ``{"maxWidth": 300}``).
    """
    for t in tiles:
        if t not in TILE_PROVIDERS:
            raise ValueError(f"unknown tile provider {t!r}; choose from {', '.join(TILE_PROVIDERS)}")
    d = data or atlas_data(articles, routes)
    spec = map_spec(d, title=title)
    own = m is None
    if own:
        m = AtlasMap(location=(42.0, 131.0), zoom_start=5, tiles=None, control_scale=False, zoom_control=True,
                     prefer_canvas=False, attribution_control=True)
        fig = m.get_root()
        fig.title = None
        fig.header.add_child(Raw(f"<title>{html.escape(title)}</title>"), name="title")
        fig.header.add_child(Raw('<meta charset="utf-8" />'), name="charset")
        fig.header.add_child(Raw(
            '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'), name="viewport")
    InlineAssets(leaflet=own).add_to(m)
    minx, miny, maxx, maxy = spec.bounds
    bounds = [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]
    InitialView(bounds).add_to(m)

    bases: list[dict] = []
    base = folium.FeatureGroup(name="Natural Earth (offline)", control=False, show=True)
    encoded = basemap_json([lyr for lyr in spec.layers if lyr.group == "Basemap"])
    for lyr in spec.layers:
        if lyr.group == "Basemap":
            FlatShapes(encoded[lyr.key], pane=lyr.pane, name=f"Basemap_{lyr.label}").add_to(base)
    Register("base", BASE_KEY).add_to(base)
    base.add_to(m)
    bases.append({"key": BASE_KEY, "label": "Natural Earth (offline)", "attribution": ""})
    for t in tiles:
        provider, attr = TILE_PROVIDERS[t]
        tl = folium.TileLayer(tiles=provider, name=t, control=False, show=False)
        key = t.lower().replace(" ", "-")
        Register("base", key).add_to(tl)
        tl.add_to(m)
        bases.append({"key": key, "label": f"{t} (web tiles, needs internet)", "attribution": attr})

    opts = {"tooltip": tooltip_kwds or {}, "popup": popup_kwds or {}}
    overlays = []
    for lyr in spec.overlays():
        fg = folium.FeatureGroup(name=lyr.label, control=False, show=lyr.show)
        kw = (marker_kwds if lyr.marker == "circle" else style_kwds if lyr.marker == "path" else None)
        fc = layer_features(lyr, style_kwds=kw)
        validate_features(fc)
        SafeGeoJson(fc, name=f"Layer_{lyr.key}", options=opts).add_to(fg)
        Register("overlay", lyr.key).add_to(fg)
        fg.add_to(m)
        overlays.append({"key": lyr.key, "label": lyr.label, "group": lyr.group, "show": lyr.show, "count": len(lyr)})

    app = validate_page_data({
        "schema": SCHEMA, "title": title, "overlays": overlays, "bases": bases, "popups": spec.popups,
        "search": spec.search, "legend": spec.legend, "labels": page_labels(spec),
        "bounds": bounds,
        "articles": article_data(d.articles, d.mentions), "attribution": ATTRIBUTION, "sources": spec.sources,
        "sea": SEA_COLOUR, "buttons": S.BUTTON_ICONS, "timeline": spec.timeline,
    })
    AtlasApp(app).add_to(m)
    if own:
        _assign_ids(m.get_root())
    log.info("map: %d overlays, %d labels, %d popups, %d articles", len(overlays), len(app["labels"]), len(spec.popups), len(app["articles"]))
    return m


def render_html(m: folium.Map) -> str:
    """The complete, self-contained HTML of ``m`` (deterministic for the same inputs)."""
    out = m.get_root().render()
    # lines end at "\n" only: article text may hold NEL, U+2028 and other characters that
    # str.splitlines() would break a line (and the embedded JSON) at
    return "\n".join(line.rstrip(" \t\r") for line in out.split("\n")).rstrip("\n") + "\n"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs get the usual permissions
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def write_map(path: str | Path = "output/map.html", **kw) -> Path:
    """Build the map and write it atomically to ``path``."""
    return write_atomic(path, render_html(build_map(**kw)))


def embed_snippet(src: str, *, height: int = 600, title: str = DEFAULT_TITLE) -> str:
    """An iframe snippet that embeds the map at full width and a chosen height in a report page."""
    if not 100 <= height <= 4000:
        raise ValueError(f"height must be between 100 and 4000 pixels, got {height!r}")
    return (
        f'<div class="tumen-atlas-embed" style="position:relative;width:100%;max-width:100%;height:{height}px">\n'
        f'  <iframe src="{html.escape(src, quote=True)}" title="{html.escape(title, quote=True)}" '
        f'style="border:0;width:100%;height:100%" loading="lazy" allowfullscreen></iframe>\n</div>\n'
    )
