"""Safe with anything a user points it at (issue 28): outputs, dates, the cache, exports, signals."""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import _cache
from geo._atomic import OutputError, atomic_path, check_output, write_atomic
from layers.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def umask():
    """Set the umask for one test (and put it back)."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda m: os.umask(m)
    os.umask(old)


def _clean(r) -> bool:
    """The command ended by its own error handling: no traceback, no escaped exception."""
    return "Traceback" not in r.output and (r.exception is None or isinstance(r.exception, SystemExit))


# ------------------------------------------------------------------ 1. outputs


def test_there_is_one_atomic_writer():
    """Every output and cache entry goes through geo/_atomic.py: no other module renames a
    temporary file into place or makes one by hand."""
    offenders = []
    for src in [*ROOT.glob("geo/*.py"), *ROOT.glob("layers/*.py")]:
        if src.name == "_atomic.py":
            continue
        text = src.read_text(encoding="utf-8")
        for pat in ("os.replace(", "os.rename(", "mkstemp(", "mkdtemp(", "NamedTemporaryFile("):
            if pat in text:
                offenders.append(f"{src.name}: {pat}")
    assert not offenders, offenders
    assert "folium" not in (ROOT / "geo" / "_atomic.py").read_text()


@pytest.fixture
def fifo(tmp_path):
    p = tmp_path / "pipe"
    os.mkfifo(p)
    return p


def test_a_fifo_is_refused_not_replaced(fifo):
    with pytest.raises(OutputError, match=r"pipe.*named pipe \(FIFO\), not a regular file"):
        write_atomic(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["pipe"]  # no temporary file left


def test_a_folder_or_a_socket_is_refused(tmp_path):
    import socket

    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, "x")
    sock = tmp_path / "s"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock))
        with pytest.raises(OutputError, match="is a socket"):
            write_atomic(sock, "x")
    finally:
        s.close()
    assert stat.S_ISSOCK(os.lstat(sock).st_mode)


def test_a_character_device_is_refused():
    with pytest.raises(OutputError, match="/dev/null: is a character device"):
        check_output("/dev/null")  # checked, never written


@pytest.mark.parametrize("cmd", [
    ["build", "--out", "{p}"],
    ["build", "--out", "{q}", "--embed"],  # the snippet's path is the pipe
    ["export", "--png", "{p}"],
    ["export", "--svg", "{p}"],
    ["export", "--csv", "{p}"],
    ["export", "--gpkg", "{p}"],
    ["geoparse", "-o", "{p}", "{src}"],
])
def test_every_command_refuses_a_pipe_at_once(tmp_path, cmd):
    pipe = tmp_path / "out.embed.html"
    os.mkfifo(pipe)
    src = tmp_path / "a.txt"
    src.write_text("Rajin is a port near Vladivostok.\n")
    args = [a.format(p=pipe, q=tmp_path / "out.html", src=src) for a in cmd]
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and _clean(r), r.output
    assert "named pipe (FIFO)" in r.output and "out.embed.html" in r.output
    assert "wrote" not in r.output
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert not (tmp_path / "out.html").exists()


def test_a_symlink_is_written_through(tmp_path):
    real = tmp_path / "real" / "map.html"
    real.parent.mkdir()
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new" and stat.S_IMODE(real.stat().st_mode) == 0o640  # a file replaced keeps its mode
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "new" / "made.html")
    write_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "new" / "made.html").read_text() == "made"


def test_geoparse_out_through_a_symlink(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Rajin is a port near Vladivostok.\n")
    real = tmp_path / "real.jsonl"
    real.write_text("")
    link = tmp_path / "out.jsonl"
    link.symlink_to(real)
    r = runner.invoke(app, ["geoparse", "-o", str(link), str(src)])
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and "Vladivostok" in real.read_text()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = runner.invoke(app, ["geoparse", "-o", str(fifo), str(src)])
    assert r.exit_code == 2 and "without --out, geoparse streams to standard output" in r.output


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_outputs_honour_the_umask(tmp_path, umask, mask):
    umask(mask)
    src = tmp_path / "a.txt"
    src.write_text("Rajin is a port near Vladivostok.\n")
    out = tmp_path / "new" / "deeper" / "m.jsonl"
    r = runner.invoke(app, ["geoparse", "-o", str(out), str(src)])
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o777 & ~mask
    parts = tmp_path / "parts"
    r = runner.invoke(app, ["geoparse", "-f", "parquet", "-o", f"{parts}/", str(src)])
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(parts.stat().st_mode) == 0o777 & ~mask
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o666 & ~mask for p in parts.iterdir())
    assert stat.S_IMODE(write_atomic(tmp_path / "x.html", "x").stat().st_mode) == 0o666 & ~mask
    with atomic_path(tmp_path / "d", directory=True) as d:
        (d / "f").write_text("f")
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o777 & ~mask


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "m.gpkg"
    target.write_text("old")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise Boom
    with pytest.raises(Boom):
        with atomic_path(tmp_path / "dir", directory=True) as tmp:
            (tmp / "part-0").write_text("half")
            raise Boom
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.gpkg"] and target.read_text() == "old"


def test_geoparse_to_standard_output_still_streams(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Rajin is a port near Vladivostok.\n")
    r = runner.invoke(app, ["geoparse", str(src)])
    assert r.exit_code == 0 and '"surface": "Vladivostok"' in r.output.replace('":"', '": "')


# ------------------------------------------------------------------ 3. dates


@pytest.mark.parametrize("date, why", [
    ("2014-13-45", "no month 13"), ('"2014-13-45"', "no month 13"),
    ("2015-02-30", "February 2015 has no day 30"), ("'2015-02-30'", "February 2015 has no day 30"),
    ("2015-13", "no month 13"),
])
@pytest.mark.parametrize("cmd", [["corpus"], ["check"], ["evidence", "khasan-rajin-railway"], ["build", "--out", "{out}"],
                                 ["places"], ["routes"], ["export", "--csv", "{out}"]])
def test_an_impossible_date_is_an_error_naming_the_file_and_field(tmp_path, date, why, cmd):
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "good.md").write_text("---\ndate: 2015-02-28\n---\nRajin is a port near Vladivostok.\n")
    bad = folder / "bad.md"
    bad.write_text(f"---\ntitle: A story\ndate: {date}\n---\nRajin is a port near Vladivostok.\n")
    out = tmp_path / "out.file"
    r = runner.invoke(app, [*[a.format(out=out) for a in cmd], "--articles", str(folder)])
    assert r.exit_code in (1, 2) and _clean(r), r.output
    assert str(bad) in r.output and "date" in r.output and why in r.output, r.output
    assert not out.exists()


def test_yaml_keeps_an_impossible_date_as_text_and_reads_real_ones():
    import datetime

    from geo._text import load_yaml

    assert load_yaml("a: 2014-13-45\nb: 2015-02-30\nc: 2015-02-28") == {
        "a": "2014-13-45", "b": "2015-02-30", "c": datetime.date(2015, 2, 28)}


def test_an_impossible_date_in_the_catalogue_is_no_traceback(tmp_path):
    from geo._errors import CatalogueError
    from geo.catalogue import catalogue_path, load_catalogue

    text = catalogue_path().read_text(encoding="utf-8")
    p = tmp_path / "routes.yaml"
    p.write_text(text.replace("\nroutes:", "\ndated: 2014-13-45\nroutes:", 1) if "\nroutes:" in text else "dated: 2014-13-45\n" + text)
    with pytest.raises(CatalogueError, match="dated"):
        load_catalogue(p)


# ------------------------------------------------------------------ 4. the cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("TUMEN_ATLAS_CACHE", str(d))
    monkeypatch.delenv("TUMEN_ATLAS_CACHE_MAX", raising=False)
    return d


def test_a_full_disk_leaves_no_temporary_file_and_says_so_once(cache, monkeypatch, caplog):
    def full(obj, f, protocol=None):
        f.write(b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_cache.pickle, "dump", full)
    with caplog.at_level(logging.WARNING, logger="geo._cache"):
        _cache.store("thing", "aaa", 1)
        _cache.store("thing", "bbb", 2)
        _cache.store("other", "ccc", 3)
    assert list(cache.iterdir()) == []
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "cannot write" in lines[0] and str(cache) in lines[0] and "No space left" in lines[0]
    monkeypatch.undo()
    monkeypatch.setenv("TUMEN_ATLAS_CACHE", str(cache))
    with pytest.raises(Exception, match="pickle"):  # not an OSError: a bug, raised, but still no temporary file
        _cache.store("thing", "ddd", lambda: 0)
    assert list(cache.iterdir()) == []


def test_an_unwritable_cache_is_one_warning(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TUMEN_ATLAS_CACHE", str(blocker / "cache"))
    with caplog.at_level(logging.WARNING, logger="geo._cache"):
        assert _cache.cached("land", lambda: 42, "x") == 42
        assert _cache.cached("land", lambda: 43, "y") == 43
    assert len(caplog.records) == 1 and "continuing without caching" in caplog.records[0].getMessage()


def test_the_cache_is_capped_by_size_evicting_the_least_recently_used(cache, monkeypatch):
    monkeypatch.setenv("TUMEN_ATLAS_CACHE_MAX", "5K")
    blob = b"x" * 1500
    for i, name in enumerate(("a", "b", "c")):
        _cache.store(name, "k", blob)
        t = 1_000_000 + i
        os.utime(cache / f"{name}-k.pkl", (t, t))
    assert _cache.load("a", "k") == blob  # used: now the most recent
    _cache.store("d", "k", blob)  # 4 x 1.5 KB > 5 KB: the least recently used (b) goes
    assert sorted(p.name for p in cache.iterdir()) == ["a-k.pkl", "c-k.pkl", "d-k.pkl"]
    assert _cache.max_bytes() == 5 * 1024


def test_an_entry_over_the_cap_is_not_kept(cache, monkeypatch, caplog):
    monkeypatch.setenv("TUMEN_ATLAS_CACHE_MAX", "1000")
    with caplog.at_level(logging.WARNING, logger="geo._cache"):
        _cache.store("big", "k", b"x" * 5000)
    assert list(cache.iterdir()) == [] and "larger than the cache's cap" in caplog.text
    assert _cache.max_bytes() == 1000
    monkeypatch.setenv("TUMEN_ATLAS_CACHE_MAX", "2G")
    assert _cache.max_bytes() == 2 * 1024**3
    monkeypatch.delenv("TUMEN_ATLAS_CACHE_MAX")
    assert _cache.max_bytes() == _cache.DEFAULT_MAX_BYTES == 2 * 1024**3


def test_a_stale_temporary_file_is_removed(cache):
    cache.mkdir()
    stale, fresh = cache / ".thing-x.pkl.abc.tmp", cache / ".thing-y.pkl.def.tmp"
    for p in (stale, fresh):
        p.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    _cache.store("thing", "k", 1)
    assert not stale.exists() and fresh.exists()  # a fresh one may be another process's, writing now


# ------------------------------------------------------------------ 5/6/8. exports

import csv as _csv  # noqa: E402
import io  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402
from xml.sax.saxutils import escape as _xml_escape  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from geo._sanitize import csv_cell, csv_frame, xml_text  # noqa: E402

# text rich in what the exports must neutralise: control characters, formula starts, quotes
_hostile = st.text(alphabet=st.one_of(st.sampled_from(list("=+-@\t\r\n\x00\x01\x07\x0b\x0c\x1b\x1f\x7f\"',;<>&|!")),
                                      st.characters(codec="utf-8")), max_size=40)


@given(_hostile)
@settings(max_examples=300, deadline=None)
def test_xml_text_is_always_well_formed_xml(s):
    cleaned = xml_text(s)
    ET.fromstring(f"<t a=\"{_xml_escape(cleaned, {chr(34): '&quot;'})}\">{_xml_escape(cleaned)}</t>")
    allowed = [c for c in s if c in "\t\n\r" or (" " <= c and c not in "\ufffe\uffff" and not "\ud800" <= c <= "\udfff")]
    assert cleaned == "".join(allowed)  # only the forbidden characters go


@given(st.lists(_hostile, min_size=1, max_size=5))
@settings(max_examples=300, deadline=None)
def test_csv_cells_are_inert_and_keep_their_text(cells):
    buf = io.StringIO()
    _csv.writer(buf, lineterminator="\n").writerow([csv_cell(c) for c in cells])
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", buf.getvalue())  # nothing raw
    back = next(_csv.reader(io.StringIO(buf.getvalue(), newline="")))
    for given_cell, read in zip(cells, back):
        plain = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", given_cell)
        lines = plain.replace("\r\n", "\n").replace("\r", "\n")
        if plain[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert read == "'" + lines  # a spreadsheet shows it as text, never runs it
        else:
            assert read == lines
    assert csv_cell(-3.5) == -3.5 and csv_cell(None) is None  # numbers stay numbers


def test_csv_frame_neutralises_every_text_column():
    import pandas as pd

    df = pd.DataFrame({"title": ["=1+1", "ok", "@x\x00"], "n": [-1, 2, 3], "lst": [["a"], ["b"], ["c"]]})
    out = csv_frame(df).to_csv(index=False, lineterminator="\n")
    assert out == "title,n,lst\n'=1+1,-1,['a']\nok,2,['b']\n'@x,3,['c']\n"
    assert df["title"][0] == "=1+1"  # the frame itself is not changed


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    from geo.atlas import atlas_data

    d = tmp_path_factory.mktemp("hostile")
    (d / "x.md").write_text(
        '---\ntitle: "=HYPERLINK(\\"http://x\\")\\0\\x01\\x1b tail"\nauthor: "@SUM(1+1)\\0"\noutlet: "\\t-2+3\\x1b"\n'
        'url: "+cmd|x"\ndate: 2015-02-28\n---\n-Rajin is a port near Vladivostok. The Khasan railway runs to Rajin.\n',
        encoding="utf-8")
    return atlas_data(d)


def test_the_svg_export_is_well_formed_with_a_nul_in_front_matter(tmp_path, hostile_data):
    from layers.export import export_static

    p = export_static(hostile_data, tmp_path / "m.svg", width_in=4, height_in=3, dpi=50)
    svg = p.read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed
    assert "@SUM(1+1)" in svg and "\x00" not in svg and "\x1b" not in svg


def test_the_quotes_csv_has_no_formula_and_no_control_character(tmp_path, hostile_data):
    from layers.export import export_quotes_csv

    text = export_quotes_csv(hostile_data, tmp_path / "q.csv").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    rows = list(_csv.DictReader(io.StringIO(text, newline="")))
    assert rows and all(r["article_title"] == "'=HYPERLINK(\"http://x\") tail" for r in rows)
    assert all(r["author"] == "'@SUM(1+1)" and r["outlet"] == "'\t-2+3" and r["url"] == "'+cmd|x" for r in rows)
    for r in rows:
        assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in r.values()), r


def test_geoparse_csv_cells_are_inert(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "=1+1\\u0000", "text": "Rajin is a port near Vladivostok."}\n')
    r = runner.invoke(app, ["geoparse", "--jsonl", "-f", "csv", str(src)])
    assert r.exit_code == 0, r.output
    rows = list(_csv.DictReader(io.StringIO(r.output, newline="")))
    assert rows and all(row["doc"] == "'=1+1" for row in rows) and "\x00" not in r.output


# ------------------------------------------------------------------ 9. signals and Dask

import json  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


def _env(**extra) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    env.pop("COLUMNS", None)
    return env


def _children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (Linux's /proc)."""
    out = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat_file.parent.name))
    return out


def _interrupt(args: list[str], *, children: int, after: float, env: dict | None = None) -> tuple[int, str]:
    """Run the CLI in its own process group, wait for ``children`` worker processes (and ``after``
    seconds), press Ctrl-C (SIGINT to the whole group, as a terminal does); ``(exit code, stderr)``."""
    p = subprocess.Popen([sys.executable, "-m", "layers.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         start_new_session=True, env=env or _env(), cwd=ROOT)
    try:
        t0 = time.monotonic()
        while len(_children(p.pid)) < children and time.monotonic() - t0 < 60:
            time.sleep(0.02)
        assert p.poll() is None, "finished before it could be interrupted"
        time.sleep(after)
        os.killpg(p.pid, signal.SIGINT)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:  # pragma: no cover
            p.kill()
    return p.returncode, err.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory) -> Path:
    """About 40 MB of JSON lines (the embedded articles over and over): seconds of work on two cores."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "geo" / "data" / "articles").glob("*.md"))]
    f = tmp_path_factory.mktemp("big") / "big.jsonl"
    with f.open("w", encoding="utf-8") as out:
        n = 0
        while out.tell() < 40_000_000:
            for t in texts:
                out.write(json.dumps({"id": f"d{n}", "text": t}) + "\n")
                n += 1
    return f


@pytest.mark.parametrize("after", [0.0, 0.3])
def test_ctrl_c_during_geoparse_with_workers_is_130_and_one_line(tmp_path, big_jsonl, after):
    out = tmp_path / "out.jsonl"
    code, err = _interrupt(["geoparse", "--jsonl", "-j", "2", str(big_jsonl), "-o", str(out)], children=2, after=after)
    assert code == 130, err
    assert [line for line in err.splitlines() if line.strip()] == ["tumen-atlas: interrupted"], err
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no output, no temporary file


def test_ctrl_c_during_a_build_is_130_and_one_line(tmp_path):
    """With an empty cache the build starts with the gazetteer's index: tens of seconds to interrupt."""
    out = tmp_path / "map.html"
    code, err = _interrupt(["build", "--out", str(out)], children=0, after=3.0,
                           env=_env(TUMEN_ATLAS_CACHE=str(tmp_path / "cache")))
    assert code == 130, err
    assert [line for line in err.splitlines() if line.strip()] == ["tumen-atlas: interrupted"], err
    assert not out.exists() and not [p for p in (tmp_path / "cache").glob("*") if p.suffix == ".tmp"]


def test_a_usage_error_and_a_failure_keep_their_exit_codes():
    r = subprocess.run([sys.executable, "-m", "layers.cli", "places", "--as-of", "2015-02-30"], capture_output=True,
                       text=True, env=_env(), cwd=ROOT)
    assert r.returncode == 2 and "February 2015 has no day 30" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "layers.cli", "corpus", "--articles", "/nonexistent"], capture_output=True,
                       text=True, env=_env(), cwd=ROOT)
    assert r.returncode == 2 and "does not exist" in r.stderr


@pytest.fixture
def bad_jsonl(tmp_path) -> Path:
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "Rajin is a port."}\n{"id": "b", "text": "Vladivostok."}\n\n'
                 '{"id": "c", "txt": "Khasan"}\n{"id": "d", "text": "Seoul."}\n')
    return f


def test_dask_names_the_file_and_line_of_a_bad_line(bad_jsonl):
    pytest.importorskip("dask.distributed")
    r = subprocess.run([sys.executable, "-m", "layers.cli", "geoparse", "--jsonl", "--dask", "local", str(bad_jsonl)],
                       capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=300)
    assert r.returncode == 2, r.stderr
    assert f"{bad_jsonl}, line 4: expected a JSON object with 'id' and 'text'" in r.stderr
    assert "Compute Failed" not in r.stderr and "Traceback" not in r.stderr


def test_dask_blocks_are_whole_lines_and_count_lines(tmp_path):
    from geo import batch

    lines = [b'{"id": "%d", "text": "x"}\n' % i for i in range(300)]
    f = tmp_path / "x.jsonl"
    f.write_bytes(b"".join(lines))
    n = f.stat().st_size
    for size in (1, 7, 26, 27, 100, 4096, n, n + 5):
        got = [line for p, s, e in batch._blocks([str(f)], size) for _, line in batch._block_lines(p, s, e)]
        assert got == lines, size
    assert batch._line_number(str(f), sum(map(len, lines[:41]))) == 42


def test_a_refused_scheduler_fails_at_once_naming_it(bad_jsonl):
    pytest.importorskip("dask.distributed")
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = runner.invoke(app, ["geoparse", "--jsonl", "--dask", f"tcp://127.0.0.1:{port}", str(bad_jsonl)])
    assert r.exit_code == 2 and _clean(r), r.output
    assert f"--dask tcp://127.0.0.1:{port}: cannot reach the scheduler: Connection refused" in r.output


# ------------------------------------------------------------------ 2. linear cost


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=25),
       st.lists(st.tuples(st.integers(0, 240), st.integers(0, 30)), min_size=1, max_size=20))
@settings(max_examples=300, deadline=None)
def test_is_chrome_by_bisection_is_the_overlap_test(spans, queries):
    from geo.chrome import ChromeSpan
    from geo.corpus import Article, FrontMatter

    chrome = tuple(ChromeSpan(s, s + n, "x") for s, n in spans)  # any order, overlapping or not
    a = Article(id="a", path="a.md", text="x" * 300, title="a", meta=FrontMatter(), chrome=chrome)
    for s, n in queries:
        assert a.is_chrome(s, s + n) == any(c.start < s + n and s < c.end for c in chrome), (s, n)


def test_is_chrome_does_not_scan_every_span(monkeypatch):
    """A sentence's chrome test looks at a few spans, not all of them (the cost was sentences x spans)."""
    from geo.chrome import ChromeSpan
    from geo.corpus import Article, FrontMatter

    class Counting(ChromeSpan):
        reads = 0

        def __getattribute__(self, name):
            if name in ("start", "end"):
                type(self).reads += 1
            return object.__getattribute__(self, name)

    chrome = tuple(Counting(i * 10, i * 10 + 5, "x") for i in range(10_000))
    a = Article(id="a", path="a.md", text="x" * 100_000, title="a", meta=FrontMatter(), chrome=chrome)
    a.is_chrome(0, 1)
    Counting.reads = 0
    hits = [a.is_chrome(i * 10 + 6, i * 10 + 9) for i in range(0, 10_000, 7)]
    assert not any(hits) and a.is_chrome(52, 57) and a.is_chrome(49, 51)
    assert Counting.reads == 0  # the index is built once; queries never walk the spans


def test_initial_bounds_come_from_each_geometry_s_bounds_not_a_union(monkeypatch):
    import shapely

    from geo.atlas import atlas_data
    from layers.spec import initial_bounds

    data = atlas_data()
    rl = data.routes
    core = [*rl.routes[rl.routes.status != "alternative_considered"].geometry, *rl.sites.geometry]
    expected = shapely.union_all(core).bounds

    def union_all(*a, **k):
        raise AssertionError("initial_bounds unions every geometry (minutes and gigabytes for 1,500 routes)")

    monkeypatch.setattr(shapely, "union_all", union_all)
    got = initial_bounds(data)
    assert got == tuple(float(x) for x in expected)


def test_mentions_share_one_point_per_place(corpus):
    """The mentions frame builds a place's point once (it was a Point and a dict per mention)."""
    from geo.places import mentions_from_articles

    m = mentions_from_articles(corpus)
    by_place = m.groupby("place_id")["geometry"].apply(lambda g: len({id(x) for x in g}))
    assert (by_place == 1).all()


def test_a_place_popup_draws_only_the_quotes_it_shows(monkeypatch, corpus, mentions):
    """A long article names a place thousands of times: the popup draws its first few quotes, not all."""
    from layers import popups
    from geo.places import places_from_mentions

    places = places_from_mentions(mentions, corpus)
    by_id = {a.id: a for a in corpus}
    p = places.sort_values("mention_count").iloc[-1]
    rows = popups.mention_rows(mentions[mentions["place_id"] == p["place_id"]])
    assert len({(r[0], r[1]) for r in rows}) > popups.MAX_PLACE_QUOTES
    calls = []
    real = popups._quote_html
    monkeypatch.setattr(popups, "_quote_html", lambda *a: calls.append(1) or real(*a))
    from geo.gazetteer import get_gazetteer

    html = popups.place_popup(p, rows, by_id, get_gazetteer().place(p["place_id"]))
    assert len(calls) == popups.MAX_PLACE_QUOTES and "more passage" in html


def test_the_html_page_holds_no_raw_control_character(tmp_path, hostile_data):
    """Article text reaches the page as escaped JSON; a --title with control characters loses them."""
    from layers.page import render_page

    html = render_page(data=hostile_data)
    assert "@SUM(1+1)" in html and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html)
    out = tmp_path / "m.html"
    r = runner.invoke(app, ["build", "--out", str(out), "--embed", "--title", "Tumen\x1b[31m \x07Atlas"])
    assert r.exit_code == 0, r.output
    for p in (out, out.with_suffix(".embed.html")):
        text = p.read_text(encoding="utf-8")
        assert "Tumen[31m Atlas" in text and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), p
