"""A growing working-day index answers as one built wide (``tthc_core.calendar._index``, issue 15).

The index grows a year at a time, forward and backward, from whichever query needs it; the
boundaries are the first and last day of a year (1 January is a working day in the weekday
calendar used here, so a day missed at a year's edge changes a count) and the index's limits,
where the error names the query that needed the year.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_core.calendar import CalendarRangeError, WorkingDayIndex
from tthc_core.errors import InvalidInput
from tthc_core.testing.strategies._time import SetCalendar

CALENDAR = SetCalendar()  # Monday-Friday: 1/1/2026 is a Thursday, a working day
WIDE = WorkingDayIndex(CALENDAR, 2020, 2030)


def grown() -> WorkingDayIndex:
    """Built for 2025 only, allowed to grow to 2020-2030."""
    return WorkingDayIndex(CALENDAR, 2025, 2025, limits=(2020, 2030))


def _rank_from_2025(index: WorkingDayIndex, day: dt.date) -> int:
    return index.rank(day) - index.rank(dt.date(2025, 1, 1))


EDGES = [
    dt.date(2020, 1, 1),
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
    dt.date(2026, 1, 2),
    dt.date(2030, 12, 31),
    dt.date(2031, 1, 1),
]


@pytest.mark.parametrize("day", EDGES, ids=str)
def test_a_rank_at_a_year_edge_needs_no_more_than_the_days_before_it(day: dt.date) -> None:
    """``rank(day)`` counts ``[anchor, day)``: 1/1/2031 needs only 2030, 1/1/2020 only 2020."""
    index = grown()
    assert _rank_from_2025(index, day) == _rank_from_2025(WIDE, day)


@pytest.mark.parametrize("day", EDGES[:-1], ids=str)
@pytest.mark.parametrize("n", [-300, -1, 0, 1, 2, 300])
def test_nth_working_day_across_year_edges_as_the_wide_index(day: dt.date, n: int) -> None:
    try:
        expected = WIDE.nth_working_day(day, n)
    except CalendarRangeError:
        return
    assert grown().nth_working_day(day, n) == expected


def test_the_working_day_at_a_rank_past_the_built_year() -> None:
    index = grown()
    for day in (dt.date(2026, 1, 1), dt.date(2024, 12, 31), dt.date(2020, 1, 1)):
        rank = index.rank(day)
        assert (
            WorkingDayIndex(CALENDAR, 2025, 2025, limits=(2020, 2030)).working_day_at(rank) == day
        )


def test_counts_between_dates_in_either_order_and_on_one_day() -> None:
    index = grown()
    start, end = dt.date(2024, 12, 30), dt.date(2026, 1, 2)
    expected = WIDE.working_days_count(start, end)
    assert index.working_days_count(start, end) == expected
    assert index.working_days_count(end, start) == expected
    assert index.working_days_count(end, end) == 1


def test_beyond_the_limits_the_error_names_the_query_and_the_year() -> None:
    index = grown()
    with pytest.raises(CalendarRangeError) as info:
        index.nth_working_day(dt.date(2030, 12, 30), 5)
    assert str(info.value.reason) == (
        "5 working days from 2030-12-30 needs the year 2031, outside the years 2020-2030 "
        "this working-day index may cover"
    )
    with pytest.raises(CalendarRangeError) as info:
        index.nth_working_day(dt.date(2020, 1, 2), -5)
    assert info.value.reason.startswith("-5 working days from 2020-01-02 needs the year 2019,")
    rank = WIDE.rank(dt.date(2030, 12, 31)) - WIDE.rank(dt.date(2025, 1, 1)) + 1
    with pytest.raises(CalendarRangeError) as info:
        index.working_day_at(rank)
    assert info.value.reason == (
        f"working day number {rank} needs the year 2031, outside the years 2020-2030 this "
        "working-day index may cover"
    )
    with pytest.raises(CalendarRangeError) as info:
        index.is_working_day(dt.date(2031, 1, 1))
    assert info.value.reason.startswith("2031-01-01 needs the year 2031,")


def test_limits_stop_a_year_short_of_the_dates_python_can_hold() -> None:
    """The index may look one year past its limits, so 1 and 9999 are not allowed."""
    for limits in ((2020, 9999), (1, 2030)):
        with pytest.raises(InvalidInput) as info:
            WorkingDayIndex(CALENDAR, 2025, 2025, limits=limits)
        assert info.value.reason == (
            f"cannot index years 2025-2025 within limits {limits[0]}-{limits[1]}: "
            "expected 2 <= limit <= first <= last <= limit <= 9998"
        )
    assert WorkingDayIndex(CALENDAR, 2025, 2025, limits=(2, 9998)).limits == (2, 9998)


def test_the_index_describes_its_years_limits_and_anchor() -> None:
    index = grown()
    index.rank(dt.date(2027, 3, 1))
    assert repr(index) == (
        f"<WorkingDayIndex over {CALENDAR!r}: years 2025-2027 of 2020-2030, ranks from 2025-01-01>"
    )


def test_the_last_day_of_the_index_may_be_a_day_off() -> None:
    """31/12/2028 is a Sunday: after the index's last working day, inside its last year."""
    index = WorkingDayIndex(CALENDAR, 2028, 2028)
    assert index.locate(dt.date(2028, 12, 31)) == (index.rank(dt.date(2028, 12, 31)), False)
    assert not index.is_working_day(dt.date(2028, 12, 30))


def test_a_year_without_working_days_is_passed_forward_not_backward() -> None:
    """Rank 0 and "the first working day on or after" lie after an empty year, never before."""
    closed = SetCalendar(
        days_off=frozenset(
            dt.date(2025, 1, 1) + dt.timedelta(days=i)
            for i in range(365)
            if (dt.date(2025, 1, 1) + dt.timedelta(days=i)).weekday() < 5
        )
    )
    index = WorkingDayIndex(closed, 2025, 2025, limits=(2025, 2026))
    assert index.working_day_at(0) == dt.date(2026, 1, 1)
    again = WorkingDayIndex(closed, 2025, 2025, limits=(2025, 2026))
    assert again.nth_working_day(dt.date(2025, 6, 2), 0) == dt.date(2026, 1, 1)
