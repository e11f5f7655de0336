"""Map benchmark: `tumen-atlas build` wall time (warm), the HTML's size, and the time headless
Chromium takes to draw it. Prints a Markdown table for the README; optionally saves a screenshot.

    python benchmarks/bench_map.py [--runs 5] [--screenshot docs/screenshot.png]

Not a test: figures depend on the machine. Targets: build <= 2 s warm, drawn <= 1 s, HTML <= 3 MB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--screenshot", type=Path, default=None)
    args = ap.parse_args()
    exe = shutil.which("tumen-atlas") or str(Path(sys.executable).with_name("tumen-atlas"))
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "map.html"
        subprocess.run([exe, "build", "--out", str(out)], check=True, capture_output=True)  # warm the caches
        walls = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([exe, "build", "--out", str(out)], check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        size = out.stat().st_size

        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        draws = []
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=ARGS)
            for i in range(args.runs):
                page = b.new_page(viewport={"width": 1400, "height": 900})
                page.goto(out.as_uri())
                page.wait_for_selector("html[data-atlas-ready]", state="attached")
                ms = page.evaluate("new Promise(r => requestAnimationFrame(() => r(performance.now())))")
                draws.append(ms / 1000)
                if i == 0 and args.screenshot:
                    page.wait_for_timeout(300)
                    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(args.screenshot))
                page.close()
            b.close()
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| `tumen-atlas build` on the embedded corpus, warm (median of {args.runs}) | {statistics.median(walls):.2f} s | ≤ 2 s |")
    print(f"| map drawn in headless Chromium (navigation to first frame after init, median of {args.runs}) | {statistics.median(draws):.2f} s | ≤ 1 s |")
    print(f"| HTML size, basemap and assets included | {size / 1e6:.2f} MB | ≤ 3 MB |")


if __name__ == "__main__":
    main()
