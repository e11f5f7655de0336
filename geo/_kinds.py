"""The kinds of place and the package's data files: small and import-free, so that the curated
gazetteer's schema (geo._curated) and the index (geo.gazetteer) both read them without importing
each other."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

Kind = Literal[
    "populated_place", "port", "river", "island", "peninsula", "sea", "ocean", "lake", "country",
    "continent", "admin_region", "region", "facility", "route", "station", "waypoint",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


def data_path(name: str) -> Path:
    """A file of the package's data folder (geo/data), as installed."""
    return Path(str(resources.files("geo") / "data" / name))


def given_names_path() -> Path:
    """Common given names (people first, towns second) shipped with the package."""
    return data_path("given_names.txt")


def subdivisions_path() -> Path:
    """The world's first-level subdivisions (CSV) shipped with the package."""
    return data_path("subdivisions.csv")


def curated_path() -> Path:
    """The curated gazetteer YAML shipped with the package."""
    return data_path("gazetteer.yaml")
