"""Working days, office hours and deadline arithmetic in Vietnam's time zone.

The core reads no clock and no holiday data: a :class:`WorkingCalendar` port
says whether a date is a working day (the ``holidays``-based adapter lives in
``tthc_adapters.calendar``), and :class:`WorkingDayIndex` precomputes a sorted
index of working days over it, so each query costs a binary search.

Rules encoded here:

* Public-sector week Monday-Friday, paid holidays of Labour Code 2019 Art. 112,
  compensatory days (Art. 111(3)) and the Government's swaps: all come from the
  calendar port, which honours ``weekend_workdays`` swaps and local overrides.
* TTHC processing times are mostly working days (ngày làm việc) counted from the
  receipt of a complete dossier, with due times printed to the minute on Mẫu 01
  (Circular 01/2018 Art. 9, Mẫu 01 items 4-5). A working day is the agency's
  configured office hours (:class:`OfficeHours`), and a deadline in working days
  or hours is reached by consuming office minutes (as OpenCPS ``DueDateUtils``).
* Periods counted in days follow Civil Code 2015 Art. 147-148: the period starts
  the day after the event, ends at 24:00 of its last day, and if that day is a
  day off it ends at 24:00 of the next working day (:meth:`Deadlines.due_by_days`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections.abc import Sequence
from typing import Protocol

import attrs

from tthc_core.errors import InvalidInput

__all__ = [
    "VN_TZ",
    "CalendarRangeError",
    "Deadlines",
    "Duration",
    "OfficeHours",
    "TimeUnit",
    "WorkingCalendar",
    "WorkingDayIndex",
    "to_local",
]

#: Vietnam has kept UTC+07:00 without daylight saving since 1975.
VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


class CalendarRangeError(InvalidInput):
    """A date outside the years the working-day index covers."""


def to_local(instant: dt.datetime) -> dt.datetime:
    """Return ``instant`` in Vietnam time (UTC+07:00).

    Raises:
        InvalidInput: If ``instant`` is naive: the core never guesses a zone.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput(
            f"datetime {instant.isoformat()} has no time zone; pass an aware datetime"
        )
    return instant.astimezone(VN_TZ)


class WorkingCalendar(Protocol):
    """Port: whether a date is a working day for the public sector."""

    def is_working_day(self, day: dt.date) -> bool:
        """Return True if offices open on ``day``."""
        ...


class TimeUnit(enum.Enum):
    """The unit a legal time limit is written in."""

    WORKING_DAYS = "working_days"  # ngày làm việc
    WORKING_HOURS = "working_hours"  # giờ làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày (Civil Code Art. 147-148)


def _non_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise InvalidInput(f"{attribute.name} must not be negative, got {value}")


@attrs.frozen(order=True)
class Duration:
    """A legal time limit: an amount and the unit the text writes it in.

    Args:
        amount: How many units (non-negative).
        unit: Working days, working hours or calendar days.
    """

    amount: int = attrs.field(validator=_non_negative)
    unit: TimeUnit = TimeUnit.WORKING_DAYS

    @classmethod
    def working_days(cls, amount: int) -> Duration:
        """``amount`` working days (ngày làm việc)."""
        return cls(amount, TimeUnit.WORKING_DAYS)

    @classmethod
    def working_hours(cls, amount: int) -> Duration:
        """``amount`` working hours."""
        return cls(amount, TimeUnit.WORKING_HOURS)

    @classmethod
    def calendar_days(cls, amount: int) -> Duration:
        """``amount`` calendar days (ngày)."""
        return cls(amount, TimeUnit.CALENDAR_DAYS)

    def __add__(self, other: Duration) -> Duration:
        if other.unit is not self.unit:
            return NotImplemented
        return Duration(self.amount + other.amount, self.unit)


def _to_minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _check_intervals(_: object, __: object, value: tuple[tuple[dt.time, dt.time], ...]) -> None:
    if not value:
        raise InvalidInput("office hours need at least one interval")
    previous_end = -1
    for start, end in value:
        if start.second or start.microsecond or end.second or end.microsecond:
            raise InvalidInput("office hours are set to the minute")
        if _to_minutes(start) >= _to_minutes(end):
            raise InvalidInput(f"office interval {start}-{end} must end after it starts")
        if _to_minutes(start) < previous_end:
            raise InvalidInput("office intervals must be in order and must not overlap")
        previous_end = _to_minutes(end)


@attrs.frozen
class OfficeHours:
    """An agency's office hours on a working day, as local-time intervals.

    The default, 07:30-11:30 and 13:30-17:00, is common at one-stop desks; set
    each agency's own (8 hours a day in Decision 188/1999's 40-hour week).

    Args:
        intervals: Ordered, non-overlapping ``(start, end)`` local times.
    """

    intervals: tuple[tuple[dt.time, dt.time], ...] = attrs.field(
        default=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))),
        validator=_check_intervals,
    )

    @property
    def minutes_per_day(self) -> int:
        """Office minutes in one working day."""
        return sum(_to_minutes(e) - _to_minutes(s) for s, e in self.intervals)

    @property
    def opens(self) -> dt.time:
        """The first opening time of the day."""
        return self.intervals[0][0]

    @property
    def closes(self) -> dt.time:
        """The last closing time of the day."""
        return self.intervals[-1][1]

    def offset_of(self, t: dt.time) -> int:
        """Office minutes elapsed on a working day at local time ``t`` (clamped)."""
        minute = _to_minutes(t)
        elapsed = 0
        for start, end in self.intervals:
            s, e = _to_minutes(start), _to_minutes(end)
            if minute <= s:
                break
            elapsed += min(minute, e) - s
        return elapsed

    def time_at(self, offset: int) -> dt.time:
        """The earliest local time at which ``offset`` office minutes have elapsed."""
        remaining = offset
        for start, end in self.intervals:
            s, e = _to_minutes(start), _to_minutes(end)
            if remaining <= e - s:
                minute = s + remaining
                return dt.time(minute // 60, minute % 60)
            remaining -= e - s
        raise InvalidInput(f"offset {offset} exceeds the {self.minutes_per_day} office minutes")


class WorkingDayIndex:
    """A precomputed, sorted index of working days over a span of years.

    Answers :meth:`nth_working_day` exactly as ``holidays``'
    ``get_nth_working_day`` does, with a binary search instead of a walk.

    Args:
        calendar: The working-calendar port to index.
        first_year: The first year covered.
        last_year: The last year covered (inclusive).
    """

    __slots__ = ("_first", "_last", "_ordinals", "first_year", "last_year")

    def __init__(self, calendar: WorkingCalendar, first_year: int, last_year: int) -> None:
        if first_year > last_year:
            raise InvalidInput(f"first year {first_year} is after last year {last_year}")
        self.first_year = first_year
        self.last_year = last_year
        self._first = dt.date(first_year, 1, 1).toordinal()
        self._last = dt.date(last_year, 12, 31).toordinal()
        self._ordinals: Sequence[int] = [
            o
            for o in range(self._first, self._last + 1)
            if calendar.is_working_day(dt.date.fromordinal(o))
        ]

    def _check(self, ordinal: int) -> None:
        if not self._first <= ordinal <= self._last:
            raise CalendarRangeError(
                f"{dt.date.fromordinal(ordinal).isoformat()} is outside the working-day "
                f"index ({self.first_year}-{self.last_year}); build a wider index"
            )

    def is_working_day(self, day: dt.date) -> bool:
        """Return True if ``day`` is a working day."""
        o = day.toordinal()
        self._check(o)
        i = bisect.bisect_left(self._ordinals, o)
        return i < len(self._ordinals) and self._ordinals[i] == o

    def rank(self, day: dt.date) -> int:
        """The number of indexed working days strictly before ``day``."""
        o = day.toordinal()
        self._check(o)
        return bisect.bisect_left(self._ordinals, o)

    def working_day_at(self, rank: int) -> dt.date:
        """The working day with ``rank`` working days before it (inverse of :meth:`rank`)."""
        if not 0 <= rank < len(self._ordinals):
            raise CalendarRangeError(
                f"working day number {rank} is outside the index "
                f"({self.first_year}-{self.last_year})"
            )
        return dt.date.fromordinal(self._ordinals[rank])

    def nth_working_day(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (before it if ``n < 0``).

        ``n == 0`` returns ``day`` itself if it is a working day, else the next one
        (the semantics of ``holidays.HolidayBase.get_nth_working_day``).
        """
        o = day.toordinal()
        self._check(o)
        if n >= 0:
            i = bisect.bisect_right(self._ordinals, o) + n - 1
            if n == 0:
                i = bisect.bisect_left(self._ordinals, o)
        else:
            i = bisect.bisect_left(self._ordinals, o) + n
        if not 0 <= i < len(self._ordinals):
            raise CalendarRangeError(
                f"{n} working days from {day.isoformat()} leaves the index "
                f"({self.first_year}-{self.last_year})"
            )
        return dt.date.fromordinal(self._ordinals[i])

    def working_days_count(self, start: dt.date, end: dt.date) -> int:
        """Working days in the closed interval ``[start, end]`` (0 if ``end < start``)."""
        if end < start:
            return 0
        return self.rank(end + dt.timedelta(days=1)) - self.rank(start)


@attrs.frozen
class Deadlines:
    """Deadline arithmetic for one agency: its working days and office hours.

    Every instant is mapped to a *working-minute coordinate* (office minutes
    elapsed since the start of the index); adding working time and measuring it
    are then plain integer arithmetic on that coordinate.

    Args:
        index: The working-day index of the agency's calendar.
        hours: The agency's office hours.
    """

    index: WorkingDayIndex
    hours: OfficeHours = attrs.field(factory=OfficeHours)

    def coordinate(self, instant: dt.datetime) -> int:
        """Office minutes from the start of the index to ``instant``."""
        local = to_local(instant)
        day = local.date()
        rank = self.index.rank(day)
        offset = self.hours.offset_of(local.time()) if self.index.is_working_day(day) else 0
        return rank * self.hours.minutes_per_day + offset

    def instant_at(self, coordinate: int) -> dt.datetime:
        """The earliest instant whose working-minute coordinate is ``coordinate``."""
        per_day = self.hours.minutes_per_day
        rank, offset = divmod(coordinate, per_day)
        if offset == 0 and rank > 0:
            rank, offset = rank - 1, per_day
        day = self.index.working_day_at(rank)
        return dt.datetime.combine(day, self.hours.time_at(offset), tzinfo=VN_TZ)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The instant when ``minutes`` office minutes have elapsed after ``start``.

        Time outside office hours does not count; ``minutes == 0`` returns
        ``start`` in Vietnam time.
        """
        if minutes < 0:
            raise InvalidInput(f"cannot add a negative working time ({minutes} minutes)")
        if minutes == 0:
            return to_local(start)
        return self.instant_at(self.coordinate(start) + minutes)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The due instant ``days`` working days after ``start`` (to the minute)."""
        return self.add_working_minutes(start, days * self.hours.minutes_per_day)

    def add_working_hours(self, start: dt.datetime, hours: int) -> dt.datetime:
        """The due instant ``hours`` office hours after ``start``."""
        return self.add_working_minutes(start, hours * 60)

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office minutes from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        return self.coordinate(end) - self.coordinate(start)

    def minutes_of(self, duration: Duration) -> int:
        """A working-time duration in office minutes.

        Raises:
            InvalidInput: For calendar days, which are not working time.
        """
        if duration.unit is TimeUnit.WORKING_DAYS:
            return duration.amount * self.hours.minutes_per_day
        if duration.unit is TimeUnit.WORKING_HOURS:
            return duration.amount * 60
        raise InvalidInput("calendar days are not working time; use due_by_days")

    def due(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """The due instant of ``duration`` starting at ``start``.

        Working days and hours consume office minutes from ``start``; calendar
        days follow the Civil Code day count (:meth:`due_by_days`).
        """
        if duration.unit is TimeUnit.CALENDAR_DAYS:
            return self.due_by_days(to_local(start).date(), duration)
        return self.add_working_minutes(start, self.minutes_of(duration))

    def due_by_days(self, event_day: dt.date, duration: Duration) -> dt.datetime:
        """End of a day-counted period, Civil Code 2015 Art. 147-148.

        The period starts the day after ``event_day``. For calendar days it ends
        at 24:00 of its last day, moved to 24:00 of the next working day if the
        last day is a day off; for working days, at 24:00 of the last working
        day. The result is the exclusive instant (00:00 of the following day).

        Args:
            event_day: The day of the triggering event (receipt, decision...).
            duration: Calendar days or working days.
        """
        if duration.unit is TimeUnit.WORKING_HOURS:
            raise InvalidInput("working hours are not counted in days; use due")
        if duration.unit is TimeUnit.WORKING_DAYS:
            last = (
                self.index.nth_working_day(event_day, duration.amount)
                if duration.amount
                else event_day
            )
        else:
            last = event_day + dt.timedelta(days=duration.amount)
            if duration.amount and not self.index.is_working_day(last):
                last = self.index.nth_working_day(last, 1)
        return dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 0), tzinfo=VN_TZ)

    def is_office_time(self, instant: dt.datetime) -> bool:
        """Return True if ``instant`` falls inside office hours on a working day."""
        local = to_local(instant)
        if not self.index.is_working_day(local.date()):
            return False
        minute = _to_minutes(local.time())
        return any(_to_minutes(s) <= minute < _to_minutes(e) for s, e in self.hours.intervals)
