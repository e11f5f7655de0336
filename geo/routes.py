"""The routes catalogue: schema, verification against the articles, and geometry on real geography.

Every route is a list of segments between gazetteer places; its lines follow the earth
(geodesic densification), keep to land or sea as their kind requires (Natural Earth land), and
carry a vertex wherever they cross a border. Every quote is checked verbatim against its article.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, Sequence

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pyproj import Geod

from geo._text import load_yaml
from geo._errors import CatalogueError
from geo.corpus import Article

log = logging.getLogger(__name__)
GEOD = Geod(ellps="WGS84")

RouteKind = Literal["pipeline", "railway", "power_line", "sea_route", "road"]
Status = Literal["existing", "refurbished", "proposed", "planned", "stalled", "alternative_considered"]
Medium = Literal["land", "sea", "any"]
SiteKind = Literal["sez", "port", "air_base", "island_development", "gas_field", "border"]
ROUTE_KINDS: tuple[str, ...] = RouteKind.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
DEFAULT_MEDIUM = {"pipeline": "land", "railway": "land", "power_line": "land", "road": "land", "sea_route": "sea"}

#: Densify so that no stretch of a line is longer than this (km).
DENSIFY_KM = 10.0
#: How much of a land segment may lie off Natural Earth's land (bridges, estuaries, generalised coasts).
LAND_TOLERANCE_KM = 3.0
#: A sea route may touch land only this close to its ends (the ports it leaves and reaches).
PORT_APPROACH_KM = 12.0


class Quote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str = Field(min_length=1)
    text: str = Field(min_length=12)


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["cost", "length", "capacity", "frequency", "share", "volume"]
    value: float | None = None
    unit: str
    label: str
    quote: Quote


class Segment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: list[str] = Field(min_length=2, description="gazetteer ids, first to last")
    course: Literal["documented", "inferred"]
    why: str = Field(min_length=10)
    medium: Medium | None = None


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: RouteKind
    status: Status
    summary: str
    segments: list[Segment] = Field(min_length=1)
    figures: list[Figure] = Field(default_factory=list)
    evidence: list[Quote] = Field(min_length=1)
    related: list[str] = Field(default_factory=list)
    also_named: list[str] = Field(default_factory=list, description="gazetteer ids the route itself is known by")
    evidence_source: Literal["catalogue", "automatic"] = "catalogue"


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: SiteKind
    status: Status | Literal["under_development"]
    place: str
    summary: str
    evidence: list[Quote] = Field(min_length=1)
    figures: list[Figure] = Field(default_factory=list)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    routes: list[Route]
    sites: list[Site] = Field(default_factory=list)

    @field_validator("routes")
    @classmethod
    def _unique(cls, v: list[Route]) -> list[Route]:
        ids = [r.id for r in v]
        dups = sorted({i for i in ids if ids.count(i) > 1})
        if dups:
            raise ValueError(f"duplicate route ids: {dups}")
        return v


def catalogue_path() -> Path:
    return Path(str(resources.files("geo") / "data" / "routes.yaml"))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the catalogue's schema; raise :class:`CatalogueError` listing every problem."""
    p = Path(path) if path is not None else catalogue_path()
    try:
        data = load_yaml(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise CatalogueError([f"{p}: cannot read: {e.strerror or e}"]) from e
    except yaml.YAMLError as e:
        raise CatalogueError([f"{p}: not valid YAML: {e}"]) from e
    try:
        return Catalogue.model_validate(data)
    except ValidationError as e:
        probs = []
        for er in e.errors():
            loc = er["loc"]
            where = ".".join(map(str, loc))
            if len(loc) >= 2 and loc[0] in ("routes", "sites") and isinstance(data, dict):
                try:
                    where = f"{loc[0][:-1]} {data[loc[0]][loc[1]].get('id', loc[1])!r}: " + ".".join(map(str, loc[2:]))
                except (KeyError, IndexError, TypeError, AttributeError):
                    pass
            probs.append(f"{p}: {where}: {er['msg']}")
        raise CatalogueError(probs) from e


# ------------------------------------------------------------------ verification


def _ws(s: str) -> str:
    return " ".join(s.split())


def find_quote(article: Article, quote: str) -> tuple[int, int] | None:
    """Offsets of ``quote`` in the article's text, matching runs of whitespace loosely; else None."""
    words = quote.split()
    if not words:
        return None
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = rx.search(article.text)
    return (m.start(), m.end()) if m else None


def closest_passage(article: Article, quote: str) -> str:
    """The sentence of ``article`` most like ``quote`` (for error messages)."""
    target = _ws(quote)
    qwords = set(re.findall(r"\w+", target.lower()))
    sents = [_ws(article.text[s:e]) for s, e in article.sentences]
    if not sents:
        return ""
    # shortlist by shared words, then the closest by edit similarity
    shortlist = sorted(sents, key=lambda t: -len(qwords & set(re.findall(r"\w+", t.lower()))))[:5]
    return max(shortlist, key=lambda t: difflib.SequenceMatcher(None, target, t, autojunk=False).ratio())


def verify_catalogue(cat: Catalogue, articles: Sequence[Article], *, gazetteer=None, source: str = "routes.yaml") -> list[str]:
    """Every problem with ``cat`` against the articles and the gazetteer (empty list: all good)."""
    from geo.gazetteer import get_gazetteer

    gz = gazetteer or get_gazetteer()
    by_id = {a.id: a for a in articles}
    probs: list[str] = []

    def check_quote(owner: str, q: Quote) -> None:
        art = by_id.get(q.article)
        if art is None:
            probs.append(f"{owner}: quote cites unknown article {q.article!r} (known: {', '.join(sorted(by_id))})")
            return
        if find_quote(art, q.text) is None:
            probs.append(
                f"{owner}: quote not found verbatim in article {q.article!r} ({art.path}).\n"
                f"      quoted:  {_ws(q.text)!r}\n      closest: {closest_passage(art, q.text)!r}"
            )

    def check_evidence(owner: str, item: Route | Site) -> None:
        for q in item.evidence:
            check_quote(owner, q)
        for f in item.figures:
            check_quote(f"{owner} (figure {f.label!r})", f.quote)

    for r in cat.routes:
        owner = f"{source}: route {r.id!r}"
        check_evidence(owner, r)
        for n, seg in enumerate(r.segments, 1):
            for pid in seg.path:
                if pid not in gz:
                    hint = gz.lookup(pid.replace("-", " "))
                    probs.append(f"{owner}: segment {n}: waypoint {pid!r} is not in the gazetteer" + (f" (did you mean {hint[0]!r}?)" if hint else ""))
        for n in range(1, len(r.segments)):
            if r.segments[n - 1].path[-1] != r.segments[n].path[0]:
                probs.append(f"{owner}: segment {n + 1} starts at {r.segments[n].path[0]!r}, not where segment {n} ends ({r.segments[n - 1].path[-1]!r})")
        for pid in r.also_named:
            if pid not in gz:
                probs.append(f"{owner}: also_named {pid!r} is not in the gazetteer")
        for rel in r.related:
            if rel not in {x.id for x in cat.routes}:
                probs.append(f"{owner}: related route {rel!r} does not exist")
    for s in cat.sites:
        owner = f"{source}: site {s.id!r}"
        check_evidence(owner, s)
        if s.place not in gz:
            probs.append(f"{owner}: place {s.place!r} is not in the gazetteer")
    return probs


# ------------------------------------------------------------------ geometry


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
    return geodesic_km(shapely.difference(line, land))


def _on_land_km(line: shapely.LineString, land: shapely.Geometry, ends: Sequence[shapely.Point]) -> float:
    onland = shapely.intersection(line, land)
    if onland.is_empty:
        return 0.0
    # land within the port approach at either end does not count
    approach = shapely.union_all([shapely.buffer(p, PORT_APPROACH_KM / 100.0) for p in ends])
    return geodesic_km(shapely.difference(onland, approach))


def _leg_on_land_km(a, b, land) -> float:
    return _on_land_km(shapely.LineString(densify([a, b], step_km=2.0)), land, [shapely.Point(a), shapely.Point(b)])


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
    line = shapely.LineString(pts) if len(pts) > 1 else None
    if line is not None:
        simple = line.simplify(res * 1.5, preserve_topology=True)
        if not shapely.intersects(simple, blocked) and (allowed is None or shapely.covered_by(simple, allowed)):
            pts = list(simple.coords)
    return [(round(x, 4), round(y, 4)) for x, y in pts]


def _sea_course(points: Sequence[tuple[float, float]], land: shapely.Geometry) -> list[tuple[float, float]]:
    """Waypoints joined at sea: a leg that would cross land is routed around it through water."""
    out: list[tuple[float, float]] = [points[0]]
    for a, b in zip(points[:-1], points[1:]):
        if _leg_on_land_km(a, b, land) > 0.5:
            out.extend(grid_path(a, b, land, what="water"))
        out.append(b)
    return densify(out)


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
            sea = shapely.difference(shapely.box(*leg.buffer(0.5).bounds), land)
            out.extend(grid_path(a, b, sea, allowed=allowed, res=0.01, pad=0.3, what="land"))
        out.append(b)
    return densify(out)


@dataclass
class SegmentGeometry:
    line: shapely.LineString
    length_km: float
    crossings: list[shapely.Point]
    off_medium_km: float


_LEGS: dict | None = None
_LEGS_KEY = ""
_LEGS_DIRTY = False


def _legs_cache() -> dict:
    global _LEGS, _LEGS_KEY
    if _LEGS is None:
        from geo import _cache
        from geo.naturalearth import data_parts

        _LEGS_KEY = _cache.fingerprint(
            Path(__file__), *data_parts("world_land_50m", "region_land_10m", "region_minor_islands_10m", "world_countries_50m")
        )
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
    points: Sequence[tuple[float, float]], medium: str, *, countries: Sequence[str] | None = None
) -> SegmentGeometry:
    """Densified geometry of one segment through ``points``, with a vertex at every border crossing.

    Crossings are looked for on legs whose ends lie in different ``countries`` (a leg inside one
    country that grazes a generalised border is not a crossing).
    """
    from geo.naturalearth import land

    L = land()
    coords: list[tuple[float, float]] = [points[0]]
    crossings: list[shapely.Point] = []
    for n, (a, b) in enumerate(zip(points[:-1], points[1:])):
        leg = list(leg_course(a, b, medium))
        ca, cb = (countries[n], countries[n + 1]) if countries is not None else ("", "")
        if countries is not None and medium != "sea" and (not ca or not cb or ca != cb):
            leg_line = shapely.LineString(leg)
            pts = border_crossings(leg_line)
            crossings.extend(pts)
            leg = list(insert_vertices(leg_line, pts).coords)
        coords.extend(leg[1:])
    line = shapely.LineString(coords)
    if medium == "land":
        off = _off_land_km(line, L)
    elif medium == "sea":
        off = _on_land_km(line, L, [shapely.Point(points[0]), shapely.Point(points[-1])])
    else:
        off = 0.0
    return SegmentGeometry(line, round(geodesic_km(line), 1), crossings, round(off, 2))


# ------------------------------------------------------------------ GeoDataFrames


ROUTE_COLUMNS = [
    "id", "name", "kind", "status", "summary", "length_km", "stated_length_km", "course", "countries",
    "border_crossings", "figures", "quotes", "articles", "related", "evidence_source", "geometry",
]
SEGMENT_COLUMNS = [
    "route_id", "seq", "kind", "status", "from_id", "to_id", "path", "from_name", "to_name", "course", "why",
    "medium", "length_km", "border_crossings", "geometry",
]
SITE_COLUMNS = [
    "id", "name", "kind", "status", "place_id", "summary", "country", "figures", "quotes", "articles", "lat", "lon", "geometry",
]


@dataclass
class RouteLayers:
    routes: gpd.GeoDataFrame
    segments: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame


def _quotes(qs: Sequence[Quote], by_id: dict[str, Article]) -> list[dict]:
    out = []
    for q in qs:
        art = by_id[q.article]
        span = find_quote(art, q.text)
        assert span is not None  # verified before
        out.append({"article": q.article, "text": art.text[span[0]:span[1]], "start": span[0], "end": span[1]})
    return out


def _figures(fs: Sequence[Figure], by_id: dict[str, Article]) -> list[dict]:
    return [
        {"kind": f.kind, "value": f.value, "unit": f.unit, "label": f.label, "quote": _quotes([f.quote], by_id)[0]}
        for f in fs
    ]


#: A route whose catalogue evidence is absent is drawn from automatic evidence scoring at least this.
AUTO_EVIDENCE_MIN_SCORE = 5.0
AUTO_EVIDENCE_MAX = 3


def restrict_to_articles(cat: Catalogue, articles: Sequence[Article], *, mentions=None) -> tuple[Catalogue, list[str]]:
    """The catalogue with only the evidence from ``articles``.

    For the embedded catalogue over a user's own folder of articles. A route none of whose quotes
    is in these articles keeps its place only if the evidence finder finds supporting sentences in
    them (given the geoparser's ``mentions``); those become its evidence, marked automatic. Other
    routes and sites go. Returns the restricted catalogue and notes on what was left out.
    """
    have = {a.id for a in articles}
    notes: list[str] = []
    auto: dict[str, list[Quote]] = {}
    if mentions is not None:
        from geo.evidence import evidence_for_route

        for r in cat.routes:
            if not any(q.article in have for q in r.evidence):
                df = evidence_for_route(r, articles, mentions, min_score=AUTO_EVIDENCE_MIN_SCORE).head(AUTO_EVIDENCE_MAX)
                if len(df):
                    auto[r.id] = [Quote(article=row.article_id, text=row.text) for row in df.itertuples()]
    dropped: dict[str, list[str]] = {"route": [], "site": []}

    def keep(item, kind: str):
        ev = [q for q in item.evidence if q.article in have]
        figs = [f for f in item.figures if f.quote.article in have]
        if not ev and item.id in auto:
            return item.model_copy(update={"evidence": auto[item.id], "figures": figs, "evidence_source": "automatic"})
        if not ev:
            dropped[kind].append(item.id)
            return None
        return item.model_copy(update={"evidence": ev, "figures": figs})

    routes = [r for r in (keep(r, "route") for r in cat.routes) if r is not None]
    ids = {r.id for r in routes}
    routes = [r.model_copy(update={"related": [x for x in r.related if x in ids]}) for r in routes]
    sites = [s for s in (keep(s, "site") for s in cat.sites) if s is not None]
    for kind, gone in dropped.items():
        if gone:
            notes.append(f"{len(gone)} {kind}(s) of the catalogue left out, with no evidence in these articles: {', '.join(gone)}")
    if auto:
        notes.append(f"drawn from evidence found automatically in these articles (not reviewed): {', '.join(sorted(auto))}")
    return cat.model_copy(update={"routes": routes, "sites": sites}), notes


def missing_articles_policy(articles: object, routes: object) -> Literal["error", "skip"]:
    """How to treat quotes from articles the corpus lacks: a user's own folder with the embedded
    catalogue skips them (see :func:`restrict_to_articles`); otherwise they are errors."""
    return "skip" if articles is not None and routes is None else "error"


def routes_from_catalogue(
    articles: Sequence[Article], catalogue: Catalogue | str | Path | None = None, *, gazetteer=None,
    missing_articles: Literal["error", "skip"] = "error",
) -> RouteLayers:
    """Verify the catalogue and build routes, segments and sites GeoDataFrames (EPSG:4326).

    Raises :class:`CatalogueError` listing every problem: misquotes, unknown waypoints, and
    segments that leave land (or sea) beyond the tolerances. With ``missing_articles="skip"``,
    evidence from articles not in ``articles`` is dropped instead (see :func:`restrict_to_articles`).
    """
    from geo.gazetteer import get_gazetteer, index_path

    gz = gazetteer or get_gazetteer()
    source = "routes.yaml"
    cache_key = None
    if not isinstance(catalogue, Catalogue):
        path = Path(catalogue) if catalogue is not None else catalogue_path()
        source = str(path)
        if gazetteer is None and path.is_file():
            # a verified, drawn catalogue is reused while nothing it was made from has changed
            from geo import _cache
            from geo.naturalearth import data_parts

            parts: list = [Path(__file__), path, source, missing_articles, index_path().name,
                           *data_parts("region_admin0_boundary_lines_10m", "world_admin0_boundary_lines_50m", "world_land_50m",
                                       "region_land_10m", "region_minor_islands_10m", "world_countries_50m")]
            parts += [x for a in articles for x in (a.id, a.text, a.path)]
            cache_key = _cache.fingerprint(*parts)
            hit = _cache.load("routes", cache_key)
            if isinstance(hit, RouteLayers):
                log.info("reused %d verified routes and %d sites (inputs unchanged)", len(hit.routes), len(hit.sites))
                return hit
        catalogue = load_catalogue(path)
    if missing_articles == "skip":
        from geo.places import mentions_from_articles

        catalogue, notes = restrict_to_articles(catalogue, articles, mentions=mentions_from_articles(articles))
        for n in notes:
            log.warning("%s", n)
    probs = verify_catalogue(catalogue, articles, gazetteer=gz, source=source)
    if probs:
        raise CatalogueError(probs)
    by_id = {a.id: a for a in articles}

    def pt(pid: str) -> tuple[float, float]:
        rec = gz.place(pid)
        return (rec["lon"], rec["lat"])

    route_rows, seg_rows, site_rows = [], [], []
    geo_probs: list[str] = []
    for r in sorted(catalogue.routes, key=lambda r: r.id):
        lines, total, crossings_all = [], 0.0, []
        for n, seg in enumerate(r.segments, 1):
            medium = seg.medium or DEFAULT_MEDIUM[r.kind]
            try:
                sg = segment_geometry([pt(p) for p in seg.path], medium, countries=[gz.place(p)["country"] or "" for p in seg.path])
            except ValueError as e:
                geo_probs.append(f"{source}: route {r.id!r} segment {n} ({' -> '.join(seg.path)}): cannot keep it at sea: {e}")
                continue
            if medium == "land" and sg.off_medium_km > LAND_TOLERANCE_KM:
                geo_probs.append(
                    f"{source}: route {r.id!r} segment {n} ({' -> '.join(seg.path)}) is a land route but "
                    f"{sg.off_medium_km:.1f} km of it lies at sea; add waypoints that keep it on land"
                )
            if medium == "sea" and sg.off_medium_km > 0.5:
                geo_probs.append(
                    f"{source}: route {r.id!r} segment {n} ({' -> '.join(seg.path)}) is a sea route but crosses "
                    f"{sg.off_medium_km:.1f} km of land; add sea waypoints that route it around the coast"
                )
            total += sg.length_km
            lines.append(sg.line)
            cross = [{"lon": round(p.x, 5), "lat": round(p.y, 5)} for p in sg.crossings]
            crossings_all.extend(cross)
            seg_rows.append({
                "route_id": r.id, "seq": n, "kind": r.kind, "status": r.status, "from_id": seg.path[0], "to_id": seg.path[-1],
                "path": ",".join(seg.path), "from_name": gz.place(seg.path[0])["name"], "to_name": gz.place(seg.path[-1])["name"],
                "course": seg.course, "why": seg.why, "medium": medium, "length_km": sg.length_km,
                "border_crossings": json.dumps(cross), "geometry": sg.line,
            })
        if not lines:
            continue
        stated = [f.value for f in r.figures if f.kind == "length" and f.value is not None]
        quotes = _quotes(r.evidence, by_id)
        countries = []
        for seg in r.segments:
            for p in seg.path:
                cc = gz.place(p)["country"]
                if cc and cc not in countries:
                    countries.append(cc)
        route_rows.append({
            "id": r.id, "name": r.name, "kind": r.kind, "status": r.status, "summary": r.summary,
            "length_km": round(total, 1), "stated_length_km": stated[0] if stated else None,
            "course": "documented" if all(s.course == "documented" for s in r.segments) else (
                "inferred" if all(s.course == "inferred" for s in r.segments) else "partly documented"),
            "countries": ",".join(countries), "border_crossings": json.dumps(crossings_all),
            "figures": _figures(r.figures, by_id), "quotes": quotes, "articles": ",".join(sorted({q["article"] for q in quotes})),
            "related": ",".join(r.related), "evidence_source": r.evidence_source,
            "geometry": shapely.MultiLineString(lines) if len(lines) > 1 else lines[0],
        })
    for s in sorted(catalogue.sites, key=lambda s: s.id):
        rec = gz.place(s.place)
        geom = shapely.from_wkt(rec["geometry_wkt"]) if rec.get("geometry_wkt") else shapely.Point(rec["lon"], rec["lat"])
        quotes = _quotes(s.evidence, by_id)
        site_rows.append({
            "id": s.id, "name": s.name, "kind": s.kind, "status": s.status, "place_id": s.place, "summary": s.summary,
            "country": rec["country"], "figures": _figures(s.figures, by_id), "quotes": quotes,
            "articles": ",".join(sorted({q["article"] for q in quotes})), "lat": rec["lat"], "lon": rec["lon"], "geometry": geom,
        })
    save_leg_cache()
    if geo_probs:
        raise CatalogueError(geo_probs)
    routes = gpd.GeoDataFrame(pd.DataFrame(route_rows, columns=ROUTE_COLUMNS), geometry="geometry", crs="EPSG:4326")
    segments = gpd.GeoDataFrame(pd.DataFrame(seg_rows, columns=SEGMENT_COLUMNS), geometry="geometry", crs="EPSG:4326")
    sites = gpd.GeoDataFrame(pd.DataFrame(site_rows, columns=SITE_COLUMNS), geometry="geometry", crs="EPSG:4326")
    log.info("built %d routes (%d segments) and %d sites", len(routes), len(segments), len(sites))
    layers = RouteLayers(routes, segments, sites)
    if cache_key is not None:
        from geo import _cache

        _cache.store("routes", cache_key, layers, keep_latest=8)
    return layers


def _clean(v):
    """JSON-safe scalars: NaN becomes null, numpy numbers become Python numbers."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
        return None if isinstance(v, float) and math.isnan(v) else v
    return v


def routes_to_geojson(layers: RouteLayers) -> dict:
    """The routes as an RFC 7946 FeatureCollection (no ``crs`` member, lon/lat order)."""
    feats = []
    for _, r in layers.routes.iterrows():
        props = {k: _clean(r[k]) for k in ("id", "name", "kind", "status", "length_km", "stated_length_km", "course", "summary")}
        props["countries"] = r["countries"].split(",") if r["countries"] else []
        props["quotes"] = [{"article": q["article"], "text": q["text"]} for q in r["quotes"]]
        props["figures"] = [{k: f[k] for k in ("kind", "value", "unit", "label")} | {"quote": {"article": f["quote"]["article"], "text": f["quote"]["text"]}} for f in r["figures"]]
        segs = layers.segments[layers.segments.route_id == r["id"]]
        props["segments"] = [
            {"from": s["from_id"], "to": s["to_id"], "course": s["course"], "why": s["why"], "length_km": _clean(s["length_km"])}
            for _, s in segs.iterrows()
        ]
        feats.append({"type": "Feature", "id": r["id"], "properties": props, "geometry": shapely.geometry.mapping(r.geometry)})
    return {"type": "FeatureCollection", "features": feats}


def sites_to_geojson(layers: RouteLayers) -> dict:
    """The sites as an RFC 7946 FeatureCollection."""
    feats = []
    for _, r in layers.sites.iterrows():
        props = {k: _clean(r[k]) for k in ("id", "name", "kind", "status", "place_id", "country", "summary")}
        props["quotes"] = [{"article": q["article"], "text": q["text"]} for q in r["quotes"]]
        feats.append({"type": "Feature", "id": r["id"], "properties": props, "geometry": shapely.geometry.mapping(r.geometry)})
    return {"type": "FeatureCollection", "features": feats}
