"""Site chrome both ways, on lines of real pages about the corridors: furniture (donation appeals,
"Advertisement"-style slots, "Also on"/"Read more" prompts, Korean and Russian reprint notices and
prompts) is excluded; captions and prose in English, Russian and Korean are kept."""

from __future__ import annotations

import pytest

from geo import chrome as C

PROSE = "\n".join([
    # https://www.taipeitimes.com/News/world/archives/2017/12/05/2003683475
    "On the very next dock, about 2 million tonnes of Russian coal has come in by train and been shipped on to China this year by Russian port operator RasonConTrans.",
    # http://www.cnn.com/2017/05/18/asia/ferry-russia-north-korea/index.html (a photo caption)
    "The Man Gyong Bong passenger boat arrives in Vladivostok in the Russian Far East on May 18, 2017.",
    # http://roadconstruction.einnews.com/country/ukraine (an AP photo caption)
    "This photo provided by the North Korean government, shows a a ground-breaking ceremony on Wednesday for the construction of a bridge between North Korea and Russia, in Rason Municipality, North Korea.",
    # https://nocutnews.co.kr/news/4474943 (a caption with its credit)
    "나진항에서 러시아 석탄을 선적하는 모습(사진=통일부)",
    # https://nocutnews.co.kr/news/4474943
    "북한과 러시아는 나진-하산 철도를 통해 운송한 시베리아산 석탄을 올 상반기에만 16차례나 선박을 통해 한국, 중국으로 반출했다.",
    # http://www.interfax-russia.ru/FarEast/news.asp?id=835276&sec=1671&p=9
    "Судно, которое по расписанию должно было пришвартоваться у Морского вокзала Владивостока в 7:00 местного времени, прибыло в 8:40.",
    # https://www.newsis.com/view/NISX20230322_0002235720 (a caption, its credit in brackets)
    "[서울=뉴시스]확장공사중인 북한 순천 군공항 인공위성 사진. (출처=비욘드 패럴렐) 2022.7.14. *재판매 및 DB 금지",
])

FURNITURE = [
    # https://themoscowtimes.com/2024/11/01/north-korea-launches-weekly-ferry-service-to-russias-far-east (donation appeal)
    "A Message from The Moscow Times:",
    "Dear readers,",
    "Your support, no matter how small, makes a world of difference. If you can, please support us monthly starting from just $2. It's quick to set up, and every contribution makes a significant impact.",
    "By supporting The Moscow Times, you're defending open, independent journalism in the face of repression. Thank you for standing with us.",
    "Remind me later.",
    # https://www.themoscowtimes.com/2017/05/18/north-korea-launches-weekly-ferry-service-to-russias-far-east-a58021
    "Support The Moscow Times!",
    "Read more",
    # https://lite.poandpo.com/news/north-koreas-new-ferry-service-makes-first-trip-to-russia-1952017723/ (an ad slot)
    "Article continues below",
    "What to read next",
    # https://www.coalage.com/world-news/north-korean-coal-piles-up/
    "Read the Whole Article in our Digital Edition",
    # https://www.daily8.com/en/article/8a57f4b08ff8b1013dd38691a31f4f5d
    "No comments yet...",
    "Related Articles",
    # https://www.asiapress.org/rimjin-gang/2025/09/photo/progressing
    "RECOMMENDATIONS",
    # https://www.taipeitimes.com/News/world/archives/2017/12/05/2003683475 (a credit alone)
    "Photo: AFP",
    # http://www.tongilnews.com/news/articleView.html?idxno=120817
    "저작권자 © 통일뉴스 무단전재 및 재배포 금지",
    # https://www.segye.com/newsView/20110909000878
    "[ⓒ 세계일보 & Segye.com, 무단전재 및 재배포 금지]",
    # https://wowtv.co.kr/NewsCenter/News/Read?articleId=X20140410075308
    "관련뉴스",
    # https://m.mbn.co.kr/news/world/1077572
    "MBN APP 다운로드",
    "기사에 대해 의견을 남겨주세요.",
    # http://img.kukinews.com/article/view/kuk202306280293
    "유채리 기자 cyu@kukinews.com",
    # http://ria-primorye.ru/rossija/2017-04-20/severokorejskij-port-radzhin-i-vladivostok
    "Источник: newsvl.ru",
    # https://ommn.ru/18703/vo-vladivostok-pribyl-pervyj-teplohod-iz-kndr-2.html
    "Обсуждение закрыто.",
    # http://usetrans.com/rf-otkryla-morskoe-soobshhenie-s-severnoj-koreej.html
    "Следующая новость",
    # https://obzor.city/amp/37211
    "Читать полную версию",
    # https://tatar-inform.com/news/v-rossiyu-pribyl-pervyy-gruzopassazhirskiy-parom-iz-severnoy-korei-553610 (an ad slot)
    "news_header_top_970_100",
]


@pytest.fixture(params=["compiled", "python"])
def scanner(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(C, "_SCAN", C._scan_python)
    else:
        from .compiled import require_compiled

        require_compiled()
        monkeypatch.setattr(C, "_SCAN", None)
    return request.param


def _chrome_lines(text):
    return {text[c.start:c.end] for c in C.detect_chrome(text)}


def test_prose_and_captions_are_kept(scanner):
    assert _chrome_lines(PROSE) == set()


def test_furniture_is_excluded(scanner):
    # each line between two lines of prose, so no footer rule decides for it
    lines = PROSE.splitlines()
    for line in FURNITURE:
        text = "\n".join([lines[0], line, lines[1]])
        assert _chrome_lines(text) == {line}, line


def test_a_caption_with_a_copyright_credit_is_prose_and_a_notice_is_not():
    # the shape of a caption that names the port's piers, with its credit: prose
    assert not C.detect_chrome("Coal is loaded onto a bulk carrier at Pier 3 of Rajin port, which Russia leased. © RasonConTrans")
    assert C.detect_chrome("Copyright © 2017 The Moscow Times. All rights reserved.")


def test_russian_and_korean_prose_is_not_foreign_boilerplate():
    ru = "Тем самым открыт международный транспортный коридор по перевозке грузов через железнодорожный пограничный переход Хасан (РФ) — Туманган (КНДР)."
    ko = "러시아 인테르팍스 통신이 27일(현지시간) 보도한 바에 따르면 러시아는 북한에 나진-하산 철도를 통한 수송을 확대하기 위한 방법을 제시했다."
    assert not C._non_english(ru) and not C._non_english(ko)
    # a Polish privacy notice (the embedded corpus's) stays foreign boilerplate
    pl = "Poniższa Polityka Prywatności – klauzule informacyjne dotyczące przetwarzania danych osobowych w związku z korzystaniem z serwisu internetowego"
    assert C._non_english(pl)
