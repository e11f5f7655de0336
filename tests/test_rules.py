"""Each geoparser rule is defined once (geo/_rules.py) and read by both the reference code and the
compiled core."""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo import _rules as R
from geo import geoparser as G

from .compiled import speedups

ROOT = Path(__file__).resolve().parents[1]
RULES = [n for n in dir(R) if n.isupper()]
PYX = (ROOT / "geo" / "_speedups.pyx").read_text(encoding="utf-8")


def _compiled_best() -> str:
    return PYX[PYX.index("cdef void _best("):PYX.index("    def parse(self, str text")]


#: The focus rules are read by geo/_focus.py, the one step after resolution that Geoparser.parse runs
#: on either engine's result (both engines share it, so neither defines it again).
FOCUS = (ROOT / "geo" / "_focus.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", RULES)
def test_every_rule_is_read_by_both_geoparsers(name):
    if name.startswith("FOCUS_"):
        assert re.search(rf"\bR\.{name}\b", FOCUS), f"_focus.py does not use {name}"
        assert "refocus(" in inspect.getsource(G.Geoparser.parse), "Geoparser.parse does not run the focus step"
        return
    py = inspect.getsource(G)
    assert re.search(rf"\bR\.{name}\b|\b{name}\b", py), f"geoparser.py does not use {name}"
    assert re.search(rf"\b{name}\b", PYX), f"_speedups.pyx does not use {name}"


def test_resolution_writes_no_weight_of_its_own():
    """The scoring of senses holds no numeric literal but 0, 1, 2 (the haversine) and 3 (rounding)."""
    allowed = {"0", "1", "2", "3", "0.0", "1.0"}
    for name, src in (("geoparser.py", inspect.getsource(G.Geoparser._best)), ("_speedups.pyx", _compiled_best())):
        code = "\n".join(line.split("#")[0] for line in src.splitlines())
        code = re.sub(r'"[^"]*"', '""', code)
        code = re.sub(r"\[:\d+\]", "[:]", code)  # a tuple's fields unpacked by position
        nums = set(re.findall(r"(?<![\w.])\d[\d_]*(?:\.\d+)?(?![\w.])", code))
        assert nums <= allowed, f"{name}: {sorted(nums - allowed)}"


PROBE = r"""
import json, sys
from geo import _rules as R
for k, v in json.loads(sys.argv[1]).items():
    setattr(R, k, v)
from geo.geoparser import Geoparser, default_geoparser
gp = default_geoparser()
texts = ["Officials in Scott County, Indiana met. Paris, Texas and Athens, Georgia sent aid; Moscow said no.",
         "The Tumen River flows past Rajin and Khasan; Vladivostok and Nakhodka ship coal to Pohang."]
out = {}
for mode in ("compiled", "reference"):
    if mode == "reference":
        gp._core = None
    out[mode] = [gp.parse(t) for t in texts]
print(json.dumps(out))
"""


def _probe(patch: dict) -> dict:
    env = dict(os.environ)
    env.pop("TUMEN_ATLAS_PURE_PYTHON", None)
    res = subprocess.run([sys.executable, "-c", PROBE, json.dumps(patch)], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True)
    return json.loads(res.stdout)


def test_a_changed_rule_changes_both_geoparsers_alike():
    speedups()
    base = _probe({})
    changed = _probe({"APPOSITION_BONUS": 0.0, "NEAR_BONUS": 4.0, "SHARE_WEIGHT": 0.5})
    assert base["compiled"] == base["reference"]
    assert changed["compiled"] == changed["reference"]
    assert changed["compiled"] != base["compiled"]  # the rules are really read, by both
