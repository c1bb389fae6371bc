"""Vocabulary of citizen cases: kinds, levels, states, steps, channels, agencies.

A *case* is one message a citizen sends that an agency must answer within a
statutory time: service feedback (góp ý), a petition on administrative
regulations (phản ánh, kiến nghị — Decree 20/2008/NĐ-CP), a complaint
(khiếu nại — Law on Complaints 02/2011/QH13) at the first or second level, or a
denunciation (tố cáo — Law on Denunciations 25/2018/QH14). Every citizen-facing
label here is Vietnamese, NFC, with diacritics.
"""

from __future__ import annotations

import enum
import re

import attrs

from tthc_core.codes import AgencyCode
from tthc_core.errors import InvalidInput
from tthc_core.text import nfc
from tthc_core.validators import non_blank as _not_blank

__all__ = [
    "Attachment",
    "CaseKind",
    "CaseState",
    "Channel",
    "ComplaintLevel",
    "ReceivingAgency",
    "Step",
    "Variant",
]


class CaseKind(enum.Enum):
    """What the citizen sent; each kind has its own law, table and deadlines."""

    SERVICE_FEEDBACK = "service_feedback"  # góp ý về chất lượng phục vụ (a dossier, a desk)
    PETITION = "petition"  # phản ánh, kiến nghị về quy định hành chính (Decree 20/2008)
    COMPLAINT = "complaint"  # khiếu nại (Law on Complaints 2011)
    DENUNCIATION = "denunciation"  # tố cáo (Law on Denunciations 2018)

    @property
    def label_vi(self) -> str:
        """The Vietnamese name shown to citizens."""
        return _KIND_LABELS[self]

    @property
    def needs_identity(self) -> bool:
        """Whether the sender must give at least a name and an address.

        Law on Complaints 2011 Art. 8(2) (đơn khiếu nại ghi rõ tên, địa chỉ của người
        khiếu nại) and Law on Denunciations 2018 Art. 23(1) (họ tên, địa chỉ của người
        tố cáo). An unsigned denunciation is only "thông tin có nội dung tố cáo"
        (Art. 25), not a case under this lifecycle.
        """
        return self in (CaseKind.COMPLAINT, CaseKind.DENUNCIATION)


_KIND_LABELS = {
    CaseKind.SERVICE_FEEDBACK: "Góp ý về chất lượng phục vụ",
    CaseKind.PETITION: "Phản ánh, kiến nghị về quy định hành chính",
    CaseKind.COMPLAINT: "Khiếu nại",
    CaseKind.DENUNCIATION: "Tố cáo",
}


class ComplaintLevel(enum.Enum):
    """Complaint level (lần giải quyết), Law on Complaints 2011 Art. 7."""

    FIRST = "first"  # giải quyết khiếu nại lần đầu
    SECOND = "second"  # giải quyết khiếu nại lần hai

    @property
    def label_vi(self) -> str:
        """``"Khiếu nại lần đầu"`` or ``"Khiếu nại lần hai"``."""
        return "Khiếu nại lần đầu" if self is ComplaintLevel.FIRST else "Khiếu nại lần hai"


class CaseState(enum.Enum):
    """Where a case is in its lifecycle (one enum; each kind's table uses a subset)."""

    RECEIVED = "received"  # đã tiếp nhận, chờ phân loại
    ACCEPTED = "accepted"  # thụ lý / nhận xử lý
    NOT_ACCEPTED = "not_accepted"  # không thụ lý (with the reason)
    FORWARDED = "forwarded"  # chuyển cơ quan có thẩm quyền
    ASSIGNED = "assigned"  # giao đơn vị xử lý
    VERIFYING = "verifying"  # xác minh
    DIALOGUE = "dialogue"  # đối thoại
    SUSPENDED = "suspended"  # tạm đình chỉ
    RESOLVED = "resolved"  # đã trả lời / quyết định giải quyết / kết luận
    PUBLISHED = "published"  # đã gửi, công khai kết quả
    CLOSED = "closed"  # kết thúc
    WITHDRAWN = "withdrawn"  # rút đơn
    TERMINATED = "terminated"  # đình chỉ giải quyết

    def label_vi(self, kind: CaseKind) -> str:
        """The Vietnamese label for ``kind`` (some states read differently per kind).

        Args:
            kind: The case kind the label is for.
        """
        return _STATE_LABEL_OVERRIDES.get((self, kind), _STATE_LABELS[self])


_STATE_LABELS = {
    CaseState.RECEIVED: "Đã tiếp nhận",
    CaseState.ACCEPTED: "Đã thụ lý",
    CaseState.NOT_ACCEPTED: "Không thụ lý",
    CaseState.FORWARDED: "Đã chuyển cơ quan có thẩm quyền",
    CaseState.ASSIGNED: "Đã giao đơn vị xử lý",
    CaseState.VERIFYING: "Đang xác minh",
    CaseState.DIALOGUE: "Đang đối thoại",
    CaseState.SUSPENDED: "Tạm đình chỉ",
    CaseState.RESOLVED: "Đã có quyết định giải quyết",
    CaseState.PUBLISHED: "Đã công khai kết quả",
    CaseState.CLOSED: "Đã kết thúc",
    CaseState.WITHDRAWN: "Đã rút đơn",
    CaseState.TERMINATED: "Đình chỉ giải quyết",
}
_STATE_LABEL_OVERRIDES = {
    **{
        (CaseState.ACCEPTED, k): "Đã tiếp nhận xử lý"
        for k in (CaseKind.SERVICE_FEEDBACK, CaseKind.PETITION)
    },
    **{
        (CaseState.NOT_ACCEPTED, k): "Không tiếp nhận"
        for k in (CaseKind.SERVICE_FEEDBACK, CaseKind.PETITION)
    },
    **{
        (CaseState.RESOLVED, k): "Đã trả lời"
        for k in (CaseKind.SERVICE_FEEDBACK, CaseKind.PETITION)
    },
    (CaseState.RESOLVED, CaseKind.DENUNCIATION): "Đã có kết luận nội dung tố cáo",
    (CaseState.WITHDRAWN, CaseKind.DENUNCIATION): "Đã rút tố cáo",
}


class Step(enum.Enum):
    """A step that carries a statutory time limit (a row key of the law table)."""

    ACCEPT = "accept"  # decide to accept or not (thụ lý / xử lý ban đầu)
    FORWARD = "forward"  # forward to the competent agency (chuyển đơn)
    RESOLVE = "resolve"  # answer or decide (giải quyết / trả lời)
    PUBLISH = "publish"  # send or publish the result (gửi, công khai)
    ESCALATE = "escalate"  # the citizen's window for a second-level complaint


class Variant(enum.Enum):
    """Which limit of a step applies: the ordinary one or a longer, justified one."""

    ORDINARY = "ordinary"
    MULTI_SITE = "multi_site"  # verification at several places (Law on Denunciations Art. 24(1))
    COMPLEX = "complex"  # vụ việc phức tạp
    ESPECIALLY_COMPLEX = "especially_complex"  # vụ việc đặc biệt phức tạp


class Channel(enum.Enum):
    """How the case reached the agency."""

    CHAT = "chat"
    DESK = "desk"
    WEB = "web"
    OPEN311 = "open311"
    POST = "post"
    PHONE = "phone"  # recorded in writing by the officer (Decree 20/2008 Art. 6)


@attrs.frozen
class ReceivingAgency:
    """The agency that receives and must answer the case.

    Args:
        code: Its electronic identifier (Decision 20/2020/QĐ-TTg).
        name: Its Vietnamese name, shown as Open311 ``agency_responsible``.
        remote_area: Whether it sits in a remote, hard-to-reach area (vùng sâu, vùng
            xa đi lại khó khăn), which lengthens complaint limits (Law on Complaints
            2011 Art. 28, 33, 37).
    """

    code: AgencyCode
    name: str = attrs.field(converter=nfc, validator=_not_blank)
    remote_area: bool = False


_URI_OR_ID = re.compile(r"\S{1,2048}")


@attrs.frozen
class Attachment:
    """A reference to a file held elsewhere (never the bytes).

    Args:
        ref: A URI (``https://…``, ``zalo://…``) or a storage id, without spaces.
        media_type: Its MIME type, if known.
    """

    ref: str = attrs.field()
    media_type: str | None = None

    @ref.validator
    def _check_ref(self, _: object, value: object) -> None:
        if not isinstance(value, str) or not _URI_OR_ID.fullmatch(value):
            raise InvalidInput(
                f"attachment {value!r} must be a URI or an id (1-2048 characters, no "
                "spaces); pass a reference to the stored file, not its bytes"
            )
