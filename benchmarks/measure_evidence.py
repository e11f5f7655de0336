"""Measure the evidence finder on a folder of real articles annotated by hand.

    python benchmarks/measure_evidence.py [--articles tests/data/corridors] [--json]

The folder holds real article excerpts (``*.md``, each naming its source) and ``annotations.yaml``:
for each file, the corridors it discusses and every sentence that speaks of one (by a reader's
judgement), with the status it reports. Reported, over the routes the embedded catalogue draws on
that folder:

- quote precision: the share of the sentences the finder attaches to a route that the annotation
  says speak of that route;
- recall: the share of annotated (sentence, corridor) pairs the finder attaches;
- corridors drawn with a right sentence, of those the articles discuss (target at least 80 %);
- quotes twice in one route (target none), the sites shown, and the ferry's and the coal
  shipments' first dates and statuses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.corridor_corpus import FOLDER, measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=FOLDER)
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ap.add_argument("--missed", action="store_true", help="also list the annotated sentences not attached")
    args = ap.parse_args()
    res = measure(args.articles)
    if args.json:
        json.dump(res, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return
    print(f"{res['articles']} articles; {res['quotes']} sentences attached to routes")
    print(f"quote precision {res['quote_precision']}, recall {res['recall']}, quotes twice in a route: {res['quotes_twice_in_a_route']}")
    print(f"corridors drawn with a right sentence: {len(res['corridors_drawn_with_a_right_sentence'])} of "
          f"{len(res['corridors_discussed'])} discussed ({res['corridor_share']})")
    missing = sorted(set(res["corridors_discussed"]) - set(res["corridors_drawn_with_a_right_sentence"]))
    if missing:
        print("  not drawn with a right sentence:", ", ".join(missing))
    print("sites shown:", ", ".join(res["sites_shown"]))
    for key in ("ferry", "coal"):
        r = res[key]
        print(f"{key}: first date {r.get('first_date')}, status {r.get('status')}")
    for rid, r in sorted(res["routes"].items()):
        judged = f"{r['right']}/{r['quotes']} right" if r["annotated"] else f"{r['quotes']} quotes (not annotated)"
        print(f"  {rid}: {judged}, status {r['status']}, first {r['first_date']}")
        for w in r["wrong"]:
            print(f"      x {w}")
    if args.missed:
        print("annotated but not attached:")
        for m in res["missed"]:
            print("   -", m)


if __name__ == "__main__":
    main()
