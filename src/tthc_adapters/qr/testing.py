"""Synthetic phone photos of receipts, for reader tests and benchmarks (needs numpy).

:func:`receipt_page` draws a receipt-like page (Vietnamese text lines, the
receipt QR, optionally a VietQR); :func:`photograph` degrades it the way phone
photos of paper go wrong and returns JPEG bytes. Every degradation class takes
a severity in [0, 1]; :data:`MODERATE` and :data:`SEVERE` are the two levels
the benchmark reports.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from importlib import resources

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = [
    "DEGRADATIONS",
    "MODERATE",
    "SEVERE",
    "photograph",
    "receipt_page",
]

MODERATE = 0.35
SEVERE = 1.0
_PAPER = 246
_TEXT = (
    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng",
    "Địa chỉ: Buôn Ea Blang, xã Krông Năng, tỉnh Đắk Lắk",
    "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
    "1. Thành phần hồ sơ nộp gồm: Tờ khai; Giấy chứng sinh",
    "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 27 tháng 11 năm 2026",
    "5. Thời gian trả kết quả: 15 giờ 15 phút, ngày 02 tháng 12 năm 2026",
    "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026, Số thứ tự: 125",
)


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = resources.files("tthc_adapters.qr") / "fonts" / "DejaVuSerifCondensed.ttf"
    with resources.as_file(path) as file:
        return ImageFont.truetype(str(file), size)


def receipt_page(
    qr_png: bytes, *, module_px: int = 6, vietqr_png: bytes | None = None
) -> Image.Image:
    """An A5-proportioned page with text lines and the QR (``module_px`` pixels per module).

    Args:
        qr_png: The receipt QR rendered at 1 pixel per module (with its quiet zone).
        module_px: Pixels per module on the page.
        vietqr_png: A second QR (a VietQR) at 1 pixel per module, placed lower left.
    """
    width = 1000
    page = Image.new("L", (width, round(width * 210 / 148)), _PAPER)
    draw = ImageDraw.Draw(page)
    font = _font(22)
    for i, line in enumerate(_TEXT):
        draw.text((60, 320 + i * 60), line, fill=30, font=font)
    qr = Image.open(io.BytesIO(qr_png)).convert("L")
    qr = qr.resize((qr.width * module_px, qr.height * module_px), Image.Resampling.NEAREST)
    page.paste(qr, (width - qr.width - 40, 40))
    if vietqr_png is not None:
        other = Image.open(io.BytesIO(vietqr_png)).convert("L")
        other = other.resize((other.width * 5, other.height * 5), Image.Resampling.NEAREST)
        page.paste(other, (60, page.height - other.height - 60))
    return page


def _on_table(page: Image.Image, rng: random.Random, scale: float = 1.0) -> Image.Image:
    """Place the page on a darker, textured table, slightly off-centre."""
    if scale != 1.0:
        page = page.resize(
            (round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS
        )
    margin = max(page.size) // 6
    table = Image.effect_noise((page.width + 2 * margin, page.height + 2 * margin), 12)
    table = table.point(lambda v: 90 + v // 4)
    table.paste(page, (margin + rng.randint(-margin // 2, margin // 2), margin))
    return table


def _rotation(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    angle = rng.choice((-1, 1)) * rng.uniform(5, 10 + 170 * s)
    return _on_table(page, rng).rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=90)


def _perspective_coefficients(
    src: list[tuple[float, float]], dst: list[tuple[float, float]]
) -> list[float]:
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    target = np.array([c for point in src for c in point], dtype=np.float64)
    return list(np.linalg.solve(np.array(rows, dtype=np.float64), target))


def _perspective(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    photo = _on_table(page, rng)
    w, h = photo.size
    d = (0.06 + 0.22 * s) * min(w, h)
    corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
    moved = [(x + rng.uniform(-d, d), y + rng.uniform(-d, d)) for x, y in corners]
    coefficients = _perspective_coefficients(corners, moved)
    return photo.transform(
        (w, h), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC, fillcolor=90
    )


def _blur(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    return _on_table(page, rng).filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.5 + 2.5 * s)))


def _jpeg(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    return _on_table(page, rng, scale=0.75)  # quality is applied by photograph()


def _noise(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    photo = np.asarray(_on_table(page, rng), dtype=np.float32)
    sigma = rng.uniform(8, 12 + 45 * s)
    noisy = photo + np.random.default_rng(rng.randrange(2**32)).normal(0, sigma, photo.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def _lighting(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    photo = np.asarray(_on_table(page, rng), dtype=np.float32)
    h, w = photo.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx * math.cos(angle) + yy * math.sin(angle)) / math.hypot(w, h) + 0.5
    dark = 0.75 - 0.5 * s
    light = dark + (1 - dark) * np.clip(ramp, 0, 1)
    edge = rng.uniform(0.3, 0.7) * w
    shadow = np.where(xx + 0.3 * yy < edge, 1 - 0.45 * s, 1.0)
    blurred = Image.fromarray((shadow * 255).astype(np.uint8)).filter(ImageFilter.BoxBlur(15))
    lit = photo * light * (np.asarray(blurred, dtype=np.float32) / 255)
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8))


def _small(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    module_target = rng.uniform(2.6, 4.2 - 1.4 * s)  # pixels per module in the photo
    scale = module_target / 6
    small = page.resize(
        (round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS
    )
    photo = Image.effect_noise((4000, 3000), 10).point(lambda v: 100 + v // 4)
    photo.paste(small, (rng.randint(0, 4000 - small.width), rng.randint(0, 3000 - small.height)))
    return photo


def _crumpled(page: Image.Image, rng: random.Random, s: float) -> Image.Image:
    photo = _on_table(page, rng)
    w, h = photo.size
    amplitude = rng.uniform(2, 2 + 16 * s)  # largest displacement, pixels (6 px per module)
    waves = [
        (rng.uniform(250, 600), rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi))
        for _ in range(3)
    ]

    def shift(x: float, y: float) -> tuple[float, float]:
        dx = sum(amplitude * math.sin((y / length) * 2 * math.pi + p) for length, p, _ in waves)
        dy = sum(amplitude * math.sin((x / length) * 2 * math.pi + q) for length, _, q in waves)
        return x + dx / 3, y + dy / 3

    step = 40
    mesh = []
    for top in range(0, h, step):
        for left in range(0, w, step):
            right, bottom = min(left + step, w), min(top + step, h)
            quad = (
                *shift(left, top),
                *shift(left, bottom),
                *shift(right, bottom),
                *shift(right, top),
            )
            mesh.append(((left, top, right, bottom), quad))
    warped = photo.transform((w, h), Image.Transform.MESH, mesh, Image.Resampling.BICUBIC)
    crease = Image.new("L", (w, h), 255)
    ImageDraw.Draw(crease).line(
        [(0, rng.uniform(0, h)), (w, rng.uniform(0, h))], fill=round(255 * (1 - 0.3 * s)), width=6
    )
    return Image.fromarray(
        (np.asarray(warped, np.float32) * np.asarray(crease, np.float32) / 255).astype(np.uint8)
    )


#: Degradation classes: name -> (page, rng, severity) -> photo (grayscale).
DEGRADATIONS: dict[str, Callable[[Image.Image, random.Random, float], Image.Image]] = {
    "rotation": _rotation,
    "perspective": _perspective,
    "blur": _blur,
    "jpeg": _jpeg,
    "noise": _noise,
    "lighting": _lighting,
    "small": _small,
    "crumpled": _crumpled,
}


def photograph(page: Image.Image, kind: str, severity: float, seed: int) -> bytes:
    """A degraded phone photo of ``page`` as JPEG bytes.

    Args:
        page: From :func:`receipt_page`.
        kind: A key of :data:`DEGRADATIONS`.
        severity: 0 (mild) to 1 (severe).
        seed: Makes the photo reproducible.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test images, not secrets
    photo = DEGRADATIONS[kind](page, rng, severity).convert("RGB")
    quality = round(60 - 35 * severity) if kind == "jpeg" else 85
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=quality)
    return out.getvalue()
