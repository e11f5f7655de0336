# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Kernels: the geoparser's scans of a text's raw characters, compiled.

The compiled equivalents of :func:`geo._kernels.matches` and :func:`geo._kernels.demonym_counts`
(``tests/test_engine.py`` checks each pair equal); the rules are in :mod:`geo._engine`.
"""

from libc.stdlib cimport free, malloc, qsort, realloc
from libc.string cimport memcpy, memset
from cpython.unicode cimport PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_DATA, PyUnicode_KIND

import numpy as np

cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)


cdef struct Match:
    long long s
    long long e
    long long k


cdef int _cmp_match(const void *a, const void *b) noexcept nogil:
    # start ascending, then the longest first
    cdef const Match *x = <const Match *>a
    cdef const Match *y = <const Match *>b
    if x.s != y.s:
        return -1 if x.s < y.s else 1
    if x.e != y.e:
        return -1 if x.e > y.e else 1
    return 0


def matches(automaton, str padded, Py_ssize_t first, Py_ssize_t offset, const long long[:] key_len, spans):
    """:func:`geo._kernels.matches`, compiled: the automaton's matches from ``first`` as ``(start,
    end, key)`` triples end to end, sorted by start and the longest first; with ``spans``, only those
    inside one of them (a binary search over the spans by start, with the furthest end reached so far)."""
    cdef Py_ssize_t cap = 64, nraw = 0, nsp = 0, i, a, b, endp
    cdef long long s, e, k
    cdef Match *raw = <Match *>malloc(cap * sizeof(Match))
    cdef Match *grown
    cdef long long *sp = NULL
    cdef long long[:] out
    if raw == NULL:
        raise MemoryError()
    try:
        if spans is not None:
            spans = sorted(spans)
            nsp = len(spans)
            sp = <long long *>malloc((2 * nsp + 1) * sizeof(long long))
            if sp == NULL:
                raise MemoryError()
            for i in range(nsp):
                sp[2 * i] = spans[i][0]
                sp[2 * i + 1] = spans[i][1] if i == 0 or spans[i][1] > sp[2 * i - 1] else sp[2 * i - 1]
        for endp, k in automaton.iter(padded, first):
            e = endp - 1 + offset
            s = e - key_len[k]
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
        qsort(raw, nraw, sizeof(Match), _cmp_match)
        result = np.empty(3 * nraw, dtype=np.int64)
        if nraw:
            out = result
            memcpy(&out[0], raw, nraw * sizeof(Match))
        return result
    finally:
        free(raw)
        if sp != NULL:
            free(sp)


def demonym_counts(str text, dict demonyms):
    """:func:`geo._kernels.demonym_counts`, compiled: ``(country, n)`` for the whole words of
    ``text`` that are keys of ``demonyms``, each country once, in the order of its first demonym.
    Every key must start with a capital A-Z (a ValueError otherwise)."""
    cdef unsigned char pairs[26 * 128]
    cdef Py_ssize_t shortest = 1 << 30, longest = 0, n = len(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    memset(pairs, 0, sizeof(pairs))
    for w in demonyms:
        if not (len(w) > 0 and u"A" <= w[0] <= u"Z"):
            raise ValueError(f"a demonym must start with a capital A-Z: {w!r}")
        shortest = min(shortest, len(w))
        longest = max(longest, len(w))
        if len(w) > 1 and ord(w[1]) < 128:
            pairs[(ord(w[0]) - 65) * 128 + ord(w[1])] = 1
        elif len(w) == 1:
            pairs[(ord(w[0]) - 65) * 128] = 1
    counts = {}
    if not demonyms:
        return []
    if kind == PyUnicode_1BYTE_KIND:
        _demonym_scan(<unsigned char *>data, n, text, demonyms, pairs, shortest, longest, counts)
    elif kind == PyUnicode_2BYTE_KIND:
        _demonym_scan(<unsigned short *>data, n, text, demonyms, pairs, shortest, longest, counts)
    else:
        _demonym_scan(<Py_UCS4 *>data, n, text, demonyms, pairs, shortest, longest, counts)
    return list(counts.items())


cdef inline bint _is_word(Py_UCS4 c) noexcept:
    # sre's \\w: alphanumeric or the underscore
    if c < 128:
        return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 95
    return Py_UNICODE_ISALNUM(c)


ctypedef fused _uchar_t:
    unsigned char
    unsigned short
    Py_UCS4


cdef int _demonym_scan(_uchar_t *d, Py_ssize_t n, str text, dict demonyms, const unsigned char *pairs,
                       Py_ssize_t shortest, Py_ssize_t longest, dict counts) except -1:
    """Count in ``counts`` (by country) each whole word (``\\w`` run) of ``d`` (the characters of
    ``text``) that is a key of ``demonyms``: each starts with a capital A-Z and has ``shortest`` to
    ``longest`` characters, so only such runs are looked up, and only when their first two characters
    begin some demonym (``pairs``, by capital and ASCII second character; a second character past
    ASCII is looked up)."""
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
        while j < n and j - i <= longest and _is_word(d[j]):
            j += 1
        if shortest <= j - i <= longest and (j == n or not _is_word(d[j])):
            c1 = d[i + 1] if j - i > 1 else 0
            if c1 >= 128 or pairs[(c - 65) * 128 + c1]:
                cc = demonyms.get(text[i:j])
                if cc:
                    counts[cc] = counts.get(cc, 0) + 1
        i = j
    return 0
