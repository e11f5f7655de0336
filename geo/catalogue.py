"""The routes catalogue: its schema (pydantic) and loading, with every problem named by place.

A catalogue lists routes (segments between gazetteer places, each documented or inferred, with
the quotes that support it and the figures the articles state) and sites. Verification against
the articles is in :mod:`geo.verify`, geometry in :mod:`geo.routing`, the tables in :mod:`geo.routes`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geo._errors import CatalogueError
from geo._text import load_yaml

RouteKind = Literal["pipeline", "railway", "power_line", "sea_route", "road"]
Status = Literal["existing", "refurbished", "proposed", "planned", "stalled", "alternative_considered"]
Medium = Literal["land", "sea", "any"]
SiteKind = Literal["sez", "port", "air_base", "island_development", "gas_field", "border"]
ROUTE_KINDS: tuple[str, ...] = RouteKind.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
DEFAULT_MEDIUM = {"pipeline": "land", "railway": "land", "power_line": "land", "road": "land", "sea_route": "sea"}


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


class StatusReport(BaseModel):
    """A route's status as one article reported it (dated by that article)."""

    model_config = ConfigDict(extra="forbid")
    status: Status
    quote: Quote


def latest_report(reports: list[StatusReport], date_of: dict[str, str | None]) -> StatusReport | None:
    """Of the reports whose article is in ``date_of`` (article id -> date), the one of the latest
    article; None when there is none."""
    from geo.timeline import date_key

    known = [rep for rep in reports if rep.quote.article in date_of]
    return max(known, key=lambda rep: date_key(date_of[rep.quote.article])) if known else None


class Segment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: list[str] = Field(min_length=2, description="gazetteer ids, first to last")
    course: Literal["documented", "inferred"]
    why: str = Field(min_length=10)
    medium: Medium | None = None
    follows: str | None = Field(
        default=None, description="id of the catalogue route this segment runs beside; checked to keep near it")
    crosses_water: list[tuple[str, str]] = Field(
        default_factory=list,
        description="legs (pairs of consecutive waypoints) of a land segment that cross water: a strait, an offshore field")
    along: Literal["natural-earth-roads", "osm-railways"] | None = Field(
        default=None,
        description="draw the segment on this line data instead of between its waypoints: the waypoints are the towns "
                    "the line passes, in order, each within a few km of it (checked); Natural Earth's roads are "
                    "shipped for the Russian Far East; osm-railways (OpenStreetMap-derived) for the Trans-Siberian "
                    "Khabarovsk-Vladivostok, Baranovsky-Khasan and the Koreas' lines")


class PublishedLength(BaseModel):
    """A route's length as published elsewhere (not in the articles): the drawing is checked against it."""

    model_config = ConfigDict(extra="forbid")
    km: float = Field(gt=0)
    source: str = Field(min_length=10)
    #: Why the drawing cannot come within :data:`LENGTH_TOLERANCE` of ``km`` yet (the missing
    #: waypoints); ``check`` reports it rather than failing, and the popup says it.
    shortfall: str | None = None


#: How far (share of the published length) a drawn route may differ from its published length.
LENGTH_TOLERANCE = 0.10


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
    published_length: PublishedLength | None = None
    #: the status as each article reported it; the latest (by article date) must be ``status``
    status_history: list[StatusReport] = Field(default_factory=list)
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


class Statement(BaseModel):
    """One article's figure for a claim: its value in the claim's unit, and how the article put it."""

    model_config = ConfigDict(extra="forbid")
    value: float
    quote: Quote
    as_stated: str | None = Field(default=None, description="the article's own words for it when the value is derived")


class Claim(BaseModel):
    """A quantity several statements give (a debt written off, a trade volume): compared, and shown
    in the popups of the routes and sites it bears on."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    unit: str
    statements: list[Statement] = Field(min_length=1)
    related: list[str] = Field(min_length=1, description="route or site ids whose popups show it")
    #: statements within this share of each other agree
    tolerance: float = Field(default=0.05, ge=0, le=1)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    routes: list[Route]
    sites: list[Site] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)

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
