"""What the desk says in conversations: channel-neutral replies (Vietnamese, NFC).

The counterpart of :mod:`tthc_core.desk.messages` for replies with choices:
every button's payload is text the desk reads back (:mod:`tthc_core.conversation`'s
:data:`~tthc_core.conversation.CONFIRM`, :data:`~tthc_core.conversation.CANCEL`, …),
so a citizen without buttons can type the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tthc_core.catalogue import OnlineLevel, Procedure
from tthc_core.codes import DossierCode
from tthc_core.complaint import CaseKind, Step
from tthc_core.conversation import (
    CANCEL,
    CHANGE_ADDRESS,
    CONFIRM,
    KIND_PAYLOADS,
    MAX_BUTTON_TITLE,
    MAX_PHOTOS,
    Button,
    Buttons,
    FilingDraft,
    Reply,
    Text,
    split,
)
from tthc_core.conversation import Step as DialogueStep
from tthc_core.desk.messages import format_instant

__all__ = [
    "DESK_BUTTON",
    "POSTAL_BUTTON",
    "ask_content",
    "ask_identity_address",
    "ask_identity_name",
    "ask_kind",
    "ask_street",
    "cancelled",
    "case_answered",
    "confirm_postal",
    "expired",
    "filed",
    "filing_summary",
    "nothing_pending",
    "photo_added",
    "postal_booked",
    "procedure_answer",
    "procedure_choices",
    "procedure_unknown",
    "queued_for_staff",
    "result_ready",
    "staff_answer",
    "too_many_photos",
]

#: The result-ready buttons' titles.
POSTAL_BUTTON = "Bưu điện"
DESK_BUTTON = "Nhận tại bộ phận một cửa"
_CANCEL_BUTTON = Button(CANCEL, CANCEL)
_CONFIDENTIAL = (
    "Họ tên, địa chỉ, bút tích và thông tin cá nhân khác của người tố cáo được giữ bí mật "
    "(Điều 9 và Điều 47 Luật Tố cáo số 25/2018/QH14)."
)


def _vnd(amount: int) -> str:
    """``30.000 đồng`` (Vietnamese thousands separator)."""
    return f"{amount:,} đồng".replace(",", ".")


def result_ready(code: DossierCode, due_at: dt.datetime | None, *, postal_allowed: bool) -> Reply:
    """The result is ready: the return choice as buttons, and the promised date."""
    text = f"Hồ sơ {code} đã có kết quả."
    if due_at is not None:
        text += f" Hẹn trả kết quả: {format_instant(due_at)}."
    if not postal_allowed:
        return Text(text + "\nÔng/bà vui lòng đến Bộ phận Một cửa để nhận kết quả.")
    text += (
        "\nÔng/bà muốn nhận kết quả qua dịch vụ bưu chính công ích (cước do người nhận trả) "
        "hay nhận trực tiếp tại Bộ phận Một cửa?"
    )
    return Buttons(
        text,
        (
            Button(POSTAL_BUTTON, f"{POSTAL_BUTTON} {code}"),
            Button(DESK_BUTTON, f"Nhận tại một cửa {code}"),
        ),
    )


def ask_kind() -> Reply:
    """Which kind of message the citizen files."""
    buttons = [Button(payload, payload) for payload in KIND_PAYLOADS.values()]
    return Buttons(
        "Ông/bà muốn gửi nội dung gì? Chọn một mục (hoặc gõ số 1-4):\n"
        "1. Góp ý về chất lượng phục vụ\n2. Phản ánh, kiến nghị về quy định hành chính\n"
        "3. Khiếu nại\n4. Tố cáo",
        (*buttons, _CANCEL_BUTTON),
    )


def ask_content(kind: CaseKind) -> Reply:
    """The content, photos welcome."""
    return Buttons(
        f"{kind.label_vi}: vui lòng nhập nội dung (sự việc, thời gian, địa điểm, đề nghị). "
        f"Ông/bà có thể gửi kèm tối đa {MAX_PHOTOS} ảnh. Gõ “Hủy” để hủy.",
        (_CANCEL_BUTTON,),
    )


def ask_identity_name(kind: CaseKind) -> Reply:
    """The sender's full name (the law requires it), with the confidentiality notice."""
    law = (
        "Điều 23 Luật Tố cáo số 25/2018/QH14"
        if kind is CaseKind.DENUNCIATION
        else "Điều 8 Luật Khiếu nại số 02/2011/QH13"
    )
    text = f"Theo {law}, đơn phải ghi rõ họ tên và địa chỉ của người gửi. Vui lòng nhập họ và tên."
    if kind is CaseKind.DENUNCIATION:
        text += "\n" + _CONFIDENTIAL
    return Buttons(text, (_CANCEL_BUTTON,))


def ask_identity_address() -> Reply:
    """The sender's address."""
    return Buttons(
        "Vui lòng nhập địa chỉ liên hệ (số nhà, thôn/xóm, xã/phường, tỉnh/thành phố).",
        (_CANCEL_BUTTON,),
    )


def photo_added(count: int, step: DialogueStep) -> Reply:
    """A photo joined the draft; what is still expected."""
    text = f"Đã nhận ảnh ({count}/{MAX_PHOTOS})."
    if step is DialogueStep.FILING_CONTENT:
        text += " Vui lòng nhập nội dung."
    return Text(text)


def too_many_photos() -> Reply:
    """A photo beyond the limit: said, not dropped silently."""
    return Text(
        f"Mỗi đơn kèm tối đa {MAX_PHOTOS} ảnh; ảnh này chưa được đính kèm. Nếu cần gửi thêm "
        "tài liệu, ông/bà vui lòng nộp trực tiếp tại Bộ phận Một cửa."
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def filing_summary(draft: FilingDraft) -> Reply:
    """The summary to confirm."""
    kind = draft.kind.label_vi if draft.kind is not None else ""
    lines = [f"Vui lòng kiểm tra trước khi gửi:\nLoại: {kind}"]
    if draft.name:
        lines.append(f"Người gửi: {draft.name}")
    if draft.address:
        lines.append(f"Địa chỉ: {draft.address}")
    lines.append(f"Ảnh kèm theo: {len(draft.photos)}")
    lines.append("Bấm “Xác nhận” để gửi, hoặc “Hủy”.")
    room = 2000 - len("\n".join(lines)) - len("\nNội dung: ") - 4
    lines.insert(-2, f"Nội dung: {_short(draft.content, max(room, 80))}")
    return Buttons(split("\n".join(lines))[0], (Button(CONFIRM, CONFIRM), _CANCEL_BUTTON))


def filed(case_id: str, kind: CaseKind, due_at: dt.datetime | None, *, step: Step | None) -> Reply:
    """The receipt: the case number, and which statutory step is due when."""
    text = f"Đã tiếp nhận {kind.label_vi.lower()} của ông/bà. Số tiếp nhận: {case_id}."
    if due_at is not None:
        what = "Hạn trả lời" if step is Step.RESOLVE else "Hạn xem xét, thụ lý"
        text += f"\n{what}: {format_instant(due_at)}."
    if kind is CaseKind.DENUNCIATION:
        text += "\n" + _CONFIDENTIAL
    return Text(text + "\nKết quả sẽ được gửi đến ông/bà qua kênh này.")


def cancelled() -> Reply:
    """The dialogue was cancelled."""
    return Text("Đã hủy. Nội dung đang soạn không được gửi đi.")


def nothing_pending() -> Reply:
    """``xác nhận`` or ``hủy`` with nothing in progress (a double tap, a late answer)."""
    return Text(
        "Không có yêu cầu nào đang chờ xác nhận hoặc hủy. Các yêu cầu đã xác nhận trước đó "
        "vẫn được giữ nguyên."
    )


def expired() -> Reply:
    """The citizen came back after the dialogue's timeout."""
    return Text(
        "Yêu cầu ông/bà soạn trước đây đã hết hạn (quá 7 ngày không trả lời) và chưa được "
        "gửi đi. Ông/bà vui lòng bắt đầu lại nếu vẫn cần."
    )


def ask_street(area: str) -> Reply:
    """The street line for delivery, within the registered commune/ward and province."""
    return Buttons(
        f"Vui lòng nhập số nhà, đường, thôn/xóm để nhận kết quả tại {area}. "
        "Để nhận ở xã/phường khác, ông/bà vui lòng liên hệ Bộ phận Một cửa.",
        (_CANCEL_BUTTON,),
    )


def confirm_postal(code: DossierCode, address: str, postage_vnd: int | None) -> Reply:
    """The address and postage to confirm before the post is booked."""
    cost = (
        f"Cước phí: {_vnd(postage_vnd)}, người nhận trả khi nhận (Quyết định số 45/2016/QĐ-TTg)."
        if postage_vnd is not None
        else "Chưa tính được cước phí lúc này; cước theo bảng giá công bố của bưu điện, "
        "người nhận trả khi nhận."
    )
    return Buttons(
        f"Gửi kết quả hồ sơ {code} qua bưu điện đến:\n{address}\n{cost}\n"
        "Bấm “Xác nhận” để đăng ký, “Đổi địa chỉ” để nhập địa chỉ khác, hoặc “Hủy”.",
        (Button(CONFIRM, CONFIRM), Button(CHANGE_ADDRESS, CHANGE_ADDRESS), _CANCEL_BUTTON),
    )


def postal_booked(code: DossierCode, address: str) -> Reply:
    """The postal return is registered."""
    return Text(
        f"Đã đăng ký gửi kết quả hồ sơ {code} qua bưu điện đến: {address}. Ông/bà sẽ nhận "
        "thông báo khi bưu điện nhận và phát kết quả."
    )


def queued_for_staff() -> Reply:
    """The desk could not answer: staff will."""
    return Text(
        "Cảm ơn ông/bà. Câu hỏi đã được chuyển đến cán bộ Bộ phận Một cửa; cán bộ sẽ trả lời "
        "trong giờ hành chính.\nĐể tra cứu hồ sơ, gửi mã hồ sơ hoặc ảnh mã QR trên Giấy tiếp "
        "nhận; để gửi phản ánh, khiếu nại, gõ “Gửi đơn”."
    )


def staff_answer(text: str) -> list[Reply]:
    """An officer's answer (split if long)."""
    return [Text(part) for part in split(f"Bộ phận Một cửa trả lời:\n{text}")]


def case_answered(case_id: str, summary: str) -> list[Reply]:
    """A case filed in chat was answered (the sender reads it)."""
    return [Text(part) for part in split(f"Kết quả giải quyết đơn số {case_id}:\n{summary}")]


def _fee(procedure: Procedure) -> str:
    if not procedure.fees or procedure.total_fee_vnd == 0:
        return "Không mất phí, lệ phí."
    parts = [f"{f.name}: {_vnd(f.amount_vnd)}" for f in procedure.fees]
    return "; ".join(parts) + "."


_ONLINE = {
    OnlineLevel.FULL: "toàn trình (nộp và nhận kết quả trực tuyến)",
    OnlineLevel.PARTIAL: "một phần (nộp hồ sơ trực tuyến, nhận kết quả tại Bộ phận Một cửa)",
    OnlineLevel.NONE: "chưa cung cấp trực tuyến",
}


def procedure_answer(procedure: Procedure, *, where: str) -> list[Reply]:
    """Documents, fee, time limit, where to file and online level of one procedure."""
    lines = [
        f"Thủ tục: {procedure.name} (mã {procedure.code.national}, lĩnh vực {procedure.sector})."
    ]
    if procedure.documents:
        lines.append("Thành phần hồ sơ:")
        lines += [
            f"- {d.name} ({d.copy_type.label_vi.lower()}, {d.count} bản)"
            for d in procedure.documents
        ]
    lines.append(f"Lệ phí: {_fee(procedure)}")
    lines.append(f"Thời hạn giải quyết: {procedure.processing_time.label_vi}.")
    lines.append(f"Nơi nộp: {where}.")
    if procedure.postal_intake or procedure.postal_return:
        lines.append("Có thể nộp hồ sơ hoặc nhận kết quả qua dịch vụ bưu chính công ích.")
    lines.append(f"Dịch vụ công trực tuyến: {_ONLINE[procedure.online_level]}.")
    return [Text(part) for part in split("\n".join(lines))]


def procedure_choices(procedures: Sequence[Procedure]) -> Reply:
    """Several procedures match: choose one."""
    listed = "\n".join(f"{i}. {p.name}" for i, p in enumerate(procedures, 1))
    buttons = tuple(
        Button(_short(p.name, MAX_BUTTON_TITLE), f"Thủ tục {p.code.national}") for p in procedures
    )
    return Buttons(split(f"Ông/bà hỏi về thủ tục nào?\n{listed}")[0], buttons)


def procedure_unknown() -> Reply:
    """A procedure question the catalogue cannot answer (staff will)."""
    return Text(
        "Chưa tìm thấy thủ tục phù hợp trong danh mục của Bộ phận Một cửa. Câu hỏi đã được "
        "chuyển đến cán bộ để trả lời."
    )
