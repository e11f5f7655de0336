"""One table of as-of cases that the Python rule (geo/timeline.py published_by) and the page's
(TumenAtlas.publishedBy in layers/static/js/core.js) are both run through (tests/test_timeline.py,
tests/test_browser.py): ``(date, as_of, counts)``, a date of None or "" being undated and an as-of of
None or "" the whole record."""

AS_OF_CASES = [
    # month against month
    ("2014-05", "2014-06", True), ("2014-05", "2014-05", True), ("2014-05", "2014-04", False),
    # a year-only date counts by its year, never guessed into a month or a day
    ("2015", "2015-06", True), ("2015", "2015-01", True), ("2015", "2014-12", False),
    ("2015", "2015-01-01", True), ("2015", "2015-12-31", True), ("2015", "2014-12-31", False),
    ("2015", "2015", True), ("2015", "2016", True), ("2015", "2014", False),
    # a day as of a month or a year: compared at the as-of date's precision
    ("2014-11-26", "2014-11", True), ("2014-11-26", "2014-10", False), ("2017-06-23", "2017", True),
    ("2017-06-23", "2016", False), ("2014-11-26", "2014-11-26", True), ("2014-11-26", "2014-11-25", False),
    ("2014-11", "2014-11-01", True), ("2014-12", "2014-11-30", False),
    # undated: in no as-of view
    (None, "2030", False), ("", "2030", False), (None, "2015-06-01", False),
    # no as-of date: the whole record, undated things too
    ("2015", "", True), ("2017-06-23", None, True), (None, "", True), ("", None, True),
]

#: The same rule changed (compared at the finer precision, a day is not a precision of its own,
#: undated things count, nothing counts without a date): both sides must follow it alike.
VARIANT_RULE = {
    "precisions": [["year", 4], ["month", 7]],
    "compare_at": "finer",
    "undated": True,
    "no_as_of": False,
}
