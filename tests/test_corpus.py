from __future__ import annotations

from pathlib import Path

import pytest

from geo._errors import CorpusError
from geo.corpus import detect_chrome, load_corpus, read_article

IDS = [
    "calvo-cpi-2015", "edm-2014-russias-game", "kaliszuk-nee-2017", "stratfor-2014-pacific-push",
    "winstanley-chesters-conversation-2015",
]


def test_embedded_corpus_has_the_five_articles_with_metadata(corpus):
    assert [a.id for a in corpus] == IDS
    by = {a.id: a for a in corpus}
    assert by["kaliszuk-nee-2017"].meta.author == "Grzegorz Kaliszuk"
    assert by["kaliszuk-nee-2017"].meta.date == "2017-06-23"
    assert by["kaliszuk-nee-2017"].date_precision == "day"
    assert by["calvo-cpi-2015"].date_precision == "month"
    assert "inferred" in by["calvo-cpi-2015"].meta.notes.lower()
    assert by["edm-2014-russias-game"].meta.author is None
    for a in corpus:
        assert a.meta.language == "en"
        assert a.meta.outlet


def test_article_text_is_verbatim(corpus):
    # the body below the front matter is byte for byte the captured text
    a = {a.id: a for a in corpus}["stratfor-2014-pacific-push"]
    assert a.text.startswith("North Korean Talks Revive Russia's Pacific Push\n\n6 MINS READNov 26, 2014")
    assert a.text.endswith("complex global environment.")


@pytest.mark.parametrize(
    ("article", "line"),
    [
        ("kaliszuk-nee-2017", "Agencja digital: hauerpower studio krakow."),
        ("kaliszuk-nee-2017", "Poniższa Polityka Prywatności"),
        ("kaliszuk-nee-2017", "Terms of Use | Cookie policy"),
        ("kaliszuk-nee-2017", "Grzegorz Kaliszuk is an economic analyst"),
        ("calvo-cpi-2015", "Leave a Reply"),
        ("calvo-cpi-2015", "Alex Calvo is a guest professor at Nagoya University"),
        ("calvo-cpi-2015", "Your email address will not be published"),
        ("stratfor-2014-pacific-push", "Copyright © Stratfor Enterprises"),
        ("stratfor-2014-pacific-push", "6 MINS READ"),
    ],
)
def test_site_chrome_is_detected_and_kept_in_text(corpus, article, line):
    a = {a.id: a for a in corpus}[article]
    pos = a.text.index(line)
    assert a.is_chrome(pos, pos + len(line)), f"{line!r} not detected as chrome"


def test_article_body_is_not_chrome(corpus):
    a = {a.id: a for a in corpus}["calvo-cpi-2015"]
    pos = a.text.index("Russia exporting coal to South Korea through the North Korean port of Rajin")
    assert not a.is_chrome(pos, pos + 10)


def test_front_matter_overrides_chrome_detection(tmp_path: Path):
    f = tmp_path / "a.md"
    f.write_text(
        "---\nid: a\nchrome_keep: [Privacy of Rajin]\nchrome_extra: [Vladivostok daily]\n---\n"
        "Privacy of Rajin residents is a topic.\nVladivostok daily edition.\nBody about Khasan.\n",
        encoding="utf-8",
    )
    a = read_article(f)
    assert not a.is_chrome(0, 5)
    pos = a.text.index("Vladivostok daily")
    assert a.is_chrome(pos, pos + 5)
    assert [c.reason for c in a.chrome] == ["marked as chrome in front matter"]


def test_folder_without_front_matter_uses_first_line_as_title(tmp_path: Path):
    (tmp_path / "one.txt").write_text("\n  A headline about Rajin\n\nBody text.", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not an article", encoding="utf-8")
    arts = load_corpus(tmp_path)
    assert [a.id for a in arts] == ["one"]
    assert arts[0].title == "A headline about Rajin"
    assert arts[0].date_precision == "unknown"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"---\ntitle: [unclosed\n---\nbody", "front matter is not valid YAML"),
        (b"---\ntitle: x\nbody without end", "no closing '---'"),
        (b"---\ndate: 14 May 2014\n---\nbody", "date must be YYYY"),
        (b"---\nwho: me\n---\nbody", "who"),
        (b"---\n- a list\n---\nbody", "must be a mapping"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"text\x00with a NUL", "binary file"),
    ],
)
def test_bad_article_gets_clear_error_naming_the_file(tmp_path: Path, content: bytes, message: str):
    f = tmp_path / "broken.md"
    f.write_bytes(content)
    with pytest.raises(CorpusError) as ei:
        load_corpus(tmp_path)
    assert "broken.md" in str(ei.value)
    assert message in str(ei.value)


def test_duplicate_ids_and_empty_folder_are_errors(tmp_path: Path):
    with pytest.raises(CorpusError, match="no .md or .txt"):
        load_corpus(tmp_path)
    (tmp_path / "a.md").write_text("---\nid: same\n---\nx", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nid: same\n---\ny", encoding="utf-8")
    with pytest.raises(CorpusError, match="already used"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "missing")


def test_sentences_have_offsets_that_quote_the_text(corpus):
    for a in corpus:
        assert a.sentences
        for s, e in a.sentences:
            assert a.text[s:e] == a.text[s:e].strip()
            assert e > s
    a = {a.id: a for a in corpus}["kaliszuk-nee-2017"]
    pos = a.text.index("Rajin and Vladivostok")
    s, e = a.sentence_at(pos)
    assert a.text[s:e].startswith("In addition to the aforementioned near-$100 million trade balance")
    assert a.text[s:e].endswith("there are really no new initiatives.")


def test_detect_chrome_on_plain_text():
    text = "Rajin is a port.\nCopyright 2020 Example Ltd. All rights reserved.\n"
    spans = detect_chrome(text)
    assert [(text[c.start:c.end], c.reason) for c in spans] == [
        ("Copyright 2020 Example Ltd. All rights reserved.", "copyright line")
    ]


def test_a_long_paragraph_that_mentions_privacy_or_signing_up_is_not_chrome():
    prose = ("The Paris Public Library will offer a workshop for job seekers who wish to sign up for Illinois "
             "Skills Match, and officials said privacy concerns about the copyright of course material were "
             "settled before anyone could subscribe; the city of Springfield will host a second session in May.")
    assert len(prose) > 200 and detect_chrome(prose) == []
    notice = ("We use cookies to personalise content and ads, to provide social media features and to analyse our "
              "traffic. We also share information about your use of our site with our social media and advertising partners, who may combine it.")
    assert len(notice) > 200 and [c.reason for c in detect_chrome(notice)] == ["cookie or privacy notice"]
    rights = ("Copyright 2009 The Associated Press. All rights reserved. This material may not be published, "
              "broadcast, rewritten or redistributed in any form without the prior written permission of the news agency concerned.")
    assert len(rights) > 200 and [c.reason for c in detect_chrome(rights)] == ["copyright line"]


# ---------------------------------------------------------------- chrome never removes prose

def test_the_five_articles_in_one_file_keep_every_place(corpus, tmp_path):
    """A digest: the embedded articles concatenated, footers and all, give the places the separate
    files give (a footer used to run to the end of the text and swallow the stories after it)."""
    from geo.corpus import load_corpus
    from geo.places import mentions_from_articles

    separate = set().union(*(set(mentions_from_articles([a])["place_id"]) for a in corpus))
    (tmp_path / "digest.txt").write_text("\n\n".join(a.text for a in corpus), encoding="utf-8")
    together = set(mentions_from_articles(load_corpus(tmp_path))["place_id"])
    assert separate <= together, sorted(separate - together)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = ("the railway from the port of the city to the border was rebuilt and reopened in the spring while "
          "officials in the capital said that the new line would carry coal and containers to ships waiting "
          "in the harbour for buyers across the region as trade with its neighbours grew again").split()
FURNITURE = [
    "Leave a reply", "Leave a Comment", "Terms of use", "Article search", "Cookies settings", "Save settings",
    "Copyright 2017 Example Media. All rights reserved.", "Share this:", "Related posts", "Subscribe to our newsletter",
    "Text resize", "Change contrast", "5 min read", "Your email address will not be published.", "* * *", "|", "Photo: Reuters",
]
prose_line = st.lists(st.sampled_from(_WORDS), min_size=30, max_size=60).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(prose_line.map(lambda p: ("prose", p)), st.sampled_from(FURNITURE).map(lambda f: ("chrome", f))),
                min_size=1, max_size=40))
def test_chrome_detection_never_removes_a_prose_line(blocks):
    from geo.corpus import detect_chrome

    text = "\n".join(t for _, t in blocks) + "\n"
    spans = detect_chrome(text)
    pos = 0
    for kind, line in blocks:
        start, end = pos, pos + len(line)
        pos = end + 1
        if kind == "prose":
            hit = [c for c in spans if c.start < end and start < c.end]
            assert not hit, (line[:60], hit)


_ODD_LINE = st.lists(st.sampled_from(list("abcdeghilnorst İIΣσς,.'’-éÄ") + ["the ", " of ", " and ", " a "]), max_size=300).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ODD_LINE)
def test_non_english_judges_a_line_alike_with_or_without_its_lowered_form(line):
    """Chrome detection lowers each line once and hands it on; a line whose lowered form is longer
    (İ lowers to two characters) or whose sigmas lower by context is judged as from its own text."""
    from geo.chrome import _non_english

    assert _non_english(line, line.lower()) == _non_english(line)
