"""One cache policy: every cached result keyed by the package version and every file it derives from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import _cache

ROOT = Path(__file__).resolve().parents[1]


def test_every_cached_result_is_declared_once_and_its_files_exist():
    for name in _cache.POLICY:
        files = _cache.files_of(name)
        assert files, name
        assert all(p.is_file() for p in files)
    used = set()
    for src in [*ROOT.glob("geo/*.py"), *ROOT.glob("layers/*.py")]:
        text = src.read_text(encoding="utf-8")
        used |= set(re.findall(r'_cache\.(?:cached|key|load|store)\(\s*["\']([\w-]+)["\']', text))
        assert "fingerprint(" not in text or src.name == "_cache.py", f"{src.name} keys a cache by hand"
    assert used <= set(_cache.POLICY), used - set(_cache.POLICY)
    assert set(_cache.POLICY) - {"gazetteer"} <= used | {"gazetteer"}


def test_the_tests_use_a_cache_of_their_own_not_the_users():
    import platformdirs

    assert _cache.cache_dir() != Path(platformdirs.user_cache_dir("tumen-atlas"))
    assert Path(__file__).parent in _cache.cache_dir().parents or "TUMEN_ATLAS_TEST_CACHE" in __import__("os").environ


def test_each_result_depends_on_every_module_its_computing_modules_import(monkeypatch, tmp_path):
    """The code a cached result derives from is read from the imports of the modules that compute
    it (at the top or inside functions, through others): the page's basemap depends on layers/page.py,
    where it is made, and the routes on the evidence finder that routes.py imports inside a function."""
    import ast
    import shutil

    for pkg in ("geo", "layers"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
    monkeypatch.setattr(_cache, "package_root", lambda: tmp_path)
    rel = lambda name: {p.relative_to(tmp_path).as_posix() for p in _cache.files_of(name)}  # noqa: E731
    assert "layers/page.py" in rel("basemap-page") and "layers/basemap.py" in rel("basemap-page")
    assert {"geo/evidence.py", "geo/places.py", "geo/geoparser.py"} <= rel("routes")
    assert "geo/geoparser.py" not in rel("land")  # only what it imports
    for name, d in _cache.POLICY.items():
        files = rel(name)
        for mod in d.modules:  # every package module imported anywhere in a computing module is in
            src = tmp_path.joinpath(*mod.split(".")).with_suffix(".py")
            for node in ast.walk(ast.parse(src.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("geo", "layers"):
                    target = tmp_path.joinpath(*node.module.split("."))
                    path = target.with_suffix(".py") if target.with_suffix(".py").exists() else target / "__init__.py"
                    assert path.relative_to(tmp_path).as_posix() in files, (name, node.module)
    # and an edit of one such module makes a new key
    for name, module in (("basemap-page", "layers/page.py"), ("routes", "geo/evidence.py"), ("land", "geo/naturalearth.py")):
        _cache._policy_key.cache_clear()
        before = _cache.key(name)
        f = tmp_path / module
        f.write_text(f.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        _cache._policy_key.cache_clear()
        assert _cache.key(name) != before, name
    _cache._policy_key.cache_clear()


def test_the_routes_cache_depends_on_the_code_its_skip_mode_runs():
    files = {p.relative_to(_cache.package_root()).as_posix() for p in _cache.files_of("routes")}
    for code in ("geo/geoparser.py", "geo/places.py", "geo/evidence.py", "geo/routing.py", "geo/verify.py", "geo/_rules.py",
                 "geo/timeline.py", "geo/chrome.py"):
        assert code in files, code
    assert "gazetteer" in _cache.POLICY["routes"].after


def test_a_new_version_or_an_edited_file_makes_a_new_key(monkeypatch, tmp_path):
    before = _cache.key("routes", "x")
    monkeypatch.setattr(_cache, "package_version", lambda: "999.0")
    _cache._policy_key.cache_clear()
    assert _cache.key("routes", "x") != before
    monkeypatch.undo()
    _cache._policy_key.cache_clear()
    assert _cache.key("routes", "x") == before
    # an edited code file: the same derivation over a copy of the tree with one byte changed
    monkeypatch.setattr(_cache, "package_root", lambda: tmp_path)
    import shutil

    shutil.copytree(ROOT / "geo", tmp_path / "geo")
    _cache._policy_key.cache_clear()
    a = _cache.key("mentions")
    (tmp_path / "geo" / "_rules.py").write_text((ROOT / "geo" / "_rules.py").read_text() + "\n# edited\n")
    _cache._policy_key.cache_clear()
    assert _cache.key("mentions") != a
    monkeypatch.undo()
    _cache._policy_key.cache_clear()


def test_an_undeclared_cache_is_refused():
    with pytest.raises(KeyError, match="cache policy"):
        _cache.key("something-new")


def test_stale_results_are_not_served(monkeypatch, tmp_path):
    monkeypatch.setenv("TUMEN_ATLAS_CACHE", str(tmp_path))
    calls = []
    assert _cache.cached("land", lambda: calls.append(1) or "v1") == "v1"
    assert _cache.cached("land", lambda: calls.append(1) or "v2") == "v1"  # same derivation: reused
    monkeypatch.setattr(_cache, "package_version", lambda: "999.0")
    _cache._policy_key.cache_clear()
    assert _cache.cached("land", lambda: calls.append(1) or "v3") == "v3"  # an upgrade: recomputed
    monkeypatch.undo()
    _cache._policy_key.cache_clear()
    assert len(calls) == 2


def test_a_warm_pipeline_run_reads_its_results_without_the_gazetteer():
    """Unchanged articles: the mentions, places and routes come from the cache, and neither the
    name index nor Natural Earth is loaded (a warm build's pipeline)."""
    import subprocess
    import sys

    from geo.atlas import atlas_data

    first = atlas_data()  # makes sure the cache holds this corpus
    code = (
        "import geo.gazetteer, geo.naturalearth\n"
        "def refuse(*a, **k): raise AssertionError('loaded on a warm run')\n"
        "geo.gazetteer.get_gazetteer = refuse\n"
        "geo.naturalearth.read_layer = refuse\n"
        "from geo.atlas import atlas_data\n"
        "d = atlas_data()\n"
        "print(len(d.mentions), len(d.places), len(d.routes.routes))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert out == [str(len(first.mentions)), str(len(first.places)), str(len(first.routes.routes))]


def test_a_warm_map_build_loads_neither_the_gazetteer_nor_natural_earth():
    """Unchanged articles: the whole map (its popups, labels and search included) is built from
    the cached results and the cached records of its places, never from the 37 MB name index."""
    import subprocess
    import sys

    from layers.mapdoc import build_map, render_html

    first = render_html(build_map())  # makes sure the cache holds this corpus and its records
    code = (
        "import sys, geo.gazetteer, geo.naturalearth\n"
        "def refuse(*a, **k): raise AssertionError('loaded on a warm build')\n"
        "geo.gazetteer.get_gazetteer = refuse\n"
        "geo.naturalearth.read_layer = refuse\n"
        "from layers.mapdoc import build_map, render_html\n"
        "sys.stdout.write(render_html(build_map()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    assert out == first


def test_place_records_are_the_gazetteers_and_are_cached_apart(monkeypatch, tmp_path):
    from geo import gazetteer

    ids = ["rajin", "khasan", "tumen-river", "geonames:1871859"]
    recs = gazetteer.place_records(ids)
    assert recs == {pid: gazetteer.get_gazetteer().place(pid) for pid in ids}
    monkeypatch.setattr(gazetteer, "get_gazetteer", lambda: (_ for _ in ()).throw(AssertionError("index loaded")))
    assert gazetteer.place_records(reversed(ids)) == recs  # the same places, in any order: the cached entry
    with pytest.raises(AssertionError, match="index loaded"):
        gazetteer.place_records(["rajin"])  # other places: read from the index


def test_country_outlines_come_from_one_cached_table_and_match_natural_earth():
    import shapely

    from geo import naturalearth as N

    ne = N.read_layer("world_countries_50m")
    for iso2, iso3 in (("KP", "PRK"), ("RU", "RUS"), ("NO", "NOR"), ("FR", "FRA"), ("US", "USA"), ("CN", "CHN")):
        sel = ne[(ne["iso_a3"] == iso3) | (ne["adm0_a3"] == iso3)]
        expected = sel.geometry.iloc[0] if len(sel) == 1 else shapely.union_all(sel.geometry.values)
        assert shapely.equals_exact(N.country_outline(iso2), expected, 0), iso2
    assert N.country_outline("XX") is None
    assert "PRK" in N._outlines() and "-99" not in N._outlines()
