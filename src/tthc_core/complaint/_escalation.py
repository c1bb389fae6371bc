"""The second-level complaint (khiếu nại lần hai) and its window.

Law on Complaints 02/2011/QH13 Art. 33(1): "Trong thời hạn 30 ngày, kể từ ngày
hết thời hạn giải quyết ... mà khiếu nại lần đầu không được giải quyết hoặc kể
từ ngày nhận được quyết định giải quyết khiếu nại lần đầu mà người khiếu nại
không đồng ý thì có quyền khiếu nại đến người có thẩm quyền giải quyết khiếu nại
lần hai" (45 days in remote, hard-to-reach areas).
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import Deadlines, to_local
from tthc_core.complaint import _events as ev
from tthc_core.complaint._case import Case, Outcome
from tthc_core.complaint._kinds import CaseState, ComplaintLevel, ReceivingAgency, Step
from tthc_core.complaint._law import rule_for
from tthc_core.complaint._rules import Result, emit, is_stale, require, start_clock
from tthc_core.errors import DomainRuleViolation, InvalidInput

__all__ = ["escalate"]

_ART_33 = "Law on Complaints 02/2011/QH13 Art. 33(1)"


def _escalation_start(case: Case, at: dt.datetime, received_on: dt.date | None) -> dt.date | None:
    """The day the second-level window opens (Law on Complaints Art. 33(1)).

    "kể từ ngày nhận được quyết định giải quyết khiếu nại lần đầu": the day the
    complainant received the first-level decision, not the day it was issued;
    or "kể từ ngày hết thời hạn giải quyết": the last day of the first-level
    period when no decision was issued. None when a decision was issued and the
    day the complainant received it is not known (policy ``UNKNOWN_RECEIPT_OPEN``).

    Raises:
        InvalidInput: A receipt day before the decision or after ``at``.
        DomainRuleViolation: No decision and the first-level period still runs.
    """
    if case.outcome is Outcome.RESOLVED and case.outcome_at is not None:
        if received_on is None:
            return None
        if received_on < case.outcome_at.date() or received_on > to_local(at).date():
            raise InvalidInput(
                f"the decision of {case.outcome_at.date().isoformat()} cannot have been "
                f"received on {received_on.isoformat()}: give a day between the decision "
                "and the second-level complaint"
            )
        return received_on
    if received_on is not None:
        raise InvalidInput("no first-level decision was issued, so none was received")
    clock = case.clock
    due = None if clock is None or clock.step is not Step.RESOLVE else clock.overdue_from
    if clock is not None and clock.due_at is not None and due is not None and to_local(at) >= due:
        # Open from the end the agency missed; counted from the last day of the period
        # in force (a late extension for a complex case must not shorten the window).
        return (clock.due_at - dt.timedelta(microseconds=1)).date()
    raise DomainRuleViolation(
        "a second-level complaint needs a first-level decision or an expired first-level period",
        rule=_ART_33,
    )


def escalate(
    case: Case,
    *,
    at: dt.datetime,
    to: ReceivingAgency,
    deadlines: Deadlines,
    decision_received_on: dt.date | None = None,
) -> Result:
    """File the second-level complaint (khiếu nại lần hai) with ``to``.

    Law on Complaints 2011 Art. 33(1): within 30 days (45 in remote areas) of
    the day the complainant *received* the first-level decision, or of the end
    of the first-level period when no decision was issued. Periods are counted
    by Civil Code 2015 Art. 147-148 (from the next day, to 24:00 of the last
    day, past days off). A closed first-level file can still be escalated while
    the window runs (closing keeps the window open; see docs/complaint.md).

    Policy ``UNKNOWN_RECEIPT_OPEN``: when a decision was issued and the day the
    complainant received it is not given, the window is not judged — the law
    counts from receipt, and without that day nothing shows the right lapsed.
    Pass ``decision_received_on`` (from the delivery record or the signed
    acknowledgement) to have the window checked.

    Args:
        case: The first-level complaint.
        at: When the second-level complaint was filed.
        to: The second-level authority.
        deadlines: The calendar.
        decision_received_on: The day the complainant received the first-level decision.

    Raises:
        DomainRuleViolation: Not a first-level complaint, too early, or too late.
        InvalidInput: A receipt day before the decision or after filing.
    """
    if is_stale(case, at):
        return case, []
    if case.level is not ComplaintLevel.FIRST:
        raise DomainRuleViolation(
            "only a first-level complaint can be escalated",
            rule="Law on Complaints 02/2011/QH13 Art. 7, 33",
        )
    require(case, CaseState.RECEIVED)
    opened = _escalation_start(case, at, decision_received_on)
    window = (
        None if opened is None else rule_for(case.kind, Step.ESCALATE, opened, level=case.level)
    )
    if opened is not None and window is not None:
        ends = deadlines.due_by_days(opened, window.limit_for(case.agency.remote_area))
        if to_local(at) >= ends:
            raise DomainRuleViolation(
                f"the window for a second-level complaint ended at {ends.isoformat()}",
                rule=window.citation,
            )
    clock = start_clock(
        case.kind, ComplaintLevel.SECOND, Step.ACCEPT, at=at, agency=to, deadlines=deadlines
    )
    return emit(
        case,
        ev.CaseEscalated(
            occurred_at=at, case_id=case.case_id, agency=to, clock=clock, window_opened_on=opened
        ),
    )
