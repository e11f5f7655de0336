"""Russian and Korean articles: every inflected form and particle, scored on real sentences."""

from __future__ import annotations

import pytest

from geo import geoparser as G
from geo._scripts import detect_language, has_native

from .ru_ko import load, score

#: Floors under the figures measured on the held-out sentences (tests/data/ru_ko/README.md).
FLOORS = {"ru": (0.97, 0.95), "ko": (0.95, 0.90)}


@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_precision_and_recall_on_real_sentences(lang):
    r = score(lang)
    p_min, r_min = FLOORS[lang]
    assert r["P"] >= p_min and r["R"] >= r_min, (r["P"], r["R"], r["errors"])


def _found(text):
    return [(m["surface"], m["gazetteer_id"]) for m in G.geoparse_text(text)]


def test_russian_inflected_forms_find_the_place():
    text = "Паром прибыл во Владивосток из Раджина. Уголь из Хасана идёт в Раджин по реке Туманной в Приморском крае."
    got = _found(text)
    assert ("Владивосток", "vladivostok") in got and ("Раджина", "rajin") in got and ("Хасана", "khasan") in got
    assert ("Туманной", "tumen-river") in got and ("Приморском крае", "primorsky-krai") in got


def test_russian_adjective_names_agree_in_gender():
    # "Туманную" is the river Туманная, never the town Туманный; "Северной и Южной" alone no towns
    got = _found("Мост через реку Туманную. Саммиты двух Корей, Северной и Южной, прошли в Москве.")
    assert ("Туманную", "tumen-river") in got
    assert all(s not in ("Северной", "Южной") for s, _ in got)


def test_russian_names_of_things_and_people_are_not_places():
    got = _found('Об этом сообщил корреспондент агентства "Интерфакс - Дальний Восток". Президент Kogas Чжу Канг Су подписал соглашение.')
    assert got == []


def test_korean_particles_and_kind_suffixes():
    got = _found("러시아 연해주 하산에서 북한 나진항으로 석탄을 운송했다. 블라디보스토크와 나선시는 가깝다.")
    assert got == [("러시아", "country:RU"), ("연해주", "primorsky-krai"), ("하산", "khasan"), ("북한", "country:KP"),
                   ("나진항", "rajin"), ("블라디보스토크", "vladivostok"), ("나선시", "rason")]


def test_korean_derived_words_and_ordinary_words_are_not_places():
    # 러시아산 "Russian-made", 북러 "North Korea–Russia", 지난해 "last year" (지난 is Jinan's Korean name)
    assert _found("러시아산 석탄이 북러 국경철도로 지난해 운송됐다.") == []


def test_suncheon_in_south_jeolla_is_never_sunchon_in_north_korea():
    south = G.geoparse_text("행정구역상 전라남도 순천시와 고흥군, 여수시로 둘러싸여 있다.")
    sun = [m for m in south if m["surface"].startswith("순천")]
    assert sun and all(m["country"] == "KR" for m in sun)
    north = G.geoparse_text("평안남도 순천 비행장은 평양을 방어하기 위한 북한 주력기를 모아둔 군용 비행장이다.")
    sun = [m for m in north if m["surface"].startswith("순천")]  # "순천 비행장": the air base, in two words
    assert [m["gazetteer_id"] for m in sun] == ["sunchon-air-base"]
    north = G.geoparse_text("북창공군기지는 평안남도 순천시 북창리에 위치한다.")
    assert [m["gazetteer_id"] for m in north if m["surface"].startswith("순천")] == ["sunchon-kp"]


def test_language_from_the_script():
    assert detect_language("Паром прибыл во Владивосток.") == "ru"
    assert detect_language("블라디보스토크에 도착했다.") == "ko"
    assert detect_language("The ferry reached Vladivostok.") == "en"
    assert not has_native("Rajin and Khasan") and has_native("Rajin (나진)")


def test_both_engines_give_the_same_mentions():
    from .compiled import require_compiled

    require_compiled()
    ref = G.Geoparser(G.default_geoparser().gz, engine="python")
    fast = G.Geoparser(ref.gz, engine="compiled")
    for lang in ("ru", "ko"):
        for _, text, _ in load(lang):
            assert ref.parse(text) == fast.parse(text)


def test_the_same_mentions_whatever_the_string_hash_seed():
    """Sets of word forms are read in order: a Russian word whose lemmas name two places gives the
    same mention in every process (each has its own str hash seed; --jobs and Dask run several)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import json; from geo.geoparser import default_geoparser as d; from tests.ru_ko import load; "
        "print(json.dumps([d().parse('\\n'.join(t for _, t, _ in load(lang))) for lang in ('ru', 'ko')]))"
    )
    root = Path(__file__).resolve().parents[1]
    outs = {
        subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_russian_and_korean_sentences_are_split():
    from geo._text import sentence_spans

    for lang in ("ru", "ko"):
        _, text, _ = load(lang)[0]  # the first source's sentences, one a line
        lines = text.split("\n")
        joined = " ".join(lines)
        assert [joined[a:b] for a, b in sentence_spans(joined)] == lines, lang
