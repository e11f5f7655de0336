"""What was known when: article dates with their precision, and views of the corpus as of a date.

An article's date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (its precision: year, month, day), or
unknown. An article counts *as of* a date when it was published by then, compared at the coarser of
the two precisions: a year-only date is taken by its year, never guessed into a month, so an article
of "2015" counts as of 2015-06 (and of 2015-01). An undated article counts in no as-of view.
The rule is data, :data:`AS_OF_RULE`, which the map page carries and reads too.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence, TypeVar

T = TypeVar("T")


def check_date(value: str, *, what: str = "date") -> str:
    """``value`` if it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real month and day;
    ``ValueError`` saying which part is wrong otherwise (``2014-13-45``, ``2015-02-30``)."""
    import datetime

    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError(f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    parts = [int(x) for x in value.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise ValueError(f"{what} {value!r} is not a real date: there is no month {parts[1]}")
    if len(parts) > 2:
        try:
            datetime.date(*parts)
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a real date: "
                             f"{datetime.date(parts[0], parts[1], 1):%B %Y} has no day {parts[2]}") from None
    return value


def parse_as_of(value: str) -> str:
    """``value`` checked as a real date of year, month or day precision (``ValueError`` otherwise)."""
    return check_date(value.strip(), what="--as-of")


#: The as-of rule, as data: the one declaration of it. :func:`published_by` and :func:`compare_dates`
#: here and ``TumenAtlas.publishedBy`` / ``TumenAtlas.compareDates`` in the page
#: (layers/static/js/core.js, which reads it from the page's ``as_of_rule``) interpret it alike.
#:
#: ``precisions``
#:     a date's possible precisions, coarsest first, each with the length of its text
#:     (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); a date is of the finest precision its text reaches.
#: ``compare_at``
#:     at which of the two precisions a date and the date it is compared with are compared, each cut
#:     to that precision's length and compared as text: ``"coarser"`` (a year-only date counts by its
#:     year, never guessed into a month: "2015" counts as of 2015-01) or ``"finer"`` (a coarser date
#:     stands for the start of its period: "2015" counts as of 2015-01, "2015-06" not as of 2015).
#: ``undated``
#:     whether something undated counts as of a date.
#: ``no_as_of``
#:     whether everything counts when there is no as-of date (an empty one: the whole record).
AS_OF_RULE: dict = {
    "precisions": [["year", 4], ["month", 7], ["day", 10]],
    "compare_at": "coarser",
    "undated": False,
    "no_as_of": True,
}


def _precision(date: str, precisions: list) -> int:
    """The index in ``precisions`` of the finest precision ``date``'s text reaches (0 at least)."""
    k = 0
    for i, (_, length) in enumerate(precisions):
        if len(date) >= length:
            k = i
    return k


def compare_dates(a: str, b: str, rule: dict | None = None) -> int:
    """-1, 0 or 1 as date ``a`` is before, at or after date ``b`` by the as-of ``rule``
    (default :data:`AS_OF_RULE`): both are cut to the length of the precision it compares them at.
    """
    rule = rule or AS_OF_RULE
    precisions = rule["precisions"]
    pa, pb = _precision(a, precisions), _precision(b, precisions)
    n = precisions[min(pa, pb) if rule["compare_at"] == "coarser" else max(pa, pb)][1]
    x, y = a[:n], b[:n]
    return (x > y) - (x < y)


def published_by(date: str | None, as_of: str | None, rule: dict | None = None) -> bool:
    """Whether something dated ``date`` (None or "": undated) counts as of ``as_of`` (None or "": the
    whole record), by the as-of ``rule`` (default :data:`AS_OF_RULE`)."""
    rule = rule or AS_OF_RULE
    if not as_of:
        return rule["no_as_of"]
    if not date:
        return rule["undated"]
    return compare_dates(date, as_of, rule) <= 0


def date_key(date: str | None) -> tuple:
    """A sort key putting dates in order (a year before its months, a month before its days) and
    undated last."""
    return (0, date) if date else (1, "")


def in_date_order(items: Iterable[T], date_of) -> list[T]:
    """``items`` sorted by ``date_of(item)`` (stable: items of one date keep their order)."""
    return sorted(items, key=lambda x: date_key(date_of(x)))


def articles_as_of(articles: Sequence, as_of: str | None) -> list:
    """The articles that count as of ``as_of`` (all of them when it is None)."""
    if as_of is None:
        return list(articles)
    return [a for a in articles if published_by(a.meta.date, as_of)]
