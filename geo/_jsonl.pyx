# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Kernel: one document's mentions as JSON lines, compiled.

The compiled equivalent of :func:`geo.batch._jsonl_records_python` (``tests/test_speedups.py`` checks them
equal).
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcpy
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
