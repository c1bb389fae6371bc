"""decide: a command against the filing and its procedure → the events, or a refusal.

Pure: the procedure (the catalogue's contract) and the instant come in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import attrs

from tthc_core.catalogue import IdentityLevel, Procedure
from tthc_core.codes import DossierCode
from tthc_core.eform import InvalidAnswer
from tthc_core.filing import _commands as c
from tthc_core.filing import _events as ev
from tthc_core.filing import _texts as tx
from tthc_core.filing._errors import FilingRefused
from tthc_core.filing._lookup import chat_return_channels, document_of, field_of, medium_of
from tthc_core.filing._model import Blob, Filing, FilingDocument, Stage
from tthc_core.filing._table import accepts

__all__ = ["decide"]

_Events = list[ev.FilingEvent]
E = TypeVar("E", bound=ev.FilingEvent)


@attrs.frozen
class _New:
    """Builds the events of one decision: same filing, same instant."""

    filing_id: str
    at: dt.datetime

    def __call__(self, cls: type[E], **fields: Any) -> E:
        return cls(filing_id=self.filing_id, occurred_at=self.at, **fields)


def decide(  # noqa: PLR0911, PLR0912 - one branch per command
    filing: Filing, command: c.Command, *, procedure: Procedure, at: dt.datetime
) -> _Events:
    """The events of ``command``; ``[]`` when it changes nothing (a repeat, :class:`Show`).

    Raises:
        FilingRefused: When the command does not fit the open question; its
            ``reason_vi`` says what to send instead.
    """
    if not accepts(filing.stage, command):
        raise FilingRefused(
            f"{type(command).__name__} is not accepted in stage {filing.stage.value}",
            tx.not_now(filing.stage),
        )
    base = _New(filing.filing_id, at)
    match command:
        case c.Show():
            return []
        case c.Cancel():
            return [base(ev.FilingCancelled)]
        case c.Answer(text):
            return _answer(filing, procedure, text, base)
        case c.Skip():
            return _skip(filing, procedure, base)
        case c.Attach(blob):
            return _attach(filing, procedure, blob, None, base)
        case c.Reuse(blob, dossier):
            return _attach(filing, procedure, blob, dossier, base)
        case c.Next():
            return _next(filing, procedure, base)
        case c.GiveIdentity(identity):
            if procedure.identity is IdentityLevel.VERIFIED and identity.provider is None:
                raise FilingRefused(
                    "this procedure needs a verified electronic identity",
                    tx.needs_verified_identity(),
                    rule="Decree 45/2020/NĐ-CP",
                )
            events: _Events = [base(ev.IdentityGiven, identity=identity)]
            offered = chat_return_channels(procedure)
            if len(offered) == 1:
                events.append(base(ev.ReturnChosen, channel=offered[0]))
            return events
        case c.ChooseReturn(channel):
            if channel not in chat_return_channels(procedure):
                raise FilingRefused(
                    f"return channel {channel.value} not offered", tx.ask_return(procedure)
                )
            return [base(ev.ReturnChosen, channel=channel)]
        case c.Submit(code):
            return [base(ev.FilingSubmitted, code=code)]
        case c.RequestDocuments(items):
            return [base(ev.SupplementRequested, items=items)]
    raise FilingRefused(
        f"{type(command).__name__} is not a filing command", tx.not_now(filing.stage)
    )


def _answer(filing: Filing, procedure: Procedure, text: str, base: _New) -> _Events:
    field = field_of(filing, procedure)
    try:
        value = field.read(text)
    except InvalidAnswer as error:
        raise FilingRefused(error.reason, error.reason_vi) from None
    return [base(ev.FieldAnswered, name=field.name, value=value)]


def _skip(filing: Filing, procedure: Procedure, base: _New) -> _Events:
    if filing.stage is Stage.FORM:
        field = field_of(filing, procedure)
        if field.required:
            raise FilingRefused(f"field {field.name} is required", tx.required_field(field))
        return [base(ev.FieldSkipped, name=field.name)]
    document = document_of(procedure, filing.document_index)
    if document.required:
        raise FilingRefused(f"document {document.name} is required", tx.required_document(document))
    return [base(ev.DocumentsDone, slot=filing.document_index)]


def _attach(
    filing: Filing,
    procedure: Procedure,
    blob: Blob,
    reused_from: DossierCode | None,
    base: _New,
) -> _Events:
    slot = filing.document_index if filing.stage is Stage.DOCUMENTS else None
    if slot is not None:
        document = document_of(procedure, slot)
        medium = medium_of(blob)
        if reused_from is None and medium not in document.media:
            raise FilingRefused(
                f"document {document.name} is not accepted as {blob.media_type}",
                tx.wrong_medium(document),
            )
    if any(d.blob == blob and d.slot == slot for d in filing.documents):
        return []  # the same file again for the same document: kept once
    document_sent = FilingDocument(
        blob=blob,
        slot=slot,
        received_at=base.at,
        reused_from=reused_from,
    )
    events: _Events = [base(ev.DocumentAttached, document=document_sent)]
    if reused_from is not None and slot is not None:
        events.append(base(ev.DocumentsDone, slot=slot))
    return events


def _next(filing: Filing, procedure: Procedure, base: _New) -> _Events:
    if filing.stage is Stage.SUPPLEMENTING:
        if not filing.supplement_documents:
            raise FilingRefused("no supplement file was sent", tx.supplement_empty(filing))
        return [base(ev.SupplementSent)]
    slot = filing.document_index
    document = document_of(procedure, slot)
    if document.required and not filing.documents_for(slot):
        raise FilingRefused(f"document {document.name} has no file", tx.required_document(document))
    return [base(ev.DocumentsDone, slot=slot)]
