/* Feature layers: safe GeoJSON (popups by key, tooltips as text), the feature registry, showing
 * and hiding overlays, flying to a feature. */
(function (TA) {
  "use strict";

  L.Map.addInitHook(function () {
    var pane = this.createPane("basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    var areas = this.createPane("areas");  // areal places: above the basemap, under every overlay
    areas.style.zIndex = 350;
    /* A country's shade says where the coverage is at the scale of countries; close in, where its
     * 1:50m outline strays from the 1:10m coast, it fades out of the way of the towns and lines. */
    this.on("zoomend", function () {
      var z = this.getZoom();
      areas.style.opacity = z >= 9 ? 0 : z >= 7 ? 0.45 : 1;
      areas.style.pointerEvents = z >= 9 ? "none" : "";
    });
  });

  /* Routes that share a corridor are drawn side by side: a line whose feature carries ``lanes``
   * (one per vertex) is shifted, in screen space, that many lanes to the left of its direction of
   * travel, after projection at every zoom, so that each stays visible and clickable. */
  TA.LANE_PX = 4;
  var projectLatlngs = L.Polyline.prototype._projectLatlngs;
  L.Polyline.include({
    _projectLatlngs: function (latlngs, result, projectedBounds) {
      var before = result.length;
      projectLatlngs.call(this, latlngs, result, projectedBounds);
      var lanes = this.feature && this.feature.properties && this.feature.properties.lanes;
      if (!lanes || result.length !== before + 1 || result[before].length !== lanes.length) return;
      result[before] = TA.shiftLine(result[before], lanes, TA.LANE_PX);
    }
  });

  /** ``pts`` (projected, y down) each moved ``lanes[i] * px`` to the left of the line, mitred at
   * each corner so the line keeps its distance from both legs (as ``layers.export.shift_line``). */
  TA.shiftLine = function (pts, lanes, px) {
    var n = pts.length, normals = [], out = new Array(n), i;
    for (i = 0; i < n - 1; i++) {
      var dx = pts[i + 1].x - pts[i].x, dy = pts[i + 1].y - pts[i].y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      normals.push([dy / len, -dx / len]);  // left of travel, on a screen whose y runs down
    }
    if (!normals.length) return pts;
    for (i = 0; i < n; i++) {
      var n1 = normals[i > 0 ? i - 1 : 0], n2 = normals[i < n - 1 ? i : n - 2];
      var k = Math.max(1 + n1[0] * n2[0] + n1[1] * n2[1], 0.5);  // a sharp turn's mitre is capped
      var d = lanes[i] * px;
      out[i] = L.point(pts[i].x + d * (n1[0] + n2[0]) / k, pts[i].y + d * (n1[1] + n2[1]) / k);
    }
    return out;
  };

  /* The basemap's shapes (tens of thousands of vertices, no interaction) are drawn by a lean path
   * layer: each ring is kept as one flat array of lon/lat numbers, projected and simplified (to a
   * pixel, as Leaflet simplifies its paths) in one pass per zoom with no LatLng or Point object
   * per vertex; at each move, rings out of view are skipped and a ring reaching past the view is
   * clipped to it, as Leaflet clips its own paths. */
  TA.FlatPath = L.Path.extend({
    /** ``rings``: flat lists [lon0, lat0, lon1, lat1, ...]; ``closed``: polygons (filled) or lines. */
    initialize: function (rings, closed, options) {
      L.setOptions(this, options);
      this._flat = rings;
      this._closed = closed;
      var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
      rings.forEach(function (r) {
        for (var i = 0; i < r.length; i += 2) {
          if (r[i] < w) w = r[i];
          if (r[i] > e) e = r[i];
          if (r[i + 1] < s) s = r[i + 1];
          if (r[i + 1] > n) n = r[i + 1];
        }
      });
      this._bounds = rings.length ? L.latLngBounds([s, w], [n, e]) : L.latLngBounds([]);
    },

    getBounds: function () { return this._bounds; },

    beforeAdd: function (map) {
      var r = map.getRenderer(this);
      if (!r._setPath) {  // a map that prefers canvas: these paths are still drawn as SVG
        var own = map._taSvg || (map._taSvg = {});
        r = own[this.options.pane] || (own[this.options.pane] = L.svg({ pane: this.options.pane }));
        if (!map.hasLayer(r)) map.addLayer(r);
      }
      this._renderer = r;
    },

    _project: function () {
      var map = this._map;
      this._px = this._flat.map(function (r) { return TA.simplifyFlat(TA.projectFlat(map, r), 1); });
    },

    _update: function () {
      if (!this._map || !this._renderer) return;
      var view = this._renderer._bounds, d = [], closed = this._closed;
      this._px.forEach(function (r) {
        var b = r.box;
        if (b[2] < view.min.x || b[0] > view.max.x || b[3] < view.min.y || b[1] > view.max.y) return;
        if (b[0] >= view.min.x && b[2] <= view.max.x && b[1] >= view.min.y && b[3] <= view.max.y) {
          d.push(TA.flatPathData(r, closed));
          return;
        }
        var pts = [];
        for (var i = 0; i < r.length; i += 2) pts.push(L.point(r[i], r[i + 1]));
        if (closed) {
          pts = L.PolyUtil.clipPolygon(pts, view, true);
          if (pts.length) d.push(TA.pointsPathData(pts, true));
          return;
        }
        var part = [];
        for (var j = 0; j < pts.length - 1; j++) {
          var seg = L.LineUtil.clipSegment(pts[j], pts[j + 1], view, j, true);
          if (!seg) continue;
          if (!part.length) part.push(seg[0]);
          part.push(seg[1]);
          if (seg[1] !== pts[j + 1] || j === pts.length - 2) {
            if (part.length > 1) d.push(TA.pointsPathData(part, false));
            part = [];
          }
        }
      });
      this._renderer._setPath(this, d.join("") || "M0 0");
    },

    _containsPoint: function () { return false; }
  });

  /** The flat lon/lat ring ``r`` as layer points of ``map`` at its zoom, rounded to the pixel as
   * Leaflet's latLngToLayerPoint rounds them; ``.box`` holds their bounds. */
  TA.projectFlat = function (map, r) {
    var n = r.length, out = new Float64Array(n), origin = map.getPixelOrigin(), crs = map.options.crs;
    var scale = crs.scale(map.getZoom()), max = L.Projection.SphericalMercator.MAX_LATITUDE, D = Math.PI / 180;
    for (var i = 0; i < n; i += 2) {
      if (crs === L.CRS.EPSG3857) {  // the map's own projection, inlined: Web Mercator in pixels
        var lat = Math.max(Math.min(max, r[i + 1]), -max);
        out[i] = Math.round(scale * (0.5 + r[i] / 360)) - origin.x;
        out[i + 1] = Math.round(scale * (0.5 - Math.log(Math.tan(Math.PI / 4 + lat * D / 2)) / (2 * Math.PI))) - origin.y;
      } else {
        var p = map.latLngToLayerPoint([r[i + 1], r[i]]);
        out[i] = p.x;
        out[i + 1] = p.y;
      }
    }
    return out;
  };

  /** The points of flat ring ``p`` (x0, y0, x1, y1, ...) that Douglas-Peucker keeps at ``tol``
   * pixels, after dropping points within ``tol`` of the one before; ``.box`` holds their bounds. */
  TA.simplifyFlat = function (p, tol) {
    var n = p.length / 2, sq = tol * tol, keep = [], i;
    var px = p[0], py = p[1];
    keep.push(0);
    for (i = 1; i < n; i++) {
      var dx = p[2 * i] - px, dy = p[2 * i + 1] - py;
      if (dx * dx + dy * dy > sq || i === n - 1) { keep.push(i); px = p[2 * i]; py = p[2 * i + 1]; }
    }
    var m = keep.length, mark = new Uint8Array(m), stack = [0, m - 1];
    mark[0] = mark[m - 1] = 1;
    while (stack.length) {
      var last = stack.pop(), first = stack.pop(), maxSq = 0, index = -1;
      var ax = p[2 * keep[first]], ay = p[2 * keep[first] + 1], bx = p[2 * keep[last]], by = p[2 * keep[last] + 1];
      var ex = bx - ax, ey = by - ay, len = ex * ex + ey * ey;
      for (i = first + 1; i < last; i++) {
        var qx = p[2 * keep[i]], qy = p[2 * keep[i] + 1], t = len ? ((qx - ax) * ex + (qy - ay) * ey) / len : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        var fx = ax + t * ex - qx, fy = ay + t * ey - qy, dsq = fx * fx + fy * fy;
        if (dsq > maxSq) { maxSq = dsq; index = i; }
      }
      if (maxSq > sq) { mark[index] = 1; stack.push(first, index, index, last); }
    }
    var count = 0;
    for (i = 0; i < m; i++) count += mark[i];
    var out = new Float64Array(2 * count), k = 0, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (i = 0; i < m; i++) {
      if (!mark[i]) continue;
      var x = p[2 * keep[i]], y = p[2 * keep[i] + 1];
      out[k++] = x; out[k++] = y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    out.box = [x0, y0, x1, y1];
    return out;
  };

  /** SVG path data for a flat ring of layer points. */
  TA.flatPathData = function (r, closed) {
    var s = "M" + r[0] + " " + r[1];
    for (var i = 2; i < r.length; i += 2) s += "L" + r[i] + " " + r[i + 1];
    return closed ? s + "z" : s;
  };

  TA.pointsPathData = function (pts, closed) {
    var s = "";
    for (var i = 0; i < pts.length; i++) s += (i ? "L" : "M") + pts[i].x + " " + pts[i].y;
    return closed ? s + "z" : s;
  };

  /** The basemap layer of ``shapes`` (layers/contract.py FlatShape: ``closed``, ``style`` and
   * ``rings``, each ring a flat list lon0, lat0, lon1, lat1, ...), drawn as FlatPaths. */
  TA.flatLayer = function (shapes, options) {
    var group = L.featureGroup();
    shapes.forEach(function (s) {
      var style = Object.assign({ interactive: false, fill: !!s.closed, pane: options.pane || "overlayPane" }, s.style || {});
      group.addLayer(new TA.FlatPath(s.rings, !!s.closed, style));
    });
    return group;
  };

  /** A GeoJSON layer whose features' properties keep the contract (FeatureProps). */
  TA.featureLayer = function (data, opts) {
    var tooltipOpts = opts.tooltip || {}, popupOpts = opts.popup || {};
    var options = {
      interactive: opts.interactive !== false,
      style: function (f) { return f.properties.style || {}; },
      pointToLayer: function (f, ll) {
        var p = f.properties;
        if (p.marker === "site") {
          var icon = L.divIcon({ className: "ta-site ta-site-" + (p.site_kind || ""), html: "", iconSize: [26, 26], iconAnchor: [13, 13] });
          var mk = L.marker(ll, { icon: icon, keyboard: true, title: p.tooltip || "", alt: p.tooltip || "" });
          mk.on("add", function () {
            var node = mk.getElement();
            if (node && !node.firstChild) {
              node.appendChild(TA.icon(p.icon));
              node.style.borderColor = (p.style && p.style.color) || "#000";
              node.style.color = (p.style && p.style.color) || "#000";
            }
          });
          return mk;
        }
        return L.circleMarker(ll, p.style || {});
      },
      onEachFeature: function (f, layer) {
        bind(f.properties, layer);
        if (f.properties.key) (TA.registry[f.properties.key] = TA.registry[f.properties.key] || []).push(layer);
      }
    };
    function bind(p, layer) {
      // the tooltip's text node is made when it is first shown (a map may have thousands)
      if (p.tooltip) layer.bindTooltip(function () { return TA.el("span", null, p.tooltip); }, Object.assign({ sticky: !(layer instanceof L.Marker) }, tooltipOpts));
      if (p.popup) {
        layer.bindPopup(function () {
          if (!(p.popup in TA.popups)) return TA.el("p", { class: "ta-loading" }, "Reading…");
          return (p.segment ? TA.popups[p.segment] || "" : "") + (TA.popups[p.popup] || "");
        },
          Object.assign({ maxWidth: 400, maxHeight: 440, autoPanPadding: [30, 30] }, popupOpts));
      }
    }
    if (opts.pane) options.pane = opts.pane;
    var group = L.geoJSON(data, options);
    if (options.interactive) {
      // a dashed line is clickable in its gaps too: an unseen line, one lane wide, along it
      var hits = [];
      group.eachLayer(function (layer) {
        var p = layer.feature && layer.feature.properties;
        if (!(layer instanceof L.Polyline) || layer instanceof L.Polygon || !p || !p.style || !p.style.dashArray) return;
        var hit = L.polyline(layer.getLatLngs(), { weight: TA.LANE_PX + 1, opacity: 0, interactive: true,
          pane: options.pane || "overlayPane", className: "ta-hit" });
        hit.feature = layer.feature;
        bind(p, hit);
        hits.push(hit);
      });
      hits.forEach(function (h) { group.addLayer(h); });
    }
    if (opts.cluster && L.markerClusterGroup && TA.makeCluster) {  // a map of many places: clustered by zoom
      var markers = [];
      group.eachLayer(function (l) { markers.push(l); });
      return TA.makeCluster(markers);
    }
    return group;
  };

  TA.overlayOf = function (layer) {
    for (var i = 0; i < TA.overlays.length; i++) {
      var found = false;
      TA.overlays[i].layer.eachLayer(function (child) {
        if (child === layer || (child.hasLayer && child.hasLayer(layer))) found = true;
      });
      if (found) return TA.overlays[i];
    }
    return null;
  };

  TA.overlayShown = function (key) {
    for (var i = 0; i < TA.overlays.length; i++) {
      if (TA.overlays[i].key === key) return TA.map.hasLayer(TA.overlays[i].layer);
    }
    return false;
  };

  TA.showOverlay = function (o, on) {
    if (!o) return;
    if (on && !TA.map.hasLayer(o.layer)) TA.map.addLayer(o.layer);
    if (!on && TA.map.hasLayer(o.layer)) TA.map.removeLayer(o.layer);
    if (o.input) o.input.checked = on;
    if (TA.writeHash) TA.writeHash();
  };

  /** Fly to a registered feature (place, site, route or river) and open its popup. */
  TA.flyTo = function (key) {
    var layers = TA.registry[key];
    if (!layers || !layers.length) return false;
    var layer = layers[0];
    TA.showOverlay(TA.overlayOf(layer), true);
    var map = TA.map;
    var open = function () {
      map.off("moveend", open);
      var g = TA.clusterGroup;
      if (g && layer.getLatLng && g.hasLayer(layer) && g.getVisibleParent(layer) !== layer) {
        g.zoomToShowLayer(layer, function () { layer.openPopup(); });  // out of its cluster first
        return;
      }
      if (layer.getLatLng) layer.openPopup();
      else layer.openPopup(layer.getBounds().getCenter());
    };
    map.on("moveend", open);
    if (layer.getLatLng) {
      map.flyTo(layer.getLatLng(), Math.max(map.getZoom(), 7), { duration: 0.8 });
    } else {
      var b = L.latLngBounds([]);
      layers.forEach(function (l) { b.extend(l.getBounds()); });
      map.flyToBounds(b, { padding: [40, 40], duration: 0.8 });
    }
    return true;
  };
})(window.TumenAtlas);
