"""Deadline arithmetic at minute resolution: the edges, example by example.

Processing times in working days are counted from the receipt of a complete
dossier and the due time is printed to the minute on the receipt (Decree
61/2018/NĐ-CP Art. 19; Circular 01/2018/TT-VPCP Art. 9, Mẫu 01). Office hours
here are the default 07:30-11:30 and 13:30-17:00 (450 minutes a day).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, CalendarRangeError, Deadlines, Duration, OfficeHours
from tthc_core.errors import InvalidInput


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, *, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


@pytest.fixture(scope="module")
def deadlines() -> Deadlines:
    return default_deadlines()


def test_default_office_day_is_450_minutes(deadlines: Deadlines) -> None:
    assert deadlines.hours.minutes_per_day == 4 * 60 + 3 * 60 + 30


@pytest.mark.parametrize(
    ("start", "hours", "due", "why"),
    [
        (at(2025, 3, 3, 8), 2, at(2025, 3, 3, 10), "inside the morning"),
        (at(2025, 3, 3, 11), 1, at(2025, 3, 3, 14), "30 min before lunch, 30 after"),
        (at(2025, 3, 3, 12), 1, at(2025, 3, 3, 14, 30), "lunch break does not count"),
        (at(2025, 3, 3, 6), 4, at(2025, 3, 3, 11, 30), "before opening; ends on 11:30 exactly"),
        (at(2025, 3, 3, 11, 30), 1, at(2025, 3, 3, 14, 30), "start on the lunch boundary"),
        (at(2025, 3, 3, 13, 30), 1, at(2025, 3, 3, 14, 30), "start on the afternoon opening"),
        (at(2025, 3, 3, 17), 1, at(2025, 3, 4, 8, 30), "start on the closing minute"),
        (at(2025, 3, 3, 22), 1, at(2025, 3, 4, 8, 30), "start at night"),
        (at(2025, 3, 7, 16), 2, at(2025, 3, 10, 8, 30), "Friday afternoon to Monday"),
        (at(2025, 3, 8, 10), 1, at(2025, 3, 10, 8, 30), "start on a Saturday"),
        (at(2025, 1, 28, 9), 1, at(2025, 2, 3, 8, 30), "start during Tết 2025"),
    ],
)
def test_add_working_hours(
    deadlines: Deadlines, start: dt.datetime, hours: int, due: dt.datetime, why: str
) -> None:
    assert deadlines.add_working_hours(start, hours) == due, why


@pytest.mark.parametrize(
    ("start", "days", "due", "why"),
    [
        (at(2025, 3, 3, 10), 1, at(2025, 3, 4, 10), "one day is the same time next working day"),
        (at(2025, 3, 3, 7, 30), 1, at(2025, 3, 3, 17), "from opening: closing the same day"),
        (at(2025, 3, 3, 17), 1, at(2025, 3, 4, 17), "from closing: closing next day"),
        (at(2025, 3, 7, 17, 30), 2, at(2025, 3, 11, 17), "after closing on Friday"),
        (at(2025, 4, 25, 10), 1, at(2025, 4, 26, 10), "Saturday 26/4/2025 is worked"),
        (at(2025, 4, 25, 10), 5, at(2025, 5, 6, 10), "across the 30/4-4/5/2025 bridge"),
        (at(2025, 1, 24, 15), 3, at(2025, 2, 5, 15), "across Tết 2025"),
        (at(2026, 2, 13, 9), 1, at(2026, 2, 23, 9), "across Tết 2026 (16-20/2)"),
        (at(2026, 11, 23, 14), 1, at(2026, 11, 25, 14), "over 24/11/2026"),
    ],
)
def test_add_working_days(
    deadlines: Deadlines, start: dt.datetime, days: int, due: dt.datetime, why: str
) -> None:
    assert deadlines.add_working_days(start, days) == due, why
    assert deadlines.due(start, Duration.working_days(days)) == due


def test_zero_returns_the_start_and_negative_is_refused(deadlines: Deadlines) -> None:
    start = at(2025, 3, 8, 10, 15, ss=42)  # a Saturday, with seconds
    assert deadlines.add_working_minutes(start, 0) == start
    assert deadlines.add_working_days(start, 0) == start
    with pytest.raises(InvalidInput, match="negative"):
        deadlines.add_working_minutes(start, -1)


def test_seconds_are_dropped(deadlines: Deadlines) -> None:
    """Minute resolution: 10:15:59 counts as 10:15."""
    assert deadlines.add_working_minutes(at(2025, 3, 3, 10, 15, ss=59), 1) == at(2025, 3, 3, 10, 16)
    assert (
        deadlines.working_minutes_between(at(2025, 3, 3, 10, 0, ss=59), at(2025, 3, 3, 10, 1)) == 1
    )


@pytest.mark.parametrize(
    "zone",
    [
        dt.UTC,
        dt.timezone(dt.timedelta(hours=-5)),
        ZoneInfo("Asia/Ho_Chi_Minh"),
        ZoneInfo("Asia/Tokyo"),
    ],
)
def test_any_aware_instant_is_read_in_vietnam_time(deadlines: Deadlines, zone: dt.tzinfo) -> None:
    start = at(2025, 3, 7, 16).astimezone(zone)
    due = deadlines.add_working_hours(start, 2)
    assert due == at(2025, 3, 10, 8, 30)
    assert due.utcoffset() == dt.timedelta(hours=7)


def test_naive_datetimes_are_refused(deadlines: Deadlines) -> None:
    with pytest.raises(InvalidInput, match="no time zone"):
        deadlines.add_working_days(dt.datetime(2025, 3, 3, 10), 1)  # noqa: DTZ001


def test_working_minutes_between(deadlines: Deadlines) -> None:
    friday, monday = at(2025, 3, 7, 16), at(2025, 3, 10, 8, 30)
    assert deadlines.working_minutes_between(friday, monday) == 120
    assert deadlines.working_minutes_between(monday, friday) == -120
    # Tết 2025: nothing counts from Friday 24/1 17:00 to Monday 3/2 07:30.
    assert deadlines.working_minutes_between(at(2025, 1, 24, 17), at(2025, 2, 3, 7, 30)) == 0


def test_minutes_of_durations(deadlines: Deadlines) -> None:
    assert deadlines.minutes_of(Duration.working_days(3)) == 3 * 450
    assert deadlines.minutes_of(Duration.working_hours(3)) == 180
    with pytest.raises(InvalidInput, match="calendar days"):
        deadlines.minutes_of(Duration.calendar_days(3))


def test_coordinate_and_instant_at_on_boundaries(deadlines: Deadlines) -> None:
    noon = deadlines.coordinate(at(2025, 3, 3, 12))
    assert deadlines.coordinate(at(2025, 3, 3, 11, 30)) == noon
    assert deadlines.coordinate(at(2025, 3, 3, 13, 30)) == noon
    assert deadlines.instant_at(noon) == at(2025, 3, 3, 11, 30)  # the earliest instant
    closing = deadlines.coordinate(at(2025, 3, 7, 17))
    assert deadlines.coordinate(at(2025, 3, 9, 12)) == closing  # the weekend adds nothing
    assert deadlines.instant_at(closing) == at(2025, 3, 7, 17)


def test_is_office_time(deadlines: Deadlines) -> None:
    assert deadlines.is_office_time(at(2025, 3, 3, 7, 30))
    assert not deadlines.is_office_time(at(2025, 3, 3, 11, 30))
    assert deadlines.is_office_time(at(2025, 3, 3, 16, 59))
    assert not deadlines.is_office_time(at(2025, 3, 3, 17))
    assert deadlines.is_office_time(at(2025, 4, 26, 9))  # swapped Saturday
    assert not deadlines.is_office_time(at(2025, 5, 2, 9))  # swapped Friday


def test_agency_hours_change_the_due_time() -> None:
    hours = OfficeHours.parse("7h00 - 11h30; 13h00 - 16h30")
    deadlines = default_deadlines(hours)
    assert deadlines.hours.minutes_per_day == 480
    assert deadlines.add_working_hours(at(2025, 3, 3, 11), 1) == at(2025, 3, 3, 13, 30)


def test_the_default_index_grows_within_1995_2100(deadlines: Deadlines) -> None:
    assert deadlines.add_working_days(at(2099, 12, 30, 9), 1).date() > dt.date(2099, 12, 30)
    assert deadlines.add_working_days(at(1995, 1, 3, 9), 1) == at(1995, 1, 4, 9)
    with pytest.raises(CalendarRangeError, match="1995-2100"):
        deadlines.add_working_days(at(1994, 12, 30, 9), 1)
    with pytest.raises(CalendarRangeError, match="2101"):
        deadlines.add_working_days(at(2100, 12, 20, 9), 30)
