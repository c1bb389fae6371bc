"""What the desk says to citizens: Vietnamese texts, NFC, with full diacritics.

Every reply a citizen reads in chat is built here, from values the core has
already checked, so no exception text, English or stack trace reaches a chat.
A status reply built from a :class:`~tthc_core.dossier.StatusView` carries no
name, phone or address: a typed dossier code alone reveals status only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tthc_core.calendar import YearStatus, to_local
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.complaint import Step
from tthc_core.dossier import DossierState, StatusView, Timeliness
from tthc_core.party import ReturnChannel
from tthc_core.text import nfc

__all__ = [
    "channel_chosen",
    "choice_not_possible",
    "dossier_not_found",
    "feedback_received",
    "followed",
    "format_instant",
    "help_text",
    "invalid_code",
    "linked",
    "lookups_spent",
    "phone_linked",
    "photo_unreadable",
    "result_ready",
    "scan_rejected",
    "shipment_update",
    "status_reply",
    "which_dossier",
]

_PART_VI = {
    "format": "không đúng dạng <mã cơ quan>-YYMMDD-XXXX",
    "agency": "phần mã cơ quan không đúng",
    "date": "phần ngày tiếp nhận (YYMMDD) không đúng",
    "sequence": "phần số thứ tự (4 chữ số) không đúng",
}


def format_instant(instant: dt.datetime) -> str:
    """``"16 giờ 30 phút, ngày 04/12/2026"``, in Vietnam time (the wording of Mẫu 01).

    A day-counted period ends at 24:00 of its last day (Civil Code 2015 Art. 148),
    held as the exclusive 00:00 of the next day; it reads ``"hết ngày 08/12/2026"``.
    """
    local = to_local(instant)
    if local.time() == dt.time(0, 0):
        return f"hết ngày {_day(local - dt.timedelta(days=1))}"
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {_day(local)}"


def _day(moment: dt.datetime) -> str:
    """``dd/mm/yyyy`` (by hand: ``strftime`` is slow enough to show in every chat answer)."""
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}"


def status_reply(view: StatusView) -> str:
    """The status of a dossier for anyone holding its code (no personal data).

    Args:
        view: The dossier's public status.
    """
    lines = [f"Hồ sơ {view.code}: {view.label_vi}."]
    if view.label_vi != view.national_label_vi:
        lines.append(f"Trạng thái trên Cổng dịch vụ công: {view.national_label_vi}.")
    if view.holder_unit and not view.state.is_final:
        lines.append(f"Đơn vị đang giữ hồ sơ: {view.holder_unit}.")
    if view.due_at is not None:
        expected = f" ({YearStatus.PROVISIONAL.label_vi})" if view.due_provisional else ""
        lines.append(f"Hẹn trả kết quả: {format_instant(view.due_at)}{expected}.")
    if view.timeliness is not None:
        lines.append(f"Tiến độ: {_timeliness_vi(view.timeliness)}.")
    if view.state is DossierState.RESOLVED:
        lines.append("Kết quả đã sẵn sàng.")
    return nfc("\n".join(lines))


def _timeliness_vi(value: Timeliness) -> str:
    if value is Timeliness.IN_TIME:
        return "trong hạn"
    if value is Timeliness.OVERDUE:
        return "quá hạn (đơn vị giải quyết phải xin lỗi và hẹn lại ngày trả kết quả)"
    return value.label_vi.lower()


def dossier_not_found(code: DossierCode) -> str:
    """No dossier has this code here."""
    return nfc(
        f"Không tìm thấy hồ sơ {code}. Ông/bà vui lòng kiểm tra lại mã hồ sơ trên "
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
    )


def invalid_code(error: InvalidDossierCode) -> str:
    """A code-shaped text that is not a valid code, with what to fix."""
    return nfc(
        f"Mã hồ sơ chưa đúng: {_PART_VI[error.part]}. Ví dụ mã hợp lệ: 000.00.15.H12-240307-0005."
    )


def help_text() -> str:
    """What the Official Account understands."""
    return nfc(
        "Xin chào! Để tra cứu hồ sơ, ông/bà gửi mã hồ sơ (ví dụ 000.00.15.H12-240307-0005) "
        "hoặc ảnh chụp mã QR trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.\n"
        "Để góp ý, phản ánh về việc giải quyết hồ sơ, gửi: GÓP Ý <mã hồ sơ> <nội dung>."
    )


def followed(agency_name: str) -> str:
    """Welcome to a new follower of the Official Account, and how to look a dossier up."""
    return nfc(f"Cảm ơn ông/bà đã quan tâm Official Account của {agency_name}.\n" + help_text())


def photo_unreadable() -> str:
    """A photo in which no receipt QR could be read."""
    return nfc(
        "Không đọc được mã QR trong ảnh. Ông/bà vui lòng chụp lại rõ nét, đủ sáng, để mã QR "
        "trên Giấy tiếp nhận nằm trọn trong ảnh, hoặc gửi mã hồ sơ để tra cứu."
    )


def phone_linked(count: int) -> str:
    """After the citizen shared their phone: how many dossiers they now follow (no codes)."""
    if count == 0:
        return nfc(
            "Chưa có hồ sơ nào đứng tên số điện thoại này. Ông/bà có thể gửi mã hồ sơ hoặc "
            "ảnh mã QR trên Giấy tiếp nhận để tra cứu."
        )
    return nfc(
        f"Đã xác nhận số điện thoại. Ông/bà sẽ nhận thông báo về {count} hồ sơ đứng tên "
        "số điện thoại này."
    )


def linked(code: DossierCode) -> str:
    """The chat account now follows the dossier."""
    return nfc(f"Đã xác thực Giấy tiếp nhận. Ông/bà sẽ nhận thông báo khi hồ sơ {code} có kết quả.")


def scan_rejected() -> str:
    """A QR that is not a genuine receipt of this desk."""
    return nfc(
        "Mã QR này không phải mã trên Giấy tiếp nhận do Bộ phận Một cửa cấp, hoặc đã bị "
        "sửa đổi. Ông/bà vui lòng gửi mã hồ sơ để tra cứu."
    )


def result_ready(code: DossierCode, *, postal_allowed: bool) -> str:
    """The result is ready: how does the citizen want it?"""
    text = f"Hồ sơ {code} đã có kết quả."
    if postal_allowed:
        text += (
            "\nTrả lời 1 để nhận kết quả qua dịch vụ bưu chính công ích (phí do người "
            "nhận trả), hoặc 2 để nhận trực tiếp tại Bộ phận Một cửa."
        )
    else:
        text += "\nÔng/bà vui lòng đến Bộ phận Một cửa để nhận kết quả."
    return nfc(text)


def channel_chosen(code: DossierCode, channel: ReturnChannel) -> str:
    """The choice was recorded."""
    return nfc(f"Đã ghi nhận: hồ sơ {code} — {channel.label_vi.lower()}.")


def which_dossier(codes: Sequence[DossierCode], channel: ReturnChannel) -> str:
    """Several followed dossiers await a choice: ask which one, with an example answer."""
    answer = "1" if channel is ReturnChannel.POSTAL else "2"
    listed = "\n".join(f"- {code}" for code in codes)
    return nfc(
        f"Ông/bà có {len(codes)} hồ sơ đã có kết quả:\n{listed}\n"
        f"Vui lòng trả lời kèm mã hồ sơ, ví dụ: {answer} {codes[0]}"
    )


def choice_not_possible(reason_vi: str) -> str:
    """A choice that cannot be recorded, with why."""
    return nfc(f"Chưa ghi nhận được lựa chọn: {reason_vi}")


def shipment_update(code: DossierCode, state: DossierState) -> str:
    """The dossier's postal return moved on."""
    if state is DossierState.IN_POSTAL_DELIVERY:
        return nfc(f"Kết quả hồ sơ {code} đã được giao cho bưu điện để chuyển phát.")
    if state is DossierState.RESULT_RETURNED:
        return nfc(f"Kết quả hồ sơ {code} đã được giao đến người nhận.")
    return nfc(
        f"Bưu điện chưa giao được kết quả hồ sơ {code} và đã chuyển về Bộ phận Một cửa. "
        "Trả lời 1 để gửi lại qua bưu điện, hoặc 2 để nhận tại Bộ phận Một cửa."
    )


def feedback_received(case_id: str, due_at: dt.datetime | None, *, step: Step | None) -> str:
    """A feedback message was logged; says which statutory step is due when."""
    text = f"Đã tiếp nhận góp ý, phản ánh của ông/bà (số {case_id})."
    if due_at is not None:
        what = "Hạn trả lời" if step is Step.RESOLVE else "Hạn xem xét, thụ lý"
        text += f" {what}: {format_instant(due_at)}."
    return nfc(text)


def lookups_spent() -> str:
    """The sender has looked up too many dossiers for now (the look-up budget is spent)."""
    return nfc(
        "Tài khoản của ông/bà đã tra cứu nhiều hồ sơ trong thời gian ngắn. Để bảo vệ thông tin "
        "hồ sơ của người dân, hệ thống tạm ngừng tra cứu từ tài khoản này; ông/bà vui lòng thử "
        "lại sau, hoặc liên hệ Bộ phận Một cửa."
    )
