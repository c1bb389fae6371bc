"""Shipment delivery and failed attempts: every refusal names its reason and rule (issue 15).

Decision 45/2016/QĐ-TTg Art. 10 (identity check, entitled recipient, two attempts) and Art. 11
(the fee collected is the fee due); a result going back after its second failed attempt is not
delivered on the way.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_adapters.units import VietnamProvincesUnits
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.catalogue import Procedure
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.delivery import (
    CancelShipment,
    ChoiceMoment,
    ConfirmDelivery,
    DeliveryAttemptFailed,
    HandOver,
    MarkInTransit,
    ParcelReturnedToAgency,
    PostagePayer,
    RecordFailedAttempt,
    RecordReturnToAgency,
    ReturnChoice,
    Route,
    Shipment,
    ShipmentCancelled,
    ShipmentHandedOver,
    ShipmentInTransit,
    ShipmentRequested,
    ShipmentState,
    choose_return,
    expected_delivery,
    handle,
    request_shipment,
    shipment_reference,
)
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import PostalAddress, ReturnChannel

D = default_deadlines()
MONDAY = dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN_TZ)
TUESDAY = MONDAY + dt.timedelta(days=1)
CODE = DossierCode.parse("000.00.15.H12-250908-0005")
ART_10 = "Decision 45/2016/QĐ-TTg Art. 10"


def postal_choice() -> ReturnChoice:
    procedure = Procedure(
        ProcedureCode.parse("1.001234"),
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        Duration.working_days(3),
    )
    return choose_return(
        procedure,
        ReturnChannel.POSTAL,
        at=MONDAY,
        moment=ChoiceMoment.RESULT_READY,
        address=PostalAddress("Nguyễn Văn An", "0912 345 678", "Thôn 3", "24346", "66"),
        units=VietnamProvincesUnits(),
    )


def requested(fee: int = 0, *, slip: bool = False) -> Shipment:
    shipment, _ = request_shipment(
        shipment_reference(CODE, 1), CODE, postal_choice(), Route.WITHIN_PROVINCE, at=MONDAY,
        fee_to_collect_vnd=fee, with_appointment_slip=slip,
    )  # fmt: skip
    return shipment


def dispatched(fee: int = 0) -> Shipment:
    """Handed over to the postal worker on Monday."""
    command = HandOver("EH000000001VN", 16_000, "Bưu tá A")
    return handle(requested(fee), command, at=MONDAY, deadlines=D)[0]


def deliver(shipment: Shipment, command: ConfirmDelivery) -> Shipment:
    return handle(shipment, command, at=TUESDAY, deadlines=D)[0]


def test_a_delivery_without_an_identity_check_is_refused() -> None:
    with pytest.raises(DomainRuleViolation) as info:
        deliver(dispatched(), ConfirmDelivery("Nguyễn Văn An", identity_checked=False))
    assert info.value.reason == (
        "the postal worker must check the recipient's identity document or the "
        "proxy's authorisation before handing over the result"
    )
    assert info.value.rule == ART_10


def test_a_delivery_to_someone_not_entitled_is_refused() -> None:
    with pytest.raises(DomainRuleViolation) as info:
        deliver(dispatched(), ConfirmDelivery("Hàng xóm", identity_checked=True))
    assert info.value.reason == (
        "'Hàng xóm' is neither the addressee nor a person the applicant "
        "authorised; the result must not be handed to them"
    )
    assert info.value.rule == ART_10


def test_the_fee_collected_must_be_the_fee_due() -> None:
    with pytest.raises(DomainRuleViolation) as info:
        deliver(dispatched(fee=8_000), ConfirmDelivery("Nguyễn Văn An", True, 16_000))
    assert info.value.reason == (
        "the worker reports 16000 VND collected, but 8000 VND is due; reconcile before confirming"
    )
    assert info.value.rule == "Decision 45/2016/QĐ-TTg Art. 11"


def test_a_result_going_back_is_not_delivered_on_the_way() -> None:
    shipment = dispatched()
    for day in (TUESDAY, TUESDAY + dt.timedelta(days=2)):
        shipment = handle(shipment, RecordFailedAttempt("vắng nhà"), at=day, deadlines=D)[0]
    assert shipment.going_back
    with pytest.raises(DomainRuleViolation) as info:
        handle(
            shipment,
            ConfirmDelivery("Nguyễn Văn An", True),
            at=TUESDAY + dt.timedelta(days=3),
            deadlines=D,
        )
    assert info.value.reason == (
        f"shipment {shipment.reference} failed its second delivery attempt: the result "
        "goes back to the agency, where the citizen chooses again; it is not delivered "
        "on the way"
    )


def test_attempt_numbers_run_on_and_a_recorded_number_is_refused() -> None:
    shipment = dispatched()
    first, events = handle(shipment, RecordFailedAttempt("vắng nhà"), at=TUESDAY, deadlines=D)
    assert [e.attempt for e in events if isinstance(e, DeliveryAttemptFailed)] == [1]
    for number in (1, 0):
        with pytest.raises(DomainRuleViolation) as info:
            handle(first, RecordFailedAttempt("x", number=number), at=TUESDAY, deadlines=D)
        assert info.value.reason == f"attempt {number} is already recorded after attempt 1"
    later = TUESDAY + dt.timedelta(days=2)
    second, events = handle(first, RecordFailedAttempt("x", number=2), at=later, deadlines=D)
    assert [a.number for a in second.failed_attempts] == [1, 2]
    assert events[0].attempt == 2


def test_an_attempt_given_its_number_keeps_it() -> None:
    """A late report of attempt 2 with no record of 1 is attempt 2, not 1."""
    shipment = dispatched()
    after, events = handle(shipment, RecordFailedAttempt("x", number=2), at=TUESDAY, deadlines=D)
    assert [a.number for a in after.failed_attempts] == [2]
    assert events[0].attempt == 2
    assert attrs.asdict(after.failed_attempts[0])["number"] == 2


def test_a_third_attempt_is_refused() -> None:
    shipment = dispatched()
    with pytest.raises(DomainRuleViolation) as info:
        handle(shipment, RecordFailedAttempt("x", number=3), at=TUESDAY, deadlines=D)
    assert info.value.reason == (
        f"shipment {shipment.reference} may be attempted 2 times; "
        "after that the result must go back to the agency"
    )
    assert info.value.rule == ART_10


def test_a_handover_records_the_worker_the_postage_and_the_j_plus_n_due() -> None:
    """Circular 17/2017 Art. 6-8: the appointment-slip column when the dossier had a slip."""
    for slip in (False, True):
        shipment = requested(slip=slip)
        due = expected_delivery(MONDAY, Route.WITHIN_PROVINCE, D, with_appointment_slip=slip)
        after, events = handle(
            shipment, HandOver("EH000000001VN", 16_000, "Bưu tá A"), at=MONDAY, deadlines=D
        )
        assert events == [
            ShipmentHandedOver(
                occurred_at=MONDAY, reference=shipment.reference, dossier_code=CODE,
                item_code="EH000000001VN", postal_worker="Bưu tá A", postage_vnd=16_000,
                expected_by=due,
            )
        ]  # fmt: skip
        assert (after.postal_worker, after.postage_vnd, after.expected_by) == (
            "Bưu tá A",
            16_000,
            due,
        )
    assert expected_delivery(
        MONDAY, Route.WITHIN_PROVINCE, D, with_appointment_slip=True
    ) != expected_delivery(MONDAY, Route.WITHIN_PROVINCE, D)


def test_transit_and_cancellation_events() -> None:
    shipment = dispatched()
    moving, events = handle(shipment, MarkInTransit(), at=TUESDAY, deadlines=D)
    assert events == [
        ShipmentInTransit(occurred_at=TUESDAY, reference=shipment.reference, dossier_code=CODE)
    ]
    assert moving.state is ShipmentState.IN_TRANSIT
    fresh = requested()
    gone, events = handle(fresh, CancelShipment("đổi ý"), at=TUESDAY, deadlines=D)
    assert events == [
        ShipmentCancelled(
            occurred_at=TUESDAY, reference=fresh.reference, dossier_code=CODE, reason="đổi ý"
        )
    ]
    assert gone.state is ShipmentState.CANCELLED


def test_a_command_the_state_does_not_allow_names_the_action_in_words() -> None:
    shipment = dispatched()
    with pytest.raises(DomainRuleViolation) as info:
        handle(shipment, HandOver("EH000000002VN", 16_000), at=TUESDAY, deadlines=D)
    assert info.value.reason == (
        f"shipment {shipment.reference} is {shipment.state.value}; it cannot hand over"
    )


def test_a_return_to_the_agency_counts_the_attempts_made() -> None:
    """Decision 45/2016 Art. 10: returned before two failed attempts is premature."""
    shipment = dispatched()
    back, events = handle(shipment, RecordReturnToAgency(), at=TUESDAY, deadlines=D)
    assert events == [
        ParcelReturnedToAgency(
            occurred_at=TUESDAY, reference=shipment.reference, dossier_code=CODE,
            failed_attempts=0, premature=True,
        )
    ]  # fmt: skip
    assert (back.state, back.returned_at) == (ShipmentState.RETURNED, TUESDAY)
    for day in (TUESDAY, TUESDAY + dt.timedelta(days=2)):
        shipment = handle(shipment, RecordFailedAttempt("vắng nhà"), at=day, deadlines=D)[0]
    later = TUESDAY + dt.timedelta(days=3)
    event = handle(shipment, RecordReturnToAgency(), at=later, deadlines=D)[1][0]
    assert event == ParcelReturnedToAgency(
        occurred_at=later, reference=shipment.reference, dossier_code=CODE,
        failed_attempts=2, premature=False,
    )  # fmt: skip


def test_a_dossier_has_shipment_references_1_to_99() -> None:
    """``<dossier code>-BC<n>``: two digits at most, so 99 is the last sequence."""
    assert shipment_reference(CODE, 1) == f"{CODE}-BC1"
    assert shipment_reference(CODE, 99) == f"{CODE}-BC99"
    for wrong in (0, 100):
        with pytest.raises(InvalidInput) as info:
            shipment_reference(CODE, wrong)
        assert info.value.reason == f"shipment sequence must be 1-99, got {wrong}"


def test_a_failed_attempt_keeps_the_operators_reason() -> None:
    after, _ = handle(dispatched(), RecordFailedAttempt("sai địa chỉ"), at=TUESDAY, deadlines=D)
    assert [(a.number, a.at, a.reason) for a in after.failed_attempts] == [
        (1, TUESDAY, "sai địa chỉ")
    ]


def test_a_shipment_request_is_one_event_with_everything_requested() -> None:
    choice = postal_choice()
    reference = shipment_reference(CODE, 2)
    shipment, events = request_shipment(
        reference, CODE, choice, Route.INTER_PROVINCIAL, at=MONDAY, fee_to_collect_vnd=8_000,
        postage_payer=PostagePayer.AGENCY,
    )  # fmt: skip
    assert events == [
        ShipmentRequested(
            occurred_at=MONDAY, reference=reference, dossier_code=CODE, choice=choice,
            route=Route.INTER_PROVINCIAL, fee_to_collect_vnd=8_000,
            postage_payer=PostagePayer.AGENCY,
        )
    ]  # fmt: skip
    assert (shipment.state, shipment.requested_at) == (ShipmentState.REQUESTED, MONDAY)
