"""The pipeline's result, assembled once: articles, mentions, places, routes, segments and sites.

Every renderer (the web map, the static exports, the GIS files) starts from an :class:`AtlasData`;
none of them runs the pipeline itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo._errors import CorpusError
from geo.corpus import Article, load_corpus
from geo.places import mentions_and_places
from geo.routes import RouteLayers, missing_articles_policy, routes_from_catalogue
from geo.timeline import articles_as_of, parse_as_of


@dataclass
class AtlasData:
    """Everything the map is drawn from (the pipeline's GeoDataFrames)."""

    articles: list[Article]
    mentions: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    routes: RouteLayers
    #: the date this is a view as of (None: everything the articles say)
    as_of: str | None = None

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def atlas_data(articles: str | Path | None = None, routes: str | Path | None = None, *, as_of: str | None = None) -> AtlasData:
    """Run the pipeline: articles -> mentions -> places; catalogue -> routes, segments, sites.

    With a folder of articles but the embedded catalogue, only the routes and sites those articles
    support are drawn (evidence from absent articles is left out, with a warning).

    ``as_of`` (YYYY, YYYY-MM or YYYY-MM-DD): only the articles published by then count, for the
    places and their mentions, and for the routes, their statuses and their quotes; a route or site
    with no evidence by then is not drawn (see :mod:`geo.timeline`).
    """
    arts = load_corpus(articles)
    if as_of is not None:
        return _as_of(arts, routes, parse_as_of(as_of))
    mentions, places = mentions_and_places(arts)
    rl = routes_from_catalogue(arts, routes, missing_articles=missing_articles_policy(articles, routes))
    return AtlasData(arts, mentions, places, rl)


def _as_of(arts: list[Article], routes: str | Path | None, as_of: str) -> AtlasData:
    from geo.catalogue import load_catalogue
    from geo.routes import restrict_to_articles

    kept = articles_as_of(arts, as_of)
    if not kept:
        dated = sorted(a.meta.date for a in arts if a.meta.date)
        raise CorpusError(f"no article was published by {as_of}" + (f" (the first is of {dated[0]})" if dated else " (none is dated)"))
    mentions, places = mentions_and_places(kept)
    cat, _ = restrict_to_articles(load_catalogue(routes), kept)  # no evidence found automatically: only what was said by then
    rl = routes_from_catalogue(kept, cat)
    return AtlasData(kept, mentions, places, rl, as_of=as_of)
