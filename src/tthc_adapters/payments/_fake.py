"""A fake payment platform: it reports credited transfers to our webhook, signed, over HTTP."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import httpx

from tthc_adapters.payments._wire import SIGNATURE_HEADER, sign

__all__ = ["FakePaymentPlatform"]


@attrs.define
class FakePaymentPlatform:
    """Posts payment notices the way the documented platform does.

    Args:
        webhook_url: Our ``/webhooks/payment`` URL (any base URL).
        secret: The shared secret the notices are signed with.
        sent: Every notice posted, with the HTTP status it got.
    """

    webhook_url: str
    secret: str
    sent: list[tuple[dict[str, Any], int]] = attrs.field(factory=list)

    def credit(
        self, transaction_id: str, amount_vnd: int, content: str, paid_at: dt.datetime
    ) -> httpx.Response:
        """Report one credited transfer (posting the same id again is a redelivery)."""
        body = {
            "transaction_id": transaction_id,
            "amount": amount_vnd,
            "content": content,
            "paid_at": paid_at.isoformat(),
        }
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(raw, self.secret)}
        response = httpx.post(self.webhook_url, content=raw, headers=headers, timeout=10)
        self.sent.append((body, response.status_code))
        return response
