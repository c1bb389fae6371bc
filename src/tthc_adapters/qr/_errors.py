"""The one exception family of reading a receipt from a photo: :class:`ReceiptScanError`.

Every failure of :meth:`ZxingReader.read` is a ``ReceiptScanError`` whose
``kind`` says why, with an English ``reason`` for logs and staff:

============================  ==================  ==========================================
class                         ``kind``            meaning
============================  ==================  ==========================================
``UnreadableImage`` (+ subs)  ``unreadable``      not an image, truncated, or too large
``NoReceiptQr``               ``no_qr``           no QR code could be read in the photo
``NotOurReceipt``             ``not_ours``        QR codes, none a receipt of this office
``ForgedReceipt``             ``forged``          our prefix, but the tag does not match
                                                  (forged or altered) or the body is broken
``UnknownReceiptKey``         ``unknown_key``     a key id this office does not hold
============================  ==================  ==========================================
"""

from __future__ import annotations

from typing import Literal

from tthc_core.errors import InvalidInput
from tthc_core.receipt import ReceiptPayload

__all__ = [
    "ForgedReceipt",
    "NoReceiptQr",
    "NotOurReceipt",
    "ReceiptScanError",
    "ScanFailure",
    "UnknownReceiptKey",
]

ScanFailure = Literal["unreadable", "no_qr", "not_ours", "forged", "unknown_key"]


class ReceiptScanError(InvalidInput):
    """Reading a verified receipt from a photo failed; ``kind`` says why.

    Attributes:
        kind: One of ``unreadable``, ``no_qr``, ``not_ours``, ``forged``, ``unknown_key``.
        payload: The decoded payload when there was one (``forged``, ``unknown_key``).
        others: Texts of other QR codes found (a VietQR, a web link).
    """

    kind: ScanFailure = "no_qr"

    def __init__(
        self,
        reason: str,
        *,
        payload: ReceiptPayload | None = None,
        others: tuple[str, ...] = (),
    ) -> None:
        super().__init__(reason)
        self.payload = payload
        self.others = others


class NoReceiptQr(ReceiptScanError):  # noqa: N818 - reads best at call sites
    """No QR code could be read in the photo (none there, or too damaged)."""

    kind: ScanFailure = "no_qr"


class NotOurReceipt(ReceiptScanError):  # noqa: N818 - reads best at call sites
    """QR codes were read, but none is a receipt of this office (``others`` has their texts)."""

    kind: ScanFailure = "not_ours"


class ForgedReceipt(ReceiptScanError):  # noqa: N818 - reads best at call sites
    """A QR with our prefix whose tag does not match its code, or whose body is broken."""

    kind: ScanFailure = "forged"


class UnknownReceiptKey(ReceiptScanError):  # noqa: N818 - reads best at call sites
    """A receipt payload signed with a key id this office does not hold for the agency."""

    kind: ScanFailure = "unknown_key"
