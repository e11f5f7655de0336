"""The map in a real headless Chromium: offline, toggles, popups, reader, escaping, URL state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layers.page import write_map

from .browser import Session

pytestmark = pytest.mark.browser

EVIL = '<script>window.__pwned=1</script></script><img src=x onerror="window.__pwned=2"> ${window.__pwned=3} \\u003c'


@pytest.fixture(scope="session")
def evil_map_file(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("evil")
    (d / "evil.md").write_text(
        "---\nid: evil\ntitle: 'Evil <script>window.__pwned=4</script> title'\noutlet: '<b onmouseover=alert(1)>Outlet</b>'\n"
        "url: 'javascript:window.__pwned=6'\ndate: 2024-01-01\n---\n"
        f"Coal left Rajin {EVIL} for Vladivostok.\n\nThe ferry to Rajin {EVIL} runs weekly.\n",
        encoding="utf-8",
    )
    (d / "good.md").write_text("---\nid: good\nurl: https://example.org/a\n---\nA ferry to Rajin.\n", encoding="utf-8")
    return write_map(d / "map.html", articles=d, title="T <script>window.__pwned=5</script>")


@pytest.fixture()
def session(browser, map_file):
    s = Session(browser, map_file.as_uri())
    yield s
    s.close()


def test_page_loads_offline_with_no_errors_and_no_network_request(session, map_file):
    session.page.wait_for_timeout(300)
    assert session.errors == []
    others = [u for u in session.requests if u.split("#")[0] != map_file.as_uri()]
    assert others == [], f"the page asked for {others}"
    assert session.js("document.querySelectorAll('.leaflet-basemap-pane path, .leaflet-pane path').length") > 50
    # fitted to the corridor region on load: the Tumen mouth and Vladivostok in view, not the world
    inside = session.js("""() => { const b = TumenAtlas.map.getBounds();
        return [b.contains([42.24, 130.30]), b.contains([43.11, 131.87]), b.contains([48.48, 135.08]),
                b.getEast() - b.getWest() < 60]; }""")
    assert inside == [True, True, True, True]


def _on_map(session, key):
    return session.js(
        """key => { const o = TumenAtlas.overlays.find(o => o.key === key); let n = 0;
        const feature = l => l._map && l.options.className !== "ta-hit";  // not a dashed line's unseen hit line
        o.layer.eachLayer(g => g.eachLayer ? g.eachLayer(l => { if (feature(l)) n++; }) : (feature(g) && n++)); return n; }""",
        key,
    )


def test_every_overlay_toggles_its_features_off_and_on(session):
    overlays = session.js("TumenAtlas.overlays.map(o => ({key: o.key, count: o.count, show: o.show}))")
    assert [o["key"] for o in overlays] == [
        "pipeline", "railway", "power_line", "sea_route", "road", "alternatives", "areas", "places", "sites", "borders",
    ]
    for o in overlays:
        box = session.page.locator(f'input[data-overlay="{o["key"]}"]')
        assert o["count"] > 0, o
        assert box.is_checked() == o["show"]
        assert _on_map(session, o["key"]) == (o["count"] if o["show"] else 0)
        box.click()
        assert _on_map(session, o["key"]) == (0 if o["show"] else o["count"])
        box.click()
        assert _on_map(session, o["key"]) == (o["count"] if o["show"] else 0)
    assert session.errors == []


def test_clicking_the_khasan_rajin_railway_opens_a_popup_with_its_quote(session):
    for key in ("places", "sites", "borders", "pipeline", "power_line"):
        session.page.locator(f'input[data-overlay="{key}"]').click()
    pt = session.js(
        """() => { const l = TumenAtlas.registry['route:khasan-rajin-railway'][0];
        TumenAtlas.map.fitBounds(l.getBounds(), {animate: false, padding: [80, 80]});
        const ring = l._rings[0]; const p = TumenAtlas.map.layerPointToContainerPoint(ring[Math.floor(ring.length * 0.6)]);
        const r = TumenAtlas.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }"""
    )
    session.page.mouse.click(pt[0], pt[1])
    popup = session.page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    text = popup.inner_text()
    assert "Khasan–Rajin railway" in text
    assert "Test of the Khasan-Rajin railway line linking Russia and North Korea" in text
    assert "Drawn length" in text and "read in context" in text


def test_read_in_context_scrolls_the_reader_to_the_quote(session):
    session.js("TumenAtlas.flyTo('route:rajin-vladivostok-ferry')")
    link = session.page.locator(".leaflet-popup-content a.ta-read:visible").first  # the evidence, not a folded section
    link.wait_for(timeout=5000)
    link.click()
    hl = session.page.locator("#ta-reader .ta-hl")
    assert hl.count() > 0
    assert "four times a month" in " ".join(hl.all_inner_texts())
    assert hl.first.is_visible()
    assert session.js("document.querySelector('#ta-reader .ta-article').dataset.article") == "kaliszuk-nee-2017"


def test_reader_highlights_mentions_and_flies_to_them(session):
    session.page.get_by_role("button", name=re.compile("Articles")).click()
    session.page.locator('.ta-article-link[data-article="stratfor-2014-pacific-push"]').click()
    marks = session.page.locator("#ta-reader mark.ta-mention")
    assert marks.count() >= 20
    vlad = session.page.locator('#ta-reader mark.ta-mention[data-key="place:vladivostok"]').first
    assert vlad.inner_text() == "Vladivostok"
    # chrome is shown, greyed, and never highlighted
    assert session.page.locator("#ta-reader .ta-chrome").count() >= 3
    vlad.focus()
    session.page.keyboard.press("Enter")  # usable with the keyboard
    session.page.locator(".leaflet-popup-content").wait_for(timeout=5000)
    assert "Vladivostok" in session.page.locator(".leaflet-popup-content h3").inner_text()
    # the map comes to rest with Vladivostok in view (the popup's auto-pan may move it after the flight)
    session.page.wait_for_function(
        "() => { const m = TumenAtlas.map; return m.getBounds().contains([43.1, 131.9]) && m.getZoom() >= 7; }",
        timeout=5000,
    )


def test_place_search_by_any_spelling(session):
    box = session.page.get_by_role("combobox", name="Find a place or site")
    box.fill("Najin")
    opt = session.page.locator("#ta-search-list li").first
    assert opt.inner_text().startswith("Rajin")
    box.press("Enter")
    session.page.locator(".leaflet-popup-content h3").wait_for(timeout=5000)
    text = session.page.locator(".leaflet-popup-content").inner_text()
    assert text.startswith("Rajin") and "라진" in text and "mention" in text


def test_url_hash_keeps_view_and_layers(browser, map_file):
    s = Session(browser, map_file.as_uri() + "#map=8/42.4000/130.6000&layers=railway,places&base=natural-earth")
    try:
        assert s.js("TumenAtlas.map.getZoom()") == 8
        on = s.js("TumenAtlas.overlays.filter(o => TumenAtlas.map.hasLayer(o.layer)).map(o => o.key)")
        assert on == ["railway", "places"]
        s.page.locator('input[data-overlay="sea_route"]').click()
        assert "layers=railway,sea_route,places" in s.page.url
    finally:
        s.close()


def test_untrusted_article_text_renders_as_text_and_runs_nothing(browser, evil_map_file):
    s = Session(browser, evil_map_file.as_uri())
    try:
        s.page.get_by_role("button", name=re.compile("Articles")).click()
        s.page.locator('.ta-article-link[data-article="evil"]').click()
        text = s.page.locator("#ta-reader .ta-text").inner_text()
        assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=2">' in text
        assert "${window.__pwned=3}" in text
        assert s.js("document.querySelectorAll('#ta-reader a[href^=\"javascript\"]').length") == 0
        s.page.locator('.ta-article-link[data-article="good"]').click()
        link = s.page.locator("#ta-reader .ta-article a", has_text="Original article")
        assert link.get_attribute("href") == "https://example.org/a" and link.get_attribute("rel") == "noopener noreferrer"
        s.js("TumenAtlas.flyTo('place:rajin')")
        s.page.locator(".leaflet-popup-content").wait_for(timeout=5000)
        ptext = s.page.locator(".leaflet-popup-content").inner_text()
        assert "<img src=x onerror" in ptext and "Evil <script>" in ptext
        assert s.js("document.querySelectorAll('img[src=\"x\"], b[onmouseover]').length") == 0
        assert s.js("window.__pwned === undefined")
        assert s.page.title() == "T <script>window.__pwned=5</script>"
        assert [u for u in s.requests if u.split("#")[0] != evil_map_file.as_uri()] == []
        assert s.errors == []
    finally:
        s.close()


def test_screenshot_for_review(browser, map_file, artifacts):
    s = Session(browser, map_file.as_uri(), viewport=(1400, 900))
    try:
        s.page.wait_for_timeout(400)
        out = artifacts / "map.png"
        s.page.screenshot(path=str(out))
        assert out.stat().st_size > 50_000
    finally:
        s.close()


def test_map_works_inside_an_iframe(browser, tmp_path):
    from layers.content import embed_snippet

    m = write_map(tmp_path / "map.html")
    host = tmp_path / "report.html"
    host.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report</title></head><body>"
        "<h1>Report</h1><p>Text before.</p>" + embed_snippet("map.html", height=500) + "<p>Text after.</p></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    errors, requests = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url.split("#")[0]))
    try:
        page.goto(host.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("html[data-atlas-ready]").wait_for(state="attached", timeout=15000)
        box = page.locator("iframe").bounding_box()
        assert box["height"] == 500 and box["width"] > 900  # responsive width, chosen height
        assert frame.locator(".leaflet-overlay-pane path").count() > 10
        from playwright.sync_api import expect

        frame.locator("html").evaluate("() => window.TumenAtlas.popupsReady")  # the start-up's deferred work done
        frame.locator('input[data-overlay="places"]').click()
        expect(frame.locator('input[data-overlay="places"]')).not_to_be_checked()  # (the control redraws: wait for it)
        assert errors == []
        assert set(requests) <= {host.as_uri(), m.as_uri()}
    finally:
        page.close()


def test_print_shows_map_legend_and_attribution(session):
    session.page.emulate_media(media="print")
    p = session.page
    assert p.locator(".ta-legend").is_visible()
    assert p.locator(".leaflet-control-attribution").is_visible()
    assert "Natural Earth" in p.locator(".leaflet-control-attribution").inner_text()
    assert not p.locator(".ta-layers").is_visible()
    assert not p.locator(".ta-search").is_visible()
    assert p.locator(".folium-map .leaflet-overlay-pane path").first.is_visible()


def test_web_tiles_fail_quietly_offline(browser, tmp_path):
    m = write_map(tmp_path / "tiles.html", tiles=("OpenStreetMap",))
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page_errors, blocked = [], []
    page.on("pageerror", lambda e: page_errors.append(str(e)))

    def offline(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", offline)
    try:
        page.goto(m.as_uri())
        page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=15000)
        assert blocked == []  # nothing asked of the network until the user picks web tiles
        page.locator('input[data-base="openstreetmap"]').check()
        page.wait_for_timeout(500)
        assert blocked and all("openstreetmap" in u for u in blocked)
        assert page_errors == []
        # the map still works: the layers still toggle and the offline basemap comes back
        page.locator('input[data-overlay="railway"]').click()
        page.locator('input[data-base="natural-earth"]').check()
        assert page.evaluate("TumenAtlas.map.hasLayer(TumenAtlas.bases[0].layer)")
        assert "base=natural-earth" in page.url
    finally:
        page.close()


#: Routes that share a stretch of North Korea's east coast, each group with a vertex they all have there
#: (lat, lng) and how many vertices on from it to look: the two railways drawn on the line data (by
#: Orang, between Chongjin and Kimchaek), and the pipeline and the power line between the towns (the
#: fourth vertex after Chongjin, on the leg to Kimchaek).
SHARED = {
    "railways": (["route:trans-korean-railway", "route:north-korean-rail-modernisation"], 41.642, 129.619, 0),
    "pipeline and power line": (["route:russia-korea-gas-pipeline", "route:energy-bridge"], 41.7956, 129.7758, 4),
}
NAMES = {"route:trans-korean-railway": "Trans-Korean railway", "route:russia-korea-gas-pipeline": "gas pipeline",
         "route:energy-bridge": "energy bridge", "route:north-korean-rail-modernisation": "Modernisation of North Korean rail"}


LANE_POINTS = """([keys, zoom, lat, lng, k]) => {
  const m = TumenAtlas.map, r = m.getContainer().getBoundingClientRect();
  m.closePopup();
  const at = p => Math.abs(p.lat - lat) < 1e-4 && Math.abs(p.lng - lng) < 1e-4;
  const ll0 = TumenAtlas.registry[keys[0]].map(l => l.getLatLngs()).find(ll => ll.some(at));
  const i0 = ll0.findIndex(at);
  m.setView(ll0[i0 + k], zoom, {animate: false});
  const out = {};
  for (const key of keys) {
    for (const l of TumenAtlas.registry[key]) {
      const ll = l.getLatLngs();
      const i = ll.findIndex(at);  // the shared vertex, then k vertices on, as drawn
      if (i < 0 || !l._rings || !l._rings.length) continue;
      const j = i + k, p = m.layerPointToContainerPoint(l._rings[0][j]);
      out[key] = [p.x + r.left, p.y + r.top, ll[j].lat, ll[j].lng];
    }
  }
  return out;
}"""


@pytest.mark.parametrize("group", list(SHARED))
@pytest.mark.parametrize("zoom", [6, 8, 10])
def test_routes_sharing_a_corridor_lie_side_by_side_and_each_opens_its_segment(session, zoom, group):
    """On North Korea's east coast routes share the corridor: each is drawn in its own lane (on its own
    pixels) at every zoom, and clicking each opens that route, with that segment's part."""
    keys, lat, lng, k = SHARED[group]
    session.page.locator('input[data-overlay="places"]').click()  # the place circles lie on the towns
    pts = session.js(LANE_POINTS, [keys, zoom, lat, lng, k])
    assert set(pts) == set(keys)
    assert len({(round(v[2], 4), round(v[3], 4)) for v in pts.values()}) == 1  # the same vertex of each route
    xy = [(v[0], v[1]) for v in pts.values()]
    for i in range(len(xy)):
        for j in range(i + 1, len(xy)):
            assert ((xy[i][0] - xy[j][0]) ** 2 + (xy[i][1] - xy[j][1]) ** 2) ** 0.5 >= 3.5, (zoom, pts)
    for key in keys:
        x, y, *_ = session.js(LANE_POINTS, [[key], zoom, lat, lng, k])[key]  # again: an open popup pans the map
        session.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")  # the last one faded
        session.page.mouse.click(x, y)
        popup = session.page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        text = popup.inner_text()
        assert NAMES[key].lower() in text.lower(), (key, text[:200])
        assert re.match(r"Segment \d+ of \d+: (Rajin|Khasan) → \S+ · [\d,]+ km as drawn", text), text[:200]


def _route_on_map(session, key):
    return session.js("k => TumenAtlas.registry[k].some(l => !!l._map)", key)


def test_time_control_redraws_the_map_as_of_a_date_and_keeps_it_in_the_link(browser, map_file):
    s = Session(browser, map_file.as_uri() + "#map=6/41.5/131&t=2014-06")
    try:
        # as of June 2014 (the stop of May 2014): no ferry, no coal yet, the pipeline still proposed
        assert s.js("TumenAtlas.time.current()") == "2014-05"
        assert not _route_on_map(s, "route:rajin-vladivostok-ferry")
        assert not _route_on_map(s, "route:rajin-coal-shipping")
        assert _route_on_map(s, "route:khasan-rajin-railway")
        dash = s.js("TumenAtlas.registry['route:russia-korea-gas-pipeline'][0].options.dashArray")
        assert dash == s.js("TumenAtlas.registry['route:energy-bridge'][0].options.dashArray")  # both proposed then
        assert "Rajin–Vladivostok ferry" not in s.js("TumenAtlas.labels.shown.join('|')")
        # a popup shows only what had been said by then, and says so
        s.js("() => TumenAtlas.registry['route:khasan-rajin-railway'][0].openPopup()")
        shown = s.page.locator(".leaflet-popup-content blockquote.ta-quote:visible")
        assert shown.count() >= 1
        assert all("2014-05" in t for t in shown.all_inner_texts())
        assert "later articles hidden" in s.page.locator(".leaflet-popup-content").inner_text()
        s.js("() => TumenAtlas.map.closePopup()")
        # the keyboard moves it: End is the latest view, everything; the link then has no date
        slider = s.page.locator("input.ta-time-range")
        slider.focus()
        s.page.keyboard.press("End")
        assert s.js("TumenAtlas.time.current()") is None
        assert _route_on_map(s, "route:rajin-vladivostok-ferry")
        assert "t=" not in s.js("location.hash")
        s.page.keyboard.press("Home")
        s.page.keyboard.press("ArrowRight")
        assert s.js("TumenAtlas.time.current()") == "2014-11-26"
        assert "t=2014-11-26" in s.js("location.hash")
        assert _route_on_map(s, "route:rajin-coal-shipping")  # planned in Stratfor's November article
        assert "As of 2014-11-26" in s.page.locator(".ta-time-label").inner_text()
        assert s.errors == []
    finally:
        s.close()


def test_the_page_reads_the_as_of_rule_from_its_data_as_published_by_does(session):
    """The same table of cases through the page's TumenAtlas.publishedBy as through geo/timeline.py
    published_by (tests/test_timeline.py); the page reads the rule from its data (``as_of_rule``, the
    Python table itself), so a changed rule changes both alike, the months filter too."""
    from geo.timeline import AS_OF_RULE, published_by

    from .as_of_cases import AS_OF_CASES, VARIANT_RULE

    run = "([cases, rule]) => cases.map(c => TumenAtlas.publishedBy(c[0], c[1], rule || undefined))"
    cases = [[d, t] for d, t, _ in AS_OF_CASES]
    assert session.js("TumenAtlas.data.as_of_rule") == AS_OF_RULE
    assert session.js(run, [cases, None]) == [c for _, _, c in AS_OF_CASES]
    variant = [published_by(d, t, VARIANT_RULE) for d, t, _ in AS_OF_CASES]
    assert variant != [c for _, _, c in AS_OF_CASES]
    assert session.js(run, [cases, VARIANT_RULE]) == variant
    # the page's own rule changed: publishedBy, and the months filter's comparison, follow it
    session.js("rule => { TumenAtlas.data.as_of_rule = rule; }", VARIANT_RULE)
    assert session.js(run, [cases, None]) == variant
    before = session.js("[TumenAtlas.compareDates('2015', '2015-03'), TumenAtlas.compareDates('2015-06', '2015')]")
    assert before == [-1, 1]  # compared at the finer precision: a year is its start
    session.js("rule => { TumenAtlas.data.as_of_rule = rule; }", AS_OF_RULE)
    assert session.js("[TumenAtlas.compareDates('2015', '2015-03'), TumenAtlas.compareDates('2015-06', '2015')]") == [0, 0]
    assert session.errors == []


def test_time_control_is_legible_on_a_phone(browser, map_file):
    s = Session(browser, map_file.as_uri(), viewport=(375, 667))
    try:
        box = s.page.locator(".ta-time").bounding_box()
        assert box and box["width"] <= 200 and box["height"] <= 70
        assert s.page.locator("input.ta-time-range").bounding_box()["height"] >= 20  # a finger can take it
    finally:
        s.close()


def test_place_circles_grow_with_the_mentions_made_by_the_date_shown(browser, map_file):
    s = Session(browser, map_file.as_uri() + "#t=2014-06")
    try:
        moscow = "TumenAtlas.registry['place:geonames:524901'][0]"
        r_then = s.js(f"{moscow}.getRadius()")
        kp_then = s.js("TumenAtlas.registry['place:country:KP'][0].getTooltip().getContent().textContent")
        s.js("() => TumenAtlas.time.set(null)")
        r_now = s.js(f"{moscow}.getRadius()")
        assert r_then < r_now  # Moscow: a few mentions in May 2014, many more by 2017
        assert s.js(f"{moscow}.feature.properties.style.radius") == r_now
        assert kp_then == "North Korea: 20 mention(s) by 2014-05"  # an area: its count as of then (the stop before)
        assert s.js("TumenAtlas.registry['place:country:KP'][0].getTooltip().getContent().textContent") == "North Korea: 69 mention(s)"
    finally:
        s.close()


def test_layer_control_says_what_the_articles_give_nothing_to(browser, tmp_path):
    """A folder of local news has no corridor and no site: the control says so in one line for the
    corridors, and the sites' box is there but cannot be ticked; template syntax stays text."""
    d = tmp_path / "arts"
    d.mkdir()
    (d / "a.md").write_text("---\ntitle: 'Storms {{ 7*7 }}'\ndate: 2020-01-02\n---\nSnow fell on Denver and Boston. {% if x %}\n",
                            encoding="utf-8")
    out = write_map(tmp_path / "map.html", articles=d)
    s = Session(browser, out.as_uri())
    try:
        corridors = s.page.locator(".ta-layers fieldset", has_text="Corridors")
        assert corridors.locator(".ta-none").inner_text() == "None in these articles"
        assert corridors.locator("input").count() == 0
        sites = s.page.locator('input[data-overlay="sites"]')
        assert sites.is_disabled() and not s.page.locator('input[data-overlay="places"]').is_disabled()
        assert "(0)" in s.page.locator(".ta-layers .ta-empty", has_text="Sites").inner_text()
        assert s.js("TumenAtlas.data.articles[0].title") == "Storms {{ 7*7 }}"
        assert s.errors == []
    finally:
        s.close()


def _basemap_paths(session):
    return session.js("""() => { const out = []; TumenAtlas.registered.base['natural-earth'].eachLayer(g => g.eachLayer(l => out.push(l)));
        return out.map(l => [l instanceof TumenAtlas.FlatPath, l._closed, l._path ? l._path.getAttribute('d') : null]); }""")


def test_basemap_is_drawn_by_flat_paths_that_project_as_leaflet_does(session):
    """The basemap's tens of thousands of vertices are drawn by TA.FlatPath (no object per vertex):
    its projection is Leaflet's own, and its simplification keeps every vertex within a pixel."""
    assert session.js("Object.keys(TumenAtlas.registered.base)") == ["natural-earth"]
    paths = _basemap_paths(session)
    assert len(paths) >= 6 and all(flat for flat, _, _ in paths)
    assert any(closed for _, closed, _ in paths) and any(not closed for _, closed, _ in paths)
    assert all(d and d.startswith("M") for _, _, d in paths)
    # projection: the same layer point as map.latLngToLayerPoint, at several zooms
    diffs = session.js("""() => { const map = TumenAtlas.map, out = [];
        for (const z of [3, 6, 9, 12]) { map.setView([42.3, 130.6], z, {animate: false});
          const r = new Float64Array([130.6, 42.3, 135.07, 48.48, -70.5, -33.4, 179.9, 84.9, 0, -89]);
          const p = TumenAtlas.projectFlat(map, r);
          for (let i = 0; i < r.length; i += 2) { const q = map.latLngToLayerPoint([r[i + 1], r[i]]);
            out.push(Math.abs(q.x - p[i]) + Math.abs(q.y - p[i + 1])); } }
        return out; }""")
    assert max(diffs) == 0
    # simplification: ends kept, and every dropped vertex within the tolerance of the line kept
    check = session.js("""() => { const n = 400, r = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) { r[2 * i] = i * 0.7; r[2 * i + 1] = Math.round(40 * Math.sin(i / 9) + (i % 3) * 0.4); }
        const s = TumenAtlas.simplifyFlat(r, 1); let worst = 0;
        for (let i = 0; i < n; i++) { const x = r[2 * i], y = r[2 * i + 1]; let best = Infinity;
          for (let j = 0; j + 3 < s.length; j += 2) { const ax = s[j], ay = s[j + 1], ex = s[j + 2] - ax, ey = s[j + 3] - ay;
            const len = ex * ex + ey * ey; let t = len ? ((x - ax) * ex + (y - ay) * ey) / len : 0; t = Math.max(0, Math.min(1, t));
            best = Math.min(best, Math.hypot(ax + t * ex - x, ay + t * ey - y)); }
          worst = Math.max(worst, best); }
        return {kept: s.length / 2, n: n, first: [s[0], s[1]], last: [s[s.length - 2], s[s.length - 1]],
                end: [r[2 * n - 2], r[2 * n - 1]], worst: worst, box: s.box}; }""")
    assert check["kept"] < check["n"] / 3
    assert check["first"] == [0, 0] and check["last"] == check["end"]
    assert check["worst"] <= 1.0
    assert session.errors == []


def test_basemap_close_up_is_clipped_to_the_view_and_land_is_filled(browser, map_file):
    """At a close zoom the land's rings reach far past the view: they are clipped to it, as Leaflet
    clips its own paths, and the land is still filled where the reader looks."""
    import io

    import numpy as np
    from PIL import Image

    s = Session(browser, map_file.as_uri() + "#map=14/42.245/130.28&layers=", viewport=(900, 700))
    try:
        s.js("() => { document.querySelectorAll('.ta-control, .leaflet-control').forEach(n => n.style.visibility = 'hidden'); }")
        ext = s.js("""() => { let lo = Infinity, hi = -Infinity;
            document.querySelectorAll('.leaflet-basemap-pane path').forEach(p => (p.getAttribute('d').match(/-?\\d+(\\.\\d+)?/g) || [])
              .forEach(v => { v = +v; lo = Math.min(lo, v); hi = Math.max(hi, v); }));
            const b = TumenAtlas.map.getPixelBounds(), o = TumenAtlas.map.getPixelOrigin();
            return {lo: lo, hi: hi, minx: b.min.x - o.x, maxx: b.max.x - o.x, miny: b.min.y - o.y, maxy: b.max.y - o.y}; }""")
        span = max(ext["maxx"] - ext["minx"], ext["maxy"] - ext["miny"])
        # at zoom 14 the region's land spans millions of pixels; drawn, it keeps near the view
        assert ext["lo"] > min(ext["minx"], ext["miny"]) - span and ext["hi"] < max(ext["maxx"], ext["maxy"]) + span
        img = np.asarray(Image.open(io.BytesIO(s.page.screenshot())).convert("RGB"), dtype=int)
        land = np.array([0xF3, 0xF1, 0xEA])
        share = (np.abs(img - land).sum(axis=2) < 12).mean()
        assert share > 0.2, f"only {share:.0%} of the view is land at the Tumen mouth"  # Rason's shore and hills
        assert s.errors == []
    finally:
        s.close()


def test_basemap_paths_draw_on_a_map_that_prefers_canvas(session):
    """A notebook user's own map may prefer canvas: the basemap's flat paths then get an SVG renderer."""
    ok = session.js("""() => { const div = document.createElement('div'); div.style.cssText = 'width:300px;height:200px';
        document.body.appendChild(div); const m = L.map(div, {preferCanvas: true}).setView([42.3, 130.6], 6);
        const g = TumenAtlas.flatLayer([{closed: true, style: {fillColor: '#f00'}, rings: [[130, 42, 131, 42, 131, 43, 130, 42]]}],
          {pane: 'overlayPane'}).addTo(m);
        const paths = div.querySelectorAll('.leaflet-overlay-pane svg path'); const d = paths.length ? paths[0].getAttribute('d') : '';
        m.remove(); div.remove(); return [paths.length, d.startsWith('M'), d.endsWith('z')]; }""")
    assert ok == [1, True, True]
    assert session.errors == []


def test_the_inlined_icon_font_loads_and_draws_the_icons(session):
    """The cut-down icon font is a font the browser accepts, and the icons use it."""
    status = session.js("""async () => { await document.fonts.ready;
        return Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'TA Font Awesome').map(f => f.status); }""")
    assert status == ["loaded"]
    widths = session.js("""() => Array.from(document.querySelectorAll('.ta-fa')).map(n => n.getBoundingClientRect().width)""")
    assert widths and all(w > 4 for w in widths)
    assert session.errors == []
