"""Timeliness, the overdue queue, reminders, statistics, redaction and serialization."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.codes import AgencyCode
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.serialization import converter
from tthc_core.testing.strategies import (
    aware_datetimes,
    case_walks,
    cases,
    register_type_strategies,
)

D = default_deadlines()
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
SENDER = Applicant("Y Bhin Niê", address="Buôn Đrao, xã Ea Tóh")


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN_TZ)


def petition(case_id: str = "PA-1", received: dt.datetime | None = None) -> cp.Case:
    """Accepted Monday 6/7/2026: 15 working days end 24:00 Monday 27/7."""
    received = received or at(7, 6)
    case, _ = cp.receive(
        case_id=case_id, kind=cp.CaseKind.PETITION, at=received, channel=cp.Channel.WEB,
        agency=AGENCY, deadlines=D, content="Kiến nghị bỏ yêu cầu bản sao",
    )  # fmt: skip
    case, _ = cp.accept(case, at=received, deadlines=D)
    return case


def test_timeliness_through_a_case() -> None:
    case = petition()
    assert cp.timeliness(case, at(7, 27, 16)) is cp.Timeliness.IN_TIME
    assert cp.timeliness(case, at(7, 28, 0)) is cp.Timeliness.OVERDUE
    case, _ = cp.assign(case, at=at(7, 7), unit="Văn phòng", handler="cb-1")
    late, _ = cp.resolve(case, at=at(7, 29), summary="Đã trả lời", deadlines=D)
    assert cp.timeliness(late, at(7, 29)) is cp.Timeliness.DONE_LATE
    timely, _ = cp.resolve(case, at=at(7, 20), summary="Đã trả lời", deadlines=D)
    assert cp.timeliness(timely, at(7, 29)) is cp.Timeliness.DONE_IN_TIME
    assert cp.Timeliness.OVERDUE.label_vi == "Quá hạn"


@given(st.lists(cases(), max_size=6), aware_datetimes())
def test_overdue_queue_is_exactly_the_expired_running_periods(
    batch: list[cp.Case], now: dt.datetime
) -> None:
    def late_from(c: cp.Case) -> dt.datetime | None:
        """A running period's end, or the earlier end it already missed (issue 10 item 5)."""
        if c.clock is None or c.clock.due_at is None:
            return None
        missed = c.clock.missed_at
        return missed if missed is not None and missed < c.clock.due_at else c.clock.due_at

    queue = cp.overdue(batch, now)
    expected = sorted(
        (first, c.case_id) for c in batch if (first := late_from(c)) is not None and first <= now
    )
    assert [c.case_id for c in queue] == [case_id for _, case_id in expected]
    assert all(c.due_at is not None and (late_from(c) or now) <= now for c in queue)


@pytest.mark.parametrize(
    ("now", "lead", "expected"),
    [
        (at(7, 22), Duration.working_days(2), []),
        (at(7, 24), Duration.working_days(2), [cp.DeadlineApproaching]),  # 14 office hours left
        (at(7, 24), Duration.working_hours(8), []),
        (at(7, 25), Duration.calendar_days(3), [cp.DeadlineApproaching]),
        (at(7, 28), Duration.working_days(2), [cp.DeadlineMissed]),
    ],
)
def test_reminders_before_and_after_the_due_instant(
    now: dt.datetime, lead: Duration, expected: list[type]
) -> None:
    case = petition()
    reminders = cp.reminders_due(case, now, lead=lead, deadlines=D)
    assert [type(r) for r in reminders] == expected
    for reminder in reminders:
        assert reminder.due_at == dt.datetime(2026, 7, 28, tzinfo=VN_TZ)
        assert reminder.step is cp.Step.RESOLVE
        blob = json.loads(json.dumps(converter.unstructure(reminder, cp.CaseEvent)))
        assert converter.structure(blob, cp.CaseEvent) == reminder


def test_statistics_by_kind_and_unit() -> None:
    a = petition("PA-1")
    a, _ = cp.assign(a, at=at(7, 7), unit="Văn phòng", handler="cb-1")
    a, _ = cp.resolve(a, at=at(7, 10), summary="Đã trả lời", deadlines=D)  # in time
    b = petition("PA-2")
    b, _ = cp.assign(b, at=at(7, 7), unit="Văn phòng", handler="cb-1")  # still open, overdue
    c = petition("PA-3")
    c, _ = cp.withdraw(c, at=at(7, 8))  # withdrawn: not handled, not pending
    d = petition("PA-4", received=at(8, 3))  # received after the period
    stats = cp.statistics([a, b, c, d], at(7, 1), at(8, 1))
    assert stats[(cp.CaseKind.PETITION, "Văn phòng")] == cp.CaseCounts(
        received=2, handled=1, handled_in_time=1, handled_late=0, pending=1, overdue=1
    )
    assert stats[(cp.CaseKind.PETITION, cp.UNASSIGNED)] == cp.CaseCounts(received=1)
    with pytest.raises(InvalidInput):
        cp.statistics([a], at(8, 1), at(7, 1))


def _denunciation() -> cp.Case:
    case, _ = cp.receive(
        case_id="TC-1", kind=cp.CaseKind.DENUNCIATION, at=at(7, 6), channel=cp.Channel.DESK,
        agency=AGENCY, deadlines=D, sender=SENDER, content="Tố cáo cán bộ địa chính",
        attachments=[cp.Attachment("att-1")],
    )  # fmt: skip
    return case


@pytest.mark.parametrize(
    ("viewer", "reads"),
    [
        (cp.Viewer.HANDLER, True),
        (cp.Viewer.SENDER, True),
        (cp.Viewer.STAFF, False),
        (cp.Viewer.PUBLIC, False),
    ],
)
def test_only_the_handler_reads_a_denouncers_identity(viewer: cp.Viewer, reads: bool) -> None:
    """Law on Denunciations 2018 Art. 47(2), 56(1)-(2)."""
    case = _denunciation()
    seen = cp.redact(case, viewer)
    assert (seen.sender == SENDER) is reads
    assert bool(seen.content) is reads
    assert bool(seen.attachments) is reads
    assert seen.case_id == case.case_id
    hidden = {"sender", "content", "attachments"}
    assert (hidden <= cp.readable_fields(cp.Case, case.kind, viewer)) is reads


def test_staff_read_a_complainants_identity_the_public_never() -> None:
    assert cp.may_read(cp.CaseKind.COMPLAINT, cp.Viewer.STAFF)
    assert not cp.may_read(cp.CaseKind.COMPLAINT, cp.Viewer.PUBLIC)


def test_the_receipt_event_is_redacted_like_the_case() -> None:
    _, events = cp.receive(
        case_id="TC-2", kind=cp.CaseKind.DENUNCIATION, at=at(7, 6), channel=cp.Channel.CHAT,
        agency=AGENCY, deadlines=D, sender=SENDER, content="Tố cáo",
    )  # fmt: skip
    assert cp.redact(events[0], cp.Viewer.STAFF).sender is None  # type: ignore[attr-defined]


@given(case_walks())
def test_cases_and_events_round_trip_through_json(walk: tuple[cp.Case, list[cp.CaseEvent]]) -> None:
    case, events = walk
    blob = json.loads(json.dumps(converter.unstructure(case)))
    assert converter.structure(blob, cp.Case) == case
    stream = json.loads(json.dumps(converter.unstructure(events, list[cp.CaseEvent])))
    assert converter.structure(stream, list[cp.CaseEvent]) == events
    assert cp.replay(events) == case


def test_types_resolve_with_from_type() -> None:
    register_type_strategies()

    @given(st.from_type(cp.Case), st.from_type(cp.CaseEvent))
    def check(case: cp.Case, event: cp.CaseEvent) -> None:
        assert isinstance(case, cp.Case)
        assert isinstance(event, cp.CaseEvent)

    check()
