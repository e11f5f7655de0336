# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The geoparser's per-character and per-candidate work, compiled.

:mod:`geo.geoparser` is the reference: this module does exactly what its ``_candidates`` (text
preparation, guards) and ``resolve`` do, rule for rule, with C loops over characters and C numbers
where the Python code slices strings and runs regular expressions. ``Geoparser`` uses it when the
extension was built (``pip install`` compiles it where a C compiler is present) and falls back to
the Python code otherwise; ``tests/test_speedups.py`` checks that both give the same mentions.
"""

from libc.math cimport asin, copysign, cos, fabs, floor, sin, sqrt, INFINITY
from libc.stdlib cimport free, malloc, qsort, realloc
from libc.string cimport memcmp, memcpy, memset
from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_4BYTE_KIND, PyUnicode_DATA, PyUnicode_FromKindAndData, PyUnicode_KIND, PyUnicode_READ,
)

import numpy as np

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    bint Py_UNICODE_ISLOWER(Py_UCS4 ch)
    bint Py_UNICODE_ISUPPER(Py_UCS4 ch)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    bint Py_UNICODE_ISTITLE(Py_UCS4 ch)
    bint Py_UNICODE_ISALPHA(Py_UCS4 ch)


# degrees to radians, as numpy's radians computes it
cdef double DEG = 3.141592653589793 / 180.0

# the rules, read once from geo/_rules.py (the reference code reads the same module)
from geo import _rules as _R
cdef double CAPITALS_SHARE = _R.CAPITALS_SHARE
cdef double WORLD_CITY_POP = _R.WORLD_CITY_POP
cdef double CONTEXT_NAMED = _R.CONTEXT_NAMED
cdef double CONTEXT_INDIRECT = _R.CONTEXT_INDIRECT
cdef double SHARE_WEIGHT = _R.SHARE_WEIGHT
cdef double UNNAMED_COUNTRY_TOWN = _R.UNNAMED_COUNTRY_TOWN
cdef double UNNAMED_COUNTRY_OWN_NAME = _R.UNNAMED_COUNTRY_OWN_NAME
cdef double UNNAMED_COUNTRY_PROVINCE = _R.UNNAMED_COUNTRY_PROVINCE
cdef double US_LOCAL = _R.US_LOCAL
cdef double STATE_NAMED = _R.STATE_NAMED
cdef double NEAR_KM = _R.NEAR_KM
cdef double SELF_KM = _R.SELF_KM
cdef double NEAR_BONUS = _R.NEAR_BONUS
cdef double KIND_HINT_BONUS = _R.KIND_HINT_BONUS
cdef double APPOSITION_BONUS = _R.APPOSITION_BONUS
cdef double EARTH_RADIUS_KM = _R.EARTH_RADIUS_KM


cdef struct Match:
    Py_ssize_t s
    Py_ssize_t e
    int k


cdef struct Cand:
    # a candidate that passed the guards: its bounds, its key and the kind hint of the word after it
    Py_ssize_t s
    Py_ssize_t e
    int k
    int hint


cdef int _cmp_match(const void *a, const void *b) noexcept nogil:
    # start ascending, then the longest first (as ``raw.sort(key=lambda r: (r[0], r[0] - r[1]))``)
    cdef const Match *x = <const Match *>a
    cdef const Match *y = <const Match *>b
    if x.s != y.s:
        return -1 if x.s < y.s else 1
    if x.e != y.e:
        return -1 if x.e > y.e else 1
    return 0


cdef inline bint _is_az(Py_UCS4 c) noexcept:
    return 97 <= c <= 122


cdef inline bint _is_AZ(Py_UCS4 c) noexcept:
    return 65 <= c <= 90


cdef inline bint _is_az09(Py_UCS4 c) noexcept:
    return (97 <= c <= 122) or (48 <= c <= 57)


cdef inline bint _is_hyphen(Py_UCS4 c) noexcept:
    return c == u'-' or c == u'‐' or c == u'‑'


cdef inline bint _is_apos(Py_UCS4 c) noexcept:
    return c == u"'" or c == u'’'


cdef inline bint _lower_start_sep(Py_UCS4 c) noexcept:
    # the separators of geo._text._LOWER_START: [\s(\[{\"“‘/\-–—]
    return (Py_UNICODE_ISSPACE(c) or c == u'(' or c == u'[' or c == u'{' or c == u'"' or c == u'“'
            or c == u'‘' or c == u'/' or c == u'-' or c == u'–' or c == u'—')


cdef Py_UCS4 _ascii_fold[128]


def _init_ascii_fold():
    cdef int i
    for i in range(128):
        c = chr(i)
        if i == 1 or c == "'" or c == " ":
            _ascii_fold[i] = i
        elif c.isalnum():
            _ascii_fold[i] = ord(c.lower())
        else:
            _ascii_fold[i] = 32


_init_ascii_fold()


ctypedef fused _folded_t:
    unsigned char
    Py_UCS4


cdef bint _fold(_folded_t *f, int kind, void *data, Py_ssize_t n, object fold_table) except -1:
    """Fold the ``n`` characters of ``data`` (a str's ``kind``) into ``f`` as :func:`prepare` does;
    False (``f`` half-written) when a folded character does not fit ``f``'s width."""
    cdef Py_ssize_t i
    cdef Py_UCS4 c, m
    cdef Py_UCS4 limit = 0x10FFFF if _folded_t is Py_UCS4 else 255
    # mark_lowercase_words, then fold, one character at a time
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if i + 1 < n and _is_az(PyUnicode_READ(kind, data, i + 1)) and _lower_start_sep(c):
            f[i] = 32
            continue
        if i > 0 and _is_az(c) and _lower_start_sep(PyUnicode_READ(kind, data, i - 1)):
            f[i] = 1
            continue
        if i == 0 and Py_UNICODE_ISLOWER(c):
            f[i] = 1
            continue
        if c < 128:
            f[i] = <_folded_t>_ascii_fold[c]
        else:
            m = (<str>fold_table[<long>c])[0]
            if m > limit:
                return False
            f[i] = <_folded_t>m
    # "'s" not followed by a letter or digit: both blank
    i = 0
    while i + 1 < n:
        if f[i] == 39 and f[i + 1] == 115 and not (i + 2 < n and _is_az09(f[i + 2])):
            f[i] = 32
            f[i + 1] = 32
            i += 2
        else:
            i += 1
    # a bare apostrophe after a letter, not followed by one: blank
    for i in range(1, n):
        if f[i] == 39 and _is_az(f[i - 1]) and not (i + 1 < n and _is_az09(f[i + 1])):
            f[i] = 32
    return True


cpdef str prepare(str text, object fold_table, object reference, Py_ssize_t start=0, Py_ssize_t stop=-1):
    """``" " + folded + " "`` as ``Geoparser._candidates`` makes it: lower-case words marked, text
    folded (``fold_table`` is :data:`geo._text._TABLE`), possessives blanked; with ``start`` and
    ``stop``, of ``text[start:stop]``, read in place.

    Folding here is character by character; ``str.lower`` on a whole text also turns a word-final
    capital sigma into "ς", so a text with "Σ" is left to ``reference`` (the Python code). The
    folded text is written one byte a character while it fits (most text folds to ASCII), else
    four.
    """
    if stop < 0 or stop > len(text):
        stop = len(text)
    if start < 0 or start > stop:
        raise ValueError("prepare: start must lie between 0 and stop")
    if u"Σ" in text:
        return reference(text[start:stop] if start > 0 or stop < len(text) else text)
    cdef Py_ssize_t n = stop - start
    cdef int kind = PyUnicode_KIND(text)  # the characters read in place, not one by one as objects
    cdef void *data = <char *>PyUnicode_DATA(text) + start * kind  # kind: bytes a character
    cdef unsigned char *narrow = <unsigned char *>malloc(n + 2)
    if narrow == NULL:
        raise MemoryError()
    try:
        if _fold(narrow + 1, kind, data, n, fold_table):
            narrow[0] = 32
            narrow[n + 1] = 32
            return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, narrow, n + 2)
    finally:
        free(narrow)
    cdef Py_UCS4 *wide = <Py_UCS4 *>malloc((n + 2) * sizeof(Py_UCS4))
    if wide == NULL:
        raise MemoryError()
    try:
        _fold(wide + 1, kind, data, n, fold_table)
        wide[0] = 32
        wide[n + 1] = 32
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, wide, n + 2)
    finally:
        free(wide)


cdef bint _str_isupper_dotless(str s):
    """``s.replace(".", "").isupper()``."""
    cdef bint cased = False
    cdef Py_UCS4 c
    for c in s:
        if c == u'.':
            continue
        if Py_UNICODE_ISLOWER(c) or Py_UNICODE_ISTITLE(c):
            return False
        if Py_UNICODE_ISUPPER(c):
            cased = True
    return cased




cdef bint _personlike(str w):
    """``_PERSONLIKE.fullmatch(w)``: [A-Z][a-z]+(?:-[A-Za-z]+)?"""
    cdef Py_ssize_t n = len(w), i = 1, j
    if n < 2 or not _is_AZ(w[0]):
        return False
    while i < n and _is_az(w[i]):
        i += 1
    if i == 1:
        return False
    if i == n:
        return True
    if w[i] != u'-':
        return False
    j = i + 1
    while j < n and (_is_az(w[j]) or _is_AZ(w[j])):
        j += 1
    return j > i + 1 and j == n


cdef bint _sentence_initial(str text, Py_ssize_t start):
    cdef Py_ssize_t i = start - 1
    cdef Py_UCS4 c
    while i >= 0:
        c = text[i]
        if c == u' ' or c == u'\t' or c == u'"' or c == u'“' or c == u'‘' or c == u"'" or c == u'(':
            i -= 1
        else:
            break
    if i < 0:
        return True
    c = text[i]
    return c == u'.' or c == u'!' or c == u'?' or c == u'\n' or c == u':' or c == u';' or c == u'—' or c == u'–'


cdef double _round3(double x) except? -1.0:
    """``round(x, 3)``, in C where that is sure to be the same double.

    Python rounds the exact value of ``x`` times 1000 to an integer K (ties to even) and returns the
    double nearest to K/1000. Below 1e9 the product's rounding error is under 1e-7, so when it lies
    within 0.499 of an integer k, K is k; k / 1000 (IEEE division, correctly rounded) is then the
    double nearest to K/1000, with the sign of x (round(-0.0001, 3) is -0.0). Anything else (near a
    tie, large, infinite or not a number) is left to Python's round.
    """
    cdef double y = x * 1000.0, k
    if fabs(y) < 1e9:
        k = floor(y + 0.5)
        if fabs(y - k) < 0.499:
            return copysign(k / 1000.0, x)
    return round(x, 3)


def round3(double x) -> float:
    """:func:`_round3` for the tests."""
    return _round3(x)


cdef class Core:
    """The compiled candidates, guards and resolution of one :class:`geo.geoparser.Geoparser`."""

    cdef object gz, automaton, common, fold_table, info_of
    cdef const unsigned char[:] key_flags
    cdef const unsigned char[:] key_strong
    cdef const long long[:] key_tiers_min
    cdef const long long[:] key_maxpop
    cdef const int[:] key_len
    cdef frozenset org_after, disease_after, titles, given, function_words, place_prefix, month_day
    cdef frozenset speech, not_places, person_acts, person_object_of, vessel_before
    cdef tuple org_before
    cdef object hint_word
    cdef dict kind_hints
    cdef object tokens_capitalised, prepare_reference, is_elided_article, shares, less
    cdef tuple prefixes
    cdef frozenset lowercase_tokens
    cdef double min_score
    cdef Py_ssize_t max_namesakes, max_key
    cdef int flag_common, flag_acronym, flag_stop, flag_abbrev
    cdef int tier_country, tier_city, tier_curated, tier_admin, tier_subdiv
    cdef object gz_countries
    cdef const double[:] lat
    cdef const double[:] lon
    cdef dict key_data, hint_index, demonym_words
    cdef unsigned char demonym_pairs[26 * 128]
    cdef list hint_names

    def __init__(self, gp):
        from geo import geoparser as G
        from geo import _text

        self.gz = gp.gz
        self.automaton = None
        self.common = gp._common  # a common English word, inflections included
        self.fold_table = _text._TABLE
        self.info_of = gp._info
        self.key_flags = np.ascontiguousarray(gp.gz.key_flags, dtype=np.uint8)
        self.key_strong = np.ascontiguousarray(gp._key_arrays["strong"], dtype=np.uint8)
        self.key_tiers_min = np.ascontiguousarray(gp._key_arrays["tiers_min"], dtype=np.int64)
        self.key_maxpop = np.ascontiguousarray(gp._key_arrays["maxpop"], dtype=np.int64)
        self.key_len = np.ascontiguousarray(gp.gz.key_len, dtype=np.int32)
        self.max_key = int(np.max(gp.gz.key_len)) if len(gp.gz.key_len) else 0
        self.org_after = frozenset(G._ORG_AFTER)
        self.disease_after = frozenset(G._NOT_PLACE_AFTER)
        self.org_before = tuple(G._ORG_BEFORE)
        self.hint_word = G._hint_word  # "the port of Vostochny": the kind before, as a word after
        self.vessel_before = frozenset(G._VESSEL_BEFORE)
        self.titles = frozenset(G._TITLES)
        self.given = frozenset(G._GIVEN_NAMES)
        self.function_words = frozenset(G._FUNCTION_WORDS)
        self.place_prefix = frozenset(G._PLACE_PREFIX)
        self.month_day = frozenset(G._MONTH_DAY)
        self.speech = frozenset(G._SPEECH_VERBS)
        self.person_acts = frozenset(G._PERSON_ACTS)
        self.person_object_of = frozenset(G._PERSON_OBJECT_OF)
        self.not_places = frozenset(G.NOT_PLACES)
        self.kind_hints = dict(G._KIND_HINTS)
        self.tokens_capitalised = G._tokens_capitalised
        self.prepare_reference = G._prepare
        self.is_elided_article = _text.is_elided_article
        self.shares = G._shares
        self.less = G._less
        self.prefixes = tuple(G._PREFIXES)
        self.lowercase_tokens = frozenset(_text.LOWERCASE_TOKENS)
        self.min_score = G.MIN_SCORE
        self.max_namesakes = G.MAX_NAMESAKES
        self.flag_common, self.flag_acronym = G.FLAG_COMMON, G.FLAG_ACRONYM
        self.flag_stop, self.flag_abbrev = G.FLAG_STOP, G.FLAG_ABBREV
        self.tier_country, self.tier_city, self.tier_curated = G.TIER_COUNTRY, G.TIER_CITY, G.TIER_CURATED
        self.tier_admin, self.tier_subdiv = G.TIER_ADMIN, G.TIER_SUBDIV
        self.gz_countries = {}  # an entry's country, read once (the gazetteer's column is never split here)
        self.lat = np.ascontiguousarray(gp.gz.lat, dtype=np.float64)
        self.lon = np.ascontiguousarray(gp.gz.lon, dtype=np.float64)
        self.key_data = {}
        # kind hints as small integers (0: none), so a candidate's group is one integer
        self.hint_names = [""] + sorted(set(G._KIND_HINTS.values()))
        self.hint_index = {w: self.hint_names.index(h) for w, h in G._KIND_HINTS.items()}
        # the words _DEMONYM_RX matches, with their countries
        words = G._DEMONYM_RX.pattern.split("(", 1)[1].split(")", 1)[0].split("|")
        self.demonym_words = {w: G._DEMONYMS.get(w.lower()) for w in words}
        memset(self.demonym_pairs, 0, sizeof(self.demonym_pairs))
        for w in words:
            if len(w) > 1 and u"A" <= w[0] <= u"Z" and ord(w[1]) < 128:
                self.demonym_pairs[(ord(w[0]) - 65) * 128 + ord(w[1])] = 1

    # -- extraction ---------------------------------------------------------------

    cdef bint _tokens_capitalised(self, str text, Py_ssize_t s, Py_ssize_t e):
        """``_tokens_capitalised(text[s:e])``: each word capitalised, or one that names may keep in lower case."""
        cdef Py_UCS4 c = text[s]
        cdef Py_ssize_t i, j
        if c == u't' or c == u'T' or c == u'i' or c == u'I' or c == u'p' or c == u'P' or c == u's' or c == u'S':
            if text[s:s + 6].lower().startswith(self.prefixes):  # "trans-Siberian": the reference decides
                return self.tokens_capitalised(text[s:e])
        if _is_token_sep(c) or not (Py_UNICODE_ISUPPER(c) or not Py_UNICODE_ISALPHA(c)):
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
            if (Py_UNICODE_ISALPHA(c) and Py_UNICODE_ISLOWER(c) and text[i:j].lower().strip("'’") not in self.lowercase_tokens
                    and not self.is_elided_article(text[i:j])):
                return False
            i = j
        return True

    cdef void _prev_word(self, str text, Py_ssize_t s, Py_ssize_t *ps_out, Py_ssize_t *pe_out, Py_ssize_t *pstart_out,
                         bint *hyphen_out) except *:
        """``_prev_word(text, s)``: the word before ``s`` as bounds [ps, pe) (empty: none), where its
        unstripped run starts, and whether a hyphen joins it."""
        cdef Py_ssize_t i = s - 1, j, ps = 0, pe = 0, pstart = -1
        cdef Py_UCS4 c
        cdef bint hyphen
        while i >= 0 and (text[i] == u' ' or text[i] == u'\t'):
            i -= 1
        hyphen = i == s - 1
        if not (hyphen and (i < 0 or not _is_hyphen(text[i]))):
            j = i
            while j >= 0 and i - j < 40:
                c = text[j]
                if Py_UNICODE_ISALNUM(c) or c == u"'" or c == u'’' or c == u'.' or _is_hyphen(c):
                    j -= 1
                else:
                    break
            pstart = j + 1
            ps, pe = pstart, i + 1
            while ps < pe and _strip_char(text[ps]):
                ps += 1
            while pe > ps and _strip_char(text[pe - 1]):
                pe -= 1
            if pe > ps and text[i] == u'.' and not (pe - ps == 1 and _is_AZ(text[ps])) and text[ps:pe].lower() not in self.titles:
                pe = ps  # the end of the previous sentence (not an initial)
        ps_out[0] = ps
        pe_out[0] = pe
        pstart_out[0] = pstart
        hyphen_out[0] = hyphen

    cdef int _guard(self, str text, Py_ssize_t n, Py_ssize_t s, Py_ssize_t e, int k,
                    Match *raw, Py_ssize_t nraw, list nxt_out) except -1:
        """1 to keep, 0 to drop, 2 when the match is part of a person's name (``Geoparser._guard``).

        On 1, ``nxt_out[0]`` is the lower-cased word after the match.
        """
        cdef int flags = self.key_flags[k]
        cdef bint strong = self.key_strong[k]
        cdef Py_ssize_t i, j, p, gap_start, gap_end, nxt_end, ls, le, up, letters
        cdef Py_UCS4 c
        cdef bint possessive, hyphen, single_space, has_sep
        cdef long long maxpop
        if flags & self.flag_stop and not strong:
            return 0
        if flags & self.flag_abbrev:
            # "Charleston, W.Va.": after a comma, with its full stop (so no word follows); dotted anywhere
            nxt_out[0] = ""
            return 1 if (e < n and text[e] == u'.' and Py_UNICODE_ISUPPER(text[s])
                         and ((s >= 2 and text[s - 2] == u',' and text[s - 1] == u' ') or u'.' in text[s:e])) else 0
        if flags & self.flag_acronym:
            if not strong or not _str_isupper_dotless(text[s:e]):
                return 0
        else:
            has_sep = Py_UNICODE_ISLOWER(text[s])
            if not has_sep:
                for i in range(s, e):
                    c = text[i]
                    if c == u' ' or c == u'-':
                        has_sep = True
                        break
            if has_sep and not self._tokens_capitalised(text, s, e):
                return 0
            elif e - s > 1 and text[s:e].isupper() and not (strong and e - s <= 5):
                # an all-capitals word is an acronym unless its line is in capitals
                ls = text.rfind("\n", 0, s) + 1
                if ls < s - 160:
                    ls = s - 160
                le = text.find("\n", e, e + 160)
                if le < 0:
                    le = e + 160
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
        if e < n and text[e] == u'$':
            return 0  # a currency ("US$460 million", "HK$")
        # the word after: (?:'s|’s)?([ \t]*)([\w'’-]*)
        p = e
        possessive = False
        if p + 1 < n and _is_apos(text[p]) and text[p + 1] == u's':
            p += 2
            possessive = True
        gap_start = p
        while p < n and (text[p] == u' ' or text[p] == u'\t'):
            p += 1
        gap_end = p
        single_space = gap_end - gap_start == 1 and text[gap_start] == u' '
        while p < n:
            c = text[p]
            if Py_UNICODE_ISALNUM(c) or c == u'_' or c == u"'" or c == u'’' or c == u'-':
                p += 1
            else:
                break
        nxt_end = p
        cdef str nxt = text[gap_end:nxt_end]
        cdef str nxt_l = nxt.lower()
        cdef bint has_nxt = nxt_end > gap_end
        if has_nxt and single_space and not possessive and Py_UNICODE_ISUPPER(text[gap_end]) and nxt_l in self.org_after:
            return 0
        if single_space and nxt_l in self.disease_after:
            return 0  # a disease ("Lassa fever"), a clock ("Moscow time")
        if (s >= 9 and text[s - 1] == u' ' and (text[s - 2] == u'f' or text[s - 2] == u'e')
                and text.endswith(self.org_before, 0, s)):
            return 0  # a broadcaster ("Radio Free Asia", "Voice of America")
        # the word before (Geoparser's _prev_word), as bounds [ps, pe); a string only when needed
        cdef Py_ssize_t ps = 0, pe = 0, pstart = -1, ps2 = 0, pe2 = 0, pstart2 = -1
        cdef bint hyphen2
        cdef str pl
        self._prev_word(text, s, &ps, &pe, &pstart, &hyphen)
        if (4 <= pe - ps <= 10 and not hyphen and _vessel_end(text[pe - 1])
                and text[ps:pe].lower() in self.vessel_before):
            return 0  # a ship ("the tanker Sakhalin")
        if pe - ps == 1 and _is_AZ(text[ps]) and pstart + 1 < n and text[pstart + 1] == u'.':
            return 2  # "Ashley L. Evans"
        if (has_nxt and single_space and not possessive and nxt_end - gap_end == 1 and _is_AZ(text[gap_end])
                and nxt_end + 3 < n and text[nxt_end] == u'.' and text[nxt_end + 1] == u' '
                and _is_AZ(text[nxt_end + 2]) and _is_az(text[nxt_end + 3])):
            return 2  # "Ashley L. Evans", not "Washington D.C."
        if pe > ps and _titlecase_range(text, ps, pe):
            pl = text[ps:pe].lower()
            if pl in self.titles:
                return 2
            if pl in self.given or (
                not hyphen and pl not in self.function_words and pl not in self.place_prefix and pl not in self.month_day
                and (len(pl) <= 2 or not self.common(pl))
            ):
                if not strong or not _sentence_initial(text, pstart):
                    return 2
            if flags & self.flag_common and not strong and not hyphen and pl not in self.function_words and pl not in self.place_prefix:
                return 0  # a word in a capitalised compound ("National Forest", "Air Force Reserve")
        elif pe - ps == 2 and text[ps] == u'o' and text[ps + 1] == u'f' and flags & self.flag_common and not strong:
            self._prev_word(text, pstart, &ps2, &pe2, &pstart2, &hyphen2)
            if pe2 > ps2 and _titlecase_range(text, ps2, pe2):
                return 0  # "Chamber of Commerce"
        maxpop = self.key_maxpop[k]
        if strong:
            if (has_nxt and single_space and not possessive
                    and (self.key_tiers_min[k] != self.tier_country or text[s:e].lower() in self.given)
                    and _personlike(nxt) and not self.common(nxt_l) and nxt_l not in self.not_places
                    and nxt_l not in self.kind_hints and nxt_l not in self.month_day and not _has_start(raw, nraw, e + 1)):
                return 0
            nxt_out[0] = self.hint_word(nxt_l, text, s) if _of_before(text, s) else nxt_l
            return 1
        if not possessive and nxt_l in self.speech and maxpop < WORLD_CITY_POP:
            if (text[ps:pe].lower() if pe > ps else "") not in self.function_words:
                return 2
        if maxpop < 200_000 and (
            (not possessive and single_space and nxt_l in self.person_acts
             and (text[ps:pe].lower() if pe > ps else "") not in self.function_words)
            or (pe > ps and not hyphen and text[ps:pe].lower() in self.person_object_of)
        ):
            return 2  # "Welch went", "stabbed Welch"
        if has_nxt and single_space and not possessive and nxt_l not in self.kind_hints and _personlike(nxt):
            if not self.common(nxt_l) and nxt_l not in self.month_day and nxt_l not in self.not_places:
                return 2 if maxpop < 200_000 else 0
            if maxpop < 200_000:
                return 0
        if maxpop < 200_000 and e < n and _is_hyphen(text[e]) and e + 1 < n and Py_UNICODE_ISUPPER(text[e + 1]):
            return 0
        if flags & self.flag_common and _sentence_initial(text, s):
            return 0
        nxt_out[0] = self.hint_word(nxt_l, text, s) if _of_before(text, s) else nxt_l
        return 1

    def candidates(self, str text, spans=None):
        """``(candidates, next_words)`` as ``Geoparser._candidates`` returns them."""
        cdef Cand *c = NULL
        cdef Py_ssize_t nc = 0, i
        words = []
        try:
            self._extract(text, spans, &c, &nc, words)
            return [(c[i].s, c[i].e, c[i].k) for i in range(nc)], words
        finally:
            free(c)

    def extract_part(self, str text, spans, Py_ssize_t lo, Py_ssize_t hi):
        """The candidates of the part ``[lo, hi)`` of ``text`` (those that start in it), for
        :meth:`parse_parts` to join with the others: ``(lo, hi, candidates, name_like, last_end)``,
        the candidates packed in bytes. Parts can be extracted in other processes (the text and the
        spans must be the whole document's: the guards read around each match)."""
        cdef Cand *c = NULL
        cdef Py_ssize_t nc = 0, last_end = -1
        cdef set name_like = set()
        try:
            self._extract(text, spans, &c, &nc, None, lo, hi, name_like, &last_end)
            return lo, hi, (<char *>c)[:nc * sizeof(Cand)] if nc else b"", frozenset(name_like), last_end
        finally:
            free(c)

    def parse_parts(self, str text, list parts):
        """``parse(text, spans)`` from the :meth:`extract_part` results of consecutive parts that
        cover the text; None when a candidate of one part reaches into the next (its choice there
        would depend on this one: the caller parses the text whole)."""
        cdef Py_ssize_t nc = 0, at = 0, expect = 0, n = len(text)
        cdef bytes packed
        cdef Cand *c
        name_like = set()
        for lo, hi, packed, nl, last_end in parts:
            if lo != expect or last_end > hi:
                return None
            expect = hi
            nc += len(packed) // sizeof(Cand)
            name_like.update(nl)
        if expect != n:
            return None
        if nc == 0:
            return []
        c = <Cand *>malloc(nc * sizeof(Cand))
        if c == NULL:
            raise MemoryError()
        try:
            for part in parts:
                packed = part[2]
                memcpy(<char *>(c + at), <char *>packed, len(packed))
                at += len(packed) // sizeof(Cand)
            if name_like:
                nc = self._one_sense(c, nc, name_like, None)
            return self._resolve(text, c, nc, None)
        finally:
            free(c)

    cdef int _extract(self, str text, spans, Cand **out_p, Py_ssize_t *nout, list words,
                      Py_ssize_t lo=0, Py_ssize_t hi=-1, set name_like_out=None, Py_ssize_t *last_end_out=NULL,
                      bint *wide_out=NULL) except -1:
        """The candidates that pass the guards into ``out_p[0]`` (``nout[0]`` of them, malloc'ed:
        the caller frees it), the lower-cased word after each into ``words`` (unless None).

        With ``lo``/``hi``, only the candidates that start in ``[lo, hi)`` (a part of the text, see
        :meth:`extract_part`): the names seen inside people's names go to ``name_like_out`` instead of
        being dropped here, and the end of the last candidate to ``last_end_out``.
        """
        if self.automaton is None:
            self.automaton = self.gz.automaton
        cdef Py_ssize_t n = len(text), cap = 64, nraw = 0, i, a, b, nsp = 0, last_end = -1, ncap = 64, nc = 0
        cdef Py_ssize_t w0 = 0, w1 = n, first = 0
        if hi < 0 or hi > n:
            hi = n
        if (lo > 0 or hi < n) and u"Σ" not in text:
            # Only a window of the text is folded: from a few characters before lo (what folding a
            # character reads around it) to two longest names past hi, so that every match starting
            # before hi, and every match the guards look for just after one, is folded as in the
            # whole text. The automaton starts at lo's leading space: a match starting before lo is
            # another part's.
            w0 = lo - 8 if lo > 8 else 0
            w1 = hi + 2 * self.max_key + 8
            if w1 > n:
                w1 = n
        cdef str padded = prepare(text, self.fold_table, self.prepare_reference, w0, w1)
        if wide_out != NULL:  # a character beyond one byte once folded: it may be Cyrillic or Hangul
            wide_out[0] = PyUnicode_KIND(padded) != PyUnicode_1BYTE_KIND
        first = lo - w0 if lo > 0 else 0
        cdef int k, verdict
        cdef Py_ssize_t endp, s, e
        cdef Match *raw = <Match *>malloc(cap * sizeof(Match))
        cdef Match *grown
        cdef Cand *out = <Cand *>malloc(ncap * sizeof(Cand))
        cdef Cand *grown_c
        cdef Py_ssize_t *sp = NULL
        hint_index = self.hint_index
        name_like = set()
        nxt_out = [""]
        out_p[0] = out
        nout[0] = 0
        if raw == NULL or out == NULL:
            free(raw)
            raise MemoryError()
        try:
            if spans is not None:
                # by start, with the furthest end reached so far: a match lies in some span when
                # the last span starting at or before it reaches its end (a binary search)
                spans = sorted(spans)
                nsp = len(spans)
                sp = <Py_ssize_t *>malloc((2 * nsp + 1) * sizeof(Py_ssize_t))
                if sp == NULL:
                    raise MemoryError()
                for i in range(nsp):
                    sp[2 * i] = spans[i][0]
                    sp[2 * i + 1] = spans[i][1] if i == 0 or spans[i][1] > sp[2 * i - 1] else sp[2 * i - 1]
            for endp, k in self.automaton.iter(padded, first):
                e = endp - 1 + w0
                s = e - self.key_len[k]
                if sp != NULL:
                    a = 0
                    b = nsp
                    while a < b:  # the first span starting after s
                        i = (a + b) >> 1
                        if sp[2 * i] <= s:
                            a = i + 1
                        else:
                            b = i
                    if a == 0 or sp[2 * (a - 1) + 1] < e:
                        continue
                if nraw == cap:
                    cap *= 2
                    grown = <Match *>realloc(raw, cap * sizeof(Match))
                    if grown == NULL:
                        raise MemoryError()
                    raw = grown
                raw[nraw].s = s
                raw[nraw].e = e
                raw[nraw].k = k
                nraw += 1
            if nraw == 0:
                return 0
            qsort(raw, nraw, sizeof(Match), _cmp_match)
            for i in range(nraw):
                s = raw[i].s
                if s >= hi:
                    break
                if s < last_end:
                    continue
                e = raw[i].e
                k = raw[i].k
                verdict = self._guard(text, n, s, e, k, raw, nraw, nxt_out)
                if verdict == 1:
                    if nc == ncap:
                        ncap *= 2
                        grown_c = <Cand *>realloc(out, ncap * sizeof(Cand))
                        if grown_c == NULL:
                            raise MemoryError()
                        out = out_p[0] = grown_c
                    out[nc].s = s
                    out[nc].e = e
                    out[nc].k = k
                    out[nc].hint = hint_index.get(nxt_out[0], 0)
                    nc += 1
                    if words is not None:
                        words.append(nxt_out[0])
                    last_end = e
                elif verdict == 2:
                    name_like.add(k)
        finally:
            free(raw)
            if sp != NULL:
                free(sp)
            nout[0] = nc
            if last_end_out != NULL:
                last_end_out[0] = last_end
        if name_like_out is not None:
            name_like_out.update(name_like)
        elif name_like:
            nout[0] = self._one_sense(out, nc, name_like, words)
        return 0

    cdef Py_ssize_t _one_sense(self, Cand *c, Py_ssize_t nc, set name_like, list words) except -1:
        """One sense per document: a weak name seen inside a person's or an organisation's name is
        not a place elsewhere in the same document. Drops those of the ``nc`` candidates ``c`` (and
        their words from ``words``, unless None) in place; returns how many are kept."""
        cdef Py_ssize_t i, kept = 0
        keep_words = []
        for i in range(nc):
            if c[i].k not in name_like or self.key_strong[c[i].k]:
                c[kept] = c[i]
                if words is not None:
                    keep_words.append(words[i])
                kept += 1
        if words is not None:
            words[:] = keep_words
        return kept

    # -- resolution ---------------------------------------------------------------

    cdef KeyData _key(self, int k):
        kd = self.key_data.get(k)
        if kd is None:
            kd = self.key_data[k] = KeyData(self.info_of(k))
        return <KeyData>kd

    def resolve(self, str text, list cands, list next_words):
        """``Geoparser.resolve``: two passes of context-ranked choices, weak ones dropped (see
        :meth:`_resolve`)."""
        cdef Py_ssize_t nc = len(cands), idx
        cdef tuple t
        if nc == 0:
            return []
        cdef Cand *c = <Cand *>malloc(nc * sizeof(Cand))
        if c == NULL:
            raise MemoryError()
        hint_index = self.hint_index
        try:
            for idx in range(nc):
                t = <tuple>cands[idx]
                c[idx].s = t[0]
                c[idx].e = t[1]
                c[idx].k = t[2]
                c[idx].hint = hint_index.get(next_words[idx], 0)
            return self._resolve(text, c, nc, cands)
        finally:
            free(c)

    cdef list _resolve(self, str text, Cand *c, Py_ssize_t nc, list cands):
        """Two passes of context-ranked choices over the ``nc`` candidates ``c``; ``cands``, when
        given, the same as tuples (their offsets are reused in the results).

        Candidates that share a key, a kind hint and capitals share a choice (as the reference's
        per-pass cache), so each pass ranks each group once; what the reference adds up mention by
        mention (the countries named, each name's own choices) is added here group by group, its
        count of mentions at once: the same sums, since every weight is a multiple of a half.
        """
        cdef Py_ssize_t idx, g, ng = 0, i
        cdef int k, hint_i, best
        cdef bint caps
        cdef KeyData kd
        cdef Py_ssize_t s, e
        if nc == 0:
            return []
        cdef int *grp = <int *>malloc(nc * sizeof(int))
        # per group (at most one per candidate): mentions, choices and scores of the two passes
        cdef long *count = <long *>malloc(nc * sizeof(long))
        cdef int *best1 = <int *>malloc(nc * sizeof(int))
        cdef double *score1 = <double *>malloc(nc * sizeof(double))
        cdef int *best2 = <int *>malloc(nc * sizeof(int))
        cdef double *score2 = <double *>malloc(nc * sizeof(double))
        cdef double *alat = <double *>malloc(nc * sizeof(double))
        cdef double *alon = <double *>malloc(nc * sizeof(double))
        cdef Py_ssize_t na = 0, ns = 0, scap = 0
        cdef double *slat = NULL
        cdef double *slon = NULL
        cdef int *skey = NULL
        cdef double *grown_d
        cdef int *grown_i
        cdef int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef tuple t
        if (grp == NULL or count == NULL or best1 == NULL or score1 == NULL or best2 == NULL or score2 == NULL
                or alat == NULL or alon == NULL):
            free(grp); free(count); free(best1); free(score1); free(best2); free(score2); free(alat); free(alon)
            raise MemoryError()
        ctx_country = {}
        ctx_admin = set()
        groups = {}
        g_keys = []
        g_hints = []
        g_caps = []
        hint_names = self.hint_names
        try:
            for idx in range(nc):
                s = c[idx].s
                e = c[idx].e
                k = c[idx].k
                hint_i = c[idx].hint
                caps = _isupper(text, s, e)
                gk = (<long long>k << 8) | (hint_i << 1) | caps
                gv = groups.get(gk)
                if gv is None:
                    groups[gk] = g = ng
                    count[g] = 0
                    ng += 1
                    g_keys.append(self._key(k))
                    g_hints.append(hint_names[hint_i])
                    g_caps.append(caps)
                else:
                    g = gv
                grp[idx] = g
                count[g] += 1
            # the countries and US states the document names unambiguously, each mention counted
            for g in range(ng):
                kd = <KeyData>g_keys[g]
                ctx = kd.context
                if ctx is not None:
                    cc, extra_ccs, admin1 = ctx
                    if cc:
                        ctx_country[cc] = ctx_country.get(cc, 0) + CONTEXT_NAMED * count[g]
                    for x in extra_ccs:
                        ctx_country[x] = ctx_country.get(x, 0) + CONTEXT_INDIRECT * count[g]
                    if admin1:
                        ctx_admin.add(admin1)
            # "Scott County, Indiana": a name, a comma and a country or state (wherever the name recurs)
            where_of = {}
            for idx in range(nc - 1):
                e = c[idx].e
                if (c[idx + 1].s - e == 2 and PyUnicode_READ(kind, data, e) == 44
                        and PyUnicode_READ(kind, data, e + 1) == 32):
                    regions = self._key(c[idx + 1].k).regions
                    if regions:
                        where_of.setdefault(c[idx].k, set()).update(regions)
            g_where = [tuple(sorted(where_of.get((<KeyData>kd_).key, ()))) for kd_ in g_keys] if where_of else None
            self._demonyms(text, ctx_country)
            self._pass(ng, g_keys, g_hints, g_caps, g_where, ctx_country, ctx_admin, NULL, NULL, 0, NULL, NULL, NULL, 0,
                       best1, score1, None)
            ctx2 = dict(ctx_country)
            own = {}  # per name, the countries of its own first-pass choices, each mention counted
            countries = self.gz_countries
            # anchors: the places of unambiguous towns and curated names placed confidently (each
            # place once: nearness asks only whether one lies within reach)
            na = 0
            anchored = set()
            for g in range(ng):  # groups in the order of their first mention
                best = best1[g]
                if best < 0 or score1[g] < self.min_score:
                    continue
                kd = <KeyData>g_keys[g]
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
            ns = 0
            seen = set()
            for g in range(ng):
                kd = <KeyData>g_keys[g]
                if best1[g] >= 0 and score1[g] >= self.min_score and kd.lends and kd.key not in seen:
                    seen.add(kd.key)
                    if ns + kd.ncity > scap:
                        scap = 2 * (ns + kd.ncity)
                        grown_d = <double *>realloc(slat, scap * sizeof(double))
                        if grown_d == NULL:
                            raise MemoryError()
                        slat = grown_d
                        grown_d = <double *>realloc(slon, scap * sizeof(double))
                        if grown_d == NULL:
                            raise MemoryError()
                        slon = grown_d
                        grown_i = <int *>realloc(skey, scap * sizeof(int))
                        if grown_i == NULL:
                            raise MemoryError()
                        skey = grown_i
                    for i in range(kd.ncity):
                        slat[ns] = kd.clat[i]
                        slon[ns] = kd.clon[i]
                        skey[ns] = kd.key
                        ns += 1
            self._pass(ng, g_keys, g_hints, g_caps, g_where, ctx2, ctx_admin, alat, alon, na, slat, slon, skey, ns, best2,
                       score2, own)
            # one entry and one score object per group, shared by its mentions
            chosen = [(best2[g], score2[g]) if best2[g] >= 0 and score2[g] >= self.min_score else None for g in range(ng)]
            out = []
            for idx in range(nc):
                ch = chosen[grp[idx]]
                if ch is not None:
                    if cands is not None:
                        t = <tuple>cands[idx]
                        out.append((t[0], t[1], (<tuple>ch)[0], (<tuple>ch)[1]))
                    else:
                        out.append((c[idx].s, c[idx].e, (<tuple>ch)[0], (<tuple>ch)[1]))
            return out
        finally:
            free(grp); free(count); free(best1); free(score1); free(best2); free(score2)
            free(alat); free(alon); free(slat); free(slon); free(skey)

    cdef void _demonyms(self, str text, dict ctx_country):
        """``_DEMONYM_RX``'s matches, in order (see :func:`_demonym_scan`), read in the text's own
        width."""
        cdef int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text)
        if kind == PyUnicode_1BYTE_KIND:
            _demonym_scan(<unsigned char *>data, n, text, self.demonym_words, self.demonym_pairs, ctx_country)
        elif kind == PyUnicode_2BYTE_KIND:
            _demonym_scan(<unsigned short *>data, n, text, self.demonym_words, self.demonym_pairs, ctx_country)
        else:
            _demonym_scan(<Py_UCS4 *>data, n, text, self.demonym_words, self.demonym_pairs, ctx_country)

    cdef void _pass(self, Py_ssize_t ng, list g_keys, list g_hints, list g_caps, list g_where, dict ctx_country,
                    set ctx_admin, double *alat, double *alon, Py_ssize_t na, double *slat, double *slon, int *skey,
                    Py_ssize_t ns, int *best_out, double *score_out, dict own) except *:
        """``Geoparser._pass``: with ``own``, a name is ranked without its own first-pass countries."""
        share0, us0 = self.shares(ctx_country)
        without = {}
        cdef Py_ssize_t g
        cdef KeyData kd
        for g in range(ng):
            kd = <KeyData>g_keys[g]
            share, us = share0, us0
            if own and kd.multi_country and kd.key in own:
                mine = tuple(own[kd.key].items())
                sv = without.get(mine)
                if sv is None:
                    sv = without[mine] = self.shares(self.less(ctx_country, mine))
                share, us = sv
            self._best(kd, g_hints[g], g_caps[g], g_where[g] if g_where is not None else (),
                       share, us, ctx_admin, alat, alon, na, slat, slon, skey, ns, &best_out[g], &score_out[g])

    cdef void _best(self, KeyData kd, str hint, bint caps, tuple where, dict share, bint us, set ctx_admin,
                    double *alat, double *alon, Py_ssize_t na, double *slat, double *slon, int *skey,
                    Py_ssize_t ns, int *best_out, double *score_out) except *:
        cdef int best = -1, t, j, c, a
        cdef double best_score = -INFINITY, sc, sh, lat, lon, h, d
        cdef bint has_share = len(share) > 0, near
        cdef bint use_near = na > 0 and kd.ncity > 1
        cdef bint use_backing = ns > 0 and kd.local_only
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
                if sh == 0.0 and has_share and t == self.tier_city:
                    # a town in a country the document never names needs more than its name
                    sc -= UNNAMED_COUNTRY_TOWN if not kd.prim[j] else (
                        UNNAMED_COUNTRY_OWN_NAME if kd.pops[j] < WORLD_CITY_POP else 0.0)
                elif sh == 0.0 and has_share and t == self.tier_subdiv:
                    sc -= UNNAMED_COUNTRY_PROVINCE
                if us and cc == "US" and (t == self.tier_city or t == self.tier_admin):
                    sc += US_LOCAL
                if kd.state_local[j] and kd.admin1[j] in ctx_admin:
                    sc += STATE_NAMED
            c = kd.city_of[j]
            if use_near and c >= 0:
                # within 150 km of a place placed confidently (itself, under 1 km, excluded)
                lat = kd.clat[c]
                lon = kd.clon[c]
                near = False
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
            else:
                near = False
            if not near and use_backing and c >= 0:
                # a namesake within 150 km of a place another name of the document may be
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
                sc += KIND_HINT_BONUS
            if where and ((cc, kd.admin1[j]) in where or (cc, "") in where) and (
                    t == self.tier_city or t == self.tier_admin or t == self.tier_curated):
                sc += APPOSITION_BONUS  # "Scott County, Indiana"
            if sc > best_score or (sc == best_score and kd.ids[j] < best_id):
                best, best_score, best_id = kd.ents[j], sc, kd.ids[j]
        best_out[0] = best
        score_out[0] = _round3(best_score)

    def parse(self, str text, spans=None):
        """``Geoparser.parse``: the candidates and their resolution, without making a Python object
        of any candidate that is not a mention."""
        cdef Cand *c = NULL
        cdef Py_ssize_t nc = 0
        try:
            self._extract(text, spans, &c, &nc, None)
            return self._resolve(text, c, nc, None)
        finally:
            free(c)

    def parse_narrow(self, str text, spans=None):
        """:meth:`parse`, or None when the folded text holds a character beyond one byte (it may be
        Cyrillic or Hangul, which ``Geoparser.parse`` reads with :mod:`geo._scripts`): an English
        text is told apart in the pass that folds it, at no cost of its own."""
        cdef Cand *c = NULL
        cdef Py_ssize_t nc = 0
        cdef bint wide = False
        try:
            self._extract(text, spans, &c, &nc, None, 0, -1, None, NULL, &wide)
            if wide:
                return None
            return self._resolve(text, c, nc, None)
        finally:
            free(c)


cdef inline bint _vessel_end(Py_UCS4 c) noexcept:
    """Whether a word ending in ``c`` may be one of geoparser._VESSEL_BEFORE (they end in p l y r e t)."""
    return (c == u'p' or c == u'l' or c == u'y' or c == u'r' or c == u'e' or c == u't'
            or c == u'P' or c == u'L' or c == u'Y' or c == u'R' or c == u'E' or c == u'T')


cdef inline bint _of_before(str text, Py_ssize_t s):
    """``text[s - 4:s] == " of "``, without making the slice."""
    return s >= 4 and text[s - 4] == u' ' and text[s - 3] == u'o' and text[s - 2] == u'f' and text[s - 1] == u' '


cdef bint _has_start(Match *raw, Py_ssize_t nraw, Py_ssize_t pos) noexcept:
    """Whether any raw match starts at ``pos`` (``raw`` is sorted by start)."""
    cdef Py_ssize_t lo = 0, hi = nraw, mid
    while lo < hi:
        mid = (lo + hi) // 2
        if raw[mid].s < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo < nraw and raw[lo].s == pos



cdef inline bint _is_word(Py_UCS4 c) noexcept:
    # sre's \\w: alphanumeric or the underscore
    if c < 128:
        return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 95
    return Py_UNICODE_ISALNUM(c)


cdef bint _isupper(str text, Py_ssize_t s, Py_ssize_t e):
    """``text[s:e].isupper()``: some cased character, none lower or title case."""
    cdef bint cased = False
    cdef Py_ssize_t i
    cdef Py_UCS4 c
    for i in range(s, e):
        c = text[i]
        if Py_UNICODE_ISLOWER(c) or Py_UNICODE_ISTITLE(c):
            return False
        if not cased and Py_UNICODE_ISUPPER(c):
            cased = True
    return cased


ctypedef fused _uchar_t:
    unsigned char
    unsigned short
    Py_UCS4


cdef int _demonym_scan(_uchar_t *d, Py_ssize_t n, str text, dict demonyms, const unsigned char *pairs,
                       dict ctx_country) except -1:
    """Add ``CONTEXT_INDIRECT`` to ``ctx_country`` for each whole word (``\\w`` run) of ``d`` (the
    characters of ``text``) that is a demonym: each has six to ten letters and a capital A-Z first,
    so only such runs are looked up, and only when their first two characters begin some demonym
    (``pairs``, by capital and ASCII second character; a second character past ASCII is looked up)."""
    cdef Py_ssize_t i = 0, j
    cdef unsigned int c, c1
    while i < n:
        c = d[i]
        if c < 65 or c > 90:  # most characters: one comparison each
            i += 1
            continue
        if i > 0 and _is_word(d[i - 1]):  # the run starts earlier
            i += 1
            continue
        j = i + 1
        while j < n and j - i <= 10 and _is_word(d[j]):
            j += 1
        if 6 <= j - i <= 10 and (j == n or not _is_word(d[j])):
            c1 = d[i + 1]
            if c1 >= 128 or pairs[(c - 65) * 128 + c1]:
                cc = demonyms.get(text[i:j])
                if cc:
                    ctx_country[cc] = ctx_country.get(cc, 0) + CONTEXT_INDIRECT
        i = j
    return 0


cdef class KeyData:
    """One name key's entries (``Geoparser._info``) in C arrays, for ranking."""

    cdef int n, ncity
    cdef int *ents
    cdef int *tiers
    cdef int *city_of  # the entry's position among the key's towns, or -1
    cdef double *base
    cdef double *clat
    cdef double *clon
    cdef long long *pops
    cdef unsigned char *prim
    cdef unsigned char *acr_only
    cdef unsigned char *state_local
    cdef list ccs, admin1, kinds, ids
    cdef object context
    cdef bint anchors  # an unambiguous town or curated place: placed confidently, it anchors nearness
    cdef int key
    cdef bint local_only, multi_country, lends
    cdef tuple regions

    def __cinit__(self, info):
        cdef int j, c
        self.n = len(info.entries)
        self.ents = <int *>malloc(max(self.n, 1) * sizeof(int))
        self.tiers = <int *>malloc(max(self.n, 1) * sizeof(int))
        self.city_of = <int *>malloc(max(self.n, 1) * sizeof(int))
        self.base = <double *>malloc(max(self.n, 1) * sizeof(double))
        self.pops = <long long *>malloc(max(self.n, 1) * sizeof(long long))
        self.prim = <unsigned char *>malloc(max(self.n, 1))
        self.acr_only = <unsigned char *>malloc(max(self.n, 1))
        self.state_local = <unsigned char *>malloc(max(self.n, 1))
        cities = info.cities
        self.ncity = len(cities)
        self.clat = <double *>malloc(max(self.ncity, 1) * sizeof(double))
        self.clon = <double *>malloc(max(self.ncity, 1) * sizeof(double))
        if (self.ents == NULL or self.tiers == NULL or self.city_of == NULL or self.base == NULL or self.pops == NULL
                or self.prim == NULL or self.acr_only == NULL or self.state_local == NULL or self.clat == NULL
                or self.clon == NULL):
            raise MemoryError()
        for j in range(self.n):
            self.ents[j] = info.entries[j]
            self.tiers[j] = info.tiers[j]
            # the score before context, as Geoparser._info works it out for both engines (tier,
            # population, alternate names, common words, CURATED_RESPELLING for a respelt name)
            self.base[j] = info.base[j]
            self.pops[j] = info.population[j]
            self.prim[j] = info.primary[j]
            self.acr_only[j] = info.acronym_only[j]
            self.state_local[j] = info.state_local[j]
            self.city_of[j] = -1
        if info.local_ll is not None:
            for c in range(self.ncity):
                if self.ncity > 1:
                    self.city_of[cities[c]] = c
                self.clat[c] = info.local_ll[0][c]
                self.clon[c] = info.local_ll[1][c]
        self.key = info.key
        self.local_only = info.local_only
        self.regions = info.regions
        self.multi_country = info.multi_country
        self.lends = info.lends
        self.ccs = list(info.countries)
        self.admin1 = list(info.admin1)
        self.kinds = list(info.kinds)
        self.ids = list(info.ids)
        self.context = info.context
        self.anchors = info.anchors

    def __dealloc__(self):
        free(self.ents); free(self.tiers); free(self.city_of); free(self.base); free(self.pops)
        free(self.prim); free(self.acr_only); free(self.state_local); free(self.clat); free(self.clon)


cdef inline bint _is_token_sep(Py_UCS4 c) noexcept:
    # the separators _tokens_capitalised splits on: [\\s\\-‐‑–]
    return Py_UNICODE_ISSPACE(c) or c == u'-' or c == u'‐' or c == u'‑' or c == u'–'


cdef inline bint _strip_char(Py_UCS4 c) noexcept:
    # str.strip(".-‐‑'’")
    return c == u'.' or c == u'-' or c == u'‐' or c == u'‑' or c == u"'" or c == u'’'


cdef bint _titlecase_range(str text, Py_ssize_t a, Py_ssize_t b):
    """``_TITLECASE.fullmatch(text[a:b])``: (?:Mc|Mac|O')?[A-Z][a-z]+"""
    if _titlecase_plain_range(text, a, b):
        return True
    if b - a > 2 and text[a] == u'M' and text[a + 1] == u'c' and _titlecase_plain_range(text, a + 2, b):
        return True
    if b - a > 3 and text[a] == u'M' and text[a + 1] == u'a' and text[a + 2] == u'c' and _titlecase_plain_range(text, a + 3, b):
        return True
    return b - a > 2 and text[a] == u'O' and text[a + 1] == u"'" and _titlecase_plain_range(text, a + 2, b)


cdef bint _titlecase_plain_range(str text, Py_ssize_t a, Py_ssize_t b):
    # [A-Z][a-z]+ over text[a:b]
    cdef Py_ssize_t i
    if b - a < 2 or not _is_AZ(text[a]):
        return False
    for i in range(a + 1, b):
        if not _is_az(text[i]):
            return False
    return True


cdef bint _dateline(str text, Py_ssize_t n, Py_ssize_t s, Py_ssize_t e):
    """``geoparser._dateline``: "COLUMBUS, Ohio (AP) —", "BEIRUT:" at the start of a sentence or line."""
    cdef Py_UCS4 c
    if not _sentence_initial(text, s) or e >= n:
        return False
    c = text[e]
    if c == u',' or c == u':':
        return True
    if e + 1 < n and c == u' ':
        c = text[e + 1]
        return c == u'-' or c == u'—' or c == u'–' or c == u'('
    return False


# ------------------------------------------------------------------ site chrome, line by line


# the flags of a line (ChromeLines.scan): the values of geo.chrome's _SPACE, _TRIGGER, _ENGLISH and
# _PYTHON, which read them
cdef enum:
    _C_SPACE = 1
    _C_TRIGGER = 2
    _C_ENGLISH = 4
    _C_PYTHON = 8

# the characters str.lower() maps to a string of other length or to ASCII from outside it: a line
# holding one is left to the Python code
cdef inline bint _odd_lower(Py_UCS4 c) noexcept:
    return c == 0x130 or c == 0x212A


cdef inline unsigned char _chrome_byte(Py_UCS4 c) noexcept:
    """A lowered character as one byte: ASCII lowered, the three caseless marks that rules hold
    (©, en and em dash) as 0x81-0x83, every other character 0xFF (in no rule's word)."""
    cdef unsigned int u = c
    if u < 128:
        return <unsigned char>(u + 32 if 65 <= u <= 90 else u)
    if c == 0xA9:
        return 0x81
    if c == 0x2013:
        return 0x82
    if c == 0x2014:
        return 0x83
    return 0xFF


cdef bytes _chrome_bytes(str w):
    cdef Py_UCS4 c
    out = bytearray()
    for c in w.lower():
        b = _chrome_byte(c)
        if b == 0xFF:
            raise ValueError(f"a chrome rule's word holds a character the compiled scan cannot match: {w!r}")
        out.append(b)
    return bytes(out)


cdef class _Words:
    """Up to 64 words (as :func:`_chrome_byte` bytes), found in a line by their first two bytes."""

    cdef bytes data  # the words, end to end (kept alive for ``d``)
    cdef const unsigned char *d
    cdef int off[64]
    cdef int size[64]
    cdef unsigned long long first[256]  # per byte, the words that start with it (a bit each)
    cdef unsigned char single[256]  # a one-byte word
    cdef unsigned char pair[65536]  # a word of two bytes or more starts with these two

    def __init__(self, words):
        cdef int i, b
        encoded = [_chrome_bytes(w) for w in words]
        if len(encoded) > 64 or any(len(w) == 0 for w in encoded):
            raise ValueError("at most 64 words, none empty")
        self.data = b"".join(encoded)
        self.d = <const unsigned char *>self.data
        for b in range(256):
            self.first[b] = 0
            self.single[b] = 0
        for b in range(65536):
            self.pair[b] = 0
        pos = 0
        for i, w in enumerate(encoded):
            self.off[i] = pos
            self.size[i] = len(w)
            self.first[w[0]] |= (<unsigned long long>1) << i
            if len(w) == 1:
                self.single[w[0]] = 1
            else:
                self.pair[(w[0] << 8) | w[1]] = 1
            pos += len(w)

    cdef inline bint maybe(self, const unsigned char *buf, Py_ssize_t p, Py_ssize_t n) noexcept:
        """Whether a word may start at ``buf[p]``: by its first two bytes (then :meth:`at` tells)."""
        return self.single[buf[p]] or (p + 1 < n and self.pair[(buf[p] << 8) | buf[p + 1]])

    cdef inline int at(self, const unsigned char *buf, Py_ssize_t p, Py_ssize_t n) noexcept:
        """The length of a word that starts at ``buf[p]`` (and ends by ``n``), or 0."""
        cdef unsigned long long m = self.first[buf[p]]
        cdef int i
        while m:
            i = __builtin_ctzll(m)
            m &= m - 1
            if p + self.size[i] <= n and memcmp(buf + p, self.d + self.off[i], self.size[i]) == 0:
                return self.size[i]
        return 0


cdef extern from *:
    int __builtin_ctzll(unsigned long long x) nogil


cdef class ChromeLines:
    """:func:`geo.chrome.detect_chrome`'s per-line work, compiled: the lines (runs of characters
    other than a newline), and for each whether it is blank, whether its lowered text holds one of
    its rule set's words (``short`` under ``long_from`` characters, else ``long``), and whether it
    is surely English by the stop-word bound of :func:`geo.chrome._non_english`. The rules
    themselves stay in Python, tried only on the lines that hold one of their words."""

    cdef _Words short_words, long_words, stops
    cdef Py_ssize_t long_from, head

    def __init__(self, short_words, long_words, spaced_stops, Py_ssize_t long_from, Py_ssize_t head=400):
        self.short_words = _Words(short_words)
        self.long_words = _Words(long_words)
        self.stops = _Words([w.strip() for w in spaced_stops])
        self.long_from = long_from
        self.head = head

    cdef bint _holds(self, const unsigned char *buf, _Words words, Py_ssize_t n) noexcept:
        cdef Py_ssize_t p
        for p in range(n):
            if words.maybe(buf, p, n) and words.at(buf, p, n):
                return True
        return False

    cdef bint _english(self, const unsigned char *buf, Py_ssize_t n) noexcept:
        # English for sure: the stop words with a space either side (a lower bound on the stop words)
        # reach 4 % of an upper bound on the words, in the first ``head`` characters
        cdef Py_ssize_t L = n if n < self.head else self.head, p
        cdef int m
        cdef double enough
        cdef long found = 0
        if L < 23:
            return False
        enough = 0.04 * (L // 2 + 1)
        for p in range(L - 2):
            if buf[p] != 32 or not self.stops.maybe(buf, p + 1, L):
                continue
            m = self.stops.at(buf, p + 1, L - 1)  # the word's space after it inside the first L
            if m and buf[p + 1 + m] == 32:
                found += 1
                if found >= enough:
                    return True
        return False

    def scan(self, str text):
        """``[(start, end, flags), ...]`` for each line (``[^\\n]+``) of ``text``; ``flags`` are
        blank, holds a rule word, surely English, or "Python" alone (a line whose lowering only
        Python does: the caller judges it in full), as :mod:`geo.chrome` names them."""
        cdef Py_ssize_t n = len(text), i = 0, s, j, L
        cdef int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef Py_UCS4 c
        cdef bint space, odd
        cdef int flags
        # the lowered line, in a buffer of this call's own (scans may run in several threads) as long
        # as the text: no line is longer, and only the pages the longest line reaches are touched
        cdef unsigned char *buf = <unsigned char *>malloc(n if n else 1)
        if buf == NULL:
            raise MemoryError()
        out = []
        try:
            while i < n:
                if PyUnicode_READ(kind, data, i) == 10:
                    i += 1
                    continue
                s = i
                while i < n and PyUnicode_READ(kind, data, i) != 10:
                    i += 1
                L = i - s
                space = True
                odd = False
                for j in range(L):
                    c = PyUnicode_READ(kind, data, s + j)
                    if space and not Py_UNICODE_ISSPACE(c):
                        space = False
                    if _odd_lower(c):
                        odd = True
                    buf[j] = _chrome_byte(c)
                if space:
                    flags = _C_SPACE
                elif odd:
                    flags = _C_PYTHON
                else:
                    flags = 0
                    if self._holds(buf, self.short_words if L < self.long_from else self.long_words, L):
                        flags |= _C_TRIGGER
                    if self._english(buf, L):
                        flags |= _C_ENGLISH
                out.append((s, i, flags))
        finally:
            free(buf)
        return out


# ------------------------------------------------------------------ JSON lines out

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.object cimport PyObject


cdef inline int _digits(Py_ssize_t v) noexcept:
    # characters of an integer in decimal, its sign included
    cdef int d = 1
    cdef size_t u = <size_t>v if v >= 0 else <size_t>(-v)
    if v < 0:
        d += 1
    while u >= 10:
        u //= 10
        d += 1
    return d


cdef inline char *_put(char *p, const char *s, Py_ssize_t n) noexcept:
    memcpy(p, s, n)
    return p + n


cdef inline char *_put_bytes(char *p, object s) noexcept:
    return _put(p, PyBytes_AS_STRING(s), PyBytes_GET_SIZE(s))


cdef inline char *_put_int(char *p, Py_ssize_t v, int d) noexcept:
    # v in its d characters (see _digits), the digits written from the last
    cdef int i = d
    cdef size_t u = <size_t>v if v >= 0 else <size_t>(-v)
    if v < 0:
        p[0] = 45
    while True:
        i -= 1
        p[i] = <char>(48 + u % 10)
        u //= 10
        if u == 0:
            break
    return p + d


def jsonl_records(bytes head, str text, list found, dict fixed, object entry_json, object dumps):
    """The JSON lines of one document's mentions, as :func:`geo.batch.geoparse_jsonl` writes them:
    ``head`` (``{"doc":…,"start":``), then per ``(start, end, entry, score)`` of ``found`` the offsets,
    the surface text and the score (each distinct surface and score serialised once, by ``dumps``)
    and the entry's fields (``fixed[entry]``, made by ``entry_json(entry)`` when missing).

    A first pass serialises the pieces and adds up their lengths, a second copies them into the
    result, made at its size: no buffer grown and copied again (on a fresh process, every page of
    a 28 MB buffer is a page fault)."""
    cdef Py_ssize_t n = len(found), idx, s, e, total = 0, hn = len(head)
    if n == 0:
        return b""
    cdef Py_ssize_t *bounds = <Py_ssize_t *>malloc(2 * n * sizeof(Py_ssize_t))
    cdef PyObject **pieces = <PyObject **>malloc(3 * n * sizeof(PyObject *))
    cdef dict surfaces = {}, scores = {}, entries = {}
    cdef char *p
    cdef bytes out
    if bounds == NULL or pieces == NULL:
        free(bounds)
        free(pieces)
        raise MemoryError()
    try:
        # the pieces are kept alive by this call's three dicts while their pointers are used
        for idx in range(n):
            s, e, i, score = <tuple>found[idx]
            surface = text[s:e]
            sj = surfaces.get(surface)
            if sj is None:
                sj = surfaces[surface] = dumps(surface)
            f = entries.get(i)
            if f is None:
                f = fixed.get(i)
                if f is None:
                    f = fixed[i] = entry_json(i)
                entries[i] = f
            scj = scores.get(score)
            if scj is None:
                scj = scores[score] = dumps(score)
            if type(sj) is not bytes or type(f) is not bytes or type(scj) is not bytes:
                raise TypeError("dumps and entry_json must give bytes")
            bounds[2 * idx] = s
            bounds[2 * idx + 1] = e
            pieces[3 * idx] = <PyObject *>sj
            pieces[3 * idx + 1] = <PyObject *>f
            pieces[3 * idx + 2] = <PyObject *>scj
            total += (hn + _digits(s) + 7 + _digits(e) + 11 + PyBytes_GET_SIZE(sj) + 1 + PyBytes_GET_SIZE(f) + 9
                      + PyBytes_GET_SIZE(scj) + 2)
        out = PyBytes_FromStringAndSize(NULL, total)
        p = PyBytes_AS_STRING(out)
        for idx in range(n):
            s = bounds[2 * idx]
            e = bounds[2 * idx + 1]
            p = _put(p, PyBytes_AS_STRING(head), hn)
            p = _put_int(p, s, _digits(s))
            p = _put(p, b',"end":', 7)
            p = _put_int(p, e, _digits(e))
            p = _put(p, b',"surface":', 11)
            p = _put_bytes(p, <object>pieces[3 * idx])
            p = _put(p, b",", 1)
            p = _put_bytes(p, <object>pieces[3 * idx + 1])
            p = _put(p, b',"score":', 9)
            p = _put_bytes(p, <object>pieces[3 * idx + 2])
            p = _put(p, b"}\n", 2)
        return out
    finally:
        free(bounds)
        free(pieces)
