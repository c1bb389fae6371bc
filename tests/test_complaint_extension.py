"""Late extensions: missed is missed (Law on Denunciations 25/2018/QH14 Art. 30).

An extension (gia hạn) lengthens the period of a complex denunciation. Decided
after the period ended, it sets a new due time, but the miss stays on record:
the case stays overdue from the end it missed, its conclusion is late, and the
reports count it. Extended periods are counted from the day of acceptance
(Art. 30(1): "không quá 30 ngày kể từ ngày thụ lý"), policy
``EXTENSION_FROM_ACCEPTANCE`` in docs/complaint.md.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.codes import AgencyCode
from tthc_core.errors import TthcError
from tthc_core.party import Applicant
from tthc_core.testing.strategies import case_walks
from tthc_core.testing.strategies._complaint import COMMANDS, weekday_deadlines

D = default_deadlines()
MINUTE = dt.timedelta(minutes=1)
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")


def local(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


def accepted_denunciation(at: dt.datetime) -> cp.Case:
    case, _ = cp.receive(
        case_id="TC-2026-0001",
        kind=cp.CaseKind.DENUNCIATION,
        at=at,
        channel=cp.Channel.DESK,
        agency=AGENCY,
        deadlines=D,
        sender=Applicant("Lê Văn Bình", address="Thôn 3, xã Ea Tóh"),
        content="Tố cáo cán bộ nhận tiền",
    )
    case, _ = cp.accept(case, at=at, deadlines=D)
    case, _ = cp.assign(case, at=at, unit="Thanh tra", handler="cb-1")
    return case


def extend(case: cp.Case, at: dt.datetime) -> cp.Case:
    extended, _ = cp.extend(
        case, at=at, variant=cp.Variant.COMPLEX, reason="Vụ việc phức tạp", deadlines=D
    )
    return extended


MONDAY = local(7, 6, 9)  # accepted Monday 6/7/2026; 30 days end 24:00 Wednesday 5/8
DUE = local(8, 6)


@pytest.mark.parametrize(
    ("decided", "missed"),
    [(DUE - MINUTE, False), (DUE, True), (DUE + MINUTE, True), (local(8, 20, 9), True)],
)
def test_an_extension_after_the_end_keeps_the_miss(decided: dt.datetime, missed: bool) -> None:
    case = accepted_denunciation(MONDAY)
    assert case.due_at == DUE
    case = extend(case, decided)
    assert case.due_at == local(9, 5)  # the new due time: 60 days from acceptance
    assert case.clock is not None
    assert case.clock.missed_at == (DUE if missed else None)
    later = local(8, 25, 9)  # before the new due time
    expected = cp.Timeliness.OVERDUE if missed else cp.Timeliness.IN_TIME
    assert cp.timeliness(case, later) is expected
    assert (cp.overdue([case], later) == [case]) is missed
    assert cp.due_in_queue(case) == (DUE if missed else local(9, 5))
    notices = cp.reminders_due(case, later, lead=Duration.calendar_days(3), deadlines=D)
    assert [type(n) for n in notices] == ([cp.DeadlineMissed] if missed else [])
    counts = cp.statistics([case], local(8, 1), later)[(cp.CaseKind.DENUNCIATION, "Thanh tra")]
    assert counts.overdue == (1 if missed else 0)
    verifying, _ = cp.start_verification(case, at=later)
    done, events = cp.resolve(verifying, at=later, summary="Kết luận", deadlines=D)
    assert events[0].on_time is (not missed)  # type: ignore[attr-defined]
    assert cp.timeliness(done, later) is (
        cp.Timeliness.DONE_LATE if missed else cp.Timeliness.DONE_IN_TIME
    )
    late = cp.statistics([done], local(8, 1), local(9, 1))[(cp.CaseKind.DENUNCIATION, "Thanh tra")]
    assert (late.handled_late, late.handled_in_time) == ((1, 0) if missed else (0, 1))


def test_a_second_extension_keeps_the_first_miss() -> None:
    case = extend(accepted_denunciation(MONDAY), local(8, 7, 9))  # late
    case, _ = cp.extend(
        case, at=local(9, 1, 9), variant=cp.Variant.ESPECIALLY_COMPLEX, reason="x", deadlines=D
    )
    assert case.clock is not None
    assert (case.clock.missed_at, cp.due_in_queue(case)) == (DUE, DUE)


def test_extended_periods_count_from_acceptance_not_from_the_original_end() -> None:
    """Accepted Thursday 11/6/2026: day 30 is Saturday 11/7, so the period ends 24:00 Monday
    13/7 (Civil Code Art. 148). Extended, it ends 60 days from acceptance (Monday 10/8), not
    30 days after Monday 13/7 (Wednesday 12/8)."""
    case = accepted_denunciation(local(6, 11, 9))
    assert case.due_at == local(7, 14)
    assert extend(case, local(7, 1, 9)).due_at == local(8, 11)


@settings(max_examples=40, deadline=None)
@given(
    walk=case_walks(cp.CaseKind.DENUNCIATION, max_steps=8),
    variant=st.sampled_from([cp.Variant.COMPLEX, cp.Variant.ESPECIALLY_COMPLEX]),
    minutes=st.integers(0, 60 * 24 * 60),
)
def test_once_missed_a_case_stays_counted_as_missed(
    walk: tuple[cp.Case, list[cp.CaseEvent]], variant: cp.Variant, minutes: int
) -> None:
    case, _ = walk
    before = cp.due_in_queue(case)
    if before is None or not case.is_open:
        return  # nothing is running: nothing to miss
    at = max(before, case.updated_at) + dt.timedelta(minutes=minutes)  # overdue from here on
    assert cp.timeliness(case, at) is cp.Timeliness.OVERDUE
    try:
        extended, _ = cp.extend(
            case, at=at, variant=variant, reason="x", deadlines=weekday_deadlines()
        )
    except TthcError:
        return
    assert cp.timeliness(extended, at) is cp.Timeliness.OVERDUE
    assert cp.overdue([extended], at) == [extended]
    assert cp.due_in_queue(extended) == before


_SAME_STEP = ("assign", "reassign", "verify", "dialogue", "extend", "extend_more", "multi_site")


@settings(max_examples=60, deadline=None)
@given(
    walk=case_walks(max_steps=10),
    name=st.sampled_from(_SAME_STEP),
    minutes=st.integers(0, 60 * 24 * 30),
)
def test_no_command_on_the_same_step_cures_a_missed_period(
    walk: tuple[cp.Case, list[cp.CaseEvent]], name: str, minutes: int
) -> None:
    """Any kind: once a step is overdue, assigning, verifying, holding a dialogue or extending
    leaves it overdue and in the queue from the same instant."""
    case, _ = walk
    before = cp.due_in_queue(case)
    if before is None or not case.is_open or case.clock is None:
        return
    at = max(before, case.updated_at) + dt.timedelta(minutes=minutes)
    try:
        after, _ = COMMANDS[name](case, at, weekday_deadlines())
    except TthcError:
        return
    if after.clock is None or after.clock.step is not case.clock.step:
        return
    assert cp.timeliness(after, at) is cp.Timeliness.OVERDUE
    assert cp.due_in_queue(after) == before
