"""Build step for the one compiled module, ``geo._speedups`` (everything else is in pyproject.toml).

The extension is optional: where no C compiler is available the install still succeeds and the
geoparser runs its pure-Python reference code (same results, slower). Set
``TUMEN_ATLAS_REQUIRE_SPEEDUPS=1`` to make a failed compile an error instead (CI does).
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


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
        print(f"warning: geo._speedups not built ({e}); the geoparser will use its pure-Python code", file=sys.stderr)


def extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        if os.environ.get("TUMEN_ATLAS_REQUIRE_SPEEDUPS") == "1":
            raise
        print("warning: Cython is not installed; geo._speedups not built", file=sys.stderr)
        return []
    ext = Extension("geo._speedups", ["geo/_speedups.pyx"])
    return cythonize([ext], compiler_directives={"language_level": 3}, quiet=True)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
