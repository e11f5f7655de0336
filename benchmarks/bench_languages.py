"""Russian and Korean geoparsing throughput beside English, in process (compiled core).

    python benchmarks/bench_languages.py [--copies 100] [--runs 5]

Each language's text is its held-out sentences (tests/data/ru_ko) repeated ``--copies`` times; English
is the embedded articles repeated to about the same size. Times are CPU seconds of this process (the
best of ``--runs``): this shared machine's wall clock drifts too much for a comparison.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from geo import load_corpus
    from geo.geoparser import default_geoparser, speedups_active

    gp = default_geoparser()
    texts = {}
    for lang in ("ru", "ko"):
        lines = (ROOT / "tests" / "data" / "ru_ko" / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        texts[lang] = ("\n".join(json.loads(line)["text"] for line in lines) + "\n") * args.copies
    en = "\n\n".join(a.text for a in load_corpus())
    size = max(len(t.encode()) for t in texts.values())
    texts = {"en": (en + "\n\n") * max(1, round(size / len(en.encode()))), **texts}
    print(f"compiled core: {speedups_active()}")
    print("| language | MB | CPU s (best) | MB/s | mentions |")
    print("|---|---|---|---|---|")
    for lang, text in texts.items():
        gp.parse(text[:20000])
        best, found = float("inf"), []
        for _ in range(args.runs):
            t = time.process_time()
            found = gp.parse(text)
            best = min(best, time.process_time() - t)
        mb = len(text.encode()) / 1e6
        print(f"| {lang} | {mb:.2f} | {best:.3f} | {mb / best:.1f} | {len(found)} |")


if __name__ == "__main__":
    main()
