"""Following the module grid where paper stretches it: the integrated-phase mesh.

:func:`tthc_adapters.qr._dewarp.refine` reads the local offset of the module
grid as the phase of the module period and unwraps it along each row. Waves
about one QR width long stretch the paper by a quarter: the offset drifts by
several modules inside the symbol, and where a row crosses a stretch with few
module edges (a long run of one colour) its unwrap slips a whole module and
shears the rest of the row.

:func:`follow` measures instead how fast the phase turns — the local module
pitch, from the product of neighbouring demodulated values, averaged over a
window of about two modules in both directions (so rows with few edges
borrow their neighbours' pitch, weighted by edge strength) — and integrates
it along the row. Each row's constant is the circular mean of the measured
phase against the integral, weighted by edge strength, so no single weak
window decides it. The resulting offsets form a dense mesh that
``cv2.remap`` undoes; a few rounds, each composed onto the previous mapping
(one resampling of the input per round, never a resample of a resample),
correct what one round leaves.

Everything is numpy and OpenCV (``cv2.resize``, ``cv2.GaussianBlur``,
``cv2.remap``); only the phase integration is written by hand.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

__all__ = ["follow"]

Gray = NDArray[np.uint8]
Field = NDArray[np.float32]

#: The fields vary over modules, not pixels: computed at this fraction of the size.
_COARSE = 4
#: Window of the demodulation, in modules (Gaussian sigma).
_WINDOW = 1.0
#: Window over which the local pitch is averaged, in modules (Gaussian sigma).
_PITCH_WINDOW = 2.0


def _coarse(field: Field) -> Field:
    h, w = field.shape
    small: Field = cv2.resize(field, (w // _COARSE, h // _COARSE), interpolation=cv2.INTER_AREA)
    return small


def _blur(field: NDArray[np.floating], sigma: float) -> Field:
    blurred: Field = cv2.GaussianBlur(field.astype(np.float32), (0, 0), sigma)
    return blurred


def _offset(gray: Field, axis: int, module_px: int) -> Field:
    """Offset of the module grid along ``axis`` (1: x, 0: y) at every pixel, in pixels."""
    size = gray.shape[0]
    wave = 2 * np.pi * np.arange(size, dtype=np.float32) / module_px
    phase = wave[np.newaxis, :] if axis == 1 else wave[:, np.newaxis]
    edges = np.abs(np.gradient(gray, axis=axis))
    sigma = _WINDOW * module_px / _COARSE
    field = _blur(_coarse(edges * np.cos(phase)), sigma) + 1j * _blur(
        _coarse(edges * np.sin(phase)), sigma
    )
    if axis == 0:
        field = field.T
    # How far the phase turns from one coarse pixel to the next: the local pitch.
    turn = field[:, 1:] * np.conj(field[:, :-1])
    wide = _PITCH_WINDOW * module_px / _COARSE
    step = np.arctan2(_blur(turn.imag, wide), _blur(turn.real, wide))
    integral = np.concatenate([np.zeros((field.shape[0], 1)), np.cumsum(step, axis=1)], axis=1)
    constant = np.angle((field * np.exp(-1j * integral)).sum(axis=1, keepdims=True))
    angle = integral + constant
    if axis == 0:
        angle = angle.T
    offset = _blur(angle * module_px / (2 * np.pi), sigma)
    full: Field = cv2.resize(offset, (size, size), interpolation=cv2.INTER_LINEAR)
    return full


def follow(straight: Gray, *, module_px: int = 8, rounds: int = 3) -> list[Gray]:
    """The straightened symbol after each round of the integrated-phase mesh.

    Args:
        straight: A square symbol with modules of about ``module_px`` pixels on a
            grid starting at a multiple of ``module_px`` (from
            :func:`tthc_adapters.qr._dewarp.dewarp`).
        module_px: The grid's pitch in pixels.
        rounds: Rounds of measurement and resampling.

    Returns:
        One image per round, each resampled once from ``straight``.
    """
    size = straight.shape[0]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    map_x, map_y = xx, yy
    image = straight
    results = []
    for _ in range(rounds):
        gray = image.astype(np.float32)
        step_x = xx + _offset(gray, 1, module_px)
        step_y = yy + _offset(gray, 0, module_px)
        map_x = cv2.remap(map_x, step_x, step_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        map_y = cv2.remap(map_y, step_x, step_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        image = cv2.remap(straight, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        results.append(image)
    return results
