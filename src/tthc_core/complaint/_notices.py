"""The written notices and decisions a case event issues, as data.

Each entry names the paper the agency sends when the event happens and the
article that requires it in writing. The wording of the official templates
(Circular 05/2021/TT-TTCP for complaints and denunciations) is not in the
project's reference; the pages print the content the article requires — who,
what, why, the period — under these titles.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from tthc_core.complaint import _events as ev
from tthc_core.complaint._kinds import CaseKind

__all__ = ["CaseNotice", "notice_for"]


@attrs.frozen
class CaseNotice:
    """A paper an event issues.

    Args:
        title_vi: Its Vietnamese title.
        rule: The article that requires it (English, for code and docs).
        rule_vi: The same citation as a Vietnamese document writes it, printed
            on the paper's "Căn cứ" line ("Điều 29 Luật Tố cáo số 25/2018/QH14").
    """

    title_vi: str
    rule: str
    rule_vi: str


_KN = "Law on Complaints 02/2011/QH13"
_TC = "Law on Denunciations 25/2018/QH14"
_PAKN = "Decree 20/2008/NĐ-CP Art. 9"
_SUSPEND_KN = (
    f"{_KN} Art. 11a (added by Law 136/2025/QH15); Decree 124/2020/NĐ-CP Art. 28a-28b "
    "(added by Decree 155/2026/NĐ-CP Art. 12)"
)
_SUSPEND_TC = f"{_TC} Art. 34"
_KN_VI = "Luật Khiếu nại số 02/2011/QH13"
_TC_VI = "Luật Tố cáo số 25/2018/QH14"
_PAKN_VI = "Điều 9 Nghị định số 20/2008/NĐ-CP"
_SUSPEND_KN_VI = (
    f"Điều 11a {_KN_VI} (được bổ sung bởi Luật số 136/2025/QH15); Điều 28a, Điều 28b "
    "Nghị định số 124/2020/NĐ-CP (được bổ sung bởi Điều 12 Nghị định số 155/2026/NĐ-CP)"
)
_SUSPEND_TC_VI = f"Điều 34 {_TC_VI}"


def _suspension_basis(kind: CaseKind) -> tuple[str, str]:
    """The articles on suspending and ending the handling of a case of ``kind``.

    A complaint: Law on Complaints Art. 11a and Decree 124/2020 Art. 28a-28b; a
    denunciation: Law on Denunciations Art. 34. Petitions and feedback have no
    article of their own; their papers cite both texts, as before.
    """
    if kind is CaseKind.COMPLAINT:
        return _SUSPEND_KN, _SUSPEND_KN_VI
    if kind is CaseKind.DENUNCIATION:
        return _SUSPEND_TC, _SUSPEND_TC_VI
    return f"{_SUSPEND_KN}; {_SUSPEND_TC}", f"{_SUSPEND_KN_VI}; {_SUSPEND_TC_VI}"


def _accepted(kind: CaseKind) -> CaseNotice:
    if kind is CaseKind.COMPLAINT:
        return CaseNotice(
            "Thông báo về việc thụ lý giải quyết khiếu nại",
            f"{_KN} Art. 27, 36",
            f"Điều 27, Điều 36 {_KN_VI}",
        )
    if kind is CaseKind.DENUNCIATION:
        return CaseNotice("Quyết định thụ lý tố cáo", f"{_TC} Art. 29", f"Điều 29 {_TC_VI}")
    return CaseNotice("Thông báo tiếp nhận xử lý phản ánh, kiến nghị", _PAKN, _PAKN_VI)


def _declined(kind: CaseKind) -> CaseNotice:
    if kind is CaseKind.COMPLAINT:
        return CaseNotice(
            "Thông báo về việc không thụ lý giải quyết khiếu nại",
            f"{_KN} Art. 27",
            f"Điều 27 {_KN_VI}",
        )
    if kind is CaseKind.DENUNCIATION:
        return CaseNotice(
            "Thông báo về việc không thụ lý tố cáo", f"{_TC} Art. 29", f"Điều 29 {_TC_VI}"
        )
    return CaseNotice("Thông báo không tiếp nhận phản ánh, kiến nghị", _PAKN, _PAKN_VI)


def _extended(kind: CaseKind) -> CaseNotice:
    if kind is CaseKind.DENUNCIATION:
        return CaseNotice(
            "Quyết định gia hạn giải quyết tố cáo",
            f"{_TC} Art. 30(2)-(4)",
            f"các khoản 2, 3 và 4 Điều 30 {_TC_VI}",
        )
    return CaseNotice(
        "Thông báo áp dụng thời hạn giải quyết vụ việc phức tạp",
        f"{_KN} Art. 28, 37",
        f"Điều 28, Điều 37 {_KN_VI}",
    )


def _forwarded(kind: CaseKind) -> CaseNotice:
    if kind is CaseKind.DENUNCIATION:
        rule, rule_vi = f"{_TC} Art. 24(2)", f"khoản 2 Điều 24 {_TC_VI}"
    elif kind is CaseKind.COMPLAINT:
        # The article on forwarding a complaint outside the receiver's competence is
        # not in the project's reference; the slip says so rather than cite a guess.
        rule = f"{_KN} (điều khoản về chuyển đơn cần đối chiếu)"
        rule_vi = f"{_KN_VI} (điều khoản về chuyển đơn cần đối chiếu)"
    else:
        rule, rule_vi = f"{_PAKN}(1)(d)", f"điểm d khoản 1 {_PAKN_VI}"
    return CaseNotice("Phiếu chuyển đơn", rule, rule_vi)


def _suspended(kind: CaseKind) -> CaseNotice:
    return CaseNotice("Quyết định tạm đình chỉ việc giải quyết", *_suspension_basis(kind))


def _resumed(_: CaseKind) -> CaseNotice:
    return CaseNotice(
        "Quyết định tiếp tục giải quyết",
        "Decree 124/2020/NĐ-CP Art. 28b(2), added by Decree 155/2026/NĐ-CP Art. 12",
        "khoản 2 Điều 28b Nghị định số 124/2020/NĐ-CP "
        "(được bổ sung bởi Điều 12 Nghị định số 155/2026/NĐ-CP)",
    )


def _withdrawn(kind: CaseKind) -> CaseNotice | None:
    """The withdrawal is recorded in writing (Law on Complaints Art. 10; Denunciations Art. 33)."""
    if kind is CaseKind.COMPLAINT:
        return CaseNotice("Thông báo về việc rút khiếu nại", f"{_KN} Art. 10", f"Điều 10 {_KN_VI}")
    if kind is CaseKind.DENUNCIATION:
        return CaseNotice("Thông báo về việc rút tố cáo", f"{_TC} Art. 33", f"Điều 33 {_TC_VI}")
    return None  # petitions and feedback: no written form in the law


def _terminated(kind: CaseKind) -> CaseNotice:
    return CaseNotice("Quyết định đình chỉ việc giải quyết", *_suspension_basis(kind))


_NOTICES: dict[type[ev.CaseEvent], Callable[[CaseKind], CaseNotice | None]] = {
    ev.CaseAccepted: _accepted,
    ev.CaseNotAccepted: _declined,
    ev.CaseForwarded: _forwarded,
    ev.DeadlineExtended: _extended,
    ev.CaseSuspended: _suspended,
    ev.CaseResumed: _resumed,
    ev.CaseWithdrawn: _withdrawn,
    ev.CaseTerminated: _terminated,
}


def notice_for(event: ev.CaseEvent, kind: CaseKind) -> CaseNotice | None:
    """The paper ``event`` issues for a case of ``kind``, or None if it issues none.

    Args:
        event: A case event from the audit trail.
        kind: The case's kind.
    """
    make = _NOTICES.get(type(event))
    return None if make is None else make(kind)
