"""Front-end assets inlined into the page: Leaflet from the xstatic package, the project's own JS/CSS."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _leaflet_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as xl
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ImportError("Leaflet assets are missing: pip install 'xstatic-leaflet>=1.9.3'") from e
    return Path(xl.BASE_DIR)


def leaflet_version() -> str:
    import xstatic.pkg.leaflet as xl

    return str(xl.VERSION)


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """leaflet.css with its images inlined as data URIs (no file beside the page)."""
    d = _leaflet_dir()
    css = (d / "leaflet.css").read_text(encoding="utf-8")

    def inline(m: re.Match) -> str:
        img = d / m.group(1)
        data = base64.b64encode(img.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    return (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    return (resources.files("layers") / "static" / name).read_text(encoding="utf-8")


def script_safe(js: str) -> str:
    """JS text that cannot close its <script> element early."""
    return js.replace("</", "<\\/")


def style_safe(css: str) -> str:
    return css.replace("</", "<\\/")
