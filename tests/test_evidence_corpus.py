"""The evidence finder on a folder of real articles about the corridors (tests/data/corridors: 59
excerpts from 46 outlets, 2011-2025, each naming its source, annotated by hand)."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from geo.evidence import DATELINE, _Scanner, status_of_hits, status_vocabulary
from layers.cli import app
from tests.corridor_corpus import FOLDER, measure

runner = CliRunner()


@pytest.fixture(scope="module")
def scored():
    return measure(FOLDER)


@pytest.fixture(scope="module")
def data():
    from geo.atlas import atlas_data

    return atlas_data(articles=FOLDER)


def _routes(data):
    return data.routes.routes.set_index("id")


def test_sentences_attached_to_routes_are_the_ones_a_reader_would_attach(scored):
    assert scored["quote_precision"] >= 0.9, [w for r in scored["routes"].values() for w in r["wrong"]]
    assert scored["quotes_twice_in_a_route"] == 0
    assert scored["corridor_share"] >= 0.8, scored["corridors_drawn_with_a_right_sentence"]


def test_the_ferry_is_backed_by_ferry_sentences_and_dated_by_its_opening(data):
    r = _routes(data).loc["rajin-vladivostok-ferry"]
    assert r.quotes and all("coal" not in q["text"].lower() for q in r.quotes)
    assert all(any(k in w.lower() for w in q["matched"] for k in ("ferry", "mangyongbong", "man gyong bong", "cruise"))
               for q in r.quotes)
    assert r.first_date == "2017-05"  # it opened in May 2017, not with the coal shipments of 2014
    hist = [(h["date"], h["status"]) for h in r.status_history]
    assert ("2017-09", "suspended") in hist and r.status == "existing"  # running cargo again in February 2018


def test_no_sentence_is_quoted_twice_in_a_route_though_a_caption_is_printed_twice(data):
    for rid, r in _routes(data).iterrows():
        keys = [(q["article"], " ".join(q["text"].split())) for q in r.quotes]
        assert len(keys) == len(set(keys)), rid


def test_the_corridors_since_2023_are_drawn_with_their_statuses(data):
    r = _routes(data)
    assert r.loc["tumen-road-bridge", "status"] == "under_construction"
    assert r.loc["tumen-road-bridge", "first_date"].startswith("2025")
    for rid in ("rajin-russia-munitions-sea-route", "russia-north-korea-military-rail", "russia-north-korea-oil-tankers",
                "russia-north-korea-passenger-rail"):
        assert r.loc[rid, "status"] == "existing", rid
    assert r.loc["rajin-russia-munitions-sea-route", "first_date"] >= "2023"
    assert r.loc["nakhodka-north-korean-coal", "status"] == "halted"  # "has all but disappeared from Nakhodka"
    assert set(r.index) >= {"rajin-china-coal", "china-tumen-sea-access"}
    from layers.popups import route_popup

    rec = data.routes.routes.set_index("id", drop=False).loc["tumen-road-bridge"]
    segs = data.routes.segments[data.routes.segments.route_id == "tumen-road-bridge"]
    assert "Course drawn from: End towns: curated gazetteer entries" in route_popup(rec, segs, data.by_id)


def test_every_supporting_sentence_is_kept_and_says_what_it_was_matched_on(data):
    from layers.popups import MAX_EVIDENCE_SHOWN, route_popup

    r = data.routes.routes.set_index("id", drop=False).loc["khasan-rajin-railway"]
    assert len(r.quotes) > MAX_EVIDENCE_SHOWN  # not cut at three
    scores = [q["score"] for q in r.quotes]
    assert scores == sorted(scores, reverse=True)
    segs = data.routes.segments[data.routes.segments.route_id == "khasan-rajin-railway"]
    popup = route_popup(r, segs, data.by_id)
    html = popup.split("<h4>Evidence")[1]  # (the status history above quotes some of them again)
    assert html.count('class="ta-quote"') == len(r.quotes)
    assert f"{len(r.quotes) - MAX_EVIDENCE_SHOWN} more supporting sentences" in html
    assert html.count("matched on: ") == len(r.quotes) and "not reviewed" in popup


def test_sites_show_on_a_users_corpus_with_their_sentences(data):
    sites = data.routes.sites.set_index("id")
    assert {"port-of-rajin", "rason-special-economic-zone", "tumen-rail-bridge"} <= set(sites.index)
    assert all("rajin" in q["text"].lower() or "najin" in q["text"].lower() for q in sites.loc["port-of-rajin", "quotes"])
    assert sites.loc["port-of-rajin", "evidence_source"] in ("automatic", "mixed")


def test_the_time_slider_tells_the_truth_on_this_corpus():
    from geo.atlas import atlas_data

    ferry = lambda d: _routes(d).loc["rajin-vladivostok-ferry"]  # noqa: E731
    assert "rajin-vladivostok-ferry" not in _routes(atlas_data(articles=FOLDER, as_of="2017-04")).index
    assert ferry(atlas_data(articles=FOLDER, as_of="2017-06")).status == "existing"
    assert ferry(atlas_data(articles=FOLDER, as_of="2017-10")).status == "suspended"
    bridge = _routes(atlas_data(articles=FOLDER, as_of="2025-04-20")).loc["tumen-road-bridge"]
    assert bridge.status == "planned"  # agreed, not yet begun (construction began on 30 April 2025)


def test_evidence_takes_site_ids_and_says_what_each_sentence_reports():
    r = runner.invoke(app, ["evidence", "port-of-rajin", "--articles", str(FOLDER), "--json", "-n", "50"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows and all(row["route_id"] == "port-of-rajin" for row in rows)
    r = runner.invoke(app, ["evidence", "tumen-road-bridge", "--articles", str(FOLDER)])
    assert r.exit_code == 0 and "matched on: " in r.stdout and "under_construction" in r.stdout


def test_suggest_drafts_the_corridors_no_entry_covers_as_catalogue_yaml(tmp_path):
    from geo.catalogue import Catalogue
    from geo.corpus import load_corpus
    from geo.verify import verify_catalogue

    r = runner.invoke(app, ["suggest", "--articles", str(FOLDER)])
    assert r.exit_code == 0, r.output
    draft = Catalogue.model_validate(yaml.safe_load(r.stdout))
    names = {x.name for x in draft.routes}
    assert any("Hunchun" in n and "Shanghai" in n for n in names), names  # coal by train, Hunchun to Shanghai
    assert verify_catalogue(draft, load_corpus(FOLDER)) == []  # every quote verbatim, every waypoint known
    covered = {(q.article, q.text) for rt in draft.routes for q in rt.evidence}
    assert not any("ferry" in t.lower() and "Vladivostok" in t and "Rajin" in t for _, t in covered)


def test_a_status_word_is_read_with_the_words_before_it():
    vocabulary = status_vocabulary()
    scanner = _Scanner(vocabulary)

    def status(t: str):
        return status_of_hits(t, 0, scanner.scan(t), vocabulary)[0]

    # sentences of the folder's articles
    assert status("The trilateral project for the construction of a gas pipeline from Russia to South Korea via "
                  "North Korea will be completed by 2017, the Ambassador of Russia in South Korea said.") == "planned"
    assert status("The ferry service, which started on May 18 and is the first between the two neighbors, has had "
                  "previous problems.") is None
    assert status("On Wednesday morning, Kim's armored train ultimately crossed the Russian border and stopped at "
                  "Khasan railway station, where he was treated with bread and salt by Russian officials.") is None
    assert status("Russia and North Korea have resumed regular passenger rail service, the state-run RIA Novosti news "
                  "agency reported Monday, citing a regional customs official.") == "existing"


def test_a_datelines_place_is_not_where_the_corridor_runs():
    for line, filed in [("SEOUL, South Korea (AP) — Recent satellite photos show", "SEOUL, South Korea (AP) —"),
                        ("MOSCOW | Xinhua | Direct international train service", "MOSCOW | Xinhua |"),
                        ("SEOUL, Nov. 16 (UPI) -- Russian coal is to be transported", "SEOUL, Nov. 16 (UPI) --")]:
        assert line[:DATELINE.match(line).end()] == filed
    assert DATELINE.match("Russia and North Korea - a new bridge") is None
    text = "x\n\nMOSCOW — Russia and North Korea on Wednesday began construction of a road bridge"
    assert DATELINE.match(text, 3).end() == text.index("—") + 1  # at a sentence's start inside an article
    assert DATELINE.match("DPRK-Russia rail traffic rose") is None and DATELINE.match("US-Russia talks") is None


def test_files_that_are_not_articles_are_skipped_by_every_command(tmp_path, caplog):
    import logging

    from geo.corpus import load_corpus

    with caplog.at_level(logging.INFO, logger="geo.corpus"):
        arts = load_corpus(FOLDER)
    assert "SOURCES.md" in caplog.text and not any(a.path.endswith("SOURCES.md") for a in arts)
    r = runner.invoke(app, ["geoparse", str(FOLDER / "*.md")])
    assert r.exit_code == 0, r.output
    assert not any(json.loads(x)["doc"].endswith("SOURCES.md") for x in r.stdout.splitlines())


def test_geoparse_never_reads_front_matter_and_keeps_the_files_offsets():
    f = FOLDER / "036-seatrade-tankers-russia-north-korea.md"
    text = f.read_text(encoding="utf-8")
    body_start = text.index("\n---\n", 4) + 5
    r = runner.invoke(app, ["geoparse", str(f)])
    assert r.exit_code == 0, r.output
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert recs and all(rec["start"] >= body_start for rec in recs)  # nothing from the title or outlet
    assert all(text[rec["start"]:rec["end"]] == rec["surface"] for rec in recs)
