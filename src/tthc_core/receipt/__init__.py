"""Receipts (Mẫu 01) and their verifiable QR payloads; the optional VietQR fee QR.

* :class:`Receipt`, :func:`issue_receipt`: the Giấy tiếp nhận hồ sơ và hẹn trả
  kết quả and its fields; :func:`receipt_sheet` / :func:`receipt_text` word it
  in Vietnamese.
* :class:`ReceiptCodec`: the QR payload (dossier code + truncated
  HMAC-SHA-256 tag with a key id) in URL and compact forms, decoding and
  verification; keys come through the :class:`KeyRing` port.
* :func:`build_vietqr`, :func:`parse_vietqr`, :func:`parse_merchant_qr`: NAPAS
  VietQR / EMVCo merchant-presented payloads with CRC-16/CCITT-FALSE.
"""

from __future__ import annotations

from tthc_core.receipt._emv import (
    NAPAS_GUID,
    EmvObject,
    EmvPayload,
    InvalidMerchantQr,
    crc16_ccitt_false,
    parse_merchant_qr,
)
from tthc_core.receipt._keys import (
    KeyRing,
    NoSigningKey,
    ReceiptKey,
    StaticKeyRing,
)
from tthc_core.receipt._model import (
    LogBookEntry,
    Receipt,
    ReceivingAgency,
    issue_receipt,
)
from tthc_core.receipt._payload import (
    COMPACT_PREFIX,
    MAX_LOOKUP_BASE_LEN,
    PAYLOAD_VERSION,
    QR_CAPACITY_5M_ALPHANUMERIC,
    InvalidReceiptPayload,
    PayloadForm,
    ReceiptCodec,
    ReceiptPayload,
    Verdict,
    Verification,
    compute_tag,
)
from tthc_core.receipt._text import (
    ReceiptSheet,
    format_duration_vi,
    format_instant_vi,
    receipt_sheet,
    receipt_text,
)
from tthc_core.receipt._vietqr import (
    VietQrPayment,
    VietQrService,
    build_vietqr,
    fee_payment,
    parse_vietqr,
)

__all__ = [
    "COMPACT_PREFIX",
    "MAX_LOOKUP_BASE_LEN",
    "NAPAS_GUID",
    "PAYLOAD_VERSION",
    "QR_CAPACITY_5M_ALPHANUMERIC",
    "EmvObject",
    "EmvPayload",
    "InvalidMerchantQr",
    "InvalidReceiptPayload",
    "KeyRing",
    "LogBookEntry",
    "NoSigningKey",
    "PayloadForm",
    "Receipt",
    "ReceiptCodec",
    "ReceiptKey",
    "ReceiptPayload",
    "ReceiptSheet",
    "ReceivingAgency",
    "StaticKeyRing",
    "Verdict",
    "Verification",
    "VietQrPayment",
    "VietQrService",
    "build_vietqr",
    "compute_tag",
    "crc16_ccitt_false",
    "fee_payment",
    "format_duration_vi",
    "format_instant_vi",
    "issue_receipt",
    "parse_merchant_qr",
    "parse_vietqr",
    "receipt_sheet",
    "receipt_text",
]
