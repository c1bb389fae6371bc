"""Service functions for the return of results by public post (bưu chính công ích).

The operator is never called inside a transaction. Requesting a postal return
stores the shipment and writes a ``postal`` outbox message holding the
operator order; the outbox worker books it with
:meth:`~tthc_core.delivery.PostalService.create_shipment`, which is idempotent
on our reference, so a retried delivery never makes two shipments. Operator
reports (callbacks or polling) go through :func:`record_tracking`, which
applies them idempotently and never backwards, and moves the dossier:
dispatched → "in postal delivery", delivered → "result returned", returned to
the agency → "result ready" (Decision 45/2016/QĐ-TTg Art. 9-10).
"""

from __future__ import annotations

import datetime as dt

from tthc_core.codes import DossierCode
from tthc_core.delivery import (
    CancelShipment,
    ChoiceMoment,
    PostalOrder,
    Shipment,
    ShipmentState,
    TrackingResult,
    TrackingUpdate,
    apply_tracking_update,
    choose_return,
    classify_route,
    dossier_commands,
    handle,
    order_for,
    request_shipment,
    shipment_reference,
)
from tthc_core.desk._config import Desk, ShipmentUnknown, UnknownProcedure
from tthc_core.desk._dossiers import act, load_dossier
from tthc_core.dossier import ChannelNotOffered, ChooseReturnChannel, Dossier, DossierState
from tthc_core.errors import DomainRuleViolation
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.serialization import converter
from tthc_core.storage import OutboundMessage, UnitOfWork
from tthc_core.storage.kinds import SHIPMENTS

__all__ = [
    "POSTAL_CHANNEL",
    "PostalReturnBooked",
    "cancel_postal_return",
    "choose_return_channel",
    "postal_order_of",
    "record_tracking",
]

#: The outbox channel of operator orders.
POSTAL_CHANNEL = "postal"


class PostalReturnBooked(DomainRuleViolation):
    """The result is booked with the post and not yet handed over: the choice is fixed.

    Cancelling a booking is the desk's act (the operator must be told), so a
    change of channel or address waits for it.
    """


def choose_return_channel(
    uow: UnitOfWork,
    desk: Desk,
    code: DossierCode,
    channel: ReturnChannel,
    *,
    at: dt.datetime,
    address: PostalAddress | None = None,
) -> tuple[Dossier, Shipment | None]:
    """Record the applicant's choice of how to get the result, and book the post if chosen.

    Changeable until dispatch (Decision 45/2016/QĐ-TTg Art. 5; Mẫu 01 item 6).
    For postal return the address defaults to the one registered at intake.

    Args:
        uow: The open unit of work (the caller commits).
        desk: The desk.
        code: The dossier.
        channel: Desk or postal (or electronic for full-online procedures).
        at: When the applicant chose.
        address: The delivery address (postal; default: the registered one).

    Returns:
        The dossier, and the requested shipment if the result is ready and the
        choice is postal. Choosing the post again while that shipment is not
        yet handed over returns it: one result, one parcel.

    Raises:
        DossierNotFound: No such dossier.
        PostalReturnBooked: A shipment is booked and not handed over, and the
            choice names another channel or address.
        DomainRuleViolation: The procedure forbids the channel, or the result
            is already on its way.
        InvalidInput: A postal choice without a valid address.
    """
    dossier = load_dossier(uow, code)
    pending = _pending_shipment(uow, code)
    if pending is not None:
        if channel is ReturnChannel.POSTAL and address in (None, dossier.postal_address):
            return dossier, pending  # asked again: the booking stands, no second parcel
        raise PostalReturnBooked(
            f"the result of dossier {code} is booked with the post ({pending.reference}) "
            "and not yet handed over; the desk must cancel that booking before the choice "
            "changes",
            rule="Decision 45/2016/QĐ-TTg Art. 5",
        )
    procedure = uow.catalogue.get(dossier.procedure_code)
    if procedure is None:
        raise UnknownProcedure(f"procedure {dossier.procedure_code} left the catalogue")
    if channel is ReturnChannel.POSTAL and not procedure.postal_return:
        raise ChannelNotOffered(
            f"procedure {procedure.code} does not return results by public post",
            rule="Decision 45/2016/QĐ-TTg Art. 1(2), 13",
        )
    address = address or dossier.postal_address
    moment = (
        ChoiceMoment.AFTER_RETURNED_PARCEL
        if dossier.shipment_reference is not None
        else ChoiceMoment.RESULT_READY
        if dossier.state is DossierState.RESOLVED
        else ChoiceMoment.INTAKE
    )
    choice = choose_return(
        procedure,
        channel,
        at=at,
        moment=moment,
        address=address if channel is ReturnChannel.POSTAL else None,
        units=desk.units,
        address_valid_on=dossier.received_at.date() if dossier.received_at else None,
    )
    dossier = act(
        uow,
        desk,
        code,
        ChooseReturnChannel(channel, address if channel is ReturnChannel.POSTAL else None),
        at=at,
    )
    if channel is not ReturnChannel.POSTAL or dossier.state is not DossierState.RESOLVED:
        return dossier, None
    shipments = uow.repository(SHIPMENTS)
    number = len(shipments.for_dossier(code)) + 1
    if choice.address is None:  # pragma: no cover - choose_return guarantees it
        raise DomainRuleViolation("a postal choice without an address")
    shipment, events = request_shipment(
        shipment_reference(code, number),
        code,
        choice,
        classify_route(desk.sender_address, choice.address),
        at=at,
    )
    saved = shipments.save(shipment, events)
    order = order_for(saved, desk.sender_address)
    uow.outbox.put(
        OutboundMessage(
            key=f"postal-create:{saved.reference}",
            channel=POSTAL_CHANNEL,
            payload={"action": "create", "order": converter.unstructure(order)},
        )
    )
    return dossier, saved


def cancel_postal_return(
    uow: UnitOfWork, desk: Desk, code: DossierCode, reference: str, *, reason: str, at: dt.datetime
) -> Shipment:
    """Cancel a booked result parcel before the post picks it up, and tell the operator.

    Only a request not yet handed to the postal worker can be cancelled: the
    shipment table allows ``cancel`` from ``requested`` alone (Decision
    45/2016/QĐ-TTg Art. 9: once the Phiếu gửi is signed the result travels).
    The cancellation is stored and a ``postal`` outbox message asks the
    operator to cancel the booking (``orderCancel``); the dispatcher sends it
    after the booking's own message (the outbox sends in order and retries).
    The dossier is untouched: its result waits at the desk, where the citizen
    may choose again (:func:`choose_return_channel`).

    Args:
        uow: The open unit of work (the caller commits).
        desk: The desk.
        code: The dossier.
        reference: The shipment's reference.
        reason: Why (recorded on the event).
        at: When the officer cancelled.

    Raises:
        ShipmentUnknown: The dossier has no shipment with this reference.
        DomainRuleViolation: The parcel was already handed over (or has ended).
        InvalidInput: A blank reason.
    """
    shipments = uow.repository(SHIPMENTS)
    shipment = shipments.get(reference)
    if shipment is None or shipment.dossier_code != code:
        raise ShipmentUnknown(f"dossier {code} has no shipment {reference}")
    cancelled, events = handle(shipment, CancelShipment(reason), at=at, deadlines=desk.deadlines)
    saved = shipments.save(cancelled, events)
    uow.outbox.put(
        OutboundMessage(
            key=f"postal-cancel:{saved.reference}",
            channel=POSTAL_CHANNEL,
            payload={"action": "cancel", "reference": saved.reference},
        )
    )
    return saved


def _pending_shipment(uow: UnitOfWork, code: DossierCode) -> Shipment | None:
    """The dossier's shipment booked but not yet handed to the post, if any."""
    for shipment in uow.repository(SHIPMENTS).for_dossier(code):
        if shipment.state is ShipmentState.REQUESTED:
            return shipment
    return None


def postal_order_of(payload: dict[str, object]) -> PostalOrder:
    """The operator order an outbox ``postal`` message carries."""
    return converter.structure(payload["order"], PostalOrder)


def record_tracking(uow: UnitOfWork, desk: Desk, update: TrackingUpdate) -> TrackingResult:
    """Apply one operator report (callback or poll) and move the dossier accordingly.

    Duplicates and stale reports change nothing; the dossier only follows
    events the shipment actually produced.

    Raises:
        ShipmentUnknown: If no shipment has the report's reference.
    """
    shipments = uow.repository(SHIPMENTS)
    shipment = shipments.get(update.reference)
    if shipment is None:
        raise ShipmentUnknown(f"no shipment {update.reference} is stored here")
    result = apply_tracking_update(shipment, update, deadlines=desk.deadlines)
    if not result.events:
        return result
    shipments.save(result.shipment, result.events)
    for event in result.events:
        for command in dossier_commands(event):
            act(uow, desk, shipment.dossier_code, command, at=event.occurred_at)
    return result
