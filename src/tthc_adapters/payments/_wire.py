"""The payment webhook's wire format, its HMAC signature, and its endpoint."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tthc_adapters.app._http import (
    BadBody,
    body_error,
    int_field,
    json_error,
    parse_json,
    read_body,
    text_field,
)
from tthc_core.calendar import to_local
from tthc_core.desk import Desk, PaymentNotice, record_payment
from tthc_core.errors import InvalidInput
from tthc_core.storage import Clock, ConcurrencyConflict, Store

__all__ = [
    "SIGNATURE_HEADER",
    "PaymentRejected",
    "notice_from_wire",
    "payment_webhook",
    "sign",
    "verify",
]

SIGNATURE_HEADER = "x-signature"
_PREFIX = "sha256="


class PaymentRejected(InvalidInput):
    """A notice without a valid signature of our shared secret."""


def sign(raw: bytes, secret: str) -> str:
    """The ``X-Signature`` header value of ``raw``."""
    return _PREFIX + hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


def verify(raw: bytes, headers: Mapping[str, str], secret: str) -> None:
    """Check the signature of a notice's raw bytes.

    Raises:
        PaymentRejected: If it is missing or wrong.
    """
    given = headers.get(SIGNATURE_HEADER, "")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), sign(raw, secret).encode()):
        raise PaymentRejected("the payment notice is not signed with our shared secret")


def notice_from_wire(body: Mapping[str, Any]) -> PaymentNotice:
    """A notice from its JSON object.

    Raises:
        BadBody: Naming the field that is missing or wrong.
    """
    text = text_field(body, "paid_at", 40)
    try:
        paid_at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadBody("field 'paid_at' must be an ISO 8601 date-time with its offset") from None
    if paid_at.utcoffset() is None:
        raise BadBody("field 'paid_at' must carry its UTC offset")
    return PaymentNotice(
        transaction_id=text_field(body, "transaction_id", 64),
        amount_vnd=int_field(body, "amount", 1, 10**13 - 1),
        content=text_field(body, "content", 500, blank=True),
        paid_at=to_local(paid_at),
    )


def payment_webhook(
    store: Store, desk: Desk, *, secret: str, clock: Clock
) -> Callable[[Request], Awaitable[Response]]:
    """``POST /webhooks/payment``: one credited transfer (see the package docstring).

    Answers ``200 {"recorded": bool, "outcome": ...}`` (``recorded`` false for a
    redelivery), ``401`` for a bad signature, ``400`` for a malformed body,
    ``503`` when the record changed meanwhile (deliver again).
    """
    if not secret:
        raise InvalidInput("the payment webhook secret must not be empty")

    async def endpoint(request: Request) -> Response:
        try:
            raw = await read_body(request)
            verify(raw, request.headers, secret)
            notice = notice_from_wire(parse_json(raw))
        except PaymentRejected as exc:
            return json_error(401, "unauthorised", exc.reason)
        except BadBody as exc:
            return body_error(exc)
        except InvalidInput as exc:
            return json_error(400, "invalid_input", exc.reason)

        def record() -> Response:
            with store.unit_of_work() as uow:
                payment, recorded = record_payment(uow, desk, notice, at=clock())
                uow.commit()
            return JSONResponse({"recorded": recorded, "outcome": payment.outcome.value})

        try:
            return await run_in_threadpool(record)
        except ConcurrencyConflict:
            response = json_error(503, "busy", "the record changed meanwhile; deliver again")
            response.headers["retry-after"] = "1"
            return response

    return endpoint
