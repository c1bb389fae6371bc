"""Working days, office hours and deadline arithmetic in Vietnam's time zone.

The core reads no clock and no holiday data: a :class:`WorkingCalendar` port
says whether a date is a working day (the ``holidays``-based adapter is
``tthc_adapters.calendar``), :class:`WorkingDayIndex` indexes it so that each
query is a binary search, and :class:`Deadlines` does minute-resolution
arithmetic over the index and an agency's :class:`OfficeHours`.

Rules encoded here:

* Public-sector week Monday-Friday (Decision 188/1999/QĐ-TTg), paid holidays of
  Labour Code 2019 Art. 112, compensatory days (Art. 111(3)) and the
  Government's swaps: all come from the calendar port.
* TTHC processing times are mostly working days (ngày làm việc) counted from the
  receipt of a complete dossier (Decree 61/2018/NĐ-CP Art. 19), with due times
  printed to the minute on Mẫu 01 (Circular 01/2018/TT-VPCP Art. 9). A working
  day is the agency's office minutes of a day, consumed from the start
  instant (as OpenCPS ``DueDateUtils``).
* Periods counted in days (complaints, denunciations) follow Civil Code 2015
  Art. 147-148: they start the day after the event, end at 24:00 of their last
  day, and if that day is a day off, at 24:00 of the next working day
  (:meth:`Deadlines.due_by_days`).
* Same-day procedures ("trong ngày", Decree 23/2015/NĐ-CP Art. 7) are due at
  the close of the receipt day, or of the next working day when received after
  the cut-off (:data:`SAME_DAY_CUTOFF`, 15:00; :meth:`Deadlines.due_same_day`).
* :class:`Counting` names these ways of counting for rule tables.
* :class:`CalendarCertainty` says which years the Government announced
  (Labour Code 2019 Art. 112(3)); a due time over a provisional year is
  "dự kiến" (:meth:`Deadlines.is_provisional`).
"""

from __future__ import annotations

from tthc_core.calendar._certainty import CalendarCertainty, YearStatus
from tthc_core.calendar._counting import Counting
from tthc_core.calendar._deadlines import Deadlines
from tthc_core.calendar._duration import SAME_DAY_CUTOFF, Duration, TimeUnit
from tthc_core.calendar._hours import OfficeHours
from tthc_core.calendar._index import CalendarRangeError, WorkingCalendar, WorkingDayIndex
from tthc_core.calendar._zone import VN_TZ, to_local

__all__ = [
    "SAME_DAY_CUTOFF",
    "VN_TZ",
    "CalendarCertainty",
    "CalendarRangeError",
    "Counting",
    "Deadlines",
    "Duration",
    "OfficeHours",
    "TimeUnit",
    "WorkingCalendar",
    "WorkingDayIndex",
    "YearStatus",
    "to_local",
]
