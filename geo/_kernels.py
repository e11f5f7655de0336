"""The geoparser's raw-buffer kernels in Python: what ``geo/_fold.pyx`` and ``geo/_scan.pyx`` do
compiled, each function here the equivalent of the compiled one of the same name
(``tests/test_engine.py`` checks each pair on generated and real text).

- :func:`prepare`: a text folded into the automaton's alphabet;
- :func:`matches`: the automaton's matches, in the order the guards read them;
- :func:`demonym_counts`: the demonyms a text holds.

The rules they serve (what a candidate is, how it is resolved) are in :mod:`geo._engine`.
"""

from __future__ import annotations

import bisect
import functools
import re

import numpy as np

from geo._text import fold, mark_lowercase_words

# possessives end a name: "Pyongyang's" -> "Pyongyang  ", "Koreas' " -> "Koreas  "
_POSSESSIVE_S = re.compile(r"'s(?![a-z0-9])")
_POSSESSIVE_BARE = re.compile(r"(?<=[a-z])'(?![a-z0-9])")


def prepare(text: str, start: int = 0, stop: int = -1) -> tuple[str, bool]:
    """The text the automaton reads, of ``text[start:stop]``: lower-case words marked, folded,
    possessives blanked, padded with a space at each end (offsets carry over, plus one); and
    whether it holds a character beyond one byte (it may be Cyrillic or Hangul)."""
    if stop < 0 or stop > len(text):
        stop = len(text)
    if start < 0 or start > stop:
        raise ValueError("prepare: start must lie between 0 and stop")
    part = text[start:stop] if start > 0 or stop < len(text) else text
    folded = _POSSESSIVE_BARE.sub(" ", _POSSESSIVE_S.sub("  ", fold(mark_lowercase_words(part))))
    padded = " " + folded + " "
    return padded, not padded.isascii() and max(padded) > "\xff"


def within(raw: list, spans) -> list:
    """The matches of ``raw`` (``(start, end, ...)``) that lie inside one of ``spans``: by binary
    search over the spans by start, with the furthest end reached so far."""
    spans = sorted(spans)
    starts = [a for a, _ in spans]
    reach, far = [], -1
    for _, b in spans:
        far = max(far, b)
        reach.append(far)
    out = []
    for r in raw:
        j = bisect.bisect_right(starts, r[0])
        if j and reach[j - 1] >= r[1]:
            out.append(r)
    return out


def matches(automaton, padded: str, first: int, offset: int, key_len, spans) -> np.ndarray:
    """The automaton's word-aligned matches in ``padded`` from ``first``, as ``(start, end, key)``
    triples end to end (offsets in the text: ``padded`` folds the text from ``offset``), sorted by
    start and the longest first; with ``spans``, only those inside one of them."""
    raw = []
    for endp, k in automaton.iter(padded, first):
        e = endp - 1 + offset
        raw.append((e - int(key_len[k]), e, k))
    if spans is not None and raw:
        raw = within(raw, spans)
    raw.sort(key=lambda r: (r[0], -r[1]))
    return np.asarray(raw, dtype=np.int64).reshape(-1)


@functools.lru_cache(maxsize=8)
def _words_rx(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + r")\b")


def demonym_counts(text: str, demonyms: dict) -> list[tuple[str, int]]:
    """``(country, n)`` for the whole words of ``text`` that are keys of ``demonyms`` (a word to its
    country), each country once, in the order of its first demonym."""
    counts: dict[str, int] = {}
    for m in _words_rx(tuple(demonyms)).finditer(text):
        cc = demonyms.get(m.group())
        if cc:
            counts[cc] = counts.get(cc, 0) + 1
    return list(counts.items())
