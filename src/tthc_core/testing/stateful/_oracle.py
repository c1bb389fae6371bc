"""The stateful machine's oracles: working time walked minute by minute, and the timeliness rule.

Independent of :mod:`tthc_core.calendar` and :mod:`tthc_core.dossier._timeliness`: each is
recomputed the slow, obvious way from the documented rule, so the machine checks the
workflow against something other than itself.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import attrs
from hypothesis import strategies as st

from tthc_core.calendar import VN_TZ, Duration, OfficeHours, TimeUnit
from tthc_core.catalogue import Procedure, StepTemplate
from tthc_core.codes import ProcedureCode
from tthc_core.dossier import Timeliness
from tthc_core.testing.strategies._time import SetCalendar

__all__ = ["MinuteWalkClock", "measured_at", "oracle_finished", "small_procedures"]

_MINUTE = dt.timedelta(minutes=1)
_UNITS = ("Phòng Tư pháp", "Công chức Địa chính", "Lãnh đạo UBND xã", "Bộ phận Một cửa")


@attrs.frozen
class MinuteWalkClock:
    """Working time recomputed the slow, obvious way: one minute at a time.

    An independent oracle for :class:`tthc_core.calendar.Deadlines`: a minute
    counts when its day is a working day and it starts inside an office
    interval.

    Args:
        calendar: The working calendar.
        hours: The office hours.
    """

    calendar: SetCalendar
    hours: OfficeHours
    office_minutes: frozenset[int] = attrs.field(init=False)

    @office_minutes.default
    def _office_minutes(self) -> frozenset[int]:
        # The minutes of a day (0..1439) that start inside an office interval.
        return frozenset(
            m
            for m in range(24 * 60)
            for s, e in self.hours.intervals
            if s.hour * 60 + s.minute <= m < e.hour * 60 + e.minute
        )

    @property
    def minutes_per_day(self) -> int:
        """Office minutes in a working day, counted minute by minute."""
        return len(self.office_minutes)

    def _counts(self, instant: dt.datetime) -> bool:
        return self.calendar.is_working_day(instant.date()) and (
            instant.hour * 60 + instant.minute in self.office_minutes
        )

    def _next_day(self, instant: dt.datetime) -> dt.datetime:
        return dt.datetime.combine(instant.date() + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The instant when ``minutes`` office minutes have elapsed after ``start``."""
        t = start.astimezone(VN_TZ)
        remaining = minutes
        while remaining > 0:
            if not self.calendar.is_working_day(t.date()):
                t = self._next_day(t)  # a day off has no office minute to count
                continue
            if self._counts(t):
                remaining -= 1
            t += _MINUTE
        return t

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office minutes in ``[start, end)``."""
        t, end = start.astimezone(VN_TZ), end.astimezone(VN_TZ)
        count = 0
        while t < end:
            if not self.calendar.is_working_day(t.date()):
                t = min(self._next_day(t), end)
                continue
            count += self._counts(t)
            t += _MINUTE
        return count

    def minutes_of(self, duration: Duration) -> int:
        """A working-time duration in office minutes."""
        if duration.unit is TimeUnit.WORKING_HOURS:
            return duration.amount * 60
        return duration.amount * self.minutes_per_day


def oracle_finished(finished: dt.datetime, due: dt.datetime) -> Timeliness:
    """Early, on time or late, from the documented rule (Circular 01/2018/TT-VPCP Art. 13).

    Late after ``due``; on time on the due day (a due time at midnight ends the day
    before); early before it.
    """
    due = due.astimezone(VN_TZ)
    due_day = due.date() - dt.timedelta(days=1) if due.time() == dt.time() else due.date()
    if finished > due:
        return Timeliness.LATE
    return Timeliness.ON_TIME if finished.astimezone(VN_TZ).date() >= due_day else Timeliness.EARLY


@st.composite
def small_procedures(draw: st.DrawFn) -> Procedure:
    """A procedure of at most 2 working days or 16 working hours, with or without steps."""
    unit = draw(st.sampled_from((TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS)))
    total = draw(st.integers(0, 2 if unit is TimeUnit.WORKING_DAYS else 16))
    cuts = sorted(draw(st.lists(st.integers(0, total), max_size=3)))
    bounds = [0, *cuts, total]
    steps = tuple(
        StepTemplate(draw(st.sampled_from(_UNITS)), Duration(b - a, unit))
        for a, b in pairwise(bounds)
    )
    return Procedure(
        code=ProcedureCode("1.001193"),
        name="Đăng ký khai sinh",
        sector="Hộ tịch",
        processing_time=Duration(total, unit),
        steps=steps if draw(st.booleans()) else (),
    )


def measured_at(instant: dt.datetime, pending_request: dt.datetime | None) -> dt.datetime:
    """The instant timeliness is measured at: ``instant``, or an earlier unanswered request."""
    return instant if pending_request is None else min(instant, pending_request)
