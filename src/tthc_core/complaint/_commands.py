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
from tthc_core.complaint._case import Case
from tthc_core.complaint._kinds import (
    CaseKind,
    CaseState,
    ComplaintLevel,
    Step,
    Variant,
)
from tthc_core.complaint._law import rule_for
from tthc_core.complaint._rules import Result, emit, is_stale, on_time, require, start_clock, text
from tthc_core.errors import DomainRuleViolation

__all__ = [
    "ANSWERED",
    "accept",
    "assign",
    "close",
    "decline",
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
#: The states an answered case is reopened from (:func:`reopen`).
ANSWERED = frozenset({S.RESOLVED, S.PUBLISHED, S.CLOSED})


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
    require(case, target, sources=ANSWERED)
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
