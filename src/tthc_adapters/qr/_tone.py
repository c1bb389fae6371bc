"""Tones of a rectified QR symbol for the mesh: crease and facet shading removed.

Crumpled paper puts creases and facet shading across the symbol: brightness
steps a few modules wide that the mesh's edge detection
(:func:`tthc_adapters.qr._dewarp.refine`) and zxing's binariser take for
module edges. :func:`flatten` divides them out, :func:`binarise` then
thresholds once. Both work on the rectified square of
:func:`tthc_adapters.qr._dewarp.rectify` (``SIDE`` pixels plus a margin).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

__all__ = ["SIDE", "TONES", "binarise", "flatten"]

Gray = NDArray[np.uint8]

#: Rectified symbol side in pixels (about 10 pixels per module for versions 2-5).
SIDE = 360
#: Flat-field window on the rectified symbol, pixels: about six modules of versions 2-5.
_FLAT_WINDOW = SIDE // 6 | 1


def flatten(rect: Gray) -> Gray:
    """The rectified symbol divided by its local mean over about six modules.

    Crumpled paper puts creases and facet shading across the symbol: brightness
    steps of a few modules that the mesh's edge detection and zxing's binariser
    take for module edges. Dividing by a box mean wider than a finder
    pattern's core removes them and keeps the modules.
    """
    background = cv2.blur(rect, (_FLAT_WINDOW, _FLAT_WINDOW)).astype(np.float32)
    ratio = rect.astype(np.float32) / np.maximum(background, 1.0)
    flat: Gray = np.clip(ratio * 200.0, 0, 255).astype(np.uint8)
    return flat


def binarise(rect: Gray) -> Gray:
    """:func:`flatten`, then one Otsu threshold: black modules on white, sharp edges."""
    _, binary = cv2.threshold(flatten(rect), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    out: Gray = binary.astype(np.uint8)
    return out


def _plain(rect: Gray) -> Gray:
    return rect


#: Tones of the rectified symbol that the mesh is computed on, by name.
TONES: dict[str, Callable[[Gray], Gray]] = {"binary": binarise, "flat": flatten, "plain": _plain}
