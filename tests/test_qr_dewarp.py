"""Geometric recovery (tthc_adapters.qr._dewarp, _grid): candidate ranking, grid-phase meshes."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import segno
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_adapters.qr import _dewarp as dewarp
from tthc_adapters.qr import _grid as grid
from tthc_adapters.qr import _tone as tone


def _located(corners: list[tuple[float, float]], *, valid: bool = False) -> SimpleNamespace:
    """A stand-in for a zxing-cpp result: validity and the four corners of its position."""
    names = ("top_left", "top_right", "bottom_right", "bottom_left")
    position = SimpleNamespace(
        **{name: SimpleNamespace(x=x, y=y) for name, (x, y) in zip(names, corners, strict=True)}
    )
    return SimpleNamespace(valid=valid, position=position)


TEXT = "https://tracuu.example.gov.vn/r/ABCD1234"
SQUARE = [(1000.0, 540.0), (1240.0, 540.0), (1240.0, 780.0), (1000.0, 780.0)]


THIN = [(640.0, 480.0), (1240.0, 480.0), (1240.0, 610.0), (640.0, 610.0)]  # 600 x 130
NEAR_SQUARE = [(300.0, 1300.0), (640.0, 1300.0), (640.0, 1610.0), (300.0, 1610.0)]  # 340 x 310


@pytest.mark.parametrize(("other", "square_first"), [(THIN, True), (NEAR_SQUARE, False)])
def test_candidates_rank_by_area_times_squareness(
    other: list[tuple[float, float]], square_first: bool
) -> None:
    """The 600x130 strip zxing located on crumpled seed 4 ranks below the real 240x240 symbol;
    a larger, nearly square outline still ranks first."""
    quads = dewarp.candidate_quads([_located(other), _located(SQUARE)])  # type: ignore[list-item]
    assert len(quads) == 2
    assert bool(np.allclose(quads[0][0], SQUARE[0])) is square_first


def test_decoded_and_tiny_symbols_are_not_candidates() -> None:
    tiny = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    found = [_located(SQUARE, valid=True), _located(tiny)]
    assert dewarp.candidate_quads(found) == []  # type: ignore[arg-type]


def _symbol(module_px: int = 8) -> np.ndarray:
    matrix = np.pad(np.array(segno.make_qr(TEXT).matrix), 4)
    image = ((1 - matrix) * 255).astype(np.uint8)
    return cv2.resize(image, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


@pytest.mark.parametrize("amplitude", [1.5, 2.5, 3.0])
def test_refine_pulls_drifted_modules_back_onto_the_grid(amplitude: float) -> None:
    """A smooth drift under half a module (8 px modules) is undone to within the mesh's own blur.

    ``refine`` of the undistorted symbol sets the floor (resampling softens edges).
    """
    ideal = _symbol()
    size = ideal.shape[0]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    dx = amplitude * np.sin(2 * np.pi * yy / 150)
    dy = amplitude * np.cos(2 * np.pi * xx / 170)
    drifted = cv2.remap(ideal, xx + dx, yy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    def error(image: np.ndarray) -> float:
        return float(np.abs(image.astype(np.float64) - ideal).mean())

    floor = error(dewarp.refine(ideal))
    assert error(drifted) > floor + 5.0
    assert error(dewarp.refine(drifted)) < floor + 3.0
    (found,) = zxingcpp.read_barcodes(dewarp.refine(drifted))
    assert found.text == TEXT


def test_binarise_removes_crease_shading_a_single_threshold_cannot() -> None:
    """A facet in shadow (the right half at 55 %) and a dark crease line across the symbol:
    one Otsu threshold on the crop loses modules, flat-field first keeps every one."""
    ideal = _symbol(module_px=10)
    ideal = cv2.copyMakeBorder(ideal, 60, 60, 60, 60, cv2.BORDER_CONSTANT, value=255)
    shaded = ideal.astype(np.float32)
    shaded[:, shaded.shape[1] // 2 :] *= 0.55
    shaded[shaded.shape[0] // 3 : shaded.shape[0] // 3 + 3, :] *= 0.6
    photo = np.clip(shaded, 0, 255).astype(np.uint8)

    def wrong(binary: np.ndarray) -> float:
        return float(((binary > 127) != (ideal > 127)).mean())

    _, single = cv2.threshold(photo, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert wrong(single) > 0.1
    assert wrong(tone.binarise(photo)) < 0.01
    (found,) = zxingcpp.read_barcodes(tone.binarise(photo))
    assert found.text == TEXT


LONG = "https://tracuu.example.gov.vn/r/ABCD1234EFGH5678IJKL9012MNOP"  # version 4, as printed


def _stretched(amplitude: float, wavelength: float, angles: tuple[float, float]) -> np.ndarray:
    """A version 4 symbol (8 px modules) under two crossed waves that vanish at its outline.

    ``amplitude`` modules of drift over ``wavelength`` symbol widths: at 1 module and 0.8
    widths the paper stretches and shrinks by about a quarter, as on curved seeds 41, 44, 71.
    """
    ideal = _symbol_of(LONG)
    size = ideal.shape[0]
    inner = size - 64
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    envelope = np.sin(np.pi * np.clip((xx - 32) / inner, 0, 1)) * np.sin(
        np.pi * np.clip((yy - 32) / inner, 0, 1)
    )
    a, b = angles
    length = inner * wavelength
    dx = np.sin(2 * np.pi * (xx * np.cos(a) + yy * np.sin(a)) / length + b)
    dy = np.sin(2 * np.pi * (xx * np.cos(b) + yy * np.sin(b)) / length + a)
    drift = 8 * amplitude * envelope
    return cv2.remap(
        ideal,
        xx + (drift * dx).astype(np.float32),
        yy + (drift * dy).astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )


def _symbol_of(text: str, module_px: int = 8) -> np.ndarray:
    matrix = np.pad(np.array(segno.make_qr(text, error="m").matrix), 4)
    image = ((1 - matrix) * 255).astype(np.uint8)
    return cv2.resize(image, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def _reads(image: np.ndarray) -> bool:
    return any(found.text == LONG for found in zxingcpp.read_barcodes(image))


@settings(max_examples=20, deadline=None)
@given(
    amplitude=st.floats(0.3, 1.0),
    wavelength=st.floats(0.8, 1.2),
    angles=st.tuples(st.floats(0, np.pi), st.floats(0, 2 * np.pi)),
)
def test_follow_reads_symbols_stretched_by_waves_one_symbol_long(
    amplitude: float, wavelength: float, angles: tuple[float, float]
) -> None:
    """Drift up to a module, waves 0.8-1.2 symbols long (stretch up to about 25 %): some round
    of the integrated-phase mesh decodes."""
    stretched = _stretched(amplitude, wavelength, angles)
    assert any(_reads(image) for image in grid.follow(stretched))


def test_follow_recovers_larger_drift_than_the_unwrapped_phase() -> None:
    """At 1.25-1.5 modules of drift the per-row unwrap of ``refine`` slips a module where a row
    has few edges; integrating the pitch does so less often (same 24 fixed drifts)."""
    drifts = [
        _stretched(1.25 + 0.25 * (i % 2), 0.8 + 0.4 * (i % 5) / 4, (0.13 * i, 0.29 * i))
        for i in range(24)
    ]
    followed = sum(any(_reads(image) for image in grid.follow(d)) for d in drifts)
    refined = sum(_reads(dewarp.refine(d)) for d in drifts)
    assert not any(_reads(d) for d in drifts)
    assert followed >= refined + 4
    assert followed >= 0.75 * len(drifts)
