"""The Vietnamese wording of a receipt, shared by the printed form and chat.

:func:`receipt_sheet` lays out Mẫu 01 (Circular 01/2018/TT-VPCP, 2018 layout;
vn-one-stop-rules.md §2.2) as labelled lines; :func:`receipt_text` joins them
for a chat message. The sheet holds the applicant's personal data: show it
only to staff or to a verified holder of the receipt (a valid QR tag).
"""

from __future__ import annotations

import attrs

from tthc_core.calendar import Duration
from tthc_core.document_text import format_date_vi, format_instant_vi, place_date_vi
from tthc_core.party import ReturnChannel
from tthc_core.receipt._model import DEFAULT_DESK_NAME, Receipt

__all__ = [
    "RECEIPT_TITLE",
    "RECEIVING_UNIT_LABEL",
    "ReceiptSheet",
    "format_date_vi",
    "format_duration_vi",
    "format_instant_vi",
    "format_vnd",
    "receipt_sheet",
    "receipt_text",
]

#: The form's title.
RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
#: The body's first line (Mẫu 01, 2018 layout): the unit that receives the dossier.
RECEIVING_UNIT_LABEL = "Bộ phận tiếp nhận và trả kết quả"


def format_duration_vi(duration: Duration) -> str:
    """``"05 ngày làm việc"``, ``"08 giờ làm việc"``, ``"30 ngày"`` or ``"trong ngày"``."""
    return duration.label_vi


def format_vnd(amount: int) -> str:
    """``"1.250.000 đồng"`` (dot as thousands separator)."""
    return f"{amount:,} đồng".replace(",", ".")


@attrs.frozen
class ReceiptSheet:
    """The wording of Mẫu 01, section by section.

    Args:
        agency_lines: Header, left: the agency and its desk, in capitals.
        place_date: Header, right: ``"<place>, ngày … tháng … năm …"``, the
            place name first (``ReceivingAgency.place_name``).
        title: The form's title.
        code_line: ``"Mã hồ sơ: …"``.
        fields: The body, as (label, value) pairs, in print order, starting
            with "Bộ phận tiếp nhận và trả kết quả".
        documents: Item 1's list, one line per document.
        items: Items 2-6, as (label, value) pairs.
        log_book: ``"Vào Sổ theo dõi hồ sơ, Quyển số: …, Số thứ tự: …"``.
        fees: The fee line, if there are fees.
        notes: The notes printed at the foot.
        signatures: The two signature captions.
        officer: The receiving officer's name (under the right signature).
        form_label: ``"Mẫu 01 – …"``.
    """

    agency_lines: tuple[str, ...]
    place_date: str
    title: str
    code_line: str
    fields: tuple[tuple[str, str], ...]
    documents: tuple[str, ...]
    items: tuple[tuple[str, str], ...]
    log_book: str
    fees: str | None
    notes: tuple[str, ...]
    signatures: tuple[str, str]
    officer: str
    form_label: str


def _receiving_unit(receipt: Receipt) -> str:
    agency = receipt.agency
    if agency.desk_name == DEFAULT_DESK_NAME:
        return agency.name
    return f"{agency.desk_name} – {agency.name}"


def _collect_at(receipt: Receipt) -> str:
    if receipt.return_channel is ReturnChannel.DESK:
        return f"{receipt.agency.desk_name} – {receipt.agency.name}"
    address = receipt.postal_address
    if receipt.return_channel is ReturnChannel.POSTAL and address is not None:
        return (
            f"{receipt.return_channel.label_vi}, gửi {address.recipient}, {address.street} "
            f"(mã xã/phường {address.ward_code}, mã tỉnh {address.province_code}), "
            f"ĐT {address.phone}"
        )
    return receipt.return_channel.label_vi


def receipt_sheet(receipt: Receipt) -> ReceiptSheet:
    """Lay out a receipt as Mẫu 01.

    Args:
        receipt: The receipt.
    """
    applicant = receipt.applicant
    place = receipt.agency.place_name
    documents = tuple(
        f"{i}. {d.name} ({d.copy_type.label_vi.lower()}: {d.count:02d})"
        for i, d in enumerate(receipt.documents, start=1)
    )
    fees = (
        "Phí, lệ phí: "
        + "; ".join(f"{f.name}: {format_vnd(f.amount_vnd)}" for f in receipt.fees)
        + f" (tổng cộng {format_vnd(sum(f.amount_vnd for f in receipt.fees))})"
        if receipt.fees
        else None
    )
    return ReceiptSheet(
        agency_lines=(receipt.agency.name.upper(), receipt.agency.desk_name.upper()),
        place_date=place_date_vi(place, receipt.received_at),
        title=RECEIPT_TITLE,
        code_line=f"Mã hồ sơ: {receipt.dossier_code}",
        fields=(
            (RECEIVING_UNIT_LABEL, _receiving_unit(receipt)),
            ("Tiếp nhận hồ sơ của", applicant.name),
            ("Địa chỉ", applicant.address or "—"),
            ("Số điện thoại", applicant.phone or "—"),
            ("Email", applicant.email or "—"),
            (
                "Nội dung yêu cầu giải quyết",
                f"{receipt.procedure_name} (mã thủ tục {receipt.procedure_code})",
            ),
        ),
        documents=documents,
        items=(
            ("2. Số lượng hồ sơ", f"{receipt.sets:02d} (bộ)"),
            (
                "3. Thời gian giải quyết hồ sơ theo quy định là",
                format_duration_vi(receipt.processing_time),
            ),
            ("4. Thời gian nhận hồ sơ", format_instant_vi(receipt.received_at)),
            ("5. Thời gian trả kết quả giải quyết hồ sơ", format_instant_vi(receipt.due_at)),
            ("6. Đăng ký nhận kết quả tại", _collect_at(receipt)),
        ),
        log_book=(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {receipt.log_book.volume}, "
            f"Số thứ tự: {receipt.log_book.number:02d}"
        ),
        fees=fees,
        notes=(
            "Giấy này lập thành 02 liên: 01 liên giao người nộp hồ sơ, 01 liên chuyển kèm "
            "Phiếu kiểm soát quá trình giải quyết hồ sơ và lưu tại Bộ phận Một cửa.",
            "Quét mã QR để tra cứu tình trạng hồ sơ. Mang theo giấy này và giấy tờ tùy thân "
            "khi nhận kết quả.",
        ),
        signatures=("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"),
        officer=receipt.officer,
        form_label=receipt.form_label,
    )


def receipt_text(receipt: Receipt) -> str:
    """The receipt as plain Vietnamese text (for chat), NFC.

    Args:
        receipt: The receipt.
    """
    sheet = receipt_sheet(receipt)
    lines = [
        *sheet.agency_lines,
        sheet.place_date,
        "",
        sheet.title,
        sheet.code_line,
        *(f"{label}: {value}" for label, value in sheet.fields),
        "1. Thành phần hồ sơ nộp gồm:",
        *(f"   {d}" for d in sheet.documents),
        *(f"{label}: {value}" for label, value in sheet.items),
    ]
    if sheet.fees:
        lines.append(sheet.fees)
    lines += [sheet.log_book, f"Người tiếp nhận hồ sơ: {sheet.officer}"]
    return "\n".join(lines)
