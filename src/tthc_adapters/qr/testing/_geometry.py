"""Geometric degradations: the page on a table, turned, seen at an angle, bent, folded, crumpled.

Every function takes the page (grayscale), a seeded :class:`random.Random` and a
severity in [0, 1] and returns the photo (grayscale). Displacement fields are
applied with ``cv2.remap`` (each output pixel samples the page at a displaced
point), shading follows the paper's slope.
"""

from __future__ import annotations

import math
import random
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

__all__ = [
    "QR_PX",
    "crumpled",
    "curved",
    "folded",
    "on_table",
    "perspective",
    "remap",
    "rotation",
    "waves",
]

Field = NDArray[np.float32]
#: A 30 mm QR's width in page pixels at 200 dpi: the unit of wave lengths ("QR widths").
QR_PX = 236
_TABLE = 95


def numpy_rng(rng: random.Random) -> np.random.Generator:
    """A numpy generator seeded from ``rng`` (so one seed drives both)."""
    return np.random.default_rng(rng.randrange(2**32))


def on_table(page: Image.Image, rng: random.Random, scale: float = 1.0) -> Image.Image:
    """Place the page on a darker, textured table, slightly off-centre."""
    if scale != 1.0:
        size = (round(page.width * scale), round(page.height * scale))
        page = page.resize(size, Image.Resampling.LANCZOS)
    margin = max(page.size) // 6
    shape = (page.height + 2 * margin, page.width + 2 * margin)
    coarse = numpy_rng(rng).normal(0, 5, (shape[0] // 2 + 1, shape[1] // 2 + 1)).astype(np.float32)
    texture = cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    table = Image.fromarray(np.clip(_TABLE + texture, 0, 255).astype(np.uint8))
    table.paste(page, (margin + rng.randint(-margin // 2, margin // 2), margin))
    return table


def remap(photo: Image.Image, dx: Field, dy: Field, shade: Field | None = None) -> Image.Image:
    """Sample ``photo`` at (x + dx, y + dy) per output pixel; multiply by ``shade`` if given."""
    array = np.asarray(photo, dtype=np.uint8)
    h, w = array.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    out = cv2.remap(
        array, xx + dx, yy + dy, cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=_TABLE
    ).astype(np.float32)
    if shade is not None:
        out *= shade
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def waves(
    shape: tuple[int, int], rng: random.Random, length: float, amplitude: float, count: int = 3
) -> tuple[Field, Field, Field]:
    """A smooth random height field of ``count`` waves about ``length`` pixels long.

    Returns:
        (dx, dy, slope): a displacement of at most about ``amplitude`` pixels
        along the height gradient and the gradient's size, for shading.
    """
    h, w = shape
    step = 4  # the field is smooth: compute it on a coarse grid, then interpolate
    yy, xx = (np.mgrid[0 : h // step + 2, 0 : w // step + 2] * step).astype(np.float32)
    height = np.zeros(yy.shape, np.float32)
    for _ in range(count):
        angle = rng.uniform(0, math.pi)
        wavelength = length * rng.uniform(0.7, 1.4)
        phase = rng.uniform(0, 2 * math.pi)
        along = xx * math.cos(angle) + yy * math.sin(angle)
        height += np.sin(along * (2 * math.pi / wavelength) + phase).astype(np.float32)
    gy, gx = np.gradient(height, step)
    norm = float(np.abs(height).max()) or 1.0
    # Displacement follows the height (lifted paper moves away from the lens axis).
    scale = amplitude / norm
    slope = np.hypot(gx, gy) * (length / (2 * math.pi)) / max(count, 1)
    angle = rng.uniform(0, 2 * math.pi)
    fine = (w + 2 * step, h + 2 * step)

    def full(field: NDArray[np.floating[Any]]) -> Field:
        resized: Field = cv2.resize(field.astype(np.float32), fine, interpolation=cv2.INTER_LINEAR)
        return resized[:h, :w]

    dx = full(height * scale * math.cos(angle))
    dy = full(height * scale * math.sin(angle))
    return dx, dy, full(slope)


def rotation(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """The page turned in the frame, 5-10° up to 5-180°."""
    angle = rng.choice((-1, 1)) * rng.uniform(5, 10 + 170 * s)
    return on_table(page, rng).rotate(
        angle, Image.Resampling.BICUBIC, expand=True, fillcolor=_TABLE
    )


def perspective(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """The page seen at an angle: each corner moved by up to 6 % + 22 % × severity."""
    photo = np.asarray(on_table(page, rng))
    h, w = photo.shape
    d = (0.06 + 0.22 * s) * min(w, h)
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    jitter = [[rng.uniform(-d, d), rng.uniform(-d, d)] for _ in range(4)]
    moved = corners + np.array(jitter, dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, moved)
    out = cv2.warpPerspective(photo, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=_TABLE)
    return Image.fromarray(out)


def curved(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Paper that does not lie flat, at three scales.

    A page-wide bend, waves 1.2-3 QR widths long (the ones that defeat a
    perspective-only sampler: the symbol is no longer a projective square),
    and ripples about one QR width long; amplitudes in page pixels (about 6 per
    module) grow with severity.
    """
    photo = on_table(page, rng)
    shape = (photo.height, photo.width)
    bend = waves(shape, rng, length=3 * photo.width, amplitude=10 + 30 * s, count=1)
    mid = waves(shape, rng, length=QR_PX * rng.uniform(1.2, 3.0), amplitude=4 + 22 * s)
    ripple = waves(shape, rng, length=QR_PX * rng.uniform(0.8, 1.2), amplitude=0.5 + 3 * s)
    dx = bend[0] + mid[0] + ripple[0]
    dy = bend[1] + mid[1] + ripple[1]
    slope = mid[2] + ripple[2]
    shade = 1.0 - (0.04 + 0.12 * s) * slope / max(float(slope.max()), 1e-6)
    return remap(photo, dx, dy, shade.astype(np.float32))


def _line_distance(shape: tuple[int, int], rng: random.Random, near: tuple[float, float]) -> Field:
    """Signed distance to a random line through ``near`` (jittered)."""
    h, w = shape
    xx = np.arange(w, dtype=np.float32)[np.newaxis, :]
    yy = np.arange(h, dtype=np.float32)[:, np.newaxis]
    angle = rng.uniform(0, math.pi)
    cx, cy = near[0] + rng.uniform(-80, 80), near[1] + rng.uniform(-80, 80)
    distance: Field = (xx - cx) * math.cos(angle) + (yy - cy) * math.sin(angle)
    return distance


def _qr_area(photo: Image.Image) -> tuple[float, float]:
    """Roughly where the receipt QR is (upper right of the page) in a table photo."""
    return photo.width * 0.72, photo.height * 0.3


def folded(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """A sheet folded once and opened: a crease near the QR, one side tilted 12-45°."""
    photo = on_table(page, rng)
    shape = (photo.height, photo.width)
    near = _qr_area(photo) if rng.random() < 0.7 else (photo.width / 2, photo.height / 2)
    distance = _line_distance(shape, rng, near)
    tilt = math.radians(12 + 33 * s)
    side = distance > 0
    # The tilted side is foreshortened towards the crease (it samples farther out).
    push = np.where(side, distance * (1 / math.cos(tilt) - 1), 0).astype(np.float32)
    gy, gx = np.gradient(distance)
    dx, dy = push * gx, push * gy
    wave = waves(shape, rng, QR_PX * 3, 2 + 4 * s)
    crease = np.exp(-((distance / 2.0) ** 2)) * (0.12 + 0.2 * s)
    shade = np.where(side, 1 - 0.25 * s * rng.uniform(0.3, 1), 1.0) - crease
    return remap(photo, dx + wave[0], dy + wave[1], shade.astype(np.float32))


def crumpled(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Paper crumpled and flattened: facets about 10-20 modules wide, creases, a wave."""
    photo = on_table(page, rng)
    h, w = photo.height, photo.width
    nrng = numpy_rng(rng)
    cell = rng.uniform(60, 120)
    grid = (max(2, round(h / cell)) + 1, max(2, round(w / cell)) + 1)
    sigma = 1.0 + 4.0 * s
    dx = cv2.resize(nrng.normal(0, sigma, grid).astype(np.float32), (w, h), cv2.INTER_CUBIC)
    dy = cv2.resize(nrng.normal(0, sigma, grid).astype(np.float32), (w, h), cv2.INTER_CUBIC)
    light = cv2.resize(nrng.normal(0, 0.03 + 0.05 * s, grid).astype(np.float32), (w, h))
    wave = waves((h, w), rng, QR_PX * rng.uniform(1.5, 3.0), 2 + 8 * s)
    shade = 1.0 + light
    for _ in range(round(1 + 4 * s)):
        near = _qr_area(photo) if rng.random() < 0.5 else (rng.uniform(0, w), rng.uniform(0, h))
        distance = _line_distance((h, w), rng, near)
        shade -= np.exp(-((distance / 2.5) ** 2)) * (0.1 + 0.25 * s)
    return remap(photo, dx + wave[0], dy + wave[1], shade.astype(np.float32))
