"""Front-end assets inlined into the page: Leaflet from the xstatic package, the project's own JS/CSS."""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _xstatic_dir(package: str, what: str, requirement: str) -> Path:
    """The folder of an ``xstatic`` asset package (a declared dependency: a clear error if absent)."""
    import importlib

    try:
        return Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ImportError(f"{what} assets are missing: pip install '{requirement}'") from e


def _leaflet_dir() -> Path:
    return _xstatic_dir("leaflet", "Leaflet", "xstatic-leaflet>=1.9.3")


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


def _markercluster_dir() -> Path:
    return _xstatic_dir("leaflet_markercluster", "Leaflet.markercluster", "xstatic-leaflet-markercluster>=1.4.1")


@lru_cache(maxsize=1)
def markercluster_js() -> str:
    """Leaflet.markercluster (MIT), inlined for a map whose places are clustered by zoom."""
    return (_markercluster_dir() / "leaflet.markercluster.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def markercluster_css() -> str:
    d = _markercluster_dir()
    return (d / "MarkerCluster.css").read_text(encoding="utf-8") + "\n" + (d / "MarkerCluster.Default.css").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    return (resources.files("layers") / "static" / name).read_text(encoding="utf-8")


#: The page's modules, in the order they are combined: the core (namespace, DOM and escaping
#: helpers, registration, the contract check) first, start-up last; one module per control.
JS_MODULES = (
    "core.js", "layers.js", "urlstate.js", "filter.js", "labels.js", "search.js", "reader.js", "fullscreen.js",
    "layercontrol.js", "legend.js", "timeline.js", "app.js",
)


def app_js(modules: tuple[str, ...] | None = None) -> str:
    """The page's own JavaScript: ``modules`` (default: all of :data:`JS_MODULES`) combined in
    order. A subset is for testing one control on its own (core and app are always included)."""
    names = JS_MODULES if modules is None else tuple(m for m in JS_MODULES if m in {"core.js", "app.js", *modules})
    return "\n".join(static_text(f"js/{n}") for n in names)


def app_css() -> str:
    """The page's own CSS: the stylesheet and the label classes from the style table."""
    from layers.style import label_css

    return static_text("tumen.css") + "\n" + label_css()


def safe_json(obj) -> str:
    """JSON for embedding in HTML/JS: sorted keys, and no character that could end a script, start
    markup or break a line in a JavaScript string (U+2028/2029)."""
    s = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def script_safe(js: str) -> str:
    """JS text that cannot close its <script> element early."""
    return js.replace("</", "<\\/")


def style_safe(css: str) -> str:
    return css.replace("</", "<\\/")


def _fa_dir() -> Path:
    return _xstatic_dir("font_awesome", "Font Awesome", "xstatic-font-awesome>=6.2")


@lru_cache(maxsize=None)
def font_awesome_css(icons: tuple[str, ...]) -> str:
    """CSS for the given Font Awesome Free solid icons as ``.ta-fa.ta-fa-NAME``, the font inlined.

    Code points are read from the package's own stylesheet; the solid font is embedded cut down to
    those icons' glyphs (:func:`font_awesome_subset`). Font Awesome Free: icons CC BY 4.0, font SIL
    OFL 1.1 (fontawesome.com).
    """
    codes = font_awesome_codepoints(icons)
    font = base64.b64encode(font_awesome_subset(tuple(sorted(codes.values())))).decode("ascii")
    rules = [
        "/* Font Awesome Free 6 (fontawesome.com): icons CC BY 4.0, font SIL OFL 1.1 */",
        '@font-face{font-family:"TA Font Awesome";font-style:normal;font-weight:900;font-display:block;'
        f'src:url(data:font/woff;base64,{font}) format("woff")}}',
        '.ta-fa{font-family:"TA Font Awesome";font-weight:900;font-style:normal;display:inline-block;'
        "line-height:1;-webkit-font-smoothing:antialiased;text-rendering:auto}",
    ]
    for name, code in codes.items():
        rules.append(f'.ta-fa-{name}::before{{content:"\\{code:x}"}}')
    return "\n".join(rules)


@lru_cache(maxsize=None)
def font_awesome_codepoints(icons: tuple[str, ...]) -> dict[str, int]:
    """Code points of Font Awesome Free solid icons, read from the package's stylesheet."""
    css = (_fa_dir() / "css" / "all.css").read_text(encoding="utf-8")
    out = {}
    for name in icons:
        if not re.fullmatch(r"[a-z0-9-]+", name):
            raise ValueError(f"not a Font Awesome icon name: {name!r}")
        m = re.search(r"\.fa-" + re.escape(name) + r"::?before\s*\{\s*content:\s*\"\\([0-9a-f]+)\"", css)
        if not m:
            raise ValueError(f"Font Awesome {_fa_version()} has no icon {name!r}")
        out[name] = int(m.group(1), 16)
    return out


def font_awesome_subset(codepoints: tuple[int, ...]) -> bytes:
    """The solid font cut down to the glyphs of ``codepoints``, as WOFF: a couple of kilobytes in
    the page instead of the whole font's 150. Made with fontTools' subsetter (kept in the user
    cache: the subsetter takes longer to import than a build takes to run)."""
    from geo import _cache

    return _cache.cached("icon-font", lambda: _subset_font(codepoints), ",".join(f"{c:x}" for c in codepoints))


def _subset_font(codepoints: tuple[int, ...]) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor = "woff"  # zlib-compressed (WOFF2 would need brotli)
    opts.layout_features = []
    opts.name_IDs = ["*"]  # the font's names (its copyright among them) kept, as shipped
    opts.name_legacy = True
    opts.name_languages = ["*"]
    opts.recalc_timestamp = False
    font = TTFont(str(font_awesome_ttf()), recalcTimestamp=False)  # the same bytes on every build
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=list(codepoints))
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def font_awesome_ttf() -> Path:
    """The solid font as TrueType (for static maps drawn with matplotlib)."""
    return _fa_dir() / "webfonts" / "fa-solid-900.ttf"


def _fa_version() -> str:
    import xstatic.pkg.font_awesome as fa

    return str(fa.VERSION)
