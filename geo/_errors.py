"""Errors raised by the pipeline: small subclasses of built-in errors."""

from __future__ import annotations


class TumenAtlasError(Exception):
    """Base class of every error the pipeline raises on bad input."""


class CorpusError(TumenAtlasError, ValueError):
    """An article file cannot be read or its front matter is invalid."""


class GazetteerError(TumenAtlasError, ValueError):
    """The curated gazetteer is invalid."""


class CatalogueError(TumenAtlasError, ValueError):
    """The routes catalogue is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in the routes catalogue:\n"
            + "\n".join(f"  - {p}" for p in self.problems)
        )
