"""Size benchmark (issue 28): time and peak memory of whole commands on one large article and on
large routes catalogues. Prints a Markdown table for the README.

    python benchmarks/bench_safety.py [--article-mb 1 4 50] [--routes 100 1500 4000] [--build-max-mb 4]

- One article of N MB: the five embedded articles' texts over and over in one file (a new line
  with a fresh number each run, so no cached result is reused), run through `build` (up to
  ``--build-max-mb``), `places` and `geoparse`.
- A catalogue of N routes: the embedded catalogue's routes copied under new ids until there are N
  (each copy the same course as its original, so every route shares its corridor with many
  others: the worst case for lanes), with the embedded articles, through `build --routes`. The
  routes are drawn afresh each run; the legs between waypoints come from the cache.

Each command runs in its own process (``python -m layers.cli`` from this tree); the gazetteer's
index and the basemap come from the cache (the first run builds them). Peak memory is the
process's maximum resident set size. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], **kw) -> tuple[float, float]:
    """``(seconds, peak MB)`` of ``python -m layers.cli ARGS`` (fails loudly on a non-zero exit)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "layers.cli", *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env, cwd=ROOT, **kw)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({p.returncode}):\n{err[-3000:]}")
    return wall, usage.ru_maxrss / 1024  # KB on Linux


def bodies() -> list[str]:
    out = []
    for a in sorted((ROOT / "geo" / "data" / "articles").glob("*.md")):
        t = a.read_text(encoding="utf-8")
        m = re.match(r"\A---\r?\n.*?\r?\n---\r?\n", t, re.S)
        out.append(t[m.end():] if m else t)
    return out


def article(folder: Path, mb: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    texts, parts, n, i = bodies(), [], 0, 0
    while n < mb * 1_000_000:
        b = texts[i % len(texts)] + f"\n\nSection {i}.\n\n"
        parts.append(b)
        n += len(b.encode("utf-8"))
        i += 1
    parts.append(f"Run {time.time_ns()}: coal went through Rajin.\n")
    p = folder / "big.md"
    p.write_text("---\ntitle: One large article\ndate: 2015-06-01\n---\n" + "".join(parts), encoding="utf-8")
    return p


def catalogue(path: Path, n: int) -> Path:
    import yaml

    d = yaml.safe_load((ROOT / "geo" / "data" / "routes.yaml").read_text(encoding="utf-8"))
    orig = d["routes"]
    routes = []
    for k in range(n):
        r = copy.deepcopy(orig[k % len(orig)])
        if k >= len(orig):
            r["id"], r["name"] = f"{r['id']}-{k}", f"{r['name']} ({k})"
        routes.append(r)
    d["routes"] = routes
    path.write_text(f"# run {time.time_ns()}\n" + yaml.safe_dump(d, allow_unicode=True, sort_keys=False, width=200),
                    encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--article-mb", type=float, nargs="*", default=[1, 4, 50])
    ap.add_argument("--routes", type=int, nargs="*", default=[100, 1500, 4000])
    ap.add_argument("--build-max-mb", type=float, default=4,
                    help="Full builds only up to this size (larger articles: places and geoparse).")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        run(["build", "--out", str(t / "warm.html")])  # the index, basemap and frame cached
        for mb in a.article_mb:
            cmds = [("places", ["places", "--format", "json"]), ("geoparse", ["geoparse"])]
            if mb <= a.build_max_mb:
                cmds.insert(0, ("build", ["build", "--out", str(t / "map.html")]))
            for name, cmd in cmds:
                folder = t / f"a{mb}-{name}"
                f = article(folder, mb)
                args = [*cmd, str(f)] if name == "geoparse" else [*cmd, "--articles", str(folder)]
                wall, peak = run(args)
                rows.append((f"one article of {mb:g} MB", f"`{name}`", wall, peak))
                print(rows[-1], file=sys.stderr)
        for n in a.routes:
            cat = catalogue(t / f"routes-{n}.yaml", n)
            size = cat.stat().st_size / 1e6
            wall, peak = run(["build", "--routes", str(cat), "--out", str(t / "map.html")])
            rows.append((f"catalogue of {n:,} routes ({size:.1f} MB of YAML)", "`build --routes`", wall, peak))
            print(rows[-1], file=sys.stderr)
    print("| input | command | time | peak memory |")
    print("|---|---|---|---|")
    for what, cmd, wall, peak in rows:
        print(f"| {what} | {cmd} | {wall:.1f} s | {peak:,.0f} MB |")


if __name__ == "__main__":
    main()
