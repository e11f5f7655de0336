"""Articles: loading, front matter, site-chrome detection and sentence offsets.

An article file is UTF-8 ``.md`` or ``.txt``, optionally starting with a YAML front matter block
between ``---`` lines. The text below the front matter is kept verbatim: every offset the
pipeline reports is an offset into it.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import itertools
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from geo._errors import CorpusError
from geo._files import (  # noqa: F401  (re-exported: every command reads article files the same way)
    ARTICLE_SUFFIXES, FRONT_MATTER, NOT_ARTICLES, blank_front_matter, front_matter_end, is_article_file,
)
from geo.chrome import (  # noqa: F401  (re-exported: corpus was their home)
    PROSE_WORDS, ChromeSpan, _is_prose, _non_english, content_spans, detect_chrome, read_text,
)
from geo._text import sentence_spans, load_yaml

log = logging.getLogger(__name__)


class FrontMatter(BaseModel):
    """What is known of an article; every field optional but ``id`` defaults to the file stem."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str | None = None
    title_inferred: bool = False
    author: str | None = None
    outlet: str | None = None
    date: str | None = None
    date_precision: Literal["day", "month", "year", "unknown"] | None = None
    url: str | None = None
    #: ``en``, ``ru``, ``ko``, …; when the front matter does not say, the script most of the text is in
    language: str | None = None
    source_file: str | None = None
    notes: str | None = None
    chrome_keep: list[str] = Field(default_factory=list)
    chrome_extra: list[str] = Field(default_factory=list)

    @field_validator("date", mode="before")
    @classmethod
    def _date_to_str(cls, v: object) -> object:
        if isinstance(v, (_dt.date, _dt.datetime)):
            return v.isoformat()[:10]
        if isinstance(v, int):
            return str(v)
        return v

    @field_validator("date")
    @classmethod
    def _check_date(cls, v: str | None) -> str | None:
        if v is not None:
            from geo.timeline import check_date

            try:
                check_date(v, what="date")  # a real day of the calendar, not only its shape
            except ValueError as e:  # the message as it is (pydantic would prefix "Value error, ")
                raise PydanticCustomError("date", "{problem}", {"problem": str(e)}) from None
        return v


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    text: str
    title: str
    meta: FrontMatter
    chrome: tuple[ChromeSpan, ...] = ()
    sentences: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @property
    def date_precision(self) -> str:
        if self.meta.date_precision:
            return self.meta.date_precision
        if not self.meta.date:
            return "unknown"
        return {4: "year", 7: "month", 10: "day"}[len(self.meta.date)]

    def is_chrome(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps site chrome: a bisection over the spans sorted by start
        (with the running maximum of their ends), so a sentence costs log(chrome lines), not all of them."""
        if not self.chrome:
            return False
        starts, max_ends = self._chrome_index
        i = bisect.bisect_left(starts, end)  # the spans that start before ``end``: [0, i)
        return i > 0 and max_ends[i - 1] > start

    @functools.cached_property
    def _chrome_index(self) -> tuple[list[int], list[int]]:
        spans = sorted((c.start, c.end) for c in self.chrome)
        return [s for s, _ in spans], list(itertools.accumulate((e for _, e in spans), max))

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence holding ``offset``."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s, e = self.sentences[mid]
            if offset < s:
                hi = mid - 1
            elif offset >= e:
                lo = mid + 1
            else:
                return s, e
        # between sentences (whitespace): the line around it
        s = self.text.rfind("\n", 0, offset) + 1
        e = self.text.find("\n", offset)
        return s, (len(self.text) if e < 0 else e)

    def content_spans(self) -> list[tuple[int, int]]:
        """The spans of the text that are not chrome, in order."""
        return content_spans(len(self.text), self.chrome)


# ------------------------------------------------------------------ loading

_FM = FRONT_MATTER


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def read_article(path: str | Path, *, text: str | None = None, detect: bool = True) -> Article:
    """Read one article file (or ``text`` given for it); raise :class:`CorpusError` naming it."""
    p = Path(path)
    if text is None:
        text = read_text(p)
    data: dict = {}
    body = text
    if text.startswith("---"):
        m = _FM.match(text)
        if not m:
            raise CorpusError(f"{p}: front matter starts with '---' but has no closing '---' line")
        try:
            loaded = load_yaml(m.group(1))
        except yaml.YAMLError as e:
            raise CorpusError(f"{p}: front matter is not valid YAML: {e}") from e
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise CorpusError(f"{p}: front matter must be a mapping of fields, got {type(loaded).__name__}")
        data = loaded
        body = text[m.end():]
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as e:
        probs = "; ".join(f"{'.'.join(map(str, er['loc'])) or 'front matter'}: {er['msg']}" for er in e.errors())
        raise CorpusError(f"{p}: invalid front matter: {probs}") from e
    art_id = meta.id or re.sub(r"[^A-Za-z0-9_.-]+", "-", p.stem).strip("-") or "article"
    if meta.language is None:
        from geo._scripts import detect_language

        meta = meta.model_copy(update={"language": detect_language(body)})
    title = meta.title or _first_line(body) or art_id
    chrome = detect_chrome(body, keep=meta.chrome_keep, extra=meta.chrome_extra) if detect else []
    return Article(
        id=art_id, path=str(p), text=body, title=title, meta=meta.model_copy(update={"id": art_id}),
        chrome=tuple(chrome), sentences=tuple(sentence_spans(body)),
    )


def default_articles_dir() -> Path:
    """The folder of the embedded default corpus (inside the installed package)."""
    return Path(str(resources.files("geo") / "data" / "articles"))


def load_corpus(folder: str | Path | None = None) -> list[Article]:
    """Load every ``.md``/``.txt`` article in ``folder`` (default: the embedded corpus), sorted by id.

    Files that document the folder (README, SOURCES, LICENSE, CHANGELOG, index files: see
    :func:`is_article_file`) are not articles: they are skipped, and a log line names them.
    """
    d = Path(folder) if folder is not None else default_articles_dir()
    if not d.is_dir():
        raise CorpusError(f"{d}: articles folder does not exist or is not a folder")
    texts = sorted(f for f in d.iterdir() if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file())
    files = [f for f in texts if is_article_file(f)]
    skipped = [f.name for f in texts if not is_article_file(f)]
    if skipped:
        log.info("skipped %d file(s) of %s that are not articles: %s", len(skipped), d, ", ".join(skipped))
    if not files:
        raise CorpusError(f"{d}: no .md or .txt articles in this folder")
    arts = [read_article(f) for f in files]
    seen: dict[str, str] = {}
    for a in arts:
        if a.id in seen:
            raise CorpusError(f"{a.path}: article id {a.id!r} is already used by {seen[a.id]}")
        seen[a.id] = a.path
    arts.sort(key=lambda a: a.id)
    log.info("loaded %d articles from %s (%d chrome lines excluded)", len(arts), d, sum(len(a.chrome) for a in arts))
    return arts
