/* Tumen Atlas map behaviour: safe layers, reader, search, layer control, legend, fullscreen, URL state.
 * Every article text, title and quote arrives as JSON data and reaches the page through textContent
 * (or as popup HTML that the Python side escaped); nothing from the articles is ever evaluated. */
(function () {
  "use strict";
  var TA = (window.TumenAtlas = { registry: {}, popups: {}, map: null, data: null, overlays: [], bases: [] });

  L.Map.addInitHook(function () {
    var pane = this.createPane("basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  /** A Font Awesome icon (inlined font) by name; names come from the style table, checked here too. */
  function icon_el(name) {
    var i = el("i", { class: "ta-fa", "aria-hidden": "true" });
    if (/^[a-z0-9-]+$/.test(name || "")) i.classList.add("ta-fa-" + name);
    return i;
  }

  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[’‘ʼ`´]/g, "'").toLowerCase();
  }

  /* ---------------------------------------------------------------- layers */

  TA.featureLayer = function (data, opts) {
    var options = {
      interactive: opts.interactive !== false,
      style: function (f) { return f.properties._style || {}; },
      pointToLayer: function (f, ll) {
        var p = f.properties;
        if (p._marker === "site") {
          var icon = L.divIcon({ className: "ta-site ta-site-" + (p._site_kind || ""), html: "", iconSize: [26, 26], iconAnchor: [13, 13] });
          var mk = L.marker(ll, { icon: icon, keyboard: true, title: p._tooltip || "", alt: p._tooltip || "" });
          mk.on("add", function () {
            var node = mk.getElement();
            if (node && !node.firstChild) {
              node.appendChild(icon_el(p._icon));
              node.style.borderColor = (p._style && p._style.color) || "#000";
              node.style.color = (p._style && p._style.color) || "#000";
            }
          });
          return mk;
        }
        return L.circleMarker(ll, p._style || {});
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        if (p._tooltip) layer.bindTooltip(el("span", null, p._tooltip), { sticky: !(layer instanceof L.Marker) });
        if (p._popup) {
          layer.bindPopup(function () { return TA.popups[p._popup] || ""; }, { maxWidth: 400, maxHeight: 440, autoPanPadding: [30, 30] });
          layer.feature.properties._popupKey = p._popup;
        }
        if (p._key) (TA.registry[p._key] = TA.registry[p._key] || []).push(layer);
      }
    };
    if (opts.pane) options.pane = opts.pane;
    return L.geoJSON(data, options);
  };

  function overlayOf(layer) {
    for (var i = 0; i < TA.overlays.length; i++) {
      var found = false;
      TA.overlays[i].layer.eachLayer(function (child) {
        if (child === layer || (child.hasLayer && child.hasLayer(layer))) found = true;
      });
      if (found) return TA.overlays[i];
    }
    return null;
  }

  function showOverlay(o, on) {
    if (!o) return;
    if (on && !TA.map.hasLayer(o.layer)) TA.map.addLayer(o.layer);
    if (!on && TA.map.hasLayer(o.layer)) TA.map.removeLayer(o.layer);
    if (o.input) o.input.checked = on;
    writeHash();
  }

  /** Fly to a registered feature (place, site, route or river) and open its popup. */
  TA.flyTo = function (key) {
    var layers = TA.registry[key];
    if (!layers || !layers.length) return false;
    var layer = layers[0];
    showOverlay(overlayOf(layer), true);
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

  /* ---------------------------------------------------------------- URL state */

  var hashReady = false;
  function writeHash() {
    if (!hashReady || !TA.map) return;
    var c = TA.map.getCenter();
    var on = TA.overlays.filter(function (o) { return TA.map.hasLayer(o.layer); }).map(function (o) { return o.key; });
    var base = 0;
    TA.bases.forEach(function (b, i) { if (TA.map.hasLayer(b.layer)) base = i; });
    var h = "#map=" + TA.map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4) + "&layers=" + on.join(",") + "&base=" + base;
    if (window.history && history.replaceState) {
      try { history.replaceState(null, "", h); } catch (e) { /* sandboxed frame: no URL state */ }
    }
  }

  function readHash() {
    var out = {};
    var h = (window.location.hash || "").replace(/^#/, "");
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) out[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1));
    });
    var state = {};
    if (out.map) {
      var v = out.map.split("/").map(Number);
      if (v.length === 3 && v.every(function (x) { return isFinite(x); })) state.view = v;
    }
    if (out.layers !== undefined) state.layers = out.layers ? out.layers.split(",") : [];
    if (out.base !== undefined && isFinite(Number(out.base))) state.base = Number(out.base);
    return state;
  }

  /* ---------------------------------------------------------------- controls */

  /** A collapsible control panel: a box with a toggle button and a body. */
  function panel(cls, role, label) {
    var box = el("div", { class: "ta-control " + cls + " leaflet-bar", role: role, "aria-label": label });
    var toggle = el("button", { type: "button", class: "ta-toggle", "aria-expanded": "true" }, label === "Map layers" ? "Layers" : label);
    var body = el("div", { class: "ta-body" });
    toggle.addEventListener("click", function () {
      body.hidden = !body.hidden;
      toggle.setAttribute("aria-expanded", String(!body.hidden));
    });
    box.appendChild(toggle);
    box.appendChild(body);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return { box: box, body: body };
  }

  var LayerControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var p = panel("ta-layers", "group", "Map layers"), box = p.box, body = p.body;
      var groups = {};
      TA.overlays.forEach(function (o) {
        if (!groups[o.group]) {
          var fs = el("fieldset");
          fs.appendChild(el("legend", null, o.group));
          body.appendChild(fs);
          groups[o.group] = fs;
        }
        var label = el("label", { class: "ta-check" });
        var input = el("input", { type: "checkbox", "data-overlay": o.key });
        input.checked = TA.map.hasLayer(o.layer);
        input.addEventListener("change", function () { showOverlay(o, input.checked); });
        o.input = input;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + o.label + " (" + o.count + ")"));
        groups[o.group].appendChild(label);
      });
      var fsb = el("fieldset");
      fsb.appendChild(el("legend", null, "Basemap"));
      TA.bases.forEach(function (b, i) {
        var label = el("label", { class: "ta-check" });
        var input = el("input", { type: "radio", name: "ta-base", "data-base": String(i) });
        input.checked = TA.map.hasLayer(b.layer);
        input.addEventListener("change", function () {
          TA.bases.forEach(function (x) { if (TA.map.hasLayer(x.layer)) TA.map.removeLayer(x.layer); });
          TA.map.addLayer(b.layer);
          writeHash();
        });
        b.input = input;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + b.label));
        fsb.appendChild(label);
      });
      body.appendChild(fsb);
      return box;
    }
  });

  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var p = panel("ta-legend", "region", "Legend"), box = p.box, body = p.body;
      TA.data.legend.forEach(function (sec) {
        body.appendChild(el("h4", null, sec.title));
        var ul = el("ul");
        sec.items.forEach(function (it) {
          var li = el("li");
          var s = svg("svg", { width: 36, height: 14, "aria-hidden": "true" });
          if (it.line) {
            s.appendChild(svg("line", {
              x1: 2, y1: 7, x2: 34, y2: 7, stroke: it.line.color, "stroke-width": Math.min(it.line.weight || 3, 5),
              "stroke-dasharray": it.line.dashArray || null, "stroke-opacity": it.line.opacity === undefined ? 1 : it.line.opacity,
              "stroke-linecap": "round"
            }));
          } else if (it.circle) {
            s.appendChild(svg("circle", { cx: 18, cy: 7, r: 6, fill: it.circle.fillColor, stroke: it.circle.color, "stroke-width": 1 }));
          }
          if (it.icon) {
            var ic = icon_el(it.icon);
            ic.classList.add("ta-legend-icon");
            ic.style.color = it.color;
            li.appendChild(ic);
          } else {
            li.appendChild(s);
          }
          li.appendChild(document.createTextNode(" " + it.label));
          ul.appendChild(li);
        });
        body.appendChild(ul);
      });
      return box;
    }
  });

  var Search = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = el("div", { class: "ta-control ta-search leaflet-bar", role: "search" });
      var input = el("input", {
        type: "search", placeholder: "Find a place or site…", "aria-label": "Find a place or site",
        role: "combobox", "aria-expanded": "false", "aria-controls": "ta-search-list", "aria-autocomplete": "list"
      });
      var list = el("ul", { id: "ta-search-list", role: "listbox", class: "ta-search-list", hidden: "" });
      var items = TA.data.search.map(function (s) {
        return { s: s, hay: [s.name].concat(s.aliases).map(fold) };
      });
      var active = -1, shown = [];
      function render() {
        var q = fold(input.value.trim());
        list.textContent = "";
        shown = [];
        active = -1;
        if (!q) { list.hidden = true; input.setAttribute("aria-expanded", "false"); return; }
        items.forEach(function (it) {
          if (shown.length < 12 && it.hay.some(function (h) { return h.indexOf(q) >= 0; })) shown.push(it.s);
        });
        shown.forEach(function (s, i) {
          var li = el("li", { role: "option", id: "ta-opt-" + i, "data-key": s.key }, s.name + (s.kind === "site" ? " (site)" : " (" + s.mentions + ")"));
          li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
          list.appendChild(li);
        });
        if (!shown.length) list.appendChild(el("li", { class: "ta-none" }, "No match"));
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      function mark() {
        Array.prototype.forEach.call(list.children, function (li, i) { li.classList.toggle("ta-active", i === active); });
        if (active >= 0) input.setAttribute("aria-activedescendant", "ta-opt-" + active);
      }
      function choose(i) {
        var s = shown[i];
        if (!s) return;
        input.value = s.name;
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        TA.flyTo(s.key);
      }
      input.addEventListener("input", render);
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "ArrowDown") { active = Math.min(active + 1, shown.length - 1); mark(); ev.preventDefault(); }
        else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); mark(); ev.preventDefault(); }
        else if (ev.key === "Enter") { choose(active >= 0 ? active : 0); ev.preventDefault(); }
        else if (ev.key === "Escape") { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
      });
      box.appendChild(input);
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });

  function buttonControl(position, iconName, title, onClick, cls) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = el("div", { class: "leaflet-bar ta-control " + (cls || "") });
        var b = el("button", { type: "button", title: title, "aria-label": title, class: "ta-button" });
        b.appendChild(icon_el(iconName));
        b.addEventListener("click", onClick);
        box.appendChild(b);
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    return new C();
  }

  function toggleFullscreen() {
    var doc = document;
    var root = doc.documentElement;
    if (doc.fullscreenElement) {
      doc.exitFullscreen();
    } else if (root.requestFullscreen && doc.fullscreenEnabled) {
      root.requestFullscreen().catch(function () { doc.body.classList.toggle("ta-fullscreen"); });
    } else {
      doc.body.classList.toggle("ta-fullscreen");
    }
    setTimeout(function () { TA.map.invalidateSize(); }, 200);
  }

  /* ---------------------------------------------------------------- reader */

  var reader = null;

  function buildReader() {
    var panel = el("aside", { id: "ta-reader", class: "ta-reader", "aria-label": "Article reader", hidden: "" });
    var head = el("div", { class: "ta-reader-head" });
    head.appendChild(el("h2", { id: "ta-reader-title" }, TA.data.title));
    var close = el("button", { type: "button", class: "ta-button", "aria-label": "Close the reader" }, "×");
    close.addEventListener("click", function () { setReader(false); });
    head.appendChild(close);
    panel.appendChild(head);
    var list = el("nav", { class: "ta-article-list", "aria-label": "Articles" });
    var ul = el("ul");
    TA.data.articles.forEach(function (a) {
      var li = el("li");
      var b = el("button", { type: "button", class: "ta-article-link", "data-article": a.id });
      b.appendChild(el("span", { class: "ta-a-title" }, a.title));
      b.appendChild(el("span", { class: "ta-a-meta" }, [a.outlet || "outlet unknown", a.date].join(" · ")));
      b.addEventListener("click", function () { TA.openArticle(a.id); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    list.appendChild(ul);
    panel.appendChild(list);
    var view = el("article", { class: "ta-article", "aria-live": "polite" });
    panel.appendChild(view);
    var sources = el("details", { class: "ta-sources" });
    sources.appendChild(el("summary", null, "Sources and attribution"));
    var sl = el("ul");
    TA.data.articles.forEach(function (a) {
      sl.appendChild(el("li", null, a.title + ". " + (a.author ? a.author + ", " : "") + (a.outlet || "outlet unknown") + ", " + a.date + "."));
    });
    sources.appendChild(sl);
    sources.appendChild(el("p", null, "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0). Article texts remain their authors' and publishers'."));
    panel.appendChild(sources);
    document.body.appendChild(panel);
    panel.addEventListener("click", function (ev) {
      var m = ev.target.closest(".ta-mention");
      if (m) { TA.flyTo(m.getAttribute("data-key")); }
    });
    panel.addEventListener("keydown", function (ev) {
      var m = ev.target.closest && ev.target.closest(".ta-mention");
      if (m && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); TA.flyTo(m.getAttribute("data-key")); }
      if (ev.key === "Escape") setReader(false);
    });
    return { panel: panel, view: view };
  }

  function setReader(open) {
    if (!reader) reader = buildReader();
    reader.panel.hidden = !open;
    document.body.classList.toggle("ta-reader-open", open);
    setTimeout(function () { TA.map.invalidateSize(); }, 50);
  }

  /** Open an article in the reader; with start/end, highlight and scroll to that passage. */
  TA.openArticle = function (id, start, end) {
    setReader(true);
    var a = null;
    TA.data.articles.forEach(function (x) { if (x.id === id) a = x; });
    if (!a) return false;
    var view = reader.view;
    view.textContent = "";
    view.setAttribute("data-article", a.id);
    view.appendChild(el("h3", null, a.title));
    view.appendChild(el("p", { class: "ta-a-meta" }, [a.author || "author not given", a.outlet || "outlet unknown", a.date].join(" · ")));
    if (a.url && /^https?:\/\//i.test(a.url)) {  // only web links: never javascript: or data:
      var src = el("p", { class: "ta-a-meta" });
      src.appendChild(el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, "Original article"));
      view.appendChild(src);
    }
    if (a.notes) view.appendChild(el("p", { class: "ta-a-notes" }, a.notes));
    var text = a.text;
    var cuts = [0, text.length];
    a.mentions.forEach(function (m) { cuts.push(m[0], m[1]); });
    a.chrome.forEach(function (c) { cuts.push(c[0], c[1]); });
    var hasQuote = typeof start === "number" && typeof end === "number" && end > start;
    if (hasQuote) cuts.push(start, end);
    cuts = cuts.filter(function (x, i, arr) { return x >= 0 && x <= text.length && arr.indexOf(x) === i; }).sort(function (x, y) { return x - y; });
    var body = el("div", { class: "ta-text" });
    var firstHl = null;
    for (var i = 0; i < cuts.length - 1; i++) {
      var s = cuts[i], e = cuts[i + 1];
      var piece = text.slice(s, e);
      var mention = null;
      a.mentions.forEach(function (m) { if (m[0] <= s && e <= m[1]) mention = m; });
      var chrome = null;
      a.chrome.forEach(function (c) { if (c[0] <= s && e <= c[1]) chrome = c; });
      var node;
      if (mention) {
        node = el("mark", { class: "ta-mention", tabindex: "0", role: "button", "data-key": mention[2], title: "Show on the map" }, piece);
      } else {
        node = el("span", null, piece);
      }
      if (chrome) { node.classList.add("ta-chrome"); node.setAttribute("title", "Site chrome (" + chrome[2] + "): not geoparsed"); }
      if (hasQuote && start <= s && e <= end) {
        node.classList.add("ta-hl");
        if (!firstHl) firstHl = node;
      }
      body.appendChild(node);
    }
    view.appendChild(body);
    if (firstHl) {
      firstHl.setAttribute("tabindex", firstHl.getAttribute("tabindex") || "-1");
      firstHl.scrollIntoView({ block: "center" });
      firstHl.focus({ preventScroll: true });
    } else {
      view.scrollTop = 0;
      reader.panel.scrollTop = 0;
    }
    return true;
  };

  /* ---------------------------------------------------------------- init */

  TA.init = function (map, data) {
    TA.map = map;
    TA.data = data;
    TA.popups = data.popups;
    map.getContainer().style.background = data.sea;
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution(data.attribution);
    TA.overlays = data.overlays.map(function (o) { return Object.assign({}, o, { layer: window[o.var] }); });
    TA.bases = data.bases.map(function (b) { return Object.assign({}, b, { layer: window[b.var] }); });
    TA.bases.forEach(function (b) { if (b.attribution && b.layer.options) b.layer.options.attribution = b.attribution; });

    var state = readHash();
    if (state.layers) {
      TA.overlays.forEach(function (o) {
        var on = state.layers.indexOf(o.key) >= 0;
        if (on && !map.hasLayer(o.layer)) map.addLayer(o.layer);
        if (!on && map.hasLayer(o.layer)) map.removeLayer(o.layer);
      });
    }
    if (state.base !== undefined && TA.bases[state.base]) {
      TA.bases.forEach(function (b) { if (map.hasLayer(b.layer)) map.removeLayer(b.layer); });
      map.addLayer(TA.bases[state.base].layer);
    }
    if (state.view) map.setView([state.view[1], state.view[2]], state.view[0]);
    else map.fitBounds(data.bounds, { padding: [20, 20] });

    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    new Search().addTo(map);
    buttonControl("topleft", data.buttons.reader, "Articles: read the sources with every place highlighted", function () {
      setReader(!(reader && !reader.panel.hidden));
    }, "ta-reader-button").addTo(map);
    buttonControl("topleft", data.buttons.fullscreen, "Full screen", toggleFullscreen, "ta-fullscreen-button").addTo(map);
    new LayerControl().addTo(map);
    new Legend().addTo(map);

    document.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest(".ta-read");
      if (!a) return;
      ev.preventDefault();
      TA.openArticle(a.getAttribute("data-article"), Number(a.getAttribute("data-start")), Number(a.getAttribute("data-end")));
    });
    map.on("moveend zoomend overlayadd overlayremove layeradd layerremove", writeHash);
    hashReady = true;
    writeHash();
    document.documentElement.setAttribute("data-atlas-ready", "1");
  };
})();
