"""Make ``railways.geojson``: the railway line data the routes are drawn along (``along: osm-railways``).

Run by hand (never at install or test time); see README.md beside this script for the sources and
their licences. It needs two inputs fetched beforehand:

* ``--trolleway GITDIR``: a clone (bare is fine) of github.com/trolleway/russian-railways-simplegeodata
  (OpenStreetMap-derived traces, ODbL), whose history holds the files read here at the commits named
  in :data:`TROLLEWAY`;
* ``--scgraph DIR``: the unpacked wheel of scgraph-data 2.0.0 (``pip download scgraph-data==2.0.0
  --no-deps``, then unzip; MIT, its railway graph derived from OpenStreetMap). Its module imports
  ``scgraph.core.GeoGraph``; a stand-in is given here, so scgraph itself need not be installed.

    python geo/data/osm/make_railways.py --trolleway /path/to/repo.git --scgraph /path/to/unzipped-wheel

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import types
from pathlib import Path

import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
HERE = Path(__file__).resolve().parent

#: (name, commit, path) of each trace read from trolleway/russian-railways-simplegeodata.
TROLLEWAY = {
    "mainline": ("1310ba5f715ccdeeb2eb2b1bc1350f5015a7636d", "rzd/mainlines/Ekateriburg-Vladivostok.geojson"),
    "khasan": ("33ebb78ec3a0aadb9d3b92fa85676debd0194e0c", "rzd/secondary/Hasan.geojson"),
}
#: The Trans-Siberian is kept from where it comes within this many km of Khabarovsk (the town's point).
KHABAROVSK = (135.0838, 48.4827)
MAINLINE_FROM_KM = 25.0
#: Douglas-Peucker tolerance for the Russian traces (degrees; about 30 m, a pixel at zoom 12): their length is kept to 0.2 %.
TRACE_TOLERANCE = 0.0003
#: The Korean lines: scgraph-data's railway edges whose both ends lie in North or South Korea.
KOREA_BBOX = (124.0, 33.0, 131.0, 43.1)
#: The Khasan trace ends on the Tumen bridge; it is joined to the scgraph vertex this near its end (km).
JOIN_KM = 1.0
DECIMALS = 5
#: The Friendship Bridge over the Tumen (where the Khasan trace ends): Natural Earth's 1:50m border
#: lies some 2.5 km off it, so the scgraph vertex on the bridge is kept by its distance from here.
TUMEN_BRIDGE = (130.6413, 42.4152)


def _km(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def _git_json(gitdir: Path, commit: str, path: str) -> dict:
    out = subprocess.run(["git", f"--git-dir={gitdir}", "show", f"{commit}:{path}"], check=True, capture_output=True)
    return json.loads(out.stdout)


def _trace(gitdir: Path, name: str) -> list[tuple[float, float]]:
    commit, path = TROLLEWAY[name]
    (feature,) = _git_json(gitdir, commit, path)["features"]
    return [(float(c[0]), float(c[1])) for c in feature["geometry"]["coordinates"]]


def _simplify(coords):
    line = shapely.LineString(coords).simplify(TRACE_TOLERANCE, preserve_topology=False)
    out = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in line.coords]
    return [c for i, c in enumerate(out) if i == 0 or c != out[i - 1]]


def _scgraph(wheel: Path):
    core = types.ModuleType("scgraph.core")
    core.GeoGraph = lambda graph, nodes: (graph, nodes)
    sys.modules.setdefault("scgraph", types.ModuleType("scgraph"))
    sys.modules["scgraph.core"] = core
    sys.path.insert(0, str(wheel))
    from scgraph_data.world_railways import world_railways_geograph

    return world_railways_geograph


def _korea():
    sys.path.insert(0, str(HERE.parents[2]))
    from geo.naturalearth import country_outline

    return shapely.union_all([country_outline("KP"), country_outline("KR")]).buffer(0.02)


def korean_lines(wheel: Path) -> list[list[tuple[float, float]]]:
    """scgraph-data's railways in the Koreas as polylines: chains of degree-2 vertices joined, lines
    meeting at junctions (vertices shared), ordered for a stable output."""
    graph, nodes = _scgraph(wheel)
    korea = _korea()
    shapely.prepare(korea)
    x0, y0, x1, y1 = KOREA_BBOX
    keep = {i for i, (la, lo) in enumerate(nodes)
            if x0 <= lo <= x1 and y0 <= la <= y1
            and (korea.contains(shapely.Point(lo, la)) or _km((lo, la), TUMEN_BRIDGE) <= JOIN_KM)}
    pos = {i: (round(nodes[i][1], 3), round(nodes[i][0], 3)) for i in keep}
    adj: dict[tuple, set] = {}
    for i in sorted(keep):
        for j in graph[i]:
            if j != i and j in keep and pos[i] != pos[j]:
                adj.setdefault(pos[i], set()).add(pos[j])
                adj.setdefault(pos[j], set()).add(pos[i])
    seen: set[frozenset] = set()
    lines = []
    for v in sorted(adj):
        if len(adj[v]) == 2:
            continue
        for w in sorted(adj[v]):
            if frozenset((v, w)) in seen:
                continue
            chain = [v, w]
            seen.add(frozenset((v, w)))
            while len(adj[chain[-1]]) == 2:
                nxt = next(u for u in sorted(adj[chain[-1]]) if u != chain[-2])
                if frozenset((chain[-1], nxt)) in seen:
                    break
                seen.add(frozenset((chain[-1], nxt)))
                chain.append(nxt)
            lines.append(chain)
    for v in sorted(adj):  # loops with no junction
        for w in sorted(adj[v]):
            if frozenset((v, w)) not in seen:
                chain = [v, w]
                seen.add(frozenset((v, w)))
                while True:
                    nxt = next((u for u in sorted(adj[chain[-1]]) if frozenset((chain[-1], u)) not in seen), None)
                    if nxt is None:
                        break
                    seen.add(frozenset((chain[-1], nxt)))
                    chain.append(nxt)
                lines.append(chain)
    return sorted(lines)


def _join_at(line: list, p: tuple[float, float]) -> list:
    """``line`` with ``p`` inserted as a vertex where it lies nearest (so that another line may end there)."""
    ls = shapely.LineString(line)
    d = ls.project(shapely.Point(p))
    dists = [ls.project(shapely.Point(c)) for c in line]
    i = next(k for k, dk in enumerate(dists) if dk >= d)
    return line if line[i] == p else [*line[:i], p, *line[i:]]


def build(trolleway: Path, wheel: Path) -> dict:
    main = _trace(trolleway, "mainline")
    start = next(i for i, c in enumerate(main) if _km(c, KHABAROVSK) <= MAINLINE_FROM_KM)
    main = _simplify(main[start:])
    khasan = _simplify(_trace(trolleway, "khasan"))
    # the Khasan branch leaves the main line at Baranovsky: its first point becomes a vertex of both
    ls = shapely.LineString(main)
    snap = ls.interpolate(ls.project(shapely.Point(khasan[0])))
    junction = (round(snap.x, DECIMALS), round(snap.y, DECIMALS))
    assert _km(junction, khasan[0]) < 0.5, f"the Khasan trace starts {_km(junction, khasan[0]):.2f} km from the main line"
    main = _join_at(main, junction)
    khasan = [junction, *khasan[1:]] if _km(junction, khasan[0]) < 0.05 else [junction, *khasan]
    korea = korean_lines(wheel)
    # the Khasan trace ends on the Tumen bridge; the Korean lines go on from the scgraph vertex there
    ends = sorted({c for ln in korea for c in (ln[0], ln[-1])} | {c for ln in korea for c in ln}, key=lambda c: _km(c, khasan[-1]))
    assert _km(ends[0], khasan[-1]) <= JOIN_KM, f"no Korean vertex within {JOIN_KM} km of the Tumen bridge"
    khasan.append(ends[0])
    feats = [
        {"source": "trolleway", "name": "Trans-Siberian Railway, Khabarovsk–Vladivostok", "coords": main},
        {"source": "trolleway", "name": "Baranovsky–Khasan–Tumen bridge", "coords": khasan},
    ]
    feats += [{"source": "scgraph", "name": "", "coords": ln} for ln in korea]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"source": f["source"], "name": f["name"]},
         "geometry": {"type": "LineString", "coordinates": [list(c) for c in f["coords"]]}} for f in feats]}


def write(fc: dict, path: Path) -> None:
    lines = ['{"type": "FeatureCollection", "features": [']
    lines.append(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]))
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trolleway", type=Path, required=True, help="git dir of trolleway/russian-railways-simplegeodata")
    ap.add_argument("--scgraph", type=Path, required=True, help="unpacked scgraph-data 2.0.0 wheel")
    ap.add_argument("--out", type=Path, default=HERE / "railways.geojson")
    a = ap.parse_args(argv)
    fc = build(a.trolleway, a.scgraph)
    write(fc, a.out)
    n = sum(len(f["geometry"]["coordinates"]) for f in fc["features"])
    print(f"{a.out}: {len(fc['features'])} lines, {n} vertices, {a.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
