"""Build step for the compiled modules (everything else is in pyproject.toml): the geoparser's one
source, ``geo/_engine.py`` (Cython in pure Python mode), compiled, and its kernels
(``geo/_fold.pyx``, ``geo/_scan.pyx``, ``geo/_chromescan.pyx``, ``geo/_jsonl.pyx``).

They are optional: where no C compiler is available the install still succeeds and the same
``geo/_engine.py`` runs interpreted, with the Python kernels (same results, slower). Set
``TUMEN_ATLAS_REQUIRE_SPEEDUPS=1`` to make a failed compile an error instead (CI does).
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: (module, source) of each compiled module.
COMPILED = (
    ("geo._engine", "geo/_engine.py"),
    ("geo._fold", "geo/_fold.pyx"),
    ("geo._scan", "geo/_scan.pyx"),
    ("geo._chromescan", "geo/_chromescan.pyx"),
    ("geo._jsonl", "geo/_jsonl.pyx"),
)


class OptionalBuildExt(build_ext):
    def run(self) -> None:
        try:
            super().run()
        except Exception as e:  # noqa: BLE001 - no compiler, no headers: fall back, loudly
            self._fallback(e)

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as e:  # noqa: BLE001
            self._fallback(e)

    @staticmethod
    def _fallback(e: Exception) -> None:
        if os.environ.get("TUMEN_ATLAS_REQUIRE_SPEEDUPS") == "1":
            raise e
        print(f"warning: a compiled module was not built ({e}); the geoparser runs interpreted", file=sys.stderr)


def extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        if os.environ.get("TUMEN_ATLAS_REQUIRE_SPEEDUPS") == "1":
            raise
        print("warning: Cython is not installed; the geoparser runs interpreted", file=sys.stderr)
        return []
    exts = [Extension(name, [src]) for name, src in COMPILED]
    return cythonize(exts, compiler_directives={"language_level": 3}, quiet=True)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
