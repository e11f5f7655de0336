"""Place names in Russian (Cyrillic) and Korean (Hangul) text, in every inflected form.

English names are found by the name automaton over the folded text (:mod:`geo.geoparser`). A
Russian name is inflected ("Хасан", "Хасана", "Хасаном"; "Северная Корея", "Северной Кореи") and a
Korean one carries particles and kind suffixes written without a space ("하산에서", "나진항을",
"나선시는"), so neither is found by matching the dictionary form. Here:

* **Russian**: each Cyrillic word is read as every lemma pymorphy3 (with its OpenCorpora
  dictionary) gives it, its own folded form and a few stems with a case ending taken off (for the
  foreign names no dictionary holds: "Хуньчуня" for "Хуньчунь"); a name matches when each of its
  words is one of those of consecutive words of the text. The index holds each Cyrillic spelling of
  the gazetteer both as written and as its words' lemmas ("Северная Корея" is "северный корея").
* **Korean**: each run of Hangul is a name of the index followed by nothing, a kind suffix (항 port,
  시 city, 군 county, 강 river, 역 station, …) and particles (을, 에서, 과, 의, 에서는, …), and
  nothing else: "러시아산" (Russian-made) and "북러" (North Korea–Russia) are not the place. Particle
  rules proved as good as a morphological analyser on the project's held-out set (see
  ``tests/data/ru_ko/README.md``) and need no 90 MB model.

Both engines of the geoparser call this same code for the candidates and resolve them as they
resolve English ones, so their results stay identical.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geo._text import fold

#: Any Cyrillic or Hangul letter: a text without one never reaches this module.
NATIVE_LETTER = re.compile(r"[\u0400-\u04ff\uac00-\ud7a3]")
_CYR_WORD = re.compile(r"[А-Яа-яЁё]+")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

#: The longest name, in words.
MAX_WORDS = 4

# ------------------------------------------------------------------ language


def detect_language(text: str) -> str:
    """``"ru"``, ``"ko"`` or ``"en"``: the script most of the text's letters are written in (Cyrillic,
    Hangul, else Latin), counted over its first 20,000 characters."""
    sample = text[:20000]
    cyr = len(_CYRILLIC.findall(sample))
    han = len(_HANGUL.findall(sample))
    lat = sum(1 for c in sample if c.isascii() and c.isalpha())
    best = max((cyr, "ru"), (han, "ko"), (lat, "en"))
    return best[1] if best[0] > 0 else "en"


#: The UTF-8 lead bytes of U+0400–U+04FF (Cyrillic) and U+A000–U+DFFF (Hangul syllables among them).
_LEAD_BYTES = (b"\xd0", b"\xd1", b"\xd2", b"\xd3", b"\xea", b"\xeb", b"\xec", b"\xed")


def has_native(text: str) -> bool:
    """Whether ``text`` has a Cyrillic or Hangul letter. An ASCII text is answered at once, any other
    by looking for the UTF-8 lead bytes of those blocks (memchr-fast: an 11 MB English text in about
    20 ms, a regular expression takes 90), and only where one is found by the expression."""
    if str.isascii(text):
        return False
    raw = text.encode("utf-8", "surrogatepass")
    return any(raw.find(b) >= 0 for b in _LEAD_BYTES) and NATIVE_LETTER.search(text) is not None


# ------------------------------------------------------------------ Russian morphology


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


#: Case endings taken off a word the dictionary does not know, and what the stem may end in then.
_ENDINGS = ("ями", "ами", "ого", "его", "ому", "ему", "ой", "ей", "ом", "ем", "ою", "ею", "ью", "ам", "ям",
            "ах", "ях", "ов", "ев", "а", "я", "у", "ю", "е", "ы", "и")
_RESTORE = ("", "ь", "а", "я", "й", "о")


def _lemma(p) -> str:
    """A parse's folded normal form; an adjective's with its gender ("туманный|femn"), so that
    "Туманную" (the river Туманная) is not the town Туманный, nor "Северной" the town Северный."""
    if "ADJF" in p.tag:
        return f"{fold(p.normal_form)}|{p.tag.gender or 'plur'}"
    return fold(p.normal_form)


def name_lemma(word: str) -> str:
    """The lemma a word of a gazetteer name is indexed by (its first parse's), folded."""
    return _lemma(_morph().parse(word.lower())[0])


@lru_cache(maxsize=65536)
def word_forms(word: str) -> tuple[frozenset, bool, bool]:
    """What one Cyrillic word of a text may stand for: its folded form, every lemma pymorphy3 gives
    it and, for a word no dictionary knows, stems with a case ending taken off. Also whether it is
    an ordinary known word with no sense as a name (not a place, person or abbreviation), and
    whether it is most likely a person's given name, surname or patronymic."""
    low = word.lower()
    parses = _morph().parse(low)
    forms = {fold(low)}
    forms.update(_lemma(p) for p in parses)
    known = any(p.is_known for p in parses)
    if not known or any("Geox" in p.tag for p in parses):
        for end in _ENDINGS:
            if low.endswith(end) and len(low) - len(end) >= 3:
                stem = low[: -len(end)]
                forms.update(fold(stem + r) for r in _RESTORE)
    common = known and not any(t in p.tag for p in parses for t in ("Geox", "Name", "Surn", "Abbr", "Orgn"))
    top = parses[0].tag if parses else None
    person = top is not None and any(t in top for t in ("Name", "Surn", "Patr")) and "Geox" not in top
    return frozenset(forms), common, person


# ------------------------------------------------------------------ the index


def index_forms(spelling: str) -> tuple[str, list[str]]:
    """``(script, keys)``: how the native index files one gazetteer spelling ("ru", "ko" or "")."""
    if _CYRILLIC.search(spelling):
        words = _CYR_WORD.findall(spelling)
        if not words or len(words) > MAX_WORDS:
            return "", []
        plain = " ".join(fold(w.lower()) for w in words)
        lemma = " ".join(name_lemma(w) for w in words)
        return "ru", list(dict.fromkeys([plain, lemma]))
    if _HANGUL.search(spelling):
        runs = _HANGUL_RUN.findall(spelling)
        if not runs or len(runs) > 3:
            return "", []
        joined = "".join(runs)
        keys = [joined]
        m = _KO_ADMIN.search(joined)
        if m and m.start() >= 2:
            keys.append(joined[: m.start()])  # "청진시" is also "청진"
        return "ko", keys
    return "", []


_KO_ADMIN = re.compile(r"(특별시|광역시|특별자치시|시|군)$")


def build_native_index(spellings, key_of, rank, korean=lambda k: True) -> dict:
    """The native index: ``{"ru": {words: key}, "ru_prefix": set, "ko": {run: key}, "ko_max": int}``.

    ``spellings`` are the gazetteer's spellings, ``key_of(spelling)`` the name key each is filed
    under, ``rank(key)`` the order in which keys that share a form are preferred (a spelling as
    written before a lemma or a stem; then the lower rank: the stronger tier).
    """
    ru: dict[str, tuple] = {}
    ko: dict[str, tuple] = {}
    ko_multi: set[str] = set()
    for sp in spellings:
        runs = _HANGUL_RUN.findall(sp)
        if len(runs) > 1:
            ko_multi.add(runs[0])
        script, forms = index_forms(sp)
        if not script:
            continue
        k = key_of(sp)
        if k is None:
            continue
        table = ru if script == "ru" else ko
        for n, f in enumerate(forms):
            cand = (n, rank(k), k)
            if f not in table or cand < table[f]:
                table[f] = cand
    prefixes = {" ".join(f.split(" ")[:j]) for f in ru for j in range(1, len(f.split(" ")))}
    # a name that begins a longer one ("순천", "순천비행장"): text may write the longer with a space
    ko_multi |= {f[:j] for f in ko for j in range(2, len(f)) if f[:j] in ko}
    return {
        "ru": {f: v[2] for f, v in ru.items()}, "ru_prefix": prefixes,
        "ko": {f: v[2] for f, v in ko.items()}, "ko_max": max((len(f) for f in ko), default=0),
        # the Korean keys that name no place in Korea (a Chinese town's Korean name): a split of a
        # word that gives a place in Korea is preferred to them ("원산시" is Wonsan, not Wenshan)
        "ko_foreign": {v[2] for v in ko.values() if not korean(v[2])},
        # the first words of names written in two or three words ("사할린 주", "순천 비행장"): only
        # after one of these is the next word read as part of the name
        "ko_multi": ko_multi,
    }


# ------------------------------------------------------------------ Russian text

#: A kind word before a name ("порт Раджин", "реки Туманной"), as the English word the resolver reads.
_RU_KIND_BEFORE = {
    "порт": "port", "город": "city", "река": "river", "остров": "island", "провинция": "province",
    "посёлок": "town", "поселок": "town", "село": "village", "станция": "town", "море": "sea", "озеро": "lake",
    "полуостров": "peninsula", "область": "region", "залив": "sea",
}
#: Words before a quoted name that make it the name of a thing, not a place ("агентства «Интерфакс
#: - Дальний Восток»", "паром «Хасан»"): organisations, media, ships, projects' operators.
_RU_THING_BEFORE = frozenset(
    "агентство компания газета журнал издание телеканал радиостанция радио ооо оао зао пао ао сп банк фонд "
    "судно паром теплоход корабль танкер сухогруз ледокол катер клуб группа холдинг корпорация концерн".split()
)
_QUOTES_OPEN = "«“\"„"
_QUOTES_CLOSE = "»”\"“"
_SENT_BEFORE = re.compile(r"(?:^|[.!?…\n]\s*[«\"“(]?)\s*$")


def _in_thing_quotes(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` is inside quotation marks that a thing's name stands in."""
    line_start = text.rfind("\n", 0, s) + 1
    at = max(text.rfind("«", line_start, s), text.rfind("“", line_start, s), text.rfind("„", line_start, s))
    if at < 0:
        # straight quotes: an odd number before the name on the line opens a quotation
        if text.count('"', line_start, s) % 2 == 0:
            return False
        at = text.rfind('"', line_start, s)
    elif text.find("»", at, s) >= 0 or text.find("”", at, s) >= 0:
        return False
    before = text[line_start:s]
    at -= line_start
    words = _CYR_WORD.findall(before[:at])
    if not words:
        return False
    return bool(word_forms(words[-1])[0] & _RU_THING_BEFORE)


def ru_candidates(index: dict, text: str, spans=None) -> list[tuple[int, int, int, str]]:
    """``(start, end, key, kind word)`` for every Russian name in ``text``, longest first."""
    table, prefixes = index["ru"], index["ru_prefix"]
    words = [(m.start(), m.end(), m.group()) for m in _CYR_WORD.finditer(text)]
    out = []
    i, n = 0, len(words)
    while i < n:
        s0, e0, w0 = words[i]
        if not w0[0].isupper():
            i += 1
            continue
        found = None
        frontier = [""]
        for j in range(i, min(n, i + MAX_WORDS)):
            sj, ej, wj = words[j]
            if j > i:
                gap = text[words[j - 1][1] : sj]
                if gap not in (" ", "-", "‐", "\u00a0"):
                    break
            forms = sorted(word_forms(wj)[0])  # in order: the choice below never depends on str hashing
            plain = fold(wj.lower())
            nxt = []
            for pre in frontier:
                for f in forms:
                    cand = f if not pre else pre + " " + f
                    k = table.get(cand)
                    if k is not None:
                        # the most words, then the last word as written (not a lemma), then the first key
                        exact = f == plain
                        if found is None or (j, exact, -k) > (found[0], found[2], -found[1]):
                            found = (j, k, exact)
                    if cand in prefixes:
                        nxt.append(cand)
            frontier = nxt
            if not frontier:
                break
        if found is None:
            i += 1
            continue
        j, k, _ = found
        s, e = s0, words[j][1]
        if spans is not None and not any(a <= s and e <= b for a, b in spans):
            i = j + 1
            continue
        if _keep_ru(text, words, i, j):
            prev = words[i - 1][2] if i > 0 and text[words[i - 1][1] : s0] == " " else ""
            hint = ""
            if prev:
                for f in sorted(word_forms(prev)[0]):
                    hint = _RU_KIND_BEFORE.get(f, "")
                    if hint:
                        break
            if not hint and _ru_route_stop(text, s, e, prev.lower()):
                hint = "city"
            out.append((s, e, k, hint))
        i = j + 1
    return out


_RU_DASH_BEFORE = re.compile(r"[\w)»]\s*[-–—]\s*$")
_RU_DASH_AFTER = re.compile(r"\s*(?:\([^()\n]{0,60}\)\s*)?[-–—]\s*[А-ЯЁA-Z]")
_RU_FROM_BEFORE = re.compile(r"\bиз\s+[А-ЯЁA-Z][^.!?\n]{0,60}$")
_RU_TO_AFTER = re.compile(r"[^.!?\n]{0,60}?\s(?:в|во|до)\s+[А-ЯЁA-Z]")
_RU_BETWEEN_BEFORE = re.compile(r"\bмежду\s+[^.!?;:\n]{0,60}$")


def _ru_route_stop(text: str, s: int, e: int, prev: str) -> bool:
    """Whether the name ``text[s:e]`` is a stop of a route: joined to another by a dash ("Владивосток –
    Донхэ", "Донхэ (Республика Корея) - Сакаиминато"), the ends of "из X в Y", or one of the places
    "между X и Y". A town is then likelier than the sea, river or province a name may also be, and a
    port abroad is kept although the text names Russia and not its country."""
    if _RU_DASH_BEFORE.search(text, max(0, s - 4), s) or _RU_DASH_AFTER.match(text, e):
        return True
    if prev == "из" and _RU_TO_AFTER.match(text, e):
        return True
    if prev in ("в", "во", "до") and _RU_FROM_BEFORE.search(text, max(0, s - 80), s - len(prev) - 1):
        return True
    return _RU_BETWEEN_BEFORE.search(text, max(0, s - 70), s) is not None


def _keep_ru(text: str, words, i: int, j: int) -> bool:
    s0, e0, w0 = words[i]
    forms, common, person = word_forms(w0)
    if i == j and common and _SENT_BEFORE.search(text[max(0, s0 - 3) : s0] if s0 >= 3 else text[:s0]):
        return False  # "Мир", "Бор": an ordinary word at the start of a sentence
    if i == j and 0 < i and j + 1 < len(words) and all(
        text[words[a][1] : words[a + 1][0]] == " " and words[a + 1][2][0].isupper() for a in (i - 1, j)
    ) and words[i - 1][2][0].isupper():
        return False  # inside a run of capitalised words: a person's name ("Чжу Канг Су", "Ким Чен Ын")
    # a person: a given name or surname beside another ("Хасан Роухани", "Ким Чен Ын")
    if j + 1 < len(words) and i == j and text[words[j][1] : words[j + 1][0]] == " ":
        w1 = words[j + 1][2]
        if w1[0].isupper() and (word_forms(w1)[2] and person):
            return False
    if _in_thing_quotes(text, s0, words[j][1]):
        return False
    return True


# ------------------------------------------------------------------ Korean text

#: Kind suffixes written onto a name, as the English word the resolver reads.
_KO_KINDS = {
    "항": "port", "항구": "port", "시": "city", "특별시": "city", "광역시": "city", "군": "", "읍": "town",
    "역": "town", "강": "river", "지역": "", "지방": "",
}
_KO_PARTICLES = (
    "에서는 에서도 에서의 으로는 으로도 으로의 까지의 에게서 에서 에게 에는 에도 으로 로는 로도 로의 과의 와의 까지 부터 "
    "처럼 보다 이나 이랑 만의 이다 이며 이고 이었다 였다 에선 은 는 이 가 을 를 의 에 로 와 과 도 만 나 랑 간 측 쪽 등 내 산"
).split()
_KO_PARTICLES = tuple(p for p in _KO_PARTICLES if p != "산")
#: Ordinary Korean words that are also the Korean names of places abroad ("지난" last, Jinan; "수단"
#: means, Sudan; "오만" arrogance, Oman; "이란" "which is", Iran; "인도" pavement, India; "연일" day
#: after day, Yeonil).
_KO_STOP = frozenset("지난 수단 오만 이란 인도 가나 말리 사이 이번 이후 나라 다음 연일".split())
_ROUTE_DASHES = frozenset("-‐‑–—~∼")
_KO_KINDS_LONGEST_FIRST = tuple(sorted(_KO_KINDS, key=len, reverse=True))
_KO_REST = re.compile(
    "^(?:" + "|".join(sorted(map(re.escape, _KO_KINDS), key=len, reverse=True)) + ")?"
    "(?:" + "|".join(sorted(map(re.escape, _KO_PARTICLES), key=len, reverse=True)) + "){0,2}$"
)


#: A Korean sea's name that is also a town's: 동해 is the East Sea (Sea of Japan) and the port town of
#: Donghae. The sentence tells which; the town is then read by the key of its "X시" spelling (the town
#: only) and the sea by that of "X 바다" (the sea only), so that neither the town's country nor the
#: places near it in the document make the other sense win.
_SEA_SUFFIXES = ("해", "양")
#: Written onto a sea's name: "동해상으로" (onto the East Sea), a launch's or a ship's way.
_KO_SEA_SUFFIX = "상"
#: A word after the name that makes it the sea ("동해 상으로", "동해 해상", "동해 바다", "동해 연안").
_KO_SEA_NEXT = ("상", "해상", "바다", "앞바다", "먼바다", "해역", "수역", "연안", "상공", "해저", "북부", "중부", "남부")
#: A verb after the name that goes through it: the sea on the way ("동해를 거쳐", "동해를 통해").
_KO_VIA = ("거쳐", "거치", "통해", "통하", "경유", "지나", "건너", "따라")
#: Words that make a sentence about the sea (a launch, fishing, the water) and not about a route's stops.
_KO_SEA_CUES = re.compile(
    "미사일|발사|발사체|해상|조업|어선|어민|어획|해역|수역|수온|잠수함|훈련|표류|냉수대|고래|상어|해류|나포|침몰|좌초|영해|공해|요트"
)
#: Words of a route between stops: a line, a service, a shipment, a departure or an arrival.
_KO_ROUTE_CUES = re.compile(
    "항로|노선|운항|운송|수송|취항|출항|입항|여객|페리|카페리|화물|컨테이너|정기선|돌아오|돌아올|향해|향하|향할"
    "|오가|오간|잇는|잇다|이어|연결|왕복|귀국|입국|출국|출발|도착|하역|선적"
)
_KO_SENTENCE_END = re.compile(r"[.!?。\n]")


def _ko_sentence(text: str, s: int, e: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[s:e]`` (up to a full stop or a line break)."""
    a = max((m.end() for m in _KO_SENTENCE_END.finditer(text, max(0, s - 400), s)), default=max(0, s - 400))
    m = _KO_SENTENCE_END.search(text, e, e + 400)
    return a, (m.start() if m else min(len(text), e + 400))


def _ko_other_place(table: dict, runs, i: int, a: int, b: int) -> bool:
    """Whether a run of the sentence ``text[a:b]`` other than run ``i`` is a name with particles (the
    runs around run ``i`` only: a long text's other sentences are not read)."""
    lo = i
    while lo > 0 and runs[lo - 1][1] > a:
        lo -= 1
    hi = i + 1
    while hi < len(runs) and runs[hi][0] < b:
        hi += 1
    for t in range(lo, hi):
        s, e, r = runs[t]
        if t == i:
            continue
        for L in range(len(r), 1, -1):
            if r[:L] in table and r[:L] not in _KO_STOP and _KO_REST.match(r[L:]):
                return True
    return False


def _sea_or_town(table: dict, text: str, runs, i: int, j: int, s: int, e: int, name: str, kind: str, rest: str):
    """``"town"``, ``"sea"`` or ``""``: what the sentence makes of a name that is a sea's and a town's.

    The town: a port or station written onto it or after it ("동해항", "동해 항에서"); a stop of a
    route written with dashes ("블라디보스토크-동해", "동해~일본~러시아"); after a province
    ("강원도 동해"); a name in a sentence about a route (a line, a service, a shipment, a departure)
    with another place in it ("나진에서 동해까지", "동해와 일본, 러시아를 잇는 항로", "동해로
    돌아올"). The sea: "상" written onto it or a word of the sea after it ("동해상으로", "동해 해상"),
    a verb that goes through it ("동해를 거쳐"), or a sentence about a launch or the water.
    """
    if kind == _KO_SEA_SUFFIX:
        return "sea"
    if kind in ("항", "항구", "역", "시"):
        return "town"
    nxt = ""
    if j + 1 < len(runs) and text[runs[j][1] : runs[j + 1][0]] == " ":
        nxt = runs[j + 1][2]
    if nxt and any(nxt.startswith(w) and _KO_REST.match(nxt[len(w):]) for w in _KO_SEA_NEXT):
        return "sea"
    if nxt and any(nxt.startswith(w) and _KO_REST.match(nxt[len(w):]) for w in ("항", "항구", "역")):
        return "town"
    if rest and nxt.startswith(_KO_VIA):
        return "sea"
    if text[s - 1 : s] in _ROUTE_DASHES or text[e : e + 1] in _ROUTE_DASHES:
        return "town"
    if i > 0 and text[runs[i - 1][1] : s] == " ":
        prev = runs[i - 1][2]
        if prev.endswith("도") and prev in table:
            return "town"  # "강원도 동해"
    a, b = _ko_sentence(text, s, e)
    sentence = text[a:b]
    if _KO_SEA_CUES.search(sentence):
        return "sea"
    if _KO_ROUTE_CUES.search(sentence) and _ko_other_place(table, runs, i, a, b):
        return "town"
    return ""


def ko_candidates(index: dict, text: str, spans=None) -> list[tuple[int, int, int, str]]:
    """``(start, end, key, kind word)`` for every Korean name in ``text``: the name and its kind
    suffix, without the particles after it."""
    table, longest, foreign, multi = index["ko"], index["ko_max"], index["ko_foreign"], index["ko_multi"]
    runs = [(m.start(), m.end(), m.group()) for m in _HANGUL_RUN.finditer(text)]
    out = []
    i, n = 0, len(runs)
    while i < n:
        s0, e0, r0 = runs[i]
        best = None
        # a name written in two or three words ("사할린 주", "프리모르스키 크라이")
        joined, ends = r0, [(i, len(r0))]
        for j in range(i + 1, min(n, i + 3) if r0 in multi else i + 1):
            if text[runs[j - 1][1] : runs[j][0]] != " ":
                break
            joined += runs[j][2]
            ends.append((j, len(joined)))
        for j, upto in reversed(ends):
            word = joined[:upto]
            last_start = upto - len(runs[j][2])
            options = []
            for L in range(min(len(word), longest), max(1, last_start), -1):
                k = table.get(word[:L])
                if k is None or word[:L] in _KO_STOP:
                    continue
                rest = word[L:]
                kind = ""
                if (word[L - 1] in _SEA_SUFFIXES and rest.startswith(_KO_SEA_SUFFIX)
                        and _KO_REST.match(rest[1:]) is not None):
                    kind = _KO_SEA_SUFFIX  # "동해상으로": onto the sea
                elif _KO_REST.match(rest) is None:
                    continue
                elif rest:
                    for suf in _KO_KINDS_LONGEST_FIRST:
                        if rest.startswith(suf) and _KO_REST.match(rest[len(suf):]) is not None:
                            kind = suf
                            break
                options.append((-(L + len(kind)), k in foreign, -L, (j, L + len(kind), k, kind, word[:L], rest[len(kind):])))
            if options:
                best = min(options, key=lambda o: o[:3])[3]
            if best is not None:
                break
        if best is None:
            i += 1
            continue
        j, length, k, kind, name, rest = best
        hint = "sea" if kind == _KO_SEA_SUFFIX else _KO_KINDS.get(kind, "")
        # the offset of character ``length`` of the joined runs, in the text
        s = s0
        e = runs[j][0] + (length - (sum(len(runs[t][2]) for t in range(i, j))))
        if not hint and (text[s - 1 : s] in _ROUTE_DASHES or text[e : e + 1] in _ROUTE_DASHES):
            hint = "city"  # a stop of a route written "나진-하산": a town
        if name[-1] in _SEA_SUFFIXES:
            town, sea = table.get(name + "시"), table.get(name + "바다")
            if town is not None and sea is not None and town != k:
                sense = _sea_or_town(table, text, runs, i, j, s, e, name, kind, rest)
                if sense == "town":
                    k, hint = town, "city"  # Donghae, the town and its port
                elif sense == "sea":
                    k, hint = sea, "sea"
        if spans is None or any(a <= s and e <= b for a, b in spans):
            out.append((s, e, k, hint))
        i = j + 1
    return out


def native_candidates(index: dict | None, text: str, spans=None) -> list[tuple[int, int, int, str]]:
    """The Russian and Korean names in ``text``, in order of their start."""
    if not index:
        return []
    out = ru_candidates(index, text, spans) + ko_candidates(index, text, spans)
    out.sort(key=lambda c: c[0])
    return out
