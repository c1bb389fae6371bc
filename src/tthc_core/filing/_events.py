"""The filing dialogue's events: the audit trail of what the citizen did."""

from __future__ import annotations

import attrs

from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.events import DomainEvent
from tthc_core.filing._model import FilingDocument, Identity
from tthc_core.party import ReturnChannel

__all__ = [
    "DocumentAttached",
    "DocumentsDone",
    "FieldAnswered",
    "FieldSkipped",
    "FilingCancelled",
    "FilingEvent",
    "FilingStarted",
    "FilingSubmitted",
    "IdentityGiven",
    "ReturnChosen",
    "SupplementRequested",
    "SupplementSent",
]


@attrs.frozen(kw_only=True)
class FilingEvent(DomainEvent):
    """Base of the filing events; ``filing_id`` names the aggregate."""

    filing_id: str


@attrs.frozen(kw_only=True)
class FilingStarted(FilingEvent):
    """The citizen chose a procedure to file; its e-form fields and document count as then."""

    channel: str
    user_id: str
    procedure_code: ProcedureCode
    fields: tuple[str, ...] = ()
    document_count: int = 0


@attrs.frozen(kw_only=True)
class FieldAnswered(FilingEvent):
    """An e-form field answered (its stored form)."""

    name: str
    value: str


@attrs.frozen(kw_only=True)
class FieldSkipped(FilingEvent):
    """An optional field left blank."""

    name: str


@attrs.frozen(kw_only=True)
class DocumentAttached(FilingEvent):
    """A file received and stored (never removed afterwards)."""

    document: FilingDocument


@attrs.frozen(kw_only=True)
class DocumentsDone(FilingEvent):
    """The citizen moved past one required document (``slot``)."""

    slot: int


@attrs.frozen(kw_only=True)
class IdentityGiven(FilingEvent):
    """The applicant's identity."""

    identity: Identity


@attrs.frozen(kw_only=True)
class ReturnChosen(FilingEvent):
    """How the result is to be returned."""

    channel: ReturnChannel


@attrs.frozen(kw_only=True)
class FilingSubmitted(FilingEvent):
    """Confirmed and filed: the dossier exists in status 1 (Mới đăng ký) under ``code``."""

    code: DossierCode


@attrs.frozen(kw_only=True)
class FilingCancelled(FilingEvent):
    """The citizen stopped before submitting."""


@attrs.frozen(kw_only=True)
class SupplementRequested(FilingEvent):
    """The desk asked for these documents, all at once (đầy đủ một lần)."""

    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class SupplementSent(FilingEvent):
    """The citizen said the supplement is complete."""
