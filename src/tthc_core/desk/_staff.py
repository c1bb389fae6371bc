"""Conversations the desk cannot answer: queued for staff, answered by an officer.

A conversation waits for staff from the first unanswered question
(:func:`ask_staff`); the queue (:func:`awaiting_staff`) lists them oldest
first with their transcript. An officer's answer (:func:`reply_as_staff`)
goes out through the outbox and is recorded twice against the officer: in
the conversation (:class:`~tthc_core.conversation.StaffReplied`) and as the
audit trail's actor (the staff unit of work's ``actor``). An answer to a case
filed in chat reaches the account it was filed from
(:func:`notify_case_sender`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tthc_core.complaint import Case, CaseResolved
from tthc_core.conversation import (
    AskStaff,
    Conversation,
    Reply,
    StaffReplied,
    StaffReply,
    as_text,
    handle,
    to_payload,
)
from tthc_core.desk import replies
from tthc_core.desk._config import Desk
from tthc_core.errors import TthcError
from tthc_core.events import DomainEvent
from tthc_core.storage import OutboundMessage, UnitOfWork
from tthc_core.storage.kinds import CASE_CONTACTS, CONVERSATIONS

if TYPE_CHECKING:
    from tthc_core.desk._conversation import Session

__all__ = [
    "ConversationNotFound",
    "ask_staff",
    "awaiting_staff",
    "notify_case_sender",
    "queue_replies",
    "reply_as_staff",
]

_FAR = dt.timedelta(days=36500)


class ConversationNotFound(TthcError):  # noqa: N818 - reads best at call sites
    """No conversation has this key (``channel:user_id``)."""


def queue_replies(
    uow: UnitOfWork, channel: str, user_id: str, key: str, out: Sequence[Reply]
) -> int:
    """Write ``out`` to the outbox, keyed ``<key>:<i>``.

    Each payload carries the text (any channel can send it) and the
    channel-neutral reply (``"reply"``, for adapters that render buttons).
    """
    written = 0
    for i, reply in enumerate(out):
        payload = {"user_id": user_id, "text": as_text(reply), "reply": to_payload(reply)}
        written += uow.outbox.put(
            OutboundMessage(key=f"{key}:{i}", channel=channel, payload=payload)
        )
    return written


def ask_staff(session: Session, text: str) -> None:
    """Hand the conversation to staff with the citizen's question."""
    session.run(AskStaff(text[:4000]))


def awaiting_staff(uow: UnitOfWork, at: dt.datetime, *, limit: int = 100) -> list[Conversation]:
    """Conversations waiting for staff, oldest wait first."""
    waiting = uow.repository(CONVERSATIONS).due_by(at + _FAR, limit=limit)
    return [c for c in waiting if c.waiting_since is not None]


def reply_as_staff(
    uow: UnitOfWork, desk: Desk, key: str, *, officer: str, text: str, at: dt.datetime
) -> Conversation:
    """Send an officer's answer and take the conversation off the queue.

    Raises:
        ConversationNotFound: No such conversation.
        InvalidInput: A blank or over-long answer (the message says which).
    """
    repository = uow.repository(CONVERSATIONS)
    conversation = repository.get(key)
    if conversation is None:
        raise ConversationNotFound(f"no conversation {key!r} is stored here")
    changed, events = handle(conversation, StaffReply(officer, text), at=at)
    saved = repository.save(changed, events)
    answer = next(e.text for e in events if isinstance(e, StaffReplied))
    out = replies.staff_answer(answer)
    queue_replies(
        uow, conversation.channel, conversation.user_id, f"staff:{key}:v{saved.version}", out
    )
    return saved


def notify_case_sender(
    uow: UnitOfWork, desk: Desk, case: Case, events: Sequence[DomainEvent]
) -> int:
    """Send a case's answer to the chat account that filed it; how many messages were written."""
    contact = uow.repository(CASE_CONTACTS).get(case.case_id)
    if contact is None:
        return 0
    written = 0
    for event in events:
        if isinstance(event, CaseResolved):
            out = replies.case_answered(case.case_id, event.summary)
            key = f"case-answer:{case.case_id}:{event.occurred_at.isoformat()}"
            written += queue_replies(uow, contact.channel, contact.user_id, key, out)
    return written
