"""The postal operator's status callbacks through the inbox: acknowledge, then apply.

A callback (``POST /webhooks/postal``, :mod:`tthc_adapters.app._postal_webhook`)
is verified (the shared secret in the ``token`` header), validated (every
field of the report, :func:`~tthc_adapters.postal._wire.update_from_wire`:
``codCollected: 1e400`` or ``receiverSigned: {"a": 1}`` are refused with a
``400`` naming the field) and recorded once in the inbox with its raw body and
the server's receipt time (:func:`postal_inbound`, then
``store.inbox_queue.accept_all``); the operator gets its
``200`` at once. The inbox worker applies it afterwards (:func:`postal_handler`):
the tracking update moves the shipment and the dossier (Decision 45/2016/QĐ-TTg
Art. 9-10: dispatched → in postal delivery, delivered → result returned).

Each report is one inbox event, keyed ``<shipment reference>:<update key>``
(the status and the attempt): a callback the operator sends twice is recorded
once (the second answer says ``"duplicate": true``), and the handler also
records it under the ``postal`` source as the in-request handling did, so a
report applied before this change is not applied again. A report the worker
cannot apply — a shipment unknown here — is parked with the reason, listed and
retryable (``tthc_core.storage.InboxQueue.parked``), never lost.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Mapping
from typing import Any

from tthc_adapters.postal._wire import TOKEN_HEADER, update_from_wire
from tthc_core.desk import Desk, record_tracking
from tthc_core.errors import InvalidInput
from tthc_core.storage import Handler, InboundEvent, UnitOfWork

__all__ = [
    "POSTAL_SOURCE",
    "PostalCallbackRejected",
    "postal_handler",
    "postal_inbound",
    "secret_matches",
]

#: The inbox source of postal callbacks.
POSTAL_SOURCE = "postal"


class PostalCallbackRejected(InvalidInput):
    """A postal callback without our shared secret."""


def secret_matches(headers: Mapping[str, str], secret: str) -> bool:
    """Whether the callback's ``token`` header is our shared secret (compared in constant time)."""
    return hmac.compare_digest(headers.get(TOKEN_HEADER, "").encode(), secret.encode())


def postal_inbound(
    body: Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    secret: str,
    raw: bytes,
    received_at: dt.datetime,
) -> InboundEvent:
    """A verified, validated postal callback as the inbox keeps it.

    Args:
        body: The JSON object of the callback.
        headers: Its HTTP headers (the ``token`` secret).
        secret: The secret agreed with the operator.
        raw: The body exactly as received.
        received_at: When this server received it.

    Raises:
        PostalCallbackRejected: If the shared secret is missing or wrong.
        InvalidInput: Naming the field of the report that is missing or wrong.
    """
    if not secret_matches(headers, secret):
        raise PostalCallbackRejected("the callback does not carry our shared secret")
    update = update_from_wire(body)
    event_id = f"{update.reference}:{update.key}"
    return InboundEvent(POSTAL_SOURCE, event_id, dict(body), raw, received_at)


def postal_handler(desk: Desk) -> Handler:
    """The inbox worker's handler of postal callbacks: apply the tracking update.

    Raises (inside the worker, which parks the event with the reason):
        InvalidInput: If the recorded report is malformed or names a shipment
            unknown here (:class:`~tthc_core.desk.ShipmentUnknown`).
    """

    def apply(uow: UnitOfWork, event: InboundEvent) -> None:
        update = update_from_wire(event.payload)
        if uow.inbox.record_once(POSTAL_SOURCE, event.event_id):
            record_tracking(uow, desk, update)

    return apply
