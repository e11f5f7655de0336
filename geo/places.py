"""Text to GeoDataFrames: mentions per article, places aggregated over mentions."""

from __future__ import annotations

import logging
from typing import Iterable, Sequence

import geopandas as gpd
import pandas as pd
import shapely

from geo.corpus import Article
from geo.geoparser import Geoparser, default_geoparser

log = logging.getLogger(__name__)

MENTION_COLUMNS = [
    "article_id", "start", "end", "surface", "sentence", "sentence_start", "sentence_end", "place_id",
    "name", "kind", "country", "score", "geometry",
]


def mentions_from_articles(
    articles: Sequence[Article], *, keep_chrome: bool = False, geoparser: Geoparser | None = None
) -> gpd.GeoDataFrame:
    """Every place mention in ``articles`` (site chrome excluded unless ``keep_chrome``), one row each.

    Sorted by ``article_id`` then ``start``; geometry is the place's representative point.
    """
    gp = geoparser or default_geoparser()
    gz = gp.gz
    cols: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
    (aid_c, start_c, end_c, surf_c, sent_c, ss_c, se_c, pid_c, name_c, kind_c, country_c, score_c, geom_c) = (
        cols[c] for c in ("article_id", "start", "end", "surface", "sentence", "sentence_start", "sentence_end",
                          "place_id", "name", "kind", "country", "score", "geometry"))
    parsed = _parse_cached(articles, gp, keep_chrome)
    point: dict[int, object] = {}  # one point per place, shared by its mentions (built once, not per mention)
    for a, found in zip(articles, parsed):
        text = a.text
        sentence = None
        for s, e, i, score in found:
            ss, se = a.sentence_at(s)
            if sentence is None or sentence[0] != ss:  # mentions in one sentence share its text
                sentence = (ss, text[ss:se])
            pt = point.get(i)
            if pt is None:
                pt = point[i] = shapely.Point(round(float(gz.lon[i]), 6), round(float(gz.lat[i]), 6))
            aid_c.append(a.id)
            start_c.append(s)
            end_c.append(e)
            surf_c.append(text[s:e])
            sent_c.append(sentence[1])
            ss_c.append(ss)
            se_c.append(se)
            pid_c.append(gz.ids[i])
            name_c.append(gz.names[i])
            kind_c.append(gz.kinds[i])
            country_c.append(gz.countries[i] or None)
            score_c.append(score)
            geom_c.append(pt)
    df = pd.DataFrame(cols, columns=MENTION_COLUMNS)
    gdf = gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")
    gdf = gdf.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)
    log.info("geoparsed %d articles: %d mentions of %d places", len(articles), len(gdf), gdf["place_id"].nunique())
    return gdf


def _parse_cached(articles: Sequence[Article], gp: Geoparser, keep_chrome: bool) -> list[list[tuple]]:
    """Geoparse each article, reusing results cached for the same text, chrome, index and code.

    A warm build of unchanged articles then never loads the name automaton.
    """
    from geo import _cache

    # the geoparser's code, the compiled core and the gazetteer are in the policy; these are the inputs
    parts: list = [str(keep_chrome), gp.engine]
    for a in articles:
        parts += [a.text, repr(a.content_spans())]
    key = _cache.key("mentions", *parts)
    default = gp is default_geoparser()
    hit = _cache.load("mentions", key) if default else None
    if hit is not None and len(hit) == len(articles):
        return [[(s, e, gp.gz.index_of(pid), score) for s, e, pid, score in found] for found in hit]
    out = [gp.parse(a.text, None if keep_chrome else a.content_spans()) for a in articles]
    if default:
        _cache.store("mentions", key, [[(s, e, gp.gz.ids[i], score) for s, e, i, score in found] for found in out], keep_latest=16)
    return out


def mentions_and_places(articles: Sequence[Article]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """:func:`mentions_from_articles` and :func:`places_from_mentions` of ``articles`` with the default
    geoparser, cached together for the same articles (ids, dates, text, chrome), index and code.

    A warm build of unchanged articles then loads neither the gazetteer nor Natural Earth.
    """
    from geo import _cache
    from geo._native import compiled_core_available

    parts: list = ["compiled" if compiled_core_available() else "python"]
    for a in articles:
        parts += [a.id, a.meta.date or "", a.text, repr(a.content_spans())]
    key = _cache.key("places", *parts)
    hit = _cache.load("places", key)
    if hit is not None:
        return hit
    mentions = mentions_from_articles(articles)
    places = places_from_mentions(mentions, articles)
    _cache.store("places", key, (mentions, places), keep_latest=16)
    return mentions, places


def place_geometry(place_id: str, geoparser: Geoparser | None = None) -> shapely.Geometry:
    """The full geometry of a place: a country's Natural Earth outline, the course of a river or
    route, else its point."""
    gz = (geoparser or default_geoparser()).gz
    rec = gz.place(place_id)
    if rec.get("geometry_wkt"):
        return shapely.from_wkt(rec["geometry_wkt"])
    if place_id.startswith("country:"):
        from geo.naturalearth import country_outline

        outline = country_outline(place_id[8:])
        if outline is not None:
            return outline
    return shapely.Point(rec["lon"], rec["lat"])


def places_from_mentions(
    mentions: gpd.GeoDataFrame, articles: Iterable[Article] = (), *, geoparser: Geoparser | None = None
) -> gpd.GeoDataFrame:
    """One row per place mentioned: counts, the articles, first and last article dates, names.

    ``geometry`` is the place's full geometry (a line for rivers and routes); ``lat``/``lon`` its
    representative point. Sorted by mention count (descending) then ``place_id``.
    """
    gz = (geoparser or default_geoparser()).gz
    dates = {a.id: a.meta.date for a in articles}
    rows = []
    for pid, grp in mentions.groupby("place_id", sort=True):
        rec = gz.place(pid)
        arts = sorted(set(grp["article_id"]))
        ds = sorted(d for d in (dates.get(x) for x in arts) if d)
        native = rec.get("native") or {}
        rows.append({
            "place_id": pid, "name": rec["name"], "kind": rec["kind"], "country": rec["country"],
            "mention_count": int(len(grp)), "article_count": len(arts), "articles": ",".join(arts),
            "first_date": ds[0] if ds else None, "last_date": ds[-1] if ds else None,
            "surfaces": "|".join(sorted(set(grp["surface"]))),
            "native_names": "; ".join(f"{k}: {v}" for k, v in sorted(native.items())),
            "population": rec["population"] or None,
            "lat": rec["lat"], "lon": rec["lon"], "coord_source": rec.get("coord_source") or "GeoNames",
            "geometry": place_geometry(pid, geoparser),
        })
    cols = ["place_id", "name", "kind", "country", "mention_count", "article_count", "articles", "first_date",
            "last_date", "surfaces", "native_names", "population", "lat", "lon", "coord_source", "geometry"]
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows, columns=cols), geometry="geometry", crs="EPSG:4326")
    return gdf.sort_values(["mention_count", "place_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
