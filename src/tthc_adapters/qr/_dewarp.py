"""Geometric recovery of a QR symbol on curved, folded or crumpled paper.

zxing-cpp samples a symbol through one projective transform fixed by the
finder and alignment patterns; on paper that is not flat the modules drift off
that grid and Reed-Solomon gives up. zxing still locates the finder patterns
and reports where the failed symbol is (``return_errors=True``), so recovery
starts there:

1. :func:`candidate_quads`: the outlines of symbols zxing found but could not
   decode, squarest and largest first, duplicates merged.
2. :func:`rectify`: ``cv2.warpPerspective`` of the outline (with a quiet-zone
   margin) onto a square of fixed size, removing perspective and scale.
3. :func:`dewarp`: the symbol's real outline in that square — the blob of its
   dark modules (``cv2.morphologyEx`` closing, ``cv2.connectedComponents``),
   each side fitted by a low-degree polynomial to its outer envelope (data
   modules only ever indent a side) — and a Coons patch (bilinearly blended
   boundary curves) that maps the unit square onto it; ``cv2.remap`` then
   resamples the symbol onto a regular grid for zxing to decode.

Everything here is numpy and OpenCV; only the envelope fit and the Coons patch
are written by hand (neither library offers them).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import zxingcpp
from numpy.typing import NDArray

from tthc_adapters.qr._tone import SIDE, binarise

__all__ = ["SIDE", "candidate_quads", "dewarp", "modules_across", "rectify", "refine"]

Gray = NDArray[np.uint8]
Points = NDArray[np.float32]

#: Quiet-zone margin kept around the rectified symbol, as a share of its side.
MARGIN = 0.16
_MAX_CANDIDATES = 2
_DEGREE = 4


def _quad(position: zxingcpp.Position) -> Points:
    corners = (
        position.top_left,
        position.top_right,
        position.bottom_right,
        position.bottom_left,
    )
    return np.array([[p.x, p.y] for p in corners], dtype=np.float32)


def _area(quad: Points) -> float:
    return float(abs(cv2.contourArea(quad)))


def _rank(quad: Points) -> float:
    """Area times squareness (shortest over longest side, squared).

    A QR symbol is square and stays nearly so in a moderate photo; zxing also
    reports long thin "symbols" assembled from a finder pattern and lines of
    text, and ranking by area alone spent the whole time budget meshing those.
    """
    sides = np.linalg.norm(quad - np.roll(quad, 1, axis=0), axis=1)
    return _area(quad) * float(sides.min() / max(float(sides.max()), 1.0)) ** 2


def candidate_quads(barcodes: Sequence[zxingcpp.Barcode]) -> list[Points]:
    """Outlines of QR symbols found but not decoded, squarest and largest first (at most two).

    A quad whose centre lies inside a better-ranked one is the same symbol seen
    through a partial grid, and is dropped.
    """
    quads = sorted((_quad(b.position) for b in barcodes if not b.valid), key=_rank, reverse=True)
    kept: list[Points] = []
    for quad in quads:
        if _area(quad) < 400:
            continue
        centre = tuple(float(v) for v in quad.mean(axis=0))
        if any(cv2.pointPolygonTest(k, centre, False) >= 0 for k in kept):
            continue
        kept.append(quad)
        if len(kept) == _MAX_CANDIDATES:
            break
    return kept


def rectify(gray: Gray, quad: Points, margin: float = MARGIN) -> Gray:
    """The quad warped onto a ``SIDE``-pixel square inside a ``margin`` share of quiet zone."""
    pad = SIDE * margin
    full = SIDE + 2 * pad
    target = np.array(
        [[pad, pad], [pad + SIDE, pad], [pad + SIDE, pad + SIDE], [pad, pad + SIDE]],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(quad, target)
    size = round(full)
    warped: Gray = cv2.warpPerspective(
        gray, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return warped


def _blob(rect: Gray) -> NDArray[np.bool_] | None:
    """The symbol's dark-module blob (holes filled), or ``None`` if there is none at the centre."""
    dark = cv2.adaptiveThreshold(
        rect, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 51, 10
    )
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    closed = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, kernel)
    count, labels = cv2.connectedComponents(closed)
    if count < 2:
        return None
    h, w = rect.shape
    centre = labels[h // 3 : 2 * h // 3, w // 3 : 2 * w // 3]
    ids = np.bincount(centre.ravel(), minlength=count)
    ids[0] = 0
    label = int(np.argmax(ids))
    if ids[label] == 0:
        return None
    mask: NDArray[np.bool_] = labels == label
    return mask


def _envelope(
    coord: NDArray[np.float64], edge: NDArray[np.float64], outward: float
) -> NDArray[np.float64]:
    """Polynomial coefficients of a side, fitted to its outer envelope.

    Data modules only indent a side, so points that lie inward of the fit
    (against ``outward``, +1 or -1) by more than a few pixels are dropped and
    the fit repeated.
    """
    keep = np.ones(edge.shape, dtype=bool)
    coefficients = np.polyfit(coord, edge, _DEGREE)
    for _ in range(4):
        residual = (edge - np.polyval(coefficients, coord)) * outward
        keep = residual > -4.0
        if keep.sum() < _DEGREE + 4:
            break
        coefficients = np.polyfit(coord[keep], edge[keep], _DEGREE)
    return coefficients


def _sides(mask: NDArray[np.bool_]) -> tuple[NDArray[np.float64], ...] | None:
    """Top, bottom, left and right sides as polynomials (y of x, y of x, x of y, x of y)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if len(rows) < SIDE // 2 or len(cols) < SIDE // 2:
        return None
    trim = SIDE // 12  # corners are rounded by the closing; fit the sides' middles
    xs = np.arange(cols[0] + trim, cols[-1] - trim)
    ys = np.arange(rows[0] + trim, rows[-1] - trim)
    column = mask[:, xs]
    row = mask[ys, :]
    top = column.argmax(axis=0).astype(np.float64)
    bottom = (mask.shape[0] - 1 - column[::-1].argmax(axis=0)).astype(np.float64)
    left = row.argmax(axis=1).astype(np.float64)
    right = (mask.shape[1] - 1 - row[:, ::-1].argmax(axis=1)).astype(np.float64)
    fx, fy = xs.astype(np.float64), ys.astype(np.float64)
    return (
        _envelope(fx, top, -1.0),
        _envelope(fx, bottom + 1, 1.0),
        _envelope(fy, left, -1.0),
        _envelope(fy, right + 1, 1.0),
    )


def _corner(
    horizontal: NDArray[np.float64], vertical: NDArray[np.float64], start: tuple[float, float]
) -> tuple[float, float]:
    """Where a horizontal side (y of x) meets a vertical one (x of y), by fixed-point iteration."""
    x, y = start
    limit = 2.0 * SIDE
    for _ in range(8):
        y = float(np.polyval(horizontal, x))
        x = float(np.polyval(vertical, y))
        if not (abs(x) < limit and abs(y) < limit):
            return start
    return x, y


def dewarp(rect: Gray, *, module_px: int = 8, modules: int = 33, outline: bool = True) -> Gray:
    """Resample a rectified symbol onto a regular grid through a Coons patch of its outline.

    Args:
        rect: From :func:`rectify`.
        module_px: Pixels per module of the output.
        modules: Modules per side (from :func:`modules_across`).
        outline: Follow the symbol's outline; ``False`` only rescales the square.

    Returns:
        The straightened symbol with a white quiet zone (the rectified square
        itself, rescaled, when no outline is found).
    """
    mask = _blob(rect) if outline else None
    sides = None if mask is None else _sides(mask)
    pad = SIDE * MARGIN
    size = modules * module_px
    quiet = 4 * module_px
    if sides is None:
        scale = size / SIDE
        matrix = np.array(
            [[scale, 0, quiet - pad * scale], [0, scale, quiet - pad * scale]], dtype=np.float32
        )
        plain: Gray = cv2.warpAffine(
            rect, matrix, (size + 2 * quiet, size + 2 * quiet), borderMode=cv2.BORDER_REPLICATE
        )
        return plain
    top, bottom, left, right = sides
    corners = [
        _corner(top, left, (pad, pad)),
        _corner(top, right, (pad + SIDE, pad)),
        _corner(bottom, right, (pad + SIDE, pad + SIDE)),
        _corner(bottom, left, (pad, pad + SIDE)),
    ]
    (x00, y00), (x10, y10), (x11, y11), (x01, y01) = corners
    out = size + 2 * quiet
    grid = (np.arange(out, dtype=np.float64) - quiet + 0.5) / size
    u, v = np.meshgrid(grid, grid)
    # Boundary curves as functions of the patch parameters.
    tx = x00 + u * (x10 - x00)
    ty = np.polyval(top, tx)
    bx = x01 + u * (x11 - x01)
    by = np.polyval(bottom, bx)
    ly = y00 + v * (y01 - y00)
    lx = np.polyval(left, ly)
    ry = y10 + v * (y11 - y10)
    rx = np.polyval(right, ry)
    bilinear_x = (1 - u) * (1 - v) * x00 + u * (1 - v) * x10 + u * v * x11 + (1 - u) * v * x01
    bilinear_y = (1 - u) * (1 - v) * y00 + u * (1 - v) * y10 + u * v * y11 + (1 - u) * v * y01
    map_x = (1 - v) * tx + v * bx + (1 - u) * lx + u * rx - bilinear_x
    map_y = (1 - v) * ty + v * by + (1 - u) * ly + u * ry - bilinear_y
    inside = (u >= 0) & (u <= 1) & (v >= 0) & (v <= 1)
    sampled: Gray = cv2.remap(
        rect,
        map_x.astype(np.float32),
        map_y.astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    paper = int(np.percentile(rect, 90))
    sampled[~inside] = paper
    return sampled


#: The phase fields are smooth (a Gaussian of 1.5 modules): they are computed at this fraction.
_COARSE = 4


def _coarse(field: NDArray[np.float32]) -> NDArray[np.float32]:
    h, w = field.shape
    small: NDArray[np.float32] = cv2.resize(
        field, (w // _COARSE, h // _COARSE), interpolation=cv2.INTER_AREA
    )
    return small


def refine(straight: Gray, *, module_px: int = 8, rounds: int = 2) -> Gray:
    """Pull the modules of a straightened symbol onto the regular grid by local grid phase.

    Module boundaries make the gradient periodic with the module pitch; in a
    Gaussian window of about three modules the phase of that period gives the
    local offset of the grid (``cv2.GaussianBlur`` of the gradient times a
    complex exponential). Unwrapped from the left and top quiet zone, the
    offsets form a dense mesh that ``cv2.remap`` undoes. Offsets are
    recovered modulo one module, so this corrects what the outline patch left
    (less than half a module of drift between neighbouring windows).

    The demodulated fields vary over a window of modules, not pixels, so they
    are averaged down by ``_COARSE`` (a box of half a module, which cancels the
    twice-the-pitch term of the demodulation) and blurred, unwrapped and
    smoothed there; only the final offsets are brought back to full size.
    """
    image = straight
    size = image.shape[0]
    coordinate = np.arange(size, dtype=np.float32)
    wave = 2 * np.pi * coordinate / module_px
    sigma = 1.5 * module_px / _COARSE
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    for _ in range(rounds):
        gray = image.astype(np.float32)
        offsets = []
        for axis in (1, 0):
            edges = np.abs(np.gradient(gray, axis=axis))
            phase = wave[np.newaxis, :] if axis == 1 else wave[:, np.newaxis]
            real = cv2.GaussianBlur(_coarse(edges * np.cos(phase)), (0, 0), sigma)
            imag = cv2.GaussianBlur(_coarse(edges * np.sin(phase)), (0, 0), sigma)
            angle = np.unwrap(np.arctan2(imag, real), axis=axis)
            offset = cv2.GaussianBlur(
                (angle * module_px / (2 * np.pi)).astype(np.float32), (0, 0), sigma
            )
            offsets.append(cv2.resize(offset, (size, size), interpolation=cv2.INTER_LINEAR))
        dx, dy = offsets
        image = cv2.remap(
            image, xx + dx, yy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
    return image


def _finder_width(line: NDArray[np.bool_]) -> float | None:
    """Width of the first finder crossed by a dark/light line (runs 1:1:3:1:1), or ``None``."""
    changes = np.flatnonzero(np.diff(line.astype(np.int8))) + 1
    edges = np.concatenate(([0], changes, [len(line)]))
    runs = np.diff(edges)
    dark = line[edges[:-1]]
    for i in range(len(runs) - 4):
        if not dark[i]:
            continue
        unit = runs[i : i + 5] / np.array([1, 1, 3, 1, 1])
        if unit.max() <= 2.2 * unit.min():
            return float(runs[i : i + 5].sum())
    return None


def _finder_modules(rect: Gray) -> int | None:
    """Modules per side from the three finder patterns' width (7 modules each)."""
    pad = round(SIDE * MARGIN)
    dark = binarise(rect) == 0
    near, far = pad + round(0.1 * SIDE), pad + SIDE - round(0.1 * SIDE)
    lines = (
        dark[near, :],  # top-left finder, left to right
        dark[:, near],  # top-left finder, top to bottom
        dark[near, ::-1],  # top-right finder, right to left
        dark[::-1, near],  # bottom-left finder, bottom to top
        dark[far, :],  # bottom-left finder
        dark[:, far],  # top-right finder
    )
    widths = [w for w in map(_finder_width, lines) if w is not None and w > SIDE / 10]
    if not widths:
        return None
    return round(7 * SIDE / float(np.median(widths)))


def modules_across(rect: Gray) -> list[int]:
    """Likely modules per side of the rectified symbol (4v + 17, versions 1-10), best first.

    The finder patterns are 7 modules wide: the candidate nearest to what
    their width implies comes first; the gradient across the symbol repeats
    once per module, and the other candidates follow by the strength of their
    frequency in its profile.
    """
    pad = round(SIDE * MARGIN)
    window = rect[pad : pad + SIDE, pad : pad + SIDE].astype(np.float32)
    profile = np.abs(np.diff(window, axis=1)).sum(axis=0) + np.abs(np.diff(window, axis=0)).sum(
        axis=1
    )
    spectrum = np.abs(np.fft.rfft(profile - profile.mean()))
    candidates = [4 * version + 17 for version in range(1, 11)]
    ranked = sorted(candidates, key=lambda n: -float(spectrum[n - 1 : n + 2].max()))
    estimate = _finder_modules(rect)
    if estimate is not None:
        nearest = min(candidates, key=lambda n: abs(n - estimate))
        ranked.remove(nearest)
        ranked.insert(0, nearest)
    return ranked
