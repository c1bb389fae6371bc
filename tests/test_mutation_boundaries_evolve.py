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
    rebuild,
)
from tthc_core.dossier import _events as ev
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, drive, local, received

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
