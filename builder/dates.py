"""Partial ISO 8601 dates (`2021-02-13`, `2021-07`, `2018`), kept as the strings curators wrote.

A date at month or year precision is a period; comparisons use its first or last day.
"""

from __future__ import annotations

import calendar
import datetime


def first_day(value: str) -> datetime.date:
    """The earliest day the partial date can mean."""
    parts = [int(part) for part in value.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    return datetime.date(year, month, day)


def last_day(value: str) -> datetime.date:
    """The latest day the partial date can mean."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    year = parts[0]
    month = parts[1] if len(parts) == 2 else 12
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def today() -> datetime.date:
    """Today in UTC, so that a check's verdict does not depend on the machine's time zone."""
    return datetime.datetime.now(datetime.UTC).date()
