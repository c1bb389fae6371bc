"""Early, on time, late: how a finished step or dossier compares with its due time.

Circular 01/2018/TT-VPCP Art. 13 scores indicator 1 (the whole dossier) and
indicator 2 (each unit's step against its own allowance) as *shorter than*,
*equal to* or *longer than* the time allowed. Processing times are written in
(working) days, so tthc reads "equal" at the resolution of a day:

* **LATE** (quá hạn): finished after the due instant.
* **ON_TIME** (đúng hạn): finished on the due date — the same Vietnam-time day
  as the due instant — and not after it.
* **EARLY** (trước hạn): finished on a day before the due date.

A period that ends at 24:00 (Civil Code 2015 Art. 148, an exclusive 00:00 due
instant) has its last day as due date. Decision 766/QĐ-TTg KPI 2.1 counts
EARLY and ON_TIME together as "đúng hạn" (end of processing <= promised return
time). While a dossier or step is open it is **IN_TIME** (trong hạn) up to and
including its due instant and **OVERDUE** (quá hạn) after it.
"""

from __future__ import annotations

import datetime as dt
import enum

from tthc_core.calendar import VN_TZ

__all__ = ["Timeliness", "classify_finished", "classify_open"]


class Timeliness(enum.Enum):
    """Where a step or dossier stands against its due time."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"
    OVERDUE = "overdue"

    @property
    def is_finished(self) -> bool:
        """True for EARLY, ON_TIME and LATE (a finished step or dossier)."""
        return self in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)

    @property
    def label_vi(self) -> str:
        """The wording of the control sheet (Mẫu 05/06: Trước hạn / Đúng hạn / Quá hạn)."""
        return _LABELS[self]


_LABELS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
    Timeliness.IN_TIME: "Trong hạn",
    Timeliness.OVERDUE: "Quá hạn",
}

_TICK = dt.timedelta(microseconds=1)


def _due_date(due_at: dt.datetime) -> dt.date:
    # The last local day inside the period: an exclusive 00:00 belongs to the day before.
    return (due_at - _TICK).astimezone(VN_TZ).date()


def classify_finished(finished_at: dt.datetime, due_at: dt.datetime) -> Timeliness:
    """EARLY, ON_TIME or LATE for work finished at ``finished_at`` (Circular 01/2018 Art. 13).

    Args:
        finished_at: When the step was handed on, or the dossier's processing ended.
        due_at: The (possibly rescheduled or shifted) due instant.
    """
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(VN_TZ).date() >= _due_date(due_at):
        return Timeliness.ON_TIME
    return Timeliness.EARLY


def classify_open(as_of: dt.datetime, due_at: dt.datetime) -> Timeliness:
    """IN_TIME or OVERDUE for work still open at ``as_of``.

    Args:
        as_of: The instant of the report.
        due_at: The due instant.
    """
    return Timeliness.IN_TIME if as_of <= due_at else Timeliness.OVERDUE
