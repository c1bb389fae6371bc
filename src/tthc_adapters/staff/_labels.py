"""Vietnamese names of dossier events, for the audit trail on a dossier's page."""

from __future__ import annotations

from tthc_core.events import DomainEvent

__all__ = ["event_label"]

_LABELS = {
    "DossierSubmitted": "Nộp hồ sơ",
    "DossierReceived": "Tiếp nhận hồ sơ, cấp giấy tiếp nhận (Mẫu 01)",
    "DossierCompletionRequested": "Hướng dẫn bổ sung khi tiếp nhận (Mẫu 02)",
    "DossierResubmitted": "Nộp lại hồ sơ đã bổ sung",
    "DossierRefusedAtIntake": "Từ chối tiếp nhận (Mẫu 03)",
    "DossierHandedOver": "Chuyển hồ sơ",
    "DossierSupplementRequested": "Yêu cầu bổ sung hồ sơ (Mẫu 02)",
    "DossierSupplementReceived": "Nhận hồ sơ bổ sung",
    "DossierPaymentRequested": "Yêu cầu nộp phí, lệ phí",
    "DossierPaymentConfirmed": "Đã nộp phí, lệ phí",
    "DossierWithdrawalRequested": "Công dân xin rút hồ sơ",
    "DossierStopped": "Dừng giải quyết hồ sơ",
    "DossierRefusedAfterAppraisal": "Từ chối giải quyết (Mẫu 03)",
    "DossierRescheduled": "Xin lỗi và hẹn lại ngày trả (Mẫu 04)",
    "DossierResolved": "Đã có kết quả",
    "DossierResultReturnedAtDesk": "Trả kết quả tại Bộ phận Một cửa",
    "DossierResultDispatchedByPost": "Gửi kết quả qua bưu chính",
    "DossierPostalDeliveryConfirmed": "Bưu chính đã phát kết quả",
    "DossierParcelReturned": "Bưu gửi kết quả bị hoàn lại",
    "DossierReturnChannelChosen": "Chọn hình thức nhận kết quả",
    "DossierResultDeliveredElectronically": "Trả kết quả điện tử",
}


def event_label(event: DomainEvent) -> str:
    """The event's Vietnamese name (its type name if it has none yet)."""
    name = type(event).__name__
    return _LABELS.get(name, name)
