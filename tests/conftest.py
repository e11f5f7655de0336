from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "_artifacts"
#: The tests' own cache, never the user's (kept between runs, beside the other artifacts;
#: TUMEN_ATLAS_TEST_CACHE puts it elsewhere). Set before anything is imported, so that commands the
#: tests start in subprocesses use it too.
os.environ["TUMEN_ATLAS_CACHE"] = os.environ.get("TUMEN_ATLAS_TEST_CACHE") or str(ARTIFACTS / "cache")


@pytest.fixture(scope="session")
def corpus():
    from geo.corpus import load_corpus

    return load_corpus()


@pytest.fixture(scope="session")
def geoparser():
    from geo.geoparser import default_geoparser

    return default_geoparser()


@pytest.fixture(scope="session")
def mentions(corpus, geoparser):
    from geo.places import mentions_from_articles

    return mentions_from_articles(corpus, geoparser=geoparser)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# ---------------------------------------------------------------- browser tests (one Chromium per run)


@pytest.fixture(scope="session")
def browser():
    from tests.browser import CHROMIUM_ARGS, chromium_path

    exe = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        pytest.fail("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def map_file(tmp_path_factory) -> Path:
    from layers.page import write_map

    return write_map(tmp_path_factory.mktemp("map") / "map.html")
