"""What was known when: article dates with their precision, and views of the corpus as of a date.

An article's date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (its precision: year, month, day), or
unknown. An article counts *as of* a date when it was published by then, compared at the coarser of
the two precisions: a year-only date is taken by its year, never guessed into a month, so an article
of "2015" counts as of 2015-06 (and of 2015-01). An undated article counts in no as-of view.
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


def published_by(date: str | None, as_of: str) -> bool:
    """Whether an article of ``date`` (None: unknown) counts as of ``as_of``."""
    if not date:
        return False
    n = min(len(date), len(as_of))
    return date[:n] <= as_of[:n]


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
