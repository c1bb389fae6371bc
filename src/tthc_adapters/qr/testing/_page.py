"""Pages to photograph: the real A5 receipt PDF rasterised, or a light synthetic page."""

from __future__ import annotations

import io
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

from tthc_adapters.qr._raster import pdf_to_images

__all__ = ["pdf_page", "receipt_page"]

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


def pdf_page(pdf: bytes, *, dpi: float = 200.0, paper: int = _PAPER) -> Image.Image:
    """The first page of a receipt PDF as a grayscale image of printed paper.

    At 200 dpi a 30 mm QR of 41 modules (version 4 with its quiet zone) has
    about 5.8 pixels per module, as in a phone photo of the whole A5 sheet; the
    38 mm QR printed since the print-design study has about 7.3.

    Args:
        pdf: From :func:`tthc_adapters.qr.receipt_pdf`.
        dpi: Rasterising resolution.
        paper: Gray level of the paper (white paper is never 255 in a photo).
    """
    page = pdf_to_images(pdf, dpi=dpi, first_only=True)[0].convert("L")
    return page.point(lambda v: round(v * paper / 255))


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
