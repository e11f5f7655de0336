from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

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
    assert one.stderr.rstrip().endswith("0:00:00")  # the bar ends full (none left), not a step short of it
    lines = one.stdout.splitlines()
    assert len(lines) == 60 * 400 * 3
    assert json.loads(lines[0])["doc"] == "d0" and json.loads(lines[-1])["doc"] == "d59"
    two = subprocess.run(exe + ["--jobs", "2", "--no-progress"], capture_output=True, text=True, check=True)
    assert two.stdout == one.stdout and two.stderr == ""
    # the bar beside forked workers: no thread of its own at the forks (Python 3.12+ warns of one,
    # shown here though warnings from outside __main__ are hidden by default)
    both = subprocess.run([exe[0], "-W", "always::DeprecationWarning"] + exe[1:] + ["--jobs", "2", "--progress"],
                          capture_output=True, text=True, check=True)
    assert both.stdout == one.stdout and "geoparsing" in both.stderr and "multi-threaded" not in both.stderr


def test_verbose_logs_the_pipeline_stages_not_the_libraries_internals(tmp_path: Path):
    """-v is for the reader's pipeline (articles loaded, places, routes, the map), not fontTools'
    subsetting steps (a first build logs dozens) or other libraries' INFO messages."""
    r = subprocess.run([sys.executable, "-m", "layers.cli", "-v", "build", "--out", str(tmp_path / "m.html")],
                       capture_output=True, text=True, check=True)
    assert "INFO geo.corpus: loaded 5 articles" in r.stderr and "INFO geo.routes: " in r.stderr and "INFO layers." in r.stderr
    logged = [line for line in r.stderr.splitlines() if line.startswith(("DEBUG ", "INFO "))]
    assert logged and all(line.split()[1].startswith(("geo.", "layers.")) for line in logged), r.stderr[:2000]
    # what a library logs at INFO after -v set logging up (as fontTools does while subsetting the icons)
    code = ("import logging; from layers.cli import app; app(['-v', 'corpus'], standalone_mode=False); "
            "logging.getLogger('fontTools.subset').info('subset noise'); logging.getLogger('geo.stage').info('a stage')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "INFO geo.stage: a stage" in r.stderr and "subset noise" not in r.stderr


def test_progress_bar_is_drawn_without_a_thread_of_its_own(capsys):
    """Worker processes are forked while the bar is shown; a second thread alive at a fork can leave
    the child deadlocked on a lock that thread held. The bar is redrawn from the advancing calls."""
    import threading

    from layers import cli

    before = threading.active_count()
    with cli._progress(True, 1000) as advance:
        for _ in range(10):
            advance(100)
        assert threading.active_count() == before
    assert "geoparsing" in capsys.readouterr().err


# ------------------------------------------------------------------ formats, streaming, Dask


def _jsonl_input(tmp_path: Path, n: int = 40) -> Path:
    f = tmp_path / "in.jsonl"
    texts = ["Coal from Khasan reached Rajin, then Vladivostok.", "Talks in Seoul and Pyongyang.", "Nothing here.",
             "Flooding hit Paris, Texas."]
    f.write_text("".join(json.dumps({"id": f"d{i}", "text": texts[i % 4] * (1 + i % 3)}) + "\n" for i in range(n)), encoding="utf-8")
    return f


def _records(tmp_path: Path, fmt: str, *args: str) -> list[tuple]:
    """The records of one run in one format, as comparable tuples."""
    import csv as csvmod

    import geopandas as gpd

    out = tmp_path / f"out.{fmt}"
    r = runner.invoke(app, ["geoparse", "--jsonl", str(_jsonl_input(tmp_path)), "--format", fmt, "--out", str(out), *args])
    assert r.exit_code == 0, r.output
    keys = ("doc", "start", "end", "surface", "name", "kind", "country", "lat", "lon", "gazetteer_id", "score")
    if fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        rows = list(csvmod.DictReader(out.open(encoding="utf-8")))
        for x in rows:
            x.update(start=int(x["start"]), end=int(x["end"]), lat=float(x["lat"]), lon=float(x["lon"]),
                     score=float(x["score"]), country=x["country"] or None)
    elif fmt == "geojson":
        fc = json.loads(out.read_text(encoding="utf-8"))
        assert fc["type"] == "FeatureCollection"
        rows = []
        for f in fc["features"]:
            assert f["geometry"]["coordinates"] == [f["properties"]["lon"], f["properties"]["lat"]]
            rows.append(f["properties"])
    else:
        df = gpd.read_parquet(out)
        assert df.crs.to_epsg() == 4326 or df.crs.to_string() == "OGC:CRS84"
        assert all(g.x == lon and g.y == lat for g, lon, lat in zip(df.geometry, df["lon"], df["lat"]))
        rows = df.drop(columns="geometry").to_dict("records")
        for x in rows:
            x["country"] = x["country"] if isinstance(x["country"], str) else None
    return [tuple(x[k] for k in keys) for x in rows]


def test_every_format_holds_the_same_records(tmp_path: Path):
    base = _records(tmp_path, "jsonl")
    assert len(base) > 40 and base[0][0] == "d0" and base[-1][0] == "d39"
    for fmt in ("csv", "geojson", "parquet"):
        assert _records(tmp_path, fmt) == base, fmt


def test_parquet_needs_a_path_and_partitions_go_to_a_directory(tmp_path: Path):
    import geopandas as gpd

    r = runner.invoke(app, ["geoparse", "--jsonl", str(_jsonl_input(tmp_path)), "--format", "parquet"])
    assert r.exit_code == 2 and "--out" in r.output
    r = runner.invoke(app, ["geoparse", "--jsonl", str(_jsonl_input(tmp_path)), "--format", "xml"])
    assert r.exit_code == 2 and "jsonl, csv, geojson, parquet" in r.output
    d = tmp_path / "parts"
    r = runner.invoke(app, ["geoparse", "--jsonl", str(_jsonl_input(tmp_path)), "--format", "parquet", "--out", f"{d}/"])
    assert r.exit_code == 0, r.output
    parts = sorted(d.glob("part-*.parquet"))
    assert parts and len(gpd.read_parquet(d)) == len(_records(tmp_path, "jsonl"))


def test_a_bad_line_leaves_no_output_file(tmp_path: Path):
    f = _jsonl_input(tmp_path)
    f.write_text(f.read_text(encoding="utf-8") + '{"id": "x", "text": 5}\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    r = runner.invoke(app, ["geoparse", "--jsonl", str(f), "--out", str(out)])
    assert r.exit_code == 2 and "line 41" in r.output and "'text' must be a string" in r.output
    assert not out.exists() and not list(tmp_path.glob(".o.jsonl*"))  # nothing half-written, no temporary left


def test_glob_patterns_are_expanded_in_order(tmp_path: Path):
    for i in (2, 1):
        (tmp_path / f"part{i}.jsonl").write_text(json.dumps({"id": f"p{i}", "text": "Rajin"}) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["geoparse", "--jsonl", str(tmp_path / "part*.jsonl")])
    assert [json.loads(x)["doc"] for x in r.stdout.splitlines()] == ["p1", "p2"]
    r = runner.invoke(app, ["geoparse", "--jsonl", str(tmp_path / "none*.jsonl")])
    assert r.exit_code == 2 and "no file matches" in r.output


def test_input_is_read_as_a_stream(tmp_path: Path, monkeypatch):
    """Documents reach the geoparser chunk by chunk while the input is still being read."""
    from geo import batch

    f = tmp_path / "big.jsonl"
    f.write_text("".join(json.dumps({"id": i, "text": "Rajin. " * 30_000}) + "\n" for i in range(20)), encoding="utf-8")
    read = []
    docs = batch.read_docs([str(f)], True)

    def counting():
        for d in docs:
            read.append(d[0])
            yield d

    seen_at = []
    batch.run(counting(), batch.Writer("jsonl", open(os.devnull, "wb")), advance=lambda n: seen_at.append(len(read)))
    assert seen_at[0] < 20  # the first chunk was written before the last document was read
    assert len(seen_at) > 1


def test_dask_local_cluster_gives_the_same_mentions_in_the_same_order(tmp_path: Path):
    if os.environ.get("CI") != "true":  # in CI a missing Dask fails the run
        pytest.importorskip("dask.distributed")
    f = _jsonl_input(tmp_path, 200)
    r = runner.invoke(app, ["geoparse", "--jsonl", str(f)])
    one = r.stdout
    out = tmp_path / "dask.jsonl"
    r = runner.invoke(app, ["geoparse", "--jsonl", str(f), "--dask", "local", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == one
    d = tmp_path / "dparts"
    r = runner.invoke(app, ["geoparse", "--jsonl", str(f), "--dask", "local", "--format", "parquet", "--out", f"{d}/"])
    assert r.exit_code == 0, r.output
    import geopandas as gpd

    frames = [gpd.read_parquet(p) for p in sorted(d.glob("part-*.parquet"))]
    import pandas as pd

    got = pd.concat(frames, ignore_index=True)
    assert list(got["doc"]) == [json.loads(x)["doc"] for x in one.splitlines()]


def test_json_lines_written_straight_from_the_matches_are_the_records(tmp_path: Path):
    """The JSON-lines fast path writes exactly the records the other formats are made from."""
    from geo import batch

    docs = list(batch.read_docs([str(_jsonl_input(tmp_path))], True))
    docs.append(("chrome", "Coal reached Rajin.\nCookie policy: we use cookies on Vladivostok pages.\n"))
    for keep in (False, True):
        assert batch.geoparse_jsonl(docs, keep) == batch._jsonl(batch.geoparse_columns(docs, keep))


def test_the_console_script_pauses_garbage_collection_only_while_libraries_load(monkeypatch, tmp_path: Path):
    import gc

    from layers import cli

    seen = []
    real = cli._libraries_loaded
    monkeypatch.setattr(cli, "_libraries_loaded", lambda: (seen.append(gc.isenabled()), real(), seen.append(gc.isenabled())))
    monkeypatch.setattr(sys, "argv", ["tumen-atlas", "corpus", "--json"])
    try:
        with pytest.raises(SystemExit) as e:
            cli.main()
        assert e.value.code == 0
        assert seen == [False, True]  # paused during the imports, collecting during the command's own work
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


# ------------------------------------------------------------------ one long document, two processes


def test_forked_work_gives_its_value_or_raises_its_error_here():
    from geo import batch

    assert batch._forked(os.getpid)() != os.getpid()  # computed in another process
    assert batch._forked(lambda: {"spans": [(0, 3)]})() == {"spans": [(0, 3)]}
    with pytest.raises(ZeroDivisionError):  # the child failed: computed here, where the error shows
        batch._forked(lambda: 1 / 0)()


def test_forked_work_dropped_unasked_stops_its_child():
    import time

    from geo import batch

    # an error or an interrupt before the value is asked for: the child, blocked writing a value
    # larger than the pipe holds, must not wait forever
    pending = batch._forked(lambda: b"x" * 5_000_000)
    pid = pending.pid
    time.sleep(0.2)
    del pending
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(pid, 0)


def test_one_long_document_shared_between_two_processes_gives_the_same_output(corpus, monkeypatch):
    import io

    from geo import batch

    text = "\n\n".join(a.text for a in corpus) * 2
    monkeypatch.setattr(batch, "SPLIT_MIN_CHARS", 10_000)
    forked = []
    real = batch._forked
    monkeypatch.setattr(batch, "_forked", lambda fn: forked.append(fn) or real(fn))
    for fmt, keep_chrome, forks in (("jsonl", False, 2), ("csv", True, 1)):
        outs = []
        for jobs in (1, 2):
            forked.clear()
            buf = io.BytesIO()
            w = batch.Writer(fmt, buf)
            batch.run(iter([("doc", text)]), w, jobs=jobs, keep_chrome=keep_chrome)
            w.close()
            outs.append(buf.getvalue())
            # with two jobs: the site chrome found in a child (unless kept), and the text's second half
            assert len(forked) == (forks if jobs == 2 else 0)
        assert outs[0] == outs[1] and outs[0].count(b"\n") > 500
