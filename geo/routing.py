"""Routing: each segment's course on real geography.

Lines follow the earth (geodesic densification), keep to land or sea as their kind requires
(Natural Earth land; a grid search around obstacles), and carry a vertex wherever they cross a
border. Leg courses are cached on disk (they recur across routes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
from pyproj import Geod

GEOD = Geod(ellps="WGS84")

#: Densify so that no stretch of a line is longer than this (km).
DENSIFY_KM = 10.0
#: How much of a land segment may lie off Natural Earth's land (bridges, estuaries, generalised coasts).
LAND_TOLERANCE_KM = 3.0
#: A sea route may touch land only this close to its ends (the ports it leaves and reaches).
PORT_APPROACH_KM = 12.0
#: ... and at least this close (a town's point to its quays), however near the water it lies.
PORT_QUAY_KM = 2.0
#: A segment drawn ``along`` line data: each waypoint (a town the line passes) lies within this of it.
ALONG_SNAP_KM = 6.0
#: The line data a segment may be drawn along (``Segment.along``): (folder under geo/data, file name
#: without ``.geojson``) of the package data holding it.
ALONG_LAYERS = {"natural-earth-roads": ("naturalearth", "region_roads_ru_10m"), "osm-railways": ("osm", "railways")}
#: Where each line data set is shipped, as an error about a town far from it says.
ALONG_COVERAGE = {
    "natural-earth-roads": "Natural Earth's roads are shipped for the Russian Far East only",
    "osm-railways": "the railway data covers the Trans-Siberian from Khabarovsk to Vladivostok, the line from "
                    "Baranovsky to Khasan and the Tumen bridge, and the Koreas (geo/data/osm/README.md)",
}
#: A railway segment drawn ``along`` rail data: at least this share of its drawn length lies within
#: :data:`ON_LINE_KM` of the data (``check`` fails it otherwise).
ON_LINE_SHARE = 0.95
ON_LINE_KM = 1.0


@lru_cache(maxsize=None)
def along_lines(along: str) -> tuple[shapely.Geometry, ...]:
    """The lines of the line data ``along`` (:data:`ALONG_LAYERS`), as shipped."""
    folder, name = ALONG_LAYERS[along]
    if folder == "naturalearth":
        from geo.naturalearth import read_layer

        return tuple(read_layer(name).geometry.values)
    from geo.osm import read_lines

    return read_lines(name)


def on_line_share(line: shapely.Geometry, along: str, *, within_km: float = ON_LINE_KM) -> float:
    """The share of ``line``'s length that lies within ``within_km`` of the line data ``along``."""
    x0, y0, x1, y1 = line.bounds
    near = [g for g in along_lines(along) if g.intersects(shapely.box(x0 - 0.1, y0 - 0.1, x1 + 0.1, y1 + 0.1))]
    total = geodesic_km(line)
    if not near or total == 0:
        return 0.0
    band = shapely.union_all([to_region(g) for g in near]).buffer(within_km * 1000.0)
    return to_region(line).intersection(band).length / to_region(line).length


def densify(points: Sequence[tuple[float, float]], *, step_km: float = DENSIFY_KM) -> list[tuple[float, float]]:
    """Geodesic densification of a polyline of (lon, lat): great-circle arcs, vertex every ``step_km``."""
    out: list[tuple[float, float]] = [points[0]]
    for (lo1, la1), (lo2, la2) in zip(points[:-1], points[1:]):
        _, _, dist = GEOD.inv(lo1, la1, lo2, la2)
        n = int(dist / 1000.0 // step_km)
        if n > 0:
            out.extend((round(x, 5), round(y, 5)) for x, y in GEOD.npts(lo1, la1, lo2, la2, n))
        out.append((lo2, la2))
    return out


#: An azimuthal equidistant projection centred on the region: distances (km) near the corridors.
REGION_CRS = "+proj=aeqd +lat_0=43 +lon_0=132 +datum=WGS84 +units=m +no_defs"


@lru_cache(maxsize=1)
def _to_region():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", REGION_CRS, always_xy=True)


def to_region(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` (lon/lat) in :data:`REGION_CRS` metres."""
    import numpy as np

    t = _to_region()
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def geodesic_km(geom: shapely.Geometry) -> float:
    if geom is None or geom.is_empty:
        return 0.0
    return abs(GEOD.geometry_length(geom)) / 1000.0


@lru_cache(maxsize=1)
def _borders() -> tuple[shapely.Geometry, gpd.GeoDataFrame]:
    from geo.naturalearth import REGION_BBOX, read_layer

    region = read_layer("region_admin0_boundary_lines_10m")
    world = read_layer("world_admin0_boundary_lines_50m")
    box = shapely.box(*REGION_BBOX)
    world_out = world[~world.geometry.within(box)].copy()
    world_out["geometry"] = world_out.geometry.difference(box)
    allb = pd.concat([region, world_out], ignore_index=True)
    geom = shapely.union_all(allb.geometry.values)
    shapely.prepare(geom)
    return geom, region


def border_crossings(line: shapely.LineString) -> list[shapely.Point]:
    """Points where ``line`` crosses a land border, in order along the line."""
    borders, _ = _borders()
    inter = shapely.intersection(line, borders)
    parts = [g for g in shapely.get_parts(inter) if not g.is_empty]
    pts = [g for g in parts if g.geom_type == "Point"]
    pts += [shapely.Point(g.coords[0]) for g in parts if g.geom_type == "LineString"]
    return sorted(pts, key=line.project)


def insert_vertices(line: shapely.LineString, pts: Sequence[shapely.Point]) -> shapely.LineString:
    """``line`` with each of ``pts`` (lying on it) added as a vertex at its place."""
    coords = list(line.coords)
    dists = [line.project(shapely.Point(c)) for c in coords]
    for p in pts:
        d = line.project(p)
        i = next((k for k, dk in enumerate(dists) if dk >= d), len(coords))
        c = (round(p.x, 5), round(p.y, 5))
        if i < len(coords) and abs(dists[i] - d) < 1e-9:
            continue
        coords.insert(i, c)
        dists.insert(i, d)
    return shapely.LineString(coords)


def _off_land_km(line: shapely.LineString, land: shapely.Geometry) -> float:
    if shapely.contains(land, line):  # the usual case, answered by the prepared land's index
        return 0.0
    # the land near the line only: an overlay with the whole region's land costs a hundred times more
    x0, y0, x1, y1 = line.bounds
    near = shapely.clip_by_rect(land, x0 - 0.1, y0 - 0.1, x1 + 0.1, y1 + 0.1)
    return geodesic_km(shapely.difference(line, near))


def _on_land_km(line: shapely.LineString, land: shapely.Geometry, ends: Sequence[shapely.Point]) -> float:
    x0, y0, x1, y1 = line.bounds  # the land near the line only, as in _off_land_km
    onland = shapely.intersection(line, shapely.clip_by_rect(land, x0 - 0.1, y0 - 0.1, x1 + 0.1, y1 + 0.1))
    if onland.is_empty:
        return 0.0
    # land within the port approach at either end does not count
    approach = _approaches([(p.x, p.y) for p in ends], land)
    return geodesic_km(shapely.difference(onland, approach))


def grid_path(
    a: tuple[float, float], b: tuple[float, float], blocked: shapely.Geometry, *, allowed: shapely.Geometry | None = None,
    res: float = 0.01, pad: float = 0.4, what: str = "water",
) -> list[tuple[float, float]]:
    """A course from ``a`` to ``b`` avoiding ``blocked`` (and staying in ``allowed``): A* on a ``res``-degree grid.

    The ends may lie outside the passable cells (a port on land); the course starts and ends at
    the passable cells nearest them. Raises ValueError when no path exists within the padded box.
    """
    import heapq

    import numpy as np

    x0, x1 = min(a[0], b[0]) - pad, max(a[0], b[0]) + pad
    y0, y1 = min(a[1], b[1]) - pad, max(a[1], b[1]) + pad
    xs = np.arange(x0, x1 + res / 2, res)
    ys = np.arange(y0, y1 + res / 2, res)
    XX, YY = np.meshgrid(xs, ys)
    water = ~shapely.contains_xy(blocked, XX, YY)
    if allowed is not None:
        water &= shapely.contains_xy(allowed, XX, YY)
    ny, nx = water.shape
    kx = math.cos(math.radians((y0 + y1) / 2))

    def nearest_water(p):
        iy, ix = np.nonzero(water)
        if len(iy) == 0:
            raise ValueError(f"no {what} near the route")
        d = ((xs[ix] - p[0]) * kx) ** 2 + (ys[iy] - p[1]) ** 2
        j = int(np.argmin(d))
        return int(iy[j]), int(ix[j])

    start, goal = nearest_water(a), nearest_water(b)
    steps = [(dy, dx, math.hypot(dx * kx, dy)) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]
    best = {start: 0.0}
    prev: dict[tuple[int, int], tuple[int, int]] = {}
    heap = [(0.0, 0.0, start)]
    while heap:
        _, g, cur = heapq.heappop(heap)
        if cur == goal:
            break
        if g > best.get(cur, math.inf):
            continue
        cy, cx = cur
        for dy, dx, w in steps:
            ny_, nx_ = cy + dy, cx + dx
            if 0 <= ny_ < ny and 0 <= nx_ < nx and water[ny_, nx_]:
                ng = g + w
                if ng < best.get((ny_, nx_), math.inf):
                    best[(ny_, nx_)] = ng
                    prev[(ny_, nx_)] = cur
                    h = math.hypot((goal[1] - nx_) * kx, goal[0] - ny_)
                    heapq.heappush(heap, (ng + h, ng, (ny_, nx_)))
    else:
        raise ValueError(f"no path through {what} between {a} and {b}")
    cells = [goal]
    while cells[-1] != start:
        cells.append(prev[cells[-1]])
    cells.reverse()
    pts = [(float(xs[c[1]]), float(ys[c[0]])) for c in cells]
    if len(pts) > 2:
        pts = _string_pull(pts, blocked, allowed)
    return [(round(x, 4), round(y, 4)) for x, y in pts]


#: A sea lane keeps this far off the coast (degrees of latitude; about 4 km), except near its ports.
SEA_MARGIN_DEG = 0.035
#: Rounds of corner cutting that turn a lane's straight legs into a smooth course.
SMOOTHING_ROUNDS = 3


def _string_pull(
    pts: list[tuple[float, float]], blocked: shapely.Geometry, allowed: shapely.Geometry | None = None
) -> list[tuple[float, float]]:
    """The fewest of ``pts`` such that each straight stretch between them stays clear of ``blocked``
    (and inside ``allowed``): any-angle, without the grid's staircase of meridians and diagonals."""
    shapely.prepare(blocked)
    if allowed is not None:
        shapely.prepare(allowed)

    def clear(a, b) -> bool:
        seg = shapely.LineString([a, b])
        return not blocked.intersects(seg) and (allowed is None or allowed.covers(seg))

    out = [pts[0]]
    i = 0
    while i < len(pts) - 1:
        j = len(pts) - 1
        while j > i + 1 and not clear(pts[i], pts[j]):
            j -= 1
        out.append(pts[j])
        i = j
    return out


def chaikin(pts: Sequence[tuple[float, float]], rounds: int = SMOOTHING_ROUNDS) -> list[tuple[float, float]]:
    """Chaikin's corner cutting: ends kept, each corner replaced by two points a quarter in."""
    out = list(pts)
    for _ in range(rounds):
        if len(out) < 3:
            break
        nxt = [out[0]]
        for (x0, y0), (x1, y1) in zip(out[:-1], out[1:]):
            nxt.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
            nxt.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
        nxt.append(out[-1])
        out = nxt
    return out


def port_approach(p: tuple[float, float], land: shapely.Geometry) -> shapely.Geometry | None:
    """Where a sea course may cross land to reach ``p``: nowhere for a point at sea (a harbour mouth);
    for a port's point on land (a town's centre), the circle that reaches from it to the nearest water and
    300 m beyond, and at least :data:`PORT_QUAY_KM` (the quays and docks about it; at most :data:`PORT_APPROACH_KM`)."""
    pt = shapely.Point(p)
    if not land.contains(pt):
        return None
    near = shapely.clip_by_rect(land, p[0] - 0.2, p[1] - 0.2, p[0] + 0.2, p[1] + 0.2)
    return pt.buffer(min(max(pt.distance(near.boundary) + 0.003, PORT_QUAY_KM / 111.0), PORT_APPROACH_KM / 111.0))


def _approaches(pts: Sequence[tuple[float, float]], land: shapely.Geometry) -> shapely.Geometry:
    areas = [g for g in (port_approach(p, land) for p in pts) if g is not None]
    return shapely.union_all(areas) if areas else shapely.Polygon()


def _sea_lane(a: tuple[float, float], b: tuple[float, float], land: shapely.Geometry) -> list[tuple[float, float]]:
    """A sea lane from ``a`` to ``b``: clear of the coast by :data:`SEA_MARGIN_DEG` away from its
    ends, any-angle (the fewest straight stretches), and off land everywhere but in a port's own
    approach (:func:`port_approach`): it leaves a port by its harbour, not over a headland.
    :func:`smooth_lane` rounds its corners."""
    ports = shapely.union_all([shapely.Point(a).buffer(PORT_APPROACH_KM / 111.0), shapely.Point(b).buffer(PORT_APPROACH_KM / 111.0)])
    box = shapely.box(min(a[0], b[0]) - 1.0, min(a[1], b[1]) - 1.0, max(a[0], b[0]) + 1.0, max(a[1], b[1]) + 1.0)
    near = shapely.intersection(land, box)
    margin = shapely.difference(near.buffer(SEA_MARGIN_DEG), ports)
    hard = shapely.difference(near, _approaches([a, b], land))
    blocked = shapely.union(margin, hard)
    if not _crosses(blocked, a, b):
        return [a, b]
    # a cell is passable when no land lies within three quarters of a cell of it, so that no step between
    # two passable cells crosses land (a spit, a breakwater) that lies between their centres
    grid_blocked = shapely.union(margin, hard.buffer(0.75 * LANE_GRID_DEG))
    # the one body of water that comes nearest both ends (not a dock basin or a lagoon cut off at this grid)
    x0, y0, x1, y1 = min(a[0], b[0]) - 0.8, min(a[1], b[1]) - 0.8, max(a[0], b[0]) + 0.8, max(a[1], b[1]) + 0.8
    bodies = [g for g in shapely.get_parts(shapely.difference(shapely.box(x0, y0, x1, y1), grid_blocked)) if g.area > 0]
    body = min(bodies, key=lambda g: g.distance(shapely.Point(a)) + g.distance(shapely.Point(b))) if bodies else None
    grid = grid_path(a, b, grid_blocked, allowed=body, res=LANE_GRID_DEG, pad=0.8, what="water")
    return _string_pull([a, *grid, b], blocked)


#: The grid a sea lane is searched on (degrees; about 500 m): fine enough for a harbour's entrance.
LANE_GRID_DEG = 0.005


def smooth_lane(pts: Sequence[tuple[float, float]], land: shapely.Geometry) -> list[tuple[float, float]]:
    """A sea course's corners rounded (Chaikin), as much as keeps it off land beyond its two ports' approaches."""
    a, b = pts[0], pts[-1]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    box = shapely.box(min(xs) - 0.5, min(ys) - 0.5, max(xs) + 0.5, max(ys) + 0.5)
    hard = shapely.difference(shapely.intersection(land, box), _approaches([a, b], land))
    smooth = chaikin(pts)
    if _crosses(hard, *smooth):  # round each corner that can be rounded off land; keep the others
        smooth = _chaikin_clear(pts, hard)
    return [(round(x, 5), round(y, 5)) for x, y in smooth]


def _chaikin_clear(pts: Sequence[tuple[float, float]], hard: shapely.Geometry, rounds: int = SMOOTHING_ROUNDS) -> list[tuple[float, float]]:
    """Chaikin's corner cutting corner by corner: a corner whose cut would cross ``hard`` is kept."""
    shapely.prepare(hard)
    out = list(pts)
    for _ in range(rounds):
        nxt = [out[0]]
        for p, q, r in zip(out[:-2], out[1:-1], out[2:]):
            a = (0.25 * p[0] + 0.75 * q[0], 0.25 * p[1] + 0.75 * q[1])
            b = (0.75 * q[0] + 0.25 * r[0], 0.75 * q[1] + 0.25 * r[1])
            nxt.extend([a, q, b] if _crosses(hard, a, b) else [a, b])
        nxt.append(out[-1])
        out = _no_repeats(nxt)
    return out


def _crosses(blocked: shapely.Geometry, *pts: tuple[float, float]) -> bool:
    return bool(blocked.intersects(shapely.LineString(densify(list(pts), step_km=2.0))))


def _sea_course(points: Sequence[tuple[float, float]], land: shapely.Geometry) -> list[tuple[float, float]]:
    """Waypoints joined by sea lanes (see :func:`_sea_lane`), corners not yet rounded."""
    out: list[tuple[float, float]] = [points[0]]
    for a, b in zip(points[:-1], points[1:]):
        out.extend(_sea_lane(a, b, land)[1:])
    return out


@lru_cache(maxsize=None)
def _country_shape(cc: str) -> shapely.Geometry | None:
    """A country's outline with a little slack (3 km or so) for a course along its border."""
    from geo.naturalearth import country_outline

    outline = country_outline(cc)
    return outline.buffer(0.03) if outline is not None else None


def _countries_at(p: tuple[float, float]) -> list[str]:
    from geo.naturalearth import iso_codes, read_layer

    ne = read_layer("world_countries_50m")
    hit = ne[ne.geometry.intersects(shapely.Point(p).buffer(0.05))]
    iso2 = iso_codes()[1]
    return sorted({iso2.get(x) for x in hit["adm0_a3"]} - {None})


def _land_course(points: Sequence[tuple[float, float]], land: shapely.Geometry) -> list[tuple[float, float]]:
    """An inferred land course: straight legs where they stay ashore and in the countries of their
    ends; otherwise the shortest way over land within those countries (grid A*)."""
    out: list[tuple[float, float]] = [points[0]]
    for a, b in zip(points[:-1], points[1:]):
        leg = shapely.LineString(densify([a, b], step_km=2.0))
        ccs = sorted(set(_countries_at(a)) | set(_countries_at(b)))
        shapes = [g for g in (_country_shape(c) for c in ccs) if g is not None]
        allowed = shapely.union_all(shapes) if shapes else None
        off = geodesic_km(shapely.difference(leg, land))
        outside = geodesic_km(shapely.difference(leg, allowed)) if allowed is not None else 0.0
        if off > 0.5 or outside > 0.5:
            for pad in (0.3, 1.0):  # a wider search where the way round a bay leaves the first box
                sea = shapely.difference(shapely.box(*leg.buffer(pad + 0.2).bounds), land)
                try:
                    out.extend(grid_path(a, b, sea, allowed=allowed, res=0.01, pad=pad, what="land"))
                    break
                except ValueError:
                    if pad == 1.0:
                        raise
        out.append(b)
    return densify(out)


def _no_repeats(coords: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """``coords`` without a vertex twice in a row."""
    return [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]


class OffLineError(ValueError):
    """A waypoint of a segment drawn ``along`` line data lies too far from it (or no way joins two)."""


@lru_cache(maxsize=None)
def _line_graph(along: str) -> tuple[dict, list, "object"]:
    """The lines of the line data ``along`` as a graph: ``(adjacency, vertices, component of each)``.
    Vertices are the lines' own coordinates; lines join where they share one."""
    import numpy as np

    adj: dict[tuple[float, float], list[tuple[tuple[float, float], float]]] = {}
    for geom in along_lines(along):
        for part in getattr(geom, "geoms", [geom]):
            cs = [(float(x), float(y)) for x, y in part.coords]
            for a, b in zip(cs[:-1], cs[1:]):
                if a == b:
                    continue
                w = GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0
                adj.setdefault(a, []).append((b, w))
                adj.setdefault(b, []).append((a, w))
    vertices = sorted(adj)
    comp: dict[tuple[float, float], int] = {}
    n_comps = 0
    for v in vertices:
        if v in comp:
            continue
        comp[v], stack = n_comps, [v]
        n_comps += 1
        while stack:
            for nb, _ in adj[stack.pop()]:
                if nb not in comp:
                    comp[nb] = comp[v]
                    stack.append(nb)
    return adj, vertices, np.array([comp[v] for v in vertices])


def _shortest(adj: dict, a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """Dijkstra over the line graph from vertex ``a`` to vertex ``b`` (same component)."""
    import heapq

    dist, prev, heap = {a: 0.0}, {}, [(0.0, a)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == b:
            break
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            nd = d + w
            if nd < dist.get(v, math.inf):
                dist[v], prev[v] = nd, u
                heapq.heappush(heap, (nd, v))
    path = [b]
    while path[-1] != a:
        path.append(prev[path[-1]])
    return path[::-1]


#: Line data with known gaps (the Koreas' railways, OpenStreetMap-derived and simplified): a leg whose
#: towns no connected line joins, or whose way along the lines is more than :data:`GAP_DETOUR` times
#: the distance between them (plus :data:`GAP_DETOUR_KM`), is a gap in the data: drawn as an inferred
#: land course between the towns and said as a gap. Other line data must join every leg.
ALONG_GAPS = frozenset({"osm-railways"})
GAP_DETOUR = 1.6
GAP_DETOUR_KM = 10.0


@dataclass
class AlongCourse:
    """A course drawn on line data: its vertices and the legs (index of their first town) that are gaps in the data."""

    coords: list[tuple[float, float]]
    gaps: list[int]


def _way_km(way: Sequence[tuple[float, float]]) -> float:
    return sum(GEOD.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(way[:-1], way[1:])) / 1000.0


#: A stretch of coarse line data (:data:`ALONG_GAPS`) longer than this (km) that lies at sea for more
#: than :data:`CHORD_AT_SEA_KM` is a chord across a bay: it is redrawn over land between its ends.
CHORD_KM = 2.0
CHORD_AT_SEA_KM = 0.5


def _ashore(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``coords`` with each long stretch that cuts across the sea (coarse data's chord across a bay)
    replaced by the shortest way over land between its ends."""
    from geo.naturalearth import land

    L = land()
    out = [coords[0]]
    for a, b in zip(coords[:-1], coords[1:]):
        if GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0 > CHORD_KM and _off_land_km(shapely.LineString([a, b]), L) > CHORD_AT_SEA_KM:
            out.extend(leg_course(a, b, "land")[1:])
        else:
            out.append(b)
    return out


#: A turn sharper than this (degrees) at a vertex one of whose legs is shorter than :data:`SPIKE_KM` is a
#: spike: the way out to a town (or where two data sets join) and back; the vertex is dropped.
SPIKE_TURN = 150.0
SPIKE_KM = 1.5


def _despike(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``coords`` without spikes (see :data:`SPIKE_TURN`), ends kept."""
    out = list(coords)
    changed = True
    while changed and len(out) > 2:
        changed = False
        for i in range(1, len(out) - 1):
            p, q, r = out[i - 1], out[i], out[i + 1]
            az1, _, d1 = GEOD.inv(p[0], p[1], q[0], q[1])
            az2, _, d2 = GEOD.inv(q[0], q[1], r[0], r[1])
            turn = abs((az2 - az1 + 180.0) % 360.0 - 180.0)
            if turn > SPIKE_TURN and min(d1, d2) < SPIKE_KM * 1000.0:
                del out[i]
                changed = True
                break
    return out


def along_course(points: Sequence[tuple[float, float]], along: str, names: Sequence[str] = ()) -> list[tuple[float, float]]:
    """The course through ``points`` drawn on the line data ``along`` (see :func:`along_course_gaps`)."""
    return along_course_gaps(points, along, names).coords


def along_course_gaps(points: Sequence[tuple[float, float]], along: str, names: Sequence[str] = ()) -> AlongCourse:
    """The course through ``points`` (towns a line passes, in order) drawn on the line data ``along``
    (:data:`ALONG_LAYERS`): from the first town onto the lines, along them by the shortest way past
    each town (the vertex nearest it), and off to the last town. Where the data's lines break off at a
    town (a gap Natural Earth leaves in a city), the course passes through the town itself. In line
    data with known gaps (:data:`ALONG_GAPS`) a leg the lines do not join is drawn over land between
    its towns and returned as a gap.

    Raises :class:`OffLineError` for a town more than :data:`ALONG_SNAP_KM` from the lines (in data
    with gaps: a town on a leg that is not a gap), or when every leg is a gap."""
    import numpy as np

    adj, vertices, comps = _line_graph(along)
    xy = np.array(vertices)
    names = list(names) or [f"{p[1]:.4f},{p[0]:.4f}" for p in points]
    gappy = along in ALONG_GAPS

    def snap_km(p: tuple[float, float]) -> np.ndarray:
        return GEOD.inv(np.full(len(xy), p[0]), np.full(len(xy), p[1]), xy[:, 0], xy[:, 1])[2] / 1000.0

    dists = [snap_km(p) for p in points]
    for name, d in zip(names, dists):
        if d.min() > ALONG_SNAP_KM and not gappy:
            raise OffLineError(f"waypoint {name!r} is {d.min():.1f} km from {along} (at most {ALONG_SNAP_KM:g} km; "
                               f"{ALONG_COVERAGE[along]})")
    legs = []  # each leg's (vertex near its first town, way along the lines to the vertex near its last), or None: a gap
    for i in range(len(points) - 1):
        best = None  # the connected lines that pass nearest both towns of this leg
        near_both = np.intersect1d(comps[dists[i] <= ALONG_SNAP_KM], comps[dists[i + 1] <= ALONG_SNAP_KM])
        for c in near_both:
            ia = int(np.argmin(np.where(comps == c, dists[i], np.inf)))
            ib = int(np.argmin(np.where(comps == c, dists[i + 1], np.inf)))
            cost = dists[i][ia] + dists[i + 1][ib]
            if best is None or cost < best[0]:
                best = (cost, vertices[ia], vertices[ib])
        way = _shortest(adj, best[1], best[2]) if best is not None else None
        if gappy and way is not None:
            direct = GEOD.inv(points[i][0], points[i][1], points[i + 1][0], points[i + 1][1])[2] / 1000.0
            if _way_km(way) + best[0] > GAP_DETOUR * direct + GAP_DETOUR_KM:
                way = None
        if way is None and not gappy:
            raise OffLineError(f"no line of {along} passes within {ALONG_SNAP_KM:g} km of both {names[i]!r} and {names[i + 1]!r}")
        legs.append(None if way is None else (best[1], way))
    gaps = [i for i, leg in enumerate(legs) if leg is None]
    if len(gaps) == len(legs):
        raise OffLineError(f"no leg of this segment is on {along}: {ALONG_COVERAGE[along]}")
    out: list[tuple[float, float]] = [tuple(points[0])]
    for i, leg in enumerate(legs):
        if leg is None:  # a gap in the data: over land from where the lines leave off to where they go on
            start = out[-1] if i > 0 else tuple(points[0])
            end = legs[i + 1][0] if i + 1 < len(legs) and legs[i + 1] is not None else tuple(points[i + 1])
            out.extend(leg_course(start, end, "land")[1:])
            continue
        va, way = leg
        if out[-1] != va:
            if len(out) > 1 and out[-1] != tuple(points[i]):  # the lines broke off: through the town to where they go on
                out.append(tuple(points[i]))
            out.append(va)
        out.extend(way[1:])
    out.append(tuple(points[-1]))
    kept: list[tuple[float, float]] = []
    for c in out:  # no vertex twice in a row, and no way out to a town's nearest vertex and back
        if kept and kept[-1] == c:
            continue
        if len(kept) >= 2 and kept[-2] == c:
            kept.pop()
            continue
        kept.append(c)
    if len(kept) > 3 and not gaps:  # leave the lines where they pass nearest the first and the last town, not at a vertex beyond
        lines = shapely.LineString(kept[1:-1])
        a, b = lines.project(shapely.Point(kept[0])), lines.project(shapely.Point(kept[-1]))
        if a < b:
            cut = [(round(x, 5), round(y, 5)) for x, y in shapely.ops.substring(lines, a, b).coords]
            kept = [kept[0], *cut, kept[-1]]
        kept = _no_repeats(kept)
    if gappy:
        kept = _ashore(_despike(kept))
    drawn = to_region(shapely.LineString(kept))
    for name, p in zip(names, points):  # the drawing passes each town (not only the lines' nearest vertex)
        gap = drawn.distance(to_region(shapely.Point(p))) / 1000.0
        if gap > ALONG_SNAP_KM:
            raise OffLineError(f"{along} pass {gap:.1f} km from waypoint {name!r} (at most {ALONG_SNAP_KM:g} km): "
                               "choose the towns the line itself passes")
    return AlongCourse(densify(kept), gaps)


@dataclass
class SegmentGeometry:
    line: shapely.LineString
    length_km: float
    crossings: list[shapely.Point]
    off_medium_km: float
    #: legs (index of their first waypoint) drawn ``along`` line data that are gaps in it
    gaps: tuple[int, ...] = ()
    #: share of the drawn length on the line data (within :data:`ON_LINE_KM`), gaps left out (None without ``along``)
    on_line: float | None = None


_LEGS: dict | None = None
_LEGS_KEY = ""
_LEGS_DIRTY = False


def _legs_cache() -> dict:
    global _LEGS, _LEGS_KEY
    if _LEGS is None:
        from geo import _cache

        _LEGS_KEY = _cache.key("legs")
        _LEGS = _cache.load("legs", _LEGS_KEY) or {}
    return _LEGS


def save_leg_cache() -> None:
    """Persist newly computed leg courses (called once per catalogue build)."""
    global _LEGS_DIRTY
    if _LEGS_DIRTY and _LEGS is not None:
        from geo import _cache

        _cache.store("legs", _LEGS_KEY, _LEGS)
        _LEGS_DIRTY = False


def leg_course(a: tuple[float, float], b: tuple[float, float], medium: str) -> tuple[tuple[float, float], ...]:
    """The drawn course of one leg between two waypoints (cached on disk: legs recur across routes)."""
    global _LEGS_DIRTY
    legs = _legs_cache()
    key = (tuple(map(float, a)), tuple(map(float, b)), medium)
    if key not in legs:
        legs[key] = _compute_leg(a, b, medium)
        _LEGS_DIRTY = True
    return legs[key]


def _compute_leg(a: tuple[float, float], b: tuple[float, float], medium: str) -> tuple[tuple[float, float], ...]:
    from geo.naturalearth import land

    L = land()
    if medium == "sea":
        coords = _sea_course([a, b], L)
    elif medium == "land":
        coords = _land_course([a, b], L)
    else:
        coords = densify([a, b])
    return tuple(coords)


def segment_geometry(
    points: Sequence[tuple[float, float]], medium: str, *, countries: Sequence[str] | None = None,
    water_legs: Sequence[int] = (), along: str | None = None, names: Sequence[str] = (),
) -> SegmentGeometry:
    """Densified geometry of one segment through ``points``, with a vertex at every border crossing.

    With ``along``, the course is drawn on that line data past the points (:func:`along_course`).

    Crossings are looked for on legs whose ends lie in different ``countries`` (a leg inside one
    country that grazes a generalised border is not a crossing). The legs numbered in
    ``water_legs`` (0 is the first) cross water by declaration (a strait): they are drawn straight
    and not counted as a land segment's time at sea.
    """
    from geo.naturalearth import land

    L = land()
    if along is not None:
        course = along_course_gaps(points, along, names)
        line = shapely.LineString(course.coords)
        crossings = []
        if countries is not None and len(set(countries)) > 1:
            crossings = border_crossings(line)
            line = insert_vertices(line, crossings)
        off = _off_land_km(line, L) if medium == "land" else 0.0
        total = geodesic_km(line)
        gap_km = sum(geodesic_km(shapely.LineString(leg_course(tuple(points[i]), tuple(points[i + 1]), "land")))
                     for i in course.gaps)
        on = on_line_share(line, along) * total
        share = min(1.0, on / (total - gap_km)) if total - gap_km > 0 else 0.0
        return SegmentGeometry(line, round(total, 1), crossings, round(off, 2), tuple(course.gaps), round(share, 4))
    coords: list[tuple[float, float]] = [points[0]]
    crossings = []
    off = 0.0
    for n, (a, b) in enumerate(zip(points[:-1], points[1:])):
        leg = list(leg_course(a, b, "any" if n in water_legs else medium))
        if medium == "land" and n not in water_legs:
            off += _off_land_km(shapely.LineString(leg), L)
        ca, cb = (countries[n], countries[n + 1]) if countries is not None else ("", "")
        if countries is not None and medium != "sea" and (not ca or not cb or ca != cb):
            leg_line = shapely.LineString(leg)
            pts = border_crossings(leg_line)
            crossings.extend(pts)
            leg = list(insert_vertices(leg_line, pts).coords)
        coords.extend(leg[1:])
    if medium == "sea":  # one smooth course through the harbour mouths, then the earth's curve
        coords = densify(smooth_lane(coords, L))
    coords = _no_repeats(coords)
    line = shapely.LineString(coords)
    if medium == "land":
        pass
    elif medium == "sea":
        off = _on_land_km(line, L, [shapely.Point(points[0]), shapely.Point(points[-1])])
    else:
        off = 0.0
    return SegmentGeometry(line, round(geodesic_km(line), 1), crossings, round(off, 2))
