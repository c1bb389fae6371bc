"""Escalation to a second-level complaint: the refusal's reason and rule, the clock it starts.

Law on Complaints 02/2011/QH13 Art. 7 and 33: only a first-level complaint is escalated; the
second-level complaint starts its own acceptance period (issue 15, survivors of
``complaint/_escalation``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.test_complaint_escalation import (
    AGENCY,
    ART_33,
    PROVINCE,
    RECEIVED,
    D,
    accepted,
    decided,
    escalate,
    local,
)

from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import Applicant


def test_a_second_level_complaint_is_not_escalated_again() -> None:
    second = escalate(decided(), local(7, 25, 9), RECEIVED)
    with pytest.raises(DomainRuleViolation) as info:
        cp.escalate(second, at=local(7, 26, 9), to=PROVINCE, deadlines=D)
    assert info.value.reason == "only a first-level complaint can be escalated"
    assert info.value.rule == "Law on Complaints 02/2011/QH13 Art. 7, 33"


def test_escalation_starts_the_second_levels_acceptance_clock() -> None:
    escalated, events = cp.escalate(
        decided(), at=local(7, 25, 9), to=PROVINCE, deadlines=D, decision_received_on=RECEIVED
    )
    clock = events[0].clock  # type: ignore[attr-defined]
    assert clock is not None
    assert clock.step is cp.Step.ACCEPT
    assert escalated.clock == clock


def _complaint(at: dt.datetime, agency: cp.ReceivingAgency = AGENCY) -> cp.Case:
    case, _ = cp.receive(
        case_id="KN-2012-0001",
        kind=cp.CaseKind.COMPLAINT,
        at=at,
        channel=cp.Channel.DESK,
        agency=agency,
        deadlines=D,
        sender=Applicant("Trần Thị Lan", address="Buôn Đrao, xã Ea Tóh"),
        content="Khiếu nại quyết định xử phạt",
    )
    case, _ = cp.accept(case, at=at, deadlines=D)
    return case


def _decided(case: cp.Case, at: dt.datetime) -> cp.Case:
    case, _ = cp.assign(case, at=at, unit="Thanh tra", handler="cb-1")
    case, _ = cp.start_verification(case, at=at + dt.timedelta(hours=1))
    case, _ = cp.resolve(case, at=at + dt.timedelta(hours=2), summary="Giữ nguyên", deadlines=D)
    return case


def test_a_receipt_day_before_the_decision_is_refused_naming_both_days() -> None:
    with pytest.raises(InvalidInput) as info:
        escalate(decided(), local(7, 31, 9), dt.date(2026, 7, 19))
    assert info.value.reason == (
        "the decision of 2026-07-20 cannot have been received on 2026-07-19: give a day "
        "between the decision and the second-level complaint"
    )


def test_a_receipt_day_without_a_decision_is_refused() -> None:
    """Art. 33(1) counts from receipt only of an issued decision: an open case has none."""
    with pytest.raises(InvalidInput) as info:
        escalate(accepted(), local(8, 10, 9), dt.date(2026, 8, 7))
    assert info.value.reason == "no first-level decision was issued, so none was received"


def test_an_undecided_case_within_its_period_cannot_be_escalated() -> None:
    with pytest.raises(DomainRuleViolation) as info:
        escalate(accepted(), local(7, 20, 9), None)
    assert info.value.reason == (
        "a second-level complaint needs a first-level decision or an expired first-level period"
    )
    assert info.value.rule == ART_33


def test_an_undecided_case_with_no_period_in_force_has_no_period_to_expire() -> None:
    """Accepted before the Law on Complaints took effect (1/7/2012): no text sets its period
    (no clock), so nothing expired and the second level is refused under Art. 33(1)."""
    case = _complaint(dt.datetime(2012, 6, 4, 9, tzinfo=VN_TZ))
    assert case.clock is None
    with pytest.raises(DomainRuleViolation) as info:
        escalate(case, dt.datetime(2012, 9, 3, 9, tzinfo=VN_TZ), None)
    assert info.value.rule == ART_33


def test_a_decision_received_before_the_law_took_effect_has_no_window_to_judge() -> None:
    """No second-level window is in force for a receipt day before 1/7/2012: the filing is not
    judged late, and the event records the day the window would open."""
    case = _decided(
        _complaint(dt.datetime(2012, 6, 4, 9, tzinfo=VN_TZ)),
        dt.datetime(2012, 6, 11, 9, tzinfo=VN_TZ),
    )
    received = dt.date(2012, 6, 12)
    second, events = cp.escalate(
        case,
        at=dt.datetime(2012, 12, 3, 9, tzinfo=VN_TZ),
        to=PROVINCE,
        deadlines=D,
        decision_received_on=received,
    )
    assert second.level is cp.ComplaintLevel.SECOND
    assert events[0].window_opened_on == received  # type: ignore[attr-defined]


REMOTE = cp.ReceivingAgency(AGENCY.code, "UBND xã Ea Tóh", remote_area=True)


@pytest.mark.parametrize(("remote", "timely"), [(True, True), (False, False)])
def test_a_remote_agencys_complainant_has_45_days_not_30(remote: bool, timely: bool) -> None:
    """Art. 33(1): 45 days in remote, hard-to-reach areas. Received 22/7: day 31 (22/8) is
    late at an ordinary agency, in time at a remote one."""
    case = _decided(_complaint(local(7, 6, 9), REMOTE if remote else AGENCY), local(7, 20, 9))
    at = local(8, 24, 9)
    if timely:
        assert escalate(case, at, RECEIVED).level is cp.ComplaintLevel.SECOND
        return
    with pytest.raises(DomainRuleViolation, match="ended"):
        escalate(case, at, RECEIVED)
