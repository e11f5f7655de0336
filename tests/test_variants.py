"""English spellings of the region's names by rule, and things named like places kept off the map,
on real sentences (each with its page's URL)."""

from __future__ import annotations

from geo._variants import variants
from geo.geoparser import geoparse_text


def _found(text):
    return [(m["surface"], m["gazetteer_id"]) for m in geoparse_text(text)]


def test_romanisation_systems_make_the_variants():
    assert {"Khassan", "Hassan"} <= variants(["Khasan", "Hasan"], "RU")  # kh/h, French and German ss
    assert "Dunai" in variants(["Dunay"], "RU") and "Bolshoi Kamen" in variants(["Bolshoy Kamen"], "RU")
    assert "Ussuriisk" in variants(["Ussuriysk"], "RU")
    # McCune–Reischauer and Revised Romanization of North Korean names, North and South initial r/n
    assert "Seonbong" in variants(["Sŏnbong"], "KP") and "Sonbong" in variants(["Seonbong"], "KP")
    assert "Hongui" in variants(["Hongŭi"], "KP") and "Gimchaek" in variants(["Kimchaek"], "KP")
    assert "Cheongjin" in variants(["Ch'ŏngjin"], "KP") and "Jeongjin" not in variants(["Ch'ŏngjin"], "KP")
    assert "Nason" in variants(["Rason"], "KP") and "Punggyeri" in variants(["Punggye-ri"], "KP")
    # English words inside names are never respelt
    assert not any("Bort" in v or "Railwai" in v for v in variants(["Port of Rajin", "Trans-Siberian Railway"], "KP"))


# https://vestiprim.com/news/1343-due-to-kim-jong-un-train-coming-in-the-hassan-village-increased-security-measures.html
VESTIPRIM = """Due to Kim Jong-un train coming, in the Hassan village increased security measures

The border control officers are checking documents at the entrance to the village of Hassan, where the train of the North Korean leader Kim Jong-un is expected on Wednesday.

Primorsky Region is the only region of Russia which connects with North Korea.

The border runs along the Tumannaya river. The only way to cross the border is the railway bridge that connects the North Korean special economic zone Rason with Primorye Khasan region.

The railway connects the North Korean port of Rajin with Ussuriysk."""


def test_hassan_is_khasan_in_an_article_about_the_border():
    got = _found(VESTIPRIM)
    assert got.count(("Hassan", "khasan")) == 2
    assert ("Primorsky Region", "primorsky-krai") in got and ("Tumannaya", "tumen-river") in got


def test_a_respelling_that_is_a_persons_name_needs_the_documents_support():
    # https://english.aawsat.com/home/article/1068996/hariri-wissam-al-hassan-assassination-anniversary-his-murderers-will-pay-dearly
    text = ("He made his declaration during a ceremony in downtown Beirut to mark the occasion and which saw the naming of "
            "a street in the area in Hassan’s name.\n\nHariri said that he will take it upon himself, the state, ISF and all "
            "security forces to make sure that Hassan’s assassins are brought to justice.")
    got = _found(text)
    assert ("Beirut", "geonames:276781") in got and all(g != "khasan" for _, g in got)


def test_russian_transliterations_on_real_sentences():
    # https://tass.com/world/1055288
    got = _found("The armored train carrying North Korean leader Kim Jong-un has left the border station of Hasan and "
                 "is heading toward Ussuriysk, member of the Hasansky district's Duma Natalya Karpova told TASS on Wednesday.")
    assert ("Hasan", "khasan") in got and ("Ussuriysk", "ussuriysk") in got
    # https://xnico.com/?title=Far+Eastern+Railway
    got = geoparse_text("In 1941, they finished the construction of the Birobidzhan-Leninsk line and Partizansk-Nakhodka "
                        "section and commissioned the Smolyaninovo-Dunai, Partizansk-Sergeyevka, and Baranovsky-Gvozdevo lines.")
    assert [m["name"] for m in got if m["surface"] == "Dunai"] == ["Dunay"]
    # http://forum.railwayclub.info/index.php?topic=14056.0
    got = _found("Only on the next day (19th and 5th) at lunch time the sleeping-car crosses the border to North Korea to "
                 "Tumangan, from where it leaves in the evening attached to a domestic Korean train Tumangan – Pyongyang.")
    assert got.count(("Tumangan", "tumangang")) == 2


def test_korean_romanisations_on_real_sentences():
    # https://sagapedia.com/en/Hongui_station
    got = _found("Hongŭi station is a railway station in Hongŭi-ri, Sŏnbong, Rasŏn Special City, North Korea; it is the "
                 "junction point of the Hongŭi and Hambuk lines of the Korean State Railway.")
    assert ("Hongŭi station", "hongui-station") in got and ("Sŏnbong", "sonbong") in got
    # https://news.devevil.com/russia-and-north-korea-resume-regular-passenger-rail-service-586581.html (The Moscow Times)
    got = _found("In 2024, more than 1000 Russian tourists have visited North Korea, the Russian Consulate in Cheongjin "
                 "told the state-run TASS news agency in October.")
    assert ("Cheongjin", "chongjin") in got


def test_clocks_broadcasters_fleets_are_not_places():
    # https://news.devevil.com/russia-and-north-korea-resume-regular-passenger-rail-service-586581.html
    got = _found("A representative of the Far Eastern Railway said that the first train left the Khasan station Monday "
                 "at 8:30 am Moscow time. Two Russian citizens crossed the border.")
    assert ("Khasan station", "khasan") in got and all(s != "Moscow" for s, _ in got)
    # https://news1global.com/north-korea/view/424541
    got = _found("On July 10, Radio Free Asia (RFA) cited a report from the Russian daily Kommersant on July 9, stating, "
                 "“About 130,000 tons of Russian coal were exported to China through North Korea’s Najin Port in April and May.”")
    assert all(s != "Asia" for s, _ in got) and ("Najin Port", "rajin") in got
    # https://www.nineoclock.ro/2013/07/25/syrian-news-agency-head-has-not-been-contacted-by-the-%E2%80%98voice-of-russia%E2%80%99/
    got = _found("The head of the SANA News Agency declared (…) that he was not contacted by ‘The Voice of Russia’ and that "
                 "he did not know where Omar Hayssam was before being transferred to Romania.")
    assert ("Romania", "country:RO") in got and all(s != "Russia" for s, _ in got)
    # http://www.blackbenson.cn/english/2018-03/05/c_137017678.htm (Xinhua)
    got = _found("Russia posts Pacific Fleet to guard Kuril Islands military airfield: report")
    assert all(s != "Pacific" for s, _ in got)


def test_a_place_before_a_weekday_is_the_place():
    # http://www.cnn.com/2017/05/18/asia/ferry-russia-north-korea/index.html
    got = _found("The Man Gyong Bong ferry left the North Korean port city of Rason Wednesday and arrived in Russia's "
                 "Far Eastern city of Vladivostok at 8:00 am local time Thursday, according to Russian state news agency TASS.")
    assert ("Rason", "rason") in got and ("Vladivostok", "vladivostok") in got


def test_a_port_apart_from_its_city_and_a_province_by_its_head_word():
    # https://www.gem.wiki/Wrangel_Bay_(Coal_Exports)
    got = _found("Wrangel Bay is approximately 15 km southeast of the Port of Nakhodka, another major Russian coal export hub.")
    assert ("Wrangel Bay", "vostochny-port") in got and ("Port of Nakhodka", "nakhodka") in got
    # https://nknews.org/?p=936988
    got = _found("Alexei Kolmakov, head of the Novosibirsk Oblast construction ministry, said at a press conference that "
                 "the regional construction industry is experiencing labor shortages estimated at 4,500-5,000 workers.")
    assert ("Novosibirsk Oblast", "subdivision:RU-NVS") in got
    # http://csua.com/?entry=11715
    got = _found("On a tour of the Khasan district last week, Sergei Darkin, governor of Russias Primorye region, said "
                 "that he would take the North Koreans.")
    assert ("Primorye", "primorsky-krai") in got or ("Primorye region", "primorsky-krai") in got


def test_the_kind_before_a_name_chooses_its_sense():
    # https://viewusglobal.com/?p=75977
    got = _found("On Tuesday, Voice of America (VOA) reported that a North Korean tanker, which is subject to "
                 "international sanctions, recently entered a Russian port.\nAccording to the ship tracking website "
                 "MarineTraffic, the North Korean tanker CHON MA SAN arrived at the port of Vostochny in Russia’s Far "
                 "East early on Sunday and stayed until the following night.")
    assert ("Vostochny", "vostochny-port") in got and all(s != "America" for s, _ in got)
