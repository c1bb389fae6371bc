"""The working-day index at its edges, and office-hours validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.calendar import (
    VN_TZ,
    CalendarRangeError,
    Deadlines,
    OfficeHours,
    WorkingDayIndex,
)
from tthc_core.errors import InvalidInput
from tthc_core.testing.strategies import office_hours
from tthc_core.testing.strategies._time import SetCalendar

D = dt.date
WEEKDAYS = SetCalendar()  # Monday-Friday, no holidays


def test_a_fixed_index_answers_up_to_its_last_day_and_refuses_beyond() -> None:
    index = WorkingDayIndex(WEEKDAYS, 2026, 2026)
    assert index.working_days_count(D(2026, 12, 1), D(2026, 12, 31)) == 23
    assert index.nth_working_day(D(2026, 12, 30), 1) == D(2026, 12, 31)
    with pytest.raises(CalendarRangeError, match="2027"):
        index.nth_working_day(D(2026, 12, 31), 1)
    with pytest.raises(CalendarRangeError, match="2025"):
        index.nth_working_day(D(2026, 1, 1), -1)
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        index.is_working_day(D(2027, 1, 1))
    assert (index.first_year, index.last_year, index.limits) == (2026, 2026, (2026, 2026))


def test_a_growing_index_keeps_its_ranks() -> None:
    index = WorkingDayIndex(WEEKDAYS, 2026, 2026, limits=(2020, 2030))
    monday = D(2026, 3, 2)
    before = index.rank(monday)
    assert index.rank(D(2021, 1, 4)) < 0  # grows back to 2021
    assert index.nth_working_day(D(2029, 12, 31), 1) == D(2030, 1, 1)  # and on to 2030
    assert index.rank(monday) == before
    assert index.working_day_at(before) == monday
    assert (index.first_year, index.last_year) == (2021, 2030)
    with pytest.raises(CalendarRangeError, match="2031, outside the years 2020-2030"):
        index.nth_working_day(D(2030, 12, 31), 1)


@pytest.mark.parametrize(
    ("first", "last", "limits"),
    [(2027, 2026, None), (2026, 2026, (2027, 2030)), (2026, 2031, (2020, 2030)), (1, 2, None)],
)
def test_impossible_spans_are_refused(
    first: int, last: int, limits: tuple[int, int] | None
) -> None:
    with pytest.raises(InvalidInput, match="cannot index years"):
        WorkingDayIndex(WEEKDAYS, first, last, limits=limits)


def test_the_first_coordinate_of_a_fixed_index_is_its_first_opening() -> None:
    """No working day before the index: coordinate 0 is read as the first opening, not a closing."""
    deadlines = Deadlines(WorkingDayIndex(WEEKDAYS, 2026, 2026))
    assert deadlines.instant_at(0) == dt.datetime(2026, 1, 1, 7, 30, tzinfo=VN_TZ)
    assert deadlines.coordinate(deadlines.instant_at(0)) == 0


@given(office_hours(), st.integers(0, 24 * 60 - 1))
def test_offset_and_time_at_are_inverse_on_office_minutes(hours: OfficeHours, minute: int) -> None:
    t = dt.time(minute // 60, minute % 60)
    offset = hours.offset_of(t)
    assert 0 <= offset <= hours.minutes_per_day
    assert hours.offset_of(hours.time_at(offset)) == offset
    assert hours.time_at(offset) <= t or offset == 0


@pytest.mark.parametrize(
    ("intervals", "message"),
    [
        ((), "at least one"),
        (((dt.time(9), dt.time(8)),), "09:00-08:00 must end after it starts"),
        (((dt.time(8), dt.time(8)),), "must end after it starts"),
        (((dt.time(8), dt.time(12)), (dt.time(11), dt.time(17))), "overlaps or precedes"),
        (((dt.time(13), dt.time(17)), (dt.time(7), dt.time(11))), "overlaps or precedes"),
        (((dt.time(8, 0, 30), dt.time(12)),), "set to the minute"),
        (((dt.time(8, tzinfo=VN_TZ), dt.time(12, tzinfo=VN_TZ)),), "without a time zone"),
        ((("08:00", "12:00"),), "pair of times"),
    ],
)
def test_office_hours_validation(intervals: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        OfficeHours(intervals)  # type: ignore[arg-type]


def test_office_hours_parse_and_print() -> None:
    hours = OfficeHours.parse("7h30 - 11h30 và 13h30 – 17h00")
    assert hours == OfficeHours()
    assert str(hours) == "07:30-11:30, 13:30-17:00"
    assert OfficeHours.parse(str(hours)) == hours
    for bad in ("", "sáng 7h30", "25:00-26:00", "07:30-11:30, chiều"):
        with pytest.raises(InvalidInput):
            OfficeHours.parse(bad)


def test_time_at_refuses_offsets_outside_the_day() -> None:
    with pytest.raises(InvalidInput, match="exceeds the 450 office minutes"):
        OfficeHours().time_at(451)
    with pytest.raises(InvalidInput, match="must not be negative"):
        OfficeHours().time_at(-1)
