"""Projection of a tthc dossier (and its events) onto the portal's snapshot and progress rows.

The payload is built at send time from the current state (reference
``dvcqg-sync.md`` §8: snapshot semantics, so a re-send converges). Progress
rows follow the events one per action (OpenCPS, §5.2) with deterministic ids
(§15), so an acknowledged row is never sent again.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from tthc_core.dossier import Dossier, DossierEvent, DossierState, rebuild
from tthc_core.events import DomainEvent
from tthc_core.party import ReturnChannel
from tthc_core.portal._types import (
    ApplicantKind,
    Attachment,
    DossierSnapshot,
    FeeLine,
    PaidOnline,
    ProgressRow,
    ResultDocument,
    ReturnMethod,
    SupplementRound,
)

__all__ = ["DEFAULT_HANDLER", "HANDLER_MAX", "SnapshotContext", "progress_rows", "snapshot_of"]

#: ``NguoiXuLy`` when no officer is named, and its length limit (Thanh Hóa, §5.2 **M**).
DEFAULT_HANDLER = "Chuyên viên"
HANDLER_MAX = 50

_RETURN = {
    ReturnChannel.DESK: ReturnMethod.DESK,
    ReturnChannel.POSTAL: ReturnMethod.POSTAL,
    ReturnChannel.ELECTRONIC: ReturnMethod.ELECTRONIC,
}
_REFUSED = (DossierState.REFUSED_AT_INTAKE, DossierState.REFUSED_AFTER_APPRAISAL)


@attrs.frozen
class SnapshotContext:
    """What the snapshot needs that the dossier aggregate does not hold.

    Args:
        handling_agency: ``DonViXuLy``, the agency's name (not a code).
        applicant_kind: ``LoaiDoiTuong``.
        attachments: Submitted files by URL.
        results: Result documents (a URL makes the result electronic, KPI 4.1).
        paid_online: ``DuocThanhToanTrucTuyen``.
        domain_code: ``MaLinhVuc``.
        domain_name: ``TenLinhVuc``.
    """

    handling_agency: str = ""
    applicant_kind: ApplicantKind = ApplicantKind.CITIZEN
    attachments: tuple[Attachment, ...] = ()
    results: tuple[ResultDocument, ...] = ()
    paid_online: PaidOnline = PaidOnline.NO
    domain_code: str = ""
    domain_name: str = ""


def snapshot_of(
    dossier: Dossier, *, national_code: str, context: SnapshotContext = SnapshotContext()
) -> DossierSnapshot:
    """The snapshot of ``dossier`` as the portal knows it under ``national_code``."""
    refused = dossier.finished_at if dossier.state in _REFUSED else None
    if dossier.state is DossierState.REFUSED_AT_INTAKE:
        refused = dossier.last_event_at
    return DossierSnapshot(
        code=national_code,
        local_code=str(dossier.code),
        procedure_code=str(dossier.procedure_code),
        procedure_name=dossier.procedure_name,
        status=dossier.state.national_code,
        channel=dossier.channel,
        applicant_name=dossier.applicant.name,
        applicant_kind=context.applicant_kind,
        identity_number=dossier.applicant.identity_number,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        refused_at=refused,
        return_method=_RETURN[dossier.return_channel],
        handling_agency=context.handling_agency,
        summary=dossier.procedure_name,
        domain_code=context.domain_code,
        domain_name=context.domain_name,
        paid_online=context.paid_online,
        fees=tuple(
            FeeLine(name=p.reason or "Phí, lệ phí", amount_vnd=p.amount_vnd)
            for p in dossier.payments
            if p.paid_at is not None
        ),
        attachments=context.attachments,
        results=context.results,
        supplements=tuple(
            SupplementRound(
                id=f"{national_code}/bs{n}",
                content="; ".join(s.items) or s.reason,
                requested_at=s.requested_at,
                received_at=s.received_at,
            )
            for n, s in enumerate(dossier.supplements, start=1)
        ),
    )


def _handler(event: DomainEvent) -> str:
    name = getattr(event, "to_officer", None) or getattr(event, "officer", None)
    return (name or DEFAULT_HANDLER)[:HANDLER_MAX]


def _department(event: DomainEvent) -> str:
    return str(getattr(event, "to_unit", None) or getattr(event, "unit", None) or "")


def progress_rows(national_code: str, events: Sequence[DomainEvent]) -> list[ProgressRow]:
    """One row per event, oldest first, in the status the event left the dossier in.

    The row id is ``<code>/<event number>/<status>``: the same event always
    yields the same id, so the sync engine can skip rows already acknowledged.
    """
    rows: list[ProgressRow] = []
    dossier_events = [e for e in events if isinstance(e, DossierEvent)]
    for n in range(1, len(dossier_events) + 1):
        event = dossier_events[n - 1]
        state = rebuild(dossier_events[:n]).state
        status = state.national_code
        rows.append(
            ProgressRow(
                row_id=f"{national_code}/{n:04d}/{status:02d}",
                code=national_code,
                handler=_handler(event),
                at=event.occurred_at,
                status=status,
                content=state.label_vi,
                department=_department(event),
                due_at=getattr(event, "due_at", None),
            )
        )
    return rows
