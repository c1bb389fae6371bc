"""Boundaries of Deadlines the other calendar tests leave implicit.

- Civil Code 2015 Art. 147(2), 148(1): a period of 0 days ends at 24:00 of the event's
  own day (nothing is counted after it).
- Working hours and same-day limits are not counted in days; calendar days and same-day
  limits are not an amount of office time: each refusal says which method to use.
- ``coordinate``/``instant_at`` are inverse inside office hours (docs/calendar.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.errors import InvalidInput

MONDAY = dt.date(2026, 3, 9)


def test_a_period_of_zero_days_ends_with_the_event_day() -> None:
    deadlines = default_deadlines()
    midnight = dt.datetime(2026, 3, 10, tzinfo=VN_TZ)
    assert deadlines.due_by_days(MONDAY, Duration.calendar_days(0)) == midnight
    assert deadlines.due_by_days(MONDAY, Duration.working_days(0)) == midnight


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (Duration.working_hours(8), r"^working hours are not counted in days; use due$"),
        (Duration.same_day(), r"^same-day is not counted in days; use due$"),
    ],
)
def test_days_count_refuses_time_of_day_limits_naming_the_method(
    duration: Duration, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        default_deadlines().due_by_days(MONDAY, duration)


def test_days_count_refuses_a_datetime_naming_the_method() -> None:
    instant = dt.datetime(2026, 3, 9, 9, tzinfo=VN_TZ)
    with pytest.raises(InvalidInput, match=r"use due\(start, duration\) for an instant$"):
        default_deadlines().due_by_days(instant, Duration.calendar_days(1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (Duration.same_day(), r"^a same-day limit is not an amount of working time; use due$"),
        (Duration.calendar_days(3), r"^calendar days are not working time; use due_by_days$"),
    ],
)
def test_office_minutes_refuse_day_limits_naming_the_method(
    duration: Duration, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        default_deadlines().minutes_of(duration)


@pytest.mark.parametrize("minute", [1, 90, 239])
def test_an_instant_inside_office_hours_round_trips_through_its_coordinate(minute: int) -> None:
    deadlines = default_deadlines()
    opening = dt.datetime.combine(MONDAY, deadlines.hours.opens, tzinfo=VN_TZ)
    instant = opening + dt.timedelta(minutes=minute)
    assert deadlines.instant_at(deadlines.coordinate(instant)) == instant
