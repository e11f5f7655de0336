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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geo._errors import CatalogueError
from geo._text import load_yaml

RouteKind = Literal["pipeline", "railway", "power_line", "sea_route", "road"]
Status = Literal[
    "existing", "refurbished", "proposed", "planned", "under_construction", "stalled", "suspended", "halted",
    "alternative_considered",
]
Medium = Literal["land", "sea", "any"]
SiteKind = Literal["sez", "port", "air_base", "island_development", "gas_field", "border", "bridge"]
ROUTE_KINDS: tuple[str, ...] = RouteKind.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
DEFAULT_MEDIUM = {"pipeline": "land", "railway": "land", "power_line": "land", "road": "land", "sea_route": "sea"}


class Quote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str = Field(min_length=1)
    text: str = Field(min_length=12)
    #: set on quotes the evidence finder found (not in a catalogue file): the words and places it
    #: was matched on and its score (higher ranks first)
    matched: list[str] = Field(default_factory=list)
    score: float | None = None


#: The statuses an article can report of a corridor, with the words that report each: a catalogue
#: may extend them (``status_cues`` at the top, or ``cues.status`` of one route). When a sentence
#: has the words of several, the first of :data:`STATUS_PRIORITY` wins.
DEFAULT_STATUS_CUES: dict[str, list[str]] = {
    "proposed": ["proposed", "proposal", "proposals", "propose", "proposes", "envisaged", "envisioned", "idea of",
                 "possibility", "talk of", "talks on", "feasibility", "suggested", "suggests building"],
    "planned": ["plans", "planned", "planning", "agreed", "to be built", "signed", "intends", "intend to",
                "scheduled", "set to", "about to", "will launch", "will open", "will begin", "will start", "will resume"],
    "under_construction": ["under construction", "being built", "construction began", "began construction",
                           "began building", "begun building", "started construction", "construction started",
                           "started building", "broke ground", "groundbreaking", "is building", "are building",
                           "being laid", "construction work", "construction is under way", "construction is underway"],
    "existing": ["opened", "launched", "began operating", "began running", "started operating", "in operation",
                 "operates", "operating", "arrived", "arrives", "arriving", "delivered", "completed", "has been running",
                 "carried", "carries", "carrying", "shipped", "unloaded", "loaded", "departed", "docked", "sailed",
                 "sails", "plying", "called at", "regular", "first time", "handled", "transported",
                 "transporting", "resumed regular", "resumed service", "service resumed", "resumed operations",
                 "restarted"],
    "suspended": ["suspended", "paused", "frozen", "shut down", "put on hold", "on hold", "halted temporarily"],
    "halted": ["halted", "stopped", "ceased", "abandoned", "cancelled", "canceled", "pulled out", "withdrew",
               "scrapped", "all but disappeared"],
}
# Russian (a stem marked * takes its endings) and Korean (particles and endings join the word)
for _st, _ws in {
    "proposed": ["предлож*", "идея", "идею", "제안", "구상"],
    "planned": ["планиру*", "запланирован*", "намечен*", "договорил*", "соглашени*", "계획", "예정", "추진", "합의"],
    "under_construction": ["строительство", "строится", "строят", "начали строить", "началось строительство",
                           "착공", "건설 중", "공사 중", "건설하고"],
    "existing": ["открыл*", "открыт*", "прибыл*", "доставлен*", "перевез*", "отправил*", "запущен*", "курсиру*",
                 "개통", "도착", "운송했", "운송됐", "운반했", "수출했", "반출했", "운행", "완공", "마쳤", "시작했"],
    "suspended": ["приостановлен*", "приостановил*", "중단"],
    "halted": ["прекращен*", "прекратил*", "폐쇄"],
}.items():
    DEFAULT_STATUS_CUES[_st] += _ws
#: Korean puts what changes a status word after it: "수출될 예정" (to be exported) is a plan,
#: "운행하지 않" (does not run) nothing. Read within a few characters after a Hangul status word.
STATUS_MODIFIERS_AFTER: dict[str, list[str]] = {
    "planned": ["예정", "계획", "방침", "할 것", "될 것", "전망"],
    "none": ["않", "못", "없"],
}
#: Words just before a status word that change what it reports: a hope or a condition ("would
#: open") reports a proposal, an intention ("will be completed", "plans to launch") a plan, a
#: negation ("has not opened") nothing.
STATUS_MODIFIERS: dict[str, list[str]] = {
    "proposed": ["would", "could", "might", "may", "should", "would be", "could be", "might be", "may be", "if",
                 "может", "могут", "мог бы", "могли бы", "может быть"],
    "planned": ["will", "will be", "to be", "expected to", "plans to", "plan to", "aims to", "aim to", "intends to",
                "is to", "are to", "is set to", "are set to", "is scheduled to", "are scheduled to",
                "будет", "будут", "должен", "должна", "должно", "должны"],
    "none": ["not", "never", "no longer", "yet to be", "has not been", "have not been", "was not", "were not", "hasn't",
             "haven't", "wasn't", "weren't", "didn't", "did not", "won't", "without", "не", "ни"],
}
STATUS_PRIORITY: tuple[str, ...] = ("halted", "suspended", "existing", "under_construction", "planned", "proposed")


class Cues(BaseModel):
    """How the evidence finder knows a sentence speaks of this corridor (or site), as data.

    A sentence supports it when it names it (one of ``names``), or when it has a word of every
    ``what`` group (its mode, what moves) and names places of at least ``need`` of the ``where``
    groups (its ends, its course). In ``where``, a lowercase entry is a gazetteer id (a place, or
    ``country:XX`` for any place in that country) and an entry with a capital letter is matched as
    written (a name the gazetteer may not resolve). ``not`` rules a sentence out. ``status`` adds
    words to the catalogue's status vocabulary for this corridor.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    names: list[str] = Field(default_factory=list)
    what: list[list[str]] = Field(default_factory=list)
    where: list[list[str]] = Field(default_factory=list)
    need: int | None = Field(default=None, ge=0, description="how many `where` groups must be named (default: all)")
    not_: list[str] = Field(default_factory=list, alias="not")
    status: dict[Status, list[str]] = Field(default_factory=dict)
    #: whether its sentences' status words set its status (not for a line whose existence is not in
    #: question, such as the Trans-Siberian, named in sentences about the links proposed to it)
    reports_status: bool = True

    @field_validator("what", mode="before")
    @classmethod
    def _groups(cls, v: object) -> object:
        # `what: [coal, ship]` is one group (any of them); `what: [[coal], [ship, vessel]]` needs one of each
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            return [v]
        return v


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


#: A corridor's stages: once it is being built or runs, a later report of an earlier stage (plans
#: for more of a line that runs) does not take it back, unless it was stopped (suspended, halted,
#: stalled) in between; before that, the latest report wins (a plan that lapsed is a proposal again).
STAGES = {"alternative_considered": 0, "proposed": 0, "planned": 0, "under_construction": 2, "existing": 3, "refurbished": 3}


def reports_in_order(reports: list[StatusReport], date_of: dict[str, str | None]) -> list[StatusReport]:
    """The reports whose article is in ``date_of``, in the order they are read: undated first, then
    by date; on one date, the status furthest along (:data:`STATUS_PRIORITY`) last."""
    known = [rep for rep in reports if rep.quote.article in date_of]
    return sorted(known, key=lambda rep: (date_of[rep.quote.article] or "", -status_rank(rep.status)))


def effective_statuses(statuses: list[str]) -> list[str]:
    """Each of a corridor's reported statuses (in order) as its status then, by :data:`STAGES`."""
    out: list[str] = []
    cur: str | None = None
    for st in statuses:
        if cur is not None and st in STAGES and cur in STAGES and STAGES[st] < STAGES[cur]:
            out.append(cur)
        else:
            cur = st
            out.append(st)
    return out


def latest_report(reports: list[StatusReport], date_of: dict[str, str | None]) -> StatusReport | None:
    """The report that gives a corridor its status, of those whose article is in ``date_of`` (article
    id -> date): the latest (:func:`reports_in_order`), unless it reports an earlier stage than the
    corridor had reached (:func:`effective_statuses`), when it is the one that reached it. None when
    there is none."""
    reps = reports_in_order(reports, date_of)
    if not reps:
        return None
    eff = effective_statuses([rep.status for rep in reps])
    return next(rep for rep in reversed(reps) if rep.status == eff[-1])


def status_rank(status: str) -> int:
    """A status's place in :data:`STATUS_PRIORITY` (0: the furthest along); others after them."""
    return STATUS_PRIORITY.index(status) if status in STATUS_PRIORITY else len(STATUS_PRIORITY)


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


def _needs_evidence_or_cues(item, what: str):
    """A route or site with neither quotes nor cues could never be drawn: a schema error."""
    if not item.evidence and item.cues is None:
        raise ValueError(f"a {what} needs `evidence` (quotes) or `cues` (for the evidence finder), or both")
    return item


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
    #: curated quotes; a route with ``cues`` may have none (it is then drawn only where the evidence
    #: finder finds it supported)
    evidence: list[Quote] = Field(default_factory=list)
    cues: Cues | None = None
    #: where its geometry comes from, for a corridor drawn on public sources rather than the articles
    geometry_sources: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    also_named: list[str] = Field(default_factory=list, description="gazetteer ids the route itself is known by")
    published_length: PublishedLength | None = None
    #: the status as each article reported it; the latest (by article date) must be ``status``
    status_history: list[StatusReport] = Field(default_factory=list)
    evidence_source: Literal["catalogue", "automatic", "mixed"] = "catalogue"

    _evidence_or_cues = model_validator(mode="after")(lambda self: _needs_evidence_or_cues(self, "route"))


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: SiteKind
    status: Status | Literal["under_development"]
    place: str
    summary: str
    evidence: list[Quote] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    cues: Cues | None = None
    evidence_source: Literal["catalogue", "automatic", "mixed"] = "catalogue"

    _evidence_or_cues = model_validator(mode="after")(lambda self: _needs_evidence_or_cues(self, "site"))


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
    #: words that report each status, added to :data:`DEFAULT_STATUS_CUES`
    status_cues: dict[Status, list[str]] = Field(default_factory=dict)
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
