"""Lifecycle rules of feedback, petitions, complaints and denunciations, on the real calendar.

Due instants below are worked by hand from the cited article and Civil Code 2015
Art. 147-148 (the period starts the day after the event and ends at 24:00 of its
last day, moved past days off for calendar days); 2026 holidays from the
``holidays`` adapter.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import Applicant

D = default_deadlines()
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
PROVINCE = cp.ReceivingAgency(AgencyCode("000.00.00.H15"), "UBND tỉnh Đắk Lắk")
SENDER = Applicant("Trần Thị Lan", address="Buôn Đrao, xã Ea Tóh", phone="0912 345 678")
MON = dt.datetime(2026, 7, 6, 9, 0, tzinfo=VN_TZ)  # Monday 6/7/2026
Command = Callable[[cp.Case], tuple[cp.Case, list[cp.CaseEvent]]]


def day(month: int, d: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, d, hour, 0, tzinfo=VN_TZ)


def midnight(month: int, d: int) -> dt.datetime:
    return dt.datetime(2026, month, d, tzinfo=VN_TZ)


def received(kind: cp.CaseKind, at: dt.datetime = MON, **kw: object) -> cp.Case:
    fields: dict[str, object] = {"sender": SENDER, "content": "Nội dung đơn"}
    if kind is cp.CaseKind.SERVICE_FEEDBACK:
        fields["desk"] = "Quầy số 3"
    fields.update(kw)
    case, _ = cp.receive(
        case_id="HS-1",
        kind=kind,
        at=at,
        channel=cp.Channel.CHAT,
        agency=AGENCY,
        deadlines=D,
        **fields,  # type: ignore[arg-type]
    )
    return case


def accepted(kind: cp.CaseKind, at: dt.datetime = MON) -> cp.Case:
    case, _ = cp.accept(received(kind, at), at=at, deadlines=D)
    return case


# Identity and intake -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sender", "missing", "rule"),
    [
        (
            cp.CaseKind.COMPLAINT,
            None,
            "name and address",
            "Law on Complaints 02/2011/QH13 Art. 8(2)",
        ),
        (
            cp.CaseKind.DENUNCIATION,
            Applicant("Lê Văn Bình"),
            "address",
            "Law on Denunciations 25/2018/QH14 Art. 23(1)",
        ),
    ],
)
def test_complaints_and_denunciations_need_name_and_address(
    kind: cp.CaseKind, sender: Applicant | None, missing: str, rule: str
) -> None:
    with pytest.raises(cp.MissingIdentity) as info:
        received(kind, sender=sender)
    assert missing in info.value.reason
    assert info.value.rule == rule


def test_petitions_may_be_anonymous() -> None:
    """Decree 20/2008 Art. 9(1)(d): classification (not identity) decides a petition's fate."""
    assert received(cp.CaseKind.PETITION, sender=None).sender is None


@pytest.mark.parametrize("ref", [b"\x89PNG", "has a space", "", "x" * 2049])
def test_attachments_are_references_not_bytes(ref: object) -> None:
    with pytest.raises(InvalidInput, match="reference"):
        cp.Attachment(ref)  # type: ignore[arg-type]


def test_service_feedback_is_about_a_dossier_or_a_desk() -> None:
    with pytest.raises(InvalidInput, match="dossier"):
        received(cp.CaseKind.SERVICE_FEEDBACK, desk=None)
    code = DossierCode.parse("000.00.15.H15-260706-0001")
    assert received(cp.CaseKind.SERVICE_FEEDBACK, desk=None, dossier_code=code).dossier_code == code


# Stale updates and the transition table -----------------------------------------


def test_stale_commands_are_ignored_without_error() -> None:
    case = accepted(cp.CaseKind.COMPLAINT, day(7, 8))
    commands: list[Command] = [
        lambda c: cp.decline(c, at=day(7, 7), reason="Quá thời hiệu"),
        lambda c: cp.suspend(c, at=day(7, 7), reason="Ốm", deadlines=D),
        lambda c: cp.close(c, at=day(7, 7)),  # not even allowed now: still just ignored
    ]
    for command in commands:
        assert command(case) == (case, [])


def test_stale_events_are_ignored_by_the_fold() -> None:
    case = accepted(cp.CaseKind.PETITION, day(7, 8))
    late = cp.CaseNotAccepted(occurred_at=day(7, 7), case_id="HS-1", reason="x", on_time=True)
    assert cp.apply_event(case, late) is case


def test_no_transition_outside_the_kinds_table() -> None:
    case = accepted(cp.CaseKind.SERVICE_FEEDBACK)
    with pytest.raises(DomainRuleViolation) as info:
        cp.suspend(case, at=day(7, 7), reason="Không có căn cứ", deadlines=D)
    assert info.value.rule == "transition table of service_feedback"
    with pytest.raises(DomainRuleViolation):
        cp.apply_event(case, cp.CasePublished(occurred_at=day(7, 7), case_id="HS-1"))


def test_final_states_accept_nothing() -> None:
    case, _ = cp.withdraw(accepted(cp.CaseKind.DENUNCIATION), at=day(7, 7), reason="Rút đơn")
    with pytest.raises(DomainRuleViolation):
        cp.assign(case, at=day(7, 8), unit="Thanh tra", handler="cb-1")


# Deadlines ----------------------------------------------------------------------


def test_complaint_acceptance_and_resolution_periods() -> None:
    """Decree 155/2026 Art. 10 (7 working days), Law on Complaints Art. 28 (30 days)."""
    case = received(cp.CaseKind.COMPLAINT)
    assert case.due_at == midnight(7, 16)  # 7 working days from Monday 6/7: Wednesday 15/7
    case, events = cp.accept(case, at=day(7, 8), deadlines=D)
    assert events[0].on_time is True  # type: ignore[attr-defined]
    assert case.due_at == midnight(8, 8)  # 30 days from 8/7: Friday 7/8


def test_suspended_time_is_not_counted() -> None:
    """Decree 124/2020 Art. 28b(2) added by Decree 155/2026 Art. 12: count resumes on continuing."""
    case = accepted(cp.CaseKind.COMPLAINT, day(7, 8))
    case, _ = cp.suspend(case, at=day(7, 10), reason="Người khiếu nại ốm", deadlines=D)
    assert case.state is cp.CaseState.SUSPENDED
    assert case.due_at is None
    assert cp.timeliness(case, day(9, 30)) is cp.Timeliness.PAUSED
    case, _ = cp.resume(case, at=day(7, 20), deadlines=D)
    assert case.state is cp.CaseState.ACCEPTED
    # 2 days counted (9-10/7); 28 more from Monday 20/7 end on Monday 17/8.
    assert case.due_at == midnight(8, 18)


def test_a_suspension_after_the_deadline_does_not_cure_it() -> None:
    """A case suspended once its period ran out stays overdue when it resumes."""
    case = accepted(cp.CaseKind.COMPLAINT, day(7, 8))
    lapsed = case.due_at
    assert lapsed == midnight(8, 8)
    case, _ = cp.assign(case, at=day(7, 9), unit="Thanh tra", handler="cb-1")
    case, _ = cp.start_verification(case, at=day(7, 9))
    case, _ = cp.suspend(case, at=day(8, 12), reason="Chờ kết quả giám định", deadlines=D)
    case, _ = cp.resume(case, at=day(8, 20), deadlines=D)
    assert case.due_at == lapsed
    assert cp.timeliness(case, day(8, 20)) is cp.Timeliness.OVERDUE
    case, _ = cp.resolve(case, at=day(8, 20), summary="Giải quyết", deadlines=D)
    assert case.outcome_on_time is False


def test_paused_working_day_clock_keeps_the_working_days_counted() -> None:
    rule = cp.rule_for(cp.CaseKind.DENUNCIATION, cp.Step.ACCEPT, MON.date())
    assert rule is not None
    clock = cp.Clock.start(rule, remote=False, on=MON.date(), deadlines=D)
    paused = clock.pause(dt.date(2026, 7, 8), D)
    assert paused.consumed == 2  # Tuesday 7 and Wednesday 8
    # 5 working days from Monday 13/7 end on Monday 20/7.
    assert paused.resume(dt.date(2026, 7, 13), D).due_at == midnight(7, 21)


def test_denunciation_extensions() -> None:
    """Law on Denunciations Art. 30: 30 days, complex +30, especially complex +30 more."""
    case = accepted(cp.CaseKind.DENUNCIATION)
    assert case.due_at == midnight(8, 6)
    case, _ = cp.extend(
        case, at=day(7, 20), variant=cp.Variant.COMPLEX, reason="Phức tạp", deadlines=D
    )
    assert case.due_at == midnight(9, 5)
    case, _ = cp.extend(
        case, at=day(8, 20), variant=cp.Variant.ESPECIALLY_COMPLEX, reason="Đặc biệt", deadlines=D
    )
    assert case.due_at == midnight(10, 6)  # day 90 is Sunday 4/10 -> Monday 5/10
    with pytest.raises(DomainRuleViolation) as info:
        cp.extend(case, at=day(9, 1), variant=cp.Variant.COMPLEX, reason="Lần ba", deadlines=D)
    assert "Art. 30(3)" in (info.value.rule or "")


def test_denunciation_initial_processing_at_several_places() -> None:
    """Law on Denunciations Art. 24(1): 7 working days, up to 10 when verified at several places."""
    case = received(cp.CaseKind.DENUNCIATION)
    assert case.due_at == midnight(7, 16)
    case, _ = cp.extend(
        case, at=day(7, 7), variant=cp.Variant.MULTI_SITE, reason="Nhiều nơi", deadlines=D
    )
    assert case.due_at == midnight(7, 21)


@pytest.mark.parametrize(("at", "on_time"), [(day(7, 13, 16), True), (day(7, 14, 8), False)])
def test_forwarding_within_five_working_days(at: dt.datetime, on_time: bool) -> None:
    """Law on Denunciations Art. 24(2): forward within 5 working days of receipt."""
    case, events = cp.forward(
        received(cp.CaseKind.DENUNCIATION),
        at=at,
        to="Thanh tra tỉnh",
        reason="Ngoài thẩm quyền",
        deadlines=D,
    )
    assert case.state is cp.CaseState.FORWARDED
    assert events[0].on_time is on_time  # type: ignore[attr-defined]


def test_petition_answer_within_fifteen_working_days() -> None:
    """Decision 766/QĐ-TTg PAKN indicator: handled within 15 working days."""
    assert accepted(cp.CaseKind.PETITION).due_at == midnight(7, 28)


# Dialogue, escalation, reopening ------------------------------------------------


def _decided_first_level(at: dt.datetime) -> cp.Case:
    case = accepted(cp.CaseKind.COMPLAINT, MON)
    case, _ = cp.assign(case, at=MON, unit="Thanh tra", handler="cb-1")
    case, _ = cp.start_verification(case, at=MON)
    case, _ = cp.resolve(case, at=at, summary="Giữ nguyên quyết định", deadlines=D)
    return case


def test_second_level_decision_needs_a_dialogue() -> None:
    """Law on Complaints Art. 39; Decree 124/2020 Art. 28(2) amended by Decree 155/2026 Art. 11."""
    case, _ = cp.escalate(_decided_first_level(day(7, 20)), at=day(7, 22), to=PROVINCE, deadlines=D)
    assert (case.level, case.state, case.agency) == (
        cp.ComplaintLevel.SECOND,
        cp.CaseState.RECEIVED,
        PROVINCE,
    )
    case, _ = cp.accept(case, at=day(7, 23), deadlines=D)
    assert case.clock is not None
    assert "Art. 37" in case.clock.citation
    case, _ = cp.assign(case, at=day(7, 23), unit="Thanh tra tỉnh", handler="cb-9")
    case, _ = cp.start_verification(case, at=day(7, 24))
    with pytest.raises(DomainRuleViolation) as info:
        cp.resolve(case, at=day(8, 1), summary="Bác đơn", deadlines=D)
    assert "Art. 39" in (info.value.rule or "")
    case, _ = cp.hold_dialogue(case, at=day(8, 3), record_ref="bien-ban-14")
    case, _ = cp.resolve(case, at=day(8, 5), summary="Bác đơn", deadlines=D)
    assert case.state is cp.CaseState.RESOLVED
    with pytest.raises(DomainRuleViolation, match="first-level"):
        cp.escalate(case, at=day(8, 6), to=PROVINCE, deadlines=D)


def test_escalation_of_an_unresolved_complaint_waits_for_its_deadline() -> None:
    case = accepted(cp.CaseKind.COMPLAINT)  # due 24:00 Wednesday 5/8
    with pytest.raises(DomainRuleViolation, match="expired"):
        cp.escalate(case, at=day(8, 5), to=PROVINCE, deadlines=D)
    escalated, _ = cp.escalate(case, at=day(8, 6), to=PROVINCE, deadlines=D)
    assert escalated.level is cp.ComplaintLevel.SECOND


def test_reopen_an_answered_petition_but_not_a_complaint() -> None:
    case = accepted(cp.CaseKind.PETITION)
    case, _ = cp.assign(case, at=MON, unit="Văn phòng", handler="cb-2")
    case, _ = cp.resolve(case, at=day(7, 10), summary="Đã trả lời", deadlines=D)
    case, _ = cp.close(case, at=day(7, 13))
    case, _ = cp.reopen(case, at=day(7, 14), reason="Chưa trả lời đủ", deadlines=D)
    assert (case.state, case.is_open, case.due_at) == (cp.CaseState.ASSIGNED, True, midnight(8, 5))
    with pytest.raises(DomainRuleViolation):
        cp.reopen(_decided_first_level(day(7, 20)), at=day(7, 21), reason="x", deadlines=D)


def test_replay_rebuilds_the_case() -> None:
    events: list[cp.CaseEvent] = []
    case, new = cp.receive(
        case_id="TC-1", kind=cp.CaseKind.DENUNCIATION, at=MON, channel=cp.Channel.WEB,
        agency=AGENCY, deadlines=D, sender=SENDER, content="Tố cáo cán bộ",
    )  # fmt: skip
    events += new
    commands: list[Command] = [
        lambda c: cp.accept(c, at=day(7, 7), deadlines=D),
        lambda c: cp.assign(c, at=day(7, 7), unit="Thanh tra", handler="cb-1"),
        lambda c: cp.suspend(c, at=day(7, 8), reason="Chờ giám định", deadlines=D),
        lambda c: cp.resume(c, at=day(7, 15), deadlines=D),
    ]
    for command in commands:
        case, new = command(case)
        events += new
    assert cp.replay(events) == case
    assert case.version == 0  # storage, not the commands, owns the version


@pytest.mark.parametrize("kind", list(cp.CaseKind))
def test_vietnamese_labels_are_nfc_with_diacritics(kind: cp.CaseKind) -> None:
    labels = [kind.label_vi, *(s.label_vi(kind) for s in cp.CaseState)]
    for label in labels:
        assert unicodedata.is_normalized("NFC", label)
        assert any(ord(ch) > 127 for ch in label)
    assert cp.TABLES[kind].states <= set(cp.CaseState)


def test_commands_start_only_from_their_own_states() -> None:
    """The table's RESOLVED->ASSIGNED and SUSPENDED->ACCEPTED edges serve reopen and resume only."""
    case = accepted(cp.CaseKind.PETITION)
    case, _ = cp.assign(case, at=MON, unit="Văn phòng", handler="cb-2")
    answered, _ = cp.resolve(case, at=day(7, 10), summary="Đã trả lời", deadlines=D)
    with pytest.raises(DomainRuleViolation):
        cp.assign(answered, at=day(7, 11), unit="Văn phòng", handler="cb-3")
    suspended, _ = cp.suspend(
        accepted(cp.CaseKind.DENUNCIATION), at=day(7, 7), reason="Chờ", deadlines=D
    )
    with pytest.raises(DomainRuleViolation):
        cp.accept(suspended, at=day(7, 8), deadlines=D)
    with pytest.raises(DomainRuleViolation):
        cp.reopen(accepted(cp.CaseKind.PETITION), at=day(7, 8), reason="Sớm", deadlines=D)
