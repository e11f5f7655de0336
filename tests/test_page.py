"""The page from its cached frame (layers.page): the same bytes as the folium map, without folium."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.atlas import atlas_data
from layers.mapdoc import build_map, render_html
from layers.content import page_content
from layers.page import render_page


@pytest.fixture(scope="module")
def data():
    return atlas_data()


@pytest.mark.parametrize(
    ("title", "tiles"),
    [
        ("Tumen Atlas: Russia and the Koreas", ()),
        # a title holding template syntax, markup and the frame's own slot marker
        ("T {{ 7*7 }} {% if x %} <script>alert(1)</script> @@tumen-atlas-slot-00-0@@ & ü", ("OpenStreetMap", "OpenTopoMap")),
    ],
)
def test_the_page_is_the_folium_maps_html_byte_for_byte(data, title, tiles):
    expected = render_html(build_map(data=data, title=title, tiles=tiles))
    assert render_page(data=data, title=title, tiles=tiles) == expected  # the frame made (or read) here
    assert render_page(data=data, title=title, tiles=tiles) == expected  # and read from the cache


def test_any_article_text_fills_the_frame_as_the_folium_map_renders_it(tmp_path):
    """Article text reaches the page only through the slots; text that looks like a slot, markup,
    template syntax or odd line breaks changes nothing of the frame."""
    d = tmp_path / "arts"
    d.mkdir()
    (d / "odd.md").write_text(
        "---\ntitle: 'Odd @@tumen-atlas-slot-x-1@@ {{ x }}'\ndate: 2021-03-04\n---\n"
        "Coal left Rajin\u0085for Vladivostok \u2028 </script><script>alert(1)</script> @@tumen-atlas-slot-x-2@@.\r\n"
        "The ferry to Khasan\u2029runs {% raw %} weekly.\n",
        encoding="utf-8",
    )
    data = atlas_data(d)
    assert render_page(data=data) == render_html(build_map(data=data))


def test_the_frame_is_one_per_title_tiles_and_layers(data):
    a = page_content(data)
    b = page_content(data, title="Another title")
    c = page_content(data, tiles=("OpenStreetMap",))
    assert len({a.structure(), b.structure(), c.structure()}) == 3
    assert a.structure() == page_content(data).structure()
    # the content itself is not part of the frame: another corpus, the same frame
    assert len(a.slots()) == 1 + len(a.basemap) + len(a.overlays) + 1


def test_a_warm_build_does_not_import_folium(data):
    """The point of the frame: a rebuild renders the page without importing folium, branca or Jinja."""
    expected = render_page(data=data)  # the frame and the pipeline's results are in the cache
    code = (
        "import sys\n"
        "from layers.page import render_page\n"
        "page = render_page()\n"
        "loaded = sorted(m for m in ('folium', 'branca', 'jinja2') if m in sys.modules)\n"
        "sys.stderr.write(','.join(loaded))\n"
        "sys.stdout.write(page)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, encoding="utf-8")
    assert run.stderr == ""
    assert run.stdout == expected


def test_the_build_command_writes_the_page(tmp_path, data):
    from click.testing import CliRunner

    from layers.cli import app

    out = tmp_path / "map.html"
    res = CliRunner().invoke(app, ["build", "--out", str(out), "--tiles", "OpenStreetMap"])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == render_html(build_map(data=data, tiles=("OpenStreetMap",)))
    res = CliRunner().invoke(app, ["build", "--out", str(out), "--tiles", "Nowhere"])
    assert res.exit_code != 0 and "unknown tile provider" in res.output


def test_packed_json_reads_back_and_is_the_same_bytes_on_every_python():
    """The page's packed texts and popups: gzip that any gzip reader reads, with a header of our
    own (gzip.compress writes another OS byte on Python 3.11 and 3.12 than on 3.10 and 3.13)."""
    import base64
    import gzip

    from layers.content import pack_json, unpack_json

    value = {"b": ["Rajin", "라진", "</script>", "\u2028"], "a": list(range(50))}
    blob = pack_json(value)
    assert unpack_json(blob) == value
    raw = base64.b64decode(blob)
    assert raw[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, OS unknown
    assert gzip.decompress(raw) == b'{"a":' + str(list(range(50))).replace(" ", "").encode() + b',"b":["Rajin","\xeb\x9d\xbc\xec\xa7\x84","</script>","\xe2\x80\xa8"]}'
