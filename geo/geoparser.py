"""Find place mentions in text and resolve each to one gazetteer entry.

Extraction: one pass of an Aho-Corasick automaton over the folded text, word-aligned (every
pattern is `` name ``), then guards against false positives. Resolution: candidates are ranked
with the document's context (countries and US states it names, "Name, State" appositions, nearby
places, kind words beside the mention, curated-tier priority, population). Russian and Korean
names are found in every inflected form by :mod:`geo._scripts`.

Every rule is written once, in :mod:`geo._engine` (Cython in pure Python mode): compiled where the
package was built with a C compiler, interpreted elsewhere, with the same results. This module is
the public face: :class:`Geoparser` and its ``engine=`` switch.
"""

from __future__ import annotations

import gc
import importlib.util
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Literal, Sequence

from geo import _kernels, _scripts
from geo._focus import refocus
from geo._native import compiled_core_available, compiled_core_built  # noqa: F401  (also public names here)
from geo._rules import MAX_NAMESAKES, MIN_SCORE  # noqa: F401  (public names)
from geo.gazetteer import Gazetteer, get_gazetteer

log = logging.getLogger(__name__)

_INTERPRETED = None


def _engine_source_module():
    """:mod:`geo._engine`'s source, run by the interpreter (even where the compiled module exists)."""
    global _INTERPRETED
    if _INTERPRETED is None:
        from geo import _engine

        if not _engine.COMPILED:
            _INTERPRETED = _engine
        else:
            path = Path(__file__).with_name("_engine.py")
            spec = importlib.util.spec_from_file_location("geo._engine_interpreted", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)  # type: ignore[union-attr]
            _INTERPRETED = module
    return _INTERPRETED


def compiled_kernels() -> SimpleNamespace:
    """The compiled kernels (``geo/_fold.pyx``, ``geo/_scan.pyx``), as a namespace of the names of
    their Python equivalents in :mod:`geo._kernels` (ImportError where they were not built)."""
    from geo import _fold, _scan

    return SimpleNamespace(prepare=_fold.prepare, matches=_scan.matches, demonym_counts=_scan.demonym_counts)


def _make_engine(gz: Gazetteer, engine: str | None):
    """The engine object for ``engine`` (see :class:`Geoparser`)."""
    if engine == "compiled" or (engine is None and compiled_core_available()):
        if not compiled_core_built():
            raise ValueError("engine='compiled': the compiled geoparser (geo._engine) is not built; "
                             "pip install the package where a C compiler is present")
        from geo import _engine

        return _engine.Engine(gz, compiled_kernels())
    return _engine_source_module().Engine(gz, _kernels)


class Geoparser:
    """Extraction and resolution over one :class:`~geo.gazetteer.Gazetteer`.

    Parameters
    ----------
    gazetteer
        The gazetteer to read (default: the package's, from the cache).
    engine
        ``"compiled"``: :mod:`geo._engine` compiled, with the compiled kernels (an error when they
        were not built); ``"python"``: the same source run by the interpreter, with the Python
        kernels (the same results, slower); None (default): the compiled one when it is built and
        ``TUMEN_ATLAS_PURE_PYTHON=1`` does not ask for the interpreted one, as geopandas'
        ``engine=`` chooses an I/O library.

    Examples
    --------
    >>> gp = Geoparser(engine="python")                              # doctest: +SKIP
    >>> [m for m in gp.parse("Coal goes from Khasan to Rajin.")]     # doctest: +SKIP
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, engine: Literal["compiled", "python"] | None = None) -> None:
        if engine not in (None, "compiled", "python"):
            raise ValueError(f"engine must be 'compiled' or 'python', got {engine!r}")
        self.gz = gazetteer or get_gazetteer()
        self._engine = _make_engine(self.gz, engine)
        self._source = importlib.import_module(type(self._engine).__module__)

    @property
    def engine(self) -> str:
        """``"compiled"`` or ``"python"``: which engine this geoparser runs."""
        return "compiled" if self._source.COMPILED else "python"

    def candidates(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
        """Word-aligned name matches ``(start, end, key)`` that pass the guards, longest first wins."""
        return self._engine.candidates(text, spans)[0]

    def resolve(
        self, text: str, cands: list[tuple[int, int, int]], next_words: Sequence[str] | None = None
    ) -> list[tuple[int, int, int, float]]:
        """``(start, end, entry, score)`` for the candidates ``cands`` that resolve with the document's
        context (``next_words``: the lower-cased word after each, a kind hint; read from the text when
        None)."""
        if next_words is None:
            next_words = [self._source.next_word(text, c[0], c[1]) for c in cands]
        return self._engine.resolve(text, list(cands), list(next_words))

    def parse(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, int, float]]:
        """``(start, end, entry, score)`` for every resolved mention in ``text``: the engine's, then
        weighed against the document's focus (:func:`geo._focus.refocus`, the same step whichever
        engine ran)."""
        return self._refocus(text, self._parse(text, spans))

    def _refocus(self, text: str, found: list) -> list:
        return refocus(self.gz, text, found, vessel_words=self._source.VESSEL_BEFORE)

    def _parse(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, int, float]]:
        with _collector_paused():
            # the engine tells a text that folds to one-byte characters (no Cyrillic, no Hangul) in
            # the same pass: English throughput pays nothing for the other scripts
            found = self._engine.parse(text, spans, True)
            if found is not None:
                return found
            if not _scripts.has_native(text):
                return self._engine.parse(text, spans)
            return self._engine.resolve(text, *self._mixed_candidates(text, spans))

    def _mixed_candidates(self, text: str, spans) -> tuple[list[tuple[int, int, int]], list[str]]:
        return with_native(self.gz, text, spans, *self._engine.candidates(text, spans))

    def parse_in_parts(self, text: str, spans: Sequence[tuple[int, int]] | None, at: int,
                       elsewhere: Callable[[Callable[[], object]], Callable[[], object]]) -> list[tuple[int, int, int, float]]:
        """``parse(text, spans)``, the candidates of ``text[at:]`` extracted by ``elsewhere`` while
        this process extracts those of ``text[:at]``: ``elsewhere(fn)`` starts ``fn`` (in another
        process, say) and returns a function that waits for its value.

        The same mentions as :meth:`parse`: the part after ``at`` is matched from its own start, its
        guards read the whole text, and the names seen in people's names are pooled before they are
        dropped; when a candidate before ``at`` reaches past it (the part after would have been
        matched differently), the text is parsed whole. Only the compiled engine works in parts;
        with the interpreted one this is :meth:`parse`.
        """
        eng = self._engine
        if self.engine != "compiled" or not 0 < at < len(text) or _scripts.has_native(text):
            return self.parse(text, spans)
        with _collector_paused():
            theirs = elsewhere(lambda: eng.extract_part(text, spans, at, len(text)))
            mine = eng.extract_part(text, spans, 0, at)
            found = eng.parse_parts(text, [mine, theirs()])
        return self._refocus(text, found) if found is not None else self.parse(text, spans)


def with_native(gz: Gazetteer, text: str, spans, cands: list, next_words: list) -> tuple[list[tuple[int, int, int]], list[str]]:
    """The candidates of a text with Russian or Korean in it: its Latin-script ones (``cands``,
    with the word after each) and its Cyrillic and Hangul names in every inflected form
    (:mod:`geo._scripts`), each with the kind word beside it, the longest first where they overlap."""
    merged = [(c, w) for c, w in zip(cands, next_words) if not _scripts.has_native(text[c[0]:c[1]])]
    merged += [((s, e, k), hint) for s, e, k, hint in _scripts.native_candidates(gz.native, text, spans)]
    merged.sort(key=lambda m: (m[0][0], -m[0][1]))
    out, words, last = [], [], -1
    for c, w in merged:
        if c[0] >= last:
            out.append(c)
            words.append(w)
            last = c[1]
    return out, words


@contextmanager
def _collector_paused():
    """The cyclic garbage collector paused for the block, and left as it was found. Geoparsing a
    long text makes objects by the hundred thousand (matches, candidates, their scores) and no
    reference cycles, so reference counting frees every one of them; the collections their
    allocations would set off only walk them (about 440 on an 11.6 MB text, some 4 % of its time)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def speedups_active() -> bool:
    """Whether the default geoparser runs the compiled engine (else the interpreted one)."""
    return default_geoparser().engine == "compiled"


_DEFAULT: Geoparser | None = None


def default_geoparser() -> Geoparser:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Geoparser()
    return _DEFAULT


def entry_fields(gz: Gazetteer, i: int) -> dict:
    """A gazetteer entry's fields in a mention record, from ``name`` to ``gazetteer_id``, in order."""
    return {
        "name": gz.cell("names", i), "kind": gz.cell("kinds", i), "country": gz.cell("countries", i) or None,
        "lat": round(float(gz.lat[i]), 5), "lon": round(float(gz.lon[i]), 5), "gazetteer_id": gz.cell("ids", i),
    }


def geoparse_text(text: str, *, doc: str = "", spans: Sequence[tuple[int, int]] | None = None, geoparser: Geoparser | None = None) -> list[dict]:
    """Mentions in one text as dicts in the CLI's JSON-lines shape."""
    gp = geoparser or default_geoparser()
    return [{"doc": doc, "start": s, "end": e, "surface": text[s:e], **entry_fields(gp.gz, i), "score": score}
            for s, e, i, score in gp.parse(text, spans)]
