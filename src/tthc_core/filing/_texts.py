"""Every sentence the filing dialogue shows the citizen (Vietnamese, NFC).

One question at a time (:func:`prompt`), the summary to confirm
(:func:`summary`), and the reasons a message is refused.
"""

from __future__ import annotations

from tthc_core.catalogue import Procedure, RequiredDocument
from tthc_core.eform import FieldKind, FormField
from tthc_core.filing._lookup import chat_return_channels, document_of, field_of
from tthc_core.filing._model import Filing, Stage
from tthc_core.party import ReturnChannel
from tthc_core.text import nfc

__all__ = ["dong", "prompt", "summary"]

_SKIP = "gõ “bỏ qua” nếu không có"
_CANCEL = "Gõ “hủy” để dừng bất cứ lúc nào."


def dong(amount_vnd: int) -> str:
    """An amount in đồng as printed (``8.000 đồng``)."""
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"


def _return_options(channels: tuple[ReturnChannel, ...]) -> str:
    return "\n".join(f"{n}. {ch.label_vi}" for n, ch in enumerate(channels, 1))


def ask_return(procedure: Procedure) -> str:
    """The return-channel question."""
    channels = chat_return_channels(procedure)
    return nfc(
        "Ông/bà muốn nhận kết quả thế nào? Xin gõ số:\n"
        + _return_options(channels)
        + "\n(Muốn nhận qua bưu chính công ích, ông/bà chọn khi có kết quả.)"
    )


def _ask_field(filing: Filing, field: FormField) -> str:
    lines = [f"Câu {filing.field_index + 1}/{len(filing.fields)}: {field.label_vi}"]
    if field.kind is FieldKind.CHOICE:
        lines.append("Xin gõ số: " + "; ".join(f"{n}. {c}" for n, c in enumerate(field.choices, 1)))
    if field.kind is FieldKind.DATE and not field.help_vi:
        lines.append("Ghi theo dạng ngày/tháng/năm.")
    if field.help_vi:
        lines.append(field.help_vi)
    if not field.required:
        lines.append(f"(Không bắt buộc — {_SKIP}.)")
    return "\n".join(lines)


def _ask_document(filing: Filing, document: RequiredDocument) -> str:
    slot = filing.document_index
    lines = [
        f"Giấy tờ {slot + 1}/{filing.document_count}: {document.name} "
        f"({document.copy_type.label_vi.lower()}).",
        "Xin gửi ảnh chụp rõ nét hoặc tệp PDF; nhiều trang thì gửi lần lượt, gửi xong gõ “xong”.",
    ]
    sent = len(filing.documents_for(slot))
    if sent:
        lines.append(f"Đã nhận {sent} tệp cho giấy tờ này.")
    if document.reusable:
        lines.append("Gõ “dùng lại” để dùng bản đã nộp trong hồ sơ trước.")
    if not document.required:
        lines.append(f"(Không bắt buộc — {_SKIP}.)")
    return "\n".join(lines)


def prompt(filing: Filing, procedure: Procedure) -> str:
    """The one open question (or the summary), in Vietnamese."""
    match filing.stage:
        case Stage.FORM:
            text = _ask_field(filing, field_of(filing, procedure))
        case Stage.DOCUMENTS:
            text = _ask_document(filing, document_of(procedure, filing.document_index))
        case Stage.IDENTITY:
            text = (
                "Xin chia sẻ số điện thoại của người nộp hồ sơ (bấm “Chia sẻ thông tin” "
                "hoặc gõ số điện thoại), để cơ quan liên hệ khi cần."
            )
        case Stage.RETURN:
            text = ask_return(procedure)
        case Stage.CONFIRM:
            text = summary(filing, procedure)
        case Stage.SUBMITTED:
            text = (
                f"Hồ sơ đã được nộp, mã số {filing.dossier_code}, trạng thái: Mới đăng ký. "
                "Bộ phận Một cửa sẽ kiểm tra và gửi Giấy tiếp nhận cho ông/bà."
            )
        case Stage.SUPPLEMENTING:
            text = supplement_request(filing)
        case Stage.CANCELLED:
            text = "Việc nộp hồ sơ đã được hủy. Gõ “nộp hồ sơ” để bắt đầu lại."
    return nfc(text)


def summary(filing: Filing, procedure: Procedure) -> str:
    """The summary the citizen confirms before submitting."""
    answers = filing.answer_map
    lines = [f"Xin kiểm tra lại hồ sơ trước khi nộp.\nThủ tục: {procedure.name} ({procedure.code})"]
    lines += [
        f"- {f.label_vi}: {f.show(answers[f.name])}" for f in procedure.form if f.name in answers
    ]
    for slot, document in enumerate(procedure.documents):
        files = filing.documents_for(slot)
        reused = " (dùng lại)" if any(d.reused_from for d in files) else ""
        if files:
            lines.append(f"- {document.name}: {len(files)} tệp{reused}")
        else:
            lines.append(f"- {document.name}: không gửi (không bắt buộc)")
    early = filing.documents_for_none()
    if early:
        lines.append(f"- Tệp gửi thêm: {len(early)}")
    if filing.identity is not None:
        lines.append(f"- Số điện thoại: {filing.identity.phone}")
    if filing.return_channel is not None:
        lines.append(f"- Nhận kết quả: {filing.return_channel.label_vi}")
    fee = procedure.fee_due_vnd(answers)
    lines.append(
        f"- Phí, lệ phí: {dong(fee)}, nộp qua mã VietQR khi cơ quan yêu cầu."
        if fee
        else "- Phí, lệ phí: không phải nộp (miễn hoặc không thu)."
    )
    lines.append("Gõ “đồng ý” để nộp hồ sơ. " + _CANCEL)
    return nfc("\n".join(lines))


def supplement_request(filing: Filing) -> str:
    """The desk's request for documents, listing everything at once (đầy đủ một lần)."""
    items = "\n".join(f"- {item}" for item in filing.supplement_items)
    return nfc(
        f"Hồ sơ {filing.dossier_code} cần bổ sung (cơ quan liệt kê đầy đủ một lần):\n{items}\n"
        "Xin gửi ảnh chụp hoặc tệp PDF các giấy tờ trên, gửi xong gõ “xong”."
    )


def not_now(stage: Stage) -> str:
    """A message that does not fit the open question."""
    if stage is Stage.CANCELLED:
        return "Việc nộp hồ sơ này đã được hủy. Gõ “nộp hồ sơ” để bắt đầu lại."
    if stage is Stage.SUBMITTED:
        return "Hồ sơ đã được nộp; cơ quan sẽ báo khi cần bổ sung hoặc khi có kết quả."
    if stage is Stage.DOCUMENTS:
        return "Xin gửi ảnh hoặc tệp PDF của giấy tờ, hoặc gõ “xong” khi đã gửi đủ."
    return "Tin nhắn chưa khớp câu hỏi đang mở. " + _CANCEL


def required_field(field: FormField) -> str:
    """A required question the citizen tried to skip."""
    return nfc(f"“{field.label_vi}” là thông tin bắt buộc, xin ghi câu trả lời.")


def required_document(document: RequiredDocument) -> str:
    """A required document the citizen tried to pass without a file."""
    return nfc(f"“{document.name}” là giấy tờ bắt buộc, xin gửi ảnh chụp hoặc tệp PDF.")


def wrong_medium(document: RequiredDocument) -> str:
    """A file of a kind the document does not take."""
    kinds = " hoặc ".join(
        {"photo": "ảnh chụp", "pdf": "tệp PDF", "reuse": "bản dùng lại"}[m.value]
        for m in document.media
    )
    return nfc(f"“{document.name}” cần gửi dưới dạng {kinds}.")


def supplement_empty(filing: Filing) -> str:
    """“xong” before any supplement file arrived."""
    return nfc("Chưa nhận được tệp bổ sung nào. " + supplement_request(filing))


def not_online(procedure: Procedure) -> str:
    """A procedure without an online service."""
    return nfc(
        f"Thủ tục “{procedure.name}” chưa nhận hồ sơ trực tuyến. Ông/bà vui lòng nộp "
        "trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính công ích."
    )


def choose_procedure(names: list[tuple[str, str]]) -> str:
    """Which procedure to file: the online ones, by code and name."""
    listed = "\n".join(f"- {code}: {name}" for code, name in names)
    return nfc(
        "Ông/bà muốn nộp hồ sơ thủ tục nào? Xin gõ tên thủ tục (có dấu hoặc không) hoặc mã "
        f"thủ tục. Các thủ tục nhận hồ sơ trực tuyến:\n{listed}\n" + _CANCEL
    )


def several_procedures(names: list[tuple[str, str]]) -> str:
    """A name matching several procedures."""
    listed = "\n".join(f"- {code}: {name}" for code, name in names)
    return nfc(f"Có nhiều thủ tục khớp, xin gõ mã thủ tục:\n{listed}")


def no_procedure() -> str:
    """A name matching no online procedure."""
    return nfc(
        "Không tìm thấy thủ tục nhận hồ sơ trực tuyến khớp với tên này. Xin gõ “nộp hồ sơ” "
        "kèm tên hoặc mã thủ tục để thử lại, ví dụ: nộp hồ sơ đăng ký khai sinh."
    )


def started(procedure: Procedure) -> str:
    """The filing's first words."""
    return nfc(
        f"Bắt đầu nộp hồ sơ trực tuyến thủ tục “{procedure.name}”. Mỗi lần hỏi một câu; "
        "ông/bà có thể dừng và quay lại sau (gõ “nộp hồ sơ” để tiếp tục). " + _CANCEL
    )


def chosen_cancelled() -> str:
    """Cancelled before any procedure was chosen, or a filing cancelled."""
    return nfc("Đã dừng việc nộp hồ sơ. Gõ “nộp hồ sơ” khi muốn nộp lại.")


def file_received() -> str:
    """A file stored and attached."""
    return nfc("Đã nhận tệp.")


def no_open_filing() -> str:
    """A file sent while no filing is open."""
    return nfc(
        "Ông/bà chưa mở hồ sơ trực tuyến nào nên tệp này chưa được lưu. Gõ “nộp hồ sơ” để "
        "bắt đầu, rồi gửi giấy tờ khi được hỏi."
    )


def nothing_to_reuse(document: str) -> str:
    """“dùng lại” without an earlier file of that document."""
    return nfc(f"Chưa có “{document}” trong các hồ sơ trước của ông/bà. Xin gửi ảnh hoặc tệp PDF.")


def supplement_received(code: object) -> str:
    """The supplement is complete and back with the desk."""
    return nfc(
        f"Đã nhận đủ giấy tờ bổ sung cho hồ sơ {code}. Hồ sơ được chuyển lại cho cơ quan "
        "giải quyết; ông/bà sẽ được báo khi có kết quả."
    )


def needs_verified_identity() -> str:
    """A procedure that needs a verified electronic identity."""
    return nfc(
        "Thủ tục này cần xác thực bằng tài khoản định danh điện tử (VNeID mức 2). Xin gõ "
        "“vneid” để nhận đường dẫn xác thực."
    )


def no_identity_provider() -> str:
    """No electronic identity provider is configured here."""
    return nfc(
        "Cơ quan chưa kết nối xác thực định danh điện tử. Xin nộp hồ sơ thủ tục này trên Cổng "
        "Dịch vụ công quốc gia hoặc tại Bộ phận Một cửa."
    )


def verify_at(url: str) -> str:
    """Where to verify the identity."""
    return nfc(f"Xin mở đường dẫn sau để xác thực bằng tài khoản định danh điện tử: {url}")
