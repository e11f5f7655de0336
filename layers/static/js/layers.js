/* Feature layers: safe GeoJSON (popups by key, tooltips as text), the feature registry, showing
 * and hiding overlays, flying to a feature. */
(function (TA) {
  "use strict";

  L.Map.addInitHook(function () {
    var pane = this.createPane("basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
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
      if (p.tooltip) layer.bindTooltip(TA.el("span", null, p.tooltip), Object.assign({ sticky: !(layer instanceof L.Marker) }, tooltipOpts));
      if (p.popup) {
        layer.bindPopup(function () { return (p.segment ? TA.popups[p.segment] || "" : "") + (TA.popups[p.popup] || ""); },
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
