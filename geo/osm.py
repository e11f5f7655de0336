"""OpenStreetMap-derived data shipped as package data (ODbL, "© OpenStreetMap contributors"; see
data/osm/README.md): the railway lines routes are drawn along, and the land of the focal region."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import shapely
import shapely.geometry

#: The attribution OpenStreetMap's licence asks for wherever its data shows.
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: (lon_min, lat_min, lon_max, lat_max): the focal region, from the Tumen mouth to Nakhodka.
FOCAL_BBOX = (129.0, 41.3, 133.5, 44.0)
#: The Korean east coast the corridors follow, from Chongjin to Pohang.
EAST_COAST_BBOX = (127.0, 35.3, 131.0, 41.3)
#: Where the land is OpenStreetMap's (``region_land.geojson``; keep in step with
#: ``data/osm/make_land.py``); elsewhere it is Natural Earth's.
OSM_LAND_BOXES = (FOCAL_BBOX, EAST_COAST_BBOX)


def osm_land_area() -> shapely.Geometry:
    """The area where the land is OpenStreetMap's: the union of :data:`OSM_LAND_BOXES`."""
    return shapely.union_all([shapely.box(*b) for b in OSM_LAND_BOXES])


def data_path(name: str, ext: str = "geojson") -> Path:
    return Path(str(resources.files("geo") / "data" / "osm" / f"{name}.{ext}"))


@lru_cache(maxsize=None)
def read_lines(name: str) -> tuple[shapely.LineString, ...]:
    """The LineStrings of ``data/osm/NAME.geojson``, in the file's order."""
    fc = json.loads(data_path(name).read_text(encoding="utf-8"))
    return tuple(shapely.LineString(f["geometry"]["coordinates"]) for f in fc["features"])


@lru_cache(maxsize=1)
def focal_land() -> shapely.Geometry:
    """OpenStreetMap's land inside :data:`OSM_LAND_BOXES` as one (Multi)Polygon."""
    fc = json.loads(data_path("region_land").read_text(encoding="utf-8"))
    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in fc["features"]])


def focal_polygons() -> list[shapely.Polygon]:
    """The polygons of ``region_land.geojson``, in the file's order (the basemap draws them as shipped)."""
    fc = json.loads(data_path("region_land").read_text(encoding="utf-8"))
    return [shapely.geometry.shape(f["geometry"]) for f in fc["features"]]
