"""The package's structure: no import cycle (imports inside functions counted), no facade, and the
folium-free paths stay folium-free."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geo", "layers")


def _module_of(name: str) -> str | None:
    """The package module ``name`` means (the longest prefix that is a module of the package)."""
    parts = name.split(".")
    if parts[0] not in PACKAGES:
        return None
    for i in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:i])
        if base.with_suffix(".py").is_file() or base.with_suffix(".pyx").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts[:i])
    return None


def import_graph() -> dict[str, set[str]]:
    """Every module of the packages and the package modules it imports, anywhere in it (at the top or
    inside a function). Importing ``geo.x`` counts as an edge to ``geo.x`` only: that Python runs the
    package's ``__init__`` first is how packages work, not a dependency of the importing module."""
    graph: dict[str, set[str]] = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).glob("*.pyx")):  # a compiled kernel: its Python imports
            mod = f"{pkg}.{path.stem}"
            targets = []
            for line in path.read_text(encoding="utf-8").splitlines():
                if m := re.match(r"\s*from\s+([\w.]+)\s+import\s+(.+)", line):
                    targets += [f"{m.group(1)}.{n.strip().split(' ')[0]}" for n in m.group(2).split(",")]
                elif m := re.match(r"\s*import\s+([\w.]+)", line):
                    targets.append(m.group(1))
            graph[mod] = {m for t in targets if (m := _module_of(t)) and m != mod}
        for path in sorted((ROOT / pkg).glob("*.py")):
            mod = pkg if path.name == "__init__.py" else f"{pkg}.{path.stem}"
            edges: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    targets = [f"{node.module}.{a.name}" for a in node.names]
                else:
                    continue
                edges |= {m for t in targets if (m := _module_of(t)) and m != mod}
            graph[mod] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_counting_imports_inside_functions():
    graph = import_graph()
    assert "geo._curated" in graph and "layers.page" in graph
    assert cycles(graph) == []
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]  # the finder finds one


def test_geo_never_imports_folium_or_layers():
    for mod, edges in import_graph().items():
        if mod.startswith("geo"):
            assert not any(e.startswith("layers") for e in edges), mod
    for path in (ROOT / "geo").glob("*.py"):
        assert "import folium" not in path.read_text(encoding="utf-8"), path.name


def test_the_folium_free_modules_load_no_folium():
    code = ("import sys\nimport layers.content, layers.page, layers.export, layers.spec, layers.popups, geo.atlas\n"
            "print('folium' in sys.modules, 'branca' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split() == ["False", "False"]


def test_no_module_re_exports_another_modules_names_as_a_facade():
    """layers.mapdoc draws the folium map; it does not hand on the content, the popups or the spec."""
    import layers.mapdoc as mapdoc

    for name in ("route_popup", "initial_bounds", "flat_shapes", "write_atomic", "render_page", "embed_snippet"):
        assert not hasattr(mapdoc, name), name


def test_the_layers_read_no_gazetteer_and_each_builder_is_pure():
    """AtlasData hands on the gazetteer records the map reads; layer builders return what they make
    (layer, popups, search entries) and read nothing another builder left."""
    for mod, edges in import_graph().items():
        if mod.startswith("layers"):
            assert "geo.gazetteer" not in edges, mod
    import inspect

    from layers import spec

    for fn in (spec.route_layers, spec.place_layers, spec.site_layer, spec.borders_layer):
        params = inspect.signature(fn).parameters
        assert "popups" not in params and "search" not in params, fn.__name__


def test_label_placement_rules_live_in_one_table_read_by_the_web_map_and_the_exports():
    """labels.js and export.py hold no placement numbers of their own: both read style.PLACEMENT
    (the page carries it as ``placement``)."""
    import re

    from layers import style as S

    js = (ROOT / "layers" / "static" / "js" / "labels.js").read_text(encoding="utf-8")
    assert "data.placement" in js and not re.search(r"var (PAD|SITE_HALF) = \d", js)
    assert not re.search(r"g \* 0\.7|o \+ 3\b", js)
    ex = (ROOT / "layers" / "export.py").read_text(encoding="utf-8")
    assert "PLACEMENT" in ex and "14 * px" not in ex and "g * 0.7" not in ex
    assert S.PLACEMENT["beside"][0] == [1, 0, 0, -0.5]  # right of the symbol first, as the page places it


def test_the_as_of_rule_lives_in_one_table_that_python_and_every_script_of_the_page_read():
    """geo/timeline.py AS_OF_RULE is the as-of rule's one declaration: published_by and compare_dates
    hold no precision or outcome of their own; of the page's scripts only core.js compares dates
    (TumenAtlas.compareDates and publishedBy, reading the page's ``as_of_rule``), and no other script
    cuts two dates to the shorter one's length or compares cut dates itself."""
    import inspect
    import re

    from geo import timeline

    for fn in (timeline.published_by, timeline.compare_dates, timeline._precision):
        body = inspect.getsource(fn).split('"""')[-1]
        assert not re.search(r"\b(?!0\b|1\b)\d+\b|True|False", body), fn.__name__  # no precision, no outcome
        assert "min(len(" not in body, fn.__name__
    assert 'rule["compare_at"]' in inspect.getsource(timeline.compare_dates)
    assert 'rule["undated"]' in inspect.getsource(timeline.published_by)
    js_dir = ROOT / "layers" / "static" / "js"
    core = (js_dir / "core.js").read_text(encoding="utf-8")
    for name in ("compareDates", "publishedBy"):
        body = re.search(rf"TA\.{name} = function \([^)]*\) \{{(.*?)\n  \}};", core, re.S).group(1)
        assert "TA.data.as_of_rule" in body, name
        assert not re.search(r"\b(?!0\b|1\b)\d+\b|\btrue\b|\bfalse\b", body), name
    assert "rule.compare_at" in core and "rule.no_as_of" in core and "rule.precisions" in core
    shorter = re.compile(r"Math\.min\(\s*[\w.]+\.length\s*,\s*[\w.]+\.length\s*\)")
    compared = re.compile(r"\.slice\([^()]*\)\s*(<|>|<=|>=)\s*[\w.]+\.slice\(")
    for path in sorted(js_dir.glob("*.js")):
        js = path.read_text(encoding="utf-8")
        assert not shorter.search(js) and not compared.search(js), f"{path.name} compares dates by its own rule"
        if path.name != "core.js":
            assert not re.search(r"TA\.(publishedBy|compareDates)\s*=", js), path.name


def test_the_pipeline_modules_are_no_facades_either():
    """geo.routes draws the routes; the schema, the geometry and the quotes' verification are
    imported from their own modules."""
    import geo.routes as R

    for name in ("ROUTE_KINDS", "STATUSES", "densify", "geodesic_km", "grid_path", "closest_passage", "Segment", "Site"):
        assert not hasattr(R, name), name
