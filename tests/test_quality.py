"""The geoparser's quality on English text: a precision and recall floor on a hand-annotated sample.

The sample (``tests/data/en_places/en.jsonl``, its README gives the annotation rules) is the body of
each of the 59 real excerpts of ``tests/data/corridors``, with 864 place mentions marked by hand,
independently of the geoparser. It is scored as the Russian and Korean sentences are
(``tests/ru_ko.py``): a prediction is right when it overlaps a gold place and names it (a country by
its code, any other place within 161 km of the gold point).

Measured when the floors were set (both engines give the same mentions, so the same figures)::

    engine="compiled"   P 0.946   R 0.941   (859 predicted, 864 gold)
    engine="python"     P 0.946   R 0.941   (859 predicted, 864 gold)

The floors are these figures less 0.03, rounded down to the hundredth. The Russian and Korean
floors are asserted in ``tests/test_ru_ko.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.corpus import read_article

from .ru_ko import GOLD, load, score

ROOT = Path(__file__).resolve().parents[1]
CORRIDORS = ROOT / "tests" / "data" / "corridors"
#: Precision and recall floors on the English sample (measured 0.946 / 0.941 with either engine).
EN_FLOOR = (0.91, 0.91)


def _geoparser(engine: str):
    from geo.geoparser import Geoparser, default_geoparser

    if engine == "compiled":
        from .compiled import require_compiled

        require_compiled()
    return Geoparser(default_geoparser().gz, engine=engine)


@pytest.mark.parametrize("engine", ["compiled", "python"])
def test_english_precision_and_recall_floor(engine):
    r = score("en", _geoparser(engine))
    p_min, r_min = EN_FLOOR
    assert r["gold"] == 864
    assert r["P"] >= p_min and r["R"] >= r_min, (engine, r["P"], r["R"], r["errors"])


def test_the_english_gold_is_made_against_the_text_the_product_reads():
    """Each line is one corridors excerpt: its body exactly as the corpus reader gives it (front
    matter left out), every gold span cut from that text, each place named by a gazetteer id or a
    point."""
    from geo.gazetteer import get_gazetteer

    gz = get_gazetteer()
    bodies = {}
    for f in sorted(CORRIDORS.glob("[0-9][0-9][0-9]-*.md")):
        art = read_article(f)
        bodies[art.meta.url] = art.text
    recs = [json.loads(line) for line in GOLD["en"].read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len(bodies) == 59 and {r["url"] for r in recs} == set(bodies)
    for rec in recs:
        assert rec["text"] == bodies[rec["url"]], rec["url"]
        ends = 0
        for g in rec["places"]:
            assert rec["text"][g["start"]:g["end"]] == g["surface"], (rec["url"], g)
            assert g["start"] >= ends, ("overlapping or unsorted gold", rec["url"], g)
            ends = g["end"]
            if "id" in g:
                assert gz.place(g["id"])["id"] == g["id"]
            else:
                assert -90 <= g["lat"] <= 90 and -180 <= g["lon"] <= 180
    assert len(load("en")) == 59


BROKEN = r"""
import json, sys
from geo import _rules as R
R.MIN_SCORE = 6.0   # set before the engines read the rules: fewer candidates pass
from geo.geoparser import Geoparser, default_geoparser
from tests.ru_ko import score
gz = default_geoparser().gz
engines = ["python"] + (["compiled"] if sys.argv[1] == "1" else [])
print(json.dumps({e: [score("en", Geoparser(gz, engine=e))[k] for k in ("P", "R")] for e in engines}))
"""


def test_the_floor_catches_a_broken_geoparser():
    """With a rule broken (the minimum score doubled), both engines fall under the floor: the floor
    is close enough to today's figures to notice."""
    from geo._native import COMPILED_MODULES, built

    compiled = all(built(n) for n in COMPILED_MODULES)
    env = dict(os.environ)
    env.pop("TUMEN_ATLAS_PURE_PYTHON", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    res = subprocess.run([sys.executable, "-c", BROKEN, "1" if compiled else "0"], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True)
    got = json.loads(res.stdout)
    assert set(got) == ({"python", "compiled"} if compiled else {"python"})
    for engine, (p, r) in got.items():
        assert p < EN_FLOOR[0] or r < EN_FLOOR[1], (engine, p, r)
