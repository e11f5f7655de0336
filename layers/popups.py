"""Popup and citation HTML for the map's features. Every piece of article text is escaped here."""

from __future__ import annotations

import html
from typing import Sequence

from geo.corpus import Article
from geo.timeline import date_key
from layers import style as S

KIND_LABELS = {
    "populated_place": "populated place", "admin_region": "administrative region", "facility": "facility",
}
STATUS_LABEL = {k: v["label"] for k, v in S.STATUS_STYLE.items()}


def _s(v) -> str:
    """A text cell as str ("" for None/NaN)."""
    return v if isinstance(v, str) else ""


def e(v) -> str:
    return html.escape(_s(v) if not isinstance(v, (int, float)) or isinstance(v, bool) else str(v))


def _date(a: Article) -> str:
    if not a.meta.date:
        return "undated"
    prec = a.date_precision
    inferred = " (inferred)" if a.meta.notes and "inferred" in a.meta.notes.lower() and prec != "day" else ""
    return f"{a.meta.date}{inferred}"


def _cite(a: Article) -> str:
    bits = [f"<i>{e(a.title)}</i>"]
    if a.meta.author:
        bits.append(e(a.meta.author))
    bits.append(e(a.meta.outlet or "outlet unknown"))
    bits.append(e(_date(a)))
    return ", ".join(bits)


def _quote_html(a: Article, start: int, end: int, marks: Sequence[tuple[int, int]] = (), matched: Sequence[str] = ()) -> str:
    """A quote (whitespace folded), its citation and a link into the reader; ``marks`` (article
    offsets inside the quote) are highlighted; ``matched``: the words the evidence finder matched
    it on, said under it. Every piece of text is escaped."""
    pieces, pos = [], start
    for ms, me in sorted(m for m in marks if start <= m[0] < m[1] <= end):
        if ms < pos:
            continue
        pieces.append(e(a.text[pos:ms]))
        pieces.append(f"<mark>{e(a.text[ms:me])}</mark>")
        pos = me
    pieces.append(e(a.text[pos:end]))
    body = " ".join("".join(pieces).split())
    why = f'<span class="ta-matched">matched on: {e(", ".join(matched))}</span>' if matched else ""
    return (
        f'<blockquote class="ta-quote" data-date="{e(a.meta.date or "")}">“{body}”<cite>{_cite(a)}</cite>{why}'
        f'<a href="#" class="ta-read" data-article="{e(a.id)}" data-start="{start}" data-end="{end}">read in context</a></blockquote>'
    )


def _cap(label: str) -> str:
    """First letter upper case, the rest untouched ("Russian stake in RasonKonTrans")."""
    return label[:1].upper() + label[1:]


def _money(v: float) -> str:
    if v >= 1e9:
        return f"${v / 1e9:,.0f} billion"
    if v >= 1e6:
        return f"${v / 1e6:,.0f} million"
    return f"${v:,.0f}"


def format_figure(f: dict) -> str:
    v, unit = f["value"], f["unit"]
    if v is None:
        return e(unit)
    if unit == "USD":
        return e(_money(v))
    num = f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"
    return e(f"{num} {unit}")


def claims_html(claims: Sequence[dict], by_id: dict[str, Article]) -> str:
    """The claims a feature bears on: each statement with its article and date, and whether they agree."""
    out = []
    for c in claims:
        rows = "".join(
            f'<li data-date="{e(st["date"] or "")}"><b>{format_figure({"value": st["value"], "unit": c["unit"]})}</b>'
            + (f' <span class="ta-src">({e(st["as_stated"])})</span>' if st.get("as_stated") else "")
            + f' — {e(by_id[st["article"]].meta.outlet or "outlet unknown")}, {e(_date(by_id[st["article"]]))}'
            + _quote_html(by_id[st["article"]], st["start"], st["end"]) + "</li>"
            for st in c["statements"]
        )
        n = c["articles"]
        verdict = {
            "agree": f"These agree (within {c['tolerance']:.0%}).",
            "disagree": "These disagree" + (" (in one article)." if n == 1 else f" ({n} articles)."),
            "one statement": "One statement: nothing to compare it with.",
        }[c["verdict"]]
        out.append(f'<div class="ta-claim ta-claim-{e(c["verdict"].replace(" ", "-"))}"><h4>{e(_cap(c["label"]))}</h4>'
                   f'<ol>{rows}</ol><p class="ta-verdict">{e(verdict)}</p></div>')
    return "".join(out)


#: Said in a popup whose evidence (some or all of it) the evidence finder found.
AUTO_NOTE = ('<p class="ta-auto">Evidence found automatically in these articles by the evidence finder (each sentence '
             'says what it was matched on); not reviewed by an editor.</p>')
#: Supporting sentences a popup shows before folding the rest (ranked) under "more".
MAX_EVIDENCE_SHOWN = 5


def evidence_html(quotes: Sequence[dict], by_id: dict[str, Article]) -> str:
    """A route's or site's supporting quotes: the curated ones in date order, then those the evidence
    finder found, best first, each saying what it was matched on; past :data:`MAX_EVIDENCE_SHOWN`
    the rest are folded."""
    items = [_quote_html(by_id[q["article"]], q["start"], q["end"], matched=q.get("matched") or ()) for q in quotes]
    html_ = "".join(items[:MAX_EVIDENCE_SHOWN])
    rest = items[MAX_EVIDENCE_SHOWN:]
    if rest:
        html_ += (f'<details class="ta-more-evidence"><summary>{len(rest)} more supporting sentence{"s" if len(rest) > 1 else ""}'
                  f', ranked</summary>{"".join(rest)}</details>')
    return html_


def route_popup(r, segs, by_id: dict[str, Article], claims: Sequence[dict] = ()) -> str:
    """A route's popup; ``segs``: its segments in order (a frame, or a list of their records)."""
    kind = S.KIND_STYLE[r["kind"]]["label"]
    rows = [f"<tr><th>Drawn length</th><td>{r['length_km']:,.0f} km (geodesic, as drawn)</td></tr>"]
    pub = r.get("published_length_km")
    if pub is not None and pub == pub:
        note = _s(r.get("length_shortfall"))
        rows.append(
            f"<tr><th>Published length</th><td>{pub:,.0f} km <span class=\"ta-src\">({e(r['published_length_source'])})</span>"
            + (f"<br><span class=\"ta-shortfall\">Drawn {r['length_km'] / pub:.0%} of it: {e(note)}</span>" if note else "")
            + "</td></tr>"
        )
    for f in r["figures"]:
        rows.append(f"<tr><th>{e(_cap(f['label']))}</th><td>{format_figure(f)} <span class=\"ta-src\">(stated)</span></td></tr>")
    seg_items = []
    for s in (segs.to_dict("records") if hasattr(segs, "to_dict") else segs):
        seg_items.append(
            f"<li><b>{e(s['from_name'])} → {e(s['to_name'])}</b> ({s['length_km']:,.0f} km): "
            f"<span class=\"ta-course-{e(s['course'])}\">{e(s['course'])}</span>{_drawn_on(s)}. {e(s['why'])}</li>"
        )
    quotes = evidence_html(r["quotes"], by_id)
    history = r.get("status_history")
    hist_html = ""
    if isinstance(history, list) and history:
        items = "".join(
            f'<li data-date="{e(h["date"] or "")}"><b>{e(_date(by_id[h["article"]]))}</b>: {e(STATUS_LABEL[h["status"]].lower())}'
            f'{_quote_html(by_id[h["article"]], h["start"], h["end"])}</li>'
            for h in history
        )
        hist_html = f'<details class="ta-history"><summary>Status over time ({len(history)} reports)</summary><ol>{items}</ol></details>'
    return (
        f'<div class="ta-popup"><h3>{e(r["name"])}</h3>'
        f'<p class="ta-meta">{e(kind)} · {e(STATUS_LABEL[r["status"]])} · course {e(r["course"])}</p>'
        f'<table class="ta-figures">{"".join(rows)}</table>'
        f'<p>{e(r["summary"])}</p>'
        f'<details><summary>Course, segment by segment</summary><ol>{"".join(seg_items)}</ol>'
        + (f'<p class="ta-src">Course drawn from: {e(_s(r.get("geometry_sources")))}</p>' if _s(r.get("geometry_sources")) else "")
        + f'</details>{hist_html}'
        + (AUTO_NOTE if _s(r.get("evidence_source")) in ("automatic", "mixed") else "")
        + (f'<details class="ta-claims"><summary>Figures compared ({len(claims)})</summary>{claims_html(claims, by_id)}</details>'
           if claims else "")
        + f'<h4>Evidence ({len(r["quotes"])})</h4>{quotes}</div>'
    )


#: What a segment drawn ``along`` line data is drawn on, as its popup says it.
ALONG_SOURCES = {
    "natural-earth-roads": "Natural Earth\u2019s 1:10m roads (generalised: a vertex every kilometre or so)",
    "osm-railways": "railway lines from OpenStreetMap (\u00a9 OpenStreetMap contributors): in Russia a trace of the "
                    "track, kept to within 30 m of it; in the Koreas scgraph-data\u2019s coarser graph, its points "
                    "rounded to 0.001\u00b0 and on average 1.3 km apart, so that it cuts bends short",
}


def _drawn_on(s) -> str:
    along = _s(s.get("along"))
    if not along:
        return ""
    gaps = _s(s.get("along_gaps"))
    said = (f' · <span class="ta-gaps">where the line data has no direct way (a gap in it, or only a long way round), '
            f'drawn over land between the towns: {e(gaps)}</span>' if gaps else "")
    return f' · drawn on <span class="ta-along">{e(ALONG_SOURCES.get(along, along))}</span>{said}'


def segment_popup(r, s, n_segments: int, names: dict[str, str]) -> str:
    """The part of a route's popup about one of its segments: its course and why, what it follows
    (``names``: route names by id), its own length (shown above the route's popup when that
    segment is clicked)."""
    fid = _s(s.get("follows"))
    follows = f' · runs beside the <span class="ta-follows">{e(names.get(fid, fid))}</span>' if fid else ""
    follows += _drawn_on(s)
    return (
        f'<div class="ta-popup ta-segment"><p class="ta-meta">Segment {int(s["seq"])} of {n_segments}: '
        f'<b>{e(s["from_name"])} → {e(s["to_name"])}</b> · {s["length_km"]:,.0f} km as drawn</p>'
        f'<p><span class="ta-course-{e(s["course"])}">{e(s["course"])}</span>{follows}. {e(s["why"])}</p></div>'
    )


def site_popup(s, by_id: dict[str, Article], claims: Sequence[dict] = ()) -> str:
    label = S.SITE_STYLE[s["kind"]]["label"]
    figs = "".join(f"<tr><th>{e(_cap(f['label']))}</th><td>{format_figure(f)} (stated)</td></tr>" for f in s["figures"])
    quotes = evidence_html(s["quotes"], by_id)
    auto = _s(s.get("evidence_source")) in ("automatic", "mixed")
    return (
        f'<div class="ta-popup"><h3>{e(s["name"])}</h3><p class="ta-meta">{e(label)} · {e(STATUS_LABEL.get(s["status"], s["status"]))}</p>'
        + (f'<table class="ta-figures">{figs}</table>' if figs else "")
        + f'<p>{e(s["summary"])}</p>'
        + (f'<details class="ta-claims"><summary>Figures compared ({len(claims)})</summary>{claims_html(claims, by_id)}</details>'
           if claims else "")
        + (AUTO_NOTE if auto else "")
        + f'<h4>Evidence ({len(s["quotes"])})</h4>{quotes}</div>'
    )


MAX_PLACE_QUOTES = 4


def mention_rows(mentions) -> list[tuple[str, int, int, int, int]]:
    """``(article_id, sentence_start, sentence_end, start, end)`` of each row of a mentions frame."""
    cols = [mentions[c].tolist() for c in ("article_id", "sentence_start", "sentence_end", "start", "end")]
    return [(a, int(ss), int(se), int(s), int(e)) for a, ss, se, s, e in zip(*cols)]


def place_popup(p, mentions, by_id: dict[str, Article], rec: dict) -> str:
    """A place's popup; ``mentions``: all mentions or just this place's (a frame), or this place's
    :func:`mention_rows`; ``rec``: its gazetteer record (:attr:`geo.atlas.AtlasData.records`)."""
    native = rec.get("native") or {}
    native_html = " · ".join(f'<span lang="{e(k)}">{e(v)}</span>' for k, v in sorted(native.items()))
    kind = KIND_LABELS.get(p["kind"], p["kind"].replace("_", " "))
    country = _s(p["country"])
    if not isinstance(mentions, list):
        mentions = mention_rows(mentions[mentions["place_id"] == p["place_id"]])
    sentences: dict[tuple[str, int], tuple[int, list[tuple[int, int]]]] = {}
    for aid, ss, se, s, en in mentions:
        sentences.setdefault((aid, ss), (se, []))[1].append((s, en))
    ordered = sorted(sentences.items(), key=lambda kv: (date_key(by_id[kv[0][0]].meta.date), kv[0][0], kv[0][1]))
    # in date order; only those shown are drawn (a long article names a place thousands of times)
    body = "".join(_quote_html(by_id[aid], ss, se, marks) for (aid, ss), (se, marks) in ordered[:MAX_PLACE_QUOTES])
    more = len(ordered) - MAX_PLACE_QUOTES
    if more > 0:
        body += f'<p class="ta-more">{more} more passage{"s" if more > 1 else ""}: open the articles in the reader.</p>'
    n, na = int(p["mention_count"]), int(p["article_count"])
    return (
        f'<div class="ta-popup"><h3>{e(p["name"])}</h3>'
        + (f'<p class="ta-native">{native_html}</p>' if native_html else "")
        + f'<p class="ta-meta">{e(kind)}{" · " + e(country) if country else ""} · {n} mention{"s" if n != 1 else ""} in {na} article{"s" if na != 1 else ""}</p>'
        + f'<p class="ta-src">Location: {e(p["coord_source"])}</p>'
        + f'<p><button type="button" class="ta-filter-place" data-place="{e("place:" + str(p["place_id"]))}">'
        + f'Show {"its " + str(na) + " articles" if na != 1 else "its article"} in the reader</button></p>'
        + f"<h4>Quotes</h4>{body}</div>"
    )




def river_popup(rec: dict) -> str:
    """A drawn river the articles do not mention."""
    return (
        f'<div class="ta-popup"><h3>{e(rec["name"])}</h3><p class="ta-meta">river · not mentioned in these articles</p>'
        f'<p class="ta-src">Course: {e(rec["coord_source"])}</p></div>'
    )
