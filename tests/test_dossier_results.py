"""Results (Decree 61/2018 Art. 20; Decision 45/2016), late dossiers (Art. 19(8)-(9))."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ
from tthc_core.dossier import (
    ChooseReturnChannel,
    ConfirmPostalDelivery,
    DeliverElectronically,
    DispatchByPost,
    Dossier,
    DossierRefusedAfterAppraisal,
    DossierRescheduled,
    DossierState,
    HandOver,
    PostalParcelReturned,
    RefuseAfterAppraisal,
    Reschedule,
    RescheduleRefused,
    Resolve,
    ReturnAtDesk,
    ReturnChannelMismatch,
    Timeliness,
    TransitionNotAllowed,
    handle,
)
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, drive, local, postal_address, received

RECEIVED_AT = local(2026, 3, 2, 9, 0)  # Monday; due Monday 9/3 09:00
DUE = local(2026, 3, 9, 9, 0)


def _resolved(return_channel: ReturnChannel = ReturnChannel.DESK) -> Dossier:
    address = postal_address() if return_channel is ReturnChannel.POSTAL else None
    dossier, _ = received(at=RECEIVED_AT, return_channel=return_channel, postal_address=address)
    dossier, _ = drive(
        dossier,
        (HandOver(STEP_UNITS[0]), local(2026, 3, 2, 10)),
        (Resolve(), local(2026, 3, 4, 15)),
    )
    return dossier


def _processing() -> Dossier:
    dossier, _ = received(at=RECEIVED_AT)
    dossier, _ = drive(dossier, (HandOver(STEP_UNITS[0]), local(2026, 3, 2, 10)))
    return dossier


def test_result_collected_at_the_desk() -> None:
    dossier = _resolved()
    assert dossier.state is DossierState.RESOLVED
    assert dossier.holder_unit == dossier.receiving_unit
    dossier, _ = drive(dossier, (ReturnAtDesk(), local(2026, 3, 5, 8)))
    assert dossier.state is DossierState.RESULT_RETURNED
    assert dossier.returned_at == local(2026, 3, 5, 8)


def test_postal_return_dispatch_confirm() -> None:
    dossier = _resolved(ReturnChannel.POSTAL)
    dossier, _ = drive(
        dossier, (DispatchByPost("000.24.32.H15-260302-0001-BC1"), local(2026, 3, 5))
    )
    assert dossier.state is DossierState.IN_POSTAL_DELIVERY
    assert dossier.state.national_code == 9  # not returned until delivery is confirmed
    assert dossier.shipment_reference == "000.24.32.H15-260302-0001-BC1"
    dossier, _ = drive(dossier, (ConfirmPostalDelivery(), local(2026, 3, 6, 10)))
    assert dossier.state is DossierState.RESULT_RETURNED
    assert dossier.returned_at == local(2026, 3, 6, 10)


def test_a_returned_parcel_waits_at_the_desk_again() -> None:
    dossier = _resolved(ReturnChannel.POSTAL)
    dossier, _ = drive(
        dossier,
        (DispatchByPost("BC1"), local(2026, 3, 5)),
        (PostalParcelReturned(), local(2026, 3, 9)),
    )
    assert dossier.state is DossierState.RESOLVED
    assert dossier.returned_at is None
    dossier, _ = drive(dossier, (DispatchByPost("BC2"), local(2026, 3, 10)))
    assert dossier.shipment_reference == "BC2"


def test_post_needs_a_registered_postal_return() -> None:
    with pytest.raises(ReturnChannelMismatch, match="needs 'postal'") as info:
        handle(_resolved(), DispatchByPost("BC1"), at=local(2026, 3, 5))
    assert "Mẫu 01 item 6" in (info.value.rule or "")
    with pytest.raises(ReturnChannelMismatch, match="needs 'electronic'"):
        handle(_resolved(), DeliverElectronically(), at=local(2026, 3, 5))
    with pytest.raises(InvalidInput, match="must not be blank"):
        DispatchByPost(" ")


def test_electronic_result_through_the_portal() -> None:
    dossier = _resolved(ReturnChannel.ELECTRONIC)
    dossier, _ = drive(dossier, (DeliverElectronically(), local(2026, 3, 4, 16)))
    assert dossier.state is DossierState.RESULT_RETURNED


def test_end_of_processing_is_the_resolution_not_the_return() -> None:
    # Decision 766 KPI 2.1: the first terminal state counts: resolved, else returned.
    dossier = _resolved()
    dossier, _ = drive(dossier, (ReturnAtDesk(), local(2026, 3, 20)))  # collected late
    assert dossier.finished_at == local(2026, 3, 4, 15)
    assert dossier.timeliness(local(2026, 3, 20)) is Timeliness.EARLY


def test_apology_moves_the_appointment_once() -> None:
    # Decree 61/2018 Art. 19(9): at least a day ahead, at most once, Mẫu 04.
    new_due = local(2026, 3, 12, 9, 0)
    dossier, events = drive(
        _processing(), (Reschedule(new_due, "Chờ xác minh"), local(2026, 3, 5, 9))
    )
    assert dossier.due_at == new_due
    notice = events[0]
    assert isinstance(notice, DossierRescheduled)
    assert notice.original_due_at == DUE
    assert not notice.late_notice
    assert notice.form.startswith("Mẫu 04 – Văn bản xin lỗi")  # 2025 wording
    with pytest.raises(RescheduleRefused, match="already moved 1 time") as info:
        handle(
            dossier,
            Reschedule(new_due + dt.timedelta(days=3), "Chưa xong"),
            at=local(2026, 3, 6),
            deadlines=WEEKDAYS,
        )
    assert info.value.rule == "Decree 61/2018/NĐ-CP Art. 19(9)"


@pytest.mark.parametrize(
    ("issued", "late"),
    [
        (local(2026, 3, 5, 17, 0), False),  # two working days ahead
        (local(2026, 3, 6, 9, 0), False),  # the working day before the due day...
        (local(2026, 3, 6, 9, 1), False),  # ... not 24 working hours to the minute
        (local(2026, 3, 6, 23, 59), False),  # the whole of that day
        (local(2026, 3, 7, 0, 0), True),  # Saturday: a day off counts as Monday
        (local(2026, 3, 8, 23, 59), True),
        (local(2026, 3, 9, 8, 0), True),  # the due day itself
    ],
)
def test_an_apology_is_due_by_the_working_day_before_the_due_day(
    issued: dt.datetime, late: bool
) -> None:
    # Decree 61/2018 Art. 19(9): "chậm nhất 01 ngày trước ngày hết hạn". Due Monday 9/3 09:00.
    dossier, events = drive(_processing(), (Reschedule(local(2026, 3, 12), "Chờ xác minh"), issued))
    assert isinstance(events[0], DossierRescheduled)
    assert events[0].late_notice is late
    assert dossier.reschedules[0].late_notice is late
    assert dossier.due_at == local(2026, 3, 12)  # recorded either way, only flagged


def test_an_apology_before_a_holiday_is_due_before_the_holiday() -> None:
    # Due Monday 3/2/2025, after Tết: the working day before is Friday 24/1/2025.
    dl = default_deadlines()
    dossier, _ = received(at=local(2025, 1, 20, 10, 0), deadlines=dl)
    assert dossier.due_at is not None
    due_day = dossier.due_at.date()
    before = dl.index.nth_working_day(due_day, -1)
    assert (due_day, before) == (dt.date(2025, 2, 3), dt.date(2025, 1, 24))
    on_time, _ = handle(
        dossier,
        Reschedule(dossier.due_at + dt.timedelta(days=7), "Chờ xác minh"),
        at=dt.datetime.combine(before, dt.time(23, 59), tzinfo=VN_TZ),
        deadlines=dl,
    )
    late, _ = handle(
        dossier,
        Reschedule(dossier.due_at + dt.timedelta(days=7), "Chờ xác minh"),
        at=dt.datetime.combine(before + dt.timedelta(days=1), dt.time(0, 0), tzinfo=VN_TZ),
        deadlines=dl,
    )
    assert not on_time.reschedules[0].late_notice
    assert late.reschedules[0].late_notice


def test_the_new_appointment_must_be_later() -> None:
    with pytest.raises(RescheduleRefused, match="must be after the current due time"):
        handle(_processing(), Reschedule(DUE, "x"), at=local(2026, 3, 3), deadlines=WEEKDAYS)
    with pytest.raises(InvalidInput, match="aware"):
        Reschedule(dt.datetime(2026, 3, 12), "x")  # noqa: DTZ001


def test_timeliness_compares_with_the_rescheduled_due_time() -> None:
    dossier, _ = drive(
        _processing(),
        (Reschedule(local(2026, 3, 12, 9), "Chờ xác minh"), local(2026, 3, 5, 9)),
        (Resolve(), local(2026, 3, 11, 9)),  # after the original due, before the new one
    )
    assert dossier.timeliness(local(2026, 3, 11, 9)) is Timeliness.EARLY


def test_refusal_after_appraisal_within_or_after_the_processing_time() -> None:
    # Decree 61/2018 Art. 19(8): Mẫu 03 within the processing time; later is flagged.
    within, events = drive(_processing(), (RefuseAfterAppraisal("Không đủ điều kiện"), DUE))
    assert within.state is DossierState.REFUSED_AFTER_APPRAISAL
    assert isinstance(events[0], DossierRefusedAfterAppraisal)
    assert not events[0].after_due
    assert events[0].form.startswith("Mẫu 03")
    assert within.timeliness(DUE) is Timeliness.ON_TIME
    late_at = DUE + dt.timedelta(minutes=1)
    late, events = drive(_processing(), (RefuseAfterAppraisal("Không đủ điều kiện"), late_at))
    assert isinstance(events[0], DossierRefusedAfterAppraisal)
    assert events[0].after_due
    assert late.timeliness(late_at) is Timeliness.LATE
    assert late.is_final


def test_the_return_channel_may_change_until_dispatch() -> None:
    # Mẫu 01 item 6 records the choice; it may change until the result leaves
    # by post (Decision 45/2016/QĐ-TTg Art. 5).
    dossier = _resolved()
    with pytest.raises(ReturnChannelMismatch):
        handle(dossier, DispatchByPost("BC1"), at=local(2026, 3, 5))
    dossier, _ = drive(
        dossier,
        (ChooseReturnChannel(ReturnChannel.POSTAL, postal_address()), local(2026, 3, 5, 8)),
        (DispatchByPost("BC1"), local(2026, 3, 5, 9)),
    )
    assert dossier.state is DossierState.IN_POSTAL_DELIVERY
    assert dossier.postal_address == postal_address()
    with pytest.raises(TransitionNotAllowed):
        handle(dossier, ChooseReturnChannel(ReturnChannel.DESK), at=local(2026, 3, 5, 10))
    dossier, _ = drive(
        dossier,
        (PostalParcelReturned(), local(2026, 3, 9)),
        (ChooseReturnChannel(ReturnChannel.DESK), local(2026, 3, 9, 9)),
        (ReturnAtDesk(), local(2026, 3, 9, 10)),
    )
    assert dossier.state is DossierState.RESULT_RETURNED
    assert dossier.return_channel is ReturnChannel.DESK
    with pytest.raises(InvalidInput, match="postal address"):
        ChooseReturnChannel(ReturnChannel.POSTAL)
