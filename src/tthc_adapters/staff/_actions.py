"""The dossier actions of the staff pages, as data: who may do each, and the command it makes.

Each :class:`DossierAction` names the permission it needs
(:data:`tthc_core.accounts.PERMISSIONS`), the dossier command it builds from
the submitted form, and its Vietnamese label. Whether the dossier's state
accepts that command is the dossier's transition table's business
(:func:`tthc_core.dossier.accepted_commands`); the page offers only actions
both allow, and the service layer checks again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import attrs

from tthc_core.accounts import Account, Action
from tthc_core.calendar import VN_TZ
from tthc_core.dossier import (
    AskToComplete,
    Command,
    ConfirmPayment,
    Dossier,
    HandOver,
    ReceiveDossier,
    ReceiveSupplement,
    RefuseAfterAppraisal,
    RefuseAtIntake,
    RequestPayment,
    RequestSupplement,
    Reschedule,
    Resolve,
    ReturnAtDesk,
    accepted_commands,
)
from tthc_core.errors import InvalidInput

__all__ = ["ACTIONS", "DossierAction", "Form", "available_actions", "next_step_unit"]

Form = Mapping[str, str]


@attrs.frozen
class DossierAction:
    """One action on a dossier page.

    Args:
        name: Its URL segment.
        label_vi: The button's label.
        permission: What the officer's role must allow.
        command: The command class it makes.
        build: Makes the command from the form (raises ``InvalidInput``).
    """

    name: str
    label_vi: str
    permission: Action
    command: type[Command]
    build: Callable[[Form, Account], Command]


def _text(form: Form, field: str, what: str) -> str:
    value = form.get(field, "").strip()
    if not value:
        raise InvalidInput(f"{what} không được để trống")
    return value


def _hand_over(form: Form, _: Account) -> Command:
    officer = form.get("to_officer", "").strip() or None
    return HandOver(
        _text(form, "to_unit", "Đơn vị nhận"), to_officer=officer, note=form.get("note", "")
    )


def _amount(form: Form) -> int:
    text = form.get("amount_vnd", "").replace(".", "").replace(",", "").strip()
    if not text.isdigit():
        raise InvalidInput("Số tiền phải là số đồng, không âm (vd: 30000 hoặc 30.000)")
    return int(text)


def _supplement(form: Form, _: Account) -> Command:
    return RequestSupplement(_items(form), _text(form, "reason", "Lý do"))


def _reschedule(form: Form, _: Account) -> Command:
    try:
        day = dt.date.fromisoformat(form.get("new_date", ""))
        time = dt.time.fromisoformat(form.get("new_time", "") or "16:00")
    except ValueError:
        raise InvalidInput("Ngày giờ hẹn mới không hợp lệ (ngày dd/mm/yyyy, giờ hh:mm)") from None
    new_due = dt.datetime.combine(day, time, tzinfo=VN_TZ)
    return Reschedule(new_due, _text(form, "reason", "Lý do"))


def _items(form: Form) -> tuple[str, ...]:
    items = tuple(line.strip() for line in form.get("items", "").splitlines() if line.strip())
    if not items:
        raise InvalidInput("Cần ghi ít nhất một giấy tờ cần bổ sung, mỗi dòng một giấy tờ")
    return items


#: Every dossier action of the staff pages, in the order the page lists them.
ACTIONS: tuple[DossierAction, ...] = (
    # An online submission waits for the desk (Decree 61/2018 Art. 17(2)).
    DossierAction(
        "receive_online",
        "Tiếp nhận hồ sơ trực tuyến",
        Action.RECEIVE,
        ReceiveDossier,
        lambda _, account: ReceiveDossier(account.unit, officer=account.display_name),
    ),
    DossierAction(
        "ask_to_complete",
        "Hướng dẫn bổ sung khi tiếp nhận (Mẫu 02)",
        Action.RECEIVE,
        AskToComplete,
        lambda form, account: AskToComplete(
            _items(form), _text(form, "reason", "Lý do"), officer=account.display_name
        ),
    ),
    DossierAction(
        "refuse_at_intake",
        "Từ chối tiếp nhận (Mẫu 03)",
        Action.RECEIVE,
        RefuseAtIntake,
        lambda form, account: RefuseAtIntake(
            _text(form, "reason", "Lý do"), officer=account.display_name
        ),
    ),
    DossierAction("hand_over", "Chuyển hồ sơ", Action.HAND_OVER, HandOver, _hand_over),
    DossierAction(
        "request_supplement",
        "Yêu cầu bổ sung (Mẫu 02)",
        Action.REQUEST_SUPPLEMENT,
        RequestSupplement,
        _supplement,
    ),
    DossierAction(
        "receive_supplement",
        "Đã nhận hồ sơ bổ sung",
        Action.RECEIVE_SUPPLEMENT,
        ReceiveSupplement,
        lambda _, __: ReceiveSupplement(),
    ),
    DossierAction(
        "refuse",
        "Từ chối giải quyết (Mẫu 03)",
        Action.REFUSE,
        RefuseAfterAppraisal,
        lambda form, _: RefuseAfterAppraisal(_text(form, "reason", "Lý do")),
    ),
    DossierAction(
        "reschedule", "Xin lỗi và hẹn lại (Mẫu 04)", Action.RESCHEDULE, Reschedule, _reschedule
    ),
    DossierAction(
        "resolve",
        "Đã có kết quả",
        Action.RESOLVE,
        Resolve,
        lambda form, _: Resolve(form.get("note", "")),
    ),
    DossierAction(
        "request_payment",
        "Yêu cầu nộp phí, lệ phí",
        Action.RECORD_FEES,
        RequestPayment,
        lambda form, _: RequestPayment(_amount(form), _text(form, "reason", "Khoản thu")),
    ),
    DossierAction(
        "confirm_payment",
        "Đã thu phí, lệ phí",
        Action.RECORD_FEES,
        ConfirmPayment,
        lambda _, __: ConfirmPayment(),
    ),
    DossierAction(
        "return_at_desk",
        "Đã trả kết quả tại Bộ phận Một cửa",
        Action.RETURN_AT_DESK,
        ReturnAtDesk,
        lambda _, __: ReturnAtDesk(),
    ),
)


def available_actions(dossier: Dossier, account: Account) -> tuple[DossierAction, ...]:
    """The actions ``account`` may take on ``dossier`` in its current state."""
    accepted = accepted_commands(dossier.state)
    return tuple(a for a in ACTIONS if a.command in accepted and account.may(a.permission))


def next_step_unit(dossier: Dossier) -> str | None:
    """The unit of the procedure's next step (the default handover), if the template has one."""
    index = len(dossier.sheet)
    return dossier.steps[index].unit if 0 <= index < len(dossier.steps) else None
