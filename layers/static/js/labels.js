/* Labels: names on the map as real text (DOM elements in their own pane). Labels come in
 * priority order (layers/spec.py ranks them); each is placed in turn at the first of its
 * candidate positions that lies inside the view and overlaps no placed label and no site icon,
 * and is left out when none does. Placement runs again after every zoom, pan, resize and layer
 * change, and depends only on the view: a link and a pan to the same view give the same names. */
(function (TA) {
  "use strict";
  /* How names are placed (pad, a site icon's half size, the gap, the candidate positions): the
   * page's `placement`, from layers/style.py PLACEMENT, which the static exports read too. */
  var PLACE = null, PAD = 0, SITE_HALF = 0;

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  /** Candidate top-left corners for a w×h label naming a symbol of radius o at point p. */
  function candidates(p, o, w, h) {
    var g = o + PLACE.gap;
    return (o ? PLACE.beside : PLACE.centred).map(function (c) {
      return [p.x + c[0] * g + c[2] * w, p.y + c[1] * g + c[3] * h];
    });
  }

  TA.control("labels", 10, function (map, data) {
    PLACE = data.placement;
    PAD = PLACE.pad;
    SITE_HALF = PLACE.site_half;
    var pane = map.createPane("ta-labels");
    pane.style.zIndex = 620; // above markers (600), below tooltips (650) and popups (700)
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-label", "Map labels");
    /* Sizes come from the canvas's text metrics with each class's computed font: measuring
     * DOM nodes would lay out the whole page (its basemap included) at start-up. A label's
     * node is made the first time it is placed. */
    var ctx = document.createElement("canvas").getContext("2d");
    var fonts = {};
    (function readFonts() {  // every class's font in one style pass (one probe each, read together)
      var classes = {};
      data.labels.forEach(function (d) { classes[d.c] = true; });
      var probes = Object.keys(classes).sort().map(function (cls) {
        var probe = TA.el("div", { class: "ta-label ta-label-" + cls });
        probe.style.visibility = "hidden";
        pane.appendChild(probe);
        return [cls, probe];
      });
      probes.forEach(function (cp) {
        var cs = window.getComputedStyle(cp[1]);
        var size = parseFloat(cs.fontSize) || 12;
        fonts[cp[0]] = {
          font: [cs.fontStyle, cs.fontWeight, cs.fontSize, cs.fontFamily].join(" "),
          spacing: parseFloat(cs.letterSpacing) || 0,
          upper: cs.textTransform === "uppercase",
          h: Math.ceil(parseFloat(cs.lineHeight) || size * 1.15)
        };
      });
      probes.forEach(function (cp) { pane.removeChild(cp[1]); });
    })();
    var items = data.labels.map(function (d) {
      return { d: d, node: null, ll: L.latLng(d.lat, d.lng), w: 0, h: fonts[d.c].h };
    });
    /** A label's width, measured the first time it is a candidate (most labels of a view are
     * never candidates: their zoom has not come, or their layer is off). */
    var lastFont = null;
    function measure(it) {
      if (!it.w) {
        var f = fonts[it.d.c];
        var text = f.upper ? it.d.t.toUpperCase() : it.d.t;
        if (lastFont !== f.font) ctx.font = lastFont = f.font;
        it.w = Math.ceil(ctx.measureText(text).width + f.spacing * Array.from(text).length) + 1;
      }
      return it.w;
    }
    function nodeOf(it) {
      if (!it.node) {
        it.node = TA.el("div", { class: "ta-label ta-label-" + it.d.c, "data-group": it.d.g }, it.d.t);
        pane.appendChild(it.node);
      }
      return it.node;
    }

    /** The site icons on the map (registered as ``site:…``), as layer-point boxes. */
    function siteBoxes() {
      var out = [];
      if (!TA.overlayShown("sites")) return out;
      Object.keys(TA.registry).forEach(function (key) {
        if (key.indexOf("site:") !== 0) return;
        TA.registry[key].forEach(function (m) {
          var p = map.latLngToLayerPoint(m.getLatLng());
          out.push([p.x - SITE_HALF, p.y - SITE_HALF, p.x + SITE_HALF, p.y + SITE_HALF]);
        });
      });
      return out;
    }

    /** The map's own controls (buttons, panels, attribution) and the clusters of places, as
     * layer-point boxes: no name is written over them. */
    function controlBoxes() {
      var out = [];
      var c = map.getContainer().getBoundingClientRect();
      Array.prototype.forEach.call(map.getContainer().querySelectorAll(".leaflet-control, .marker-cluster"), function (node) {
        var r = node.getBoundingClientRect();
        if (!r.width || !r.height) return;
        var a = map.containerPointToLayerPoint([r.left - c.left, r.top - c.top]);
        out.push([a.x, a.y, a.x + r.width, a.y + r.height]);
      });
      return out;
    }

    function layerShown(d) {
      if (TA.timeHidden && TA.timeHidden[d.g]) return false;  // a feature not yet reported at the time shown
      if (TA.hiddenKeys && TA.hiddenKeys[d.g]) return false;  // a place no article of the filter mentions
      if (TA.clusterGroup && TA.inCluster(d.g)) return false;  // a place inside a cluster: the cluster stands for it
      if (!d.l.length) return true;
      for (var i = 0; i < d.l.length; i++) if (TA.overlayShown(d.l[i])) return true;
      return false;
    }

    /** Place every label for the current view; returns the texts shown. */
    function place() {
      var z = map.getZoom();
      var size = map.getSize();
      var tl = map.containerPointToLayerPoint([0, 0]);
      var view = [tl.x, tl.y, tl.x + size.x, tl.y + size.y];
      var sites = siteBoxes();
      var placed = sites.concat(controlBoxes());
      var done = {};
      var shown = [];
      items.forEach(function (it) {
        var d = it.d;
        var ok = null;
        if (z >= d.z && !done[d.g] && layerShown(d)) {
          var p = map.latLngToLayerPoint(it.ll);
          var o = d.o;
          // a point under a site's icon is named from outside the icon
          for (var k = 0; k < sites.length && o; k++) {
            if (p.x >= sites[k][0] && p.x <= sites[k][2] && p.y >= sites[k][1] && p.y <= sites[k][3]) o = Math.max(o, SITE_HALF);
          }
          var cs = candidates(p, o, measure(it), it.h);
          for (var i = 0; i < cs.length && !ok; i++) {
            var b = [cs[i][0] - PAD, cs[i][1] - PAD, cs[i][0] + it.w + PAD, cs[i][1] + it.h + PAD];
            if (b[0] < view[0] || b[1] < view[1] || b[2] > view[2] || b[3] > view[3]) continue;
            var clash = false;
            for (var j = 0; j < placed.length && !clash; j++) clash = overlaps(b, placed[j]);
            if (!clash) ok = { b: b, x: cs[i][0], y: cs[i][1] };
          }
        }
        if (ok) {
          placed.push(ok.b);
          done[d.g] = true;
          var node = nodeOf(it);
          L.DomUtil.setPosition(node, L.point(Math.round(ok.x), Math.round(ok.y)));
          node.style.display = "";
          shown.push(d.t);
        } else if (it.node) {
          it.node.style.display = "none";
        }
      });
      TA.labels.shown = shown;
      pane.style.visibility = "";
      return shown;
    }

    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      L.Util.requestAnimFrame(function () { pending = false; place(); });
    }
    TA.labels = { place: place, shown: [] };
    map.on("zoomstart", function () { pane.style.visibility = "hidden"; });
    map.on("zoomend moveend resize viewreset overlayadd overlayremove layeradd layerremove", schedule);
    TA.afterInit.push(place);
  });
})(window.TumenAtlas);
