from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from PIL import Image
from click.testing import CliRunner

from layers import export as X
from layers.cli import app
from geo._atomic import write_atomic
from geo.atlas import atlas_data
from layers.style import KIND_STYLE

runner = CliRunner()


@pytest.fixture(scope="module")
def data():
    return atlas_data()


def _hex(c: str) -> np.ndarray:
    return np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])


def _near(img: np.ndarray, colour: str, tol: int = 40) -> int:
    return int((np.abs(img[..., :3].astype(int) - _hex(colour)).sum(axis=2) < tol).sum())


def test_png_has_the_size_asked_for_is_not_blank_and_draws_the_corridors(tmp_path, data):
    p = X.export_static(data, tmp_path / "m.png", width_in=6, height_in=4, dpi=150)
    im = np.asarray(Image.open(p).convert("RGB"))
    assert im.shape[:2] == (600, 900)
    assert im.std() > 20  # not blank
    for kind in ("pipeline", "railway", "sea_route", "road", "power_line"):
        assert _near(im, KIND_STYLE[kind]["color"]) > 30, f"no {kind} drawn"


def test_pdf_and_svg_are_vector_maps_with_legend_and_attribution(tmp_path, data):
    pdf = X.export_static(data, tmp_path / "m.pdf", width_in=8, height_in=6)
    head = pdf.read_bytes()[:5]
    assert head == b"%PDF-"
    svg = X.export_static(data, tmp_path / "m.svg", width_in=8, height_in=6).read_text()
    assert svg.count("<path") > 100
    assert "Natural Earth" in svg and "GeoNames" in svg and "Legend" in svg and "km" in svg
    assert 'width="576pt"' in svg and 'height="432pt"' in svg
    assert "Country, province or continent" in svg and "Site: Country" not in svg  # the areas' legend entry is an area's swatch


def test_static_exports_are_reproducible(tmp_path, data):
    a = X.export_static(data, tmp_path / "a.svg", width_in=5, height_in=4).read_bytes()
    b = X.export_static(data, tmp_path / "b.svg", width_in=5, height_in=4).read_bytes()
    assert a == b


def test_bad_static_options_are_clear_errors(tmp_path, data):
    with pytest.raises(ValueError, match="png, pdf or svg"):
        X.export_static(data, tmp_path / "m.gif")
    with pytest.raises(ValueError, match="dpi"):
        X.export_static(data, tmp_path / "m.png", dpi=5)
    assert not (tmp_path / "m.gif").exists() and not (tmp_path / "m.png").exists()


def test_geopackage_round_trips_through_geopandas(tmp_path, data):
    p = X.export_gpkg(data, tmp_path / "atlas.gpkg")
    names = {n for n, _ in pyogrio.list_layers(p)}
    assert names == {"places", "mentions", "routes", "segments", "sites", "labels"}
    routes = gpd.read_file(p, layer="routes")
    assert routes.crs.to_epsg() == 4326
    assert set(routes["id"]) == set(data.routes.routes["id"])
    r = routes.set_index("id").loc["rajin-vladivostok-ferry"]
    quotes = json.loads(r["quotes"])
    assert any("four times a month" in q["text"] for q in quotes)
    orig = data.routes.routes.set_index("id").loc["rajin-vladivostok-ferry"]
    assert r.geometry.equals(orig.geometry)  # GeoPackage stores every line of a layer as MultiLineString
    mentions = gpd.read_file(p, layer="mentions")
    assert len(mentions) == len(data.mentions)
    assert {"quote", "article_id", "article_title", "place_id"} <= set(mentions.columns)
    places = gpd.read_file(p, layer="places")
    assert places.set_index("place_id").loc["tumen-river"].geometry.geom_type == "LineString"
    import sqlite3

    with sqlite3.connect(p) as db:  # each layer says whose data it holds (OpenStreetMap's lines among them)
        notes = dict(db.execute("select table_name, description from gpkg_contents"))
    assert set(notes) == names and all("© OpenStreetMap contributors (ODbL)" in n and "Natural Earth" in n for n in notes.values())


def test_geojson_per_layer_and_quotes_csv(tmp_path, data):
    files = X.export_geojson(data, tmp_path / "gj")
    assert sorted(f.name for f in files) == sorted(
        ["places.geojson", "mentions.geojson", "routes.geojson", "segments.geojson", "sites.geojson", "labels.geojson", "quotes.csv",
         "SOURCES.txt"]
    )
    assert "© OpenStreetMap contributors (ODbL)" in (tmp_path / "gj" / "SOURCES.txt").read_text(encoding="utf-8")
    sites = gpd.read_file(tmp_path / "gj" / "sites.geojson")
    assert set(sites["id"]) == set(data.routes.sites["id"])
    q = pd.read_csv(tmp_path / "gj" / "quotes.csv")
    assert {"feature_type", "feature_id", "article_title", "outlet", "date", "date_precision", "quote"} <= set(q.columns)
    assert set(q.feature_type) == {"route", "site", "place"}
    by = {a.id: a for a in data.articles}
    for _, row in q.iterrows():
        assert by[row.article_id].text[row.start : row.end] == row.quote


def test_atomic_write_leaves_no_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old, complete")

    class Boom(Exception):
        pass

    import os as _os

    real = _os.replace

    def fail(*a, **k):
        raise Boom()

    monkeypatch.setattr(_os, "replace", fail)
    with pytest.raises(Boom):
        write_atomic(target, "new" * 1000)
    monkeypatch.setattr(_os, "replace", real)
    assert target.read_text() == "old, complete"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary file left behind
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    import os

    m = os.umask(0o022)
    os.umask(m)
    return m


def test_cli_export_all(tmp_path):
    r = runner.invoke(app, [
        "export", "--png", str(tmp_path / "m.png"), "--width", "4", "--height", "3", "--dpi", "100",
        "--gpkg", str(tmp_path / "a.gpkg"), "--csv", str(tmp_path / "q.csv"),
    ])
    assert r.exit_code == 0, r.output
    assert Image.open(tmp_path / "m.png").size == (400, 300)
    assert (tmp_path / "a.gpkg").exists() and (tmp_path / "q.csv").exists()
    r = runner.invoke(app, ["export"])
    assert r.exit_code == 2 and "nothing to export" in r.output
    r = runner.invoke(app, ["export", "--png", str(tmp_path / "x.png"), "--dpi", "5"])
    assert r.exit_code == 2 and "dpi" in r.output and not (tmp_path / "x.png").exists()


def test_pdf_is_reproducible(tmp_path, data):
    a = X.export_static(data, tmp_path / "a.pdf", width_in=5, height_in=4).read_bytes()
    b = X.export_static(data, tmp_path / "b.pdf", width_in=5, height_in=4).read_bytes()
    assert a == b


def _label_boxes(fig):
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return {t.get_gid(): (t.get_text(), t.get_window_extent(r)) for t in ax.texts if (t.get_gid() or "").startswith("label-")}


def test_static_map_names_the_region_without_overlaps_title_and_sources(data):
    fig = X.draw_static(data, width_in=10, height_in=8, dpi=100)
    boxes = _label_boxes(fig)
    texts = {t for t, _ in boxes.values()}
    for name in ("Vladivostok", "Khabarovsk", "Pyongyang", "Seoul", "RUSSIA", "CHINA", "Sea of Japan / East Sea"):
        assert name in texts, name
    items = list(boxes.values())
    for i, (ta, a) in enumerate(items):
        for tb, b in items[i + 1:]:
            assert not a.overlaps(b), f"{ta!r} overlaps {tb!r}"
    assert fig._suptitle.get_text()
    credit = " ".join(t.get_text() for t in fig.texts)
    for a in data.articles:
        assert (a.meta.outlet or "unknown outlet") in credit
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_svg_keeps_the_labels_as_text(tmp_path, data):
    p = X.export_static(data, tmp_path / "m.svg", dpi=72)
    svg = p.read_text(encoding="utf-8")
    labels = re.findall(r'<g id="label-[^"]*">\s*<text style="([^"]*)"[^>]*>([^<]*)</text>', svg)
    texts = {t for _, t in labels}
    assert "Vladivostok" in texts and "Sea of Japan / East Sea" in texts
    assert all("paint-order: stroke" in style for style, _ in labels)  # the halo


def test_every_output_draws_the_same_corridor_geometry(tmp_path, data):
    """The web map, the GeoPackage and the GeoJSON carry each segment's one drawing (the map's to 4
    decimals); the static map draws the same vertices, shifted only into a corridor's lanes."""
    import shapely

    from layers.content import layer_features
    from layers.spec import map_spec

    spec = map_spec(data, title="T")
    page = {}
    for lyr in spec.layers:
        if lyr.group == "Corridors":
            for f in layer_features(lyr)["features"]:
                route, seq = f["properties"]["segment"].split(":")[1:]
                page[(route, int(seq))] = shapely.geometry.shape(f["geometry"])
    gpkg = gpd.read_file(X.export_gpkg(data, tmp_path / "a.gpkg"), layer="segments")
    X.export_geojson(data, tmp_path / "gj")
    gj = gpd.read_file(tmp_path / "gj" / "segments.geojson")
    assert len(page) == len(gpkg) == len(gj) == len(data.routes.segments)
    for frame in (gpkg, gj):
        for _, row in frame.iterrows():
            mine = page[(row["route_id"], int(row["seq"]))]
            geom = shapely.line_merge(row.geometry) if row.geometry.geom_type == "MultiLineString" else row.geometry
            assert shapely.hausdorff_distance(mine, geom) < 1e-4, (row["route_id"], row["seq"])


def test_shared_corridors_are_drawn_side_by_side_in_the_static_map(data):
    """In the static map too, routes that share a stretch are on their own lines, a lane apart, all
    along it (where corridors meet, at a town, their lines converge on it)."""
    from layers.spec import map_spec

    spec = map_spec(data, title="T")
    legs: dict = {}
    for lyr in spec.layers:
        if lyr.group != "Corridors" or not lyr.show:
            continue
        g = lyr.frame.to_crs(X.MERCATOR)
        for route, lanes, geom in zip(g["route"], g["lanes"], g.geometry.values):
            if not isinstance(lanes, list):
                continue
            xs, ys = map(list, geom.xy)
            sx, sy = X.shift_line(xs, ys, lanes, 1000.0)  # a lane is 1 km here
            for i in range(len(xs) - 1):
                key = frozenset({(round(xs[i]), round(ys[i])), (round(xs[i + 1]), round(ys[i + 1]))})
                if lanes[i] == lanes[i + 1] and lanes[i]:  # inside a corridor, not where it changes
                    legs.setdefault(key, {})[route] = ((sx[i] + sx[i + 1]) / 2, (sy[i] + sy[i + 1]) / 2)
    shared = [r for r in legs.values() if len(r) >= 2]
    # the railways drawn on the line data share their stretches (the trans-Korean railway and the rail
    # modernisation on the east coast; the pipeline and the power line beside them between the towns)
    assert len(shared) > 50 and max(len(r) for r in shared) >= 2
    for routes in shared:
        pts = list(routes.values())
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                assert ((pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2) ** 0.5 > 800, routes


def test_static_exports_draw_hangul_han_and_cyrillic(tmp_path, data):
    """Native names (나진 · Раджин · 羅津) are drawn with a font that has them, never as empty boxes:
    matplotlib warns of every glyph its fonts lack, and the PDF embeds the CJK font it drew them with."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = X.export_static(data, tmp_path / "m.pdf", width_in=5, height_in=4, title="나진 · Раджин · 羅津").read_bytes()
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert b"NotoSansCJK" in pdf
    svg = X.export_static(data, tmp_path / "m.svg", width_in=5, height_in=4, title="나진 · Раджин · 羅津").read_text()
    assert "나진 · Раджин · 羅津" in svg and "Noto Sans CJK KR" in svg
