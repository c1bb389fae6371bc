"""The case actions of the staff pages and the API, as data, and the one function that applies them.

Each :class:`CaseAction` is one :class:`tthc_core.complaint.CaseCommand`: the
permission it needs (:data:`tthc_core.accounts.PERMISSIONS`) and how it builds
the core command from the submitted form. Which commands the case's kind,
state and clock allow is the core's business
(:func:`tthc_core.complaint.open_commands`); the page offers only those, and
the command checks its rule again when applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tthc_core import complaint as cp
from tthc_core.accounts import Account, Accounts, Action
from tthc_core.calendar import Deadlines
from tthc_core.codes import AgencyCode
from tthc_core.desk import Desk, ask_after_case, notify_case_sender
from tthc_core.errors import InvalidInput
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "CASE_ACTIONS",
    "CASE_ACTIONS_BY_NAME",
    "CaseAction",
    "CaseNotFound",
    "apply_case_action",
    "case_actions_for",
]

Form = Mapping[str, str]
Apply = Callable[[cp.Case, Form, Account, Deadlines, dt.datetime], Any]


class CaseNotFound(InvalidInput):
    """No case has this id."""


@attrs.frozen
class CaseAction:
    """One action on a case.

    Args:
        command: The core command.
        permission: What the officer's role must allow.
        apply: Applies the command from the form: ``(case, form, officer,
            calendar, now) -> (case, events)``.
    """

    command: cp.CaseCommand
    permission: Action
    apply: Apply

    @property
    def name(self) -> str:
        """Its URL segment."""
        return self.command.value

    @property
    def label_vi(self) -> str:
        """The button's label."""
        return self.command.label_vi


def _required(form: Form, field: str, what: str) -> str:
    value = form.get(field, "").strip()
    if not value:
        raise InvalidInput(f"{what} không được để trống")
    return value


def _variant(form: Form) -> cp.Variant:
    try:
        return cp.Variant(form.get("variant", "").strip())
    except ValueError:
        names = ", ".join(v.value for v in cp.Variant if v is not cp.Variant.ORDINARY)
        raise InvalidInput(f"Loại gia hạn phải là một trong: {names}") from None


def _escalate(case: cp.Case, form: Form, _: Account, d: Deadlines, t: dt.datetime) -> Any:
    to = cp.ReceivingAgency(
        AgencyCode.parse(_required(form, "agency_code", "Mã định danh cơ quan giải quyết lần hai")),
        _required(form, "agency_name", "Tên cơ quan giải quyết lần hai"),
        remote_area=form.get("remote_area", "").strip().lower() in ("on", "true", "1"),
    )
    text = form.get("decision_received_on", "").strip()
    try:
        received = dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise InvalidInput("Ngày nhận quyết định lần đầu không hợp lệ (yyyy-mm-dd)") from None
    return cp.escalate(case, at=t, to=to, deadlines=d, decision_received_on=received)


_C = cp.CaseCommand
_H = Action.HANDLE_CASES
#: Every case action, in the order the case page lists them.
CASE_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(_C.ACCEPT, _H, lambda c, f, a, d, t: cp.accept(c, at=t, deadlines=d)),
    CaseAction(
        _C.DECLINE,
        _H,
        lambda c, f, a, d, t: cp.decline(c, at=t, reason=_required(f, "reason", "Lý do")),
    ),
    CaseAction(
        _C.FORWARD,
        _H,
        lambda c, f, a, d, t: cp.forward(
            c,
            at=t,
            to=_required(f, "to", "Cơ quan có thẩm quyền"),
            reason=_required(f, "reason", "Lý do chuyển đơn"),
            deadlines=d,
        ),
    ),
    CaseAction(
        _C.ASSIGN,
        _H,
        lambda c, f, a, d, t: cp.assign(
            c, at=t, unit=a.unit, handler=f.get("handler", "").strip() or a.username
        ),
    ),
    CaseAction(_C.VERIFY, _H, lambda c, f, a, d, t: cp.start_verification(c, at=t)),
    CaseAction(
        _C.DIALOGUE,
        _H,
        lambda c, f, a, d, t: cp.hold_dialogue(
            c, at=t, record_ref=f.get("record_ref", "").strip() or None
        ),
    ),
    CaseAction(
        _C.EXTEND,
        _H,
        lambda c, f, a, d, t: cp.extend(
            c,
            at=t,
            variant=_variant(f),
            reason=_required(f, "reason", "Lý do gia hạn"),
            deadlines=d,
        ),
    ),
    CaseAction(
        _C.SUSPEND,
        _H,
        lambda c, f, a, d, t: cp.suspend(
            c, at=t, reason=_required(f, "reason", "Căn cứ tạm đình chỉ"), deadlines=d
        ),
    ),
    CaseAction(_C.RESUME, _H, lambda c, f, a, d, t: cp.resume(c, at=t, deadlines=d)),
    CaseAction(
        _C.RESOLVE,
        _H,
        lambda c, f, a, d, t: cp.resolve(
            c,
            at=t,
            summary=_required(f, "summary", "Kết quả"),
            deadlines=d,
            document_ref=f.get("document_ref", "").strip() or None,
        ),
    ),
    CaseAction(_C.PUBLISH, _H, lambda c, f, a, d, t: cp.publish(c, at=t)),
    CaseAction(_C.CLOSE, _H, lambda c, f, a, d, t: cp.close(c, at=t)),
    CaseAction(_C.ESCALATE, _H, _escalate),
    CaseAction(
        _C.WITHDRAW,
        _H,
        lambda c, f, a, d, t: cp.withdraw(c, at=t, reason=f.get("reason", "")),
    ),
    CaseAction(
        _C.TERMINATE,
        _H,
        lambda c, f, a, d, t: cp.terminate(
            c, at=t, reason=_required(f, "reason", "Căn cứ đình chỉ")
        ),
    ),
    CaseAction(
        _C.REOPEN,
        _H,
        lambda c, f, a, d, t: cp.reopen(
            c, at=t, reason=_required(f, "reason", "Lý do giải quyết lại"), deadlines=d
        ),
    ),
)
CASE_ACTIONS_BY_NAME = {a.name: a for a in CASE_ACTIONS}


def case_actions_for(case: cp.Case, account: Account, at: dt.datetime) -> tuple[CaseAction, ...]:
    """The actions ``account`` may take on ``case`` now."""
    open_now = set(cp.open_commands(case, at))
    return tuple(a for a in CASE_ACTIONS if a.command in open_now and account.may(a.permission))


def _check_handler(accounts: Accounts, form: Form) -> None:
    named = form.get("handler", "").strip()
    if not named:
        return
    other = accounts.get(named)
    if other is None or not other.active or not other.may(Action.HANDLE_CASES):
        raise InvalidInput(f"{named} không phải cán bộ xử lý đang hoạt động")


def apply_case_action(
    uow: UnitOfWork,
    accounts: Accounts,
    account: Account,
    case_id: str,
    *,
    action: CaseAction,
    form: Form,
    deadlines: Deadlines,
    at: dt.datetime,
    desk: Desk | None = None,
) -> cp.Case:
    """Apply ``action`` to the stored case and save it (the caller commits).

    With ``desk``, an answer (a resolution) also goes to the chat account that
    filed the case (:func:`tthc_core.desk.notify_case_sender`).

    Raises:
        CaseNotFound: No such case.
        TthcError: The command refused (the reason says why).
    """
    if action.command is cp.CaseCommand.ASSIGN:
        _check_handler(accounts, form)
    repository = uow.repository(COMPLAINTS)
    case = repository.get(case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id!r}")
    changed, events = action.apply(case, form, account, deadlines, at)
    saved = repository.save(changed, events)
    if desk is not None:
        notify_case_sender(uow, desk, saved, events)  # a case filed in chat
    ask_after_case(uow, saved, events, at=at)  # answered: its filer is asked to rate it
    return saved
