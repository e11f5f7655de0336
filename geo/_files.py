"""Which files of a folder are articles, and where an article's front matter ends.

Light on purpose (no pydantic, no YAML): ``geoparse`` reads files through it before anything heavy
is imported, so that every command reads an article file the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

ARTICLE_SUFFIXES = (".md", ".txt")
#: Files of a folder that document it rather than being articles (by name, case aside, any suffix):
#: every command skips them and says so.
NOT_ARTICLES = frozenset({
    "README", "READ_ME", "CATALOG", "CATALOGUE", "SOURCES", "SOURCE", "LICENSE", "LICENCE", "COPYING", "CHANGELOG",
    "CHANGES", "HISTORY", "INDEX", "CONTRIBUTING", "AUTHORS", "NOTICE", "TODO", "_INDEX",
})
#: A YAML front matter block: the file's first line is ``---``, the block ends at the next ``---`` line.
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


def is_article_file(path: str | Path) -> bool:
    """Whether a file of a folder is an article: a ``.md`` or ``.txt`` file whose name is not one
    of :data:`NOT_ARTICLES` (README, SOURCES, LICENSE, CHANGELOG, index files ...) and not hidden."""
    p = Path(path)
    return p.suffix.lower() in ARTICLE_SUFFIXES and p.stem.upper() not in NOT_ARTICLES and not p.name.startswith(".")


def front_matter_end(text: str) -> int:
    """Where an article's body starts: after its front matter block, or 0 when it has none (or an
    unclosed one, which the corpus reader reports)."""
    m = FRONT_MATTER.match(text) if text.startswith("---") else None
    return m.end() if m else 0


def blank_front_matter(text: str) -> str:
    """``text`` with its front matter replaced by as many spaces (line breaks kept), so that a
    geoparser never reads it and every offset stays an offset into the file."""
    n = front_matter_end(text)
    return re.sub(r"[^\n]", " ", text[:n]) + text[n:] if n else text
