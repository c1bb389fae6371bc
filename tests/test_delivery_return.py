"""After the second failed attempt the result goes back to the agency.

Circular 17/2017/TT-BTTTT Art. 5(2)(h): when the worker has invited the citizen
at least twice, 02 working days apart, and nobody came, "kết quả được chuyển lại
cho cơ quan có thẩm quyền để xử lý". From the second failed attempt a delivery
is refused (desk command) or recorded as a conflict for an officer (operator
report); it never counts as the result returned to the citizen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.test_delivery_rules import DEADLINES, MONDAY, _handed_over, new_shipment

from tthc_core.delivery import (
    ConfirmDelivery,
    ParcelReturnedToAgency,
    ProviderStatus,
    RecordFailedAttempt,
    RecordReturnToAgency,
    ResultGoingBack,
    Shipment,
    ShipmentState,
    TrackingConflictRecorded,
    TrackingOutcome,
    TrackingUpdate,
    apply_tracking_update,
    dossier_commands,
    handle,
)

TUESDAY = MONDAY + dt.timedelta(days=1)
THURSDAY = TUESDAY + dt.timedelta(days=2)  # 2 working days after Tuesday
DAY = dt.timedelta(days=1)


def failed(shipment: Shipment, *times: dt.datetime) -> Shipment:
    for at in times:
        shipment, _ = handle(shipment, RecordFailedAttempt("vắng nhà"), at=at, deadlines=DEADLINES)
    return shipment


def deliver(shipment: Shipment, at: dt.datetime) -> Shipment:
    delivered, _ = handle(
        shipment,
        ConfirmDelivery("Nguyễn Văn An", identity_checked=True),
        at=at,
        deadlines=DEADLINES,
    )
    return delivered


def report(status: ProviderStatus, at: dt.datetime, **kw: object) -> TrackingUpdate:
    return TrackingUpdate(
        reference=new_shipment().reference, status=status, occurred_at=at, item_code="EB1", **kw
    )


def test_after_one_failed_attempt_the_result_may_still_be_delivered() -> None:
    shipment = failed(_handed_over(new_shipment()), TUESDAY)
    assert not shipment.going_back
    assert deliver(shipment, THURSDAY - dt.timedelta(minutes=1)).state is ShipmentState.DELIVERED


@pytest.mark.parametrize("delay", [dt.timedelta(minutes=1), DAY, 7 * DAY])
def test_after_the_second_failed_attempt_the_desk_cannot_deliver(delay: dt.timedelta) -> None:
    shipment = failed(_handed_over(new_shipment()), TUESDAY, THURSDAY)
    assert shipment.going_back
    with pytest.raises(ResultGoingBack) as info:
        deliver(shipment, THURSDAY + delay)
    assert "Circular 17/2017/TT-BTTTT Art. 5(2)(h)" in (info.value.rule or "")
    returned, events = handle(
        shipment, RecordReturnToAgency(), at=THURSDAY + delay, deadlines=DEADLINES
    )
    assert returned.state is ShipmentState.RETURNED
    assert not events[0].premature  # type: ignore[attr-defined]


def test_a_delivered_report_after_the_second_failure_is_a_conflict_for_an_officer() -> None:
    shipment = failed(_handed_over(new_shipment()), TUESDAY, THURSDAY)
    update = report(ProviderStatus.DELIVERED, THURSDAY + DAY, received_by="Nguyễn Văn An")
    result = apply_tracking_update(shipment, update, deadlines=DEADLINES)
    assert result.outcome is TrackingOutcome.CONFLICT
    assert result.shipment.state is ShipmentState.DELIVERY_FAILED  # not delivered
    assert [type(e) for e in result.events] == [TrackingConflictRecorded]
    conflict = result.shipment.conflicts[0]
    assert (conflict.status, conflict.received_by) == ("delivered", "Nguyễn Văn An")
    assert dossier_commands(result.events[0]) == ()  # the dossier is not "result returned"
    again = apply_tracking_update(result.shipment, update, deadlines=DEADLINES)
    assert again.outcome is TrackingOutcome.DUPLICATE  # recorded once
    back = apply_tracking_update(
        result.shipment, report(ProviderStatus.RETURNED, THURSDAY + 2 * DAY), deadlines=DEADLINES
    )
    assert back.outcome is TrackingOutcome.APPLIED
    assert back.shipment.state is ShipmentState.RETURNED
    assert isinstance(back.events[-1], ParcelReturnedToAgency)
    assert back.shipment.conflicts == result.shipment.conflicts


def test_a_delivered_report_after_the_return_is_recorded_too() -> None:
    shipment = failed(_handed_over(new_shipment()), TUESDAY, THURSDAY)
    shipment, _ = handle(shipment, RecordReturnToAgency(), at=THURSDAY + DAY, deadlines=DEADLINES)
    update = report(ProviderStatus.DELIVERED, THURSDAY + 2 * DAY, received_by="Nguyễn Văn An")
    result = apply_tracking_update(shipment, update, deadlines=DEADLINES)
    assert result.outcome is TrackingOutcome.CONFLICT
    assert result.shipment.state is ShipmentState.RETURNED
    assert len(result.shipment.conflicts) == 1


def test_a_second_attempt_that_came_too_soon_still_sends_the_result_back() -> None:
    """Policy RETURN_AFTER_SECOND_FAILURE: the early attempt is flagged (`too_soon`, the
    operator's breach of the 2-working-day gap) but the parcel has left the round either way;
    it is not delivered on the way back."""
    shipment = failed(_handed_over(new_shipment()), TUESDAY)
    early, events = handle(shipment, RecordFailedAttempt(), at=THURSDAY - DAY, deadlines=DEADLINES)
    assert events[0].too_soon  # type: ignore[attr-defined]
    assert early.going_back
    with pytest.raises(ResultGoingBack):
        deliver(early, THURSDAY)
