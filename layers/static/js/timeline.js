/* The time control: a slider over the articles' dates that redraws the map as of the date chosen.
 * A feature shows from its earliest evidence; a route takes the status the latest article by then
 * reported; a place is sized by the mentions made by then (filter.js); popups hide quotes from
 * later articles. Beside it, a chart of the articles per month: brushing it (drag across the
 * months) sets the filter's range of months. The date is kept in the URL hash (t=2015-06);
 * the last position, "latest", is the whole record. */
(function (TA) {
  "use strict";
  var LATEST = "latest";

  /** "YYYY-MM" of month number ``m`` (months since year 0). */
  function monthOf(m) { var y = Math.floor(m / 12), mm = m % 12 + 1; return y + "-" + (mm < 10 ? "0" : "") + mm; }
  function monthNo(d) { return Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1; }

  /** The articles per month (those dated to a month or a day) as a small bar chart; dragging
   * across it sets the filter's months (a click clears them). Null when fewer than two months. */
  function monthChart(data) {
    var counts = {}, lo = Infinity, hi = -Infinity, undated = 0, yearOnly = 0;
    data.articles.forEach(function (a) {
      var d = TA.isoDate(a);
      if (!d) { undated++; return; }
      if (d.length < 7) { yearOnly++; return; }
      var m = monthNo(d);
      counts[m] = (counts[m] || 0) + 1;
      if (m < lo) lo = m;
      if (m > hi) hi = m;
    });
    if (!(hi > lo)) return null;
    var W = 200, H = 34, n = hi - lo + 1, bw = W / n, most = 0;
    Object.keys(counts).forEach(function (k) { most = Math.max(most, counts[k]); });
    var wrap = TA.el("div", { class: "ta-months" });
    var svg = TA.svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, class: "ta-months-chart", role: "img",
      "aria-label": "Articles per month, " + monthOf(lo) + " to " + monthOf(hi) + ": drag across it to show only those months" });
    var brush = TA.svg("rect", { x: 0, y: 0, width: 0, height: H, class: "ta-months-brush" });
    svg.appendChild(brush);
    for (var m = lo; m <= hi; m++) {
      if (!counts[m]) continue;
      var h = Math.max(1, Math.round((H - 2) * counts[m] / most));
      var bar = TA.svg("rect", { x: ((m - lo) * bw).toFixed(2), y: H - h, width: Math.max(bw - (bw > 3 ? 1 : 0), 0.8).toFixed(2), height: h, class: "ta-months-bar" });
      bar.appendChild(TA.svg("title", {})).textContent = monthOf(m) + ": " + counts[m] + " article(s)";
      svg.appendChild(bar);
    }
    var note = TA.el("div", { class: "ta-months-note" });
    wrap.appendChild(svg);
    wrap.appendChild(note);
    function at(ev) {
      var r = svg.getBoundingClientRect();
      return lo + Math.max(0, Math.min(n - 1, Math.floor((ev.clientX - r.left) / r.width * n)));
    }
    function show() {
      var st = TA.filter ? TA.filter.state() : {};
      var a = st.from && st.from.length === 7 ? monthNo(st.from) : st.from ? Number(st.from) * 12 : lo;
      var b = st.to && st.to.length === 7 ? monthNo(st.to) : st.to ? Number(st.to) * 12 + 11 : hi;
      var on = !!(st.from || st.to);
      brush.setAttribute("x", (Math.max(a, lo) - lo) * bw);
      brush.setAttribute("width", on ? Math.max(0, (Math.min(b, hi) - Math.max(a, lo) + 1) * bw) : 0);
      note.textContent = on ? "Months " + (st.from || monthOf(lo)) + " to " + (st.to || monthOf(hi)) + " (click the chart to clear)"
        : "Articles per month" + (undated || yearOnly ? " (" + [undated ? undated + " undated" : "", yearOnly ? yearOnly + " dated by year only" : ""].filter(Boolean).join(", ") + ")" : "");
    }
    var start = null;
    svg.addEventListener("pointerdown", function (ev) {
      start = at(ev);
      if (svg.setPointerCapture) { try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic */ } }
      ev.preventDefault();
    });
    svg.addEventListener("pointermove", function (ev) {
      if (start === null) return;
      var a = Math.min(start, at(ev)), b = Math.max(start, at(ev));
      brush.setAttribute("x", (a - lo) * bw);
      brush.setAttribute("width", (b - a + 1) * bw);
    });
    svg.addEventListener("pointerup", function (ev) {
      if (start === null) return;
      var end = at(ev), a = Math.min(start, end), b = Math.max(start, end);
      start = null;
      if (!TA.filter) return;
      if (a === b && TA.filter.state().from) TA.filter.set({ from: "", to: "" });  // a click clears
      else TA.filter.set({ from: monthOf(a), to: monthOf(b) });
    });
    if (TA.filter) TA.filter.onChange(show);
    show();
    TA.monthChart = { lo: monthOf(lo), hi: monthOf(hi), months: n, svg: svg };
    return wrap;
  }

  TA.control("timeline", 45, function (map, data) {
    var tl = data.timeline || { stops: [] };
    var stops = tl.stops.map(function (s) { return s.date; });
    if (tl.as_of) {
      // a map built --as-of a date: everything on it is as of then; the control only says so
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () { return TA.el("div", { class: "ta-time ta-time-fixed", role: "note" }, "As of " + tl.as_of); };
      note.addTo(map);
      return;
    }
    if (stops.length < 2) return;  // nothing to move through

    var current = null;  // null: latest
    var features = [];   // every feature layer with a key, its overlay group and props
    TA.overlays.forEach(function (o) {
      o.layer.eachLayer(function (g) {
        (g.eachLayer ? g : { eachLayer: function (f) { f(g); } }).eachLayer(function (l) {
          var p = l.feature && l.feature.properties;
          if (p && p.key && /^(site|route):/.test(p.key)) features.push({ layer: l, group: g.eachLayer ? g : o.layer, p: p });
        });
      });
    });

    function styleAt(p, t) {
      if (!p.history) return p.style;
      var st = p.history[0][1];
      p.history.forEach(function (h) { if (TA.publishedBy(h[0], t)) st = h[1]; });
      return st;
    }

    /** Show the map as of ``t`` (a stop's date; null or "latest": everything). */
    function apply(t) {
      current = t && t !== LATEST ? t : null;
      var hidden = {};
      features.forEach(function (f) {
        var on = TA.publishedBy(f.p.date, current);
        if (!on) hidden[f.p.key] = true;
        var has = f.group.hasLayer(f.layer);
        if (on && !has) f.group.addLayer(f.layer);
        if (!on && has) f.group.removeLayer(f.layer);
        if (on && f.p.history && f.layer.setStyle && f.layer.options.className !== "ta-hit") f.layer.setStyle(styleAt(f.p, current));
      });
      TA.timeHidden = hidden;
      if (map.closePopup) map.closePopup();
      say();
      // the places and areas: sized by the mentions made by then (in the articles the filter shows)
      if (TA.filter) TA.filter.apply();
      else {
        if (TA.labels) TA.labels.place();
        if (TA.writeHash) TA.writeHash();
      }
    }

    function say() {
      label.textContent = current ? "As of " + tl.stops[stops.indexOf(current)].label : "Latest: every article";
      input.setAttribute("aria-valuetext", label.textContent);
    }

    // quotes from articles after the date shown are hidden in popups, and their number said
    map.on("popupopen", function (e) {
      var node = e.popup.getElement();
      if (!node) return;
      var later = 0;
      Array.prototype.forEach.call(node.querySelectorAll("[data-date]"), function (q) {
        var hide = current !== null && !TA.publishedBy(q.getAttribute("data-date"), current);
        q.classList.toggle("ta-later", hide);
        if (hide && q.tagName === "BLOCKQUOTE" && !(q.parentNode && q.parentNode.hasAttribute("data-date"))) later++;
      });
      var old = node.querySelector(".ta-later-note");
      if (old) old.parentNode.removeChild(old);
      if (later) {
        var content = node.querySelector(".leaflet-popup-content");
        if (content) content.appendChild(TA.el("p", { class: "ta-later-note" }, later + " quote(s) from later articles hidden (as of " + current + ")"));
      }
    });

    var box = TA.el("div", { class: "ta-time leaflet-bar", role: "group", "aria-label": "Time: show the map as of a date" });
    var input = TA.el("input", {
      type: "range", min: "0", max: String(stops.length), step: "1", value: String(stops.length),
      "aria-label": "As of date", class: "ta-time-range"
    });
    var label = TA.el("output", { class: "ta-time-label", "aria-live": "polite" });
    var ticks = TA.el("div", { class: "ta-time-ticks", "aria-hidden": "true" });
    ticks.appendChild(TA.el("span", null, stops[0]));
    ticks.appendChild(TA.el("span", null, stops.length + " article dates"));
    ticks.appendChild(TA.el("span", null, "latest"));
    box.appendChild(label);
    var chart = monthChart(data);
    if (chart) box.appendChild(chart);
    box.appendChild(input);
    box.appendChild(ticks);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    input.addEventListener("input", function () {
      var i = Number(input.value);
      apply(i >= stops.length ? null : stops[i]);
    });
    var ctl = L.control({ position: "bottomleft" });
    ctl.onAdd = function () { return box; };
    ctl.addTo(map);

    TA.time = {
      current: function () { return current; },
      set: function (t) {
        var i = t && stops.indexOf(t) >= 0 ? stops.indexOf(t) : stops.length;
        if (t && i === stops.length) {  // a date between stops: the last stop by then
          i = -1;
          stops.forEach(function (s, k) { if (TA.publishedBy(s, t)) i = k; });
          if (i < 0) i = 0;
        }
        input.value = String(i);
        apply(i >= stops.length ? null : stops[i]);
      },
      stops: stops
    };
    var start = TA.readHash ? TA.readHash().t : null;
    if (start) TA.time.set(start);
    else say();  // the latest: every feature is already drawn as it is now, and the labels come after
  });
})(window.TumenAtlas);
