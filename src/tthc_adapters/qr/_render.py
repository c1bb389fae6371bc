"""QR rendering: the :class:`QrRenderer` port and its segno and qrcode adapters.

Both adapters make a regular QR code (never Micro QR, which many phone
scanners do not read; anchors.md §5.1) at error-correction level M or better,
and refuse payloads that would need a version above 5 (a receipt QR stays
small enough to print at 4+ pixels per module at phone-camera resolution).
"""

from __future__ import annotations

import io
from typing import Protocol

import attrs
import qrcode
import qrcode.constants
import qrcode.image.svg
import segno

from tthc_core.errors import InvalidInput

__all__ = [
    "MAX_VERSION",
    "QrRenderer",
    "QrSymbol",
    "QrTooLarge",
    "QrcodeRenderer",
    "SegnoRenderer",
]

#: The largest QR version a receipt payload may need.
MAX_VERSION = 5
_LEVELS = "LMQH"


class QrTooLarge(InvalidInput):
    """A payload that does not fit a version-5 QR code at level M."""


@attrs.frozen
class QrSymbol:
    """A QR symbol without its quiet zone.

    Args:
        version: 1-40.
        error: The error-correction level, ``"L"``, ``"M"``, ``"Q"`` or ``"H"``.
        modules: Rows of modules, ``True`` for dark.
    """

    version: int
    error: str
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side."""
        return len(self.modules)


def _check(payload: str, version: int, error: str) -> None:
    if version > MAX_VERSION or _LEVELS.index(error) < _LEVELS.index("M"):
        raise QrTooLarge(
            f"payload of {len(payload)} characters needs QR version {version}-{error}; "
            f"receipts use at most version {MAX_VERSION} at level M"
        )


class QrRenderer(Protocol):
    """Port: renders a payload as a QR symbol, SVG or PNG."""

    name: str

    def symbol(self, payload: str) -> QrSymbol:
        """The symbol's modules.

        Raises:
            QrTooLarge: If it needs a version above 5.
        """
        ...

    def svg(self, payload: str, *, scale: int = 8, border: int = 4) -> bytes:
        """An SVG document (``scale`` user units per module, ``border`` modules of quiet zone)."""
        ...

    def png(self, payload: str, *, scale: int = 8, border: int = 4) -> bytes:
        """A PNG image (``scale`` pixels per module)."""
        ...


class SegnoRenderer:
    """The default renderer, over ``segno.make_qr`` (boosted to a higher level when free).

    Args:
        error: The minimum error-correction level, ``"m"`` or higher.
    """

    name = "segno"

    def __init__(self, error: str = "m") -> None:
        if error.upper() not in ("M", "Q", "H"):
            raise InvalidInput(f"error-correction level {error!r} must be M, Q or H")
        self.error = error.lower()

    def build(self, payload: str) -> segno.QRCode:
        """The checked segno symbol.

        Raises:
            QrTooLarge: If it needs a version above 5.
        """
        qr = segno.make_qr(payload, error=self.error, boost_error=True)
        _check(payload, int(qr.version), qr.error)
        return qr

    def symbol(self, payload: str) -> QrSymbol:
        """The symbol's modules."""
        qr = self.build(payload)
        modules = tuple(tuple(bool(m) for m in row) for row in qr.matrix)
        return QrSymbol(int(qr.version), qr.error, modules)

    def svg(self, payload: str, *, scale: int = 8, border: int = 4) -> bytes:
        """An SVG document."""
        out = io.BytesIO()
        self.build(payload).save(out, kind="svg", scale=scale, border=border, xmldecl=True)
        return out.getvalue()

    def png(self, payload: str, *, scale: int = 8, border: int = 4) -> bytes:
        """A PNG image."""
        out = io.BytesIO()
        self.build(payload).save(out, kind="png", scale=scale, border=border)
        return out.getvalue()


class QrcodeRenderer:
    """The alternative renderer, over ``qrcode`` (python-qrcode) at level M."""

    name = "qrcode"

    def _build(self, payload: str, scale: int = 8, border: int = 4) -> qrcode.QRCode:
        qr = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=scale, border=border
        )
        qr.add_data(payload)
        qr.make(fit=True)
        _check(payload, qr.version, "M")
        return qr

    def symbol(self, payload: str) -> QrSymbol:
        """The symbol's modules."""
        qr = self._build(payload)
        modules = tuple(tuple(bool(m) for m in row) for row in qr.modules)
        return QrSymbol(qr.version, "M", modules)

    def svg(self, payload: str, *, scale: int = 8, border: int = 4) -> bytes:
        """An SVG document (one path)."""
        image = self._build(payload, scale, border).make_image(
            image_factory=qrcode.image.svg.SvgPathImage
        )
        data: bytes = image.to_string(encoding="utf-8")
        return data

    def png(self, payload: str, *, scale: int = 8, border: int = 4) -> bytes:
        """A PNG image (through Pillow)."""
        out = io.BytesIO()
        self._build(payload, scale, border).make_image().save(out, format="PNG")
        return out.getvalue()
