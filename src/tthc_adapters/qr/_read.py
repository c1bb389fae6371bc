"""Reading receipt QR codes from photos: the :class:`QrReader` port and its zxing-cpp adapter.

Citizens photograph paper receipts with phones and send the photo to the
Official Account. The reader finds every QR in the photo (a receipt may also
carry a VietQR fee code), returns the receipt payload, and when a pass finds
none of ours, retries on cheap preprocessed variants of the photo: grayscale
with contrast stretch, flat-field correction of uneven light, sharpening,
global binarisation, a downscaled copy, a 2× crop-free upscale for small
codes, and a 45° rotation. zxing-cpp already tries 90° rotations, inversion
and downscaling in each pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter, ImageOps

from tthc_adapters.qr._image import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, load_image
from tthc_core.errors import TthcError
from tthc_core.receipt import InvalidReceiptPayload, ReceiptCodec, ReceiptPayload

__all__ = ["NoReceiptQr", "QrReader", "ZxingReader"]

_QR_FORMATS = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)  # never Micro QR
_Variant = Callable[[Image.Image], Image.Image]


class NoReceiptQr(TthcError):  # noqa: N818 - reads best at call sites
    """No receipt QR code was found in the image.

    Attributes:
        others: Texts of the other QR codes found (a VietQR, a web link).
    """

    def __init__(self, reason: str, *, others: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.others = others


class QrReader(Protocol):
    """Port: finds QR codes in a photo."""

    def texts(self, image: bytes | Image.Image) -> tuple[str, ...]:
        """The texts of every QR code found in the first pass that finds any."""
        ...

    def read(self, image: bytes | Image.Image) -> ReceiptPayload:
        """The receipt payload in the photo.

        Raises:
            UnreadableImage: If the bytes are not a safe, complete image.
            NoReceiptQr: If no receipt QR is found.
            InvalidReceiptPayload: If a QR with our prefix is malformed.
        """
        ...


def _gray(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def _contrast(image: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(_gray(image), cutoff=1)


def _flat_field(image: Image.Image) -> Image.Image:
    """Divide by a heavily blurred copy: removes shadows and uneven light."""
    gray = _gray(image)
    radius = max(gray.size) / 30
    background = np.asarray(gray.filter(ImageFilter.BoxBlur(radius)), dtype=np.float32)
    ratio = np.asarray(gray, dtype=np.float32) / np.maximum(background, 1.0)
    return Image.fromarray(np.clip(ratio * 200.0, 0, 255).astype(np.uint8))


def _sharpen(image: Image.Image) -> Image.Image:
    return _contrast(image).filter(ImageFilter.UnsharpMask(radius=3, percent=200, threshold=0))


def _otsu(image: Image.Image) -> Image.Image:
    gray = _flat_field(image)
    histogram = np.bincount(np.asarray(gray).ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    total = weight[-1]
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    threshold = int(np.argmax(between))
    return gray.point(lambda v: 255 if v > threshold else 0)


def _downscale(image: Image.Image) -> Image.Image:
    scale = 1200 / max(image.size)
    if scale >= 1:
        return _gray(image).filter(ImageFilter.BoxBlur(1))
    size = (round(image.width * scale), round(image.height * scale))
    return _gray(image).resize(size, Image.Resampling.BOX)


def _upscale(image: Image.Image) -> Image.Image:
    if max(image.size) > 2400:
        return _sharpen(image)
    return _contrast(image).resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)


def _rotate(image: Image.Image) -> Image.Image:
    return _contrast(image).rotate(45, expand=True, fillcolor=255)


# The fallback chain, cheapest and most often useful first.
_FALLBACKS: tuple[_Variant, ...] = (
    _contrast,
    _flat_field,
    _downscale,
    _sharpen,
    _otsu,
    _upscale,
    _rotate,
)


class ZxingReader:
    """A :class:`QrReader` over zxing-cpp with preprocessing fallbacks.

    Args:
        codec: Recognises this installation's receipt payloads.
        max_bytes: Largest image file accepted.
        max_pixels: Largest image accepted (width × height).
    """

    def __init__(
        self,
        codec: ReceiptCodec,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        self.codec = codec
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    def _passes(self, image: bytes | Image.Image) -> Iterator[tuple[str, ...]]:
        loaded = load_image(image, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        if loaded.mode not in ("L", "RGB"):
            loaded = loaded.convert("RGB")
        yield self._scan(loaded)
        for variant in _FALLBACKS:
            yield self._scan(variant(loaded))
        yield self._scan(_contrast(loaded), zxingcpp.Binarizer.GlobalHistogram)

    @staticmethod
    def _scan(
        image: Image.Image, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
    ) -> tuple[str, ...]:
        found = zxingcpp.read_barcodes(image, formats=_QR_FORMATS, binarizer=binarizer)
        return tuple(b.text for b in found if b.valid)

    def texts(self, image: bytes | Image.Image) -> tuple[str, ...]:
        """The texts of every QR code found by the first pass that finds any."""
        for found in self._passes(image):
            if found:
                return found
        return ()

    def read(self, image: bytes | Image.Image) -> ReceiptPayload:
        """The receipt payload in the photo (decoded, not yet verified).

        Raises:
            UnreadableImage: If the bytes are not a safe, complete image.
            NoReceiptQr: If no receipt QR is found.
            InvalidReceiptPayload: If the only QR with our prefix is malformed.
        """
        others: list[str] = []
        broken: InvalidReceiptPayload | None = None
        for found in self._passes(image):
            for text in found:
                try:
                    return self.codec.decode(text)
                except InvalidReceiptPayload as exc:
                    if exc.kind != "not_ours":
                        broken = broken or exc
                    elif text not in others:
                        others.append(text)
        if broken is not None:
            raise broken
        reason = (
            "no receipt QR code was found in the photo"
            if not others
            else f"the photo has {len(others)} QR code(s), none of them a receipt of this office"
        )
        raise NoReceiptQr(reason, others=tuple(others))
