"""Postal return through the desk service: choice, booking via the outbox, tracking.

Decision 45/2016/QĐ-TTg Art. 9-10: the dossier is "in postal delivery" on
dispatch, "result returned" only on confirmed delivery, and back to "result
ready" when the parcel returns; the operator is booked once per shipment.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests._desk import COPY, HOME, at, ready_for_post, receive

from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.postal import InMemoryPostalService
from tthc_core.delivery import (
    ProviderStatus,
    ShipmentState,
    TrackingConflictRecorded,
    TrackingOutcome,
    TrackingUpdate,
    order_for,
)
from tthc_core.desk import (
    POSTAL_CHANNEL,
    Desk,
    ShipmentUnknown,
    act,
    answer_chat,
    choose_return_channel,
    record_tracking,
)
from tthc_core.dossier import Dossier, DossierState, Resolve
from tthc_core.links import CitizenLink
from tthc_core.party import ReturnChannel
from tthc_core.serialization import converter
from tthc_core.storage import OutboundMessage, Store, drain_outbox
from tthc_core.storage.kinds import DOSSIERS, SHIPMENTS


@pytest.fixture
def ready(store: Store, desk: Desk) -> Dossier:
    """A dossier whose result is ready, with an address on file, followed by account u1."""
    return ready_for_post(store, desk)


def _update(
    reference: str, status: ProviderStatus, when: dt.datetime, **kw: int | str
) -> TrackingUpdate:
    return TrackingUpdate(
        reference=reference, status=status, occurred_at=when, item_code="EB1VN", **kw
    )


def _track(store: Store, desk: Desk, update: TrackingUpdate) -> TrackingOutcome:
    with store.unit_of_work() as uow:
        outcome = record_tracking(uow, desk, update).outcome
        uow.commit()
    return outcome


def _state(store: Store, dossier: Dossier) -> DossierState:
    with store.unit_of_work() as uow:
        stored = uow.repository(DOSSIERS).get(str(dossier.code))
    assert stored is not None
    return stored.state


def _choose_post(store: Store, desk: Desk, dossier: Dossier, when: dt.datetime) -> str:
    with store.unit_of_work() as uow:
        _, shipment = choose_return_channel(uow, desk, dossier.code, ReturnChannel.POSTAL, at=when)
        uow.commit()
    assert shipment is not None
    return shipment.reference


def test_postal_choice_books_once_through_the_outbox(
    store: Store, desk: Desk, ready: Dossier
) -> None:
    reference = _choose_post(store, desk, ready, at(12, 2, 15))
    assert reference == f"{ready.code}-BC1"
    operator = InMemoryPostalService()
    send = Dispatcher(chat=lambda *_: None, postal=operator)
    drain_outbox(store.outbox_queue, send, owner="w1", clock=lambda: at(12, 2, 16))
    # A crashed worker's redelivery books nothing new: the reference is the key.
    with store.unit_of_work() as uow:
        shipment = uow.repository(SHIPMENTS).get(reference)
    assert shipment is not None
    order = converter.unstructure(order_for(shipment, desk.sender_address))
    send(OutboundMessage("again", POSTAL_CHANNEL, {"action": "create", "order": order}))
    assert len(operator.office.bookings_of(reference)) == 1


def test_delivery_moves_the_dossier_only_when_confirmed(
    store: Store, desk: Desk, ready: Dossier
) -> None:
    reference = _choose_post(store, desk, ready, at(12, 2, 15))
    assert _state(store, ready) is DossierState.RESOLVED
    assert (
        _track(store, desk, _update(reference, ProviderStatus.ACCEPTED, at(12, 3, 8)))
        is TrackingOutcome.APPLIED
    )
    assert _state(store, ready) is DossierState.IN_POSTAL_DELIVERY
    assert (
        _track(store, desk, _update(reference, ProviderStatus.ACCEPTED, at(12, 3, 8)))
        is TrackingOutcome.DUPLICATE
    )
    delivered = _update(
        reference, ProviderStatus.DELIVERED, at(12, 4, 10), received_by="Nguyễn Thị Hương"
    )
    assert _track(store, desk, delivered) is TrackingOutcome.APPLIED
    assert _state(store, ready) is DossierState.RESULT_RETURNED
    # A late, out-of-order report never moves anything backwards.
    assert (
        _track(store, desk, _update(reference, ProviderStatus.IN_TRANSIT, at(12, 3, 12)))
        is not TrackingOutcome.APPLIED
    )
    assert _state(store, ready) is DossierState.RESULT_RETURNED


def test_a_returned_parcel_puts_the_result_back_and_the_citizen_chooses_again(
    store: Store, desk: Desk, ready: Dossier
) -> None:
    reference = _choose_post(store, desk, ready, at(12, 2, 15))
    _track(store, desk, _update(reference, ProviderStatus.ACCEPTED, at(12, 3, 8)))
    _track(
        store, desk, _update(reference, ProviderStatus.DELIVERY_FAILED, at(12, 3, 15), attempt=1)
    )
    _track(
        store, desk, _update(reference, ProviderStatus.DELIVERY_FAILED, at(12, 7, 15), attempt=2)
    )
    _track(store, desk, _update(reference, ProviderStatus.RETURNED, at(12, 8, 9)))
    assert _state(store, ready) is DossierState.RESOLVED
    with store.unit_of_work() as uow:
        first = uow.repository(SHIPMENTS).get(reference)
    assert first is not None
    assert first.state is ShipmentState.RETURNED
    assert _choose_post(store, desk, ready, at(12, 8, 10)) == f"{ready.code}-BC2"


def test_a_delivered_report_after_the_second_failure_is_kept_for_an_officer(
    store: Store, desk: Desk, ready: Dossier
) -> None:
    """Circular 17/2017/TT-BTTTT Art. 5(2)(h): after the second failed attempt the result goes
    back to the agency; a later "delivered" callback is stored as a conflict, the dossier stays
    in postal delivery and is never "result returned"."""
    reference = _choose_post(store, desk, ready, at(12, 2, 15))
    _track(store, desk, _update(reference, ProviderStatus.ACCEPTED, at(12, 3, 8)))
    for attempt, when in ((1, at(12, 3, 15)), (2, at(12, 7, 15))):
        failed = _update(reference, ProviderStatus.DELIVERY_FAILED, when, attempt=attempt)
        _track(store, desk, failed)
    delivered = _update(
        reference, ProviderStatus.DELIVERED, at(12, 8, 10), received_by="Nguyễn Thị Hương"
    )
    assert _track(store, desk, delivered) is TrackingOutcome.CONFLICT
    assert _state(store, ready) is DossierState.IN_POSTAL_DELIVERY
    with store.unit_of_work() as uow:
        shipment = uow.repository(SHIPMENTS).get(reference)
        trail = [r.event for r in uow.audit.history(SHIPMENTS, reference)]
    assert shipment is not None
    assert shipment.state is ShipmentState.DELIVERY_FAILED
    assert [c.received_by for c in shipment.conflicts] == ["Nguyễn Thị Hương"]
    assert isinstance(trail[-1], TrackingConflictRecorded)
    assert _track(store, desk, delivered) is TrackingOutcome.DUPLICATE
    _track(store, desk, _update(reference, ProviderStatus.RETURNED, at(12, 9, 9)))
    assert _state(store, ready) is DossierState.RESOLVED


def test_desk_pickup_after_a_postal_choice_books_nothing(
    store: Store, desk: Desk, ready: Dossier
) -> None:
    with store.unit_of_work() as uow:
        dossier, shipment = choose_return_channel(
            uow, desk, ready.code, ReturnChannel.DESK, at=at(12, 2, 15)
        )
        uow.commit()
    assert shipment is None
    assert dossier.return_channel is ReturnChannel.DESK
    assert store.outbox_queue.counts().pending == 0


def test_a_procedure_without_postal_return_refuses_the_post_in_chat(
    store: Store, desk: Desk
) -> None:
    dossier = receive(store, desk, procedure=COPY, postal_address=HOME)
    with store.unit_of_work() as uow:
        act(uow, desk, dossier.code, Resolve(), at=at(11, 23, 15))
        uow.links.link(CitizenLink("zalo", "u1", dossier.code, at(11, 23, 9, 30)))
        uow.commit()
    with store.unit_of_work() as uow:
        (reply,) = answer_chat(
            uow, desk, user_id="u1", event_id="e1", text="bưu điện", at=at(11, 23, 16)
        )
        uow.commit()
    assert "không trả kết quả qua dịch vụ bưu chính" in reply
    assert _state(store, dossier) is DossierState.RESOLVED


def test_a_report_about_an_unknown_shipment_is_refused(store: Store, desk: Desk) -> None:
    with pytest.raises(ShipmentUnknown), store.unit_of_work() as uow:
        record_tracking(
            uow,
            desk,
            _update("000.43.31.H15-261123-0009-BC1", ProviderStatus.ACCEPTED, at(12, 3, 8)),
        )
