"""Synthetic phone photos of receipts, for reader tests and benchmarks (needs numpy and OpenCV).

:func:`pdf_page` rasterises the real A5 receipt PDF at about 200 dpi (the QR at
about 5.8 pixels per module, as in a phone photo of the whole sheet);
:func:`receipt_page` draws a lighter synthetic page. :func:`photograph`
degrades a page the way phone photos of paper go wrong and returns JPEG bytes.
Every degradation class takes a severity in [0, 1]; :data:`MODERATE` and
:data:`SEVERE` are the two levels the benchmark reports. The photo depends on
(page, kind, severity, seed) only, so a failing seed reproduces the photo.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image

from tthc_adapters.qr.testing import _geometry as geometry
from tthc_adapters.qr.testing import _optics as optics
from tthc_adapters.qr.testing._page import pdf_page, receipt_page

__all__ = [
    "DEGRADATIONS",
    "MODERATE",
    "SEVERE",
    "pdf_page",
    "photograph",
    "receipt_page",
]

MODERATE = 0.35
SEVERE = 1.0

Degradation = Callable[[Image.Image, random.Random, float], Image.Image]

#: Degradation classes: name -> (page, rng, severity) -> photo (grayscale).
DEGRADATIONS: dict[str, Degradation] = {
    "rotation": geometry.rotation,
    "perspective": geometry.perspective,
    "curved": geometry.curved,
    "folded": geometry.folded,
    "crumpled": geometry.crumpled,
    "blur": optics.blur,
    "motion": optics.motion,
    "jpeg": optics.jpeg,
    "noise": optics.noise,
    "low_light": optics.low_light,
    "lighting": optics.lighting,
    "screen": optics.screen,
    "small": optics.small,
    "combined": optics.combined,
}

_QUALITY: dict[str, Callable[[float], int]] = {
    "jpeg": lambda s: round(60 - 35 * s),
    "combined": lambda s: round(70 - 30 * s),
    "low_light": lambda s: 80,
}


def photograph(page: Image.Image, kind: str, severity: float, seed: int) -> bytes:
    """A degraded phone photo of ``page`` as JPEG bytes.

    Args:
        page: From :func:`pdf_page` or :func:`receipt_page` (grayscale).
        kind: A key of :data:`DEGRADATIONS`.
        severity: 0 (mild) to 1 (severe).
        seed: Makes the photo reproducible.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test images, not secrets
    photo = DEGRADATIONS[kind](page.convert("L"), rng, severity).convert("RGB")
    quality = _QUALITY[kind](severity) if kind in _QUALITY else 85
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=quality)
    return out.getvalue()
