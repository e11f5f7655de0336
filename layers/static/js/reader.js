/* The reader: the articles as text, every mention highlighted and linked to the map, site
 * chrome greyed, a quote scrolled to from any popup's "read in context". */
(function (TA) {
  "use strict";
  var reader = null;

  function buildReader() {
    var panel = TA.el("aside", { id: "ta-reader", class: "ta-reader", "aria-label": "Article reader", hidden: "" });
    var head = TA.el("div", { class: "ta-reader-head" });
    head.appendChild(TA.el("h2", { id: "ta-reader-title" }, TA.data.title));
    var close = TA.el("button", { type: "button", class: "ta-button", "aria-label": "Close the reader" }, "×");
    close.addEventListener("click", function () { setReader(false); });
    head.appendChild(close);
    panel.appendChild(head);
    var list = TA.el("nav", { class: "ta-article-list", "aria-label": "Articles" });
    var ul = TA.el("ul");
    TA.data.articles.forEach(function (a) {
      var li = TA.el("li");
      var b = TA.el("button", { type: "button", class: "ta-article-link", "data-article": a.id });
      b.appendChild(TA.el("span", { class: "ta-a-title" }, a.title));
      b.appendChild(TA.el("span", { class: "ta-a-meta" }, [a.outlet || "outlet unknown", a.date].join(" · ")));
      b.addEventListener("click", function () { TA.openArticle(a.id); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    list.appendChild(ul);
    panel.appendChild(list);
    var view = TA.el("article", { class: "ta-article", "aria-live": "polite" });
    panel.appendChild(view);
    var sources = TA.el("details", { class: "ta-sources" });
    sources.appendChild(TA.el("summary", null, "Sources and attribution"));
    var sl = TA.el("ul");
    TA.data.articles.forEach(function (a) {
      sl.appendChild(TA.el("li", null, a.title + ". " + (a.author ? a.author + ", " : "") + (a.outlet || "outlet unknown") + ", " + a.date + "."));
    });
    sources.appendChild(sl);
    sources.appendChild(TA.el("p", null, "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0). Article texts remain their authors' and publishers'."));
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

  TA.setReader = setReader;
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
    view.appendChild(TA.el("h3", null, a.title));
    view.appendChild(TA.el("p", { class: "ta-a-meta" }, [a.author || "author not given", a.outlet || "outlet unknown", a.date].join(" · ")));
    if (a.url && /^https?:\/\//i.test(a.url)) {  // only web links: never javascript: or data:
      var src = TA.el("p", { class: "ta-a-meta" });
      src.appendChild(TA.el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, "Original article"));
      view.appendChild(src);
    }
    if (a.notes) view.appendChild(TA.el("p", { class: "ta-a-notes" }, a.notes));
    var text = a.text;
    var cuts = [0, text.length];
    a.mentions.forEach(function (m) { cuts.push(m[0], m[1]); });
    a.chrome.forEach(function (c) { cuts.push(c[0], c[1]); });
    var hasQuote = typeof start === "number" && typeof end === "number" && end > start;
    if (hasQuote) cuts.push(start, end);
    cuts = cuts.filter(function (x, i, arr) { return x >= 0 && x <= text.length && arr.indexOf(x) === i; }).sort(function (x, y) { return x - y; });
    var body = TA.el("div", { class: "ta-text" });
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
        node = TA.el("mark", { class: "ta-mention", tabindex: "0", role: "button", "data-key": mention[2], title: "Show on the map" }, piece);
      } else {
        node = TA.el("span", null, piece);
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

  TA.control("reader", 30, function (map, data) {
    TA.buttonControl("topleft", data.buttons.reader, "Articles: read the sources with every place highlighted", function () {
      setReader(!(reader && !reader.panel.hidden));
    }, "ta-reader-button").addTo(map);
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest(".ta-read");
      if (!a) return;
      ev.preventDefault();
      TA.openArticle(a.getAttribute("data-article"), Number(a.getAttribute("data-start")), Number(a.getAttribute("data-end")));
    });
  });
})(window.TumenAtlas);
