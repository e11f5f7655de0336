# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The geoparser's guards and resolution: every rule, written once.

This is Cython in pure Python mode. Where the package was built with a C compiler, ``geo._engine``
is this file compiled (the annotations and ``cython`` decorators type its loops: characters,
offsets and scores as C values); elsewhere it is this file run by the interpreter, with the same
results. :class:`geo.geoparser.Geoparser` chooses (``engine="compiled"|"python"``): the python
engine loads this source interpreted even where the compiled module exists, so the two can be
compared (``tests/test_engine.py``).

The raw-buffer work (folding a text into the automaton's alphabet, collecting and sorting the
automaton's matches, counting demonyms) is done by kernels: the compiled ones in
``geo/_fold.pyx`` and ``geo/_scan.pyx``, their Python equivalents in :mod:`geo._kernels`, each
pair tested equal. Every weight and threshold comes from :mod:`geo._rules`; every word list is
defined here.

Extraction: one pass of an Aho-Corasick automaton over the folded text, word-aligned, then guards
against false positives (people's and organisations' names, acronyms, diseases, ships,
currencies). Resolution: each candidate's senses are ranked with the document's context (the
countries and US states it names, "Name, State" appositions, nearby places, kind words beside the
mention, curated-tier priority, population), in two passes.
"""

import math

import cython
import numpy as np
from cython.cimports.libc.math import asin, cos, sin, sqrt

from geo import _rules as R
from geo import gazetteer as _gz
from geo._text import LOWERCASE_TOKENS, is_elided_article
from geo.gazetteer import NOT_PLACES, _given_names

#: Whether this module is the compiled one (False: this source, interpreted).
COMPILED = cython.compiled

# ------------------------------------------------------------------ the rules' numbers (geo/_rules.py)

MIN_SCORE = cython.declare(cython.double, R.MIN_SCORE)
MAX_NAMESAKES = cython.declare(cython.Py_ssize_t, R.MAX_NAMESAKES)
CAPITALS_SHARE = cython.declare(cython.double, R.CAPITALS_SHARE)
CAPITALS_LINE_CHARS = cython.declare(cython.Py_ssize_t, R.CAPITALS_LINE_CHARS)
WORLD_CITY_POP = cython.declare(cython.longlong, R.WORLD_CITY_POP)
PERSON_NAME_POP = cython.declare(cython.longlong, R.PERSON_NAME_POP)
ORG_NAME_WORDS = cython.declare(cython.Py_ssize_t, R.ORG_NAME_WORDS)
CONTEXT_NAMED = cython.declare(cython.double, R.CONTEXT_NAMED)
CONTEXT_INDIRECT = cython.declare(cython.double, R.CONTEXT_INDIRECT)
US_DOCUMENT_SHARE = cython.declare(cython.double, R.US_DOCUMENT_SHARE)
SHARE_WEIGHT = cython.declare(cython.double, R.SHARE_WEIGHT)
UNNAMED_COUNTRY_TOWN = cython.declare(cython.double, R.UNNAMED_COUNTRY_TOWN)
UNNAMED_COUNTRY_OWN_NAME = cython.declare(cython.double, R.UNNAMED_COUNTRY_OWN_NAME)
UNNAMED_COUNTRY_PROVINCE = cython.declare(cython.double, R.UNNAMED_COUNTRY_PROVINCE)
US_LOCAL = cython.declare(cython.double, R.US_LOCAL)
STATE_NAMED = cython.declare(cython.double, R.STATE_NAMED)
NEAR_KM = cython.declare(cython.double, R.NEAR_KM)
SELF_KM = cython.declare(cython.double, R.SELF_KM)
NEAR_BONUS = cython.declare(cython.double, R.NEAR_BONUS)
KIND_HINT_BONUS = cython.declare(cython.double, R.KIND_HINT_BONUS)
APPOSITION_BONUS = cython.declare(cython.double, R.APPOSITION_BONUS)
EARTH_RADIUS_KM = cython.declare(cython.double, R.EARTH_RADIUS_KM)
DEG = cython.declare(cython.double, math.pi / 180.0)  # degrees to radians, as numpy's radians computes it

# the gazetteer's flags and tiers, as C numbers
FLAG_ABBREV = cython.declare(cython.longlong, _gz.FLAG_ABBREV)
FLAG_ACRONYM = cython.declare(cython.longlong, _gz.FLAG_ACRONYM)
FLAG_COMMON = cython.declare(cython.longlong, _gz.FLAG_COMMON)
FLAG_STOP = cython.declare(cython.longlong, _gz.FLAG_STOP)
TIER_ADMIN = cython.declare(cython.longlong, _gz.TIER_ADMIN)
TIER_CITY = cython.declare(cython.longlong, _gz.TIER_CITY)
TIER_CONTINENT = cython.declare(cython.longlong, _gz.TIER_CONTINENT)
TIER_COUNTRY = cython.declare(cython.longlong, _gz.TIER_COUNTRY)
TIER_CURATED = cython.declare(cython.longlong, _gz.TIER_CURATED)
TIER_SUBDIV = cython.declare(cython.longlong, _gz.TIER_SUBDIV)

# ------------------------------------------------------------------ the guards' words

#: Words that make the capitalised name before them part of an organisation's name.
ORG_AFTER = frozenset(
    "university college school institute academy company corporation corp inc ltd llc bank "
    "times post herald journal tribune gazette airlines airways fc foundation society "
    "magazine telegraph daily weekly broadcasting broadcaster television tv radio agency monitor observer "
    "fleet group gas petroleum forum cooperation holdings industries".split()
    # a street named after the place ("Wichita Street", "Governors' Parkway")
    + "street avenue road drive boulevard lane parkway court terrace circle pike trail".split()
)
#: Words that end a company's or an organisation's name of several capitalised words ("Korea Railroad
#: Corporation", "Pacific Tourist Forum"): a place's name at its start is part of it. Not a school's,
#: a university's or a centre's: a place's name in them still says where they are.
ORG_RUN_HEADS = frozenset(
    "corporation corp co group holdings forum cooperation ltd llc".split()
)
#: Words after a place name that make it something else: a disease ("West Nile virus"), a clock
#: ("10:00 Moscow time").
NOT_PLACE_AFTER = frozenset({"virus", "viruses", "fever", "flu", "influenza", "time"})
#: What a broadcaster's name starts with before a place's ("Radio Free Asia", "Voice of America").
ORG_BEFORE = ("Radio Free ", "Voice of ")
#: Words for a vessel before its name ("the tanker Sakhalin", "the icebreaker Krasin"): a ship named
#: after a place is not the place.
VESSEL_BEFORE = frozenset(
    "ship vessel ferry tanker freighter icebreaker cruiser destroyer frigate corvette submarine steamer liner "
    "carrier trawler yacht".split()
)
#: Capitalised words that can precede a place name without making it part of another name.
PLACE_PREFIX = frozenset(
    "north south east west northern southern eastern western central upper lower greater new old "
    "port mount mt lake fort saint st san santa cape bay isle".split()
)
TITLES = frozenset(
    "mr mrs ms miss dr prof president gen general sen senator rep gov governor mayor judge rev "
    "sir lord lady king queen prince princess minister secretary chairman leader colonel col "
    "captain capt sgt lt officer coach saint".split()
)
FUNCTION_WORDS = frozenset(
    "the a an in at on to from of for by with and or but as into near across over under through "
    "between via since after before during while when where if that this these those its his her "
    "their our my your both all some many most several every each other another such no not "
    "about around along against toward towards within without upon outside inside beyond "
    "meanwhile however also then thus yet still even so already".split()
)
#: The word after a name that says its kind ("Rajin port", "Amur River"), and the kind it says.
KIND_HINTS = {
    "river": "river", "basin": "river", "island": "island", "islands": "island", "port": "port",
    "harbour": "port", "harbor": "port", "base": "facility", "airbase": "facility", "airfield": "facility",
    "sea": "sea", "ocean": "ocean", "lake": "lake", "peninsula": "peninsula", "province": "admin_region",
    "region": "region", "state": "admin_region", "krai": "admin_region", "city": "populated_place",
    "town": "populated_place", "village": "populated_place", "county": "admin_region",
}
#: A kind word and "of" before a name say its kind as a word after it would ("the port of Vostochny").
KIND_BEFORE_OF = ("port of ", "harbour of ", "harbor of ", "city of ", "town of ", "village of ", "island of ",
                  "province of ", "region of ")
#: Words that name a country's people or government, and the country they add to the context.
DEMONYMS = {
    "Russian": "RU", "Russians": "RU", "Chinese": "CN", "Japanese": "JP", "American": "US", "Americans": "US",
    "Ukrainian": "UA", "British": "GB", "Soviet": "RU", "Canadian": "CA", "Australian": "AU", "Mexican": "MX",
    "German": "DE", "French": "FR",
}
GIVEN_NAMES = _given_names()
SPEECH_VERBS = frozenset("said says told added wrote explained noted argued stated asked replied testified".split())
#: Verbs after a name that only a person does ("Welch went", "Bell pulled a gun").
PERSON_ACTS = frozenset(
    "went died pleaded pled smiled laughed walked pulled admitted wept shouted grabbed fled drove sat stood hugged "
    "married graduated retired resigned confessed".split()
)
#: Verbs before a name that only a person undergoes ("stabbed Welch", "shot Bell").
PERSON_OBJECT_OF = frozenset(
    "killing killed stabbed stabbing shot shooting arrested charged sentenced convicted married hugged "
    "interviewed hired thanked".split()
)
MONTH_DAY = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
#: Prefixes a lower-case name may start with ("trans-Siberian").
PREFIXES = ("trans-", "inter-", "pan-", "sub-", "trans‐", "inter‐")
#: Stems that take "-es" in the plural or third person ("boxes", "churches"; not "Oakes" from "oak").
ES_STEMS = ("s", "x", "z", "ch", "sh", "o")
STRONG_TIERS = (TIER_COUNTRY, TIER_CURATED, TIER_ADMIN)
#: The kinds the hints name, as small integers (0: no hint), so a candidate's group is one integer.
HINT_NAMES = [""] + sorted(set(KIND_HINTS.values()))
HINT_INDEX = {w: HINT_NAMES.index(h) for w, h in KIND_HINTS.items()}


@cython.wraparound(True)
def hint_word(nxt_l: str, text: str, s: cython.Py_ssize_t) -> str:
    """The word after a name, or the kind word of a "kind of" before it when the word after names no
    kind (asked only where " of " ends just before the name)."""
    if nxt_l in KIND_HINTS:
        return nxt_l
    low = text[max(0, s - 13) : s].lower()
    for w in KIND_BEFORE_OF:
        if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalnum()):
            return w.split(" ", 1)[0]
    return nxt_l


def shares(ctx_country: dict) -> tuple:
    """Each country's share of the document's country context, and whether the US holds over
    :data:`~geo._rules.US_DOCUMENT_SHARE` of it."""
    total = sum(ctx_country.values()) or 1.0
    share = {cc: n / total for cc, n in ctx_country.items()}
    return share, share.get("US", 0.0) > US_DOCUMENT_SHARE


def less(ctx_country: dict, mine: tuple) -> dict:
    """``ctx_country`` without the counts ``mine`` ((country, n) pairs), countries left at zero dropped."""
    out = dict(ctx_country)
    for cc, n in mine:
        out[cc] = out[cc] - n
    return {cc: n for cc, n in out.items() if n > 0}


# ------------------------------------------------------------------ characters


@cython.cfunc
@cython.inline
def _is_az(c: cython.Py_UCS4) -> cython.bint:
    return "a" <= c <= "z"


@cython.cfunc
@cython.inline
def _is_AZ(c: cython.Py_UCS4) -> cython.bint:
    return "A" <= c <= "Z"


@cython.cfunc
@cython.inline
def _is_hyphen(c: cython.Py_UCS4) -> cython.bint:
    return c == "-" or c == "‐" or c == "‑"


@cython.cfunc
@cython.inline
def _is_token_sep(c: cython.Py_UCS4) -> cython.bint:
    return c.isspace() or c == "-" or c == "‐" or c == "‑" or c == "–"


@cython.cfunc
@cython.inline
def _strip_char(c: cython.Py_UCS4) -> cython.bint:
    return c == "." or c == "-" or c == "‐" or c == "‑" or c == "'" or c == "’"


@cython.cfunc
def _titlecase_plain(text: str, a: cython.Py_ssize_t, b: cython.Py_ssize_t) -> cython.bint:
    """``text[a:b]`` is [A-Z][a-z]+."""
    i: cython.Py_ssize_t
    if b - a < 2 or not _is_AZ(text[a]):
        return False
    for i in range(a + 1, b):
        if not _is_az(text[i]):
            return False
    return True


@cython.cfunc
def _titlecase(text: str, a: cython.Py_ssize_t, b: cython.Py_ssize_t) -> cython.bint:
    """``text[a:b]`` is a surname-like word: (?:Mc|Mac|O')?[A-Z][a-z]+."""
    if _titlecase_plain(text, a, b):
        return True
    if b - a > 2 and text[a] == "M" and text[a + 1] == "c" and _titlecase_plain(text, a + 2, b):
        return True
    if b - a > 3 and text[a] == "M" and text[a + 1] == "a" and text[a + 2] == "c" and _titlecase_plain(text, a + 3, b):
        return True
    return b - a > 2 and text[a] == "O" and text[a + 1] == "'" and _titlecase_plain(text, a + 2, b)


@cython.cfunc
def _personlike(w: str) -> cython.bint:
    """``w`` looks like a person's name: [A-Z][a-z]+(?:-[A-Za-z]+)?"""
    n: cython.Py_ssize_t = len(w)
    i: cython.Py_ssize_t = 1
    j: cython.Py_ssize_t
    if n < 2 or not _is_AZ(w[0]):
        return False
    while i < n and _is_az(w[i]):
        i += 1
    if i == 1:
        return False
    if i == n:
        return True
    if w[i] != "-":
        return False
    j = i + 1
    while j < n and (_is_az(w[j]) or _is_AZ(w[j])):
        j += 1
    return j > i + 1 and j == n


@cython.cfunc
@cython.inline
def _lower_or_title(c: cython.Py_UCS4) -> cython.bint:
    """A lower-case or title-case letter ("ǅ"; for one character Python's ``istitle`` is also true
    of a capital, the C macro is not: a title-case letter is one that is no capital)."""
    return c.islower() or (c.istitle() and not c.isupper())


@cython.cfunc
def _isupper(text: str, s: cython.Py_ssize_t, e: cython.Py_ssize_t, dotless: cython.bint = False) -> cython.bint:
    """``text[s:e].isupper()``, read in place; ``dotless``: with its full stops left out (an
    acronym, dotted or not: "U.S.")."""
    cased: cython.bint = False
    i: cython.Py_ssize_t
    c: cython.Py_UCS4
    for i in range(s, e):
        c = text[i]
        if dotless and c == ".":
            continue
        if _lower_or_title(c):
            return False
        if c.isupper():
            cased = True
    return cased


@cython.cfunc
def _sentence_initial(text: str, start: cython.Py_ssize_t) -> cython.bint:
    """Whether a sentence or line starts at ``start`` (quotes and brackets before it aside)."""
    i: cython.Py_ssize_t = start - 1
    c: cython.Py_UCS4
    while i >= 0:
        c = text[i]
        if c == " " or c == "\t" or c == '"' or c == "“" or c == "‘" or c == "'" or c == "(":
            i -= 1
        else:
            break
    if i < 0:
        return True
    c = text[i]
    return c == "." or c == "!" or c == "?" or c == "\n" or c == ":" or c == ";" or c == "—" or c == "–"


@cython.cfunc
def _dateline(text: str, n: cython.Py_ssize_t, s: cython.Py_ssize_t, e: cython.Py_ssize_t) -> cython.bint:
    """A news dateline: "COLUMBUS, Ohio (AP) —", "BEIRUT:" at the start of a sentence or line."""
    c: cython.Py_UCS4
    if not _sentence_initial(text, s) or e >= n:
        return False
    c = text[e]
    if c == "," or c == ":":
        return True
    if e + 1 < n and c == " ":
        c = text[e + 1]
        return c == "-" or c == "—" or c == "–" or c == "("
    return False


@cython.cfunc
def _of_before(text: str, s: cython.Py_ssize_t) -> cython.bint:
    """``text[s - 4:s] == " of "``."""
    return s >= 4 and text[s - 4] == " " and text[s - 3] == "o" and text[s - 2] == "f" and text[s - 1] == " "


@cython.cfunc
def _tokens_capitalised(text: str, s: cython.Py_ssize_t, e: cython.Py_ssize_t) -> cython.bint:
    """Each word of ``text[s:e]`` capitalised, or one that names keep in lower case ("Sea of Japan",
    "the Tumen river"); after a prefix ("trans-Siberian"), the rest."""
    c: cython.Py_UCS4 = text[s] if s < e else " "
    i: cython.Py_ssize_t
    j: cython.Py_ssize_t
    if (c == "t" or c == "T" or c == "i" or c == "I" or c == "p" or c == "P" or c == "s" or c == "S") and (
            text[s : s + 6].lower().startswith(PREFIXES)):
        sub = text[s:e]
        s += sub.index("-" if "-" in sub else sub[5]) + 1
        c = text[s] if s < e else " "
    if _is_token_sep(c) or not (c.isupper() or not c.isalpha()):
        return False
    i = s + 1
    while i < e:
        if not _is_token_sep(text[i]):
            i += 1
            continue
        while i < e and _is_token_sep(text[i]):
            i += 1
        if i == e:
            break
        c = text[i]
        j = i
        while j < e and not _is_token_sep(text[j]):
            j += 1
        if (c.isalpha() and c.islower() and text[i:j].lower().strip("'’") not in LOWERCASE_TOKENS
                and not is_elided_article(text[i:j])):
            return False
        i = j
    return True


@cython.cfunc
def _has_start(raw: cython.longlong[:], nraw: cython.Py_ssize_t, pos: cython.Py_ssize_t) -> cython.bint:
    """Whether any match of ``raw`` (start, end, key triples sorted by start) starts at ``pos``."""
    lo: cython.Py_ssize_t = 0
    hi: cython.Py_ssize_t = nraw
    mid: cython.Py_ssize_t
    while lo < hi:
        mid = (lo + hi) // 2
        if raw[3 * mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo < nraw and raw[3 * lo] == pos


@cython.cfunc
def _after(text: str, n: cython.Py_ssize_t, e: cython.Py_ssize_t) -> tuple[cython.bint, cython.Py_ssize_t, cython.Py_ssize_t, cython.Py_ssize_t]:
    """What follows a name ending at ``e``, as ``(?:'s|’s)?([ \\t]*)([\\w'’-]*)`` reads it: whether a
    possessive "'s" comes first, the gap's bounds and the next word's end (it starts at the gap's end)."""
    p: cython.Py_ssize_t = e
    possessive: cython.bint = False
    gap_start: cython.Py_ssize_t
    c: cython.Py_UCS4
    if p + 1 < n and (text[p] == "'" or text[p] == "’") and text[p + 1] == "s":
        p += 2
        possessive = True
    gap_start = p
    while p < n and (text[p] == " " or text[p] == "\t"):
        p += 1
    gap_end: cython.Py_ssize_t = p
    while p < n:
        c = text[p]
        if c.isalnum() or c == "_" or c == "'" or c == "’" or c == "-":
            p += 1
        else:
            break
    return possessive, gap_start, gap_end, p


@cython.cfunc
def _org_run(text: str, n: cython.Py_ssize_t, p: cython.Py_ssize_t) -> cython.bint:
    """Whether the capitalised words after a name's next word (which ends at ``p``), each after one
    space, reach a word of :data:`ORG_RUN_HEADS` within :data:`~geo._rules.ORG_NAME_WORDS` words of the
    name: "Korea Railroad Corporation", "Korea Electric Power Corporation", "Pacific Tourist Forum"."""
    words: cython.Py_ssize_t = 1
    q: cython.Py_ssize_t
    while words < ORG_NAME_WORDS and p + 1 < n and text[p] == " " and text[p + 1].isupper():
        q = p + 1
        while q < n and (text[q].isalnum() or text[q] == "-"):
            q += 1
        if text[p + 1:q].lower() in ORG_RUN_HEADS:
            return True
        words += 1
        p = q
    return False


def next_word(text: str, s: cython.Py_ssize_t, e: cython.Py_ssize_t) -> str:
    """The kind hint of the name ``text[s:e]``: the lower-cased word after it, or the kind word of a
    "kind of" before it."""
    _, _, gap_end, nxt_end = _after(text, len(text), e)
    nxt_l = text[gap_end:nxt_end].lower()
    return hint_word(nxt_l, text, s) if _of_before(text, s) else nxt_l


# ------------------------------------------------------------------ one name key's senses


@cython.cclass
class KeyData:
    """One name key's entries and everything about them that no document context changes (made
    once per key, by :meth:`Engine.key_data`)."""

    n: cython.Py_ssize_t
    ncity: cython.Py_ssize_t
    key: cython.int
    ents: cython.longlong[:]
    tiers: cython.longlong[:]
    city_of: cython.longlong[:]  # the entry's position among the key's towns (when more than one), or -1
    base: cython.double[:]  # score before context: tier, population, alternate-name and common-word terms
    pops: cython.longlong[:]
    prim: cython.longlong[:]
    acr_only: cython.longlong[:]
    # a town or county that a state the document names makes likelier; not where the name is a
    # country's, state's or region's own ("California, Maryland" is no likelier for a text that names
    # Maryland)
    state_local: cython.longlong[:]
    clat: cython.double[:]  # the towns' and counties' latitudes and longitudes, in radians
    clon: cython.double[:]
    ccs: list
    admin1: list
    kinds: list
    ids: list
    context: object  # (country, countries spanned, US state) an unambiguous strong name implies, or None
    regions: tuple  # the countries and US states this name may be, as (country, state) pairs
    # more than one town or county and no country, state or curated place (whose sense is the
    # prominent one): nearness to the places of the document's other names chooses among them
    local_only: cython.bint
    multi_country: cython.bint  # its senses lie in more than one country
    # towns or counties only (at most MAX_NAMESAKES): their places lend nearness to other names' namesakes
    lends: cython.bint
    anchors: cython.bint  # one sense, a town or curated place: placed confidently, it anchors nearness


def _base_score(gz, i, t: cython.int, primary: cython.bint, flags: cython.int, entry_id: str, name: str,
                log_pop: cython.double, names_state: cython.bint) -> cython.double:
    """A sense's score before any context: its tier, its population (or a county's ZIP codes), and
    what its name says of it (an alternate name, a common word, a person's name)."""
    sc: cython.double
    if t == TIER_CURATED:
        sc = R.BASE_CURATED
        if not primary:
            sc -= R.CURATED_RESPELLING  # "Hassan" for Khasan: a person, unless the document is about the region
    elif t == TIER_COUNTRY:
        sc = R.BASE_COUNTRY
    elif t == TIER_CONTINENT:
        sc = R.BASE_CONTINENT
    elif t == TIER_SUBDIV:
        sc = R.BASE_SUBDIV
        if flags & FLAG_COMMON:
            sc -= R.COMMON_WORD_PENALTY  # "Centre", "Coast": a word first
    elif t == TIER_ADMIN:
        sc = R.BASE_ADMIN
        # among namesake counties, the larger (more ZIP codes) is the likelier sense
        sc += R.ZIP_CODES_WEIGHT * math.log10(gz.extra.get(entry_id, {}).get("zip_codes", 1))
        if not entry_id.startswith(("us-state:", "us-county:")):
            sc += R.WORLD_REGION_BONUS  # a curated world region is the prominent sense of its name ("Ontario")
    else:
        pop = int(gz.population[i])
        sc = R.POPULATION_WEIGHT * log_pop
        if pop >= WORLD_CITY_POP:
            sc += R.WORLD_CITY_BONUS  # a world city is the prominent sense of its name ("London")
        if flags & FLAG_COMMON and pop < R.SMALL_TOWN_POP:
            sc -= R.COMMON_WORD_PENALTY
        elif pop < R.SMALL_TOWN_POP and primary and name.lower() in GIVEN_NAMES:
            sc -= R.PERSON_NAMED_TOWN  # a small town named like a person ("Thomas", "Hailey"): a person first
        if not primary:
            sc -= R.ALTERNATE_NAME
            if names_state:
                sc -= R.STATE_NAME_TOWN  # a town's other name that is a state's own ("New York") names the state
    return sc


# ------------------------------------------------------------------ the engine


@cython.cclass
class Engine:
    """The candidates, guards and resolution over one gazetteer.

    ``kernels`` is :mod:`geo._kernels` (Python) or a namespace of the compiled kernels
    (:func:`geo._kernels.compiled`): they must give the same results.
    """

    gz: object
    automaton: object
    prepare: object
    matches: object
    demonym_counts: object
    common_words: frozenset
    fold_table: object
    key_flags: cython.longlong[:]
    key_strong: cython.longlong[:]
    key_tiers_min: cython.longlong[:]
    key_maxpop: cython.longlong[:]
    key_len: cython.longlong[:]
    max_key: cython.Py_ssize_t
    lat: cython.double[:]
    lon: cython.double[:]
    log_pop: object
    key_data_cache: dict
    countries: dict
    nxt: str

    @cython.wraparound(True)
    def __init__(self, gz, kernels):
        self.gz = gz
        self.automaton = None
        self.prepare = kernels.prepare
        self.matches = kernels.matches
        self.demonym_counts = kernels.demonym_counts
        self.common_words = frozenset(gz.common_words)
        ptr = gz.key_ptr
        nonempty = ptr[1:] > ptr[:-1]
        starts = np.minimum(ptr[:-1], max(len(gz.key_entries) - 1, 0))
        if len(gz.key_entries):
            min_tier = np.minimum.reduceat(gz.tier[gz.key_entries], starts)
            max_pop = np.maximum.reduceat(gz.population[gz.key_entries], starts)
        else:
            min_tier = max_pop = np.zeros(0, dtype=np.int64)
        as_int = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
        self.key_flags = as_int(gz.key_flags)
        self.key_strong = as_int((min_tier <= TIER_ADMIN) & nonempty)  # a country, curated place or state
        self.key_tiers_min = as_int(np.where(nonempty, min_tier, 99))
        self.key_maxpop = as_int(np.where(nonempty, max_pop, 0))
        self.key_len = as_int(gz.key_len)
        self.max_key = int(np.max(gz.key_len)) if len(gz.key_len) else 0
        self.lat = np.ascontiguousarray(gz.lat, dtype=np.float64)
        self.lon = np.ascontiguousarray(gz.lon, dtype=np.float64)
        self.log_pop = np.log10(np.maximum(gz.population, 1).astype(np.float64))
        self.key_data_cache = {}
        self.countries = {}  # an entry's country, read once
        self.nxt = ""

    @cython.wraparound(True)
    def common(self, w: str) -> cython.bint:
        """A common English word, inflections included ("veterans", "funded")."""
        cw = self.common_words
        if w in cw:
            return True
        if w.endswith("s") and (
            w[:-1] in cw or (w.endswith("es") and w[:-2] in cw and w[:-2].endswith(ES_STEMS))
            or (w.endswith("ies") and w[:-3] + "y" in cw)
        ):
            return True
        if w.endswith("ed") and (w[:-2] in cw or w[:-1] in cw):
            return True
        return w.endswith("ing") and (w[:-3] in cw or w[:-3] + "e" in cw)

    # -- extraction ---------------------------------------------------------------

    @cython.cfunc
    def _prev_word(self, text: str, s: cython.Py_ssize_t) -> tuple[cython.Py_ssize_t, cython.Py_ssize_t, cython.Py_ssize_t, cython.bint]:
        """The word before ``s`` (separated by spaces, tabs or a hyphen) as bounds ``(ps, pe)``
        (empty: none), where its unstripped run starts, and whether a hyphen joins them
        ("Khasan-Rajin")."""
        i: cython.Py_ssize_t = s - 1
        j: cython.Py_ssize_t
        ps: cython.Py_ssize_t = 0
        pe: cython.Py_ssize_t = 0
        pstart: cython.Py_ssize_t = -1
        c: cython.Py_UCS4
        hyphen: cython.bint
        while i >= 0 and (text[i] == " " or text[i] == "\t"):
            i -= 1
        hyphen = i == s - 1
        if not (hyphen and (i < 0 or not _is_hyphen(text[i]))):
            j = i
            while j >= 0 and i - j < 40:
                c = text[j]
                if c.isalnum() or c == "'" or c == "’" or c == "." or _is_hyphen(c):
                    j -= 1
                else:
                    break
            pstart = j + 1
            ps, pe = pstart, i + 1
            while ps < pe and _strip_char(text[ps]):
                ps += 1
            while pe > ps and _strip_char(text[pe - 1]):
                pe -= 1
            # a full stop after it ends the previous sentence ("… the Yalu. Mount Paektu"), unless
            # the word is a title or a person's initial
            if pe > ps and text[i] == "." and not (pe - ps == 1 and _is_AZ(text[ps])) and text[ps:pe].lower() not in TITLES:
                pe = ps
        return ps, pe, pstart, hyphen

    @cython.cfunc
    def _guard(self, text: str, n: cython.Py_ssize_t, s: cython.Py_ssize_t, e: cython.Py_ssize_t, k: cython.int,
               raw: cython.longlong[:], nraw: cython.Py_ssize_t) -> cython.int:
        """1 to keep, 0 to drop, 2 when the match is part of a person's name; on 1, ``self.nxt`` is
        the lower-cased word after the match (the kind hint)."""
        flags: cython.longlong = self.key_flags[k]
        strong: cython.bint = self.key_strong[k] != 0
        i: cython.Py_ssize_t
        p: cython.Py_ssize_t
        ls: cython.Py_ssize_t
        le: cython.Py_ssize_t
        up: cython.Py_ssize_t
        letters: cython.Py_ssize_t
        gap_start: cython.Py_ssize_t
        gap_end: cython.Py_ssize_t
        nxt_end: cython.Py_ssize_t
        ps: cython.Py_ssize_t
        pe: cython.Py_ssize_t
        pstart: cython.Py_ssize_t
        ps2: cython.Py_ssize_t
        pe2: cython.Py_ssize_t
        c: cython.Py_UCS4
        possessive: cython.bint
        hyphen: cython.bint
        single_space: cython.bint
        has_sep: cython.bint
        maxpop: cython.longlong
        if flags & FLAG_STOP and not strong:
            return 0
        if flags & FLAG_ABBREV:
            # "Charleston, W.Va.": after a comma, with its full stop; dotted ("the S.C. Highway Patrol") anywhere
            self.nxt = ""
            return 1 if (e < n and text[e] == "." and text[s].isupper()
                         and ((s >= 2 and text[s - 2] == "," and text[s - 1] == " ") or "." in text[s:e])) else 0
        if flags & FLAG_ACRONYM:
            # "US", "DPRK": acronyms only of countries, states and curated places ("KBR", "CDC" are not places)
            if not strong or not _isupper(text, s, e, True):
                return 0
        else:
            has_sep = text[s].islower()
            if not has_sep:
                for i in range(s, e):
                    c = text[i]
                    if c == " " or c == "-":
                        has_sep = True
                        break
            if has_sep and not _tokens_capitalised(text, s, e):
                return 0
            elif e - s > 1 and _isupper(text, s, e) and not (strong and e - s <= 5):
                # "NICE", "KBR": an all-capitals word is an acronym unless its line is in capitals (a
                # headline, a wire dateline); a strong place's short form ("USA") is its acronym
                ls = text.rfind("\n", 0, s) + 1
                if ls < s - CAPITALS_LINE_CHARS:
                    ls = s - CAPITALS_LINE_CHARS
                le = text.find("\n", e, e + CAPITALS_LINE_CHARS)
                if le < 0:
                    le = e + CAPITALS_LINE_CHARS
                if le > n:
                    le = n
                up = 0
                letters = 0
                for i in range(ls, le):
                    c = text[i]
                    if c.isalpha():
                        letters += 1
                        if c.isupper():
                            up += 1
                if up < CAPITALS_SHARE * letters and not _dateline(text, n, s, e):
                    return 0
        if e < n and text[e] == "$":
            return 0  # a currency ("US$460 million", "HK$")
        # the word after: (?:'s|’s)?([ \t]*)([\w'’-]*)
        possessive, gap_start, gap_end, nxt_end = _after(text, n, e)
        single_space = gap_end - gap_start == 1 and text[gap_start] == " "
        nxt: str = text[gap_end:nxt_end]
        nxt_l: str = nxt.lower()
        has_nxt: cython.bint = nxt_end > gap_end
        if has_nxt and single_space and not possessive and text[gap_end].isupper() and (
                nxt_l in ORG_AFTER or _org_run(text, n, nxt_end)):
            return 0  # "Moscow University", "Wichita Street", "Korea Railroad Corporation"
        if single_space and nxt_l in NOT_PLACE_AFTER:
            return 0  # a disease ("Lassa fever"), a clock ("Moscow time")
        if (s >= 9 and text[s - 1] == " " and (text[s - 2] == "f" or text[s - 2] == "e")
                and text.endswith(ORG_BEFORE, 0, s)):
            return 0  # a broadcaster ("Radio Free Asia", "Voice of America")
        ps, pe, pstart, hyphen = self._prev_word(text, s)
        if 4 <= pe - ps <= 10 and not hyphen and text[pe - 1] in "plyretPLYRET" and text[ps:pe].lower() in VESSEL_BEFORE:
            return 0  # a ship ("the tanker Sakhalin")
        if pe - ps == 1 and _is_AZ(text[ps]) and pstart + 1 < n and text[pstart + 1] == ".":
            return 2  # "Ashley L. Evans"
        if (has_nxt and single_space and not possessive and nxt_end - gap_end == 1 and _is_AZ(text[gap_end])
                and nxt_end + 3 < n and text[nxt_end] == "." and text[nxt_end + 1] == " "
                and _is_AZ(text[nxt_end + 2]) and _is_az(text[nxt_end + 3])):
            return 2  # "Ashley L. Evans", not "Washington D.C."
        if pe > ps and _titlecase(text, ps, pe):
            pl = text[ps:pe].lower()
            if pl in TITLES:
                return 2
            # a first name before it ("Michael Jordan"); not a common word ("Metropolitan Atlanta"),
            # nor another name joined by a hyphen ("Khasan-Rajin", "Washington-Moscow")
            if pl in GIVEN_NAMES or (
                not hyphen and pl not in FUNCTION_WORDS and pl not in PLACE_PREFIX and pl not in MONTH_DAY
                and (len(pl) <= 2 or not self.common(pl))
            ):
                if not strong or not _sentence_initial(text, pstart):
                    return 2
            if flags & FLAG_COMMON and not strong and not hyphen and pl not in FUNCTION_WORDS and pl not in PLACE_PREFIX:
                return 0  # a word in a capitalised compound ("National Forest", "Air Force Reserve")
        elif pe - ps == 2 and text[ps] == "o" and text[ps + 1] == "f" and flags & FLAG_COMMON and not strong:
            ps2, pe2, _, _ = self._prev_word(text, pstart)
            if pe2 > ps2 and _titlecase(text, ps2, pe2):
                return 0  # "Chamber of Commerce"
        maxpop = self.key_maxpop[k]
        if strong:
            # "Victoria Beckham", "Jordan Peterson": a surname after it that is no place ("Russia Ukraine war" stays)
            if (has_nxt and single_space and not possessive
                    and (self.key_tiers_min[k] != TIER_COUNTRY or text[s:e].lower() in GIVEN_NAMES)
                    and _personlike(nxt) and not self.common(nxt_l) and nxt_l not in NOT_PLACES
                    and nxt_l not in KIND_HINTS and nxt_l not in MONTH_DAY and not _has_start(raw, nraw, e + 1)):
                return 0
            self.nxt = hint_word(nxt_l, text, s) if _of_before(text, s) else nxt_l
            return 1
        if not possessive and nxt_l in SPEECH_VERBS and maxpop < WORLD_CITY_POP:
            # "Lincoln said" is a person; "officials in New Delhi said" is not
            if (text[ps:pe].lower() if pe > ps else "") not in FUNCTION_WORDS:
                return 2
        if maxpop < PERSON_NAME_POP and (
            (not possessive and single_space and nxt_l in PERSON_ACTS
             and (text[ps:pe].lower() if pe > ps else "") not in FUNCTION_WORDS)
            or (pe > ps and not hyphen and text[ps:pe].lower() in PERSON_OBJECT_OF)
        ):
            return 2  # "Welch went", "stabbed Welch": what only people do, to a small place's name
        if has_nxt and single_space and not possessive and nxt_l not in KIND_HINTS and _personlike(nxt):
            if not self.common(nxt_l) and nxt_l not in MONTH_DAY and nxt_l not in NOT_PLACES:
                # "Kim Jong Un", "Vladimir Putin": a person's name; a small place's name is then a
                # name all through the document
                return 2 if maxpop < PERSON_NAME_POP else 0
            if maxpop < PERSON_NAME_POP:
                return 0
        if maxpop < PERSON_NAME_POP and e + 1 < n and _is_hyphen(text[e]) and text[e + 1].isupper():
            return 0
        if flags & FLAG_COMMON and _sentence_initial(text, s):
            return 0
        self.nxt = hint_word(nxt_l, text, s) if _of_before(text, s) else nxt_l
        return 1

    def extract(self, text: str, spans=None, lo: cython.Py_ssize_t = 0, hi: cython.Py_ssize_t = -1,
                words: cython.bint = False, parts: cython.bint = False):
        """The candidates that pass the guards, as ``(cand, nc, next_words, name_like, last_end, wide)``:
        ``cand`` holds ``(start, end, key, hint)`` of each (``nc`` of them), ``next_words`` the
        lower-cased word after each (when ``words``), ``name_like`` the keys seen inside people's
        names, ``last_end`` the end of the last candidate, ``wide`` whether the folded text holds a
        character beyond one byte (it may be Cyrillic or Hangul).

        With ``lo``/``hi`` (``parts``), only the candidates that start in ``[lo, hi)``, and the names
        seen in people's names are left to the caller (see :meth:`parse_parts`); otherwise a weak
        name seen inside a person's or an organisation's name is dropped everywhere in the text
        (one sense per document).
        """
        if self.automaton is None:
            self.automaton = self.gz.automaton
        n: cython.Py_ssize_t = len(text)
        w0: cython.Py_ssize_t = 0
        w1: cython.Py_ssize_t = n
        first: cython.Py_ssize_t
        i: cython.Py_ssize_t
        nc: cython.Py_ssize_t = 0
        last_end: cython.Py_ssize_t = -1
        s: cython.Py_ssize_t
        e: cython.Py_ssize_t
        k: cython.int
        verdict: cython.int
        if hi < 0 or hi > n:
            hi = n
        if (lo > 0 or hi < n) and "Σ" not in text:
            # Only a window of the text is folded: from a few characters before lo (what folding a
            # character reads around it) to two longest names past hi, so that every match starting
            # before hi, and every match the guards look for just after one, is folded as in the
            # whole text. The automaton starts at lo's leading space: a match starting before lo is
            # another part's.
            w0 = lo - 8 if lo > 8 else 0
            w1 = min(hi + 2 * self.max_key + 8, n)
        padded, wide = self.prepare(text, w0, w1)
        first = lo - w0 if lo > 0 else 0
        found = self.matches(self.automaton, padded, first, w0, self.key_len, spans)
        raw: cython.longlong[:] = found
        nraw: cython.Py_ssize_t = len(found) // 3
        cand_arr = np.zeros(4 * max(nraw, 1), dtype=np.int64)
        cand: cython.longlong[:] = cand_arr
        next_words = [] if words else None
        name_like = set()
        for i in range(nraw):
            s = raw[3 * i]
            if s >= hi:
                break
            if s < last_end:
                continue
            e = raw[3 * i + 1]
            k = raw[3 * i + 2]
            verdict = self._guard(text, n, s, e, k, raw, nraw)
            if verdict == 1:
                cand[4 * nc] = s
                cand[4 * nc + 1] = e
                cand[4 * nc + 2] = k
                cand[4 * nc + 3] = HINT_INDEX.get(self.nxt, 0)
                nc += 1
                if words:
                    next_words.append(self.nxt)
                last_end = e
            elif verdict == 2:
                name_like.add(k)
        if name_like and not parts:
            nc = self._one_sense(cand, nc, name_like, next_words)
        return cand_arr[: 4 * nc], nc, next_words, name_like, last_end, wide

    @cython.cfunc
    def _one_sense(self, cand: cython.longlong[:], nc: cython.Py_ssize_t, name_like: set, words) -> cython.Py_ssize_t:
        """One sense per document: a weak name seen inside a person's or an organisation's name
        ("Kim" in "Kim Jong Un") is not a place elsewhere in the same document. Drops those of the
        ``nc`` candidates (and their words, unless None) in place; returns how many are kept."""
        i: cython.Py_ssize_t
        kept: cython.Py_ssize_t = 0
        keep_words = []
        for i in range(nc):
            if cand[4 * i + 2] not in name_like or self.key_strong[cand[4 * i + 2]]:
                cand[4 * kept] = cand[4 * i]
                cand[4 * kept + 1] = cand[4 * i + 1]
                cand[4 * kept + 2] = cand[4 * i + 2]
                cand[4 * kept + 3] = cand[4 * i + 3]
                if words is not None:
                    keep_words.append(words[i])
                kept += 1
        if words is not None:
            words[:] = keep_words
        return kept

    def candidates(self, text: str, spans=None) -> tuple:
        """``(candidates, next_words)``: ``(start, end, key)`` of each candidate, and the lower-cased
        word after each (a kind hint)."""
        cand_arr, nc, words, _, _, _ = self.extract(text, spans, words=True)
        rows = cand_arr.reshape(-1, 4)[:, :3].tolist()
        return [tuple(r) for r in rows], words

    def extract_part(self, text: str, spans, lo: cython.Py_ssize_t, hi: cython.Py_ssize_t) -> tuple:
        """The candidates of the part ``[lo, hi)`` of ``text`` (those that start in it), for
        :meth:`parse_parts` to join with the others' (they may be extracted in other processes:
        the text and the spans must be the whole document's, as the guards read around each
        match): ``(lo, hi, candidates, name_like, last_end)``."""
        cand_arr, _, _, name_like, last_end, _ = self.extract(text, spans, lo, hi, parts=True)
        return lo, hi, cand_arr, frozenset(name_like), last_end

    def parse_parts(self, text: str, parts: list):
        """The mentions of ``text`` from the :meth:`extract_part` results of consecutive parts that
        cover it; None when a candidate of one part reaches into the next (its choice there would
        depend on this one: the caller parses the text whole)."""
        expect = 0
        name_like = set()
        for lo, hi, _, nl, last_end in parts:
            if lo != expect or last_end > hi:
                return None
            expect = hi
            name_like.update(nl)
        if expect != len(text):
            return None
        cand_arr = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        nc = len(cand_arr) // 4
        if name_like:
            nc = self._one_sense(cand_arr, nc, name_like, None)
        return self._resolve(text, cand_arr, nc, None)

    def parse(self, text: str, spans=None, narrow: cython.bint = False):
        """The resolved mentions ``(start, end, entry, score)`` of ``text``; with ``narrow``, None
        when the folded text holds a character beyond one byte (it may be Cyrillic or Hangul, read by
        :mod:`geo._scripts`): an English text is told apart in the pass that folds it."""
        cand_arr, nc, _, _, _, wide = self.extract(text, spans)
        if narrow and wide:
            return None
        return self._resolve(text, cand_arr, nc, None)

    def resolve(self, text: str, cands: list, next_words: list) -> list:
        """The mentions of the candidates ``cands`` (``(start, end, key)``), with the word after each."""
        nc: cython.Py_ssize_t = len(cands)
        if nc == 0:
            return []
        cand_arr = np.array([(c[0], c[1], c[2], HINT_INDEX.get(w, 0)) for c, w in zip(cands, next_words)],
                            dtype=np.int64).reshape(-1)
        return self._resolve(text, cand_arr, nc, cands)

    # -- resolution ---------------------------------------------------------------

    @cython.ccall
    def key_data(self, k: cython.int) -> KeyData:
        """Name key ``k``'s senses and what no context changes of them, computed once."""
        kd = self.key_data_cache.get(k)
        if kd is None:
            kd = self.key_data_cache[k] = self._make_key_data(k)
        return kd

    def _make_key_data(self, k: cython.int) -> KeyData:
        gz = self.gz
        flags = int(self.key_flags[k])
        ents = [int(i) for i in gz.entries_for_key(k)]
        prim = [bool(p) for p in gz.primary_for_key(k).tolist()]
        # the entries' string fields, read without splitting the gazetteer's whole columns
        ids, names, kinds, countries, admin1 = (
            {i: gz.cell(col, i) for i in ents} for col in ("ids", "names", "kinds", "countries", "admin1")
        )
        tiers = [int(gz.tier[i]) for i in ents]
        names_state = any(ids[i].startswith("us-state:") for i in ents)
        # a country, continent, curated place, state or region of this name: its prominent sense
        prominent = any(
            t in (TIER_CURATED, TIER_COUNTRY, TIER_CONTINENT) or (t == TIER_ADMIN and not ids[i].startswith("us-county:"))
            for i, t in zip(ents, tiers)
        )
        base = [_base_score(gz, i, t, p, flags, ids[i], names[i], float(self.log_pop[i]), names_state)
                for i, t, p in zip(ents, tiers, prim)]
        strong = [i for i, t in zip(ents, tiers) if t in STRONG_TIERS]
        # towns and US counties: local places, for which nearness to the document's places counts
        cities = [j for j, (t, i) in enumerate(zip(tiers, ents)) if t == TIER_CITY or ids[i].startswith("us-county:")]
        local = set(cities)
        u = strong[0] if len(strong) == 1 else -1
        # what an unambiguous strong name tells of the document: its country, the countries a
        # curated place spans, its US state; a curated place whose name towns elsewhere share
        # ("Suncheon") tells nothing, a country or a state does
        c = u if u >= 0 and (len(ents) == 1 or int(gz.tier[u]) in (TIER_COUNTRY, TIER_CONTINENT, TIER_ADMIN)) else -1
        if c < 0 and len(ents) == 1 and tiers[0] == TIER_SUBDIV:
            c = ents[0]  # a subdivision's name found nowhere else ("KwaZulu-Natal") names its country
        kd = KeyData()
        kd.n = len(ents)
        kd.ncity = len(cities)
        kd.key = k
        as_int = lambda a: np.asarray(a, dtype=np.int64).reshape(-1)  # noqa: E731
        kd.ents = as_int(ents)
        kd.tiers = as_int(tiers)
        kd.city_of = as_int([cities.index(j) if len(cities) > 1 and j in local else -1 for j in range(len(ents))])
        kd.base = np.asarray(base, dtype=np.float64).reshape(-1)
        kd.pops = as_int([int(gz.population[i]) for i in ents])
        kd.prim = as_int(prim)
        kd.acr_only = as_int(gz.acronym_only_for_key(k).tolist())
        kd.state_local = as_int([j in local and not prominent for j in range(len(ents))])
        kd.clat = np.radians(np.asarray([gz.lat[ents[j]] for j in cities], dtype=np.float64)).reshape(-1)
        kd.clon = np.radians(np.asarray([gz.lon[ents[j]] for j in cities], dtype=np.float64)).reshape(-1)
        kd.ccs = [countries[i] for i in ents]
        kd.admin1 = [admin1[i] for i in ents]
        kd.kinds = [kinds[i] for i in ents]
        kd.ids = [ids[i] for i in ents]
        kd.context = None if c < 0 else (
            countries[c], tuple(gz.extra.get(ids[c], {}).get("countries", ())),
            admin1[c] if gz.tier[c] == TIER_ADMIN else "",
        )
        kd.regions = tuple(sorted(
            {(countries[i], "") for i, t in zip(ents, tiers) if t == TIER_COUNTRY}
            | {("US", admin1[i]) for i in ents if ids[i].startswith("us-state:")}
        ))
        kd.local_only = len(cities) > 1 and not prominent
        kd.multi_country = len({countries[i] for i in ents}) > 1
        kd.lends = 0 < len(cities) <= MAX_NAMESAKES and not prominent
        kd.anchors = len(ents) == 1 and tiers[0] in (TIER_CITY, TIER_CURATED)
        return kd

    @cython.cfunc
    def _resolve(self, text: str, cand: cython.longlong[:], nc: cython.Py_ssize_t, cands) -> list:
        """Pick one entry per candidate with the document's context; drop weak ones. ``cands``, when
        given, are the candidates as tuples (their offsets are reused in the results).

        Two passes: the first ranks with the countries and US states the document names
        unambiguously and its "Name, State" appositions; the second adds the countries of the first
        pass's choices, nearness to the places it placed confidently and, among namesake towns and
        counties, nearness to the places the document's other names may be.

        Candidates that share a key, a kind hint and capitals share a choice, so each pass ranks each
        group once; what a mention adds to the context is added group by group, its count of mentions
        at once (the same sums as mention by mention: the context weights are multiples of a half,
        exact in floating point, ``tests/test_rules.py``).
        """
        idx: cython.Py_ssize_t
        g: cython.Py_ssize_t
        ng: cython.Py_ssize_t = 0
        i: cython.Py_ssize_t
        na: cython.Py_ssize_t = 0
        ns: cython.Py_ssize_t = 0
        s: cython.Py_ssize_t
        e: cython.Py_ssize_t
        k: cython.longlong
        best: cython.longlong
        caps: cython.bint
        kd: KeyData
        if nc == 0:
            return []
        grp_arr = np.zeros(nc, dtype=np.int64)
        grp: cython.longlong[:] = grp_arr
        count_arr = np.zeros(nc, dtype=np.int64)
        count: cython.longlong[:] = count_arr
        groups = {}
        g_keys = []
        g_hints = []
        g_caps = []
        for idx in range(nc):
            s = cand[4 * idx]
            e = cand[4 * idx + 1]
            k = cand[4 * idx + 2]
            caps = _isupper(text, s, e)
            gk = (k << 8) | (cand[4 * idx + 3] << 1) | caps
            gv = groups.get(gk)
            if gv is None:
                groups[gk] = g = ng
                ng += 1
                g_keys.append(self.key_data(k))
                g_hints.append(HINT_NAMES[cand[4 * idx + 3]])
                g_caps.append(caps)
            else:
                g = gv
            grp[idx] = g
            count[g] += 1
        # the countries and US states the document names unambiguously, each mention counted
        ctx_country = {}
        ctx_admin = set()
        for g in range(ng):
            kd = g_keys[g]
            if kd.context is not None:
                cc, extra_ccs, admin1 = kd.context
                if cc:
                    ctx_country[cc] = ctx_country.get(cc, 0) + CONTEXT_NAMED * count[g]
                for x in extra_ccs:
                    ctx_country[x] = ctx_country.get(x, 0) + CONTEXT_INDIRECT * count[g]
                if admin1:
                    ctx_admin.add(admin1)
        # "Scott County, Indiana", "Paris, Texas", "Hamilton, Ontario": a name, a comma and a country
        # or state says where the first one is, wherever the document names it
        where_of = {}
        for idx in range(nc - 1):
            e = cand[4 * idx + 1]
            if cand[4 * (idx + 1)] - e == 2 and text[e] == "," and text[e + 1] == " ":
                kd = self.key_data(cand[4 * (idx + 1) + 2])
                regions = kd.regions
                if regions:
                    where_of.setdefault(cand[4 * idx + 2], set()).update(regions)
        g_where = []
        for g in range(ng):
            kd = g_keys[g]
            g_where.append(tuple(sorted(where_of.get(kd.key, ()))))
        for cc, m in self.demonym_counts(text, DEMONYMS):
            ctx_country[cc] = ctx_country.get(cc, 0) + CONTEXT_INDIRECT * m
        empty = np.zeros(0, dtype=np.float64)
        first = self._pass(ng, g_keys, g_hints, g_caps, g_where, ctx_country, ctx_admin, empty, empty, 0,
                           empty, empty, np.zeros(0, dtype=np.int64), 0, None)
        best1: cython.longlong[:] = first[0]
        score1: cython.double[:] = first[1]
        # second pass context: the countries of the first pass's choices
        ctx2 = dict(ctx_country)
        own = {}  # per name, the countries of its own first-pass choices, each mention counted
        countries = self.countries
        # anchors: the places of unambiguous towns and curated names placed confidently (each
        # place once: nearness asks only whether one lies within reach)
        alat_arr = np.zeros(ng, dtype=np.float64)
        alon_arr = np.zeros(ng, dtype=np.float64)
        alat: cython.double[:] = alat_arr
        alon: cython.double[:] = alon_arr
        anchored = set()
        for g in range(ng):  # groups in the order of their first mention
            best = best1[g]
            if best < 0 or score1[g] < MIN_SCORE:
                continue
            kd = g_keys[g]
            cc = countries.get(best)
            if cc is None:
                cc = countries[best] = self.gz.cell("countries", best)
            if cc:
                ctx2[cc] = ctx2.get(cc, 0) + CONTEXT_NAMED * count[g]
                mine = own.setdefault(kd.key, {})
                mine[cc] = mine.get(cc, 0) + count[g]
            if kd.anchors and best not in anchored:
                anchored.add(best)
                alat[na] = self.lat[best] * DEG
                alon[na] = self.lon[best] * DEG
                na += 1
        # support: every town and county that a name of the document (with few namesakes) may be
        seen = set()
        lenders = []
        for g in range(ng):
            kd = g_keys[g]
            if best1[g] >= 0 and score1[g] >= MIN_SCORE and kd.lends and kd.key not in seen:
                seen.add(kd.key)
                lenders.append(kd)
                ns += kd.ncity
        slat_arr = np.zeros(ns, dtype=np.float64)
        slon_arr = np.zeros(ns, dtype=np.float64)
        skey_arr = np.zeros(ns, dtype=np.int64)
        slat: cython.double[:] = slat_arr
        slon: cython.double[:] = slon_arr
        skey: cython.longlong[:] = skey_arr
        ns = 0
        for kd in lenders:
            for i in range(kd.ncity):
                slat[ns] = kd.clat[i]
                slon[ns] = kd.clon[i]
                skey[ns] = kd.key
                ns += 1
        second = self._pass(ng, g_keys, g_hints, g_caps, g_where, ctx2, ctx_admin, alat_arr, alon_arr, na,
                            slat_arr, slon_arr, skey_arr, ns, own)
        best2: cython.longlong[:] = second[0]
        score2: cython.double[:] = second[1]
        # one entry and one score object per group, shared by its mentions
        chosen = [(int(best2[g]), float(score2[g])) if best2[g] >= 0 and score2[g] >= MIN_SCORE else None
                  for g in range(ng)]
        out = []
        for idx in range(nc):
            ch = chosen[grp[idx]]
            if ch is not None:
                if cands is not None:
                    t = cands[idx]
                    out.append((t[0], t[1], ch[0], ch[1]))
                else:
                    out.append((int(cand[4 * idx]), int(cand[4 * idx + 1]), ch[0], ch[1]))
        return out

    @cython.cfunc
    def _pass(self, ng: cython.Py_ssize_t, g_keys: list, g_hints: list, g_caps: list, g_where: list, ctx_country: dict,
              ctx_admin: set, alat: cython.double[:], alon: cython.double[:], na: cython.Py_ssize_t,
              slat: cython.double[:], slon: cython.double[:], skey: cython.longlong[:], ns: cython.Py_ssize_t,
              own) -> tuple:
        """One ranking of every group: its best entry and score. With ``own``, a name is ranked
        without the countries of its own first-pass choices (a wrong first choice must not vote for
        itself)."""
        share0, us0 = shares(ctx_country)
        without = {}
        g: cython.Py_ssize_t
        kd: KeyData
        best_arr = np.zeros(ng, dtype=np.int64)
        score_arr = np.zeros(ng, dtype=np.float64)
        best_out: cython.longlong[:] = best_arr
        score_out: cython.double[:] = score_arr
        for g in range(ng):
            kd = g_keys[g]
            share, us = share0, us0
            if own and kd.multi_country and kd.key in own:
                mine = tuple(own[kd.key].items())
                sv = without.get(mine)
                if sv is None:
                    sv = without[mine] = shares(less(ctx_country, mine))
                share, us = sv
            best_out[g], score_out[g] = self._best(kd, g_hints[g], g_caps[g], g_where[g], share, us, ctx_admin,
                                                   alat, alon, na, slat, slon, skey, ns)
        return best_arr, score_arr

    @cython.cfunc
    def _best(self, kd: KeyData, hint: str, caps: cython.bint, where: tuple, share: dict, us: cython.bint,
              ctx_admin: set, alat: cython.double[:], alon: cython.double[:], na: cython.Py_ssize_t,
              slat: cython.double[:], slon: cython.double[:], skey: cython.longlong[:],
              ns: cython.Py_ssize_t) -> tuple[cython.longlong, cython.double]:
        """The best sense of ``kd`` and its score in this document's context."""
        best: cython.longlong = -1
        t: cython.longlong
        j: cython.Py_ssize_t
        c: cython.longlong
        a: cython.Py_ssize_t
        best_score: cython.double = -math.inf
        sc: cython.double
        sh: cython.double
        lat: cython.double
        lon: cython.double
        h: cython.double
        d: cython.double
        near: cython.bint
        has_share: cython.bint = len(share) > 0
        use_near: cython.bint = na > 0 and kd.ncity > 1
        use_backing: cython.bint = ns > 0 and kd.local_only
        best_id = ""
        for j in range(kd.n):
            if kd.acr_only[j] and not caps:
                continue
            t = kd.tiers[j]
            sc = kd.base[j]
            cc = kd.ccs[j]
            if cc:
                sh = share.get(cc, 0.0)
                sc += SHARE_WEIGHT * sh
                if sh == 0.0 and has_share and t == TIER_CITY:
                    # a town in a country the document never names: an old or foreign name for it
                    # ("Stalin" for Donetsk) or a small namesake needs more than its name
                    if not kd.prim[j]:
                        sc -= UNNAMED_COUNTRY_TOWN
                    elif kd.pops[j] < WORLD_CITY_POP:
                        sc -= UNNAMED_COUNTRY_OWN_NAME
                elif sh == 0.0 and has_share and t == TIER_SUBDIV:
                    sc -= UNNAMED_COUNTRY_PROVINCE  # likewise a province of a country the document never names
                if us and cc == "US" and (t == TIER_CITY or t == TIER_ADMIN):
                    sc += US_LOCAL
                if kd.state_local[j] and kd.admin1[j] in ctx_admin:
                    sc += STATE_NAMED  # a town or county in a state the document names
            c = kd.city_of[j]
            near = False
            if use_near and c >= 0:
                # within NEAR_KM of a place placed confidently (itself, under SELF_KM, excluded)
                lat = kd.clat[c]
                lon = kd.clon[c]
                for a in range(na):
                    h = sin((alat[a] - lat) / 2) ** 2 + cos(lat) * cos(alat[a]) * sin((alon[a] - lon) / 2) ** 2
                    if h > 1.0:
                        h = 1.0
                    d = 2 * EARTH_RADIUS_KM * asin(sqrt(h))
                    if SELF_KM <= d < NEAR_KM:
                        near = True
                        break
                if near:
                    sc += NEAR_BONUS
            if not near and use_backing and c >= 0:
                # a namesake within NEAR_KM of a place another name of the document may be
                lat = kd.clat[c]
                lon = kd.clon[c]
                for a in range(ns):
                    if skey[a] == kd.key:
                        continue
                    h = sin((slat[a] - lat) / 2) ** 2 + cos(lat) * cos(slat[a]) * sin((slon[a] - lon) / 2) ** 2
                    if h > 1.0:
                        h = 1.0
                    if 2 * EARTH_RADIUS_KM * asin(sqrt(h)) < NEAR_KM:
                        sc += NEAR_BONUS
                        break
            if hint and kd.kinds[j] == hint:
                sc += KIND_HINT_BONUS  # "Rajin port", "the port of Vostochny"
            if where and ((cc, kd.admin1[j]) in where or (cc, "") in where) and (
                    t == TIER_CITY or t == TIER_ADMIN or t == TIER_CURATED):
                sc += APPOSITION_BONUS  # "Scott County, Indiana"
            if sc > best_score or (sc == best_score and kd.ids[j] < best_id):
                best, best_score, best_id = kd.ents[j], sc, kd.ids[j]
        return best, round(best_score, 3)
