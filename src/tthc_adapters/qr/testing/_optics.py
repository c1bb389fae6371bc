"""Optical degradations: defocus, shake, sensor noise, low light, uneven light, screens, distance.

Same signature as :mod:`._geometry`: (page, seeded rng, severity in [0, 1]) -> photo.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageFilter

from tthc_adapters.qr.testing._geometry import QR_PX, numpy_rng, on_table, remap, waves

__all__ = [
    "blur",
    "combined",
    "jpeg",
    "lighting",
    "low_light",
    "motion",
    "noise",
    "screen",
    "small",
]


def _array(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32)


def _image(array: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def blur(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Out of focus: Gaussian blur of σ 1-1.5 up to 1-4 pixels."""
    return on_table(page, rng).filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.5 + 2.5 * s)))


def motion(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Hand shake: a linear motion blur 3-(4 + 10 × severity) pixels long at any angle."""
    photo = _array(on_table(page, rng))
    length = rng.uniform(3, 4 + 10 * s)
    size = math.ceil(length) | 1
    kernel = np.zeros((size, size), np.float32)
    centre = size // 2
    angle = rng.uniform(0, math.pi)
    half = length / 2
    end = (centre + half * math.cos(angle), centre + half * math.sin(angle))
    start = (centre - half * math.cos(angle), centre - half * math.sin(angle))
    cv2.line(kernel, tuple(round(v) for v in start), tuple(round(v) for v in end), 1.0, 1)
    kernel /= kernel.sum()
    return _image(cv2.filter2D(photo, -1, kernel))


def jpeg(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Strong JPEG compression (quality 60 down to 25, applied by ``photograph``)."""
    return on_table(page, rng, scale=0.75)


def noise(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Gaussian sensor noise, σ 8-12 up to 8-57 gray levels."""
    photo = _array(on_table(page, rng))
    sigma = rng.uniform(8, 12 + 45 * s)
    return _image(photo + numpy_rng(rng).normal(0, sigma, photo.shape))


def low_light(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """A dim room: few photons (shot noise), read noise, then the phone's gain and gamma."""
    photo = _array(on_table(page, rng)) / 255.0
    nrng = numpy_rng(rng)
    photons = rng.uniform(60, 120) * (1 - 0.75 * s)  # at full white
    counts = nrng.poisson(photo * photons).astype(np.float32)
    counts += nrng.normal(0, 1.5 + 3 * s, photo.shape)
    exposed = np.clip(counts / photons, 0, 1.2) ** (1 / 1.6)
    smeared = cv2.GaussianBlur(exposed.astype(np.float32), (0, 0), 0.6)  # the phone's denoiser
    return _image(smeared * rng.uniform(170, 220))


def lighting(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """A light gradient and a hard shadow edge across the page."""
    photo = _array(on_table(page, rng))
    h, w = photo.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx * math.cos(angle) + yy * math.sin(angle)) / math.hypot(w, h) + 0.5
    dark = 0.75 - 0.5 * s
    light = dark + (1 - dark) * np.clip(ramp, 0, 1)
    edge = rng.uniform(0.3, 0.7) * w
    shadow = np.where(xx + 0.3 * yy < edge, 1 - 0.45 * s, 1.0).astype(np.float32)
    return _image(photo * light * cv2.blur(shadow, (31, 31)))


def screen(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """The receipt shown on a screen and photographed: pixel grid, moiré, glare, slight tilt."""
    base = on_table(page, rng)
    photo = _array(base)
    h, w = photo.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    pitch = rng.uniform(2.2, 3.5)  # screen pixels in page pixels
    tilt = math.radians(rng.uniform(-4, 4))
    u = (xx * math.cos(tilt) + yy * math.sin(tilt)) / pitch
    v = (-xx * math.sin(tilt) + yy * math.cos(tilt)) / pitch
    grid = (0.55 + 0.45 * np.cos(2 * np.pi * u) ** 2) * (0.7 + 0.3 * np.cos(np.pi * v) ** 2)
    depth = 0.25 + 0.45 * s
    lit = photo * (1 - depth + depth * grid) * 0.8 + 35 + 25 * s  # glare lifts the blacks
    scale = rng.uniform(0.62, 0.9)  # the camera resamples the grid: moiré
    size = (round(w * scale), round(h * scale))
    shrunk = cv2.resize(lit.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    return _image(shrunk)


def small(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """The sheet far away in a 12-megapixel photo: 2.6-4.2 down to 2.6-2.8 pixels per module."""
    module_target = rng.uniform(2.6, 4.2 - 1.4 * s)
    scale = module_target / (QR_PX / 41)
    shrunk = page.resize(
        (round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS
    )
    background = numpy_rng(rng).normal(0, 6, (3000, 4000)) + 110
    photo = _image(background)
    photo.paste(shrunk, (rng.randint(0, 4000 - shrunk.width), rng.randint(0, 3000 - shrunk.height)))
    return photo


def combined(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    """Downscale, curvature, blur and JPEG together (quality set by ``photograph``)."""
    photo = on_table(page, rng, scale=rng.uniform(0.72, 0.85 - 0.15 * s))
    shape = (photo.height, photo.width)
    length = QR_PX * photo.width / (page.width * 1.33) * rng.uniform(1.5, 3.5)
    dx, dy, _ = waves(shape, rng, length=length, amplitude=3 + 12 * s)
    bent = remap(photo, dx, dy)
    return bent.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 0.9 + 0.8 * s)))
