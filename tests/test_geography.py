"""The focal region's land is OpenStreetMap's, everywhere the map and the routing test land or draw it."""

from __future__ import annotations

import json

import shapely

from geo.naturalearth import land
from geo.osm import FOCAL_BBOX, OSM_LAND_BOXES, data_path

#: By Rajin bay: Natural Earth draws land where OpenStreetMap has the sea, and the sea where it has land.
NE_LAND_OSM_SEA = (130.4032, 42.3191)
NE_SEA_OSM_LAND = (130.2725, 42.2182)


def _basemap_land():
    from layers.basemap import basemap_layers

    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in basemap_layers()["land"]["features"]])


def test_the_routing_tests_land_against_openstreetmaps_coast():
    L = land()
    assert not L.contains(shapely.Point(NE_LAND_OSM_SEA)) and L.contains(shapely.Point(NE_SEA_OSM_LAND))
    assert L.contains(shapely.Point(135.07, 48.48))  # Khabarovsk, outside the boxes: Natural Earth's land as before


def test_the_basemap_draws_openstreetmaps_land_in_the_focal_region():
    drawn = _basemap_land()
    assert not drawn.contains(shapely.Point(NE_LAND_OSM_SEA)) and drawn.contains(shapely.Point(NE_SEA_OSM_LAND))
    # the focal region's coast is drawn to 0.0001 degree: nearly every island shipped there
    fc = json.loads(data_path("region_land").read_text(encoding="utf-8"))
    assert fc["boxes"] == [list(b) for b in OSM_LAND_BOXES]
    focal = shapely.box(*FOCAL_BBOX)
    shipped = [p for p in (shapely.geometry.shape(f["geometry"]) for f in fc["features"]) if focal.contains(p.representative_point())]
    assert len(shipped) > 200
    # (islets under 10 m across vanish at 0.0001 degree; Natural Earth had 10 polygons here)
    assert len(shapely.get_parts(shapely.clip_by_rect(drawn, *FOCAL_BBOX))) >= len(shipped) * 0.85


def test_the_coastline_is_not_drawn_where_the_boxes_cut_the_land():
    """The coast layer is OpenStreetMap's land's outline, never the straight edges of its boxes."""
    from layers.basemap import basemap_layers

    coast = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in basemap_layers()["coastline"]["features"]])
    for b in OSM_LAND_BOXES:
        edge = shapely.box(*b).boundary
        on_edge = shapely.intersection(coast, edge.buffer(1e-5))
        assert on_edge.length < 0.01, b  # at most where a coast crosses the edge


def test_sea_lanes_leave_their_ports_by_the_harbour_not_over_land():
    """Off land everywhere but on the way from a port's point (a town's centre) to its quays."""
    from geo.atlas import atlas_data
    from geo.routing import geodesic_km, port_approach

    data = atlas_data()
    L = land()
    for rid in ("rajin-vladivostok-ferry", "rajin-coal-shipping"):
        line = data.routes.routes.set_index("id").loc[rid].geometry
        ends = [g for g in (port_approach(line.coords[0], L), port_approach(line.coords[-1], L)) if g is not None]
        on_land = shapely.difference(shapely.intersection(line, L), shapely.union_all(ends))
        assert geodesic_km(on_land) < 0.05, rid


def test_land_corridors_keep_to_openstreetmaps_land_on_the_korean_east_coast():
    """Each segment of the land corridors lies at sea against OpenStreetMap's coast no more than the check
    allows (before: 15-38 km of each route; what is left lies at towns whose points are at the water's
    edge, Wonsan and Kosong, each under a kilometre)."""
    from geo.atlas import atlas_data
    from geo.routing import LAND_TOLERANCE_KM, geodesic_km

    data = atlas_data()
    area = shapely.union_all([shapely.box(*b) for b in OSM_LAND_BOXES])
    L = land()
    segs = data.routes.segments
    for rid in ("trans-korean-railway", "russia-korea-gas-pipeline", "energy-bridge", "north-korean-rail-modernisation"):
        total = 0.0
        for line in segs[segs.route_id == rid].geometry.values:
            off = geodesic_km(shapely.difference(shapely.intersection(line, area), L))
            assert off <= LAND_TOLERANCE_KM, rid
            total += off
        assert total < 5.0, rid


def test_osm_attribution_on_the_map_and_the_exports():
    from layers.export import ATTRIBUTION_TEXT
    from layers.content import ATTRIBUTION

    assert "OpenStreetMap contributors" in ATTRIBUTION and "© OpenStreetMap contributors" in ATTRIBUTION_TEXT
