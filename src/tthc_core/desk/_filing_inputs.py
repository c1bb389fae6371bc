"""What reaches an online filing besides text: files and verified identities.

:func:`attach_file` takes a file the channel delivered (a photo, a PDF):
checked from its bytes, kept by content hash, attached to the sender's open
filing — or to the one the desk asked to supplement. :func:`answer_file`
does the same for an inbox event (deduplicated, replies to the outbox).
:func:`verify_identity` gives the identity provider's verified identity
(VNeID or its fake) to the open filing.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import to_local
from tthc_core.desk._config import Desk
from tthc_core.desk._filing import open_filing, step_filing, supplementing_filing
from tthc_core.desk._replies import queue_texts
from tthc_core.errors import InvalidInput
from tthc_core.filing import (
    Attach,
    BlobStore,
    DocumentCheck,
    DocumentRejected,
    GiveIdentity,
    IdentityRefused,
)
from tthc_core.filing import _texts as tx
from tthc_core.storage import UnitOfWork

__all__ = ["FilingFiles", "answer_file", "attach_file", "verify_identity"]


def verify_identity(
    uow: UnitOfWork, desk: Desk, *, user_id: str, assertion: str, at: dt.datetime
) -> list[str]:
    """The identity provider sent the citizen back: give the verified identity to the filing.

    The provider's ``state`` is the filing's id, so an assertion made for
    another filing is refused. The replies go to the chat (the outbox).

    Raises:
        InvalidInput: If no identity provider is configured.
    """
    if desk.identity is None:
        raise InvalidInput("no identity provider is configured for this desk")
    filing = open_filing(uow, desk, user_id)
    if filing is None:
        replies = [tx.no_open_filing()]
    else:
        try:
            identity = desk.identity.verify(assertion, state=filing.filing_id)
            replies = step_filing(uow, desk, filing, GiveIdentity(identity), to_local(at))
        except IdentityRefused as refused:
            replies = [refused.reason_vi]
    key = f"identity:{to_local(at).isoformat()}"
    queue_texts(uow, desk.chat_channel, user_id, key, replies)
    return replies


@attrs.frozen
class FilingFiles:
    """Where the citizens' files are checked and kept (the two document ports)."""

    check: DocumentCheck
    blobs: BlobStore


def answer_file(
    uow: UnitOfWork,
    desk: Desk,
    files: FilingFiles,
    *,
    user_id: str,
    event_id: str,
    data: bytes,
    at: dt.datetime,
) -> list[str]:
    """Handle one inbound file as :func:`~tthc_core.desk.answer_chat` handles a text.

    Deduplicated by ``event_id`` in the inbox; the replies go to the outbox
    in the same transaction. Returns them (empty if the event was handled before).
    """
    if not uow.inbox.record_once(desk.chat_channel, event_id):
        return []
    replies = attach_file(
        uow, desk, check=files.check, blobs=files.blobs, user_id=user_id, data=data, at=at
    )
    queue_texts(uow, desk.chat_channel, user_id, event_id, replies)
    return replies


def attach_file(
    uow: UnitOfWork,
    desk: Desk,
    *,
    check: DocumentCheck,
    blobs: BlobStore,
    user_id: str,
    data: bytes,
    at: dt.datetime,
) -> list[str]:
    """A file the sender sent: checked, stored by hash, attached to the open filing.

    Nothing is stored if no filing is open or supplementing, or if the check
    refuses the file (the reply says why, in Vietnamese).
    """
    filing = open_filing(uow, desk, user_id) or supplementing_filing(uow, desk, user_id)
    if filing is None:
        return [tx.no_open_filing()]
    try:
        media_type = check.media_type(data)
    except DocumentRejected as rejected:
        return [rejected.reason_vi]
    return step_filing(uow, desk, filing, Attach(blobs.put(data, media_type)), to_local(at))
