"""Tumen Atlas pipeline: articles to GeoDataFrames of places, mentions, routes and evidence.

This package never imports folium or :mod:`layers`.
"""

from __future__ import annotations

from geo._errors import CatalogueError, CorpusError, GazetteerError, TumenAtlasError

__all__ = [
    "Article", "CatalogueError", "CorpusError", "GazetteerError", "TumenAtlasError", "load_corpus",
    "read_article", "mentions_from_articles", "places_from_mentions", "get_gazetteer", "geoparse_text",
]


def __getattr__(name: str):  # lazy: keep ``import geo`` light for the CLI's fast paths
    if name in ("Article", "load_corpus", "read_article"):
        from geo import corpus

        return getattr(corpus, name)
    if name in ("mentions_from_articles", "places_from_mentions"):
        from geo import places

        return getattr(places, name)
    if name == "get_gazetteer":
        from geo.gazetteer import get_gazetteer

        return get_gazetteer
    if name == "geoparse_text":
        from geo.geoparser import geoparse_text

        return geoparse_text
    raise AttributeError(name)
