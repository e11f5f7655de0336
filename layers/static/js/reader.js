/* The reader: the articles as text, every mention highlighted and linked to the map, site
 * chrome greyed, a quote scrolled to from any popup's "read in context". */
(function (TA) {
  "use strict";
  var reader = null;

  var ROW = 46;  // the height of a row of the article list (px): rows are drawn only where seen

  /* The list of articles: a scrolling box as tall as every row that draws only the rows in view
   * (and a few around them), so that a folder of thousands stays responsive. */
  function articleList() {
    var box = TA.el("nav", { class: "ta-article-list", "aria-label": "Articles", tabindex: "-1" });
    var spacer = TA.el("div", { class: "ta-list-spacer" });
    var ul = TA.el("ul", { class: "ta-list-rows" });
    spacer.appendChild(ul);
    box.appendChild(spacer);
    var rows = [];  // the indices of the articles shown
    var drawn = "";
    function draw(force) {
      var first = Math.max(0, Math.floor(box.scrollTop / ROW) - 8);
      var last = Math.min(rows.length, Math.ceil((box.scrollTop + (box.clientHeight || 400)) / ROW) + 8);
      var sig = first + ":" + last + ":" + rows.length;
      if (sig === drawn && !force) return;
      drawn = sig;
      ul.textContent = "";
      ul.style.transform = "translateY(" + first * ROW + "px)";
      for (var k = first; k < last; k++) {
        var a = TA.data.articles[rows[k]];
        var li = TA.el("li");
        var b = TA.el("button", { type: "button", class: "ta-article-link", "data-article": a.id });
        b.appendChild(TA.el("span", { class: "ta-a-title" }, a.title));
        b.appendChild(TA.el("span", { class: "ta-a-meta" }, [a.outlet || "outlet unknown", a.date].join(" · ")));
        li.appendChild(b);
        ul.appendChild(li);
      }
    }
    box.addEventListener("scroll", function () { draw(false); }, { passive: true });
    box.addEventListener("click", function (ev) {
      var b = ev.target.closest(".ta-article-link");
      if (b) TA.openArticle(b.getAttribute("data-article"));
    });
    return {
      box: box,
      /** Show the articles ``idx`` (indices), from the top. */
      set: function (idx) {
        rows = idx;
        spacer.style.height = rows.length * ROW + "px";
        box.scrollTop = 0;
        draw(true);
      },
      draw: draw,
      rows: function () { return rows; }
    };
  }

  /* The filter's controls: words, an outlet, months, the place chosen. */
  function filterForm(list, count) {
    var form = TA.el("form", { class: "ta-filter", role: "search", "aria-label": "Filter the articles" });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var q = TA.el("input", { type: "search", class: "ta-filter-q", placeholder: "Search the articles' text…", "aria-label": "Search the articles' text" });
    var outlet = TA.el("select", { class: "ta-filter-outlet", "aria-label": "Outlet" });
    outlet.appendChild(TA.el("option", { value: "" }, "Every outlet"));
    TA.filter.outlets().forEach(function (o) { outlet.appendChild(TA.el("option", { value: o[0] }, o[0] + " (" + o[1] + ")")); });
    var from = TA.el("input", { type: "month", class: "ta-filter-from", "aria-label": "From month" });
    var to = TA.el("input", { type: "month", class: "ta-filter-to", "aria-label": "To month" });
    var place = TA.el("p", { class: "ta-filter-place-chip", hidden: "" });
    var clear = TA.el("button", { type: "button", class: "ta-filter-clear" }, "Clear the filter");
    var row1 = TA.el("div", { class: "ta-filter-row" });
    row1.appendChild(q);
    var row2 = TA.el("div", { class: "ta-filter-row" });
    row2.appendChild(outlet);
    var row2b = TA.el("div", { class: "ta-filter-row" });
    row2b.appendChild(TA.el("span", { class: "ta-filter-label" }, "Months"));
    row2b.appendChild(from);
    row2b.appendChild(TA.el("span", null, "to"));
    row2b.appendChild(to);
    form.appendChild(row1);
    form.appendChild(row2);
    form.appendChild(row2b);
    form.appendChild(place);
    var row3 = TA.el("div", { class: "ta-filter-row" });
    row3.appendChild(count);
    row3.appendChild(clear);
    form.appendChild(row3);
    var timer = null;
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { TA.filter.set({ q: q.value.trim() }); }, 120);
    });
    outlet.addEventListener("change", function () { TA.filter.set({ outlet: outlet.value }); });
    from.addEventListener("change", function () { TA.filter.set({ from: from.value }); });
    to.addEventListener("change", function () { TA.filter.set({ to: to.value }); });
    clear.addEventListener("click", function () { TA.filter.clear(); });
    function sync() {
      var st = TA.filter.state();
      if (document.activeElement !== q) q.value = st.q;
      outlet.value = st.outlet;
      from.value = st.from.length === 7 ? st.from : "";
      to.value = st.to.length === 7 ? st.to : "";
      place.textContent = "";
      place.hidden = !st.place;
      if (st.place) {
        var name = st.place;
        TA.data.search.forEach(function (s) { if (s.key === st.place) name = s.name; });
        place.appendChild(document.createTextNode("Mentioning " + name + " "));
        var x = TA.el("button", { type: "button", class: "ta-button", "aria-label": "Any place" }, "×");
        x.addEventListener("click", function () { TA.filter.set({ place: "" }); });
        place.appendChild(x);
      }
      clear.hidden = !TA.filter.active();
    }
    return { form: form, sync: sync };
  }

  function buildReader() {
    var panel = TA.el("aside", { id: "ta-reader", class: "ta-reader", "aria-label": "Article reader", hidden: "" });
    var head = TA.el("div", { class: "ta-reader-head" });
    head.appendChild(TA.el("h2", { id: "ta-reader-title" }, TA.data.title));
    var close = TA.el("button", { type: "button", class: "ta-button", "aria-label": "Close the reader" }, "×");
    close.addEventListener("click", function () { setReader(false); });
    head.appendChild(close);
    panel.appendChild(head);
    var count = TA.el("output", { class: "ta-filter-count", "aria-live": "polite" });
    var list = articleList();
    var form = filterForm(list, count);
    panel.appendChild(form.form);
    panel.appendChild(list.box);
    function refresh() {
      var idx = [], n = TA.data.articles.length;
      for (var i = 0; i < n; i++) if (TA.filter.passes(i)) idx.push(i);
      list.set(idx);
      count.textContent = (idx.length === n ? "All " + n : idx.length + " of " + n) + " article" + (n === 1 ? "" : "s");
      form.sync();
    }
    TA.filter.onChange(refresh);
    refresh();
    var view = TA.el("article", { class: "ta-article", "aria-live": "polite" });
    panel.appendChild(view);
    var sources = TA.el("details", { class: "ta-sources" });
    sources.appendChild(TA.el("summary", null, "Sources and attribution"));
    var sl = TA.el("ul");
    sources.addEventListener("toggle", function () {  // thousands of lines: written when opened
      if (!sources.open || sl.firstChild) return;
      TA.data.articles.forEach(function (a) {
        sl.appendChild(TA.el("li", null, a.title + ". " + (a.author ? a.author + ", " : "") + (a.outlet || "outlet unknown") + ", " + a.date + "."));
      });
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
    if (!TA.articleIndex) {
      TA.articleIndex = {};
      TA.data.articles.forEach(function (x, i) { TA.articleIndex[x.id] = i; });
    }
    var a = TA.data.articles[TA.articleIndex[id]];
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
    if (!TA.texts) {  // the texts are still being decoded: shown as soon as they are
      var wait = TA.el("p", { class: "ta-a-meta ta-loading" }, "Reading the text…");
      view.appendChild(wait);
      TA.loadTexts().then(function () { if (view.getAttribute("data-article") === a.id) TA.openArticle(id, start, end); });
      return true;
    }
    var idx = TA.articleIndex[a.id];
    var text = TA.texts[idx][0];
    a = { mentions: TA.texts[idx][2], chrome: TA.texts[idx][1] };
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
