"""The geoparser's one source (geo/_engine.py), compiled and interpreted, finds and resolves exactly
what the reference code (tests/reference_geoparser.py, the geoparser before its rules were written
once) does; each compiled kernel gives what its Python equivalent (geo/_kernels.py) gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import _engine, _kernels
from geo import geoparser as G

from . import reference_geoparser as REF
from .compiled import require_compiled

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engines():
    """(reference, interpreted, compiled) geoparsers over one gazetteer."""
    require_compiled()
    gz = G.default_geoparser().gz
    ref = REF.Geoparser(gz)
    py, comp = G.Geoparser(gz, engine="python"), G.Geoparser(gz, engine="compiled")
    assert (py.engine, comp.engine) == ("python", "compiled")
    assert not py._source.COMPILED and comp._source.COMPILED
    return ref, py, comp


def test_default_geoparser_uses_the_compiled_engine():
    require_compiled()
    assert G.speedups_active() and _engine.COMPILED


def test_compiled_modules_are_not_older_than_their_sources():
    require_compiled()
    from geo._native import COMPILED_MODULES
    import importlib

    for name in COMPILED_MODULES:
        built = Path(importlib.import_module(f"geo.{name}").__file__)
        for suffix in (".py", ".pyx"):
            src = built.parent / f"{name}{suffix}"
            if src.exists():  # an installed wheel may ship the compiled module only
                assert built.stat().st_mtime >= src.stat().st_mtime, (
                    f"geo/{src.name} changed after it was compiled: rebuild with `pip install -e .`")


def test_pure_python_switch_gives_the_same_cli_output(tmp_path: Path):
    doc = tmp_path / "a.txt"
    doc.write_text(
        "Coal from Khasan reached Rajin’s port. Kim Jong Un met officials in Pyongyang, "
        "near the Tumen river and Sunch’o’n air base.\nVladivostok said so.", encoding="utf-8",
    )
    outs = []
    for pure in ("0", "1"):
        env = dict(os.environ, TUMEN_ATLAS_PURE_PYTHON=pure)
        code = "from geo.geoparser import default_geoparser as d; print(d().engine)"
        flag = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert flag.stdout.strip() == ("python" if pure == "1" else "compiled")
        r = subprocess.run([sys.executable, "-m", "layers.cli", "geoparse", str(doc)], env=env,
                           capture_output=True, text=True, check=True, cwd=ROOT)
        outs.append(r.stdout)
    assert outs[0] == outs[1]
    assert {json.loads(line)["gazetteer_id"] for line in outs[0].splitlines()} >= {"khasan", "rajin", "tumen-river", "sunchon-kp"}


def _all_same(engines, text, spans):
    ref, py, comp = engines
    want = ref._candidates(text, spans)
    assert py._engine.candidates(text, spans) == want
    assert comp._engine.candidates(text, spans) == want
    found = ref.parse(text, spans)
    assert py._parse(text, spans) == found
    assert comp._parse(text, spans) == found
    # the focus step after either engine (geo/_focus.py) is one code
    assert py.parse(text, spans) == comp.parse(text, spans)
    return found


def test_same_mentions_on_the_embedded_corpus(engines, corpus):
    for a in corpus:
        for spans in (None, a.content_spans()):
            _all_same(engines, a.text, spans)


def test_same_mentions_on_real_russian_and_korean_sentences(engines):
    from tests.ru_ko import load

    for lang in ("ru", "ko"):
        for _, text, _ in load(lang):
            _all_same(engines, text, None)


# Text made of the cases the guards and the resolution tell apart, in any order and spacing.
_PIECES = [
    "Rajin", "Najin", "Khasan", "Vladivostok", "Tumen", "Tumen River", "the Tumen river", "Sunch’o’n", "Sunch'ŏn",
    "Suncheon", "North Korea", "South Korea", "Pyongyang's", "Koreas'", "Russia", "China", "Kim Jong Un", "Mr.",
    "Washington", "Lincoln said", "Moscow said", "Victoria Beckham", "Jordan", "Paris", "Texas", "St. Louis",
    "Charleston, W.Va.", "W.Va", "US", "U.S.", "DPRK", "NICE", "KBR", "trans-Siberian", "Trans-Siberian Railway",
    "Sea of Japan", "sea of Japan", "Nagoya University", "West Nile virus", "Lassa fever", "Khasan-Rajin",
    "Washington-Moscow", "Russians", "Chinese", "American", "January", "May", "Reading", "reading", "Mobile",
    "Of", "Bath", "Springfield", "Portland", "Georgia", "Primorsky Krai", "Sakhalin", "Crimea", "port", "island",
    "base", "Michael", "Bill", "Stevens", "McDonald", "O'Brien", "said", "the", "in", "from", "of", "—", "Σ",
    "İstanbul", "Москва", "서울", "北京", "Kraków", "Côte d’Ivoire", "Heixiazi", "Bolshoi Ussuriysky Island",
    "Ashley L. Evans", "L.", "W.", "George W. Bush", "Washington D.C.", "COLUMBUS, Ohio (AP) —", "BEIRUT:",
    "CHARLESTON", "Oakes Evans", "Licking County", "Henry County", "Walker County, Texas", "Maryland",
    "Scott County, Indiana", "Scott County", "Tennessee", "Dublin", "Columbus", "Athens", "Clarke County",
    "Lamar County", "Huntsville", "Mexico", "Monterrey", "Ontario", "Hamilton, Ontario", "Paris, Texas",
    "New York", "New York City", "S.C.", "D.C.", "Ga.", "Suffolk", "KwaZulu-Natal", "Artibonite", "Nord",
    "Port-au-Prince", "Dar es Salaam", "Mazar-i-Sharif", "Côte d’Ivoire", "Cote d'Ivoire", "d'", "l’Aquila",
    "Street", "Drive", "Chamber of Commerce", "National Forest", "Reserve", "Commerce", "Forest", "Wichita",
    "US$460", "HK$", "$", "Thomas", "Hailey", "USA", "IRAQ", "JAPAN", "Toronto, Canada",
    "Georgia", "Hall County", "Gainesville", "Henderson County", "Athens police",
    "stabbed", "went", "killing", "Welch", "Bell", "pulled",
]
_SEPS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "-", "’s ", "'s ", "' ", "(", ") ", "“", "” ", "—", "\t", ": ", "; ", "!"]

_news = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPS)), max_size=40).map(
    lambda parts: "".join(p + s for p, s in parts)
)
_mixed = st.one_of(_news, st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
                   st.lists(st.one_of(_news, st.text(max_size=8)), max_size=6).map("".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mixed, st.data())
def test_same_candidates_and_mentions_on_generated_text(engines, text, data):
    _all_same(engines, text, None)
    if text:
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, len(text)))
        _all_same(engines, text, [(0, a), (b, len(text))])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mixed)
def test_resolving_given_candidates_is_what_parse_does(engines, text):
    """``resolve`` with the candidates and no next words reads the kind words itself, as ``parse``."""
    ref, py, comp = engines
    cands = ref._candidates(text, None)[0]
    want = ref.resolve(text, cands)
    assert py.resolve(text, cands) == want and comp.resolve(text, cands) == want


# ------------------------------------------------------------------ kernels


def _compiled_kernels():
    require_compiled()
    return G.compiled_kernels()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.data())
def test_same_prepared_text(text, data):
    k = _compiled_kernels()
    padded, wide = _kernels.prepare(text)
    assert padded == REF._prepare(text)
    assert k.prepare(text) == (padded, wide)
    # a window of the text, read in place, is prepared as the same slice would be
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert k.prepare(text, a, b) == _kernels.prepare(text, a, b)
    assert _kernels.prepare(text, a, b)[0] == REF._prepare(text[a:b])


@pytest.mark.parametrize("text,wide", [
    ("Coal from Vladivostok’s port reached Rajin's pier.", False),  # folds to ASCII: the one-byte buffer
    ("Sŏnbong, Ŭndŏk and Tumangang — “the Rason zone”", False),  # accented Latin, still folded to ASCII
    ("Владивосток и Хасан: the Khasan–Rajin line", True),  # Cyrillic stays Cyrillic: the four-byte buffer
    ("a" * 5000 + " Ж", True),  # the four-byte fallback found late, after a long one-byte start
    ("東海 (East Sea) 동해", True),
])
def test_same_prepared_text_whatever_it_folds_to(text, wide):
    k = _compiled_kernels()
    assert k.prepare(text) == _kernels.prepare(text) == (REF._prepare(text), wide)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mixed, st.data())
def test_same_matches(text, data):
    k = _compiled_kernels()
    gz = G.default_geoparser().gz
    key_len = np.asarray(gz.key_len, dtype=np.int64)
    padded, _ = _kernels.prepare(text)
    spans = None
    if text and data.draw(st.booleans()):
        a = data.draw(st.integers(0, len(text)))
        spans = [(0, a), (data.draw(st.integers(a, len(text))), len(text))]
    first = data.draw(st.integers(0, len(padded)))
    offset = data.draw(st.integers(0, 50))
    want = _kernels.matches(gz.automaton, padded, first, offset, key_len, spans)
    assert k.matches(gz.automaton, padded, first, offset, key_len, spans).tolist() == want.tolist()


_DEMONYM_TEXT = st.lists(st.sampled_from(
    [*_engine.DEMONYMS, "Russia", "Russianness", "xRussian", "Russian_", "American2", "Чeченский", "Ukrainians",
     " ", ", ", "\n", "-", "é", "Ünited", "Soviet-era", "SOVIET"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_DEMONYM_TEXT, st.text(max_size=60)))
def test_same_demonym_counts(text):
    k = _compiled_kernels()
    assert k.demonym_counts(text, _engine.DEMONYMS) == _kernels.demonym_counts(text, _engine.DEMONYMS)


def test_a_demonym_must_start_with_a_capital_for_the_compiled_scan():
    k = _compiled_kernels()
    with pytest.raises(ValueError, match="capital"):
        k.demonym_counts("the russian side", {"russian": "RU"})


# ------------------------------------------------------------------ site chrome

_CHROME_PIECES = [
    "Leave a reply", "Terms of use", "Cookie settings", "We use cookies", "COOKIES", "Privacy Policy", "GDPR",
    "Copyright 2017", "© 2015 Example", "(c)", "All rights reserved", "Photo: Reuters", "Image credit:",
    "Subscribe", "SIGN UP", "newsletter", "Share this", "Read more", "Related posts", "5 min read", "Publication:",
    "Written by Anna Kowalska.", "Agency Digital", "studio in Kraków", " - ", " | ", " – ", " — ", "-", "|",
    "the", "of", "and", "a", "to", "in", "is", "that", "for", "on", "with", "railway", "port", "Rajin",
    "Khasan", "coal", "was", "built", "Dr. Lee is a professor of economics", "is an analyst",
    "İstanbul", "KOOKIE", "Cᴏᴏkie", "privacy", "ÉCOLE", "Σ", "ß", "ﬁ", "ΣΑΣ", "2015", "12:30", "…", "\u00a0",
    "\r", "\t", "   ", "Москва", "서울", "wir verwenden", "und die", "der",
]
_chrome_text = st.lists(
    st.tuples(st.sampled_from(_CHROME_PIECES), st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", ", ", ""])),
    max_size=120,
).map(lambda parts: "".join(p + s for p, s in parts))


class _ChromeScan:
    """``geo.chrome`` with its line scan set to the compiled or the Python one, for a block."""

    def __init__(self, compiled: bool):
        self.compiled = compiled

    def __enter__(self):
        from geo import chrome as C

        self.saved = C._scanner()
        require_compiled()
        C._SCAN = C._compiled_scan() if self.compiled else C._scan_python
        return C

    def __exit__(self, *exc):
        from geo import chrome as C

        C._SCAN = self.saved


def test_chrome_detection_uses_the_compiled_scan_where_built():
    from geo import chrome as C

    require_compiled()
    assert C._scanner() is not C._scan_python


def test_the_compiled_chrome_scan_takes_any_number_of_words():
    """Not 64 words at most (a bit mask once held them): every word is found, however many."""
    require_compiled()
    from geo._chromescan import ChromeLines

    words = [f"w{i:03d}x" for i in range(300)] + ["a", "ab"]
    scan = ChromeLines(words, words, [" the "], 10_000).scan
    for i in (0, 63, 64, 65, 299):
        assert scan(f"zz w{i:03d}x zz")[0][2] & 2, i  # the trigger flag
    assert scan("zz w300x zz")[0][2] & 2 == 0
    assert scan("a")[0][2] & 2 and scan("xaby")[0][2] & 2


def _both_scans(text: str) -> None:
    with _ChromeScan(compiled=False) as C:
        ref = C.detect_chrome(text)
    with _ChromeScan(compiled=True) as C:
        assert C.detect_chrome(text) == ref
        # each flag the compiled scan sets is what the Python code finds of the line
        lines = C._SCAN(text)
        assert [(s, e) for s, e, _ in lines] == [m.span() for m in C._LINE.finditer(text)]
        for s, e, flags in lines:
            line = text[s:e]
            if flags & C._SPACE:
                assert flags == C._SPACE and line.isspace()
                continue
            assert not line.isspace()
            if flags & C._PYTHON:
                assert flags == C._PYTHON and ("İ" in line or "\u212a" in line)
                continue
            words = C._TRIGGERS[id(C._CHROME_LINE if len(line) < C.LONG_LINE else C._CHROME_LONG_LINE)]
            assert bool(flags & C._TRIGGER) == any(w in line.lower() for w in words), line
            if flags & C._ENGLISH:
                assert not C._non_english(line), line


@settings(max_examples=300, deadline=None)
@given(_chrome_text)
def test_compiled_chrome_scan_finds_what_the_python_code_finds(text):
    _both_scans(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_compiled_chrome_scan_on_any_text(text):
    _both_scans(text)


def test_compiled_chrome_scan_on_the_embedded_corpus(corpus):
    for a in corpus:
        _both_scans(a.text)
    _both_scans("\n".join(a.text for a in corpus))
    # a long line: the long-line rules' words, and the stop-word bound judged on its first 400 characters
    _both_scans(("the port of Rajin and " * 30) + "privacy policy\n" + ("Rajin Khasan Tumen " * 40) + "© 2015\n")
    # a few English stop words, under 4 % of the words: not surely English, and judged non-English
    _both_scans("Wir verwenden Cookies und ähnliche Technologien " * 8 + "for the site\n"
                + "Rajin Sonbong Khasan Tumangang Hunchun " * 12 + "in the port and a bay\n")


# ------------------------------------------------------------------ JSON lines out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80), st.data())
def test_compiled_json_lines_are_the_python_ones(text, data):
    import orjson

    from geo import batch

    require_compiled()
    from geo import _jsonl as sp

    n = len(text)
    spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted), max_size=12))
    spans += data.draw(st.lists(st.tuples(st.integers(-n - 3, n), st.integers(-n - 3, n)), max_size=2))  # any offsets
    found = [(s, e, data.draw(st.integers(0, 5)), data.draw(st.sampled_from([7.123, -0.5, 6.0, 12.25, 1e-3, 3.0])))
             for s, e in spans]

    def entry_json(i):
        return orjson.dumps({"name": f'entry "{i}"\\', "lat": i / 7})[1:-1]

    head = b'{"doc":' + orjson.dumps(text[:5]) + b',"start":'
    fixed_a, fixed_b = {}, {}
    a = sp.jsonl_records(head, text, found, fixed_a, entry_json, orjson.dumps)
    b = batch._jsonl_records_python(head, text, found, fixed_b, entry_json, orjson.dumps)
    assert a == b and fixed_a == fixed_b
    rows = [orjson.loads(x) for x in a.splitlines()]
    assert [(r["start"], r["end"], r["surface"], r["score"]) for r in rows] == [(s, e, text[s:e], sc) for s, e, _, sc in found]


def test_the_command_writes_its_json_lines_with_the_compiled_writer():
    from geo import batch

    require_compiled()
    from geo import _jsonl

    assert batch._jsonl_records() is _jsonl.jsonl_records


# ------------------------------------------------------------------ one text in parts


def _in_parts(core, text, spans, cuts):
    bounds = [0, *sorted(cuts), len(text)]
    return core.parse_parts(text, [core.extract_part(text, spans, a, b) for a, b in zip(bounds, bounds[1:])])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mixed, st.data())
def test_a_text_parsed_in_parts_gives_the_mentions_of_the_whole(engines, text, data):
    core = engines[2]._engine
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=3))
    spans = None
    if text and data.draw(st.booleans()):
        a = data.draw(st.integers(0, len(text)))
        spans = [(0, a), (data.draw(st.integers(a, len(text))), len(text))]
    found = _in_parts(core, text, spans, cuts)
    # None: a candidate before a cut reaches past it, and the caller parses the text whole
    assert found is None or found == core.parse(text, spans)
    if all(c in (0, len(text)) or text[c - 1:c + 1] == "\n\n" for c in cuts):
        assert found == core.parse(text, spans)  # between paragraphs no name is cut


def test_the_embedded_corpus_as_one_text_cut_between_and_inside_its_articles(engines, corpus):
    core = engines[2]._engine
    text = "\n\n".join(a.text for a in corpus)
    whole = core.parse(text, None)
    starts = [text.index(a.text) for a in corpus[1:]]
    assert _in_parts(core, text, None, starts) == whole
    middles = [s + len(a.text) // 2 for s, a in zip([0, *starts], corpus)]
    assert _in_parts(core, text, None, middles) in (None, whole)
    # a cut inside a name: the part before reaches past it, so the parts are refused
    at = text.index("Vladivostok") + 4
    assert _in_parts(core, text, None, [at]) is None


def test_parse_in_parts_gives_parse_whether_the_parts_join_or_not(engines):
    ref = engines[0]
    gp = G.default_geoparser()

    def inline(fn):  # the other part computed here, at once
        value = fn()
        return lambda: value

    for text in ("Coal from Khasan reached Rajin.\n\nKim Jong Un spoke in Vladivostok. Kim visited Rajin again.",
                 # cut inside a word, a name glued after it is no name: the part still reads what precedes it
                 "KimRajin and TheKhasan line, Sea of Japan’s ports: Vladivostok’s"):
        whole = gp.parse(text, None)
        assert gp._parse(text, None) == ref.parse(text, None)
        for at in range(1, len(text)):
            assert gp.parse_in_parts(text, None, at, inline) == whole, (text, at)


# ------------------------------------------------------------------ the compiled guards' prefilters


def test_the_guards_prefilters_hold_for_the_word_lists():
    """The guards look a word up in VESSEL_BEFORE only when it has 4 to 10 letters and ends in p, l,
    y, r, e or t, and try ORG_BEFORE only 9 characters or more into the text after "f " or "e ":
    every listed word must pass."""
    assert all(4 <= len(w) <= 10 and w[-1] in "plyret" for w in _engine.VESSEL_BEFORE)
    assert all(len(p) >= 9 and p[-2:] in ("f ", "e ") for p in _engine.ORG_BEFORE)
