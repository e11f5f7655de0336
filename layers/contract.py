"""The written contract between Python and the page: what the map's JavaScript reads.

Two structures cross from the build to the browser, and both are defined and validated here:

* :class:`PageData`, the one JSON document in ``<script id="tumen-atlas-data">``. Its ``schema``
  names this version of the contract; the page checks it (``TumenAtlas.checkData`` in
  ``static/js/core.js``) and refuses, with a visible message, data it does not understand.
* :class:`FeatureProps`, the properties of every feature of every registered layer.
* :class:`FlatShape`, the basemap's shapes: no interaction and tens of thousands of vertices, so
  each ring is one flat list of numbers (``TumenAtlas.flatLayer`` in ``static/js/layers.js``)
  rather than GeoJSON's list of coordinate pairs.

Layers do not reach the page through global variable names: each folium layer the build writes
calls ``TumenAtlas.registerOverlay(key, layer)`` or ``TumenAtlas.registerBase(key, layer)``, and
the page joins them to :attr:`PageData.overlays` and :attr:`PageData.bases` by key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA = "tumen-atlas/page/5"

_KEY = r"^[a-z0-9][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FeatureProps(_Strict):
    """Properties of a feature in a registered layer."""

    key: str | None = None  #: registry key (``place:rajin``) the reader and search find it by
    popup: str | None = None  #: key of its popup HTML in :attr:`PageData.popups`
    tooltip: str | None = None  #: plain text (set with textContent)
    style: dict = Field(default_factory=dict)  #: Leaflet path options
    marker: Literal["circle", "site"] | None = None  #: how a point is drawn
    icon: str | None = Field(default=None, pattern=r"^[a-z0-9-]+$")  #: Font Awesome icon of a site
    site_kind: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")  #: earliest evidence
    segment: str | None = None  #: key of the popup part about this segment of a route, shown above ``popup``
    lanes: list[float] | None = None  #: a corridor's lane at each vertex (see :func:`layers.spec.corridor_lanes`)
    #: a route's style as each article reported its status: ``[date, style]`` in date order
    history: list[tuple[str, dict]] | None = None
    #: a place's articles: ``[article index, mentions in it, ...]`` (indices into
    #: :attr:`PageData.articles`), from which the page sizes it under a filter or as of a date
    refs: list[int] | None = None
    #: an areal place drawn as its shape: its kind (country, continent, sea, ocean)
    area: str | None = None


class FlatShape(_Strict):
    """One basemap shape: its rings as flat lists ``[lon0, lat0, lon1, lat1, ...]``."""

    closed: bool  #: polygons (rings filled, holes by the even-odd rule) or lines
    style: dict = Field(default_factory=dict)  #: Leaflet path options
    rings: list[list[float]]

    @field_validator("rings")
    @classmethod
    def _pairs(cls, rings: list[list[float]]) -> list[list[float]]:
        for r in rings:
            if len(r) < 4 or len(r) % 2:
                raise ValueError(f"a ring is lon/lat pairs, two or more of them: got {len(r)} numbers")
        return rings


class Overlay(_Strict):
    key: str = Field(pattern=_KEY)  #: a readable word; the URL hash lists the overlays shown by key
    label: str
    group: str
    show: bool
    count: int = Field(ge=0)


class Base(_Strict):
    key: str = Field(pattern=_KEY)
    label: str
    attribution: str = ""


class Label(_Strict):
    """A name the map may show, in priority order (the list's order): the page places each in turn
    where it overlaps no placed label and no site icon, and drops it when nowhere fits."""

    t: str  #: the text
    c: str = Field(pattern=_KEY)  #: class: country, sea, strait, river, city, place, minor, region, site, peak
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    z: float = Field(ge=0, le=22)  #: shown from this zoom on
    o: float = Field(ge=0)  #: radius (px) of the symbol it names: the label sits beside it
    l: list[str]  #: overlays it belongs to: shown while any of them is (empty: always)  # noqa: E741
    g: str  #: group: labels of one group are alternatives; at most one is shown


class SearchItem(_Strict):
    key: str
    name: str
    aliases: list[str]
    kind: str
    mentions: int


class LegendItem(_Strict):
    label: str
    line: dict | None = None
    circle: dict | None = None
    area: dict | None = None
    icon: str | None = None
    color: str | None = None


class LegendSection(_Strict):
    title: str
    items: list[LegendItem]


class ArticleData(_Strict):
    id: str
    title: str
    author: str | None
    outlet: str | None
    date: str
    notes: str | None
    url: str | None


class Stop(_Strict):
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    label: str


class Timeline(_Strict):
    """The time control: its stops (the articles' dates, in order) and, for a map built with
    ``--as-of``, the date it is as of (the control then stops there)."""

    stops: list[Stop]
    as_of: str | None = None


class AsOfRule(_Strict):
    """The as-of rule (geo/timeline.py :data:`~geo.timeline.AS_OF_RULE`): whether something dated
    counts as of a date. The page's ``TumenAtlas.publishedBy`` and ``compareDates`` read it."""

    #: ``[name, length of its text]``, coarsest first
    precisions: list[tuple[str, int]] = Field(min_length=1)
    compare_at: Literal["coarser", "finer"]  #: at which of the two dates' precisions they compare
    undated: bool  #: whether something undated counts as of a date
    no_as_of: bool  #: whether everything counts with no as-of date (the whole record)

    @field_validator("precisions")
    @classmethod
    def _coarsest_first(cls, precisions: list[tuple[str, int]]) -> list[tuple[str, int]]:
        lengths = [n for _, n in precisions]
        if lengths != sorted(set(lengths)) or lengths[0] < 1:
            raise ValueError(f"precisions must be coarsest first, each longer than the last: got {lengths}")
        return precisions


class PageData(_Strict):
    """The page's data document (``schema`` names the contract's version)."""

    schema_: Literal["tumen-atlas/page/5"] = Field(alias="schema")
    title: str
    overlays: list[Overlay]
    bases: list[Base]
    #: every popup's HTML (escaped in Python) by key, packed as ``texts`` is
    #: (:func:`layers.page.pack_json`); the page decodes it at start
    popups: str = Field(pattern=r"^[A-Za-z0-9+/]*={0,2}$")
    search: list[SearchItem]
    legend: list[LegendSection]
    labels: list[Label]
    bounds: tuple[tuple[float, float], tuple[float, float]]  #: [[south, west], [north, east]]
    articles: list[ArticleData]
    #: every article's ``[text, chrome, mentions]`` in the order of ``articles``, as gzip-compressed
    #: JSON in base64 (:func:`layers.page.article_texts`, :func:`layers.page.pack_json`): chrome ``[start, end, reason]`` is site
    #: chrome, shown grey; mentions ``[start, end, registry key]``
    texts: str = Field(pattern=r"^[A-Za-z0-9+/]*={0,2}$")
    #: sizes of places (``r0``, ``k``, ``rmax``: radius ``r0 + k * sqrt(n)``, capped) and shades of
    #: areas (``omin``, ``omax``: fill opacity on a log scale), for counts under a filter or a date
    scale: dict[str, float]
    cluster: bool  #: point places are clustered by zoom (a map of many places)
    attribution: str
    sources: list[str]
    sea: str
    buttons: dict[str, str]
    timeline: Timeline
    #: how names are placed beside what they name (layers/style.py PLACEMENT, read by labels.js)
    placement: dict
    #: whether something dated counts as of a date (geo/timeline.py AS_OF_RULE, read by core.js)
    as_of_rule: AsOfRule

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def validate_page_data(data: dict) -> dict:
    """``data`` if it keeps the contract; a ValueError naming the first problems otherwise."""
    PageData.model_validate(data)
    return data


def validate_features(fc: dict) -> None:
    for f in fc["features"]:
        FeatureProps.model_validate(f["properties"])


def validate_flat_shapes(shapes: list[dict]) -> list[dict]:
    """``shapes`` if each is a :class:`FlatShape`; a ValueError naming the problem otherwise."""
    for shape in shapes:
        FlatShape.model_validate(shape)
    return shapes


def required_keys() -> list[str]:
    """The data document's keys, as the page's check lists them."""
    return sorted(f.alias or name for name, f in PageData.model_fields.items())
