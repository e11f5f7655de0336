/* The layer control: overlays by group, with counts, and the basemap choice. */
(function (TA) {
  "use strict";
  var LayerControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function (map) {
      var p = TA.panel("ta-layers", "group", "Map layers", "Layers"), body = p.body;
      var groups = {}, inGroup = {};
      TA.overlays.forEach(function (o) { inGroup[o.group] = (inGroup[o.group] || 0) + o.count; });
      TA.overlays.forEach(function (o) {
        if (!groups[o.group]) {
          var fs = TA.el("fieldset");
          fs.appendChild(TA.el("legend", null, o.group));
          // a group the articles give nothing to (no corridor in a folder of local news) is one line
          if (!inGroup[o.group]) fs.appendChild(TA.el("p", { class: "ta-none" }, "None in these articles"));
          body.appendChild(fs);
          groups[o.group] = fs;
        }
        if (!inGroup[o.group]) return;
        var label = TA.el("label", { class: o.count ? "ta-check" : "ta-check ta-empty" });
        var input = TA.el("input", { type: "checkbox", "data-overlay": o.key });
        input.checked = map.hasLayer(o.layer);
        if (!o.count) {  // listed, so the legend's kinds can be found, but there is nothing to show
          input.disabled = true;
          label.title = "None in these articles";
        }
        input.addEventListener("change", function () { TA.showOverlay(o, input.checked); });
        o.input = input;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + o.label + " (" + o.count + ")"));
        groups[o.group].appendChild(label);
      });
      var fsb = TA.el("fieldset");
      fsb.appendChild(TA.el("legend", null, "Basemap"));
      TA.bases.forEach(function (b) {
        var label = TA.el("label", { class: "ta-check" });
        var input = TA.el("input", { type: "radio", name: "ta-base", "data-base": b.key });
        input.checked = map.hasLayer(b.layer);
        input.addEventListener("change", function () {
          TA.bases.forEach(function (x) { if (map.hasLayer(x.layer)) map.removeLayer(x.layer); });
          map.addLayer(b.layer);
          if (TA.writeHash) TA.writeHash();
        });
        b.input = input;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + b.label));
        fsb.appendChild(label);
      });
      body.appendChild(fsb);
      return p.box;
    }
  });
  TA.control("layers", 40, function (map) { new LayerControl().addTo(map); });
})(window.TumenAtlas);
