"""The map's layer description: the one place that says what the map shows and how.

:func:`map_spec` turns the pipeline's :class:`~geo.atlas.AtlasData` into a :class:`MapSpec`: an
ordered list of :class:`Layer` (bottom to top), the labels with their priorities and zooms, the
legend, the extent, the popups and the search index. The web map (:mod:`layers.mapdoc`), the static
exports and the GIS files (:mod:`layers.export`) all read it, so draw order, extent, which rivers,
legend entries, label priorities and dates exist once. Every builder here is a pure function of
its inputs.

A layer's ``frame`` is a GeoDataFrame (EPSG:4326) with these columns besides its geometry:

``key``      registry key the reader and search find the feature by (``place:rajin``) or ``None``
``popup``    key of the feature's popup HTML in :attr:`MapSpec.popups`, or ``None``
``tooltip``  plain-text tooltip, or ``None``
``style``    Leaflet path options (dict) -- also what the static map draws with
``date``     the earliest date of the feature's evidence (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or ``None``
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.atlas import AtlasData
from geo.atlas import GREAT_RIVERS
from geo.geodesy import haversine_km
from layers import popups as P
from layers import style as S

FEATURE_COLUMNS = ["key", "popup", "tooltip", "style", "date"]
LABEL_COLUMNS = ["text", "cls", "priority", "minzoom", "layers", "offset", "group", "geometry"]
#: The great rivers drawn and named on every map (gazetteer ids), the Tumen first.
RIVERS = GREAT_RIVERS
#: Statuses from bottom to top: proposals first, what exists on top, so a click on a shared
#: course finds the built line.
STATUS_ORDER = ("alternative_considered", "halted", "suspended", "stalled", "planned", "proposed", "under_construction",
                "existing", "refurbished")
#: Where the map opens when it has nothing to show (lon/lat box).
FALLBACK_BOUNDS = (124.0, 35.0, 140.0, 50.0)


@dataclass(frozen=True)
class Layer:
    """One layer of the map, as every renderer reads it."""

    key: str  #: a readable word: the URL hash and the page's registry use it
    label: str  #: the layer control's text
    group: str  #: "Basemap", "Corridors", "Evidence" or "Geography"
    source: gpd.GeoDataFrame | dict  #: features: a frame (see the module docstring) or, for the
    #: basemap, its GeoJSON FeatureCollection (read as a frame only by renderers that need one)
    marker: str = "path"  #: "path" (lines, polygons), "circle" (places) or "site" (icons)
    show: bool = True  #: shown when the map opens
    control: bool = True  #: listed in the layer control
    interactive: bool = True
    pane: str | None = None  #: Leaflet pane; the basemap draws under everything
    style: dict | None = None  #: one style for every feature (the basemap's layers)
    legend: tuple[str, ...] = ()  #: the legend sections (titles in :attr:`MapSpec.legend`) that explain it

    @property
    def frame(self) -> gpd.GeoDataFrame:
        if isinstance(self.source, gpd.GeoDataFrame):
            return self.source
        geoms = [shapely.geometry.shape(f["geometry"]) for f in self.source["features"]]
        rows = [{"key": None, "popup": None, "tooltip": None, "style": self.style, "date": None, "geometry": g} for g in geoms]
        return _frame(rows)

    def __len__(self) -> int:
        return len(self.source) if isinstance(self.source, gpd.GeoDataFrame) else len(self.source["features"])


@dataclass
class MapSpec:
    """Everything a renderer needs, derived once from the pipeline's result."""

    title: str
    layers: list[Layer]
    labels: gpd.GeoDataFrame  #: in priority order, best first; columns :data:`LABEL_COLUMNS`
    popups: dict[str, str]
    search: list[dict]
    legend: list[dict]
    bounds: tuple[float, float, float, float]  #: lon/lat box the map opens on
    sources: list[str] = field(default_factory=list)  #: each article's credit line
    #: the time control's stops (each article date, in order) and the date the view is as of
    timeline: dict = field(default_factory=lambda: {"stops": [], "as_of": None})

    def layer(self, key: str) -> Layer:
        for lyr in self.layers:
            if lyr.key == key:
                return lyr
        raise KeyError(key)

    def overlays(self) -> list[Layer]:
        return [lyr for lyr in self.layers if lyr.control]


# ------------------------------------------------------------------ helpers


def _frame(rows: list[dict], extra: list[str] = ()) -> gpd.GeoDataFrame:
    cols = [*FEATURE_COLUMNS, *extra, "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=cols), geometry="geometry", crs="EPSG:4326")


def _earliest(article_ids, by_id) -> str | None:
    dates = sorted(d for d in (by_id[a].meta.date for a in article_ids if a in by_id) if d)
    return dates[0] if dates else None


# ------------------------------------------------------------------ layer builders


def basemap_layers() -> list[Layer]:
    """The offline Natural Earth basemap: land, lakes, disputed areas, rivers, coasts, borders."""
    from layers.basemap import BASEMAP_STYLE, basemap_layers as fcs

    return [
        Layer(f"basemap-{key}", key, "Basemap", fcs()[key], interactive=False, control=False, pane="basemap", style=BASEMAP_STYLE[key])
        for key in ("land", "lakes", "disputed", "rivers", "coastline", "borders")
    ]


#: Screen pixels between the lanes of routes that share a corridor (the web map; exports scale it).
LANE_PX = 4.0


def corridor_lanes(lines: list[tuple[str, shapely.LineString]], order: dict[str, int]) -> list[list[float] | None]:
    """Where routes share a stretch (the same vertices, in either direction), the lane of each line
    at each of its vertices, in lanes left (+) or right (-) of its direction of travel, so that the
    routes of a corridor are drawn side by side; None for a line that shares nothing.

    On each shared leg the routes are ranked by ``order`` (route ids) and laid out across the
    direction in which the first of them travels, so a route keeps its side all along a corridor
    whichever way the others run.
    """
    users: dict[tuple, dict[str, bool]] = {}
    legs = []
    for rid, line in lines:
        c = [tuple(p) for p in line.coords]
        ks = []
        for a, b in zip(c[:-1], c[1:]):
            k, rev = ((a, b), False) if a <= b else ((b, a), True)
            users.setdefault(k, {}).setdefault(rid, rev)
            ks.append((k, rev))
        legs.append(ks)
    ranked = {k: sorted(u, key=lambda x: (order.get(x, 0), x)) for k, u in users.items()}
    out: list[list[float] | None] = []
    for (rid, _), ks in zip(lines, legs):
        lanes: list[float | None] = []  # None: a leg this route has to itself
        for k, rev in ks:
            u = ranked[k]
            if len(u) == 1:
                lanes.append(None)
                continue
            lane = u.index(rid) - (len(u) - 1) / 2
            lanes.append(lane if rev == users[k][u[0]] else -lane)
        if all(x is None for x in lanes):
            out.append(None)
            continue
        # a vertex takes the lane of the shared leg after it, else of the one before: a route joins
        # and leaves a corridor along its own leg, and where a corridor's routes change they take
        # their places on the next leg together
        v = [after if after is not None else (before if before is not None else 0.0)
             for before, after in zip([None, *lanes], [*lanes, None])]
        out.append([round(x, 2) + 0.0 for x in v])
    return out


def route_layers(data: AtlasData) -> tuple[list[Layer], dict[str, str]]:
    """One layer per route kind and one for the alternatives; a feature per segment, with its own
    popup part and, where routes share a corridor, its lane. Returns the layers and their popups."""
    popups: dict[str, str] = {}
    by_id = data.by_id
    rl = data.routes
    rows: dict[str, list[dict]] = {k: [] for k, *_ in S.OVERLAYS}
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    routes = rl.routes.to_dict("records")  # plain records: a map has a few dozen segments, pandas per row costs more
    ordered = sorted(routes, key=lambda r: (rank[r["status"]], r["id"]))
    kinds = list(S.KIND_STYLE)
    order = {r["id"]: kinds.index(r["kind"]) * 1000 + i for i, r in enumerate(sorted(routes, key=lambda r: r["id"]))}
    names = {r["id"]: r["name"] for r in routes}
    segs_all = rl.segments.sort_values(["route_id", "seq"])
    geoms = [shapely.set_precision(g, 1e-4) for g in segs_all.geometry.values]
    seg_recs = segs_all.to_dict("records")
    segs_of: dict[str, list[tuple[dict, object, list | None]]] = {}
    for s, geom, lane in zip(seg_recs, geoms, corridor_lanes([(s["route_id"], g) for s, g in zip(seg_recs, geoms)], order)):
        segs_of.setdefault(s["route_id"], []).append((s, geom, lane))
    for r in ordered:
        segs = segs_of[r["id"]]
        key = f"route:{r['id']}"
        popups[key] = P.route_popup(r, [s for s, _, _ in segs], by_id, [c for c in rl.claims if r["id"] in c["related"]])
        ov = S.route_overlay(r["kind"], r["status"])
        date = r["first_date"]  # the earliest of its quotes' articles (geo.routes)
        for s, geom, lane in segs:
            seq = int(s["seq"])
            seg_key = f"segment:{r['id']}:{seq}"
            popups[seg_key] = P.segment_popup(r, s, len(segs), names)
            history = [[h["date"], S.route_style(r["kind"], h.get("effective", h["status"]), s["course"])] for h in r["status_history"] if h["date"]]
            rows[ov].append({
                "key": key, "popup": key, "tooltip": f"{r['name']} ({P.STATUS_LABEL[r['status']].lower()}, {s['course']})",
                "style": S.route_style(r["kind"], r["status"], s["course"]), "date": date, "segment": seg_key,
                "lanes": lane, "history": history or None, "route": r["id"], "seq": seq, "status": r["status"], "geometry": geom,
            })
    return [
        Layer(key, label, group, _frame(rows[key], ["segment", "lanes", "history", "route", "seq", "status"]), show=show,
              legend=S.LEGEND_OF["corridors"])
        for key, label, group, show in S.OVERLAYS if group == "Corridors"
    ], popups


def _record_lookup(data: AtlasData):
    """The gazetteer records the pipeline handed on (:attr:`geo.atlas.AtlasData.records`), by id;
    a place it did not hand on is an error, not a look into the gazetteer."""
    records = data.records

    def place(pid: str) -> dict:
        try:
            return records[pid]
        except KeyError:
            raise KeyError(f"{pid!r}: no gazetteer record in the AtlasData (geo.atlas.atlas_records hands them on)") from None
    return place


#: Place kinds drawn as their shapes where the package has one (Natural Earth's countries, the
#: continents as the union of their countries, the region's seas, the states and provinces of the
#: four countries Natural Earth's 1:50m admin-1 covers); others stay point symbols.
AREA_KINDS = ("country", "continent", "sea", "ocean", "admin_region")
#: Natural Earth's continent of each of the gazetteer's continent ids.
_CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America", "OC": "Oceania",
               "SA": "South America", "AN": "Antarctica"}


def area_shapes(places) -> dict[str, shapely.Geometry]:
    """The shapes of the areal places among ``places`` (rows with ``place_id``, ``name``, ``kind``),
    simplified for the page (a tolerance growing with the area's size, from about 1 km for a small
    country to 6 km for a large one or a continent), by place id: a country's Natural Earth outline, a
    continent as the union of its countries (Natural Earth's own continent of each), a sea of the
    region by its Natural Earth name. Cached by the ids asked for."""
    from geo import _cache

    wanted = sorted((str(p["place_id"]), str(p["name"]), str(p["kind"]), str(p.get("country") or "")) for p in places if p["kind"] in AREA_KINDS)
    key = "\n".join("\t".join(w) for w in wanted)
    return _cache.cached("area-shapes", lambda: _build_area_shapes(wanted), key)


def _simplified(g) -> shapely.Geometry:
    tol = min(0.06, max(0.01, math.sqrt(g.area) / 400))
    return shapely.set_precision(shapely.simplify(g, tol, preserve_topology=True), 0.001)


def _build_area_shapes(wanted) -> dict[str, shapely.Geometry]:
    from geo.naturalearth import country_outline, read_layer

    out: dict[str, shapely.Geometry] = {}
    seas = None
    adm1 = None
    for pid, name, kind, country in wanted:
        g = None
        if kind == "country" and pid.startswith("country:"):
            g = country_outline(pid[8:])
        elif kind == "continent" and pid[10:] in _CONTINENTS:
            ne = read_layer("world_countries_50m")
            g = shapely.union_all(ne[ne["continent"] == _CONTINENTS[pid[10:]]].geometry.values)
        elif kind in ("sea", "ocean"):
            if seas is None:
                seas = read_layer("region_marine_polys_10m")
            for _, row in seas.iterrows():
                names = {str(row["name"]).casefold()} | ({str(row["namealt"]).casefold()} if isinstance(row["namealt"], str) else set())
                if name.casefold() in names:
                    g = row.geometry
        elif kind == "admin_region":
            if adm1 is None:
                ne = read_layer("world_admin1_50m")
                adm1 = {(c, k): geom for c, n, postal, geom in zip(ne["iso_a2"], ne["name"], ne["postal"], ne.geometry.values)
                        for k in (str(n).casefold(), f"postal:{postal}")}
            if pid.startswith("us-state:"):  # a US state by its postal code
                g = adm1.get(("US", f"postal:{pid[9:]}"))
            else:
                g = adm1.get((country, name.casefold()))
        if g is not None and not g.is_empty:
            out[pid] = _simplified(g)
    return out


@dataclass(frozen=True)
class PlaceLayers:
    """What the place builder makes: the areas and the point places, their popups and their
    entries of the search index."""

    areas: Layer
    places: Layer
    popups: dict[str, str]
    search: list[dict]


def place_layers(data: AtlasData, areas: Mapping[str, shapely.Geometry] | None = None) -> PlaceLayers:
    """The places the articles mention: the countries, continents and seas as their shapes shaded
    by mentions (largest first, so a country is drawn, and clicked, above its continent), the others
    as symbols, largest first (so small circles stay clickable on top). ``areas``: the shapes
    (default: :func:`area_shapes` of the places). A place's size at a date or under a filter is
    worked out in the page from its ``refs``, the articles that mention it."""
    if areas is None:
        areas = area_shapes(data.places.to_dict("records"))
    popups: dict[str, str] = {}
    search: list[dict] = []
    by_id = data.by_id
    index = {a.id: i for i, a in enumerate(data.articles)}
    place = _record_lookup(data)
    mentions_of: dict[str, list] = {}
    for pid, row in zip(data.mentions["place_id"].tolist(), P.mention_rows(data.mentions)):
        mentions_of.setdefault(pid, []).append(row)
    most = max([int(n) for pid, n in zip(data.places["place_id"], data.places["mention_count"]) if pid in areas] or [1])
    points, shapes = [], []
    for p in data.places.sort_values(["mention_count", "place_id"], ascending=[False, True]).to_dict("records"):
        key = f"place:{p['place_id']}"
        mine = mentions_of[p["place_id"]]
        rec = place(p["place_id"])
        popups[key] = P.place_popup(p, mine, by_id, rec)
        # the articles that mention it, with how many times: the page counts them under a filter or a date
        counts: dict[int, int] = {}
        for m in mine:
            counts[index[m[0]]] = counts.get(index[m[0]], 0) + 1
        refs = [x for i in sorted(counts) for x in (i, counts[i])]
        n = int(p["mention_count"])
        row = {
            "key": key, "popup": key, "tooltip": f"{p['name']}: {n} mention(s)",
            "date": p.get("first_date") or None, "refs": refs, "place_id": p["place_id"],
        }
        if p["place_id"] in areas:
            shapes.append(row | {"style": S.area_style(p["kind"], n, most), "area": p["kind"], "geometry": areas[p["place_id"]]})
        else:
            points.append(row | {"style": S.place_style(P._s(p["country"]), n), "geometry": shapely.Point(p["lon"], p["lat"])})
        aliases = sorted({a for a in rec.get("aliases") or [] if a != p["name"]} | set((rec.get("native") or {}).values()))
        search.append({"key": key, "name": p["name"], "aliases": aliases, "kind": p["kind"], "mentions": n})
    # a continent under its countries, a country under the seas' outlines: the larger first
    shapes.sort(key=lambda r: (-r["geometry"].area, r["key"]))
    return PlaceLayers(
        Layer("areas", _overlay_label("areas"), "Evidence", _frame(shapes, ["refs", "area", "place_id"]), legend=S.LEGEND_OF["areas"]),
        Layer("places", _overlay_label("places"), "Evidence", _frame(points, ["refs", "place_id"]), marker="circle",
              legend=S.LEGEND_OF["places"]),
        popups, search,
    )


def site_layer(data: AtlasData) -> tuple[Layer, dict[str, str], list[dict]]:
    """The sites, with their popups and their entries of the search index."""
    popups: dict[str, str] = {}
    by_id = data.by_id
    rows = []
    for _, s in data.routes.sites.sort_values("id").iterrows():
        key = f"site:{s['id']}"
        popups[key] = P.site_popup(s, by_id, [c for c in data.routes.claims if s["id"] in c["related"]])
        st = S.SITE_STYLE[s["kind"]]
        rows.append({
            "key": key, "popup": key, "tooltip": s["name"], "style": S.site_style(s["kind"]),
            "date": _earliest([q["article"] for q in s["quotes"]], by_id),
            "icon": st["icon"], "site_kind": s["kind"], "geometry": shapely.Point(s["lon"], s["lat"]),
        })
    search = [{"key": r["key"], "name": r["tooltip"], "aliases": [], "kind": "site", "mentions": 0} for r in rows]
    return (Layer("sites", _overlay_label("sites"), "Evidence", _frame(rows, ["icon", "site_kind"]), marker="site",
                  legend=S.LEGEND_OF["sites"]), popups, search)


def borders_layer(data: AtlasData, place_popups: Mapping[str, str] = {}) -> tuple[Layer, dict[str, str]]:
    """International borders (Natural Earth, de facto) and the great rivers, with the rivers'
    popups: a river the articles mention has its place's popup (``place_popups``, by key), another
    says it is not mentioned."""
    from geo import _cache
    from geo.naturalearth import read_layer

    popups: dict[str, str] = {}
    place = _record_lookup(data)
    lines = _cache.cached("borders", lambda: list(read_layer("region_admin0_boundary_lines_10m").geometry.values))
    rows = [
        {"key": None, "popup": None, "tooltip": "International border (Natural Earth, de facto)", "style": S.BORDER_STYLE,
         "date": None, "geometry": g}
        for g in lines
    ]
    for rid in RIVERS:
        rec = place(rid)
        key = f"river:{rid}"
        popups[key] = place_popups.get(f"place:{rid}") or P.river_popup(rec)
        rows.append({
            "key": key, "popup": key, "tooltip": rec["name"], "date": None,
            "style": S.RIVER_STYLE if rid == "tumen-river" else S.OTHER_RIVER_STYLE, "geometry": shapely.from_wkt(rec["geometry_wkt"]),
        })
    return Layer("borders", _overlay_label("borders"), "Geography", _frame(rows), legend=S.LEGEND_OF["borders"]), popups


def _overlay_label(key: str) -> str:
    return next(label for k, label, *_ in S.OVERLAYS if k == key)


# ------------------------------------------------------------------ labels


@lru_cache(maxsize=1)
def base_labels() -> tuple[dict, ...]:
    """Labels of the Natural Earth geography: countries, seas, straits and bays, peaks (cached;
    rows of :data:`LABEL_COLUMNS`, not to be modified)."""
    from geo import _cache

    return tuple(_cache.cached("base-labels", _build_base_labels))


def _label_point(geom, clip=None) -> shapely.Point:
    """Where an area's name goes: the pole of inaccessibility of its largest part (inside ``clip``
    where the area reaches into it, so Russia is named in the Far East)."""
    from shapely.ops import polylabel

    if clip is not None and geom.intersects(clip):
        inside = geom.intersection(clip)
        if inside.area > 0.02 * geom.area or inside.area > 20:
            geom = inside
    parts = list(getattr(geom, "geoms", [geom]))
    parts = [p for p in parts if p.geom_type == "Polygon"]
    big = max(parts, key=lambda p: p.area)
    return polylabel(big, tolerance=max(0.01, math.sqrt(big.area) / 200))


def _build_base_labels() -> list[dict]:
    from geo.naturalearth import REGION_BBOX, read_layer

    region = shapely.box(*REGION_BBOX)
    rows = []
    for _, c in read_layer("world_countries_50m").iterrows():
        if c.geometry is None or c.geometry.is_empty or not c["name"]:
            continue
        in_region = c.geometry.intersects(region)
        rank = int(c["labelrank"] or 5)
        rows.append({
            "text": c["name"], "cls": "country", "priority": 1000 - 10 * rank + (40 if in_region else 0),
            "minzoom": max(2, rank) if not in_region else 3, "layers": [], "offset": 0, "group": f"country:{c['name']}",
            "geometry": _label_point(c.geometry, region),
        })
    for _, s in read_layer("region_marine_polys_10m").iterrows():
        names = [s["name"]] + ([s["namealt"]] if isinstance(s.get("namealt"), str) and s["namealt"] else [])
        text = " / ".join(n.title() if n.isupper() else n for n in names)
        cls = "sea" if s["featurecla"] in ("sea", "ocean") else "strait"
        rows.append({
            "text": text, "cls": cls, "priority": 960 - 10 * int(s["scalerank"]),
            "minzoom": max(3, int(math.floor(float(s["min_label"] or 3)))), "layers": [], "offset": 0, "group": f"sea:{s['name']}",
            "geometry": _label_point(s.geometry, region),
        })
    for _, g in read_layer("region_geography_points_10m").iterrows():
        if not isinstance(g["name"], str) or g["featurecla"] not in ("mountain",):
            continue
        text = g["name"] + (f" ({g['name_alt']})" if isinstance(g.get("name_alt"), str) and g["name_alt"] else "")
        rows.append({
            "text": text, "cls": "peak", "priority": 150 - int(g["scalerank"]), "minzoom": 7, "layers": ["borders"],
            "offset": 4, "group": f"peak:{g['name']}", "geometry": g.geometry,
        })
    return rows


#: Place kinds named as areas or water, not as towns.
_AREA_CLASS = {"continent": "region", "region": "region", "peninsula": "region", "admin_region": "region",
               "ocean": "sea", "sea": "sea", "island": "place"}
_NO_LABEL = {"country", "route", "river", "waypoint"}  # a waypoint (a harbour mouth) guides a course; it is no place


def place_priority(mentions: int, population: float | None, curated: bool) -> float:
    """How strongly a mentioned place claims its label: mentions first, then size or curation."""
    prominence = 15 * math.log10(population) if population and population > 1 else (90 if curated else 0)
    return round(300 + 60 * math.log2(1 + mentions) + prominence, 2)


def data_labels(data: AtlasData) -> list[dict]:
    """Labels of what the articles bring: the rivers, the places mentioned, the sites, the waypoints
    (their gazetteer records as the pipeline handed them on)."""
    place = _record_lookup(data)
    rows = []
    for i, rid in enumerate(RIVERS):
        rec = place(rid)
        line = shapely.from_wkt(rec["geometry_wkt"])
        for j, frac in enumerate((0.5, 0.3, 0.7, 0.15, 0.85)):  # the first that fits is used
            rows.append({"text": rec["name"], "cls": "river", "priority": 480 - i * 10 - j * 0.1,
                         "minzoom": 5 if rid != "yalu-river" else 6, "layers": ["borders"], "offset": 2,
                         "group": f"river:{rid}", "geometry": line.interpolate(frac, normalized=True)})
    with_site = set(data.routes.sites["place_id"])
    for p in data.places.drop(columns="geometry").to_dict("records"):
        if p["kind"] in _NO_LABEL:
            continue
        pop = p["population"] if isinstance(p["population"], float) and not math.isnan(p["population"]) else None
        pr = place_priority(int(p["mention_count"]), pop, not str(p["place_id"]).startswith(("geonames:", "continent:", "country:")))
        cls = _AREA_CLASS.get(p["kind"], "place")
        if cls == "region":
            pr -= 200  # a region's name yields to the towns inside it
        if cls == "place" and pr >= 600:
            cls = "city"
        rows.append({"text": p["name"], "cls": cls, "priority": pr, "minzoom": 0 if cls != "region" else 3,
                     "layers": ["places"],
                     # a place under a site's icon is named beside the icon
                     "offset": max(S.place_radius(int(p["mention_count"])), 13 if p["place_id"] in with_site else 0),
                     "group": f"place:{p['place_id']}", "geometry": shapely.Point(p["lon"], p["lat"])})
    for s in data.routes.sites.drop(columns="geometry").to_dict("records"):
        rows.append({"text": s["name"], "cls": "site", "priority": 420, "minzoom": 7, "layers": ["sites"], "offset": 13,
                     "group": f"site:{s['id']}", "geometry": shapely.Point(s["lon"], s["lat"])})
    named = {r["group"] for r in rows}
    for owners, paths in _waypoints(data).items():
        for pid in paths:
            if f"place:{pid}" in named:
                continue
            rec = place(pid)
            if rec["kind"] in _NO_LABEL:
                continue
            # towns first, then stations (a line's own), then crossings and other facilities
            pr = {"populated_place": 430, "port": 430, "station": 415}.get(rec["kind"], 400)
            rows.append({"text": rec["name"], "cls": "minor", "priority": pr, "minzoom": 8, "layers": list(owners),
                         "offset": 3, "group": f"place:{pid}", "geometry": shapely.Point(rec["lon"], rec["lat"])})
            named.add(f"place:{pid}")
    return rows


def _waypoints(data: AtlasData) -> dict[tuple, list[str]]:
    """The gazetteer places the drawn corridors pass, with the overlays they belong to."""
    owners: dict[str, set[str]] = {}
    order: list[str] = []
    for _, s in data.routes.segments.sort_values(["route_id", "seq"]).iterrows():
        for pid in s["path"].split(","):
            if pid not in owners:
                owners[pid] = set()
                order.append(pid)
            owners[pid].add(S.route_overlay(s["kind"], s["status"]))
    out: dict[tuple, list[str]] = {}
    for pid in order:
        out.setdefault(tuple(sorted(owners[pid])), []).append(pid)
    return out


def labels(data: AtlasData) -> gpd.GeoDataFrame:
    """Every label the map may show, best first; a name already given by a better label is dropped."""
    rows = [*base_labels(), *data_labels(data)]
    rows.sort(key=lambda r: (-r["priority"], r["text"], r["group"]))
    seen_text: dict[str, str] = {}
    out = []
    for r in rows:
        k = r["text"].casefold()
        if k in seen_text and seen_text[k] != r["group"]:
            continue  # the Yellow Sea from Natural Earth and from a mention: one label
        seen_text[k] = r["group"]
        out.append(r)
    return gpd.GeoDataFrame(pd.DataFrame(out, columns=LABEL_COLUMNS), geometry="geometry", crs="EPSG:4326")


# ------------------------------------------------------------------ extent


def initial_bounds(data: AtlasData) -> tuple[float, float, float, float]:
    """What the map opens on: the corridors and sites, and the places the corpus mentions most.

    Places are weighted by their mentions; the box holds the central 90 % of that weight, of the
    places within :data:`CORE_KM` of the weighted median when those hold :data:`CORE_SHARE` of it
    (so a few far-off mentions do not zoom out to the world). With corridors drawn, the places
    stretch the box only when most of their weight lies outside the corridors' region.
    """
    rl = data.routes
    core = [g for g in rl.routes[rl.routes.status != "alternative_considered"].geometry] + list(rl.sites.geometry)
    pts = data.places[~data.places["kind"].isin(["continent", "ocean", "country", "region", "sea"])]
    box = None
    if len(pts):
        w = pts["mention_count"].astype(float).to_numpy()
        lon, lat = pts["lon"].astype(float).to_numpy(), pts["lat"].astype(float).to_numpy()
        # where most of the weight lies: the places near the weighted median, when they hold three
        # quarters of it (US local news with some world news opens on the United States)
        lat0, lon0 = _wq(lat, w, 0.5), _wq(lon, w, 0.5)
        near = np.array([haversine_km(la, lo, lat0, lon0) <= CORE_KM for la, lo in zip(lat, lon)], dtype=bool)
        if w[near].sum() >= CORE_SHARE * w.sum():
            lon, lat, w = lon[near], lat[near], w[near]
        box = (_wq(lon, w, 0.05), _wq(lat, w, 0.05), _wq(lon, w, 0.95), _wq(lat, w, 0.95))
    core = [g for g in core if g is not None and not g.is_empty]
    if core:
        # the box around every geometry's own box (a union of thousands of routes took minutes and gigabytes)
        b = shapely.bounds(np.asarray(core, dtype=object))
        cb = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
        if box is None:
            return tuple(float(x) for x in cb)
        # the corpus's places count where most of their weight lies outside the corridors' region
        inside = sum(wi for x, y, wi in zip(lon, lat, w) if cb[0] - 2 <= x <= cb[2] + 2 and cb[1] - 2 <= y <= cb[3] + 2)
        if inside >= 0.5 * w.sum():
            return tuple(float(x) for x in cb)
        return (min(cb[0], box[0]), min(cb[1], box[1]), max(cb[2], box[2]), max(cb[3], box[3]))
    if box is not None:
        if box[2] - box[0] < 0.5 and box[3] - box[1] < 0.5:  # one town: a little context around it
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            return (cx - 1, cy - 1, cx + 1, cy + 1)
        return tuple(float(x) for x in box)
    return FALLBACK_BOUNDS


#: The corpus's core: within this distance of the mention-weighted median place ...
CORE_KM = 3000.0
#: ... when that holds this share of the mentions.
CORE_SHARE = 0.75


def _wq(values, weights, q: float) -> float:
    """The weighted ``q`` quantile (the smallest value whose cumulative weight reaches ``q``)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = np.cumsum(w) / w.sum()
    return float(v[min(int(np.searchsorted(cum, q)), len(v) - 1)])


# ------------------------------------------------------------------ the whole map


def map_spec(data: AtlasData, *, title: str) -> MapSpec:
    """The map's layers, bottom to top, with its labels, legend, extent, popups and search index."""
    corridors, route_popups = route_layers(data)
    tl = timeline(data)
    pl = place_layers(data)
    sites, site_popups, site_search = site_layer(data)
    borders, river_popups = borders_layer(data, pl.popups)
    # each builder returns what it makes; the page's popups and search index are their union, in this order
    popups = {**route_popups, **pl.popups, **site_popups, **river_popups}
    search = [*pl.search, *site_search]
    by_key = {lyr.key: lyr for lyr in [*corridors, pl.areas, pl.places, sites, borders]}
    overlays = [by_key[k] for k, *_ in S.OVERLAYS]  # the layer control's order is the draw order
    sources = sorted({f"{a.meta.author + ', ' if a.meta.author else ''}{a.meta.outlet or 'unknown outlet'}" for a in data.articles})
    # the legend explains what the map has: a section stays while a layer it explains has features
    shown = {t for lyr in overlays if len(lyr) for t in lyr.legend}
    drawn = set(data.routes.routes["status"]) | set(data.routes.sites["kind"])
    legend = [sec for sec in S.legend(drawn) if sec["title"] in shown]
    return MapSpec(
        title=title, layers=[*basemap_layers(), *overlays], labels=labels(data), popups=popups, search=search,
        legend=legend, bounds=initial_bounds(data), sources=sources, timeline=tl,
    )


_PRECISION_NOTE = {"year": " (year only)", "month": "", "day": "", "unknown": ""}


def timeline(data: AtlasData) -> dict:
    """The time control's stops: every date an article is of, in order, each with its label (a
    year-only date says so); and ``as_of``, the date a view built with ``--as-of`` is as of."""
    from geo.timeline import date_key

    stops: dict[str, str] = {}
    for a in data.articles:
        if a.meta.date and a.meta.date not in stops:
            stops[a.meta.date] = a.meta.date + _PRECISION_NOTE.get(a.date_precision, "")
    return {"stops": [{"date": d, "label": stops[d]} for d in sorted(stops, key=date_key)], "as_of": data.as_of}
