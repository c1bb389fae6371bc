"""The inbound webhooks: a generic chat webhook (postal callbacks: :mod:`._postal_webhook`).

Both deduplicate each event by the inbox: a redelivered event is answered
``200`` and changes nothing. The chat webhook acknowledges and leaves the
answering to the inbox worker (:mod:`tthc_core.storage._inbox`): it checks
the secret, validates the event and its time (:mod:`._event_time`), records
it with its raw body and the server's receipt time in one short transaction
(shared by the events that arrive together, :mod:`._acceptor`), and answers
``200`` — well within a chat platform's two seconds, whatever the message
asks.

Generic chat webhook (``POST /webhooks/chat``, ``Authorization: Bearer
<chat secret>``), a JSON object::

    {"event_id": "evt-1", "user_id": "8431…", "text": "tra cứu 000.00.15.H12-240307-0005",
     "timestamp": 1764900000000}

A message may carry a file instead of (or with) text — a photo or PDF of a
document for online filing — as ``"file"``: standard base64 of at most
:data:`MAX_FILE_BYTES` bytes (the body holds 64 KiB); or, for files up to
the filing's 10 MB, as ``"file_url"``: an ``http(s)`` link of at most
:data:`MAX_URL_LEN` characters to the file on the platform's file host,
downloaded later by an outbox job (:mod:`tthc_adapters.chat_files`; never
both). ``event_id`` is the platform's id of the event (the deduplication key),
``user_id`` the sender's account, ``timestamp`` milliseconds since the Unix
epoch (kept as information; within a day before and five minutes after the
receipt time, else ``400``). The answer is ``{"accepted": true, "duplicate":
false}``; the inbox worker answers the message through the outbox.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tthc_adapters.app._acceptor import InboxAcceptor
from tthc_adapters.app._event_time import check_event_time
from tthc_adapters.app._http import (
    BadBody,
    body_error,
    int_field,
    json_error,
    parse_json,
    read_body,
    text_field,
)
from tthc_adapters.webhooks import chat_inbound
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.storage import Clock, ConcurrencyConflict, Store

__all__ = ["MAX_FILE_BYTES", "MAX_URL_LEN", "ChatEvent", "chat_event", "chat_webhook"]

#: Longest accepted ids (the outbox key embeds the event id; it holds 200 characters).
MAX_ID_LEN = 128
#: Longest accepted message text.
MAX_TEXT_LEN = 4000
#: Largest file carried in the body (base64 inflates it by a third; the body holds 64 KiB).
MAX_FILE_BYTES = 46 * 1024
#: Longest accepted file link.
MAX_URL_LEN = 2048
# Timestamps between 2000-01-01 and 2100-01-01, in milliseconds.
_MIN_MS, _MAX_MS = 946_684_800_000, 4_102_444_800_000

# The chat webhook's two answers, rendered once (a response is sent as it is, never changed).
_ACCEPTED = JSONResponse({"accepted": True, "duplicate": False})
_DUPLICATE = JSONResponse({"accepted": True, "duplicate": True})

Endpoint = Callable[[Request], Awaitable[Response]]
#: Called after an event is accepted (wakes an in-process inbox worker).
Notify = Callable[[], None]


@attrs.frozen
class ChatEvent:
    """One inbound chat message of the generic webhook.

    Args:
        event_id: The platform's event id (deduplication key).
        user_id: The sender's account id.
        text: The message.
        sent_at: When the platform says it received it (information only:
            the event counts from the server's receipt time).
        file: A file sent with the message, if any.
        file_url: A link to a file sent with the message, if any.
    """

    event_id: str
    user_id: str
    text: str
    sent_at: dt.datetime
    file: bytes | None = None
    file_url: str | None = None


def _file(body: Mapping[str, Any]) -> bytes | None:
    value = body.get("file")
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > (MAX_FILE_BYTES * 4) // 3 + 4:
        raise BadBody(f"field 'file' must be base64 of at most {MAX_FILE_BYTES} bytes")
    try:
        data = base64.b64decode(value, validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise BadBody("field 'file' is not valid base64") from None
    if not data:
        raise BadBody("field 'file' is empty")
    return data


def _file_url(body: Mapping[str, Any]) -> str | None:
    value = body.get("file_url")
    if value is None:
        return None
    if "file" in body:
        raise BadBody("send a file as 'file' or as 'file_url', not both")
    if not isinstance(value, str) or not 0 < len(value) <= MAX_URL_LEN:
        raise BadBody(f"field 'file_url' must be a link of at most {MAX_URL_LEN} characters")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme not in ("http", "https"):
        raise BadBody("field 'file_url' must be an http(s) link with a host")
    return value


def chat_event(body: Mapping[str, Any]) -> ChatEvent:
    """Read a generic chat webhook body.

    Raises:
        InvalidInput: Naming the field that is missing or wrong.
    """
    try:
        stamp = int_field(body, "timestamp", _MIN_MS, _MAX_MS - 1)
    except BadBody:
        raise BadBody("field 'timestamp' must be milliseconds since 1970-01-01 (UTC)") from None
    file, file_url = _file(body), _file_url(body)
    attached = file is not None or file_url is not None
    text = "" if attached and "text" not in body else None
    return ChatEvent(
        event_id=text_field(body, "event_id", MAX_ID_LEN),
        user_id=text_field(body, "user_id", MAX_ID_LEN),
        text=text_field(body, "text", MAX_TEXT_LEN, blank=True) if text is None else text,
        sent_at=dt.datetime.fromtimestamp(stamp / 1000, tz=VN_TZ),
        file=file,
        file_url=file_url,
    )


def _authorised(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


async def _handle(call: Callable[[], Awaitable[Response]]) -> Response:
    """Await a handler, mapping typed errors to responses."""
    try:
        return await call()
    except ConcurrencyConflict:
        response = json_error(503, "busy", "the record changed meanwhile; deliver the event again")
        response.headers["retry-after"] = "1"
        return response
    except DomainRuleViolation as exc:
        return json_error(409, "rule_violation", exc.reason, rule=exc.rule)
    except InvalidInput as exc:
        return json_error(400, "invalid_input", exc.reason)


async def _raw_json(request: Request) -> tuple[bytes, dict[str, Any]] | Response:
    """The body exactly as received and the JSON object it holds (the strict reader's rules)."""
    try:
        raw = await read_body(request)
        return raw, parse_json(raw)
    except BadBody as exc:
        return body_error(exc)


def chat_webhook(
    store: Store,
    desk: Desk,
    *,
    secret: str | None,
    clock: Clock,
    notify: Notify | None = None,
    durable: bool = True,
) -> Endpoint:
    """``POST /webhooks/chat``: accept one chat message in the generic shape (module docstring).

    Args:
        store: The store.
        desk: The desk (its chat channel names the inbox source).
        secret: The bearer secret; ``None`` leaves the webhook switched off (503).
        clock: Tells the receipt time.
        notify: Called after a new event is accepted (wakes the inbox worker).
        durable: Answer after the event is flushed to disk (default), or
            once it is in the database's log (:mod:`._acceptor`).
    """

    acceptor = InboxAcceptor(store, durable=durable, notify=notify)

    async def endpoint(request: Request) -> Response:
        if secret is None:
            return json_error(503, "not_configured", "no chat webhook secret is configured")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not _authorised(token.strip(), secret):
            return json_error(401, "unauthorised", "send 'Authorization: Bearer <chat secret>'")
        received_at = clock()
        read = await _raw_json(request)
        if isinstance(read, Response):
            return read
        raw, body = read

        async def call() -> Response:
            # Validation is quick and pure: it runs on the event loop; the
            # acceptor records the event on its own thread.
            event = chat_event(body)
            check_event_time(event.sent_at, received_at)
            inbound = chat_inbound(
                desk,
                event_id=event.event_id,
                user_id=event.user_id,
                text=event.text,
                sent_at=event.sent_at,
                raw=raw,
                received_at=received_at,
                file=event.file,
                file_url=event.file_url,
            )
            new = await acceptor.accept(inbound)
            return _ACCEPTED if new else _DUPLICATE

        return await _handle(call)

    return endpoint
