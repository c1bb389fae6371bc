"""QR adapters: rendering (segno, qrcode), reading photos (zxing-cpp), the printable receipt.

* :class:`SegnoRenderer` (default) and :class:`QrcodeRenderer` implement the
  :class:`QrRenderer` port: symbol modules, SVG and PNG of a payload.
* :class:`ZxingReader` implements :class:`QrReader`: ``read`` finds the receipt
  QR in a phone photo (geometric recovery for curved paper, a time budget) and
  verifies it, returning a :class:`VerifiedReceipt` or raising one
  :class:`ReceiptScanError` (``kind``: unreadable, no_qr, not_ours, forged,
  unknown_key). ``read_unverified`` skips the tag check and proves nothing.
* :func:`receipt_pdf`: Mẫu 01 on A5 with the QR.
* :func:`load_key_ring` / :func:`parse_keys`: receipt keys from a key file or
  ``TTHC_RECEIPT_KEYS``.
* :mod:`tthc_adapters.qr.testing`: synthetic degraded photos for tests and benchmarks.
"""

from __future__ import annotations

from tthc_adapters.keys import DEMO_KEYS, ENV_VAR, load_key_ring, parse_keys
from tthc_adapters.qr._errors import (
    ForgedReceipt,
    NoReceiptQr,
    NotOurReceipt,
    ReceiptScanError,
    UnknownReceiptKey,
)
from tthc_adapters.qr._image import (
    ImageTooLarge,
    NotAnImage,
    TruncatedImage,
    UnreadableImage,
    load_image,
)
from tthc_adapters.qr._pdf import receipt_pdf
from tthc_adapters.qr._raster import pdf_to_images
from tthc_adapters.qr._read import (
    DEFAULT_BUDGET_S,
    DEFAULT_CEILING_S,
    QrReader,
    VerifiedReceipt,
    ZxingReader,
)
from tthc_adapters.qr._render import (
    MAX_VERSION,
    QrcodeRenderer,
    QrRenderer,
    QrSymbol,
    QrTooLarge,
    SegnoRenderer,
)

__all__ = [
    "DEFAULT_BUDGET_S",
    "DEFAULT_CEILING_S",
    "DEMO_KEYS",
    "ENV_VAR",
    "MAX_VERSION",
    "ForgedReceipt",
    "ImageTooLarge",
    "NoReceiptQr",
    "NotAnImage",
    "NotOurReceipt",
    "QrReader",
    "QrRenderer",
    "QrSymbol",
    "QrTooLarge",
    "QrcodeRenderer",
    "ReceiptScanError",
    "SegnoRenderer",
    "TruncatedImage",
    "UnknownReceiptKey",
    "UnreadableImage",
    "VerifiedReceipt",
    "ZxingReader",
    "load_image",
    "load_key_ring",
    "parse_keys",
    "pdf_to_images",
    "receipt_pdf",
]
