"""The shipment aggregate: one result parcel sent by public post.

A shipment is created by :func:`request_shipment` and changed only by
:func:`handle`, which applies a command at an instant and returns the new
shipment and its events, or raises. Which command may follow which is the
data of :mod:`tthc_core.delivery._lifecycle`.

Rules encoded here (Decision 45/2016/QĐ-TTg, Circular 17/2017/TT-BTTTT):

* Handover: the Phiếu gửi is signed by the agency and the postal worker; J,
  the day of the Phiếu gửi, starts the J+n service standard (QĐ Art. 9; TT Art. 6-8).
* Postage is the applicant's (QĐ Art. 12(3)) unless the agency caused a repeat
  (Art. 12(4)); it is recorded once, at handover.
* Delivery: the worker checks the identity of the addressee or the
  authorisation of their proxy; fees due are collected and recorded once
  (QĐ Art. 10, 11).
* Two failed attempts at least 2 working days apart, then the result goes back
  to the agency (QĐ Art. 10; TT Art. 5(2)(h): "đã mời tối thiểu hai lần, mỗi lần
  cách nhau 02 ngày làm việc nhưng tổ chức, cá nhân không đến nhận kết quả thì
  kết quả được chuyển lại cho cơ quan có thẩm quyền để xử lý"). From the second
  failed attempt the parcel belongs to the agency again: a later delivery is
  refused (:class:`ResultGoingBack`); an operator's "delivered" report is
  recorded as a conflict for an officer (:mod:`tthc_core.delivery._tracking`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import attrs

from tthc_core.calendar import Deadlines, to_local
from tthc_core.codes import DossierCode
from tthc_core.delivery._channel import ReturnChoice
from tthc_core.delivery._commands import (
    CancelShipment,
    ConfirmDelivery,
    HandOver,
    MarkInTransit,
    RecordFailedAttempt,
    RecordReturnToAgency,
    ShipmentCommand,
)
from tthc_core.delivery._events import (
    DeliveryAttemptFailed,
    ParcelReturnedToAgency,
    PostagePayer,
    ShipmentCancelled,
    ShipmentDelivered,
    ShipmentEvent,
    ShipmentHandedOver,
    ShipmentInTransit,
    ShipmentRequested,
)
from tthc_core.delivery._lifecycle import TRANSITIONS, ShipmentAction, ShipmentState
from tthc_core.delivery._records import (
    ATTEMPT_GAP_WORKING_DAYS,
    MAX_ATTEMPTS,
    RETURN_RULE,
    FailedAttempt,
    ResultGoingBack,
    TrackingConflict,
)
from tthc_core.delivery._standard import Route, expected_delivery
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.validators import non_blank as _non_blank
from tthc_core.validators import non_negative as _non_negative

__all__ = [
    "ATTEMPT_GAP_WORKING_DAYS",
    "MAX_ATTEMPTS",
    "CancelShipment",
    "ConfirmDelivery",
    "FailedAttempt",
    "HandOver",
    "MarkInTransit",
    "RecordFailedAttempt",
    "RecordReturnToAgency",
    "ResultGoingBack",
    "Shipment",
    "ShipmentCommand",
    "TrackingConflict",
    "handle",
    "request_shipment",
    "shipment_reference",
]

_ART_10 = "Decision 45/2016/QĐ-TTg Art. 10"


def shipment_reference(dossier_code: DossierCode, sequence: int) -> str:
    """Our reference for the ``sequence``-th postal return of a dossier.

    It is the idempotency key at the operator (a retried create finds the same
    shipment) and carries no personal data: ``<dossier code>-BC<n>``.

    Raises:
        InvalidInput: If ``sequence`` is not 1-99.
    """
    if not 1 <= sequence <= 99:
        raise InvalidInput(f"shipment sequence must be 1-99, got {sequence}")
    return f"{dossier_code}-BC{sequence}"


@attrs.frozen
class Shipment:
    """A result parcel sent by public post (bưu gửi kết quả).

    Args:
        reference: Our reference, unique per dossier and attempt (:func:`shipment_reference`).
        dossier_code: The dossier.
        choice: The applicant's postal return choice (address, authorised person).
        route: The route class for the J+n standard.
        requested_at: When the shipment was requested.
        fee_to_collect_vnd: The TTHC fee the worker collects on delivery (Art. 11).
        postage_payer: Who pays the postage (Art. 12(3)-(4)).
        with_appointment_slip: Use the appointment-slip column of the J+n table.
        state: Where the parcel is.
        item_code: The operator's item number, from handover on.
        postal_worker: Who signed the Phiếu gửi for the operator.
        postage_vnd: The postage charged at handover.
        handed_over_at: J, the Phiếu gửi instant.
        expected_by: The J+n due instant (exclusive).
        failed_attempts: Failed attempts so far.
        delivered_at: When it was delivered.
        received_by: Who signed for it.
        fee_collected_vnd: The fee collected on delivery.
        late: Delivered at or after ``expected_by``.
        returned_at: When it came back to the agency.
        conflicts: Operator reports that contradict the record, for an officer.
        applied_updates: Keys of operator updates already applied, sorted (idempotency).
        version: The stored version it was loaded at (set by storage; optimistic concurrency).
    """

    reference: str = attrs.field(validator=_non_blank)
    dossier_code: DossierCode
    choice: ReturnChoice = attrs.field()
    route: Route
    requested_at: dt.datetime = attrs.field(converter=to_local)
    fee_to_collect_vnd: int = attrs.field(default=0, validator=_non_negative)
    postage_payer: PostagePayer = PostagePayer.APPLICANT
    with_appointment_slip: bool = False
    state: ShipmentState = ShipmentState.REQUESTED
    item_code: str | None = None
    postal_worker: str | None = None
    postage_vnd: int | None = None
    handed_over_at: dt.datetime | None = None
    expected_by: dt.datetime | None = None
    failed_attempts: tuple[FailedAttempt, ...] = ()
    delivered_at: dt.datetime | None = None
    received_by: str | None = None
    fee_collected_vnd: int | None = None
    late: bool | None = None
    returned_at: dt.datetime | None = None
    conflicts: tuple[TrackingConflict, ...] = ()
    applied_updates: tuple[str, ...] = ()
    version: int = 0

    @choice.validator
    def _check_choice(self, _: object, value: ReturnChoice) -> None:
        if value.channel is not ReturnChannel.POSTAL:
            raise InvalidInput(f"a shipment needs a postal choice, not {value.channel.value}")

    @property
    def is_final(self) -> bool:
        """True once delivered, returned or cancelled."""
        return not TRANSITIONS[self.state]

    @property
    def going_back(self) -> bool:
        """True once the second attempt failed: the result goes back to the agency.

        Circular 17/2017/TT-BTTTT Art. 5(2)(h).
        """
        return len(self.failed_attempts) >= MAX_ATTEMPTS and not self.is_final


_ACTIONS: dict[type, ShipmentAction] = {
    HandOver: ShipmentAction.HAND_OVER,
    MarkInTransit: ShipmentAction.DEPART,
    RecordFailedAttempt: ShipmentAction.FAIL_ATTEMPT,
    ConfirmDelivery: ShipmentAction.DELIVER,
    RecordReturnToAgency: ShipmentAction.RETURN_TO_AGENCY,
    CancelShipment: ShipmentAction.CANCEL,
}


def request_shipment(
    reference: str,
    dossier_code: DossierCode,
    choice: ReturnChoice,
    route: Route,
    *,
    at: dt.datetime,
    fee_to_collect_vnd: int = 0,
    postage_payer: PostagePayer = PostagePayer.APPLICANT,
    with_appointment_slip: bool = False,
) -> tuple[Shipment, list[ShipmentEvent]]:
    """Start a postal return.

    Args:
        reference: Our reference (:func:`shipment_reference`).
        dossier_code: The dossier.
        choice: The applicant's postal choice.
        route: The route class (:func:`~tthc_core.delivery.classify_route`).
        at: When it was requested.
        fee_to_collect_vnd: The TTHC fee to collect on delivery.
        postage_payer: Who pays the postage.
        with_appointment_slip: Use the appointment-slip column of the J+n table.

    Raises:
        InvalidInput: If the choice is not postal or an amount is negative.
    """
    shipment = Shipment(
        reference,
        dossier_code,
        choice,
        route,
        at,
        fee_to_collect_vnd,
        postage_payer,
        with_appointment_slip,
    )
    event = ShipmentRequested(
        occurred_at=shipment.requested_at,
        reference=reference,
        dossier_code=dossier_code,
        choice=choice,
        route=route,
        fee_to_collect_vnd=fee_to_collect_vnd,
        postage_payer=postage_payer,
    )
    return shipment, [event]


def handle(
    shipment: Shipment, command: ShipmentCommand, *, at: dt.datetime, deadlines: Deadlines
) -> tuple[Shipment, list[ShipmentEvent]]:
    """Apply ``command`` to ``shipment`` at instant ``at``.

    Args:
        shipment: The current shipment.
        command: What happened.
        at: When it happened (aware).
        deadlines: The agency's working-day calendar (J+n and attempt gaps).

    Returns:
        The new shipment and its events.

    Raises:
        DomainRuleViolation: If the lifecycle or a rule forbids the command now.
    """
    at = to_local(at)
    action = _ACTIONS[type(command)]
    target = TRANSITIONS[shipment.state].get(action)
    if target is None:
        raise DomainRuleViolation(
            f"shipment {shipment.reference} is {shipment.state.value}; "
            f"it cannot {action.value.replace('_', ' ')}"
        )
    changes, event = _apply(shipment, command, at, deadlines)
    new = attrs.evolve(shipment, state=target, **changes)
    return new, [event]


_E = TypeVar("_E", bound=ShipmentEvent)


def _event(cls: type[_E], shipment: Shipment, at: dt.datetime, **fields: Any) -> _E:
    return cls(
        occurred_at=at, reference=shipment.reference, dossier_code=shipment.dossier_code, **fields
    )


def _apply(
    shipment: Shipment, command: ShipmentCommand, at: dt.datetime, deadlines: Deadlines
) -> tuple[dict[str, Any], ShipmentEvent]:
    match command:
        case HandOver():
            due = expected_delivery(
                at, shipment.route, deadlines, with_appointment_slip=shipment.with_appointment_slip
            )
            changes: dict[str, Any] = {
                "item_code": command.item_code,
                "postal_worker": command.postal_worker,
                "postage_vnd": command.postage_vnd,
                "handed_over_at": at,
                "expected_by": due,
            }
            return changes, _event(
                ShipmentHandedOver,
                shipment,
                at,
                item_code=command.item_code,
                postal_worker=command.postal_worker,
                postage_vnd=command.postage_vnd,
                expected_by=due,
            )
        case MarkInTransit():
            return {}, _event(ShipmentInTransit, shipment, at)
        case RecordFailedAttempt():
            return _fail(shipment, command, at, deadlines)
        case ConfirmDelivery():
            return _deliver(shipment, command, at)
        case RecordReturnToAgency():
            attempts = shipment.failed_attempts[-1].number if shipment.failed_attempts else 0
            return {"returned_at": at}, _event(
                ParcelReturnedToAgency,
                shipment,
                at,
                failed_attempts=attempts,
                premature=attempts < MAX_ATTEMPTS,
            )
        case CancelShipment():
            return {}, _event(ShipmentCancelled, shipment, at, reason=command.reason)


def _fail(
    shipment: Shipment,
    command: RecordFailedAttempt,
    at: dt.datetime,
    deadlines: Deadlines,
) -> tuple[dict[str, Any], ShipmentEvent]:
    previous = shipment.failed_attempts
    last = previous[-1].number if previous else 0
    number = last + 1 if command.number is None else command.number
    if number <= last:
        raise DomainRuleViolation(f"attempt {number} is already recorded after attempt {last}")
    if number > MAX_ATTEMPTS:
        raise DomainRuleViolation(
            f"shipment {shipment.reference} may be attempted {MAX_ATTEMPTS} times; "
            "after that the result must go back to the agency",
            rule=_ART_10,
        )
    too_soon = False
    if previous and number == last + 1:
        earliest = deadlines.index.nth_working_day(previous[-1].at.date(), ATTEMPT_GAP_WORKING_DAYS)
        too_soon = at.date() < earliest
    attempt = FailedAttempt(number, at, command.reason)
    return {"failed_attempts": (*previous, attempt)}, _event(
        DeliveryAttemptFailed,
        shipment,
        at,
        attempt=attempt.number,
        reason=command.reason,
        too_soon=too_soon,
    )


def _deliver(
    shipment: Shipment, command: ConfirmDelivery, at: dt.datetime
) -> tuple[dict[str, Any], ShipmentEvent]:
    if shipment.going_back:
        raise ResultGoingBack(
            f"shipment {shipment.reference} failed its second delivery attempt: the result "
            "goes back to the agency, where the citizen chooses again; it is not delivered "
            "on the way",
            rule=RETURN_RULE,
        )
    if not command.identity_checked:
        raise DomainRuleViolation(
            "the postal worker must check the recipient's identity document or the "
            "proxy's authorisation before handing over the result",
            rule=_ART_10,
        )
    if not shipment.choice.may_receive(command.received_by):
        raise DomainRuleViolation(
            f"{command.received_by!r} is neither the addressee nor a person the applicant "
            "authorised; the result must not be handed to them",
            rule=_ART_10,
        )
    if command.fee_collected_vnd != shipment.fee_to_collect_vnd:
        raise DomainRuleViolation(
            f"the worker reports {command.fee_collected_vnd} VND collected, but "
            f"{shipment.fee_to_collect_vnd} VND is due; reconcile before confirming",
            rule="Decision 45/2016/QĐ-TTg Art. 11",
        )
    late = shipment.expected_by is not None and at >= shipment.expected_by
    changes = {
        "delivered_at": at,
        "received_by": command.received_by,
        "fee_collected_vnd": command.fee_collected_vnd,
        "late": late,
    }
    return changes, _event(
        ShipmentDelivered,
        shipment,
        at,
        received_by=command.received_by,
        as_authorised_person=not shipment.choice.is_addressee(command.received_by),
        fee_collected_vnd=command.fee_collected_vnd,
        late=late,
    )
