"""English spellings of the region's names that the gazetteer's sources do not list, made by rule.

English texts spell a Russian or Korean name as the writer's romanisation has it: Khasan, Hasan,
Khassan, Hassan (ISO/BGN ``kh`` or a plain ``h``, French and German doubled ``ss``); Dunay and Dunai,
Bolshoy and Bolshoi (``й`` as ``y`` or ``i``); Ussuriysk and Ussuriisk (``ий``); and for Korean the
McCune–Reischauer forms (Sŏnbong, Ch'ŏngjin, Hongŭi, with or without their diacritics) beside the
Revised Romanization (Seonbong, Cheongjin, Hongui, with ``g d b j`` for the plain ``k t p ch``),
North Korea's initial ``r`` beside the South's ``n`` (Rajin, Najin; Rason, Nason) and a name's parts
joined or hyphenated (Punggye-ri, Punggyeri). :func:`variants` makes them from each name the
gazetteer has; the gazetteer indexes them beside it (``geo/gazetteer.py``).
"""

from __future__ import annotations

import re

_V = "aeiouy"
#: English words inside names ("Port of Rajin", "Tumen River", "Trans-Siberian Railway"): never respelt.
_GENERIC = frozenset(
    "river port of and island islands station railway railroad bridge city zone economic trade special free sez "
    "industrial complex region mountain mountains mount lake sea air base airbase airfield nuclear test site "
    "fields field gas shelf basin krai kray oblast province territory the great black bear friendship korea "
    "russia russian korean trans siberian far east eastern district county federal space centre cosmodrome "
    "spaceport launch launching satellite truce village joint security area demilitarized demilitarised diamond".split()
)


def _respell(name: str, fn) -> set[str]:
    """``fn`` (a word to its respellings) applied to each word of ``name`` but the English ones, one
    word at a time and all together."""
    parts = re.split(r"([ \-‐])", name)
    idx = [i for i, t in enumerate(parts) if t and t not in " -‐" and t.lower() not in _GENERIC]
    out = {name}
    for i in idx:
        for f in list(out):
            fp = re.split(r"([ \-‐])", f)
            if len(fp) != len(parts):
                continue
            for alt in fn(fp[i]):
                out.add("".join(fp[:i] + [alt] + fp[i + 1 :]))
    return out


def _russian_word(w: str) -> set[str]:
    out = {w}
    # й, ий, ый at the end of a word: y or i ("Dunay", "Dunai"; "Bolshoy", "Bolshoi"; "Ussuriysk", "Ussuriisk")
    for f in list(out):
        out.add(re.sub(r"(?<=[aeou])y$", "i", f))
        out.add(re.sub(r"(?<=[aeou])i$", "y", f))
        out.add(re.sub(r"iy(?=sk|$)", "ii", f))
        out.add(re.sub(r"yy$", "y", f))
        out.add(re.sub(r"skiy$", "sky", f))
        out.add(re.sub(r"sky$", "skiy", f))
    # х: kh, h ("Khasan", "Hasan"); one s between vowels doubled, as French and German write it
    for f in list(out):
        out.add(re.sub(r"^Kh", "H", f).replace("kh", "h"))
    for f in list(out):
        out.add(re.sub(rf"(?<=[{_V}])s(?=[{_V}])", "ss", f))
    return out


def _russian(name: str) -> set[str]:
    return _respell(name, _russian_word)


_MR_TO_RR = [("ŏ", "eo"), ("Ŏ", "Eo"), ("ŭi", "ui"), ("ŭ", "eu"), ("Ŭ", "Eu")]
_INITIAL_RR = {"K": "G", "T": "D", "P": "B"}


def _korean_word(w: str, aspirated: set[str]) -> set[str]:
    out = {w}
    plain = w.replace("'", "").replace("’", "")
    # McCune–Reischauer to Revised Romanization: ŏ eo, ŭ eu (ŭi ui), aspiration marks dropped, and a
    # plain (unaspirated) initial k t p ch as g d b j
    rr = plain
    for a, b in _MR_TO_RR:
        rr = rr.replace(a, b)
    out.add(rr)
    if rr[:1] in _INITIAL_RR and rr[:1] not in aspirated:
        out.add(_INITIAL_RR[rr[0]] + rr[1:])
    elif rr.startswith("Ch") and "Ch" not in aspirated:
        out.add("J" + rr[2:])
    # Revised Romanization to MR without diacritics: eo o, eu u, an initial g d b j as k t p ch
    mr = plain.replace("eo", "o").replace("eu", "u").replace("Eo", "O").replace("Eu", "U")
    out.add(mr)
    back = {"G": "K", "D": "T", "B": "P"}
    if mr[:1] in back:
        out.add(back[mr[0]] + mr[1:])
    elif mr.startswith("J"):
        out.add("Ch" + mr[1:])
    # North Korea's initial r, the South's n (or nothing before i, y): Rajin, Najin; Ryanggang, Yanggang
    for f in list(out):
        if re.match(r"R[aoue]", f):
            out.add("N" + f[1:])
        elif re.match(r"R[iy]", f):
            out.add(f[1:2].upper() + f[2:])
    return out


def _korean(name: str, aspirated: set[str]) -> set[str]:
    out = _respell(name, lambda w: _korean_word(w, aspirated))
    # a name's parts hyphenated or joined ("Punggye-ri", "Punggyeri"; "Tumen-gang", "Tumengang")
    for f in list(out):
        if re.search(r"\w-(gang|ri|san|dong|do|gun|si|kang|guyok|gu)\b", f):
            out.add(re.sub(r"(\w)-(gang|ri|san|dong|do|gun|si|kang|guyok|gu)\b", r"\1\2", f))
    return out


#: The region whose towns' names are respelt too (GeoNames towns; the curated places everywhere):
#: Primorye, the south of Khabarovsk Krai, Rason and North Hamgyong (south, west, north, east).
REGION_BOX = (40.0, 127.0, 50.0, 140.0)


def in_region(lat: float, lon: float) -> bool:
    s, w, n, e = REGION_BOX
    return s <= lat <= n and w <= lon <= e


def variants(names: list[str], country: str) -> set[str]:
    """The spellings ``names`` (a place's, in Latin letters) may also take in English text, by the
    romanisation systems of ``country``'s language (Russian for RU, Korean for KP and KR); the names
    themselves are not in the result."""
    latin = [n for n in names if n and all(ord(c) < 0x250 or c in "’'" for c in n)]
    out: set[str] = set()
    if country == "RU":
        for n in latin:
            out |= _russian(n)
    elif country in ("KP", "KR"):
        # a consonant that any spelling marks as aspirated ("Ch'ŏngjin", "P'ohang") keeps its letter
        aspirated = {m.group(1) for n in latin for m in [re.match(r"(Ch|[KTP])['’]", n)] if m}
        for n in latin:
            out |= _korean(n, aspirated)
    known = {n.lower() for n in names}
    return {v for v in out if v.lower() not in known and len(v.replace(" ", "")) >= 4}
