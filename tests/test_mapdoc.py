"""The map document in Python: API, escaping at the source, style table, build command."""

from __future__ import annotations

import html
import json
import re

import folium
import pytest
from click.testing import CliRunner

from layers import build_map, render_html
from layers import style as S
from layers.cli import app
from layers.elements import safe_json
from geo.atlas import atlas_data
from layers.content import TILE_PROVIDERS, unpack_json
from layers.popups import route_popup

runner = CliRunner()


@pytest.fixture(scope="module")
def data():
    return atlas_data()


@pytest.fixture(scope="module")
def page(data) -> str:
    return render_html(build_map(data=data))


def test_build_map_returns_a_folium_map_that_shows_inline_in_jupyter(data):
    m = build_map(data=data)
    assert isinstance(m, folium.Map)
    inline = m._repr_html_()  # what Jupyter displays
    assert "<iframe" in inline and "srcdoc" in inline
    assert "TumenAtlas.init" in html.unescape(inline)


def test_no_cdn_and_no_file_beside_the_page(page):
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
    assert not re.search(r'<(script|link)[^>]+(src|href)=', page)
    assert "L.version" in page or "Leaflet" in page


def test_app_data_is_escaped_json(page):
    m = re.search(r'<script type="application/json" id="tumen-atlas-data">(.*?)</script>', page, re.S)
    blob = m.group(1)
    assert "<" not in blob and ">" not in blob
    data = json.loads(blob)
    assert {o["key"] for o in data["overlays"]} == {k for k, *_ in S.OVERLAYS}
    assert len(data["articles"]) == 5


def test_safe_json_escapes_markup_and_line_separators():
    s = safe_json({"t": "</script><img src=x onerror=alert(1)>&\u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"t": "</script><img src=x onerror=alert(1)>&\u2028"}


def test_route_popup_escapes_every_text(data):
    r = data.routes.routes.set_index("id", drop=False).loc["khasan-rajin-railway"].copy()
    r["name"] = "<b>bold</b>"
    r["summary"] = "${alert(1)} <script>x</script>"
    segs = data.routes.segments[data.routes.segments.route_id == r["id"]]
    out = route_popup(r, segs, {a.id: a for a in data.articles})
    assert "<b>bold</b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "<script>" not in out
    assert "Drawn length" in out and "(stated)" in out  # computed beside stated figures


def test_legend_and_features_share_one_style_table():
    for sec in S.legend():
        assert sec["items"]
    kinds = S.legend()[0]["items"]
    assert [i["line"]["color"] for i in kinds] == [v["color"] for v in S.KIND_STYLE.values()]
    assert S.route_style("pipeline", "proposed")["dashArray"] == S.STATUS_STYLE["proposed"]["dashArray"]
    assert S.route_style("railway", "existing", "inferred")["opacity"] < S.route_style("railway", "existing")["opacity"]
    assert S.route_overlay("pipeline", "alternative_considered") == "alternatives"
    assert S.place_radius(16) > S.place_radius(1)


def test_web_tiles_are_optional_base_layers(data):
    page = render_html(build_map(data=data, tiles=("OpenStreetMap",)))
    assert "tile.openstreetmap.org" in page
    blob = json.loads(re.search(r'id="tumen-atlas-data">(.*?)</script>', page, re.S).group(1))
    assert [b["label"] for b in blob["bases"]][0] == "Natural Earth (offline)"
    assert "needs internet" in blob["bases"][1]["label"]
    with pytest.raises(ValueError, match="unknown tile provider"):
        build_map(data=data, tiles=("NoSuchTiles",))
    assert set(TILE_PROVIDERS) >= {"OpenStreetMap"}


def test_title_is_escaped(data):
    page = render_html(build_map(data=data, title="<script>alert(1)</script> & co"))
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in page
    assert "<script>alert(1)</script>" not in page


def test_failed_build_leaves_the_previous_map_untouched(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous map")
    bad = tmp_path / "routes.yaml"
    bad.write_text("version: 1\nroutes: []\nsites: [{id: x}]\n")
    r = runner.invoke(app, ["build", "--routes", str(bad), "--out", str(out)])
    assert r.exit_code == 2
    assert "routes.yaml" in r.output and "NOT rebuilt" in r.output
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "routes.yaml"]


def test_build_command_and_embed_snippet(tmp_path):
    out = tmp_path / "m.html"
    r = runner.invoke(app, ["build", "--out", str(out), "--embed", "--height", "480", "--title", "Report map"])
    assert r.exit_code == 0, r.output
    assert out.read_text().count("<title>Report map</title>") == 1
    snip = (tmp_path / "m.embed.html").read_text()
    assert 'src="m.html"' in snip and "height:480px" in snip and "width:100%" in snip
    r = runner.invoke(app, ["build", "--out", str(out), "--embed", "--height", "5"])
    assert r.exit_code == 2 and "height" in r.output


def test_places_have_country_outlines(data):
    from geo.places import place_geometry

    g = place_geometry("country:KP")
    assert g.geom_type in ("Polygon", "MultiPolygon")
    assert g.contains(place_geometry("rajin"))


def test_a_folder_without_corridors_opens_on_its_places(tmp_path):
    from layers.spec import initial_bounds

    (tmp_path / "a.txt").write_text("Storms hit Dallas, Texas and Houston, Texas on Monday.\n", encoding="utf-8")
    d = atlas_data(articles=tmp_path)
    assert d.routes.routes.empty and d.routes.sites.empty
    minx, miny, maxx, maxy = initial_bounds(d)
    assert -100 < minx <= maxx < -94 and 28 < miny <= maxy < 34  # Texas, not Northeast Asia


def test_template_syntax_in_articles_and_title_reaches_the_page_as_text(tmp_path):
    """branca compiles an Element's string as a Jinja template: text that reaches the page must
    never go through that (it would be evaluated, or break the build)."""
    arts = tmp_path / "arts"
    arts.mkdir()
    payload = "{{ 7*7 }} {% if x %} {# c #} {{ cycler.__init__.__globals__ }}"
    (arts / "a.md").write_text(
        f'---\ntitle: "Coal {payload}"\ndate: 2015-03-01\n---\nRajin port ships coal to Vladivostok. {payload} unclosed.\n'
    )
    out = tmp_path / "m.html"
    r = runner.invoke(app, ["build", "--articles", str(arts), "--out", str(out), "--title", "Map {{ 6*7 }} {% raw %}"])
    assert r.exit_code == 0, r.output
    page = out.read_text()
    assert "<title>Map {{ 6*7 }} {% raw %}</title>" in page and "Map 42" not in page
    blob = json.loads(re.search(r'id="tumen-atlas-data">(.*?)</script>', page, re.S).group(1))
    (article,) = blob["articles"]
    ((text, _chrome, _mentions),) = unpack_json(blob["texts"])
    assert payload in article["title"] and f"{payload} unclosed." in text
    assert payload not in page.replace(article["title"], "")  # the text itself travels packed


def test_layers_reach_the_page_as_json_blocks_after_the_first_view(page):
    """Each layer is a JSON block (escaped like the app data) read by JSON.parse: an overlay's
    GeoJSON, or a basemap layer's flat shapes; the map's first view is set before any layer is added
    (each path is projected once)."""
    from layers.contract import FeatureProps, FlatShape

    blocks = [b for b in re.findall(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', page, re.S)
              if b[0] != "tumen-atlas"]
    overlays = [blob for name, blob in blocks if name.startswith("layer_")]
    basemap = [blob for name, blob in blocks if name.startswith("basemap_")]
    assert len(overlays) >= 9 and len(basemap) == 6 and len(overlays) + len(basemap) == len(blocks)
    for blob in overlays + basemap:
        assert "<" not in blob and ">" not in blob
    for blob in overlays:
        fc = json.loads(blob)
        assert fc["type"] == "FeatureCollection"
        for f in fc["features"]:
            FeatureProps.model_validate(f["properties"])
    shapes = [FlatShape.model_validate(s) for blob in basemap for s in json.loads(blob)]
    assert {s.closed for s in shapes} == {True, False}
    assert sum(len(r) for s in shapes for r in s.rings) > 50_000  # lon/lat numbers: the basemap is all there
    scripts = page[page.index("TumenAtlas.initialView("):]
    before = page[: page.index("TumenAtlas.initialView(")]
    assert "TumenAtlas.featureLayer(" not in before and "TumenAtlas.flatLayer(" not in before
    assert scripts.count("TumenAtlas.featureLayer(TumenAtlas.json(") == len(overlays)
    assert scripts.count("TumenAtlas.flatLayer(TumenAtlas.json(") == len(basemap)


def test_flat_shapes_hold_the_basemap_geometry_and_refuse_odd_rings():
    import shapely

    from layers.contract import validate_flat_shapes
    from layers.content import flat_shapes
    from layers.spec import basemap_layers

    for lyr in basemap_layers():
        shapes = flat_shapes(lyr)
        n = sum(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])) for f in lyr.source["features"])
        assert sum(len(r) for s in shapes for r in s["rings"]) == 2 * n
        assert all(s["style"] == lyr.style for s in shapes)
    with pytest.raises(ValueError, match="lon/lat pairs"):
        validate_flat_shapes([{"closed": True, "style": {}, "rings": [[1.0, 2.0, 3.0]]}])


def test_the_icon_font_in_the_page_is_cut_down_to_the_icons_the_map_uses(page):
    """Only the glyphs the map shows are embedded (a couple of kilobytes, not the whole 150 kB font),
    each icon's code point maps to a drawn glyph, and the font keeps its names; the licence is stated
    beside it."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    from layers.assets import font_awesome_codepoints
    from layers.style import icons

    m = re.search(r'src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\("woff"\)', page)
    assert m, "the icon font is not inlined as WOFF"
    data = base64.b64decode(m.group(1))
    assert len(data) < 10_000
    font = TTFont(io.BytesIO(data))
    cmap = font.getBestCmap()
    codes = font_awesome_codepoints(icons())
    assert set(cmap) == set(codes.values())
    glyphs = font.getGlyphSet()
    for name, code in codes.items():
        assert glyphs[cmap[code]].width > 0, name
    from layers.assets import font_awesome_ttf

    def names(f):
        return {(r.nameID, r.platformID): r.toUnicode() for r in f["name"].names}

    assert names(font) == names(TTFont(str(font_awesome_ttf())))  # its name, copyright and version as shipped
    assert "Font Awesome Free 6 (fontawesome.com): icons CC BY 4.0, font SIL OFL 1.1" in page


def test_the_icon_font_is_the_same_bytes_whenever_it_is_made():
    """Deterministic output: cutting the font down does not stamp it with the time it was made."""
    import time

    from layers.assets import _subset_font, font_awesome_codepoints
    from layers.style import icons

    codes = tuple(sorted(font_awesome_codepoints(icons()).values()))
    first = _subset_font(codes)
    time.sleep(1.1)  # the font's timestamps count seconds
    assert _subset_font(codes) == first
