"""Inbound webhooks: chat events and postal status callbacks, each handled once.

Each inbound event is handled in its own unit of work, deduplicated by its id
in the inbox (:meth:`~tthc_core.storage.Inbox.record_once`), so a webhook
redelivered by the platform changes nothing the second time; a failure rolls
the whole handling back, inbox record included, so the retry is handled.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Mapping
from typing import Any

from tthc_adapters.postal._wire import TOKEN_HEADER, update_from_wire
from tthc_core.delivery import TrackingResult
from tthc_core.desk import Desk, LookupBudget, answer_chat, record_tracking
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store

__all__ = ["PostalCallbackRejected", "on_chat_message", "on_postal_callback"]

#: The inbox source of postal callbacks.
POSTAL_SOURCE = "postal"


class PostalCallbackRejected(InvalidInput):
    """A postal callback without our shared secret."""


def on_chat_message(
    store: Store,
    desk: Desk,
    *,
    user_id: str,
    event_id: str,
    text: str,
    at: dt.datetime,
    budget: LookupBudget | None = None,
) -> list[str]:
    """Handle one chat message in its own transaction; returns the replies queued.

    ``budget`` counts the sender's look-ups (:class:`~tthc_core.desk.LookupBudget`).
    """
    with store.unit_of_work() as uow:
        replies = answer_chat(
            uow, desk, user_id=user_id, event_id=event_id, text=text, at=at, budget=budget
        )
        uow.commit()
    return replies


def on_postal_callback(
    store: Store,
    desk: Desk,
    body: Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    secret: str,
) -> TrackingResult | None:
    """Handle one status callback from the postal operator.

    Returns:
        What the report did, or None if this report was already handled.

    Raises:
        PostalCallbackRejected: If the shared secret is missing or wrong.
        InvalidInput: If the body is malformed or names an unknown shipment.
    """
    if not hmac.compare_digest(headers.get(TOKEN_HEADER, ""), secret):
        raise PostalCallbackRejected("the callback does not carry our shared secret")
    update = update_from_wire(body)
    with store.unit_of_work() as uow:
        if not uow.inbox.record_once(POSTAL_SOURCE, f"{update.reference}:{update.key}"):
            return None
        result = record_tracking(uow, desk, update)
        uow.commit()
    return result
