"""Each geoparser rule is a number of geo/_rules.py, read by the geoparser's one source
(geo/_engine.py), and each is tested: changed, it changes what the geoparser finds."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import _kernels
from geo import _rules as R
from geo import geoparser as G

from .compiled import require_compiled

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "geo" / "_engine.py"
RULES = sorted(n for n in dir(R) if n.isupper())


def _engine_tree() -> ast.Module:
    return ast.parse(ENGINE.read_text(encoding="utf-8"))


#: The focus rules are read by geo/_focus.py, the one step after resolution that Geoparser.parse runs
#: on either engine's result.
FOCUS = ROOT / "geo" / "_focus.py"


@pytest.mark.parametrize("name", RULES)
def test_every_rule_is_read_by_the_engine(name):
    source = FOCUS if name.startswith("FOCUS_") else ENGINE
    used = {n.attr for n in ast.walk(ast.parse(source.read_text(encoding="utf-8"))) if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name) and n.value.id == "R"}
    assert name in used, f"geo/{source.name} does not read R.{name}"


def _function_sources() -> dict[str, ast.AST]:
    return {n.name: n for n in ast.walk(_engine_tree()) if isinstance(n, ast.FunctionDef)}


#: The functions that score senses, and the numbers they may write: indices and array layouts
#: (a candidate is four numbers, a group key packs the hint and the capitals in its low bits), the
#: haversine's halves and two, the three decimals of a score.
SCORING = ("_base_score", "_best", "_pass", "_resolve", "shares", "less", "_make_key_data")
ALLOWED = {0, 1, 2, 3, 4, 8, 0.0, 1.0}


def test_scoring_writes_no_weight_of_its_own():
    fns = _function_sources()
    for name in SCORING:
        nums = {n.value for n in ast.walk(fns[name]) if isinstance(n, ast.Constant)
                and type(n.value) in (int, float)}
        assert nums <= ALLOWED, f"{name}: {sorted(nums - ALLOWED)}"


def test_the_engine_writes_no_weight_or_threshold_anywhere():
    """Outside the scoring, the numbers the engine writes are offsets and lengths of words it reads
    ("the port of", "trans-", a 40-character word), not weights: no fraction, nothing of a population's size."""
    nums = {n.value for n in ast.walk(_engine_tree()) if isinstance(n, ast.Constant) and type(n.value) in (int, float)}
    assert all(float(x).is_integer() and abs(x) < 200 for x in nums), sorted(nums)


def test_the_context_weights_add_up_exactly_by_group():
    """The engine adds a group's context at once (count times the weight), not mention by mention:
    the same sum only while the weights are exact binary fractions (multiples of a half here)."""
    for w in (R.CONTEXT_NAMED, R.CONTEXT_INDIRECT):
        assert (w * 2).is_integer()
        assert sum([w] * 7) == 7 * w


# ------------------------------------------------------------------ each rule, changed

#: Texts that exercise the rules (written for these tests: phrases, not article text), and the
#: embedded articles.
PROBES = [
    "Officials in Scott County, Indiana met. Paris, Texas and Athens, Georgia sent aid; Moscow said no.",
    "The Tumen River flows past Rajin and Khasan; Vladivostok and Nakhodka ship coal to Pohang.",
    "COLUMBUS, Ohio (AP) — Springfield and Portland police met in Dublin. Lincoln said so. Welch went home.",
    "Hassan visited Cairo and Alexandria. Kim Jong Un met Putin in Vostochny. Jordan Peterson spoke.",
    "Kherson, Odesa and Mykolaiv were shelled. The Russians fired on Zaporizhzhia from Crimea.",
    "Mobile, Alabama and Reading, Pennsylvania. Bath is in Somerset; the Centre is in Paris.",
    "Thomas and Hailey went to Boise. Suffolk County, New York; Henry County, Georgia; Licking County.",
    "THE PORT OF RAJIN IS OPEN. Officials at KBR and NICE met in London, Ontario and Hamilton, Ontario.",
    "Stalin sent troops. Donetsk and Luhansk. New York, Albany and Buffalo. Tiraspol and Chisinau.",
    "The port of Vostochny, the Amur River and Sakhalin island; the city of Rason and Primorsky Krai.",
    "Washington and Beijing; Tokyo, Osaka and Nagoya; Seoul, Busan and Ulsan; Harbin and Hunchun.",
    "Georgia's Tbilisi and Batumi; Athens police in Clarke County; Gainesville in Hall County.",
    "Portland, Maine and Salem, Massachusetts; Salem, Oregon; Springfield, Illinois; Columbia, Missouri.",
    "Victoria, British Columbia and Victoria, Texas; Sydney, Nova Scotia; Perth, Ontario; Perth.",
    # a far town's name one letter from a place near the document's focus (geo/_focus.py)
    "Coal from Kasan went to Rajin, Sonbong, Tumangang and Vladivostok.",
]


def _probe_texts() -> list[str]:
    """The phrases above, the embedded articles and the real excerpts of tests/data/corridors and
    tests/data/focus."""
    from geo.corpus import load_corpus

    real = sorted((ROOT / "tests" / "data" / "corridors").glob("*.md")) + sorted((ROOT / "tests" / "data" / "focus").glob("*.md"))
    return PROBES + [a.text for a in load_corpus()] + [p.read_text(encoding="utf-8") for p in real]


def _found_with(patch: dict) -> list:
    """What an interpreted engine made and run with ``geo._rules`` changed by ``patch`` finds in the
    probes (the rules restored after)."""
    saved = {k: getattr(R, k) for k in patch}
    spec = importlib.util.spec_from_file_location("geo._engine_probe", ENGINE)
    try:
        for k, v in patch.items():
            setattr(R, k, v)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        gp = G.Geoparser(G.default_geoparser().gz, engine="python")
        gp._engine = module.Engine(gp.gz, _kernels)
        gp._source = module
        return [gp.parse(t) for t in _probe_texts()]
    finally:
        for k, v in saved.items():
            setattr(R, k, v)
        sys.modules.pop(spec.name, None)


def _changed(name: str):
    """A value of rule ``name`` far enough from its own to change an outcome on the probes."""
    v = getattr(R, name)
    special = {
        "MIN_SCORE": 6.0, "MAX_NAMESAKES": 0, "CAPITALS_SHARE": 0.05, "CAPITALS_LINE_CHARS": 1,
        "WORLD_CITY_POP": 10**9, "PERSON_NAME_POP": 0, "ORG_NAME_WORDS": 1, "US_DOCUMENT_SHARE": 1.0, "NEAR_KM": 0.0, "SELF_KM": 10**5,
        "EARTH_RADIUS_KM": 0.001, "SMALL_TOWN_POP": 0, "CURATED_RESPELLING": 0.0,
        # the focus step (geo/_focus.py): no focus, nothing far, nothing questioned, no list read
        "FOCUS_MIN_PLACES": 1000, "FOCUS_RADIUS_KM": 1.0, "FOCUS_MIN_SHARE": 1.01, "FOCUS_FAR_KM": 1e6,
        "FOCUS_FIRM_SCORE": 0.0, "FOCUS_MIN_LETTERS": 100, "FOCUS_WEAK_SCORE": 0.0, "FOCUS_VESSEL_TOKENS": 0,
        "FOCUS_VESSEL_WINDOW": 0, "FOCUS_VESSEL_CLAUSE_CHARS": 0,
        # penalties turned into rewards
        "STATE_NAME_TOWN": -20.0, "UNNAMED_COUNTRY_TOWN": -20.0, "UNNAMED_COUNTRY_PROVINCE": -20.0,
    }
    if name in special:
        return special[name]
    return v + 4.0 if isinstance(v, float) else v * 10


@pytest.fixture(scope="module")
def baseline():
    return _found_with({})


@pytest.mark.parametrize("name", RULES)
def test_each_rule_changes_what_is_found(name, baseline):
    assert _found_with({name: _changed(name)}) != baseline, f"R.{name} changed to {_changed(name)} changes nothing"


PROBE = r"""
import json, sys
from geo import _rules as R
for k, v in json.loads(sys.argv[1]).items():
    setattr(R, k, v)
from geo.geoparser import Geoparser, default_geoparser
gz = default_geoparser().gz
texts = ["Officials in Scott County, Indiana met. Paris, Texas and Athens, Georgia sent aid; Moscow said no.",
         "The Tumen River flows past Rajin and Khasan; Vladivostok and Nakhodka ship coal to Pohang."]
print(json.dumps({e: [Geoparser(gz, engine=e).parse(t) for t in texts] for e in ("compiled", "python")}))
"""


def _probe(patch: dict) -> dict:
    env = dict(os.environ)
    env.pop("TUMEN_ATLAS_PURE_PYTHON", None)
    res = subprocess.run([sys.executable, "-c", PROBE, json.dumps(patch)], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True)
    return json.loads(res.stdout)


def test_a_changed_rule_changes_the_compiled_engine_as_the_interpreted_one():
    require_compiled()
    base = _probe({})
    changed = _probe({"APPOSITION_BONUS": 0.0, "NEAR_BONUS": 4.0, "SHARE_WEIGHT": 0.5, "BASE_CURATED": 2.0})
    assert base["compiled"] == base["python"]
    assert changed["compiled"] == changed["python"]
    assert changed["compiled"] != base["compiled"]  # the rules are really read, by both
