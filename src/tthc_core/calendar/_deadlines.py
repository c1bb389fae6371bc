"""Deadline arithmetic at minute resolution over working days and office hours."""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar._certainty import CalendarCertainty
from tthc_core.calendar._duration import SAME_DAY_CUTOFF, Duration, TimeUnit
from tthc_core.calendar._hours import OfficeHours
from tthc_core.calendar._index import CalendarRangeError, WorkingDayIndex
from tthc_core.calendar._zone import VN_TZ, to_local
from tthc_core.errors import InvalidInput

__all__ = ["Deadlines"]

_ONE_DAY = dt.timedelta(days=1)


@attrs.frozen
class Deadlines:
    """Deadline arithmetic for one agency: its working days and office hours.

    Every instant maps to a *working-minute coordinate*: the office minutes
    completed between the index's anchor and that instant, seconds dropped.
    Adding working time and measuring it are then integer arithmetic on the
    coordinate, each a binary search in the :class:`WorkingDayIndex`.

    Rules (Circular 01/2018/TT-VPCP Art. 9 and Mẫu 01 print the due time to the
    minute; Decree 61/2018 Art. 19 counts processing time in working days):

    * Time outside office hours, on weekends, holidays and swapped days off
      does not count; a start outside office hours counts from the next opening.
    * ``n`` working days are ``n`` times the agency's office minutes of a day;
      a working hour is 60 office minutes.
    * The due instant is the *earliest* instant at which the time has elapsed:
      a deadline completing at 11:30 is due at 11:30, not 13:30; one completing
      at the end of a day is due at closing time that day.
    * Day-counted periods follow Civil Code 2015 Art. 147-148
      (:meth:`due_by_days`).

    Args:
        index: The working-day index of the agency's calendar.
        hours: The agency's office hours.
        certainty: Which years of the calendar were announced; ``None`` when
            the calendar is exact by construction (a test calendar).
    """

    index: WorkingDayIndex
    hours: OfficeHours = attrs.field(factory=OfficeHours)
    certainty: CalendarCertainty | None = attrs.field(default=None, kw_only=True)

    def is_provisional(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether a due time computed from ``start`` to ``end`` relies on a provisional year.

        Labour Code 2019 Art. 112(3): until the Prime Minister fixes a year's
        Tết days and swaps, its working days are a forecast; a due time whose
        period touches such a year is printed "dự kiến".
        """
        if self.certainty is None:
            return False
        return self.certainty.is_provisional(to_local(start).date(), to_local(end).date())

    def coordinate(self, instant: dt.datetime) -> int:
        """Office minutes from the index's anchor to ``instant`` (seconds dropped).

        Args:
            instant: An aware datetime in any zone.

        Raises:
            InvalidInput: If ``instant`` is naive.
            CalendarRangeError: If its date is outside the index's limits.
        """
        local = to_local(instant)
        rank, working = self.index.locate(local.date())
        offset = self.hours.offset_of(local.time()) if working else 0
        return rank * self.hours.minutes_per_day + offset

    def instant_at(self, coordinate: int) -> dt.datetime:
        """The earliest instant (Vietnam time) whose coordinate is ``coordinate``.

        ``coordinate(instant_at(c)) == c`` for every ``c`` inside the index.
        A coordinate on a day boundary is the previous working day's closing
        time; only at the very start of the index's limits, where no earlier
        working day exists, is it the next opening time.

        Raises:
            CalendarRangeError: If the coordinate is outside the index's limits.
        """
        per_day = self.hours.minutes_per_day
        rank, offset = divmod(coordinate, per_day)
        if offset == 0:
            try:
                day = self.index.working_day_at(rank - 1)
            except CalendarRangeError:
                day = self.index.working_day_at(rank)
            else:
                offset = per_day
        else:
            day = self.index.working_day_at(rank)
        return dt.datetime.combine(day, self.hours.time_at(offset), tzinfo=VN_TZ)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The earliest instant at which ``minutes`` office minutes have elapsed after ``start``.

        ``minutes == 0`` returns ``start`` itself, in Vietnam time.

        Args:
            start: An aware datetime (seconds are dropped when minutes > 0).
            minutes: Office minutes to add (not negative).

        Raises:
            InvalidInput: If ``minutes`` is negative or ``start`` naive.
            CalendarRangeError: If the result leaves the index's limits.
        """
        if minutes < 0:
            raise InvalidInput(f"cannot add a negative working time ({minutes} minutes)")
        if minutes == 0:
            return to_local(start)
        return self.instant_at(self.coordinate(start) + minutes)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The due instant ``days`` working days after ``start``, to the minute.

        With the default hours, 2 working days from Monday 10:00 is Wednesday
        10:00; from Friday 17:30 (after closing) it is Tuesday 17:00.

        Args:
            start: An aware datetime.
            days: Working days (ngày làm việc), not negative.
        """
        return self.add_working_minutes(start, days * self.hours.minutes_per_day)

    def add_working_hours(self, start: dt.datetime, hours: int) -> dt.datetime:
        """The due instant ``hours`` office hours after ``start``.

        Args:
            start: An aware datetime.
            hours: Working hours (giờ làm việc), not negative.
        """
        return self.add_working_minutes(start, hours * 60)

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office minutes from ``start`` to ``end`` (negative if ``end`` is earlier).

        ``working_minutes_between(a, add_working_minutes(a, m)) == m`` for every
        ``m >= 0``.
        """
        return self.coordinate(end) - self.coordinate(start)

    def minutes_of(self, duration: Duration) -> int:
        """A working-time duration in office minutes of this agency.

        Raises:
            InvalidInput: For calendar days, which are not working time.
        """
        if duration.unit is TimeUnit.WORKING_DAYS:
            return duration.amount * self.hours.minutes_per_day
        if duration.unit is TimeUnit.WORKING_HOURS:
            return duration.amount * 60
        if duration.unit is TimeUnit.SAME_DAY:
            raise InvalidInput("a same-day limit is not an amount of working time; use due")
        raise InvalidInput("calendar days are not working time; use due_by_days")

    def due(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """The due instant of ``duration`` starting at ``start``.

        Working days and hours consume office minutes from ``start``
        (counting ``OFFICE_MINUTES``); calendar days follow the Civil Code day
        count from ``start``'s local date (:meth:`due_by_days`); a same-day
        limit ends at a day's close (:meth:`due_same_day`).

        Args:
            start: When the clock starts (receipt of a complete dossier...).
            duration: The legal time limit.
        """
        if duration.unit is TimeUnit.CALENDAR_DAYS:
            return self.due_by_days(to_local(start).date(), duration)
        if duration.unit is TimeUnit.SAME_DAY:
            return self.due_same_day(start, duration.effective_cutoff)
        return self.add_working_minutes(start, self.minutes_of(duration))

    def due_same_day(self, start: dt.datetime, cutoff: dt.time = SAME_DAY_CUTOFF) -> dt.datetime:
        """The due instant of a same-day limit ("trong ngày").

        Decree 23/2015/NĐ-CP Art. 7 (chứng thực) and the hộ tịch procedures:
        handled the day the dossier is received, or the next working day when
        it is received *after* the cut-off (15:00 unless the catalogue says
        otherwise). tthc reads the receipt time to the minute, as Mẫu 01 prints
        it: received at 15:00 (15:00:59 included) is the same day, at 15:01 the
        next. The due instant is the close of office hours of that day.

        * On a working day, at or before the cut-off and before closing: due
          at today's closing time (also when received before opening).
        * After the cut-off, at or after closing, or on a day off (an online
          dossier on Sunday): due at the next working day's closing time.

        Args:
            start: The receipt of the complete dossier (aware).
            cutoff: The procedure's cut-off (local time).
        """
        local = to_local(start)
        minute = local.time().replace(second=0, microsecond=0, tzinfo=None)
        day = local.date()
        same_day = minute <= cutoff and minute < self.hours.closes
        if not (same_day and self.index.is_working_day(day)):
            day = self.index.nth_working_day(day, 1)
        return dt.datetime.combine(day, self.hours.closes, tzinfo=VN_TZ)

    def due_by_days(self, event_day: dt.date, duration: Duration) -> dt.datetime:
        """The end of a period counted in days, Civil Code 2015 Art. 147-148.

        * Art. 147(2): the day of the event is not counted; the period starts
          the next day.
        * Art. 148(1), (6): it ends at 24:00 of its last day.
        * Art. 148(5): if the last day is a weekly rest day or a holiday, it ends
          at 24:00 of the next working day.

        For working days the last day is the ``n``-th working day after the
        event, so it never falls on a day off. The result is the exclusive
        end, 00:00 of the day after the last day, in Vietnam time; a period of
        0 days ends with the event's own day.

        Args:
            event_day: The day of the triggering event (receipt, decision...).
            duration: Calendar days or working days.

        Raises:
            InvalidInput: For working hours, which are not counted in days, or
                a datetime instead of a date (its zone would decide the day;
                use :meth:`due`, which takes the date in Vietnam time).
        """
        if isinstance(event_day, dt.datetime):
            raise InvalidInput(
                f"due_by_days takes the event's date, got the datetime {event_day.isoformat()}; "
                "use due(start, duration) for an instant"
            )
        if duration.unit in (TimeUnit.WORKING_HOURS, TimeUnit.SAME_DAY):
            what = "working hours are" if duration.unit is TimeUnit.WORKING_HOURS else "same-day is"
            raise InvalidInput(f"{what} not counted in days; use due")
        last = event_day
        if duration.amount and duration.unit is TimeUnit.WORKING_DAYS:
            last = self.index.nth_working_day(event_day, duration.amount)
        elif duration.amount:
            last = event_day + dt.timedelta(days=duration.amount)
            if not self.index.is_working_day(last):
                last = self.index.nth_working_day(last, 1)
        return dt.datetime.combine(last + _ONE_DAY, dt.time(0, 0), tzinfo=VN_TZ)

    def is_office_time(self, instant: dt.datetime) -> bool:
        """Return True if ``instant`` falls inside office hours on a working day."""
        local = to_local(instant)
        return self.index.is_working_day(local.date()) and self.hours.is_open_at(local.time())
