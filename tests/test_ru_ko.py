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


DONGHAE, EAST_SEA = "donghae", "sea-of-japan"  # the curated port (geo/data/gazetteer.yaml)


def _senses_of_donghae(text):
    return [m["gazetteer_id"] for m in G.geoparse_text(text) if m["surface"].startswith("동해")]


@pytest.mark.parametrize("text", [
    # real sentences (tests/data/ru_ko/ko.jsonl names their sources): 동해 a stop or a port of a route
    "작년 3월 항로 개설 후 그동안 코로나19로 인해 화물만 운송하던 국제카페리의 동해항-블라디보스톡항 간 상호 여객 운송이 재개됐다.",
    "동해 항에서 블라디보스톡 항 까지 페리 크루즈를 타고 다녀왔다.",
    "동해~일본~러시아 잇는 환동해권 항로 다시 열렸다",
    "지난해 말부터 끊겼던 동해와 일본, 러시아를 잇는 환동해권 항로가 다시 열린다.",
    "블라디보스톡에선 귀국을 준비 중인 한국기업 직원 19명을 태워 동해로 돌아올 예정이다.",
    "코로나19 영향으로 중단된 러시아 연해주 블라디보스토크와 강원도 동해를 오가는 카페리(여객·화물 겸용선) 여객 운송이 2년여 만에 일부 재개됐다.",
    "최근 對러 제재로 한-러간 직항노선이 3월 4일부터 중단됨에 따라, 정부는 러시아 극동지역 체류 우리국민의 귀국을 위해 3월 30일 블라디보스톡-동해 노선 특별 여객선 운항을 지원 했다.",
])
def test_donghae_as_a_stop_or_port_of_a_route_is_the_town(text):
    assert _senses_of_donghae(text) and set(_senses_of_donghae(text)) == {DONGHAE}


@pytest.mark.parametrize("text", [
    # real sentences: the East Sea, on the way between ports, under a launch, or the water itself
    "러시아 시베리아산 유연탄은 철도로 블라디보스토크와 하산을 거쳐 북한 나진항에 도착한 뒤 동해를 통해 포항항으로 운송된다.",
    "이 석탄은 동해를 거쳐 상하이, 광저우 등 중국 동부지역으로 수출될 예정이다.",
    "합동참모본부는 북한이 17일 오후 동해상으로 미상의 탄도미사일을 발사했다고 밝혔다.",
    "북한이 조금 전 미상의 탄도미사일을 동해 상으로 발사했다고 합동참모본부가 밝혔습니다.",
    "합동참모본부에 따르면 북한은 이날 오전 8시 10분께 탄도미사일로 추정되는 발사체 1발을 자강도 일대에서 동해상으로 쐈다.",
    "포항에서 강릉 사이 동해 연안에 냉수대 주의보가 내려졌습니다.",
    "하지만 동해 바다의 수온은 연일 상승하고 있어 양어장 어민들이 밤잠을 못 이루고 있습니다.",
    # a boat seized at sea, though the sentence names Russia and ships (JoongAng Ilbo)
    "동해에서 조업 중이던 우리 통발어선 1척이 러시아 배타적 경제수역(EEZ)을 침범한 혐의로 러시아 경비정에 의해 나포됐다.",
])
def test_donghae_as_the_sea_is_the_east_sea(text):
    assert _senses_of_donghae(text) and set(_senses_of_donghae(text)) == {EAST_SEA}


def test_the_sea_even_where_the_town_is_near():
    # two sentences of one article (2gunga.co.kr): Gangwon and Gangneung, 40 km from Donghae, are
    # named before it, and 동해상 is still the sea
    text = ("문 대통령은 이날 오전 강원도 고성군 제진역을 찾아 동해선축 유일한 단절 구간인 강릉∼제진 구간 착공을 축하했다. "
            "다만 북한이 동해상으로 탄도미사일로 추정되는 발사체를 발사한 당일에 진행된 탓에 이번 행사의 취지가 무색해졌다는 지적도 나온다.")
    assert _senses_of_donghae(text) == [EAST_SEA]


def test_the_east_sea_line_is_no_place():
    # 동해선, the railway along the east coast (a line's name): neither the sea nor the town
    text = "문재인 대통령이 5일 동해선 강릉∼제진 철도 건설사업 착공 현장을 찾아 한반도 평화와 번영에 대한 의지를 확인했다."
    assert _senses_of_donghae(text) == []
    assert [m["gazetteer_id"] for m in G.geoparse_text(text)] == ["gangneung", "jejin-station", "korean-peninsula"]


def test_donghae_in_russian_route_stops():
    # real sentences (tests/data/ru_ko/ru.jsonl): the text names Russia, not Korea, and Донхэ is kept
    for text in ("Паром Владивосток – Донхэ отправился в долгожданный круиз по Японскому морю",
                 "Впервые за два года жители Дальнего Востока пройдут путь из Владивостока в Донхэ и обратно.",
                 "Напомним, ранее паром «Eastern Dream»курсировал между Владивостоком, Донхэ и Сакаиминато с 2009 года еженедельно."):
        got = _found(text)
        assert ("Донхэ", DONGHAE) in got, (text, got)


def test_donghae_in_english():
    # real sentences of two travel blogs (eggbananatravels.com, 2016; saltwithyourcoffee.wordpress.com, 2015)
    text = ("This is a tale about taking the 23-hour ferry from Donghae, South Korea, to Vladivostok, Russia. "
            "It was extremely quiet in Donghae, the Korean port which hosts the weekly Japan-Korea-Russia ferry.")
    assert [m["gazetteer_id"] for m in G.geoparse_text(text) if m["surface"] == "Donghae"] == [DONGHAE, DONGHAE]
    got = _found("It’s overnight to Donghae, and another night to Sakaiminato.")
    assert ("Donghae", DONGHAE) in got
