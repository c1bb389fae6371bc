"""Lifecycle commands: each takes a case and an instant, returns ``(case, events)``.

Every command first checks staleness: a command dated before the case's last
applied event is ignored and returns ``(case, [])`` without error (idempotent
replays and late channel updates are harmless). Otherwise it checks the kind's
transition table and the rule of its article, then folds one event.
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import Deadlines, to_local
from tthc_core.complaint import _events as ev
from tthc_core.complaint._case import Case, Outcome
from tthc_core.complaint._kinds import (
    CaseKind,
    CaseState,
    ComplaintLevel,
    ReceivingAgency,
    Step,
    Variant,
)
from tthc_core.complaint._law import rule_for
from tthc_core.complaint._rules import Result, emit, is_stale, on_time, require, start_clock, text
from tthc_core.errors import DomainRuleViolation, InvalidInput

__all__ = [
    "accept",
    "assign",
    "close",
    "decline",
    "escalate",
    "extend",
    "forward",
    "hold_dialogue",
    "publish",
    "reopen",
    "resolve",
    "resume",
    "start_verification",
    "suspend",
    "terminate",
    "withdraw",
]

S = CaseState
_HANDLING = frozenset({S.ACCEPTED, S.ASSIGNED})
_ANSWERED = frozenset({S.RESOLVED, S.PUBLISHED, S.CLOSED})


def accept(case: Case, *, at: dt.datetime, deadlines: Deadlines) -> Result:
    """Accept the case (thụ lý); the resolution period starts from today.

    Law on Complaints 2011 Art. 27/36, Law on Denunciations 2018 Art. 29.
    """
    if is_stale(case, at):
        return case, []
    require(case, S.ACCEPTED, sources=frozenset({S.RECEIVED}))
    clock = start_clock(
        case.kind, case.level, Step.RESOLVE, at=at, agency=case.agency, deadlines=deadlines
    )
    return emit(
        case,
        ev.CaseAccepted(
            occurred_at=at, case_id=case.case_id, on_time=on_time(case.clock, at), clock=clock
        ),
    )


def decline(case: Case, *, at: dt.datetime, reason: str) -> Result:
    """Do not accept, stating why (Law on Complaints 2011 Art. 27: "nêu rõ lý do")."""
    if is_stale(case, at):
        return case, []
    require(case, S.NOT_ACCEPTED)
    return emit(
        case,
        ev.CaseNotAccepted(
            occurred_at=at,
            case_id=case.case_id,
            reason=text(reason, "the reason for not accepting"),
            on_time=on_time(case.clock, at),
        ),
    )


def forward(case: Case, *, at: dt.datetime, to: str, reason: str, deadlines: Deadlines) -> Result:
    """Forward to the competent agency.

    Timed by the kind's forwarding period where a text sets one (Law on
    Denunciations 2018 Art. 24(2), Decree 20/2008 Art. 9(1)(d): 5 working days
    from receipt), otherwise by the acceptance period.
    """
    if is_stale(case, at):
        return case, []
    require(case, S.FORWARDED)
    received = case.received_at.date()
    rule = rule_for(case.kind, Step.FORWARD, received, level=case.level)
    if rule is None:
        timely = on_time(case.clock, at)
    else:
        due = deadlines.due_by_days(received, rule.limit_for(case.agency.remote_area))
        timely = to_local(at) < due
    return emit(
        case,
        ev.CaseForwarded(
            occurred_at=at,
            case_id=case.case_id,
            to=text(to, "the competent agency"),
            reason=text(reason, "the reason for forwarding"),
            on_time=timely,
        ),
    )


def assign(case: Case, *, at: dt.datetime, unit: str, handler: str) -> Result:
    """Assign (or reassign) to a unit and a handler."""
    if is_stale(case, at):
        return case, []
    require(case, S.ASSIGNED, sources=_HANDLING)
    return emit(
        case,
        ev.CaseAssigned(
            occurred_at=at,
            case_id=case.case_id,
            unit=text(unit, "unit"),
            handler=text(handler, "handler"),
        ),
    )


def start_verification(case: Case, *, at: dt.datetime) -> Result:
    """Start verifying the content (Law on Complaints Art. 29, Denunciations Art. 31)."""
    if is_stale(case, at):
        return case, []
    require(case, S.VERIFYING, sources=frozenset({S.ASSIGNED}))
    return emit(case, ev.VerificationStarted(occurred_at=at, case_id=case.case_id))


def hold_dialogue(case: Case, *, at: dt.datetime, record_ref: str | None = None) -> Result:
    """Record a dialogue (đối thoại; Law on Complaints Art. 30, 39)."""
    if is_stale(case, at):
        return case, []
    require(case, S.DIALOGUE, sources=frozenset({S.VERIFYING}))
    return emit(case, ev.DialogueHeld(occurred_at=at, case_id=case.case_id, record_ref=record_ref))


_SECOND_LEVEL_DIALOGUE = (
    "Law on Complaints 02/2011/QH13 Art. 39; Decree 124/2020/NĐ-CP Art. 28(2), "
    "amended by Decree 155/2026/NĐ-CP Art. 11"
)


def resolve(
    case: Case,
    *,
    at: dt.datetime,
    summary: str,
    deadlines: Deadlines,
    document_ref: str | None = None,
) -> Result:
    """Answer, decide or conclude; the period to send or publish the result starts.

    A second-level complaint is decided only after a dialogue.

    Raises:
        DomainRuleViolation: A second-level decision without dialogue.
    """
    if is_stale(case, at):
        return case, []
    require(case, S.RESOLVED)
    if case.level is ComplaintLevel.SECOND and not case.dialogue_held:
        raise DomainRuleViolation(
            "a second-level complaint is decided only after a dialogue with the complainant",
            rule=_SECOND_LEVEL_DIALOGUE,
        )
    return emit(
        case,
        ev.CaseResolved(
            occurred_at=at,
            case_id=case.case_id,
            summary=text(summary, "the outcome summary"),
            document_ref=document_ref,
            on_time=on_time(case.clock, at, Step.RESOLVE),
            clock=start_clock(
                case.kind, case.level, Step.PUBLISH, at=at, agency=case.agency, deadlines=deadlines
            ),
        ),
    )


def publish(case: Case, *, at: dt.datetime) -> Result:
    """Send or publish the result."""
    if is_stale(case, at):
        return case, []
    require(case, S.PUBLISHED)
    return emit(case, ev.CasePublished(occurred_at=at, case_id=case.case_id))


def close(case: Case, *, at: dt.datetime) -> Result:
    """Close the case.

    Closing a decided first-level complaint keeps the second-level window open:
    the complainant may still escalate it within Law on Complaints Art. 33(1)'s
    30 days (:func:`escalate`); closing files the case, it does not cut a right.
    """
    if is_stale(case, at):
        return case, []
    require(case, S.CLOSED)
    return emit(case, ev.CaseClosed(occurred_at=at, case_id=case.case_id))


def reopen(case: Case, *, at: dt.datetime, reason: str, deadlines: Deadlines) -> Result:
    """Reopen an answered case (FixMyStreet's reopen; Law on Denunciations Art. 37).

    A new resolution period starts. A complaint is not reopened: the complainant
    escalates it (:func:`escalate`).
    """
    if is_stale(case, at):
        return case, []
    target = S.ACCEPTED if case.kind is CaseKind.DENUNCIATION else S.ASSIGNED
    require(case, target, sources=_ANSWERED)
    return emit(
        case,
        ev.CaseReopened(
            occurred_at=at,
            case_id=case.case_id,
            reason=text(reason, "the reason for reopening"),
            clock=start_clock(
                case.kind, case.level, Step.RESOLVE, at=at, agency=case.agency, deadlines=deadlines
            ),
        ),
    )


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
    require(case, S.RECEIVED)
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


def withdraw(case: Case, *, at: dt.datetime, reason: str = "") -> Result:
    """The sender withdraws (Law on Complaints Art. 10; Law on Denunciations Art. 33)."""
    if is_stale(case, at):
        return case, []
    require(case, S.WITHDRAWN)
    return emit(case, ev.CaseWithdrawn(occurred_at=at, case_id=case.case_id, reason=reason.strip()))


def suspend(case: Case, *, at: dt.datetime, reason: str, deadlines: Deadlines) -> Result:
    """Suspend handling (tạm đình chỉ); the period stops after today.

    Law on Complaints Art. 11a (added by Law 136/2025/QH15), Decree 124/2020
    Art. 28a-28b (added by Decree 155/2026 Art. 12); Law on Denunciations Art. 34.
    """
    if is_stale(case, at):
        return case, []
    require(case, S.SUSPENDED)
    clock = None if case.clock is None else case.clock.pause(to_local(at).date(), deadlines)
    return emit(
        case,
        ev.CaseSuspended(
            occurred_at=at,
            case_id=case.case_id,
            reason=text(reason, "the ground for suspension"),
            clock=clock,
        ),
    )


def resume(case: Case, *, at: dt.datetime, deadlines: Deadlines) -> Result:
    """Continue handling; the period counts on from the decision to continue.

    Decree 124/2020 Art. 28b(2), added by Decree 155/2026/NĐ-CP Art. 12: "Thời hạn
    giải quyết khiếu nại tiếp tục được tính từ ngày ban hành quyết định tiếp tục".
    """
    if is_stale(case, at):
        return case, []
    if case.state is not S.SUSPENDED or case.suspended_from is None:
        raise DomainRuleViolation(
            f"only a suspended case can resume; this one is {case.state.value}",
            rule=f"transition table of {case.kind.value}",
        )
    clock = None if case.clock is None else case.clock.resume(to_local(at).date(), deadlines)
    return emit(case, ev.CaseResumed(occurred_at=at, case_id=case.case_id, clock=clock))


def terminate(case: Case, *, at: dt.datetime, reason: str) -> Result:
    """Terminate handling (đình chỉ; Law on Complaints Art. 11a, Denunciations Art. 34)."""
    if is_stale(case, at):
        return case, []
    require(case, S.TERMINATED)
    return emit(
        case,
        ev.CaseTerminated(occurred_at=at, case_id=case.case_id, reason=text(reason, "the ground")),
    )


def extend(
    case: Case, *, at: dt.datetime, variant: Variant, reason: str, deadlines: Deadlines
) -> Result:
    """Apply the longer limit of ``variant`` to the current step, as the law allows.

    Complex complaints (Law on Complaints Art. 28, 37; Decree 124/2020 Art. 3a
    added by Decree 155/2026 Art. 2), denunciation extensions (Law on
    Denunciations Art. 30(2)-(4)), initial processing at several places (Art. 24(1)).

    Raises:
        DomainRuleViolation: No period runs, or the law has no longer limit of
            ``variant`` for this step, or one decision would extend a
            denunciation by more than 30 days (Art. 30(1): each extension at
            most 30 days).
    """
    if is_stale(case, at):
        return case, []
    clock = case.clock
    if clock is None or not case.is_open:
        raise DomainRuleViolation(
            "no statutory period is running for this case", rule="the law table"
        )
    rule = rule_for(case.kind, clock.step, clock.rule_on, level=case.level, variant=variant)
    if rule is None or rule.limit_for(case.agency.remote_area).amount <= clock.limit.amount:
        raise DomainRuleViolation(
            f"the law sets no longer {variant.value} limit for the {clock.step.value} step "
            f"of a {case.kind.value}",
            rule=clock.citation,
        )
    added = rule.limit_for(case.agency.remote_area).amount - clock.limit.amount
    if case.kind is CaseKind.DENUNCIATION and clock.step is Step.RESOLVE and added > 30:
        raise DomainRuleViolation(
            f"one extension adds at most 30 days, not {added}; an especially complex "
            "denunciation is extended twice (complex first)",
            rule="Law on Denunciations 25/2018/QH14 Art. 30(1)",
        )
    return emit(
        case,
        ev.DeadlineExtended(
            occurred_at=at,
            case_id=case.case_id,
            variant=variant,
            reason=text(reason, "the reason for the extension"),
            clock=clock.extend(rule, remote=case.agency.remote_area, deadlines=deadlines, at=at),
        ),
    )
