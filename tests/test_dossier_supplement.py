"""Supplement after appraisal (Decree 61/2018 Art. 19(4); Decision 766 KPI 2.1), fees, stops."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.dossier import (
    ConfirmPayment,
    Dossier,
    DossierState,
    DossierStopped,
    DossierSupplementReceived,
    DossierSupplementRequested,
    HandOver,
    ReceiveSupplement,
    RequestPayment,
    RequestSupplement,
    RequestWithdrawal,
    Resolve,
    StopProcessing,
    Timeliness,
)
from tthc_core.errors import InvalidInput
from tthc_core.regime import SupplementClock
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, drive, local, received

DAY = WEEKDAYS.hours.minutes_per_day  # 450 office minutes
ASK = RequestSupplement(("Bản sao Giấy chứng nhận kết hôn",), "Thiếu giấy tờ chứng minh quan hệ")


def _in_processing(clock: SupplementClock | None = None, year: int = 2026) -> Dossier:
    # 2026: Monday 2/3 09:00, due Monday 9/3 09:00; 2024: Monday 4/3, due Monday 11/3.
    day = 2 if year == 2026 else 4
    dossier, _ = received(at=local(year, 3, day, 9, 0), supplement_clock=clock)
    dossier, _ = drive(dossier, (HandOver(STEP_UNITS[0]), local(year, 3, day, 10, 0)))
    return dossier


def test_the_regime_chooses_the_clock_unless_the_agency_overrides_it() -> None:
    assert _in_processing(year=2024).supplement_clock is SupplementClock.RESTART  # 2018 regime
    assert _in_processing(year=2026).supplement_clock is SupplementClock.PAUSE  # 2025 regime
    override = _in_processing(SupplementClock.RESTART, year=2026)
    assert override.supplement_clock is SupplementClock.RESTART


def test_restart_counts_the_processing_time_again_from_the_complete_dossier() -> None:
    # "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ" (Art. 19(4), 2018 text).
    dossier = _in_processing(SupplementClock.RESTART)
    dossier, events = drive(
        dossier,
        (ASK, local(2026, 3, 3, 9, 0)),
        (ReceiveSupplement(), local(2026, 3, 5, 9, 0)),
    )
    assert dossier.state is DossierState.IN_PROCESSING
    assert dossier.due_at == WEEKDAYS.due(local(2026, 3, 5, 9, 0), dossier.processing_time)
    assert dossier.due_at == local(2026, 3, 12, 9, 0)
    back = events[-1]
    assert isinstance(back, DossierSupplementReceived)
    assert back.clock is SupplementClock.RESTART
    assert back.waited_minutes == 2 * DAY


def test_pause_shifts_the_due_time_by_the_working_time_waited() -> None:
    # Decision 766 KPI 2.1: the applicant's supplement time is not counted.
    dossier = _in_processing(SupplementClock.PAUSE)
    dossier, _ = drive(
        dossier,
        (ASK, local(2026, 3, 3, 9, 0)),
        (ReceiveSupplement(), local(2026, 3, 5, 9, 0)),  # two working days later
    )
    assert dossier.due_at == local(2026, 3, 11, 9, 0)  # Monday 9/3 09:00 + 2 working days
    assert dossier.supplements[0].waited_minutes == 2 * DAY
    assert dossier.supplements[0].received_at == local(2026, 3, 5, 9, 0)


@pytest.mark.parametrize("clock", list(SupplementClock))
def test_the_open_step_is_extended_by_the_wait_under_both_clocks(clock: SupplementClock) -> None:
    dossier = _in_processing(clock)
    step_due = dossier.sheet.entries[0].due_at  # Thursday 5/3 10:00
    dossier, _ = drive(
        dossier, (ASK, local(2026, 3, 3, 9, 0)), (ReceiveSupplement(), local(2026, 3, 5, 9, 0))
    )
    assert dossier.sheet.entries[0].due_at == WEEKDAYS.add_working_minutes(step_due, 2 * DAY)


@given(st.integers(0, 5 * 450))
def test_pause_shift_equals_the_working_minutes_between_request_and_completion(
    minutes: int,
) -> None:
    dossier = _in_processing(SupplementClock.PAUSE)
    asked = local(2026, 3, 3, 9, 0)
    back = WEEKDAYS.add_working_minutes(asked, minutes)
    due_before = dossier.due_at
    assert due_before is not None
    dossier, _ = drive(dossier, (ASK, asked), (ReceiveSupplement(), back))
    assert dossier.due_at == WEEKDAYS.add_working_minutes(due_before, minutes)


def test_more_than_one_supplement_request_counts_as_late_under_pause() -> None:
    dossier = _in_processing(SupplementClock.PAUSE)
    dossier, _ = drive(
        dossier,
        (ASK, local(2026, 3, 2, 11, 0)),
        (ReceiveSupplement(), local(2026, 3, 2, 14, 0)),
    )
    assert dossier.timeliness(local(2026, 3, 2, 15, 0)) is Timeliness.IN_TIME
    dossier, _ = drive(
        dossier,
        (ASK, local(2026, 3, 2, 15, 0)),
        (ReceiveSupplement(), local(2026, 3, 2, 16, 0)),
    )
    assert dossier.counts_as_late_for_supplements
    assert dossier.timeliness(local(2026, 3, 2, 16, 0)) is Timeliness.OVERDUE
    dossier, _ = drive(dossier, (Resolve(), local(2026, 3, 3, 9, 0)))  # days early, still late
    assert dossier.timeliness(local(2026, 3, 3, 9, 0)) is Timeliness.LATE


def test_restart_does_not_count_repeated_requests_as_late() -> None:
    dossier = _in_processing(SupplementClock.RESTART)
    for hour in (11, 14):
        dossier, _ = drive(
            dossier,
            (ASK, local(2026, 3, 2, hour, 0)),
            (ReceiveSupplement(), local(2026, 3, 2, hour, 30)),
        )
    dossier, _ = drive(dossier, (Resolve(), local(2026, 3, 3, 9, 0)))
    assert dossier.timeliness(local(2026, 3, 3, 9, 0)) is Timeliness.EARLY


def test_a_waiting_dossier_is_measured_at_the_request() -> None:
    # Decision 766 KPI 2.1: still waiting at report time = measured at the request.
    dossier = _in_processing()
    dossier, _ = drive(dossier, (ASK, local(2026, 3, 3, 9, 0)))
    assert dossier.state is DossierState.AWAITING_SUPPLEMENT
    assert dossier.state.national_code == 5
    assert dossier.timeliness(local(2026, 6, 1)) is Timeliness.IN_TIME
    assert dossier.step_timeliness(local(2026, 6, 1)) == (Timeliness.IN_TIME,)


def test_a_request_later_than_three_working_days_is_flagged() -> None:
    # Art. 19(4): returned within 3 working days of the handling agency's receipt
    # (the first handover, Monday 2/3 10:00).
    on_time = _in_processing()
    _, events = drive(on_time, (ASK, local(2026, 3, 5, 10, 0)))
    assert isinstance(events[0], DossierSupplementRequested)
    assert not events[0].late_request
    late, events = drive(_in_processing(), (ASK, local(2026, 3, 5, 10, 1)))
    assert isinstance(events[0], DossierSupplementRequested)
    assert events[0].late_request
    assert late.supplements[0].late_request
    assert events[0].form.startswith("Mẫu 02")


def test_fees_wait_in_status_6_without_moving_the_due_time() -> None:
    dossier = _in_processing()
    due = dossier.due_at
    dossier, _ = drive(dossier, (RequestPayment(50_000, "Lệ phí"), local(2026, 3, 3, 9, 0)))
    assert dossier.state is DossierState.AWAITING_PAYMENT
    assert dossier.state.national_code == 6
    dossier, _ = drive(dossier, (ConfirmPayment(), local(2026, 3, 4, 9, 0)))
    assert dossier.state is DossierState.IN_PROCESSING
    assert dossier.due_at == due
    assert dossier.payments[0].paid_at == local(2026, 3, 4, 9, 0)
    with pytest.raises(InvalidInput, match="negative"):
        RequestPayment(-1, "Lệ phí")


@pytest.mark.parametrize(("year", "form"), [(2026, "Mẫu 05 – Thông báo dừng"), (2024, None)])
def test_withdrawal_then_stop_issues_the_2025_stop_notice(year: int, form: str | None) -> None:
    # Circular 03/2025 Phụ lục I adds Mẫu 05 Thông báo dừng giải quyết hồ sơ (7 → 8).
    dossier = _in_processing(year=year)
    assert dossier.received_at is not None
    next_day = dossier.received_at + dt.timedelta(days=1)
    dossier, events = drive(
        dossier,
        (RequestWithdrawal("Không còn nhu cầu"), next_day),
        (StopProcessing("Theo đề nghị rút hồ sơ của công dân"), next_day + dt.timedelta(hours=1)),
    )
    assert dossier.state is DossierState.STOPPED
    assert dossier.state.national_code == 8
    stop = events[-1]
    assert isinstance(stop, DossierStopped)
    if form is None:
        assert stop.form is None
    else:
        assert (stop.form or "").startswith(form)
    # The stop ends processing (Decision 766 KPI 2.1) and closes the open step.
    assert dossier.finished_at == next_day + dt.timedelta(hours=1)
    assert dossier.sheet.entries[-1].completed_at == dossier.finished_at
    assert dossier.timeliness(next_day + dt.timedelta(days=60)) is Timeliness.EARLY
