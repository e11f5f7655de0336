# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Kernel: a text folded into the geoparser's automaton alphabet, read in place.

The compiled equivalent of :func:`geo._kernels.prepare` (``tests/test_engine.py`` checks them
equal); the geoparser's rules are in :mod:`geo._engine`.
"""

from libc.stdlib cimport free, malloc
from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND, PyUnicode_4BYTE_KIND, PyUnicode_DATA, PyUnicode_FromKindAndData, PyUnicode_KIND, PyUnicode_READ,
)

from geo import _kernels
from geo._text import _TABLE

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    bint Py_UNICODE_ISLOWER(Py_UCS4 ch)


cdef inline bint _is_az(Py_UCS4 c) noexcept:
    return 97 <= c <= 122


cdef inline bint _is_az09(Py_UCS4 c) noexcept:
    return (97 <= c <= 122) or (48 <= c <= 57)


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


def prepare(str text, Py_ssize_t start=0, Py_ssize_t stop=-1):
    """:func:`geo._kernels.prepare`, compiled: ``(" " + folded + " ", wide)`` of ``text[start:stop]``,
    read in place, with whether the folded text holds a character beyond one byte.

    Folding here is character by character; ``str.lower`` on a whole text also turns a word-final
    capital sigma into "ς", so a text with "Σ" is left to the Python kernel. The folded text is
    written one byte a character while it fits (most text folds to ASCII), else four.
    """
    if stop < 0 or stop > len(text):
        stop = len(text)
    if start < 0 or start > stop:
        raise ValueError("prepare: start must lie between 0 and stop")
    if u"Σ" in text:
        return _kernels.prepare(text, start, stop)
    cdef Py_ssize_t n = stop - start
    cdef int kind = PyUnicode_KIND(text)  # the characters read in place, not one by one as objects
    cdef void *data = <char *>PyUnicode_DATA(text) + start * kind  # kind: bytes a character
    cdef unsigned char *narrow = <unsigned char *>malloc(n + 2)
    if narrow == NULL:
        raise MemoryError()
    try:
        if _fold(narrow + 1, kind, data, n, _TABLE):
            narrow[0] = 32
            narrow[n + 1] = 32
            return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, narrow, n + 2), False
    finally:
        free(narrow)
    cdef Py_UCS4 *wide = <Py_UCS4 *>malloc((n + 2) * sizeof(Py_UCS4))
    if wide == NULL:
        raise MemoryError()
    try:
        _fold(wide + 1, kind, data, n, _TABLE)
        wide[0] = 32
        wide[n + 1] = 32
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, wide, n + 2), True
    finally:
        free(wide)
