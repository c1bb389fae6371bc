"""Boundaries of the complaint queue, reminders and statistics that mutants survived (issue 15).

A petition accepted Monday 6/7/2026 has 15 working days: its period ends 24:00 Monday 27/7,
so it joins the overdue queue at 00:00 on 28/7 (Civil Code 2015 Art. 148).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.codes import AgencyCode
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import Applicant

D = default_deadlines()
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
DUE = dt.datetime(2026, 7, 28, tzinfo=VN_TZ)
MINUTE = dt.timedelta(minutes=1)
LEGAL = (cp.CaseKind.PETITION, "Tư pháp")


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN_TZ)


def petition(case_id: str = "PA-1", received: dt.datetime | None = None) -> cp.Case:
    received = received or at(7, 6)
    case, _ = cp.receive(
        case_id=case_id, kind=cp.CaseKind.PETITION, at=received, channel=cp.Channel.WEB,
        agency=AGENCY, deadlines=D, content="Kiến nghị bỏ yêu cầu bản sao",
    )  # fmt: skip
    case, _ = cp.accept(case, at=received, deadlines=D)
    return case


def assigned(case_id: str = "PA-1", received: dt.datetime | None = None) -> cp.Case:
    case, _ = cp.assign(petition(case_id, received), at=at(7, 7), unit="Văn phòng", handler="cb-1")
    return case


def handled_by(case_id: str, received: dt.datetime, assigned_at: dt.datetime) -> cp.Case:
    """Assigned to the legal unit at ``assigned_at``."""
    case, _ = cp.assign(petition(case_id, received), at=assigned_at, unit="Tư pháp", handler="cb-2")
    return case


# -- the overdue queue ------------------------------------------------------------------------


def test_the_queue_is_most_overdue_first_then_by_case_id() -> None:
    """Ordered by the instant each joined the queue, not by id or by the order given."""
    earliest = petition("PA-9", at(7, 6))  # due 28/7 00:00
    later = petition("PA-1", at(7, 7))  # due one working day later
    tie = petition("PA-5", at(7, 6))  # due with PA-9: the id breaks the tie
    assert cp.due_in_queue(earliest) == DUE
    queue = cp.overdue([later, earliest, tie], at(8, 3))
    assert [c.case_id for c in queue] == ["PA-5", "PA-9", "PA-1"]
    assert [c.case_id for c in cp.overdue([later, earliest, tie], DUE)] == ["PA-5", "PA-9"]
    assert cp.overdue([earliest], DUE - MINUTE) == []


# -- reminders ----------------------------------------------------------------------------------


def test_a_reminder_is_missed_from_the_due_instant_and_names_the_handler() -> None:
    case = assigned()
    assert cp.reminders_due(case, DUE, lead=Duration.working_days(1), deadlines=D) == [
        cp.DeadlineMissed(
            occurred_at=DUE,
            case_id="PA-1",
            step=case.clock.step,  # type: ignore[union-attr]
            due_at=DUE,
            unit="Văn phòng",
            handler="cb-1",
        )
    ]
    before = DUE - MINUTE
    [approaching] = cp.reminders_due(case, before, lead=Duration.working_days(1), deadlines=D)
    assert isinstance(approaching, cp.DeadlineApproaching)
    assert (approaching.unit, approaching.handler) == ("Văn phòng", "cb-1")


def test_the_calendar_lead_is_reached_at_exactly_its_length() -> None:
    case = petition()
    lead = Duration.calendar_days(2)
    assert cp.reminders_due(case, DUE - dt.timedelta(days=2), lead=lead, deadlines=D)
    assert not cp.reminders_due(case, DUE - dt.timedelta(days=2) - MINUTE, lead=lead, deadlines=D)


def test_the_working_lead_is_reached_at_exactly_its_length() -> None:
    case = petition()
    lead = Duration.working_hours(1)
    start = next(
        t
        for t in (DUE - MINUTE * m for m in range(1, 24 * 60))
        if D.working_minutes_between(t, DUE) == 60
    )
    assert cp.reminders_due(case, start, lead=lead, deadlines=D)
    earlier = start - MINUTE
    assert D.working_minutes_between(earlier, DUE) == 61
    assert not cp.reminders_due(case, earlier, lead=lead, deadlines=D)


def test_a_suspended_case_has_no_reminder() -> None:
    """Law on Complaints 2011 Art. 35: a suspended period does not run."""
    case, _ = cp.receive(
        case_id="KN-1", kind=cp.CaseKind.COMPLAINT, at=at(7, 6), channel=cp.Channel.CHAT,
        agency=AGENCY, deadlines=D, content="Khiếu nại quyết định",
        sender=Applicant("Y Bhin Niê", address="Buôn Đrao, xã Ea Tóh"),
    )  # fmt: skip
    case, _ = cp.accept(case, at=at(7, 6), deadlines=D)
    case, _ = cp.suspend(case, at=at(7, 20), reason="Chờ kết quả giám định", deadlines=D)
    assert case.clock is not None
    assert cp.due_in_queue(case) is None
    assert cp.reminders_due(case, at(8, 3), lead=Duration.working_days(1), deadlines=D) == []


# -- statistics ---------------------------------------------------------------------------------


def test_the_reporting_period_must_not_be_empty() -> None:
    with pytest.raises(InvalidInput) as info:
        cp.statistics([], at(7, 1), at(7, 1))
    assert info.value.reason == "the reporting period must end after it starts"


def test_statistics_count_the_period_start_in_and_its_end_out() -> None:
    """``[start, end)``: received or ended at the start counts; at the end it is next period's."""
    start, end = at(7, 6), at(7, 20)
    at_start = [assigned("PA-1", start), assigned("PA-2", start)]
    at_end, _ = cp.assign(petition("PA-3", end), at=end, unit="Văn phòng", handler="cb-1")
    key = (cp.CaseKind.PETITION, "Văn phòng")
    counts = cp.statistics([*at_start, at_end], start, end)[key]
    assert counts.received == 2
    assert counts.pending == 2  # open at the end; PA-3 came in at the end: next period's
    ended_at_start = [
        cp.resolve(c, at=start, summary="Đã trả lời", deadlines=D)[0]
        for c in (handled_by("PA-4", at(7, 1), start), handled_by("PA-5", at(7, 1), start))
    ]
    counts = cp.statistics(ended_at_start, start, end)[LEGAL]
    assert (counts.handled, counts.handled_in_time, counts.pending) == (2, 2, 0)
    ended_at_end = [
        cp.resolve(c, at=end, summary="Đã trả lời", deadlines=D)[0]
        for c in (handled_by("PA-6", start, start), handled_by("PA-7", start, start))
    ]
    counts = cp.statistics(ended_at_end, start, end)[LEGAL]
    assert (counts.handled, counts.pending) == (0, 2)  # still pending at the period's end


def test_statistics_count_every_late_and_overdue_case() -> None:
    late = [
        cp.resolve(
            handled_by(i, at(7, 6), at(7, 7)), at=at(7, 29), summary="Đã trả lời", deadlines=D
        )[0]
        for i in ("PA-1", "PA-2")
    ]
    counts = cp.statistics(late, at(7, 1), at(8, 1))[LEGAL]
    assert (counts.handled, counts.handled_late, counts.handled_in_time) == (2, 2, 0)
    running = [petition("PA-3"), petition("PA-4")]
    overdue_at_end = cp.statistics(running, at(7, 1), DUE)
    assert overdue_at_end[(cp.CaseKind.PETITION, cp.UNASSIGNED)].overdue == 2  # due == end
    before = cp.statistics(running, at(7, 1), DUE - MINUTE)
    assert before[(cp.CaseKind.PETITION, cp.UNASSIGNED)].overdue == 0


# -- the case fold and the tables -------------------------------------------------------------


def test_a_received_case_keeps_every_field_of_its_receipt() -> None:
    from tthc_core.complaint._kinds import Attachment
    from tthc_core.complaint._location import GeoPoint

    photo = Attachment("zalo://photo/1", "image/jpeg")
    point = GeoPoint(12.9, 108.1)
    case, events = cp.receive(
        case_id="GY-1", kind=cp.CaseKind.SERVICE_FEEDBACK, at=at(7, 6), channel=cp.Channel.CHAT,
        agency=AGENCY, deadlines=D, content="Chờ lâu", attachments=(photo,), desk="Quầy số 3",
        location=point,
    )  # fmt: skip
    rebuilt = cp.replay(events)
    for c in (case, rebuilt):
        assert (c.channel, c.content, c.attachments, c.desk, c.location) == (
            cp.Channel.CHAT,
            "Chờ lâu",
            (photo,),
            "Quầy số 3",
            point,
        )
    later, more = cp.accept(case, at=at(7, 8), deadlines=D)
    assert later.updated_at == at(7, 8)
    assert cp.replay([*events, *more]).updated_at == at(7, 8)


def test_the_fold_refuses_what_is_not_a_case_history() -> None:
    case, events = cp.receive(
        case_id="PA-1", kind=cp.CaseKind.PETITION, at=at(7, 6), channel=cp.Channel.WEB,
        agency=AGENCY, deadlines=D, content="Kiến nghị",
    )  # fmt: skip
    accepted, more = cp.accept(case, at=at(7, 6), deadlines=D)
    with pytest.raises(InvalidInput) as info:
        cp.apply_event(None, more[0])
    assert info.value.reason == "case PA-1 must start with CaseReceived"
    other = cp.receive(
        case_id="PA-2", kind=cp.CaseKind.PETITION, at=at(7, 6), channel=cp.Channel.WEB,
        agency=AGENCY, deadlines=D, content="Kiến nghị",
    )[0]  # fmt: skip
    with pytest.raises(InvalidInput) as info:
        cp.apply_event(other, more[0])
    assert info.value.reason == "event of case PA-1 applied to case PA-2"
    with pytest.raises(InvalidInput) as info:
        cp.replay([])
    assert info.value.reason == "a case needs at least its CaseReceived event"
    with pytest.raises(InvalidInput) as info:
        cp.apply_event(accepted, events[0])  # a second receipt changes nothing it may change
    assert info.value.reason == "CaseReceived does not change a case"


def test_a_state_change_outside_the_table_names_the_table() -> None:
    case = petition()
    resolved = cp.CaseResolved  # a petition must be assigned before it is resolved
    event = next(
        e
        for e in cp.resolve(
            cp.assign(case, at=at(7, 7), unit="Tư pháp", handler="cb-1")[0],
            at=at(7, 8),
            summary="Đã trả lời",
            deadlines=D,
        )[1]
        if isinstance(e, resolved)
    )
    with pytest.raises(DomainRuleViolation) as info:
        cp.apply_event(case, event)
    assert info.value.reason == "a petition case cannot go from accepted to resolved"
    assert info.value.rule == "transition table of petition"


def test_a_table_allows_nothing_from_a_state_without_a_row() -> None:
    from tthc_core.complaint._table import TransitionTable, check_table

    table = TransitionTable(
        initial=cp.CaseState.RECEIVED,
        edges={cp.CaseState.RECEIVED: frozenset({cp.CaseState.ACCEPTED})},
    )
    assert not table.allows(cp.CaseState.ACCEPTED, cp.CaseState.CLOSED)
    assert table.allows(cp.CaseState.RECEIVED, cp.CaseState.ACCEPTED)
    with pytest.raises(InvalidInput) as info:
        check_table("t", TransitionTable(initial=cp.CaseState.ACCEPTED, edges=table.edges))
    assert info.value.reason == "t: initial state ACCEPTED has no row"
    with pytest.raises(InvalidInput) as info:
        check_table("t", table)  # ACCEPTED has no row, and no state is final
    assert info.value.reason == (
        "t: no final state; transitions name unknown states ['accepted']; "
        "state received is a trap: no final state can be reached from it"
    )
