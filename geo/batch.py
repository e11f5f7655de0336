"""Geoparse a stream of documents: read them, geoparse them (here, in worker processes, or on a Dask
cluster), and write the mentions in one of four formats, in the input's order.

Documents stream in (JSON lines are read line by line), chunks of about a megabyte go out to the
workers with only a few in flight, and each chunk's records are written as soon as it and those
before it are done: memory stays bounded whatever the size of the input.

The records are the ones :func:`geo.geoparser.geoparse_text` gives, one per mention: ``doc``,
``start``, ``end``, ``surface``, ``name``, ``kind``, ``country``, ``lat``, ``lon``,
``gazetteer_id``, ``score``.
"""

from __future__ import annotations

import csv
import gc
import glob
import io
import itertools
import logging
import os
import pickle
import signal
import sys
from collections import deque
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence

import orjson

from geo._errors import TumenAtlasError
from geo._files import ARTICLE_SUFFIXES, blank_front_matter, is_article_file
from geo.chrome import read_text

FIELDS = ("doc", "start", "end", "surface", "name", "kind", "country", "lat", "lon", "gazetteer_id", "score")
FORMATS = ("jsonl", "csv", "geojson", "parquet")
#: Characters of text per chunk sent to a worker.
CHUNK_CHARS = 1_000_000
#: Inputs at least this large are geoparsed on every available core unless ``jobs`` says otherwise.
PARALLEL_MIN_BYTES = 4_000_000
#: With more than one job, a document at least this long is geoparsed in two parts at once.
SPLIT_MIN_CHARS = 1_000_000

Doc = tuple[str, str]
Columns = dict[str, list]


class InputError(TumenAtlasError):
    """An input that cannot be read as documents; the message names the file (and line)."""


# ------------------------------------------------------------------ input


def expand(patterns: Sequence[str]) -> list[str]:
    """Files named or matched by glob patterns (``'archive/*.jsonl'``), in order; '-' is standard input."""
    out: list[str] = []
    for p in patterns or ["-"]:
        if p == "-" or not glob.has_magic(p):
            out.append(p)
            continue
        hits = sorted(glob.glob(p))
        if not hits:
            raise InputError(f"{p}: no file matches this pattern")
        # a folder's README, SOURCES, LICENSE ... are not articles (as for every other command)
        skipped = [h for h in hits if Path(h).suffix.lower() in ARTICLE_SUFFIXES and not is_article_file(h)]
        if skipped:
            logging.getLogger(__name__).info("skipped %d file(s) matching %s that are not articles: %s", len(skipped), p,
                     ", ".join(Path(h).name for h in skipped))
        out.extend(h for h in hits if h not in skipped)
    return out


def input_bytes(files: Sequence[str]) -> int | None:
    """The inputs' total size, or None when one is standard input (unknown until read)."""
    total = 0
    for f in files:
        if f == "-":
            return None
        try:
            total += os.path.getsize(f)
        except OSError:
            return None  # reported, with its reason, when it is read
    return total


def _jsonl_doc(line: bytes, name: str, n: int | None) -> Doc | None:
    if not line.strip():
        return None
    try:
        obj = orjson.loads(line)
        doc, body = obj["id"], obj["text"]
        if not isinstance(body, str):
            raise TypeError("'text' must be a string")
    except (orjson.JSONDecodeError, KeyError, TypeError) as e:
        where = f"{name}, line {n}" if n is not None else f"{name}, the line {line[:60]!r}"
        raise InputError(f"{where}: expected a JSON object with 'id' and 'text': {e}") from e
    return (str(doc), body)


def _body(text: str) -> str:
    """A file's text with its front matter blanked (never geoparsed; offsets stay the file's)."""
    return blank_front_matter(text)


def read_docs(files: Sequence[str], jsonl: bool, *, stdin: IO[bytes] | None = None) -> Iterator[Doc]:
    """``(id, text)`` of every document: a plain-text file is one document (its name the id); a
    JSON-lines file holds one ``{"id": ..., "text": ...}`` per line and is read line by line."""
    for f in files or ["-"]:
        name = "<stdin>" if f == "-" else f
        if not jsonl:
            raw = (stdin or sys.stdin.buffer).read() if f == "-" else None
            yield (f, _body(read_text(f, raw=raw, label=name)))
            continue
        try:
            fh = (stdin or sys.stdin.buffer) if f == "-" else open(f, "rb")
        except OSError as e:
            raise InputError(f"{name}: cannot read: {e.strerror or e}") from e
        try:
            for n, line in enumerate(fh, 1):
                d = _jsonl_doc(line, name, n)
                if d is not None:
                    yield d
        finally:
            if f != "-":
                fh.close()


def chunks(docs: Iterable[Doc], size: int = CHUNK_CHARS) -> Iterator[list[Doc]]:
    """Documents in lists of about ``size`` characters (a longer document is a chunk of its own)."""
    chunk: list[Doc] = []
    n = 0
    for d in docs:
        chunk.append(d)
        n += len(d[1])
        if n >= size:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


# ------------------------------------------------------------------ geoparsing


def _matches(chunk: Sequence[Doc], keep_chrome: bool, split: bool = False):
    """``(gazetteer, [(doc, text, start, end, entry, score), ...] per document)``: a chunk geoparsed
    (its site chrome left out unless ``keep_chrome``), in the worker process's geoparser.

    With ``split`` (one chunk, more than one core), two processes share the work: a forked child
    finds the chunk's site chrome while this process loads the index, and each long document is
    geoparsed in two parts at once (:meth:`Geoparser.parse_in_parts`, the same mentions)."""
    from geo.chrome import content_spans, detect_chrome

    def prose(text: str) -> list[tuple[int, int]]:
        return content_spans(len(text), detect_chrome(text))

    chrome: Callable[[], list] | None = None
    if split and not keep_chrome:  # forked before numpy and the index are loaded: a light child
        chrome = _forked(lambda: [prose(text) for _, text in chunk])
    from geo.geoparser import default_geoparser

    if split:
        _load_index()
    gp = default_geoparser()
    found_spans = chrome() if chrome is not None else None

    def each():
        for i, (doc, text) in enumerate(chunk):
            spans = None
            if not keep_chrome:
                spans = found_spans[i] if found_spans is not None else prose(text)
            if split and len(text) >= SPLIT_MIN_CHARS:
                yield doc, text, gp.parse_in_parts(text, spans, _split_point(text), _forked)
            else:
                yield doc, text, gp.parse(text, spans)

    return gp.gz, each()


def _split_point(text: str) -> int:
    """Where to cut a long text in two: the start of the first line past its middle (anywhere is
    exact; a line start rarely falls inside a name, which would make the parser start over)."""
    mid = len(text) // 2
    nl = text.find("\n", mid)
    return nl + 1 if 0 <= nl < len(text) - 1 else mid


def _forked(fn: Callable[[], object]) -> Callable[[], object]:
    """Start ``fn()`` in a forked child process; return the function that waits for its value
    (pickled back through a pipe). Where there is no fork, or the child fails, ``fn`` runs in this
    process when its value is asked for: the same value, or the same error, either way."""
    if not hasattr(os, "fork"):  # pragma: no cover (not POSIX)
        return fn
    return _Forked(fn)


class _Forked:
    """A forked child computing ``fn()``; calling this waits for its value. Dropped unasked (an error
    or an interrupt in this process meanwhile), it stops and reaps the child, which would otherwise
    wait forever to write its value."""

    def __init__(self, fn: Callable[[], object]):
        self.fn = fn
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
                os.close(r)
                with os.fdopen(w, "wb") as out:
                    out.write(pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self.pid: int | None = pid
        self.inp = os.fdopen(r, "rb")

    def __call__(self) -> object:
        with self.inp:
            data = self.inp.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return pickle.loads(data) if status == 0 else self.fn()

    def __del__(self) -> None:
        if self.pid is not None:
            self.inp.close()
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):  # pragma: no cover (already gone)
                pass
            self.pid = None


def geoparse_columns(chunk: Sequence[Doc], keep_chrome: bool = False, split: bool = False) -> Columns:
    """The mentions in a chunk of documents, column by column (runs in the worker processes)."""
    gz, docs = _matches(chunk, keep_chrome, split)  # first: it may fork before the geoparser is imported
    from geo.geoparser import entry_fields

    cols: Columns = {f: [] for f in FIELDS}
    entry: dict[int, tuple] = {}  # an entry's fixed fields, looked up once per chunk
    doc_c, start_c, end_c, surf_c, score_c = cols["doc"], cols["start"], cols["end"], cols["surface"], cols["score"]
    fixed = [cols[f] for f in ("name", "kind", "country", "lat", "lon", "gazetteer_id")]
    for doc, text, found in docs:
        for s, e, i, score in found:
            doc_c.append(doc)
            start_c.append(s)
            end_c.append(e)
            surf_c.append(text[s:e])
            score_c.append(score)
            vals = entry.get(i)
            if vals is None:
                vals = entry[i] = tuple(entry_fields(gz, i).values())
            for c, v in zip(fixed, vals):
                c.append(v)
    return cols


def records(cols: Columns) -> Iterator[dict]:
    """The rows of a chunk's columns as dicts (the fields in their order)."""
    for row in zip(*(cols[f] for f in FIELDS)):
        yield dict(zip(FIELDS, row))


# ------------------------------------------------------------------ output


def _jsonl(cols: Columns) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records(cols))


#: The text columns (a document's id and the surface are the input's own text).
_TEXT_FIELDS = frozenset(("doc", "surface", "name", "kind", "country", "gazetteer_id"))


def _csv(cols: Columns) -> bytes:
    from geo._sanitize import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    # no formula a spreadsheet would run, no raw control character (OWASP's CSV injection rule)
    w.writerows(zip(*([csv_cell(v) for v in cols[f]] if f in _TEXT_FIELDS else cols[f] for f in FIELDS)))
    return buf.getvalue().encode("utf-8")


def _geojson(cols: Columns) -> bytes:
    return b"".join(
        b",\n" + orjson.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]}, "properties": r})
        for r in records(cols)
    )


def serialise(cols: Columns, fmt: str) -> bytes | Columns:
    """A chunk's output: bytes for the text formats, the columns themselves for Parquet."""
    return {"jsonl": _jsonl, "csv": _csv, "geojson": _geojson}[fmt](cols) if fmt != "parquet" else cols


def geoparse_jsonl(chunk: Sequence[Doc], keep_chrome: bool = False, split: bool = False) -> bytes:
    """The mentions in a chunk of documents as JSON lines, written straight from the matches: the
    same records as ``_jsonl(geoparse_columns(...))``, without building a dict per mention (an
    entry's fields, from ``name`` to ``gazetteer_id``, are serialised once per chunk)."""
    gz, docs = _matches(chunk, keep_chrome, split)  # first: it may fork before the geoparser is imported
    from geo.geoparser import entry_fields

    dumps = orjson.dumps
    fixed: dict[int, bytes] = {}
    records = _jsonl_records()

    def entry_json(i: int) -> bytes:
        return dumps(entry_fields(gz, i))[1:-1]

    parts = [records(b'{"doc":' + dumps(doc) + b',"start":', text, found, fixed, entry_json, dumps)
             for doc, text, found in docs]
    return b"".join(parts)


def _jsonl_records_python(head: bytes, text: str, found: list, fixed: dict, entry_json: Callable, dumps: Callable) -> bytes:
    """One document's mentions as JSON lines (the compiled ``geo._jsonl.jsonl_records`` does the same)."""
    parts: list[bytes] = []
    add = parts.append
    for s, e, i, score in found:
        f = fixed.get(i)
        if f is None:
            f = fixed[i] = entry_json(i)
        add(b"".join((head, str(s).encode(), b',"end":', str(e).encode(), b',"surface":', dumps(text[s:e]),
                      b",", f, b',"score":', dumps(score), b"}\n")))
    return b"".join(parts)


def _jsonl_records() -> Callable:
    """The compiled JSON-lines writer where :mod:`geo._jsonl` is built (and not switched off by
    ``TUMEN_ATLAS_PURE_PYTHON=1``), else the Python one."""
    from geo._native import compiled_core_available

    if compiled_core_available():
        from geo._jsonl import jsonl_records

        return jsonl_records
    return _jsonl_records_python


def work(chunk: Sequence[Doc], keep_chrome: bool, fmt: str, split: bool = False) -> tuple[int, bytes | Columns]:
    """One chunk, geoparsed and serialised: ``(characters, output)`` (what a worker returns);
    ``split``: shared with a forked process (see :func:`_matches`)."""
    n = sum(len(t) for _, t in chunk)
    if fmt == "jsonl":
        return n, geoparse_jsonl(chunk, keep_chrome, split)
    return n, serialise(geoparse_columns(chunk, keep_chrome, split), fmt)


class Writer:
    """Writes chunks' outputs in one format to a binary stream (text formats) or a file (Parquet);
    with ``partitioned``, Parquet goes to a directory, one file per chunk (``part-00000.parquet``...)."""

    def __init__(self, fmt: str, stream: IO[bytes] | None = None, path: str | Path | None = None, *, partitioned: bool = False):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if fmt == "parquet" and path is None:
            raise ValueError("Parquet is written to a file: give --out PATH")
        self.fmt, self.stream, self.path = fmt, stream, path
        self.partitioned = partitioned
        self._parts = 0
        self._first = True
        self._pq = None
        if fmt == "csv":
            self.stream.write((",".join(FIELDS) + "\n").encode())
        elif fmt == "geojson":
            self.stream.write(b'{"type":"FeatureCollection","features":[')

    def write(self, out: bytes | Columns) -> None:
        if self.fmt == "parquet":
            self._write_parquet(out)  # type: ignore[arg-type]
        elif self.fmt == "geojson":
            if out:
                self.stream.write(out[2:] if self._first else out)  # type: ignore[index]
                self._first = False
        else:
            self.stream.write(out)  # type: ignore[arg-type]

    def _write_parquet(self, cols: Columns) -> None:
        import pyarrow.parquet as pq

        table = arrow_table(cols)
        if self.partitioned:
            pq.write_table(table, str(Path(self.path) / f"part-{self._parts:05d}.parquet"), compression="zstd")
            self._parts += 1
            return
        if self._pq is None:
            self._pq = pq.ParquetWriter(str(self.path), table.schema, compression="zstd")
        self._pq.write_table(table)

    def close(self) -> None:
        if self.fmt == "geojson":
            self.stream.write(b"]}\n")
        elif self.fmt == "parquet":
            if self._pq is None and not self._parts:  # no mention at all: still a valid, empty GeoParquet file
                self._write_parquet({f: [] for f in FIELDS})
            if self._pq is not None:
                self._pq.close()
        if self.stream is not None:
            self.stream.flush()


def _arrow_schema():
    import pyarrow as pa

    geo = {
        "version": "1.1.0", "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},  # no crs: OGC:CRS84 (lon, lat)
    }
    fields = [
        pa.field("doc", pa.string()), pa.field("start", pa.int64()), pa.field("end", pa.int64()),
        pa.field("surface", pa.string()), pa.field("name", pa.string()), pa.field("kind", pa.string()),
        pa.field("country", pa.string()), pa.field("lat", pa.float64()), pa.field("lon", pa.float64()),
        pa.field("gazetteer_id", pa.string()), pa.field("score", pa.float64()), pa.field("geometry", pa.binary()),
    ]
    return pa.schema(fields, metadata={b"geo": orjson.dumps(geo)})


def arrow_table(cols: Columns):
    """A chunk's columns as an Arrow table with GeoParquet metadata (points as WKB)."""
    import numpy as np
    import pyarrow as pa
    import shapely

    schema = _arrow_schema()
    pts = shapely.points(np.asarray(cols["lon"], dtype=float), np.asarray(cols["lat"], dtype=float))
    arrays = [pa.array(cols[f], type=schema.field(f).type) for f in FIELDS]
    arrays.append(pa.array(shapely.to_wkb(pts), type=pa.binary()))
    return pa.Table.from_arrays(arrays, schema=schema)


# ------------------------------------------------------------------ running


def default_jobs(files: Sequence[str]) -> int:
    """Every available core for a large input (known size over 4 MB), else one process."""
    size = input_bytes(files)
    if size is None or size < PARALLEL_MIN_BYTES:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


def _load_index() -> None:
    """Load the geoparser's index (automaton and name columns) in this process, and set it aside
    from the garbage collector: it lives as long as the process, and the collector would otherwise
    walk it again and again (and, in forked workers, touch and so copy every page of it)."""
    from geo.geoparser import default_geoparser

    default_geoparser().gz.automaton  # noqa: B018  (loaded now, not in the first chunk)
    gc.freeze()


def _ordered(fn: Callable, items: Iterable, jobs: int, inflight: int) -> Iterator:
    """``fn`` over ``items`` in ``jobs`` processes, results in input order, at most ``inflight`` pending."""
    items = iter(items)
    head = list(itertools.islice(items, 2))
    if jobs <= 1 or len(head) < 2:  # one chunk (one long document, say): no pool to start and feed
        if len(head) == 1 and jobs > 1:
            yield fn(*head[0], split=True)  # the chunk shared with a forked process instead
            return
        if head:
            _load_index()
        for it in itertools.chain(head, items):
            yield fn(*it)
        return
    items = itertools.chain(head, items)
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    _load_index()  # loaded once here; forked workers share it
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_quiet_worker) as pool:
        try:
            pending: deque = deque()
            for i, it in enumerate(items):
                if i == 0:  # the workers start now: they are born with Ctrl-C blocked, then ignore it
                    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                    try:
                        pending.append(pool.submit(fn, *it))
                    finally:
                        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                else:
                    pending.append(pool.submit(fn, *it))
                if len(pending) >= inflight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except KeyboardInterrupt:  # Ctrl-C: end the workers now, without waiting for their chunks
            _stop_pool(pool)
            raise
        except BaseException:  # an error, or the consumer gone: nothing more is queued
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _quiet_worker() -> None:
    """A worker process ignores Ctrl-C (SIGINT reaches every process of the terminal's group): the
    parent stops the workers and reports the interrupt once, so no worker prints a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop_pool(pool) -> None:
    """Cancel what is queued and end the workers without waiting for the chunks they hold. (The
    pool's feeding threads may then wait on pipes no worker reads: the command line leaves with
    ``os._exit`` after an interrupt, see ``layers.cli``.)"""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except (OSError, ValueError, AttributeError):  # pragma: no cover (already gone)
            pass


def run(
    docs: Iterable[Doc], writer: Writer, *, jobs: int = 1, keep_chrome: bool = False,
    advance: Callable[[int], None] | None = None,
) -> None:
    """Geoparse ``docs`` into ``writer``, chunk by chunk in input order (``advance``: progress, in characters)."""
    items = ((c, keep_chrome, writer.fmt) for c in chunks(docs))
    for n, out in _ordered(work, items, jobs, inflight=2 * jobs):
        writer.write(out)
        if advance is not None:
            advance(n)


def dask_run(files: Sequence[str], jsonl: bool, writer: Writer, *, address: str, keep_chrome: bool = False,
             blocksize: str = "32MiB", advance: Callable[[int], None] | None = None) -> None:
    """The same on a Dask cluster (``address``, or ``"local"`` for a cluster on this machine): each
    worker loads the geoparser once; partitions stream back in input order, a few at a time."""
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster
    except ImportError as e:
        raise TumenAtlasError("--dask needs Dask: pip install 'tumen-atlas[dask]'") from e
    if "-" in files:
        raise InputError("--dask reads files (a cluster cannot read this process's standard input)")
    import logging

    if not logging.getLogger().isEnabledFor(logging.INFO):  # the cluster's chatter only with --verbose
        logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = None
    if jsonl:  # the blocks known (and each file's size read) before a cluster is started
        from dask.utils import parse_bytes

        blocks = _blocks(files, parse_bytes(blocksize))
    if address == "local":
        cluster = LocalCluster(n_workers=default_jobs(files) or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.getLogger().getEffectiveLevel())
        client = Client(cluster)
    else:
        _reachable(address)
        client = Client(address, timeout=CONNECT_TIMEOUT_S)
    try:
        if jsonl:
            parts = db.from_sequence(blocks, partition_size=1).map_partitions(_dask_jsonl_partition, keep_chrome, writer.fmt)
        else:
            parts = db.from_sequence(list(files), partition_size=8).map_partitions(_dask_files_partition, keep_chrome, writer.fmt)
        delayed = parts.to_delayed()
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()
        for d in delayed:
            pending.append(client.compute(d))
            if len(pending) >= window:
                _dask_write(pending.popleft().result(), writer, advance)
        while pending:
            _dask_write(pending.popleft().result(), writer, advance)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


#: Seconds to wait for a Dask scheduler that accepts the connection (a refused one fails at once).
CONNECT_TIMEOUT_S = 10


def _reachable(address: str) -> None:
    """Fail in a moment, naming the address, when nothing listens there (Dask itself retries a
    refused connection until its 30 s timeout)."""
    import socket
    from urllib.parse import urlsplit

    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme not in ("tcp", "tls"):
        return  # another transport (inproc, ucx, ws): Dask's own checks
    try:
        u = urlsplit(address if "://" in address else f"tcp://{address}")
        host, port = u.hostname, u.port or 8786
    except ValueError as e:
        raise InputError(f"--dask {address}: not a scheduler address (tcp://HOST:PORT): {e}") from e
    if not host:
        raise InputError(f"--dask {address}: not a scheduler address (tcp://HOST:PORT)")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as e:
        reason = "timed out" if isinstance(e, TimeoutError) else (e.strerror or str(e))
        raise InputError(f"--dask {address}: cannot reach the scheduler: {reason}") from e


def _blocks(files: Sequence[str], size: int) -> list[tuple[str, int, int]]:
    """Each JSON-lines file as ``(path, start, end)`` byte ranges of about ``size``."""
    out = []
    for f in files:
        try:
            n = os.path.getsize(f)
        except OSError as e:
            raise InputError(f"{f}: cannot read: {e.strerror or e}") from e
        out.extend((f, start, min(start + size, n)) for start in range(0, n, max(size, 1)))
    return out


def _block_lines(path: str, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """``(offset, line)`` of the lines that start in ``[start, end)`` of the file (whole lines: a
    line belongs to the block it starts in)."""
    with open(path, "rb") as fh:
        if start:
            fh.seek(start - 1)
            fh.readline()  # the rest of a line begun in the block before
        pos = fh.tell()
        while pos < end:
            line = fh.readline()
            if not line:
                break
            yield pos, line
            pos += len(line)


def _line_number(path: str, offset: int) -> int:
    """The 1-based number of the line starting at byte ``offset`` (counted only for an error)."""
    n = 1
    with open(path, "rb") as fh:
        left = offset
        while left > 0:
            buf = fh.read(min(left, 1 << 20))
            if not buf:
                break
            n += buf.count(b"\n")
            left -= len(buf)
    return n


def _dask_write(result: list, writer: Writer, advance) -> None:
    (n, out), = result
    if n is None:  # a partition's input error, reported as the command reports any other
        raise InputError(out)
    writer.write(out)
    if advance is not None:
        advance(n)


def _dask_jsonl_partition(blocks: Iterable[tuple[str, int, int]], keep_chrome: bool, fmt: str) -> list:
    """One block of a JSON-lines file, geoparsed on a worker. A bad line comes back as a message
    naming the file and the line's number (not as a task failure, which Dask would log on the
    worker, and with the line's content rather than its place)."""
    docs = []
    for path, start, end in blocks:
        try:
            for pos, line in _block_lines(path, start, end):
                try:
                    d = _jsonl_doc(line, path, 0)
                except InputError:
                    try:  # again, with the line's number (counted only now)
                        _jsonl_doc(line, path, _line_number(path, pos))
                    except InputError as e:
                        return [(None, str(e))]
                    raise
                if d is not None:
                    docs.append(d)
        except OSError as e:
            return [(None, f"{path}: cannot read: {e.strerror or e}")]
    return [work(docs, keep_chrome, fmt)]


def _dask_files_partition(files: Iterable[str], keep_chrome: bool, fmt: str) -> list:
    try:
        docs = [(f, _body(read_text(f))) for f in files]
    except TumenAtlasError as e:
        return [(None, str(e))]
    return [work(docs, keep_chrome, fmt)]
