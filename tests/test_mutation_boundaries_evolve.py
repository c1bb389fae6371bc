"""How each dossier event changes the dossier (``tthc_core.dossier._evolve``, issue 15).

Boundaries the workflow tests did not visit: a second payment after the first was paid, a
supplement received with several control-sheet rows before the open one, a handover's note, and
a recorded supplement event that shifts no step (``step_due_at`` is ``None``: no step was open).
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.dossier import (
    ConfirmPayment,
    HandOver,
    ReceiveSupplement,
    RequestPayment,
    RequestSupplement,
    Reschedule,
    rebuild,
)
from tthc_core.dossier import _events as ev
from tthc_core.party import ReturnChannel
from tthc_core.testing.dossiers import (
    STEP_UNITS,
    WEEKDAYS,
    drive,
    local,
    postal_address,
    received,
    submitted,
)

MONDAY = local(2026, 3, 2, 9, 0)
HOUR = dt.timedelta(hours=1)


def test_a_handover_note_is_kept_on_its_control_sheet_row() -> None:
    """Circular 01/2018 Mẫu 05: the row's "ghi chú" column is the handover's note."""
    dossier, _ = received(at=MONDAY)
    after, _ = drive(dossier, (HandOver(STEP_UNITS[0], note="bản gốc"), MONDAY + HOUR))
    assert [row.note for row in after.sheet.entries] == ["bản gốc"]


def test_a_second_payment_confirmed_keeps_the_first_paid_record() -> None:
    """Only the last payment record is marked paid; every earlier one stays as it was."""
    dossier, _ = received(at=MONDAY)
    at = MONDAY + HOUR
    done, _ = drive(
        dossier,
        (HandOver(STEP_UNITS[0]), at),
        (RequestPayment(50_000, "Lệ phí"), at + HOUR),
        (ConfirmPayment(), at + 2 * HOUR),
        (RequestPayment(20_000, "Phí bổ sung"), at + 3 * HOUR),
        (ConfirmPayment(), at + 4 * HOUR),
    )
    assert [(p.amount_vnd, p.paid_at) for p in done.payments] == [
        (50_000, at + 2 * HOUR),
        (20_000, at + 4 * HOUR),
    ]


def test_a_supplement_received_shifts_only_the_open_row_and_keeps_the_earlier_ones() -> None:
    """Decree 61/2018 Art. 19(4): the waiting time moves the open step's due, no other row."""
    dossier, _ = received(at=MONDAY)
    at = MONDAY + HOUR
    before, _ = drive(
        dossier,
        (HandOver(STEP_UNITS[0]), at),
        (HandOver(STEP_UNITS[1]), at + HOUR),
        (RequestSupplement(("Tờ khai",), "Thiếu tờ khai"), at + 2 * HOUR),
    )
    back = at + dt.timedelta(days=1)
    after, events = drive(before, (ReceiveSupplement(), back))
    received_event = events[-1]
    assert isinstance(received_event, ev.DossierSupplementReceived)
    assert received_event.step_due_at is not None
    rows_before, rows_after = before.sheet.entries, after.sheet.entries
    assert len(rows_after) == len(rows_before) == 2
    assert rows_after[0] == rows_before[0]
    assert rows_after[1] == attrs.evolve(rows_before[1], due_at=received_event.step_due_at)
    assert rows_after[1].due_at == WEEKDAYS.add_working_minutes(
        rows_before[1].due_at, received_event.waited_minutes
    )


def test_a_recorded_supplement_event_without_a_step_due_shifts_no_row() -> None:
    """``step_due_at=None`` (no step was open when it was decided) leaves the sheet as it is."""
    dossier, submitted_events = received(at=MONDAY)
    at = MONDAY + HOUR
    _, events = drive(
        dossier,
        (HandOver(STEP_UNITS[0]), at),
        (RequestSupplement(("Tờ khai",), "Thiếu tờ khai"), at + HOUR),
        (ReceiveSupplement(), at + dt.timedelta(days=1)),
    )
    history = [*submitted_events, *events]
    recorded = attrs.evolve(events[-1], step_due_at=None)
    replayed = rebuild([*history[:-1], recorded])
    before = rebuild(history[:-1])
    assert replayed.sheet == before.sheet
    assert replayed.due_at == recorded.due_at


def test_a_submitted_dossier_carries_everything_the_submission_named() -> None:
    dossier, events = submitted(
        at=MONDAY, return_channel=ReturnChannel.POSTAL, postal_address=postal_address()
    )
    event = events[-1]
    assert isinstance(event, ev.DossierSubmitted)
    assert rebuild([event]) == dossier
    assert (
        dossier.applicant,
        dossier.procedure_name,
        dossier.postal_address,
        dossier.submitted_at,
        dossier.last_event_at,
    ) == (event.applicant, event.procedure_name, postal_address(), MONDAY, MONDAY)
    assert dossier.procedure_name


def test_control_sheet_rows_are_numbered_from_one_in_handover_order() -> None:
    """Circular 01/2018 Mẫu 05: the "STT" column counts the handovers 1, 2, 3."""
    dossier, _ = received(at=MONDAY)
    steps = [(HandOver(unit), MONDAY + (i + 1) * HOUR) for i, unit in enumerate(STEP_UNITS)]
    done, _ = drive(dossier, *steps)
    assert [row.sequence for row in done.sheet.entries] == [1, 2, 3]


def test_the_records_of_supplement_payment_and_reschedule_requests() -> None:
    """Each request is kept with its instant, what it asked and why (Mẫu 02, 04)."""
    dossier, _ = received(at=MONDAY)
    at = MONDAY + HOUR
    asked, events = drive(
        dossier,
        (HandOver(STEP_UNITS[0]), at),
        (RequestSupplement(("Tờ khai", "Bản sao CCCD"), "Thiếu giấy tờ"), at + HOUR),
    )
    late = events[-1]
    assert isinstance(late, ev.DossierSupplementRequested)
    record = asked.supplements[-1]
    assert (record.requested_at, record.items, record.reason, record.late_request) == (
        at + HOUR,
        ("Tờ khai", "Bản sao CCCD"),
        "Thiếu giấy tờ",
        late.late_request,
    )
    back, _ = drive(asked, (ReceiveSupplement(), at + 2 * HOUR))
    paying, _ = drive(back, (RequestPayment(50_000, "Lệ phí"), at + 3 * HOUR))
    payment = paying.payments[-1]
    assert (payment.requested_at, payment.amount_vnd, payment.reason, payment.paid_at) == (
        at + 3 * HOUR,
        50_000,
        "Lệ phí",
        None,
    )
    paid, _ = drive(paying, (ConfirmPayment(), at + 4 * HOUR))
    assert paid.due_at is not None
    new_due = paid.due_at + dt.timedelta(days=3)
    later, events = drive(paid, (Reschedule(new_due, "Chờ xác minh"), at + 5 * HOUR))
    moved = events[-1]
    assert isinstance(moved, ev.DossierRescheduled)
    record = later.reschedules[-1]
    assert (
        record.issued_at,
        record.original_due_at,
        record.new_due_at,
        record.reason,
        record.late_notice,
    ) == (at + 5 * HOUR, paid.due_at, new_due, "Chờ xác minh", moved.late_notice)
    assert later.due_at == new_due
