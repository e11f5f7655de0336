from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TUMEN_ATLAS_TEST", "1")

ARTIFACTS = Path(__file__).parent / "_artifacts"


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
