"""Chat replies written to the outbox, keyed so a handler run twice queues each once."""

from __future__ import annotations

from collections.abc import Sequence

from tthc_core.storage import OutboundMessage, UnitOfWork

__all__ = ["queue_replies"]


def queue_replies(
    uow: UnitOfWork, channel: str, user_id: str, key: str, replies: Sequence[str]
) -> None:
    """Put each of ``replies`` to ``user_id`` in the outbox under ``reply:<channel>:<key>:<n>``."""
    for i, reply in enumerate(replies):
        uow.outbox.put(
            OutboundMessage(
                key=f"reply:{channel}:{key}:{i}",
                channel=channel,
                payload={"user_id": user_id, "text": reply},
            )
        )
