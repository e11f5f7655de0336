"""Screenshots for the README: the map on load, the Tumen mouth opened from a link, a phone, the
reader beside a route's popup, the map of a folder of real articles with the ferry's evidence, and
the static PNG export.

    python docs/make_screenshots.py   (after `tumen-atlas build`)
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def shot(browser, url: str, path: Path, size=(1400, 900), then=None) -> None:
    pg = browser.new_page(viewport={"width": size[0], "height": size[1]})
    pg.goto(url)
    pg.wait_for_selector("html[data-atlas-ready]", state="attached")
    pg.wait_for_timeout(400)
    if then:
        then(pg)
    pg.screenshot(path=str(path))
    pg.close()


def main() -> None:
    url = (ROOT / "output" / "map.html").as_uri()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        shot(b, url, DOCS / "screenshot.png")
        shot(b, url + "#map=9/42.35/130.5", DOCS / "tumen-mouth.png", size=(1100, 700))
        shot(b, url, DOCS / "phone.png", size=(375, 667))

        def reader(pg):
            pg.evaluate("TumenAtlas.openArticle('calvo-cpi-2015')")
            pg.evaluate("TumenAtlas.flyTo('route:khasan-rajin-railway')")
            pg.wait_for_timeout(1500)

        shot(b, url, DOCS / "reader.png", then=reader)

        # a user's folder: the 59 real articles of tests/data/corridors, the ferry's popup open
        import tempfile

        from layers.page import write_map

        with tempfile.TemporaryDirectory() as tmp:
            folder_map = write_map(Path(tmp) / "map.html", ROOT / "tests" / "data" / "corridors")

            def ferry(pg):
                pg.evaluate("TumenAtlas.flyTo('route:rajin-vladivostok-ferry')")
                pg.wait_for_timeout(1500)

            shot(b, folder_map.as_uri() + "#map=7/42.6/131.2", DOCS / "corridors.png", then=ferry)
        b.close()
    from geo.atlas import atlas_data
    from layers.export import export_static

    export_static(atlas_data(), DOCS / "export.png", width_in=10, height_in=8, dpi=110)


if __name__ == "__main__":
    main()
