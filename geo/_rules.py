"""The geoparser's numeric rules, defined once.

The geoparser's one source (:mod:`geo._engine`, compiled or interpreted) reads these and writes no
weight or threshold of its own (``tests/test_rules.py`` reads its code for numbers and changes
each of these to see the results move). Its word lists are defined there. Results cached by the
geoparser are keyed on this module's code (``geo/_cache.py``), so no result computed with older
rules is reused.
"""

from __future__ import annotations

#: Below this score a candidate is not a mention.
MIN_SCORE = 3.0
#: Names with more senses than this lend no nearness support to their namesakes.
MAX_NAMESAKES = 20

# --- guards
#: A name in capitals is a word in capitals, not a place, unless the line around it is mostly
#: capitals (a headline, a wire dateline): the share of upper-case letters that says so.
CAPITALS_SHARE = 0.6
#: A place this populous is the prominent sense of its name: "Moscow said" is the government,
#: and a town this large in a country the document never names still needs no more than its name.
WORLD_CITY_POP = 1_000_000
#: How far (characters) either side of an all-capitals name its line is read for :data:`CAPITALS_SHARE`.
CAPITALS_LINE_CHARS = 160
#: A place smaller than this whose name a person's verb follows ("Welch went") or whose name
#: starts a person's ("Kim Jong Un") is the person's name.
PERSON_NAME_POP = 200_000
#: A name followed by capitalised words that reach an organisation's word ("Korea Railroad
#: Corporation") within this many words is part of the organisation's name.
ORG_NAME_WORDS = 3

# --- document context
#: What one mention adds to its country's share of the document.
CONTEXT_NAMED = 1.0
#: What a place's other countries (a border river) and a demonym ("Russian") add.
CONTEXT_INDIRECT = 0.5
#: A document whose country context is more than this share the United States' is a US document.
US_DOCUMENT_SHARE = 0.3

# --- a sense's score before context
#: A curated place's (the region's own: Rajin, Khasan, the Tumen).
BASE_CURATED = 5.5
#: A country's.
BASE_COUNTRY = 6.0
#: A continent's.
BASE_CONTINENT = 5.0
#: A province's or region's (a first-level subdivision).
BASE_SUBDIV = 4.0
#: A US state's or county's, or a curated world region's.
BASE_ADMIN = 4.0
#: Times log10 of a county's ZIP codes: among namesake counties the larger is likelier.
ZIP_CODES_WEIGHT = 0.25
#: Added to a curated world region (not a US state or county): the prominent sense of its name.
WORLD_REGION_BONUS = 1.0
#: Times log10 of a town's population.
POPULATION_WEIGHT = 0.8
#: Added to a town of :data:`WORLD_CITY_POP` or more ("London").
WORLD_CITY_BONUS = 1.0
#: Below this population a town or province named like a common word ("Centre", "Bath") is the word first.
SMALL_TOWN_POP = 100_000
#: Taken off a province or small town whose name is a common English word.
COMMON_WORD_PENALTY = 3.0
#: Taken off a small town named like a person ("Thomas", "Hailey").
PERSON_NAMED_TOWN = 2.0
#: Taken off a town found by one of its other names.
ALTERNATE_NAME = 1.0
#: ... and more when that other name is a US state's own ("New York").
STATE_NAME_TOWN = 2.0

# --- resolution: what each piece of evidence adds to a sense's score
#: Taken off a curated place's score when the name is a respelling made by rule (geo/_variants.py:
#: "Hassan", "Khassan" for Khasan), not an attested name: below MIN_SCORE unless the document's
#: countries or places support it ("Hassan el Bushra" in a report from Egypt is a person).
CURATED_RESPELLING = 3.0
#: Times the document's share of the sense's country.
SHARE_WEIGHT = 2.0
#: A town in a country the document never names (another name of a town elsewhere, a namesake).
UNNAMED_COUNTRY_TOWN = 2.0
#: ... when the name is the town's own but it is smaller than :data:`WORLD_CITY_POP`.
UNNAMED_COUNTRY_OWN_NAME = 1.5
#: A province of a country the document never names.
UNNAMED_COUNTRY_PROVINCE = 1.5
#: A US town or state in a US document.
US_LOCAL = 1.0
#: A town or county in a state the document names.
STATE_NAMED = 2.5
#: "Near" is closer than this to a place the document places confidently (great-circle km) ...
NEAR_KM = 150.0
#: ... and farther than this (the place itself).
SELF_KM = 1.0
#: A town near a place the document places confidently, or near a sense of another name of it.
NEAR_BONUS = 1.5
#: The next word names the sense's kind ("Rajin port", "Amur River").
KIND_HINT_BONUS = 1.5
#: "Name, State": an apposition says where the name is.
APPOSITION_BONUS = 3.0
#: The earth's mean radius (km), for great-circle distances.
EARTH_RADIUS_KM = 6371.0

# --- the document's focus (geo/_focus.py, after resolution, both engines)
#: A document's focus needs at least this many point places (towns, ports, stations).
FOCUS_MIN_PLACES = 3
#: The focus's radius (great-circle km): its region, where a place one edit from a far mention's name is sought.
FOCUS_RADIUS_KM = 800.0
#: ... and the share of the point places that must lie within it, or the document has no focus.
FOCUS_MIN_SHARE = 0.6
#: A mention placed farther than this from the focus (km) is far: weighed against the focus.
FOCUS_FAR_KM = 1500.0
#: A far place named by its own name with at least this score is not questioned ("Moscow").
FOCUS_FIRM_SCORE = 6.5
#: Names shorter than this (letters) are never taken for a misspelling of a near place.
FOCUS_MIN_LETTERS = 5
#: A far place with nothing near spelt like it, named by another of its names, in a country the
#: document names nowhere else, is dropped below this score ("Angara" for Ankara).
FOCUS_WEAK_SCORE = 5.5
#: A ship's name in a list is read back to its list's vessel word over at most this many tokens ...
FOCUS_VESSEL_TOKENS = 24
#: ... and the vessel word stands within this many characters before it.
FOCUS_VESSEL_WINDOW = 240
#: A clause between a plural vessel word and a list introduced by a word of its own ("vessels in
#: which Gudzon has an interest, which include ...") is at most this many characters long.
FOCUS_VESSEL_CLAUSE_CHARS = 80
