"""The inbound webhooks: postal status callbacks and a generic chat webhook.

Both hand each event to :mod:`tthc_adapters.webhooks`, which handles it in
its own unit of work, deduplicated by the inbox: a redelivered event is
answered ``200`` and changes nothing.

Generic chat webhook (``POST /webhooks/chat``, ``Authorization: Bearer
<chat secret>``), a JSON object::

    {"event_id": "evt-1", "user_id": "8431…", "text": "tra cứu 000.00.15.H12-240307-0005",
     "timestamp": 1764900000000}

``event_id`` is the platform's id of the event (the deduplication key),
``user_id`` the sender's account, ``timestamp`` milliseconds since the Unix
epoch. The answer is ``{"replies": [...], "duplicate": false}``; the replies
are also queued in the outbox for the chat sender.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tthc_adapters.app._http import (
    BadBody,
    body_error,
    int_field,
    json_error,
    read_json,
    text_field,
)
from tthc_adapters.postal._wire import TOKEN_HEADER
from tthc_adapters.webhooks import PostalCallbackRejected, on_chat_message, on_postal_callback
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk, LookupBudget
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.storage import ConcurrencyConflict, Store

__all__ = ["ChatEvent", "chat_event", "chat_webhook", "postal_webhook"]

#: Longest accepted ids (the outbox key embeds the event id; it holds 200 characters).
MAX_ID_LEN = 128
#: Longest accepted message text.
MAX_TEXT_LEN = 4000
# Timestamps between 2000-01-01 and 2100-01-01, in milliseconds.
_MIN_MS, _MAX_MS = 946_684_800_000, 4_102_444_800_000

Endpoint = Callable[[Request], Awaitable[Response]]


@attrs.frozen
class ChatEvent:
    """One inbound chat message of the generic webhook.

    Args:
        event_id: The platform's event id (deduplication key).
        user_id: The sender's account id.
        text: The message.
        at: When the platform received it.
    """

    event_id: str
    user_id: str
    text: str
    at: dt.datetime


def chat_event(body: Mapping[str, Any]) -> ChatEvent:
    """Read a generic chat webhook body.

    Raises:
        InvalidInput: Naming the field that is missing or wrong.
    """
    try:
        stamp = int_field(body, "timestamp", _MIN_MS, _MAX_MS - 1)
    except BadBody:
        raise BadBody("field 'timestamp' must be milliseconds since 1970-01-01 (UTC)") from None
    return ChatEvent(
        event_id=text_field(body, "event_id", MAX_ID_LEN),
        user_id=text_field(body, "user_id", MAX_ID_LEN),
        text=text_field(body, "text", MAX_TEXT_LEN, blank=True),
        at=dt.datetime.fromtimestamp(stamp / 1000, tz=VN_TZ),
    )


def _authorised(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


async def _handle(call: Callable[[], Any]) -> Any:
    """Run a blocking handler off the event loop, mapping typed errors to responses."""
    try:
        return await run_in_threadpool(call)
    except ConcurrencyConflict:
        response = json_error(503, "busy", "the record changed meanwhile; deliver the event again")
        response.headers["retry-after"] = "1"
        return response
    except DomainRuleViolation as exc:
        return json_error(409, "rule_violation", exc.reason, rule=exc.rule)
    except InvalidInput as exc:
        return json_error(400, "invalid_input", exc.reason)


async def _body(request: Request) -> dict[str, Any] | Response:
    try:
        return await read_json(request)
    except BadBody as exc:
        return body_error(exc)


def postal_webhook(store: Store, desk: Desk, *, secret: str) -> Endpoint:
    """``POST /webhooks/postal``: one status report of the postal operator.

    The shared secret travels in the ``token`` header, as the partner adapter
    sends it; it is checked before the body is read.

    Args:
        store: The store.
        desk: The desk.
        secret: The callback secret agreed with the operator.
    """

    async def endpoint(request: Request) -> Response:
        if not _authorised(request.headers.get(TOKEN_HEADER, ""), secret):
            return json_error(401, "unauthorised", f"the {TOKEN_HEADER!r} header is not our secret")
        body = await _body(request)
        if isinstance(body, Response):
            return body

        def call() -> Response:
            try:
                result = on_postal_callback(store, desk, body, request.headers, secret=secret)
            except PostalCallbackRejected as exc:  # pragma: no cover - checked above
                return json_error(401, "unauthorised", exc.reason)
            if result is None:
                return JSONResponse({"outcome": "duplicate"})
            return JSONResponse(
                {
                    "outcome": result.outcome.value,
                    "reference": result.shipment.reference,
                    "state": result.shipment.state.value,
                    "reason": result.reason,
                }
            )

        response: Response = await _handle(call)
        return response

    return endpoint


def chat_webhook(
    store: Store, desk: Desk, *, secret: str | None, budget: LookupBudget | None = None
) -> Endpoint:
    """``POST /webhooks/chat``: one chat message in the generic shape (module docstring).

    Args:
        store: The store.
        desk: The desk.
        secret: The bearer secret; ``None`` leaves the webhook switched off (503).
        budget: The senders' look-up budget (``None`` counts nothing).
    """

    async def endpoint(request: Request) -> Response:
        if secret is None:
            return json_error(503, "not_configured", "no chat webhook secret is configured")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not _authorised(token.strip(), secret):
            return json_error(401, "unauthorised", "send 'Authorization: Bearer <chat secret>'")
        body = await _body(request)
        if isinstance(body, Response):
            return body

        def call() -> Response:
            event = chat_event(body)
            replies = on_chat_message(
                store,
                desk,
                user_id=event.user_id,
                event_id=event.event_id,
                text=event.text,
                at=event.at,
                budget=budget,
            )
            # answer_chat always replies to a new message: no reply means a redelivery.
            return JSONResponse({"replies": replies, "duplicate": not replies})

        response: Response = await _handle(call)
        return response

    return endpoint
