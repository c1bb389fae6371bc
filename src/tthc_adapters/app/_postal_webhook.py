"""``POST /webhooks/postal``: the postal operator's status callbacks, acknowledged at once.

The shared secret travels in the ``token`` header, as the partner adapter
sends it; it is checked before the body is read (``401``). The body goes
through the strict JSON reader (``415`` for another Content-Type, ``413`` past
64 KiB, ``400`` for anything else it refuses), then every field of the report
is validated (``400`` naming the field); the report is recorded once in the
inbox with its raw body and receipt time and answered ``{"accepted": true,
"duplicate": false}`` (``true`` for a report recorded before). The inbox
worker applies it (:mod:`tthc_adapters.postal._callbacks`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tthc_adapters.app._http import BadBody, body_error, json_error, parse_json, read_body
from tthc_adapters.postal._callbacks import postal_inbound, secret_matches
from tthc_adapters.postal._wire import TOKEN_HEADER
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock, Store

__all__ = ["postal_webhook"]

_ANSWERS = {
    True: JSONResponse({"accepted": True, "duplicate": False}),
    False: JSONResponse({"accepted": True, "duplicate": True}),
}


def postal_webhook(
    store: Store, *, secret: str, clock: Clock, notify: Callable[[], None] | None = None
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint (module docstring).

    Args:
        store: The store (its inbox).
        secret: The callback secret agreed with the operator.
        clock: Tells the receipt time.
        notify: Called after a new report is recorded (wakes an in-process inbox worker).
    """

    async def endpoint(request: Request) -> Response:
        if not secret_matches(request.headers, secret):
            return json_error(401, "unauthorised", f"the {TOKEN_HEADER!r} header is not our secret")
        received_at = clock()
        try:
            raw = await read_body(request)
            event = postal_inbound(
                parse_json(raw), request.headers, secret=secret, raw=raw, received_at=received_at
            )
        except BadBody as exc:
            return body_error(exc)
        except InvalidInput as exc:
            return json_error(400, "invalid_input", exc.reason)
        (new,) = await run_in_threadpool(store.inbox_queue.accept_all, [event])
        if new and notify is not None:
            notify()
        return _ANSWERS[new]

    return endpoint
