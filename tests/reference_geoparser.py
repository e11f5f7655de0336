"""The reference geoparser: the Python code the geoparser was before its rules were written once
in ``geo/_engine.py`` (Cython in pure Python mode), kept here as it was so that the tests can check
the engine, compiled and interpreted, finds and resolves exactly the mentions it did
(``tests/test_engine.py``). Not part of the package; nothing in ``geo/`` imports it. A rule added to
the engine since is added here too, marked as such, so that the comparison still holds everywhere else.

What the engine's translation could not get wrong is borrowed from the package, not kept twice: the
guards' word lists and the small helpers over them (:mod:`geo._engine`), the spans filter
(:func:`geo._kernels.within`) and the merging of the Russian and Korean candidates
(:func:`geo.geoparser.with_native`). The guards and the resolution,
the code that was written twice, are the reference's own.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from typing import NamedTuple, Sequence

import numpy as np

from geo._text import LOWERCASE_TOKENS, fold, is_elided_article, mark_lowercase_words
from geo._kernels import within as _within
from geo.geoparser import with_native
from geo import _rules as R
from geo import _scripts
from geo._rules import MAX_NAMESAKES, MIN_SCORE  # noqa: F401  (public names)
from geo.gazetteer import (
    NOT_PLACES,
    FLAG_ABBREV, FLAG_ACRONYM, FLAG_COMMON, FLAG_STOP, TIER_ADMIN, TIER_CITY, TIER_CONTINENT, TIER_COUNTRY,
    TIER_CURATED, TIER_SUBDIV, Gazetteer, get_gazetteer,
)

log = logging.getLogger(__name__)

# possessives end a name: "Pyongyang's" -> "Pyongyang  ", "Koreas' " -> "Koreas  "
_POSSESSIVE_S = re.compile(r"'s(?![a-z0-9])")
_POSSESSIVE_BARE = re.compile(r"(?<=[a-z])'(?![a-z0-9])")
from geo._engine import (  # noqa: E402  (the word lists and helpers; see the module's docstring)
    ES_STEMS as _ES_STEMS, FUNCTION_WORDS as _FUNCTION_WORDS, GIVEN_NAMES as _GIVEN_NAMES, KIND_HINTS as _KIND_HINTS,
    MONTH_DAY as _MONTH_DAY, NOT_PLACE_AFTER as _NOT_PLACE_AFTER, ORG_AFTER as _ORG_AFTER, ORG_BEFORE as _ORG_BEFORE,
    ORG_RUN_HEADS as _ORG_RUN_HEADS, PERSON_ACTS as _PERSON_ACTS, PERSON_OBJECT_OF as _PERSON_OBJECT_OF,
    PLACE_PREFIX as _PLACE_PREFIX, PREFIXES as _PREFIXES, SPEECH_VERBS as _SPEECH_VERBS, TITLES as _TITLES,
    VESSEL_BEFORE as _VESSEL_BEFORE, DEMONYMS as _DEMONYMS, hint_word as _hint_word, less as _less, shares as _shares,
)


def _prepare(text: str) -> str:
    """The text the automaton reads: lower-case words marked, folded, possessives blanked, padded
    with a space at each end (same length as ``text`` plus two, so offsets carry over)."""
    folded = _POSSESSIVE_BARE.sub(" ", _POSSESSIVE_S.sub("  ", fold(mark_lowercase_words(text))))
    return " " + folded + " "


def _tokens_capitalised(surface: str) -> bool:
    if surface[:6].lower().startswith(_PREFIXES):  # "trans-Siberian"
        surface = surface.split(surface[surface.index("-") if "-" in surface else 5], 1)[-1]
    toks = re.split(r"[\s\-‐‑–]+", surface)
    if not toks or not toks[0] or not (toks[0][0].isupper() or not toks[0][0].isalpha()):
        return False
    for t in toks[1:]:
        if not t:
            continue
        c = t[0]
        if c.isalpha() and c.islower() and t.lower().strip("'’") not in LOWERCASE_TOKENS and not is_elided_article(t):
            return False
    return True


_ORG_RUN = re.compile(r"(?: [A-Z][\w-]*)+")


def _org_run(text: str, p: int) -> bool:
    """(Added with geo/_engine.py's ORG_RUN_HEADS rule, so that this reference still tells the engine
    apart on everything else.) Capitalised words after the name's next word reaching an
    organisation's last word within R.ORG_NAME_WORDS words of the name."""
    m = _ORG_RUN.match(text, p)
    if not m:
        return False
    words = [re.sub(r"[^\w-]", "", w) for w in m.group().split(" ")[1:]][: R.ORG_NAME_WORDS - 1]
    return any(re.match(r"[\w-]*", w).group().lower() in _ORG_RUN_HEADS for w in words)


def _prev_word(text: str, start: int) -> tuple[str, int, bool]:
    """The word just before ``start`` (separated by spaces, tabs or a hyphen), where it starts, and
    whether a hyphen joins them ("Khasan-Rajin")."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    hyphen = i == start - 1
    if hyphen and (i < 0 or text[i] not in "-‐‑"):
        return "", -1, False  # punctuation or nothing before: no adjacent word
    j = i
    while j >= 0 and (text[j].isalnum() or text[j] in "'’.-‐‑") and i - j < 40:
        j -= 1
    word = text[j + 1 : i + 1].strip(".-‐‑'’")
    if text[i] == "." and word.lower() not in _TITLES and not _is_initial(word):
        return "", -1, False  # the end of the previous sentence ("… the Yalu. Mount Paektu")
    return word, j + 1, hyphen


def _is_initial(word: str) -> bool:
    """A single capital letter: a person's initial when a full stop follows ("Ashley L. Evans")."""
    return len(word) == 1 and "A" <= word <= "Z"


def _dateline(text: str, s: int, e: int) -> bool:
    """A news dateline: "COLUMBUS, Ohio (AP) —", "BEIRUT:" at the start of a sentence or line."""
    return _sentence_initial(text, s) and (text[e : e + 1] in (",", ":") and e < len(text)
                                           or text[e : e + 2] in (" -", " —", " –", " ("))


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"“‘'(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;—–"


_INITIAL_THEN_NAME = re.compile(r"\. [A-Z][a-z]")
_NEXT_RX = re.compile(r"(?:'s|’s)?([ \t]*)([\w'’-]*)")
_TITLECASE = re.compile(r"(?:Mc|Mac|O')?[A-Z][a-z]+")
_PERSONLIKE = re.compile(r"[A-Z][a-z]+(?:-[A-Za-z]+)?")
_STRONG_TIERS = (TIER_COUNTRY, TIER_CURATED, TIER_ADMIN)


class _KeyInfo(NamedTuple):
    """Everything about a name key's entries that no document context changes (computed once)."""

    entries: list[int]
    base: list[float]  # score before context: tier, population, alternate-name and common-word penalties
    tiers: list[int]
    countries: list[str]
    admin1: list[str]
    kinds: list[str]
    ids: list[str]
    cities: list[int]  # positions of the GeoNames towns and US counties among the entries
    city_ll: tuple | None  # their (lat, lon) in radians, when there is more than one
    primary: list[bool]
    population: list[int]
    context: tuple | None  # (country, countries spanned, US state) an unambiguous strong name implies
    acronym_only: list[bool]
    # a town or county that a state the document names makes likelier; not where the name is a
    # country's, state's or region's own ("California, Maryland" is no likelier for a text that names
    # Maryland, nor "Ontario, New York" for one that names New York)
    state_local: list[bool]
    key: int
    local_ll: tuple | None  # (lat, lon) in radians of the towns and counties, when there is one
    # more than one town or county and no country, state or curated place (whose sense is the
    # prominent one): nearness to the places of the document's other names chooses among them
    local_only: bool
    # the countries and US states this name may be, as (country, state) pairs ("" for a country)
    regions: tuple
    multi_country: bool  # its senses lie in more than one country
    # towns or counties only (at most MAX_NAMESAKES): their places lend nearness to other names'
    # namesakes; a name with a state's or country's sense lends none ("New York" is the state first)
    lends: bool
    anchors: bool  # one sense, a town or curated place: placed confidently, it anchors nearness


class Geoparser:
    """The reference's extraction and resolution over one :class:`~geo.gazetteer.Gazetteer` (the
    package's by default): its own Python code, always."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gz = gazetteer or get_gazetteer()
        gz = self.gz
        self._log_pop = np.log10(np.maximum(gz.population, 1).astype(np.float64))
        # per-key facts the guards need, precomputed once (numpy per match is too slow)
        ptr = gz.key_ptr
        nonempty = ptr[1:] > ptr[:-1]
        starts = np.minimum(ptr[:-1], max(len(gz.key_entries) - 1, 0))
        min_tier = np.minimum.reduceat(gz.tier[gz.key_entries], starts) if len(gz.key_entries) else np.zeros(0)
        max_pop = np.maximum.reduceat(gz.population[gz.key_entries], starts) if len(gz.key_entries) else np.zeros(0)
        #: per key, as arrays (the guards read lists made of them)
        self._key_arrays = {
            "strong": (min_tier <= TIER_ADMIN) & nonempty,
            "tiers_min": np.where(nonempty, min_tier, 99),
            "maxpop": np.where(nonempty, max_pop, 0),
        }
        self._key_info: dict[int, _KeyInfo] = {}

    # per key, as lists (the guards read these; made on first use)
    @functools.cached_property
    def _key_strong(self) -> list[bool]:
        return self._key_arrays["strong"].tolist()

    @functools.cached_property
    def _key_tiers_min(self) -> list[int]:
        return self._key_arrays["tiers_min"].tolist()

    @functools.cached_property
    def _key_maxpop(self) -> list[int]:
        return self._key_arrays["maxpop"].tolist()

    @functools.cached_property
    def _key_len(self) -> list[int]:
        return self.gz.key_len.tolist()

    @functools.cached_property
    def _key_flags(self) -> list[int]:
        return self.gz.key_flags.tolist()

    # -- extraction -------------------------------------------------------------------

    def candidates(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
        """Word-aligned name matches ``(start, end, key)`` that pass the guards, longest first wins."""
        return self._candidates(text, spans)[0]

    def _candidates(self, text: str, spans) -> tuple[list[tuple[int, int, int]], list[str]]:
        """The candidates and, aligned with them, the lower-cased word after each (a kind hint)."""
        padded = _prepare(text)
        key_len = self._key_len
        # pattern " key " ends at padded index endp; the key starts at text index endp - len(key) - 1
        raw = [(endp - 1 - key_len[k], endp - 1, k) for endp, k in self.gz.automaton.iter(padded)]  # type: ignore[attr-defined]
        if not raw:
            return [], []
        if spans is not None:
            raw = [r for r in raw if _inside(r[0], r[1], spans)] if len(spans) < 8 else _within(raw, spans)
        raw.sort(key=lambda r: (r[0], r[0] - r[1]))
        raw_starts = {r[0] for r in raw}
        out: list[tuple[int, int, int]] = []
        next_words: list[str] = []
        last_end = -1
        name_like: set[int] = set()
        guard = self._guard
        # longest match at each start wins; a guarded-out long match lets a shorter one through
        for s, e, k in raw:
            if s < last_end:
                continue
            nm = _NEXT_RX.match(text, e)
            verdict = guard(text, s, e, k, nm, raw_starts)
            if verdict is True:
                out.append((s, e, k))
                nl = nm.group(2).lower()
                next_words.append(_hint_word(nl, text, s) if text[s - 4 : s] == " of " else nl)
                last_end = e
            elif verdict == "name":
                name_like.add(k)
        if name_like:
            # one sense per document: a weak name seen inside a person's or an organisation's
            # name ("Kim" in "Kim Jong Un") is not a place elsewhere in the same document
            strong = self._key_strong
            keep = [i for i, c in enumerate(out) if c[2] not in name_like or strong[c[2]]]
            out, next_words = [out[i] for i in keep], [next_words[i] for i in keep]
        return out, next_words

    def _common(self, w: str) -> bool:
        """A common English word, inflections included ("veterans", "funded")."""
        cw = self.gz.common_words
        if w in cw:
            return True
        if w.endswith("s") and (
            w[:-1] in cw or (w.endswith("es") and w[:-2] in cw and w[:-2].endswith(_ES_STEMS))
            or (w.endswith("ies") and w[:-3] + "y" in cw)
        ):
            return True
        if w.endswith("ed") and (w[:-2] in cw or w[:-1] in cw):
            return True
        return w.endswith("ing") and (w[:-3] in cw or w[:-3] + "e" in cw)

    def _guard(self, text: str, s: int, e: int, k: int, nm: re.Match, raw_starts: set[int]) -> bool | str:
        """True to keep; False to drop; ``"name"`` when the match is part of a person's name.

        ``nm`` is :data:`_NEXT_RX` matched at ``e``; ``raw_starts`` are where any name starts.
        """
        flags = self._key_flags[k]
        strong = self._key_strong[k]
        if flags & FLAG_STOP and not strong:
            return False
        surface = text[s:e]
        if flags & FLAG_ABBREV:
            # "Charleston, W.Va.": after a comma, with its full stop; dotted ("the S.C. Highway Patrol") anywhere
            return text[e : e + 1] == "." and surface[:1].isupper() and (text[max(0, s - 2) : s] == ", " or "." in surface)
        if flags & FLAG_ACRONYM:
            # "US", "DPRK": acronyms only of countries, states and curated places ("KBR", "CDC" are not places)
            if not strong or not surface.replace(".", "").isupper():
                return False
        elif (" " in surface or "-" in surface or surface[0].islower()) and not _tokens_capitalised(surface):
            return False
        elif len(surface) > 1 and surface.isupper() and not (strong and len(surface) <= 5):
            # "NICE", "KBR": an all-capitals word is an acronym unless the line is in capitals (a strong
            # place's short form, "USA" where a town Usa shares the key, is that place's acronym)
            ls = max(text.rfind("\n", 0, s) + 1, s - 160)
            le = text.find("\n", e, e + 160)
            line = text[ls : le if le >= 0 else e + 160]
            letters = [c for c in line if c.isalpha()]
            if sum(c.isupper() for c in letters) < R.CAPITALS_SHARE * len(letters) and not _dateline(text, s, e):
                return False
        if text[e : e + 1] == "$":
            return False  # a currency ("US$460 million", "HK$")
        ngap, nxt = nm.group(1), nm.group(2)
        possessive = nm.start(1) > e
        nxt_l = nxt.lower()
        if nxt and ngap == " " and not possessive and nxt[0].isupper() and (nxt_l in _ORG_AFTER or _org_run(text, nm.end(2))):
            return False
        if nxt_l in _NOT_PLACE_AFTER and ngap == " ":
            return False  # "West Nile virus", "Lassa fever": a disease; "Moscow time": a clock
        if text.endswith(_ORG_BEFORE, 0, s):
            return False  # "Radio Free Asia", "Voice of America": a broadcaster
        prev, pstart, hyphen = _prev_word(text, s)
        if prev and not hyphen and prev.lower() in _VESSEL_BEFORE:
            return False  # "the tanker Sakhalin": a ship
        if _is_initial(prev) and text[pstart + 1 : pstart + 2] == ".":
            return "name"  # "Ashley L. Evans"
        if nxt and ngap == " " and not possessive and _is_initial(nxt) and _INITIAL_THEN_NAME.match(text, nm.end(2)):
            return "name"  # "Ashley L. Evans", not "Washington D.C."
        if prev:
            if _TITLECASE.fullmatch(prev):
                pl = prev.lower()
                if pl in _TITLES:
                    return "name"
                # a first name before it ("Michael Jordan"); not a common word ("Metropolitan Atlanta"),
                # nor another name joined by a hyphen ("Khasan-Rajin", "Washington-Moscow")
                if pl in _GIVEN_NAMES or (
                    not hyphen and pl not in _FUNCTION_WORDS and pl not in _PLACE_PREFIX and pl not in _MONTH_DAY
                    and (len(pl) <= 2 or not self._common(pl))
                ):
                    if not strong or not _sentence_initial(text, pstart):
                        return "name"
                if flags & FLAG_COMMON and not strong and not hyphen and pl not in _FUNCTION_WORDS and pl not in _PLACE_PREFIX:
                    return False  # a word in a capitalised compound ("National Forest", "Air Force Reserve")
            elif prev == "of" and flags & FLAG_COMMON and not strong and _TITLECASE.fullmatch(_prev_word(text, pstart)[0]):
                return False  # "Chamber of Commerce"
        if strong:
            # "Victoria Beckham", "Jordan Peterson": a surname after it that is no place ("Russia Ukraine war" stays)
            if (nxt and ngap == " " and not possessive
                    and (self._key_tiers_min[k] != TIER_COUNTRY or surface.lower() in _GIVEN_NAMES)
                    and _PERSONLIKE.fullmatch(nxt) and not self._common(nxt_l) and nxt_l not in NOT_PLACES
                    and nxt_l not in _KIND_HINTS and nxt_l not in _MONTH_DAY and (e + 1) not in raw_starts):
                return False
            return True
        if not possessive and nxt_l in _SPEECH_VERBS and self._key_maxpop[k] < R.WORLD_CITY_POP:
            # "Lincoln said" is a person; "officials in New Delhi said" is not
            pw = prev.lower() if prev else ""
            if pw not in _FUNCTION_WORDS:
                return "name"
        if self._key_maxpop[k] < 200_000 and (
            (not possessive and ngap == " " and nxt_l in _PERSON_ACTS and (prev.lower() if prev else "") not in _FUNCTION_WORDS)
            or (prev and not hyphen and prev.lower() in _PERSON_OBJECT_OF)
        ):
            return "name"  # "Welch went", "stabbed Welch": what only people do, to a small place's name
        if nxt and ngap == " " and not possessive and nxt_l not in _KIND_HINTS and _PERSONLIKE.fullmatch(nxt):
            small = self._key_maxpop[k] < 200_000
            if not self._common(nxt_l) and nxt_l not in _MONTH_DAY and nxt_l not in NOT_PLACES:
                # "Kim Jong Un", "Vladimir Putin": a person's name; a small place's name is then a
                # name all through the document
                return "name" if small else False
            if small:
                return False
        if self._key_maxpop[k] < 200_000 and text[e : e + 1] in "-‐‑" and text[e + 1 : e + 2].isupper():
            return False
        if flags & FLAG_COMMON and _sentence_initial(text, s):
            return False
        return True

    # -- resolution -------------------------------------------------------------------

    def _info(self, k: int) -> _KeyInfo:
        """Per key, computed once: its entries and everything about them that no context changes."""
        info = self._key_info.get(k)
        if info is None:
            gz = self.gz
            flags = self._key_flags[k]
            ents = [int(i) for i in gz.entries_for_key(k)]
            prim = gz.primary_for_key(k).tolist()
            # the entries' string fields, read without splitting the gazetteer's whole columns
            ids, names, kinds, countries, admin1 = (
                {i: gz.cell(col, i) for i in ents} for col in ("ids", "names", "kinds", "countries", "admin1")
            )
            base = []
            names_state = any(ids[i].startswith("us-state:") for i in ents)
            # a country, continent, curated place, state or region of this name: its prominent sense
            prominent = any(
                gz.tier[i] in (TIER_CURATED, TIER_COUNTRY, TIER_CONTINENT)
                or (gz.tier[i] == TIER_ADMIN and not ids[i].startswith("us-county:"))
                for i in ents
            )
            for j, i in enumerate(ents):
                t = int(gz.tier[i])
                if t == TIER_CURATED:
                    sc = 5.5
                    if not prim[j]:
                        sc -= R.CURATED_RESPELLING  # "Hassan" for Khasan: a person, unless the document is about the region
                elif t == TIER_COUNTRY:
                    sc = 6.0
                elif t == TIER_CONTINENT:
                    sc = 5.0
                elif t == TIER_SUBDIV:
                    sc = 4.0
                    if flags & FLAG_COMMON:
                        sc -= 3.0  # "Centre", "Coast": a word first
                elif t == TIER_ADMIN:
                    sc = 4.0
                    # among namesake counties, the larger (more ZIP codes) is the likelier sense
                    sc += 0.25 * math.log10(gz.extra.get(ids[i], {}).get("zip_codes", 1))
                    if not ids[i].startswith(("us-state:", "us-county:")):
                        sc += 1.0  # a curated world region is the prominent sense of its name ("Ontario")
                else:
                    sc = 0.8 * float(self._log_pop[i])
                    if gz.population[i] >= R.WORLD_CITY_POP:
                        sc += 1.0  # a world city is the prominent sense of its name ("London")
                    if flags & FLAG_COMMON and gz.population[i] < 100_000:
                        sc -= 3.0
                    elif gz.population[i] < 100_000 and prim[j] and names[i].lower() in _GIVEN_NAMES:
                        sc -= 2.0  # a small town named like a person ("Thomas", "Hailey"): a person first
                    if not prim[j]:
                        sc -= 1.0
                        if names_state:
                            sc -= 2.0  # a town's other name that is a state's own ("New York") names the state
                base.append(sc)
            tiers = [int(gz.tier[i]) for i in ents]
            strong = [i for i, t in zip(ents, tiers) if t in _STRONG_TIERS]
            # towns and US counties: local places, for which nearness to the document's places counts
            cities = [j for j, (t, i) in enumerate(zip(tiers, ents)) if t == TIER_CITY or ids[i].startswith("us-county:")]
            local = set(cities)
            local_ll = (np.radians(gz.lat[[ents[j] for j in cities]]), np.radians(gz.lon[[ents[j] for j in cities]])) if cities else None
            city_ll = local_ll if len(cities) > 1 else None
            u = strong[0] if len(strong) == 1 else -1
            # what an unambiguous strong name tells of the document: its country, the countries a
            # curated place spans, its US state; a curated place whose name towns elsewhere share
            # ("Suncheon") tells nothing, a country or a state does
            c = u if u >= 0 and (len(ents) == 1 or int(gz.tier[u]) in (TIER_COUNTRY, TIER_CONTINENT, TIER_ADMIN)) else -1
            if c < 0 and len(ents) == 1 and tiers[0] == TIER_SUBDIV:
                c = ents[0]  # a subdivision's name found nowhere else ("KwaZulu-Natal") names its country
            ctx = None if c < 0 else (
                countries[c], tuple(gz.extra.get(ids[c], {}).get("countries", ())),
                admin1[c] if gz.tier[c] == TIER_ADMIN else "",
            )
            info = _KeyInfo(
                ents, base, tiers, [countries[i] for i in ents], [admin1[i] for i in ents],
                [kinds[i] for i in ents], [ids[i] for i in ents], cities, city_ll,
                [bool(p) for p in prim], [int(gz.population[i]) for i in ents], ctx,
                gz.acronym_only_for_key(k).tolist(),
                [j in local and not prominent for j in range(len(ents))],
                k, local_ll, len(cities) > 1 and not prominent,
                tuple(sorted(
                    {(countries[i], "") for i in ents if gz.tier[i] == TIER_COUNTRY}
                    | {("US", admin1[i]) for i in ents if ids[i].startswith("us-state:")}
                )),
                len({countries[i] for i in ents}) > 1,
                0 < len(cities) <= MAX_NAMESAKES and not prominent,
                len(ents) == 1 and tiers[0] in (TIER_CITY, TIER_CURATED),
            )
            self._key_info[k] = info
        return info

    def resolve(
        self, text: str, cands: list[tuple[int, int, int]], next_words: Sequence[str] | None = None
    ) -> list[tuple[int, int, int, float]]:
        """Pick one entry per candidate with document context; drop weak ones.

        Two passes: the first ranks with the countries and US states the document names
        unambiguously and its "Name, State" appositions; the second adds the countries of the first
        pass's choices, nearness to the places it placed confidently and, among namesake towns and
        counties, nearness to the places the document's other names may be.
        """
        if next_words is None:
            next_words = [
                _hint_word(nl, text, s) if text[s - 4 : s] == " of " else nl
                for (s, e, k), nl in ((c, _NEXT_RX.match(text, c[1]).group(2).lower()) for c in cands)
            ]
        gz = self.gz
        ctx_country: Counter[str] = Counter()
        ctx_admin: set[str] = set()
        kinds_next = []
        infos = []
        info_of = self._info
        for (s, e, k), nxt in zip(cands, next_words):
            info = info_of(k)
            infos.append(info)
            ctx = info.context
            if ctx is not None:
                cc, extra_ccs, admin1 = ctx
                if cc:
                    ctx_country[cc] += R.CONTEXT_NAMED
                for x in extra_ccs:
                    ctx_country[x] += R.CONTEXT_INDIRECT
                if admin1:
                    ctx_admin.add(admin1)
            kinds_next.append((_KIND_HINTS.get(nxt, ""), text[s:e].isupper()))
        # "Scott County, Indiana", "Paris, Texas", "Hamilton, Ontario": a name, a comma and a country
        # or state says where the first one is, wherever the document names it
        where_of: dict[int, set] = {}
        for i in range(len(cands) - 1):
            (s, e, k), nxt_start = cands[i], cands[i + 1][0]
            if text[e:nxt_start] == ", " and infos[i + 1].regions:
                where_of.setdefault(k, set()).update(infos[i + 1].regions)
        hints = [(kind, caps, tuple(sorted(where_of.get(k, ())))) for (s, e, k), (kind, caps) in zip(cands, kinds_next)]
        for m in _DEMONYM_RX.finditer(text):
            cc = _DEMONYMS.get(m.group())
            if cc:
                ctx_country[cc] += R.CONTEXT_INDIRECT
        first = self._pass(cands, infos, hints, ctx_country, ctx_admin, None)
        # second pass context
        ctx2: Counter[str] = Counter(ctx_country)
        own: dict[int, dict[str, int]] = {}  # per name, the countries of its own first-pass choices
        pts = []
        for (s, e, k), info, (best, score) in zip(cands, infos, first):
            if best < 0 or score < MIN_SCORE:
                continue
            cc = gz.cell("countries", best)
            if cc:
                ctx2[cc] += R.CONTEXT_NAMED
                mine = own.setdefault(k, {})
                mine[cc] = mine.get(cc, 0) + 1
            if info.anchors:
                pts.append((gz.lat[best], gz.lon[best]))
        anchor = np.radians(np.asarray(pts, dtype=np.float64).reshape(-1, 2)) if pts else None
        # every town and county that a name of the document (with few namesakes) may be
        lat_s, lon_s, key_s = [], [], []
        seen: set[int] = set()
        for (s, e, k), info, (best, score) in zip(cands, infos, first):
            if best >= 0 and score >= MIN_SCORE and k not in seen and info.lends:
                seen.add(k)
                lat_s.extend(info.local_ll[0].tolist())
                lon_s.extend(info.local_ll[1].tolist())
                key_s.extend([k] * len(info.cities))
        support = (np.asarray(lat_s), np.asarray(lon_s), np.asarray(key_s)) if key_s else None
        second = self._pass(cands, infos, hints, ctx2, ctx_admin, anchor, support, own)
        return [(s, e, best, score) for (s, e, k), (best, score) in zip(cands, second) if best >= 0 and score >= MIN_SCORE]

    def _pass(self, cands, infos, hints, ctx_country, ctx_admin, anchor, support=None, own=None) -> list[tuple[int, float]]:
        """One ranking of every candidate; with ``own``, a name is ranked without the countries of its
        own first-pass choices (a wrong first choice must not vote for itself)."""
        share0, us0 = _shares(dict(ctx_country))  # (a Counter: the compiled helper takes a dict)
        without: dict[tuple, tuple[dict, bool]] = {}
        cache: dict[tuple[int, str, bool, tuple], tuple[int, float]] = {}
        res = []
        for (s, e, k), info, (hint, caps, where) in zip(cands, infos, hints):
            ck = (k, hint, caps, where)
            r = cache.get(ck)
            if r is None:
                share, us = share0, us0
                if own and k in own and info.multi_country:
                    mine = tuple(own[k].items())
                    sv = without.get(mine)
                    if sv is None:
                        sv = without[mine] = _shares(_less(dict(ctx_country), mine))
                    share, us = sv
                r = cache[ck] = self._best(info, hint, caps, share, us, ctx_admin, anchor, support, where)
            res.append(r)
        return res

    @staticmethod
    def _best(info: _KeyInfo, hint: str, caps: bool, share: dict, us: bool, ctx_admin: set, anchor, support=None,
              where: tuple = ()) -> tuple[int, float]:
        ents, base, tiers, ccs, admin1, kinds, ids, cities, city_ll, prims, pops, _ctx, acr_only, state_local = info[:14]
        near = None
        backed = None
        if support is not None and info.local_only:
            # a namesake within 150 km of a place another name of the document may be
            lat, lon = city_ll[0][:, None], city_ll[1][:, None]
            slat, slon, skey = support[0][None, :], support[1][None, :], support[2][None, :]
            h = np.sin((slat - lat) / 2) ** 2 + np.cos(lat) * np.cos(slat) * np.sin((slon - lon) / 2) ** 2
            dist = 2 * R.EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
            dist[np.broadcast_to(skey == info.key, dist.shape)] = np.inf
            backed = dict(zip(cities, (dist.min(axis=1) < R.NEAR_KM).tolist()))
        if anchor is not None and city_ll is not None:
            lat, lon = city_ll[0][:, None], city_ll[1][:, None]
            alat, alon = anchor[:, 0][None, :], anchor[:, 1][None, :]
            h = np.sin((alat - lat) / 2) ** 2 + np.cos(lat) * np.cos(alat) * np.sin((alon - lon) / 2) ** 2
            dist = 2 * R.EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
            dist[dist < R.SELF_KM] = np.inf  # the anchor itself
            near = dict(zip(cities, (dist.min(axis=1) < R.NEAR_KM).tolist()))
        best, best_score, best_id = -1, -math.inf, ""
        for j, i in enumerate(ents):
            if acr_only[j] and not caps:
                continue
            t = tiers[j]
            sc = base[j]
            cc = ccs[j]
            if cc:
                sh = share.get(cc, 0.0)
                sc += R.SHARE_WEIGHT * sh
                if sh == 0.0 and share and t == TIER_CITY:
                    # a town in a country the document never names: an old or foreign name for it
                    # ("Stalin" for Donetsk) or a small namesake needs more than its name
                    sc -= R.UNNAMED_COUNTRY_TOWN if not prims[j] else (
                        R.UNNAMED_COUNTRY_OWN_NAME if pops[j] < R.WORLD_CITY_POP else 0.0)
                elif sh == 0.0 and share and t == TIER_SUBDIV:
                    sc -= R.UNNAMED_COUNTRY_PROVINCE  # likewise a province of a country the document never names
                if us and cc == "US" and t in (TIER_CITY, TIER_ADMIN):
                    sc += R.US_LOCAL
                if state_local[j] and admin1[j] in ctx_admin:  # a town or county in a state the document names
                    sc += R.STATE_NAMED
            if near is not None and near.get(j):
                sc += R.NEAR_BONUS
            elif backed is not None and backed.get(j):
                sc += R.NEAR_BONUS
            if hint and kinds[j] == hint:
                sc += R.KIND_HINT_BONUS
            if where and ((cc, admin1[j]) in where or (cc, "") in where) and tiers[j] in (TIER_CITY, TIER_ADMIN, TIER_CURATED):
                sc += R.APPOSITION_BONUS  # "Scott County, Indiana"
            if sc > best_score or (sc == best_score and ids[j] < best_id):
                best, best_score, best_id = i, sc, ids[j]
        return best, round(float(best_score), 3)

    def parse(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, int, float]]:
        """``(start, end, entry, score)`` for every resolved mention in ``text``."""
        if _scripts.has_native(text):
            return self.resolve(text, *with_native(self.gz, text, spans, *self._candidates(text, spans)))
        cands, next_words = self._candidates(text, spans)
        return self.resolve(text, cands, next_words)


def _inside(s: int, e: int, spans) -> bool:
    return any(a <= s and e <= b for a, b in spans)


_DEMONYM_RX = re.compile(r"\b(" + "|".join(_DEMONYMS) + r")\b")
