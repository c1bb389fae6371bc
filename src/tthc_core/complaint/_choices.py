"""What an officer may do next with a case, and how far the law lets a period be extended.

The commands themselves (:mod:`._commands`, :mod:`._escalation`) check every
rule when applied; this module answers the question a desk page asks before
that: which commands does the kind's transition table (:data:`TABLES`) allow
from the case's state now, and which longer limits does the law table
(:data:`LAW_TABLE`) offer for the running step.

Extension limits, by kind and regime (the row in force on the day the period
started, :attr:`Clock.rule_on`):

* complaints — the complex-case limit of the resolution step: first level
  30 → 45 days (remote 45 → 60), Law on Complaints 02/2011/QH13 Art. 28;
  second level 45 → 60 (remote 60 → 70), Art. 37; nothing else extends;
* denunciations — initial processing 7 → 10 working days when verified at
  several places (Law on Denunciations 25/2018/QH14 Art. 24(1)); resolution
  30 → 60 days for a complex case, → 90 for an especially complex one, each
  extension decision adding at most 30 days (Art. 30(1)-(3)), so the
  especially complex limit is reached only after the complex one;
* petitions and service feedback — no text lets the period be extended
  (Decree 20/2008/NĐ-CP; the 15 working days of Decision 766/QĐ-TTg are fixed).
"""

from __future__ import annotations

import datetime as dt
import enum

from tthc_core.calendar import to_local
from tthc_core.complaint._case import Case, Outcome
from tthc_core.complaint._commands import ANSWERED
from tthc_core.complaint._kinds import CaseKind, CaseState, ComplaintLevel, Step, Variant
from tthc_core.complaint._law import LawRule, rule_for
from tthc_core.complaint._table import TABLES

__all__ = ["MAX_EXTENSION_DAYS", "CaseCommand", "extension_options", "open_commands"]

#: One extension decision adds at most this many days to a denunciation's
#: resolution period (Law on Denunciations 25/2018/QH14 Art. 30(2)-(3)).
MAX_EXTENSION_DAYS = 30

S = CaseState


class CaseCommand(enum.Enum):
    """A command an officer can give on a case (one per function of this package)."""

    ACCEPT = "accept"  # thụ lý
    DECLINE = "decline"  # không thụ lý
    FORWARD = "forward"  # chuyển đơn đến cơ quan có thẩm quyền
    ASSIGN = "assign"  # giao xử lý
    VERIFY = "verify"  # xác minh
    DIALOGUE = "dialogue"  # đối thoại (complaints)
    EXTEND = "extend"  # gia hạn
    SUSPEND = "suspend"  # tạm đình chỉ
    RESUME = "resume"  # tiếp tục giải quyết
    RESOLVE = "resolve"  # giải quyết / trả lời / kết luận
    PUBLISH = "publish"  # gửi, công khai kết quả
    CLOSE = "close"  # kết thúc
    ESCALATE = "escalate"  # khiếu nại lần hai
    WITHDRAW = "withdraw"  # rút đơn (Law on Complaints Art. 10; Denunciations Art. 33)
    TERMINATE = "terminate"  # đình chỉ giải quyết (Complaints Art. 11a; Denunciations Art. 34)
    REOPEN = "reopen"  # giải quyết lại (Denunciations Art. 37; petitions)

    @property
    def label_vi(self) -> str:
        """The button's Vietnamese label."""
        return _LABELS[self]


_LABELS = {
    CaseCommand.ACCEPT: "Thụ lý",
    CaseCommand.DECLINE: "Không thụ lý",
    CaseCommand.FORWARD: "Chuyển đơn đến cơ quan có thẩm quyền",
    CaseCommand.ASSIGN: "Giao xử lý",
    CaseCommand.VERIFY: "Bắt đầu xác minh",
    CaseCommand.DIALOGUE: "Ghi nhận đối thoại",
    CaseCommand.EXTEND: "Gia hạn giải quyết",
    CaseCommand.SUSPEND: "Tạm đình chỉ giải quyết",
    CaseCommand.RESUME: "Tiếp tục giải quyết",
    CaseCommand.RESOLVE: "Ghi nhận kết quả giải quyết",
    CaseCommand.PUBLISH: "Gửi, công khai kết quả",
    CaseCommand.CLOSE: "Kết thúc",
    CaseCommand.ESCALATE: "Tiếp nhận khiếu nại lần hai",
    CaseCommand.WITHDRAW: "Ghi nhận rút đơn",
    CaseCommand.TERMINATE: "Đình chỉ giải quyết",
    CaseCommand.REOPEN: "Giải quyết lại",
}

#: The state each command leads to, and the states it starts from when the
#: table's edge into that state also serves another command.
_TARGETS: dict[CaseCommand, tuple[CaseState, frozenset[CaseState] | None]] = {
    CaseCommand.ACCEPT: (S.ACCEPTED, frozenset({S.RECEIVED})),
    CaseCommand.DECLINE: (S.NOT_ACCEPTED, None),
    CaseCommand.FORWARD: (S.FORWARDED, None),
    CaseCommand.ASSIGN: (S.ASSIGNED, frozenset({S.ACCEPTED, S.ASSIGNED})),
    CaseCommand.VERIFY: (S.VERIFYING, frozenset({S.ASSIGNED})),
    CaseCommand.DIALOGUE: (S.DIALOGUE, frozenset({S.VERIFYING})),
    CaseCommand.SUSPEND: (S.SUSPENDED, None),
    CaseCommand.RESOLVE: (S.RESOLVED, None),
    CaseCommand.PUBLISH: (S.PUBLISHED, None),
    CaseCommand.CLOSE: (S.CLOSED, None),
    CaseCommand.WITHDRAW: (S.WITHDRAWN, None),
    CaseCommand.TERMINATE: (S.TERMINATED, None),
}


def extension_options(case: Case) -> tuple[LawRule, ...]:
    """The law-table rows whose longer limit may now replace the running period's.

    Empty when no period runs, the case has ended, or the law sets no longer
    limit for this kind, step and regime. A denunciation's resolution period
    grows by at most :data:`MAX_EXTENSION_DAYS` per decision, so only the next
    variant is offered (complex, then especially complex).

    Args:
        case: The case.
    """
    clock = case.clock
    if clock is None or not case.is_open:
        return ()
    remote = case.agency.remote_area
    current = clock.limit.amount
    found: list[LawRule] = []
    for variant in Variant:
        rule = rule_for(case.kind, clock.step, clock.rule_on, level=case.level, variant=variant)
        if rule is None or rule.limit.unit is not clock.limit.unit:
            continue
        added = rule.limit_for(remote).amount - current
        if added <= 0:
            continue
        capped = case.kind is CaseKind.DENUNCIATION and clock.step is Step.RESOLVE
        if capped and added > MAX_EXTENSION_DAYS:
            continue
        found.append(rule)
    return tuple(found)


def _escalation_open(case: Case, at: dt.datetime) -> bool:
    """A first-level complaint decided, or whose resolution period has run out."""
    if case.kind is not CaseKind.COMPLAINT or case.level is not ComplaintLevel.FIRST:
        return False
    if not TABLES[case.kind].allows(case.state, S.RECEIVED):
        return False
    if case.outcome is Outcome.RESOLVED:
        return True
    clock = case.clock
    due = None if clock is None or clock.step is not Step.RESOLVE else clock.overdue_from
    return due is not None and to_local(at) >= due


def open_commands(case: Case, at: dt.datetime) -> tuple[CaseCommand, ...]:
    """The commands the case's kind, state and clock allow at ``at``, in page order.

    The commands check their rules again when applied (a second-level decision
    needs a dialogue, an escalation must come within its window).

    Args:
        case: The case.
        at: Now.
    """
    table = TABLES[case.kind]
    found: list[CaseCommand] = []
    for command in CaseCommand:
        if command in _TARGETS:
            target, sources = _TARGETS[command]
            ok = table.allows(case.state, target) and (sources is None or case.state in sources)
        elif command is CaseCommand.EXTEND:
            ok = bool(extension_options(case))
        elif command is CaseCommand.RESUME:
            ok = case.state is S.SUSPENDED and case.suspended_from is not None
        elif command is CaseCommand.REOPEN:
            target = S.ACCEPTED if case.kind is CaseKind.DENUNCIATION else S.ASSIGNED
            ok = case.state in ANSWERED and table.allows(case.state, target)
        else:  # ESCALATE
            ok = _escalation_open(case, at)
        if ok:
            found.append(command)
    return tuple(found)
