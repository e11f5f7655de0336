/* Tumen Atlas page core: the namespace, DOM and escaping helpers, layer registration, the data
 * contract check and the control registry. Every other module adds to window.TumenAtlas.
 *
 * Every article text, title and quote arrives as JSON data and reaches the page through
 * textContent (or as popup HTML that the Python side escaped); nothing from the articles is ever
 * evaluated or assigned to innerHTML here. */
(function () {
  "use strict";
  var TA = (window.TumenAtlas = {
    registry: {}, popups: {}, map: null, data: null, overlays: [], bases: [],
    registered: { overlay: {}, base: {} }, controls: []
  });

  /* The contract (layers/contract.py): the data document's version and keys. */
  TA.SCHEMA = "tumen-atlas/page/5";
  TA.REQUIRED = ["articles", "as_of_rule", "attribution", "bases", "bounds", "buttons", "cluster", "labels", "legend", "overlays", "placement",
    "popups", "scale", "schema", "search", "sea", "sources", "texts", "timeline", "title"];

  /** -1, 0 or 1 as date ``a`` (YYYY, YYYY-MM or YYYY-MM-DD) is before, at or after date ``b`` by the
   * as-of rule: the page's ``as_of_rule`` (geo/timeline.py AS_OF_RULE, which says which precisions a
   * date has and at which of the two it compares them), or ``rule``. */
  TA.compareDates = function (a, b, rule) {
    rule = rule || TA.data.as_of_rule;
    var precisions = rule.precisions;
    function precision(d) {
      var k = 0;
      for (var i = 0; i < precisions.length; i++) if (d.length >= precisions[i][1]) k = i;
      return k;
    }
    var pa = precision(a), pb = precision(b);
    var n = precisions[rule.compare_at === "coarser" ? Math.min(pa, pb) : Math.max(pa, pb)][1];
    var x = a.slice(0, n), y = b.slice(0, n);
    return x < y ? -1 : x > y ? 1 : 0;
  };

  /** Whether something dated ``date`` ("" or null: undated) counts as of ``t`` ("" or null: the whole
   * record), by the page's as-of rule (or ``rule``), as geo/timeline.py published_by decides. */
  TA.publishedBy = function (date, t, rule) {
    rule = rule || TA.data.as_of_rule;
    if (!t) return rule.no_as_of;
    if (!date) return rule.undated;
    return TA.compareDates(date, t, rule) <= 0;
  };

  /** The articles' texts, ``[[text, chrome, mentions], ...]`` in the order of ``data.articles``:
   * they travel gzip-compressed (base64) and are decoded once, with the browser's own
   * DecompressionStream, when first asked for. A promise; ``TA.texts`` holds them once read. */
  /** JSON packed by the build (layers/page.py pack_json: gzip, then base64), decoded with the
   * browser's own DecompressionStream: a promise of the value. */
  TA.unpack = function (b64) {
    return new Promise(function (resolve) {
      var bin = atob(b64), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      resolve(new Response(stream).text());
    }).then(JSON.parse);
  };

  /** ``fn`` once the browser has drawn the next frame (work that can wait for the map). */
  TA.afterFrame = function (fn) {
    requestAnimationFrame(function () { setTimeout(fn, 0); });
  };

  TA.texts = null;
  TA.loadTexts = function () {
    if (!TA._texts) TA._texts = TA.unpack(TA.data.texts).then(function (t) { TA.texts = t; return t; });
    return TA._texts;
  };

  /** An article's date as YYYY, YYYY-MM or YYYY-MM-DD ("" when undated), from its shown date. */
  TA.isoDate = function (a) {
    var m = /^\d{4}(-\d{2}(-\d{2})?)?/.exec(a.date || "");
    return m ? m[0] : "";
  };

  /** Throws an Error naming what is wrong when ``data`` does not keep the contract. */
  TA.checkData = function (data) {
    if (!data || typeof data !== "object") throw new Error("Tumen Atlas: no map data");
    if (data.schema !== TA.SCHEMA) {
      throw new Error("Tumen Atlas: map data is " + String(data.schema) + ", this page reads " + TA.SCHEMA);
    }
    var missing = TA.REQUIRED.filter(function (k) { return !(k in data); });
    if (missing.length) throw new Error("Tumen Atlas: map data lacks " + missing.join(", "));
    ["articles", "bases", "labels", "legend", "overlays", "search", "sources"].forEach(function (k) {
      if (!Array.isArray(data[k])) throw new Error("Tumen Atlas: map data '" + k + "' is not a list");
    });
    return data;
  };

  /** Layers register themselves by key (the build writes these calls). */
  TA.registerOverlay = function (key, layer) { TA.registered.overlay[key] = layer; };
  TA.registerBase = function (key, layer) { TA.registered.base[key] = layer; };

  /** A control module: ``add(map, data)`` runs at init, in ``order``. */
  TA.control = function (name, order, add) {
    TA.controls.push({ name: name, order: order, add: add });
    TA.controls.sort(function (a, b) { return a.order - b.order; });
  };

  /* ---------------------------------------------------------------- DOM helpers */

  /** The JSON data block ``id`` of the page, parsed (JSON.parse reads large data faster than the
   * script parser reads the same object written as a literal). */
  TA.json = function (id) {
    return JSON.parse(document.getElementById(id).textContent);
  };

  TA.el = function (tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  TA.svg = function (tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    return node;
  };

  /** A Font Awesome icon (inlined font) by name; names come from the style table, checked here too. */
  TA.icon = function (name) {
    var i = TA.el("i", { class: "ta-fa", "aria-hidden": "true" });
    if (/^[a-z0-9-]+$/.test(name || "")) i.classList.add("ta-fa-" + name);
    return i;
  };

  /** Text folded for matching: no accents, one apostrophe, lower case. */
  TA.fold = function (s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[’‘ʼ`´]/g, "'").toLowerCase();
  };

  /** A small screen or a small iframe: panels start collapsed and the map comes first. */
  TA.compact = function () {
    return window.innerWidth < 700 || window.innerHeight < 500;
  };

  /** A collapsible control panel: a box with a toggle button and a body (collapsed when compact). */
  TA.panel = function (cls, role, label, short) {
    var box = TA.el("div", { class: "ta-control " + cls + " leaflet-bar", role: role, "aria-label": label });
    var toggle = TA.el("button", { type: "button", class: "ta-toggle", "aria-expanded": "true" }, short || label);
    var body = TA.el("div", { class: "ta-body" });
    function set(open) {
      body.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      box.classList.toggle("ta-collapsed", !open);
    }
    toggle.addEventListener("click", function () { set(body.hidden); });
    box.appendChild(toggle);
    box.appendChild(body);
    set(!TA.compact());
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return { box: box, body: body, toggle: toggle, set: set };
  };

  /** A one-button control. */
  TA.buttonControl = function (position, iconName, title, onClick, cls) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = TA.el("div", { class: "leaflet-bar ta-control " + (cls || "") });
        var b = TA.el("button", { type: "button", title: title, "aria-label": title, class: "ta-button" });
        b.appendChild(TA.icon(iconName));
        b.addEventListener("click", onClick);
        box.appendChild(b);
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    return new C();
  };

  /** A visible message when the page cannot start (bad data): never a blank map. */
  TA.fail = function (err) {
    var box = TA.el("div", { class: "ta-error", role: "alert" }, String(err && err.message ? err.message : err));
    document.body.appendChild(box);
    document.documentElement.setAttribute("data-atlas-error", "1");
  };
})();
