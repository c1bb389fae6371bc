"""Strategies for the national-portal types (``tthc_core.portal``)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tthc_core.desk import InboundFiling, IntakeRequest
from tthc_core.portal import (
    ApplicantKind,
    Attachment,
    DossierSnapshot,
    FeeLine,
    InboundDossier,
    PaidOnline,
    ProgressRow,
    ResultDocument,
    SnapshotContext,
    SupplementRound,
    progress_rows,
    snapshot_of,
)
from tthc_core.testing.strategies._codes import dossier_codes, procedure_codes
from tthc_core.testing.strategies._dossier import dossier_histories
from tthc_core.testing.strategies._party import applicants
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = [
    "REGISTRY",
    "attachments",
    "fee_lines",
    "portal_progress_rows",
    "portal_snapshots",
    "result_documents",
    "snapshot_contexts",
]

_ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
_names = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != "")
_sources = st.sampled_from(["portal:dvcqg", "zalo", "chat"])
_urls = _ids.map(lambda i: f"https://files.example/{i}.pdf")


def fee_lines() -> st.SearchStrategy[FeeLine]:
    """Fee lines (zero amounts included: KPI 3.5 must skip them)."""
    return st.builds(FeeLine, name=_names, amount_vnd=st.integers(0, 10_000_000), code=_ids)


def attachments() -> st.SearchStrategy[Attachment]:
    """Submitted files by URL."""
    return st.builds(
        Attachment,
        id=_ids,
        name=_names,
        url=_urls,
        component_code=_ids,
        digitised=st.booleans(),
        reused=st.sampled_from((0, 1, 2)),
        from_data_store=st.booleans(),
    )


def result_documents() -> st.SearchStrategy[ResultDocument]:
    """Result documents, with or without a link."""
    return st.builds(ResultDocument, id=_ids, name=_names, url=st.none() | _urls, result_code=_ids)


def snapshot_contexts() -> st.SearchStrategy[SnapshotContext]:
    """What a snapshot needs beyond the dossier."""
    return st.builds(
        SnapshotContext,
        handling_agency=_names,
        applicant_kind=st.sampled_from(ApplicantKind),
        attachments=st.lists(attachments(), max_size=3).map(tuple),
        results=st.lists(result_documents(), max_size=2).map(tuple),
        paid_online=st.sampled_from(PaidOnline),
    )


def portal_snapshots() -> st.SearchStrategy[DossierSnapshot]:
    """Snapshots projected from reachable dossiers."""
    return st.builds(
        lambda h, c: snapshot_of(h.dossier, national_code=str(h.dossier.code), context=c),
        dossier_histories(max_steps=6),
        snapshot_contexts(),
    )


def portal_progress_rows() -> st.SearchStrategy[ProgressRow]:
    """Progress rows projected from reachable dossiers' events."""
    return dossier_histories(max_steps=6).flatmap(
        lambda h: st.sampled_from(progress_rows(str(h.dossier.code), h.events))
    )


REGISTRY: dict[type, Any] = {
    FeeLine: fee_lines(),
    Attachment: attachments(),
    ResultDocument: result_documents(),
    SnapshotContext: snapshot_contexts(),
    DossierSnapshot: portal_snapshots(),
    ProgressRow: portal_progress_rows(),
    InboundDossier: st.builds(
        InboundDossier,
        national_code=_ids,
        procedure_code=_ids,
        applicant_name=_names,
        submitted_at=aware_datetimes(),
        mark=st.sampled_from(["", "G01", "G22"]),
        applicant_phone=st.none() | st.just("0912345678"),
        identity_number=st.none() | st.just("066123456789"),
    ),
    IntakeRequest: st.builds(
        IntakeRequest,
        source=_sources,
        reference=_ids,
        procedure_code=procedure_codes().map(str),
        applicant=applicants(),
        submitted_at=aware_datetimes(),
    ),
    InboundFiling: st.builds(
        InboundFiling,
        source=_sources,
        reference=_ids,
        dossier_code=dossier_codes(),
        arrived_at=aware_datetimes(),
        version=st.integers(0, 5),
    ),
    SupplementRound: st.builds(
        SupplementRound,
        id=_ids,
        content=_names,
        requested_at=aware_datetimes(),
        received_at=st.none(),
        requested_by=st.sampled_from(["", "motcua"]),
    ),
}
