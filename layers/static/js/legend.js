/* The legend, drawn from the style table's legend sections (the same table the features use). */
(function (TA) {
  "use strict";
  function swatch(it) {
    var s = TA.svg("svg", { width: 36, height: 14, "aria-hidden": "true" });
    if (it.line) {
      s.appendChild(TA.svg("line", {
        x1: 2, y1: 7, x2: 34, y2: 7, stroke: it.line.color, "stroke-width": Math.min(it.line.weight || 3, 5),
        "stroke-dasharray": it.line.dashArray || null, "stroke-opacity": it.line.opacity === undefined ? 1 : it.line.opacity,
        "stroke-linecap": "round"
      }));
    } else if (it.area) {
      s.appendChild(TA.svg("rect", { x: 4, y: 1, width: 28, height: 12, rx: 2, fill: it.area.fillColor, "fill-opacity": Math.max(it.area.fillOpacity, 0.3),
        stroke: it.area.color, "stroke-width": 1, "stroke-dasharray": it.area.dashArray || null }));
    } else if (it.circle) {
      s.appendChild(TA.svg("circle", { cx: 18, cy: 7, r: 6, fill: it.circle.fillColor, stroke: it.circle.color, "stroke-width": 1 }));
    }
    return s;
  }
  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var p = TA.panel("ta-legend", "region", "Legend"), body = p.body;
      TA.data.legend.forEach(function (sec) {
        body.appendChild(TA.el("h4", null, sec.title));
        var ul = TA.el("ul");
        sec.items.forEach(function (it) {
          var li = TA.el("li");
          if (it.icon) {
            var ic = TA.icon(it.icon);
            ic.classList.add("ta-legend-icon");
            ic.style.color = it.color;
            li.appendChild(ic);
          } else {
            li.appendChild(swatch(it));
          }
          li.appendChild(document.createTextNode(" " + it.label));
          ul.appendChild(li);
        });
        body.appendChild(ul);
      });
      return p.box;
    }
  });
  TA.control("legend", 50, function (map) { new Legend().addTo(map); });
})(window.TumenAtlas);
