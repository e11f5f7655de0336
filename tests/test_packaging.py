"""The wheel carries every data file the product reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_package_data(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    [whl] = list(tmp_path.glob("tumen_atlas-*.whl"))
    names = set(zipfile.ZipFile(whl).namelist())
    expected = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "geo" / "data").rglob("*")) if p.is_file()]
    expected += [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "layers" / "static").rglob("*")) if p.is_file()]
    assert expected
    missing = [p for p in expected if p not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert "geo/py.typed" in names and "layers/py.typed" in names
    meta = zipfile.ZipFile(whl).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "tumen-atlas = layers.cli:main" in meta


def test_nothing_reads_shared_folder():
    needle = "/".join(["..", "shared"])
    for py in list((ROOT / "geo").rglob("*.py")) + list((ROOT / "layers").rglob("*.py")) + list((ROOT / "tests").rglob("*.py")):
        text = py.read_text(encoding="utf-8")
        assert needle not in text, py


def test_geo_never_imports_folium_or_layers():
    code = (
        "import sys, geo, geo.corpus, geo.gazetteer, geo.geoparser, geo.places, geo.routes, geo.evidence, geo.naturalearth\n"
        "bad = [m for m in sys.modules if m == 'folium' or m.startswith(('folium.', 'layers', 'branca'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_one_install_command_brings_what_export_needs():
    """`pip install .` must be enough for `tumen-atlas export --png` (matplotlib is no extra)."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("matplotlib") for d in deps)


def test_routes_and_evidence_import_no_cycle():
    """The catalogue, verification and routing stand alone; evidence never imports the tables."""
    import ast

    def imports(mod: str) -> set[str]:
        tree = ast.parse((ROOT / "geo" / f"{mod}.py").read_text(encoding="utf-8"))
        out = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geo."):
                out.add(node.module.split(".")[1])
        return out

    assert "routes" not in imports("evidence")
    for seam in ("catalogue", "verify", "routing"):
        assert not imports(seam) & {"routes", "evidence"}, seam
