"""The folder of real articles on the corridors (tests/data/corridors) and how the evidence finder
is scored on it against the hand annotation (used by the tests and benchmarks/measure_evidence.py)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent / "data" / "corridors"


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def _same(a: str, b: str) -> bool:
    """One sentence as the finder cut it and as the annotator copied it (the cut may differ at a
    quote mark or a heading run into it)."""
    a, b = _norm(a), _norm(b)
    return a == b or (min(len(a), len(b)) > 40 and (a in b or b in a))


def measure(folder: Path = FOLDER) -> dict:
    from geo.atlas import atlas_data

    ann = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    data = atlas_data(articles=folder)
    path_to_id = {Path(a.path).name: a.id for a in data.articles}
    gold: dict[str, list[tuple[str, str]]] = {}
    discussed: set[str] = set()
    for entry in ann["articles"]:
        aid = path_to_id.get(entry["file"])
        if aid is None:
            continue
        discussed |= {c for c in entry.get("corridors", []) if isinstance(c, str) and not c.startswith("other")}
        for sup in entry.get("supports") or []:
            gold.setdefault(sup["corridor"], []).append((aid, sup["sentence"]))
    routes = data.routes.routes
    catalogue_ids = set(routes.id) | set(data.routes.sites.id) | discussed
    per_route, tp, fp, twice = {}, 0, 0, 0
    found_pairs = 0
    items = list(routes.itertuples()) + list(data.routes.sites.itertuples())
    for r in items:
        auto = [q for q in r.quotes if "score" in q]
        right = [q for q in auto if any(aid == q["article"] and _same(q["text"], s) for aid, s in gold.get(r.id, []))]
        wrong = [q for q in auto if q not in right]
        texts = [(q["article"], _norm(q["text"])) for q in r.quotes]
        twice += len(texts) - len(set(texts))
        if r.id in gold:  # precision over what the annotation covers (its corridors, and the rail bridge)
            tp, fp = tp + len(right), fp + len(wrong)
        per_route[r.id] = {
            "status": r.status, "first_date": getattr(r, "first_date", None), "quotes": len(auto), "right": len(right),
            "wrong": [f"{q['article']}: {q['text'][:140]}" for q in wrong] if r.id in gold else [],
            "annotated": r.id in gold,
        }
    missed: list[str] = []
    import pandas as pd

    by_route = pd.concat([routes[["id", "quotes"]], data.routes.sites[["id", "quotes"]]]).set_index("id")
    for cid, pairs in gold.items():
        quotes = by_route.loc[cid, "quotes"] if cid in by_route.index else []
        for aid, s in pairs:
            if any(q["article"] == aid and _same(q["text"], s) for q in quotes):
                found_pairs += 1
            else:
                missed.append(f"{cid} | {aid}: {s[:150]}")
    gold_pairs = sum(len(v) for k, v in gold.items() if k in catalogue_ids)
    drawn_right = sorted(c for c in discussed if per_route.get(c, {}).get("right"))
    return {
        "articles": len(data.articles),
        "quote_precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "quotes": tp + fp,
        "recall": round(found_pairs / gold_pairs, 3) if gold_pairs else None,
        "corridors_discussed": sorted(discussed),
        "corridors_drawn_with_a_right_sentence": drawn_right,
        "corridor_share": round(len(drawn_right) / len(discussed), 3) if discussed else None,
        "quotes_twice_in_a_route": twice,
        "sites_shown": sorted(data.routes.sites.id),
        "ferry": per_route.get("rajin-vladivostok-ferry", {}) | {"wrong": None},
        "coal": per_route.get("rajin-coal-shipping", {}) | {"wrong": None},
        "routes": per_route,
        "missed": missed,
    }
