"""Evidence finder: sentences that support a route, found automatically.

A sentence supports a route when it names the route's places (or two of its countries) together
with words of the route's kind (pipeline, gas, rail, energy bridge, ferry, coal, port, ...). A new
article therefore brings new candidate evidence with no hand work; ranked candidates are marked
when the catalogue already quotes them.
"""

from __future__ import annotations

import re
from typing import Sequence

import pandas as pd

from geo.corpus import Article
from geo.gazetteer import haversine_km
from geo.catalogue import Route
from geo.verify import find_quote

KIND_WORDS: dict[str, list[str]] = {
    "pipeline": ["pipeline", "pipelines", "gas", "natural gas", "LNG", "gas field", "gas fields"],
    "railway": ["rail", "railway", "railways", "railroad", "rail link", "rail links", "rail lines", "railway line", "train", "trains", "iron silk-road"],
    "power_line": ["energy bridge", "energy-bridge", "electricity", "power line", "power grid", "power industry", "transmission", "energy"],
    "sea_route": ["ferry", "ship", "ships", "shipping", "shipment", "shipped", "port", "ports", "wharf", "coal", "cargo", "sea"],
    "road": ["highway", "road", "roads", "motorway", "armoured cars", "trucks"],
}
_KIND_RX = {
    k: re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)) + r")(?![\w-])", re.I)
    for k, ws in KIND_WORDS.items()
}
COLUMNS = ["route_id", "rank", "score", "article_id", "start", "end", "text", "places", "kind_words", "in_catalogue"]


NEAR_KM = 15.0


def route_places(route: Route) -> list[str]:
    """The gazetteer ids a route passes or is known by, in order."""
    out: list[str] = list(route.also_named)
    for seg in route.segments:
        for p in seg.path:
            if p not in out:
                out.append(p)
    return out


def evidence_for_route(
    route: Route, articles: Sequence[Article], mentions: pd.DataFrame, *, gazetteer=None, min_score: float = 3.0
) -> pd.DataFrame:
    """Candidate supporting sentences for ``route``, best first.

    ``mentions`` is the geoparser's mentions frame for ``articles`` (``article_id``, ``start``,
    ``end``, ``place_id``). Columns: see :data:`COLUMNS`.
    """
    from geo.gazetteer import get_gazetteer

    gz = gazetteer or get_gazetteer()
    places = route_places(route)
    place_set = set(places)
    countries = {f"country:{gz.place(p)['country']}" for p in places if gz.place(p)["country"]}
    rx = _KIND_RX[route.kind]
    quoted: dict[str, list[tuple[int, int]]] = {}
    for q in route.evidence + [f.quote for f in route.figures]:
        for a in articles:
            if a.id == q.article:
                span = find_quote(a, q.text)
                if span:
                    quoted.setdefault(a.id, []).append(span)
    pts = [(gz.place(p)["lat"], gz.place(p)["lon"]) for p in places]

    def near(pid: str) -> bool:
        if pid.startswith(("country:", "continent:")):
            return False
        rec = gz.place(pid)
        return any(haversine_km(rec["lat"], rec["lon"], la, lo) <= NEAR_KM for la, lo in pts)

    by_art = {aid: grp for aid, grp in mentions.groupby("article_id")} if len(mentions) else {}
    rows = []
    for a in articles:
        ms = by_art.get(a.id)
        for s, e in a.sentences:
            if a.is_chrome(s, e):
                continue
            words = sorted({m.group(0).lower() for m in rx.finditer(a.text, s, e)})
            if not words:
                continue
            inside = ms[(ms.start >= s) & (ms.end <= e)] if ms is not None else None
            found = set(inside.place_id) if inside is not None else set()
            # a route's place counts when the sentence names it or a place it contains (Rason for Rajin)
            hits = sorted((found & place_set) | {p for p in found - place_set if near(p)})
            chits = sorted(found & countries)
            if not hits and len(chits) < 2:
                continue
            score = 2.0 * len(hits) + 1.0 * len(chits) + 1.5 * min(len(words), 3)
            if score < min_score:
                continue
            in_cat = any(qs < e and s < qe for qs, qe in quoted.get(a.id, []))
            rows.append({
                "route_id": route.id, "score": round(score, 2), "article_id": a.id, "start": s, "end": e,
                "text": a.text[s:e], "places": ",".join(hits + chits), "kind_words": ",".join(words), "in_catalogue": in_cat,
            })
    df = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    df = df.sort_values(["score", "article_id", "start"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
    df.insert(1, "rank", range(1, len(df) + 1))
    return df
