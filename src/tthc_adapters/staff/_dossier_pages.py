"""Work queues, a dossier's page (control sheet, audit trail, actions) and its receipt."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._actions import (
    ACTIONS,
    DossierAction,
    Form,
    available_actions,
    next_step_unit,
)
from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._e_results import e_result_allowed
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._filings import filing_view
from tthc_adapters.staff._notices import notices_of
from tthc_adapters.staff._queues import Queues
from tthc_adapters.staff._security import check_csrf
from tthc_adapters.storage._dossier_queues import QUEUES, dossier_queue
from tthc_core.accounts import Account, Action, Role
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk import DossierNotFound, act, load_dossier, receipt_for
from tthc_core.dossier import Dossier
from tthc_core.errors import TthcError
from tthc_core.receipt import LogBookEntry
from tthc_core.storage.kinds import DOSSIERS, SHIPMENTS

__all__ = [
    "ACTIONS_BY_NAME",
    "apply_action",
    "dossier_action",
    "dossier_page",
    "queues_page",
    "receipt_pdf",
]

ACTIONS_BY_NAME = {a.name: a for a in ACTIONS}
#: Dossiers per queue on one page (``Xem tiếp`` continues after the last).
QUEUE_PAGE = 50


async def queues_page(staff: Staff, request: Request) -> Response:
    """The officer's unit's queues and the agency's due, late and waiting dossiers."""
    account = staff.require(request, Action.VIEW_QUEUES)
    now = staff.clock()

    only = request.query_params.get("queue")
    shown = only if only in QUEUES else None
    after = request.query_params.get("after") if shown else None

    def load() -> Queues:
        leaders = frozenset(a.unit for a in staff.accounts.all() if a.role is Role.LEADER)
        pages = {
            name: tuple(
                dossier_queue(
                    staff.store,
                    name,
                    unit=account.unit,
                    leader_units=leaders,
                    now=now,
                    after=after,
                    limit=QUEUE_PAGE,
                )
            )
            if shown in (None, name)
            else ()
            for name in QUEUES
        }
        return Queues(**pages)

    queues = await run_in_threadpool(load)
    return staff.render(
        request,
        "queues.html",
        queues=queues,
        now=now,
        shown=shown,
        after=after,
        page_size=QUEUE_PAGE,
    )


def _code(request: Request) -> DossierCode:
    try:
        return DossierCode.parse(request.path_params["code"])
    except InvalidDossierCode:
        raise HTTPException(404, "Mã hồ sơ không hợp lệ.") from None


async def dossier_page(staff: Staff, request: Request) -> Response:
    """A dossier: its data, control sheet (Phiếu kiểm soát), audit trail and actions."""
    account = staff.require(request, Action.VIEW_DOSSIER)
    code = _code(request)

    def load() -> dict[str, Any]:
        with staff.store.unit_of_work() as uow:
            try:
                dossier = load_dossier(uow, code)
            except DossierNotFound:
                raise HTTPException(404, "Không tìm thấy hồ sơ.") from None
            trail = uow.audit.history(DOSSIERS, DOSSIERS.key(dossier))
            parcels = uow.repository(SHIPMENTS).for_dossier(code)
            online = filing_view(uow, dossier)
        return {
            "parcels": parcels,
            "online": online,
            "dossier": dossier,
            "trail": trail,
            "notices": notices_of(trail),
            "names": {a.username: a.display_name for a in staff.accounts.all()},
            "actions": available_actions(dossier, account),
            "e_result": e_result_allowed(staff, dossier, account),
            "next_unit": next_step_unit(dossier),
            "step_units": list(dict.fromkeys(s.unit for s in dossier.steps)),
        }

    context = await run_in_threadpool(load)
    return staff.render(request, "dossier.html", now=staff.clock(), **context)


async def dossier_action(staff: Staff, request: Request) -> Response:
    """Apply one action; back to the dossier's page with what happened."""
    action = ACTIONS_BY_NAME.get(request.path_params["action"])
    if action is None:
        raise HTTPException(404, "Không có thao tác này.")
    account = staff.require(request, action.permission)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    code = _code(request)

    def run() -> str:
        try:
            apply_action(staff, account, code, action, {k: str(v) for k, v in form.items()})
        except DossierNotFound:
            raise HTTPException(404, "Không tìm thấy hồ sơ.") from None
        except TthcError as exc:
            return f"Không thực hiện được “{action.label_vi}”: {explain(exc)}"
        return f"Đã thực hiện: {action.label_vi}."

    message = await run_in_threadpool(run)
    return redirect(request, f"/dossiers/{code}", flash=message)


def apply_action(
    staff: Staff, account: Account, code: DossierCode, action: DossierAction, form: Form
) -> Dossier:
    """Build ``action``'s command from ``form`` and apply it as ``account``; the new dossier.

    Raises:
        DossierNotFound: If there is no such dossier.
        TthcError: If a field is wrong or a rule forbids the command.
    """
    command = action.build(form, account)
    with staff.unit_of_work(account) as uow:
        dossier = act(uow, staff.desk, code, command, at=staff.clock())
        uow.commit()
    return dossier


async def receipt_pdf(staff: Staff, request: Request) -> Response:
    """The dossier's receipt (Mẫu 01) as an A5 PDF, for (re)printing."""
    account = staff.require(request, Action.PRINT_RECEIPT)
    code = _code(request)
    data = await run_in_threadpool(_receipt, staff, account, code)
    headers = {"content-disposition": f'inline; filename="{code}.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)


def _receipt(staff: Staff, account: Account, code: DossierCode) -> bytes:
    from tthc_adapters.qr import receipt_pdf as render

    with staff.store.unit_of_work() as uow:
        try:
            dossier = load_dossier(uow, code)
        except DossierNotFound:
            raise HTTPException(404, "Không tìm thấy hồ sơ.") from None
        procedure = uow.catalogue.get(dossier.procedure_code)
    if procedure is None:
        raise HTTPException(404, "Thủ tục của hồ sơ không còn trong danh mục.")
    first = dossier.sheet.entries[0] if len(dossier.sheet) else None
    officer = (first.from_officer if first else None) or account.display_name
    try:
        receipt = receipt_for(
            staff.desk,
            dossier,
            procedure,
            # Circular 01/2018 Art. 10: one log book a year; the daily sequence numbers it.
            log_book=LogBookEntry(f"01/{code.received_on.year}", code.sequence),
            officer=officer,
        )
    except TthcError as exc:
        raise HTTPException(409, f"Không in được giấy tiếp nhận: {exc}") from None
    payload = staff.desk.codec.sign(code, staff.desk.keys)
    return render(receipt, staff.desk.codec.url(payload))
