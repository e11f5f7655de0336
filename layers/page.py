"""The map page, written without folium when its frame is cached.

Everything of the page's HTML but its content (:mod:`layers.content`) is the same for every build
with the same title, tiles and layers (the inlined Leaflet, CSS and JavaScript, the layers'
scripts). :func:`render_page` keeps it in the user cache as a *frame*, the page rendered once with
folium (:mod:`layers.mapdoc`) with a slot where each piece of content goes, and a build fills the
slots: the same bytes as rendering the folium map, and a rebuild that does not import folium.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Sequence

from geo._atomic import write_atomic
from geo.atlas import AtlasData, atlas_data
from layers.content import DEFAULT_TITLE, PageContent, check_tiles, normalise_lines, page_content

log = logging.getLogger(__name__)


def render_page(
    articles: str | Path | None = None,
    routes: str | Path | None = None,
    *,
    data: AtlasData | None = None,
    title: str = DEFAULT_TITLE,
    tiles: Sequence[str] = (),
) -> str:
    """The complete, self-contained HTML of the map: byte for byte ``render_html(build_map(...))``,
    from the cached frame when there is one (and then without importing folium).

    Parameters
    ----------
    articles, routes, data, title, tiles
        As for :func:`layers.mapdoc.build_map` (``data`` skips the pipeline: ``articles`` and
        ``routes`` are then not read).

    Returns
    -------
    str
        The page's HTML.
    """
    from geo import _cache

    check_tiles(tiles)
    content = page_content(data or atlas_data(articles, routes), title=title, tiles=tiles)
    chunks, order = _cache.cached("page-frame", lambda: make_frame(content), content.structure())
    slots = content.slots()
    if sorted(order) != list(range(len(slots))) or len(chunks) != len(slots) + 1:
        raise RuntimeError("page frame does not match the page's content")  # a cache entry from other code
    parts = [chunks[0]]
    for i, rest in zip(order, chunks[1:]):
        parts += [slots[i], rest]
    log.info("map: %d overlays, %d labels, %d popups, %d articles", *content.counts)
    return normalise_lines("".join(parts))


def make_frame(content: PageContent) -> tuple[list[str], list[int]]:
    """The page of ``content`` rendered with folium and cut at its content: the text around the
    slots, and which slot (in the order of :meth:`PageContent.slots`) each cut holds."""
    from layers.mapdoc import document, render_html

    nonce = secrets.token_hex(16)  # never in the output: the page is cut at these marks
    marks = [f"@@tumen-atlas-slot-{nonce}-{i}@@" for i in range(len(content.slots()))]
    page = render_html(document(content.with_slots(marks)))
    at = {}
    for i, mark in enumerate(marks):
        where = page.find(mark)
        if where < 0 or page.find(mark, where + 1) >= 0:
            raise RuntimeError(f"page frame: content slot {i} is not in the page exactly once")
        at[where] = i
    chunks, order, pos = [], [], 0
    for where in sorted(at):
        chunks.append(page[pos:where])
        order.append(at[where])
        pos = where + len(marks[at[where]])
    chunks.append(page[pos:])
    if any(nonce in c for c in chunks):
        raise RuntimeError("page frame: a content slot overlaps another")
    return chunks, order


def write_map(path: str | Path = "output/map.html", articles: str | Path | None = None, routes: str | Path | None = None,
              **kw) -> Path:
    """Build the map and write it atomically to ``path``.

    Parameters
    ----------
    path
        Where to write the page (a regular file or a missing path; a symlink is written through).
    articles, routes
        As for :func:`render_page`.
    **kw
        ``data``, ``title``, ``tiles``; any other option of :func:`layers.mapdoc.build_map` (``m``,
        ``style_kwds`` ...) renders the page through folium.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    if set(kw) <= {"title", "tiles", "data"}:  # a page of its own: the cached frame serves
        return write_atomic(path, render_page(articles, routes, **kw))
    from layers.mapdoc import build_map, render_html

    return write_atomic(path, render_html(build_map(articles, routes, **kw)))
