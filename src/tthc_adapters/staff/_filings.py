"""The online filing behind a dossier, for the officer who checks it (Decree 61/2018 Art. 17(2)).

:func:`filing_view` gives the dossier page the e-form's answers (with their
labels) and the files the citizen sent; :func:`filing_file` serves one of
those files to an officer allowed to view the dossier — only a file of that
dossier's filing, by its content hash, so no other file can be fetched
through it.
"""

from __future__ import annotations

from typing import Any

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff
from tthc_core.accounts import Action
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.dossier import Dossier
from tthc_core.filing import Filing, document_of
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import FILINGS

__all__ = ["FilingView", "filing_file", "filing_of", "filing_view"]


@attrs.frozen
class FilingView:
    """What the dossier page shows of an online filing."""

    answers: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, str, str, int, bool], ...]  # document, sha256, type, size, reused
    supplements: int


def filing_of(uow: UnitOfWork, dossier: Dossier) -> Filing | None:
    """The filing a dossier was submitted by, if any."""
    found = uow.repository(FILINGS).for_dossier(dossier.submitted_as or dossier.code)
    return found[0] if found else None


def filing_view(uow: UnitOfWork, dossier: Dossier) -> FilingView | None:
    """The e-form and the files of an online dossier, labelled from the catalogue."""
    filing = filing_of(uow, dossier)
    if filing is None:
        return None
    procedure = uow.catalogue.get(filing.procedure_code)
    fields = {} if procedure is None else {f.name: f for f in procedure.form}
    answers = tuple(
        (fields[n].label_vi, fields[n].show(v)) if n in fields else (n, v)
        for n, v in filing.answers
    )
    files = []
    for sent in filing.documents:
        if sent.slot is None:
            name = "Tệp bổ sung / gửi thêm"
        elif procedure is None:
            name = f"Giấy tờ {sent.slot + 1}"
        else:
            name = document_of(procedure, sent.slot).name
        blob = sent.blob
        files.append((name, blob.sha256, blob.media_type, blob.size, sent.reused_from is not None))
    return FilingView(answers, tuple(files), filing.supplements)


async def filing_file(staff: Staff, request: Request) -> Response:
    """``GET /dossiers/<code>/files/<sha256>``: one file of the dossier's filing."""
    staff.require(request, Action.VIEW_DOSSIER)
    try:
        code = DossierCode.parse(request.path_params["code"])
    except InvalidDossierCode:
        raise HTTPException(404, "Mã hồ sơ không hợp lệ.") from None
    sha = request.path_params["sha"]

    def load() -> tuple[str, bytes] | None:
        if staff.blobs is None:
            return None
        with staff.store.read_only() as uow:
            filings = uow.repository(FILINGS).for_dossier(code)
            media = next(
                (d.blob.media_type for f in filings for d in f.documents if d.blob.sha256 == sha),
                None,
            )
        data = None if media is None else staff.blobs.get(sha)
        return None if media is None or data is None else (media, data)

    found: Any = await run_in_threadpool(load)
    if found is None:
        raise HTTPException(404, "Không tìm thấy tệp.")
    media, data = found
    extension = "pdf" if media == "application/pdf" else media.rsplit("/", 1)[-1]
    return Response(
        data,
        media_type=media,
        headers={
            "content-disposition": f'inline; filename="{code}-{sha[:8]}.{extension}"',
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
        },
    )
