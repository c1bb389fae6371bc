"""The index agrees with ``holidays``' own ``get_nth_working_day``; the override table.

The reference is a separate ``holidays.country_holidays("VN")`` object and its
real ``get_nth_working_day`` (a day-by-day walk). CI checks every start date of
2020-2035 with a deterministic sample of ``n``; the full check of every
``n`` in 1..60 (350,640 pairs, about 20 s) runs with the nightly profile
(``HYPOTHESIS_PROFILE=nightly``) or ``TTHC_FULL_CALENDAR=1``.
"""

from __future__ import annotations

import datetime as dt
import os

import holidays
import pytest

from tthc_adapters.calendar import (
    DayOverride,
    HolidaysCalendar,
    default_deadlines,
    default_index,
    parse_override_table,
)
from tthc_core.calendar import VN_TZ, Duration, WorkingDayIndex
from tthc_core.errors import InvalidInput

D = dt.date
FIRST, LAST = D(2020, 1, 1), D(2035, 12, 31)
START_DATES = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
FULL = os.environ.get("HYPOTHESIS_PROFILE") == "nightly" or os.environ.get("TTHC_FULL_CALENDAR")


@pytest.fixture(scope="module")
def reference() -> holidays.HolidayBase:
    return holidays.country_holidays("VN")


def _sample(day: dt.date) -> tuple[int, ...]:
    """Six ``n`` per start date: the ends of 1..60, two spread by the date, 0 and one negative."""
    o = day.toordinal()
    return (1, 60, 1 + (o * 7) % 60, 1 + (o * 31 + 17) % 60, 0, -1 - (o * 13) % 60)


def test_every_start_date_2020_2035_agrees_on_a_sample_of_n(
    reference: holidays.HolidayBase,
) -> None:
    index = default_index()
    mismatches = [
        (day, n)
        for day in START_DATES
        for n in _sample(day)
        if index.nth_working_day(day, n) != reference.get_nth_working_day(day, n)
    ]
    assert mismatches == []


@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="the full 350,640-pair check runs nightly")
def test_every_start_date_2020_2035_and_every_n_1_to_60_agree(
    reference: holidays.HolidayBase,
) -> None:
    assert len(START_DATES) * 60 == 350_640
    index = default_index()
    mismatches = [
        (day, n)
        for day in START_DATES
        for n in range(1, 61)
        if index.nth_working_day(day, n) != reference.get_nth_working_day(day, n)
    ]
    assert mismatches == []


def test_working_days_count_agrees(reference: holidays.HolidayBase) -> None:
    index = default_index()
    for start in START_DATES[::97]:
        for end in (start, start + dt.timedelta(days=45), start - dt.timedelta(days=20)):
            assert index.working_days_count(start, end) == reference.get_working_days_count(
                start, end
            )


# The override table: decisions after the installed ``holidays`` release (the
# Prime Minister fixes Tết and the day next to 2/9 each year, Labour Code 2019
# Art. 112(3)) and a province's own swaps win over ``holidays``.


def test_overrides_win_over_holidays() -> None:
    calendar = HolidaysCalendar({D(2025, 5, 2): True, D(2025, 4, 26): False, D(2025, 3, 4): False})
    assert calendar.is_working_day(D(2025, 5, 2))  # the swapped Friday, reopened
    assert not calendar.is_working_day(D(2025, 4, 26))  # the swapped Saturday, closed
    assert not calendar.is_working_day(D(2025, 3, 4))  # an ordinary Tuesday, closed
    assert calendar.is_working_day(D(2025, 3, 5))  # untouched days follow holidays
    assert not calendar.is_working_day(D(2025, 4, 30))


def test_override_rows_carry_their_basis() -> None:
    rows = parse_override_table(
        """
        # date, working|off, basis
        2026-01-02, off, Quyết định của Thủ tướng (giả định cho kiểm thử)
        2026-01-10, làm việc, Làm bù cho ngày 02/01/2026
        """
    )
    assert rows == [
        DayOverride(D(2026, 1, 2), False, "Quyết định của Thủ tướng (giả định cho kiểm thử)"),
        DayOverride(D(2026, 1, 10), True, "Làm bù cho ngày 02/01/2026"),
    ]
    calendar = HolidaysCalendar(rows)
    assert not calendar.is_working_day(D(2026, 1, 2))
    assert calendar.is_working_day(D(2026, 1, 10))  # a Saturday
    assert calendar.holiday_name(D(2026, 1, 2)) == rows[0].basis
    assert calendar.holiday_name(D(2026, 1, 10)) is None
    assert calendar.holiday_name(D(2026, 1, 1)) == "Tết Dương lịch"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("2026-13-01, off", "line 1: '2026-13-01' is not a date"),
        ("\n2026-01-02", "line 2: expected 'working' or 'off'"),
        ("2026-01-02, maybe", "line 1: expected 'working' or 'off', got 'maybe'"),
    ],
)
def test_bad_override_lines_are_named(table: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_override_table(table)


def test_contradicting_overrides_are_refused() -> None:
    with pytest.raises(InvalidInput, match="both working and off for 2026-01-02"):
        HolidaysCalendar([DayOverride(D(2026, 1, 2), False), DayOverride(D(2026, 1, 2), True)])


def test_overrides_move_deadlines() -> None:
    """Closing Monday 3/3/2025 by local decision moves a 1-working-day deadline to Wednesday."""
    start = dt.datetime(2025, 2, 28, 10, tzinfo=VN_TZ)  # Friday
    plain = default_deadlines()
    local = default_deadlines(overrides={D(2025, 3, 3): False})
    assert plain.due(start, Duration.working_days(1)) == dt.datetime(2025, 3, 3, 10, tzinfo=VN_TZ)
    assert local.due(start, Duration.working_days(1)) == dt.datetime(2025, 3, 4, 10, tzinfo=VN_TZ)
    assert plain.index is default_index()
    assert local.index is not default_index()


def test_an_index_over_overrides_matches_holidays_with_the_same_changes() -> None:
    """The reference: a ``holidays`` object with the same days added and swapped."""
    reference = holidays.country_holidays("VN")
    reference.update({D(2025, 3, 3): "local day off"})
    reference.weekend_workdays.add(D(2025, 3, 8))
    overrides = {D(2025, 3, 3): False, D(2025, 3, 8): True}
    index = WorkingDayIndex(HolidaysCalendar(overrides), 2025, 2025)
    for day in (D(2025, 2, 20) + dt.timedelta(days=i) for i in range(30)):
        for n in (-7, -1, 0, 1, 3, 10):
            assert index.nth_working_day(day, n) == reference.get_nth_working_day(day, n)
