"""QR adapters: rendering (segno, qrcode), reading photos (zxing-cpp), the printable receipt.

* :class:`SegnoRenderer` (default) and :class:`QrcodeRenderer` implement the
  :class:`QrRenderer` port: symbol modules, SVG and PNG of a payload.
* :class:`ZxingReader` implements :class:`QrReader`: finds the receipt QR in a
  phone photo, with preprocessing fallbacks; bad images raise
  :class:`UnreadableImage` subclasses.
* :func:`receipt_pdf`: Mẫu 01 on A5 with the QR.
* :func:`load_key_ring` / :func:`parse_keys`: receipt keys from a key file or
  ``TTHC_RECEIPT_KEYS``.
* :mod:`tthc_adapters.qr.testing`: synthetic degraded photos for tests and benchmarks.
"""

from __future__ import annotations

from tthc_adapters.keys import DEMO_KEYS, ENV_VAR, load_key_ring, parse_keys
from tthc_adapters.qr._image import (
    ImageTooLarge,
    NotAnImage,
    TruncatedImage,
    UnreadableImage,
    load_image,
)
from tthc_adapters.qr._pdf import receipt_pdf
from tthc_adapters.qr._read import NoReceiptQr, QrReader, ZxingReader
from tthc_adapters.qr._render import (
    MAX_VERSION,
    QrcodeRenderer,
    QrRenderer,
    QrSymbol,
    QrTooLarge,
    SegnoRenderer,
)

__all__ = [
    "DEMO_KEYS",
    "ENV_VAR",
    "MAX_VERSION",
    "ImageTooLarge",
    "NoReceiptQr",
    "NotAnImage",
    "QrReader",
    "QrRenderer",
    "QrSymbol",
    "QrTooLarge",
    "QrcodeRenderer",
    "SegnoRenderer",
    "TruncatedImage",
    "UnreadableImage",
    "ZxingReader",
    "load_image",
    "load_key_ring",
    "parse_keys",
    "receipt_pdf",
]
