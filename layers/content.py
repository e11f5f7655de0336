"""The map page's content, without folium: what the page embeds and the page's constants.

:func:`page_content` turns the layer description (:func:`layers.spec.map_spec`) into what the page
embeds: each layer's JSON, the app's data document, the first view. :mod:`layers.mapdoc` draws that
content as a folium map, and :mod:`layers.page` writes the page from its cached frame.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, replace
from typing import Sequence

import shapely

from geo.atlas import AtlasData
from geo.corpus import Article
from geo.timeline import AS_OF_RULE
from layers import style as S
from layers.assets import safe_json
from layers.basemap import SEA_COLOUR
from layers.contract import SCHEMA, validate_features, validate_flat_shapes, validate_page_data
from layers.popups import _date
from layers.spec import MapSpec, map_spec

log = logging.getLogger(__name__)

DEFAULT_TITLE = "Tumen Atlas: Russia and the Koreas"
ATTRIBUTION = (
    'Basemap: Made with <a href="https://www.naturalearthdata.com">Natural Earth</a> (public domain) · '
    'Coast from Pohang to Nakhodka, railway lines: '
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a> (ODbL) · '
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


_PROPS = ("key", "popup", "tooltip", "style", "marker", "icon", "site_kind", "date", "segment", "lanes", "history", "refs", "area")


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


def article_data(articles: Sequence[Article], mentions) -> list[dict]:
    """The reader's list: each article's metadata (its text travels compressed: :func:`article_texts`)."""
    return [{"id": a.id, "title": a.title, "author": a.meta.author, "outlet": a.meta.outlet, "date": _date(a),
             "notes": a.meta.notes, "url": a.meta.url} for a in articles]


def pack_json(obj) -> str:
    """``obj`` as JSON compressed with gzip and written in base64, for the page to decode with the
    browser's own ``DecompressionStream`` (``TumenAtlas.unpack``). The same bytes for the same
    ``obj`` (sorted keys, no timestamp in the gzip header)."""
    import base64
    import json

    raw = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(_gzip(raw)).decode("ascii")


def _gzip(raw: bytes) -> bytes:
    """``raw`` as a gzip member written here rather than by :func:`gzip.compress`, whose header
    differs between Python versions (3.11 and 3.12 let zlib write it, with another OS byte): a
    fixed header (no name, no time, OS unknown), zlib's deflate stream, the CRC and the size."""
    import struct
    import zlib

    c = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    body = c.compress(raw) + c.flush()
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + body + struct.pack("<II", zlib.crc32(raw) & 0xFFFFFFFF, len(raw) & 0xFFFFFFFF)


def unpack_json(blob: str):
    """:func:`pack_json` read back (for tests and tools)."""
    import base64
    import gzip
    import json

    return json.loads(gzip.decompress(base64.b64decode(blob)).decode("utf-8"))


def article_texts(articles: Sequence[Article], mentions) -> str:
    """Each article's text, its site chrome and its mentions, ``[[text, [[start, end, reason], ...],
    [[start, end, key], ...]], ...]`` in the order of :func:`article_data`, packed
    (:func:`pack_json`): the page decodes it once, when the map is drawn."""
    by_art: dict[str, list] = {}
    for aid, s, e, pid in zip(*(mentions[c].tolist() for c in ("article_id", "start", "end", "place_id"))):
        by_art.setdefault(aid, []).append([int(s), int(e), f"place:{pid}"])
    return pack_json([[a.text, [[c.start, c.end, c.reason] for c in a.chrome], by_art.get(a.id, [])] for a in articles])


def page_labels(spec: MapSpec) -> list[dict]:
    return [
        {"t": r.text, "c": r.cls, "lat": round(r.geometry.y, 4), "lng": round(r.geometry.x, 4), "z": float(r.minzoom),
         "o": float(r.offset), "l": list(r.layers), "g": r.group}
        for r in spec.labels.itertuples(index=False)
    ]


# ------------------------------------------------------------------ the content


@dataclass(frozen=True)
class PageContent:
    """What a map page embeds. The ``*_json`` fields are JSON made by :func:`safe_json`; the others
    shape the page's structure (its frame)."""

    title: str
    tiles: tuple[str, ...]
    #: basemap layers: (key, label, pane, flat shapes JSON)
    basemap: tuple[tuple[str, str, str | None, str], ...]
    #: overlays: (key, label, show, GeoJSON)
    overlays: tuple[tuple[str, str, bool, str], ...]
    bounds_json: str
    app_json: str
    layer_options: dict
    counts: tuple[int, int, int, int]  #: overlays, labels, popups, articles (for the log)
    cluster: bool = False  #: the page inlines Leaflet.markercluster and clusters its places


    def structure(self) -> str:
        """Everything of the page that is not a slot, as one string (the frame's cache key)."""
        return safe_json({
            "title": self.title, "tiles": list(self.tiles), "options": self.layer_options, "cluster": self.cluster,
            "basemap": [[k, label, pane] for k, label, pane, _ in self.basemap],
            "overlays": [[k, label, show] for k, label, show, _ in self.overlays],
        })

    def slots(self) -> list[str]:
        """The content's JSON in the order the page holds it (that of :meth:`with_slots`)."""
        return [self.bounds_json, *(j for *_, j in self.basemap), *(j for *_, j in self.overlays), self.app_json]

    def with_slots(self, marks: Sequence[str]) -> PageContent:
        """This content with ``marks`` in place of its JSON, in the order of :meth:`slots`."""
        it = iter(marks)
        bounds = next(it)
        basemap = tuple((k, label, pane, next(it)) for k, label, pane, _ in self.basemap)
        overlays = tuple((k, label, show, next(it)) for k, label, show, _ in self.overlays)
        return replace(self, bounds_json=bounds, basemap=basemap, overlays=overlays, app_json=next(it))


def page_content(
    data: AtlasData,
    *,
    title: str = DEFAULT_TITLE,
    tiles: Sequence[str] = (),
    spec: MapSpec | None = None,
    style_kwds: dict | None = None,
    marker_kwds: dict | None = None,
    tooltip_kwds: dict | None = None,
    popup_kwds: dict | None = None,
) -> PageContent:
    """The content of the map page of ``data`` (see :func:`layers.mapdoc.build_map` for the options).

    Parameters
    ----------
    data
        The pipeline's result (:func:`geo.atlas.atlas_data`).
    title
        The page's title (escaped).
    tiles
        Web tile providers offered as extra base layers (names of :data:`TILE_PROVIDERS`).
    spec
        The layer description, when already made (default: :func:`layers.spec.map_spec` of ``data``).
    style_kwds, marker_kwds, tooltip_kwds, popup_kwds
        Leaflet options passed through to the lines, the circles, the tooltips and the popups.

    Returns
    -------
    PageContent
    """
    check_tiles(tiles)
    spec = spec or map_spec(data, title=title)
    minx, miny, maxx, maxy = spec.bounds
    bounds = [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]]
    base_layers = [lyr for lyr in spec.layers if lyr.group == "Basemap"]
    encoded = basemap_json(base_layers)
    bases = [{"key": BASE_KEY, "label": "Natural Earth (offline)", "attribution": ""}]
    for t in tiles:
        bases.append({"key": tile_key(t), "label": f"{t} (web tiles, needs internet)", "attribution": TILE_PROVIDERS[t][1]})
    overlays, layer_json = [], []
    for lyr in spec.overlays():
        kw = (marker_kwds if lyr.marker == "circle" else style_kwds if lyr.marker == "path" else None)
        fc = layer_features(lyr, style_kwds=kw)
        validate_features(fc)
        layer_json.append((lyr.key, lyr.label, lyr.show, safe_json(fc)))
        overlays.append({"key": lyr.key, "label": lyr.label, "group": lyr.group, "show": lyr.show, "count": len(lyr)})
    app = validate_page_data({
        "schema": SCHEMA, "title": title, "overlays": overlays, "bases": bases, "popups": pack_json(spec.popups),
        "search": spec.search, "legend": spec.legend, "labels": page_labels(spec),
        "bounds": bounds,
        "articles": article_data(data.articles, data.mentions), "texts": article_texts(data.articles, data.mentions),
        "attribution": ATTRIBUTION, "sources": spec.sources, "scale": {**S.PLACE_SCALE, **S.AREA_SCALE},
        "cluster": cluster_points(spec),
        "sea": SEA_COLOUR, "buttons": S.BUTTON_ICONS, "timeline": spec.timeline, "placement": S.PLACEMENT,
        "as_of_rule": AS_OF_RULE,
    })
    return PageContent(
        title=title, tiles=tuple(tiles),
        basemap=tuple((lyr.key, lyr.label, lyr.pane, encoded[lyr.key]) for lyr in base_layers),
        overlays=tuple(layer_json), bounds_json=safe_json(bounds), app_json=safe_json(app),
        layer_options={"tooltip": tooltip_kwds or {}, "popup": popup_kwds or {}},
        counts=(len(overlays), len(app["labels"]), len(spec.popups), len(app["articles"])), cluster=app["cluster"],
    )


#: Point places drawn one by one up to this many; past it they are clustered by zoom.
CLUSTER_FROM = 200


def cluster_points(spec: MapSpec) -> bool:
    """Whether the map clusters its point places: a folder of many places (US local news has a
    thousand) does; the embedded corpus' forty places, a few dozen towns around the corridors that
    its labels name one by one, does not."""
    return len(spec.layer("places")) > CLUSTER_FROM


def check_tiles(tiles: Sequence[str]) -> None:
    """A ValueError naming a tile provider that is not one of :data:`TILE_PROVIDERS`."""
    for t in tiles:
        if t not in TILE_PROVIDERS:
            raise ValueError(f"unknown tile provider {t!r}; choose from {', '.join(TILE_PROVIDERS)}")


def tile_key(name: str) -> str:
    """The key of a web tile provider's base layer (in links and the layer control)."""
    return name.lower().replace(" ", "-")


# ------------------------------------------------------------------ the page


def normalise_lines(out: str) -> str:
    """Lines end at "\n" only, without trailing blanks, and the page with one newline. Article text
    may hold NEL, U+2028 and other characters that str.splitlines() would break a line (and the
    embedded JSON) at."""
    return "\n".join(line.rstrip(" \t\r") for line in out.split("\n")).rstrip("\n") + "\n"


# ------------------------------------------------------------------ files


def embed_snippet(src: str, *, height: int = 600, title: str = DEFAULT_TITLE) -> str:
    """An iframe snippet that embeds the map at full width and a chosen height in a report page."""
    if not 100 <= height <= 4000:
        raise ValueError(f"height must be between 100 and 4000 pixels, got {height!r}")
    return (
        f'<div class="tumen-atlas-embed" style="position:relative;width:100%;max-width:100%;height:{height}px">\n'
        f'  <iframe src="{html.escape(src, quote=True)}" title="{html.escape(title, quote=True)}" '
        f'style="border:0;width:100%;height:100%" loading="lazy" allowfullscreen></iframe>\n</div>\n'
    )
