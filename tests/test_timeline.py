"""What was known when: dates, views as of a date, statuses over time (geo/timeline.py, --as-of)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geo.atlas import atlas_data
from geo.timeline import date_key, parse_as_of, published_by
from layers.cli import app

from .as_of_cases import AS_OF_CASES, VARIANT_RULE

runner = CliRunner()


@pytest.mark.parametrize(("date", "as_of", "counts"), AS_OF_CASES)
def test_published_by_compares_at_the_coarser_precision(date, as_of, counts):
    """The table tests/test_browser.py runs through the page's TumenAtlas.publishedBy too."""
    assert published_by(date, as_of) is counts


def test_the_as_of_rule_is_data_that_published_by_and_the_page_read(monkeypatch):
    """published_by interprets AS_OF_RULE (changing it there changes the outcomes), and the page's
    data document carries that same table as ``as_of_rule``."""
    from geo import timeline
    from layers.content import page_content

    def outcomes():
        return [published_by(d, t) for d, t, _ in AS_OF_CASES]

    assert outcomes() == [c for _, _, c in AS_OF_CASES]
    for key, value in VARIANT_RULE.items():
        monkeypatch.setitem(timeline.AS_OF_RULE, key, value)
    changed = outcomes()
    assert changed == [published_by(d, t, VARIANT_RULE) for d, t, _ in AS_OF_CASES]
    assert changed != [c for _, _, c in AS_OF_CASES]
    assert published_by(None, "2015") and not published_by("2015", "")  # undated counts; no as-of, nothing
    assert published_by("2015", "2015-01") and not published_by("2015-06", "2015")  # a year is its start
    assert published_by("2015-06-30", "2015-06-01")  # no day precision: days count by their month
    app = json.loads(page_content(atlas_data(), title="t").app_json)
    assert app["as_of_rule"] == VARIANT_RULE


def test_dates_sort_year_before_its_months_and_undated_last():
    dates = ["2015-02", None, "2014-11-26", "2015", "2014-05"]
    assert sorted(dates, key=date_key) == ["2014-05", "2014-11-26", "2015", "2015-02", None]


@pytest.mark.parametrize("bad", ["15", "2015-6", "June 2015", "2015-02-30x"])
def test_a_bad_as_of_date_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_as_of(bad)


@pytest.mark.parametrize("bad, why", [("2015-13", "no month 13"), ("2015-00", "no month 0"),
                                      ("2015-02-30", "February 2015 has no day 30"), ("2014-13-45", "no month 13"),
                                      ("2015-04-31", "April 2015 has no day 31"), ("2015-01-00", "no day 0")])
def test_an_impossible_as_of_date_says_what_is_wrong(bad, why):
    with pytest.raises(ValueError, match=f"not a real date: .*{why}"):
        parse_as_of(bad)
    assert parse_as_of("2016-02-29") == "2016-02-29"


@pytest.fixture(scope="module")
def views():
    return {d: atlas_data(as_of=d) for d in ("2014-06", "2015-06")} | {"latest": atlas_data()}


def _status(data) -> dict:
    return dict(zip(data.routes.routes["id"], data.routes.routes["status"]))


def test_as_of_2014_06_only_the_may_2014_article_counts(views):
    v = views["2014-06"]
    assert [a.id for a in v.articles] == ["edm-2014-russias-game"]
    st = _status(v)
    assert "rajin-vladivostok-ferry" not in st  # first reported in 2017
    assert "rajin-coal-shipping" not in st and "trans-siberian-railway-east" not in st
    assert st["russia-korea-gas-pipeline"] == "proposed" and st["khasan-rajin-railway"] == "refurbished"
    quotes = {q["article"] for qs in v.routes.routes["quotes"] for q in qs}
    assert quotes == {"edm-2014-russias-game"}  # no quote from a later article
    assert set(v.mentions["article_id"]) == {"edm-2014-russias-game"}
    assert v.places["mention_count"].sum() == len(v.mentions)
    assert "vladivostok" not in set(v.places["place_id"])  # only later articles name it


def test_as_of_2015_06_coal_is_shipped_and_the_pipeline_is_still_proposed(views):
    v = views["2015-06"]
    assert {a.id for a in v.articles} == {"edm-2014-russias-game", "stratfor-2014-pacific-push", "calvo-cpi-2015",
                                          "winstanley-chesters-conversation-2015"}  # "2015" counts by its year
    st = _status(v)
    assert st["rajin-coal-shipping"] == "existing"  # planned in Nov 2014, shipped by Feb 2015
    assert st["russia-korea-gas-pipeline"] == "proposed"
    assert "rajin-vladivostok-ferry" not in st and "north-korean-rail-modernisation" not in st


def test_the_latest_view_is_everything_and_the_pipeline_was_promised_in_2017(views):
    v = views["latest"]
    st = _status(v)
    assert st["rajin-vladivostok-ferry"] == "existing" and st["russia-korea-gas-pipeline"] == "planned"
    r = v.routes.routes.set_index("id").loc["rajin-coal-shipping"]
    assert [(h["date"], h["status"]) for h in r.status_history] == [("2014-11-26", "planned"), ("2015-02", "existing")]
    assert r.first_date == "2014-11-26"
    for qs in v.routes.routes["quotes"]:
        assert [q["date"] for q in qs] == sorted((q["date"] for q in qs), key=date_key)


def test_as_of_2014_12_the_coal_shipment_is_planned():
    st = _status(atlas_data(as_of="2014-12"))
    assert st["rajin-coal-shipping"] == "planned"


def test_a_status_that_is_not_the_latest_reported_is_an_error(tmp_path, corpus):
    from geo._errors import CatalogueError
    from geo.routes import routes_from_catalogue

    f = tmp_path / "routes.yaml"
    f.write_text(
        "version: 1\nroutes:\n  - id: coal\n    name: Coal\n    kind: sea_route\n    status: planned\n    summary: x\n"
        "    segments: [{path: [rajin, pohang], course: inferred, why: drawn for the test}]\n"
        "    evidence: [{article: calvo-cpi-2015, text: \"Russia exporting coal to South Korea\"}]\n"
        "    status_history:\n"
        "      - {status: planned, quote: {article: stratfor-2014-pacific-push, text: \"Moscow is also about to carry out a trial shipment\"}}\n"
        "      - {status: existing, quote: {article: calvo-cpi-2015, text: \"Russia exporting coal to South Korea\"}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="status is 'planned' but the latest reported status .*calvo-cpi-2015.* is 'existing'"):
        routes_from_catalogue(corpus, f)


def test_cli_as_of_on_routes_places_build_and_export(tmp_path):
    r = runner.invoke(app, ["routes", "--as-of", "2014-06"])
    assert r.exit_code == 0, r.output
    ids = {f["id"] for f in json.loads(r.stdout)["features"]}
    assert "rajin-vladivostok-ferry" not in ids and "khasan-rajin-railway" in ids
    r = runner.invoke(app, ["places", "--as-of", "2014-06", "--format", "json"])
    assert {p["articles"] for p in json.loads(r.stdout)} == {"edm-2014-russias-game"}
    out = tmp_path / "m.html"
    r = runner.invoke(app, ["build", "--as-of", "2015-06", "--out", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert '"as_of":"2015-06"' in html.replace(" ", "") and "Rajin–Vladivostok ferry" not in html
    svg = tmp_path / "m.svg"
    r = runner.invoke(app, ["export", "--as-of", "2015-06", "--svg", str(svg)])
    assert r.exit_code == 0, r.output
    assert "as of 2015-06" in svg.read_text(encoding="utf-8")
    r = runner.invoke(app, ["routes", "--as-of", "2013"])
    assert r.exit_code == 2 and "no article was published by 2013" in r.output
    r = runner.invoke(app, ["build", "--as-of", "2015-6", "--out", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and "YYYY-MM" in r.output and not (tmp_path / "x.html").exists()
    for cmd in (["build", "--out", str(tmp_path / "x.html")], ["places"], ["routes"], ["export", "--csv", str(tmp_path / "q.csv")]):
        r = runner.invoke(app, [*cmd, "--as-of", "2015-02-30"])  # a usage error, before any work
        assert r.exit_code == 2 and "Invalid value for '--as-of'" in r.output and "February 2015 has no day 30" in r.output
        assert "Traceback" not in r.output and not list(tmp_path.glob("[xq].*"))


# ------------------------------------------------------------------ claims compared


def test_claims_stated_by_several_articles_are_compared(views):
    claims = {c["id"]: c for c in views["latest"].routes.claims}
    debt = claims["north-korea-debt-written-off"]
    assert debt["verdict"] == "agree" and debt["articles"] == 2
    assert [s["date"] for s in debt["statements"]] == ["2014-05", "2017-06-23"]  # in date order
    assert "10 of 11 billion" in debt["statements"][1]["as_stated"]  # a derived value says how
    trade = claims["russia-north-korea-trade"]
    assert trade["verdict"] == "disagree" and [s["value"] for s in trade["statements"]] == [85e6, 100e6]
    # as of 2015-06 only the 2014 article speaks of the debt: nothing to compare
    early = {c["id"]: c for c in views["2015-06"].routes.claims}
    assert early["north-korea-debt-written-off"]["verdict"] == "one statement"
    assert "russia-north-korea-trade" not in early


def test_a_disagreement_between_two_articles_is_shown_in_the_popup_and_noted_by_check(tmp_path, corpus):
    from geo.routes import routes_from_catalogue
    from layers.popups import claims_html

    f = tmp_path / "routes.yaml"
    f.write_text(
        "version: 1\nroutes:\n  - id: rail\n    name: Rail\n    kind: railway\n    status: proposed\n    summary: x\n"
        "    segments: [{path: [khasan, rajin], course: inferred, why: drawn for the test}]\n"
        "    evidence: [{article: kaliszuk-nee-2017, text: \"a recently opened ferry service\"}]\n"
        "claims:\n  - id: debt\n    label: debt written off\n    unit: USD\n    related: [rail]\n    statements:\n"
        "      - {value: 10000000000, quote: {article: kaliszuk-nee-2017, text: \"North Korea’s $10 billion debt was remitted\"}}\n"
        "      - {value: 11000000000, quote: {article: edm-2014-russias-game, text: \"Moscow has written off 90 percent of North Korea’s debt\"}}\n",
        encoding="utf-8",
    )
    rl = routes_from_catalogue(corpus, f)
    (c,) = rl.claims
    assert c["verdict"] == "disagree" and c["articles"] == 2
    html = claims_html([c], {a.id: a for a in corpus})
    assert "These disagree (2 articles)." in html and "$10 billion" in html and "$11 billion" in html
    assert html.index("2014-05") < html.index("2017-06-23")  # each statement with its article's date, in date order
    r = runner.invoke(app, ["check", "--routes", str(f)])
    assert r.exit_code == 0 and "note: claim debt (debt written off): the statements disagree" in r.stdout


def test_gis_mentions_are_dated_and_in_date_order(views):
    from layers.export import gis_layers

    m = gis_layers(views["latest"])["mentions"]
    assert {"article_date", "article_date_precision"} <= set(m.columns)
    assert list(m["article_date"]) == sorted(m["article_date"], key=date_key)
    assert set(m["article_date_precision"]) == {"day", "month", "year"}
