"""The ``tumen-atlas`` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from geo._errors import TumenAtlasError

app = typer.Typer(
    name="tumen-atlas",
    help="Turn articles about Russia and the Koreas into an offline, evidence-linked interactive map.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
PROGRESS_MIN_BYTES = 1_000_000

ArticlesOpt = Annotated[
    Optional[Path], typer.Option("--articles", help="Folder of .md/.txt articles (default: the embedded corpus).")
]


def _fail(e: Exception) -> None:
    err.print(f"[bold red]error:[/] {e}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each pipeline stage.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _read_inputs(files: list[str], jsonl: bool) -> Iterator[tuple[str, str]]:
    for f in files or ["-"]:
        name = "<stdin>" if f == "-" else f
        try:
            raw = sys.stdin.buffer.read() if f == "-" else Path(f).read_bytes()
        except OSError as e:
            raise TumenAtlasError(f"{name}: cannot read: {e.strerror or e}") from e
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise TumenAtlasError(f"{name}: not UTF-8 text (byte {e.start})") from e
        if not jsonl:
            yield (f, text)
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                doc, body = obj["id"], obj["text"]
                if not isinstance(body, str):
                    raise TypeError("'text' must be a string")
            except (ValueError, KeyError, TypeError) as e:
                raise TumenAtlasError(f"{name}, line {n}: expected a JSON object with 'id' and 'text': {e}") from e
            yield (str(doc), body)


@app.command()
def geoparse(
    files: Annotated[Optional[list[str]], typer.Argument(help="Plain-text files; '-' (default) reads standard input.")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help='Inputs are JSON lines {"id": ..., "text": ...}.')] = False,
    keep_chrome: Annotated[bool, typer.Option("--keep-chrome", help="Geoparse site chrome too (cookie notices, footers, bios).")] = False,
) -> None:
    """Print one JSON line per place mention: doc, start, end, surface, name, kind, country, lat, lon, gazetteer_id, score."""
    from geo.corpus import detect_chrome
    from geo.geoparser import default_geoparser, geoparse_text

    try:
        docs = list(_read_inputs(files or [], jsonl))
        gp = default_geoparser()
        total = sum(len(t) for _, t in docs)
        out = sys.stdout
        with Progress(TextColumn("geoparsing"), BarColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
                      console=err, disable=total < PROGRESS_MIN_BYTES or not err.is_terminal and total < PROGRESS_MIN_BYTES * 10,
                      transient=True) as prog:
            task = prog.add_task("geoparse", total=total)
            for doc, text in docs:
                spans = None
                if not keep_chrome:
                    chrome = detect_chrome(text)
                    spans, pos = [], 0
                    for c in chrome:
                        if c.start > pos:
                            spans.append((pos, c.start))
                        pos = c.end
                    spans.append((pos, len(text)))
                for m in geoparse_text(text, doc=doc, spans=spans, geoparser=gp):
                    out.write(json.dumps(m, ensure_ascii=False) + "\n")
                prog.advance(task, len(text))
        out.flush()
    except TumenAtlasError as e:
        _fail(e)


@app.command()
def places(
    articles: ArticlesOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, geojson or json.")] = "csv",
    keep_chrome: Annotated[bool, typer.Option("--keep-chrome")] = False,
) -> None:
    """Print the places the corpus mentions, with mention counts, as CSV, GeoJSON or JSON."""
    from geo.corpus import load_corpus
    from geo.places import mentions_from_articles, places_from_mentions

    if fmt not in ("csv", "geojson", "json"):
        _fail(ValueError(f"--format must be csv, geojson or json, got {fmt!r}"))
    try:
        arts = load_corpus(articles)
        pl = places_from_mentions(mentions_from_articles(arts, keep_chrome=keep_chrome), arts)
    except TumenAtlasError as e:
        _fail(e)
        return
    if fmt == "csv":
        sys.stdout.write(pl.drop(columns="geometry").to_csv(index=False, lineterminator="\n"))
    elif fmt == "geojson":
        sys.stdout.write(pl.to_json(drop_id=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(pl.drop(columns="geometry").to_json(orient="records", force_ascii=False, indent=1) + "\n")


@app.command()
def corpus(
    articles: ArticlesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the articles, their metadata and the site chrome excluded from geoparsing."""
    from geo.corpus import load_corpus

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
    out = Console(highlight=False, soft_wrap=True)
    for r in recs:
        out.print(f"[bold]{r['id']}[/]  {r['title']}", markup=True)
        out.print(f"  {r['author'] or 'author not given'} · {r['outlet'] or 'outlet unknown'} · {r['date'] or 'undated'} ({r['date_precision']})", markup=False)
        if r["notes"]:
            out.print(f"  notes: {r['notes']}", markup=False)
        out.print(f"  {r['characters']} characters, {r['sentences']} sentences, {len(r['chrome'])} chrome lines excluded", markup=False)
        for c in r["chrome"]:
            out.print(f"    - {c['reason']}: {c['text'][:90]!r}", markup=False)


def main() -> None:  # pragma: no cover
    app()
