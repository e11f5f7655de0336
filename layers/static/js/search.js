/* Search: a combobox over the places and sites, in any spelling or script (keyboard-operable). */
(function (TA) {
  "use strict";
  var Search = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = TA.el("div", { class: "ta-control ta-search leaflet-bar", role: "search" });
      var input = TA.el("input", {
        type: "search", placeholder: "Find a place or site…", "aria-label": "Find a place or site",
        role: "combobox", "aria-expanded": "false", "aria-controls": "ta-search-list", "aria-autocomplete": "list"
      });
      var list = TA.el("ul", { id: "ta-search-list", role: "listbox", class: "ta-search-list", hidden: "" });
      var items = TA.data.search.map(function (s) {
        return { s: s, hay: [s.name].concat(s.aliases).map(TA.fold) };
      });
      var active = -1, shown = [];
      function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
      function render() {
        var q = TA.fold(input.value.trim());
        list.textContent = "";
        shown = [];
        active = -1;
        if (!q) { close(); return; }
        items.forEach(function (it) {
          if (shown.length < 12 && it.hay.some(function (h) { return h.indexOf(q) >= 0; })) shown.push(it.s);
        });
        shown.forEach(function (s, i) {
          var li = TA.el("li", { role: "option", id: "ta-opt-" + i, "data-key": s.key }, s.name + (s.kind === "site" ? " (site)" : " (" + s.mentions + ")"));
          li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
          list.appendChild(li);
        });
        if (!shown.length) list.appendChild(TA.el("li", { class: "ta-none" }, "No match"));
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
        close();
        TA.flyTo(s.key);
      }
      input.addEventListener("input", render);
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "ArrowDown") { active = Math.min(active + 1, shown.length - 1); mark(); ev.preventDefault(); }
        else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); mark(); ev.preventDefault(); }
        else if (ev.key === "Enter") { choose(active >= 0 ? active : 0); ev.preventDefault(); }
        else if (ev.key === "Escape") close();
      });
      box.appendChild(input);
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  TA.control("search", 20, function (map) { new Search().addTo(map); });
})(window.TumenAtlas);
