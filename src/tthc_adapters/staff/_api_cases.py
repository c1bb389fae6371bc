"""The JSON API's case endpoints: the case handler's lists, one case, and its actions.

Every case is redacted for the token's account exactly as the pages redact it
(:func:`tthc_adapters.staff._cases.viewer_of`): a denouncer's identity reaches
only the assigned handler (Law on Denunciations 25/2018/QH14 Art. 47(2)).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from tthc_adapters.staff._case_actions import (
    CaseAction,
    CaseNotFound,
    apply_case_action,
    case_actions_for,
)
from tthc_adapters.staff._cases import CASE_QUEUES, load_queue, viewer_of
from tthc_adapters.staff._context import Staff
from tthc_core import complaint as cp
from tthc_core.accounts import Account
from tthc_core.errors import InvalidInput
from tthc_core.serialization import converter
from tthc_core.storage.kinds import COMPLAINTS

__all__ = ["act_on_case", "case_body", "list_cases", "show_case"]


def case_body(staff: Staff, case: cp.Case, account: Account) -> dict[str, Any]:
    """The case as ``account`` may read it, with the actions it may take now."""
    body: dict[str, Any] = converter.unstructure(cp.redact(case, viewer_of(case, account)))
    now = staff.clock()
    body["timeliness"] = cp.timeliness(case, now).value
    body["actions"] = [a.name for a in case_actions_for(case, account, now)]
    return body


async def list_cases(staff: Staff, account: Account, queue: str) -> Response:
    """One case list (``open``, ``overdue``, ``all``)."""
    if queue not in dict(CASE_QUEUES):
        raise InvalidInput("queue must be open, overdue or all")
    now = staff.clock()

    def run() -> list[dict[str, Any]]:
        return [case_body(staff, c, account) for c in load_queue(staff.store, queue, now)]

    return JSONResponse(await run_in_threadpool(run))


async def show_case(staff: Staff, account: Account, case_id: str) -> Response:
    """One case."""

    def run() -> dict[str, Any]:
        with staff.store.unit_of_work() as uow:
            case = uow.repository(COMPLAINTS).get(case_id)
        if case is None:
            raise CaseNotFound(f"no case {case_id!r}")
        return case_body(staff, case, account)

    return JSONResponse(await run_in_threadpool(run))


async def act_on_case(
    staff: Staff, account: Account, case_id: str, action: CaseAction, form: dict[str, str]
) -> Response:
    """Apply one case action as ``account``.

    Raises:
        CaseNotFound: No such case.
        TthcError: The command refused.
    """

    def run() -> dict[str, Any]:
        with staff.unit_of_work(account) as uow:
            case = apply_case_action(
                uow,
                staff.accounts,
                account,
                case_id,
                action=action,
                form=form,
                deadlines=staff.desk.deadlines,
                at=staff.clock(),
                desk=staff.desk,
            )
            uow.commit()
        return case_body(staff, case, account)

    return JSONResponse(await run_in_threadpool(run))
