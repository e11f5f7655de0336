"""Make ``region_land.geojson``: the land of the focal region (the Tumen mouth, Rason, Posyet Bay,
Vladivostok and Nakhodka) from OpenStreetMap's land polygons, as roaring-landmask ships them.

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
#: (lon_min, lat_min, lon_max, lat_max): where the basemap and the routing use OpenStreetMap's land
#: (keep in step with ``geo.osm.FOCAL_BBOX``).
FOCAL_BBOX = (129.0, 41.3, 133.5, 44.0)
#: Douglas-Peucker tolerance (degrees; about 20 m, under a pixel at zoom 12): the source's vertices
#: lie some 200 m apart, so this drops only the ones on straight runs.
TOLERANCE = 0.0002
DECIMALS = 5


def osm_land() -> shapely.Geometry:
    from roaring_landmask import LandmaskProvider, RoaringLandmask

    mask = RoaringLandmask.new_with_provider(LandmaskProvider.Osm)
    return shapely.from_wkb(bytes(mask.shapes.wkb(LandmaskProvider.Osm)))


def focal_land(world: shapely.Geometry) -> list[shapely.Polygon]:
    """The land of :data:`FOCAL_BBOX`, simplified and rounded, as polygons in a stable order."""
    parts = shapely.get_parts(world)
    box = shapely.box(*FOCAL_BBOX)
    hits = shapely.STRtree(parts).query(box, predicate="intersects")
    clipped = shapely.union_all([shapely.clip_by_rect(parts[i], *FOCAL_BBOX) for i in sorted(hits)])
    simple = shapely.set_precision(clipped.simplify(TOLERANCE, preserve_topology=True), 10 ** -DECIMALS)
    polys = [shapely.geometry.polygon.orient(p) for p in shapely.get_parts(simple) if p.geom_type == "Polygon" and not p.is_empty]
    return sorted(polys, key=lambda p: (-round(p.area, 8), p.bounds))


def write(polys: list[shapely.Polygon], path: Path) -> None:
    feats = [json.dumps({"type": "Feature", "properties": {},
                         "geometry": {"type": "Polygon", "coordinates": [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]
                                                                         for ring in (p.exterior, *p.interiors)]}},
                        separators=(",", ":")) for p in polys]
    path.write_text('{"type": "FeatureCollection", "bbox": %s, "features": [\n%s\n]}\n'
                    % (json.dumps(list(FOCAL_BBOX)), ",\n".join(feats)), encoding="utf-8")


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
