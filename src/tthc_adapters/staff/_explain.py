"""Vietnamese explanations of refused actions, for officers (the core's messages are English)."""

from __future__ import annotations

from tthc_core.dossier import (
    ChannelNotOffered,
    CommandOutOfOrder,
    RescheduleRefused,
    ReturnChannelMismatch,
    StepTemplateMismatch,
    TransitionNotAllowed,
)
from tthc_core.errors import DomainRuleViolation, InvalidInput, TthcError

__all__ = ["explain"]


def explain(error: TthcError) -> str:
    """What to tell the officer about ``error``: the reason in Vietnamese, then the detail."""
    if isinstance(error, TransitionNotAllowed):
        head = f"hồ sơ đang ở trạng thái «{error.state.label_vi}», không nhận thao tác này"
    elif isinstance(error, RescheduleRefused):
        head = (
            "chỉ được xin lỗi và hẹn lại một lần, và ngày hẹn mới phải sau hạn hiện tại "
            "(Nghị định 61/2018/NĐ-CP Điều 19 khoản 9)"
        )
    elif isinstance(error, StepTemplateMismatch):
        head = "hồ sơ phải chuyển đến đơn vị của bước tiếp theo trong quy trình nội bộ"
    elif isinstance(error, ReturnChannelMismatch):
        head = "công dân không đăng ký nhận kết quả theo hình thức này (Mẫu 01 mục 6)"
    elif isinstance(error, ChannelNotOffered):
        head = "thủ tục không áp dụng hình thức này (Quyết định 45/2016/QĐ-TTg)"
    elif isinstance(error, CommandOutOfOrder):
        head = "thời điểm thao tác trước thao tác gần nhất của hồ sơ; ghi theo đúng thứ tự"
    elif isinstance(error, DomainRuleViolation):
        head = "quy định không cho phép thao tác này"
    elif isinstance(error, InvalidInput):
        head = "dữ liệu không hợp lệ"
    else:
        head = "có lỗi"
    return f"{head[0].upper()}{head[1:]}. Chi tiết: {error}"
