from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from layers.cli import app

runner = CliRunner()


def test_geoparse_files_and_stdin(tmp_path: Path):
    f = tmp_path / "a.txt"
    text = "Coal from Khasan reached Rajin.\nCopyright 2024 Example, Kraków.\n"
    f.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["geoparse", str(f)])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["surface"] for x in rows] == ["Khasan", "Rajin"]
    for x in rows:
        assert set(x) == {"doc", "start", "end", "surface", "name", "kind", "country", "lat", "lon", "gazetteer_id", "score"}
        assert x["doc"] == str(f)
        assert text[x["start"] : x["end"]] == x["surface"]
    r = runner.invoke(app, ["geoparse", "--keep-chrome", str(f)])
    assert "Kraków" in [json.loads(x)["surface"] for x in r.stdout.splitlines()]
    r = runner.invoke(app, ["geoparse", "-"], input="Vladivostok and Sunch’o’n.")
    assert [json.loads(x)["gazetteer_id"] for x in r.stdout.splitlines()] == ["vladivostok", "sunchon-kp"]


def test_geoparse_jsonl(tmp_path: Path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "d1", "text": "Rajin port"}) + "\n" + json.dumps({"id": 7, "text": "Seoul"}) + "\n")
    r = runner.invoke(app, ["geoparse", "--jsonl", str(f)])
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["doc"], x["gazetteer_id"]) for x in rows] == [("d1", "rajin"), ("7", "geonames:1835848")]
    f.write_text('{"id": "d1"}\n')
    r = runner.invoke(app, ["geoparse", "--jsonl", str(f)])
    assert r.exit_code == 2
    assert "line 1" in r.output and "in.jsonl" in r.output


def test_geoparse_unreadable_file_is_clear_error(tmp_path: Path):
    r = runner.invoke(app, ["geoparse", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2
    assert "nope.txt" in r.output


def test_places_csv_geojson_json():
    r = runner.invoke(app, ["places"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("place_id,name,kind,country,mention_count")
    ids = [x.split(",")[0] for x in lines[1:]]
    for pid in ("rajin", "khasan", "vladivostok", "tumen-river", "bolshoi-ussuriysky-island", "sunchon-kp"):
        assert pid in ids
    r = runner.invoke(app, ["places", "--format", "geojson"])
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection"
    tumen = next(f for f in fc["features"] if f["properties"]["place_id"] == "tumen-river")
    assert tumen["geometry"]["type"] == "LineString"
    r = runner.invoke(app, ["places", "--format", "json"])
    assert isinstance(json.loads(r.stdout), list)
    r = runner.invoke(app, ["places", "--format", "xml"])
    assert r.exit_code == 2


def test_places_on_a_user_folder(tmp_path: Path):
    (tmp_path / "x.md").write_text("---\nid: x\ndate: 2020-01-02\n---\nA ferry links Rajin and Vladivostok.\n", encoding="utf-8")
    r = runner.invoke(app, ["places", "--articles", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert {ln.split(",")[0] for ln in r.stdout.splitlines()[1:]} == {"rajin", "vladivostok"}
    (tmp_path / "y.md").write_text("---\ndate: [\n---\n", encoding="utf-8")
    r = runner.invoke(app, ["places", "--articles", str(tmp_path)])
    assert r.exit_code == 2 and "y.md" in r.output


def test_corpus_lists_articles_and_chrome():
    r = runner.invoke(app, ["corpus", "--json"])
    recs = json.loads(r.stdout)
    assert len(recs) == 5
    nee = next(x for x in recs if x["id"] == "kaliszuk-nee-2017")
    assert any("Kraków" in c["text"] for c in nee["chrome"])
    r = runner.invoke(app, ["corpus"])
    assert "Pyongyang’s Russian sentiment" in r.stdout


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("tumen-atlas")
    assert exe.exists(), "pip install the project so the tumen-atlas console script exists"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True).stdout
    assert "geoparse" in out


def test_geoparse_large_input_shows_progress_and_parallel_output_is_identical(tmp_path: Path):
    f = tmp_path / "big.jsonl"
    body = "Coal from Khasan reached Rajin, then Vladivostok. " * 400
    f.write_text("".join(json.dumps({"id": f"d{i}", "text": body}) + "\n" for i in range(60)), encoding="utf-8")
    exe = [sys.executable, "-m", "layers.cli", "geoparse", "--jsonl", str(f)]
    one = subprocess.run(exe + ["--progress"], capture_output=True, text=True, check=True)
    assert "geoparsing" in one.stderr  # progress on stderr, never mixed into the JSON on stdout
    lines = one.stdout.splitlines()
    assert len(lines) == 60 * 400 * 3
    assert json.loads(lines[0])["doc"] == "d0" and json.loads(lines[-1])["doc"] == "d59"
    two = subprocess.run(exe + ["--jobs", "2", "--no-progress"], capture_output=True, text=True, check=True)
    assert two.stdout == one.stdout and two.stderr == ""
