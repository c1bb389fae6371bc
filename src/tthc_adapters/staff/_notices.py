"""Printable notices (Mẫu 02, 03, 04 and their 2025 equivalents) rebuilt from the audit trail.

Every dossier event that issues a form carries the form's label under the
dossier's regime (``event.form``: "Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện
hồ sơ"); its page prints on A5 from the browser (Circular 01/2018 Art. 9-10:
forms are filled in the system and printable). The officer who signs is the
one the audit trail names.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff
from tthc_core.accounts import Action
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk import DossierNotFound, load_dossier
from tthc_core.dossier import (
    DossierCompletionRequested,
    DossierRefusedAfterAppraisal,
    DossierRefusedAtIntake,
    DossierRescheduled,
    DossierSupplementRequested,
)
from tthc_core.storage import RecordedEvent
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["NOTICE_EVENTS", "notice_page", "notices_of"]


#: The events whose form prints here (Mẫu 01 prints as the receipt PDF).
NOTICE_EVENTS = (
    DossierCompletionRequested,
    DossierSupplementRequested,
    DossierRefusedAtIntake,
    DossierRefusedAfterAppraisal,
    DossierRescheduled,
)


def notices_of(trail: list[RecordedEvent]) -> list[RecordedEvent]:
    """The events of a dossier's trail that issued a notice (Mẫu 02, 03, 04), oldest first."""
    return [r for r in trail if isinstance(r.event, NOTICE_EVENTS)]


async def notice_page(staff: Staff, request: Request) -> Response:
    """One issued form, ready to print."""
    staff.require(request, Action.PRINT_RECEIPT)
    try:
        code = DossierCode.parse(request.path_params["code"])
    except InvalidDossierCode:
        raise HTTPException(404, "Mã hồ sơ không hợp lệ.") from None
    seq = request.path_params["seq"]

    def load() -> dict[str, Any]:
        with staff.store.unit_of_work() as uow:
            try:
                dossier = load_dossier(uow, code)
            except DossierNotFound:
                raise HTTPException(404, "Không tìm thấy hồ sơ.") from None
            trail = uow.audit.history(DOSSIERS, DOSSIERS.key(dossier))
        found = [r for r in notices_of(trail) if r.seq == seq]
        if not found:
            raise HTTPException(404, "Hồ sơ không có phiếu này.")
        record = found[0]
        signer = None if record.actor is None else staff.accounts.get(record.actor)
        officer = signer.display_name if signer else getattr(record.event, "officer", None)
        return {"dossier": dossier, "record": record, "event": record.event, "signer": officer}

    context = await run_in_threadpool(load)
    return staff.render(request, "notice.html", desk=staff.desk, **context)
