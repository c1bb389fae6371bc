"""The printable receipt: an A5 PDF of Mẫu 01 with its QR code, via fpdf2.

Circular 01/2018/TT-VPCP Art. 9 prints the one-stop forms on A5; Art. 19(2)
allows a QR code next to the dossier code. Text is set in DejaVu Serif
Condensed (bundled with its licence in ``fonts/``), which covers every
Vietnamese letter; fpdf2 embeds only the glyphs used. The QR is drawn as
vector rectangles from the renderer's modules, so it prints sharp at any
resolution.
"""

from __future__ import annotations

from importlib import resources

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from tthc_adapters.qr._render import QrRenderer, QrSymbol, SegnoRenderer
from tthc_core.receipt import Receipt, ReceiptSheet, receipt_sheet

__all__ = ["QR_MM", "receipt_pdf"]

_FONT = "DejaVuSerifCondensed"
_MARGIN = 10.0
#: Printed width of the QR with its 4-module quiet zone, millimetres: 38 mm gives the
#: version-4 URL payload 0.93 mm modules (7.3 pixels at 200 dpi), the best read rate on
#: moderate phone photos among the sizes that keep Mẫu 01 on one A5 page (docs/receipt.md).
QR_MM = 38.0
_QUIET = 4
_SIZE = 9.0  # body font size, points
_LINE = 4.6  # body line height, mm


def _pdf() -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format=(148, 210))  # A5
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN)
    fonts = resources.files("tthc_adapters.qr") / "fonts"
    for style, suffix in (("", ""), ("B", "-Bold"), ("I", "-Italic")):
        with resources.as_file(fonts / f"{_FONT}{suffix}.ttf") as path:
            pdf.add_font("serif", style, str(path))
    pdf.set_title("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    pdf.set_creator("tthc")
    pdf.add_page()
    return pdf


def _draw_qr(pdf: FPDF, symbol: QrSymbol, x: float, y: float, qr_mm: float) -> None:
    module = qr_mm / (symbol.size + 2 * _QUIET)
    left, top = x + _QUIET * module, y + _QUIET * module
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(symbol.modules):
        c = 0
        while c < len(row):  # one rectangle per horizontal run of dark modules
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(left + start * module, top + r * module, (c - start) * module, module, "F")


def _label_value(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font("serif", "", _SIZE)
    pdf.write(_LINE, f"{label}: ")
    pdf.set_font("serif", "B", _SIZE)
    pdf.write(_LINE, value)
    pdf.ln(_LINE)


def _cell(pdf: FPDF, box: tuple[float, float, float], text: str, font: tuple[str, float]) -> None:
    """A centred, wrapping cell (``box`` = x, width, line height) leaving the cursor below it."""
    x, w, h = box
    style, size = font
    pdf.set_x(x)
    pdf.set_font("serif", style, size)
    pdf.multi_cell(w, h, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _header(pdf: FPDF, sheet: ReceiptSheet, width: float) -> None:
    """Agency and desk (left, 42 %); national motto, place and date (right, 58 %)."""
    left_w, right_w = 0.42 * width, 0.58 * width
    pdf.set_font("serif", "I", 6.5)
    pdf.cell(0, 3, sheet.form_label, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y()
    _cell(pdf, (_MARGIN, left_w, 4), sheet.agency_lines[0], ("", 8))
    _cell(pdf, (_MARGIN, left_w, 4), sheet.agency_lines[1], ("B", 8))
    left_bottom = pdf.get_y() + 1
    pdf.line(_MARGIN + left_w / 2 - 10, left_bottom, _MARGIN + left_w / 2 + 10, left_bottom)
    pdf.set_y(top)
    right = _MARGIN + left_w
    _cell(pdf, (right, right_w, 4), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ("B", 8.5))
    _cell(pdf, (right, right_w, 4.5), "Độc lập - Tự do - Hạnh phúc", ("B", 9))
    motto_bottom = pdf.get_y() + 0.3
    pdf.line(right + right_w / 2 - 19, motto_bottom, right + right_w / 2 + 19, motto_bottom)
    pdf.set_y(motto_bottom + 1.5)
    _cell(pdf, (right, right_w, 4), sheet.place_date, ("I", 8.5))
    pdf.set_y(max(left_bottom, pdf.get_y()) + 3)


def _title_and_qr(
    pdf: FPDF, sheet: ReceiptSheet, symbol: QrSymbol, width: float, qr_mm: float
) -> None:
    """Title and code at the left, the QR at the right, its caption outside the quiet zone."""
    top = pdf.get_y()
    _draw_qr(pdf, symbol, pdf.w - _MARGIN - qr_mm, top, qr_mm)
    pdf.set_xy(pdf.w - _MARGIN - qr_mm, top + qr_mm)
    pdf.set_font("serif", "I", 6.5)
    pdf.cell(qr_mm, 3, "Quét mã để tra cứu hồ sơ", align=Align.C)
    text_width = width - qr_mm - 2
    head, _, tail = sheet.title.partition(" VÀ ")
    pdf.set_y(top + 2)
    _cell(pdf, (_MARGIN, text_width, 6), head, ("B", 12.5))
    _cell(pdf, (_MARGIN, text_width, 6), f"VÀ {tail}", ("B", 12.5))
    _cell(pdf, (_MARGIN, text_width, 6), sheet.code_line, ("B", 10.5))
    _cell(pdf, (_MARGIN, text_width, 4.5), "(Liên: Giao người nộp hồ sơ)", ("I", 8.5))
    pdf.set_y(max(pdf.get_y(), top + qr_mm + 3) + 1)


def _body(pdf: FPDF, sheet: ReceiptSheet, width: float) -> None:
    """The applicant's fields, items 1-6, fees and the log-book line."""
    pdf.set_font("serif", "", _SIZE)
    for label, value in sheet.fields:  # from "Bộ phận tiếp nhận và trả kết quả: …"
        _label_value(pdf, label, value)
    pdf.set_font("serif", "", _SIZE)
    pdf.multi_cell(
        width, _LINE, "1. Thành phần hồ sơ nộp gồm:", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    for document in sheet.documents:
        pdf.set_x(_MARGIN + 5)
        pdf.multi_cell(width - 5, _LINE, document, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for label, value in sheet.items:
        _label_value(pdf, label, value)
    pdf.set_font("serif", "", _SIZE)
    for line in (sheet.fees, sheet.log_book):
        if line:
            pdf.multi_cell(width, _LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _signatures(pdf: FPDF, sheet: ReceiptSheet, applicant: str, half: float) -> None:
    """The applicant's and the officer's signature blocks, names below the space to sign."""
    top = pdf.get_y() + 1.5
    for i, (caption, name) in enumerate(
        zip(sheet.signatures, (applicant, sheet.officer), strict=True)
    ):
        x = _MARGIN + i * half
        pdf.set_y(top)
        _cell(pdf, (x, half, 4.5), caption, ("B", 9))
        _cell(pdf, (x, half, 3.8), "(Ký và ghi rõ họ tên)", ("I", 7.5))
        pdf.set_y(pdf.get_y() + 11)
        _cell(pdf, (x, half, 4.5), name, ("B", 9.5))
    pdf.ln(2)


def receipt_pdf(
    receipt: Receipt,
    qr_payload: str,
    renderer: QrRenderer | None = None,
    *,
    qr_mm: float = QR_MM,
) -> bytes:
    """Render Mẫu 01 on A5 with the receipt QR.

    Args:
        receipt: The receipt.
        qr_payload: The QR text, from ``ReceiptCodec.url`` (or ``compact``).
        renderer: The QR renderer (segno by default).
        qr_mm: Printed width of the QR with its quiet zone (docs/receipt.md: print design).

    Raises:
        QrTooLarge: If the payload needs a QR version above 5.
    """
    sheet = receipt_sheet(receipt)
    symbol = (renderer or SegnoRenderer()).symbol(qr_payload)
    pdf = _pdf()
    width = pdf.w - 2 * _MARGIN
    _header(pdf, sheet, width)
    _title_and_qr(pdf, sheet, symbol, width, qr_mm)
    _body(pdf, sheet, width)
    _signatures(pdf, sheet, receipt.applicant.name, width / 2)
    pdf.set_font("serif", "I", 7)
    for note in sheet.notes:
        pdf.multi_cell(width, 3.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
