"""Scoring the geoparser on the held-out Russian and Korean sentences (``tests/data/ru_ko``) and on
the English excerpts annotated by hand (``tests/data/en_places``).

The sentences of one source are geoparsed together, as one article (joined by newlines). A gold
place is found when a mention overlaps it and names the same place: a country by its code, any
other place within 161 km of the gold point (a gazetteer id's point, or the coordinates given).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

DATA = Path(__file__).parent / "data" / "ru_ko"
#: The gold of each language: Russian and Korean sentences, English excerpts (``tests/data/en_places``).
GOLD = {"ru": DATA / "ru.jsonl", "ko": DATA / "ko.jsonl", "en": DATA.parent / "en_places" / "en.jsonl"}
KM = 161.0


def load(lang: str) -> list[tuple[str, str, list[dict]]]:
    """``(url, text, gold)`` per source: the source's sentences joined, gold offsets shifted."""
    docs: dict[str, tuple[list[str], list[dict]]] = {}
    for line in GOLD[lang].read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        parts, gold = docs.setdefault(rec["url"], ([], []))
        off = sum(len(p) + 1 for p in parts)
        gold.extend({**g, "start": g["start"] + off, "end": g["end"] + off} for g in rec["places"])
        parts.append(rec["text"])
    return [(url, "\n".join(parts), gold) for url, (parts, gold) in docs.items()]


def _km(a, b) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _right(pred: dict, g: dict, gz) -> bool:
    gid = g.get("id")
    if gid and gid.startswith("country:"):
        return pred["gazetteer_id"] == gid
    if gid:
        rec = gz.place(gid)
        pt = (rec["lat"], rec["lon"])
    else:
        pt = (g["lat"], g["lon"])
    return pred["kind"] != "country" and _km(pt, (pred["lat"], pred["lon"])) <= KM


def score(lang: str, geoparser=None) -> dict:
    """Precision, recall and the errors for one language (``ru``, ``ko`` or ``en``)."""
    from geo.geoparser import default_geoparser, geoparse_text

    gp = geoparser or default_geoparser()
    tp_pred = n_pred = tp_gold = n_gold = 0
    errors = []
    for url, text, gold in load(lang):
        preds = geoparse_text(text, geoparser=gp)
        n_pred += len(preds)
        n_gold += len(gold)
        for p in preds:
            over = [g for g in gold if g["start"] < p["end"] and p["start"] < g["end"]]
            if any(_right(p, g, gp.gz) for g in over):
                tp_pred += 1
            else:
                errors.append(("wrong" if over else "spurious", p["surface"], p["gazetteer_id"], p["name"], url))
        for g in gold:
            if any(g["start"] < p["end"] and p["start"] < g["end"] and _right(p, g, gp.gz) for p in preds):
                tp_gold += 1
            else:
                errors.append(("missed", g["surface"], g.get("id") or (g["lat"], g["lon"]), "", url))
    return {"P": tp_pred / max(n_pred, 1), "R": tp_gold / max(n_gold, 1), "pred": n_pred, "gold": n_gold, "errors": errors}
