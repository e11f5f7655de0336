"""Geoparser benchmark: throughput and peak memory, side by side with geotext on the same text in the
same run. Prints a Markdown table for the README.

    python benchmarks/bench_geoparse.py [--copies 300] [--stream-mb 300] [--runs 7] [--process-runs 5] [--no-dask]

Measured, on the embedded articles repeated ``--copies`` times (as one plain-text file, and as JSON
lines, one article per line):

- geotext in process (extraction only) and the geoparser in process (extraction + resolution);
- ``tumen-atlas geoparse FILE`` as a whole process (start, read, chrome detection, geoparsing, JSON
  out), on the one file;
- ``tumen-atlas geoparse --jsonl`` as a whole process with ``--jobs 1`` and ``--jobs 2``, and on a
  local Dask cluster (``--dask local``);
- a large JSON-lines file (``--stream-mb``) through ``--jobs 2``: its peak memory shows that the
  command streams.

Each whole-process measure is the best of ``--process-runs`` runs, set against the best of geotext
in process timed just before each of them (the machine's speed drifts between minutes); the
in-process measures are the best of ``--runs`` rounds, geotext and the geoparser in turns. Beside
each ratio of the bests, in brackets, the median over the rounds of each round's ratio: the figure
least moved by the machine's drift. Not a test: figures depend on the machine. Peak memory is the largest resident set of the command's
process (GNU time's %M), workers not included.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def corpus_texts() -> list[tuple[str, str]]:
    from geo.corpus import load_corpus

    return [(a.id, a.text) for a in load_corpus()]


def timed(cmd: list[str], out: str = os.devnull) -> tuple[float, float | None]:
    """Wall time (s) and peak resident memory (MB) of a command, its standard output to ``out``."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, open(out, "wb") as fo:
        full = [gnu_time, "-f", "%M", "-o", tf.name, *cmd] if gnu_time else cmd
        t = time.perf_counter()
        subprocess.run(full, stdout=fo, check=True)
        wall = time.perf_counter() - t
        rss = None
        if gnu_time:
            lines = [x for x in open(tf.name).read().split() if x.isdigit()]
            rss = int(lines[-1]) / 1024 if lines else None
    return wall, rss


def alternating(fns, runs: int) -> list[list[float]]:
    """The times of each of ``fns`` over ``runs`` rounds, the functions taking turns within each
    round: on a shared machine whose speed drifts, each is timed in the same conditions as the others."""
    out = [[] for _ in fns]
    for _ in range(runs):
        for times, fn in zip(out, fns):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=300, help="copies of the five articles (300: about 11.5 MB)")
    ap.add_argument("--stream-mb", type=float, default=300.0, help="size of the large JSON-lines file (MB); 0 skips it")
    ap.add_argument("--runs", type=int, default=7, help="in-process rounds, geotext and the geoparser in turn (the best of each is kept)")
    ap.add_argument("--process-runs", type=int, default=5, help="runs of each whole-process measure (the best is kept)")
    ap.add_argument("--no-dask", action="store_true", help="skip the local Dask cluster")
    args = ap.parse_args()

    from geotext import GeoText

    from geo.geoparser import default_geoparser

    base = corpus_texts()
    tmp = tempfile.mkdtemp(prefix="tumen-bench-")
    one = os.path.join(tmp, "one.txt")
    jl = os.path.join(tmp, "docs.jsonl")
    text = "\n\n".join(t for _, t in base * args.copies)
    with open(one, "w", encoding="utf-8") as f:
        f.write(text)
    with open(jl, "w", encoding="utf-8") as f:
        for i in range(args.copies):
            for aid, t in base:
                f.write(json.dumps({"id": f"{aid}-{i}", "text": t}) + "\n")
    mb = os.path.getsize(one) / 1e6

    gp = default_geoparser()
    gp.parse("warm up: Rajin")
    GeoText("warm up")
    # the loaded index set aside from the garbage collector, as the command does: otherwise a full
    # collection walking it lands in one timing or another at random (both measures alike)
    gc.collect()
    gc.freeze()
    geotext_t, ours_t = alternating([lambda: GeoText(text), lambda: gp.parse(text)], args.runs)
    geotext_s, ours_s = min(geotext_t), min(ours_t)
    ours_paired = statistics.median(g / o for g, o in zip(geotext_t, ours_t))

    exe = [sys.executable, "-m", "layers.cli", "geoparse"]

    def best_process(cmd: list[str]) -> tuple[float, float | None, float, float]:
        """The best wall time of ``--process-runs`` runs, the largest peak memory, the best time of
        geotext in process timed just before each run, and the median over the runs of geotext's
        time over the run's: this machine's speed drifts from minute to minute, so each
        whole-process measure is set against geotext in the same minutes."""
        runs, beside = [], []
        for _ in range(max(1, args.process_runs)):
            time.sleep(1.0)  # the previous process's memory given back before either is timed
            t = time.perf_counter()
            GeoText(text)
            beside.append(time.perf_counter() - t)
            runs.append(timed(cmd))
        mems = [m for _, m in runs if m is not None]
        paired = statistics.median(g / w for g, (w, _) in zip(beside, runs))
        return min(w for w, _ in runs), (max(mems) if mems else None), min(beside), paired

    rows = []
    w, m, g, r = best_process(exe + [one])
    rows.append((f"`geoparse FILE` (one {os.path.getsize(one) / 1e6:.1f} MB file), whole process", w, m, g, r))
    for j in (1, 2):
        w, m, g, r = best_process(exe + ["--jsonl", jl, "--jobs", str(j)])
        rows.append((f"`geoparse --jsonl` ({len(base) * args.copies:,} documents), whole process, `--jobs {j}`", w, m, g, r))
    if not args.no_dask:
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            rows.append(("`--dask local`: Dask not installed", None, None, None, None))
        else:
            time.sleep(1.0)
            t = time.perf_counter()
            GeoText(text)
            g = time.perf_counter() - t
            w, m = timed(exe + ["--jsonl", jl, "--dask", "local"])
            rows.append(("`geoparse --jsonl --dask local` (cluster start included)", w, m, g, g / w))

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"text: the five articles x {args.copies}, {mb:.1f} MB\n")
    print("| measure | time | throughput | geotext in process, same minutes | x geotext: bests (median of rounds) "
          "| peak memory |")
    print("|---|---|---|---|---|---|")
    print(f"| geotext in process (extraction only) | {geotext_s:.2f} s | {mb / geotext_s:.1f} MB/s | | 1 | |")
    print(f"| geoparser in process (extraction + resolution) | {ours_s:.2f} s | {mb / ours_s:.1f} MB/s | "
          f"{geotext_s:.2f} s (in turns) | {geotext_s / ours_s:.2f} ({ours_paired:.2f}) | |")
    for label, w, m, g, r in rows:
        if w is None:
            print(f"| {label} | | | | | |")
            continue
        print(f"| {label} | {w:.2f} s | {mb / w:.1f} MB/s | {g:.2f} s | {g / w:.2f} ({r:.2f}) | {f'{m:.0f} MB' if m else ''} |")
    if args.stream_mb:
        big = os.path.join(tmp, "big.jsonl")
        size = os.path.getsize(jl)
        with open(big, "wb") as fo, open(jl, "rb") as fi:
            chunk = fi.read()
            for _ in range(max(1, int(args.stream_mb * 1e6 // size))):
                fo.write(chunk)
        bmb = os.path.getsize(big) / 1e6
        time.sleep(1.0)
        t = time.perf_counter()
        GeoText(text)
        g = time.perf_counter() - t
        w, m = timed(exe + ["--jsonl", big, "--jobs", "2"])
        print(f"| `geoparse --jsonl --jobs 2` on a {bmb:,.0f} MB file (streamed) | {w:.1f} s | {bmb / w:.1f} MB/s | "
              f"{g:.2f} s | {(bmb / w) / (mb / g):.2f} | {f'{m:.0f} MB' if m else ''} |")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
