"""Timeliness, the overdue queue, reminders and the figures a district reports.

All pure functions over cases and an instant; none reads a clock. Timeliness is
judged against the case's current record: a reopened case is open again until
it is answered again.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from tthc_core.calendar import Deadlines, Duration, TimeUnit, to_local
from tthc_core.complaint import _events as ev
from tthc_core.complaint._case import Case
from tthc_core.complaint._kinds import CaseKind
from tthc_core.errors import InvalidInput

__all__ = [
    "CaseCounts",
    "Timeliness",
    "due_in_queue",
    "overdue",
    "reminders_due",
    "statistics",
    "timeliness",
]


class Timeliness(enum.Enum):
    """How a case stands against its period at an instant."""

    NO_DEADLINE = "no_deadline"  # open, and no text sets a period for this step
    PAUSED = "paused"  # suspended: the period does not count
    IN_TIME = "in_time"  # open, before the end of the period
    OVERDUE = "overdue"  # open, past the end of the period
    DONE_IN_TIME = "done_in_time"
    DONE_LATE = "done_late"
    DONE = "done"  # ended with no period to judge by (or withdrawn)

    @property
    def label_vi(self) -> str:
        """The Vietnamese wording for staff dashboards and citizens."""
        return _TIMELINESS_LABELS[self]


_TIMELINESS_LABELS = {
    Timeliness.NO_DEADLINE: "Không có thời hạn luật định",
    Timeliness.PAUSED: "Tạm dừng tính thời hạn",
    Timeliness.IN_TIME: "Trong hạn",
    Timeliness.OVERDUE: "Quá hạn",
    Timeliness.DONE_IN_TIME: "Đã giải quyết đúng hạn",
    Timeliness.DONE_LATE: "Đã giải quyết quá hạn",
    Timeliness.DONE: "Đã kết thúc",
}


def timeliness(case: Case, at: dt.datetime) -> Timeliness:
    """Where ``case`` stands against its period at ``at``.

    Args:
        case: The case.
        at: The instant to judge at.
    """
    if not case.is_open:
        if case.outcome_on_time is None:
            return Timeliness.DONE
        return Timeliness.DONE_IN_TIME if case.outcome_on_time else Timeliness.DONE_LATE
    if case.clock is None:
        return Timeliness.NO_DEADLINE
    due = case.clock.overdue_from
    if due is None:
        return Timeliness.PAUSED
    return Timeliness.IN_TIME if to_local(at) < due else Timeliness.OVERDUE


def due_in_queue(case: Case) -> dt.datetime | None:
    """The instant ``case`` joins the overdue queue (None: nothing is running).

    The one definition of "overdue" for complaint cases: a case is overdue at
    ``now`` exactly when ``due_in_queue(case) <= now``. The due instant is the
    exclusive end of the period (24:00 of its last day, Civil Code 2015 Art.
    148), i.e. the first instant the step is late; a period already missed
    keeps the case in the queue after a late extension (:attr:`Clock.missed_at`).

    It covers open cases and decisions resolved but not yet sent or published
    within their limit (Law on Complaints 02/2011/QH13 Art. 32: the decision is
    sent within 3 working days). :func:`overdue` filters with it in memory;
    storage indexes it (:data:`tthc_core.storage.kinds.COMPLAINTS`) and
    ``Repository.due_by(now)`` queries it with the same ``<=``.
    """
    return None if case.clock is None else case.clock.overdue_from


def overdue(cases: Iterable[Case], at: dt.datetime) -> list[Case]:
    """Cases overdue at ``at`` (:func:`due_in_queue` ``<= at``), most overdue first.

    Includes results not yet sent or published in time. Ties are ordered by
    case id, as ``Repository.due_by`` orders them by key.
    """
    now = to_local(at)
    late = [(due, c.case_id, c) for c in cases if (due := due_in_queue(c)) is not None]
    return [c for due, _, c in sorted(late, key=lambda r: (r[0], r[1])) if due <= now]


def _lead_reached(at: dt.datetime, due: dt.datetime, lead: Duration, deadlines: Deadlines) -> bool:
    if lead.unit is TimeUnit.CALENDAR_DAYS:
        return due - to_local(at) <= dt.timedelta(days=lead.amount)
    return deadlines.working_minutes_between(at, due) <= deadlines.minutes_of(lead)


def reminders_due(
    case: Case, at: dt.datetime, *, lead: Duration, deadlines: Deadlines
) -> list[ev.DeadlineNotice]:
    """Reminder events for the notifier: the period ends within ``lead``, or has ended.

    Nothing is changed on the case; the notifier turns the events into messages
    (and de-duplicates them per case, step and due instant).

    Args:
        case: The case.
        at: Now.
        lead: How long before the end to remind (working or calendar time).
        deadlines: The agency's calendar (to measure working time).
    """
    clock, due = case.clock, due_in_queue(case)  # a missed period stays missed
    if clock is None or due is None:
        return []
    event_type = ev.DeadlineMissed if to_local(at) >= due else ev.DeadlineApproaching
    if event_type is ev.DeadlineApproaching and not _lead_reached(at, due, lead, deadlines):
        return []
    return [
        event_type(
            occurred_at=at,
            case_id=case.case_id,
            step=clock.step,
            due_at=due,
            unit=case.unit,
            handler=case.handler,
        )
    ]


@attrs.frozen
class CaseCounts:
    """The figures for one kind and unit over a period.

    Args:
        received: Cases received in the period.
        handled: Cases whose handling ended in the period (withdrawals excluded).
        handled_in_time: Of those, ended within their period.
        handled_late: Of those, ended after it.
        pending: Cases open at the end of the period.
        overdue: Of those, past the end of their period.
    """

    received: int = 0
    handled: int = 0
    handled_in_time: int = 0
    handled_late: int = 0
    pending: int = 0
    overdue: int = 0


#: The unit name used for cases nobody has been assigned yet.
UNASSIGNED = "(chưa giao)"


def statistics(
    cases: Iterable[Case], start: dt.datetime, end: dt.datetime
) -> Mapping[tuple[CaseKind, str], CaseCounts]:
    """Counts by kind and unit for the period ``[start, end)``.

    Args:
        cases: The cases to count.
        start: Start of the period (inclusive).
        end: End of the period (exclusive); pending and overdue are as of it.

    Raises:
        InvalidInput: If ``end`` is not after ``start``.
    """
    lo, hi = to_local(start), to_local(end)
    if hi <= lo:
        raise InvalidInput("the reporting period must end after it starts")
    tallies: dict[tuple[CaseKind, str], Counter[str]] = {}
    for case in cases:
        tally = tallies.setdefault((case.kind, case.unit or UNASSIGNED), Counter())
        if lo <= case.received_at < hi:
            tally["received"] += 1
        ended = case.outcome_at
        handled = case.outcome is not None and case.outcome.handled
        if handled and ended is not None and lo <= ended < hi:
            tally["handled"] += 1
            if case.outcome_on_time is not None:
                tally["handled_in_time" if case.outcome_on_time else "handled_late"] += 1
        if case.received_at < hi and (ended is None or ended >= hi):
            tally["pending"] += 1
            due = due_in_queue(case)
            if case.is_open and due is not None and due <= hi:
                tally["overdue"] += 1
    return {key: CaseCounts(**tally) for key, tally in tallies.items() if tally}
