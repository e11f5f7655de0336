"""The routes as tables: a verified catalogue drawn into routes, segments and sites GeoDataFrames.

The catalogue's schema is in :mod:`geo.catalogue`, quote verification in :mod:`geo.verify`, the
geometry in :mod:`geo.routing`, the evidence finder in :mod:`geo.evidence` (import each name from its home).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Sequence

import geopandas as gpd
import pandas as pd
import shapely

from geo._errors import CatalogueError
from geo.catalogue import (
    DEFAULT_MEDIUM, LENGTH_TOLERANCE, Catalogue, Figure, Quote, StatusReport, catalogue_path, latest_report, load_catalogue,
)
from geo.corpus import Article
from geo.timeline import in_date_order
from geo.routing import LAND_TOLERANCE_KM, ON_LINE_KM, ON_LINE_SHARE, OffLineError, save_leg_cache, segment_geometry
from geo.verify import find_quote, verify_catalogue

log = logging.getLogger(__name__)

ROUTE_COLUMNS = [
    "id", "name", "kind", "status", "summary", "length_km", "stated_length_km", "published_length_km",
    "published_length_source", "length_shortfall", "course", "countries", "status_history", "first_date",
    "border_crossings", "figures", "quotes", "articles", "related", "evidence_source", "geometry_sources", "geometry",
]
SEGMENT_COLUMNS = [
    "route_id", "seq", "kind", "status", "from_id", "to_id", "path", "from_name", "to_name", "course", "why",
    "medium", "length_km", "border_crossings", "follows", "crosses_water", "along", "along_gaps", "geometry",
]
SITE_COLUMNS = [
    "id", "name", "kind", "status", "place_id", "summary", "country", "figures", "quotes", "articles", "evidence_source",
    "lat", "lon", "geometry",
]


@dataclass
class RouteLayers:
    routes: gpd.GeoDataFrame
    segments: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    #: the claims compared (see :func:`compare_claims`)
    claims: list = field(default_factory=list)


def _quotes(qs: Sequence[Quote], by_id: dict[str, Article]) -> list[dict]:
    """The quotes verified in their articles, with offsets and the article's date: the curated ones
    in date order, then those the evidence finder found, best first (each with the words it was
    matched on and its score)."""
    out = []
    for q in qs:
        art = by_id[q.article]
        span = find_quote(art, q.text)
        assert span is not None  # verified before
        rec = {"article": q.article, "text": art.text[span[0]:span[1]], "start": span[0], "end": span[1],
               "date": art.meta.date, "date_precision": art.date_precision}
        if q.score is not None:
            rec |= {"matched": list(q.matched), "score": q.score}
        out.append(rec)
    curated = in_date_order([x for x in out if "score" not in x], lambda q: q["date"])
    return curated + [x for x in out if "score" in x]


def _first_date(quotes: list[dict]) -> str | None:
    """The date of the earliest dated quote."""
    from geo.timeline import date_key

    dated = [q["date"] for q in quotes if q["date"]]
    return min(dated, key=date_key) if dated else None


def _history(reports, by_id: dict[str, Article]) -> list[dict]:
    """A route's reported statuses, each with its quote and date, in the order they are read (see
    :func:`geo.catalogue.reports_in_order`), with ``effective``: the corridor's status from then on."""
    from geo.catalogue import effective_statuses, reports_in_order

    reps = reports_in_order(list(reports), {a: by_id[a].meta.date for a in by_id})
    eff = effective_statuses([rep.status for rep in reps])
    return [{"status": rep.status, "effective": e, **_quotes([rep.quote], by_id)[0]} for rep, e in zip(reps, eff)]


def _figures(fs: Sequence[Figure], by_id: dict[str, Article]) -> list[dict]:
    return [
        {"kind": f.kind, "value": f.value, "unit": f.unit, "label": f.label, "quote": _quotes([f.quote], by_id)[0]}
        for f in fs
    ]


Automatic = Literal["all", "uncurated"]


@dataclass(frozen=True)
class EvidencePolicy:
    """How the catalogue's evidence meets a corpus (decided in one place: :func:`evidence_policy`).

    ``missing_articles``: a curated quote from an article the corpus lacks is an ``error`` (the
    catalogue and its own articles) or is skipped (a user's folder, or a view as of a date).
    ``automatic``: which routes and sites the evidence finder looks for in the corpus: ``all`` of
    them (a user's folder with the embedded catalogue), or only those the catalogue gives no quote
    (``uncurated``: the corridors drawn from cues alone).
    """

    missing_articles: Literal["error", "skip"] = "error"
    automatic: Automatic = "uncurated"


def evidence_policy(articles: object = None, routes: object = None, as_of: object = None) -> EvidencePolicy:
    """The policy for a corpus folder (None: the embedded articles), a catalogue file (None: the
    embedded catalogue) and an as-of date (None: everything)."""
    users_folder = articles is not None and routes is None
    return EvidencePolicy(
        missing_articles="skip" if users_folder or as_of is not None else "error",
        automatic="all" if users_folder else "uncurated",
    )


def missing_articles_policy(articles: object, routes: object) -> Literal["error", "skip"]:
    """How to treat quotes from articles the corpus lacks (see :func:`evidence_policy`)."""
    return evidence_policy(articles, routes).missing_articles


def restrict_to_articles(
    cat: Catalogue, articles: Sequence[Article], *, mentions=None, automatic: Automatic | None = "all",
    missing_articles: Literal["error", "skip"] = "skip", gazetteer=None,
) -> tuple[Catalogue, list[str]]:
    """The catalogue as these articles support it.

    Curated quotes, figures and status reports of articles not in ``articles`` are left out (with
    ``missing_articles="skip"``). The evidence finder (:mod:`geo.evidence`) looks, given the
    geoparser's ``mentions``, for the sentences that support ``automatic`` routes and sites (``all``,
    or only the ``uncurated`` ones; None: none): each is kept, ranked, beside the curated quotes
    (never a sentence twice), and the status it reports joins the route's history. A route's status
    is then the latest reported by these articles (the further along on one date). A route or site
    with no evidence left is not drawn. Returns the catalogue and notes on what was left out.
    """
    have = {a.id for a in articles}
    by_id = {a.id: a for a in articles}
    skip = missing_articles == "skip"
    notes: list[str] = []
    items = list(cat.routes) + list(cat.sites)
    wanted = [] if automatic is None or mentions is None else [
        it for it in items if automatic == "all" or not it.evidence]
    support: dict = {}
    if wanted:
        from geo.evidence import find_support

        support = find_support(wanted, articles, mentions, gazetteer=gazetteer, status_cues=cat.status_cues)
    dropped: dict[str, list[str]] = {"route": [], "site": []}
    quiet: list[str] = []
    date_of = {a.id: a.meta.date for a in articles}

    def span(q: Quote):
        return find_quote(by_id[q.article], q.text) if q.article in by_id else None

    def keep(item, kind: str):
        ev = [q for q in item.evidence if q.article in have or not skip]
        figs = [f for f in item.figures if f.quote.article in have or not skip]
        update: dict = {"evidence": ev, "figures": figs}
        reports = [rep for rep in (item.status_history if kind == "route" else []) if rep.quote.article in have or not skip]
        sup = support.get(item.id, [])
        if sup:
            from geo.evidence import support_quotes

            taken = [(q.article, sp) for q in ev if (sp := span(q))]
            fresh = [x for x in sup if not any(a == x.article_id and sp[0] < x.end and x.start < sp[1] for a, sp in taken)]
            found = support_quotes(fresh, by_id)
            update["evidence"] = ev + [q for _, q in found]
            update["evidence_source"] = "mixed" if ev else "automatic"
            reports += [StatusReport(status=x.status, quote=q) for x, q in found if x.status]
        if kind == "route":
            update["status_history"] = reports
        if kind == "route" and (skip or sup):  # its status: the latest these articles report (else the earliest known)
            latest = latest_report(update["status_history"], date_of)
            if latest is not None:
                update["status"] = latest.status
            elif item.status_history:
                update["status"] = item.status_history[0].status
        if not update["evidence"]:
            (dropped[kind] if item.evidence else quiet).append(item.id)
            return None
        return item.model_copy(update=update)

    routes = [r for r in (keep(r, "route") for r in cat.routes) if r is not None]
    ids = {r.id for r in routes}
    gone = {r.id for r in cat.routes} - ids  # what a route follows or relates to may not be drawn
    routes = [
        r.model_copy(update={
            "related": [x for x in r.related if x not in gone],
            "segments": [s if s.follows not in gone else s.model_copy(update={"follows": None}) for s in r.segments],
        })
        for r in routes
    ]
    sites = [s for s in (keep(s, "site") for s in cat.sites) if s is not None]
    kept_ids = ids | {s.id for s in sites}
    claims = []
    for c in cat.claims:
        sts = [st for st in c.statements if st.quote.article in have or not skip]
        rel = [x for x in c.related if x in kept_ids or x not in gone | {s.id for s in cat.sites}]
        if sts and rel:
            claims.append(c.model_copy(update={"statements": sts, "related": rel}))
    for kind, gone in dropped.items():
        if gone:
            notes.append(f"{len(gone)} {kind}(s) of the catalogue left out, with no evidence in these articles: {', '.join(gone)}")
    found = sorted(x for x in support if support[x] and x in kept_ids)
    if found:
        notes.append(f"evidence found automatically in these articles (not reviewed) for: {', '.join(found)}")
    if quiet:
        log.info("not drawn, no sentence of these articles speaks of them: %s", ", ".join(quiet))
    return cat.model_copy(update={"routes": routes, "sites": sites, "claims": claims}), notes


def routes_from_catalogue(
    articles: Sequence[Article], catalogue: Catalogue | str | Path | None = None, *, gazetteer=None,
    missing_articles: Literal["error", "skip"] = "error", automatic: Automatic = "uncurated", mentions=None,
) -> RouteLayers:
    """Verify the catalogue and build routes, segments and sites GeoDataFrames (EPSG:4326).

    Raises :class:`CatalogueError` listing every problem: misquotes, unknown waypoints, and
    segments that leave land (or sea) beyond the tolerances. With ``missing_articles="skip"``,
    evidence from articles not in ``articles`` is dropped instead; the evidence finder supports the
    ``automatic`` routes and sites from ``mentions`` (the geoparser's frame for ``articles``, made
    here when not given): see :func:`restrict_to_articles` and :func:`evidence_policy`.
    """
    from geo.gazetteer import get_gazetteer

    source = "routes.yaml"
    cache_key = None
    if not isinstance(catalogue, Catalogue):
        path = Path(catalogue) if catalogue is not None else catalogue_path()
        source = str(path)
        if gazetteer is None and path.is_file():
            # a verified, drawn catalogue is reused while nothing it was made from has changed
            from geo import _cache

            parts: list = [path, source, missing_articles, automatic]
            parts += [x for a in articles for x in (a.id, a.text, a.path, a.meta.date or "")]
            cache_key = _cache.key("routes", *parts)
            hit = _cache.load("routes", cache_key)
            if isinstance(hit, RouteLayers):
                log.info("reused %d verified routes and %d sites (inputs unchanged)", len(hit.routes), len(hit.sites))
                return hit
        catalogue = load_catalogue(path)
    gz = gazetteer or get_gazetteer()  # after the cache: a warm build needs no gazetteer
    needs_finder = automatic == "all" or any(not it.evidence for it in [*catalogue.routes, *catalogue.sites])
    if needs_finder and mentions is None:
        from geo.places import mentions_from_articles

        mentions = mentions_from_articles(articles)
    catalogue, notes = restrict_to_articles(
        catalogue, articles, mentions=mentions if needs_finder else None, automatic=automatic,
        missing_articles=missing_articles, gazetteer=gz)
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
            crossings = {tuple(w) for w in seg.crosses_water}
            water = [i for i, leg in enumerate(zip(seg.path[:-1], seg.path[1:])) if leg in crossings]
            try:
                sg = segment_geometry([pt(p) for p in seg.path], medium, countries=[gz.place(p)["country"] or "" for p in seg.path],
                                      water_legs=water, along=seg.along, names=seg.path)
            except OffLineError as e:
                geo_probs.append(f"{source}: route {r.id!r} segment {n} ({' -> '.join(seg.path)}): {e}")
                continue
            except ValueError as e:
                geo_probs.append(f"{source}: route {r.id!r} segment {n} ({' -> '.join(seg.path)}): cannot keep it at sea: {e}")
                continue
            if seg.along is not None and r.kind == "railway" and sg.on_line is not None and sg.on_line < ON_LINE_SHARE:
                geo_probs.append(
                    f"{source}: route {r.id!r} segment {n} ({' -> '.join(seg.path)}) is drawn along {seg.along} but only "
                    f"{sg.on_line:.0%} of it (gaps in the data aside) lies within {ON_LINE_KM:g} km of that data "
                    f"(at least {ON_LINE_SHARE:.0%})"
                )
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
                "border_crossings": json.dumps(cross), "follows": seg.follows,
                "crosses_water": ";".join(f"{a}-{b}" for a, b in seg.crosses_water), "along": seg.along,
                "along_gaps": "; ".join(f"{gz.place(seg.path[i])['name']}\u2013{gz.place(seg.path[i + 1])['name']}" for i in sg.gaps) or None, "geometry": sg.line,
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
        pub = r.published_length
        if pub is not None and pub.shortfall is None and abs(total - pub.km) > LENGTH_TOLERANCE * pub.km:
            geo_probs.append(
                f"{source}: route {r.id!r} is drawn {total:,.1f} km long but its published length is {pub.km:,.0f} km "
                f"({pub.source}); off by more than {LENGTH_TOLERANCE:.0%}: add the waypoints of its real course"
            )
        route_rows.append({
            "id": r.id, "name": r.name, "kind": r.kind, "status": r.status, "summary": r.summary,
            "length_km": round(total, 1), "stated_length_km": stated[0] if stated else None,
            "published_length_km": pub.km if pub else None, "published_length_source": pub.source if pub else None,
            "length_shortfall": pub.shortfall if pub else None,
            "course": "documented" if all(s.course == "documented" for s in r.segments) else (
                "inferred" if all(s.course == "inferred" for s in r.segments) else "partly documented"),
            "countries": ",".join(countries), "border_crossings": json.dumps(crossings_all),
            "figures": _figures(r.figures, by_id), "quotes": quotes, "articles": ",".join(sorted({q["article"] for q in quotes})),
            "related": ",".join(r.related), "evidence_source": r.evidence_source,
            "geometry_sources": "; ".join(r.geometry_sources) or None,
            "status_history": _history([rep for rep in r.status_history if rep.quote.article in by_id], by_id),
            "first_date": _first_date(quotes),
            "geometry": shapely.MultiLineString(lines) if len(lines) > 1 else lines[0],
        })
    geo_probs += _check_follows(catalogue, seg_rows, source)
    for s in sorted(catalogue.sites, key=lambda s: s.id):
        rec = gz.place(s.place)
        geom = shapely.from_wkt(rec["geometry_wkt"]) if rec.get("geometry_wkt") else shapely.Point(rec["lon"], rec["lat"])
        quotes = _quotes(s.evidence, by_id)
        site_rows.append({
            "id": s.id, "name": s.name, "kind": s.kind, "status": s.status, "place_id": s.place, "summary": s.summary,
            "country": rec["country"], "figures": _figures(s.figures, by_id), "quotes": quotes,
            "articles": ",".join(sorted({q["article"] for q in quotes})), "evidence_source": s.evidence_source,
            "lat": rec["lat"], "lon": rec["lon"], "geometry": geom,
        })
    save_leg_cache()
    if geo_probs:
        raise CatalogueError(geo_probs)
    routes = gpd.GeoDataFrame(pd.DataFrame(route_rows, columns=ROUTE_COLUMNS), geometry="geometry", crs="EPSG:4326")
    segments = gpd.GeoDataFrame(pd.DataFrame(seg_rows, columns=SEGMENT_COLUMNS), geometry="geometry", crs="EPSG:4326")
    sites = gpd.GeoDataFrame(pd.DataFrame(site_rows, columns=SITE_COLUMNS), geometry="geometry", crs="EPSG:4326")
    log.info("built %d routes (%d segments) and %d sites", len(routes), len(segments), len(sites))
    layers = RouteLayers(routes, segments, sites, compare_claims(catalogue, by_id))
    if cache_key is not None:
        from geo import _cache

        _cache.store("routes", cache_key, layers, keep_latest=8)
    return layers


def compare_claims(cat: Catalogue, by_id: dict[str, Article]) -> list[dict]:
    """Each claim's statements, dated and in date order, and whether they agree: ``agree`` when
    every value is within the claim's tolerance of the others, ``disagree`` otherwise, ``one
    statement`` when there is nothing to compare."""
    out = []
    for c in sorted(cat.claims, key=lambda c: c.id):
        sts = []
        for st in c.statements:
            if st.quote.article not in by_id:
                continue
            q = _quotes([st.quote], by_id)[0]
            sts.append({"value": st.value, "as_stated": st.as_stated, **q})
        if not sts:
            continue
        sts = in_date_order(sts, lambda x: x["date"])
        vals = [x["value"] for x in sts]
        lo, hi = min(vals), max(vals)
        if len(sts) < 2:
            verdict = "one statement"
        else:
            verdict = "agree" if hi - lo <= c.tolerance * max(abs(hi), abs(lo), 1e-12) else "disagree"
        out.append({"id": c.id, "label": c.label, "unit": c.unit, "related": list(c.related), "tolerance": c.tolerance,
                    "statements": sts, "verdict": verdict, "articles": len({x["article"] for x in sts})})
    return out


#: A segment that follows another route keeps within this distance of it (km), all along.
FOLLOW_KM = 12.0


def follow_gap_km(line: shapely.Geometry, other: shapely.Geometry) -> float:
    """How far ``line`` strays from ``other`` at most (km): the greatest distance from a point of
    ``line`` (sampled every 2 km) to ``other``, measured in the region's equidistant projection."""
    from geo.routing import to_region

    a, b = to_region(line), to_region(other)
    pts = shapely.line_interpolate_point(a, [i * 2000.0 for i in range(int(a.length // 2000) + 1)] + [a.length])
    return round(float(shapely.distance(pts, b).max()) / 1000.0, 2)


def _check_follows(cat: Catalogue, seg_rows: list[dict], source: str) -> list[str]:
    """Problems with segments that say they follow another route but stray from it."""
    lines: dict[str, list] = {}
    for row in seg_rows:
        lines.setdefault(row["route_id"], []).append(row["geometry"])
    probs = []
    for r in cat.routes:
        for n, seg in enumerate(r.segments, 1):
            if seg.follows is None or seg.follows not in lines:
                continue
            mine = next((x["geometry"] for x in seg_rows if x["route_id"] == r.id and x["seq"] == n), None)
            if mine is None:
                continue
            gap = follow_gap_km(mine, shapely.union_all(lines[seg.follows]))
            if gap > FOLLOW_KM:
                probs.append(
                    f"{source}: route {r.id!r} segment {n} says it follows {seg.follows!r} but strays {gap:.1f} km from it "
                    f"(at most {FOLLOW_KM:.0f} km); give it that route's waypoints"
                )
    return probs


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
        props = {k: _clean(r[k]) for k in (
            "id", "name", "kind", "status", "length_km", "stated_length_km", "published_length_km", "published_length_source",
            "length_shortfall", "course", "summary")}
        props["countries"] = r["countries"].split(",") if r["countries"] else []
        gs = _clean(r.get("geometry_sources"))
        props["geometry_sources"] = gs.split("; ") if gs else []
        props["quotes"] = _quote_props(r["quotes"])
        props["status_history"] = [{k: h[k] for k in ("status", "effective", "article", "date", "date_precision", "text")} for h in r["status_history"]]
        props["first_date"] = _clean(r["first_date"])
        props["figures"] = [{k: f[k] for k in ("kind", "value", "unit", "label")} | {"quote": {"article": f["quote"]["article"], "text": f["quote"]["text"]}} for f in r["figures"]]
        segs = layers.segments[layers.segments.route_id == r["id"]]
        props["segments"] = [
            {"from": s["from_id"], "to": s["to_id"], "course": s["course"], "why": s["why"], "length_km": _clean(s["length_km"]),
             "follows": _clean(s["follows"]), "along": _clean(s["along"]),
             "along_gaps": _clean(s["along_gaps"]).split("; ") if _clean(s["along_gaps"]) else []}
            for _, s in segs.iterrows()
        ]
        feats.append({"type": "Feature", "id": r["id"], "properties": props, "geometry": shapely.geometry.mapping(r.geometry)})
    return {"type": "FeatureCollection", "attribution": ROUTES_ATTRIBUTION, "features": feats}


#: The sources of the routes' courses, as the GeoJSON says them (a foreign member RFC 7946 allows).
ROUTES_ATTRIBUTION = ("Courses drawn on Natural Earth (public domain) and, for the railway lines and the coast from Pohang "
                      "to Nakhodka, on data © OpenStreetMap contributors (ODbL)")


def _quote_props(quotes: list[dict]) -> list[dict]:
    """A feature's quotes in the GeoJSON exports: article, date and text (curated in date order, then
    those found automatically, best first, with what they were matched on)."""
    return [{"article": q["article"], "date": q.get("date"), "date_precision": q.get("date_precision"), "text": q["text"]}
            | ({"matched": q["matched"], "score": q["score"]} if "score" in q else {})
            for q in quotes]


def sites_to_geojson(layers: RouteLayers) -> dict:
    """The sites as an RFC 7946 FeatureCollection."""
    feats = []
    for _, r in layers.sites.iterrows():
        props = {k: _clean(r[k]) for k in ("id", "name", "kind", "status", "place_id", "country", "summary")}
        props["quotes"] = _quote_props(r["quotes"])
        feats.append({"type": "Feature", "id": r["id"], "properties": props, "geometry": shapely.geometry.mapping(r.geometry)})
    return {"type": "FeatureCollection", "features": feats}
