"""GeoDataFrames to the map document: folium layers, popups, the reader's data, deterministic output."""

from __future__ import annotations

import hashlib
import html
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import folium
import geopandas as gpd
import shapely

from geo.corpus import Article, load_corpus
from geo.gazetteer import get_gazetteer
from geo.places import mentions_from_articles, places_from_mentions
from geo.routes import RouteLayers, missing_articles_policy, routes_from_catalogue
from layers import style as S
from layers.basemap import BASEMAP_STYLE, SEA_COLOUR, basemap_layers
from layers.elements import AtlasApp, InlineAssets, SafeGeoJson

log = logging.getLogger(__name__)

DEFAULT_TITLE = "Tumen Atlas: Russia and the Koreas"
ATTRIBUTION = (
    'Basemap: Made with <a href="https://www.naturalearthdata.com">Natural Earth</a> (public domain) · '
    'Places: <a href="https://www.geonames.org">GeoNames</a> (CC BY 4.0) · '
    "Texts: the articles' authors and outlets (see Sources)"
)
#: Web tile providers a user may add as base layers (they need a network; offline they fail quietly).
TILE_PROVIDERS = {
    "OpenStreetMap": ("OpenStreetMap.Mapnik", "© OpenStreetMap contributors"),
    "CartoDB Positron": ("CartoDB.Positron", "© OpenStreetMap contributors © CARTO"),
    "OpenTopoMap": ("OpenTopoMap", "© OpenStreetMap contributors, SRTM | © OpenTopoMap (CC-BY-SA)"),
}
KIND_LABELS = {
    "populated_place": "populated place", "admin_region": "administrative region", "facility": "facility",
}
STATUS_LABEL = {k: v["label"] for k, v in S.STATUS_STYLE.items()}


class AtlasMap(folium.Map):
    """A folium Map whose assets are inlined (no CDN links)."""

    default_js: list = []
    default_css: list = []


@dataclass
class AtlasData:
    """Everything the map is drawn from (the pipeline's GeoDataFrames)."""

    articles: list[Article]
    mentions: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    routes: RouteLayers


def atlas_data(articles: str | Path | None = None, routes: str | Path | None = None) -> AtlasData:
    """Run the pipeline: articles -> mentions -> places; catalogue -> routes, segments, sites.

    With a folder of articles but the embedded catalogue, only the routes and sites those articles
    support are drawn (evidence from absent articles is left out, with a warning).
    """
    arts = load_corpus(articles)
    mentions = mentions_from_articles(arts)
    places = places_from_mentions(mentions, arts)
    rl = routes_from_catalogue(arts, routes, missing_articles=missing_articles_policy(articles, routes))
    return AtlasData(arts, mentions, places, rl)


# ------------------------------------------------------------------ popups (every text escaped)

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


def _quote_html(a: Article, start: int, end: int, marks: Sequence[tuple[int, int]] = ()) -> str:
    """A quote (whitespace folded), its citation and a link into the reader; ``marks`` (article
    offsets inside the quote) are highlighted. Every piece of text is escaped."""
    pieces, pos = [], start
    for ms, me in sorted(m for m in marks if start <= m[0] < m[1] <= end):
        if ms < pos:
            continue
        pieces.append(e(a.text[pos:ms]))
        pieces.append(f"<mark>{e(a.text[ms:me])}</mark>")
        pos = me
    pieces.append(e(a.text[pos:end]))
    body = " ".join("".join(pieces).split())
    return (
        f'<blockquote class="ta-quote">“{body}”<cite>{_cite(a)}</cite>'
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


def route_popup(r, segs: gpd.GeoDataFrame, by_id: dict[str, Article]) -> str:
    kind = S.KIND_STYLE[r["kind"]]["label"]
    rows = [f"<tr><th>Drawn length</th><td>{r['length_km']:,.0f} km (geodesic, as drawn)</td></tr>"]
    for f in r["figures"]:
        rows.append(f"<tr><th>{e(_cap(f['label']))}</th><td>{format_figure(f)} <span class=\"ta-src\">(stated)</span></td></tr>")
    seg_items = []
    for _, s in segs.iterrows():
        seg_items.append(
            f"<li><b>{e(s['from_name'])} → {e(s['to_name'])}</b> ({s['length_km']:,.0f} km): "
            f"<span class=\"ta-course-{e(s['course'])}\">{e(s['course'])}</span>. {e(s['why'])}</li>"
        )
    quotes = "".join(_quote_html(by_id[q["article"]], q["start"], q["end"]) for q in r["quotes"])
    return (
        f'<div class="ta-popup"><h3>{e(r["name"])}</h3>'
        f'<p class="ta-meta">{e(kind)} · {e(STATUS_LABEL[r["status"]])} · course {e(r["course"])}</p>'
        f'<table class="ta-figures">{"".join(rows)}</table>'
        f'<p>{e(r["summary"])}</p>'
        f'<details><summary>Course, segment by segment</summary><ol>{"".join(seg_items)}</ol></details>'
        + ('<p class="ta-auto">Evidence found automatically in these articles by the evidence finder; '
           'not reviewed by an editor.</p>' if r.get("evidence_source") == "automatic" else "")
        + f'<h4>Evidence ({len(r["quotes"])})</h4>{quotes}</div>'
    )


def site_popup(s, by_id: dict[str, Article]) -> str:
    label = S.SITE_STYLE[s["kind"]]["label"]
    figs = "".join(f"<tr><th>{e(_cap(f['label']))}</th><td>{format_figure(f)} (stated)</td></tr>" for f in s["figures"])
    quotes = "".join(_quote_html(by_id[q["article"]], q["start"], q["end"]) for q in s["quotes"])
    return (
        f'<div class="ta-popup"><h3>{e(s["name"])}</h3><p class="ta-meta">{e(label)} · {e(STATUS_LABEL.get(s["status"], s["status"]))}</p>'
        + (f'<table class="ta-figures">{figs}</table>' if figs else "")
        + f'<p>{e(s["summary"])}</p><h4>Evidence ({len(s["quotes"])})</h4>{quotes}</div>'
    )


MAX_PLACE_QUOTES = 4


def place_popup(p, mentions: gpd.GeoDataFrame, by_id: dict[str, Article]) -> str:
    """A place's popup; ``mentions`` may be all mentions or just this place's."""
    gz = get_gazetteer()
    rec = gz.place(p["place_id"])
    native = rec.get("native") or {}
    native_html = " · ".join(f'<span lang="{e(k)}">{e(v)}</span>' for k, v in sorted(native.items()))
    kind = KIND_LABELS.get(p["kind"], p["kind"].replace("_", " "))
    country = _s(p["country"])
    ms = mentions if mentions["place_id"].eq(p["place_id"]).all() else mentions[mentions.place_id == p["place_id"]]
    sentences: dict[tuple[str, int], tuple[int, list[tuple[int, int]]]] = {}
    for m in ms.itertuples():
        key = (m.article_id, int(m.sentence_start))
        sentences.setdefault(key, (int(m.sentence_end), []))[1].append((int(m.start), int(m.end)))
    quotes = [_quote_html(by_id[aid], ss, se, marks) for (aid, ss), (se, marks) in sentences.items()]
    more = len(quotes) - MAX_PLACE_QUOTES
    body = "".join(quotes[:MAX_PLACE_QUOTES])
    if more > 0:
        body += f'<p class="ta-more">{more} more passage{"s" if more > 1 else ""}: open the articles in the reader.</p>'
    n, na = int(p["mention_count"]), int(p["article_count"])
    return (
        f'<div class="ta-popup"><h3>{e(p["name"])}</h3>'
        + (f'<p class="ta-native">{native_html}</p>' if native_html else "")
        + f'<p class="ta-meta">{e(kind)}{" · " + e(country) if country else ""} · {n} mention{"s" if n != 1 else ""} in {na} article{"s" if na != 1 else ""}</p>'
        + f'<p class="ta-src">Location: {e(p["coord_source"])}</p>'
        + f"<h4>Quotes</h4>{body}</div>"
    )


# ------------------------------------------------------------------ features


def _round_geom(g, nd: int = 4):
    return shapely.set_precision(g, 10 ** -nd) if g is not None else g


def _feature(geom, props: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(_round_geom(geom))}


def _fc(feats: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": feats}


def _assign_ids(root) -> None:
    """Give every element a deterministic id from its place in the tree (folium's are random)."""
    counter = [0]

    def walk(el, path: str) -> None:
        counter[0] += 1
        el._id = hashlib.sha1(f"{path}/{counter[0]}".encode()).hexdigest()[:12]
        for name, child in list(getattr(el, "_children", {}).items()):
            walk(child, f"{path}/{type(child).__name__}")

    walk(root, "root")
    # children are keyed by their (old, random) names: re-key them so the output is stable
    def rekey(el) -> None:
        kids = getattr(el, "_children", None)
        if kids:
            items = list(kids.items())
            kids.clear()
            for _, child in items:
                kids[child.get_name()] = child
                rekey(child)

    rekey(root)


def initial_bounds(d: AtlasData) -> tuple[float, float, float, float]:
    """What the map shows on load: the corridors and sites; failing those, the places mentioned
    (the central 90% of them, so one far-off mention does not zoom out to the world)."""
    rl = d.routes
    core = [g for g in rl.routes[rl.routes.status != "alternative_considered"].geometry] + list(rl.sites.geometry)
    if core:
        return tuple(shapely.union_all(core).bounds)
    pts = d.places[~d.places["kind"].isin(["continent", "ocean", "country"])]
    if len(pts):
        lon, lat = pts["lon"].astype(float), pts["lat"].astype(float)
        if len(pts) >= 10:
            return (lon.quantile(0.05), lat.quantile(0.05), lon.quantile(0.95), lat.quantile(0.95))
        return (lon.min(), lat.min(), lon.max(), lat.max())
    return (124.0, 35.0, 140.0, 50.0)


def build_map(
    articles: str | Path | None = None,
    routes: str | Path | None = None,
    *,
    title: str = DEFAULT_TITLE,
    tiles: Sequence[str] = (),
    data: AtlasData | None = None,
) -> folium.Map:
    """Build the interactive map: a :class:`folium.Map` (shows inline in Jupyter).

    Parameters
    ----------
    articles
        Folder of articles; default: the embedded corpus.
    routes
        Routes catalogue YAML; default: the embedded catalogue.
    title
        Shown in the page title and the reader panel (escaped).
    tiles
        Names of web tile providers to offer as extra base layers (see ``TILE_PROVIDERS``); the
        offline Natural Earth basemap is always the default.
    data
        Precomputed :class:`AtlasData` (skips the pipeline).
    """
    for t in tiles:
        if t not in TILE_PROVIDERS:
            raise ValueError(f"unknown tile provider {t!r}; choose from {', '.join(TILE_PROVIDERS)}")
    d = data or atlas_data(articles, routes)
    by_id = {a.id: a for a in d.articles}
    rl = d.routes

    m = AtlasMap(location=(42.0, 131.0), zoom_start=5, tiles=None, control_scale=False, zoom_control=True,
                 prefer_canvas=False, attribution_control=True)
    fig = m.get_root()
    fig.title = None
    fig.header.add_child(folium.Element(f"<title>{html.escape(title)}</title>"), name="title")
    fig.header.add_child(folium.Element('<meta charset="utf-8" />'), name="charset")
    InlineAssets().add_to(m)

    popups: dict[str, str] = {}
    overlays: list[dict] = []
    bases: list[dict] = []

    # base layers: the offline basemap, then any web tiles the user asked for
    base = folium.FeatureGroup(name="Natural Earth (offline)", control=False, show=True)
    for key in ("land", "lakes", "disputed", "rivers", "coastline", "borders"):
        fc = basemap_layers()[key]
        for f in fc["features"]:
            f["properties"] = {"_style": BASEMAP_STYLE[key]}
        SafeGeoJson(fc, interactive=False, pane="basemap", name=f"Basemap_{key}").add_to(base)
    base.add_to(m)
    bases.append({"label": "Natural Earth (offline)", "layer": base, "attribution": ""})
    for t in tiles:
        provider, attr = TILE_PROVIDERS[t]
        tl = folium.TileLayer(tiles=provider, name=t, control=False, show=False)
        tl.add_to(m)
        bases.append({"label": f"{t} (web tiles, needs internet)", "layer": tl, "attribution": attr})

    groups = {key: folium.FeatureGroup(name=label, control=False, show=show) for key, label, _, show in S.OVERLAYS}

    # routes: one feature per segment, styled by kind, status and course
    feats: dict[str, list[dict]] = {k: [] for k in groups}
    # proposals first, what exists on top: a click on a shared course finds the built line
    rank = {s: i for i, s in enumerate(["alternative_considered", "stalled", "planned", "proposed", "existing", "refurbished"])}
    ordered = sorted(rl.routes.itertuples(index=False), key=lambda r: (rank[r.status], r.id))
    for r in (rl.routes.set_index("id", drop=False).loc[x.id] for x in ordered):
        segs = rl.segments[rl.segments.route_id == r["id"]].sort_values("seq")
        key = f"route:{r['id']}"
        popups[key] = route_popup(r, segs, by_id)
        ov = S.route_overlay(r["kind"], r["status"])
        for _, s in segs.iterrows():
            feats[ov].append(_feature(s.geometry, {
                "_key": key, "_popup": key, "_tooltip": f"{r['name']} ({STATUS_LABEL[r['status']].lower()}, {s['course']})",
                "_style": S.route_style(r["kind"], r["status"], s["course"]), "route": r["id"], "seq": int(s["seq"]),
            }))

    # places mentioned
    search: list[dict] = []
    gz = get_gazetteer()
    mentions_of = {pid: grp for pid, grp in d.mentions.groupby("place_id", sort=False)}
    for _, p in d.places.sort_values(["mention_count", "place_id"], ascending=[False, True]).iterrows():
        key = f"place:{p['place_id']}"
        popups[key] = place_popup(p, mentions_of[p["place_id"]], by_id)
        feats["places"].append(_feature(shapely.Point(p["lon"], p["lat"]), {
            "_key": key, "_popup": key, "_tooltip": f"{p['name']}: {int(p['mention_count'])} mention(s)",
            "_style": S.place_style(_s(p["country"]), int(p["mention_count"])), "_marker": "circle",
        }))
        rec = gz.place(p["place_id"])
        aliases = sorted({a for a in rec.get("aliases") or [] if a != p["name"]} | set((rec.get("native") or {}).values()))
        search.append({"key": key, "name": p["name"], "aliases": aliases, "kind": p["kind"], "mentions": int(p["mention_count"])})

    # sites
    for _, s in rl.sites.sort_values("id").iterrows():
        key = f"site:{s['id']}"
        popups[key] = site_popup(s, by_id)
        st = S.SITE_STYLE[s["kind"]]
        feats["sites"].append(_feature(shapely.Point(s["lon"], s["lat"]), {
            "_key": key, "_popup": key, "_tooltip": s["name"], "_marker": "site", "_icon": st["icon"],
            "_style": S.site_style(s["kind"]), "_site_kind": s["kind"],
        }))
        search.append({"key": key, "name": s["name"], "aliases": [], "kind": "site", "mentions": 0})

    # borders and rivers
    from geo.naturalearth import read_layer

    for g in read_layer("region_admin0_boundary_lines_10m").geometry.values:
        feats["borders"].append(_feature(g, {"_style": S.BORDER_STYLE, "_tooltip": "International border (Natural Earth, de facto)"}))
    for rid in ("tumen-river", "amur-river", "ussuri-river", "yalu-river"):
        rec = gz.place(rid)
        key = f"river:{rid}"
        pkey = f"place:{rid}"
        popups[key] = popups.get(pkey) or (
            f'<div class="ta-popup"><h3>{e(rec["name"])}</h3><p class="ta-meta">river · not mentioned in these articles</p>'
            f'<p class="ta-src">Course: {e(rec["coord_source"])}</p></div>'
        )
        feats["borders"].append(_feature(shapely.from_wkt(rec["geometry_wkt"]), {
            "_key": key, "_popup": key, "_tooltip": rec["name"], "_style": S.RIVER_STYLE if rid == "tumen-river" else S.OTHER_RIVER_STYLE,
        }))

    for key, label, group, show in S.OVERLAYS:
        fg = groups[key]
        SafeGeoJson(_fc(feats[key]), name=f"Layer_{key}").add_to(fg)
        fg.add_to(m)
    # ids are final from here on: the app data names the layers' variables
    _assign_ids(fig)
    for key, label, group, show in S.OVERLAYS:
        overlays.append({"key": key, "label": label, "group": group, "show": show, "var": groups[key].get_name(), "count": len(feats[key])})
    for b in bases:
        b["var"] = b.pop("layer").get_name()

    # the corridor region: everything but the alternatives
    minx, miny, maxx, maxy = initial_bounds(d)
    articles_data = []
    for a in d.articles:
        ms = d.mentions[d.mentions.article_id == a.id]
        articles_data.append({
            "id": a.id, "title": a.title, "author": a.meta.author, "outlet": a.meta.outlet, "date": _date(a),
            "notes": a.meta.notes, "url": a.meta.url, "text": a.text,
            "chrome": [[c.start, c.end, c.reason] for c in a.chrome],
            "mentions": [[int(r.start), int(r.end), f"place:{r.place_id}"] for r in ms.itertuples()],
        })
    app = {
        "title": title, "overlays": overlays, "bases": bases, "popups": popups, "search": search,
        "legend": S.legend(), "bounds": [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]],
        "articles": articles_data, "attribution": ATTRIBUTION, "sea": SEA_COLOUR, "buttons": S.BUTTON_ICONS,
    }
    AtlasApp(app).add_to(m)
    _assign_ids(fig)
    log.info("map: %d overlays, %d popups, %d articles", len(overlays), len(popups), len(articles_data))
    return m


def render_html(m: folium.Map) -> str:
    """The complete, self-contained HTML of ``m`` (deterministic for the same inputs)."""
    out = m.get_root().render()
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs get the usual permissions
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def write_map(path: str | Path = "output/map.html", **kw) -> Path:
    """Build the map and write it atomically to ``path``."""
    return write_atomic(path, render_html(build_map(**kw)))


def embed_snippet(src: str, *, height: int = 600, title: str = DEFAULT_TITLE) -> str:
    """An iframe snippet that embeds the map at full width and a chosen height in a report page."""
    if not 100 <= height <= 4000:
        raise ValueError(f"height must be between 100 and 4000 pixels, got {height!r}")
    return (
        f'<div class="tumen-atlas-embed" style="position:relative;width:100%;max-width:100%;height:{height}px">\n'
        f'  <iframe src="{html.escape(src, quote=True)}" title="{html.escape(title, quote=True)}" '
        f'style="border:0;width:100%;height:100%" loading="lazy" allowfullscreen></iframe>\n</div>\n'
    )
