"""Strategies for time: aware datetimes, durations, office hours, calendars and deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from tthc_core.calendar import (
    VN_TZ,
    CalendarCertainty,
    Deadlines,
    Duration,
    OfficeHours,
    TimeUnit,
    WorkingCalendar,
    WorkingDayIndex,
)

__all__ = [
    "SetCalendar",
    "aware_datetimes",
    "deadlines",
    "durations",
    "office_hours",
    "synthetic_calendars",
    "working_day_indexes",
]

_LAST_MINUTE = 23 * 60 + 59


def aware_datetimes(
    min_value: dt.datetime = dt.datetime(2019, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value: dt.datetime = dt.datetime(2035, 12, 31),  # noqa: DTZ001
    *,
    timezones: st.SearchStrategy[dt.tzinfo] | None = None,
    whole_minutes: bool = True,
) -> st.SearchStrategy[dt.datetime]:
    """Aware datetimes whose Vietnam-time wall clock lies between the (naive) bounds.

    Args:
        min_value: Earliest Vietnam wall-clock time.
        max_value: Latest Vietnam wall-clock time.
        timezones: Zones to express the instants in (default Vietnam time only);
            the instant is drawn in Vietnam time, then converted.
        whole_minutes: Drop seconds (the resolution of deadlines).
    """
    base = st.datetimes(min_value, max_value, timezones=st.just(VN_TZ))
    if whole_minutes:
        base = base.map(lambda d: d.replace(second=0, microsecond=0))
    if timezones is None:
        return base
    return st.builds(lambda d, z: d.astimezone(z), base, timezones)


def durations(
    max_amount: int = 60, units: tuple[TimeUnit, ...] = tuple(TimeUnit)
) -> st.SearchStrategy[Duration]:
    """Durations in the given units (all by default), amounts 0..``max_amount``.

    Same-day limits have no amount; they get the default or a drawn cut-off.
    """
    cutoffs = st.none() | st.times(dt.time(7), dt.time(18)).map(
        lambda t: t.replace(second=0, microsecond=0)
    )
    return st.sampled_from(units).flatmap(
        lambda unit: (
            st.builds(Duration.same_day, cutoffs)
            if unit is TimeUnit.SAME_DAY
            else st.builds(Duration, st.integers(0, max_amount), st.just(unit))
        )
    )


_COMMON_HOURS = (
    OfficeHours(),
    OfficeHours(((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 0), dt.time(16, 30)))),
    OfficeHours(((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30)))),
)


@st.composite
def _random_hours(draw: st.DrawFn) -> OfficeHours:
    count = draw(st.integers(1, 3))
    cursor = draw(st.integers(0, _LAST_MINUTE - 1))
    bounds: list[tuple[int, int]] = []
    for i in range(count):
        if i:
            cursor += draw(st.integers(0, 180))  # a break, possibly none (touching intervals)
        if cursor >= _LAST_MINUTE:
            break
        end = min(cursor + draw(st.integers(1, 600)), _LAST_MINUTE)
        bounds.append((cursor, end))
        cursor = end
    return OfficeHours(
        tuple((dt.time(s // 60, s % 60), dt.time(e // 60, e % 60)) for s, e in bounds)
    )


def office_hours() -> st.SearchStrategy[OfficeHours]:
    """Office hours: common one-stop schedules, or one to three random intervals.

    Random ones may start at midnight, end at 23:59, touch each other (no
    break) or last a single minute, the edges of minute arithmetic.
    """
    return st.one_of(st.sampled_from(_COMMON_HOURS), _random_hours())


@attrs.frozen
class SetCalendar:
    """A working calendar given by explicit days off and worked weekend days.

    Args:
        days_off: Weekdays on which offices close (holidays, swapped days off).
        worked_weekends: Saturdays or Sundays on which offices open.
    """

    days_off: frozenset[dt.date] = frozenset()
    worked_weekends: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        """Monday-Friday unless a day off; Saturday/Sunday only if worked."""
        if day.weekday() >= 5:
            return day in self.worked_weekends
        return day not in self.days_off


@st.composite
def synthetic_calendars(
    draw: st.DrawFn, first_year: int = 2026, last_year: int | None = None
) -> SetCalendar:
    """Random calendars over ``first_year..last_year``.

    Scattered holidays, runs of consecutive days off like a Tết week (up to
    nine days) and worked Saturdays and Sundays.

    Args:
        first_year: The first year with random days.
        last_year: The last one (default ``first_year``).
    """
    last = first_year if last_year is None else last_year
    low, high = dt.date(first_year, 1, 1), dt.date(last, 12, 31)
    days = st.dates(low, high)
    off = set(draw(st.sets(days, max_size=40)))
    for start, length in draw(st.lists(st.tuples(days, st.integers(2, 9)), max_size=4)):
        off.update(start + dt.timedelta(days=i) for i in range(length))
    worked = {d for d in draw(st.sets(days, max_size=12)) if d.weekday() >= 5}
    return SetCalendar(
        frozenset(d for d in off if d.weekday() < 5 and low <= d <= high), frozenset(worked)
    )


def working_day_indexes(year: int = 2026) -> st.SearchStrategy[WorkingDayIndex]:
    """Indexes over a synthetic calendar of ``year-1..year+1``, built for ``year``.

    They grow lazily into the neighbouring years when a query needs them.
    """
    return synthetic_calendars(year - 1, year + 1).map(
        lambda cal: WorkingDayIndex(cal, year, year, limits=(year - 1, year + 1))
    )


def deadlines(year: int = 2026) -> st.SearchStrategy[Deadlines]:
    """Deadline arithmetic over a synthetic calendar and random office hours."""
    return st.builds(Deadlines, working_day_indexes(year), office_hours())


REGISTRY: dict[type, Any] = {
    Duration: durations(),
    OfficeHours: office_hours(),
    WorkingCalendar: synthetic_calendars(),
    WorkingDayIndex: working_day_indexes(),
    Deadlines: deadlines(),
    CalendarCertainty: st.builds(
        CalendarCertainty,
        st.dictionaries(
            st.integers(2000, 2040),
            st.sampled_from(["Thông báo 6150/TB-LĐTBXH", "Quyết định 1234/QĐ-TTg"]),
            max_size=5,
        ),
    ),
}
