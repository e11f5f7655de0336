"""Whether the compiled :mod:`geo._speedups` is used: the one place that reads the switch.

Kept free of heavy imports: :mod:`geo.chrome` asks it in a process forked before numpy is loaded."""

from __future__ import annotations

import os

PURE_PYTHON_ENV = "TUMEN_ATLAS_PURE_PYTHON"


def compiled_core_built() -> bool:
    """Whether the compiled :mod:`geo._speedups` is built (whatever the switch says)."""
    try:
        from geo import _speedups  # noqa: F401
    except ImportError:
        return False
    return True


def compiled_core_available() -> bool:
    """Whether new geoparsers, chrome scans and writers run the compiled :mod:`geo._speedups`: it is
    built, and ``TUMEN_ATLAS_PURE_PYTHON=1`` does not ask for the reference code."""
    return os.environ.get(PURE_PYTHON_ENV) != "1" and compiled_core_built()
