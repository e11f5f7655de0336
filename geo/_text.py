"""Text normalisation and sentence segmentation with character offsets.

Normalisation maps every character of a text to exactly one character, so offsets in the
normalised text are offsets in the original: lower case, diacritics folded (``ŏ`` -> ``o``),
apostrophes and their look-alikes -> ``'``, every other non-alphanumeric character -> space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'’‘ʼʻ`´′ʹ"
_CACHE: dict[str, str] = {}


@lru_cache(maxsize=None)
def _fold_char(ch: str) -> str:
    if ch in APOSTROPHES:
        return "'"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    if low.isalnum():
        if low.isascii() or ord(low) >= 0x0530:  # only Latin, Greek and Cyrillic letters carry accents to fold
            return low
        base = unicodedata.normalize("NFKD", low)[0]
        special = {"ł": "l", "ø": "o", "đ": "d", "ß": "s", "æ": "a", "œ": "o", "ı": "i", "ħ": "h"}
        if low in special:
            return special[low]
        return base if base.isalnum() else low
    return " "


class _FoldTable(dict):
    """A lazily filled ``str.translate`` table (one char in, one char out)."""

    def __missing__(self, code: int) -> str:
        out = _fold_char(chr(code))
        self[code] = out
        return out


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return ``text`` normalised for matching, with the same length as ``text``."""
    return text.translate(_TABLE)


def name_key(name: str) -> str:
    """Normalise a gazetteer name: folded, runs of separators collapsed to one space."""
    return " ".join(fold(name).split())


_O_BREVE = re.compile("[ŏŎ]")
_U_BREVE = re.compile("[ŭŬ]")


def name_variants(name: str) -> set[str]:
    """Spellings of one name that text may use: folded, without apostrophes, with ``ŏ`` as ``o'``."""
    forms = {name}
    if _O_BREVE.search(name) or _U_BREVE.search(name):
        forms.add(_U_BREVE.sub("u'", _O_BREVE.sub("o'", name)))
    out: set[str] = set()
    for f in forms:
        key = name_key(f)
        if not key:
            continue
        out.add(key)
        bare = key.replace("'", "")
        out.add(" ".join(bare.split()))
        out.add(key.replace("'", " ").replace("  ", " "))
    out.discard("")
    return out


# ---------------------------------------------------------------- sentences

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sgt", "gen", "col", "lt", "capt", "gov", "sen", "rep",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vol", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "etc", "mt", "ft", "u.s", "u.k",
    "e.g", "i.e", "a.m", "p.m", "approx", "est", "dept", "univ", "ave", "blvd", "rd",
}
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return ``(start, end)`` offsets with whitespace trimmed.

    Paragraph breaks (blank lines or single newlines between lines) always end a sentence.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p_start = para.start()
        chunk = para.group()
        cut = 0
        for m in _SENT_END.finditer(chunk):
            before = chunk[cut : m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
            spans.append((p_start + cut, p_start + m.end()))
            cut = m.end()
        spans.append((p_start + cut, p_start + len(chunk)))
    out = []
    for s, e in spans:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((s + ls, s + rs))
    return out
