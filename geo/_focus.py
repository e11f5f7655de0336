"""After resolution, for both engines: a document's focus weighed against its far places, and ships
named in lists.

**Focus.** Where a document's places lie is evidence for each of its mentions. Its *focus* is the
median of its point places' latitudes and of their longitudes (towns, ports, stations: not
countries, provinces or seas; each place once): half of them may lie anywhere without moving it
far. A document has a focus when a share (:data:`~geo._rules.FOCUS_MIN_SHARE`) of its point places
lies within
:data:`~geo._rules.FOCUS_RADIUS_KM` of it. A mention placed farther than
:data:`~geo._rules.FOCUS_FAR_KM` from the focus, by a name one edit away (Damerau–Levenshtein: a
letter dropped, added, changed or two swapped, the first letter kept) from a spelling of a place within the focus's radius,
is that place: "Kasan" in a report on the Khasan border crossing is Khasan, not Kazan (German
*Kasan*) 5,600 km away. A far place that nothing near is spelt like, named only by another of its
names, in a country the document names nowhere else and with a weak score, is dropped ("Angara" in
an article on the Rajin sea route is no name of Ankara). A far place named by its own name with a
firm score (:data:`~geo._rules.FOCUS_FIRM_SCORE`: "Moscow") is never questioned.

**Ships in lists.** The guards keep "the tanker Sakhalin" off the map (a vessel word just before the
name). A list after a vessel word names ships as well: "four vessels, namely Angara, Maia-1, Maria
and Lady R", "the bulk carriers Sparta and Ursa Major", "vessels in which Gudzon has an interest,
which include Bella, Bogatyr, Neptun, Partizan, and Sevastopol". A mention inside such a list is
dropped, whichever item it is. The vessel words are the guards' own (``_VESSEL_BEFORE`` of
:mod:`geo.geoparser`, passed in by its caller: this module cannot import the geoparser, which calls it).

Cost: the document's places are sorted once (what each is: a town, another point, a river or a
province, an area; kept for the gazetteer's life); two passes over the mentions run in C; only the
mentions scored below :data:`~geo._rules.FOCUS_FIRM_SCORE` of places that are no country, sea or
region are read in Python, those beside a list's mark or word read back to a vessel word only when
one is written in the characters before; the focus is found only when one of them is a town.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from weakref import ref

import numpy as np

from geo import _rules as R
from geo._text import name_key
from geo._variants import in_region
from geo.gazetteer import (
    FLAG_COMMON, FLAG_STOP, TIER_CITY, TIER_CONTINENT, TIER_COUNTRY, TIER_CURATED, TIER_SUBDIV, Gazetteer,
)

Mention = tuple[int, int, int, float]

#: The kinds of curated place that are points, which a focus is made of (not rivers, seas, regions).
_POINT_KINDS = frozenset({"populated_place", "port", "facility", "station", "waypoint"})
#: The countries whose towns of the region geo/_variants.py respells (Russian and Korean names; not
#: Chinese, whose pinyin names often lie one letter apart: Xinhua, Xinghua).
_RESPELT = ("RU", "KP", "KR")
#: What a spelling one edit away may become: a letter of a folded name.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def refocus(gz: Gazetteer, text: str, found: list[Mention], *, vessel_words: frozenset[str]) -> list[Mention]:
    """``found`` (``(start, end, entry, score)``, as :meth:`Geoparser.parse` returns them) with the ships
    named in lists after a vessel word dropped and the far places weighed against the document's focus.

    Only the mentions scored below :data:`~geo._rules.FOCUS_FIRM_SCORE` are read again ("Moscow",
    "Pyongyang" and the countries are named firmly), and the focus is found only for a document that
    has such a mention of a point place."""
    if not found:
        return found
    # the places a ship may be named after, or a misspelling resolve to: not countries, continents,
    # seas, peninsulas or regions (their kinds kept per place, for the gazetteer's life)
    places = set(map(itemgetter(2), found))
    kind = _sorts(gz)
    for i in places - kind.keys():
        kind[i] = _sort(gz, i)
    ok = {i for i in places if kind[i]}
    if not ok:
        return found
    firm = R.FOCUS_FIRM_SCORE
    weak = [j for j in compress(range(len(found)), map(ok.__contains__, map(itemgetter(2), found)))
            if found[j][3] < firm]
    if not weak:
        return found
    # ships named in a list after a vessel word
    heads = _heads(vessel_words)
    stems = _stems(vessel_words)
    walked: dict[int, bool] = {}  # where a name's reading back started, and what it found
    starts = [found[j][0] for j in weak]
    before = map(text.__getitem__, [s - 2 if s > 1 else 0 for s in starts])
    drop = {j for j, s in compress(zip(weak, starts), map(_BEFORE_ITEM.__contains__, before))
            if _may_follow_list(text, s, heads, stems) and _after_vessel_word(text, s, heads, vessel_words, walked)}
    # far places, against the focus: the towns (GeoNames'), but a world city by its own name
    swap: dict[int, tuple[int, float]] = {}
    points = [j for j in weak if j not in drop and kind[found[j][2]] == _TOWN and not (
        gz.population[found[j][2]] >= R.WORLD_CITY_POP and text[found[j][0] : found[j][1]] == gz.cell("names", found[j][2]))]
    got = focus_of(gz, places, kind) if points else None
    if got is not None:
        centre, dist = got
        memo: dict[tuple[int, str, float], tuple[int, float] | None] = {}
        context = None
        for j in points:
            s, e, i, score = found[j]
            if dist[i] <= R.FOCUS_FAR_KM:
                continue
            key = (i, text[s:e], score)
            if key not in memo:
                if context is None:
                    # the document's places but the far ones, and the countries they are in
                    mine = frozenset(k for k in places if dist.get(k, 0.0) <= R.FOCUS_FAR_KM)
                    context = mine, Counter(gz.cell("countries", k) for k in mine)
                memo[key] = _reweigh(gz, key[1], i, score, centre, *context)
            new = memo[key]
            if new is None:
                drop.add(j)
            elif new != (i, score):
                swap[j] = new
    if not drop and not swap:
        return found
    return [(f[0], f[1], *swap[j]) if j in swap else f for j, f in enumerate(found) if j not in drop]


#: What :func:`_sort` says of a place: a town (GeoNames'), another point (a curated port, station,
#: town), another place a ship may be named after (a river, an island, a province), or none of these
#: (a country, a continent, an ocean, a sea, a peninsula, a region: a vessel's name in a list is not
#: "the Pacific Ocean", and these are never a town's misspelling).
_TOWN, _POINT, _OTHER, _NEITHER = 3, 2, 1, 0
_AREAL = frozenset({"country", "continent", "ocean", "sea", "peninsula", "region"})


_SORTS: dict[int, tuple[ref, dict[int, int]]] = {}


def _sorts(gz: Gazetteer) -> dict[int, int]:
    """:func:`_sort` of the places of ``gz`` met so far (for as long as the gazetteer lives)."""
    got = _SORTS.get(id(gz))
    if got is None or got[0]() is not gz:
        got = _SORTS[id(gz)] = (ref(gz, lambda _, k=id(gz): _SORTS.pop(k, None)), {})
    return got[1]


def _sort(gz: Gazetteer, i: int) -> int:
    t = gz.tier[i]
    if t == TIER_CITY:
        return _TOWN
    if t in (TIER_COUNTRY, TIER_CONTINENT):
        return _NEITHER
    k = gz.cell("kinds", i)
    if k in _AREAL:
        return _NEITHER
    return _POINT if t == TIER_CURATED and k in _POINT_KINDS else _OTHER


# ----------------------------------------------------------------------------------- focus


def _km(lat1, lon1, lat2, lon2):
    """Great-circle distances (km) between points in radians (numpy broadcasting)."""
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * R.EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _km1(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (km) between two points in radians."""
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * R.EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))


def focus_of(gz: Gazetteer, places: set[int], kind: dict[int, int] | None = None):
    """The focus of a document whose mentions are of ``places`` (entries): ``(lat, lon)`` (radians),
    the median of its point places' latitudes and of their longitudes (robust: half of them may lie
    anywhere), and the distance (km) from it of each point place (a dict by entry); None when the
    document has too few point places, or too few of them within the focus's radius."""
    if kind is None:
        kind = {i: _sort(gz, i) for i in places}
    pts = [i for i in places if kind[i] >= _POINT]
    if len(pts) < R.FOCUS_MIN_PLACES:
        return None
    ll = {i: (math.radians(float(gz.lat[i])), math.radians(float(gz.lon[i]))) for i in pts}
    clat = statistics.median(v[0] for v in ll.values())
    clon = statistics.median(v[1] for v in ll.values())
    dist = {i: _km1(clat, clon, *ll[i]) for i in pts}
    if sum(km <= R.FOCUS_RADIUS_KM for km in dist.values()) < R.FOCUS_MIN_SHARE * len(pts):
        return None
    return (clat, clon), dist


def _reweigh(gz: Gazetteer, surface: str, i: int, score: float, centre: tuple[float, float],
             mine: frozenset[int], countries: Counter) -> tuple[int, float] | None:
    """A far mention's entry and score once weighed against the focus at ``centre`` (None: dropped)."""
    key = name_key(surface)
    own = key == name_key(gz.cell("names", i))
    if own and (score >= R.FOCUS_FIRM_SCORE or gz.population[i] >= R.WORLD_CITY_POP):
        return i, score  # "Moscow", "Berlin": a far place by its own name, named firmly or prominent
    near = _near_spelling(gz, key, *centre, mine) if len(key.replace(" ", "")) >= R.FOCUS_MIN_LETTERS else None
    if near is not None:
        return near, score
    if not own and score < R.FOCUS_WEAK_SCORE and not countries.get(gz.cell("countries", i)):
        return None
    return i, score


def _edits(word: str) -> set[str]:
    """Every spelling one edit from ``word`` after its first letter (a misspelling keeps it): a letter
    dropped, added or changed, two neighbours swapped."""
    splits = [(word[:k], word[k:]) for k in range(1, len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


def _near_spelling(gz: Gazetteer, key: str, clat: float, clon: float, mine: frozenset[int]) -> int | None:
    """The place within the focus's radius whose spelling is one edit from ``key``, among the places
    whose spellings are known to vary: the curated places, the document's own, and the Russian and
    Korean towns of the region, whose names geo/_variants.py respells; a curated place first, then the most populous. None
    when there is none (a town elsewhere one letter from another is a namesake, not a misspelling:
    Xinhua and Jinhua)."""
    aho = gz.automaton
    best, best_rank = None, None
    for v in sorted(_edits(key)):
        k = aho.get(f" {v} ", None)
        if k is None or gz.key_flags[k] & (FLAG_COMMON | FLAG_STOP) or len(v.replace(" ", "")) < R.FOCUS_MIN_LETTERS:
            continue
        ents = gz.entries_for_key(k)
        ents = ents[~np.isin(gz.tier[ents], (TIER_COUNTRY, TIER_CONTINENT, TIER_SUBDIV))]
        if not len(ents):
            continue
        km = _km(clat, clon, np.radians(gz.lat[ents]), np.radians(gz.lon[ents]))
        for j in np.flatnonzero(km <= R.FOCUS_RADIUS_KM).tolist():
            e = int(ents[j])
            if not (gz.tier[e] == TIER_CURATED or e in mine or (
                    in_region(float(gz.lat[e]), float(gz.lon[e])) and gz.cell("countries", e) in _RESPELT)):
                continue
            rank = (gz.tier[e] != TIER_CURATED, -int(gz.population[e]), float(km[j]), e)
            if best_rank is None or rank < best_rank:
                best, best_rank = e, rank
    return best


# ----------------------------------------------------------------------------------- ships


@lru_cache(maxsize=4)
def _stems(vessel_words: frozenset[str]) -> tuple[str, ...]:
    """What every form of each vessel word contains ("ferr" for "ferry" and "ferries")."""
    return tuple(sorted(w[:-1] if w.endswith("y") else w for w in vessel_words))


@lru_cache(maxsize=4)
def _heads(vessel_words: frozenset[str]) -> frozenset[str]:
    """The vessel words and their plurals ("vessels", "ferries")."""
    return frozenset(vessel_words) | {w[:-1] + "ies" if w.endswith("y") and w[-2:-1] not in "aeiou" else w + "s"
                                      for w in vessel_words}


#: What may stand between a vessel word and its list, and between the items of the list.
_LIST_WORDS = frozenset("and or the namely such as including include includes called named like".split())
#: The marks between a vessel word and its list, and between items (a comma, a colon, a dash).
_LIST_MARKS = frozenset(",:–—")
#: The character before the space before a name in a list: a mark, or the last letter of a list word
#: or a plural vessel word ("and", "or", "the", "namely", "as", "including", "include", "called",
#: "like"; "vessels", "ferries"; a singular one just before a name is the guards' already).
_BEFORE_ITEM = frozenset(",:–—dreysg")
_TOKEN = re.compile(r"[\w’'.-]+|[,:–—()]")
#: An item's word: a capitalised word, a number, a Roman numeral ("Sparta IV", "Maia-1", "Lady R").
_ITEM_WORD = re.compile(r"(?:[A-Z][\w’'.-]*|\d[\w-]*|[IVX]+)")
#: The words that introduce a list after a clause, or after a singular vessel word ("a ship called X").
_INTRODUCERS = frozenset("namely include includes called named".split())



def _prev_token(text: str, i: int) -> tuple[str, int]:
    """The token that ends before ``i`` (spaces skipped): a word (letters, digits, ``’'.-``) or one of
    ``,:–—()``, and where it starts; ``""`` at a line's or the text's start or other punctuation."""
    j = i
    while j > 0 and text[j - 1] == " ":
        j -= 1
    if j == 0:
        return "", 0
    c = text[j - 1]
    if c in ",:–—()":
        return c, j - 1
    k = j
    while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "’'.-") and j - k < 40:
        k -= 1
    return text[k:j], k


def _may_follow_list(text: str, s: int, heads: frozenset[str], stems: tuple[str, ...]) -> bool:
    """A quick test before :func:`_after_vessel_word`: the word before the name (and the one before
    "the") is a list's mark, word or vessel word, and a vessel word is written in the characters before."""
    if text[s - 1 : s] != " ":
        return False
    k = text.rfind(" ", s - 16 if s > 16 else 0, s - 1)
    if k < 0:
        return False  # a long word, a line's start
    w = text[k + 1 : s - 1]
    if w == "the":
        k2 = text.rfind(" ", k - 16 if k > 16 else 0, k)
        if k2 < 0:
            return False
        w = text[k2 + 1 : k]
        if not (w[-1:] in _LIST_MARKS or w.lower() in _LIST_WORDS or w.lower() in heads):
            return False
    elif not (w[-1:] in _LIST_MARKS or w in _LIST_MARKS or w.lower() in _LIST_WORDS or w.lower() in heads):
        return False
    # (in lower case: a sentence may start with one, "Vessels such as ...")
    window = text[s - R.FOCUS_VESSEL_WINDOW if s > R.FOCUS_VESSEL_WINDOW else 0 : s].lower()
    for w in stems:
        if w in window:
            return True
    return False


def _after_vessel_word(text: str, s: int, heads: frozenset[str], vessel_words: frozenset[str],
                       walked: dict[int, bool]) -> bool:
    """Whether the name at ``s`` is an item of a list that a vessel word heads: read back, token by
    token, over items, separators and introducers to a vessel word, within the sentence. ``walked``
    holds the answers for names read before: reading back from the next item of a list stops at them."""
    verdict = walked[s] = _read_back(text, s, heads, vessel_words, walked)
    return verdict


def _read_back(text: str, s: int, heads: frozenset[str], vessel_words: frozenset[str], walked: dict[int, bool]) -> bool:
    i, paren, intro, n = s, 0, False, 0
    while n < R.FOCUS_VESSEL_TOKENS:
        n += 1
        t, i = _prev_token(text, i)
        if not paren and not intro and i in walked:
            return walked[i]  # the item before, already read back
        if not t:
            return False
        if t == ")":
            paren += 1
            continue
        if paren:
            paren -= t == "("
            continue
        low = t.lower()
        if low in heads:
            # a plural vessel word heads a list ("vessels, namely Angara, ..."); a singular one only
            # with an introducer ("a ship called Angara"): "oil by tanker, the Tumen road bridge" is no list
            return low not in vessel_words or intro
        if t.endswith(".") and len(t) > 2 and not t[-2].isupper():
            return False  # the sentence before ("... in 2024. Rajin")
        if low in _LIST_WORDS or t in _LIST_MARKS or _ITEM_WORD.fullmatch(t):
            intro = intro or low in _INTRODUCERS
            continue
        if intro:
            # "vessels in which Gudzon has an interest, which include ...": a plural vessel word before
            # the introducer, in the same clause
            lo = max(0, i - R.FOCUS_VESSEL_CLAUSE_CHARS)
            cut = max(text.rfind(". ", lo, i), text.rfind("\n", lo, i))
            return any(w.lower() in heads and w.lower() not in vessel_words
                       for w in _TOKEN.findall(text, max(lo, cut + 1), i + len(t)))
        return False
    return False
