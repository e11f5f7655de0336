/* The time control: a slider over the articles' dates that redraws the map as of the date chosen.
 * A feature shows from its earliest evidence; a route takes the status the latest article by then
 * reported; popups hide quotes from later articles. The date is kept in the URL hash (t=2015-06);
 * the last position, "latest", is the whole record. */
(function (TA) {
  "use strict";
  var LATEST = "latest";

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
          if (p && p.key && /^(place|site|route):/.test(p.key)) features.push({ layer: l, group: g.eachLayer ? g : o.layer, p: p });
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
        if (on && f.p.growth && f.layer.setRadius) {  // a place's size and count as of then
          var g = null;
          if (current) f.p.growth.forEach(function (x) { if (TA.publishedBy(x[0], current)) g = x; });
          f.layer.setRadius(g ? g[1] : f.p.style.radius);
          if (f.layer.getTooltip()) f.layer.setTooltipContent(TA.el("span", null, g ? g[2] : f.p.tooltip));
        }
      });
      TA.timeHidden = hidden;
      if (map.closePopup) map.closePopup();
      if (TA.labels) TA.labels.place();
      if (TA.writeHash) TA.writeHash();
      say();
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
