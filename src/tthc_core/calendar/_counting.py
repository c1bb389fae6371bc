"""The two ways tthc counts a time limit, named so rule tables can say which applies."""

from __future__ import annotations

import enum

__all__ = ["Counting"]


class Counting(enum.Enum):
    """How a time limit turns into a due instant: one definition for every aggregate.

    Both ways walk the same :class:`~tthc_core.calendar.WorkingDayIndex`, so a
    working day is the same day for dossiers and complaints; they differ in
    where the count starts and where it ends.

    * ``OFFICE_MINUTES``: one-stop processing times (Decree 61/2018/NĐ-CP
      Art. 19; Mẫu 01 prints the due time to the hour and minute). The count
      starts at the receipt instant and consumes office minutes; the receipt
      day counts from that instant, so a dossier received at or before
      opening (07:30) has that day whole, one received at or after closing
      (17:00) none of it. The due instant is the earliest at which the time
      has elapsed (11:30 rather than 13:30; 17:00 rather than the next
      morning). Working hours carry across the end of the day: "04 giờ làm
      việc" from 16:00 is due at 10:30 the next working day, because a giờ
      làm việc is an hour of office time and none elapses overnight.
    * ``CIVIL_CODE``: periods counted in days (Civil Code 2015 Art. 147-148):
      the event's day is not counted, the period ends at 24:00 of its last
      day, moved to the end of the next working day if that is a day off.
      Complaints, denunciations and postal standards count this way.
    * ``SAME_DAY``: "trong ngày" procedures (Decree 23/2015/NĐ-CP Art. 7): the
      close of the receipt day, or of the next working day after the cut-off.

    Relation (tested): for an event at or after closing on a working day, or
    on a day off, ``n`` working days by ``OFFICE_MINUTES`` end on the same
    date as by ``CIVIL_CODE`` (at closing, not 24:00); for an event at or
    before opening, one working day earlier, because that day counts whole.
    """

    OFFICE_MINUTES = "office_minutes"
    CIVIL_CODE = "civil_code"
    SAME_DAY = "same_day"

    @property
    def citation(self) -> str:
        """The rule the counting follows."""
        return _CITATIONS[self]

    @property
    def summary(self) -> str:
        """One line for generated documentation."""
        return _SUMMARIES[self]


_CITATIONS = {
    Counting.OFFICE_MINUTES: "Decree 61/2018/NĐ-CP Art. 19; Circular 01/2018/TT-VPCP Mẫu 01",
    Counting.CIVIL_CODE: "Civil Code 2015 Art. 147-148",
    Counting.SAME_DAY: "Decree 23/2015/NĐ-CP Art. 7; Law on Civil Status 2014",
}
_SUMMARIES = {
    Counting.OFFICE_MINUTES: "office minutes from the receipt instant; due to the minute",
    Counting.CIVIL_CODE: "from the day after the event to 24:00 of the last day",
    Counting.SAME_DAY: "close of the receipt day, or of the next working day after the cut-off",
}
