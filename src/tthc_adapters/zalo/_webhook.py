"""``POST /webhooks/zalo``: verify, deduplicate and acknowledge a Zalo OA event.

Zalo waits two seconds for a ``200`` and retries otherwise (reference
zalo-oa.md §2.5), so the endpoint only checks and records: it reads the raw
body, answers the console's unsigned ``{}`` probe (§2.1, [I]), verifies the
signature on the raw bytes (:mod:`._signature`), refuses timestamps outside
the replay window, ignores the echoes of our own sends (``oa_send_*``,
§2.5), and records
the event in the inbox (source ``"zalo"``, through the group-committing
:class:`~tthc_adapters.app._acceptor.InboxAcceptor`) keyed by
``message.msg_id`` — or ``event_name:timestamp:subject`` for events without
one — with the server's receipt time. The inbox worker handles it
(:mod:`._handlers`).

Answers: ``200 {"accepted": true, "duplicate": false}``; ``200 {"ignored":
"probe"|"echo"}``; ``400`` a body that is not a Zalo event; ``401`` a
missing or wrong signature, or a timestamp outside the window.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tthc_adapters.app._acceptor import InboxAcceptor
from tthc_adapters.app._http import BadBody, body_error, json_error, parse_json, read_body
from tthc_adapters.zalo._signature import BadSignature, ZaloSecrets, verify_signature
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock, InboundEvent, Store

__all__ = ["SOURCE", "ZaloWebhookSettings", "event_id_of", "zalo_webhook"]

logger = logging.getLogger("tthc.zalo")

#: The inbox source of Zalo events (the desk's chat channel).
SOURCE = "zalo"
#: Longest event id kept (the inbox holds 200 characters).
MAX_EVENT_ID = 200
_MAX_MS = 4_102_444_800_000  # 2100-01-01
#: Events about one of *our* messages (§2.2): their ``msg_id`` is that message's,
#: so the event name is part of their deduplication key.
ABOUT_OUR_MESSAGES = frozenset({"user_received_message", "user_seen_message", "user_feedback"})


@attrs.frozen
class ZaloWebhookSettings:
    """What the webhook checks.

    Args:
        secrets: The OA's keys and the accepted signature variants.
        replay_past: How old an event's timestamp may be. Zalo retries a
            failed delivery for up to about two hours (30 s, 5, 15, 30 and 60
            minutes; an older account says 12 hours — reference §2.5 [C]).
        replay_future: How far ahead of our clock a timestamp may be (clock skew).
    """

    secrets: ZaloSecrets
    replay_past: dt.timedelta = dt.timedelta(hours=2)
    replay_future: dt.timedelta = dt.timedelta(minutes=5)


class StaleEvent(InvalidInput):
    """The event's timestamp is outside the replay window."""


def _stamp(body: Mapping[str, Any]) -> str:
    """The body's ``timestamp`` exactly as it is hashed (Zalo sends a string of milliseconds)."""
    value = body.get("timestamp")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadBody("field 'timestamp' must be milliseconds since 1970 (a string of digits)")
    text = str(value)
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < _MAX_MS:
        raise BadBody("field 'timestamp' must be milliseconds since 1970 (a string of digits)")
    return text


def _subject(body: Mapping[str, Any]) -> str:
    for outer, inner in (("sender", "id"), ("follower", "id")):
        holder = body.get(outer)
        if isinstance(holder, Mapping) and isinstance(holder.get(inner), str | int):
            return str(holder[inner])
    user = body.get("user_id")
    return str(user) if isinstance(user, str | int) else ""


def event_id_of(body: Mapping[str, Any], stamp: str) -> str:
    """The deduplication key: ``message.msg_id``, else ``event_name:timestamp:subject`` (§2.5).

    Raises:
        BadBody: If the key would be empty or longer than the inbox keeps.
    """
    message = body.get("message")
    msg_id = message.get("msg_id") if isinstance(message, Mapping) else None
    if isinstance(msg_id, str) and msg_id.strip():
        about_ours = body["event_name"] in ABOUT_OUR_MESSAGES
        key = f"{body['event_name']}:{msg_id}" if about_ours else msg_id
    else:
        key = f"{body['event_name']}:{stamp}:{_subject(body)}"
    if len(key) > MAX_EVENT_ID:
        raise BadBody(f"the event id is longer than {MAX_EVENT_ID} characters")
    return key


def _check_window(settings: ZaloWebhookSettings, stamp: str, received_at: dt.datetime) -> None:
    sent = dt.datetime.fromtimestamp(int(stamp) / 1000, tz=dt.UTC)
    if sent < received_at - settings.replay_past:
        raise StaleEvent(f"the event is older than {settings.replay_past} (a replay?)")
    if sent > received_at + settings.replay_future:
        raise StaleEvent(f"the event is dated more than {settings.replay_future} ahead")


def zalo_webhook(
    store: Store,
    settings: ZaloWebhookSettings,
    *,
    clock: Clock,
    notify: Callable[[], None] | None = None,
    durable: bool = True,
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint (module docstring).

    Args:
        store: The store (its inbox).
        settings: Keys and replay window.
        clock: Tells the receipt time (the time the event counts from).
        notify: Called after a new event is accepted (wakes the inbox worker).
        durable: Answer after the flush to disk (see ``InboxAcceptor``).
    """
    acceptor = InboxAcceptor(store, durable=durable, notify=notify)

    async def endpoint(request: Request) -> Response:  # noqa: PLR0911 - one per outcome
        received_at = clock()
        try:
            raw = await read_body(request)
            body = parse_json(raw)
        except BadBody as exc:
            return body_error(exc)
        if not body:
            return JSONResponse({"ignored": "probe"})
        try:
            name = body.get("event_name")
            if not isinstance(name, str) or not name or len(name) > 64:
                raise BadBody("field 'event_name' must be a Zalo event name")
            stamp = _stamp(body)
            variant = verify_signature(settings.secrets, raw, stamp, request.headers)
            _check_window(settings, stamp, received_at)
            if name.startswith("oa_send_"):
                return JSONResponse({"ignored": "echo"})
            event = InboundEvent(SOURCE, event_id_of(body, stamp), body, raw, received_at)
        except BadBody as exc:
            return body_error(exc)
        except (BadSignature, StaleEvent) as exc:
            logger.warning("zalo webhook refused: %s", exc.reason)
            return json_error(401, "unauthorised", exc.reason)
        except InvalidInput as exc:
            return json_error(400, "invalid_input", exc.reason)
        logger.info("zalo event %s accepted (signature variant %s)", name, variant.name)
        new = await acceptor.accept(event)
        return JSONResponse({"accepted": True, "duplicate": not new})

    return endpoint
