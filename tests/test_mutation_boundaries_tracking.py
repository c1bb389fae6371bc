"""Operator tracking updates: each outcome's exact result, each command a status maps to (issue 15).

Circular 17/2017/TT-BTTTT Art. 12 (item tracking), Art. 5(2)(h) (after the second failed
attempt the result goes back to the agency); Decision 45/2016/QĐ-TTg Art. 10 (identity check,
entitled recipient, two attempts) and Art. 11 (the fee collected is the fee due). These rules
were pinned by the delivery state machine, which the fast mutation set leaves out; each test
here names the boundary one surviving mutant of ``delivery/_tracking`` crossed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.test_delivery_rules import DEADLINES, MONDAY, new_shipment

from tthc_core.delivery import (
    DeliveryAttemptFailed,
    HandOver,
    ProviderStatus,
    RecordFailedAttempt,
    Shipment,
    ShipmentCancelled,
    ShipmentDelivered,
    ShipmentHandedOver,
    ShipmentInTransit,
    ShipmentState,
    TrackingConflict,
    TrackingConflictRecorded,
    TrackingOutcome,
    TrackingResult,
    TrackingUpdate,
    apply_tracking_update,
    handle,
    progress,
)
from tthc_core.errors import InvalidInput

DAY = dt.timedelta(days=1)
ITEM = "EH000000001VN"
ADDRESSEE = "Nguyễn Văn An"


def update(
    shipment: Shipment, status: ProviderStatus, at: dt.datetime, **fields: object
) -> TrackingUpdate:
    return TrackingUpdate(
        reference=shipment.reference,
        status=status,
        occurred_at=at,
        item_code=ITEM,
        **fields,  # type: ignore[arg-type]
    )


def apply(shipment: Shipment, report: TrackingUpdate) -> TrackingResult:
    return apply_tracking_update(shipment, report, deadlines=DEADLINES)


def handed_over(fee: int = 0) -> Shipment:
    return handle(new_shipment(fee), HandOver(ITEM, 16_000), at=MONDAY, deadlines=DEADLINES)[0]


def failed(times: int) -> Shipment:
    shipment = handed_over()
    for n in range(times):
        command = RecordFailedAttempt("vắng nhà")
        shipment = handle(shipment, command, at=MONDAY + (2 * n + 1) * DAY, deadlines=DEADLINES)[0]
    return shipment


def delivered(after_failures: int = 0) -> Shipment:
    shipment = failed(after_failures) if after_failures else handed_over()
    report = update(shipment, ProviderStatus.DELIVERED, MONDAY + 5 * DAY, received_by=ADDRESSEE)
    result = apply(shipment, report)
    assert result.outcome is TrackingOutcome.APPLIED
    return result.shipment


# -- progress: the rank updates are compared against --------------------------------------


def test_progress_of_each_state_before_a_failure() -> None:
    requested = new_shipment()
    in_transit = apply(handed_over(), update(requested, ProviderStatus.IN_TRANSIT, MONDAY + DAY))
    assert [progress(s) for s in (requested, handed_over(), in_transit.shipment)] == [0, 1, 2]


def test_progress_after_a_failed_attempt_adds_the_attempt_number() -> None:
    """A failed parcel ranks 2 + its last attempt, so attempt 2 is ahead of attempt 1."""
    assert [progress(failed(1)), progress(failed(2))] == [3, 4]


def test_progress_of_a_final_state_ignores_earlier_failed_attempts() -> None:
    """Delivered after one failure ranks like any delivery: final is final."""
    assert progress(delivered(after_failures=1)) == progress(delivered()) == 10


# -- outcomes and their exact results ----------------------------------------------------


def test_an_update_for_another_shipment_names_both_references() -> None:
    shipment = handed_over()
    other = TrackingUpdate(
        reference="other-ref", status=ProviderStatus.IN_TRANSIT, occurred_at=MONDAY, item_code=ITEM
    )
    with pytest.raises(InvalidInput) as info:
        apply(shipment, other)
    assert info.value.reason == f"update for other-ref applied to shipment {shipment.reference}"


def test_an_attempt_number_below_one_is_refused_with_the_number() -> None:
    with pytest.raises(InvalidInput) as info:
        update(new_shipment(), ProviderStatus.DELIVERY_FAILED, MONDAY, attempt=0)
    assert info.value.reason == "attempt numbers start at 1, got 0"


def test_a_duplicate_update_returns_the_shipment_unchanged_without_events() -> None:
    shipment = handed_over()
    report = update(shipment, ProviderStatus.IN_TRANSIT, MONDAY + DAY)
    moved = apply(shipment, report).shipment
    assert apply(moved, report) == TrackingResult(moved, (), TrackingOutcome.DUPLICATE)


def test_a_non_final_report_after_a_final_state_is_stale_not_a_conflict() -> None:
    """In transit after delivery is a late callback, not a contradiction."""
    shipment = delivered()
    report = update(shipment, ProviderStatus.IN_TRANSIT, MONDAY + DAY)
    assert apply(shipment, report) == TrackingResult(shipment, (), TrackingOutcome.STALE)


def test_a_report_ranked_equal_to_the_progress_is_stale() -> None:
    """Only an update strictly ahead of the shipment applies (equal rank: not ahead)."""
    shipment = apply(
        handed_over(), update(new_shipment(), ProviderStatus.IN_TRANSIT, MONDAY)
    ).shipment
    same_rank = update(shipment, ProviderStatus.IN_TRANSIT, MONDAY + DAY, attempt=1)
    assert same_rank.rank == progress(shipment)
    assert apply(shipment, same_rank) == TrackingResult(shipment, (), TrackingOutcome.STALE)


def test_a_numbered_failure_at_the_last_attempts_instant_still_applies() -> None:
    """Only an unnumbered failure is dated against the last attempt; a numbered one is not."""
    shipment = failed(1)
    at = shipment.failed_attempts[-1].at
    result = apply(shipment, update(shipment, ProviderStatus.DELIVERY_FAILED, at, attempt=2))
    assert result.outcome is TrackingOutcome.APPLIED
    assert [a.number for a in result.shipment.failed_attempts] == [1, 2]


def test_a_report_contradicting_a_final_state_is_recorded_as_a_conflict() -> None:
    shipment = delivered()
    at = MONDAY + 6 * DAY
    report = update(shipment, ProviderStatus.RETURNED, at, received_by="Bưu cục")
    result = apply(shipment, report)
    reason = "operator reports returned after delivered"
    event = TrackingConflictRecorded(
        occurred_at=at,
        reference=shipment.reference,
        dossier_code=shipment.dossier_code,
        status="returned",
        reported_at=at,
        reason=reason,
        received_by="Bưu cục",
    )
    assert (result.outcome, result.reason, result.events) == (
        TrackingOutcome.CONFLICT,
        reason,
        (event,),
    )
    assert result.shipment.conflicts == (
        TrackingConflict(status="returned", reported_at=at, reason=reason, received_by="Bưu cục"),
    )


def test_a_delivery_report_after_the_second_failure_is_a_conflict_with_the_rule() -> None:
    """Circular 17/2017 Art. 5(2)(h): the result is going back; the report is kept for staff."""
    shipment = failed(2)
    assert shipment.going_back
    report = update(shipment, ProviderStatus.DELIVERED, MONDAY + 5 * DAY, received_by=ADDRESSEE)
    result = apply(shipment, report)
    assert result.outcome is TrackingOutcome.CONFLICT
    assert result.reason.startswith(f"shipment {shipment.reference} failed its second delivery")
    assert result.events[0].reason == result.reason  # type: ignore[attr-defined]
    assert result.shipment.conflicts[-1].reason == result.reason


def test_a_rejected_report_returns_the_original_shipment_and_the_reason() -> None:
    """Decision 45/2016 Art. 10: the result is not handed to someone not entitled."""
    shipment = handed_over()
    report = update(shipment, ProviderStatus.DELIVERED, MONDAY + DAY, received_by="Hàng xóm")
    reason = (
        "'Hàng xóm' is neither the addressee nor a person the applicant authorised; "
        "the result must not be handed to them"
    )
    assert apply(shipment, report) == TrackingResult(shipment, (), TrackingOutcome.REJECTED, reason)


def test_a_delivery_report_without_a_recipient_is_rejected() -> None:
    shipment = handed_over()
    result = apply(shipment, update(shipment, ProviderStatus.DELIVERED, MONDAY + DAY))
    assert result == TrackingResult(
        shipment,
        (),
        TrackingOutcome.REJECTED,
        "the delivery report does not say who received it",
    )


# -- the command each status stands for ---------------------------------------------------


def test_a_skipped_handover_is_recorded_first_with_the_reports_postage() -> None:
    """The 'accepted' report was lost: the in-transit report hands over, then departs."""
    shipment = new_shipment()
    report = update(shipment, ProviderStatus.IN_TRANSIT, MONDAY, postage_vnd=16_000)
    result = apply(shipment, report)
    assert [type(e) for e in result.events] == [ShipmentHandedOver, ShipmentInTransit]
    assert (result.shipment.state, result.shipment.postage_vnd) == (
        ShipmentState.IN_TRANSIT,
        16_000,
    )


def test_a_delivery_report_is_an_identity_checked_delivery_with_the_fee() -> None:
    """The operator reports delivery only after the Art. 10 check; Art. 11 fee is carried."""
    shipment = handed_over(fee=8_000)
    report = update(
        shipment,
        ProviderStatus.DELIVERED,
        MONDAY + DAY,
        received_by=ADDRESSEE,
        fee_collected_vnd=8_000,
    )
    result = apply(shipment, report)
    assert [type(e) for e in result.events] == [ShipmentDelivered]
    assert (result.shipment.received_by, result.shipment.fee_collected_vnd) == (ADDRESSEE, 8_000)


@pytest.mark.parametrize(
    ("reason", "recorded"), [("", "không phát được"), ("vắng nhà", "vắng nhà")]
)
def test_a_failure_report_keeps_its_reason_or_the_default(reason: str, recorded: str) -> None:
    shipment = handed_over()
    report = update(shipment, ProviderStatus.DELIVERY_FAILED, MONDAY + DAY, reason=reason)
    result = apply(shipment, report)
    assert isinstance(result.events[0], DeliveryAttemptFailed)
    assert result.events[0].reason == result.shipment.failed_attempts[0].reason == recorded


def test_a_failure_report_keeps_the_operators_attempt_number() -> None:
    """A first report numbered 2 (attempt 1's report was lost) records attempt 2, not 1."""
    shipment = handed_over()
    report = update(shipment, ProviderStatus.DELIVERY_FAILED, MONDAY + DAY, attempt=2)
    result = apply(shipment, report)
    assert [a.number for a in result.shipment.failed_attempts] == [2]
    assert result.events[0].attempt == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("reason", "recorded"), [("", "hủy theo yêu cầu"), ("công dân đến nhận", "công dân đến nhận")]
)
def test_a_cancellation_report_keeps_its_reason_or_the_default(reason: str, recorded: str) -> None:
    shipment = new_shipment()
    result = apply(shipment, update(shipment, ProviderStatus.CANCELLED, MONDAY, reason=reason))
    assert result.shipment.state is ShipmentState.CANCELLED
    assert [type(e) for e in result.events] == [ShipmentCancelled]
    assert result.events[0].reason == recorded  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (ProviderStatus.IN_TRANSIT, ShipmentState.IN_TRANSIT),
        (ProviderStatus.DELIVERY_FAILED, ShipmentState.DELIVERY_FAILED),
        (ProviderStatus.RETURNED, ShipmentState.RETURNED),
    ],
)
def test_each_status_moves_a_handed_over_parcel_to_its_state(
    status: ProviderStatus, state: ShipmentState
) -> None:
    shipment = handed_over()
    result = apply(shipment, update(shipment, status, MONDAY + DAY))
    assert (result.outcome, result.shipment.state) == (TrackingOutcome.APPLIED, state)
