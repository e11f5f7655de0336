"""The compiled geoparser core for the tests that compare it with the reference code."""

from __future__ import annotations

import os

import pytest


def speedups():
    """``geo._speedups``; in CI a missing build fails the run (never a silent skip), elsewhere the
    comparison is skipped (an install without a C compiler runs the reference code only)."""
    try:
        from geo import _speedups
    except ImportError as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"geo._speedups is not built ({e}): .ci/run must compile it")
        pytest.skip("geo._speedups is not built (no C compiler at install): the Python code is in use")
    return _speedups
