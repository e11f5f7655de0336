"""The interactive map: the layer description (:mod:`layers.spec`) rendered as a folium map.

This module draws what :func:`layers.spec.map_spec` describes, through the page content of
:mod:`layers.content`; it decides nothing about what the map shows. The page's data follows the
contract in :mod:`layers.contract`; :mod:`layers.page` writes the same page without folium.
"""

from __future__ import annotations

import hashlib
import html
import logging
from pathlib import Path
from typing import Sequence

import folium

from geo.atlas import AtlasData, atlas_data
from layers.content import BASE_KEY, DEFAULT_TITLE, TILE_PROVIDERS, PageContent, check_tiles, normalise_lines, page_content, tile_key
from layers.elements import AtlasApp, FlatShapes, InitialView, InlineAssets, Raw, Register, SafeGeoJson

log = logging.getLogger(__name__)


class AtlasMap(folium.Map):
    """A folium Map whose assets are inlined (no CDN links)."""

    default_js: list = []
    default_css: list = []


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

    Returns
    -------
    folium.Map
        The map (``m`` itself when given); :func:`render_html` writes it as the page's HTML.
    """
    check_tiles(tiles)
    d = data or atlas_data(articles, routes)
    content = page_content(d, title=title, tiles=tiles, style_kwds=style_kwds, marker_kwds=marker_kwds,
                           tooltip_kwds=tooltip_kwds, popup_kwds=popup_kwds)
    log.info("map: %d overlays, %d labels, %d popups, %d articles", *content.counts)
    return document(content, m)


def document(content: PageContent, m: folium.Map | None = None) -> folium.Map:
    """The folium map of ``content``: a new, self-contained map, or its layers and controls added
    to ``m``."""
    own = m is None
    if own:
        m = AtlasMap(location=(42.0, 131.0), zoom_start=5, tiles=None, control_scale=False, zoom_control=True,
                     prefer_canvas=False, attribution_control=True)
        fig = m.get_root()
        fig.title = None
        fig.header.add_child(Raw(f"<title>{html.escape(content.title)}</title>"), name="title")
        fig.header.add_child(Raw('<meta charset="utf-8" />'), name="charset")
        fig.header.add_child(Raw(
            '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'), name="viewport")
    InlineAssets(leaflet=own, cluster=content.cluster).add_to(m)
    InitialView(bounds_json=content.bounds_json).add_to(m)

    base = folium.FeatureGroup(name="Natural Earth (offline)", control=False, show=True)
    for key, label, pane, shapes in content.basemap:
        FlatShapes(shapes, pane=pane, name=f"Basemap_{label}").add_to(base)
    Register("base", BASE_KEY).add_to(base)
    base.add_to(m)
    for t in content.tiles:
        tl = folium.TileLayer(tiles=TILE_PROVIDERS[t][0], name=t, control=False, show=False)
        Register("base", tile_key(t)).add_to(tl)
        tl.add_to(m)
    for key, label, show, fc in content.overlays:
        fg = folium.FeatureGroup(name=label, control=False, show=show)
        opts = content.layer_options | ({"cluster": True} if key == "places" and content.cluster else {})
        if key == "areas":  # countries and seas under the corridors and places (their own pane)
            opts = opts | {"pane": "areas"}
        SafeGeoJson(None, data_json=fc, name=f"Layer_{key}", options=opts).add_to(fg)
        Register("overlay", key).add_to(fg)
        fg.add_to(m)
    AtlasApp(data_json=content.app_json).add_to(m)
    if own:
        _assign_ids(m.get_root())
    return m


def render_html(m: folium.Map) -> str:
    """The complete, self-contained HTML of ``m`` (deterministic for the same inputs)."""
    return normalise_lines(m.get_root().render())
