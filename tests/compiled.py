"""The compiled geoparser and kernels, for the tests that compare them with the Python code."""

from __future__ import annotations

import os

import pytest


def require_compiled() -> None:
    """Go on only where the compiled modules are built: in CI a missing build fails the run (never a
    silent skip), elsewhere the comparison is skipped (an install without a C compiler runs the
    geoparser's source interpreted, with the Python kernels)."""
    from geo._native import COMPILED_MODULES, built

    missing = [n for n in COMPILED_MODULES if not built(n)]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"not compiled: {', '.join('geo.' + n for n in missing)} (.ci/run must build them)")
        pytest.skip("the compiled modules are not built (no C compiler at install): the Python code is in use")
