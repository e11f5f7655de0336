"""Corridors the articles describe that the catalogue lacks, drafted as catalogue YAML.

A sentence describes a corridor when it names what moves (coal, oil, munitions, passengers, ...)
and how (by ship, rail, road, pipeline or power line) between two places the geoparser found. The
sentences that no catalogue route's cues already claim (see :mod:`geo.evidence`) are grouped by
what moves, the mode and the two ends, and each group is written as a draft route: its kind, ends,
cues, the status its sentences report and the sentences as quotes, for a user to review and pass
with ``--routes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd
import yaml

from geo.catalogue import Catalogue
from geo.corpus import Article
from geo.catalogue import status_rank
from geo.evidence import _content_sentences, _greedy, _keys, _Scanner, find_support, sentence_hits, status_of_hits, status_vocabulary

#: What moves, by the name it is drafted under: the words that say it.
CARGO: dict[str, list[str]] = {
    "coal": ["coal"],
    "oil": ["oil", "crude", "petroleum", "refined products", "diesel", "gasoline", "fuel"],
    "gas": ["natural gas", "LNG", "gas"],
    "electricity": ["electricity", "electric power", "power supply"],
    "munitions": ["munitions", "ammunition", "shells", "artillery shells", "weapons", "arms", "missiles", "military equipment"],
    "containers": ["containers", "container"],
    "passengers": ["passengers", "passenger", "tourists", "travellers", "travelers"],
    "grain": ["grain", "wheat", "flour"],
    "timber": ["timber", "logs", "lumber"],
    "ore": ["iron ore", "ore", "metals"],
    "fertiliser": ["fertiliser", "fertilizer"],
    "freight": ["cargo", "freight", "goods"],
}
#: The mode, by route kind: the words that say it.
MODES: dict[str, list[str]] = {
    "sea_route": ["ship", "ships", "shipped", "shipping", "shipment", "shipments", "vessel", "vessels", "tanker", "tankers",
                  "ferry", "freighter", "by sea", "port", "ports"],
    "railway": ["rail", "railway", "railways", "railroad", "train", "trains", "railcars", "wagons"],
    "road": ["road", "roads", "truck", "trucks", "lorries", "highway", "bridge"],
    "pipeline": ["pipeline", "pipelines"],
    "power_line": ["power line", "power lines", "transmission line", "grid"],
}
_CARGO_KEYS = {k: _keys(v) for k, v in CARGO.items()}
_MODE_KEYS = {k: _keys(v) for k, v in MODES.items()}
_FROM = re.compile(r"\bfrom\s+$", re.I)
_TO = re.compile(r"\b(to|for|into|towards|toward)\s+(the\s+(port|city)\s+of\s+)?$", re.I)


@dataclass
class Suggestion:
    cargo: str
    kind: str
    ends: tuple[str, str]
    names: tuple[str, str]
    sentences: list[tuple[Article, int, int, list[str]]] = field(default_factory=list)
    status: str | None = None


def _ends(a: Article, s: int, found: list[tuple[int, str, str]]) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The sentence's two ends: the places after "from" and "to" where it says so, else its first
    two distinct places (continents left out)."""
    places: list[tuple[int, str, str]] = []
    for start, pid, name in sorted(found):
        if pid.startswith("continent:") or any(pid == p for _, p, _ in places):
            continue
        places.append((start, pid, name))
    if len(places) < 2:
        return None
    frm = next((p for p in places if _FROM.search(a.text[max(s, p[0] - 12):p[0]])), None)
    to = next((p for p in places if p is not frm and _TO.search(a.text[max(s, p[0] - 30):p[0]])), None)
    if frm is None:
        frm = next(p for p in places if p is not to)
    if to is None:
        to = next(p for p in places if p is not frm)
    return (frm[1], to[1]), (frm[2], to[2])


def suggest_corridors(articles: Sequence[Article], mentions: pd.DataFrame, catalogue: Catalogue, *,
                      gazetteer=None, min_sentences: int = 1) -> list[Suggestion]:
    """The corridors ``articles`` describe that no route of ``catalogue`` covers, most described first."""
    covered: set[tuple[str, int]] = set()
    support = find_support(list(catalogue.routes), articles, mentions, gazetteer=gazetteer, status_cues=catalogue.status_cues)
    for sup in support.values():
        covered |= {(x.article_id, x.start) for x in sup}
    by_sentence: dict[tuple[str, int], list[tuple[int, str, str]]] = {}
    if len(mentions):
        for aid, ss, st, pid, name in zip(mentions["article_id"], mentions["sentence_start"], mentions["start"],
                                          mentions["place_id"], mentions["name"]):
            by_sentence.setdefault((aid, int(ss)), []).append((int(st), pid, name))
    vocabulary = status_vocabulary(catalogue.status_cues)
    scanner = _Scanner({*vocabulary, *(k for ks in (*_CARGO_KEYS.values(), *_MODE_KEYS.values()) for k in ks)})
    groups: dict[tuple, Suggestion] = {}
    seen_text: set[tuple[str, str]] = set()
    reports: dict[tuple, list[tuple[str, int, str]]] = {}
    for a in articles:
        sents = _content_sentences(a)
        for i, hits in sorted(sentence_hits(scanner, a.text, sents).items()):
            s, e = sents[i]
            if (a.id, s) in covered:
                continue
            text = a.text[s:e]
            if (a.id, " ".join(text.split())) in seen_text:
                continue  # the same sentence twice in one article (a caption repeated)
            seen_text.add((a.id, " ".join(text.split())))
            found = {h.key for h in hits}
            cargo = next((k for k, ks in _CARGO_KEYS.items() if found & ks), None)
            kind = next((k for k, ks in _MODE_KEYS.items() if found & ks), None)
            if kind == "pipeline" and cargo is None:
                cargo = "gas"
            if cargo is None or kind is None:
                continue
            ends = _ends(a, s, by_sentence.get((a.id, s), []))
            if ends is None:
                continue
            (p1, p2), (n1, n2) = ends
            key = (cargo, kind, p1, p2)
            sug = groups.setdefault(key, Suggestion(cargo, kind, (p1, p2), (n1, n2)))
            words = sorted({h.group(0).lower() for ks in (_CARGO_KEYS[cargo], _MODE_KEYS[kind])
                            for h in _greedy(h for h in hits if h.key in ks)})
            sug.sentences.append((a, s, e, words))
            st, _ = status_of_hits(a.text, s, hits, vocabulary)  # the one status reader, as for the catalogue's routes
            if st is not None:
                reports.setdefault(key, []).append((a.meta.date or "", -status_rank(st), st))
    for key, reps in reports.items():
        groups[key].status = max(reps)[2]  # the latest sentence's; on one date, the furthest along
    out = [g for g in groups.values() if len(g.sentences) >= min_sentences]
    out.sort(key=lambda g: (-len(g.sentences), g.cargo, g.kind, g.ends))
    return out


def _slug(*parts: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")[:60] or "corridor"


def suggestions_yaml(found: Sequence[Suggestion]) -> str:
    """The suggestions as a draft catalogue (valid YAML; every string from an article is quoted by
    the YAML writer, never spliced in)."""
    kind_label = {"sea_route": "by sea", "railway": "by rail", "road": "by road", "pipeline": "by pipeline",
                  "power_line": "by power line"}
    routes, ids = [], set()
    for g in found:
        rid = _slug(g.cargo, g.kind.replace("_", " "), g.names[0], g.names[1])
        n = 2
        while rid in ids:
            rid, n = f"{rid}-{n}", n + 1
        ids.add(rid)
        routes.append({
            "id": rid,
            "name": f"{g.cargo.capitalize()} {kind_label[g.kind]}, {g.names[0]}–{g.names[1]}",
            "kind": g.kind,
            "status": g.status or "proposed",
            "summary": f"Drafted by tumen-atlas suggest from {len(g.sentences)} sentence(s): review the ends, the course and the status.",
            "cues": {"what": [list(CARGO[g.cargo]), list(MODES[g.kind])], "where": [[g.ends[0]], [g.ends[1]]]},
            "segments": [{"path": list(g.ends), "course": "inferred",
                          "why": "Drawn between the two places the sentences name; the course is not yet known."
                          + (" An end is a whole country: replace it by the port or town." if any(
                              x.startswith("country:") for x in g.ends) else "")}],
            "evidence": [{"article": a.id, "text": " ".join(a.text[s:e].split())} for a, s, e, _ in g.sentences
                         if len(" ".join(a.text[s:e].split())) >= 12],
        })
    head = ("# Corridors these articles describe that the catalogue does not cover, drafted by `tumen-atlas suggest`.\n"
            "# Review each entry (ends, course, status, cues), then pass the file with --routes.\n")
    if not routes:
        return head + "# (none found)\nversion: 1\nroutes: []\n"
    return head + yaml.safe_dump({"version": 1, "routes": routes}, sort_keys=False, allow_unicode=True, width=110)
