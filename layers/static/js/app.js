/* Start-up: check the data against the contract, join the registered layers to it, then add each
 * control module in its order (URL state first, so the view from a link is set before anything
 * is placed). */
(function (TA) {
  "use strict";
  TA.afterInit = [];

  function joinLayers(list, kind) {
    return list.map(function (x) {
      var layer = TA.registered[kind][x.key];
      if (!layer) throw new Error("Tumen Atlas: no " + kind + " layer registered as '" + x.key + "'");
      return Object.assign({}, x, { layer: layer });
    });
  }

  /** ``only``: the names of the controls to add (all when absent), for testing one on its own. */
  TA.init = function (map, data, only) {
    try {
      TA.checkData(data);
      TA.map = map;
      TA.data = data;
      // the popups travel packed: decoded now, and a popup opened before shows once they are
      TA.popups = {};
      TA.popupsReady = new Promise(function (resolve) {  // after the first frame: the map comes first
        TA.afterFrame(function () { resolve(TA.unpack(data.popups)); });
      }).then(function (p) {
        TA.popups = p;
        if (map._popup && map._popup.isOpen && map._popup.isOpen()) map._popup.update();
        return p;
      });
      map.getContainer().style.background = data.sea;
      if (map.attributionControl) {
        map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        map.attributionControl.addAttribution(data.attribution);
        var attr = map.attributionControl.getContainer();
        attr.setAttribute("tabindex", "0");
        attr.addEventListener("click", function () { attr.classList.toggle("ta-open"); });
      }
      TA.overlays = joinLayers(data.overlays, "overlay");
      TA.bases = joinLayers(data.bases, "base");
      TA.bases.forEach(function (b) { if (b.attribution && b.layer.options) b.layer.options.attribution = b.attribution; });
      L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
      TA.controls.forEach(function (c) {
        if (!only || only.indexOf(c.name) >= 0) c.add(map, data);
      });
      TA.afterInit.forEach(function (f) { f(); });
      if (TA.writeHash) TA.writeHash();
      document.documentElement.setAttribute("data-atlas-ready", "1");
    } catch (err) {
      TA.fail(err);
      throw err;
    }
  };
})(window.TumenAtlas);
