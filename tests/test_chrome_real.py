"""Site chrome both ways, on lines of real pages about the corridors: furniture (donation appeals,
ad slots, links to other stories ("READ MORE: …", "See also …", "More news: …"), comment widgets and
sharing buttons, Korean and Russian reprint notices and prompts) is excluded; captions that name places,
with or without their credit, and prose in English, Russian and Korean are kept."""

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
    # photo captions that name places, with or without their credit: prose
    # https://mouonekorea.wordpress.com/2012/10/19/the-special-economic-zone-of-rason/ (the port's piers)
    "Construction continues on piers 1 and 2 in Rajin port, North Korea, part of Rason Special Economic Zone. Photo taken on August 20th, 2012. Photo credit Associated Press.",
    # https://www.reuters.com/news/picture/north-korean-leader-kim-jong-un-arrives-idUSRTX6SYNJ
    "North Korean leader Kim Jong Un arrives at the railway station in the Russian far-eastern city of Vladivostok, Russia, April 24. REUTERS/Shamil Zhumatov",
    "North Korean leader Kim Jong Un attends a meeting with Russian officials upon his arrival in the far eastern settlement of Khasan. Press Service of Administration of Primorsky Krai/via REUTERS",
    # https://today.thefinancialexpress.com.bd/world/putin-kim-sign-strategic-partnership-treaty-1718808236?amp=true
    "Pyongyang : In this pool photograph distributed by the Russian state agency Sputnik, Russian President Vladimir Putin (L) shakes hands with North Korea's leader Kim Jong Un (R) after a signing ceremony following their bilateral talks at Kumsusan state residence in Pyongyang, on Wednesday. — AFP",
    # https://www.rawstory.com/2019/04/north-koreas-kim-arrives-russias-vladivostok-putin-summit/ (the credit first)
    "AFP / Janis LATVELS Talks between North Korean leader Kim Jong Un and Russia’s President Vladimir Putin are to take place in Vladivostok on April 25",
    # https://en.radiofarda.com/a/ferry-service-launches-north-korea-russia-vladivostok-despite-us-demands-downgrade-relations/28497473.html
    "The North Korean ferry, the Mangyongbong, docks in Vladivostok.",
    # http://sacredheartspectrum.com/2017/05/new-ferry-links-north-korea-and-russia-despite-us-calls-for/
    "North Korean ferry Man Gyong Bong-92 anchors at the central pier of the Niigata port, 250 kilometres (155 miles) north of Tokyo, 04 September 2003.",
    # http://www.sptimes.ru/index.php?action_id=2&story_id=38231 (its credit, on the next line, is furniture)
    "North Koreans applauding at the opening ceremony of the rail link that will connect the reclusive nation to Russia.",
    # https://mapp.nocutnews.co.kr/news/4004303 and https://m.nocutnews.co.kr/news/4514324
    "러시아 하산-라진항 철도 개통일때 촬영한 라진항 모습(사진=러시아소리 방송)",
    "훈춘과 나진을 연결하는 취안허 통상구(사진=안윤석 대기자)",
    # http://www.kado.net/news/articleView.html?idxno=1131941
    "▲ 두원상선의 국제카페리 ‘이스턴드림호’ 운항 모습",
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
    # https://www.nknews.org/2025/05/ferry-could-link-russian-far-east-to-north-koreas-wonsan-kalma-resort-envoy/
    "Get behind the headlines",
    "Get the Daily Update",
    # http://www.cnn.com/2017/05/18/asia/ferry-russia-north-korea/index.html
    "Updated 1:35 AM ET, Thu May 18, 2017",
    # https://tatar-inform.com/news/v-rossiyu-pribyl-pervyy-gruzopassazhirskiy-parom-iz-severnoy-korei-553610 (an ad slot)
    "news_header_top_970_100",
    # https://www.joongang.co.kr/article/4146244 (the ad slots closing the page)
    "ADVERTISEMENT",
    # https://www.donga.com/news/amp/all/20150414/70685924/1 (an ad slot: "ad loading")
    "광고 로드중",
    # links to other stories, naming places that are not the article's
    # https://www.rt.com/news/388760-ferry-service-north-korea-russia/
    "READ MORE: With us or against us: Haley threatens other countries with sanctions over North Korea",
    # http://top10mobilespecs.com/2017/05/19/north-korea-ferry-service-docks-in-russia-on-inaugural-trip/
    "More news: Does US believe Western Wall is in Israel?",
    # https://www.breakinglatest.news/world/kim-jong-un-departs-for-russia-on-heavily-armored-private-train-for-meeting-with-putin/
    'See also  Musk against the smart working of Tesla managers: "They work in the office for at least 40 hours"',
    "You may also like",
    # https://successdigestonline.com/kim-jong-un-arrives-in-russia-to-meet-putin-as-us-threatens-sanctions
    "Continue reading…",
    "You May Also Like",
    # https://www.infobalkans.com/2024/06/19/putin-and-kim-jong-un-sign-landmark-strategic-pact-pyongyang
    "Continue reading on:",
    # comment widgets, sharing and following buttons, a site's lists of stories
    # https://sputniknews.com/asia/201704211052836167-japan-russia-china-cargo/
    "All comments",
    "Show new comments (0)",
    # https://rumble.com./v3h331d-why-is-kim-jong-un-traveling-to-russia-by-train.html
    "Loading 4 comments...",
    # https://www.roundnews.com/world/international/8581-north-korean-leader-kim-jong-un-will-meet-thursday-the-president-putin.html
    "Please enter your comment!",
    "Please enter your name here",
    # https://www.rawstory.com/2019/04/north-koreas-kim-arrives-russias-vladivostok-putin-summit/
    "Connect with us",
    # http://www.sptimes.ru/index.php?action_id=2&story_id=38231
    "Follow sptimesonline on Facebook Follow sptimesonline on Twitter Follow sptimesonline on RSS",
    "MOST READ",
    "PARTNER NEWS",
    "Print this article Print this article",
    "Photo: Yury Maltsev / SPT",
    # https://www.upi.com/Top_News/World-News/2016/03/02/Russian-economic-interests-wont-be-hit-by-North-Korea-sanctions/3781456973673/
    "share with facebook",
    "share with twitter",
    "Sign up for our weekly Korea Now newsletter",
    # https://thelocalread.com/kim-jong-un-in-russia-travel-by-luxury-armored-train/
    "Popular content",
    "Latest article",
    "More article",
    # https://www.taipeitimes.com/News/world/archives/2019/04/25/2003714023 (a credit alone, though it names a place)
    "Photo: AFP / Press Service of Administration of Primorsky Krai / Alexander Safronov",
    # https://news.rthk.hk/rthk/en/component/k2/1758112-20240619.htm
    "_____________________________",
    "Last updated: 2024-06-19 HKT 17:50",
    # https://mapp.nocutnews.co.kr/news/4004303
    "실시간 랭킹 뉴스",
    "이 시각 추천뉴스를 확인하세요",
    # http://www.kado.net/news/articleView.html?idxno=1131941
    "저작권자 © 강원도민일보 무단전재 및 재배포 금지",
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
