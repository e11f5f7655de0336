"""The pipeline's result, assembled once: articles, mentions, places, routes, segments and sites.

Every renderer (the web map, the static exports, the GIS files) starts from an :class:`AtlasData`;
none of them runs the pipeline itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.corpus import Article, load_corpus
from geo.places import mentions_from_articles, places_from_mentions
from geo.routes import RouteLayers, missing_articles_policy, routes_from_catalogue


@dataclass
class AtlasData:
    """Everything the map is drawn from (the pipeline's GeoDataFrames)."""

    articles: list[Article]
    mentions: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    routes: RouteLayers

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def atlas_data(articles: str | Path | None = None, routes: str | Path | None = None) -> AtlasData:
    """Run the pipeline: articles -> mentions -> places; catalogue -> routes, segments, sites.

    With a folder of articles but the embedded catalogue, only the routes and sites those articles
    support are drawn (evidence from absent articles is left out, with a warning).
    """
    arts = load_corpus(articles)
    mentions = mentions_from_articles(arts)
    places = places_from_mentions(mentions, arts)
    rl = routes_from_catalogue(arts, routes, missing_articles=missing_articles_policy(articles, routes))
    return AtlasData(arts, mentions, places, rl)
