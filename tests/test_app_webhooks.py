"""The webhooks over HTTP: postal status callbacks and the generic chat webhook.

Each inbound event is handled once (the inbox): a redelivery is answered 200
and changes nothing. Postal reports move the dossier as Decision
45/2016/QĐ-TTg Art. 9-10 says (dispatched → in postal delivery, delivered →
result returned).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from tests._app import CHAT_SECRET, NOW, POSTAL_SECRET, TestClient, client_for
from tests._desk import HOME, at, receive

from tthc_adapters.postal._wire import TOKEN_HEADER, update_to_wire
from tthc_adapters.webhooks import inbox_handlers
from tthc_core.delivery import ProviderStatus, TrackingUpdate
from tthc_core.desk import Desk, act, choose_return_channel
from tthc_core.dossier import Dossier, DossierState, HandOver, Resolve
from tthc_core.party import ReturnChannel
from tthc_core.storage import Store, drain_inbox
from tthc_core.storage.kinds import DOSSIERS


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    return client_for(store, desk)


@pytest.fixture
def shipped(store: Store, desk: Desk) -> str:
    """A resolved dossier whose applicant chose the post; returns the shipment reference."""
    dossier = receive(store, desk, postal_address=HOME)
    with store.unit_of_work() as uow:
        for step, when in zip(
            dossier.steps, (at(11, 23, 10), at(12, 1, 9), at(12, 2, 9)), strict=True
        ):
            act(uow, desk, dossier.code, HandOver(step.unit), at=when)
        act(uow, desk, dossier.code, Resolve(), at=at(12, 2, 14))
        _, shipment = choose_return_channel(
            uow, desk, dossier.code, ReturnChannel.POSTAL, at=at(12, 2, 15)
        )
        uow.commit()
    assert shipment is not None
    return shipment.reference


def _report(reference: str, status: ProviderStatus, when: dt.datetime, **kw: Any) -> dict[str, Any]:
    update = TrackingUpdate(
        reference=reference, status=status, occurred_at=when, item_code="EB1VN", **kw
    )
    return update_to_wire(update)


def _state(store: Store, reference: str) -> DossierState:
    code = reference.rsplit("-BC", 1)[0]
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(code)
    assert dossier is not None
    return dossier.state


def _post(client: TestClient, body: object, secret: str = POSTAL_SECRET) -> Any:
    return client.post("/webhooks/postal", json=body, headers={TOKEN_HEADER: secret})


def test_a_postal_report_is_acknowledged_then_moves_the_dossier_once(
    client: TestClient, store: Store, desk: Desk, shipped: str
) -> None:
    accepted = _report(shipped, ProviderStatus.ACCEPTED, at(12, 3, 8))
    first = _post(client, accepted)
    assert first.status_code == 200
    assert first.json() == {"accepted": True, "duplicate": False}
    assert _state(store, shipped) is DossierState.RESOLVED  # acknowledged, not applied yet
    assert _answer(store, desk) == 1
    assert _state(store, shipped) is DossierState.IN_POSTAL_DELIVERY

    again = _post(client, accepted)  # the operator sends the same report twice
    assert again.status_code == 200
    assert again.json() == {"accepted": True, "duplicate": True}
    assert _answer(store, desk) == 0
    assert _state(store, shipped) is DossierState.IN_POSTAL_DELIVERY

    delivered = _report(
        shipped, ProviderStatus.DELIVERED, at(12, 4, 10), received_by=HOME.recipient
    )
    assert _post(client, delivered).json() == {"accepted": True, "duplicate": False}
    assert _answer(store, desk) == 1
    assert _state(store, shipped) is DossierState.RESULT_RETURNED


def test_a_postal_report_keeps_its_raw_body_and_receipt_time(
    client: TestClient, store: Store, shipped: str
) -> None:
    raw = json.dumps(_report(shipped, ProviderStatus.ACCEPTED, at(12, 3, 8))).encode()
    headers = {TOKEN_HEADER: POSTAL_SECRET, "content-type": "application/json"}
    assert client.post("/webhooks/postal", content=raw, headers=headers).status_code == 200
    (claimed,) = store.inbox_queue.claim(
        owner="t", now=NOW, lease=dt.timedelta(minutes=1), limit=10
    )
    assert claimed.event.source == "postal"
    assert claimed.event.raw == raw
    assert claimed.event.received_at == NOW
    assert claimed.event.event_id.startswith(f"{shipped}:")


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_postal_report_without_our_secret_is_401(
    client: TestClient, store: Store, shipped: str, secret: str
) -> None:
    body = _report(shipped, ProviderStatus.ACCEPTED, at(12, 3, 8))
    response = _post(client, body, secret=secret)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorised"
    assert _state(store, shipped) is DossierState.RESOLVED
    # checked before the body is read: a malformed body is 401 too
    bad = client.post("/webhooks/postal", content=b"{", headers={TOKEN_HEADER: secret})
    assert bad.status_code == 401
    assert client.post("/webhooks/postal", json=body).status_code == 401  # no header


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not UTF-8 JSON"),
        (b"\xff\xfe", "not UTF-8 JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"saleOrderCode": "X"}', "malformed status report"),
        (b'{"saleOrderCode": "X", "status": "FLYING", "time": "t", "itemCode": "I"}', "malformed"),
    ],
)
def test_a_malformed_postal_report_is_400_with_the_reason(
    client: TestClient, content: bytes, reason: str
) -> None:
    response = client.post(
        "/webhooks/postal",
        content=content,
        headers={TOKEN_HEADER: POSTAL_SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    assert reason in response.json()["reason"]


def test_a_report_on_an_unknown_shipment_is_parked_with_the_reason(
    client: TestClient, store: Store, desk: Desk
) -> None:
    body = _report("000.43.31.H15-261123-0042-BC1", ProviderStatus.ACCEPTED, at(12, 3, 8))
    assert _post(client, body).json() == {"accepted": True, "duplicate": False}
    assert _answer(store, desk) == 0
    (parked,) = store.inbox_queue.parked()
    assert parked.event.source == "postal"
    assert "no shipment" in parked.error  # visible to staff, retryable once the cause is fixed
    assert store.inbox_queue.retry(parked.id, at=NOW)


def test_an_oversized_body_is_413(client: TestClient) -> None:
    response = client.post(
        "/webhooks/postal",
        content=b'{"x": "' + b"a" * 70_000 + b'"}',
        headers={TOKEN_HEADER: POSTAL_SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 413


def _chat(
    client: TestClient,
    event_id: str,
    text: str,
    *,
    secret: str = CHAT_SECRET,
    fields: dict[str, Any] | None = None,
) -> Any:
    body = {
        "event_id": event_id,
        "user_id": "u-1",
        "text": text,
        "timestamp": int(NOW.timestamp() * 1000),
        **(fields or {}),
    }
    return client.post("/webhooks/chat", json=body, headers={"authorization": f"Bearer {secret}"})


def _answer(store: Store, desk: Desk) -> int:
    """Run the inbox worker once; how many events it handled."""
    report = drain_inbox(
        store.inbox_queue,
        store.unit_of_work,
        inbox_handlers(desk),
        owner="test",
        clock=lambda: NOW,
    )
    return report.handled


def _replies(store: Store) -> list[dict[str, Any]]:
    """The payloads of the messages waiting in the outbox."""
    claimed = store.outbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(seconds=1), limit=50)
    return [dict(p.message.payload) for p in claimed]


def test_a_chat_message_is_accepted_once_then_answered_once(
    client: TestClient, store: Store, desk: Desk
) -> None:
    dossier: Dossier = receive(store, desk)
    first = _chat(client, "evt-1", f"tra cứu {str(dossier.code).lower()}")
    assert first.status_code == 200
    assert first.json() == {"accepted": True, "duplicate": False}
    assert store.inbox_queue.counts().pending == 1
    assert store.outbox_queue.counts().pending == 0  # answered by the worker, not the request

    again = _chat(client, "evt-1", f"tra cứu {dossier.code}")
    assert again.status_code == 200
    assert again.json() == {"accepted": True, "duplicate": True}
    assert store.inbox_queue.counts().pending == 1

    assert _answer(store, desk) == 1
    (reply,) = _replies(store)
    assert reply["user_id"] == "u-1"
    assert str(dossier.code) in reply["text"]
    assert _answer(store, desk) == 0

    _chat(client, "evt-2", "xin chào")
    assert _answer(store, desk) == 1
    assert store.outbox_queue.counts().pending == 2


def test_the_inbox_keeps_the_raw_body_and_the_receipt_time(
    client: TestClient, store: Store
) -> None:
    raw = (
        b'{"event_id": "evt-r", "user_id": "u-1", "text": "Tra c\\u1ee9u",  "timestamp": '
        + str(int(NOW.timestamp() * 1000) - 90_000).encode()
        + b"}"
    )
    response = client.post(
        "/webhooks/chat",
        content=raw,
        headers={"authorization": f"Bearer {CHAT_SECRET}", "content-type": "application/json"},
    )
    assert response.status_code == 200
    (claimed,) = store.inbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(seconds=1), limit=5)
    event = claimed.event
    assert event.raw == raw  # byte for byte, spacing and escapes included
    assert event.received_at == NOW  # the server's clock, not the sender's
    assert event.payload["text"] == "Tra cứu"
    sent_at = dt.datetime.fromisoformat(event.payload["sent_at"])
    assert sent_at == NOW - dt.timedelta(seconds=90)  # kept, as information


def test_the_chat_timestamp_may_be_a_digit_string(client: TestClient) -> None:
    stamp = str(int(NOW.timestamp() * 1000))
    assert _chat(client, "evt-s", "xin chào", fields={"timestamp": stamp}).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event_id": ""}, "event_id"),
        ({"event_id": None}, "event_id"),
        ({"event_id": "e" * 129}, "event_id"),
        ({"user_id": 42}, "user_id"),
        ({"text": None}, "text"),
        ({"timestamp": None}, "timestamp"),
        ({"timestamp": True}, "timestamp"),
        ({"timestamp": 1.5}, "timestamp"),
        ({"timestamp": 17}, "timestamp"),
        ({"timestamp": "soon"}, "timestamp"),
    ],
)
def test_a_malformed_chat_event_is_400_naming_the_field(
    client: TestClient, store: Store, fields: dict[str, Any], field: str
) -> None:
    response = _chat(client, "evt-x", "xin chào", fields=fields)
    assert response.status_code == 400
    assert field in response.json()["reason"]
    assert store.inbox_queue.counts().pending == 0


def test_the_chat_webhook_needs_the_bearer_secret(client: TestClient, store: Store) -> None:
    assert _chat(client, "evt-1", "xin chào", secret="wrong").status_code == 401  # noqa: S106 - a wrong secret
    plain = client.post("/webhooks/chat", json={}, headers={"authorization": CHAT_SECRET})
    assert plain.status_code == 401
    assert store.inbox_queue.counts().pending == 0


def test_without_a_chat_secret_the_chat_webhook_is_off(store: Store, desk: Desk) -> None:
    client = client_for(store, desk, chat_secret=None)
    response = _chat(client, "evt-1", "xin chào")
    assert response.status_code == 503
    assert response.json()["error"] == "not_configured"


@pytest.mark.parametrize("path", ["/webhooks/chat", "/webhooks/postal"])
def test_webhooks_take_post_only(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert client.get("/webhooks/other").status_code == 404
