"""The layer description: each builder on a small folder of articles, the labels, the extent and
the contract between Python and the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely

from layers import style as S
from layers.contract import SCHEMA, PageData, required_keys
from layers.spec import RIVERS, STATUS_ORDER, initial_bounds, labels, map_spec, place_layers, route_layers, site_layer

SMALL = (
    "---\nid: small\ntitle: A small article\noutlet: Test Wire\ndate: 2015-03\n---\n"
    "The ferry from Rajin to Vladivostok ran weekly in 2015. Coal left the port of Rajin for Pohang.\n\n"
    "Officials in Pyongyang and Seoul discussed a gas pipeline from Russia through North Korea.\n"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from geo.atlas import atlas_data

    d = tmp_path_factory.mktemp("small")
    (d / "small.md").write_text(SMALL, encoding="utf-8")
    return atlas_data(articles=d)


@pytest.fixture(scope="module")
def embedded():
    from geo.atlas import atlas_data

    return atlas_data()


def test_route_layers_one_feature_per_segment_in_status_order(small):
    layers, popups = route_layers(small)
    assert route_layers(small)[1] == popups  # pure: the same again, nothing left behind
    assert [lyr.key for lyr in layers] == [k for k, _, g, _ in S.OVERLAYS if g == "Corridors"]
    total = sum(len(lyr) for lyr in layers)
    assert total == len(small.routes.segments) > 0
    for lyr in layers:
        ranks = [STATUS_ORDER.index(s) for s in lyr.frame["status"]]
        assert ranks == sorted(ranks), f"{lyr.key}: what exists must draw over proposals"
        for key, style in zip(lyr.frame["key"], lyr.frame["style"]):
            assert key in popups and style["color"] in {v["color"] for v in S.KIND_STYLE.values()}


def test_place_layer_largest_first_with_popups_and_search(small):
    made = place_layers(small)
    lyr, popups, search = made.places, made.popups, made.search
    counts = [int(small.places.set_index("place_id").loc[p, "mention_count"]) for p in lyr.frame["place_id"]]
    assert counts == sorted(counts, reverse=True)
    assert set(lyr.frame["popup"]) <= set(popups)
    assert {s["name"] for s in search} >= {"Rajin", "Vladivostok"}
    assert lyr.marker == "circle"


def test_site_layer_icons_from_the_style_table(small):
    lyr, popups, search = site_layer(small)
    assert len(lyr) == len(small.routes.sites) == len(search) == len(popups)
    for kind, icon in zip(lyr.frame["site_kind"], lyr.frame["icon"]):
        assert icon == S.SITE_STYLE[kind]["icon"]


def test_map_spec_order_basemap_then_the_layer_control(small):
    spec = map_spec(small, title="t")
    keys = [lyr.key for lyr in spec.layers]
    assert keys[:6] == [f"basemap-{k}" for k in ("land", "lakes", "disputed", "rivers", "coastline", "borders")]
    assert [lyr.key for lyr in spec.overlays()] == [k for k, *_ in S.OVERLAYS]
    rivers = spec.layer("borders").frame
    assert [k for k in rivers["key"] if isinstance(k, str)] == [f"river:{r}" for r in RIVERS]


def test_labels_rank_and_name_the_region(embedded):
    lab = labels(embedded)
    pr = list(lab["priority"])
    assert pr == sorted(pr, reverse=True)
    texts = list(lab["text"])
    assert "Sea of Japan / East Sea" in texts
    for name in ("Vladivostok", "Khabarovsk", "Pyongyang", "Seoul", "Rajin", "Khasan", "Tumangang", "Sonbong", "Tumen River"):
        assert name in texts, name
    # towns outrank the vague regions around them; a name is given once
    assert texts.index("Pyongyang") < texts.index("Korean Peninsula")
    one = lab.drop_duplicates("group")
    assert one["text"].str.casefold().is_unique


def test_water_and_land_label_classes(embedded):
    lab = labels(embedded).set_index("group")
    assert lab.loc["sea:Sea of Japan", "cls"] == "sea"
    assert lab.loc["country:North Korea", "cls"] == "country"
    assert (lab[lab.index.str.startswith("river:tumen")]["cls"] == "river").all()
    assert S.LABEL_STYLE["sea"]["italic"] and S.LABEL_STYLE["river"]["italic"]


def test_first_view_fits_the_corridors_on_the_embedded_corpus(embedded):
    minx, miny, maxx, maxy = initial_bounds(embedded)
    assert 124 < minx < 131 and 139 < maxx < 146 and 33 < miny < 38 and 49 < maxy < 54


def test_first_view_fits_a_corpus_about_somewhere_else(tmp_path):
    """US local news with the embedded catalogue: the map opens on the United States."""
    from geo.atlas import atlas_data

    (tmp_path / "a.md").write_text(
        "---\nid: a\n---\nThe council in Columbus, Ohio met on Monday. Officials from Cleveland and Cincinnati, Ohio "
        "and from Indianapolis, Indiana, joined the meeting in Columbus. Pittsburgh sent a letter.\n", encoding="utf-8")
    minx, miny, maxx, maxy = initial_bounds(atlas_data(articles=tmp_path))
    assert -90 < minx and maxx < -75 and 37 < miny and maxy < 44


def test_page_data_keeps_the_contract(small):
    from layers.mapdoc import build_map

    m = build_map(data=small)
    html = m.get_root().render()
    doc = json.loads(re.search(r'<script type="application/json" id="tumen-atlas-data">(.*?)</script>', html, re.S).group(1))
    assert doc["schema"] == SCHEMA
    PageData.model_validate(doc)
    assert {o["key"] for o in doc["overlays"]} == {k for k, *_ in S.OVERLAYS}
    # every overlay registers itself by key: no lookup by generated variable names
    for o in doc["overlays"]:
        assert f'TumenAtlas.registerOverlay("{o["key"]}",' in html
    assert "TumenAtlas.registered" not in html and "window[o.var]" not in html
    assert "var" not in {k for o in doc["overlays"] for k in o}


def test_a_document_that_breaks_the_contract_is_refused():
    with pytest.raises(ValueError):
        PageData.model_validate({"schema": SCHEMA, "title": "t"})
    from layers.contract import FeatureProps

    with pytest.raises(ValueError):
        FeatureProps.model_validate({"icon": "x onerror=alert(1)"})


def test_the_page_checks_the_same_keys_and_version():
    core = (Path(__file__).parents[1] / "layers" / "static" / "js" / "core.js").read_text(encoding="utf-8")
    assert f'TA.SCHEMA = "{SCHEMA}"' in core
    listed = re.search(r"TA\.REQUIRED = \[(.*?)\];", core, re.S).group(1)
    assert sorted(re.findall(r'"([a-z_]+)"', listed)) == required_keys()


def test_basemap_layers_draw_under_everything_and_are_not_in_the_control():
    from layers.spec import basemap_layers

    layers = basemap_layers()
    assert [lyr.key for lyr in layers] == [f"basemap-{k}" for k in ("land", "lakes", "disputed", "rivers", "coastline", "borders")]
    for lyr in layers:
        assert lyr.pane == "basemap" and not lyr.control and not lyr.interactive and len(lyr) > 0
        assert len(lyr.frame) == len(lyr)
    # a line or lake layer of one style is one multi-part feature (one path on the page), with all its parts
    from geo.naturalearth import read_layer

    by_key = {lyr.key: lyr for lyr in layers}
    for key in ("lakes", "disputed", "rivers", "coastline", "borders"):
        (geom,) = by_key[f"basemap-{key}"].frame.geometry.values
        assert geom.geom_type.startswith("Multi")
    coast = by_key["basemap-coastline"].frame.geometry.values[0]
    # Natural Earth's coast outside the boxes where the land is OpenStreetMap's, and OpenStreetMap's inside them
    import shapely

    from geo.osm import OSM_LAND_BOXES, focal_land, osm_land_area

    area = osm_land_area()
    source = sum(shapely.difference(g, area).length for g in read_layer("region_coastline_10m").geometry.values)
    edges = shapely.union_all([shapely.box(*b).boundary for b in OSM_LAND_BOXES]).buffer(1e-6)
    source += shapely.difference(focal_land().boundary, edges).length  # in degrees, as the basemap's
    assert abs(coast.length - source) < 0.02 * source  # simplified, nothing dropped


def test_build_map_adds_to_a_users_map_and_passes_options_through(small):
    """As geopandas' explore: ``m=`` and ``*_kwds``."""
    import folium

    from layers.mapdoc import build_map

    own = folium.Map(location=(42, 131), zoom_start=6)
    m = build_map(data=small, m=own, style_kwds={"weight": 7}, marker_kwds={"fillOpacity": 0.25},
                  tooltip_kwds={"direction": "top"}, popup_kwds={"maxWidth": 280})
    assert m is own
    html = own.get_root().render()
    doc = json.loads(re.search(r'id="tumen-atlas-data">(.*?)</script>', html, re.S).group(1))
    assert doc["schema"] == SCHEMA
    assert '"weight":7' in html and '"fillOpacity":0.25' in html
    assert '"tooltip":{"direction":"top"}' in html and '"popup":{"maxWidth":280}' in html
    assert "cdn.jsdelivr.net/npm/leaflet" in html  # the user's map loads Leaflet itself; ours is not added twice
    assert html.count("L.Map.addInitHook") == 1


def test_every_legend_section_explains_a_layer_and_every_drawn_layer_has_one(embedded):
    spec = map_spec(embedded, title="t")
    titles = [sec["title"] for sec in spec.legend]
    claimed = {t for lyr in spec.layers for t in lyr.legend}
    assert claimed == set(titles) == {sec["title"] for sec in S.legend()}
    for lyr in spec.overlays():
        assert lyr.legend, lyr.key


def test_the_legend_explains_only_what_the_map_has(tmp_path):
    """A folder with no corridors or sites: no corridor or site sections in the legend."""
    from geo.atlas import atlas_data

    (tmp_path / "a.md").write_text("---\nid: a\n---\nThe council in Columbus, Ohio met on Monday.\n", encoding="utf-8")
    spec = map_spec(atlas_data(articles=tmp_path), title="t")
    assert [sec["title"] for sec in spec.legend] == [S.LEGEND_TITLES["places"], S.LEGEND_TITLES["areas"], S.LEGEND_TITLES["geography"]]


def test_corridor_lanes_spread_shared_stretches_and_keep_sides():
    import shapely

    from layers.spec import corridor_lanes

    a = shapely.LineString([(0, 0), (1, 0), (2, 0)])
    b = shapely.LineString([(2, 0), (1, 0), (0, 0)])  # the same stretch, the other way
    c = shapely.LineString([(0, 5), (1, 5)])
    d = shapely.LineString([(1, 0), (2, 0), (3, 1)])  # shares only the second leg
    la, lb, lc = corridor_lanes([("a", a), ("b", b), ("c", c)], {"a": 0, "b": 1})
    assert lc is None  # nothing shared: drawn on its line
    assert la == [-0.5, -0.5, -0.5] and lb == [-0.5, -0.5, -0.5]  # left of b's travel is right of a's
    la, ld = corridor_lanes([("a", a), ("d", d)], {"a": 0, "d": 1})
    assert la == [0.0, -0.5, -0.5] and ld == [0.5, 0.5, 0.0]  # each joins and leaves along its own leg
    # a zigzag whose legs point every way: a route keeps its side all along
    z = shapely.LineString([(0, 0), (1, 1), (2, 0), (1.5, -1), (3, -2)])
    zr = shapely.LineString(list(z.coords)[::-1])
    lz, lz2, lzr = corridor_lanes([("a", z), ("b", z), ("c", zr)], {"a": 0, "b": 1, "c": 2})
    assert lz == [-1.0] * 5 and lz2 == [0.0] * 5 and lzr == [-1.0] * 5  # c, the other way, is on the far side of b from a


def test_segments_carry_lanes_and_a_popup_of_their_own(embedded):
    made, popups = route_layers(embedded)
    lyrs = {lyr.key: lyr for lyr in made}
    rail = lyrs["railway"].frame
    tk = rail[rail.route == "trans-korean-railway"].sort_values("seq")
    assert list(tk.segment) == [f"segment:trans-korean-railway:{i}" for i in (1, 2, 3, 4)]
    assert all(isinstance(x, list) for x in tk.lanes[1:3])  # shares Khasan-Rajin and the east coast
    assert "Segment 2 of 4" in popups["segment:trans-korean-railway:2"]
    assert re.search(r"runs beside the <span[^>]*>Khasan–Rajin railway<", popups["segment:trans-korean-railway:2"])
    for _, row in rail.iterrows():
        if isinstance(row.lanes, list):
            assert len(row.lanes) == len(row.geometry.coords)


def test_places_carry_their_articles_and_areas_are_drawn_as_their_shapes(embedded):
    """Countries, continents and the region's seas are areas (Natural Earth's shapes, shaded by
    mentions), other places symbols of capped size; each carries the articles that mention it
    (index, mentions), from which the page sizes it as of a date or under a filter."""
    from layers.style import PLACE_SCALE, place_radius

    made = place_layers(embedded)
    areas = made.areas.frame.set_index("place_id")
    points = made.places.frame.set_index("place_id")
    assert {"country:KP", "country:RU", "continent:AS", "yellow-sea"} <= set(areas.index)
    assert not set(areas.index) & set(points.index)
    kp = areas.loc["country:KP"]
    assert kp.geometry.geom_type in ("Polygon", "MultiPolygon") and kp.geometry.contains(shapely.Point(127.5, 40.0))
    assert kp.geometry.area > 5  # a shape, not a symbol
    assert areas.loc["country:RU"]["style"]["fillOpacity"] > areas.loc["country:UA"]["style"]["fillOpacity"]  # more mentions, darker
    ids = [a.id for a in embedded.articles]
    refs = kp.refs
    assert sum(refs[1::2]) == int(embedded.places.set_index("place_id").loc["country:KP", "mention_count"])
    assert refs[2 * refs[::2].index(ids.index("edm-2014-russias-game")) + 1] == 20  # its mentions in the May 2014 article
    assert "rajin" in points.index and points.loc["rajin"].geometry.geom_type == "Point"
    assert "primorsky-krai" in points.index  # a province Natural Earth's 1:50m admin-1 does not cover stays a symbol
    assert place_radius(10_000) == PLACE_SCALE["rmax"] and place_radius(4) < place_radius(16) < PLACE_SCALE["rmax"]
    assert place_radius(16) - PLACE_SCALE["r0"] == 2 * (place_radius(4) - PLACE_SCALE["r0"])  # area with the count




def test_a_us_state_and_a_canadian_province_are_drawn_as_their_shapes():
    from layers.spec import area_shapes

    shapes = area_shapes([
        {"place_id": "us-state:OH", "name": "Ohio", "kind": "admin_region", "country": "US"},
        {"place_id": "ontario-province", "name": "Ontario", "kind": "admin_region", "country": "CA"},
        {"place_id": "primorsky-krai", "name": "Primorsky Krai", "kind": "admin_region", "country": "RU"},
        {"place_id": "rajin", "name": "Rajin", "kind": "port", "country": "KP"},
    ])
    assert set(shapes) == {"us-state:OH", "ontario-province"}
    assert shapes["us-state:OH"].contains(shapely.Point(-82.99, 39.96))  # Columbus
    assert not shapes["us-state:OH"].contains(shapely.Point(-86.16, 39.77))  # Indianapolis, next door
    assert shapes["ontario-province"].contains(shapely.Point(-79.38, 43.65))  # Toronto
