"""What the citizen (or the desk) asks of a filing; read from chat by :func:`read_reply`."""

from __future__ import annotations

import attrs

from tthc_core.codes import DossierCode
from tthc_core.filing._model import Blob, Identity
from tthc_core.party import ReturnChannel

__all__ = [
    "Answer",
    "AskReuse",
    "AskVerified",
    "Attach",
    "Cancel",
    "ChooseReturn",
    "Command",
    "Confirm",
    "GiveIdentity",
    "Next",
    "RequestDocuments",
    "Reuse",
    "Show",
    "Skip",
    "Submit",
]


@attrs.frozen
class Command:
    """Base of the filing commands."""


@attrs.frozen
class Answer(Command):
    """The answer to the open e-form question."""

    text: str


@attrs.frozen
class Skip(Command):
    """Leave the open optional question or document (``bỏ qua``)."""


@attrs.frozen
class Attach(Command):
    """A file the citizen sent (already checked and stored)."""

    blob: Blob


@attrs.frozen
class Reuse(Command):
    """Take the open document from an earlier dossier (``dùng lại``): the desk found ``blob``."""

    blob: Blob
    dossier: DossierCode


@attrs.frozen
class AskVerified(Command):
    """The citizen asks to verify their identity electronically (``vneid``).

    A reading of the reply: the desk answers with its identity provider's link.
    """


@attrs.frozen
class Next(Command):
    """Done with the open document, or with the supplement (``xong``)."""


@attrs.frozen
class GiveIdentity(Command):
    """The applicant's identity (the phone shared, or a verified identity)."""

    identity: Identity


@attrs.frozen
class ChooseReturn(Command):
    """How to get the result."""

    channel: ReturnChannel


@attrs.frozen
class Confirm(Command):
    """The citizen confirms the summary (``đồng ý``).

    A reading of the citizen's reply, not a command :func:`handle` takes: the
    desk answers it by allocating the dossier code and handling :class:`Submit`.
    """


@attrs.frozen
class AskReuse(Command):
    """The citizen asks to reuse the open document from an earlier dossier (``dùng lại``).

    A reading of the reply: the desk looks for the file and handles :class:`Reuse`.
    """


@attrs.frozen
class Submit(Command):
    """The desk filed the dossier under ``code`` (after :class:`Confirm`)."""

    code: DossierCode


@attrs.frozen
class Cancel(Command):
    """Stop the filing (``hủy``)."""


@attrs.frozen
class Show(Command):
    """Show the open question again (``nộp hồ sơ`` while a filing is open)."""


@attrs.frozen
class RequestDocuments(Command):
    """The desk asks for these documents, all at once (đầy đủ một lần)."""

    items: tuple[str, ...]
