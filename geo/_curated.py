"""The curated regional gazetteer's schema and loader (validated with pydantic)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from geo._errors import GazetteerError
from geo._kinds import Kind, curated_path
from geo._text import load_yaml





class NaturalEarthRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    naturalearth: str
    name: str | None = None
    name_en: str | None = None


class CuratedPlace(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    kind: Kind
    country: str | None = Field(pattern=r"^[A-Z]{2}$")
    countries: list[str] = Field(default_factory=list)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    names: list[str] = Field(min_length=1)
    native: dict[str, str] = Field(default_factory=dict)
    geometry: NaturalEarthRef | None = None
    line: list[tuple[float, float]] | None = None
    coord_source: str = Field(min_length=3)
    note: str | None = None
    #: False for an entry that only gives a route its course (a station, a harbour mouth): it is a
    #: gazetteer place for the catalogue and the map's labels, but the geoparser never matches it.
    geoparse: bool = True

    @model_validator(mode="after")
    def _has_location(self) -> "CuratedPlace":
        if self.geometry is None and (self.lat is None or self.lon is None):
            raise ValueError("needs lat and lon, or a Natural Earth geometry reference")
        if self.name not in self.names:
            self.names.insert(0, self.name)
        return self


class WorldRegion(BaseModel):
    """A general-news region (province, state, sea): ranked like a US state, below curated places."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: Kind
    country: str | None = Field(pattern=r"^[A-Z]{2}$")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    names: list[str] = Field(min_length=1)


class CuratedGazetteer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    places: list[CuratedPlace]
    country_aliases: dict[str, list[str]] = Field(default_factory=dict)
    us_states: dict[str, tuple[float, float]] = Field(default_factory=dict)
    us_state_abbreviations: dict[str, list[str]] = Field(default_factory=dict)
    world_regions: list[WorldRegion] = Field(default_factory=list)
    country_points: dict[str, tuple[float, float]] = Field(default_factory=dict)
    #: Russian and Korean names (every spelling in use) of any gazetteer entry, by its id
    native_names: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> "CuratedGazetteer":
        seen: set[str] = set()
        ids = [p.id for p in self.places] + [r.id for r in self.world_regions]
        dups = [i for i in ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
        if dups:
            raise ValueError(f"duplicate place ids: {sorted(set(dups))}")
        return self




def load_curated(path: str | Path | None = None) -> CuratedGazetteer:
    """Read and validate the curated gazetteer YAML; raise :class:`GazetteerError` naming the file."""
    p = Path(path) if path is not None else curated_path()
    try:
        data = load_yaml(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise GazetteerError(f"{p}: cannot read curated gazetteer: {e}") from e
    try:
        return CuratedGazetteer.model_validate(data)
    except ValidationError as e:
        probs = "; ".join(f"{'.'.join(map(str, er['loc']))}: {er['msg']}" for er in e.errors())
        raise GazetteerError(f"{p}: invalid curated gazetteer: {probs}") from e


