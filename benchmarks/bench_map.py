"""Map benchmark: `tumen-atlas build` wall time (warm), the HTML's size, and the time headless
Chromium takes to draw it and place its labels, for the embedded corpus and any folders given.
Prints a Markdown table for the README.

    python benchmarks/bench_map.py [--runs 5] [--articles DIR ...] [--archive 5000 [--only-archive]]

``--archive N`` generates a folder of N articles into benchmarks/_work (never committed) from the
development corpora (LGL's and GeoVirus' documents repeated, each copy with its own id, title,
outlet and date) and measures the archive's budgets: page <= 8 MB, drawn <= 1.5 s, search <= 100
ms, reader opens <= 300 ms, warm build <= 5 s, peak build memory reported.

Not a test: figures depend on the machine. Targets: build <= 2 s warm, drawn <= 1 s, HTML <= 2 MB
(on the embedded corpus).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARCHIVE_OUTLETS = (
    "Gainesville Sun", "Rapides Parish Times", "Valley Courier", "Lakeside Gazette", "County Record",
    "Metro Daily", "River City Herald", "Coastal Tribune", "Prairie Press", "Mountain Ledger",
)
#: The development corpora (kept out of the repository; see /work/shared/eval/README.md).
DEV_CORPORA = Path("/work/shared/eval/dev")


def make_archive(dest: Path, n: int = 5000, corpora: Path = DEV_CORPORA) -> Path:
    """A folder of ``n`` articles for the archive benchmark: the development corpora's documents
    (LGL's US local news, GeoVirus' WikiNews) repeated, each copy with its own front matter (id,
    title, outlet, date), so the page holds ``n`` distinct articles. The same folder every time;
    written only when missing (``dest`` is under benchmarks/_work, never committed)."""
    import json

    docs = []
    for name in ("lgl.jsonl", "geovirus.jsonl"):
        with (corpora / name).open(encoding="utf-8") as f:
            docs += [json.loads(line) for line in f if line.strip()]
    marker = dest / ".complete"
    if marker.exists() and marker.read_text() == str(n):
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for i in range(n):
        d = docs[i % len(docs)]
        copy = i // len(docs)
        text = d["text"].strip()
        first = text.split(". ")[0].split("\n")[0][:90].strip()
        gv = d["doc_id"].startswith("GV")
        outlet = "WikiNews" if gv else ARCHIVE_OUTLETS[(i * 7 + copy) % len(ARCHIVE_OUTLETS)]
        # dates spread over 2008-2016, a few year-only and a few undated, as an analyst's folder has
        y, m, day = 2008 + (i * 37 % 9), 1 + (i * 11 % 12), 1 + (i * 13 % 28)
        date = None if i % 53 == 0 else f"{y}" if i % 17 == 0 else f"{y}-{m:02d}-{day:02d}"
        fm = {"id": f"{d['doc_id'].lower()}-{copy + 1}", "title": f"{first} ({copy + 1})" if copy else first,
              "outlet": outlet, "date": date}
        head = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fm.items() if v is not None)
        (dest / f"{i:05d}.md").write_text(f"---\n{head}---\n{text}\n", encoding="utf-8")
    marker.write_text(str(n))
    return dest


ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def measure(exe: str, runs: int, articles: Path | None, browser) -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "map.html"
        cmd = [exe, "build", "--out", str(out)] + (["--articles", str(articles)] if articles else [])
        subprocess.run(cmd, check=True, capture_output=True)  # warm the caches
        walls = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        draws, labels = [], 0
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(out.as_uri())
            page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=60000)
            ms = page.evaluate("new Promise(r => requestAnimationFrame(() => r(performance.now())))")
            draws.append(ms / 1000)
            labels = page.evaluate("TumenAtlas.labels.shown.length")
            page.close()
        return statistics.median(walls), statistics.median(draws), out.stat().st_size, labels


def after_an_edit(exe: str, runs: int) -> float:
    """Median wall time of `tumen-atlas build` on a copy of the embedded corpus after one of its
    articles gained a sentence (its mentions, places and routes made again; the index, basemap and
    the other articles' results from the cache)."""
    from geo.corpus import default_articles_dir

    with tempfile.TemporaryDirectory() as d:
        arts = Path(d) / "articles"
        shutil.copytree(default_articles_dir(), arts)
        out = Path(d) / "map.html"
        cmd = [exe, "build", "--out", str(out), "--articles", str(arts)]
        subprocess.run(cmd, check=True, capture_output=True)
        target = sorted(arts.glob("*.md"))[-1]
        walls = []
        for i in range(runs):
            with target.open("a", encoding="utf-8") as f:
                f.write(f"\n\nOfficials in Rajin and Vladivostok met again, round {i + 1}.\n")
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        return statistics.median(walls)


def _run(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one run of ``cmd``."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if status:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024


def measure_archive(exe: str, runs: int, folder: Path, browser) -> dict:
    """The archive's figures: the build cold (a cache holding only the gazetteer's index: every
    article geoparsed, every table made again) and warm, with peak memory; the page's size; in
    Chromium, the time to the first frame with labels placed, a search of the text, a filter by
    outlet, and opening the reader and an article."""
    from geo import _cache

    fig: dict = {"n": len(list(folder.glob("*.md")))}
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "map.html"
        cold = Path(d) / "cache"
        cold.mkdir()
        for f in _cache.cache_dir().glob("gazetteer-*"):
            os.link(f, cold / f.name) if f.stat().st_dev == cold.stat().st_dev else shutil.copy2(f, cold / f.name)
        cmd = [exe, "build", "--out", str(out), "--articles", str(folder)]
        fig["cold"], fig["cold_mb"] = _run(cmd, env={**os.environ, "TUMEN_ATLAS_CACHE": str(cold)})
        _run(cmd)  # the user cache warmed for these articles
        warm = [_run(cmd) for _ in range(runs)]
        fig["warm"] = statistics.median(w for w, _ in warm)
        fig["warm_mb"] = max(m for _, m in warm)
        fig["size"] = out.stat().st_size
        draws, search, outlet, reader, article = [], [], [], [], []
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(out.as_uri())
            page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=60000)
            draws.append(page.evaluate("new Promise(r => requestAnimationFrame(() => r(performance.now())))") / 1000)
            page.evaluate("TumenAtlas.loadTexts()")
            page.wait_for_timeout(1500)  # the texts decoded and folded for search in the background
            # a search: the articles whose text has the words (what the reader lists), then the
            # whole redraw of map and reader
            search.append(page.evaluate("""() => { const t = performance.now();
                TumenAtlas.articlesPassing({q: 'hospital', outlet: '', from: '', to: '', place: ''}); return performance.now() - t; }"""))
            outlet.append(page.evaluate("""() => new Promise(r => { const t = performance.now();
                TumenAtlas.filter.set({q: 'hospital'}); requestAnimationFrame(() => { r(performance.now() - t); }); })"""))
            page.evaluate("TumenAtlas.filter.clear()")
            reader.append(page.evaluate("""() => new Promise(r => { const t = performance.now();
                document.querySelector('.ta-reader-button button').click();
                requestAnimationFrame(() => setTimeout(() => r(performance.now() - t), 0)); })"""))
            article.append(page.evaluate("""() => new Promise(r => { const t = performance.now();
                document.querySelector('.ta-article-link').click();
                requestAnimationFrame(() => setTimeout(() => r(performance.now() - t), 0)); })"""))
            fig["labels"] = page.evaluate("TumenAtlas.labels.shown.length")
            fig["found"] = page.evaluate("TumenAtlas.articlesPassing({q: 'hospital'}).reduce((a, b) => a + b, 0)")
            page.close()
        fig.update(draw=statistics.median(draws), search=statistics.median(search), redraw=statistics.median(outlet),
                   reader=statistics.median(reader), article=statistics.median(article))
    return fig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--articles", type=Path, action="append", default=[], help="a folder of articles to measure too")
    ap.add_argument("--archive", type=int, default=0, metavar="N",
                    help="also measure a generated folder of N articles (5000 for the README), from the development corpora")
    ap.add_argument("--corpora", type=Path, default=DEV_CORPORA, help="where lgl.jsonl and geovirus.jsonl are")
    ap.add_argument("--only-archive", action="store_true", help="measure the archive only")
    args = ap.parse_args()
    # the package's bytecode compiled, as a regular `pip install` leaves it (an editable install run
    # with PYTHONDONTWRITEBYTECODE=1 would compile every module from source on every run)
    import compileall

    import geo
    import layers

    for pkg in (geo, layers):
        compileall.compile_dir(str(Path(pkg.__file__).parent), quiet=1)
    # the console script installed beside this Python (a version manager's shim would add its own start-up)
    exe = Path(sys.executable).with_name("tumen-atlas")
    exe = str(exe) if exe.exists() else shutil.which("tumen-atlas")
    from playwright.sync_api import sync_playwright

    rows = []
    archive = None
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        if args.archive:
            folder = make_archive(Path(__file__).parent / "_work" / f"archive-{args.archive}", args.archive, args.corpora)
            archive = measure_archive(exe, args.runs, folder, b)
        for folder in [] if args.only_archive else [None, *args.articles]:
            n = len([f for f in folder.iterdir() if f.suffix in (".md", ".txt")]) if folder else 5
            name = "embedded corpus (5 articles)" if folder is None else f"{folder.name} ({n} articles)"
            rows.append((name, *measure(exe, args.runs, folder, b)))
        b.close()
    if archive:
        a = archive
        print(f"Archive of {a['n']} articles (median of {args.runs}):\n")
        print("| measure | figure | budget |\n|---|---|---|")
        print(f"| HTML size | {a['size'] / 1e6:.2f} MB | ≤ 8 MB |")
        print(f"| drawn in Chromium, labels placed ({a['labels']} shown) | {a['draw']:.2f} s | ≤ 1.5 s |")
        print(f"| search of the text ('hospital', {a['found']} articles) | {a['search']:.0f} ms | ≤ 100 ms |")
        print(f"| the same search, map and reader redrawn | {a['redraw']:.0f} ms | |")
        print(f"| reader opens (list drawn) | {a['reader']:.0f} ms | ≤ 300 ms |")
        print(f"| an article opens in it | {a['article']:.0f} ms | |")
        print(f"| build, warm | {a['warm']:.2f} s (peak {a['warm_mb']:.0f} MB) | ≤ 5 s |")
        print(f"| build, cold (only the gazetteer's index cached) | {a['cold']:.1f} s (peak {a['cold_mb']:.0f} MB) | |")
        if args.only_archive:
            return
    print(f"| corpus | build, warm (median of {args.runs}) | drawn in Chromium, labels placed | HTML size | labels shown at load |")
    print("|---|---|---|---|---|")
    for name, wall, drawn, size, labels in rows:
        print(f"| {name} | {wall:.2f} s | {drawn:.2f} s | {size / 1e6:.2f} MB | {labels} |")
    print("| target (embedded corpus) | ≤ 2 s | ≤ 1 s | ≤ 2 MB | |")
    print(f"\nEmbedded corpus, rebuilt after one article gained a sentence (median of {args.runs}): "
          f"{after_an_edit(exe, args.runs):.2f} s")


if __name__ == "__main__":
    main()
