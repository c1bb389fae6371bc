"""The payment platform's webhook (fees paid by VietQR) and a fake platform for tests.

Wire protocol (``POST /webhooks/payment``), one credited transfer per request::

    X-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>
    {"transaction_id": "FT26112300001", "amount": 8000,
     "content": "000.00.15.H12-261123-0002", "paid_at": "2026-11-23T10:05:00+07:00"}

The signature is checked on the raw bytes before anything else (constant-time
compare); the notice is then recorded once per transaction id and matched to
the dossier its content names (:func:`tthc_core.desk.record_payment`). Bank
integrations (a bank's open API, or aggregators that forward credited
transfers) are configured to this shape, with their base URL and secret.
"""

from __future__ import annotations

from tthc_adapters.payments._fake import FakePaymentPlatform
from tthc_adapters.payments._wire import (
    SIGNATURE_HEADER,
    PaymentRejected,
    notice_from_wire,
    payment_webhook,
    sign,
    verify,
)

__all__ = [
    "SIGNATURE_HEADER",
    "FakePaymentPlatform",
    "PaymentRejected",
    "notice_from_wire",
    "payment_webhook",
    "sign",
    "verify",
]
