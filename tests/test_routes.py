from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from click.testing import CliRunner

from geo._errors import CatalogueError
from geo.gazetteer import get_gazetteer
from geo.naturalearth import land
from geo.routing import ALONG_SNAP_KM, to_region
from geo.catalogue import ROUTE_KINDS, STATUSES, load_catalogue
from geo.routes import routes_from_catalogue, routes_to_geojson
from geo.routing import LAND_TOLERANCE_KM, densify, geodesic_km
from geo.verify import verify_catalogue
from layers.cli import app

CAT = load_catalogue()
GEOD = Geod(ellps="WGS84")


def every_route_drawn(corpus):
    """The embedded catalogue with each corridor drawn from cues alone (no curated quote; drawn only
    on a corpus that speaks of it) given one stand-in quote, so that its geometry is drawn and
    checked here like every other route's (its evidence is tested in test_evidence_corpus.py)."""
    from geo.catalogue import Quote

    stand_in = Quote(article=corpus[0].id, text=" ".join(corpus[0].text[slice(*corpus[0].sentences[0])].split()))
    return CAT.model_copy(update={
        "routes": [r if r.evidence else r.model_copy(update={"evidence": [stand_in]}) for r in CAT.routes],
        "sites": [s if s.evidence else s.model_copy(update={"evidence": [stand_in]}) for s in CAT.sites],
    })


@pytest.fixture(scope="module")
def layers(corpus):
    return routes_from_catalogue(corpus, every_route_drawn(corpus))


def test_corridors_of_cues_alone_are_not_drawn_on_articles_that_do_not_speak_of_them(corpus):
    drawn = set(routes_from_catalogue(corpus).routes.id)
    assert drawn == {r.id for r in CAT.routes if r.evidence}
    assert {r.id for r in CAT.routes if not r.evidence} >= {"rajin-russia-munitions-sea-route", "tumen-road-bridge"}


def _write(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "routes.yaml"
    f.write_text(textwrap.dedent(body), encoding="utf-8")
    return f


def _route(*, rid: str = "rail", kind: str = "railway", status: str = "proposed", path: str = "[khasan, rajin]",
           course: str = "inferred", article: str = "kaliszuk-nee-2017", quote: str = "a recently opened ferry service",
           segment: str = "", extra: str = "") -> str:
    """One route of a test catalogue (YAML): one segment (``segment``: more of its fields) and one
    quote (``extra``: more of the route's fields, one per line)."""
    more = "".join(f"    {line}\n" for line in extra.splitlines())
    return (f"  - id: {rid}\n    name: {rid.title()}\n    kind: {kind}\n    status: {status}\n    summary: x\n"
            f"    segments: [{{path: {path}, course: {course}, why: drawn for the test{segment}}}]\n"
            f"    evidence: [{{article: {article}, text: \"{quote}\"}}]\n{more}")


def _catalogue(tmp_path: Path, *routes: str) -> Path:
    return _write(tmp_path, "version: 1\nroutes:\n" + "".join(routes))


def _one_route(tmp_path: Path, **kw) -> Path:
    """A catalogue of one route with one segment and one quote (see :func:`_route`)."""
    return _catalogue(tmp_path, _route(**kw))


@pytest.mark.parametrize("route", CAT.routes, ids=lambda r: r.id)
def test_each_route_is_verified_and_drawn(route, corpus, layers):
    assert route.kind in ROUTE_KINDS and route.status in STATUSES
    assert verify_catalogue(CAT, corpus) == []
    row = layers.routes.set_index("id").loc[route.id]
    assert row.length_km > 0
    assert row.quotes and all(q["text"] and q["article"] for q in row.quotes)
    segs = layers.segments[layers.segments.route_id == route.id]
    assert len(segs) == len(route.segments)
    gz = get_gazetteer()
    for (_, seg), cat_seg in zip(segs.sort_values("seq").iterrows(), route.segments):
        assert seg.course in ("documented", "inferred") and len(seg.why) > 10
        line = seg.geometry
        if seg.medium == "land":
            # at sea only on the legs declared to cross water (a strait), drawn straight
            water = [shapely.LineString(densify([(gz.place(a)["lon"], gz.place(a)["lat"]), (gz.place(b)["lon"], gz.place(b)["lat"])]))
                     for a, b in cat_seg.crosses_water]
            at_sea = shapely.difference(line, land())
            if water:
                at_sea = shapely.difference(at_sea, shapely.union_all(water).buffer(1e-6))
            assert geodesic_km(at_sea) <= LAND_TOLERANCE_KM, seg.path
        if seg.medium == "sea":
            # nothing but the port approaches touches land
            ends = shapely.union_all([shapely.Point(line.coords[0]).buffer(0.12), shapely.Point(line.coords[-1]).buffer(0.12)])
            assert geodesic_km(shapely.difference(shapely.intersection(line, land()), ends)) < 0.5
        # densified: no stretch longer than ~10 km
        coords = list(line.coords)
        for (x1, y1), (x2, y2) in zip(coords[:-1], coords[1:]):
            assert GEOD.inv(x1, y1, x2, y2)[2] <= 10_500


def test_lines_follow_the_earth(layers):
    seg = layers.segments[layers.segments.route_id == "gas-pipeline-via-japan"].iloc[0]
    line = seg.geometry
    # a vertex halfway along the crossing from Fukuoka to Busan lies on the great circle
    a, b = (130.41667, 33.6), (129.03004, 35.10168)
    mid = GEOD.npts(*a, *b, 1)[0]
    assert line.distance(shapely.Point(mid)) < 0.01
    assert abs(seg.length_km - GEOD.geometry_length(line) / 1000) < 0.2


def test_khasan_rajin_railway_has_a_vertex_at_the_tumen_crossing(layers):
    r = layers.routes.set_index("id").loc["khasan-rajin-railway"]
    crossings = json.loads(r.border_crossings)
    assert len(crossings) == 1
    c = crossings[0]
    assert GEOD.inv(c["lon"], c["lat"], 130.6398, 42.4226)[2] < 3000  # the rail bridge
    assert (round(c["lon"], 5), round(c["lat"], 5)) in {(round(x, 5), round(y, 5)) for x, y in r.geometry.coords}


def test_routes_within_one_country_have_no_crossings(layers):
    r = layers.routes.set_index("id").loc["khabarovsk-vladivostok-highway"]
    assert json.loads(r.border_crossings) == []
    r = layers.routes.set_index("id").loc["russia-korea-gas-pipeline"]
    assert len(json.loads(r.border_crossings)) >= 2  # into North Korea and into South Korea


def test_stated_figures_are_kept_beside_computed_lengths(layers):
    r = layers.routes.set_index("id").loc["north-korean-rail-modernisation"]
    assert r.stated_length_km == 3500
    assert 0 < r.length_km < 3500
    fig = {f["kind"]: f for f in r.figures}
    assert fig["cost"]["value"] == 25e9
    assert "3,500 kilometres" in fig["length"]["quote"]["text"]
    ferry = layers.routes.set_index("id").loc["rajin-vladivostok-ferry"]
    assert ferry.figures[0]["value"] == 4 and "four times a month" in ferry.figures[0]["quote"]["text"]


def test_quotes_carry_offsets_into_their_article(corpus, layers):
    by = {a.id: a for a in corpus}
    for _, r in layers.routes.iterrows():
        for q in r.quotes:
            assert by[q["article"]].text[q["start"] : q["end"]] == q["text"]


def test_misquoted_sentence_is_a_clear_error(tmp_path, corpus):
    f = _one_route(tmp_path, rid="ferry", kind="sea_route", status="existing", path="[rajin, vladivostok]",
                   course="documented", quote="a recently opened ferry service running five times a month between Rajin and Vladivostok")
    with pytest.raises(CatalogueError) as ei:
        routes_from_catalogue(corpus, f)
    msg = str(ei.value)
    assert "route 'ferry'" in msg and "kaliszuk-nee-2017" in msg
    assert "closest" in msg and "four times a month between Rajin and Vladivostok" in msg


def test_quote_whitespace_is_normalised_nothing_else(tmp_path, corpus):
    ok = _one_route(tmp_path, kind="pipeline", quote="coupled with the   modernisation\\n of 3,500 kilometres")
    routes_from_catalogue(corpus, ok)
    bad = _one_route(tmp_path, kind="pipeline", quote="coupled with the modernization of 3,500 kilometres")
    with pytest.raises(CatalogueError):
        routes_from_catalogue(corpus, bad)


def test_unknown_waypoint_and_article_are_errors_listed_together(tmp_path, corpus):
    f = _one_route(tmp_path, path="[khasan, atlantis]", article="no-such-article", quote="some text that is long enough")
    with pytest.raises(CatalogueError) as ei:
        routes_from_catalogue(corpus, f)
    assert len(ei.value.problems) == 2
    assert "waypoint 'atlantis' is not in the gazetteer" in str(ei.value)
    assert "unknown article 'no-such-article'" in str(ei.value)


def test_schema_errors_name_the_route(tmp_path, corpus):
    f = _one_route(tmp_path, kind="monorail", status="rumoured")
    with pytest.raises(CatalogueError) as ei:
        load_catalogue(f)
    assert len(ei.value.problems) == 2
    assert all("route 'rail'" in p for p in ei.value.problems)


def test_sea_route_that_would_cross_land_is_routed_around_it(tmp_path, corpus):
    # Rajin -> Vladivostok in a straight line crosses the Khasan district: the course goes by sea
    straight = shapely.LineString([(130.296, 42.244), (131.8735, 43.1056)])
    assert geodesic_km(shapely.intersection(straight, land())) > 50
    f = _one_route(tmp_path, rid="ferry", kind="sea_route", status="existing", path="[rajin, vladivostok]", course="documented")
    layers = routes_from_catalogue(corpus, f)
    line = layers.routes.geometry.iloc[0]
    ends = shapely.union_all([shapely.Point(line.coords[0]).buffer(0.12), shapely.Point(line.coords[-1]).buffer(0.12)])
    assert geodesic_km(shapely.difference(shapely.intersection(line, land()), ends)) < 0.5
    assert layers.routes.length_km.iloc[0] > straight.length * 80


def test_sea_route_with_no_way_by_sea_is_rejected(tmp_path, corpus):
    # Ulaanbaatar to Irkutsk: no sea between them (the nearest water, Lake Baikal, leaves the course over land)
    f = _one_route(tmp_path, rid="steppe-ferry", kind="sea_route", path='["geonames:2028462", "geonames:2023469"]')
    with pytest.raises(CatalogueError, match=r"steppe-ferry.*(cannot keep it at sea|is a sea route but crosses \d+\.\d km of land)"):
        routes_from_catalogue(corpus, f)


def test_routes_geojson_is_rfc7946(layers):
    fc = routes_to_geojson(layers)
    text = json.dumps(fc, allow_nan=False)  # no NaN may leak into JSON
    assert "crs" not in fc
    assert "© OpenStreetMap contributors" in fc["attribution"]  # the railways and the coast are OSM-derived
    assert {f["id"] for f in fc["features"]} == {r.id for r in CAT.routes}
    for f in fc["features"]:
        p = f["properties"]
        assert {"id", "name", "kind", "status", "length_km", "quotes"} <= set(p)
        assert all(set(q) == {"article", "date", "date_precision", "text"} for q in p["quotes"])
        assert [q["date"] for q in p["quotes"]] == sorted(q["date"] for q in p["quotes"])  # in date order
        geom = shapely.geometry.shape(f["geometry"])
        minx, miny, maxx, maxy = geom.bounds
        assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    assert text


runner = CliRunner()


def test_cli_routes_check_and_failures(tmp_path):
    r = runner.invoke(app, ["routes"])
    assert r.exit_code == 0
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len([r for r in CAT.routes if r.evidence])
    r = runner.invoke(app, ["routes", "--sites"])
    assert {f["id"] for f in json.loads(r.stdout)["features"]} >= {"sunchon-air-base", "rason-special-economic-zone"}
    r = runner.invoke(app, ["check"])
    assert r.exit_code == 0 and "all checks passed" in r.stdout
    # a published length the drawing cannot yet match is a note, with what is missing
    assert "note: khasan-rajin-railway is drawn" in r.stdout and "Hongŭi" in r.stdout
    f = _one_route(tmp_path, path="[khasan, atlantis]", quote="a recently opened ferry service running daily")
    r = runner.invoke(app, ["check", "--routes", str(f)])
    assert r.exit_code == 1
    assert "atlantis" in r.output and "running daily" in r.output and "2 problem(s)" in r.output


def test_a_changed_catalogue_is_never_served_from_the_cache(tmp_path, corpus):
    f = _one_route(tmp_path, status="proposed")
    assert routes_from_catalogue(corpus, f).routes.status.iloc[0] == "proposed"
    assert routes_from_catalogue(corpus, f).routes.status.iloc[0] == "proposed"  # cached
    f = _one_route(tmp_path, status="planned")  # same file, new content
    assert routes_from_catalogue(corpus, f).routes.status.iloc[0] == "planned"


def test_the_readme_catalogue_example_is_valid(tmp_path, corpus):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("lists routes and sites. A route:")[1].split("```yaml")[1].split("```")[0]
    f = tmp_path / "routes.yaml"
    f.write_text("version: 1\nroutes:\n" + textwrap.indent(block, "  "), encoding="utf-8")
    layers = routes_from_catalogue(corpus, f)
    assert list(layers.routes.id) == ["rajin-vladivostok-ferry"]


# --------------------------------------------------------------- alignments (issue: real courses)


@pytest.fixture(scope="module")
def embedded_html_popups():
    """The popups of the embedded map's description (what the page shows)."""
    from geo.atlas import atlas_data
    from layers.spec import map_spec

    return map_spec(atlas_data(), title="Test").popups


def _pt(pid: str) -> shapely.Point:
    rec = get_gazetteer().place(pid)
    return shapely.Point(rec["lon"], rec["lat"])


@pytest.mark.parametrize("route", CAT.routes, ids=lambda r: r.id)
def test_every_corridor_passes_through_its_waypoints(route, layers):
    """Drift from a waypoint (a station town) fails: each lies on its segment's drawing."""
    segs = layers.segments[layers.segments.route_id == route.id].sort_values("seq")
    for (_, seg), cat_seg in zip(segs.iterrows(), route.segments):
        for i, pid in enumerate(cat_seg.path):
            if cat_seg.along is not None and 0 < i < len(cat_seg.path) - 1:
                # drawn on line data: it passes each town within a few km (the road's own course)
                gap = to_region(seg.geometry).distance(to_region(_pt(pid))) / 1000
                assert gap <= ALONG_SNAP_KM, (route.id, pid, gap)
                continue
            # about 500 m; a sea lane rounds its turn at a harbour mouth (a waypoint), within 3 km
            tol = 0.03 if get_gazetteer().place(pid)["kind"] == "waypoint" else 0.005
            assert seg.geometry.distance(_pt(pid)) < tol, (route.id, pid)


def test_the_highway_is_drawn_on_the_road_not_on_the_railway(layers, embedded_html_popups):
    """The Khabarovsk–Vladivostok highway and the railway were one line through the same towns; the
    highway is now Natural Earth's road: its own course, which leaves the railway by Kirovsky."""
    from geo.naturalearth import read_layer

    seg = layers.segments[layers.segments.route_id == "khabarovsk-vladivostok-highway"].iloc[0]
    assert seg.along == "natural-earth-roads"
    roads = to_region(shapely.union_all(read_layer("region_roads_ru_10m").geometry.values))
    line = to_region(seg.geometry)
    coords = list(line.coords)
    on_road = [roads.distance(shapely.Point(c)) < 100 for c in coords]  # metres
    assert sum(on_road) / len(coords) > 0.95
    # off the road only at its ends (into Khabarovsk and Vladivostok) and through towns where the road breaks off
    assert all(on_road[2:-2]) or sum(not x for x in on_road[2:-2]) <= 4
    rail = to_region(layers.routes.set_index("id").loc["trans-siberian-railway-east"].geometry)
    assert line.hausdorff_distance(rail) > 12_000  # apart by Kirovsky, east of the track at Lesozavodsk (16 km drawn)
    assert line.distance(to_region(_pt("kirovsky-primorye"))) < 2_000
    assert line.distance(to_region(_pt("lesozavodsk"))) > 10_000  # the highway passes it by; the railway goes through
    assert "Natural Earth\u2019s 1:10m roads" in embedded_html_popups["route:khabarovsk-vladivostok-highway"]


def test_a_road_drawn_on_line_data_must_pass_its_towns(tmp_path, corpus):
    def road(path: str, kind: str = "road", more: str = "") -> Path:
        return _one_route(tmp_path, rid="road", kind=kind, status="existing", path=path, segment=", along: natural-earth-roads" + more)

    rl = routes_from_catalogue(corpus, road("[ussuriysk, razdolnoye, uglovoye]"))
    assert rl.segments.along.iloc[0] == "natural-earth-roads" and rl.routes.length_km.iloc[0] > 60
    # Natural Earth's road into Vladivostok passes Artyom 8 km west of its centre: not a town it passes
    with pytest.raises(CatalogueError, match=r"'road' segment 1 .*from waypoint 'artyom'"):
        routes_from_catalogue(corpus, road("[ussuriysk, razdolnoye, artyom, vladivostok]"))
    with pytest.raises(CatalogueError, match=r"waypoint 'rajin' is .* km from natural-earth-roads .*Russian Far East only"):
        routes_from_catalogue(corpus, road("[khasan, rajin]"))  # no Natural Earth road of North Korea here
    with pytest.raises(CatalogueError, match=r"along 'natural-earth-roads' is for land routes"):
        routes_from_catalogue(corpus, road("[rajin, vladivostok]", kind="sea_route"))
    with pytest.raises(CatalogueError, match=r"crosses_water does not apply"):
        routes_from_catalogue(corpus, road("[ussuriysk, razdolnoye]", more=", crosses_water: [[ussuriysk, razdolnoye]]"))


def test_the_railway_passes_the_towns_it_serves(layers):
    """Vyazemsky, Bikin and Spassk-Dalny were 20-28 km off the straight line; now the line is the
    track, which passes each town's GeoNames point within a few km (a station is not the town's centre)."""
    line = layers.routes.set_index("id").loc["trans-siberian-railway-east"].geometry
    from geo.routing import to_region

    for town in ("vyazemsky", "bikin", "spassk-dalny", "dalnerechensk", "lesozavodsk", "ussuriysk"):
        assert to_region(line).distance(to_region(_pt(town))) < 3000, town


def _track(name: str) -> shapely.Geometry:
    from geo.osm import data_path

    fc = json.loads(data_path("railways").read_text(encoding="utf-8"))
    return next(shapely.LineString(f["geometry"]["coordinates"]) for f in fc["features"] if f["properties"]["name"] == name)


def test_the_trans_siberian_is_drawn_on_the_track(layers, embedded_html_popups):
    """Drawn on OpenStreetMap's trace of the track: within 2 % of its published 767 km (it was 682 km of
    chords between towns), all but its ends within 2 km of the track; the popup says what it is drawn on."""
    r = layers.routes.set_index("id").loc["trans-siberian-railway-east"]
    assert abs(r.length_km - 767) / 767 < 0.02 and not isinstance(r.length_shortfall, str)
    track = to_region(_track("Trans-Siberian Railway, Khabarovsk–Vladivostok")).buffer(2000)
    drawn = to_region(r.geometry)
    assert drawn.intersection(track).length / drawn.length > 0.99
    popup = embedded_html_popups["route:trans-siberian-railway-east"]
    assert "OpenStreetMap contributors" in popup and "within 30 m" in popup


def test_khasan_rajin_runs_on_the_russian_trace_to_the_bridge_then_on_korean_data(layers):
    """From Khasan over the Tumen bridge on the Russian trace, then on scgraph-data's Korean line to Rajin."""
    seg = layers.segments[layers.segments.route_id == "khasan-rajin-railway"].iloc[0]
    assert seg.along == "osm-railways" and not isinstance(seg.along_gaps, str)
    drawn = to_region(seg.geometry)
    branch = to_region(_track("Baranovsky–Khasan–Tumen bridge"))
    bridge = to_region(_pt("friendship-bridge-tumen"))
    assert drawn.distance(bridge) < 1000
    # the Russian part: from Khasan to the bridge the drawing is the trace
    russian = drawn.intersection(to_region(shapely.Point(130.645, 42.43)).buffer(1500))
    assert russian.length > 0 and russian.difference(branch.buffer(100)).length < 100
    assert 45 < layers.routes.set_index("id").loc["khasan-rajin-railway"].length_km < 60


def test_korean_gaps_in_the_line_data_are_drawn_and_said(layers, embedded_html_popups):
    """The trans-Korean railway is on existing lines where the data has them; where it has none (Jejin to
    Gangneung, being built) the leg is drawn over land and the popup says it is a gap."""
    segs = layers.segments[layers.segments.route_id == "trans-korean-railway"].set_index("seq")
    assert (segs.along == "osm-railways").all()
    assert "Jejin\u2013Gangneung" in segs.loc[4, "along_gaps"]
    assert not isinstance(segs.loc[1, "along_gaps"], str) and not isinstance(segs.loc[2, "along_gaps"], str)  # Russia and Khasan-Rajin: no gap
    popup = embedded_html_popups["route:trans-korean-railway"]
    assert "a gap in it" in popup and "drawn over land between the towns" in popup and "Jejin\u2013Gangneung" in popup


def test_corridors_that_follow_a_railway_are_drawn_on_it(layers):
    """The pipeline and the power line, where they follow a railway, follow the drawn one."""
    segs = layers.segments
    rail = {rid: to_region(layers.routes.set_index("id").loc[rid].geometry).buffer(50)
            for rid in ("trans-siberian-railway-east", "trans-korean-railway")}
    n = 0
    for _, s in segs[segs.follows.isin(list(rail))].iterrows():
        if s.kind in ("pipeline", "power_line"):
            line = to_region(s.geometry)
            assert line.difference(rail[s.follows]).length / line.length < 0.1, (s.route_id, s.seq)
            n += 1
    assert n >= 4


def test_a_railway_off_its_line_data_fails_check(tmp_path, corpus):
    """``check`` fails a railway segment drawn along rail data that is not on it (here: every leg a gap)."""
    bad = _one_route(tmp_path, rid="rail", kind="railway", status="existing", path="[vladivostok, geonames:1835848]",
                     segment=", along: osm-railways")
    with pytest.raises(CatalogueError, match=r"no leg of this segment is on osm-railways"):
        routes_from_catalogue(corpus, bad)


def test_a_railway_drawn_along_rail_data_but_off_it_fails_check(tmp_path, corpus, monkeypatch):
    """The check itself: a railway segment whose drawing lies off the rail data it declares is an error
    (here the data is made to lie 40 % away from the drawing); a road is not held to it."""
    import geo.routing

    monkeypatch.setattr(geo.routing, "on_line_share", lambda line, along, **kw: 0.6)
    rail = _one_route(tmp_path, rid="rail", kind="railway", status="existing", path="[ussuriysk, razdolnoye]",
                      segment=", along: osm-railways")
    with pytest.raises(CatalogueError, match=r"drawn along osm-railways but only 60% of it .* within 1 km"):
        routes_from_catalogue(corpus, rail)


def test_published_lengths_are_recorded_with_their_source_and_shown(layers, embedded_html_popups):
    r = layers.routes.set_index("id").loc["trans-siberian-railway-east"]
    assert r.published_length_km == 767 and "km 8521" in r.published_length_source
    popup = embedded_html_popups["route:trans-siberian-railway-east"]
    assert "Published length" in popup and "767 km" in popup and "km 8521" in popup
    kr = layers.routes.set_index("id").loc["khasan-rajin-railway"]
    assert kr.published_length_km == 54 and kr.length_km > 45  # 40 km of chords before the line data
    assert "Drawn" in embedded_html_popups["route:khasan-rajin-railway"]  # the shortfall is said


def test_a_drawn_length_off_its_published_length_fails_the_check(tmp_path, corpus):
    def rail(km: str, shortfall: str = "") -> Path:
        return _one_route(tmp_path, status="existing", path="[khasan, friendship-bridge-tumen, tumangang]",
                          extra=f'published_length: {{km: {km}, source: "a source for the test"{shortfall}}}')

    f = rail("40")
    with pytest.raises(CatalogueError, match=r"rail.*published length is 40 km.*more than 10%"):
        routes_from_catalogue(corpus, f)
    r = runner.invoke(app, ["check", "--routes", str(f)])
    assert r.exit_code == 1 and "published length" in r.output
    f = rail("4.3")  # within 10 % of the 4.1 km drawn
    assert routes_from_catalogue(corpus, f).routes.published_length_km.iloc[0] == 4.3
    # a stated shortfall is reported, not failed
    f = rail("40", ", shortfall: the stations between are not curated yet")
    rl = routes_from_catalogue(corpus, f)
    assert rl.routes.length_shortfall.iloc[0].startswith("the stations")


def test_a_segment_that_strays_from_the_line_it_follows_fails(tmp_path, corpus):
    def catalogue(path: str, follows: str = "rail") -> Path:
        return _catalogue(
            tmp_path, _route(status="existing", path="[ussuriysk, razdolnoye, kiparisovo]"),
            _route(rid="pipe", kind="pipeline", path=path, segment=f", follows: {follows}"),
        )

    ok = routes_from_catalogue(corpus, catalogue("[razdolnoye, kiparisovo]"))
    assert ok.segments.set_index("route_id").follows["pipe"] == "rail"
    with pytest.raises(CatalogueError, match=r"'pipe' segment 1 says it follows 'rail' but strays"):
        routes_from_catalogue(corpus, catalogue("[razdolnoye, artyom]"))
    with pytest.raises(CatalogueError, match=r"follows 'canal', which is not another route"):
        routes_from_catalogue(corpus, catalogue("[razdolnoye, kiparisovo]", follows="canal"))


def test_a_land_route_goes_to_sea_only_where_it_says_so(tmp_path, corpus):
    def pipe(water: str = "") -> Path:
        return _one_route(tmp_path, rid="pipe", kind="pipeline", path="[nogliki, lazarev, komsomolsk-on-amur]", segment=water)

    # Nogliki (Sakhalin) to Lazarev (the mainland) crosses the Nevelskoy Strait
    with pytest.raises(CatalogueError, match=r"pipe.*(at sea|cannot keep)"):
        routes_from_catalogue(corpus, pipe())
    rl = routes_from_catalogue(corpus, pipe(", crosses_water: [[nogliki, lazarev]]"))
    assert rl.segments.crosses_water.iloc[0] == "nogliki-lazarev"
    with pytest.raises(CatalogueError, match=r"crosses_water \[nogliki, komsomolsk-on-amur\] is not a leg"):
        routes_from_catalogue(corpus, pipe(", crosses_water: [[nogliki, komsomolsk-on-amur]]"))


def test_the_gas_pipeline_crosses_to_the_mainland_by_the_nevelskoy_strait(layers):
    seg = layers.segments[(layers.segments.route_id == "russia-korea-gas-pipeline") & (layers.segments.seq == 1)].iloc[0]
    for town in ("lazarev", "komsomolsk-on-amur"):
        assert seg.geometry.distance(_pt(town)) < 0.005
    # at sea only on its declared legs: the field's tie-in and the strait (not across the Tatar Strait)
    at_sea = geodesic_km(shapely.difference(seg.geometry, land()))
    assert at_sea < 80


@pytest.mark.parametrize("rid", ["rajin-vladivostok-ferry", "rajin-coal-shipping"])
def test_sea_lanes_keep_off_the_coast_bend_smoothly_and_measure_what_is_sailed(rid, layers):
    from geo.routing import PORT_APPROACH_KM, to_region

    r = layers.routes.set_index("id").loc[rid]
    line = r.geometry
    path = layers.segments.set_index("route_id").loc[rid, "path"].split(",")
    assert path[1].endswith("harbour-mouth") and path[-2].endswith("harbour-mouth")  # leaves by the harbour mouth
    ports = shapely.union_all([_pt(p).buffer(PORT_APPROACH_KM / 111.0) for p in path])
    open_sea = shapely.difference(line, ports)
    # never on land, and a margin off the coast away from the ports and their approaches
    assert geodesic_km(shapely.intersection(open_sea, land())) == 0
    assert to_region(open_sea).distance(to_region(shapely.intersection(land(), shapely.box(*line.buffer(1).bounds)))) > 1500
    # no right angles: every turn of the lane is gentle (in a harbour, where a corner between breakwaters
    # cannot be rounded off land, under 70 degrees)
    c = list(to_region(line).coords)
    import math

    for (p, q, s), v in zip(zip(c[:-2], c[1:-1], c[2:]), list(line.coords)[1:-1]):
        h1 = math.atan2(q[1] - p[1], q[0] - p[0])
        h2 = math.atan2(s[1] - q[1], s[0] - q[0])
        turn = abs((h2 - h1 + math.pi) % (2 * math.pi) - math.pi)
        assert math.degrees(turn) < (70 if ports.contains(shapely.Point(v)) else 45)
    assert abs(r.length_km - GEOD.geometry_length(line) / 1000) < 0.2  # the distance shown is the distance sailed


def test_time_off_land_is_measured_against_the_land_near_the_line_as_against_all_of_it():
    """A land route's kilometres at sea are measured with the land clipped to the line's surroundings
    (an overlay with the whole region's land is a hundred times slower): the same figure."""
    from geo.naturalearth import land
    from geo.routing import _off_land_km, densify, geodesic_km

    L = land()
    lines = [
        densify([(131.95, 43.80), (131.90, 43.54)]),  # Ussuriysk to Razdolnoye: all on land
        densify([(130.28, 42.25), (130.70, 42.43)]),  # Rajin across the bay towards Khasan
        densify([(141.0, 52.0), (137.0, 50.5)]),  # Sakhalin across the Tatar Strait
        densify([(129.0, 35.1), (130.4, 33.6)]),  # Busan to Fukuoka: mostly sea
        [(131.87, 43.11), (131.87, 43.0)],  # a short north-south leg (a degenerate bounding box)
    ]
    for coords in lines:
        line = shapely.LineString(coords)
        assert _off_land_km(line, L) == pytest.approx(geodesic_km(shapely.difference(line, L)), abs=1e-6)
