"""Partial dates are periods: a claim of `2022-08` was made some day in August 2022."""

from __future__ import annotations

import datetime

import pytest

from builder import dates


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2022", "2022-01-01", "2022-12-31"),
        ("2022-08", "2022-08-01", "2022-08-31"),
        ("2022-08-15", "2022-08-15", "2022-08-15"),
        ("2024-02", "2024-02-01", "2024-02-29"),  # a leap year's February
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2021-12-31", "2021-12-31", "2021-12-31"),
        ("2021-01-01", "2021-01-01", "2021-01-01"),
    ],
)
def test_first_and_last_day_at_every_precision(value: str, first: str, last: str) -> None:
    assert dates.first_day(value) == datetime.date.fromisoformat(first)
    assert dates.last_day(value) == datetime.date.fromisoformat(last)


def test_today_is_the_date_in_utc_whatever_the_machine_s_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 23:30 UTC on 1 January, a machine in Kiribati (UTC+14) is already on 2 January; a
    claim dated 2 January is still in the future, for every curator alike."""
    utc_now = datetime.datetime(2026, 1, 1, 23, 30, tzinfo=datetime.UTC)

    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> Clock:  # type: ignore[override]
            kiribati = datetime.timezone(datetime.timedelta(hours=14))
            moment = utc_now.astimezone(tz or kiribati)
            return cls.combine(moment.date(), moment.timetz())

    monkeypatch.setattr(dates.datetime, "datetime", Clock)
    assert dates.today() == datetime.date(2026, 1, 1)
