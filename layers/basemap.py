"""The offline vector basemap: Natural Earth land, coasts, borders, rivers and lakes, embedded in the page.

World context at 1:50m (simplified) outside Northeast Asia, 1:10m detail inside it, and in the focal
region (the Tumen mouth to Nakhodka) and on the Korean east coast (``geo.osm.OSM_LAND_BOXES``)
OpenStreetMap's land and coast. Built once
per process from the package data; coordinates rounded so the page stays small.
"""

from __future__ import annotations

from functools import lru_cache

import shapely

from geo.naturalearth import REGION_BBOX, read_layer
from geo.osm import FOCAL_BBOX, OSM_LAND_BOXES, focal_polygons, osm_land_area

WORLD_TOLERANCE = 0.08  # degrees, world context
REGION_TOLERANCE = 0.004  # degrees, about 400 m: finer than the map needs at zoom 10
DECIMALS = 3
FOCAL_DECIMALS = 4  # about 10 m: OpenStreetMap's coast in the focal region keeps its detail at zoom 12


def _rounded(geoms, decimals: int = DECIMALS):
    """The non-empty ``geoms`` with their coordinates rounded to ``decimals`` (none left empty)."""
    for g in geoms:
        if g is None or g.is_empty:
            continue
        g = shapely.set_precision(g, 10 ** -decimals)
        if not g.is_empty:
            yield g


def _features(geoms, props: dict | None = None) -> list[dict]:
    return [{"type": "Feature", "properties": dict(props or {}), "geometry": shapely.geometry.mapping(g)} for g in _rounded(geoms)]


def _one_feature(geoms, decimals: int = DECIMALS, *more: tuple[list, int]) -> list[dict]:
    """The parts of ``geoms`` (all lines or all polygons) as one multi-part feature: a basemap layer
    has one style and no interaction, so the page draws it as one path, not hundreds. ``more``:
    further (geoms, decimals) whose parts join the same feature, rounded to their own decimals."""
    parts = [p for gs, d in ((geoms, decimals), *more) for g in _rounded(gs, d) for p in shapely.get_parts(g) if not p.is_empty]
    if not parts:
        return []
    kinds = {p.geom_type for p in parts}
    multi = shapely.MultiPolygon(parts) if kinds == {"Polygon"} else shapely.MultiLineString(parts)
    # (parts may touch or overlap: the multi-part shape is drawn, never tested for validity)
    return [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(multi)}]


BASEMAP_SOURCES = (
    "world_land_50m", "world_admin0_boundary_lines_50m", "region_land_10m", "region_minor_islands_10m",
    "region_coastline_10m", "region_lakes_10m", "region_rivers_lake_centerlines_10m",
    "region_admin0_boundary_lines_10m", "region_admin0_disputed_areas_10m",
)


@lru_cache(maxsize=1)
def basemap_layers() -> dict[str, dict]:
    """GeoJSON FeatureCollections keyed by layer: land, lakes, rivers, coastline, borders, disputed.

    Derived once from the package data and kept in the user cache (do not modify the result).
    """
    from geo import _cache

    return _cache.cached("basemap", _build_basemap)


def _build_basemap() -> dict[str, dict]:
    box = shapely.box(*REGION_BBOX)
    world_land = shapely.union_all(read_layer("world_land_50m").geometry.values)
    world_out = shapely.difference(world_land, box).simplify(WORLD_TOLERANCE, preserve_topology=True)
    region = shapely.union_all(
        list(read_layer("region_land_10m").geometry.values) + list(read_layer("region_minor_islands_10m").geometry.values)
    )
    focal = osm_land_area()
    region = shapely.difference(shapely.intersection(region, box), focal).simplify(REGION_TOLERANCE, preserve_topology=True)
    # the focal region's land and the Korean east coast's are OpenStreetMap's, as shipped (already simplified)
    land = [world_out, region]
    fine = shapely.box(*FOCAL_BBOX)  # the focal region's coast to 0.0001 degree, the east coast's as the rest
    osm_land = focal_polygons()
    focal_land = [p for p in osm_land if fine.contains(p.representative_point())]
    east_land = [p for p in osm_land if not fine.contains(p.representative_point())]

    wb = read_layer("world_admin0_boundary_lines_50m")
    world_borders = [shapely.difference(g, box).simplify(WORLD_TOLERANCE / 2) for g in wb.geometry.values]
    rb = read_layer("region_admin0_boundary_lines_10m")
    region_borders = [g.simplify(REGION_TOLERANCE) for g in rb.geometry.values]
    coast = [shapely.difference(g, focal).simplify(REGION_TOLERANCE) for g in read_layer("region_coastline_10m").geometry.values]
    # OpenStreetMap's coast: its land's outline, not where the boxes cut it
    edge = shapely.union_all([shapely.box(*b).boundary for b in OSM_LAND_BOXES]).buffer(1e-6)
    focal_coast = [shapely.difference(p.boundary, edge) for p in focal_land]
    east_coast = [shapely.difference(p.boundary, edge) for p in east_land]
    lakes = [g.simplify(REGION_TOLERANCE, preserve_topology=True) for g in read_layer("region_lakes_10m").geometry.values]
    rivers_df = read_layer("region_rivers_lake_centerlines_10m")
    rivers = [g.simplify(REGION_TOLERANCE) for g in rivers_df.geometry.values]
    disputed = [g.simplify(REGION_TOLERANCE, preserve_topology=True) for g in read_layer("region_admin0_disputed_areas_10m").geometry.values]

    def fc(feats):
        return {"type": "FeatureCollection", "features": feats}

    return {
        "land": fc(_features(land) + _one_feature(focal_land, FOCAL_DECIMALS) + _one_feature(east_land)),
        "lakes": fc(_one_feature(lakes)),
        "rivers": fc(_one_feature(rivers)),
        "coastline": fc(_one_feature(coast, DECIMALS, (focal_coast, FOCAL_DECIMALS), (east_coast, DECIMALS))),
        "borders": fc(_one_feature(world_borders + region_borders)),
        "disputed": fc(_one_feature(disputed)),
    }


BASEMAP_STYLE: dict[str, dict] = {
    "land": {"stroke": False, "fillColor": "#f3f1ea", "fillOpacity": 1.0},
    "lakes": {"stroke": False, "fillColor": "#dce8f2", "fillOpacity": 1.0},
    "disputed": {"color": "#999999", "weight": 0.6, "dashArray": "2 3", "fillColor": "#e5e0d5", "fillOpacity": 0.6},
    "coastline": {"color": "#9fb3c4", "weight": 0.8, "fill": False},
    "rivers": {"color": "#a7c4dc", "weight": 1.0, "fill": False},
    "borders": {"color": "#b0a8a0", "weight": 0.9, "dashArray": "4 2", "fill": False},
}
SEA_COLOUR = "#dce8f2"
