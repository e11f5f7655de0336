"""The pipeline's result, assembled once: articles, mentions, places, routes, segments and sites.

Every renderer (the web map, the static exports, the GIS files) starts from an :class:`AtlasData`;
none of them runs the pipeline itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo._errors import CorpusError
from geo.corpus import Article, load_corpus
from geo.places import mentions_and_places
from geo.routes import EvidencePolicy, RouteLayers, evidence_policy, routes_from_catalogue
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
    #: the gazetteer's records of every place the map reads (the places mentioned, the great rivers,
    #: the corridors' waypoints, the sites), by id: renderers read these, never the gazetteer
    records: dict[str, dict] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def atlas_data(articles: str | Path | None = None, routes: str | Path | None = None, *, as_of: str | None = None) -> AtlasData:
    """Run the pipeline: articles -> mentions -> places; catalogue -> routes, segments and sites.

    Each article is geoparsed once: the mentions the places are made of are the ones the evidence
    finder reads. With a folder of articles but the embedded catalogue, the routes and sites those
    articles support are drawn, with the sentences that speak of them (see
    :func:`geo.routes.evidence_policy`, where the policy lives).

    ``as_of`` (YYYY, YYYY-MM or YYYY-MM-DD): only the articles published by then count, for the
    places and their mentions, and for the routes, their statuses and their quotes; a route or site
    with no evidence by then is not drawn (see :mod:`geo.timeline`).
    """
    arts = load_corpus(articles)
    if as_of is not None:
        as_of = parse_as_of(as_of)
        kept = articles_as_of(arts, as_of)
        if not kept:
            dated = sorted(a.meta.date for a in arts if a.meta.date)
            raise CorpusError(f"no article was published by {as_of}" + (f" (the first is of {dated[0]})" if dated else " (none is dated)"))
        arts = kept
    mentions, places = mentions_and_places(arts)
    rl = corpus_routes(arts, routes, mentions=mentions, policy=evidence_policy(articles, routes, as_of))
    return AtlasData(arts, mentions, places, rl, as_of=as_of, records=atlas_records(places, rl))


#: The great rivers every map draws and names (gazetteer ids), the Tumen first.
GREAT_RIVERS = ("tumen-river", "amur-river", "ussuri-river", "yalu-river")


def atlas_records(places, routes: RouteLayers) -> dict[str, dict]:
    """The gazetteer's records of the places mentioned, the great rivers, the corridors' waypoints
    and the sites' places (through :func:`geo.gazetteer.place_records`: cached by their ids, so a
    rebuild loads no index)."""
    from geo.gazetteer import place_records

    ids = [*places["place_id"].tolist(), *GREAT_RIVERS, *routes.sites["place_id"].tolist()]
    for path in routes.segments["path"].tolist():
        ids += path.split(",")
    return place_records(ids)


def corpus_routes(arts: list[Article], routes: str | Path | None, *, mentions=None, policy: EvidencePolicy) -> RouteLayers:
    """The routes, segments and sites of the catalogue ``routes`` (None: the embedded one) as the
    articles ``arts`` support them under ``policy``: what every command draws and checks."""
    return routes_from_catalogue(arts, routes, missing_articles=policy.missing_articles, automatic=policy.automatic,
                                 mentions=mentions)
