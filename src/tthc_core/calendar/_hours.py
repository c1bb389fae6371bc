"""An agency's office hours (giờ làm việc) on a working day."""

from __future__ import annotations

import datetime as dt
import re

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["OfficeHours"]

Interval = tuple[dt.time, dt.time]

_INTERVAL_TEXT = re.compile(r"(\d{1,2})[:hH](\d{2})\s*[-\u2013\u2014]\s*(\d{1,2})[:hH](\d{2})")


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _check_intervals(_: object, __: object, value: tuple[Interval, ...]) -> None:
    if not isinstance(value, tuple) or not value:
        raise InvalidInput("office hours need a tuple of at least one (start, end) interval")
    previous_end = -1
    for interval in value:
        if not (
            isinstance(interval, tuple)
            and len(interval) == 2
            and all(isinstance(t, dt.time) for t in interval)
        ):
            raise InvalidInput(f"office interval {interval!r} must be a (start, end) pair of times")
        start, end = interval
        if start.tzinfo is not None or end.tzinfo is not None:
            raise InvalidInput("office hours are local (Vietnam) times without a time zone")
        if start.second or start.microsecond or end.second or end.microsecond:
            raise InvalidInput(f"office interval {start}-{end} must be set to the minute")
        if _minute(start) >= _minute(end):
            raise InvalidInput(
                f"office interval {start:%H:%M}-{end:%H:%M} must end after it starts"
            )
        if _minute(start) < previous_end:
            raise InvalidInput(
                f"office interval {start:%H:%M}-{end:%H:%M} overlaps or precedes the one "
                "before it; list the intervals in order"
            )
        previous_end = _minute(end)


@attrs.frozen
class OfficeHours:
    """An agency's office hours on a working day, as local-time intervals.

    The default, 07:30-11:30 and 13:30-17:00 (7.5 hours), is common at
    one-stop desks; configure each agency's own (Decision 188/1999/QĐ-TTg sets
    the public sector's 40-hour, Monday-Friday week and leaves the daily hours
    to each province). A working day in a deadline is the day's office minutes
    (:attr:`minutes_per_day`), as OpenCPS ``DueDateUtils`` counts it.

    Args:
        intervals: Ordered, non-overlapping ``(start, end)`` naive local times,
            set to the minute (the last may end at 23:59 at the latest).

    Raises:
        InvalidInput: If an interval is empty, out of order, overlapping, has
            seconds or a time zone.
    """

    intervals: tuple[Interval, ...] = attrs.field(
        default=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))),
        validator=_check_intervals,
    )
    _bounds: tuple[tuple[int, int], ...] = attrs.field(init=False, repr=False, eq=False)
    _per_day: int = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        bounds = tuple((_minute(s), _minute(e)) for s, e in self.intervals)
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_per_day", sum(e - s for s, e in bounds))

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Parse office hours as agencies publish them.

        Accepts ``"07:30-11:30, 13:30-17:00"``, ``"7h30 - 11h30; 13h30 - 17h00"``.

        Args:
            text: Intervals ``HH:MM-HH:MM`` separated by commas, semicolons or "và".

        Raises:
            InvalidInput: If the text holds no interval or an impossible time.
        """
        found = _INTERVAL_TEXT.findall(text)
        leftover = _INTERVAL_TEXT.sub("", text)
        if not found or re.sub(r"[\s,;]|và|and", "", leftover):
            raise InvalidInput(
                f"{text!r} is not a list of office hours; write them like 07:30-11:30, 13:30-17:00"
            )
        try:
            intervals = tuple(
                (dt.time(int(h1), int(m1)), dt.time(int(h2), int(m2))) for h1, m1, h2, m2 in found
            )
        except ValueError as exc:
            raise InvalidInput(f"{text!r} holds an impossible time of day") from exc
        return cls(intervals)

    def __str__(self) -> str:
        return ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.intervals)

    @property
    def minutes_per_day(self) -> int:
        """Office minutes in one working day (one working day of a deadline)."""
        return self._per_day

    @property
    def opens(self) -> dt.time:
        """The first opening time of the day."""
        return self.intervals[0][0]

    @property
    def closes(self) -> dt.time:
        """The last closing time of the day."""
        return self.intervals[-1][1]

    def offset_of(self, t: dt.time) -> int:
        """Office minutes elapsed on a working day by local time ``t``.

        Seconds are dropped (deadlines have minute resolution); before opening
        the offset is 0, after closing it is :attr:`minutes_per_day`.

        Args:
            t: A local time of day.
        """
        minute = t.hour * 60 + t.minute
        elapsed = 0
        for s, e in self._bounds:
            if minute <= s:
                break
            elapsed += (e if minute > e else minute) - s
        return elapsed

    def time_at(self, offset: int) -> dt.time:
        """The earliest local time at which ``offset`` office minutes have elapsed.

        An offset that completes an interval lands on that interval's end
        (11:30, not 13:30).

        Args:
            offset: Office minutes, from 0 to :attr:`minutes_per_day`.

        Raises:
            InvalidInput: If ``offset`` is negative or more than a day's minutes.
        """
        if offset < 0:
            raise InvalidInput(f"office-minute offset {offset} must not be negative")
        remaining = offset
        for s, e in self._bounds:
            if remaining <= e - s:
                minute = s + remaining
                return dt.time(minute // 60, minute % 60)
            remaining -= e - s
        raise InvalidInput(f"offset {offset} exceeds the {self._per_day} office minutes of a day")

    def is_open_at(self, t: dt.time) -> bool:
        """Return True if local time ``t`` is inside an interval (start included, end not)."""
        minute = t.hour * 60 + t.minute
        return any(s <= minute < e for s, e in self._bounds)
