"""Electronic results on a dossier's page: the officer uploads the signed PDF and its code.

Decree 45/2020/NĐ-CP: an electronic result is as valid as paper; for a
dossier returned electronically (toàn trình, Decree 42/2022/NĐ-CP) the officer
uploads the result here, :func:`tthc_core.desk.issue_e_result` keeps it,
returns the dossier (status 10) and sends the citizen the download link in
chat. The file passes the citizens' document check (only a readable PDF, at
most 10 MB); a refused file, a missing code or a dossier not returned
electronically is told back in a flash message and nothing is stored.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.documents import FileCheck, too_large
from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import check_csrf
from tthc_core.accounts import Account, Action
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk import DossierNotFound, EResult, issue_e_result, load_dossier
from tthc_core.dossier import (
    Dossier,
    DossierState,
    Resolve,
    ReturnChannelMismatch,
    TransitionNotAllowed,
    accepted_commands,
)
from tthc_core.errors import DomainRuleViolation, TthcError
from tthc_core.filing import DocumentRejected
from tthc_core.party import ReturnChannel

__all__ = ["E_RESULT_LABEL", "e_result_allowed", "issue_e_result_page", "upload_e_result"]

#: The form's title and button.
E_RESULT_LABEL = "Trả kết quả điện tử"
#: The document check the uploaded result passes (the citizens' 10 MB cap).
CHECK = FileCheck()
#: Room in a request for the multipart framing and the small fields beside the file.
_FIELDS_ALLOWANCE = 64 * 1024


def _issuable(dossier: Dossier) -> bool:
    """Resolved, or in a state that accepts Resolve (it is resolved first)."""
    return dossier.state is DossierState.RESOLVED or Resolve in accepted_commands(dossier.state)


def e_result_allowed(staff: Staff, dossier: Dossier, account: Account) -> bool:
    """Whether the dossier page shows the upload form to ``account``."""
    return (
        staff.blobs is not None
        and dossier.return_channel is ReturnChannel.ELECTRONIC
        and _issuable(dossier)
        and account.may(Action.RESOLVE)
    )


def upload_e_result(
    staff: Staff, account: Account, code: DossierCode, data: bytes, result_code: str
) -> EResult:
    """Check ``data`` is a PDF, store it, issue the result as ``account`` and commit.

    Raises:
        DocumentRejected: The file is not a readable PDF or is too large.
        DossierNotFound: There is no such dossier.
        TthcError: The code is blank or the dossier cannot take an electronic result.
    """
    if staff.blobs is None:
        raise DomainRuleViolation("this desk keeps no files (start it with a file store)")
    if not result_code.strip():
        raise DocumentRejected("result code missing", "Chưa nhập số, ký hiệu của kết quả.")
    if CHECK.media_type(data) != "application/pdf":
        raise DocumentRejected("not a PDF", "Kết quả điện tử phải là tệp PDF.")
    with staff.unit_of_work(account) as uow:
        # Checked before the file is stored, so a refusal stores nothing.
        dossier = load_dossier(uow, code)
        if dossier.return_channel is not ReturnChannel.ELECTRONIC:
            raise ReturnChannelMismatch(
                f"dossier {code} returns its result {dossier.return_channel.value}"
            )
        if not _issuable(dossier):
            raise TransitionNotAllowed(
                dossier.state,
                "an electronic result",
                tuple(c.__name__ for c in accepted_commands(dossier.state)),
                rule="Decree 61/2018/NĐ-CP Art. 20",
            )
        blob = staff.blobs.put(data, "application/pdf")
        result = issue_e_result(
            uow,
            staff.desk,
            code,
            blob=blob,
            result_code=result_code,
            at=staff.clock(),
            officer=account.username,
        )
        uow.commit()
    return result


async def issue_e_result_page(staff: Staff, request: Request) -> Response:
    """The dossier page's upload form: issue, then back to the dossier with what happened."""
    account = staff.require(request, Action.RESOLVE)
    try:
        code = DossierCode.parse(request.path_params["code"])
    except InvalidDossierCode:
        raise HTTPException(404, "Mã hồ sơ không hợp lệ.") from None
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > CHECK.max_bytes + _FIELDS_ALLOWANCE:
        # Refused before the body is read (nothing is stored, so no CSRF check is needed).
        refusal = too_large(int(declared), CHECK.max_bytes)
        message = f"Không thực hiện được “{E_RESULT_LABEL}”: {refusal.reason_vi}"
        return redirect(request, f"/dossiers/{code}", flash=message)
    form = await request.form(max_files=1, max_fields=8)
    check_csrf(request.session, form.get("csrf"))
    upload = form.get("file")
    data = await upload.read(CHECK.max_bytes + 1) if isinstance(upload, UploadFile) else b""
    result_code = str(form.get("result_code", "")).strip()

    def run() -> str:
        try:
            result = upload_e_result(staff, account, code, data, result_code)
        except DossierNotFound:
            raise HTTPException(404, "Không tìm thấy hồ sơ.") from None
        except DocumentRejected as exc:
            return f"Không thực hiện được “{E_RESULT_LABEL}”: {exc.reason_vi}"
        except TthcError as exc:
            return f"Không thực hiện được “{E_RESULT_LABEL}”: {explain(exc)}"
        return (
            f"Đã trả kết quả điện tử số {result.result_code}; "
            "đường dẫn tải về đã được gửi cho công dân qua tin nhắn."
        )

    message = await run_in_threadpool(run)
    return redirect(request, f"/dossiers/{code}", flash=message)
