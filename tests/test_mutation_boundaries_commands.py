"""The exact event of every complaint command (``tthc_core.complaint._commands``, issue 15).

Each command is checked on the event it folds (field by field, so a field dropped or taken
from the wrong input fails), on the guard it applies (a stale command is ignored; a wrong
state names the kind's table; a blank text names what is missing) and on its timeliness,
on both sides of the period's end (24:00 of its last day, Civil Code 2015 Art. 148).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, to_local
from tthc_core.codes import AgencyCode
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import Applicant

D = default_deadlines()
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
REMOTE = cp.ReceivingAgency(AgencyCode("000.00.16.H15"), "UBND xã Ea Kiết", remote_area=True)
K, S = cp.CaseKind, cp.CaseState
SENDER = Applicant("Nguyễn Văn An", address="Thôn 1, xã Ea Tóh")
MINUTE = dt.timedelta(minutes=1)


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN_TZ)


def received(
    kind: cp.CaseKind = K.PETITION,
    agency: cp.ReceivingAgency = AGENCY,
    when: dt.datetime | None = None,
) -> cp.Case:
    case, _ = cp.receive(
        case_id="C-1", kind=kind, at=when or at(7, 6), channel=cp.Channel.WEB, agency=agency,
        deadlines=D, content="Nội dung", sender=SENDER,
    )  # fmt: skip
    return case


def accepted(kind: cp.CaseKind = K.PETITION, agency: cp.ReceivingAgency = AGENCY) -> cp.Case:
    return cp.accept(received(kind, agency), at=at(7, 6, 10), deadlines=D)[0]


def assigned(kind: cp.CaseKind = K.PETITION) -> cp.Case:
    return cp.assign(accepted(kind), at=at(7, 7), unit="Tư pháp", handler="cb-1")[0]


def verifying(kind: cp.CaseKind = K.COMPLAINT) -> cp.Case:
    return cp.start_verification(assigned(kind), at=at(7, 8))[0]


def resolved(kind: cp.CaseKind = K.PETITION) -> cp.Case:
    """Resolved on 9/7 (complaints and denunciations are verified first)."""
    case = verifying(kind) if kind in (K.COMPLAINT, K.DENUNCIATION) else assigned(kind)
    return cp.resolve(case, at=at(7, 9), summary="Đã trả lời", deadlines=D)[0]


def due_of(case: cp.Case) -> dt.datetime:
    assert case.clock is not None
    due = case.clock.overdue_from
    assert due is not None
    return due


# -- staleness: a command dated before the last event is ignored ------------------------------

COMMANDS: dict[str, tuple[Callable[[], cp.Case], Callable[[cp.Case, dt.datetime], Any]]] = {
    "accept": (received, lambda c, t: cp.accept(c, at=t, deadlines=D)),
    "decline": (received, lambda c, t: cp.decline(c, at=t, reason="Không thuộc thẩm quyền")),
    "forward": (
        received,
        lambda c, t: cp.forward(c, at=t, to="UBND huyện", reason="Thẩm quyền", deadlines=D),
    ),
    "assign": (accepted, lambda c, t: cp.assign(c, at=t, unit="Tư pháp", handler="cb-1")),
    "start_verification": (
        lambda: assigned(K.COMPLAINT),
        lambda c, t: cp.start_verification(c, at=t),
    ),
    "hold_dialogue": (verifying, lambda c, t: cp.hold_dialogue(c, at=t)),
    "resolve": (assigned, lambda c, t: cp.resolve(c, at=t, summary="Trả lời", deadlines=D)),
    "publish": (resolved, lambda c, t: cp.publish(c, at=t)),
    "close": (resolved, lambda c, t: cp.close(c, at=t)),
    "reopen": (
        lambda: resolved(K.DENUNCIATION),
        lambda c, t: cp.reopen(c, at=t, reason="Có tình tiết mới", deadlines=D),
    ),
    "withdraw": (accepted, lambda c, t: cp.withdraw(c, at=t, reason="Tự nguyện")),
    "suspend": (
        lambda: assigned(K.COMPLAINT),
        lambda c, t: cp.suspend(c, at=t, reason="Chờ kết quả giám định", deadlines=D),
    ),
    "terminate": (lambda: assigned(K.COMPLAINT), lambda c, t: cp.terminate(c, at=t, reason="Rút")),
    "extend": (
        lambda: assigned(K.COMPLAINT),
        lambda c, t: cp.extend(c, at=t, variant=cp.Variant.COMPLEX, reason="Phức tạp", deadlines=D),
    ),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_before_the_last_event_is_ignored_and_one_at_that_instant_applies(
    name: str,
) -> None:
    make, run = COMMANDS[name]
    case = make()
    assert run(case, case.updated_at - MINUTE) == (case, [])
    after, events = run(case, case.updated_at)
    assert len(events) == 1
    assert after == cp.apply_event(case, events[0])
    assert events[0].occurred_at == case.updated_at
    assert events[0].case_id == case.case_id


# -- the events, field by field ----------------------------------------------------------------


def test_accept_on_time_up_to_the_period_end_and_starts_the_resolution_period() -> None:
    case = received()
    end = due_of(case)
    for when, timely in ((end - MINUTE, True), (end, False)):
        after, events = cp.accept(case, at=when, deadlines=D)
        rule = cp.rule_for(K.PETITION, cp.Step.RESOLVE, to_local(when).date())
        assert rule is not None
        assert events == [
            cp.CaseAccepted(
                occurred_at=when,
                case_id="C-1",
                on_time=timely,
                clock=cp.Clock.start(rule, remote=False, on=to_local(when).date(), deadlines=D),
            )
        ]
        assert after.state is S.ACCEPTED


def test_accept_only_from_received() -> None:
    with pytest.raises(DomainRuleViolation) as info:
        cp.accept(accepted(), at=at(7, 7), deadlines=D)
    assert info.value.reason == "a petition case that is accepted cannot become accepted"
    assert info.value.rule == "transition table of petition"


def test_decline_states_the_reason_and_its_timeliness() -> None:
    case = received()
    end = due_of(case)
    for when, timely in ((end - MINUTE, True), (end, False)):
        after, events = cp.decline(case, at=when, reason="  Không thuộc thẩm quyền ")
        assert events == [
            cp.CaseNotAccepted(
                occurred_at=when, case_id="C-1", reason="Không thuộc thẩm quyền", on_time=timely
            )
        ]
        assert after.state is S.NOT_ACCEPTED
    with pytest.raises(InvalidInput) as info:
        cp.decline(case, at=at(7, 7), reason="  ")
    assert info.value.reason == "the reason for not accepting must be given (a non-blank text)"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.decline(resolved(), at=at(7, 10), reason="Lý do")
    assert wrong.value.reason == "a petition case that is resolved cannot become not_accepted"
    assert wrong.value.rule == "transition table of petition"


def test_forward_timed_by_the_forwarding_period_where_the_law_sets_one() -> None:
    """Law on Denunciations 2018 Art. 24(2): forwarded within 5 working days of receipt."""
    case = received(K.DENUNCIATION)
    rule = cp.rule_for(K.DENUNCIATION, cp.Step.FORWARD, case.received_at.date())
    assert rule is not None
    end = D.due_by_days(case.received_at.date(), rule.limit_for(False))
    for when, timely in ((end - MINUTE, True), (end, False)):
        after, events = cp.forward(
            case, at=when, to=" UBND huyện ", reason=" Thẩm quyền ", deadlines=D
        )
        assert events == [
            cp.CaseForwarded(
                occurred_at=when,
                case_id="C-1",
                to="UBND huyện",
                reason="Thẩm quyền",
                on_time=timely,
            )
        ]
        assert after.state is S.FORWARDED


def test_forward_in_a_remote_area_takes_the_remote_limit() -> None:
    case = received(K.DENUNCIATION, REMOTE)
    rule = cp.rule_for(K.DENUNCIATION, cp.Step.FORWARD, case.received_at.date())
    assert rule is not None
    end = D.due_by_days(case.received_at.date(), rule.limit_for(True))
    assert cp.forward(case, at=end - MINUTE, to="Huyện", reason="Lý do", deadlines=D)[1][0].on_time
    assert not cp.forward(case, at=end, to="Huyện", reason="Lý do", deadlines=D)[1][0].on_time


def test_forward_without_a_forwarding_period_is_timed_by_the_acceptance_period() -> None:
    case = received(K.COMPLAINT)
    assert cp.rule_for(K.COMPLAINT, cp.Step.FORWARD, case.received_at.date()) is None
    end = due_of(case)
    assert cp.forward(case, at=end - MINUTE, to="Huyện", reason="Lý do", deadlines=D)[1][0].on_time
    assert not cp.forward(case, at=end, to="Huyện", reason="Lý do", deadlines=D)[1][0].on_time


def test_forward_needs_an_agency_and_a_reason() -> None:
    case = received()
    with pytest.raises(InvalidInput) as info:
        cp.forward(case, at=at(7, 7), to=" ", reason="Lý do", deadlines=D)
    assert info.value.reason == "the competent agency must be given (a non-blank text)"
    with pytest.raises(InvalidInput) as info:
        cp.forward(case, at=at(7, 7), to="Huyện", reason="", deadlines=D)
    assert info.value.reason == "the reason for forwarding must be given (a non-blank text)"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.forward(resolved(), at=at(7, 10), to="Huyện", reason="Lý do", deadlines=D)
    assert wrong.value.reason == "a petition case that is resolved cannot become forwarded"


def test_assign_and_reassign_name_unit_and_handler() -> None:
    case = accepted()
    after, events = cp.assign(case, at=at(7, 7), unit=" Tư pháp ", handler=" cb-1 ")
    assert events == [
        cp.CaseAssigned(occurred_at=at(7, 7), case_id="C-1", unit="Tư pháp", handler="cb-1")
    ]
    again, more = cp.assign(after, at=at(7, 8), unit="Văn phòng", handler="cb-2")
    assert more == [
        cp.CaseAssigned(occurred_at=at(7, 8), case_id="C-1", unit="Văn phòng", handler="cb-2")
    ]
    assert (again.state, again.unit, again.handler) == (S.ASSIGNED, "Văn phòng", "cb-2")
    with pytest.raises(InvalidInput) as info:
        cp.assign(case, at=at(7, 7), unit="", handler="cb-1")
    assert info.value.reason == "unit must be given (a non-blank text)"
    with pytest.raises(InvalidInput) as info:
        cp.assign(case, at=at(7, 7), unit="Tư pháp", handler=" ")
    assert info.value.reason == "handler must be given (a non-blank text)"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.assign(received(), at=at(7, 7), unit="Tư pháp", handler="cb-1")
    assert wrong.value.reason == "a petition case that is received cannot become assigned"
    assert wrong.value.rule == "transition table of petition"


def test_verification_and_dialogue() -> None:
    case = assigned(K.COMPLAINT)
    after, events = cp.start_verification(case, at=at(7, 8))
    assert events == [cp.VerificationStarted(occurred_at=at(7, 8), case_id="C-1")]
    assert after.state is S.VERIFYING
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.start_verification(accepted(K.COMPLAINT), at=at(7, 8))
    assert wrong.value.reason == "a complaint case that is accepted cannot become verifying"
    talked, said = cp.hold_dialogue(after, at=at(7, 9), record_ref="BB-1")
    assert said == [cp.DialogueHeld(occurred_at=at(7, 9), case_id="C-1", record_ref="BB-1")]
    assert (talked.state, talked.dialogue_held) == (S.DIALOGUE, True)
    assert cp.hold_dialogue(after, at=at(7, 9))[1][0].record_ref is None
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.hold_dialogue(case, at=at(7, 9))
    assert wrong.value.reason == "a complaint case that is assigned cannot become dialogue"


def test_resolve_is_timed_by_the_resolution_period_and_starts_the_publication_period() -> None:
    case = assigned()
    end = due_of(case)
    for when, timely in ((end - MINUTE, True), (end, False)):
        after, events = cp.resolve(
            case, at=when, summary=" Đã trả lời ", deadlines=D, document_ref="VB-1"
        )
        rule = cp.rule_for(K.PETITION, cp.Step.PUBLISH, to_local(when).date())
        clock = (
            None
            if rule is None
            else cp.Clock.start(rule, remote=False, on=to_local(when).date(), deadlines=D)
        )
        assert events == [
            cp.CaseResolved(
                occurred_at=when, case_id="C-1", summary="Đã trả lời", document_ref="VB-1",
                on_time=timely, clock=clock,
            )
        ]  # fmt: skip
        assert after.state is S.RESOLVED
    assert cp.resolve(case, at=end, summary="x", deadlines=D)[1][0].document_ref is None
    with pytest.raises(InvalidInput) as info:
        cp.resolve(case, at=end, summary=" ", deadlines=D)
    assert info.value.reason == "the outcome summary must be given (a non-blank text)"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.resolve(received(), at=at(7, 7), summary="x", deadlines=D)
    assert wrong.value.reason == "a petition case that is received cannot become resolved"


def test_a_denunciation_resolution_starts_its_publication_period() -> None:
    case = verifying(K.DENUNCIATION)
    when = at(7, 9)
    rule = cp.rule_for(K.DENUNCIATION, cp.Step.PUBLISH, when.date())
    event = cp.resolve(case, at=when, summary="Kết luận", deadlines=D)[1][0]
    if rule is None:
        assert event.clock is None
    else:
        assert event.clock == cp.Clock.start(rule, remote=False, on=when.date(), deadlines=D)
        assert event.clock.step is cp.Step.PUBLISH


def test_a_first_level_complaint_is_decided_without_a_dialogue() -> None:
    """Only the second level needs one (Law on Complaints Art. 39); the first may skip it."""
    case = verifying(K.COMPLAINT)
    assert case.level is cp.ComplaintLevel.FIRST
    after, _ = cp.resolve(case, at=at(7, 10), summary="Quyết định", deadlines=D)
    assert after.state is S.RESOLVED


def test_publish_close_withdraw_and_terminate() -> None:
    case = resolved()
    out, events = cp.publish(case, at=at(7, 10))
    assert events == [cp.CasePublished(occurred_at=at(7, 10), case_id="C-1")]
    assert out.state is S.PUBLISHED
    shut, events = cp.close(out, at=at(7, 11))
    assert events == [cp.CaseClosed(occurred_at=at(7, 11), case_id="C-1")]
    assert shut.state is S.CLOSED
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.publish(received(), at=at(7, 7))
    assert wrong.value.reason == "a petition case that is received cannot become published"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.close(received(), at=at(7, 7))
    assert wrong.value.reason == "a petition case that is received cannot become closed"
    gone, events = cp.withdraw(accepted(), at=at(7, 7), reason="  Tự nguyện ")
    assert events == [cp.CaseWithdrawn(occurred_at=at(7, 7), case_id="C-1", reason="Tự nguyện")]
    assert gone.state is S.WITHDRAWN
    assert cp.withdraw(accepted(), at=at(7, 7))[1][0].reason == ""
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.withdraw(shut, at=at(7, 12))
    assert wrong.value.reason == "a petition case that is closed cannot become withdrawn"
    ended, events = cp.terminate(
        assigned(K.COMPLAINT), at=at(7, 8), reason=" Người khiếu nại chết "
    )
    assert events == [
        cp.CaseTerminated(occurred_at=at(7, 8), case_id="C-1", reason="Người khiếu nại chết")
    ]
    assert ended.state is S.TERMINATED
    with pytest.raises(InvalidInput) as info:
        cp.terminate(assigned(K.COMPLAINT), at=at(7, 8), reason=" ")
    assert info.value.reason == "the ground must be given (a non-blank text)"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.terminate(ended, at=at(7, 9), reason="Lý do")
    assert wrong.value.reason == "a complaint case that is terminated cannot become terminated"


def test_reopen_starts_a_new_resolution_period_into_accepted_or_assigned() -> None:
    """Law on Denunciations Art. 37: a denunciation reopens to accepted, others to assigned."""
    for kind, target in ((K.DENUNCIATION, S.ACCEPTED), (K.PETITION, S.ASSIGNED)):
        case = resolved(kind)
        when = at(7, 10)
        after, events = cp.reopen(case, at=when, reason=" Tình tiết mới ", deadlines=D)
        rule = cp.rule_for(kind, cp.Step.RESOLVE, when.date())
        assert rule is not None
        assert events == [
            cp.CaseReopened(
                occurred_at=when, case_id="C-1", reason="Tình tiết mới",
                clock=cp.Clock.start(rule, remote=False, on=when.date(), deadlines=D),
            )
        ]  # fmt: skip
        assert after.state is target
    with pytest.raises(InvalidInput) as info:
        cp.reopen(resolved(), at=at(7, 10), reason="", deadlines=D)
    assert info.value.reason == "the reason for reopening must be given (a non-blank text)"
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.reopen(assigned(), at=at(7, 10), reason="Lý do", deadlines=D)
    assert wrong.value.reason == "a petition case that is assigned cannot become assigned"
    assert wrong.value.rule == "transition table of petition"


def test_suspend_pauses_the_period_and_resume_counts_on() -> None:
    """Decree 124/2020 Art. 28a-28b (Decree 155/2026 Art. 12)."""
    case = assigned(K.COMPLAINT)
    assert case.clock is not None
    when = at(7, 8)
    paused, events = cp.suspend(case, at=when, reason=" Chờ giám định ", deadlines=D)
    assert events == [
        cp.CaseSuspended(
            occurred_at=when, case_id="C-1", reason="Chờ giám định",
            clock=case.clock.pause(when.date(), D),
        )
    ]  # fmt: skip
    assert (paused.state, paused.suspended_from) == (S.SUSPENDED, S.ASSIGNED)
    with pytest.raises(InvalidInput) as info:
        cp.suspend(case, at=when, reason=" ", deadlines=D)
    assert info.value.reason == "the ground for suspension must be given (a non-blank text)"
    later = at(7, 20)
    back, events = cp.resume(paused, at=later, deadlines=D)
    assert paused.clock is not None
    assert events == [
        cp.CaseResumed(occurred_at=later, case_id="C-1", clock=paused.clock.resume(later.date(), D))
    ]
    assert back.state is S.ASSIGNED
    with pytest.raises(DomainRuleViolation) as wrong:
        cp.resume(case, at=later, deadlines=D)
    assert wrong.value.reason == "only a suspended case can resume; this one is assigned"
    assert wrong.value.rule == "transition table of complaint"


def test_extend_adds_the_longer_limit_of_a_complex_complaint() -> None:
    """Law on Complaints Art. 28: a complex case takes the longer limit."""
    case = assigned(K.COMPLAINT)
    clock = case.clock
    assert clock is not None
    rule = cp.rule_for(
        K.COMPLAINT, clock.step, clock.rule_on, level=case.level, variant=cp.Variant.COMPLEX
    )
    assert rule is not None
    when = at(7, 8)
    after, events = cp.extend(
        case, at=when, variant=cp.Variant.COMPLEX, reason=" Phức tạp ", deadlines=D
    )
    assert events == [
        cp.DeadlineExtended(
            occurred_at=when, case_id="C-1", variant=cp.Variant.COMPLEX, reason="Phức tạp",
            clock=clock.extend(rule, remote=False, deadlines=D, at=when),
        )
    ]  # fmt: skip
    assert after.clock == events[0].clock
    with pytest.raises(InvalidInput) as info:
        cp.extend(case, at=when, variant=cp.Variant.COMPLEX, reason="", deadlines=D)
    assert info.value.reason == "the reason for the extension must be given (a non-blank text)"


def test_extend_refuses_a_limit_no_longer_than_the_running_one() -> None:
    case = assigned(K.COMPLAINT)
    extended, _ = cp.extend(case, at=at(7, 8), variant=cp.Variant.COMPLEX, reason="x", deadlines=D)
    clock = extended.clock
    assert clock is not None
    with pytest.raises(DomainRuleViolation) as info:
        cp.extend(extended, at=at(7, 9), variant=cp.Variant.COMPLEX, reason="x", deadlines=D)
    assert info.value.reason == (
        "the law sets no longer complex limit for the resolve step of a complaint"
    )
    assert info.value.rule == clock.citation


def test_extend_needs_a_running_period_on_an_open_case() -> None:
    for case in (resolved(K.PETITION), cp.withdraw(accepted(K.COMPLAINT), at=at(7, 7))[0]):
        with pytest.raises(DomainRuleViolation) as info:
            cp.extend(case, at=at(7, 10), variant=cp.Variant.COMPLEX, reason="x", deadlines=D)
        assert info.value.reason == "no statutory period is running for this case"
        assert info.value.rule == "the law table"


def test_a_denunciation_extension_adds_at_most_thirty_days() -> None:
    """Law on Denunciations 2018 Art. 30(1): especially complex goes complex first."""
    case = assigned(K.DENUNCIATION)
    clock = case.clock
    assert clock is not None
    with pytest.raises(DomainRuleViolation) as info:
        cp.extend(case, at=at(7, 8), variant=cp.Variant.ESPECIALLY_COMPLEX, reason="x", deadlines=D)
    assert info.value.reason.startswith("one extension adds at most 30 days, not ")
    assert info.value.reason.endswith(
        "; an especially complex denunciation is extended twice (complex first)"
    )
    assert info.value.rule == "Law on Denunciations 25/2018/QH14 Art. 30(1)"
    once, _ = cp.extend(case, at=at(7, 8), variant=cp.Variant.COMPLEX, reason="x", deadlines=D)
    assert once.clock is not None
    assert once.clock.limit.amount - clock.limit.amount <= 30
    twice, events = cp.extend(
        once, at=at(7, 9), variant=cp.Variant.ESPECIALLY_COMPLEX, reason="x", deadlines=D
    )
    assert events[0].variant is cp.Variant.ESPECIALLY_COMPLEX
    assert twice.clock == events[0].clock


def test_a_suspended_case_resumes_only_through_resume() -> None:
    """The table's edges out of SUSPENDED serve resume; the commands themselves refuse them."""
    complaint = verifying(K.COMPLAINT)
    paused = cp.suspend(complaint, at=at(7, 9), reason="Chờ giám định", deadlines=D)[0]
    assert cp.TABLES[K.COMPLAINT].allows(S.SUSPENDED, S.VERIFYING)
    with pytest.raises(DomainRuleViolation) as info:
        cp.start_verification(paused, at=at(7, 10))
    assert info.value.reason == "a complaint case that is suspended cannot become verifying"
    with pytest.raises(DomainRuleViolation) as info:
        cp.hold_dialogue(paused, at=at(7, 10))
    assert info.value.reason == "a complaint case that is suspended cannot become dialogue"
    with pytest.raises(DomainRuleViolation) as info:
        cp.assign(paused, at=at(7, 10), unit="Thanh tra", handler="cb-2")
    assert info.value.reason == "a complaint case that is suspended cannot become assigned"


def test_a_complaint_decision_starts_its_levels_publication_period() -> None:
    """Decree 124/2020 Art. 25/33: three working days at the first level."""
    case = verifying(K.COMPLAINT)
    when = at(7, 10)
    rule = cp.rule_for(K.COMPLAINT, cp.Step.PUBLISH, when.date(), level=cp.ComplaintLevel.FIRST)
    assert rule is not None
    event = cp.resolve(case, at=when, summary="Quyết định", deadlines=D)[1][0]
    assert event.clock == cp.Clock.start(rule, remote=False, on=when.date(), deadlines=D)


def test_a_second_level_complaint_is_decided_only_after_a_dialogue() -> None:
    """Law on Complaints Art. 39; Decree 124/2020 Art. 28(2)."""
    province = cp.ReceivingAgency(AgencyCode("000.00.00.H15"), "UBND tỉnh Đắk Lắk")
    first = resolved(K.COMPLAINT)
    second, _ = cp.escalate(
        first, at=at(7, 20), to=province, deadlines=D, decision_received_on=dt.date(2026, 7, 10)
    )
    assert second.level is cp.ComplaintLevel.SECOND
    second = cp.accept(second, at=at(7, 20, 10), deadlines=D)[0]
    second = cp.assign(second, at=at(7, 21), unit="Thanh tra tỉnh", handler="cb-9")[0]
    second = cp.start_verification(second, at=at(7, 22))[0]
    with pytest.raises(DomainRuleViolation) as info:
        cp.resolve(second, at=at(7, 23), summary="Quyết định", deadlines=D)
    assert info.value.reason == (
        "a second-level complaint is decided only after a dialogue with the complainant"
    )
    assert info.value.rule == (
        "Law on Complaints 02/2011/QH13 Art. 39; Decree 124/2020/NĐ-CP Art. 28(2), "
        "amended by Decree 155/2026/NĐ-CP Art. 11"
    )
    talked = cp.hold_dialogue(second, at=at(7, 23))[0]
    when = at(7, 24)
    event = cp.resolve(talked, at=when, summary="Quyết định", deadlines=D)[1][0]
    rule = cp.rule_for(K.COMPLAINT, cp.Step.PUBLISH, when.date(), level=cp.ComplaintLevel.SECOND)
    assert rule is not None
    assert event.clock == cp.Clock.start(rule, remote=False, on=when.date(), deadlines=D)
    assert event.on_time is True


def test_a_remote_complaint_is_extended_to_the_remote_complex_limit() -> None:
    """Law on Complaints Art. 28: 45 days (60 in a remote area) for a complex complaint."""
    case = cp.assign(
        cp.accept(received(K.COMPLAINT, REMOTE), at=at(7, 6, 10), deadlines=D)[0],
        at=at(7, 7),
        unit="Thanh tra",
        handler="cb-1",
    )[0]
    clock = case.clock
    assert clock is not None
    assert clock.limit.amount == 45  # the remote ordinary limit: no longer than complex elsewhere
    rule = cp.rule_for(
        K.COMPLAINT, clock.step, clock.rule_on, level=case.level, variant=cp.Variant.COMPLEX
    )
    assert rule is not None
    when = at(7, 8)
    after, events = cp.extend(
        case, at=when, variant=cp.Variant.COMPLEX, reason="Phức tạp", deadlines=D
    )
    assert events[0].clock == clock.extend(rule, remote=True, deadlines=D, at=when)
    assert after.clock is not None
    assert after.clock.limit.amount == 60


def test_a_case_from_before_its_law_has_no_period_to_pause_or_resume() -> None:
    """No period runs for a complaint received before the Law on Complaints 2011 took
    effect (1/7/2012): suspension and resumption keep the clock absent."""
    old = dt.datetime(2010, 3, 1, 9, tzinfo=VN_TZ)
    case = received(K.COMPLAINT, when=old)
    case = cp.accept(case, at=old, deadlines=D)[0]
    assert case.clock is None
    paused, events = cp.suspend(case, at=old + dt.timedelta(days=1), reason="Chờ", deadlines=D)
    assert events[0].clock is None
    assert paused.clock is None
    back, events = cp.resume(paused, at=old + dt.timedelta(days=2), deadlines=D)
    assert events[0].clock is None
    assert (back.state, back.clock) == (S.ACCEPTED, None)
