from __future__ import annotations

import shutil

from click.testing import CliRunner

from geo.corpus import default_articles_dir, load_corpus
from geo.evidence import evidence_for_route
from geo.places import mentions_from_articles
from geo.catalogue import load_catalogue
from layers.cli import app

CAT = {r.id: r for r in load_catalogue().routes}


def test_catalogue_quotes_are_found_automatically(corpus, mentions):
    df = evidence_for_route(CAT["rajin-coal-shipping"], corpus, mentions)
    top = df.head(2)
    assert top.in_catalogue.all()
    assert {"calvo-cpi-2015", "stratfor-2014-pacific-push"} == set(top.article_id)
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert df.score.is_monotonic_decreasing


def test_each_route_with_place_names_finds_its_own_evidence(corpus, mentions):
    # (the Trans-Siberian's one quote names no place of its eastern section: its cues do not take it)
    for rid in ("khasan-rajin-railway", "russia-korea-gas-pipeline", "energy-bridge", "rajin-vladivostok-ferry",
                "khabarovsk-vladivostok-highway"):
        df = evidence_for_route(CAT[rid], corpus, mentions)
        assert df.in_catalogue.any(), rid


def test_sentences_without_kind_words_or_places_are_not_evidence(corpus, mentions):
    df = evidence_for_route(CAT["rajin-vladivostok-ferry"], corpus, mentions)
    for _, r in df.iterrows():
        assert r.kind_words
        assert r.places


def test_a_new_article_brings_new_evidence(tmp_path):
    for f in default_articles_dir().glob("*.md"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "new.md").write_text(
        "---\nid: new-report\ntitle: Ferry news\ndate: 2024-05-01\n---\n"
        "A second ferry now sails between Rajin and Vladivostok every week.\n",
        encoding="utf-8",
    )
    arts = load_corpus(tmp_path)
    df = evidence_for_route(CAT["rajin-vladivostok-ferry"], arts, mentions_from_articles(arts))
    new = df[df.article_id == "new-report"]
    assert len(new) == 1 and not new.in_catalogue.iloc[0]
    assert new.text.iloc[0].startswith("A second ferry")


def test_cli_evidence():
    r = CliRunner().invoke(app, ["evidence", "rajin-vladivostok-ferry"])
    assert r.exit_code == 0
    assert "*" in r.stdout and "four times a month" in r.stdout
    r = CliRunner().invoke(app, ["evidence", "nope"])
    assert r.exit_code == 2 and "unknown route or site 'nope'" in r.output


def test_a_users_folder_draws_routes_from_evidence_found_automatically(tmp_path):
    from geo.atlas import atlas_data
    from layers.popups import route_popup

    (tmp_path / "note.md").write_text(
        "---\nid: note\ntitle: Field note\n---\nThe ferry left Rajin for Vladivostok with timber.\n\nIt rained.\n",
        encoding="utf-8",
    )
    data = atlas_data(articles=tmp_path)
    routes = data.routes.routes.set_index("id")
    assert list(routes.index) == ["rajin-vladivostok-ferry"]  # nothing else has evidence here
    r = routes.loc["rajin-vladivostok-ferry"]
    assert r.evidence_source == "automatic"
    assert [q["text"] for q in r.quotes] == ["The ferry left Rajin for Vladivostok with timber."]
    assert r.figures == []  # the catalogue's stated figures come from articles not in this folder
    segs = data.routes.segments[data.routes.segments.route_id == "rajin-vladivostok-ferry"]
    row = data.routes.routes.set_index("id", drop=False).loc["rajin-vladivostok-ferry"]
    popup = route_popup(row, segs, {a.id: a for a in data.articles})
    assert "found automatically" in popup and "not reviewed" in popup
    assert data.routes.sites.empty


def test_the_embedded_catalogue_over_its_own_articles_uses_only_its_quotes(corpus):
    from geo.routes import routes_from_catalogue

    rl = routes_from_catalogue(corpus)
    assert set(rl.routes.evidence_source) == {"catalogue"}


def test_the_cue_scanner_finds_whole_phrases_across_dashes_and_spaces_in_one_pass():
    from geo.evidence import _Scanner, _key

    sc = _Scanner([_key(w) for w in ("Khasan-Rajin", "rail", "rail line", "Tumangang-Khasan", "istanbul")])
    text = "The Khasan – Rajin rail\nline, railways and the Tumangang –Khasan crossing; İstanbul."
    found = [(h.group(0), h.key) for h in sc.scan(text)]
    assert ("Khasan – Rajin", "khasan rajin") in found and ("Tumangang –Khasan", "tumangang khasan") in found
    assert ("rail\nline", "rail line") in found and ("rail", "rail") in found  # both; each group keeps the longest
    assert not any(g.startswith("railways") for g, _ in found)  # whole words only
    assert all(text[h.start():h.end()] == h.group(0) for h in sc.scan(text))  # offsets into the text as given


def test_russian_and_korean_sentences_support_their_corridors_with_their_statuses(tmp_path):
    """Real sentences of Russian and Korean news (tests/data/ru_ko, each with its source): their
    places come from the geoparser in any inflected form, their cue and status words from the
    catalogue (a Russian stem marked *, Korean words taking their particles)."""
    import json

    from geo.catalogue import load_catalogue
    from geo.evidence import find_support

    lines = {}
    for lang in ("ru", "ko"):
        with open(f"tests/data/ru_ko/{lang}.jsonl", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                lines[f"{lang}{i:02d}"] = json.loads(line)["text"]
    want = {  # sentence -> (corridor, status it reports)
        "ru22": ("rajin-vladivostok-ferry", "existing"),   # Паром ... прибыл во Владивосток
        "ko49": ("rajin-vladivostok-ferry", "existing"),   # 만경봉 호 ... 블라디보스토크 항에 도착했습니다
        "ru06": ("rajin-coal-shipping", "existing"),       # ... в южнокорейском порту Пхохан ... угля ... доставлена
        "ru13": ("rajin-coal-shipping", "planned"),        # ... с российским углем планируется отправить ...
        "ru38": ("tumen-road-bridge", "under_construction"),  # Строительство первого автомобильного моста ...
        "ko26": ("russia-korea-gas-pipeline", "planned"),  # ... 가스관 ... 프로젝트를 추진 중이다
    }
    for key, text in lines.items():
        if key in want or key in ("ru30", "ko52"):  # and two that only name the port's city
            (tmp_path / f"{key}.md").write_text(f"---\nid: {key}\nlanguage: {key[:2]}\n---\n{text}\n", encoding="utf-8")
    arts = load_corpus(tmp_path)
    cat = load_catalogue()
    sup = find_support(cat.routes, arts, mentions_from_articles(arts))
    found = {(x.article_id, rid): x.status for rid, xs in sup.items() for x in xs}
    for key, (rid, status) in want.items():
        assert found.get((key, rid), "missing") == status, (key, rid)
    assert not any(a in ("ru30", "ko52") for a, _ in found)
