"""Whether the compiled geoparser and kernels are used: the one place that reads the switch.

Kept free of heavy imports: :mod:`geo.chrome` asks it in a process forked before numpy is loaded,
so a module is looked for (is it built?) without being imported."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os

PURE_PYTHON_ENV = "TUMEN_ATLAS_PURE_PYTHON"
#: The compiled modules: the geoparser's one source compiled, and the kernels.
COMPILED_MODULES = ("_engine", "_fold", "_scan", "_chromescan", "_jsonl")


def built(name: str) -> bool:
    """Whether ``geo.<name>`` is a compiled extension here (not the Python source)."""
    spec = importlib.util.find_spec(f"geo.{name}")
    return spec is not None and bool(spec.origin) and spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def compiled_core_built() -> bool:
    """Whether the compiled geoparser and its kernels are built (whatever the switch says)."""
    return all(built(n) for n in COMPILED_MODULES)


def compiled_core_available() -> bool:
    """Whether new geoparsers, chrome scans and writers run compiled code: it is built, and
    ``TUMEN_ATLAS_PURE_PYTHON=1`` does not ask for the Python code."""
    return os.environ.get(PURE_PYTHON_ENV) != "1" and compiled_core_built()
