"""Strategies for time: aware datetimes, durations, office hours and calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.calendar import VN_TZ, Duration, OfficeHours, TimeUnit

__all__ = ["SetCalendar", "aware_datetimes", "durations", "office_hours", "synthetic_calendars"]


def aware_datetimes(
    min_value: dt.datetime = dt.datetime(2019, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value: dt.datetime = dt.datetime(2035, 12, 31),  # noqa: DTZ001
) -> st.SearchStrategy[dt.datetime]:
    """Aware datetimes in Vietnam time, to the minute."""
    return st.datetimes(min_value, max_value, timezones=st.just(VN_TZ)).map(
        lambda d: d.replace(second=0, microsecond=0)
    )


def durations(max_amount: int = 60) -> st.SearchStrategy[Duration]:
    """Durations in any unit."""
    return st.builds(Duration, st.integers(0, max_amount), st.sampled_from(TimeUnit))


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    """One to three ordered, non-overlapping office intervals between 06:00 and 20:00."""
    count = draw(st.integers(1, 3))
    cuts = sorted(
        draw(st.sets(st.integers(6 * 60, 20 * 60), min_size=2 * count, max_size=2 * count))
    )
    intervals = tuple(
        (dt.time(s // 60, s % 60), dt.time(e // 60, e % 60))
        for s, e in zip(cuts[::2], cuts[1::2], strict=True)
    )
    return OfficeHours(intervals)


class SetCalendar:
    """A working calendar given by explicit days off and worked weekend days."""

    def __init__(self, days_off: frozenset[dt.date], worked_weekends: frozenset[dt.date]) -> None:
        self.days_off = days_off
        self.worked_weekends = worked_weekends

    def is_working_day(self, day: dt.date) -> bool:
        """Monday-Friday unless a day off; Saturday/Sunday only if worked."""
        if day.weekday() >= 5:
            return day in self.worked_weekends
        return day not in self.days_off


@st.composite
def synthetic_calendars(draw: st.DrawFn, year: int = 2026) -> SetCalendar:
    """Random calendars over ``year``: random holidays and swapped Saturdays."""
    days = st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return SetCalendar(
        frozenset(draw(st.sets(days, max_size=30))),
        frozenset(d for d in draw(st.sets(days, max_size=5)) if d.weekday() >= 5),
    )


REGISTRY: dict[type, Any] = {
    Duration: durations(),
    OfficeHours: office_hours(),
}
