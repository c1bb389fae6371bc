"""Inbound webhooks: chat events and postal status callbacks, each handled once.

Each inbound event is handled in its own unit of work, deduplicated by its id
in the inbox (:meth:`~tthc_core.storage.Inbox.record_once`), so a webhook
redelivered by the platform changes nothing the second time; a failure rolls
the whole handling back, inbox record included, so the retry is handled.

Chat messages are accepted first (:func:`chat_inbound`, recorded by
:meth:`~tthc_core.storage.Inbox.accept`) and answered by the inbox worker
through :func:`inbox_handlers`; :func:`on_chat_message` answers one at once
(the demo). Postal callbacks are accepted the same way
(:func:`postal_inbound`) and applied by the worker's postal handler
(:mod:`tthc_adapters.postal._callbacks`).
"""

from __future__ import annotations

import base64
import datetime as dt

from tthc_adapters.chat_files import queue_download
from tthc_adapters.postal._callbacks import (
    POSTAL_SOURCE,
    PostalCallbackRejected,
    postal_handler,
    postal_inbound,
)
from tthc_core.desk import Desk, FilingFiles, LookupBudget, answer_chat, answer_file
from tthc_core.errors import InvalidInput
from tthc_core.storage import Handler, InboundEvent, Store, UnitOfWork

__all__ = [
    "POSTAL_SOURCE",
    "PostalCallbackRejected",
    "chat_inbound",
    "inbox_handlers",
    "on_chat_message",
    "postal_inbound",
]


def on_chat_message(
    store: Store,
    desk: Desk,
    *,
    user_id: str,
    event_id: str,
    text: str,
    at: dt.datetime,
    budget: LookupBudget | None = None,
) -> list[str]:
    """Handle one chat message in its own transaction; returns the replies queued.

    ``budget`` counts the sender's look-ups (:class:`~tthc_core.desk.LookupBudget`).
    """
    with store.unit_of_work() as uow:
        replies = answer_chat(
            uow, desk, user_id=user_id, event_id=event_id, text=text, at=at, budget=budget
        )
        uow.commit()
    return replies


def chat_inbound(
    desk: Desk,
    *,
    event_id: str,
    user_id: str,
    text: str,
    sent_at: dt.datetime,
    raw: bytes,
    received_at: dt.datetime,
    file: bytes | None = None,
    file_url: str | None = None,
) -> InboundEvent:
    """A validated chat message as the inbox keeps it (source: the desk's chat channel).

    A file sent with it is kept in the payload as base64 (``"file"``); a link
    to one as ``"file_url"`` (downloaded later, :mod:`tthc_adapters.chat_files`).
    """
    payload = {"user_id": user_id, "text": text, "sent_at": sent_at.isoformat()}
    if file is not None:
        payload["file"] = base64.b64encode(file).decode("ascii")
    if file_url is not None:
        payload["file_url"] = file_url
    return InboundEvent(desk.chat_channel, event_id, payload, raw, received_at)


def inbox_handlers(
    desk: Desk, *, budget: LookupBudget | None = None, files: FilingFiles | None = None
) -> dict[str, Handler]:
    """The inbox worker's handler of each source: chat (the desk's channel) and postal callbacks.

    Args:
        desk: The desk.
        budget: The senders' look-up budget (``None`` counts nothing).
        files: Where files sent for online filing are checked and kept;
            ``None`` parks events carrying a file. A file sent by link
            (``"file_url"``) is queued for the ``chat.file`` outbox job
            (:class:`tthc_adapters.chat_files.FileDownloads`).
    """

    def answer(uow: UnitOfWork, event: InboundEvent) -> None:
        user_id, text = event.payload.get("user_id"), event.payload.get("text")
        if not isinstance(user_id, str) or not isinstance(text, str):
            raise InvalidInput("the accepted chat event has no 'user_id' or 'text' string")
        url = event.payload.get("file_url")
        if isinstance(url, str):  # downloaded by an outbox job, outside this transaction
            queue_download(
                uow, desk, event_id=event.event_id, user_id=user_id, url=url, at=event.received_at
            )
            return
        encoded = event.payload.get("file")
        if isinstance(encoded, str):
            if files is None:
                raise InvalidInput("a chat event carries a file but no document store is set")
            data = base64.b64decode(encoded)
            answer_file(
                uow,
                desk,
                files,
                user_id=user_id,
                event_id=event.event_id,
                data=data,
                at=event.received_at,
            )
            return
        # The event counts from its receipt, never from the sender's timestamp.
        answer_chat(
            uow,
            desk,
            user_id=user_id,
            event_id=event.event_id,
            text=text,
            at=event.received_at,
            budget=budget,
        )

    return {desk.chat_channel: answer, POSTAL_SOURCE: postal_handler(desk)}
