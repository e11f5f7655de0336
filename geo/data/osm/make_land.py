"""Make ``region_land.geojson``: the land of the focal region (the Tumen mouth, Rason, Posyet Bay,
Vladivostok and Nakhodka) and of the Korean east coast from OpenStreetMap's land polygons, as
roaring-landmask ships them.

Run by hand (never at install or test time): roaring-landmask's wheel is about 100 MB, so it is not a
dependency of the package; install it beside this script only:

    pip install 'roaring-landmask==0.11.*'
    python geo/data/osm/make_land.py

See README.md beside this script for the source, its licence and how coarse it is. The output is
deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import shapely

HERE = Path(__file__).resolve().parent
#: (lon_min, lat_min, lon_max, lat_max) of each box where the basemap and the routing use OpenStreetMap's
#: land, with the Douglas-Peucker tolerance it is simplified at (degrees); keep in step with
#: ``geo.osm.OSM_LAND_BOXES``. The focal region (the Tumen mouth to Nakhodka) at about 20 m, under a
#: pixel at zoom 12 (the source's vertices lie some 200 m apart, so this drops only the ones on straight
#: runs); the Korean east coast the corridors follow, from Chongjin to Pohang, at about 200 m (Natural
#: Earth's 1:10m coast, which it replaces, is good to a kilometre or so).
BOXES = (((129.0, 41.3, 133.5, 44.0), 0.0002), ((127.0, 35.3, 131.0, 41.3), 0.002))
DECIMALS = 5


def osm_land() -> shapely.Geometry:
    from roaring_landmask import LandmaskProvider, RoaringLandmask

    mask = RoaringLandmask.new_with_provider(LandmaskProvider.Osm)
    return shapely.from_wkb(bytes(mask.shapes.wkb(LandmaskProvider.Osm)))


def focal_land(world: shapely.Geometry) -> list[shapely.Polygon]:
    """The land of :data:`BOXES`, each simplified at its tolerance and rounded, as polygons in a stable
    order (the boxes' polygons in turn; a polygon cut by the boxes' shared edge is two)."""
    parts = shapely.get_parts(world)
    tree = shapely.STRtree(parts)
    out: list[shapely.Polygon] = []
    for bbox, tolerance in BOXES:
        hits = tree.query(shapely.box(*bbox), predicate="intersects")
        clipped = shapely.union_all([shapely.clip_by_rect(parts[i], *bbox) for i in sorted(hits)])
        for earlier, _ in BOXES[:BOXES.index((bbox, tolerance))]:
            clipped = shapely.difference(clipped, shapely.box(*earlier))
        simple = shapely.set_precision(clipped.simplify(tolerance, preserve_topology=True), 10 ** -DECIMALS)
        polys = [shapely.geometry.polygon.orient(p) for p in shapely.get_parts(simple) if p.geom_type == "Polygon" and not p.is_empty]
        out += sorted(polys, key=lambda p: (-round(p.area, 8), p.bounds))
    return out


def write(polys: list[shapely.Polygon], path: Path) -> None:
    feats = [json.dumps({"type": "Feature", "properties": {},
                         "geometry": {"type": "Polygon", "coordinates": [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]
                                                                         for ring in (p.exterior, *p.interiors)]}},
                        separators=(",", ":")) for p in polys]
    path.write_text('{"type": "FeatureCollection", "boxes": %s, "features": [\n%s\n]}\n'
                    % (json.dumps([list(b) for b, _ in BOXES]), ",\n".join(feats)), encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wkb", type=Path, help="roaring-landmask's OSM shapes already saved as WKB (skips loading the package)")
    ap.add_argument("--out", type=Path, default=HERE / "region_land.geojson")
    a = ap.parse_args(argv)
    world = shapely.from_wkb(a.wkb.read_bytes()) if a.wkb else osm_land()
    polys = focal_land(world)
    write(polys, a.out)
    n = sum(shapely.get_num_coordinates(p) for p in polys)
    print(f"{a.out}: {len(polys)} polygons, {n} vertices, {a.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
