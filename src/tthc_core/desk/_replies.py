"""Plain-text chat replies written to the outbox, keyed so a handler run twice queues each once."""

from __future__ import annotations

from collections.abc import Sequence

from tthc_core.conversation import Reply, Text, split
from tthc_core.desk._staff import queue_replies
from tthc_core.storage import UnitOfWork

__all__ = ["queue_texts", "text_replies"]


def queue_texts(
    uow: UnitOfWork, channel: str, user_id: str, key: str, texts: Sequence[str]
) -> None:
    """Put each of ``texts`` to ``user_id`` in the outbox under ``reply:<channel>:<key>:<n>``.

    A text over the channel-neutral limit is split deliberately
    (:func:`tthc_core.conversation.split`); the messages carry the
    channel-neutral reply like every other (:func:`~tthc_core.desk.queue_replies`).
    """
    queue_replies(uow, channel, user_id, f"reply:{channel}:{key}", text_replies(texts))


def text_replies(texts: Sequence[str]) -> list[Reply]:
    """Plain texts as channel-neutral replies, a text over the limit split deliberately."""
    return [Text(part) for text in texts for part in split(text)]
