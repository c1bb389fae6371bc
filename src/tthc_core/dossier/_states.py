"""Dossier states, their national portal status codes, and intake channels.

The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG)
synchronises ten dossier statuses (1 Mới đăng ký ... 10 Đã trả kết quả); local
one-stop systems keep finer sub-states and map each to one of the ten (OpenCPS:
``interoperating`` and ``posting`` at another agency or in the post). Every
:class:`DossierState` names its national code and carries a Vietnamese label.

The receiving channel codes (``KenhThucHien``: 1 trực tiếp, 2 trực tuyến,
3 qua bưu chính công ích) are those of the portal and of the Decision
766/QĐ-TTg indicators.
"""

from __future__ import annotations

import enum

__all__ = ["Channel", "DossierState"]


class DossierState(enum.Enum):
    """Where a dossier is in its lifecycle (Decree 61/2018 Art. 17-20).

    ``SUBMITTED`` is the one initial state: every dossier is first registered in
    the one-stop e-system (Circular 01/2018 Art. 10) — online dossiers wait
    there for the desk; paper dossiers pass through it at the instant the desk
    receives, refuses or returns them for completion.
    """

    SUBMITTED = "submitted"
    INCOMPLETE_AT_INTAKE = "incomplete_at_intake"
    REFUSED_AT_INTAKE = "refused_at_intake"
    RECEIVED = "received"
    IN_PROCESSING = "in_processing"
    INTEROPERATING = "interoperating"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_PAYMENT = "awaiting_payment"
    WITHDRAWAL_REQUESTED = "withdrawal_requested"
    STOPPED = "stopped"
    REFUSED_AFTER_APPRAISAL = "refused_after_appraisal"
    RESOLVED = "resolved"
    IN_POSTAL_DELIVERY = "in_postal_delivery"
    RESULT_RETURNED = "result_returned"

    # Members are singletons compared by identity; hashing by identity (in C)
    # instead of Enum's hash of the name speeds up the transition-table lookup.
    __hash__ = object.__hash__

    @property
    def national_code(self) -> int:
        """The DVCQG synchronisation status code (1-10)."""
        return _NATIONAL_CODE[self]

    @property
    def national_label_vi(self) -> str:
        """The portal's Vietnamese label for :attr:`national_code`."""
        return NATIONAL_LABELS[_NATIONAL_CODE[self]]

    @property
    def label_vi(self) -> str:
        """This (possibly local) state's Vietnamese label."""
        return _LABELS[self]

    @property
    def is_final(self) -> bool:
        """Whether no command can leave this state."""
        return self in _FINAL

    @property
    def is_initial(self) -> bool:
        """Whether dossiers start here (only :attr:`SUBMITTED`)."""
        return self is DossierState.SUBMITTED


#: The national portal's status labels by code.
NATIONAL_LABELS: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

_S = DossierState
_NATIONAL_CODE = {
    _S.SUBMITTED: 1,
    # Asked to complete at intake (Decree 61/2018 Art. 17(1a), (2a)): the portal
    # shows it as waiting for documents.
    _S.INCOMPLETE_AT_INTAKE: 5,
    _S.REFUSED_AT_INTAKE: 3,
    _S.RECEIVED: 2,
    _S.IN_PROCESSING: 4,
    _S.INTEROPERATING: 4,  # still being processed, at a consulted agency
    _S.AWAITING_SUPPLEMENT: 5,
    _S.AWAITING_PAYMENT: 6,
    _S.WITHDRAWAL_REQUESTED: 7,
    _S.STOPPED: 8,
    # Mẫu 03 is the same refusal slip as at intake; vendors report 3 or 8.
    _S.REFUSED_AFTER_APPRAISAL: 3,
    _S.RESOLVED: 9,
    _S.IN_POSTAL_DELIVERY: 9,  # the result is ready; not returned until delivery is confirmed
    _S.RESULT_RETURNED: 10,
}

_LABELS = {
    _S.SUBMITTED: "Mới đăng ký",
    _S.INCOMPLETE_AT_INTAKE: "Yêu cầu hoàn thiện hồ sơ khi tiếp nhận",
    _S.REFUSED_AT_INTAKE: "Không được tiếp nhận",
    _S.RECEIVED: "Được tiếp nhận",
    _S.IN_PROCESSING: "Đang xử lý",
    _S.INTEROPERATING: "Đang xử lý liên thông tại cơ quan khác",
    _S.AWAITING_SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    _S.AWAITING_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    _S.WITHDRAWAL_REQUESTED: "Công dân yêu cầu rút hồ sơ",
    _S.STOPPED: "Dừng xử lý",
    _S.REFUSED_AFTER_APPRAISAL: "Từ chối giải quyết sau thẩm định",
    _S.RESOLVED: "Đã xử lý xong",
    _S.IN_POSTAL_DELIVERY: "Đang chuyển trả kết quả qua bưu chính công ích",
    _S.RESULT_RETURNED: "Đã trả kết quả",
}

_FINAL = frozenset(
    {_S.REFUSED_AT_INTAKE, _S.STOPPED, _S.REFUSED_AFTER_APPRAISAL, _S.RESULT_RETURNED}
)


class Channel(enum.Enum):
    """How the dossier was filed (the portal's ``KenhThucHien``)."""

    IN_PERSON = 1  # trực tiếp
    ONLINE = 2  # trực tuyến
    POSTAL = 3  # qua dịch vụ bưu chính công ích (Decision 45/2016/QĐ-TTg)

    @property
    def label_vi(self) -> str:
        """The Vietnamese wording."""
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.IN_PERSON: "Trực tiếp",
    Channel.ONLINE: "Trực tuyến",
    Channel.POSTAL: "Qua dịch vụ bưu chính công ích",
}

__all__ += ["NATIONAL_LABELS"]
