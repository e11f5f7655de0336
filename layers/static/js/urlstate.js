/* URL state: the view, the overlays shown and the basemap live in the hash, so a link reopens
 * the same picture: #map=ZOOM/LAT/LNG&layers=railway,places&base=natural-earth&t=2015-06 (t: the
 * time control's date; absent: the latest), and the filter: &q=flood&outlet=WikiNews&from=2009-01&to=2009-12&place=place:country:US */
(function (TA) {
  "use strict";
  var ready = false;

  TA.writeHash = function () {
    if (!ready || !TA.map) return;
    var c = TA.map.getCenter();
    var on = TA.overlays.filter(function (o) { return TA.map.hasLayer(o.layer); }).map(function (o) { return o.key; });
    var base = TA.bases.length ? TA.bases[0].key : "";
    TA.bases.forEach(function (b) { if (TA.map.hasLayer(b.layer)) base = b.key; });
    var h = "#map=" + TA.map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4) + "&layers=" + on.join(",") + "&base=" + base;
    if (TA.time && TA.time.current()) h += "&t=" + TA.time.current();
    if (TA.filter) h += TA.filter.hash();
    if (window.history && history.replaceState) {
      try { history.replaceState(null, "", h); } catch (e) { /* sandboxed frame: no URL state */ }
    }
  };

  TA.readHash = function () {
    var out = {};
    var h = (window.location.hash || "").replace(/^#/, "");
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) {
        try { out[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1)); } catch (e) { /* a broken escape: ignored */ }
      }
    });
    var state = {};
    if (out.map) {
      var v = out.map.split("/").map(Number);
      if (v.length === 3 && v.every(function (x) { return isFinite(x); })) state.view = v;
    }
    if (out.layers !== undefined) state.layers = out.layers ? out.layers.split(",") : [];
    if (out.base !== undefined) state.base = out.base;
    if (out.t !== undefined && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(out.t)) state.t = out.t;
    // the filter (filter.js): words, an outlet, a range of months, a place
    if (out.q) state.q = out.q.slice(0, 200);
    if (out.outlet) state.outlet = out.outlet;
    ["from", "to"].forEach(function (k) { if (out[k] && /^\d{4}(-\d{2})?$/.test(out[k])) state[k] = out[k]; });
    if (out.place && /^place:/.test(out.place)) state.place = out.place;
    return state;
  };

  /** The first view: the link's, else ``bounds`` fitted. Called as soon as the map exists, before
   * its layers are added (each path is then projected once); the start-up below keeps it. */
  TA.initialView = function (map, bounds) {
    var state = TA.readHash();
    /* No animation: an animated zoom at start-up left the vector renderers clipped to the old
     * view (the land and corridors stopped at a straight edge when a link was opened). */
    if (state.view) map.setView([state.view[1], state.view[2]], state.view[0], { animate: false });
    else map.fitBounds(bounds, { padding: [20, 20], animate: false });
    TA.viewSet = map;
  };

  /* Runs first: the view from the link is set before any control or label is placed. */
  TA.control("urlstate", 0, function (map, data) {
    var state = TA.readHash();
    if (state.layers) {
      TA.overlays.forEach(function (o) {
        var on = state.layers.indexOf(o.key) >= 0;
        if (on && !map.hasLayer(o.layer)) map.addLayer(o.layer);
        if (!on && map.hasLayer(o.layer)) map.removeLayer(o.layer);
      });
    }
    var base = null;
    TA.bases.forEach(function (b, i) { if (b.key === state.base || String(i) === state.base) base = b; });
    if (base) {
      TA.bases.forEach(function (b) { if (map.hasLayer(b.layer)) map.removeLayer(b.layer); });
      map.addLayer(base.layer);
    }
    if (TA.viewSet !== map) TA.initialView(map, data.bounds);  // a page made without the early view
    map.on("moveend zoomend overlayadd overlayremove layeradd layerremove", TA.writeHash);
    ready = true;
  });
})(window.TumenAtlas);
