"""Feedback, petitions, complaints and denunciations: the case handler's queue and case pages.

Every case is shown through :func:`tthc_core.complaint.redact` with the
reader's role: the assigned handler reads the sender's identity and words;
other staff read them except on a denunciation, whose denouncer stays secret
(Law on Denunciations 25/2018/QH14 Art. 9(1)(b), 47(2), 56(1)). The case
commands are the pure functions of :mod:`tthc_core.complaint`, applied in a
unit of work that records the officer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import check_csrf
from tthc_core import complaint as cp
from tthc_core.accounts import Account, Action
from tthc_core.calendar import Deadlines
from tthc_core.desk import ask_after_case
from tthc_core.errors import InvalidInput, TthcError
from tthc_core.storage.kinds import COMPLAINTS

__all__ = ["CASE_ACTIONS", "case_action", "case_page", "cases_page", "viewer_of"]

Form = Mapping[str, str]
_FAR = dt.timedelta(days=3650)


@attrs.frozen
class CaseAction:
    """One action on a case page: its label and how it applies the case command."""

    name: str
    label_vi: str
    apply: Callable[[cp.Case, Form, Account, Deadlines, dt.datetime], Any]


def _required(form: Form, field: str, what: str) -> str:
    value = form.get(field, "").strip()
    if not value:
        raise InvalidInput(f"{what} không được để trống")
    return value


#: The case actions of the first slice (others: extend, suspend, forward, escalate, publish).
CASE_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction("accept", "Thụ lý", lambda c, f, a, d, t: cp.accept(c, at=t, deadlines=d)),
    CaseAction(
        "decline",
        "Không thụ lý",
        lambda c, f, a, d, t: cp.decline(c, at=t, reason=_required(f, "reason", "Lý do")),
    ),
    CaseAction(
        "assign",
        "Giao xử lý",
        lambda c, f, a, d, t: cp.assign(
            c, at=t, unit=a.unit, handler=f.get("handler", "").strip() or a.username
        ),
    ),
    CaseAction(
        "resolve",
        "Ghi nhận kết quả giải quyết",
        lambda c, f, a, d, t: cp.resolve(
            c, at=t, summary=_required(f, "summary", "Kết quả"), deadlines=d
        ),
    ),
    CaseAction("close", "Kết thúc", lambda c, f, a, d, t: cp.close(c, at=t)),
)
_BY_NAME = {a.name: a for a in CASE_ACTIONS}


def viewer_of(case: cp.Case, account: Account) -> cp.Viewer:
    """The reader's role for ``case``: its assigned handler, or other staff."""
    return cp.Viewer.HANDLER if case.handler == account.username else cp.Viewer.STAFF


async def cases_page(staff: Staff, request: Request) -> Response:
    """Open cases, soonest due first (overdue marked), each as this officer may see it."""
    account = staff.require(request, Action.HANDLE_CASES)
    now = staff.clock()

    def load() -> list[cp.Case]:
        with staff.store.unit_of_work() as uow:
            cases = uow.repository(COMPLAINTS).due_by(now + _FAR, limit=500)
        return [cp.redact(c, viewer_of(c, account)) for c in cases]

    cases = await run_in_threadpool(load)
    return staff.render(request, "cases.html", cases=cases, now=now)


def _load(staff: Staff, case_id: str) -> cp.Case:
    with staff.store.unit_of_work() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
    if case is None:
        raise HTTPException(404, "Không tìm thấy vụ việc.")
    return case


async def case_page(staff: Staff, request: Request) -> Response:
    """One case as this officer may see it, with its actions."""
    account = staff.require(request, Action.HANDLE_CASES)
    case = await run_in_threadpool(_load, staff, request.path_params["case_id"])
    viewer = viewer_of(case, account)
    return staff.render(
        request,
        "case.html",
        case=cp.redact(case, viewer),
        identity_hidden=not cp.may_read(case.kind, viewer),
        actions=CASE_ACTIONS,
        now=staff.clock(),
    )


async def case_action(staff: Staff, request: Request) -> Response:
    """Apply one case command as this officer."""
    account = staff.require(request, Action.HANDLE_CASES)
    action = _BY_NAME.get(request.path_params["action"])
    if action is None:
        raise HTTPException(404, "Không có thao tác này.")
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    case_id = request.path_params["case_id"]
    fields = {k: str(v) for k, v in form.items()}

    def run() -> str:
        at = staff.clock()
        named = fields.get("handler", "").strip()
        if action.name == "assign" and named:
            other = staff.accounts.get(named)
            if other is None or not other.active or not other.may(Action.HANDLE_CASES):
                return f"Không giao được: {named} không phải cán bộ xử lý đang hoạt động."
        with staff.unit_of_work(account) as uow:
            repository = uow.repository(COMPLAINTS)
            case = repository.get(case_id)
            if case is None:
                raise HTTPException(404, "Không tìm thấy vụ việc.")
            try:
                changed, events = action.apply(case, fields, account, staff.desk.deadlines, at)
            except TthcError as exc:
                return f"Không thực hiện được “{action.label_vi}”: {explain(exc)}"
            repository.save(changed, events)
            ask_after_case(uow, changed, events, at=at)  # answered: its filer rates it
            uow.commit()
        return f"Đã thực hiện: {action.label_vi}."

    message = await run_in_threadpool(run)
    return redirect(request, f"/cases/{case_id}", flash=message)
