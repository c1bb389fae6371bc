"""The working-calendar port and a sorted, lazily growing index over it."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Protocol

from tthc_core.errors import InvalidInput

__all__ = ["CalendarRangeError", "WorkingCalendar", "WorkingDayIndex"]


class CalendarRangeError(InvalidInput):
    """A date or a count of working days that leaves the years an index may cover."""


class WorkingCalendar(Protocol):
    """Port: whether public offices open on a date.

    Implementations answer from the public holidays of Labour Code 2019
    Art. 112, the compensatory days of Art. 111(3), the Government's yearly
    swaps (a Saturday worked for a bridge day off) and any local decision. The
    answer for a date must not change while an index over it is alive.
    """

    def is_working_day(self, day: dt.date) -> bool:
        """Return True if offices open on ``day``."""
        ...


class _Span:
    """An immutable snapshot: the days covered and the working days among them."""

    __slots__ = ("first", "last", "ordinals", "origin")

    def __init__(self, first: int, last: int, ordinals: list[int], origin: int) -> None:
        self.first = first  # ordinal of 1 January of the first year covered
        self.last = last  # ordinal of 31 December of the last year covered
        self.ordinals = ordinals  # working days, ascending; never mutated
        self.origin = origin  # position of rank 0 (the first working day on/after the anchor)


def _year_bounds(first_year: int, last_year: int) -> tuple[int, int]:
    return dt.date(first_year, 1, 1).toordinal(), dt.date(last_year, 12, 31).toordinal()


class WorkingDayIndex:
    """A sorted index of the working days of a :class:`WorkingCalendar`.

    Each query is a binary search; ``nth_working_day`` answers exactly as the
    ``holidays`` package's ``get_nth_working_day`` does over the same calendar.

    The index covers ``first_year..last_year`` when built. With ``limits`` it
    grows on demand, a year at a time, to any year inside them (useful in a
    long-lived service); without, a date outside raises
    :class:`CalendarRangeError`. Growth swaps in a new immutable snapshot, so
    concurrent readers always see a consistent index and answers never depend
    on how far it has grown.

    Ranks count working days from 1 January of the ``first_year`` it was built
    with (negative before it), so they stay valid as the index grows.

    Args:
        calendar: The working-calendar port to index.
        first_year: The first year built at once.
        last_year: The last year built at once (inclusive).
        limits: ``(earliest, latest)`` years the index may grow to; by default
            exactly ``(first_year, last_year)``.

    Raises:
        InvalidInput: If the years are out of order or ``limits`` do not
            contain them.
    """

    __slots__ = ("_anchor", "_calendar", "_limits", "_span")

    def __init__(
        self,
        calendar: WorkingCalendar,
        first_year: int,
        last_year: int,
        *,
        limits: tuple[int, int] | None = None,
    ) -> None:
        low, high = limits if limits is not None else (first_year, last_year)
        if not dt.MINYEAR < low <= first_year <= last_year <= high < dt.MAXYEAR:
            raise InvalidInput(
                f"cannot index years {first_year}-{last_year} within limits {low}-{high}: "
                f"expected {dt.MINYEAR + 1} <= limit <= first <= last <= limit <= "
                f"{dt.MAXYEAR - 1}"
            )
        self._calendar = calendar
        self._limits = (low, high)
        first, last = _year_bounds(first_year, last_year)
        self._anchor = first
        self._span = _Span(first, last, self._scan(first, last), 0)

    def _scan(self, first: int, last: int) -> list[int]:
        is_working = self._calendar.is_working_day
        from_ordinal = dt.date.fromordinal
        return [o for o in range(first, last + 1) if is_working(from_ordinal(o))]

    def __repr__(self) -> str:
        low, high = self._limits
        return (
            f"<WorkingDayIndex over {self._calendar!r}: years {self.first_year}-"
            f"{self.last_year} of {low}-{high}, ranks from "
            f"{dt.date.fromordinal(self._anchor).isoformat()}>"
        )

    @property
    def first_year(self) -> int:
        """The first year covered now."""
        return dt.date.fromordinal(self._span.first).year

    @property
    def last_year(self) -> int:
        """The last year covered now."""
        return dt.date.fromordinal(self._span.last).year

    @property
    def limits(self) -> tuple[int, int]:
        """The earliest and latest years the index may cover."""
        return self._limits

    def _grow(self, span: _Span, year: int, what: str) -> _Span:
        """A snapshot wider than ``span`` that covers ``year`` (published for later queries).

        Raises:
            CalendarRangeError: If ``year`` is outside the limits; ``what`` names
                the date or count that needed it.
        """
        low, high = self._limits
        if not low <= year <= high:
            raise CalendarRangeError(
                f"{what} needs the year {year}, outside the years {low}-{high} this "
                "working-day index may cover"
            )
        first_year = dt.date.fromordinal(span.first).year
        last_year = dt.date.fromordinal(span.last).year
        if year > last_year:
            first, last = _year_bounds(last_year + 1, year)
            grown = _Span(span.first, last, span.ordinals + self._scan(first, last), span.origin)
        elif year < first_year:
            first, last = _year_bounds(year, first_year - 1)
            before = self._scan(first, last)
            grown = _Span(first, span.last, before + span.ordinals, span.origin + len(before))
        else:
            return span
        self._span = grown  # one reference swap: readers see the old or the new snapshot
        return grown

    def _beyond(self, span: _Span, *, forward: bool, what: str) -> _Span:
        """``span`` grown by one year at its end (``forward``) or its start."""
        edge = span.last if forward else span.first
        return self._grow(span, dt.date.fromordinal(edge).year + (1 if forward else -1), what)

    def _covering(self, ordinal: int) -> _Span:
        """A snapshot that covers the day ``ordinal``."""
        span = self._span
        if span.first <= ordinal <= span.last:
            return span
        day = dt.date.fromordinal(ordinal)
        return self._grow(span, day.year, day.isoformat())

    def locate(self, day: dt.date) -> tuple[int, bool]:
        """``(rank(day), is_working_day(day))`` in one search.

        Args:
            day: Any date within the index's limits.
        """
        o = day.toordinal()
        span = self._covering(o)
        ords = span.ordinals
        i = bisect.bisect_left(ords, o)
        return i - span.origin, i < len(ords) and ords[i] == o

    def is_working_day(self, day: dt.date) -> bool:
        """Return True if ``day`` is a working day."""
        return self.locate(day)[1]

    def rank(self, day: dt.date) -> int:
        """Working days from the anchor (1 January of the first year built) up to ``day``.

        Counts the working days in ``[anchor, day)``; for days before the
        anchor, minus those in ``[day, anchor)``. ``rank(b) - rank(a)`` is the
        number of working days in ``[a, b)``.
        """
        o = day.toordinal()
        span = self._span
        if not span.first <= o <= span.last + 1:  # all days before ``o`` must be covered
            span = self._covering(o if o < span.first else o - 1)
        return bisect.bisect_left(span.ordinals, o) - span.origin

    def working_day_at(self, rank: int) -> dt.date:
        """The working day with the given rank (inverse of :meth:`rank` on working days)."""
        span = self._span
        while True:
            i = rank + span.origin
            if 0 <= i < len(span.ordinals):
                return dt.date.fromordinal(span.ordinals[i])
            span = self._beyond(span, forward=i >= 0, what=f"working day number {rank}")

    def nth_working_day(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (before it if ``n < 0``).

        ``n == 0`` returns ``day`` itself if it is a working day, else the next
        one: the semantics of ``holidays.HolidayBase.get_nth_working_day``.

        Args:
            day: The starting date.
            n: Working days to move, forward if positive.

        Raises:
            CalendarRangeError: If the answer lies beyond the index's limits.
        """
        o = day.toordinal()
        span = self._covering(o)
        while True:
            ords = span.ordinals
            # n > 0: the n-th working day after ``o``; n == 0: the first on or after
            # ``o``; n < 0: the |n|-th before ``o`` (bisect_left counts those before).
            i = (
                (bisect.bisect_right(ords, o) + n - 1)
                if n > 0
                else (bisect.bisect_left(ords, o) + n)
            )
            if 0 <= i < len(ords):
                return dt.date.fromordinal(ords[i])
            span = self._beyond(
                span, forward=i >= 0, what=f"{n} working days from {day.isoformat()}"
            )

    def working_days_count(self, start: dt.date, end: dt.date) -> int:
        """Working days in the closed interval ``[start, end]``.

        Like ``holidays``' ``get_working_days_count``, the two dates may be given
        in either order.
        """
        if end < start:
            start, end = end, start
        return self.rank(end + dt.timedelta(days=1)) - self.rank(start)
