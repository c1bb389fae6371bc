"""Cancelling a booked result parcel: the delivery core's rule, the outbox, the operator over HTTP.

Only a request the post has not picked up can be cancelled (the shipment
table allows ``cancel`` from ``requested`` alone); the cancellation is stored
and a ``postal`` outbox message sends ``orderCancel`` to the operator — here
the fake operator on a loopback port, through the partner HTTP adapter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from tests._desk import at, ready_for_post
from tests._staff import PEOPLE, StaffDesk
from tests.test_desk_postal import _choose_post

from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.postal import FakePostalServer, PartnerConfig, PartnerPostalService
from tthc_core.accounts import Role
from tthc_core.delivery import PostalRejected, ProviderStatus, ShipmentState
from tthc_core.desk import (
    POSTAL_CHANNEL,
    Desk,
    ShipmentUnknown,
    cancel_postal_return,
    choose_return_channel,
)
from tthc_core.dossier import Dossier
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.storage import PendingMessage, Store, drain_outbox
from tthc_core.storage.kinds import SHIPMENTS


@pytest.fixture
def ready(store: Store, desk: Desk) -> Dossier:
    """A dossier whose result is ready, with an address on file."""
    return ready_for_post(store, desk)


@pytest.fixture
def operator() -> Iterator[tuple[FakePostalServer, PartnerPostalService]]:
    """The fake operator on loopback and our HTTP adapter to it."""
    with FakePostalServer() as server:
        config = PartnerConfig(
            server.base_url, "tthc", "secret", "C0001", timeout_seconds=2.0, attempts=1
        )
        adapter = PartnerPostalService(config)
        yield server, adapter
        adapter.close()


def _cancel(store: Store, desk: Desk, dossier: Dossier, reference: str, hour: int) -> Any:
    with store.unit_of_work() as uow:
        shipment = cancel_postal_return(
            uow,
            desk,
            dossier.code,
            reference,
            reason="Công dân đến nhận tại quầy",
            at=at(12, 3, hour),
        )
        uow.commit()
    return shipment


def _drain(store: Store, send: Dispatcher, hour: int) -> Any:
    return drain_outbox(store.outbox_queue, send, owner="w1", clock=lambda: at(12, 3, hour))


def test_a_booking_cancelled_before_pick_up_is_cancelled_at_the_operator(
    store: Store,
    desk: Desk,
    ready: Dossier,
    operator: Any,
) -> None:
    server, adapter = operator
    send = Dispatcher(chat=lambda *_: None, postal=adapter)
    reference = _choose_post(store, desk, ready, at(12, 3, 8))
    _drain(store, send, 9)  # the booking reaches the operator
    assert server.office.find(reference).status is None  # booked, not picked up
    cancelled = _cancel(store, desk, ready, reference, 10)
    assert cancelled.state is ShipmentState.CANCELLED
    report = _drain(store, send, 11)
    assert report.delivered == 1
    assert server.office.find(reference).status == "CANCELLED"
    with store.unit_of_work() as uow:  # the citizen may now choose the desk
        dossier, parcel = choose_return_channel(
            uow, desk, ready.code, ReturnChannel.DESK, at=at(12, 3, 12)
        )
        uow.commit()
    assert parcel is None
    assert dossier.return_channel is ReturnChannel.DESK


def test_a_parcel_picked_up_cannot_be_cancelled(
    store: Store,
    desk: Desk,
    ready: Dossier,
) -> None:
    from tthc_core.delivery import HandOver as ParcelHandOver
    from tthc_core.delivery import handle

    reference = _choose_post(store, desk, ready, at(12, 3, 8))
    with store.unit_of_work() as uow:
        shipments = uow.repository(SHIPMENTS)
        shipment = shipments.get(reference)
        assert shipment is not None
        handed, events = handle(
            shipment, ParcelHandOver("EB1VN", 25_000, "Bưu tá Hòa"), at=at(12, 3, 9),
            deadlines=desk.deadlines,
        )  # fmt: skip
        shipments.save(handed, events)
        uow.commit()
    with pytest.raises(DomainRuleViolation, match="cannot cancel"):
        _cancel(store, desk, ready, reference, 10)
    with store.unit_of_work() as uow:
        stored = uow.repository(SHIPMENTS).get(reference)
    assert stored is not None
    assert stored.state is ShipmentState.HANDED_OVER
    keys = [p.message.key for p in _pending(store, at(12, 3, 11))]
    assert f"postal-cancel:{reference}" not in keys  # nothing was written for the operator


def test_an_unknown_or_foreign_parcel_and_a_blank_reason_are_refused(
    store: Store,
    desk: Desk,
    ready: Dossier,
) -> None:
    reference = _choose_post(store, desk, ready, at(12, 3, 8))
    with store.unit_of_work() as uow, pytest.raises(ShipmentUnknown):
        cancel_postal_return(uow, desk, ready.code, reference + "X", reason="x", at=at(12, 3, 9))
    with store.unit_of_work() as uow, pytest.raises(InvalidInput):
        cancel_postal_return(uow, desk, ready.code, reference, reason=" ", at=at(12, 3, 9))


def test_the_operator_refuses_a_parcel_it_already_picked_up(
    store: Store,
    desk: Desk,
    ready: Dossier,
    operator: Any,
) -> None:
    """Our record said 'requested' (the pick-up report had not arrived): the message retries."""
    server, adapter = operator
    send = Dispatcher(chat=lambda *_: None, postal=adapter)
    reference = _choose_post(store, desk, ready, at(12, 3, 8))
    _drain(store, send, 9)
    server.office.report(reference, ProviderStatus.ACCEPTED, at(12, 3, 9, 30))
    _cancel(store, desk, ready, reference, 10)
    with pytest.raises(PostalRejected):
        adapter.cancel(reference)
    report = _drain(store, send, 11)
    assert report.delivered == 0
    assert report.retried == 1  # kept in the outbox; parked messages show on the staff page


def _pending(store: Store, now: dt.datetime) -> list[PendingMessage]:
    return store.outbox_queue.claim(owner="t", now=now, lease=dt.timedelta(minutes=1), limit=100)


def test_the_desk_officer_cancels_from_the_dossier_page(staff_desk: StaffDesk, desk: Desk) -> None:
    ready = ready_for_post(staff_desk.store, desk)
    staff_desk.clock.now = at(12, 3, 9)
    reference = _choose_post(staff_desk.store, desk, ready, at(12, 3, 8))
    for role in (Role.SPECIALIST, Role.LEADER, Role.DESK):
        staff_desk.login(role)
        page = staff_desk.client.get(f"/staff/dossiers/{ready.code}").text
        assert (f'id="cancel-{reference}"' in page) is (role is Role.DESK), role
    answer: Any = staff_desk.post(
        f"/staff/dossiers/{ready.code}/parcels/{reference}/cancel", {"reason": "Đổi ý"}
    )
    assert answer.status_code == 303
    page = staff_desk.client.get(f"/staff/dossiers/{ready.code}").text
    assert "Đã hủy yêu cầu chuyển phát" in page
    assert f'id="cancel-{reference}"' not in page
    with staff_desk.store.unit_of_work() as uow:
        shipment = uow.repository(SHIPMENTS).get(reference)
        actors = {r.actor for r in uow.audit.history(SHIPMENTS, reference)}
    assert shipment is not None
    assert shipment.state is ShipmentState.CANCELLED
    assert PEOPLE[Role.DESK][0] in actors
    cancels = [p.message for p in _pending(staff_desk.store, at(12, 3, 10))
               if p.message.key == f"postal-cancel:{reference}"]  # fmt: skip
    assert [(m.channel, m.payload["action"]) for m in cancels] == [(POSTAL_CHANNEL, "cancel")]
    again: Any = staff_desk.post(
        f"/staff/dossiers/{ready.code}/parcels/{reference}/cancel", {"reason": "Đổi ý"}
    )
    assert again.status_code == 303
    assert "Không thực hiện được" in staff_desk.client.get(f"/staff/dossiers/{ready.code}").text
    missing: Any = staff_desk.post(
        f"/staff/dossiers/{ready.code}/parcels/{reference}X/cancel", {"reason": "Đổi ý"}
    )
    assert missing.status_code == 404


def test_the_api_cancels_a_parcel_for_the_desk_role_only(staff_desk: StaffDesk, desk: Desk) -> None:
    from starlette.testclient import TestClient
    from tests._staff import build_app

    from tthc_adapters.staff import issue_token
    from tthc_adapters.storage import MemoryApiTokens

    ready = ready_for_post(staff_desk.store, desk)
    staff_desk.clock.now = at(12, 3, 9)
    reference = _choose_post(staff_desk.store, desk, ready, at(12, 3, 8))
    tokens = MemoryApiTokens()
    client = TestClient(
        build_app(staff_desk.store, desk, staff_desk.accounts, staff_desk.clock, tokens=tokens)
    )
    url = f"/staff/api/v1/dossiers/{ready.code}/parcels/{reference}/cancel"
    for role in Role:
        account = staff_desk.accounts.get(PEOPLE[role][0])
        assert account is not None
        _, token = issue_token(tokens, account, label="Cổng tỉnh", at=staff_desk.clock.now)
        auth = {"authorization": f"Bearer {token}"}
        if role is not Role.DESK:
            assert client.post(url, json={"reason": "x"}, headers=auth).status_code == 403, role
            continue
        assert client.post(url, json={"reason": ""}, headers=auth).status_code == 400
        done = client.post(url, json={"reason": "Công dân đổi ý"}, headers=auth)
        assert done.status_code == 200, done.text
        assert done.json()["state"] == "cancelled"
        assert client.post(url, json={"reason": "lần nữa"}, headers=auth).status_code == 409
        gone = url.replace(reference, reference + "X")
        assert client.post(gone, json={"reason": "x"}, headers=auth).status_code == 404
