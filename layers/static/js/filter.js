/* Find and filter: one filter over the articles (words of their text, title or outlet; an outlet;
 * a range of months; a place they mention) that the map and the reader both follow. A place's
 * symbol or an area's shade is sized by its mentions in the articles that pass (and were
 * published by the time control's date); a place none of them mentions is not drawn. The filter
 * is kept in the URL hash (q=, outlet=, from=, to=, place=), so a link reopens it.
 *
 * A map of many places clusters its symbols by zoom (Leaflet.markercluster, inlined): clusters
 * show how many places they hold and open on click; a place's label shows only while its symbol
 * stands on its own. */
(function (TA) {
  "use strict";
  var KEYS = ["q", "outlet", "from", "to", "place"];
  var state = { q: "", outlet: "", from: "", to: "", place: "" };
  var listeners = [];
  var pass = null;       // Uint8Array: the articles that pass the filter and the time control
  var hay = [];          // each article's folded title, outlet and (once read) text
  var places = [];       // {layer, group, p}: every place and area feature
  var dates = [];        // each article's ISO date ("" when undated)

  /** A place's radius (px) for ``n`` mentions: the build's formula (layers/style.py place_radius). */
  TA.placeRadius = function (n) {
    var s = TA.data.scale;
    return Math.round(Math.min(s.rmax, s.r0 + s.k * Math.sqrt(n)) * 100) / 100;
  };

  /** An area's fill opacity for ``n`` mentions when the most has ``most`` (layers/style.py area_opacity). */
  TA.areaOpacity = function (n, most) {
    var s = TA.data.scale;
    if (n <= 0) return 0;
    return Math.round((s.omin + (s.omax - s.omin) * Math.log1p(n) / Math.log1p(Math.max(most, 1))) * 1000) / 1000;
  };

  /** Whether article ``i``'s date falls in the months ``from``..``to``, compared by the as-of rule
   * (TA.compareDates: at the coarser precision, so a year-only date counts in any month of its year);
   * an undated one in no range. */
  function inRange(d, from, to) {
    if (!from && !to) return true;
    if (!d) return false;
    if (from && TA.compareDates(d, from) < 0) return false;
    if (to && TA.compareDates(d, to) > 0) return false;
    return true;
  }

  function haystack(i) {
    if (hay[i] === undefined || (TA.texts && hay[i].length < 2)) {
      var a = TA.data.articles[i];
      var h = TA.fold([a.title, a.outlet || "", a.author || ""].join(" \u0001 "));
      hay[i] = TA.texts ? [h, TA.fold(TA.texts[i][0])] : [h];
    }
    return hay[i];
  }

  /** The articles that pass the filter (and, with ``asOf``, were published by then): a Uint8Array. */
  TA.articlesPassing = function (st, asOf) {
    st = st || state;
    var arts = TA.data.articles, n = arts.length, out = new Uint8Array(n);
    var words = TA.fold(st.q || "").split(/\s+/).filter(Boolean);
    var inPlace = null;
    if (st.place) {
      inPlace = new Uint8Array(n);
      var refs = TA.placeRefs[st.place] || [];
      for (var r = 0; r < refs.length; r += 2) inPlace[refs[r]] = 1;
    }
    for (var i = 0; i < n; i++) {
      if (st.outlet && (arts[i].outlet || "") !== st.outlet) continue;
      if (inPlace && !inPlace[i]) continue;
      if (!inRange(dates[i], st.from, st.to)) continue;
      if (asOf && !TA.publishedBy(dates[i], asOf)) continue;
      if (words.length) {
        var h = haystack(i), ok = true;
        for (var w = 0; w < words.length && ok; w++) ok = h[0].indexOf(words[w]) >= 0 || (h.length > 1 && h[1].indexOf(words[w]) >= 0);
        if (!ok) continue;
      }
      out[i] = 1;
    }
    return out;
  };

  function active() {
    return KEYS.some(function (k) { return !!state[k]; });
  }

  /** Redraw the places and areas for the filter and the time control's date; tell the listeners. */
  function apply() {
    var asOf = TA.time && TA.time.current ? TA.time.current() : null;
    pass = TA.articlesPassing(state, asOf);
    var hidden = {}, most = 1, counts = [];
    places.forEach(function (f, k) {
      var refs = f.p.refs || [], n = 0;
      for (var r = 0; r < refs.length; r += 2) if (pass[refs[r]]) n += refs[r + 1];
      counts[k] = n;
      if (f.p.area && n > most) most = n;
    });
    if (!active() && !asOf) most = TA.areaMost;  // the whole record: the build's own shades
    var adds = new Map(), removes = new Map();
    places.forEach(function (f, k) {
      var n = counts[k], on = n > 0;
      if (!on) hidden[f.p.key] = true;
      var has = f.group.hasLayer(f.layer);
      var m = on && !has ? adds : !on && has ? removes : null;
      if (m) { if (!m.has(f.group)) m.set(f.group, []); m.get(f.group).push(f.layer); }
      if (!on) return;
      var whole = !active() && !asOf;
      if (f.p.area) {
        f.layer.setStyle({ fillOpacity: whole ? f.p.style.fillOpacity : TA.areaOpacity(n, most) / (f.p.area === "continent" ? 5 : 1) });
      } else if (f.layer.setRadius) {
        f.layer.setRadius(whole ? f.p.style.radius : TA.placeRadius(n));
      }
      var tip = f.layer.getTooltip && f.layer.getTooltip();
      var name = f.p.tooltip.replace(/: \d+ mention\(s\)$/, "");
      if (tip) tip.setContent(TA.el("span", null, whole ? f.p.tooltip : name + ": " + n + " mention(s)" + (asOf ? " by " + asOf : "") + (active() ? " in the articles shown" : "")));
    });
    removes.forEach(function (ls, g) { if (g.removeLayers) g.removeLayers(ls); else ls.forEach(function (l) { g.removeLayer(l); }); });
    adds.forEach(function (ls, g) { if (g.addLayers) g.addLayers(ls); else ls.forEach(function (l) { g.addLayer(l); }); });
    TA.hiddenKeys = hidden;
    listeners.forEach(function (fn) { fn(); });
    if (TA.labels && TA.labels.place) TA.labels.place();
    if (TA.writeHash) TA.writeHash();
  }

  TA.filter = {
    /** The filter: q (words), outlet, from and to (YYYY-MM), place (a place's key). */
    state: function () { return Object.assign({}, state); },
    /** Change part of the filter (keys absent stay as they are; "" clears one) and redraw. */
    set: function (patch) {
      KEYS.forEach(function (k) { if (patch && k in patch) state[k] = String(patch[k] || ""); });
      apply();
    },
    clear: function () { KEYS.forEach(function (k) { state[k] = ""; }); apply(); },
    active: active,
    apply: apply,
    /** Whether article ``i`` passes (the filter and the time control's date). */
    passes: function (i) { return !pass || !!pass[i]; },
    count: function () { var n = 0; if (!pass) return TA.data.articles.length; for (var i = 0; i < pass.length; i++) n += pass[i]; return n; },
    /** ``fn()`` after every change. */
    onChange: function (fn) { listeners.push(fn); },
    /** The filter as hash parts ("&q=..."), for the URL state. */
    hash: function () {
      return KEYS.filter(function (k) { return state[k]; }).map(function (k) { return "&" + k + "=" + encodeURIComponent(state[k]); }).join("");
    },
    /** The outlets, most articles first. */
    outlets: function () {
      var c = {};
      TA.data.articles.forEach(function (a) { var o = a.outlet || ""; c[o] = (c[o] || 0) + 1; });
      return Object.keys(c).filter(Boolean).sort(function (a, b) { return c[b] - c[a] || (a < b ? -1 : 1); }).map(function (o) { return [o, c[o]]; });
    }
  };

  /* A map of many places: their symbols clustered by zoom (see layers/page.py cluster_points). */
  TA.clusterGroup = null;
  TA.makeCluster = function (markers) {
    var g = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 48, chunkedLoading: true, spiderfyOnMaxZoom: true,
      iconCreateFunction: function (c) {
        var n = c.getChildCount(), size = n < 10 ? "small" : n < 100 ? "medium" : "large";
        return L.divIcon({
          html: "<div><span>" + n + "</span></div>", className: "marker-cluster marker-cluster-" + size,
          iconSize: L.point(40, 40)
        });
      }
    });
    var onAdd = g.onAdd;
    g.onAdd = function (map) {  // the plugin needs the map's deepest zoom (a map without tiles has none)
      if (!map.options.maxZoom) map.options.maxZoom = 18;
      return onAdd.call(this, map);
    };
    g.addLayers(markers);
    TA.clusterGroup = g;
    return g;
  };

  /** Whether the place of label group ``key`` stands inside a cluster (its label then waits). */
  TA.inCluster = function (key) {
    var g = TA.clusterGroup, ls = TA.registry[key];
    if (!g || !ls || !ls.length || !g._map) return false;
    var l = ls[0];
    if (!g.hasLayer(l)) return false;
    var v = g.getVisibleParent(l);
    return !!v && v !== l;
  };

  TA.control("filter", 5, function (map, data) {
    dates = data.articles.map(TA.isoDate);
    TA.placeRefs = {};
    TA.areaMost = 1;
    TA.overlays.forEach(function (o) {
      if (o.key !== "places" && o.key !== "areas") return;
      o.layer.eachLayer(function (g) {
        (g.eachLayer ? g : { eachLayer: function (f) { f(g); } }).eachLayer(function (l) {
          var p = l.feature && l.feature.properties;
          if (!p || !p.key || !p.refs) return;
          places.push({ layer: l, group: g.eachLayer ? g : o.layer, p: p });
          TA.placeRefs[p.key] = p.refs;
          if (p.area) {
            var n = 0;
            for (var r = 1; r < p.refs.length; r += 2) n += p.refs[r];
            if (n > TA.areaMost) TA.areaMost = n;
          }
        });
      });
    });
    if (TA.clusterGroup) map.on("zoomend", function () { if (TA.labels && TA.labels.place) setTimeout(TA.labels.place, 300); });
    var h = TA.readHash ? TA.readHash() : {};
    KEYS.forEach(function (k) { if (h[k]) state[k] = h[k]; });
    // the texts are read once the map is drawn (a search of the text waits for them)
    TA.afterInit.push(function () {
      TA.afterFrame(function () {
        TA.loadTexts().then(function () {
          if (state.q) apply();
          // the texts folded for search a few hundred at a time, while the reader is idle
          var i = 0, n = TA.data.articles.length;
          (function fold() {
            var stop = Math.min(n, i + 300);
            for (; i < stop; i++) haystack(i);
            if (i < n) setTimeout(fold, 0);
          })();
        });
      });
      if (active()) apply();
    });
    // on the map, while a filter is set: what it shows, and a way to clear it
    var note = L.control({ position: "bottomleft" });
    note.onAdd = function () {
      var box = TA.el("div", { class: "ta-filter-note leaflet-bar", role: "status", hidden: "" });
      var text = TA.el("span");
      var clear = TA.el("button", { type: "button", class: "ta-button", "aria-label": "Clear the filter" }, "×");
      clear.addEventListener("click", function () { TA.filter.clear(); });
      box.appendChild(text);
      box.appendChild(clear);
      L.DomEvent.disableClickPropagation(box);
      TA.filter.onChange(function () {
        box.hidden = !active();
        text.textContent = "Filtered: " + TA.filter.count() + " of " + data.articles.length + " articles ";
      });
      return box;
    };
    note.addTo(map);
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest(".ta-filter-place");
      if (!b) return;
      ev.preventDefault();
      TA.filter.set({ place: b.getAttribute("data-place") });
      if (TA.setReader) TA.setReader(true);
    });
  });
})(window.TumenAtlas);
