"""The open question's catalogue entries, read by name (the catalogue may change mid-dialogue)."""

from __future__ import annotations

from tthc_core.catalogue import DocumentMedium, Procedure, RequiredDocument
from tthc_core.eform import FormField
from tthc_core.filing._model import Blob, Filing
from tthc_core.party import ReturnChannel

__all__ = ["chat_return_channels", "document_of", "field_of", "medium_of"]


def chat_return_channels(procedure: Procedure) -> tuple[ReturnChannel, ...]:
    """The return channels offered in the dialogue.

    Public post needs a checked address, so it is chosen when the result is
    ready (the result-ready notice's ``1 bưu điện``, Decision 45/2016/QĐ-TTg).
    A procedure returning by post only is offered the desk meanwhile.
    """
    offered = tuple(ch for ch in procedure.returns if ch is not ReturnChannel.POSTAL)
    return offered or (ReturnChannel.DESK,)


def field_of(filing: Filing, procedure: Procedure) -> FormField:
    """The open e-form question (by name: the catalogue may have changed since the start)."""
    name = filing.fields[filing.field_index]
    found = [f for f in procedure.form if f.name == name]
    return found[0] if found else FormField(name, name, required=False)


def document_of(procedure: Procedure, slot: int) -> RequiredDocument:
    """The required document of ``slot`` (an optional one if the catalogue has fewer now)."""
    if slot < len(procedure.documents):
        return procedure.documents[slot]
    return RequiredDocument("Giấy tờ khác", required=False)


_PHOTOS = frozenset({"image/jpeg", "image/png"})


def medium_of(blob: Blob) -> DocumentMedium:
    """A photo (JPEG, PNG) or a PDF, from the type read off the file's bytes."""
    return DocumentMedium.PHOTO if blob.media_type in _PHOTOS else DocumentMedium.PDF
