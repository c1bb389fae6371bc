"""The second-level complaint window (Law on Complaints 02/2011/QH13 Art. 33(1)).

"Trong thời hạn 30 ngày, kể từ ngày hết thời hạn giải quyết ... mà khiếu nại lần
đầu không được giải quyết hoặc kể từ ngày nhận được quyết định giải quyết khiếu
nại lần đầu": the window runs from the day the complainant *received* the
decision (or from the end of the first-level period), counted by Civil Code 2015
Art. 147-148. Closing the first-level file keeps the window open. Dates worked
by hand on the 2026 calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.codes import AgencyCode
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import Applicant

D = default_deadlines()
MINUTE = dt.timedelta(minutes=1)
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
PROVINCE = cp.ReceivingAgency(AgencyCode("000.00.00.H15"), "UBND tỉnh Đắk Lắk")
ART_33 = "Law on Complaints 02/2011/QH13 Art. 33(1)"


def local(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


def accepted(at: dt.datetime | None = None) -> cp.Case:
    at = at or local(7, 6, 9)
    case, _ = cp.receive(
        case_id="KN-2026-0007",
        kind=cp.CaseKind.COMPLAINT,
        at=at,
        channel=cp.Channel.DESK,
        agency=AGENCY,
        deadlines=D,
        sender=Applicant("Trần Thị Lan", address="Buôn Đrao, xã Ea Tóh"),
        content="Khiếu nại quyết định xử phạt",
    )
    case, _ = cp.accept(case, at=at, deadlines=D)
    return case


def decided(at: dt.datetime | None = None) -> cp.Case:
    at = at or local(7, 20, 9)
    case = accepted()
    case, _ = cp.assign(case, at=local(7, 6, 10), unit="Thanh tra", handler="cb-1")
    case, _ = cp.start_verification(case, at=local(7, 7, 9))
    case, _ = cp.resolve(case, at=at, summary="Giữ nguyên quyết định", deadlines=D)
    return case


def escalate(case: cp.Case, at: dt.datetime, received: dt.date | None) -> cp.Case:
    escalated, _ = cp.escalate(case, at=at, to=PROVINCE, deadlines=D, decision_received_on=received)
    return escalated


# Decided Monday 20/7, received Wednesday 22/7: 30 days from Thursday 23/7 end 24:00 Friday 21/8.
RECEIVED = dt.date(2026, 7, 22)
ENDS = local(8, 22)


@pytest.mark.parametrize(
    ("at", "timely"), [(ENDS - MINUTE, True), (ENDS, False), (ENDS + MINUTE, False)]
)
def test_the_window_runs_from_the_day_the_decision_was_received(
    at: dt.datetime, timely: bool
) -> None:
    case = decided()
    if timely:
        escalated = escalate(case, at, RECEIVED)
        assert escalated.level is cp.ComplaintLevel.SECOND
        return
    with pytest.raises(DomainRuleViolation) as info:
        escalate(case, at, RECEIVED)
    assert info.value.rule == ART_33


def test_the_window_does_not_run_from_the_decisions_date() -> None:
    """Counted from 20/7 the window would have ended 24:00 Wednesday 19/8."""
    escalate(decided(), local(8, 20, 9), RECEIVED)


def test_a_window_ending_on_days_off_moves_to_the_next_working_day() -> None:
    """Received Sunday 2/8: day 30 is Tuesday 1/9, a day off (31/8-2/9, National Day),
    so the window ends 24:00 Thursday 3/9 (Civil Code Art. 148)."""
    case = decided(local(7, 31, 9))
    escalate(case, local(9, 3, 23, 59), dt.date(2026, 8, 2))
    with pytest.raises(DomainRuleViolation):
        escalate(case, local(9, 4), dt.date(2026, 8, 2))


def test_an_unknown_receipt_day_does_not_close_the_window() -> None:
    """Policy UNKNOWN_RECEIPT_OPEN: without the receipt day nothing shows the right lapsed."""
    escalated, events = cp.escalate(decided(), at=local(9, 30, 9), to=PROVINCE, deadlines=D)
    assert escalated.level is cp.ComplaintLevel.SECOND
    assert events[0].window_opened_on is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("received", [dt.date(2026, 7, 19), dt.date(2026, 8, 1)])
def test_a_receipt_day_before_the_decision_or_after_filing_is_refused(received: dt.date) -> None:
    with pytest.raises(InvalidInput, match="received on"):
        escalate(decided(), local(7, 31, 9), received)


@pytest.mark.parametrize(("at", "timely"), [(ENDS - MINUTE, True), (ENDS, False)])
def test_closing_keeps_the_window_open(at: dt.datetime, timely: bool) -> None:
    case, _ = cp.publish(decided(), at=local(7, 21, 9))
    case, _ = cp.close(case, at=local(7, 21, 10))
    assert case.state is cp.CaseState.CLOSED
    if timely:
        escalated, events = cp.escalate(
            case, at=at, to=PROVINCE, deadlines=D, decision_received_on=RECEIVED
        )
        assert (escalated.level, escalated.state) == (
            cp.ComplaintLevel.SECOND,
            cp.CaseState.RECEIVED,
        )
        assert events[0].window_opened_on == RECEIVED  # type: ignore[attr-defined]
    else:
        with pytest.raises(DomainRuleViolation):
            escalate(case, at, RECEIVED)


def test_a_closed_second_level_complaint_cannot_be_escalated() -> None:
    second = escalate(decided(), local(7, 25, 9), RECEIVED)
    with pytest.raises(DomainRuleViolation, match="first-level"):
        cp.escalate(second, at=local(7, 26, 9), to=PROVINCE, deadlines=D)


@pytest.mark.parametrize(("at", "allowed"), [(local(8, 6) - MINUTE, False), (local(8, 6), True)])
def test_without_a_decision_the_window_opens_when_the_period_ends(
    at: dt.datetime, allowed: bool
) -> None:
    """Accepted Monday 6/7: 30 days end 24:00 Wednesday 5/8; the window then runs 30 days
    from Thursday 6/8 and ends 24:00 Friday 4/9."""
    case = accepted()
    if not allowed:
        with pytest.raises(DomainRuleViolation, match="expired"):
            escalate(case, at, None)
        return
    _, events = cp.escalate(case, at=at, to=PROVINCE, deadlines=D)
    assert events[0].window_opened_on == dt.date(2026, 8, 5)  # type: ignore[attr-defined]
    escalate(case, local(9, 5) - MINUTE, None)
    with pytest.raises(DomainRuleViolation, match="ended"):
        escalate(case, local(9, 5), None)


@settings(max_examples=60, deadline=None)
@given(received=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)), days=st.integers(0, 40))
def test_thirty_days_after_receipt_are_always_in_time_and_the_window_never_runs_on_forever(
    received: dt.date, days: int
) -> None:
    """Whatever the calendar: day 1-30 after receipt (until 23:59) is in time; a day off can
    only lengthen the window, never shorten it; from day 31 it is late once day 30 was a
    working day."""
    case = decided(local(7, 20, 9))
    received = max(received, dt.date(2026, 7, 20))
    filed = dt.datetime.combine(received + dt.timedelta(days=days), dt.time(23, 59), VN_TZ)
    last_is_working = D.index.is_working_day(received + dt.timedelta(days=30))
    if days <= 30:
        escalate(case, filed, received)
    elif last_is_working:
        with pytest.raises(DomainRuleViolation, match="ended"):
            escalate(case, filed, received)


def test_a_late_complex_extension_opens_the_window_early_and_does_not_shorten_it() -> None:
    """Accepted 6/7: 30 days end 24:00 5/8. Declared complex on 10/8 (late): the period in force
    ends 24:00 20/8 (45 days), but the miss stays. The complainant may escalate at once, and the
    window counts 30 days from 20/8 (to 24:00 Monday 21/9, day 30 being Saturday 19/9)."""
    case, _ = cp.extend(
        accepted(), at=local(8, 10, 9), variant=cp.Variant.COMPLEX, reason="Phức tạp", deadlines=D
    )
    assert (case.due_at, cp.due_in_queue(case)) == (local(8, 21), local(8, 6))
    _, events = cp.escalate(case, at=local(8, 10, 10), to=PROVINCE, deadlines=D)
    assert events[0].window_opened_on == dt.date(2026, 8, 20)  # type: ignore[attr-defined]
    escalate(case, local(9, 22) - MINUTE, None)
    with pytest.raises(DomainRuleViolation, match="ended"):
        escalate(case, local(9, 22), None)
