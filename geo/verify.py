"""Verification of a catalogue against the articles: every quote verbatim (whitespace aside),
every waypoint and place in the gazetteer; a misquote names the closest passage."""

from __future__ import annotations

import difflib
import re
from typing import Sequence

from geo.catalogue import DEFAULT_MEDIUM, Catalogue, Quote, Route, Site, latest_report
from geo.corpus import Article



def _ws(s: str) -> str:
    return " ".join(s.split())


def find_quote(article: Article, quote: str) -> tuple[int, int] | None:
    """Offsets of ``quote`` in the article's text, matching runs of whitespace loosely; else None."""
    words = quote.split()
    if not words:
        return None
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = rx.search(article.text)
    return (m.start(), m.end()) if m else None


def closest_passage(article: Article, quote: str) -> str:
    """The sentence of ``article`` most like ``quote`` (for error messages)."""
    target = _ws(quote)
    qwords = set(re.findall(r"\w+", target.lower()))
    sents = [_ws(article.text[s:e]) for s, e in article.sentences]
    if not sents:
        return ""
    # shortlist by shared words, then the closest by edit similarity
    shortlist = sorted(sents, key=lambda t: -len(qwords & set(re.findall(r"\w+", t.lower()))))[:5]
    return max(shortlist, key=lambda t: difflib.SequenceMatcher(None, target, t, autojunk=False).ratio())


def verify_catalogue(cat: Catalogue, articles: Sequence[Article], *, gazetteer=None, source: str = "routes.yaml") -> list[str]:
    """Every problem with ``cat`` against the articles and the gazetteer (empty list: all good)."""
    from geo.gazetteer import get_gazetteer

    gz = gazetteer or get_gazetteer()
    by_id = {a.id: a for a in articles}
    date_of = {a.id: a.meta.date for a in articles}
    probs: list[str] = []

    def check_quote(owner: str, q: Quote) -> None:
        art = by_id.get(q.article)
        if art is None:
            probs.append(f"{owner}: quote cites unknown article {q.article!r} (known: {', '.join(sorted(by_id))})")
            return
        if find_quote(art, q.text) is None:
            probs.append(
                f"{owner}: quote not found verbatim in article {q.article!r} ({art.path}).\n"
                f"      quoted:  {_ws(q.text)!r}\n      closest: {closest_passage(art, q.text)!r}"
            )

    def check_evidence(owner: str, item: Route | Site) -> None:
        for q in item.evidence:
            check_quote(owner, q)
        for f in item.figures:
            check_quote(f"{owner} (figure {f.label!r})", f.quote)

    for r in cat.routes:
        owner = f"{source}: route {r.id!r}"
        check_evidence(owner, r)
        for rep in r.status_history:
            check_quote(f"{owner} (status {rep.status!r})", rep.quote)
        latest = latest_report(r.status_history, date_of)
        if latest is not None and latest.status != r.status:
            probs.append(f"{owner}: status is {r.status!r} but the latest reported status "
                         f"({latest.quote.article}) is {latest.status!r}")
        for n, seg in enumerate(r.segments, 1):
            for pid in seg.path:
                if pid not in gz:
                    hint = gz.lookup(pid.replace("-", " "))
                    probs.append(f"{owner}: segment {n}: waypoint {pid!r} is not in the gazetteer" + (f" (did you mean {hint[0]!r}?)" if hint else ""))
        for n in range(1, len(r.segments)):
            if r.segments[n - 1].path[-1] != r.segments[n].path[0]:
                probs.append(f"{owner}: segment {n + 1} starts at {r.segments[n].path[0]!r}, not where segment {n} ends ({r.segments[n - 1].path[-1]!r})")
        route_ids = {x.id for x in cat.routes}
        for n, seg in enumerate(r.segments, 1):
            if seg.follows is not None and (seg.follows not in route_ids or seg.follows == r.id):
                probs.append(f"{owner}: segment {n}: follows {seg.follows!r}, which is not another route of the catalogue")
            if seg.along is not None and (seg.medium or DEFAULT_MEDIUM[r.kind]) != "land":
                probs.append(f"{owner}: segment {n}: along {seg.along!r} is for land routes (roads), not a {r.kind} at sea")
            if seg.along is not None and seg.crosses_water:
                probs.append(f"{owner}: segment {n}: along {seg.along!r} draws the line data as it is; crosses_water does not apply")
            legs = set(zip(seg.path[:-1], seg.path[1:]))
            for a, b in seg.crosses_water:
                if (a, b) not in legs:
                    probs.append(f"{owner}: segment {n}: crosses_water [{a}, {b}] is not a leg of its path (consecutive waypoints)")
        for pid in r.also_named:
            if pid not in gz:
                probs.append(f"{owner}: also_named {pid!r} is not in the gazetteer")
        for rel in r.related:
            if rel not in {x.id for x in cat.routes}:
                probs.append(f"{owner}: related route {rel!r} does not exist")
    ids = {x.id for x in cat.routes} | {x.id for x in cat.sites}
    for c in cat.claims:
        owner = f"{source}: claim {c.id!r}"
        for st in c.statements:
            check_quote(owner, st.quote)
        for rel in c.related:
            if rel not in ids:
                probs.append(f"{owner}: related {rel!r} is not a route or site of the catalogue")
    for s in cat.sites:
        owner = f"{source}: site {s.id!r}"
        check_evidence(owner, s)
        if s.place not in gz:
            probs.append(f"{owner}: place {s.place!r} is not in the gazetteer")
    return probs
