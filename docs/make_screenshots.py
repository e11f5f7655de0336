"""Screenshots for the README: the map on load, and the reader beside a route's popup.

    python docs/make_screenshots.py   (after `tumen-atlas build`)
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> None:
    page_url = (ROOT / "output" / "map.html").as_uri()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        pg = b.new_page(viewport={"width": 1400, "height": 900})
        pg.goto(page_url)
        pg.wait_for_selector("html[data-atlas-ready]", state="attached")
        pg.wait_for_timeout(400)
        pg.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
        pg.evaluate("TumenAtlas.openArticle('calvo-cpi-2015')")
        pg.evaluate("TumenAtlas.flyTo('route:khasan-rajin-railway')")
        pg.wait_for_timeout(1500)
        pg.screenshot(path=str(ROOT / "docs" / "reader.png"))
        b.close()


if __name__ == "__main__":
    main()
