"""The ``tumen-atlas`` command line."""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import json
import logging
import os
import re
import sys
import textwrap
import time
from pathlib import Path
from typing import Optional

import click

from geo._errors import TumenAtlasError

PROGRESS_MIN_BYTES = 1_000_000


@functools.lru_cache(maxsize=1)
def _err():
    """The rich console on standard error, made on first use (importing rich takes a twentieth of a
    second that a command writing no message, ``geoparse`` into a pipe say, need not spend)."""
    return _console(stderr=True)


def _console(**kw):
    """A rich console (on standard output unless ``stderr=True``)."""
    from rich.console import Console

    return Console(**kw)


# options several commands share

#: The numpydoc descriptions of the parameters several commands share, written once: see
#: :func:`_with_shared_params`.
_SHARED_PARAMS = {
    "articles": "Folder of ``.md``/``.txt`` articles; None: the embedded corpus.",
    "routes": "Routes catalogue YAML; None: the embedded catalogue.",
    "as_of": "``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: only the articles published by then count "
             "(:func:`geo.timeline.published_by`); None: every article.",
}


def _with_shared_params(fn):
    """``fn`` with the shared parameters' descriptions (:data:`_SHARED_PARAMS`) in its docstring's
    numpydoc Parameters section, all in the signature's order: a command's docstring writes only
    its own (it is read by numpydoc and by Python's help; ``--help`` stops at its ``\\f``)."""
    head, header, body = fn.__doc__.partition("    Parameters\n    ----------\n")
    own = {}  # each name's entry; names documented together ("png, pdf, svg") share theirs
    for names, desc in re.findall(r"    (\w+(?:, \w+)*)\n((?:        .*\n)+)", body):
        for name in names.split(", "):
            own[name] = f"    {names}\n{desc}"
    entries = []
    for name in inspect.signature(fn).parameters:
        if name in own:
            if own[name] not in entries:
                entries.append(own[name])
        else:
            text = textwrap.fill(_SHARED_PARAMS[name], 96, initial_indent=" " * 8, subsequent_indent=" " * 8)
            entries.append(f"    {name}\n{text}\n")
    fn.__doc__ = head + header + "".join(entries) + "    "
    return fn


def _check_as_of(ctx, param, value: Optional[str]) -> Optional[str]:
    """--as-of checked as it is parsed: an impossible date is a usage error before any work."""
    if value is None:
        return None
    from geo.timeline import parse_as_of

    try:
        return parse_as_of(value)
    except ValueError as e:
        raise click.BadParameter(str(e).removeprefix("--as-of "), ctx=ctx, param=param) from None


_as_of = click.option("--as-of", "as_of", default=None, callback=_check_as_of, help="Only what the articles published by then said: YYYY, YYYY-MM or YYYY-MM-DD.")
_articles = click.option("--articles", type=click.Path(path_type=Path), default=None,
                         help="Folder of .md/.txt articles (default: the embedded corpus).")
_routes = click.option("--routes", type=click.Path(path_type=Path), default=None,
                       help="Routes catalogue YAML (default: the embedded catalogue).")


def _fail(e: Exception) -> None:
    _err().print(f"[bold red]error:[/] {e}", markup=True, highlight=False, soft_wrap=True)
    raise click.exceptions.Exit(2)


@click.group(name="tumen-atlas", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", "-v", is_flag=True, help="Log each pipeline stage.")
def app(verbose: bool) -> None:
    """Turn articles about Russia and the Koreas into an offline, evidence-linked interactive map.
    \f
    The command group: it sets up logging, then runs the command named.

    Parameters
    ----------
    verbose
        Log each pipeline stage (the ``geo`` and ``layers`` loggers at INFO) on standard error.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose:  # the pipeline's own stages; libraries (fontTools' subsetter, ...) keep to their warnings
        for name in ("geo", "layers"):
            logging.getLogger(name).setLevel(logging.INFO)


@app.command()
@click.argument("files", nargs=-1)
@click.option("--jsonl", is_flag=True, help='Inputs are JSON lines {"id": ..., "text": ...}, read line by line.')
@click.option("--format", "-f", "fmt", default="jsonl", show_default=True,
              help="jsonl, csv, geojson or parquet (GeoParquet; needs --out).")
@click.option("--out", "-o", default=None, help="Write here (atomically) instead of standard output; for Parquet, a "
              "directory (an existing one, or a path ending in '/') gets one file per partition.")
@click.option("--keep-chrome", is_flag=True, help="Geoparse site chrome too (cookie notices, footers, bios).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: every core for inputs over 4 MB, else 1); output order is unchanged.")
@click.option("--dask", default=None,
              help="Run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local'. Needs tumen-atlas[dask].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: for inputs over 1 MB on a terminal).")
def geoparse(files: tuple[str, ...], jsonl: bool, fmt: str, out: Optional[str], keep_chrome: bool, jobs: Optional[int],
             dask: Optional[str], progress: Optional[bool]) -> None:
    """Geoparse text: one record per place mention (doc, start, end, surface, name, kind, country, lat, lon,
    gazetteer_id, score), streamed out in the input's order.

    FILES are plain-text files, or with --jsonl JSON-lines files; glob patterns are expanded
    ('archive/*.jsonl'); '-' (the default) reads standard input.
    \f
    Parameters
    ----------
    files
        Plain-text files, or JSON-lines files with ``jsonl``; glob patterns are expanded; ``"-"``
        (or no file) reads standard input.
    jsonl
        Read the inputs as JSON lines ``{"id": ..., "text": ...}``, one line at a time.
    fmt
        ``"jsonl"``, ``"csv"``, ``"geojson"`` or ``"parquet"`` (GeoParquet, which needs ``out``).
    out
        Where to write, atomically; None: standard output. For Parquet, a directory (an existing
        one, or a path ending in ``/``) gets one file per partition.
    keep_chrome
        Geoparse site chrome too (cookie notices, footers, bios).
    jobs
        Worker processes; None: every core for inputs over 4 MB, else one. The output's order is
        the input's whatever the number.
    dask
        A Dask scheduler's address (``tcp://host:8786``), or ``"local"`` for a cluster on this
        machine; None: no Dask.
    progress
        Show a progress bar on standard error; None: for inputs over 1 MB on a terminal.
    """
    from geo import batch

    _libraries_loaded()
    try:
        names = batch.expand(files or [])
        if fmt not in batch.FORMATS:
            raise ValueError(f"--format must be one of {', '.join(batch.FORMATS)}, got {fmt!r}")
        if fmt == "parquet" and out is None:
            raise ValueError("--format parquet writes a file: give --out PATH (or --out DIR/ for one file per partition)")
        size = batch.input_bytes(names)
        show = progress if progress is not None else (size is not None and size >= PROGRESS_MIN_BYTES and sys.stderr.isatty())
        n_jobs = jobs or batch.default_jobs(names)
        with _output(out, fmt) as (stream, path, partitioned), _progress(show, size) as advance:
            writer = batch.Writer(fmt, stream, path, partitioned=partitioned)
            if dask:
                batch.dask_run(names, jsonl, writer, address=dask, keep_chrome=keep_chrome, advance=advance)
            else:
                batch.run(batch.read_docs(names, jsonl), writer, jobs=n_jobs, keep_chrome=keep_chrome, advance=advance)
            writer.close()
    except (TumenAtlasError, ValueError, OSError) as e:
        _fail(e)


@contextlib.contextmanager
def _progress(show: bool, total: Optional[int]):
    """A progress bar on standard error while the block runs (when ``show``): yields the function
    that advances it by a number of characters, or None."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    # redrawn from the advancing calls, not by rich's refresh thread: the run forks worker processes,
    # and forking a process that has a second thread can deadlock the child (Python 3.12+ warns of it)
    with Progress(TextColumn("geoparsing"), BarColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
                  console=_err(), transient=False, auto_refresh=False) as prog:
        task = prog.add_task("geoparse", total=total)
        drawn = [0.0]

        def advance(n: int) -> None:
            prog.advance(task, n)
            now = time.monotonic()
            if now - drawn[0] >= 0.1:
                drawn[0] = now
                prog.refresh()

        yield advance
        if total:  # done: full, though it counts characters and the total is the input's bytes
            prog.update(task, completed=total)
        prog.refresh()


@contextlib.contextmanager
def _output(where: Optional[str], fmt: str):
    """``(stream, path, partitioned)`` to write to; a file or directory under --out appears only when
    the run succeeds (written beside it, then moved into place)."""
    if where is None:
        yield sys.stdout.buffer, None, False
        sys.stdout.flush()
        return
    from geo._atomic import OutputError, atomic_path, check_output

    out = Path(where)
    partitioned = fmt == "parquet" and (out.is_dir() or where.endswith(("/", os.sep)))
    try:
        check_output(out, directory=partitioned)
    except OutputError as e:
        if partitioned:
            raise
        raise OutputError(f"{e} (without --out, geoparse streams to standard output)") from None
    with atomic_path(out, directory=partitioned) as tmp:
        if fmt == "parquet":
            yield None, tmp, partitioned
        else:
            with tmp.open("wb") as f:
                yield f, None, False


@app.command()
@_articles
@click.option("--format", "fmt", default="csv", show_default=True, help="csv, geojson or json.")
@click.option("--keep-chrome", is_flag=True, help="Geoparse site chrome too.")
@_as_of
@_with_shared_params
def places(articles: Optional[Path], fmt: str, keep_chrome: bool, as_of: Optional[str]) -> None:
    """Print the places the corpus mentions, with mention counts, as CSV, GeoJSON or JSON.
    \f
    Parameters
    ----------
    fmt
        ``"csv"``, ``"geojson"`` or ``"json"``.
    keep_chrome
        Geoparse site chrome too.
    """
    from geo.corpus import load_corpus
    from geo.places import mentions_from_articles, places_from_mentions
    from geo.timeline import articles_as_of, parse_as_of

    _libraries_loaded()
    if fmt not in ("csv", "geojson", "json"):
        _fail(ValueError(f"--format must be csv, geojson or json, got {fmt!r}"))
    try:
        arts = articles_as_of(load_corpus(articles), parse_as_of(as_of) if as_of else None)
        pl = places_from_mentions(mentions_from_articles(arts, keep_chrome=keep_chrome), arts)
    except (TumenAtlasError, ValueError) as e:
        _fail(e)
        return
    if fmt == "csv":
        from geo._sanitize import csv_frame

        sys.stdout.write(csv_frame(pl.drop(columns="geometry")).to_csv(index=False, lineterminator="\n"))
    elif fmt == "geojson":
        sys.stdout.write(pl.to_json(drop_id=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(pl.drop(columns="geometry").to_json(orient="records", force_ascii=False, indent=1) + "\n")


@app.command()
@_articles
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_with_shared_params
def corpus(articles: Optional[Path], as_json: bool) -> None:
    """List the articles, their metadata and the site chrome excluded from geoparsing.
    \f
    Parameters
    ----------
    as_json
        Print one JSON list of the articles instead of a table.
    """
    from geo.corpus import load_corpus

    _libraries_loaded()
    try:
        arts = load_corpus(articles)
    except TumenAtlasError as e:
        _fail(e)
        return
    recs = []
    for a in arts:
        recs.append({
            "id": a.id, "path": a.path, "title": a.title, "author": a.meta.author, "outlet": a.meta.outlet,
            "date": a.meta.date, "date_precision": a.date_precision, "url": a.meta.url, "language": a.meta.language,
            "notes": a.meta.notes, "characters": len(a.text), "sentences": len(a.sentences),
            "chrome": [{"start": c.start, "end": c.end, "reason": c.reason, "text": a.text[c.start:c.end]} for c in a.chrome],
        })
    if as_json:
        sys.stdout.write(json.dumps(recs, ensure_ascii=False, indent=1) + "\n")
        return
    out = _console(highlight=False, soft_wrap=True)
    for r in recs:
        out.print(f"[bold]{r['id']}[/]  {r['title']}", markup=True)
        out.print(f"  {r['author'] or 'author not given'} · {r['outlet'] or 'outlet unknown'} · {r['date'] or 'undated'} ({r['date_precision']})", markup=False)
        if r["notes"]:
            out.print(f"  notes: {r['notes']}", markup=False)
        out.print(f"  {r['characters']} characters, {r['sentences']} sentences, {len(r['chrome'])} chrome lines excluded", markup=False)
        for c in r["chrome"]:
            out.print(f"    - {c['reason']}: {c['text'][:90]!r}", markup=False)


def main() -> None:
    """The console script. The cyclic garbage collector waits while the command imports pandas,
    geopandas and folium (about a million objects that live until the process ends; collecting
    them over and over costs about a tenth of a build): see :func:`_libraries_loaded`."""
    gc.disable()
    try:
        code = app.main(prog_name="tumen-atlas", standalone_mode=False)
    except click.ClickException as e:  # a usage error: click's own message and code
        e.show()
        code = e.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C (SIGINT): one line, the shell's 130
        _interrupted()
    finally:
        gc.enable()
    sys.exit(code if isinstance(code, int) else 0)


def _interrupted() -> None:
    """Ctrl-C: one line on standard error and exit 130 (128 + SIGINT), as a shell reports it. The
    outputs being written were abandoned (their temporary files removed): nothing half-written.
    A second Ctrl-C while the process winds down is ignored (no traceback from the teardown)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for stream, text in ((sys.stdout, ""), (sys.stderr, "tumen-atlas: interrupted\n")):
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # pragma: no cover (a closed pipe)
            pass
    # the work was abandoned on the way here (temporary files removed, worker processes and any Dask
    # cluster stopped); exit now rather than in the interpreter's teardown, which would join the
    # worker pool's threads, waiting on pipes no worker reads any more
    logging.shutdown()
    os._exit(130)


def _libraries_loaded() -> None:
    """Called by each command once its imports are done: what they made is set aside for good
    (``gc.freeze``, which also spares forked workers copying it) and collection resumes."""
    gc.freeze()
    gc.enable()


@app.command()
@_articles
@_routes
@_with_shared_params
def check(articles: Optional[Path], routes: Optional[Path]) -> None:
    """Run every check (articles, gazetteer, catalogue quotes, waypoints, geometry); exit 1 on any problem.
    \f
    Every problem is listed on standard error before the exit; notes (claims whose statements
    disagree, routes drawn short of their published length) do not fail the check.

    Parameters
    ----------
    """
    from geo._errors import CatalogueError, CorpusError, GazetteerError
    from geo.corpus import load_corpus
    from geo._curated import load_curated
    from geo.atlas import corpus_routes
    from geo.catalogue import load_catalogue
    from geo.routes import evidence_policy

    _libraries_loaded()
    problems: list[str] = []
    arts = []
    try:
        arts = load_corpus(articles)
    except CorpusError as e:
        problems.append(str(e))
    try:
        load_curated()
    except GazetteerError as e:
        problems.append(str(e))
    cat = layers = None
    try:
        cat = load_catalogue(routes)
    except CatalogueError as e:
        problems.extend(e.problems)
    if cat is not None and arts:
        try:
            layers = corpus_routes(arts, routes, policy=evidence_policy(articles, routes))
        except CatalogueError as e:
            problems.extend(e.problems)
    if problems:
        for p in problems:
            _err().print(f"[red]✗[/] {p}", markup=True, highlight=False, soft_wrap=True)
        _err().print(f"{len(problems)} problem(s)", highlight=False)
        raise click.exceptions.Exit(1)
    rl = layers
    nq = sum(len(x) for x in rl.routes["quotes"]) + sum(len(x) for x in rl.routes["figures"]) + sum(
        len(x) for x in rl.sites["quotes"]) + sum(len(x) for x in rl.sites["figures"])
    out = _console(highlight=False)
    out.print(
        f"all checks passed: {len(arts)} articles, {len(rl.routes)} routes, {len(rl.sites)} sites, {nq} quotes verified verbatim"
    )
    for c in rl.claims:
        if c["verdict"] == "disagree":
            vals = "; ".join(f"{st['value']:,.12g} {c['unit']} ({st['article']}, {st['date'] or 'undated'})" for st in c["statements"])
            out.print(f"note: claim {c['id']} ({c['label']}): the statements disagree: {vals}", soft_wrap=True)
    for r in rl.routes.itertuples(index=False):
        if isinstance(r.length_shortfall, str):
            out.print(
                f"note: {r.id} is drawn {r.length_km:,.1f} km of its published {r.published_length_km:,.0f} km "
                f"({r.length_km / r.published_length_km:.0%}): {' '.join(r.length_shortfall.split())}",
                soft_wrap=True,
            )


@app.command("routes")
@_articles
@_routes
@click.option("--sites", is_flag=True, help="Print the sites instead of the routes.")
@_as_of
@_with_shared_params
def routes_cmd(articles: Optional[Path], routes: Optional[Path], sites: bool, as_of: Optional[str]) -> None:
    """Print the routes (or --sites) as an RFC 7946 GeoJSON FeatureCollection.
    \f
    Parameters
    ----------
    sites
        Print the sites instead of the routes.
    """
    from geo.atlas import atlas_data
    from geo.routes import routes_to_geojson, sites_to_geojson

    _libraries_loaded()
    try:
        layers = atlas_data(articles, routes, as_of=as_of).routes
    except (TumenAtlasError, ValueError) as e:
        _fail(e)
        return
    fc = sites_to_geojson(layers) if sites else routes_to_geojson(layers)
    sys.stdout.write(json.dumps(fc, ensure_ascii=False) + "\n")


@app.command()
@click.argument("route_id")
@_articles
@_routes
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.option("--limit", "-n", type=int, default=20, show_default=True, help="Show at most this many.")
@_with_shared_params
def evidence(route_id: str, articles: Optional[Path], routes: Optional[Path], as_json: bool, limit: int) -> None:
    """List the sentences that support ROUTE_ID (a route or site id: see `tumen-atlas routes`), ranked,
    with the words each was matched on and the status it reports; '*' marks those the catalogue
    already quotes.
    \f
    Parameters
    ----------
    route_id
        A route's or a site's id in the catalogue.
    as_json
        Print JSON lines (one a sentence) instead of a table.
    limit
        Show at most this many sentences, the best ranked first.
    """
    from geo.corpus import load_corpus
    from geo.evidence import evidence_for_route
    from geo.places import mentions_from_articles
    from geo.catalogue import load_catalogue

    _libraries_loaded()
    try:
        cat = load_catalogue(routes)
        arts = load_corpus(articles)
    except TumenAtlasError as e:
        _fail(e)
        return
    items = {x.id: x for x in [*cat.routes, *cat.sites]}
    item = items.get(route_id)
    if item is None:
        _fail(ValueError(f"unknown route or site {route_id!r}; routes: {', '.join(sorted(r.id for r in cat.routes))}; "
                         f"sites: {', '.join(sorted(s.id for s in cat.sites))}"))
        return
    df = evidence_for_route(item, arts, mentions_from_articles(arts), status_cues=cat.status_cues).head(limit)
    if as_json:
        for rec in df.to_dict(orient="records"):
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    out = _console(highlight=False, soft_wrap=True)
    if df.empty:
        out.print(f"no sentence of these articles speaks of {route_id}", markup=False)
    for _, r in df.iterrows():
        mark = "*" if r["in_catalogue"] else " "
        out.print(f"{mark} {r['rank']:>2}. [{r['score']:.1f}] {r['article_id']} ({r['date'] or 'undated'}) @{r['start']}: "
                  f"{' '.join(r['text'].split())}", markup=False)
        status = f"; reports: {r['status']} ({r['status_words']})" if isinstance(r["status"], str) else ""
        out.print(f"       matched on: {r['matched']}{status}", markup=False)


@app.command()
@_articles
@_routes
@click.option("--min-sentences", type=int, default=1, show_default=True, help="List a corridor only when this many sentences describe it.")
@_with_shared_params
def suggest(articles: Optional[Path], routes: Optional[Path], min_sentences: int) -> None:
    """Print, as draft catalogue YAML, the corridors the articles describe that no catalogue entry
    covers: what moves, from, to, by which mode, with the sentences. Review it, then pass it with --routes
    (with the catalogue's own routes) or copy its entries into your catalogue.
    \f
    Parameters
    ----------
    min_sentences
        List a corridor only when at least this many sentences describe it.
    """
    from geo.corpus import load_corpus
    from geo.places import mentions_from_articles
    from geo.catalogue import load_catalogue
    from geo.suggest import suggest_corridors, suggestions_yaml

    _libraries_loaded()
    try:
        cat = load_catalogue(routes)
        arts = load_corpus(articles)
        found = suggest_corridors(arts, mentions_from_articles(arts), cat, min_sentences=min_sentences)
    except TumenAtlasError as e:
        _fail(e)
        return
    sys.stdout.write(suggestions_yaml(found))


@app.command()
@_articles
@_routes
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/map.html"), show_default=True, help="Where to write the map.")
@click.option("--title", default=None, help="Title of the map page.")
@click.option("--tiles", multiple=True, help="Add a web tile provider as a base layer (repeatable): OpenStreetMap, "
              "'CartoDB Positron', OpenTopoMap. The offline Natural Earth basemap stays the default.")
@click.option("--embed", is_flag=True, help="Also write an iframe snippet (OUT with .embed.html) for reports.")
@click.option("--height", type=int, default=600, show_default=True, help="Height of the embedded map in pixels (with --embed).")
@_as_of
@_with_shared_params
def build(articles: Optional[Path], routes: Optional[Path], out: Path, title: Optional[str], tiles: tuple[str, ...], embed: bool,
          height: int, as_of: Optional[str]) -> None:
    """Build the interactive map (default output/map.html) from the articles and the routes catalogue.
    \f
    The command line's :func:`layers.page.write_map`: the same page, written atomically.

    Parameters
    ----------
    out
        Where to write the map.
    title
        The page's title; None: the atlas's own.
    tiles
        Web tile providers to add as base layers (``OpenStreetMap``, ``CartoDB Positron``,
        ``OpenTopoMap``); the offline Natural Earth basemap stays the default.
    embed
        Also write an iframe snippet for reports (``out`` with the suffix ``.embed.html``).
    height
        The embedded map's height in pixels (with ``embed``).
    """
    # the page from its cached frame: a rebuild does not import folium (layers.page)
    from geo.atlas import atlas_data
    from geo._atomic import write_atomic
    from layers.content import DEFAULT_TITLE, check_tiles, embed_snippet
    from layers.page import render_page

    from geo._atomic import check_output
    from geo._sanitize import xml_text

    _libraries_loaded()
    title = xml_text(title) if title else title  # no character HTML's parser rejects, in the page or the snippet
    try:
        check_output(out)  # a device, pipe or folder fails now, not after the build
        if embed:
            check_output(out.with_suffix(".embed.html"))
        check_tiles(tiles or ())
        with _err().status("geoparsing articles and drawing routes…"):
            data = atlas_data(articles, routes, as_of=as_of)
        with _err().status("rendering the map…"):
            html_text = render_page(data=data, title=title or DEFAULT_TITLE, tiles=tuple(tiles or ()))
            snippet = embed_snippet(out.name, height=height, title=title or DEFAULT_TITLE) if embed else None
    except (TumenAtlasError, ValueError) as e:
        if out.exists() and not isinstance(e, OSError):
            _err().print(f"[yellow]note:[/] {out} was NOT rebuilt: it still shows the previous inputs", markup=True, highlight=False)
        _fail(e)
        return
    try:
        write_atomic(out, html_text)
        if snippet is not None:
            write_atomic(out.with_suffix(".embed.html"), snippet)
    except OSError as e:
        _fail(e if isinstance(e, TumenAtlasError) else TumenAtlasError(f"{out}: cannot write: {e.strerror or e}"))
    _err().print(
        f"wrote {out} ({len(html_text.encode()) / 1e6:.2f} MB): {len(data.articles)} articles, {len(data.places)} places, "
        f"{len(data.routes.routes)} routes, {len(data.routes.sites)} sites"
        + (f"; iframe snippet {out.with_suffix('.embed.html')}" if snippet is not None else ""),
        highlight=False,
    )


_out_path = click.Path(path_type=Path)


@app.command()
@_articles
@_routes
@click.option("--png", type=_out_path, default=None, help="Static map as PNG.")
@click.option("--pdf", type=_out_path, default=None, help="Static map as PDF (vector).")
@click.option("--svg", type=_out_path, default=None, help="Static map as SVG (vector).")
@click.option("--width", type=float, default=10.0, show_default=True, help="Static map width in inches.")
@click.option("--height", type=float, default=8.0, show_default=True, help="Static map height in inches.")
@click.option("--dpi", type=int, default=200, show_default=True, help="Static map resolution (PNG pixels = inches x dpi).")
@click.option("--title", default=None, help="Title printed above the static map.")
@click.option("--alternatives", is_flag=True, help="Also draw the alternatives considered (off by default, as on the HTML map).")
@click.option("--gpkg", type=_out_path, default=None, help="GeoPackage with layers places, mentions, routes, segments, sites.")
@click.option("--geojson", type=_out_path, default=None, help="Folder for one GeoJSON per layer plus quotes.csv.")
@click.option("--csv", type=_out_path, default=None, help="CSV of every quote with its article's metadata.")
@_as_of
@_with_shared_params
def export(articles: Optional[Path], routes: Optional[Path], png: Optional[Path], pdf: Optional[Path], svg: Optional[Path],
           width: float, height: float, dpi: int, title: Optional[str], alternatives: bool, gpkg: Optional[Path],
           geojson: Optional[Path], csv: Optional[Path], as_of: Optional[str]) -> None:
    """Export static maps (PNG/PDF/SVG) for reports and data (GeoPackage/GeoJSON/CSV) for GIS.
    \f
    The command line's :func:`layers.export.export_static` and the GIS exports
    (:func:`~layers.export.export_gpkg`, :func:`~layers.export.export_geojson`,
    :func:`~layers.export.export_quotes_csv`); at least one output must be given.

    Parameters
    ----------
    png, pdf, svg
        Where to write the static map as PNG, PDF or SVG (each optional).
    width, height
        The static map's size in inches.
    dpi
        The static map's resolution (a PNG is width x dpi pixels wide).
    title
        The static map's title; None: the atlas's own, with the as-of date of a dated view.
    alternatives
        Also draw the alternatives considered (off by default, as on the web map).
    gpkg
        Where to write a GeoPackage (layers places, mentions, routes, segments, sites and labels).
    geojson
        A folder for one GeoJSON file per layer and ``quotes.csv``.
    csv
        Where to write a CSV of every quote with its article's metadata.
    """
    from geo._atomic import check_output
    from layers import export as X
    from geo.atlas import atlas_data

    _libraries_loaded()
    if not any((png, pdf, svg, gpkg, geojson, csv)):
        _fail(ValueError("nothing to export: give at least one of --png, --pdf, --svg, --gpkg, --geojson, --csv"))
    try:
        for path in (png, pdf, svg, gpkg, csv):  # a device, pipe or folder fails now, not after the drawing
            if path is not None:
                check_output(path)
        with _err().status("geoparsing articles and drawing routes…"):
            data = atlas_data(articles, routes, as_of=as_of)
        written: list[Path] = []
        for path, fmt in ((png, "png"), (pdf, "pdf"), (svg, "svg")):
            if path is not None:
                with _err().status(f"drawing {fmt.upper()}…"):
                    written.append(X.export_static(data, path, fmt=fmt, width_in=width, height_in=height, dpi=dpi, title=title, alternatives=alternatives))
        if gpkg is not None:
            written.append(X.export_gpkg(data, gpkg))
        if geojson is not None:
            written.extend(X.export_geojson(data, geojson))
        if csv is not None:
            written.append(X.export_quotes_csv(data, csv))
    except (TumenAtlasError, ValueError) as e:
        _fail(e)
        return
    except OSError as e:
        _fail(e if isinstance(e, TumenAtlasError) else TumenAtlasError(f"{e.filename or 'output'}: cannot write: {e.strerror or e}"))
        return
    for w in written:
        _err().print(f"wrote {w}", highlight=False)


if __name__ == "__main__":  # python -m layers.cli
    main()
