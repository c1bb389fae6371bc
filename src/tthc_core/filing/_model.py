"""The filing dialogue's state: what the citizen has given so far, and what comes next."""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.validators import aware as _aware
from tthc_core.validators import non_blank as _non_blank

__all__ = ["Blob", "Filing", "FilingDocument", "Identity", "Stage"]


class Stage(enum.Enum):
    """Where the dialogue is; one question is open in each non-final stage."""

    FORM = "form"  # answering the e-form, one field at a time
    DOCUMENTS = "documents"  # sending the documents, one document at a time
    IDENTITY = "identity"  # giving the phone (or a stronger identity)
    RETURN = "return"  # choosing how to get the result
    CONFIRM = "confirm"  # reading the summary, confirming
    SUBMITTED = "submitted"  # filed: a dossier in status 1 (Mới đăng ký) exists
    SUPPLEMENTING = "supplementing"  # the desk asked for documents (đầy đủ một lần)
    CANCELLED = "cancelled"  # the citizen stopped before submitting

    @property
    def is_open(self) -> bool:
        """Whether the citizen is still in the dialogue (messages are routed to it)."""
        return self not in (Stage.SUBMITTED, Stage.CANCELLED)


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _sha(_: object, __: object, value: str) -> None:
    if not _SHA256.fullmatch(value):
        raise InvalidInput(f"blob digest {value!r} must be 64 lower-case hex digits (SHA-256)")


@attrs.frozen
class Blob:
    """A stored file, addressed by its content (see :mod:`tthc_core.filing._blobs`).

    Args:
        sha256: The SHA-256 of its bytes (hex): its address in the blob store.
        media_type: The type read from its bytes (``image/jpeg``, ``image/png``,
            ``application/pdf``), never from its name.
        size: Its size in bytes.
    """

    sha256: str = attrs.field(validator=_sha)
    media_type: str = attrs.field(validator=_non_blank)
    size: int = attrs.field()


@attrs.frozen
class FilingDocument:
    """A file the citizen sent, and the document of the procedure it is for.

    Args:
        blob: The stored file.
        slot: The index of the procedure's required document it was sent for,
            or ``None`` for a supplement or a file sent before that question.
        received_at: When it arrived.
        reused_from: The earlier dossier it was reused from (Decision 766
            indicator 4.3), if any.
    """

    blob: Blob
    slot: int | None
    received_at: dt.datetime = attrs.field(validator=_aware)
    reused_from: DossierCode | None = None


@attrs.frozen
class Identity:
    """Who files: the phone shared through the chat, or an identity verified by a provider.

    Args:
        phone: The phone number (normalised).
        provider: The identity provider that verified the person (``"vneid"``),
            or ``None`` for a phone the citizen shared.
        subject: The provider's identifier of the person (số định danh).
        full_name: The name the provider asserts.
    """

    phone: str
    provider: str | None = None
    subject: str | None = None
    full_name: str | None = None


@attrs.frozen(kw_only=True)
class Filing:
    """One citizen's online filing of one procedure through a chat (the aggregate).

    Rebuilt from its events by :func:`tthc_core.filing.rebuild`; changed only by
    :func:`tthc_core.filing.handle`. Key: ``filing_id``.
    """

    filing_id: str = attrs.field(validator=_non_blank)
    channel: str
    user_id: str
    procedure_code: ProcedureCode
    started_at: dt.datetime = attrs.field(validator=_aware)
    last_at: dt.datetime = attrs.field(validator=_aware)
    stage: Stage = Stage.FORM
    field_index: int = 0
    answers: tuple[tuple[str, str], ...] = ()
    document_index: int = 0
    documents: tuple[FilingDocument, ...] = ()
    identity: Identity | None = None
    return_channel: ReturnChannel | None = None
    dossier_code: DossierCode | None = None
    fields: tuple[str, ...] = ()
    document_count: int = 0
    supplement_items: tuple[str, ...] = ()
    supplement_from: int = 0
    supplements: int = 0
    version: int = 0

    @property
    def answer_map(self) -> dict[str, str]:
        """The e-form answers by field name."""
        return dict(self.answers)

    @property
    def supplement_documents(self) -> tuple[FilingDocument, ...]:
        """The files sent since the desk's last supplement request."""
        return self.documents[self.supplement_from :]

    def documents_for_none(self) -> tuple[FilingDocument, ...]:
        """The files sent outside the documents' questions (early, or supplements)."""
        return tuple(d for d in self.documents if d.slot is None)

    def documents_for(self, slot: int) -> tuple[FilingDocument, ...]:
        """The files sent for one required document."""
        return tuple(d for d in self.documents if d.slot == slot)
