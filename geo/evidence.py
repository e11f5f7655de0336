"""Evidence finder: the sentences that speak of a corridor (or a site), found by the catalogue's cues.

A sentence supports a corridor when it speaks of *that* corridor, not merely of a place on it:

- it names the corridor itself (one of ``cues.names``: "energy bridge", "Man Gyong Bong",
  "RasonKonTrans"), or
- it has a word of each ``cues.what`` group (the mode, what moves: ferry, coal, tanker, munitions)
  **and** names places of ``cues.need`` of the ``cues.where`` groups (its ends or its course: Rajin
  and Vladivostok, North Korea and South Korea).

A sentence that names only places supports nothing; one with a ``cues.not`` word supports nothing.
A sentence may support two corridors when it speaks of both. The cues are catalogue data (see
:class:`geo.catalogue.Cues`), so a user reads and extends them; a route without cues gets cues
from its kind and its two ends (:func:`default_cues`).

A place of a ``where`` group counts when the geoparser found it in the sentence, or a place within
:data:`NEAR_KM` of it (Rason for Rajin), or, for ``country:XX``, any place in that country; an entry
with a capital letter is matched as written. Each supporting sentence also reports the status it
gives (the status words of :data:`geo.catalogue.DEFAULT_STATUS_CUES` and the catalogue's own), so
a corridor's status at any date is what its latest supporting sentence by then reports.

The cost is linear in the text: each article's text is scanned once per cue pattern, and mentions
are grouped by sentence in one pass.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import pandas as pd

from geo.catalogue import (
    DEFAULT_STATUS_CUES, STATUS_MODIFIERS, STATUS_MODIFIERS_AFTER, STATUS_PRIORITY, Cues, Quote, Route, Site,
)
from geo.corpus import Article
from geo.gazetteer import haversine_km
from geo.verify import find_quote

#: The words of each route kind's mode, used when a route declares no cues of its own.
KIND_WORDS: dict[str, list[str]] = {
    "pipeline": ["pipeline", "pipelines", "gas pipeline", "natural gas", "LNG"],
    "railway": ["rail", "railway", "railways", "railroad", "rail link", "rail line", "railway line", "train", "trains"],
    "power_line": ["energy bridge", "power line", "power lines", "power grid", "transmission line", "electricity"],
    "sea_route": ["ferry", "ship", "ships", "shipping", "shipment", "shipped", "vessel", "vessels", "cargo", "tanker"],
    "road": ["highway", "road", "roads", "motorway", "road bridge", "trucks"],
}
COLUMNS = ["route_id", "rank", "score", "article_id", "start", "end", "date", "text", "places", "kind_words",
           "matched", "status", "status_words", "in_catalogue"]

#: A place found within this distance of a named place counts as it (Rason for Rajin).
NEAR_KM = 15.0
#: Weights of the ranking: a corridor named outright, each ``where`` group named, each cue word.
NAME_WEIGHT, GROUP_WEIGHT, WORD_WEIGHT = 4.0, 2.0, 1.5
#: Cue words counted in the score at most.
MAX_WORDS_COUNTED = 3

def _is_place_id(entry: str) -> bool:
    """A ``where`` entry that is a gazetteer id (``rajin``, ``geonames:…``, ``country:KR``), not
    words matched as written (``Najin``, ``South Korea``)."""
    return entry.startswith(("country:", "continent:", "subdivision:")) or (entry == entry.lower() and " " not in entry)


def default_cues(item: Route | Site) -> Cues:
    """Cues for a route or site that declares none: its kind's words and its ends."""
    if isinstance(item, Site):
        return Cues(names=[item.name], what=[], where=[[item.place]], need=1)
    ends = [item.segments[0].path[0], item.segments[-1].path[-1]]
    return Cues(names=[item.name], what=[KIND_WORDS[item.kind]], where=[[ends[0], *item.also_named], [ends[1], *item.also_named]])


_MODIFIER_RX = {
    st: re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))
                   + r")\s+(?:(?:be|been|have|has|soon|eventually|also|only|yet|finally|already|fully|then|now|first)\s+){0,2}$", re.I)
    for st, ws in STATUS_MODIFIERS.items()
}


#: A status word read in another sense when these words follow it ("stopped at Khasan station").
_NOT_A_STATUS_AFTER = re.compile(r"\s+(?:at|in|by|near|over|off|for the night)\b", re.I)
#: A dateline opening a sentence ("SEOUL, South Korea (AP) —", "MOSCOW | Xinhua |"): where the report
#: was filed, not where the corridor runs; its places are not read as the corridor's. Matched with
#: ``DATELINE.match(text, sentence_start)`` (no ``\A``: that would only ever match at the text's start);
#: its dash stands apart ("MOSCOW —"), so "DPRK-Russia" or "US-Russia" opening a sentence is no dateline.
DATELINE = re.compile(
    r"\s*[A-Z][A-Z'.\-]+(?:\s+[A-Z][A-Z'.\-]+)*(?:,[^()\n\u2014\u2013|]{0,40}?)?\s*(?:\([^)\n]{1,40}\))?"
    r"(?:\s+(?:\u2014|\u2013|--|-)|\s*\|)(?:\s*[A-Z][\w.]+\s*\|)?")


def reported_status(text: str, start: int, hits: Sequence[tuple[str, re.Match]]) -> tuple[str | None, tuple[str, ...]]:
    """The status a sentence (of ``text``, starting at ``start``) reports, from its status words
    ``hits`` (status, match): each word read with the words just before it (:data:`STATUS_MODIFIERS`:
    "will be completed" is a plan, "would open" a proposal, "has not opened" nothing); of several,
    the first by :data:`STATUS_PRIORITY`. Returns the status and the words that say it."""
    found: dict[str, list[str]] = {}
    for st, m in hits:
        before = text[max(start, m.start() - 40):m.start()]
        said = m.group(0)
        if said.lower() == "stopped" and _NOT_A_STATUS_AFTER.match(text, m.end()):
            continue
        if _MODIFIER_RX["none"].search(before):
            continue
        if _HANGUL.search(said):  # Korean says it after the word
            after = text[m.end():m.end() + 12]
            if any(w in after for w in STATUS_MODIFIERS_AFTER["none"]):
                continue
            if st in ("existing", "under_construction") and any(w in after for w in STATUS_MODIFIERS_AFTER["planned"]):
                st, said = "planned", said + after
        mods = [(mod, mm) for mod in ("proposed", "planned") if (mm := _MODIFIER_RX[mod].search(before))]
        if mods and st in ("halted", "suspended"):
            continue  # a stop that may come is no status yet
        for mod, mm in mods:
            if STATUS_PRIORITY.index(mod) > STATUS_PRIORITY.index(st):  # only ever weakens what is said
                st, said = mod, (mm.group(0) + said)
                break
        found.setdefault(st, []).append(" ".join(said.lower().split()))
    for st in STATUS_PRIORITY:
        if st in found:
            return st, tuple(sorted(set(found[st])))
    return None, ()


@dataclass(frozen=True)
class _Compiled:
    """A route's or site's cues, as the phrases the scanner finds (normalised, see :func:`_key`)."""

    id: str
    names: frozenset[str]
    what: tuple[frozenset[str], ...]
    where_ids: tuple[frozenset[str], ...]
    where_words: tuple[frozenset[str], ...]
    need: int
    veto: frozenset[str]
    #: words of its own that report a status (added to the catalogue's), each to its status
    status: Mapping[str, str]
    reports_status: bool = True


def _key(phrase: str) -> str:
    """A cue phrase as the scanner finds it: lower case, hyphens, dashes and spaces between its
    words one space (a final ``*`` kept: the phrase then begins a word, as ``угольн*`` does
    угольного and угольный)."""
    return " ".join(_SEP.sub(" ", phrase.lower()).split())


_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def _open_ended(key: str) -> bool:
    """Whether a phrase may run on into the word it ends in: one marked ``*`` (a Russian stem), or
    one in Hangul, which takes its particles and endings joined to it (석탄을, 나진항에서)."""
    return key.endswith("*") or bool(_HANGUL.search(key))


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(k for w in words if (k := _key(w)))


def _compile(item: Route | Site) -> _Compiled:
    cues = item.cues or default_cues(item)
    return _Compiled(
        id=item.id, names=_keys(cues.names), what=tuple(k for g in cues.what if (k := _keys(g))),
        where_ids=tuple(frozenset(e for e in g if _is_place_id(e)) for g in cues.where),
        where_words=tuple(_keys(e for e in g if not _is_place_id(e)) for g in cues.where),
        need=len(cues.where) if cues.need is None else min(cues.need, len(cues.where)),
        veto=_keys(cues.not_), status={k: st for st, ws in cues.status.items() for k in _keys(ws)},
        reports_status=cues.reports_status,
    )


_SEP = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_SEP_CHARS = {ord(c): " " for c in "\t\n\r\f\v\u00a0\u2028\u2029\u2009\u200a\u202f\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_RUN = re.compile(r" {2,}")


class _Hit:
    """A cue phrase found in a text (its offsets in the text as given, its words as written)."""

    __slots__ = ("_s", "_e", "_t", "key")

    def __init__(self, text: str, start: int, end: int, key: str):
        self._s, self._e, self._t, self.key = start, end, text, key

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self, _n: int = 0) -> str:
        return self._t[self._s:self._e]


def _greedy(hits: Iterable[_Hit]) -> list[_Hit]:
    """Of overlapping phrases of one group, the leftmost and then the longest ("rail line", not also
    "rail" and "line"), as a regular expression of the group's phrases would find them."""
    out: list[_Hit] = []
    last = -1
    for h in sorted(hits, key=lambda h: (h.start(), -h.end())):
        if h.start() >= last:
            out.append(h)
            last = h.end()
    return out


class _Scanner:
    """Every cue phrase of a catalogue found in one pass over a text (an Aho-Corasick automaton,
    pyahocorasick), as whole words, case aside; hyphens, dashes and runs of spaces between a phrase's
    words match each other (Khasan-Rajin, Khasan – Rajin, Khasan Rajin). Linear in the text."""

    def __init__(self, keys: Iterable[str]):
        import ahocorasick

        self.automaton = ahocorasick.Automaton()
        words: dict[str, list[str]] = {}
        for k in sorted(set(keys)):
            if k.rstrip("*"):
                words.setdefault(k.rstrip("*"), []).append(k)
        for w, ks in words.items():
            self.automaton.add_word(w, (len(w), tuple(ks)))
        self.empty = not words
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, text: str) -> list[_Hit]:
        if self.empty or not text:
            return []
        low = text.lower()
        if len(low) != len(text):  # a few characters lower-case to two (İ): keep offsets
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        flat = low.translate(_SEP_CHARS)
        # runs of separators become one space: norm[i] = flat[orig[i]], orig kept at each run
        cut_norm, cut_orig, pieces, pos, shift = [0], [0], [], 0, 0
        for m in _RUN.finditer(flat):
            pieces.append(flat[pos:m.start() + 1])
            shift += m.end() - m.start() - 1
            pos = m.end()
            cut_norm.append(pos - shift)
            cut_orig.append(pos)
        pieces.append(flat[pos:])
        norm = "".join(pieces)
        out = []
        for end, (n, ks) in self.automaton.iter(norm):
            s, e = end - n + 1, end + 1
            if s > 0 and (norm[s - 1].isalnum() or norm[s - 1] == "_"):
                continue
            closed = e < len(norm) and (norm[e].isalnum() or norm[e] == "_")  # the word runs on
            i = bisect.bisect_right(cut_norm, s) - 1
            j = bisect.bisect_right(cut_norm, e - 1) - 1
            for key in ks:
                if closed and not _open_ended(key):
                    continue
                stop = e
                if closed:  # an open-ended phrase: the hit is the whole word it begins
                    while stop < len(norm) and (norm[stop].isalnum() or norm[stop] == "_"):
                        stop += 1
                    j = bisect.bisect_right(cut_norm, stop - 1) - 1
                out.append(_Hit(text, cut_orig[i] + s - cut_norm[i], cut_orig[j] + stop - 1 - cut_norm[j] + 1, key))
        out.sort(key=lambda h: (h.start(), -h.end()))
        return out


@dataclass(frozen=True)
class Support:
    """One sentence that supports a route or site."""

    item_id: str
    article_id: str
    start: int
    end: int
    score: float
    #: the words and places it was matched on, in the order of the text
    matched: tuple[str, ...]
    places: tuple[str, ...]
    kind_words: tuple[str, ...]
    #: the status this sentence reports (None: none) and the words that report it
    status: str | None
    status_words: tuple[str, ...]


#: Kinds of place too large for "near it" to mean anything (a country, a sea, a line).
_AREAL = frozenset({"country", "continent", "admin_region", "region", "sea", "ocean", "river", "route", "island", "peninsula"})


class _Places:
    """Which ``where`` entries a found place satisfies: itself, places near it, its country."""

    def __init__(self, gazetteer):
        self.gz = gazetteer
        self._near: dict[tuple[str, str], bool] = {}

    def satisfies(self, found: str, country: str | None, entry: str) -> bool:
        if found == entry:
            return True
        if entry.startswith("country:"):
            return country == entry[8:] or found == entry
        if found.startswith(("country:", "continent:")) or entry not in self.gz or found not in self.gz:
            return False
        key = (found, entry)
        if key not in self._near:
            a, b = self.gz.place(found), self.gz.place(entry)
            self._near[key] = (a["kind"] not in _AREAL and b["kind"] not in _AREAL
                               and haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= NEAR_KM)
        return self._near[key]


def _content_sentences(a: Article) -> list[tuple[int, int]]:
    """The article's sentences that touch none of its site chrome (:meth:`Article.is_chrome`, a
    bisection over its chrome spans)."""
    return [(s, e) for s, e in a.sentences if not a.is_chrome(s, e)]


def sentence_hits(scanner: _Scanner, text: str, sents: Sequence[tuple[int, int]]) -> dict[int, list[_Hit]]:
    """The phrases ``scanner`` finds in ``text`` (one pass), by the index of the sentence of
    ``sents`` (sorted spans) that holds them whole."""
    starts, ends = [s for s, _ in sents], [e for _, e in sents]
    out: dict[int, list[_Hit]] = {}
    for h in scanner.scan(text):
        i = bisect.bisect_right(starts, h.start()) - 1
        if i >= 0 and h.end() <= ends[i]:
            out.setdefault(i, []).append(h)
    return out


def status_vocabulary(status_cues: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[str]]:
    """Each status word (a scanner key) and the statuses it reports: :data:`DEFAULT_STATUS_CUES`
    with a catalogue's own ``status_cues`` added."""
    vocab: dict[str, set[str]] = {st: set(_keys(ws)) for st, ws in DEFAULT_STATUS_CUES.items()}
    for st, ws in (status_cues or {}).items():
        vocab.setdefault(st, set()).update(_keys(ws))
    out: dict[str, list[str]] = {}
    for st, ks in vocab.items():
        for k in ks:
            out.setdefault(k, []).append(st)
    return out


def status_of_hits(text: str, start: int, hits: Sequence[_Hit], vocabulary: Mapping[str, Sequence[str]],
                   own: Mapping[str, str] | None = None) -> tuple[str | None, tuple[str, ...]]:
    """The status a sentence reports (:func:`reported_status`) from the phrases found in it: the
    status words of ``vocabulary`` (:func:`status_vocabulary`) and a corridor's ``own``, each
    status's words taken leftmost-longest."""
    by_status: dict[str, list[_Hit]] = {}
    for h in hits:
        for st in [*vocabulary.get(h.key, ()), *([own[h.key]] if own and h.key in own else [])]:
            by_status.setdefault(st, []).append(h)
    return reported_status(text, start, [(st, h) for st in STATUS_PRIORITY for h in _greedy(by_status.get(st, []))])


def find_support(
    items: Sequence[Route | Site], articles: Sequence[Article], mentions: pd.DataFrame, *, gazetteer=None,
    status_cues: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[Support]]:
    """For each route or site of ``items`` (by id), the sentences of ``articles`` that support it,
    best first. ``mentions`` is the geoparser's frame for ``articles`` (``article_id``,
    ``sentence_start``, ``place_id``, ``country``, ``surface``, ``start``).

    Each article is scanned once for every cue phrase of every item (:class:`_Scanner`), and its
    mentions are grouped by sentence in one pass: the cost grows with the text, not with the text
    times the catalogue."""
    from geo.gazetteer import get_gazetteer

    gz = gazetteer or get_gazetteer()
    compiled = [_compile(it) for it in items]
    status_of = status_vocabulary(status_cues)
    keys: set[str] = set(status_of)
    for c in compiled:
        keys |= c.names | c.veto | set().union(*c.what, *c.where_words) | set(c.status)
    scanner = _Scanner(keys)
    # the items a phrase can make a candidate of: by their names and their first `what` group
    starters: dict[str, list[int]] = {}
    for n, c in enumerate(compiled):
        for k in c.names | (c.what[0] if c.what else frozenset()):
            starters.setdefault(k, []).append(n)
    places = _Places(gz)
    by_sentence: dict[tuple[str, int], list[tuple[str, str | None, str, int]]] = {}
    if len(mentions):
        cols = zip(mentions["article_id"].tolist(), mentions["sentence_start"].tolist(), mentions["place_id"].tolist(),
                   mentions["country"].tolist(), mentions["surface"].tolist(), mentions["start"].tolist())
        for aid, ss, pid, cc, surf, st in cols:
            by_sentence.setdefault((aid, int(ss)), []).append((pid, cc if isinstance(cc, str) else None, surf, int(st)))
    out: dict[str, list[Support]] = {c.id: [] for c in compiled}
    for a in articles:
        sents = _content_sentences(a)
        if not sents:
            continue
        text = a.text
        for i, hits in sentence_hits(scanner, text, sents).items():
            found_keys = {h.key for h in hits}
            s, e = sents[i]
            dl = None
            for n in sorted({n for k in found_keys for n in starters.get(k, ())}):
                c = compiled[n]
                if not (found_keys & c.names) and (not c.what or not all(found_keys & g for g in c.what)):
                    continue  # (the cheap test first: most sentences speak of no corridor)
                named = [h.group(0) for h in _greedy(h for h in hits if h.key in c.names)]
                whats = [_greedy(h for h in hits if h.key in g) for g in c.what]
                if not named and (not whats or not all(whats)):
                    continue
                if found_keys & c.veto:
                    continue
                if dl is None:
                    m = DATELINE.match(text, s, e)
                    dl = m.end() if m else s  # a dateline's places are where the report was filed
                cut = dl
                found = [f for f in by_sentence.get((a.id, s), []) if f[3] >= cut]
                groups_hit, hit_words = 0, []
                hit_places: list[str] = []
                for ids, wkeys in zip(c.where_ids, c.where_words):
                    ok = False
                    for pid, cc, surf, _ in found:
                        if any(places.satisfies(pid, cc, entry) for entry in ids):
                            ok = True
                            if pid not in hit_places:
                                hit_places.append(pid)
                            hit_words.append(surf)
                    for h in _greedy(h for h in hits if h.key in wkeys):
                        if h.start() >= cut:
                            ok = True
                            hit_words.append(h.group(0))
                    groups_hit += ok
                if not named and groups_hit < c.need:
                    continue
                cue_words = sorted({h.group(0).lower() for g in whats for h in g})
                status, status_words = None, ()
                if c.reports_status:
                    status, status_words = status_of_hits(text, s, hits, status_of, c.status)
                score = NAME_WEIGHT * bool(named) + GROUP_WEIGHT * groups_hit + WORD_WEIGHT * min(len(cue_words), MAX_WORDS_COUNTED)
                seen: list[str] = []
                for w in named + cue_words + hit_words:
                    if w.lower() not in {x.lower() for x in seen}:
                        seen.append(w)
                out[c.id].append(Support(
                    item_id=c.id, article_id=a.id, start=s, end=e, score=round(score, 2), matched=tuple(seen),
                    places=tuple(hit_places), kind_words=tuple(cue_words), status=status, status_words=status_words,
                ))
    date_of = {a.id: a.meta.date or "" for a in articles}
    by_id = {a.id: a for a in articles}
    for k, sup in out.items():
        sup.sort(key=lambda x: (-x.score, date_of[x.article_id], x.article_id, x.start))
        seen_text: set[tuple[str, str]] = set()  # no sentence twice (a caption repeated under a photo, say)
        keep = []
        for x in sup:
            key = (x.article_id, " ".join(by_id[x.article_id].text[x.start:x.end].split()).lower())
            if key not in seen_text:
                seen_text.add(key)
                keep.append(x)
        sup[:] = keep
    return out


def support_quotes(sup: Sequence[Support], by_id: Mapping[str, Article]) -> list[tuple[Support, Quote]]:
    """The supporting sentences with each as a catalogue quote (text as in the article, whitespace
    folded, with what it was matched on and its score); a sentence too short for the schema's quote
    is left out."""
    out = []
    for x in sup:
        text = " ".join(by_id[x.article_id].text[x.start:x.end].split())
        if len(text) >= 12:
            out.append((x, Quote(article=x.article_id, text=text, matched=list(x.matched), score=x.score)))
    return out


def evidence_for_route(
    route: Route | Site, articles: Sequence[Article], mentions: pd.DataFrame, *, gazetteer=None,
    status_cues: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Candidate supporting sentences for a route or site, best first (columns: :data:`COLUMNS`);
    ``in_catalogue`` marks the sentences its catalogue entry already quotes."""
    sup = find_support([route], articles, mentions, gazetteer=gazetteer, status_cues=status_cues)[route.id]
    by_id = {a.id: a for a in articles}
    quoted: dict[str, list[tuple[int, int]]] = {}
    for q in list(route.evidence) + [f.quote for f in route.figures]:
        if q.article in by_id:
            span = find_quote(by_id[q.article], q.text)
            if span:
                quoted.setdefault(q.article, []).append(span)
    rows = [{
        "route_id": route.id, "score": x.score, "article_id": x.article_id, "start": x.start, "end": x.end,
        "date": by_id[x.article_id].meta.date, "text": by_id[x.article_id].text[x.start:x.end], "places": ",".join(x.places),
        "kind_words": ",".join(x.kind_words), "matched": ", ".join(x.matched), "status": x.status,
        "status_words": ",".join(x.status_words),
        "in_catalogue": any(qs < x.end and x.start < qe for qs, qe in quoted.get(x.article_id, [])),
    } for x in sup]
    df = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    df.insert(1, "rank", range(1, len(df) + 1))
    return df
