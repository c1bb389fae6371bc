"""Deadline arithmetic against a brute-force reference that walks minute by minute.

The calendars are synthetic (random holidays, Tết-like runs, worked weekends)
and so are the office hours (one to three intervals, touching, one minute long,
up to 23:59); the index is built for 2026 and grows into 2025 and 2027 as
queries need it. The reference reads only ``calendar.is_working_day`` and the
raw intervals: it shares no code with :class:`Deadlines`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from tthc_core.calendar import VN_TZ, Deadlines, Duration, OfficeHours, TimeUnit, WorkingDayIndex
from tthc_core.testing.strategies import (
    aware_datetimes,
    durations,
    office_hours,
    synthetic_calendars,
)
from tthc_core.testing.strategies._time import SetCalendar

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
YEAR = 2026
STARTS = aware_datetimes(dt.datetime(YEAR, 1, 1), dt.datetime(YEAR, 12, 31, 23, 59))  # noqa: DTZ001
DAYS = st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))


class Reference:
    """The rules, walked one minute (or one day) at a time."""

    def __init__(self, calendar: SetCalendar, hours: OfficeHours) -> None:
        self.calendar = calendar
        self.spans = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in hours.intervals]

    def office_minute(self, t: dt.datetime) -> bool:
        """Whether the minute starting at local wall-clock ``t`` is office time."""
        m = t.hour * 60 + t.minute
        return self.calendar.is_working_day(t.date()) and any(s <= m < e for s, e in self.spans)

    def minutes_from(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, bool]]:
        """Each minute from ``start`` (seconds dropped) on, and whether it is office time."""
        t = start.astimezone(VN_TZ).replace(second=0, microsecond=0)
        while True:
            yield t, self.office_minute(t)
            t += MINUTE

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The end of the ``minutes``-th office minute from ``start``."""
        counted = 0
        for t, office in self.minutes_from(start):
            if counted == minutes:
                return t
            counted += office
        raise AssertionError  # pragma: no cover - the walk is endless

    def between(self, a: dt.datetime, b: dt.datetime) -> int:
        end = b.astimezone(VN_TZ).replace(second=0, microsecond=0)
        return sum(
            office
            for _, office in itertools.takewhile(
                lambda minute: minute[0] < end, self.minutes_from(a)
            )
        )

    def nth(self, day: dt.date, n: int) -> dt.date:
        step = DAY if n >= 0 else -DAY
        for _ in range(abs(n) or 1):
            if n:
                day += step
            while not self.calendar.is_working_day(day):
                day += step
        return day

    def last_day(self, event: dt.date, duration: Duration) -> dt.date:
        if duration.unit is TimeUnit.WORKING_DAYS:
            return self.nth(event, duration.amount) if duration.amount else event
        last = event + duration.amount * DAY
        while duration.amount and not self.calendar.is_working_day(last):
            last += DAY
        return last


@st.composite
def setups(draw: st.DrawFn) -> tuple[Deadlines, Reference]:
    calendar = draw(synthetic_calendars(YEAR - 1, YEAR + 1))
    hours = draw(office_hours())
    index = WorkingDayIndex(calendar, YEAR, YEAR, limits=(YEAR - 1, YEAR + 1))
    return Deadlines(index, hours), Reference(calendar, hours)


def working_minutes() -> st.SearchStrategy[int]:
    """Thousandths of an office day, up to three days: scale with :func:`scaled`."""
    return st.integers(0, 3000)


def scaled(deadlines: Deadlines, thousandths: int) -> int:
    """``thousandths`` of the agency's office day, in minutes (any office hours)."""
    return thousandths * deadlines.hours.minutes_per_day // 1000


@given(setups(), STARTS, working_minutes())
def test_add_working_minutes_equals_the_minute_walk(
    setup: tuple[Deadlines, Reference], start: dt.datetime, minutes: int
) -> None:
    deadlines, reference = setup
    minutes = scaled(deadlines, minutes)
    expected = reference.add(start, minutes) if minutes else start
    assert deadlines.add_working_minutes(start, minutes) == expected


@given(setups(), STARTS, working_minutes())
def test_between_inverts_add(
    setup: tuple[Deadlines, Reference], start: dt.datetime, minutes: int
) -> None:
    deadlines, _ = setup
    minutes = scaled(deadlines, minutes)
    due = deadlines.add_working_minutes(start, minutes)
    assert deadlines.working_minutes_between(start, due) == minutes
    assert deadlines.working_minutes_between(due, start) == -minutes


@given(setups(), STARTS, st.integers(0, 6 * 24 * 60))
def test_between_counts_office_minutes(
    setup: tuple[Deadlines, Reference], start: dt.datetime, gap: int
) -> None:
    deadlines, reference = setup
    end = start + dt.timedelta(minutes=gap)
    assert deadlines.working_minutes_between(start, end) == reference.between(start, end)


@given(setups(), STARTS, STARTS, working_minutes(), working_minutes())
def test_monotone_in_start_and_amount(
    setup: tuple[Deadlines, Reference], a: dt.datetime, b: dt.datetime, m: int, k: int
) -> None:
    deadlines, _ = setup
    a, b = min(a, b), max(a, b)
    m, k = scaled(deadlines, min(m, k)), scaled(deadlines, max(m, k))
    assert deadlines.coordinate(a) <= deadlines.coordinate(b)
    assert deadlines.add_working_minutes(a, m) <= deadlines.add_working_minutes(b, m)
    assert deadlines.add_working_minutes(a, m) <= deadlines.add_working_minutes(a, k)
    assert deadlines.add_working_minutes(a, m) >= a


@given(setups(), STARTS, st.integers(-3000, 3000))
def test_instant_at_is_the_earliest_instant_of_a_coordinate(
    setup: tuple[Deadlines, Reference], near: dt.datetime, delta: int
) -> None:
    deadlines, reference = setup
    c = deadlines.coordinate(near) + scaled(deadlines, delta)
    instant = deadlines.instant_at(c)
    assert deadlines.coordinate(instant) == c
    # The minute before it is an office minute, so no earlier instant has coordinate c.
    assert reference.office_minute(instant - MINUTE)
    assert deadlines.coordinate(instant - MINUTE) == c - 1
    assert deadlines.instant_at(deadlines.coordinate(near)) <= near


ZONES = st.sampled_from([dt.UTC, dt.timezone(-dt.timedelta(hours=9, minutes=30))])


@given(setups(), STARTS, working_minutes(), ZONES)
def test_the_zone_of_the_start_does_not_matter(
    setup: tuple[Deadlines, Reference], start: dt.datetime, minutes: int, zone: dt.tzinfo
) -> None:
    deadlines, _ = setup
    minutes = scaled(deadlines, minutes)
    assert deadlines.add_working_minutes(start.astimezone(zone), minutes) == (
        deadlines.add_working_minutes(start, minutes)
    )


@given(setups(), DAYS, durations(40, (TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS)))
def test_due_by_days_equals_the_day_walk(
    setup: tuple[Deadlines, Reference], event: dt.date, duration: Duration
) -> None:
    deadlines, reference = setup
    end = dt.datetime.combine(
        reference.last_day(event, duration) + DAY, dt.time(0, 0), tzinfo=VN_TZ
    )
    assert deadlines.due_by_days(event, duration) == end


@given(setups(), DAYS, st.integers(-40, 40))
def test_nth_working_day_equals_the_day_walk(
    setup: tuple[Deadlines, Reference], day: dt.date, n: int
) -> None:
    deadlines, reference = setup
    assert deadlines.index.nth_working_day(day, n) == reference.nth(day, n)


@given(synthetic_calendars(YEAR - 1, YEAR + 1), DAYS, DAYS, st.integers(-40, 40))
def test_a_lazily_grown_index_answers_like_an_eager_one(
    calendar: SetCalendar, a: dt.date, b: dt.date, n: int
) -> None:
    lazy = WorkingDayIndex(calendar, YEAR, YEAR, limits=(YEAR - 1, YEAR + 1))
    eager = WorkingDayIndex(calendar, YEAR - 1, YEAR + 1)
    assert lazy.nth_working_day(a, n) == eager.nth_working_day(a, n)
    assert lazy.working_days_count(a, b) == eager.working_days_count(a, b)
    assert lazy.rank(b) - lazy.rank(a) == eager.rank(b) - eager.rank(a)
    assert lazy.working_days_count(a, b) == sum(
        calendar.is_working_day(min(a, b) + i * DAY) for i in range(abs((b - a).days) + 1)
    )
