"""Photometric variants of a whole photo, tried when zxing-cpp reads nothing on it as it is.

Uneven light, small symbols and odd angles defeat zxing's binariser or finder
search on the photo as it is; each variant here changes brightness, contrast,
scale or angle (OpenCV), and the reader repeats its search on it. Each comes
with its size relative to the photo, so the reading budget expects a pass over
it to cost in proportion.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

__all__ = ["VARIANTS", "flat_field"]

Gray = NDArray[np.uint8]
Variant = Callable[[Gray], Gray]


def _u8(array: object) -> Gray:
    return np.asarray(array, dtype=np.uint8)


def flat_field(gray: Gray) -> Gray:
    """Divide by a heavily blurred copy: removes shadows and uneven light."""
    size = max(3, max(gray.shape) // 30) | 1
    background = cv2.blur(gray, (size, size)).astype(np.float32)
    ratio = gray.astype(np.float32) / np.maximum(background, 1.0)
    return _u8(np.clip(ratio * 200.0, 0, 255))


def _downscale(gray: Gray) -> Gray:
    scale = 1200 / max(gray.shape)
    if scale >= 1:
        return _u8(cv2.blur(gray, (3, 3)))
    size = (round(gray.shape[1] * scale), round(gray.shape[0] * scale))
    return _u8(cv2.resize(gray, size, interpolation=cv2.INTER_AREA))


def _sharpen(gray: Gray) -> Gray:
    blurred = cv2.GaussianBlur(gray, (0, 0), 3)
    return _u8(cv2.addWeighted(gray, 3.0, blurred, -2.0, 0))


def _otsu(gray: Gray) -> Gray:
    _, binary = cv2.threshold(flat_field(gray), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return _u8(binary)


def _upscale(gray: Gray) -> Gray:
    if max(gray.shape) > 2400:
        return _sharpen(gray)
    return _u8(cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))


def _rotate(gray: Gray) -> Gray:
    h, w = gray.shape
    side = round(np.hypot(h, w))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 45, 1.0)
    matrix[:, 2] += ((side - w) / 2, (side - h) / 2)
    return _u8(cv2.warpAffine(gray, matrix, (side, side), borderValue=255))


def _same(gray: Gray) -> float:
    return 1.0


def _upscaled(gray: Gray) -> float:
    return 1.0 if max(gray.shape) > 2400 else 4.0


def _turned(gray: Gray) -> float:
    h, w = (int(n) for n in gray.shape)
    return (h * h + w * w) / (h * w)


# Photometric variants, by measured yield (bench/bench_receipt.py, "stages"), with the
# variant's size relative to the photo (the budget expects a pass to cost in proportion).
VARIANTS: tuple[tuple[str, Variant, Callable[[Gray], float]], ...] = (
    ("flat_field", flat_field, _same),
    ("downscale", _downscale, _same),
    ("sharpen", _sharpen, _same),
    ("otsu", _otsu, _same),
    ("upscale", _upscale, _upscaled),
    ("rotate45", _rotate, _turned),
)
