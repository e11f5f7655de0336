"""Geography benchmark: how true the map is where the story happens, and what it costs.

Measured against OpenStreetMap's land (roaring-landmask's OSM land polygons, unsimplified) and
OpenStreetMap's trace of the Trans-Siberian (trolleway/russian-railways-simplegeodata):

* the share of the coastal band (pixels within 2 km of OpenStreetMap's coast) the basemap draws the
  right colour, land or sea, at zooms 10, 11 and 12 in a 1024x768 view centred on the Tumen mouth,
  Rajin, Posyet and Vladivostok (the basemap's shapes as embedded; the page simplifies them further,
  to a pixel, at each zoom);
* the Trans-Siberian's length and the share of it within 2 km of the track; Khasan-Rajin's length;
* km of land corridors at sea (declared water crossings left out) and of sea routes on land (more
  than 2 km from their ports' points);
* the HTML's size and the time headless Chromium takes to draw it, in the first view and at Rajin at
  zoom 11, the trees' maps taking turns (with ``--draw``).

Run it on this tree and on another checkout to compare (each measured with its own code and data):

    python benchmarks/bench_geography.py --reference osm_land_region.wkb --track Ekateriburg-Vladivostok.geojson \
        [--tree /path/to/other/checkout ...] [--draw --runs 5]

``--reference``: OpenStreetMap's land as WKB (lon/lat), at least lon 115-150, lat 30-56; without it the
script makes it with roaring-landmask (``pip install 'roaring-landmask==0.11.*'``). ``--track``: the
trace of the Trans-Siberian as published in that repository at commit 1310ba5 (``git show
1310ba5f715ccdeeb2eb2b1bc1350f5015a7636d:rzd/mainlines/Ekateriburg-Vladivostok.geojson``).
Not a test: nothing here runs in the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEWS = {"Tumen mouth": (130.70, 42.30), "Rajin": (130.30, 42.22), "Posyet": (130.80, 42.65), "Vladivostok": (131.90, 43.10)}
ZOOMS = (10, 11, 12)
VIEW_PX = (1024, 768)
STEP_PX = 2  # every second pixel each way
BAND_KM = 2.0
FOCAL = (129.0, 41.3, 133.5, 44.0)


def _reference(path: Path | None):
    import shapely

    if path is not None:
        return shapely.from_wkb(path.read_bytes())
    from roaring_landmask import LandmaskProvider, RoaringLandmask

    world = shapely.from_wkb(bytes(RoaringLandmask.new_with_provider(LandmaskProvider.Osm).shapes.wkb(LandmaskProvider.Osm)))
    parts = shapely.get_parts(world)
    box = (115.0, 30.0, 150.0, 56.0)
    hits = shapely.STRtree(parts).query(shapely.box(*box), predicate="intersects")
    return shapely.union_all([shapely.clip_by_rect(parts[i], *box) for i in sorted(hits)])


def _view_grid(lon: float, lat: float, z: int):
    """Pixel centres of a Web Mercator view of VIEW_PX centred on (lon, lat) at zoom z (every STEP_PX)."""
    import math

    import numpy as np

    scale = 256 * 2 ** z
    cx = (lon + 180) / 360 * scale
    cy = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale
    xs = cx + np.arange(-VIEW_PX[0] / 2, VIEW_PX[0] / 2, STEP_PX) + 0.5
    ys = cy + np.arange(-VIEW_PX[1] / 2, VIEW_PX[1] / 2, STEP_PX) + 0.5
    X, Y = np.meshgrid(xs, ys)
    lons = X / scale * 360 - 180
    lats = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * Y / scale))))
    return lons, lats


def _coastal_band(ref, lon, lat):
    """The band within BAND_KM of the reference coast near (lon, lat), as a lon/lat polygon."""
    import shapely
    from pyproj import Transformer

    from geo.routing import REGION_CRS

    fwd = Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)
    inv = Transformer.from_crs(REGION_CRS, "EPSG:4326", always_xy=True)
    import numpy as np

    box = shapely.box(lon - 1.0, lat - 0.6, lon + 1.0, lat + 0.6)
    coast = shapely.intersection(shapely.boundary(shapely.clip_by_rect(ref, *box.buffer(0.2).bounds)), box)
    m = shapely.transform(coast, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    band = m.buffer(BAND_KM * 1000)
    return shapely.transform(band, lambda xy: np.column_stack(inv.transform(xy[:, 0], xy[:, 1])))


def coastal_band_share(ref) -> dict:
    import numpy as np
    import shapely

    from layers.basemap import basemap_layers

    fc = basemap_layers()
    drawn = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in fc["land"]["features"]])
    lakes = [shapely.geometry.shape(f["geometry"]) for f in fc["lakes"]["features"]]
    if lakes:
        drawn = shapely.difference(drawn, shapely.union_all(lakes))
    shapely.prepare(drawn)
    shapely.prepare(ref)
    out = {}
    for name, (lon, lat) in VIEWS.items():
        band = _coastal_band(ref, lon, lat)
        shapely.prepare(band)
        for z in ZOOMS:
            lons, lats = _view_grid(lon, lat, z)
            inb = shapely.contains_xy(band, lons, lats)
            a = shapely.contains_xy(drawn, lons[inb], lats[inb])
            b = shapely.contains_xy(ref, lons[inb], lats[inb])
            out[f"{name} z{z}"] = float(np.mean(a == b))
    return out


def route_figures(ref, track_path: Path | None) -> dict:
    import shapely

    from geo.atlas import atlas_data
    from geo.gazetteer import get_gazetteer
    from geo.routing import densify, geodesic_km, to_region

    data = atlas_data()
    routes = data.routes.routes.set_index("id")
    segs = data.routes.segments
    out: dict = {}
    ts = routes.loc["trans-siberian-railway-east"].geometry
    out["trans-siberian km"] = round(float(routes.loc["trans-siberian-railway-east"].length_km), 1)
    if track_path is not None:
        fc = json.loads(track_path.read_text(encoding="utf-8"))
        track = shapely.LineString([c[:2] for c in fc["features"][0]["geometry"]["coordinates"]])
        track = shapely.clip_by_rect(track, 130.5, 42.5, 136.0, 49.0)
        drawn = to_region(ts)
        out["trans-siberian within 2 km of the track"] = round(drawn.intersection(to_region(track).buffer(2000)).length / drawn.length, 4)
    out["khasan-rajin km"] = round(float(routes.loc["khasan-rajin-railway"].length_km), 1)
    gz = get_gazetteer()
    from geo.catalogue import load_catalogue

    declared = {(r.id, n): list(seg.crosses_water) for r in load_catalogue().routes for n, seg in enumerate(r.segments, 1)}
    shapely.prepare(ref)
    at_sea, on_land = {}, {}
    for _, s in segs.iterrows():
        line = s.geometry
        if s.medium == "land":
            water = [shapely.LineString(densify([(gz.place(a)["lon"], gz.place(a)["lat"]), (gz.place(b)["lon"], gz.place(b)["lat"])]))
                     for a, b in declared[(s.route_id, int(s.seq))]]
            off = shapely.difference(line, ref)
            if water:
                off = shapely.difference(off, shapely.union_all(water).buffer(0.01))
            at_sea[s.route_id] = at_sea.get(s.route_id, 0.0) + geodesic_km(off)
        elif s.medium == "sea":
            ends = shapely.union_all([shapely.Point(line.coords[0]).buffer(0.025), shapely.Point(line.coords[-1]).buffer(0.025)])
            on = shapely.difference(shapely.intersection(line, ref), ends)
            on_land[s.route_id] = on_land.get(s.route_id, 0.0) + geodesic_km(on)
    out["land corridors at sea, km"] = {k: round(v, 1) for k, v in sorted(at_sea.items()) if v >= 0.05}
    out["sea routes on land (beyond 2 km of their ports), km"] = {k: round(v, 1) for k, v in sorted(on_land.items()) if v >= 0.05}
    return out


def measure_here(args) -> dict:
    ref = _reference(args.reference)
    return {"coastal band": coastal_band_share(ref), **route_figures(ref, args.track)}


#: The views timed: the first view (the regional one, fitting the corridors) and Rajin at zoom 11.
DRAW_VIEWS = {"first view": "", "Rajin z11": "#map=11/42.24/130.30"}


def build(tree: Path, out: Path) -> None:
    """Build the map with ``tree``'s code (its caches warmed by the measures above)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-m", "layers.cli", "build", "--out", str(out)], check=True, capture_output=True, env=env, cwd=tree)


def draw(maps: dict[str, Path], runs: int) -> dict[str, dict]:
    """Each map's size and the median time headless Chromium takes to draw it, the maps taking turns
    (this shared machine's speed drifts within minutes)."""
    from playwright.sync_api import sync_playwright

    times: dict[str, dict[str, list[float]]] = {k: {v: [] for v in DRAW_VIEWS} for k in maps}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            for view, hash_ in DRAW_VIEWS.items():
                for key, path in maps.items():
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(path.as_uri() + hash_)
                    page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=60000)
                    times[key][view].append(page.evaluate("new Promise(r => requestAnimationFrame(() => r(performance.now())))") / 1000)
                    page.close()
        browser.close()
    return {k: {"html bytes": maps[k].stat().st_size,
                **{f"drawn in Chromium, {v}, s (median of {runs})": round(statistics.median(t), 3) for v, t in times[k].items()}}
            for k in maps}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, help="OpenStreetMap's land as WKB (else made with roaring-landmask)")
    ap.add_argument("--track", type=Path, help="trolleway's Ekateriburg-Vladivostok.geojson at commit 1310ba5")
    ap.add_argument("--tree", type=Path, action="append", default=[], help="another checkout to measure beside this one")
    ap.add_argument("--draw", action="store_true", help="also build each tree's map and time its drawing in Chromium")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--here", action="store_true", help=argparse.SUPPRESS)  # measure the tree on PYTHONPATH, print JSON
    a = ap.parse_args(argv)
    if a.here:
        print(json.dumps(measure_here(a)))
        return
    results = {}
    for tree in [ROOT, *a.tree]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--here"]
        cmd += ["--reference", str(a.reference.resolve())] if a.reference else []
        cmd += ["--track", str(a.track.resolve())] if a.track else []
        env = {**os.environ, "PYTHONPATH": str(tree)}  # (the user cache is keyed by each tree's code and data)
        results[str(tree)] = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=tree).stdout)
    if a.draw:
        with tempfile.TemporaryDirectory() as d:
            maps = {}
            for n, tree in enumerate([ROOT, *a.tree]):
                maps[str(tree)] = Path(d) / f"map{n}.html"
                build(tree, maps[str(tree)])
            for key, res in draw(maps, a.runs).items():
                results[key].update(res)
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
