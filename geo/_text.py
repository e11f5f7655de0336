"""Text normalisation and sentence segmentation with character offsets.

Normalisation maps every character of a text to exactly one character, so offsets in the
normalised text are offsets in the original: lower case, diacritics folded (``ŏ`` -> ``o``),
apostrophes and their look-alikes -> ``'``, every other non-alphanumeric character -> space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'’‘ʼʻ´′ʹ"
_CACHE: dict[str, str] = {}


#: Marks the first letter of a word that starts in lower case (see :func:`mark_lowercase_words`).
LOWER_MARK = "\x01"
#: Words that may stand in lower case inside a name ("Sea of Japan", "the Tumen river", "trans-Siberian").
LOWERCASE_TOKENS = frozenset(
    "of de la le du upon on the and al el da do dos das del di am an der sur en y im in les los bei sous "
    "au aux es i e os und aan den ter op ob "
    "river railway railroad island islands sea port bay basin lake peninsula strait gulf ocean mountains range "
    "canal channel airport base airbase airfield station highway fields field region krai province "
    "trans inter pan sub".split()
)
_PREFIX_TOKENS = frozenset({"trans", "inter", "pan", "sub"})
_LOWER_START = re.compile(r"[\s(\[{\"“‘/\-–—][a-z]")


def mark_lowercase_words(text: str) -> str:
    """``text`` with the first letter of every lower-case word replaced by :data:`LOWER_MARK`.

    Same length. Names are capitalised, so a pattern that starts a word never matches a marked one:
    the matcher skips ordinary words without a Python-level look at each.
    """
    marked = _LOWER_START.sub(" " + LOWER_MARK, text)  # the separator before becomes a space, as fold makes it
    return LOWER_MARK + marked[1:] if marked[:1].islower() else marked


def is_elided_article(token: str) -> bool:
    """A French or Italian article joined to the next word: "d'Ivoire", "l'Aquila" (any apostrophe)."""
    return len(token) > 2 and token[0] in "dlDL" and token[1] in APOSTROPHES


def marked_key_variants(key: str) -> list[str]:
    """``key`` as :func:`mark_lowercase_words` would leave its lower-case-able tokens, every combination."""
    toks = key.split(" ")
    if len(toks) < 2:
        return []
    # a name never starts with a lower-case word, except for prefixes like "trans-Siberian"
    idx = [i for i, t in enumerate(toks) if (t in LOWERCASE_TOKENS or is_elided_article(t)) and (i > 0 or t in _PREFIX_TOKENS)]
    if not idx or len(idx) > 3:
        return []
    out = []
    for mask in range(1, 1 << len(idx)):
        tt = list(toks)
        for b, i in enumerate(idx):
            if mask >> b & 1:
                tt[i] = LOWER_MARK + tt[i][1:]
        out.append(" ".join(tt))
    return out


@lru_cache(maxsize=None)
def _fold_char(ch: str) -> str:
    if ch == LOWER_MARK:
        return LOWER_MARK
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


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# ASCII characters other than letters, digits, space, the apostrophe and the lower-case mark
_ASCII_SEP = re.compile(r"[\x00\x02-\x1f!-&(-/:-@\[-`{-\x7f]")


def _fold_match(m: re.Match) -> str:
    return _fold_char(m.group())


def fold(text: str) -> str:
    """Return ``text`` normalised for matching, with the same length as ``text``.

    Fast path: ``str.lower`` and two regular expressions (ASCII separators to spaces, the few
    non-ASCII characters one by one); a text whose lower case changes length is translated
    character by character instead.
    """
    low = text.lower()
    if len(low) != len(text):
        return text.translate(_TABLE)
    low = _NON_ASCII.sub(_fold_match, low)
    return _ASCII_SEP.sub(" ", low)



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
        raw = fold(f).strip()
        if "." in f and raw != key and "   " not in raw:
            out.add(raw)  # "St. Louis" is "st  louis" in folded text: the full stop becomes a space
        if "'s " in key:
            out.add(key.replace("'s ", "   "))  # "People's Republic": the matcher blanks possessives
        bare = key.replace("'", "")
        out.add(" ".join(bare.split()))
        out.add(" ".join(key.replace("'", " ").split()))  # "Mariupol'" -> "mariupol" (never a trailing space)
    out.discard("")
    return out


@lru_cache(maxsize=1)
def _yaml_loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """The safe loader, but an impossible date (``2014-13-45``, ``2015-02-30``) stays the text it
        is, for the schema to reject naming its field, instead of a bare ValueError from datetime."""

    def timestamp(loader, node):
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return Loader


def load_yaml(text: str):
    """``yaml.safe_load`` with libyaml's C parser when PyYAML has it (same results, much faster);
    an impossible date is kept as its text."""
    import yaml

    return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a safe loader


# ---------------------------------------------------------------- sentences

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sgt", "gen", "col", "lt", "capt", "gov", "sen", "rep",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vol", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "etc", "mt", "ft", "u.s", "u.k",
    "e.g", "i.e", "a.m", "p.m", "approx", "est", "dept", "univ", "ave", "blvd", "rd",
}
# a sentence's end: a full stop, question or exclamation mark before a capital, a digit, a Cyrillic
# capital or a Hangul syllable (Korean has no capitals) after a space
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]»]*(?=\s+[\"“‘(\[«]?[A-Z0-9А-ЯЁ\uac00-\ud7a3])")


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
