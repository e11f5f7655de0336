# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Kernel: site chrome's per-line scan, compiled.

The compiled equivalent of :func:`geo.chrome._scan_python` (``tests/test_speedups.py`` checks them
equal); the rules themselves are in :mod:`geo.chrome`.
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcmp, memset
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)



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
    """Words (as :func:`_chrome_byte` bytes, any number), found in a line by their first two bytes."""

    cdef bytes data  # the words, end to end (kept alive for ``d``)
    cdef const unsigned char *d
    cdef int *off
    cdef int *size
    cdef int bucket[257]  # the words that start with byte b are order[bucket[b]:bucket[b + 1]]
    cdef int *order
    cdef unsigned char single[256]  # a one-byte word
    cdef unsigned char pair[65536]  # a word of two bytes or more starts with these two

    def __cinit__(self, words):
        cdef int i, b, n
        encoded = [_chrome_bytes(w) for w in words]
        if any(len(w) == 0 for w in encoded):
            raise ValueError("a chrome rule's word is empty")
        n = len(encoded)
        self.off = <int *>malloc(max(n, 1) * sizeof(int))
        self.size = <int *>malloc(max(n, 1) * sizeof(int))
        self.order = <int *>malloc(max(n, 1) * sizeof(int))
        if self.off == NULL or self.size == NULL or self.order == NULL:
            raise MemoryError()
        self.data = b"".join(encoded)
        self.d = <const unsigned char *>self.data
        memset(self.single, 0, sizeof(self.single))
        memset(self.pair, 0, sizeof(self.pair))
        pos = 0
        for i, w in enumerate(encoded):
            self.off[i] = pos
            self.size[i] = len(w)
            if len(w) == 1:
                self.single[w[0]] = 1
            else:
                self.pair[(w[0] << 8) | w[1]] = 1
            pos += len(w)
        # the words by first byte, each byte's in the order given
        by_first = sorted(range(n), key=lambda j: (encoded[j][0], j))
        for i, j in enumerate(by_first):
            self.order[i] = j
        i = 0
        for b in range(257):
            while i < n and encoded[by_first[i]][0] < b:
                i += 1
            self.bucket[b] = i

    def __dealloc__(self):
        free(self.off)
        free(self.size)
        free(self.order)

    cdef inline bint maybe(self, const unsigned char *buf, Py_ssize_t p, Py_ssize_t n) noexcept:
        """Whether a word may start at ``buf[p]``: by its first two bytes (then :meth:`at` tells)."""
        return self.single[buf[p]] or (p + 1 < n and self.pair[(buf[p] << 8) | buf[p + 1]])

    cdef inline int at(self, const unsigned char *buf, Py_ssize_t p, Py_ssize_t n) noexcept:
        """The length of a word that starts at ``buf[p]`` (and ends by ``n``), or 0."""
        cdef int i, j
        for i in range(self.bucket[buf[p]], self.bucket[buf[p] + 1]):
            j = self.order[i]
            if p + self.size[j] <= n and memcmp(buf + p, self.d + self.off[j], self.size[j]) == 0:
                return self.size[j]
        return 0


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
