"""Intake (tiếp nhận): pick a procedure, enter the applicant and documents, issue the code.

The page only reads the form; :func:`tthc_core.desk.receive_dossier` receives
the dossier. A dossier is received only when every document of the
catalogue's checklist is there (Decree 61/2018/NĐ-CP Art. 17(1c)); an
incomplete one gets guidance (Mẫu 02), not a code.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import check_csrf
from tthc_core.accounts import Account, Action
from tthc_core.catalogue import Procedure
from tthc_core.desk import receive_dossier
from tthc_core.errors import InvalidInput, TthcError
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.text import fold

__all__ = [
    "IncompleteDossier",
    "find_procedure",
    "intake_form",
    "intake_search",
    "receive",
    "receive_from_form",
    "search_procedures",
]


def search_procedures(procedures: list[Procedure], query: str) -> list[Procedure]:
    """The procedures whose code, name or sector contain every word of ``query``.

    Diacritics and case are ignored both sides ("khai sinh" finds "Đăng ký khai sinh").
    """
    words = fold(query).split()
    return [p for p in procedures if all(w in fold(f"{p.code} {p.name} {p.sector}") for w in words)]


async def intake_search(staff: Staff, request: Request) -> Response:
    """The catalogue, filtered by ``?q=``."""
    staff.require(request, Action.RECEIVE)
    query = request.query_params.get("q", "")

    def load() -> list[Procedure]:
        with staff.store.unit_of_work() as uow:
            return uow.catalogue.all()

    found = search_procedures(await run_in_threadpool(load), query)
    return staff.render(request, "intake_search.html", query=query, procedures=found)


def find_procedure(staff: Staff, code: str) -> Procedure:
    """The catalogue's procedure ``code`` (404 if absent)."""
    with staff.store.unit_of_work() as uow:
        procedure = uow.catalogue.get(code)
    if procedure is None:
        raise HTTPException(404, "Không có thủ tục này trong danh mục.")
    return procedure


async def intake_form(staff: Staff, request: Request) -> Response:
    """The intake form of one procedure."""
    staff.require(request, Action.RECEIVE)
    procedure = await run_in_threadpool(find_procedure, staff, request.path_params["procedure"])
    return staff.render(request, "intake_form.html", procedure=procedure, form={}, error=None)


def _applicant(form: Mapping[str, str]) -> Applicant:
    return Applicant(
        form.get("name", ""),
        address=form.get("address", ""),
        phone=form.get("phone", "").strip() or None,
        email=form.get("email", "").strip() or None,
        identity_number=form.get("identity_number", "").strip() or None,
    )


def _return(form: Mapping[str, str]) -> tuple[ReturnChannel, PostalAddress | None]:
    try:
        channel = ReturnChannel(form.get("return_channel", "desk"))
    except ValueError:
        raise InvalidInput("Hình thức nhận kết quả không hợp lệ") from None
    if channel is not ReturnChannel.POSTAL:
        return channel, None
    address = PostalAddress(
        recipient=form.get("postal_recipient", "") or form.get("name", ""),
        phone=form.get("postal_phone", "") or form.get("phone", ""),
        street=form.get("postal_street", ""),
        ward_code=form.get("postal_ward", "").strip(),
        province_code=form.get("postal_province", "").strip(),
    )
    return channel, address


class IncompleteDossier(InvalidInput):
    """A document of the checklist is missing: no code, guidance instead (Mẫu 02)."""


def _check_documents(procedure: Procedure, form: Mapping[str, str]) -> None:
    missing = [
        doc.name for i, doc in enumerate(procedure.documents) if form.get(f"doc_{i}") != "on"
    ]
    if missing:
        raise IncompleteDossier(
            "Hồ sơ chưa đầy đủ, chưa được tiếp nhận (Nghị định 61/2018 Điều 17): thiếu "
            + "; ".join(missing)
            + ". Hướng dẫn công dân bổ sung theo Mẫu 02."
        )


async def receive(staff: Staff, request: Request) -> Response:
    """Receive the dossier: a code, then its page with the receipt to print."""
    account = staff.require(request, Action.RECEIVE)
    raw = await request.form()
    check_csrf(request.session, raw.get("csrf"))
    form = {k: str(v) for k, v in raw.items()}
    code = request.path_params["procedure"]

    def run() -> tuple[Procedure, str | None, str | None]:
        procedure = find_procedure(staff, code)
        try:
            return procedure, receive_from_form(staff, account, procedure, form), None
        except IncompleteDossier as exc:
            return procedure, None, str(exc)
        except TthcError as exc:
            return procedure, None, explain(exc)

    procedure, dossier_code, error = await run_in_threadpool(run)
    if error is not None or dossier_code is None:
        return staff.render(
            request, "intake_form.html", 400, procedure=procedure, form=form, error=error
        )
    return redirect(
        request, f"/dossiers/{dossier_code}", flash=f"Đã tiếp nhận hồ sơ {dossier_code}."
    )


def receive_from_form(
    staff: Staff, account: Account, procedure: Procedure, form: Mapping[str, str]
) -> str:
    """Receive a dossier of ``procedure`` as ``account`` from the intake form's fields; its code.

    Raises:
        TthcError: If a document is missing or a field is wrong (the message says which).
    """
    _check_documents(procedure, form)
    applicant = _applicant(form)
    channel, address = _return(form)
    with staff.unit_of_work(account) as uow:
        dossier = receive_dossier(
            uow,
            staff.desk,
            procedure_code=str(procedure.code),
            applicant=applicant,
            # Mẫu 01 prints the receipt time to the minute; the due time follows from it.
            at=staff.clock().replace(second=0, microsecond=0),
            officer=account.display_name,
            return_channel=channel,
            postal_address=address,
        )
        uow.commit()
    return str(dossier.code)
