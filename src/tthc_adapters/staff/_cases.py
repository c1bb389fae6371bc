"""Petitions, complaints and denunciations: the case handler's queues, case pages and notices.

Every case is shown through :func:`tthc_core.complaint.redact` with the
reader's role: the assigned handler reads the sender's identity and words;
other staff read them except on a denunciation, whose denouncer stays secret
(Law on Denunciations 25/2018/QH14 Art. 9(1)(b), 47(2), 56(1)). The case
commands are the pure functions of :mod:`tthc_core.complaint`, applied in a
unit of work that records the officer (:mod:`._case_actions`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._case_actions import (
    CASE_ACTIONS_BY_NAME,
    CaseNotFound,
    apply_case_action,
    case_actions_for,
)
from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import check_csrf
from tthc_core import complaint as cp
from tthc_core.accounts import Account, Action
from tthc_core.errors import TthcError
from tthc_core.storage import RecordedEvent, Store
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "CASE_QUEUES",
    "case_action",
    "case_notice_page",
    "case_page",
    "cases_page",
    "load_queue",
    "viewer_of",
]

_FAR = dt.timedelta(days=3650)
#: The case lists: (name, Vietnamese title).
CASE_QUEUES = (
    ("open", "Đang có thời hạn"),
    ("overdue", "Quá hạn"),
    ("all", "Tất cả vụ việc chưa kết thúc (kể cả tạm đình chỉ)"),
)
_QUEUE_LIMIT = 500


def viewer_of(case: cp.Case, account: Account) -> cp.Viewer:
    """The reader's role for ``case``: its assigned handler, or other staff."""
    return cp.Viewer.HANDLER if case.handler == account.username else cp.Viewer.STAFF


def load_queue(store: Store, queue: str, now: dt.datetime) -> list[cp.Case]:
    """The cases of one list, unredacted (the caller redacts for its reader).

    ``overdue`` is the stored overdue queue (``due_by(now)``, the index of
    :func:`tthc_core.complaint.due_in_queue`): open cases past their period and
    results not sent or published in time, most overdue first. ``open`` is
    every case with a running period, soonest due first; ``all`` adds the
    suspended cases and those no text times, in id order.
    """
    with store.unit_of_work() as uow:
        repository = uow.repository(COMPLAINTS)
        if queue == "overdue":
            return repository.due_by(now, limit=_QUEUE_LIMIT)
        if queue == "all":
            found: list[cp.Case] = []
            after: str | None = None
            while len(found) < _QUEUE_LIMIT:
                page = repository.page(after=after, limit=200)
                if not page:
                    break
                found += [c for c in page if c.is_open]
                after = page[-1].case_id
            return found[:_QUEUE_LIMIT]
        return repository.due_by(now + _FAR, limit=_QUEUE_LIMIT)


async def cases_page(staff: Staff, request: Request) -> Response:
    """One case list (open, overdue, all), each case as this officer may see it."""
    account = staff.require(request, Action.HANDLE_CASES)
    queue = request.query_params.get("queue", "open")
    if queue not in dict(CASE_QUEUES):
        queue = "open"
    now = staff.clock()

    def load() -> list[cp.Case]:
        return [cp.redact(c, viewer_of(c, account)) for c in load_queue(staff.store, queue, now)]

    cases = await run_in_threadpool(load)
    return staff.render(
        request, "cases.html", cases=cases, now=now, queue=queue, queues=CASE_QUEUES
    )


def _load(staff: Staff, case_id: str) -> tuple[cp.Case, list[RecordedEvent]]:
    with staff.store.read_only() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
        trail = [] if case is None else uow.audit.history(COMPLAINTS, case_id)
    if case is None:
        raise HTTPException(404, "Không tìm thấy vụ việc.")
    return case, trail


def notices_of(case: cp.Case, trail: list[RecordedEvent]) -> list[tuple[RecordedEvent, Any]]:
    """The events of a case's trail that issued a written notice, with the notice."""
    found = []
    for record in trail:
        event = record.event
        notice = cp.notice_for(event, case.kind) if isinstance(event, cp.CaseEvent) else None
        if notice is not None:
            found.append((record, notice))
    return found


async def case_page(staff: Staff, request: Request) -> Response:
    """One case as this officer may see it, with its actions and its notices."""
    account = staff.require(request, Action.HANDLE_CASES)
    case, trail = await run_in_threadpool(_load, staff, request.path_params["case_id"])
    viewer = viewer_of(case, account)
    now = staff.clock()
    return staff.render(
        request,
        "case.html",
        case=cp.redact(case, viewer),
        identity_hidden=not cp.may_read(case.kind, viewer),
        actions=case_actions_for(case, account, now),
        extensions=cp.extension_options(case),
        notices=notices_of(case, trail),
        timeliness=cp.timeliness(case, now),
        now=now,
    )


async def case_notice_page(staff: Staff, request: Request) -> Response:
    """One notice a case event issued, ready to print (the sender as this officer may see it)."""
    account = staff.require(request, Action.HANDLE_CASES)
    case, trail = await run_in_threadpool(_load, staff, request.path_params["case_id"])
    seq = request.path_params["seq"]
    found = [(r, n) for r, n in notices_of(case, trail) if r.seq == seq]
    if not found:
        raise HTTPException(404, "Vụ việc không có văn bản này.")
    record, notice = found[0]
    viewer = viewer_of(case, account)
    signer = None if record.actor is None else staff.accounts.get(record.actor)
    return staff.render(
        request,
        "case_notice.html",
        case=cp.redact(case, viewer),
        identity_hidden=not cp.may_read(case.kind, viewer),
        record=record,
        event=record.event,
        notice=notice,
        signer=signer.display_name if signer else None,
        desk=staff.desk,
    )


async def case_action(staff: Staff, request: Request) -> Response:
    """Apply one case command as this officer."""
    account = staff.require(request, Action.HANDLE_CASES)
    action = CASE_ACTIONS_BY_NAME.get(request.path_params["action"])
    if action is None:
        raise HTTPException(404, "Không có thao tác này.")
    account = staff.require(request, action.permission)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    case_id = request.path_params["case_id"]
    fields = {k: str(v) for k, v in form.items()}

    def run() -> str:
        with staff.unit_of_work(account) as uow:
            try:
                apply_case_action(
                    uow,
                    staff.accounts,
                    account,
                    case_id,
                    action=action,
                    form=fields,
                    deadlines=staff.desk.deadlines,
                    at=staff.clock(),
                    desk=staff.desk,
                )
            except CaseNotFound:
                raise HTTPException(404, "Không tìm thấy vụ việc.") from None
            except TthcError as exc:
                return f"Không thực hiện được “{action.label_vi}”: {explain(exc)}"
            uow.commit()
        return f"Đã thực hiện: {action.label_vi}."

    message = await run_in_threadpool(run)
    return redirect(request, f"/cases/{case_id}", flash=message)
