"""Site chrome (cookie notices, footers, bylines, bios) found line by line, and reading text files.

Kept apart from :mod:`geo.corpus` (front matter, metadata, sentences) so that geoparsing a stream
of documents loads only what it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from geo._errors import CorpusError
from geo._native import compiled_core_available


@dataclass(frozen=True)
class ChromeSpan:
    """A stretch of site chrome: kept in the text, excluded from geoparsing."""

    start: int
    end: int
    reason: str


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
    (re.compile(r"\bclick here\b|\bsubscribe\b|\bsign up\b|\bnewsletter\b|\bshare this\b|\bread more\b", re.I), "navigation or call to action", ("click here", "subscribe", "sign up", "newsletter", "share", "read more")),
    (re.compile(r"^\s*(text resize|change contrast|article search|related (articles|posts))\b", re.I), "site navigation", ("text resize", "change contrast", "article", "related")),
    (re.compile(r"\bmins? read", re.I), "site dateline", ("min",)),
    (re.compile(r"^\s*publication:\s", re.I), "publication metadata", ("publication:",)),
    (re.compile(r"^\s*written by [^.]{2,60}\.?\s*$", re.I), "byline", ("written by",)),
    (re.compile(r"^[\d\s,.|:;/_=*~•·-]*$"), "punctuation-only line", None),
    (re.compile(r"^\s*(agencja|agency) digital\b|\bstudio\b.*\b(krakow|kraków)\b", re.I), "site credit", ("agencja", "agency", "studio")),
    (re.compile(r"^.{0,80}\s[-–—|]\s.{0,60}\s[-–—|]\s(articles|commentary|opinion|news)\b", re.I), "byline", (" - ", " | ", " – ", " — ")),
    (re.compile(r"^\W*(advertisement|advertising|sponsored( content)?)\W*$", re.I), "advertisement", ("advertis", "sponsored")),
    # a link to another story: "Also on <site>", "See also <headline>", "More news: <headline>", "You may
    # also like" ("Also on" a site, not "Also on Monday, ..." nor "Also on board were ...": no comma, no full stop)
    (re.compile(r"^\s*(see also|also read|read also|you (may|might) also like)\b|^\s*more news\s*:|"
                r"^\s*also on\s+(?!(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:january|february|march|april|may|june|"
                r"july|august|september|october|november|december)\b|(?:the|that|this|board|top|hand|site)\b)"
                r"[^,]*?(?<![.!?])\s*$", re.I),
     "navigation or call to action", ("also", "more news")),
    # comment widgets, sharing and following buttons, a site's lists of stories
    (re.compile(r"^\W*(all comments|show (new |all |more )?comments( \(\d+\))?|loading \d* ?comments?\W*|"
                r"please enter your (comment|name|e-?mail)( here)?|most (read|popular|viewed)|"
                r"popular (content|stories|posts)|latest (articles?|news|stories)|more articles?|"
                r"partner (news|content)|connect with us|share (with|on) (facebook|twitter|x|telegram|whatsapp|linkedin|e-?mail)|"
                r"(print this article\s*)+)\W*$|^\W*(follow \S+ on (facebook|twitter|x|telegram|vk|rss)\b\s*)+$", re.I),
     "navigation or call to action",
     ("comment", "please enter", "most ", "popular", "latest", "article", "partner", "connect with", "share", "follow")),
    (re.compile(r"^\s*(last )?updated:?\s.{0,30}\d.{0,20}$", re.I), "site dateline", ("updated",)),
    # a subscription appeal (NK News's "Get behind the headlines", "Get the Daily Update")
    (re.compile(r"^\W*get (behind the headlines|the daily update|unlimited access)\W*$", re.I), "donation appeal", ("get ",)),
    (_DONATION := re.compile(
        r"\bdonat(e|ion)\b|\bsupport (our|independent|quality) (journalism|reporting|work)\b|"
        r"\bbecome a (member|patron|supporter|subscriber)\b|\bchip in\b|\bpatreon\b|\bplease support us\b|"
        r"\bby supporting (us|the [^,]{2,40}), you\b|^\W*support (us|the [\w .]{2,40})!\s*$|"
        r"^\W*a message from (the )?[\w .]{2,40}:\s*$|^\W*remind me later\W*$|^\W*dear readers,?\s*$", re.I),
     "donation appeal", ("donat", "support", "become a", "chip in", "patreon", "message from", "remind me", "dear readers")),
    (re.compile(r"^\W*(article continues below|what to read next|story highlights)\W*$|"
                r"you must be logged in to post a comment|this site uses akismet", re.I),
     "navigation or call to action", ("article", "read next", "highlights", "logged in", "akismet")),
    (re.compile(r"^\W*(continue reading|read the (whole|full|original|rest of the) (article|story)|"
                r"recommendations|comments?|no comments yet\W*|related (stories|news))\b", re.I),
     "navigation or call to action", ("continue reading", "read the", "recommendations", "comment", "related")),
]
# A long line is prose unless it is unmistakably a notice: "privacy" or "sign up" alone is not enough there
_CHROME_LONG_LINE = [
    (re.compile(r"\b(we|this site|this website) (use|uses) cookies\b|\bcookie (policy|settings|preferences)\b|"
                r"\baccept (all )?cookies\b|\bprivacy (policy|notice|statement)\b|\bterms of (use|service)\b|\bGDPR\b", re.I),
     "cookie or privacy notice", ("cookie", "privacy", "terms of", "gdpr")),
    (re.compile(r"\u00a9|\bcopyright\s+(\(c\)|\d{4})|all rights reserved", re.I), "copyright line", ("\u00a9", "copyright", "rights reserved")),
    _CHROME_LINE[2],  # the comment form
    _CHROME_LINE[3],  # a photo credit (anchored at the line's start)
    # a donation appeal, however long ("If you value our reporting, please consider a donation …")
    (re.compile(r"\b(please )?(consider )?(donate|making a donation|make a donation|a donation)\b.{0,120}"
                r"\b(journalism|reporting|our work|independent|this site|to us)\b|"
                r"\bsupport (our|independent|quality) (journalism|reporting)\b|\bplease support us\b|"
                r"\bby supporting (us|the [^,]{2,40}), you\b", re.I),
     "donation appeal", ("donat", "support")),
    (re.compile(r"^\W*read more\b", re.I), "navigation or call to action", ("read more",)),
]
#: Russian and Korean site furniture (tried on the lines that are not surely English): reading
#: prompts, sources, comment counts, ad slots, the Korean press's reprint notice (무단전재 및 재배포
#: 금지) and bylines with an e-mail address.
_NATIVE_CHROME = [
    (re.compile(r"^\W*(читайте (также|далее|полную версию)|читать (далее|полную версию|также)|источник\s*:|"
                r"комментари[иев]|обсуждение закрыто|следующая новость|предыдущая новость|подписывайтесь|"
                r"поделиться|реклама\W*$|관련\s*(뉴스|기사)|댓글|이메일\W*$|인쇄\W*$|공유\W*$|광고(\s*로드중)?\W*$|"
                r"(이\s*시각\s*)?추천\s*뉴스|실시간\s*(랭킹|인기)\s*뉴스|"
                r"기사에 대해 의견|.{0,20}(앱|app)\s*다운로드|많이 본 뉴스|구독)", re.I), "navigation or call to action"),
    (re.compile(r"무단\s*전재|재배포\s*금지|все права защищены|перепечатка .{0,40}запрещена", re.I), "copyright line"),
    (re.compile(r"^\W*(фото|사진)\s*[:=]\s*\S.{0,60}$", re.I), "photo credit"),
    (re.compile(r"^[\w\s.·]{0,40}(기자|특파원|корреспондент)\s*\S*@\S+\s*$|^\S+\s+\S+@\S+\.\w+\s*$"), "byline"),
    (re.compile(r"^[a-z]+(_[a-z0-9]+)*_\d+_\d+$"), "advertisement"),  # an ad slot's name ("news_header_top_970_100")
]
#: A credit inside a caption ("(사진=통일부)", "Photo: AFP", "© Yonhap", "(Reuters)"): taken off before
#: a line is judged as a caption.
_CREDIT = re.compile(
    r"[(\[]\s*(photo|image|picture|사진|фото|출처)[^)\]]{0,60}[)\]]|"
    r"\b(photo|image|picture)( credit)?s?\s*(:|by)\s*[^.]{0,60}$|(사진|фото)\s*[:=][^.]{0,60}$|"
    r"(©|\(c\)|ⓒ)\s*[^.]{0,60}$|\((ap|afp|reuters|yonhap|tass|ria|xinhua)\)",
    re.I,
)


def _is_caption(line: str) -> bool:
    """A photo caption with its credit: a description of at least six words besides the credit, and
    no notice ("All rights reserved", a year of copyright). Captions are prose: they name places."""
    rest = _CREDIT.sub(" ", line)
    if re.search(r"rights reserved|copyright|\b(19|20)\d\d\b\s*$|무단|재배포|права защищены", rest, re.I):
        return False
    return len(_WORD.findall(rest)) >= 6 and rest.strip() != line.strip()
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


_WORD = re.compile(r"[^\W\d_]+")
_READ_SCRIPTS = re.compile(r"[\u0400-\u04ff\uac00-\ud7a3]")
_IS_STOP = _EN_STOP.__contains__
#: stop words with a space either side: each occurrence is one stop word (a lower bound on their count)
_SPACED_STOPS = tuple(f" {w} " for w in ("the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with"))


def _non_english(line: str, lowered: str | None = None) -> bool:
    """Twelve words or more, under 4 % of them English stop words (judged on the first 400 characters);
    ``lowered``: ``line.lower()``, when the caller has it."""
    # str.lower() only ever lengthens a text (İ becomes two characters): a lowered line as long as the
    # line is lowered character by character, and its first 400 characters are those of the line's
    low = lowered[:400] if lowered is not None and len(lowered) == len(line) else line[:400].lower()
    if len(low) < 23:  # twelve words need 23 characters
        return False
    # most English lines are settled here: a sure lower bound on their stop words against a sure upper
    # bound on their words (runs of letters, each followed by a non-letter but the last), counted until
    # the bound is reached (the most frequent stop words first)
    enough, found = 0.04 * (len(low) // 2 + 1), 0
    for stop in _SPACED_STOPS:
        found += low.count(stop)
        if found >= enough:
            return False
    words = _WORD.findall(low)
    if len(words) < 12:
        return False
    if sum(map(_IS_STOP, words)) / len(words) >= 0.04:
        return False
    # Russian and Korean lines are prose the geoparser reads (geo/_scripts.py), not foreign boilerplate
    return len(_READ_SCRIPTS.findall(low)) * 2 < sum(map(len, words))


#: A line of prose: a full sentence of this many words or more (site furniture is short).
PROSE_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(\s|$)")


def _is_prose(line: str) -> bool:
    """A line of running text: long, with a sentence end, and none of the chrome rules' marks."""
    # PROSE_WORDS words need that many characters and a separator between each two
    if len(line) < 2 * PROSE_WORDS - 1 or len(line.split()) < PROSE_WORDS or not _SENTENCE_END.search(line):
        return False
    low = line.lower()
    if _non_english(line, low):
        return False
    return not any((words is None or any(w in low for w in words)) and rx.search(line) for rx, _, words in _CHROME_LONG_LINE)


#: Each rule set's literal words (lower case): a line without one can match only the rules that have
#: none (tried in the same order).
_TRIGGERS = {id(r): tuple(sorted({w for _, _, ws in r if ws for w in ws})) for r in (_CHROME_LINE, _CHROME_LONG_LINE)}
_WORDLESS = {id(r): [x for x in r if x[2] is None] for r in (_CHROME_LINE, _CHROME_LONG_LINE)}
_LINE = re.compile(r"[^\n]+")
#: lines of this many characters or more are judged by the long-line rules
LONG_LINE = 200
# a line's flags, as the compiled scan (geo._chromescan.ChromeLines) gives them: blank; holds a word of
# its rule set; surely English; or to be judged in full here (every line, without the compiled scan)
_SPACE, _TRIGGER, _ENGLISH, _PYTHON = 1, 2, 4, 8


def _scan_python(text: str) -> list[tuple[int, int, int]]:
    """The lines of ``text`` as ``(start, end, flags)``: blank, or left to be judged in full."""
    return [(m.start(), m.end(), _SPACE if m.group().isspace() else _PYTHON) for m in _LINE.finditer(text)]


_SCAN = None


def _compiled_scan():
    """The compiled line scan (:class:`geo._chromescan.ChromeLines`) over these rules; ImportError
    where the extension is not built."""
    from geo._chromescan import ChromeLines

    return ChromeLines(_TRIGGERS[id(_CHROME_LINE)], _TRIGGERS[id(_CHROME_LONG_LINE)], _SPACED_STOPS, LONG_LINE).scan


def _scanner():
    """The line scan: compiled where :mod:`geo._chromescan` is built (and not switched off by
    ``TUMEN_ATLAS_PURE_PYTHON=1``), else :func:`_scan_python`."""
    global _SCAN
    if _SCAN is None:
        _SCAN = _compiled_scan() if compiled_core_available() else _scan_python
    return _SCAN


def detect_chrome(text: str, *, keep: list[str] | tuple[str, ...] = (), extra: list[str] | tuple[str, ...] = ()) -> list[ChromeSpan]:
    """Find site chrome line by line; ``keep``/``extra`` are line substrings that override it."""
    lines = _scanner()(text)
    n = len(lines)
    spans: list[ChromeSpan] = []
    in_footer = False
    last_prose: int | None = None  # found only when a footer start needs it (most texts have none)
    bio_from = n * 0.6
    for i, (s, e, flags) in enumerate(lines):
        if flags & _SPACE:
            continue
        line = text[s:e]
        reason = None
        # a footer starts at its first line ("Leave a reply", "Terms of use") and ends where prose
        # starts again: a digest or a saved page with several stories keeps every story. A footer
        # start in a text's first half is a footer only when another story follows it.
        if not in_footer and _FOOTER_START.search(line):
            if i < n * 0.5 and last_prose is None:
                last_prose = next((j for j in range(n - 1, -1, -1) if _is_prose(text[lines[j][0] : lines[j][1]])), -1)
            in_footer = i >= n * 0.5 or last_prose > i
        elif in_footer and _is_prose(line):
            in_footer = False
        if extra and any(k and k in line for k in extra):
            reason = "marked as chrome in front matter"
        elif keep and any(k and k in line for k in keep):
            reason = None
        elif in_footer:
            reason = "page footer"
        else:
            rules = _CHROME_LINE if e - s < LONG_LINE else _CHROME_LONG_LINE  # bylines, credits, datelines are short
            low = None
            if flags & _PYTHON:
                low = line.lower()
                triggered = any(map(low.__contains__, _TRIGGERS[id(rules)]))
            else:
                triggered = flags & _TRIGGER
                if triggered:
                    low = line.lower()
            if not triggered:
                rules = _WORDLESS[id(rules)]  # no rule's word in the line: only the wordless rules can match
            for rx, why, words in rules:
                if (words is None or any(w in low for w in words)) and rx.search(line):
                    reason = why
                    break
            if reason in ("copyright line", "photo credit") and _is_caption(line):
                reason = None  # a caption that carries its credit: prose
            if reason is None and i >= bio_from and _BIO.search(line.strip()):
                reason = "author bio"
            if reason is None and not flags & _ENGLISH:
                for rx, why in _NATIVE_CHROME:
                    if rx.search(line):
                        reason = None if why in ("copyright line", "photo credit") and _is_caption(line) else why
                        break
            if reason is None and not flags & _ENGLISH and _non_english(line, low):
                reason = "non-English boilerplate"
        if reason:
            spans.append(ChromeSpan(s, e, reason))
    return spans


# ------------------------------------------------------------------ reading


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
