"""Articles: loading, front matter, site-chrome detection and sentence offsets.

An article file is UTF-8 ``.md`` or ``.txt``, optionally starting with a YAML front matter block
between ``---`` lines. The text below the front matter is kept verbatim: every offset the
pipeline reports is an offset into it.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, Sequence

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geo._errors import CorpusError
from geo._text import sentence_spans, load_yaml

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".md", ".txt")


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
    language: str = "en"
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
        if v is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
            raise ValueError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
        return v


@dataclass(frozen=True)
class ChromeSpan:
    """A stretch of site chrome: kept in the text, excluded from geoparsing."""

    start: int
    end: int
    reason: str


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
        return any(c.start < end and start < c.end for c in self.chrome)

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


def content_spans(length: int, chrome: Sequence[ChromeSpan]) -> list[tuple[int, int]]:
    """The spans of a text of ``length`` characters that lie outside ``chrome``, in order."""
    out, pos = [], 0
    for c in sorted(chrome, key=lambda c: c.start):
        if c.start > pos:
            out.append((pos, c.start))
        pos = max(pos, c.end)
    if pos < length:
        out.append((pos, length))
    return out


# ------------------------------------------------------------------ chrome

# (rule, reason, literal words one of which the lower-cased line must contain before the rule is tried)
_CHROME_LINE = [
    (re.compile(r"\bcookies?\b|\bprivacy\b|\bterms of (use|service)\b|\bGDPR\b", re.I), "cookie or privacy notice", ("cookie", "privacy", "terms of", "gdpr")),
    (re.compile(r"copyright|copyryight|\u00a9|all rights reserved", re.I), "copyright line", ("copyright", "copyryight", "\u00a9", "rights reserved")),
    (re.compile(r"^\s*leave a (reply|comment)\s*$|your email address will not be published|required fields are marked", re.I), "comment form", ("leave a", "email address", "required fields")),
    (re.compile(r"^\s*(image|photo|picture|featured image)( credit)?s?\s*:|^\s*(photo|image) by\b", re.I), "photo credit", ("image", "photo", "picture")),
    (re.compile(r"\bclick here\b|\bsubscribe\b|\bsign up\b|\bnewsletter\b|\bshare this\b|\bread more\b", re.I), "navigation or call to action", ("click here", "subscribe", "sign up", "newsletter", "share this", "read more")),
    (re.compile(r"^\s*(text resize|change contrast|article search|related (articles|posts))\b", re.I), "site navigation", ("text resize", "change contrast", "article search", "related")),
    (re.compile(r"\bmins? read", re.I), "site dateline", ("min",)),
    (re.compile(r"^\s*publication:\s", re.I), "publication metadata", ("publication:",)),
    (re.compile(r"^\s*written by [^.]{2,60}\.?\s*$", re.I), "byline", ("written by",)),
    (re.compile(r"^[\d\s,.|:;/-]*$"), "punctuation-only line", None),
    (re.compile(r"^\s*(agencja|agency) digital\b|\bstudio\b.*\b(krakow|kraków)\b", re.I), "site credit", ("agencja", "agency", "studio")),
    (re.compile(r"^.{0,80}\s[-–—|]\s.{0,60}\s[-–—|]\s(articles|commentary|opinion|news)\b", re.I), "byline", (" - ", " | ", " – ", " — ")),
]
# A long line is prose unless it is unmistakably a notice: "privacy" or "sign up" alone is not enough there
_CHROME_LONG_LINE = [
    (re.compile(r"\b(we|this site|this website) (use|uses) cookies\b|\bcookie (policy|settings|preferences)\b|"
                r"\baccept (all )?cookies\b|\bprivacy (policy|notice|statement)\b|\bterms of (use|service)\b|\bGDPR\b", re.I),
     "cookie or privacy notice", ("cookie", "privacy", "terms of", "gdpr")),
    (re.compile(r"\u00a9|\bcopyright\s+(\(c\)|\d{4})|all rights reserved", re.I), "copyright line", ("\u00a9", "copyright", "rights reserved")),
    _CHROME_LINE[2],  # the comment form
    _CHROME_LINE[3],  # a photo credit (anchored at the line's start)
]
_FOOTER_START = re.compile(r"^\s*(leave a reply|leave a comment|article search|terms of use\b)", re.I)
_BIO = re.compile(
    r"^(dr\.? )?[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3} (is|was) (a|an|the) [^.]{0,80}"
    r"\b(professor|analyst|fellow|journalist|researcher|writer|editor|contributor|author|director|"
    r"lecturer|student|correspondent|scholar)\b"
)
_EN_STOP = set(
    "the of and to in a is that for on with as by at from it this are was be or an which has have "
    "not but its their his her will can been more also".split()
)


def _non_english(line: str) -> bool:
    words = re.findall(r"[^\W\d_]+", line[:400].lower())
    if len(words) < 12:
        return False
    return sum(w in _EN_STOP for w in words) / len(words) < 0.04


#: A line of prose: a full sentence of this many words or more (site furniture is short).
PROSE_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(\s|$)")


def _is_prose(line: str) -> bool:
    """A line of running text: long, with a sentence end, and none of the chrome rules' marks."""
    if len(line.split()) < PROSE_WORDS or not _SENTENCE_END.search(line) or _non_english(line):
        return False
    low = line.lower()
    return not any((words is None or any(w in low for w in words)) and rx.search(line) for rx, _, words in _CHROME_LONG_LINE)


def detect_chrome(text: str, *, keep: list[str] | tuple[str, ...] = (), extra: list[str] | tuple[str, ...] = ()) -> list[ChromeSpan]:
    """Find site chrome line by line; ``keep``/``extra`` are line substrings that override it."""
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    n = len(lines)
    spans: list[ChromeSpan] = []
    in_footer = False
    last_prose: int | None = None  # found only when a footer start needs it (most texts have none)
    for i, (s, e, line) in enumerate(lines):
        if not line.strip():
            continue
        reason = None
        # a footer starts at its first line ("Leave a reply", "Terms of use") and ends where prose
        # starts again: a digest or a saved page with several stories keeps every story. A footer
        # start in a text's first half is a footer only when another story follows it.
        if not in_footer and _FOOTER_START.search(line):
            if i < n * 0.5 and last_prose is None:
                last_prose = next((j for j in range(n - 1, -1, -1) if _is_prose(lines[j][2])), -1)
            in_footer = i >= n * 0.5 or last_prose > i
        elif in_footer and _is_prose(line):
            in_footer = False
        if any(k and k in line for k in extra):
            reason = "marked as chrome in front matter"
        elif any(k and k in line for k in keep):
            reason = None
        elif in_footer:
            reason = "page footer"
        else:
            low = line.lower()
            rules = _CHROME_LINE if len(line) < 200 else _CHROME_LONG_LINE  # bylines, credits, datelines are short
            for rx, why, words in rules:
                if (words is None or any(w in low for w in words)) and rx.search(line):
                    reason = why
                    break
            if reason is None and i >= n * 0.6 and _BIO.search(line.strip()):
                reason = "author bio"
            if reason is None and _non_english(line):
                reason = "non-English boilerplate"
        if reason:
            spans.append(ChromeSpan(s, e, reason))
    return spans


# ------------------------------------------------------------------ loading

_FM = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def read_text(path: str | Path, *, raw: bytes | None = None, label: str | None = None) -> str:
    """A UTF-8 text file's content (``raw`` bytes if given); :class:`CorpusError` names it otherwise."""
    name = label or str(path)
    if raw is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as e:
            raise CorpusError(f"{name}: cannot read: {e.strerror or e}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{name}: not UTF-8 text (byte {e.start}: {raw[e.start:e.start+1]!r})") from e
    if "\x00" in text:
        raise CorpusError(f"{name}: binary file (contains NUL bytes), not text")
    return text


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

    Files named README or CATALOG are documentation, not articles, and are skipped.
    """
    d = Path(folder) if folder is not None else default_articles_dir()
    if not d.is_dir():
        raise CorpusError(f"{d}: articles folder does not exist or is not a folder")
    files = sorted(
        f for f in d.iterdir()
        if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file()
        and f.stem.upper() not in {"README", "CATALOG", "LICENSE", "LICENCE"}
    )
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
